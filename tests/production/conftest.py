"""The production profile scaled out on loopback, started once per test module: a throwaway
PostgreSQL and Redis, nginx, two Rasa replicas and two action servers (production/stack.py), as
`make production` runs them, with every port a free one; and the staff console, whose clinic
alerts go to a loopback JSON webhook (devtools/alert_receivers.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from devtools.alert_receivers import Receivers, Webhook
from devtools.postgres import PostgresServer
from production.net import free_port
from production.redis import RedisServer
from production.stack import Stack, read_settings

TOKEN = "scale-out-token"
DATABASE = "rasa"
# A replica killed while it holds a conversation's ticket lock keeps that conversation waiting
# this long; still well above the slowest message here (a fraction of a second, seconds under load).
TICKET_LOCK_LIFETIME = 10


@dataclass
class World:
    stack: Stack
    postgres: PostgresServer
    redis: RedisServer
    db: sa.engine.Engine  # the tracker store's database, read directly
    schema: str
    alerts: Receivers  # what the console's clinic alerts delivered to the webhook


@pytest.fixture(scope="module")
def scaled_out(tmp_path_factory):
    directory = tmp_path_factory.mktemp("scale-out")
    postgres, redis_server, stack = PostgresServer(), RedisServer(), None
    alerts = Receivers()
    webhook = Webhook(alerts).start()
    try:
        postgres.start()
        url = postgres.create_database(DATABASE)
        redis_server.start()
        settings = read_settings(env={})
        settings.update(
            RASA_REPLICAS="2", ACTION_REPLICAS="2",
            DB_PORT=str(postgres.port), DB_NAME=DATABASE, DB_USER="postgres",
            REDIS_PORT=str(redis_server.port),
            RASA_PORT=str(free_port()), ACTIONS_PORT=str(free_port()),
            CONSOLE_PORT=str(free_port()), TICKET_LOCK_LIFETIME=str(TICKET_LOCK_LIFETIME),
            CLINIC_ALERT_URLS=webhook.url("/alerts"),
        )
        settings.pop("ACTION_ENDPOINT_URL")  # derived from ACTIONS_PORT by the stack
        stack = Stack(settings, directory, TOKEN)
        stack.start()
        yield World(stack, postgres, redis_server,
                    sa.create_engine(url, future=True, poolclass=NullPool),
                    settings["POSTGRESQL_SCHEMA"], alerts)
    finally:
        if stack is not None:
            stack.stop()
        webhook.stop()
        redis_server.cleanup()
        postgres.cleanup()


@pytest.fixture
def world(scaled_out):
    """The module's stack, whole again if an earlier test failed half-way (a database left
    stopped) or killed a replica; the test that kills one runs last, so normally this restarts
    nothing."""
    if not scaled_out.postgres.is_running():
        scaled_out.postgres.start_again()
    if scaled_out.redis.process is None or scaled_out.redis.process.poll() is not None:
        scaled_out.redis.start_again()
    for process in [*scaled_out.stack.actions, *scaled_out.stack.rasa]:
        if not process.alive():
            process.start()
            process.wait_healthy()
    return scaled_out
