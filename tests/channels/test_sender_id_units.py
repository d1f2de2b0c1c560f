"""SENDER_ID_HASHING's pieces without the Rasa server: the keyed hashes (privacy/identifiers.py),
the channel state's memory of the real ids (channels/state.py), and what a channel hands Rasa and
where its replies go (channels/common.py), against the loopback fake providers."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import stat
import time

import pytest
from rasa.core.channels.channel import UserMessage

from channels.common import NotDelivered, ToRecipient
from channels.state import InProcessState, sender_memory_seconds
from channels.telegram import TelegramInput
from channels.twilio_whatsapp import TwilioWhatsAppInput
from privacy import identifiers
from tests.channels import helpers as h
from tests.channels.fakes import FakeProviders

KEY = "unit-test-key"
HASH = re.compile(r"h-[0-9a-f]{40}")


@pytest.fixture
def key(monkeypatch, tmp_path):
    """A known SENDER_ID_KEY, hashing off; the cached key is dropped before and after."""
    monkeypatch.setenv("SENDER_ID_KEY", KEY)
    monkeypatch.setenv("SENDER_ID_KEY_FILE", str(tmp_path / "sender_id_key"))
    monkeypatch.delenv("SENDER_ID_HASHING", raising=False)
    monkeypatch.delenv("SENDER_ID_MEMORY_DAYS", raising=False)
    identifiers.secret_key.cache_clear()
    yield monkeypatch
    identifiers.secret_key.cache_clear()


def expected(raw: str, key: str = KEY) -> str:
    return "h-" + hmac.new(key.encode(), f"sender:{raw}".encode(), hashlib.sha256).hexdigest()[:40]


# --- the hashes ---------------------------------------------------------------------------------
def test_the_keyed_hash_is_stable_prefixed_and_an_hmac_of_the_key(key):
    first = identifiers.keyed_hash("whatsapp:+15551234567")
    assert HASH.fullmatch(first) and first.startswith(identifiers.HASHED_PREFIX)
    assert identifiers.keyed_hash("whatsapp:+15551234567") == first
    assert first == expected("whatsapp:+15551234567")
    assert identifiers.keyed_hash("whatsapp:+15551234568") != first
    assert identifiers.keyed_hash("15551234567") != first, "the id as the channel gives it"


def test_another_key_gives_another_hash(key):
    before = identifiers.keyed_hash("123456789")
    key.setenv("SENDER_ID_KEY", "another-key")
    identifiers.secret_key.cache_clear()
    after = identifiers.keyed_hash("123456789")
    assert after != before and after == expected("123456789", "another-key")


def test_the_audit_hash_is_not_the_stored_id(key):
    stored = identifiers.keyed_hash("123456789")
    audit = identifiers.audit_hash(stored)
    assert re.fullmatch(r"[0-9a-f]{32}", audit)
    assert audit != stored and audit not in stored
    assert identifiers.audit_hash("123456789") not in identifiers.keyed_hash("123456789")


def test_hashing_is_off_unless_set_to_1(key):
    assert not identifiers.hashing_enabled()
    assert identifiers.stored_sender_id("123456789") == "123456789"
    assert identifiers.private_id(42) == "42"
    for value in ("0", "", "yes", "true"):
        key.setenv("SENDER_ID_HASHING", value)
        assert identifiers.stored_sender_id("123456789") == "123456789", value
    key.setenv("SENDER_ID_HASHING", " 1 ")
    assert identifiers.stored_sender_id("123456789") == expected("123456789")
    wamid = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQzQTg="
    assert re.fullmatch(r"m-[0-9a-f]{20}", identifiers.private_id(wamid))
    assert identifiers.private_id(wamid) == identifiers.private_id(wamid)
    assert identifiers.private_id(wamid) != identifiers.private_id(wamid + "x")


def test_without_a_key_one_is_generated_once_for_the_owner_only(key, tmp_path):
    key.delenv("SENDER_ID_KEY")
    identifiers.secret_key.cache_clear()
    first = identifiers.keyed_hash("123456789")
    path = tmp_path / "sender_id_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    generated = path.read_text().strip()
    assert len(generated) >= 32 and first == expected("123456789", generated)
    identifiers.secret_key.cache_clear()
    assert identifiers.keyed_hash("123456789") == first, "the file's key is reused"
    assert identifiers.read_or_create_key() == generated
    other = identifiers.read_or_create_key(tmp_path / "other" / "key")
    assert other != generated and (tmp_path / "other" / "key").read_text().strip() == other


# --- the memory of the real ids -----------------------------------------------------------------
def test_memory_days_setting(monkeypatch):
    monkeypatch.delenv("SENDER_ID_MEMORY_DAYS", raising=False)
    assert sender_memory_seconds() == 7 * 86400
    monkeypatch.setenv("SENDER_ID_MEMORY_DAYS", "0.5")
    assert sender_memory_seconds() == 43200
    for bad in ("0", "-1", "seven", "nan", "inf"):
        monkeypatch.setenv("SENDER_ID_MEMORY_DAYS", bad)
        with pytest.raises(ValueError, match="SENDER_ID_MEMORY_DAYS"):
            sender_memory_seconds()


def test_the_in_process_memory_expires_and_each_message_starts_it_again():
    async def check() -> None:
        state = InProcessState()
        await state.remember_sender("telegram", "h-a", "111", 0.3)
        await state.remember_sender("meta_whatsapp", "h-a", "222", 60)
        assert await state.recall_sender("telegram", "h-a") == "111"
        assert await state.recall_sender("meta_whatsapp", "h-a") == "222"
        assert await state.recall_sender("telegram", "h-b") is None
        await asyncio.sleep(0.2)
        await state.remember_sender("telegram", "h-a", "111", 0.3)  # the patient wrote again
        await asyncio.sleep(0.2)
        assert await state.recall_sender("telegram", "h-a") == "111"
        await asyncio.sleep(0.2)
        assert await state.recall_sender("telegram", "h-a") is None
        assert await state.recall_sender("meta_whatsapp", "h-a") == "222"
        # A deletion forgets the number at once, on that channel only.
        await state.remember_sender("telegram", "h-a", "111", 60)
        await state.forget_sender("meta_whatsapp", "h-a")
        assert await state.recall_sender("meta_whatsapp", "h-a") is None
        assert await state.recall_sender("telegram", "h-a") == "111"
        await state.forget_sender("meta_whatsapp", "h-a")  # twice: nothing to forget, no error

    asyncio.run(check())


# --- a channel with hashing on and off ----------------------------------------------------------
@pytest.fixture(scope="module")
def fakes():
    running = FakeProviders().start()
    yield running
    running.stop()


@pytest.fixture
def channel_env(key, fakes):
    for name, value in h.channel_env(fakes).items():
        key.setenv(name, value)
    for name in ("REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "REDIS_DB"):
        key.delenv(name, raising=False)
    return key


BUTTONS = [{"title": "What is it?", "payload": "/ask_what_is_tpi"},
           {"title": "Who can it help?", "payload": "/ask_candidates"}]


class Assistant:
    """Stands in for Rasa: keeps each message and answers with text and buttons, sent to the
    sender id of the message, as Rasa's processor does."""

    def __init__(self) -> None:
        self.messages: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)
        await message.output_channel.send_response(
            message.sender_id, {"text": "Answer.", "buttons": BUTTONS})


