"""The production profile's processes on one machine: M action servers and N Rasa servers behind
nginx, and the staff console, all configured from one settings mapping (production/settings.env
plus the environment). PostgreSQL and Redis are reached through DB_* and REDIS_*; the trial command
(production/__main__.py) or the tests start them. The command takes the processes' definitions
from here and runs them under supervisord (production/supervision.py); Stack.start() runs them
directly, unsupervised, for tests/production/test_scale_out.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import requests

from privacy.identifiers import read_or_create_key
from production.net import free_port
from production.nginx import Nginx, render

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SETTINGS_FILE = ROOT / "production" / "settings.env"
ENDPOINTS = ROOT / "production" / "endpoints.yml"
MODEL = ROOT / "models" / "current.tar.gz"


def read_settings(path: Path = SETTINGS_FILE, env: Mapping[str, str] | None = None) -> dict:
    """The defaults from settings.env, each overridden by the environment when set there."""
    env = os.environ if env is None else env
    settings = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            settings[key.strip()] = env.get(key.strip(), value.strip())
    return settings


class Process:
    def __init__(self, name: str, args: list[str], env: dict, log: Path, port: int,
                 health_path: str = "/") -> None:
        self.name, self.args, self.env, self.log, self.port = name, args, env, log, port
        self.health = f"http://127.0.0.1:{port}{health_path}"
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        self.popen = subprocess.Popen(
            self.args, cwd=ROOT, env=self.env, stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)

    def wait_healthy(self, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen is None or self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            try:
                if requests.get(self.health, timeout=2).status_code < 500:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"{self.name} did not answer {self.health}:\n{self.log_tail()}")

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal(self, signum: int) -> None:
        if self.alive():
            os.killpg(self.popen.pid, signum)

    def stop(self) -> None:
        if not self.alive():
            return
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.popen.wait()

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


class Stack:
    def __init__(self, settings: Mapping[str, str], directory: Path, token: str,
                 model: Path = MODEL, with_console: bool = True) -> None:
        self.settings = dict(settings)
        self.directory = directory
        self.token = token
        self.model = model
        self.with_console = with_console
        self.public_port = int(self.settings["RASA_PORT"])
        self.actions_port = int(self.settings["ACTIONS_PORT"])
        self.settings.setdefault(
            "ACTION_ENDPOINT_URL", f"http://127.0.0.1:{self.actions_port}/webhook")
        self.env = {**os.environ, **self.settings, "PYTHONPATH": str(ROOT),
                    "TF_CPP_MIN_LOG_LEVEL": "3", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
        # The console takes conversations over through Rasa's HTTP API, through nginx (any
        # replica will do, docs/handoff.md), with the replicas' token. In the shared environment
        # because supervisord gives its programs its own (production/supervision.py).
        self.env["RASA_API_URL"] = self.env.get("RASA_API_URL") or self.url
        self.env["RASA_API_TOKEN"] = token
        # One key for the sender id hashes of every process (privacy/identifiers.py): the
        # environment's SENDER_ID_KEY, or the one generated once into var/sender_id_key.
        self.env["SENDER_ID_KEY"] = (self.env.get("SENDER_ID_KEY", "").strip()
                                     or read_or_create_key())
        self.actions = [self._action_server(i)
                        for i in range(int(self.settings["ACTION_REPLICAS"]))]
        self.rasa = [self._rasa_server(i) for i in range(int(self.settings["RASA_REPLICAS"]))]
        self.console = self._console() if with_console else None
        self.nginx = Nginx(directory / "nginx")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.public_port}"

    def _action_server(self, index: int) -> Process:
        port = free_port()
        return Process(f"action server {index + 1}",
                       [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions",
                        "--port", str(port)],
                       self.env, self.directory / f"actions-{index + 1}.log", port, "/health")

    def _rasa_server(self, index: int) -> Process:
        port = free_port()
        args = [str(VENV_BIN / "python"), "-m", "serving", "run", "--model", str(self.model),
                "--endpoints", str(ENDPOINTS), "--credentials", "credentials.yml",
                "--port", str(port), "--enable-api", "--auth-token", self.token]
        cors = self.settings.get("CORS_ORIGINS", "").split()
        if cors:
            args += ["--cors", *cors]
        return Process(f"Rasa server {index + 1}", args, self.env,
                       self.directory / f"rasa-{index + 1}.log", port)

    def _console(self) -> Process:
        return Process("staff console", [str(VENV_BIN / "python"), "-m", "console.app"],
                       self.env, self.directory / "console.log",
                       int(self.settings.get("CONSOLE_PORT", "8090")), "/signin")

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        config = render(self.directory / "nginx", [p.port for p in self.rasa],
                        [p.port for p in self.actions], self.public_port, self.actions_port,
                        int(self.settings.get("ACTION_TIMEOUT_SECONDS", "10")),
                        listen=self.settings.get("LISTEN_ADDRESS", "127.0.0.1"))
        try:
            for process in self.actions:
                process.start()
            self.nginx.start(config, [self.public_port, self.actions_port])
            # The first replica creates the schema and tables; the others then start together.
            self.rasa[0].start()
            self.rasa[0].wait_healthy()
            for process in self.rasa[1:]:
                process.start()
            for process in [*self.actions, *self.rasa[1:]]:
                process.wait_healthy()
            if self.console:
                self.console.start()
                self.console.wait_healthy()
        except BaseException:
            self.stop()
            raise

    def processes(self) -> list[Process]:
        return [*self.rasa, *self.actions, *([self.console] if self.console else [])]

    def stop(self) -> None:
        for process in self.processes():
            process.stop()
        self.nginx.stop()
