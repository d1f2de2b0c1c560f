"""A PostgreSQL server of our own: a cluster in a directory (a temporary one unless given),
listening on a loopback port, with trust authentication for the superuser ``postgres``. The
production trial (`python -m production`) keeps its cluster under var/; the tests use throwaway
ones with durability switched off (devtools/postgres.py).

Uses Debian's server binaries (``scripts/install_services.sh postgresql``). PostgreSQL refuses to
run as root, so when the tests run as root the server programs run as the ``postgres`` system user
(created by the Debian package) through ``runuser``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2
from psycopg2 import sql

from production.net import ManagedServer, free_port

PG_LIB = Path("/usr/lib/postgresql")
SUPERUSER = "postgres"
INSTALL_HINT = "install it with `sudo scripts/install_services.sh postgresql`"

SETTINGS = {"listen_addresses": "127.0.0.1", "shared_buffers": "128MB"}


def find_bin_dir() -> Path:
    """The bin directory of the newest installed PostgreSQL major version."""
    candidates = [
        path.parent for path in PG_LIB.glob("*/bin/initdb") if re.fullmatch(r"\d+", path.parts[-3])
    ]
    if not candidates:
        raise RuntimeError(f"no PostgreSQL server under {PG_LIB}/<version>/bin; {INSTALL_HINT}")
    return max(candidates, key=lambda path: int(path.parent.name))


class PostgresServer(ManagedServer):
    """Usage: ``with PostgresServer() as pg: url = pg.create_database("clinic")``."""

    # Extra postgresql.conf settings (subclasses for tests switch durability off).
    settings: dict[str, str] = {}

    def __init__(self, bin_dir: Path | None = None, base_dir: Path | None = None,
                 port: int | None = None) -> None:
        self.bin_dir = bin_dir or find_bin_dir()
        self.port: int | None = port
        self._fixed_port = port is not None
        self._keep_dir = base_dir  # a kept cluster is reused: created once, started many times
        self.base_dir: Path | None = None
        self.data_dir: Path | None = None
        self.socket_dir: Path | None = None
        self.log_file: Path | None = None
        self._run_as: list[str] = []
        if os.geteuid() == 0:
            try:
                self._owner = pwd.getpwnam(SUPERUSER)
            except KeyError:
                raise RuntimeError(
                    f"running as root, and there is no {SUPERUSER!r} user to run PostgreSQL as; "
                    f"{INSTALL_HINT}"
                ) from None
            self._run_as = ["runuser", "-u", SUPERUSER, "--"]

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> PostgresServer:
        """Create the cluster (unless a kept one exists) and start it; returns once it accepts
        connections."""
        if self.base_dir is not None:
            raise RuntimeError("already started; use start_again() after stop()")
        if self._keep_dir is not None:
            self.base_dir = self._keep_dir.resolve()
            self.base_dir.mkdir(parents=True, exist_ok=True)
        else:
            # Under /tmp rather than pytest's tmp_path: that one is private to the current user,
            # and the server may run as another user (postgres).
            self.base_dir = Path(tempfile.mkdtemp(prefix="pg-", dir="/tmp"))
        if self._run_as:
            os.chown(self.base_dir, self._owner.pw_uid, self._owner.pw_gid)
        self.data_dir = self.base_dir / "data"
        # Sockets in a directory of our own: /var/run/postgresql may be missing or not writable.
        self.socket_dir = self.base_dir / "run"
        self.log_file = self.base_dir / "server.log"
        if (self.data_dir / "PG_VERSION").exists():
            if not self.is_running():
                self._start_on_port()
            return self
        self._run(["mkdir", "-p", str(self.socket_dir)])
        self._run(
            [
                str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER,
                "--auth-local=trust", "--auth-host=trust", "--encoding=UTF8", "--locale=C",
                "--no-sync", "--no-instructions",
            ],
            "initdb",
        )
        settings = {**SETTINGS, **self.settings, "unix_socket_directories": str(self.socket_dir)}
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write("\n# production/postgres.py\n")
            conf.writelines(f"{key} = '{value}'\n" for key, value in settings.items())
        self._start_on_port()
        return self

    def _start_on_port(self) -> None:
        if self._fixed_port:
            self._pg_ctl_start()
            return
        # free_port() only finds a port that was free a moment ago: retry if another process
        # took it in between.
        for attempt in range(3):
            self.port = free_port()
            try:
                self._pg_ctl_start()
                return
            except RuntimeError:
                if attempt == 2 or "could not bind" not in self.log_tail():
                    raise

    def foreground_command(self) -> list[str]:
        """The server in the foreground, for a process supervisor (production/supervision.py):
        the cluster must exist (start() once creates it). It runs as the caller, or as
        `run_as_user` (the supervisor switches to it) when the caller is root."""
        assert self.data_dir is not None and self.socket_dir is not None
        return [str(self.bin_dir / "postgres"), "-D", str(self.data_dir), "-p", str(self.port),
                "-k", str(self.socket_dir)]

    @property
    def run_as_user(self) -> str | None:
        return SUPERUSER if self._run_as else None

    def accepts_connections(self) -> bool:
        try:
            with self._connect("postgres"):
                return True
        except psycopg2.OperationalError:
            return False

    def stop(self) -> None:
        """Fast shutdown: open sessions are ended, committed data is kept. No-op if stopped."""
        if self.data_dir is not None and self.is_running():
            self._run([*self._pg_ctl(), "stop", "-m", "fast", "-w", "-t", "30"], "pg_ctl stop")

    def start_again(self) -> None:
        """Restart the stopped server: same data directory, same port."""
        if self.data_dir is None or self.port is None:
            raise RuntimeError("start() the server first")
        if self.is_running():
            raise RuntimeError("the server is still running; stop() it first")
        self._pg_ctl_start()

    def cleanup(self) -> None:
        """Stop the server if running and remove its directory (data, sockets, log), unless it is
        a kept one."""
        if self.base_dir is None:
            return
        try:
            self.stop()
        finally:
            if self._keep_dir is None:
                shutil.rmtree(self.base_dir, ignore_errors=True)
            self.base_dir = self.data_dir = None

    def is_running(self) -> bool:
        status = subprocess.run(
            [*self._run_as, *self._pg_ctl(), "status"], capture_output=True,
            cwd=self.base_dir, env=self._env(), timeout=30,
        )
        return status.returncode == 0

    # -- databases -----------------------------------------------------------------------------

    def url(self, name: str = "postgres") -> str:
        """SQLAlchemy URL of database ``name`` (superuser, no password: trust authentication)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{name}"

    def ensure_database(self, name: str) -> str:
        """Create database ``name`` unless it exists; return its SQLAlchemy URL."""
        with self._connect("postgres") as conn:
            cursor = conn.cursor()
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cursor.fetchone():
                return self.url(name)
        return self.create_database(name)

    def ensure_role(self, name: str, password: str, database: str) -> None:
        """A login role owning ``database`` (both created if missing)."""
        with self._connect("postgres") as conn:
            cursor = conn.cursor()
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,))
            verb = "ALTER" if cursor.fetchone() else "CREATE"
            cursor.execute(sql.SQL(verb + " ROLE {} LOGIN PASSWORD %s").format(
                sql.Identifier(name)), (password,))
        self.ensure_database(database)
        with self._connect("postgres") as conn:
            conn.cursor().execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                sql.Identifier(database), sql.Identifier(name)))

    def create_database(self, name: str) -> str:
        """Create database ``name`` (an error if it exists) and return its SQLAlchemy URL."""
        # CREATE DATABASE cannot run inside a transaction, hence autocommit.
        with self._connect("postgres") as conn:
            conn.cursor().execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def create_extension(self, dbname: str, extension: str) -> None:
        """E.g. ``create_extension("clinic", "pg_trgm")`` (contrib extensions ship with Debian's
        server package)."""
        with self._connect(dbname) as conn:
            conn.cursor().execute(
                sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(extension))
            )

    def log_tail(self, chars: int = 3000) -> str:
        if self.log_file is None or not self.log_file.exists():
            return ""
        return self.log_file.read_text(errors="replace")[-chars:]

    # -- helpers -------------------------------------------------------------------------------

    def _connect(self, dbname: str) -> contextlib.closing:
        """An autocommit psycopg2 connection, closed when the ``with`` block ends (psycopg2's own
        ``with conn`` ends a transaction but leaves the connection open)."""
        conn = psycopg2.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname=dbname, connect_timeout=5
        )
        conn.autocommit = True
        return contextlib.closing(conn)

    def _pg_ctl(self) -> list[str]:
        return [str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir)]

    def _pg_ctl_start(self) -> None:
        # -w waits until the server accepts connections (or has failed); the port is passed on
        # the command line so that a retry on another port needs no edit of postgresql.conf.
        self._run(
            [*self._pg_ctl(), "start", "-w", "-t", "30", "-l", str(self.log_file),
             "-o", f"-p {self.port}"],
            "pg_ctl start",
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with self._connect("postgres"):
                    return
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"PostgreSQL on port {self.port} does not accept connections; "
                        f"log {self.log_file}:\n{self.log_tail()}"
                    ) from None
                time.sleep(0.1)

    def _env(self) -> dict[str, str]:
        # PG* variables (PGDATA, PGPORT, PGOPTIONS, ...) from the caller's shell must not leak
        # into our cluster; nor may HOME=/root, which the postgres user cannot read.
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        if self._run_as:
            env["HOME"] = str(self.base_dir)
        return env

    def _run(self, args: list[str], what: str = "") -> None:
        # cwd is our own directory: the postgres user may not be allowed into the caller's. The
        # output goes to a file, not a pipe, so that the daemonised server cannot keep a pipe open.
        assert self.base_dir is not None
        with tempfile.TemporaryFile() as output:
            result = subprocess.run(
                [*self._run_as, *args], stdout=output, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, cwd=self.base_dir, env=self._env(), timeout=120,
            )
            if result.returncode != 0:
                output.seek(0)
                text = output.read().decode(errors="replace")
                raise RuntimeError(
                    f"{what or args[0]} failed (exit {result.returncode}):\n{text}\n"
                    f"server log {self.log_file}:\n{self.log_tail()}"
                )

