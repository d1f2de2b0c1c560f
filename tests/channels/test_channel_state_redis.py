"""The channels' state in Redis, shared by two Rasa replicas (as behind a load balancer).

A real redis-server (production/redis.py) on a free loopback port; one action server and two Rasa
servers ("replicas" A and B) with the same Redis, the same tracker database and the same loopback
fakes of the providers. Webhooks are posted over HTTP to one replica or the other, as a load
balancer would. The first tests talk to channels/state.py directly (no Rasa server).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from dataclasses import dataclass
from typing import Any

import pytest

from channels.common import EXPIRED_OPTION, PayloadKeys
from channels.meta_whatsapp import MetaWhatsAppInput
from channels.state import (
    OPTIONS_TTL,
    PAYLOAD_TTL,
    SEEN_TTL,
    InProcessState,
    RedisState,
    StateUnavailable,
    state_from_env,
)
from channels.telegram import TelegramInput
from channels.twilio_whatsapp import TwilioWhatsAppInput
from devtools.servers import Servers
from production.net import free_port
from production.redis import RedisServer
from tests.channels import helpers as h
from tests.channels.fakes import (
    FakeProviders,
)

needs_servers = pytest.mark.servers
REDIS_VARIABLES = ("REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "REDIS_DB")
# Longer than Telegram's callback_data (64 bytes) and Meta's button id (256 bytes); Rasa reads it
# as an ordinary question.
LONG_PAYLOAD = h.QUESTION + " " + " ".join(["Please explain it simply, step by step."] * 8)
TTLS = {"seen": SEEN_TTL, "payload": PAYLOAD_TTL, "options": OPTIONS_TTL}


@pytest.fixture(scope="module")
def redis_server():
    with RedisServer() as server:
        yield server


@pytest.fixture(scope="module")
def fakes():
    running = FakeProviders().start()
    yield running
    running.stop()


def channel_env(fakes: FakeProviders, redis_server: RedisServer) -> dict[str, str]:
    return {**h.channel_env(fakes),
            "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(redis_server.port)}


@dataclass
class Replicas:
    a: Servers
    b: Servers


@pytest.fixture(scope="module")
def replicas(fakes, redis_server, tmp_path_factory):
    """Two Rasa servers sharing Redis, the tracker database and one action server."""
    from rasa.core.tracker_store import SQLTrackerStore

    shared = tmp_path_factory.mktemp("replicas")
    tracker_db = shared / "tracker.db"
    SQLTrackerStore(dialect="sqlite", db=str(tracker_db))  # tables made once, before both start
    env = {**channel_env(fakes, redis_server), "TRACKER_DB": str(tracker_db)}
    a = Servers(tmp_path_factory.mktemp("replica_a"), extra_env=env)
    b = Servers(tmp_path_factory.mktemp("replica_b"), extra_env={
        **env, "ACTION_ENDPOINT_URL": a.env["ACTION_ENDPOINT_URL"]})
    for servers in (a, b):
        for name in ("REDIS_PASSWORD", "REDIS_DB"):
            servers.env.pop(name, None)
    starts = [threading.Thread(target=start) for start in (a.start_actions, b.start_rasa)]
    try:
        for thread in starts:
            thread.start()
        a.start_rasa()
        for thread in starts:
            thread.join()
        for process in (a.actions, a.rasa, b.rasa):
            assert process is not None and process.poll() is None, "a server did not start"
        yield Replicas(a, b)
    finally:
        for thread in starts:
            thread.join()
        b.stop()
        a.stop()


@pytest.fixture
def redis_env(monkeypatch, fakes, redis_server):
    """This test process configured like a replica (for channel instances made in the test)."""
    for name, value in channel_env(fakes, redis_server).items():
        monkeypatch.setenv(name, value)
    for name in ("REDIS_PASSWORD", "REDIS_DB"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def keys_in(redis_server: RedisServer, pattern: str = "*") -> list[str]:
    return sorted(key.decode() for key in redis_server.client().scan_iter(pattern))


# === the store on its own =========================================================================
def test_settings_come_from_the_environment(monkeypatch):
    for name in REDIS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert isinstance(state_from_env(), InProcessState)
    monkeypatch.setenv("REDIS_HOST", "  ")
    assert isinstance(state_from_env(), InProcessState), "blank counts as unset"
    monkeypatch.setenv("REDIS_HOST", "redis.internal")
    state = state_from_env()
    assert isinstance(state, RedisState)
    assert (state.host, state.port, state.password, state.db) == ("redis.internal", 6379, None, 0)
    monkeypatch.setenv("REDIS_PORT", "6380")
    monkeypatch.setenv("REDIS_DB", "2")
    monkeypatch.setenv("REDIS_PASSWORD", "pw")
    state = state_from_env()
    assert (state.port, state.password, state.db) == (6380, "pw", 2)
    assert "pw" not in state.where
    monkeypatch.setenv("REDIS_PORT", "six")
    with pytest.raises(ValueError, match="REDIS_PORT"):
        state_from_env()


@pytest.mark.redis
def test_password_and_database_are_used(tmp_path):
    with RedisServer(base_dir=tmp_path, password="s3cret") as server:
        async def claims() -> tuple[bool, bool]:
            state = RedisState("127.0.0.1", server.port, "s3cret", db=3)
            try:
                return await state.first_time("telegram", "7"), await state.first_time(
                    "telegram", "7")
            finally:
                await state.close()

        assert run(claims()) == (True, False)
        assert server.client(3).exists("channels:seen:telegram:7")
        assert not server.client(0).exists("channels:seen:telegram:7")

        async def wrong_password() -> None:
            state = RedisState("127.0.0.1", server.port, "wrong", db=3)
            try:
                await state.first_time("telegram", "8")
            finally:
                await state.close()

        with pytest.raises(StateUnavailable, match="AuthenticationError"):
            run(wrong_password())


def test_claiming_an_id_is_atomic_across_clients(redis_server):
    async def race() -> list[bool]:
        replicas = [RedisState("127.0.0.1", redis_server.port) for _ in range(2)]
        try:
            return await asyncio.gather(*[replicas[i % 2].first_time("meta_whatsapp", "wamid.X")
                                          for i in range(40)])
        finally:
            for state in replicas:
                await state.close()

    assert sorted(run(race())) == [False] * 39 + [True]
    assert 0 < redis_server.client().ttl("channels:seen:meta_whatsapp:wamid.X") <= SEEN_TTL


def test_options_are_taken_once_and_never_by_a_redelivery(redis_server):
    sender = h.new_whatsapp_number()

    async def scenario() -> dict[str, Any]:
        one, two = (RedisState("127.0.0.1", redis_server.port) for _ in range(2))
        try:
            await one.save_options("twilio_whatsapp", sender, ["/a", "/b"])
            # two answers from the same sender race on two replicas: one gets the options
            race = await asyncio.gather(*[
                state.claim_and_take_options("twilio_whatsapp", f"SM{i}", sender)
                for i, state in enumerate([one, two] * 5)])
            await one.save_options("twilio_whatsapp", sender, ["/c"])
            redelivered = await two.claim_and_take_options("twilio_whatsapp", "SM0", sender)
            without_id = await two.claim_and_take_options("twilio_whatsapp", None, sender)
            return {"race": race, "redelivered": redelivered, "without_id": without_id}
        finally:
            await one.close()
            await two.close()

    result = run(scenario())
    assert all(first for first, _ in result["race"])
    assert sorted((options for _, options in result["race"]), key=bool) == \
        [None] * 9 + [["/a", "/b"]]
    assert result["redelivered"] == (False, None), "a redelivery must not take newer options"
    assert result["without_id"] == (True, ["/c"])
    assert not redis_server.client().exists(f"channels:options:twilio_whatsapp:{sender}")


def test_the_real_ids_behind_sender_hashes_expire_in_redis(redis_server):
    """SENDER_ID_HASHING=1: the key names the hash, only the value holds the number; it expires
    after the given time and each message (a new remember) starts the time again."""
    number, stored = h.new_whatsapp_number(), "h-" + "ab" * 20

    async def scenario() -> list[str | None]:
        one, two = (RedisState("127.0.0.1", redis_server.port) for _ in range(2))
        try:
            await one.remember_sender("twilio_whatsapp", stored, number, 0.6)
            seen = [await two.recall_sender("twilio_whatsapp", stored),
                    await two.recall_sender("meta_whatsapp", stored)]
            ttl = redis_server.client().pttl(f"channels:sender:twilio_whatsapp:{stored}")
            assert 0 < ttl <= 600, ttl
            await asyncio.sleep(0.4)
            await one.remember_sender("twilio_whatsapp", stored, number, 0.6)
            await asyncio.sleep(0.4)
            seen.append(await two.recall_sender("twilio_whatsapp", stored))
            await asyncio.sleep(0.4)
            seen.append(await two.recall_sender("twilio_whatsapp", stored))
            # A deletion forgets it at once, whichever replica handled it.
            await one.remember_sender("twilio_whatsapp", stored, number, 60)
            await two.forget_sender("twilio_whatsapp", stored)
            seen.append(await one.recall_sender("twilio_whatsapp", stored))
            return seen
        finally:
            await one.close()
            await two.close()

    assert run(scenario()) == [number, None, number, None, None]
    assert not [key for key in keys_in(redis_server) if number[-8:] in key]


def test_buttons_still_go_out_when_redis_is_down(redis_env, fakes, caplog):
    """The reply matters more than the memory: an error is logged, the buttons are sent."""
    redis_env.setenv("REDIS_PORT", str(free_port()))  # nothing listens there
    telegram = TelegramInput.from_credentials(None)
    twilio = TwilioWhatsAppInput.from_credentials(None)
    chat, sender = h.new_number(), h.new_whatsapp_number()
    buttons = [{"title": "Long", "payload": LONG_PAYLOAD}, {"title": "Short", "payload": "/b"}]

    async def send() -> None:
        for channel, recipient in ((telegram, str(chat)), (twilio, sender)):
            await channel.get_output_channel().send_text_with_buttons(recipient, "Pick", buttons)
            await channel.get_output_channel().close()

    with caplog.at_level(logging.ERROR, logger="channels"):
        run(send())
    [keyboard] = [c.data["reply_markup"]["inline_keyboard"] for c in fakes.find(
        "telegram", "sendMessage", lambda c: c.data["chat_id"] == str(chat))]
    assert keyboard[0][0]["callback_data"].startswith(PayloadKeys.PREFIX)
    assert keyboard[1][0]["callback_data"] == "/b"
    [body] = [c.data["Body"] for c in fakes.find("twilio", where=lambda c: c.data["To"] == sender)]
    assert "1. Long" in body and "2. Short" in body
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(m.startswith("telegram: long button payloads not kept") for m in errors)
    assert any(m.startswith("twilio_whatsapp: numbered options not kept") for m in errors)
    assert all("unavailable (ConnectionError)" in m and LONG_PAYLOAD not in m for m in errors)


# === two replicas =================================================================================
def tg_sent(fakes, chat_id) -> list[dict]:
    return [c.data for c in fakes.find("telegram", "sendMessage",
                                       lambda c: c.data.get("chat_id") == str(chat_id))]


def tw_bodies(fakes, sender) -> list[str]:
    return [c.data["Body"] for c in fakes.find("twilio", "Messages.json",
                                               lambda c: c.data.get("To") == sender)]


def meta_sent(fakes, wa_id) -> list[dict]:
    return [c.data for c in fakes.find("meta", "messages", lambda c: c.data.get("to") == wa_id)]


@dataclass
class Delivery:
    """One provider message: who sent it, how to post it (again) and what the provider got back."""
    sender: str
    seen_key: str
    post: Any  # (Servers) -> requests.Response
    sent: Any  # () -> list of replies to the sender


def delivery(channel: str, fakes: FakeProviders, text: str = h.QUESTION) -> Delivery:
    if channel == "telegram":
        chat = h.new_number()
        update = h.tg_update(message=h.tg_message(chat, text))
        return Delivery(str(chat), f"channels:seen:telegram:{update['update_id']}",
                        lambda servers: h.tg_post(servers, update),
                        lambda: tg_sent(fakes, chat))
    if channel == "twilio_whatsapp":
        sender = h.new_whatsapp_number()
        form = h.twilio_form(sender, text)
        return Delivery(sender, f"channels:seen:twilio_whatsapp:{form['MessageSid']}",
                        lambda servers: h.twilio_post(servers, form),
                        lambda: tw_bodies(fakes, sender))
    wa_id = h.new_wa_id()
    message = h.meta_text(wa_id, text)
    notification = h.meta_notification([message])
    return Delivery(wa_id, f"channels:seen:meta_whatsapp:{message['id']}",
                    lambda servers: h.meta_post(servers, notification),
                    lambda: meta_sent(fakes, wa_id))


CHANNELS = ["telegram", "twilio_whatsapp", "meta_whatsapp"]


@needs_servers
def test_both_replicas_keep_the_state_in_redis(replicas, redis_server):
    for servers in (replicas.a, replicas.b):
        log = (servers.workdir / "rasa.log").read_text()
        for channel in CHANNELS:
            assert f"{channel}: channel state in Redis at 127.0.0.1:{redis_server.port} db 0" \
                in log


@needs_servers
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_redelivery_to_the_other_replica_is_dropped(replicas, fakes, redis_server, channel):
    message = delivery(channel, fakes)
    assert message.post(replicas.a).status_code == 200
    replies = len(message.sent())
    assert replies >= 1 and len(h.user_events(replicas.a, message.sender)) == 1
    assert message.post(replicas.b).status_code == 200  # the provider's retry, on B
    assert len(h.user_events(replicas.b, message.sender)) == 1, "B handled it a second time"
    assert len(message.sent()) == replies
    assert 0 < redis_server.client().ttl(message.seen_key) <= SEEN_TTL


@needs_servers
def test_twilio_options_offered_by_one_replica_are_answered_through_the_other(
        replicas, fakes, redis_server):
    sender = h.new_whatsapp_number()
    assert h.twilio_post(replicas.a, h.twilio_form(sender, h.QUESTION)).status_code == 200
    [options] = [b for b in tw_bodies(fakes, sender) if "Reply with a number:" in b]
    numbered = re.findall(r"^(\d+)\. (.+)$", options, flags=re.M)
    expected = h.domain_buttons()[numbered[1][1]]
    kept = redis_server.client().get(f"channels:options:twilio_whatsapp:{sender}")
    assert kept is not None and json.loads(kept)[1] == expected

    assert h.twilio_post(replicas.b, h.twilio_form(sender, " 2 ")).status_code == 200
    assert h.user_events(replicas.b, sender)[-1]["text"] == expected


def telegram_press(chat: int, data: str) -> dict:
    return h.tg_update(callback_query={
        "id": "cbq-" + str(h.new_number()), "from": {"id": chat, "is_bot": False},
        "message": h.tg_message(chat, "Pick one"), "data": data, "chat_instance": "1"})


@needs_servers
def test_a_long_telegram_payload_kept_by_one_instance_is_resolved_by_another(
        replicas, fakes, redis_server, redis_env):
    chat = h.new_number()
    channel = TelegramInput.from_credentials(None)  # another replica's channel, in this process

    async def offer() -> None:
        await channel.get_output_channel().send_text_with_buttons(
            str(chat), "Pick one", [{"title": "Tell me more", "payload": LONG_PAYLOAD}])
        await channel.get_output_channel().close()
        await channel.state.close()

    run(offer())
    [[[button]]] = [m["reply_markup"]["inline_keyboard"] for m in tg_sent(fakes, chat)]
    data = button["callback_data"]
    assert data.startswith(PayloadKeys.PREFIX) and len(data.encode()) <= 64
    key = f"channels:payload:telegram:{data.removeprefix(PayloadKeys.PREFIX)}"
    assert 0 < redis_server.client().ttl(key) <= PAYLOAD_TTL

    assert h.tg_post(replicas.b, telegram_press(chat, data)).status_code == 200
    assert [e["text"] for e in h.user_events(replicas.b, str(chat))] == [LONG_PAYLOAD]
    # the payload came from Redis: once it is gone, the button has expired on every replica
    redis_server.client().delete(key)
    assert h.tg_post(replicas.a, telegram_press(chat, data)).status_code == 200
    assert tg_sent(fakes, chat)[-1]["text"] == EXPIRED_OPTION
    assert len(h.user_events(replicas.a, str(chat))) == 1


@needs_servers
def test_a_long_meta_payload_kept_by_one_instance_is_resolved_by_another(
        replicas, fakes, redis_server, redis_env):
    wa_id = h.new_wa_id()
    channel = MetaWhatsAppInput.from_credentials(None)

    async def offer() -> None:
        await channel.get_output_channel().send_text_with_buttons(wa_id, "Pick one", [
            {"title": "Tell me more", "payload": LONG_PAYLOAD},
            {"title": "Help", "payload": "/ask_help"}])
        await channel.get_output_channel().close()
        await channel.state.close()

    run(offer())
    [interactive] = [m["interactive"] for m in meta_sent(fakes, wa_id)]
    ids = [b["reply"]["id"] for b in interactive["action"]["buttons"]]
    assert ids[0].startswith(PayloadKeys.PREFIX) and ids[1] == "/ask_help"
    reply = h.meta_message(wa_id, "interactive", {
        "type": "button_reply", "button_reply": {"id": ids[0], "title": "Tell me more"}})
    assert h.meta_post(replicas.b, h.meta_notification([reply])).status_code == 200
    assert [e["text"] for e in h.user_events(replicas.b, wa_id)] == [LONG_PAYLOAD]


@needs_servers
def test_every_key_is_prefixed_and_expires(replicas, fakes, redis_server, redis_env):
    sender = h.new_whatsapp_number()
    assert h.twilio_post(replicas.a, h.twilio_form(sender, h.QUESTION)).status_code == 200
    channel = TelegramInput.from_credentials(None)

    async def offer() -> None:
        await channel.get_output_channel().send_text_with_buttons(
            str(h.new_number()), "Pick one", [{"title": "More", "payload": LONG_PAYLOAD}])
        await channel.get_output_channel().close()
        await channel.state.close()

    run(offer())
    client = redis_server.client()
    keys = keys_in(redis_server)
    assert keys and all(key.startswith("channels:") for key in keys), keys
    kinds = {key.split(":")[1] for key in keys}
    assert kinds == set(TTLS), kinds
    for key in keys:
        ttl, expected = client.ttl(key), TTLS[key.split(":")[1]]
        assert expected - 600 < ttl <= expected, f"{key} expires in {ttl} s"


@needs_servers
@pytest.mark.parametrize("channel", CHANNELS)
def test_redis_down_means_503_and_nothing_handled_then_it_recovers(
        replicas, fakes, redis_server, channel):
    message = delivery(channel, fakes, text=h.EMERGENCY)
    log = replicas.a.workdir / "rasa.log"
    before = len(log.read_text())
    redis_server.stop()
    try:
        reply = message.post(replicas.a)
        assert reply.status_code == 503
        assert "retry" in reply.json()["error"]
        assert h.user_events(replicas.a, message.sender) == [] and message.sent() == []
        logged = log.read_text()[before:]
        assert (f"{channel}: " in logged and "answered 503: channel state in Redis at "
                f"127.0.0.1:{redis_server.port} db 0 unavailable (ConnectionError)" in logged)
        assert h.EMERGENCY not in logged and message.sender not in logged
    finally:
        redis_server.start_again()
    # the provider retries; the same replica answers with nothing restarted but Redis
    assert message.post(replicas.a).status_code == 200
    assert len(h.user_events(replicas.a, message.sender)) == 1
    assert message.sent(), "no reply after Redis came back"
    assert message.post(replicas.b).status_code == 200
    assert len(h.user_events(replicas.b, message.sender)) == 1
    assert redis_server.client().exists(message.seen_key)
