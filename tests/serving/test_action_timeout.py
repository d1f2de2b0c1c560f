"""ACTION_TIMEOUT_SECONDS bounds a custom-action call on the path Rasa really takes
(`RemoteAction.run`, which passes its own 300 s timeout on every request), for the action endpoint
only, and a patient whose message needed the timed-out action still gets the safe reply."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid

import pytest
from aiohttp import web
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from clinic import load_profile
from devtools.servers import Servers
from serving import rasa_patches
from tests.serving.loopback import LoopbackServer, hanging_action_server

CLINIC = load_profile()
EMERGENCY = "i cant breathe properly since the shot"
SAFE_REPLY_WORDS = "not working right now"  # content/conversation.yml, utter_safety_fallback


async def run_action(action: RemoteAction) -> list:
    return await action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}),
                            DialogueStateTracker("patient", []), Domain.empty())


@pytest.mark.parametrize("seconds", [1, 2])
def test_remote_action_run_gives_up_on_a_hung_action_server_after_the_timeout(
        monkeypatch, seconds):
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", str(seconds))

    async def call(url: str) -> float:
        action = RemoteAction("action_safety_response", EndpointConfig(url))
        start = time.monotonic()
        with pytest.raises(asyncio.TimeoutError, match="ACTION_TIMEOUT_SECONDS"):
            # The outer limit only stops a hung test; the patch must fail well before it.
            await asyncio.wait_for(run_action(action), seconds + 10)
        return time.monotonic() - start

    with hanging_action_server() as server:
        elapsed = asyncio.run(call(server.url))
        assert server.requests == 1, "the call reached the action server"
    assert seconds - 0.1 < elapsed < seconds + 1, elapsed


def test_other_endpoints_keep_rasas_own_timeout(monkeypatch):
    """An NLG or model-server endpoint is not a custom action: ACTION_TIMEOUT_SECONDS does not cut
    it short (its pooled session keeps Rasa's 300 s)."""
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "1")

    async def call(url: str) -> bool:
        request = asyncio.ensure_future(EndpointConfig(url).request(json={}, method="post"))
        done, _ = await asyncio.wait({request}, timeout=2.5)
        request.cancel()
        return not done

    with hanging_action_server() as server:
        assert asyncio.run(call(server.url)), "a non-action request was given up after 1 s"
    assert rasa_patches.action_timeout() == 1


def test_without_the_setting_rasas_limit_applies(monkeypatch):
    monkeypatch.delenv("ACTION_TIMEOUT_SECONDS", raising=False)
    assert rasa_patches.action_timeout() == DEFAULT_REQUEST_TIMEOUT


@pytest.mark.parametrize("value", ["0", "-3", "ten", "inf", "nan"])
def test_a_malformed_timeout_refuses_to_start(monkeypatch, value):
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", value)
    with pytest.raises(rasa_patches.StartupRefused, match="ACTION_TIMEOUT_SECONDS"):
        rasa_patches.action_timeout()


def test_action_calls_reuse_pooled_connections():
    """Rasa makes a new RemoteAction, and without the patch a new HTTP session, for every call.
    Here they share the endpoint's pool: with the action server in another thread or process, a
    connection is back in the pool a moment after its response is read, so sequential calls use
    one or two connections, never one each."""
    peers: list[int] = []

    async def webhook(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername")[1])
        return web.json_response({"events": [], "responses": []})

    async def calls(url: str) -> None:
        endpoint = EndpointConfig(url)
        for _ in range(10):
            assert await run_action(RemoteAction("action_safety_response", endpoint)) == []

    with LoopbackServer(webhook) as server:
        asyncio.run(calls(server.url))
    assert len(peers) == 10
    assert len(set(peers)) <= 2, f"a new connection per call: client ports {peers}"


def test_the_patient_gets_the_safe_reply_when_the_action_times_out(agent, monkeypatch):
    """In-process, through Rasa's message processor: the emergency message's action times out,
    the patient gets the static safe reply (emergency number, clinic phone) within the limit."""
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "1")
    processor = agent.processor

    async def emergency() -> tuple[list[str], float]:
        # No custom action: the model is warm before the clock starts.
        await agent.handle_message(UserMessage("hello", CollectingOutputChannel(), "warm-up"))
        channel = CollectingOutputChannel()
        start = time.monotonic()
        message = UserMessage(EMERGENCY, channel, f"timeout-{uuid.uuid4()}")
        with contextlib.suppress(asyncio.TimeoutError):  # the outer limit only stops a hung test
            await asyncio.wait_for(agent.handle_message(message), 10)
        return [m.get("text", "") for m in channel.messages], time.monotonic() - start

    with hanging_action_server() as server:
        saved = processor.action_endpoint
        processor.action_endpoint = EndpointConfig(server.url)
        try:
            replies, elapsed = asyncio.run(emergency())
        finally:
            processor.action_endpoint = saved
        assert server.requests == 1
    text = " ".join(replies)
    assert SAFE_REPLY_WORDS in text and CLINIC.emergency_number in text and CLINIC.phone in text
    assert elapsed < 2, elapsed


@pytest.mark.servers
def test_rest_an_emergency_is_answered_within_the_action_timeout(tmp_path):
    """The served Rasa (`python -m serving run`, REST channel) with a hung action server and
    ACTION_TIMEOUT_SECONDS=2: the emergency message gets its reply within 3 s."""
    timeout = 2
    with hanging_action_server() as hung:
        servers = Servers(tmp_path, extra_env={"ACTION_ENDPOINT_URL": hung.url,
                                               "ACTION_TIMEOUT_SECONDS": str(timeout)})
        try:
            servers.start_rasa()
            servers.send("warm-up", "hello")  # no custom action: the model is warm
            assert hung.requests == 0
            start = time.monotonic()
            replies = " ".join(r.get("text", "") for r in servers.send("patient", EMERGENCY))
            elapsed = time.monotonic() - start
        finally:
            servers.stop()
        assert hung.requests == 1, "the emergency called the (hung) action server"
    assert CLINIC.emergency_number in replies and SAFE_REPLY_WORDS in replies, replies
    assert elapsed < timeout + 1, f"answered after {elapsed:.1f} s"
