"""A staff console over conversations the real assistant produced, on SQLite and on PostgreSQL.

Each backend gets its own module-scoped world: the action server and the Rasa server write a
handful of conversations through the REST channel into the tracker store (a SQLite file, or a
PostgreSQL database that the console shares with Rasa), then the console runs on top.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from console.config import Settings
from devtools.postgres import PostgresServer
from devtools.servers import ROOT, Servers, free_port, wait_until
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, WidgetServers, require_prerequisites

PASSWORD = {"ada": "ada-secret-password", "rex": "rex-secret-password",
            "locky": "locky-secret-password"}
BREATHING = "since the shot it hurts to breathe"
FEVER = "the site is red and hot and I have a temperature of 101"
HOSTILE = ('<script>alert(1)</script> <img src=x onerror="alert(2)"> '
           '<a href="javascript:alert(3)">link</a>')
QUESTION = "what is a trigger point injection?"
# (sender, messages): "twice" has two Rasa sessions, so two conversations.
CONVERSATIONS = [
    ("breathing", ["hi", BREATHING]),
    ("fever", [FEVER]),
    ("html", [HOSTILE]),
    ("unclear", ["asdfgh jkl qwerty"]),  # keyboard mash: the "not sure" fallback
    ("twice", ["how long does the numbness last?", "/session_start", "can I drive home after?"]),
    ("question", [QUESTION]),
]
POSTGRES_ENDPOINTS = """\
action_endpoint:
  url: ${ACTION_ENDPOINT_URL}
tracker_store:
  type: serving.tracker_store.StrictSQLTrackerStore
  dialect: postgresql
  url: ${DB_HOST}
  port: ${DB_PORT}
  db: ${DB_NAME}
  username: ${DB_USER}
lock_store:
  type: serving.lock_stores.NonStallingInMemoryLockStore
"""


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def sign_in(world: dict, name: str, password: str | None = None,
            passwords: dict[str, str] = PASSWORD) -> requests.Session:
    """A signed-in HTTP session of one console account (its password from `passwords`)."""
    session = requests.Session()
    page = session.get(f"{world['url']}/signin")
    response = session.post(f"{world['url']}/signin", data={
        "csrf": csrf_of(page.text), "name": name, "password": password or passwords[name],
        "next": "/"})
    assert response.status_code == 200 and "Sign out" in response.text
    return session


def run_cli(env: dict, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120, check=True)


def start_console(env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "console.app"], cwd=ROOT, env=env,
                               stdout=log.open("ab"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{env['CONSOLE_PORT']}"
    wait_until(f"{url}/signin", process, log, timeout=60)
    return process, url


@contextmanager
def console_world(workdir: Path, backend: str, conversations: list[tuple[str, list[str]]],
                  passwords: dict[str, str], extra_env: dict[str, str] | None = None,
                  prepare: Callable[[dict], None] | None = None,
                  cors_origins: list[str] | None = None) -> Iterator[dict]:
    """The real servers on `backend` ("sqlite" or "postgresql") with `conversations` sent
    through the REST channel, the console's users (ada an admin, the others reviewers), then the
    console. `prepare(world)` runs after the users are added and before the console starts.
    `cors_origins`: the page origins a chat widget may connect from (tests/web's set-up)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3",
           "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "CONSOLE_PORT": str(free_port()),
           "CONSOLE_INDEX_SECONDS": "1", **(extra_env or {})}
    postgres = None
    endpoints = None
    if backend == "sqlite":
        env.update(TRACKER_DB=str(workdir / "tracker.db"),
                   CONSOLE_DB_URL=f"sqlite:///{workdir / 'console.db'}")
    else:
        postgres = PostgresServer().start()
        url = postgres.create_database("clinic")
        # One database for Rasa's events and the console's tables, as in production.
        env.update(TRACKER_DIALECT="postgresql", DB_HOST="127.0.0.1", DB_PORT=str(postgres.port),
                   DB_NAME="clinic", DB_USER="postgres", CONSOLE_DB_URL=url)
        endpoints = workdir / "endpoints.yml"
        endpoints.write_text(POSTGRES_ENDPOINTS)
    # Only what differs from the usual servers: Servers picks its own ports and action URL (the
    # Makefile's ACTION_ENDPOINT_URL in os.environ must not leak in).
    extra = {k: v for k, v in env.items() if os.environ.get(k) != v}
    extra.pop("ACTION_ENDPOINT_URL", None)
    servers = (WidgetServers(workdir, cors_origins, extra_env=extra, endpoints=endpoints)
               if cors_origins else Servers(workdir, extra_env=extra, endpoints=endpoints))
    process = None
    try:
        servers.start_both()
        # The console reaches this Rasa server's HTTP API and its deletion endpoint (handoffs,
        # deletions, retention: console/rasa_api.py).
        env.update(servers.console_env())
        for sender, messages in conversations:
            for message in messages:
                servers.send(sender, message)
        for name, password in passwords.items():
            role = "admin" if name == "ada" else "reviewer"
            run_cli(env, "console.users", "add", name, "--role", role, stdin=password)
        config = Settings.from_env(env)
        world = {"env": env, "workdir": workdir, "backend": backend, "servers": servers,
                 "tracker": sa.create_engine(config.tracker_url, future=True),
                 "db": sa.create_engine(config.console_db_url, future=True),
                 "postgres": postgres}
        if prepare:
            prepare(world)
        process, world["url"] = start_console(env, workdir / "console.log")
        yield world
    finally:
        if process:
            process.terminate()
            process.wait(timeout=20)
        servers.stop()
        if postgres:
            postgres.cleanup()


@pytest.fixture(scope="package", params=["sqlite", "postgresql"])
def console(request, tmp_path_factory):
    backend = request.param
    with console_world(tmp_path_factory.mktemp(f"console-{backend}"), backend, CONVERSATIONS,
                       PASSWORD) as world:
        yield world


@pytest.fixture(scope="module")
def browser():
    """Chromium driven by Playwright, one per test module."""
    require_prerequisites()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
