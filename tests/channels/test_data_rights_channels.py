"""Patients' data rights on the messaging channels (docs/data-rights.md), end to end: webhook in,
the real assistant, replies out to the loopback fakes of Telegram, Twilio and Meta.

On each channel: the welcome links the privacy notice; "what do you keep about me?" is answered
with the clinic profile's retention_days; "delete my conversation" offers the two choices as the
channel shows buttons (Telegram: an inline keyboard; Twilio: numbered options, answered with the
number; Meta: reply buttons); "Yes, delete it" deletes every row of the sender in the tracker
database and the confirmation reaches the patient; the next message starts a new conversation
(the welcome again); "No, keep it" keeps everything. The servers and fakes are the `live` and
`fakes` fixtures of tests/channels/conftest.py (started once for the package).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from clinic import load_profile
from content.model import fill, response
from devtools.servers import Servers
from tests.channels import helpers as h
from tests.channels.fakes import FakeProviders
from tests.channels.test_channels_e2e import (
    meta_sent,
    meta_texts,
    tg_sent,
    tg_texts,
    tw_bodies,
)

pytestmark = pytest.mark.servers

DATA_KEPT = "what do you keep about me?"
ERASE = "delete my conversation"
YES, NO = "/confirm_erasure", "/deny_erasure"
CHANNELS = ["telegram", "twilio_whatsapp", "meta_whatsapp"]


def said(name: str, statement: int = 0) -> str:
    """A statement of a response as the patient reads it (the clinic's details filled in),
    without Markdown (links as their text or address, no emphasis)."""
    text = fill(response(name).statements[statement].say, **load_profile().as_slots())
    return re.sub(r"\*\*|__", "", re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text))


def confirmation_titles() -> dict[str, str]:
    """payload -> title of the confirmation question's buttons (content/)."""
    return {b["payload"]: b["title"] for b in response("utter_ask_erasure_confirmation").buttons}


# --- the tracker database ------------------------------------------------------------------------
def stored_events(servers: Servers, sender: str) -> list[tuple[str, str]]:
    """(type, data) of every row of the sender in Rasa's tracker database, oldest first."""
    with sqlite3.connect(servers.env["TRACKER_DB"], timeout=10) as db:
        return db.execute("SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id",
                          (sender,)).fetchall()


def user_texts(servers: Servers, sender: str) -> list[str]:
    return [json.loads(data).get("text") for kind, data in stored_events(servers, sender)
            if kind == "user"]


def erasure_records(servers: Servers, sender: str) -> list[tuple]:
    """The sender's privacy_erasures rows (no console runs here to process them)."""
    with sqlite3.connect(servers.env["TRACKER_DB"], timeout=10) as db:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                          "AND name = 'privacy_erasures'").fetchall():
            return []
        return db.execute("SELECT reason, actor, channel, events FROM privacy_erasures "
                          "WHERE sender_id = ?", (sender,)).fetchall()


# --- a patient on one channel --------------------------------------------------------------------
@dataclass
class Patient:
    channel: str  # the input channel's name, as stored
    sender: str  # the sender id Rasa stores
    write: Callable[[str], object]  # posts the provider's webhook for a text message
    received: Callable[[], list[str]]  # the texts the assistant had the provider send, in order
    choose: Callable[[str], object]  # answers the last offered buttons with the one of this title
    buttons: Callable[[], list[str]]  # the titles of the last offered buttons


def telegram(servers: Servers, fakes: FakeProviders) -> Patient:
    chat = h.new_number()

    def keyboard() -> tuple[dict, list[dict]]:
        [*_, last] = [m for m in tg_sent(fakes, chat) if "reply_markup" in m]
        return last, [b for row in last["reply_markup"]["inline_keyboard"] for b in row]

    def choose(title: str):
        message, buttons = keyboard()
        [data] = [b["callback_data"] for b in buttons if b["text"] == title]
        query = {"id": f"cbq-{h.new_number()}", "from": {"id": chat, "is_bot": False},
                 "message": h.tg_message(chat, message["text"]), "data": data,
                 "chat_instance": "1"}
        answer = h.tg_post(servers, h.tg_update(callback_query=query))
        assert answer.status_code == 200
        assert fakes.find("telegram", "answerCallbackQuery",
                          lambda c: c.data["callback_query_id"] == query["id"])
        return answer

    def write(text: str):
        answer = h.tg_post(servers, h.tg_update(message=h.tg_message(chat, text)))
        assert answer.status_code == 200
        return answer

    return Patient("telegram", str(chat), write, lambda: tg_texts(fakes, chat), choose,
                   lambda: [b["text"] for b in keyboard()[1]])


def twilio(servers: Servers, fakes: FakeProviders) -> Patient:
    sender = h.new_whatsapp_number()

    def options() -> dict[str, str]:
        [*_, last] = [b for b in tw_bodies(fakes, sender) if "Reply with a number:" in b]
        return {title.strip(): number
                for number, title in re.findall(r"^(\d+)\. (.+)$", last, flags=re.M)}

    def write(text: str):
        answer = h.twilio_post(servers, h.twilio_form(sender, text))
        assert answer.status_code == 200
        return answer

    return Patient("twilio_whatsapp", sender, write, lambda: tw_bodies(fakes, sender),
                   lambda title: write(options()[title]), lambda: list(options()))


