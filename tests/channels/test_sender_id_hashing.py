"""SENDER_ID_HASHING=1 end to end (docs/data-rights.md, section 5): webhook in, the real
assistant, reply out to a loopback fake provider, with Rasa storing only keyed hashes.

One more action server and Rasa server for this module, with hashing on, a known SENDER_ID_KEY
(the hashes are computed here independently, with hmac) and a memory of the real ids of
MEMORY_SECONDS (in the in-process channel state: no REDIS_HOST). A few patients write right after
the start, so that by the last tests their numbers are forgotten without a long wait.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import re
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import requests

from clinic import load_profile
from console import rasa_api
from devtools.servers import Servers
from tests.channels import helpers as h
from tests.channels.fakes import FakeProviders

pytestmark = pytest.mark.servers
KEY = "sender-id-key-of-the-hashing-tests"
MEMORY_SECONDS = 20  # a staff reply right after a message is in time; soon after, forgotten
MEMORY_DAYS = MEMORY_SECONDS / 86400
STAFF = "Ada Nurse"
CHANNELS = ["telegram", "twilio_whatsapp", "meta_whatsapp"]


def expected_hash(raw: str) -> str:
    return "h-" + hmac.new(KEY.encode(), f"sender:{raw}".encode(),
                           hashlib.sha256).hexdigest()[:40]


@dataclass
class Patient:
    """One patient on one channel: the id the provider knows, and every form of it (and of the
    provider's message ids, which may carry it) that Rasa must never store or log."""
    channel: str
    raw: str
    post: Callable[[str], requests.Response]
    received: Callable[[], list[str]]
    secrets: list[str] = field(default_factory=list)

    @property
    def stored(self) -> str:
        return expected_hash(self.raw)

    def write(self, text: str) -> requests.Response:
        reply = self.post(text)
        assert reply.status_code == 200, (self.channel, reply.status_code)
        return reply


PATIENTS: list[Patient] = []  # every patient of the module, for the database and log checks


def wamid(wa_id: str) -> str:
    """A WhatsApp message id as Meta makes them: the sender's number inside, in base64."""
    inner = (b"\x1c\x18\x0c" + wa_id.encode() + b"\x15\x02\x00\x12\x18\x14"
             + uuid.uuid4().hex[:20].upper().encode() + b"\x00")
    return "wamid." + base64.b64encode(inner).decode()


def new_patient(channel: str, servers: Servers, fakes: FakeProviders) -> Patient:
    if channel == "telegram":
        chat = random.randint(6_000_000_000, 6_999_999_999)  # ten digits, as Telegram's ids
        patient = Patient(channel, str(chat), lambda text: h.tg_post(
            servers, h.tg_update(message=h.tg_message(chat, text))),
            lambda: [c.data["text"] for c in fakes.find(
                "telegram", "sendMessage", lambda c: c.data.get("chat_id") == str(chat))])
    elif channel == "twilio_whatsapp":
        sender = h.new_whatsapp_number()
        patient = Patient(channel, sender, lambda text: h.twilio_post(
            servers, h.twilio_form(sender, text)),
            lambda: [c.data["Body"] for c in fakes.find(
                "twilio", "Messages.json", lambda c: c.data.get("To") == sender)])
        patient.secrets.append(sender.removeprefix("whatsapp:+"))
    else:
        wa_id = h.new_wa_id()

        def post(text: str) -> requests.Response:
            message = {**h.meta_text(wa_id, text), "id": wamid(wa_id)}
            patient.secrets.append(message["id"])
            return h.meta_post(servers, h.meta_notification([message]))

        patient = Patient(channel, wa_id, post, lambda: meta_texts(fakes, wa_id))
    patient.secrets.append(patient.raw)
    PATIENTS.append(patient)
    return patient


def meta_sent(fakes: FakeProviders, wa_id: str) -> list[dict]:
    return [c.data for c in fakes.find("meta", "messages", lambda c: c.data.get("to") == wa_id)]


def meta_texts(fakes: FakeProviders, wa_id: str) -> list[str]:
    return [m["text"]["body"] if m["type"] == "text" else m["interactive"]["body"]["text"]
            for m in meta_sent(fakes, wa_id)]


@dataclass
class Hashed:
    servers: Servers
    fakes: FakeProviders
    early: list[Patient]  # wrote once right after the start, nothing since
    early_done: float  # time.monotonic() when the last of them was answered

    def patient(self, channel: str) -> Patient:
        return new_patient(channel, self.servers, self.fakes)


@pytest.fixture(scope="module")
def fakes():
    running = FakeProviders().start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def hashed_live(fakes, tmp_path_factory):
    """Action server and Rasa server with all three channels and SENDER_ID_HASHING=1."""
    env = {**h.channel_env(fakes), "SENDER_ID_HASHING": "1", "SENDER_ID_KEY": KEY,
           "SENDER_ID_MEMORY_DAYS": str(MEMORY_DAYS), "REDIS_HOST": ""}
    servers = Servers(tmp_path_factory.mktemp("hashed"), extra_env=env)
    try:
        servers.start_both()
        early = [new_patient(channel, servers, fakes) for channel in CHANNELS]
        for patient in early:
            patient.write(h.QUESTION)
        yield Hashed(servers, fakes, early, time.monotonic())
    finally:
        servers.stop()


def user_texts(servers: Servers, patient: Patient) -> list[str]:
    return [e["text"] for e in h.user_events(servers, patient.stored)]


def database_rows(servers: Servers) -> dict[str, list[dict]]:
    """Every row of every table of the test server's tracker database (SQLite)."""
    path = servers.workdir / "tracker.db"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        db.row_factory = sqlite3.Row
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = "
                                               "'table'")]
        return {table: [dict(row) for row in db.execute(f'SELECT * FROM "{table}"')]
                for table in tables}