def chat_texts(fakes: FakeProviders, chat: str) -> list[str]:
    return [c.data["text"] for c in fakes.find("telegram", "sendMessage",
                                                 lambda c: c.data.get("chat_id") == chat)]


def test_hashing_off_hands_rasa_the_chat_id_and_the_channels_own_output(channel_env, fakes):
    channel = TelegramInput.from_credentials(None)
    assistant, chat = Assistant(), str(h.new_number())

    async def scenario() -> None:
        await channel.deliver(assistant, "hello", chat, 4711)
        await channel.get_output_channel().close()

    asyncio.run(scenario())
    [message] = assistant.messages
    assert message.sender_id == chat
    assert message.output_channel is channel.get_output_channel()
    assert message.metadata == {"channel": "telegram", "message_id": "4711"}
    assert chat_texts(fakes, chat) == ["Answer."]


def test_hashing_on_hands_rasa_the_hash_and_replies_reach_the_chat(channel_env, fakes, caplog):
    channel_env.setenv("SENDER_ID_HASHING", "1")
    channel = TelegramInput.from_credentials(None)
    assistant, chat = Assistant(), str(h.new_number())
    words = "Ada (Clinic): we will call you."

    def staff_reply() -> dict:  # Rasa's send_response pops the text: a new dict each time
        return {"text": words, "staff": "Ada"}

    async def scenario() -> NotDelivered:
        await channel.deliver(assistant, "hello", chat, 4711)
        stored = assistant.messages[0].sender_id
        output = channel.get_output_channel()
        await output.send_response(stored, staff_reply())  # later, from the console
        channel.state._senders.clear()  # the state forgot the number
        await output.send_response(stored, {"text": "An assistant reply."})  # dropped
        try:
            await output.send_response(stored, staff_reply())
        except NotDelivered as refused:
            return refused
        finally:
            await output.close()
        raise AssertionError("a staff reply to a forgotten number was not refused")

    refused = asyncio.run(scenario())
    [message] = assistant.messages
    assert message.sender_id == expected(chat)
    assert isinstance(message.output_channel, ToRecipient)
    assert message.output_channel.name() == "telegram"
    assert message.metadata["channel"] == "telegram"
    assert re.fullmatch(r"m-[0-9a-f]{20}", message.metadata["message_id"])
    assert chat not in str(message.metadata) and "4711" not in str(message.metadata)
    sent = fakes.find("telegram", "sendMessage", lambda c: c.data.get("chat_id") == chat)
    assert [c.data["text"] for c in sent] == ["Answer.", words]
    assert [b["text"] for [b] in sent[0].data["reply_markup"]["inline_keyboard"]] == \
        ["What is it?", "Who can it help?"]
    assert not fakes.find("telegram", where=lambda c: str(c.data.get("chat_id", "")).startswith(
        "h-")), "a hash was sent as a chat id"
    assert str(refused).startswith("the patient's channel (Telegram) ")
    assert "the patient's number is no longer known" in str(refused)
    assert chat not in caplog.text


