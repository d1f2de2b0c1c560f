"""`python -m production` (`make production`): the production profile on one machine.

Reads production/settings.env (the environment overrides any value). When DB_HOST / REDIS_HOST are
this machine and nothing listens on their ports yet, PostgreSQL and Redis of its own are parts too
(Debian's packages, installed by `make production`), keeping their data in var/production/. The
parts (the action servers, nginx, the Rasa servers, the staff console) run under supervisord
(production/supervision.py), which restarts one that crashes while the others keep serving; only a
crash loop stops the profile, naming the part and showing the end of its log. Ctrl-C or SIGTERM
(a service manager's stop) stops everything.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import sys
from pathlib import Path

from production.nginx import render
from production.stack import ROOT, VENV_BIN, Stack, read_settings
from production.supervision import Part, Supervisor, port_health, process_part, shutdown_leftover

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
    # part (also while they are still starting).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    settings = read_settings()
    # PRODUCTION_VAR_DIR: another directory for the data, logs and supervisord's files (the tests)
    directory = Path(os.environ.get("PRODUCTION_VAR_DIR") or ROOT / "var" / "production").resolve()
    directory.mkdir(parents=True, exist_ok=True)
    supervisor = None
    try:
        shutdown_leftover(directory)
        services = local_services(settings, directory)
        stack = Stack(settings, directory, token=api_token())
        parts = [part for part, _ in services] + stack_parts(stack)
        supervisor = Supervisor(parts, directory, stack.env)
        supervisor.start()
        for part, on_ready in services:
            supervisor.start_part(part.name)
            supervisor.wait_healthy(part.name, timeout=60)
            on_ready()
        print(f"Starting {settings['ACTION_REPLICAS']} action servers, nginx and "
              f"{settings['RASA_REPLICAS']} Rasa servers (logs in {directory}) ...", flush=True)
        start_stack(supervisor, parts[len(services):])
        print(f"""
The production profile is running (supervisord: {directory / 'supervisord.conf'}).
  Assistant (nginx, {settings['RASA_REPLICAS']} Rasa replicas):  {stack.url}/webhooks/rest/webhook
  Staff console:  http://127.0.0.1:{settings['CONSOLE_PORT']}/
  HTTP API token: $RASA_API_TOKEN or var/api_token
  Sender id key (the same for every process): $SENDER_ID_KEY or var/sender_id_key
  Conversations in PostgreSQL {settings['DB_HOST']}:{settings['DB_PORT']}/{settings['DB_NAME']}, \
schema {settings['POSTGRESQL_SCHEMA']}.
  Each part's state: {VENV_BIN / 'supervisorctl'} -c {directory / 'supervisord.conf'} status
  A part that crashes is restarted; Ctrl-C stops everything.""", flush=True)
        reason = supervisor.watch(report=lambda line: print(line, file=sys.stderr, flush=True))
        print(reason, file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print(" stopping.", flush=True)
        return 0
    except (RuntimeError, TimeoutError) as error:  # a part that did not start
        print(f"stopped: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        # A second Ctrl-C must not leave servers running half-stopped: finish stopping first.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if supervisor is not None:
            supervisor.shutdown()


def stack_parts(stack: Stack) -> list[Part]:
    """The action servers, nginx, the Rasa servers and the console, in order of start."""
    config = render(stack.nginx.directory, [p.port for p in stack.rasa],
                    [p.port for p in stack.actions], stack.public_port, stack.actions_port,
                    int(stack.settings.get("ACTION_TIMEOUT_SECONDS", "10")),
                    listen=stack.settings.get("LISTEN_ADDRESS", "127.0.0.1"))
    stack.nginx.prepare(config)
    nginx = Part("nginx", "nginx",
                 [str(VENV_BIN / "python"), "-m", "production.nginx", str(stack.nginx.directory),
                  str(stack.public_port), str(stack.actions_port)],
                 stack.directory / "nginx.log", port_health(stack.public_port))
    return [*(process_part(f"actions-{i + 1}", p) for i, p in enumerate(stack.actions)), nginx,
            *(process_part(f"rasa-{i + 1}", p) for i, p in enumerate(stack.rasa)),
            *([process_part("console", stack.console)] if stack.console else [])]


def start_stack(supervisor: Supervisor, parts: list[Part]) -> None:
    names = [part.name for part in parts]
    early = [name for name in names if name.startswith("actions-") or name == "nginx"]
    rasa = [name for name in names if name.startswith("rasa-")]
    for name in early:
        supervisor.start_part(name)
    # The first replica creates the schema and tables; the others then start together.
    supervisor.start_part(rasa[0])
    supervisor.wait_healthy(rasa[0])
    for name in rasa[1:]:
        supervisor.start_part(name)
    for name in [*early, *rasa[1:]]:
        supervisor.wait_healthy(name)
    if "console" in names:
        supervisor.start_part("console")
        supervisor.wait_healthy("console")


def local_services(settings: dict, directory: Path) -> list[tuple[Part, object]]:
    """PostgreSQL and Redis of our own when they are to be on this machine and are not running:
    the parts, each with what to do once it answers."""
    services: list = []
    db_port, redis_port = int(settings["DB_PORT"]), int(settings["REDIS_PORT"])
    if settings["DB_HOST"] in LOCAL and not listening("127.0.0.1", db_port):
        from production.postgres import PostgresServer

        postgres = PostgresServer(base_dir=directory / "postgres", port=db_port)
        postgres.start()  # creates the cluster the first time; then handed to supervisord
        postgres.stop()

        def postgres_ready() -> None:
            postgres.ensure_role(settings["DB_USER"], settings["DB_PASSWORD"], settings["DB_NAME"])
            print(f"PostgreSQL started on port {db_port} (data in {directory / 'postgres'})")

        services.append((Part("postgres", "PostgreSQL", postgres.foreground_command(),
                              directory / "postgres.log", postgres.accepts_connections,
                              user=postgres.run_as_user, stopsignal="INT",
                              directory=postgres.base_dir), postgres_ready))
    if settings["REDIS_HOST"] in LOCAL and not listening("127.0.0.1", redis_port):
        from production.redis import RedisServer

        redis = RedisServer(base_dir=directory / "redis", port=redis_port,
                            password=settings["REDIS_PASSWORD"] or None)
        services.append((Part("redis", "Redis", redis.command(logfile=False),
                              directory / "redis.log", redis.answers),
                         lambda: print(f"Redis started on port {redis_port}")))
    return services


if __name__ == "__main__":
    sys.exit(main())