# === replies reach the real id, Rasa stores the hash ============================================
@pytest.mark.parametrize("channel", CHANNELS)
def test_answers_and_the_emergency_reply_reach_the_real_id_and_only_the_hash_is_stored(
        hashed_live, channel):
    patient = hashed_live.patient(channel)
    patient.write(h.QUESTION)
    assert h.ANSWER in " ".join(patient.received())
    before = len(patient.received())
    patient.write(h.EMERGENCY)  # the same number again: the same conversation
    assert patient.received()[before:][0].startswith("🚨")

    assert user_texts(hashed_live.servers, patient) == [h.QUESTION, h.EMERGENCY]
    events = hashed_live.servers.tracker(patient.stored)["events"]
    for event in (e for e in events if e["event"] == "user"):
        assert event["input_channel"] == channel and event["metadata"]["channel"] == channel
        assert re.fullmatch(r"m-[0-9a-f]{20}", event["metadata"]["message_id"])
    assert any(e["event"] == "bot" and e["text"].startswith("🚨") for e in events)

    rows = database_rows(hashed_live.servers)["events"]
    senders = {row["sender_id"] for row in rows}
    assert patient.stored in senders and patient.raw not in senders
    mine = [row for row in rows if row["sender_id"] == patient.stored]
    assert sum(row["type_name"] == "user" for row in mine) == 2
    assert h.EMERGENCY in " ".join(row["data"] for row in mine), "the search finds text"
    for row in rows:
        stored = json.dumps(row, default=str)
        for secret in patient.secrets:
            assert secret not in stored, f"{channel}: {secret!r} is in the events table"


def test_buttons_inline_keyboards_and_numbered_options_still_resolve(hashed_live):
    servers, fakes = hashed_live.servers, hashed_live.fakes
    titles = h.domain_buttons()

    # WhatsApp through Twilio: numbered options, answered with a number
    twilio = hashed_live.patient("twilio_whatsapp")
    twilio.write(h.QUESTION)
    [options] = [b for b in twilio.received() if "Reply with a number:" in b]
    numbered = re.findall(r"^(\d+)\. (.+)$", options, flags=re.M)
    assert len(numbered) >= 2
    twilio.write(" 2 ")
    assert user_texts(servers, twilio)[-1] == titles[numbered[1][1]]

    # Telegram: the inline keyboard reached the chat, a tap is read as its payload
    telegram = hashed_live.patient("telegram")
    telegram.write(h.QUESTION)
    [keyboard] = [c.data for c in fakes.find("telegram", "sendMessage", lambda c: c.data.get(
        "chat_id") == telegram.raw and "reply_markup" in c.data)]
    chosen = keyboard["reply_markup"]["inline_keyboard"][-1][0]["callback_data"]
    query = {"id": f"cbq-{uuid.uuid4().hex}", "from": {"id": int(telegram.raw), "is_bot": False},
             "message": h.tg_message(int(telegram.raw), keyboard["text"]), "data": chosen,
             "chat_instance": "1"}
    telegram.secrets.append(query["id"])
    assert h.tg_post(servers, h.tg_update(callback_query=query)).status_code == 200
    assert user_texts(servers, telegram)[-1] == chosen

    # WhatsApp Cloud API: reply buttons reached the number, a tap is read as its id
    meta = hashed_live.patient("meta_whatsapp")
    meta.write("hello")
    [buttons] = [m["interactive"] for m in meta_sent(fakes, meta.raw)
                 if m["type"] == "interactive"]
    help_id = titles["What can I ask?"]
    assert help_id in {b["reply"]["id"] for b in buttons["action"]["buttons"]}
    reply = {**h.meta_message(meta.raw, "interactive", {
        "type": "button_reply", "button_reply": {"id": help_id, "title": "What can I ask?"}}),
        "id": wamid(meta.raw)}
    meta.secrets.append(reply["id"])
    assert h.meta_post(servers, h.meta_notification([reply])).status_code == 200
    assert user_texts(servers, meta)[-1] == help_id


