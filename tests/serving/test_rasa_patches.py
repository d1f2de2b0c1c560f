"""serving/rasa_patches.py: each change keeps Rasa's behaviour and does what it is there for."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from jsonschema import ValidationError

from serving import rasa_patches
from tests.servers import ROOT

rasa_patches.apply()

from rasa.core.actions.action import RemoteAction  # noqa: E402
from rasa.core.agent import Agent  # noqa: E402
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import Event  # noqa: E402
from rasa.shared.utils.common import all_subclasses  # noqa: E402
from rasa.utils.endpoints import EndpointConfig  # noqa: E402


def remote_action() -> RemoteAction:
    return RemoteAction("action_x", EndpointConfig("http://127.0.0.1:9/webhook"))


def test_action_replies_are_validated_as_before():
    action = remote_action()
    assert action._validate_action_result({"events": [{"event": "slot", "name": "a",
                                                         "value": 1}], "responses": []})
    for bad in ({"events": "not a list"}, {"responses": [1]}, {"events": [{"event": 3}]}):
        with pytest.raises(ValidationError, match="Failed to validate Action server response"):
            action._validate_action_result(bad)


def test_validation_no_longer_checks_the_schema_every_time():
    from jsonschema import validate

    action, result = remote_action(), {"events": [], "responses": [{"text": "hi"}]}
    schema = RemoteAction.action_response_format_spec()

    def timed(call) -> float:
        start = time.perf_counter()
        for _ in range(20):
            call()
        return time.perf_counter() - start

    stock = timed(lambda: validate(result, schema))
    ours = timed(lambda: action._validate_action_result(result))
    assert ours * 10 < stock, (ours, stock)


@contextlib.asynccontextmanager
async def action_webhook(handler) -> AsyncIterator[EndpointConfig]:
    """A loopback HTTP server answering POST /webhook with `handler`, as an action endpoint."""
    app = web.Application()
    app.router.add_post("/webhook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        yield EndpointConfig(f"http://127.0.0.1:{port}/webhook")
    finally:
        await runner.cleanup()


def test_action_calls_reuse_one_connection():
    peers: list[int] = []

    async def webhook(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername")[1])
        return web.json_response({"events": [], "responses": []})

    async def scenario() -> list[int]:
        async with action_webhook(webhook) as endpoint:
            for _ in range(5):
                assert await endpoint.request(json={"x": 1}, method="post") == {
                    "events": [], "responses": []}
        return peers

    assert len(asyncio.run(scenario())) == 5
    assert len(set(peers)) == 1, f"a new connection per call: client ports {peers}"


def test_a_hung_action_server_is_given_up_after_the_action_timeout(monkeypatch):
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "1")

    async def webhook(request: web.Request) -> web.Response:
        await asyncio.sleep(3)
        return web.json_response({})

    async def scenario() -> float:
        async with action_webhook(webhook) as endpoint:
            start = time.monotonic()
            with pytest.raises(asyncio.TimeoutError):
                await endpoint.request(json={})
            return time.monotonic() - start

    assert asyncio.run(scenario()) < 2.5


def test_event_types_resolve_as_before():
    for cls in all_subclasses(Event):
        if getattr(cls, "type_name", None):
            assert Event.resolve_by_type(cls.type_name) is next(
                c for c in all_subclasses(Event) if c.type_name == cls.type_name)
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=InMemoryTrackerStore) \
        is InMemoryTrackerStore


def test_the_tracker_store_is_not_wrapped_in_a_silent_fallback():
    store = InMemoryTrackerStore(Domain.empty())
    created = Agent._create_tracker_store(store, Domain.empty())
    assert created is store and not isinstance(created, FailSafeTrackerStore)


def test_the_strict_store_refuses_a_server_without_the_patches(tmp_path):
    code = ("from serving.tracker_store import StrictSQLTrackerStore\n"
            f"StrictSQLTrackerStore(dialect='sqlite', db='{tmp_path}/t.db')\n")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3",
                              "PATH": "/usr/bin:/bin"})
    assert run.returncode != 0
    assert "python -m serving" in run.stderr


def test_the_model_graph_gives_what_dask_gives(agent):
    """The ordered runner and Rasa's dask runner, on the same loaded nodes, agree on the NLU
    output and the policy prediction for every message."""
    from rasa.core.channels.channel import UserMessage
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    processor = agent.processor
    runner = processor.graph_runner
    assert type(runner).__name__ == "OrderedGraphRunner"
    nlu, core = processor.model_metadata.nlu_target, processor.model_metadata.core_target
    texts = ["hi", "what is a trigger point injection", "my arm is numb and i cant breathe",
             "", "🙂", "¿duele la inyección?", "thanks bye", "can i drive home after"]
    for text in texts:
        message = UserMessage(text, sender_id="graph-test")
        tracker = DialogueStateTracker.from_events("graph-test", [], agent.domain.slots)
        inputs = {"__message__": [message], "__tracker__": tracker}
        ours = runner.run(inputs=inputs, targets=[nlu])[nlu][0]
        theirs = DaskGraphRunner.run(runner, inputs=inputs, targets=[nlu])[nlu][0]
        ours, theirs = (m.as_dict(only_output_properties=True) for m in (ours, theirs))
        assert ours == theirs, text

        tracker.update(UserUttered(text, ours.get("intent"), ours.get("entities", []),
                                   parse_data=ours))
        ours_prediction = runner.run(inputs={"__tracker__": tracker}, targets=[core])[core]
        dask_prediction = DaskGraphRunner.run(runner, inputs={"__tracker__": tracker},
                                              targets=[core])[core]
        assert ours_prediction.probabilities == dask_prediction.probabilities, text
        assert ours_prediction.policy_name == dask_prediction.policy_name


def test_a_message_behind_a_dead_replicas_lock_is_served():
    """A replica died holding the conversation's lock; its ticket and the waiting message's run
    out between two looks. Rasa then waits for ever; here the message is served."""
    from rasa.core.lock_store import InMemoryLockStore

    store = InMemoryLockStore()
    store.issue_ticket("patient", lock_lifetime=1.0)  # the dead replica's ticket

    async def next_message() -> str:
        async with store.lock("patient", lock_lifetime=1.0, wait_time_in_seconds=1.5):
            return "served"

    assert asyncio.run(asyncio.wait_for(next_message(), 10)) == "served"
    assert not store.get_lock("patient") or not store.get_lock("patient").tickets


def test_the_lock_still_serves_messages_of_one_conversation_one_at_a_time():
    from rasa.core.lock_store import InMemoryLockStore

    store, active, order = InMemoryLockStore(), [], []

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


def test_rasa_log_lines_carry_no_patient_text(tmp_path):
    code = """
import logging, structlog
from serving import rasa_patches
rasa_patches.apply()
from rasa.utils.log_utils import configure_structlog
configure_structlog(logging.INFO)
structlog.get_logger().error("rest.message.received.timeout", text="my secret symptom")
structlog.get_logger().info("processor.slots", slot_values={"level": "secret slot"})
"""
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3",
                              "PATH": "/usr/bin:/bin"}, timeout=120)
    output = run.stdout + run.stderr
    assert "rest.message.received.timeout" in output and "processor.slots" in output
    assert "secret" not in output
    assert rasa_patches.REDACTED in output
