"""A Redis server of our own (Debian's redis-server): loopback only, on a given or free port, its
data directory given (the production trial keeps it under var/) or temporary (the tests)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import redis

from production.net import ManagedServer, free_port

INSTALL_HINT = "install it with `sudo scripts/install_services.sh redis`"


class RedisServer(ManagedServer):
    """Usage: ``with RedisServer() as server: client = redis.Redis(port=server.port)``."""

    def __init__(self, base_dir: Path | None = None, port: int | None = None,
                 password: str | None = None) -> None:
        self.binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(self.binary).exists():
            raise RuntimeError(f"redis-server not found; {INSTALL_HINT}")
        self._keep_dir = base_dir
        self.base_dir: Path | None = None
        self.port = port
        self._fixed_port = port is not None
        self.password = password
        self.process: subprocess.Popen | None = None

    @property
    def log_file(self) -> Path:
        assert self.base_dir is not None
        return self.base_dir / "redis.log"

    def start(self) -> RedisServer:
        if self.base_dir is None:
            if self._keep_dir is not None:
                self.base_dir = self._keep_dir.resolve()
                self.base_dir.mkdir(parents=True, exist_ok=True)
            else:
                self.base_dir = Path(tempfile.mkdtemp(prefix="redis-", dir="/tmp"))
        for attempt in range(3):
            if not self._fixed_port:
                self.port = free_port()
            try:
                self._spawn()
                return self
            except RuntimeError:
                if self._fixed_port or attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def command(self, logfile: bool = True) -> list[str]:
        """redis-server in the foreground (without `logfile`: it logs to its standard output, for
        a process supervisor)."""
        if self.base_dir is None:
            self.base_dir = (self._keep_dir.resolve() if self._keep_dir is not None
                             else Path(tempfile.mkdtemp(prefix="redis-", dir="/tmp")))
            self.base_dir.mkdir(parents=True, exist_ok=True)
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                "--dir", str(self.base_dir), "--save", "", "--appendonly", "no",
                "--daemonize", "no"]
        if logfile:
            args += ["--logfile", str(self.log_file)]
        if self.password:
            args += ["--requirepass", self.password]
        return args

    def answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.exceptions.RedisError:
            return False

    def _spawn(self) -> None:
        assert self.base_dir is not None
        args = self.command()
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 10
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited: {self.log_tail()}")
            try:
                if self.client().ping():
                    return
            except redis.exceptions.ConnectionError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not answer on {self.port}: {self.log_tail()}")
            time.sleep(0.05)

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, db=db, password=self.password,
                           socket_timeout=5)

    def url(self, db: int = 0) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def start_again(self) -> None:
        """Start the stopped server again on the same port."""
        self._spawn()

    def cleanup(self) -> None:
        self.stop()
        if self.base_dir is not None and self._keep_dir is None:
            shutil.rmtree(self.base_dir, ignore_errors=True)
        self.base_dir = None

    def log_tail(self, chars: int = 2000) -> str:
        if self.base_dir is None or not self.log_file.exists():
            return ""
        return self.log_file.read_text(errors="replace")[-chars:]