# === staff replies (docs/handoff.md), as the console sends them through Rasa's HTTP API ========
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_staff_reply_reaches_the_real_id(hashed_live, channel):
    servers = hashed_live.servers
    patient = hashed_live.patient(channel)
    patient.write(h.QUESTION)
    rasa_api.take_over(servers.url, servers.token, patient.stored, STAFF)
    before = len(patient.received())
    patient.write("is anyone there?")
    assert len(patient.received()) == before, "the assistant answered during a handoff"

    words = f"We can see you on Tuesday ({channel})."
    reply = rasa_api.send_staff_reply(servers.url, servers.token, patient.stored, STAFF, words)
    assert (reply.channel, reply.pushed) == (channel, True)
    assert patient.received()[before:] == [f"{STAFF} ({load_profile().name}): {words}"]
    bot = [e for e in servers.tracker(patient.stored)["events"] if e["event"] == "bot"][-1]
    assert (bot["text"], bot["metadata"]["staff"]) == (reply.text, STAFF)
    rasa_api.hand_back(servers.url, servers.token, patient.stored, STAFF)


def staff_bot_events(servers: Servers, patient: Patient) -> list[dict]:
    return [e for e in servers.tracker(patient.stored)["events"]
            if e["event"] == "bot" and (e.get("metadata") or {}).get("staff")]


LABELS = {"telegram": "Telegram", "twilio_whatsapp": "WhatsApp via Twilio",
          "meta_whatsapp": "WhatsApp via Meta"}


def test_a_staff_reply_is_refused_once_the_number_is_forgotten(hashed_live):
    """The early patients wrote once, MEMORY_SECONDS ago: the channel state has forgotten their
    numbers, so the reply is reported not sent and not stored. Once a patient writes again the
    number is known again and the same reply goes through."""
    servers = hashed_live.servers
    wait = hashed_live.early_done + MEMORY_SECONDS + 1.5 - time.monotonic()
    if wait > 0:
        time.sleep(wait)
    for patient in hashed_live.early:
        assert user_texts(servers, patient) == [h.QUESTION]
        before = len(patient.received())
        words = f"Please call the clinic ({patient.channel})."
        with pytest.raises(rasa_api.NotDelivered) as refused:
            rasa_api.send_staff_reply(servers.url, servers.token, patient.stored, STAFF, words)
        message = str(refused.value)
        assert refused.value.status is None
        assert f"the patient's channel ({LABELS[patient.channel]}) " in message, message
        assert "the patient's number is no longer known" in message, message
        assert staff_bot_events(servers, patient) == [], "stored as if sent"
        assert len(patient.received()) == before

        patient.write("hello again")
        assert user_texts(servers, patient) == [h.QUESTION, "hello again"]
        sent_before = len(patient.received())
        reply = rasa_api.send_staff_reply(servers.url, servers.token, patient.stored, STAFF,
                                          words)
        assert patient.received()[sent_before:] == [reply.text]
        assert [e["text"] for e in staff_bot_events(servers, patient)] == [reply.text]


# === what the server kept and logged =============================================================
def test_nothing_stored_or_logged_holds_a_number_or_chat_id(hashed_live):
    """Run last: after every test above, the whole tracker database and the server log hold the
    hashes and none of the patients' ids, nor the message ids that carry them."""
    servers = hashed_live.servers
    assert len(PATIENTS) >= len(CHANNELS)
    tables = database_rows(servers)
    stored = json.dumps(tables, default=str)
    senders = {row["sender_id"] for row in tables["events"]}
    assert {patient.stored for patient in PATIENTS} <= senders
    assert all(sender.startswith("h-") for sender in senders), senders
    log = (servers.workdir / "rasa.log").read_text()
    for channel in CHANNELS:
        assert f"{channel}: sender ids stored as keyed hashes" in log
    for patient in PATIENTS:
        for secret in patient.secrets:
            assert secret not in stored, f"{secret!r} ({patient.channel}) is in the database"
            assert secret not in log, f"{secret!r} ({patient.channel}) is in the server log"
    assert not re.search(r"1555\d{8}", log), "a WhatsApp number is in the server log"
