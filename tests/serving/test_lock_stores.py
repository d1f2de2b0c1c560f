"""serving/lock_stores.py, loaded as Rasa loads it: from the lock_store section of the profile's
endpoints file. Rasa's ticket lock, except that a message waiting for its conversation is never
stuck."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.utils.endpoints import read_endpoint_config

from devtools.servers import ROOT
from production.redis import RedisServer
from serving import rasa_patches
from serving.lock_stores import NonStallingInMemoryLockStore, NonStallingRedisLockStore

PROFILES = {
    # endpoints file: the class it must name
    "endpoints.yml": NonStallingInMemoryLockStore,
    "production/endpoints.yml": NonStallingRedisLockStore,
}


@pytest.fixture(scope="module")
def redis_server():
    with RedisServer() as server:
        yield server


@pytest.fixture(params=list(PROFILES))
def store(request, monkeypatch, tmp_path) -> LockStore:
    """The lock store the profile's endpoints file configures, created by Rasa."""
    for name, value in {"ACTION_ENDPOINT_URL": "http://127.0.0.1:9/webhook",
                        "TRACKER_DB": str(tmp_path / "t.db"), "DB_HOST": "127.0.0.1",
                        "DB_PORT": "5432", "DB_NAME": "rasa", "DB_USER": "rasa",
                        "DB_PASSWORD": "", "REDIS_HOST": "127.0.0.1", "REDIS_PASSWORD": "",
                        "REDIS_DB": "0"}.items():
        monkeypatch.setenv(name, value)
    if PROFILES[request.param] is NonStallingRedisLockStore:
        server = request.getfixturevalue("redis_server")
        monkeypatch.setenv("REDIS_PORT", str(server.port))
        server.client().flushdb()
    config = read_endpoint_config(str(Path(ROOT, request.param)), "lock_store")
    created = LockStore.create(config)
    assert type(created) is PROFILES[request.param]
    return created


def test_a_message_behind_a_dead_replicas_lock_is_served(store):
    """A replica died holding the conversation's lock; its ticket and the waiting message's run
    out between two looks. Rasa then waits for ever; here the message is served."""
    store.issue_ticket("patient", lock_lifetime=1.0)  # the dead replica's ticket

    async def next_message() -> str:
        async with store.lock("patient", lock_lifetime=1.0, wait_time_in_seconds=1.5):
            return "served"

    assert asyncio.run(asyncio.wait_for(next_message(), 10)) == "served"
    assert not store.get_lock("patient") or not store.get_lock("patient").tickets


def test_rasas_own_lock_stalls_there():
    """The same situation with Rasa's lock store: what the classes above exist for."""
    store = InMemoryLockStore()
    store.issue_ticket("patient", lock_lifetime=1.0)

    async def next_message() -> None:
        async with store.lock("patient", lock_lifetime=1.0, wait_time_in_seconds=1.5):
            pass

    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(asyncio.wait_for(next_message(), 4))


def test_the_lock_still_serves_messages_of_one_conversation_one_at_a_time(store):
    active, order = [], []

    async def message(number: int) -> None:
        async with store.lock("patient", lock_lifetime=30):
            active.append(number)
            assert len(active) == 1, f"two messages at once: {active}"
            await asyncio.sleep(0.05)
            order.append(number)
            active.remove(number)

    async def burst() -> None:
        await asyncio.gather(*(message(n) for n in range(5)))

    asyncio.run(burst())
    assert order == [0, 1, 2, 3, 4]
    assert store.get_lock("patient") is None, "the lock is removed when nobody waits"


def test_the_redis_store_uses_the_endpoint_sections_settings(redis_server, monkeypatch):
    """url, port, db and key_prefix from the section, as with Rasa's `type: redis`."""
    from rasa.utils.endpoints import EndpointConfig

    config = EndpointConfig(url="127.0.0.1", port=redis_server.port, db=3, key_prefix="clinic",
                            type="serving.lock_stores.NonStallingRedisLockStore")
    store = LockStore.create(config)
    store.issue_ticket("patient")
    assert redis_server.client(db=3).exists("clinic:lock:patient")


@pytest.mark.redis
def test_a_handled_message_stays_handled_when_redis_dies_before_its_release(caplog):
    """Redis killed while a message holds the lock: the message was handled, so leaving the lock
    raises nothing (the ticket runs out by itself; a restarted Redis has none). Failing to take
    the lock still fails the message (the patient then gets the safe reply)."""
    from rasa.core.lock_store import LockError

    with RedisServer() as server:
        store = NonStallingRedisLockStore(host="127.0.0.1", port=server.port)

        async def message() -> str:
            async with store.lock("patient", lock_lifetime=30):
                server.process.kill()  # SIGKILL, as in tests/production/test_supervision.py
                server.process.wait()
                return "answered"

        assert asyncio.run(message()) == "answered"
        assert "Could not release a ticket lock" in caplog.text

        async def next_message() -> str:
            async with store.lock("patient", lock_lifetime=30):
                return "answered"

        with pytest.raises(LockError, match="Connection refused"):
            asyncio.run(next_message())
        server.start_again()
        assert asyncio.run(next_message()) == "answered"


def test_an_in_memory_store_refuses_several_workers(monkeypatch):
    monkeypatch.setenv("SANIC_WORKERS", "2")
    with pytest.raises(rasa_patches.StartupRefused, match="SANIC_WORKERS=2"):
        NonStallingInMemoryLockStore()


def test_the_lock_stores_check_rasas_lock_code(monkeypatch):
    monkeypatch.setitem(rasa_patches.FINGERPRINTS, "lock_waiters_never_stall",
                        {"rasa.core.lock_store:LockStore.lock": "0" * 64})
    with pytest.raises(rasa_patches.PatchMismatch, match="lock_waiters_never_stall"):
        NonStallingInMemoryLockStore()
