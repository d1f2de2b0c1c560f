"""The channels' pieces without the Rasa server: settings, rendering, memories, the command."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from channels.common import (
    Bounded,
    PayloadKeys,
    SeenIds,
    chosen_number,
    chunks,
    cut,
    numbered_options,
    text_only_reply,
)
from channels.meta_whatsapp import MetaWhatsAppInput, MetaWhatsAppOutput
from channels.telegram import TelegramInput, TelegramOutput
from channels.twilio_whatsapp import TwilioWhatsAppInput
from devtools.servers import ROOT
from tests.channels.fakes import BOT_TOKEN, FakeProviders

BUTTONS = [{"title": f"Topic number {i} with a rather long title", "payload": f"/topic_{i}"}
           for i in range(1, 13)]


@pytest.fixture(scope="module")
def fakes():
    running = FakeProviders().start()
    yield running
    running.stop()


# --- shared helpers ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("2", 2), (" 2 ", 2), ("2.", 2), ("2)", 2), ("#3", 3), ("0", None), ("4", None),
    ("2 please", None), ("", None), ("twelve", None),
])
def test_a_reply_that_is_just_a_number(text, expected):
    assert chosen_number(text, 3) == expected


def test_numbered_options():
    text = numbered_options("Pick one.", BUTTONS[:2])
    assert text == ("Pick one.\n\nReply with a number:\n"
                    "1. Topic number 1 with a rather long title\n"
                    "2. Topic number 2 with a rather long title")


def test_chunks_and_cut():
    text = " ".join(["word"] * 300)  # 1499 characters
    pieces = chunks(text, 500)
    assert all(len(p) <= 500 for p in pieces) and " ".join(pieces) == text
    assert chunks("x" * 1200, 500) == ["x" * 500, "x" * 500, "x" * 200]
    assert chunks("   ", 10) == []
    assert cut("What is a trigger point injection?", 20) == "What is a trigger p…"
    assert len(cut("What is a trigger point injection?", 20)) == 20
    assert cut("Short", 20) == "Short"


def test_the_text_only_reply_names_the_emergency_number():
    from clinic import load_profile

    assert f"call {load_profile().emergency_number}" in text_only_reply()
    assert "text" in text_only_reply(with_caption=True)


def test_memories_are_bounded():
    memory = Bounded(size=3)
    for i in range(10):
        memory[i] = i
    assert list(memory) == [7, 8, 9]

    async def check() -> None:  # the memories are async (they may live in Redis)
        seen = SeenIds(size=2)
        assert await seen.first_time("a") and not await seen.first_time("a")
        assert await seen.first_time("b") and await seen.first_time("c")
        assert await seen.first_time("a")
        assert await seen.first_time(None) and await seen.first_time(None)

    asyncio.run(check())


def test_long_payloads_travel_under_a_short_key():
    async def check() -> None:
        keys = PayloadKeys()
        assert await keys.key("/ask_risks", 64) == "/ask_risks"
        long = '/inform{"topic": "' + "x" * 100 + '"}'
        key = await keys.key(long, 64)
        assert len(key.encode()) <= 64 and await keys.payload(key) == long
        assert await keys.payload(PayloadKeys.PREFIX + "forgotten") is None
        typed = PayloadKeys.PREFIX + "typed"
        assert await keys.payload(await keys.key(typed, 64)) == typed

    asyncio.run(check())


# --- settings ---------------------------------------------------------------------------------
ALL_VARIABLES = [name for channel in (TelegramInput, TwilioWhatsAppInput, MetaWhatsAppInput)
                 for name in (*channel.REQUIRED, *channel.OPTIONAL)]


@pytest.fixture
def clean_env(monkeypatch):
    for name in ALL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_credentials_come_only_from_the_environment(clean_env, caplog):
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    with caplog.at_level(logging.WARNING, logger="channels"):
        channel = TelegramInput.from_credentials(
            {"TELEGRAM_SECRET_TOKEN": "from-yml", "secret_token": "from-yml"})
    assert not channel.enabled and channel.get_output_channel() is None
    assert [r.getMessage() for r in caplog.records] == [
        "telegram channel disabled: TELEGRAM_SECRET_TOKEN not set"]


def test_blank_counts_as_unset_and_defaults_apply(clean_env):
    for name in MetaWhatsAppInput.REQUIRED:
        clean_env.setenv(name, "value")
    clean_env.setenv("META_ACCESS_TOKEN", "  ")
    assert MetaWhatsAppInput.from_credentials(None).missing == ["META_ACCESS_TOKEN"]
    clean_env.setenv("META_ACCESS_TOKEN", "token")
    channel = MetaWhatsAppInput.from_credentials(None)
    assert channel.enabled
    assert channel.settings["META_GRAPH_API_URL"] == "https://graph.facebook.com"
    assert channel.settings["META_GRAPH_API_VERSION"] == "v19.0"
    assert channel.get_output_channel()._url == \
        "https://graph.facebook.com/v19.0/value/messages"


def test_twilio_checks_the_public_url_when_set(clean_env):
    for name in TwilioWhatsAppInput.REQUIRED:
        clean_env.setenv(name, "value")
    request = SimpleNamespace(url="http://10.0.0.5:5005/webhooks/twilio_whatsapp/webhook?x=1",
                              query_string="x=1")
    assert TwilioWhatsAppInput.from_credentials(None).signed_url(request) == request.url
    clean_env.setenv("TWILIO_PUBLIC_URL", "https://clinic.example.org/webhooks/twilio_whatsapp/"
                                          "webhook")
    assert TwilioWhatsAppInput.from_credentials(None).signed_url(request) == \
        "https://clinic.example.org/webhooks/twilio_whatsapp/webhook?x=1"


# --- rendering --------------------------------------------------------------------------------
def meta_output() -> MetaWhatsAppOutput:
    return MetaWhatsAppOutput({"META_GRAPH_API_URL": "http://127.0.0.1:9", "META_ACCESS_TOKEN": "t",
                               "META_GRAPH_API_VERSION": "v19.0", "META_PHONE_NUMBER_ID": "1"})


def test_meta_up_to_three_buttons_are_reply_buttons():
    interactive = meta_output().interactive("Body", BUTTONS[:3])
    assert interactive["type"] == "button"
    replies = [b["reply"] for b in interactive["action"]["buttons"]]
    assert [r["id"] for r in replies] == ["/topic_1", "/topic_2", "/topic_3"]
    assert all(len(r["title"]) <= 20 for r in replies)


def test_meta_more_buttons_are_a_list_of_at_most_ten_rows():
    interactive = meta_output().interactive("Body", BUTTONS)
    assert interactive["type"] == "list" and len(interactive["action"]["button"]) <= 20
    [section] = interactive["action"]["sections"]
    rows = section["rows"]
    assert len(rows) == 10 and [r["id"] for r in rows] == [f"/topic_{i}" for i in range(1, 11)]
    assert all(len(r["title"]) <= 24 and len(r["description"]) <= 72 for r in rows)
    assert rows[0]["description"] == BUTTONS[0]["title"]


def test_telegram_long_text_is_split_and_buttons_ride_on_the_last_part(fakes):
    output = TelegramOutput(BOT_TOKEN, fakes.url("telegram"))
    text = " ".join(["sentence"] * 1000)  # 8999 characters

    async def send() -> None:
        await output.send_text_with_buttons("42", text, BUTTONS[:2])
        await output.close()

    asyncio.run(send())
    sent = [c.data for c in fakes.find("telegram", "sendMessage",
                                       lambda c: c.data["chat_id"] == "42")]
    assert len(sent) == 3 and all(len(m["text"]) <= 4096 for m in sent)
    assert ["reply_markup" in m for m in sent] == [False, False, True]
    assert sent[-1]["reply_markup"]["inline_keyboard"][1][0]["callback_data"] == "/topic_2"


def test_a_failed_api_call_is_logged_without_the_message(fakes, caplog):
    output = TelegramOutput("wrong-token", fakes.url("telegram"))

    async def send() -> None:
        await output.send_text_message("43", "my private symptoms")
        await output.close()

    with caplog.at_level(logging.WARNING, logger="channels"):
        asyncio.run(send())
    assert "HTTP 401 (code 401)" in caplog.text
    assert "private symptoms" not in caplog.text and "wrong-token" not in caplog.text


# --- python -m channels.telegram_webhook ---------------------------------------------------------
def webhook_command(fakes, *args, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    environment.update({"PYTHONPATH": str(ROOT), "TELEGRAM_API_URL": fakes.url("telegram"),
                        **env})
    return subprocess.run([sys.executable, "-m", "channels.telegram_webhook", *args], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=60)


def test_the_webhook_command_registers_url_and_secret(fakes):
    url = "https://clinic.example.org/webhooks/telegram/webhook"
    done = webhook_command(fakes, TELEGRAM_BOT_TOKEN=BOT_TOKEN, TELEGRAM_WEBHOOK_URL=url,
                           TELEGRAM_SECRET_TOKEN="s3cret-Token_1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"webhook registered: {url}"
    [call] = fakes.find("telegram", "setWebhook")
    assert call.authorized and call.data["url"] == url
    assert call.data["secret_token"] == "s3cret-Token_1"
    assert set(call.data["allowed_updates"]) == {"message", "edited_message", "callback_query"}

    info = webhook_command(fakes, "--info", TELEGRAM_BOT_TOKEN=BOT_TOKEN)
    assert info.returncode == 0 and f"url: {url}" in info.stdout
    deleted = webhook_command(fakes, "--delete", TELEGRAM_BOT_TOKEN=BOT_TOKEN)
    assert deleted.returncode == 0 and fakes.find("telegram", "deleteWebhook")


def test_the_webhook_command_refuses_bad_settings(fakes):
    before = len(fakes.find("telegram", "setWebhook"))
    missing = webhook_command(fakes, TELEGRAM_BOT_TOKEN=BOT_TOKEN)
    assert missing.returncode == 2
    assert "TELEGRAM_WEBHOOK_URL, TELEGRAM_SECRET_TOKEN not set" in missing.stderr
    bad_secret = webhook_command(fakes, TELEGRAM_BOT_TOKEN=BOT_TOKEN,
                                 TELEGRAM_WEBHOOK_URL="https://x.example/webhooks/telegram/webhook",
                                 TELEGRAM_SECRET_TOKEN="has spaces!")
    assert bad_secret.returncode == 2 and "TELEGRAM_SECRET_TOKEN" in bad_secret.stderr
    wrong_token = webhook_command(fakes, TELEGRAM_BOT_TOKEN="1:wrong",
                                  TELEGRAM_WEBHOOK_URL="https://x.example/webhooks/telegram/webhook",
                                  TELEGRAM_SECRET_TOKEN="ok")
    assert wrong_token.returncode == 1 and "setWebhook failed" in wrong_token.stderr
    assert len(fakes.find("telegram", "setWebhook", lambda c: c.authorized)) == before
