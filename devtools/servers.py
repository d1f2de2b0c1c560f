"""Start the real action server and Rasa server on free loopback ports: for the end-to-end tests,
the benchmarks and the evaluation on the frozen sets."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import requests

from production.net import free_port

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
MODEL = ROOT / "models" / "current.tar.gz"


def wait_until(url: str, process: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not come up:\n{log.read_text()[-3000:]}")


class Servers:
    """An action server and a Rasa server (REST channel, token-protected HTTP API)."""

    def __init__(
        self, workdir: Path, token: str = "test-token", model: Path = MODEL,
        extra_env: dict[str, str] | None = None, endpoints: Path | None = None,
        rasa_command: list[str] | None = None,
    ) -> None:
        self.workdir = workdir
        self.endpoints = endpoints or ROOT / "endpoints.yml"
        # `python -m serving` is how every launcher starts Rasa (serving/rasa_patches.py); the
        # benchmark passes plain `rasa` for the stock configuration.
        self.rasa_command = rasa_command or [str(VENV_BIN / "python"), "-m", "serving"]
        self.model = model
        self.token = token
        self.actions_port = free_port()
        self.rasa_port = free_port()
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.actions_port}/webhook",
            "TRACKER_DB": str(workdir / "tracker.db"),
            **(extra_env or {}),
        }
        self.actions: subprocess.Popen | None = None
        self.rasa: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def console_env(self) -> dict[str, str]:
        """The settings a staff console needs to reach this Rasa server's HTTP API
        (console/rasa_api.py, docs/handoff.md)."""
        return {"RASA_API_URL": self.url, "RASA_API_TOKEN": self.token}

    def _spawn(self, args: list[str], log_name: str) -> tuple[subprocess.Popen, Path]:
        log = self.workdir / log_name
        process = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return process, log

    def start_actions(self) -> None:
        self.actions, log = self._spawn(
            [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions",
             "--port", str(self.actions_port)],
            "actions.log",
        )
        wait_until(f"http://127.0.0.1:{self.actions_port}/health", self.actions, log)

    def rasa_args(self) -> list[str]:
        return [*self.rasa_command, "run", "--model", str(self.model),
                "--endpoints", str(self.endpoints), "--credentials", "credentials.yml",
                "--port", str(self.rasa_port), "--enable-api", "--auth-token", self.token]

    def start_rasa(self) -> None:
        self.rasa, log = self._spawn(self.rasa_args(), "rasa.log")
        wait_until(f"{self.url}/", self.rasa, log)

    def start_both(self) -> None:
        """The action server and Rasa at once (each takes seconds to start); an action server
        that fails to start fails this call too."""
        failed: list[BaseException] = []

        def actions() -> None:
            try:
                self.start_actions()
            except BaseException as error:  # re-raised below, in the caller's thread
                failed.append(error)

        thread = threading.Thread(target=actions)
        thread.start()
        try:
            self.start_rasa()
        finally:
            thread.join()
        if failed:
            raise failed[0]

    @staticmethod
    def _stop(process: subprocess.Popen | None) -> None:
        if process and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def stop_actions(self) -> None:
        self._stop(self.actions)

    def stop(self) -> None:
        self._stop(self.rasa)
        self.stop_actions()

    # --- talking to it -------------------------------------------------------------------------
    def send(self, sender: str, message: str) -> list[dict]:
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> dict:
        response = requests.get(
            f"{self.url}/conversations/{sender}/tracker", params={"token": self.token}, timeout=30
        )
        response.raise_for_status()
        return response.json()