def test_twilio_numbered_options_are_kept_under_the_hash(channel_env, fakes):
    channel_env.setenv("SENDER_ID_HASHING", "1")
    channel = TwilioWhatsAppInput.from_credentials(None)
    assistant, sender = Assistant(), h.new_whatsapp_number()

    async def scenario() -> tuple[bool, list[str] | None]:
        await channel.deliver(assistant, "hello", sender, "SM1")
        await channel.get_output_channel().close()
        return await channel.options.answer("SM2", sender)

    first, options = asyncio.run(scenario())
    assert first and options == ["/ask_what_is_tpi", "/ask_candidates"]
    [body] = [c.data["Body"] for c in fakes.find("twilio", where=lambda c: c.data["To"] == sender)]
    assert "1. What is it?" in body
    kept = list(channel.state._options) + list(channel.state._seen)
    assert kept and not any(sender in str(k) or sender[-10:] in str(k) for k in kept), kept
    digits = sender.removeprefix("whatsapp:+")
    assert [raw for raw, _ in channel.state._senders.values()] == [sender]
    assert not any(digits in str(k) for k in channel.state._senders)


def test_a_bad_memory_setting_stops_the_channel_only_with_hashing_on(channel_env):
    channel_env.setenv("SENDER_ID_MEMORY_DAYS", "a week")
    assert TelegramInput.from_credentials(None).enabled  # ignored while hashing is off
    channel_env.setenv("SENDER_ID_HASHING", "1")
    with pytest.raises(ValueError, match="SENDER_ID_MEMORY_DAYS"):
        TelegramInput.from_credentials(None)


def test_the_expiry_is_real_time(channel_env):
    """The memory counts from the patient's latest message, in seconds of the clock."""
    channel_env.setenv("SENDER_ID_HASHING", "1")
    channel_env.setenv("SENDER_ID_MEMORY_DAYS", str(0.4 / 86400))
    channel = TelegramInput.from_credentials(None)
    assert abs(channel.senders.seconds - 0.4) < 1e-9

    async def scenario() -> tuple[str | None, str | None]:
        stored = await channel.senders.remember("987654321")
        known = await channel.senders.recall(stored)
        started = time.monotonic()
        await asyncio.sleep(0.5)
        assert time.monotonic() - started >= 0.4
        return known, await channel.senders.recall(stored)

    assert asyncio.run(scenario()) == ("987654321", None)
