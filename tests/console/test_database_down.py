"""PostgreSQL stopped under a running console: a clear "try again" page, never a stack trace,
and the console serves again once the database is back, without a restart."""

from __future__ import annotations

import os
import time

import pytest
import requests
import sqlalchemy as sa

from console.tracker import metadata
from devtools.postgres import PostgresServer
from devtools.servers import ROOT, free_port
from tests.console.conftest import run_cli, start_console
from tests.console.test_console import sign_in

pytestmark = pytest.mark.postgres


def test_console_survives_a_database_restart(tmp_path):
    with PostgresServer() as postgres:
        url = postgres.create_database("clinic")
        metadata.create_all(sa.create_engine(url, future=True))  # Rasa's events table
        env = {**os.environ, "PYTHONPATH": str(ROOT), "CONSOLE_PORT": str(free_port()),
               "CONSOLE_TRACKER_URL": url, "CONSOLE_DB_URL": url, "CONSOLE_INDEX_SECONDS": "1"}
        run_cli(env, "console.users", "add", "ada", "--role", "admin",
                stdin="ada-secret-password")
        process, base = start_console(env, tmp_path / "console.log")
        try:
            console = {"url": base}
            session = sign_in(console, "ada")
            postgres.stop()
            down = session.get(f"{base}/")
            assert down.status_code == 503 and "Try again" in down.text
            assert "Traceback" not in down.text and "psycopg2" not in down.text
            assert requests.get(f"{base}/signin").status_code == 503
            postgres.start_again()
            deadline = time.time() + 30
            while session.get(f"{base}/").status_code != 200:
                assert time.time() < deadline, "the console did not recover"
                time.sleep(0.5)
            assert "Conversations" in session.get(f"{base}/").text
            assert process.poll() is None
        finally:
            process.terminate()
            process.wait(timeout=20)
