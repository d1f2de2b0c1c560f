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
    settings = read_settings()
    directory = ROOT / "var" / "production"
    directory.mkdir(parents=True, exist_ok=True)
    started = []
    db_port, redis_port = int(settings["DB_PORT"]), int(settings["REDIS_PORT"])
    if settings["DB_HOST"] in LOCAL and not listening("127.0.0.1", db_port):
        from production.postgres import PostgresServer

        postgres = PostgresServer(base_dir=directory / "postgres", port=db_port).start()
        postgres.ensure_role(settings["DB_USER"], settings["DB_PASSWORD"], settings["DB_NAME"])
        started.append(postgres)
        print(f"PostgreSQL started on port {db_port} (data in {directory / 'postgres'})")
    if settings["REDIS_HOST"] in LOCAL and not listening("127.0.0.1", redis_port):
        from production.redis import RedisServer

        started.append(RedisServer(base_dir=directory / "redis", port=redis_port,
                                   password=settings["REDIS_PASSWORD"] or None).start())
        print(f"Redis started on port {redis_port}")
    stack = Stack(settings, directory, token=api_token())
    print(f"Starting {settings['ACTION_REPLICAS']} action servers, nginx and "
          f"{settings['RASA_REPLICAS']} Rasa servers (logs in {directory}) ...")
    try:
        stack.start()
        print(f"""
The production profile is running.
  Assistant (nginx, {settings['RASA_REPLICAS']} Rasa replicas):  {stack.url}/webhooks/rest/webhook
  Staff console:  http://127.0.0.1:{settings['CONSOLE_PORT']}/
  HTTP API token: $RASA_API_TOKEN or var/api_token
  Conversations in PostgreSQL {settings['DB_HOST']}:{db_port}/{settings['DB_NAME']}, schema \
{settings['POSTGRESQL_SCHEMA']}.  Ctrl-C stops everything.""", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        while all(process.alive() for process in stack.processes()):
            time.sleep(1)
        dead = [process.name for process in stack.processes() if not process.alive()]
        print(f"stopped: {', '.join(dead)} exited; see its log in {directory}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(" stopping.")
        return 0
    finally:
        stack.stop()
        for server in reversed(started):
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
