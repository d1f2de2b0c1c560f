"""`python -m production` (`make production`): the production profile on one machine, for a trial.

Reads production/settings.env (the environment overrides any value). When DB_HOST / REDIS_HOST are
this machine and nothing listens on their ports yet, it starts PostgreSQL and Redis of its own
(Debian's packages, installed by `make production`), keeping their data in var/production/. Then it
starts the action servers, nginx, the Rasa replicas and the staff console, and stops them all on
Ctrl-C.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import sys
import time
from pathlib import Path

from production.stack import ROOT, Stack, read_settings

LOCAL = {"127.0.0.1", "localhost", "::1"}


def listening(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def api_token() -> str:
    token = os.environ.get("RASA_API_TOKEN")
    if token:
        return token
    path = ROOT / "var" / "api_token"
    if not path.exists() or not path.read_text().strip():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32) + "\n")
    return path.read_text().strip()


def main() -> int:
    # Ctrl-C and a service manager's SIGTERM both end in the `finally` below, which stops every
    # server this command started (also while they are still starting).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    settings = read_settings()
    directory = ROOT / "var" / "production"
    directory.mkdir(parents=True, exist_ok=True)
    started: list = []
    stack: Stack | None = None
    try:
        start_local_services(settings, directory, started)
        stack = Stack(settings, directory, token=api_token())
        print(f"Starting {settings['ACTION_REPLICAS']} action servers, nginx and "
              f"{settings['RASA_REPLICAS']} Rasa servers (logs in {directory}) ...", flush=True)
        stack.start()
        print(f"""
The production profile is running.
  Assistant (nginx, {settings['RASA_REPLICAS']} Rasa replicas):  {stack.url}/webhooks/rest/webhook
  Staff console:  http://127.0.0.1:{settings['CONSOLE_PORT']}/
  HTTP API token: $RASA_API_TOKEN or var/api_token
  Conversations in PostgreSQL {settings['DB_HOST']}:{settings['DB_PORT']}/{settings['DB_NAME']}, \
schema {settings['POSTGRESQL_SCHEMA']}.  Ctrl-C stops everything.""", flush=True)
        while all(process.alive() for process in stack.processes()):
            time.sleep(1)
        dead = [process.name for process in stack.processes() if not process.alive()]
        print(f"stopped: {', '.join(dead)} exited; see its log in {directory}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(" stopping.")
        return 0
    finally:
        # A second Ctrl-C must not leave servers running half-stopped: finish stopping first.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if stack is not None:
            stack.stop()
        for server in reversed(started):
            server.stop()


def start_local_services(settings: dict, directory: Path, started: list) -> None:
    """PostgreSQL and Redis of our own when they are to be on this machine and are not running."""
    db_port, redis_port = int(settings["DB_PORT"]), int(settings["REDIS_PORT"])
    if settings["DB_HOST"] in LOCAL and not listening("127.0.0.1", db_port):
        from production.postgres import PostgresServer

        postgres = PostgresServer(base_dir=directory / "postgres", port=db_port)
        started.append(postgres)
        postgres.start()
        postgres.ensure_role(settings["DB_USER"], settings["DB_PASSWORD"], settings["DB_NAME"])
        print(f"PostgreSQL started on port {db_port} (data in {directory / 'postgres'})")
    if settings["REDIS_HOST"] in LOCAL and not listening("127.0.0.1", redis_port):
        from production.redis import RedisServer

        redis = RedisServer(base_dir=directory / "redis", port=redis_port,
                            password=settings["REDIS_PASSWORD"] or None)
        started.append(redis)
        redis.start()
        print(f"Redis started on port {redis_port}")


if __name__ == "__main__":
    sys.exit(main())