def meta(servers: Servers, fakes: FakeProviders) -> Patient:
    wa_id = h.new_wa_id()

    def offered() -> tuple[str, dict[str, str]]:
        [*_, last] = [m["interactive"] for m in meta_sent(fakes, wa_id)
                      if m["type"] == "interactive"]
        if last["type"] == "button":
            return "button_reply", {b["reply"]["title"]: b["reply"]["id"]
                                    for b in last["action"]["buttons"]}
        return "list_reply", {row["title"]: row["id"] for section in last["action"]["sections"]
                              for row in section["rows"]}

    def write(text: str):
        answer = h.meta_post(servers, h.meta_notification([h.meta_text(wa_id, text)]))
        assert answer.status_code == 200
        return answer

    def choose(title: str):
        kind, ids = offered()
        reply = h.meta_message(wa_id, "interactive", {
            "type": kind, kind: {"id": ids[title], "title": title}})
        answer = h.meta_post(servers, h.meta_notification([reply]))
        assert answer.status_code == 200
        return answer

    return Patient("meta_whatsapp", wa_id, write, lambda: meta_texts(fakes, wa_id), choose,
                   lambda: list(offered()[1]))


PATIENTS = {"telegram": telegram, "twilio_whatsapp": twilio, "meta_whatsapp": meta}


def new_patient(channel: str, servers: Servers, fakes: FakeProviders) -> Patient:
    return PATIENTS[channel](servers, fakes)


def texts_after(patient: Patient, before: int) -> str:
    return "\n".join(patient.received()[before:])


# === the tests ====================================================================================
@pytest.mark.parametrize("channel", CHANNELS)
def test_the_welcome_links_the_notice_and_what_is_kept_is_answered(live, fakes, channel):
    clinic = load_profile()
    patient = new_patient(channel, live, fakes)
    patient.write("hello")
    welcome = texts_after(patient, 0)
    assert said("utter_welcome") in welcome, welcome
    assert clinic.privacy_notice_url in welcome and str(clinic.retention_days) in welcome, welcome

    before = len(patient.received())
    patient.write(DATA_KEPT)
    answer = texts_after(patient, before)
    assert f"{clinic.retention_days} days" in answer, answer
    assert said("utter_welcome") not in answer  # the same conversation: no second welcome
    assert user_texts(live, patient.sender)[-1] == DATA_KEPT


@pytest.mark.parametrize("channel", CHANNELS)
def test_yes_deletes_the_conversation_and_the_next_message_starts_a_new_one(live, fakes,
                                                                             channel):
    titles = confirmation_titles()
    patient = new_patient(channel, live, fakes)
    patient.write(h.QUESTION)
    assert h.ANSWER in texts_after(patient, 0)

    patient.write(ERASE)
    assert patient.buttons() == [titles[YES], titles[NO]]
    stored = stored_events(live, patient.sender)
    assert user_texts(live, patient.sender) == [h.QUESTION, ERASE]

    before = len(patient.received())
    patient.choose(titles[YES])
    assert said("utter_erasure_done") in texts_after(patient, before), patient.received()
    assert stored_events(live, patient.sender) == [], "the conversation is still stored"
    [(reason, actor, channel_name, events)] = erasure_records(live, patient.sender)
    assert (reason, actor, channel_name) == ("patient_request", "patient", patient.channel)
    assert events >= len(stored)

    before = len(patient.received())
    patient.write(h.QUESTION)
    new = patient.received()[before:]
    assert new and said("utter_welcome") in new[0], new  # the welcome first: a new conversation
    assert h.ANSWER in "\n".join(new)
    assert user_texts(live, patient.sender) == [h.QUESTION]


@pytest.mark.parametrize("channel", CHANNELS)
def test_no_keeps_the_conversation(live, fakes, channel):
    titles = confirmation_titles()
    patient = new_patient(channel, live, fakes)
    patient.write(h.QUESTION)
    patient.write(ERASE)
    before = len(patient.received())
    patient.choose(titles[NO])
    assert said("utter_erasure_kept") in texts_after(patient, before), patient.received()
    texts = user_texts(live, patient.sender)
    assert texts[:2] == [h.QUESTION, ERASE] and len(texts) == 3, texts
    assert erasure_records(live, patient.sender) == []

    before = len(patient.received())
    patient.write(h.QUESTION)
    assert said("utter_welcome") not in texts_after(patient, before)  # the same conversation
    assert user_texts(live, patient.sender)[:2] == [h.QUESTION, ERASE]


def test_the_log_holds_no_patient_text_or_number(live):
    """Run last: after the deletions above, the server log names no patient or their words."""
    log = (live.workdir / "rasa.log").read_text()
    assert not re.search(r"1555\d{8}", log), "a WhatsApp number is in the server log"
    for private in (ERASE, DATA_KEPT, h.QUESTION, "whatsapp:+1555"):
        assert private not in log, f"{private!r} is in the server log"
