"""The channels' own texts in the patient's language (channels/languages.py, docs/channels.md).

End to end through each channel's webhook (the `live` Rasa server and the loopback `fakes` of
tests/channels/conftest.py, in-process channel state): a patient who writes in Spanish gets the
reply to a photo, an expired button, "Reply with a number:" (Twilio) and the labels of Meta's
interactive list in Spanish, an English patient in English; "ok" or "gracias" keep the language;
the memory holds from one webhook request to the next, and, with REDIS_HOST, from one replica to
the other (the `replicas` and `redis_server` fixtures of test_channel_state_redis.py, reused);
a deletion confirmed in the chat drops it, and so does the console's (or retention's) once
nothing of the patient is left. Then the pieces without a server: the key under
SENDER_ID_HASHING=1, the expiry, replies sent later (no message being handled) and a state that is
down.

Only the channels' own texts are asserted, never the assistant's replies: their language depends
on the trained model.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from dataclasses import dataclass

import pytest

from channels.common import (
    expired_option,
    forget_deleted_sender,
    media_with_caption,
    reply_with_number,
    text_only_reply,
)
from channels.languages import SenderLanguages, label
from channels.meta_whatsapp import MetaWhatsAppInput
from channels.state import LANGUAGE_TTL, InProcessState, RedisState
from channels.telegram import TelegramInput
from channels.twilio_whatsapp import TwilioWhatsAppInput
from clinic.profile import load_profile
from console import rasa_api
from content.model import response
from devtools.servers import Servers
from privacy import identifiers
from production.net import free_port
from tests.channels import helpers as h
from tests.channels import test_channel_state_redis as redis_tests
from tests.channels.fakes import FakeProviders
from tests.channels.test_channels_e2e import meta_sent, meta_texts, tg_texts, tw_bodies
from tests.channels.test_data_rights_channels import stored_events

# The Redis replicas of test_channel_state_redis.py (module-scoped: started again for this module).
redis_server = redis_tests.redis_server
replicas = redis_tests.replicas

CHANNELS = ["telegram", "twilio_whatsapp", "meta_whatsapp"]
SPANISH = "¿Qué es una inyección en un punto gatillo?"  # decides Spanish
CAPTION = "¿Puedo ducharme después de la inyección?"  # decides Spanish
ERASE, YES, NO = "/request_erasure", "/confirm_erasure", "/deny_erasure"  # decide nothing
EXPIRED_KEY = "#p:" + "0" * 24  # a long payload's key the state never held
HELP = "/ask_help"  # Meta: the help reply's buttons come as an interactive list


def media(language: str) -> list[str]:
    """What the channel sends for a photo without a caption, in `language`."""
    return [text_only_reply(language=language)]


def test_the_spanish_texts_differ_from_the_english_ones():
    """Otherwise the tests below could not tell the languages apart."""
    for text in (lambda language: text_only_reply(language=language), media_with_caption,
                 expired_option, reply_with_number):
        assert text("es") != text("en")
    for name in ("choose_an_option", "choose_a_topic", "topics"):
        assert label(name, "es") != label(name, "en")
    assert len(label("choose_a_topic", "es")) <= 20 and len(label("topics", "es")) <= 24


# --- a patient on one channel, through its webhook ----------------------------------------------
@dataclass
class Patient:
    """One patient of one channel; every method posts the provider's webhook to `servers` and
    returns what the channel sent the patient because of it."""

    channel: str
    sender: str  # the sender id, as Rasa and the state's key hold it (hashing off)
    fakes: FakeProviders

    def texts(self) -> list[str]:
        if self.channel == "telegram":
            return tg_texts(self.fakes, self.sender)
        if self.channel == "twilio_whatsapp":
            return tw_bodies(self.fakes, self.sender)
        return meta_texts(self.fakes, self.sender)

    def _post(self, servers: Servers, post) -> list[str]:
        before = len(self.texts())
        answer = post()
        assert answer.status_code == 200, answer.text
        return self.texts()[before:]

    def write(self, servers: Servers, text: str) -> list[str]:
        if self.channel == "telegram":
            update = h.tg_update(message=h.tg_message(int(self.sender), text))
            return self._post(servers, lambda: h.tg_post(servers, update))
        if self.channel == "twilio_whatsapp":
            form = h.twilio_form(self.sender, text)
            return self._post(servers, lambda: h.twilio_post(servers, form))
        notification = h.meta_notification([h.meta_text(self.sender, text)])
        return self._post(servers, lambda: h.meta_post(servers, notification))

    def photo(self, servers: Servers, caption: str = "") -> list[str]:
        if self.channel == "telegram":
            message = h.tg_message(int(self.sender), photo=[
                {"file_id": "f-1", "file_unique_id": "u-1", "width": 90, "height": 90}])
            if caption:
                message["caption"] = caption
            update = h.tg_update(message=message)
            return self._post(servers, lambda: h.tg_post(servers, update))
        if self.channel == "twilio_whatsapp":
            form = h.twilio_form(self.sender, caption, NumMedia="1",
                                 MediaContentType0="image/jpeg",
                                 MediaUrl0="https://api.twilio.com/media/1")
            return self._post(servers, lambda: h.twilio_post(servers, form))
        image = {"mime_type": "image/jpeg", "sha256": "x", "id": "media-1"}
        if caption:
            image["caption"] = caption
        notification = h.meta_notification([h.meta_message(self.sender, "image", image)])
        return self._post(servers, lambda: h.meta_post(servers, notification))

    def press(self, servers: Servers, data: str) -> list[str]:
        """Press a button whose callback data (Telegram) or id (Meta) is `data`."""
        if self.channel == "telegram":
            query = {"id": f"cbq-{h.new_number()}", "from": {"id": int(self.sender)},
                     "message": h.tg_message(int(self.sender), "Pick one"), "data": data,
                     "chat_instance": "1"}
            return self._post(servers, lambda: h.tg_post(servers, h.tg_update(
                callback_query=query)))
        assert self.channel == "meta_whatsapp"
        reply = h.meta_message(self.sender, "interactive", {
            "type": "button_reply", "button_reply": {"id": data, "title": "Pick"}})
        return self._post(servers, lambda: h.meta_post(servers, h.meta_notification([reply])))

    def choose(self, servers: Servers, payload: str, offered: list[str]) -> list[str]:
        """Answer the erasure question (whose replies are `offered`) with the button of
        `payload`, as the channel shows it."""
        if self.channel == "twilio_whatsapp":
            [options] = [text for text in offered if re.search(r"^1\. ", text, flags=re.M)]
            numbered = dict(re.findall(r"^(\d+)\. (.+)$", options, flags=re.M))
            message = response("utter_ask_erasure_confirmation")
            [index] = [i for i, b in enumerate(message.buttons) if b["payload"] == payload]
            titles = {message.buttons[index]["title"], message.button_titles_es[index]}
            [number] = [n for n, title in numbered.items() if title.strip() in titles]
            return self.write(servers, number)
        if self.channel == "telegram":
            [*_, keyboard] = [m["reply_markup"]["inline_keyboard"] for m in tg_sent(
                self.fakes, self.sender) if "reply_markup" in m]
            assert payload in [b["callback_data"] for row in keyboard for b in row]
        else:
            [*_, buttons] = [m["interactive"] for m in meta_sent(self.fakes, self.sender)
                             if m["type"] == "interactive"]
            assert payload in [b["reply"]["id"] for b in buttons["action"]["buttons"]]
        return self.press(servers, payload)


def tg_sent(fakes: FakeProviders, chat: str) -> list[dict]:
    return [c.data for c in fakes.find("telegram", "sendMessage",
                                       lambda c: c.data.get("chat_id") == chat)]


def new_patient(channel: str, fakes: FakeProviders) -> Patient:
    sender = {"telegram": lambda: str(h.new_number()),
              "twilio_whatsapp": h.new_whatsapp_number, "meta_whatsapp": h.new_wa_id}[channel]()
    return Patient(channel, sender, fakes)


# === one Rasa server, the state in its process ==================================================
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_spanish_patient_gets_the_spanish_media_text_an_english_one_the_english(
        live, fakes, channel):
    spanish, english, silent = (new_patient(channel, fakes) for _ in range(3))
    spanish.write(live, SPANISH)
    assert spanish.photo(live) == media("es")
    english.write(live, h.QUESTION)
    assert english.photo(live) == media("en")
    assert silent.photo(live) == media("en"), "English is the default"
    assert spanish.photo(live) == media("es"), "one patient's language is not another's"


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_spanish_emergency_is_answered_in_spanish_with_the_emergency_number(
        live, fakes, channel):
    """Issue 17: a Spanish-speaking patient's emergency, through the channel they write in."""
    number = load_profile().emergency_number
    patient = new_patient(channel, fakes)
    patient.write(live, "hola")
    sent = patient.write(live, "desde el piquete no puedo respirar bien y se me hinchan los labios")
    assert sent and sent[0].startswith(f"🚨 Llame al {number} ahora."), sent
    # ... and a what-if in the same words is answered, not escalated
    other = new_patient(channel, fakes)
    other.write(live, "hola")
    sent = other.write(live, "¿y si no puedo respirar bien después del piquete?")
    assert sent and not any(text.startswith(("🚨", "⚠️")) for text in sent), sent
    assert number in " ".join(sent), "the what-if's answer names the emergency number"


@pytest.mark.parametrize("channel", CHANNELS)
def test_short_messages_keep_the_language_and_a_sure_one_changes_it(live, fakes, channel):
    patient = new_patient(channel, fakes)
    patient.write(live, SPANISH)
    for short in ("ok", "gracias", "👍"):
        patient.write(live, short)
        assert patient.photo(live) == media("es"), f"{short!r} changed the language"
    patient.write(live, h.QUESTION)  # a sure English message
    assert patient.photo(live) == media("en")
    patient.write(live, "gracias")  # keeps English as it kept Spanish
    assert patient.photo(live) == media("en")
    patient.write(live, "hola")  # a Spanish greeting decides
    assert patient.photo(live) == media("es")


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_spanish_caption_gets_the_spanish_text_and_is_read(live, fakes, channel):
    patient = new_patient(channel, fakes)
    sent = patient.photo(live, CAPTION)
    assert sent and sent[0] == media_with_caption("es"), sent
    assert h.user_events(live, patient.sender)[-1]["text"] == CAPTION
    assert patient.photo(live) == media("es"), "the caption's language is remembered"

    english = new_patient(channel, fakes)
    sent = english.photo(live, "this is a photo of my back after the injection")
    assert sent and sent[0] == media_with_caption("en"), sent


@pytest.mark.parametrize("channel", ["telegram", "meta_whatsapp"])
def test_an_expired_button_is_answered_in_the_patients_language(live, fakes, channel):
    spanish, english = new_patient(channel, fakes), new_patient(channel, fakes)
    spanish.write(live, SPANISH)
    assert spanish.press(live, EXPIRED_KEY) == [expired_option("es")]
    english.write(live, h.QUESTION)
    assert english.press(live, EXPIRED_KEY) == [expired_option("en")]
    # an expired button changes nothing: the language stays
    assert spanish.photo(live) == media("es")


def test_meta_list_labels_are_in_the_patients_language(live, fakes):
    for text, language in ((SPANISH, "es"), (h.QUESTION, "en")):
        patient = new_patient("meta_whatsapp", fakes)
        patient.write(live, text)
        patient.press(live, HELP)
        lists = [m["interactive"] for m in meta_sent(fakes, patient.sender)
                 if m["type"] == "interactive" and m["interactive"]["type"] == "list"]
        assert lists, "the help reply came without a list"
        assert lists[-1]["action"]["button"] == label("choose_a_topic", language)
        assert [s["title"] for s in lists[-1]["action"]["sections"]] == [label("topics", language)]


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_deletion_drops_the_language_keeping_the_conversation_keeps_it(live, fakes, channel):
    deleted, kept = new_patient(channel, fakes), new_patient(channel, fakes)
    for patient in (deleted, kept):
        patient.write(live, SPANISH)
        offered = patient.write(live, ERASE)
        if channel == "twilio_whatsapp":  # the question's buttons as numbered options
            joined = "\n".join(offered)
            assert reply_with_number("es") in joined and reply_with_number("en") not in joined
        patient.choose(live, YES if patient is deleted else NO, offered)
    assert stored_events(live, deleted.sender) == [], "the deletion did not happen"
    assert stored_events(live, kept.sender), "the kept conversation is gone"
    assert deleted.photo(live) == media("en"), "the deleted patient's language is remembered"
    assert kept.photo(live) == media("es")


def last_event_id(servers: Servers, sender: str) -> int:
    with sqlite3.connect(servers.env["TRACKER_DB"], timeout=10) as db:
        return db.execute("SELECT max(id) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


def staff_erase(servers: Servers, patient: Patient, up_to: int | None = None):
    """An admin's deletion from the console (its client of the Rasa server's endpoint)."""
    reason = "retention" if up_to else "staff_on_request"
    return rasa_api.erase(servers.url, servers.token, patient.sender, reason, "ada", up_to)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_console_deletion_drops_the_language_retention_of_an_older_part_keeps_it(
        live, fakes, channel):
    """The console and retention delete through the Rasa server's endpoint, which knows only the
    stored sender id: the channel forgets the language once nothing of the patient is left."""
    deleted, partly = new_patient(channel, fakes), new_patient(channel, fakes)
    for patient in (deleted, partly):
        patient.write(live, SPANISH)
    old_part = last_event_id(live, partly.sender)
    partly.write(live, "gracias")
    assert staff_erase(live, deleted).events > 0
    assert stored_events(live, deleted.sender) == [], "the deletion did not happen"
    assert deleted.photo(live) == media("en"), "the deleted patient's language is remembered"
    assert staff_erase(live, partly, up_to=old_part).events > 0
    assert stored_events(live, partly.sender), "retention deleted the newer messages too"
    assert partly.photo(live) == media("es"), "a patient who wrote since lost their language"


# === two replicas sharing Redis ================================================================
def language_key(patient: Patient) -> str:
    return f"channels:language:{patient.channel}:{patient.sender}"


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_language_is_kept_in_redis_for_every_replica(replicas, fakes, redis_server,
                                                         channel):
    client = redis_server.client()
    patient = new_patient(channel, fakes)
    patient.write(replicas.a, SPANISH)
    assert client.get(language_key(patient)) == b"es"
    assert LANGUAGE_TTL - 600 < client.ttl(language_key(patient)) <= LANGUAGE_TTL
    assert patient.photo(replicas.b) == media("es")
    patient.write(replicas.b, "ok")
    assert patient.photo(replicas.a) == media("es")
    patient.write(replicas.b, h.QUESTION)  # English is the default: the key goes
    assert not client.exists(language_key(patient))
    assert patient.photo(replicas.a) == media("en")

    english = new_patient(channel, fakes)
    english.write(replicas.a, h.QUESTION)
    assert not client.exists(language_key(english)), "English is never kept"


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_deletion_on_one_replica_drops_the_language_for_all(replicas, fakes, redis_server,
                                                              channel):
    patient = new_patient(channel, fakes)
    patient.write(replicas.a, SPANISH)
    offered = patient.write(replicas.a, ERASE)
    assert redis_server.client().get(language_key(patient)) == b"es"
    patient.choose(replicas.b, YES, offered)
    assert stored_events(replicas.b, patient.sender) == [], "the deletion did not happen"
    assert not redis_server.client().exists(language_key(patient))
    assert patient.photo(replicas.a) == media("en")


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_console_deletion_on_one_replica_drops_the_language_for_all(replicas, fakes,
                                                                      redis_server, channel):
    patient = new_patient(channel, fakes)
    patient.write(replicas.a, SPANISH)
    assert redis_server.client().get(language_key(patient)) == b"es"
    assert staff_erase(replicas.b, patient).events > 0
    assert not redis_server.client().exists(language_key(patient))
    assert patient.photo(replicas.a) == media("en")


# === the pieces, without a server ==============================================================
@pytest.fixture
def channel_env(monkeypatch, fakes, tmp_path):
    """The three channels configured against the fakes, the state in this process."""
    for name, value in h.channel_env(fakes).items():
        monkeypatch.setenv(name, value)
    for name in ("REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "REDIS_DB", "SENDER_ID_HASHING"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SENDER_ID_KEY", "unit-test-key")
    monkeypatch.setenv("SENDER_ID_KEY_FILE", str(tmp_path / "sender_id_key"))
    identifiers.secret_key.cache_clear()
    yield monkeypatch
    identifiers.secret_key.cache_clear()


BUTTONS = [{"title": f"Topic {i}", "payload": f"/topic_{i}"} for i in range(1, 6)]


def test_replies_sent_later_read_the_language_from_the_state(channel_env, fakes):
    """A reply that is not to the message being handled (another task, e.g. sent later) finds
    the language in the channel state: the list labels and the empty body's label of Meta and
    Telegram, and Twilio's numbered options."""
    telegram = TelegramInput.from_credentials(None)
    twilio = TwilioWhatsAppInput.from_credentials(None)
    meta = MetaWhatsAppInput.from_credentials(None)
    chat, number, wa_id = str(h.new_number()), h.new_whatsapp_number(), h.new_wa_id()

    async def note() -> None:
        for channel, sender in ((telegram, chat), (twilio, number), (meta, wa_id)):
            assert await channel.languages.note(sender, SPANISH) == "es"

    async def send() -> None:
        for channel, sender in ((telegram, chat), (twilio, number), (meta, wa_id)):
            await channel.get_output_channel().send_text_with_buttons(sender, "", BUTTONS)
            await channel.get_output_channel().close()

    asyncio.run(note())
    asyncio.run(send())
    [keyboard] = tg_sent(fakes, chat)
    assert keyboard["text"] == label("choose_an_option", "es")
    [body] = tw_bodies(fakes, number)
    assert body.startswith(reply_with_number("es") + "\n1. Topic 1")
    [message] = meta_sent(fakes, wa_id)
    assert message["interactive"]["body"]["text"] == label("choose_an_option", "es")
    assert message["interactive"]["action"]["button"] == label("choose_a_topic", "es")
    assert message["interactive"]["action"]["sections"][0]["title"] == label("topics", "es")


def test_the_key_is_the_stored_sender_id_and_english_is_never_kept(channel_env):
    """Each asyncio.run is a new task: what it recalls comes from the state, not from the
    message being handled."""
    chat = str(h.new_number())
    plain = TelegramInput.from_credentials(None)
    assert asyncio.run(plain.languages.note(chat, SPANISH)) == "es"
    assert list(plain.state._languages) == [("telegram", chat)]
    assert asyncio.run(plain.languages.recall(chat)) == "es"
    assert asyncio.run(plain.languages.recall(str(h.new_number()))) == "en"
    assert asyncio.run(plain.languages.note(chat, h.QUESTION)) == "en"
    assert list(plain.state._languages) == [], "English is kept"
    assert asyncio.run(plain.languages.recall(chat)) == "en"

    channel_env.setenv("SENDER_ID_HASHING", "1")
    hashed = TelegramInput.from_credentials(None)
    assert asyncio.run(hashed.languages.note(chat, SPANISH)) == "es"
    [(name, stored)] = list(hashed.state._languages)
    assert name == "telegram" and stored == identifiers.keyed_hash(chat) and chat not in stored
    assert asyncio.run(hashed.languages.recall(chat)) == "es"
    asyncio.run(hashed.languages.forget(chat))
    assert list(hashed.state._languages) == []
    assert asyncio.run(hashed.languages.recall(chat)) == "en"


def test_a_deletion_outside_the_chat_forgets_the_language_and_the_number(channel_env):
    """What the Rasa server's deletion endpoint calls with the stored id it knows: the channel
    of that name forgets the sender's language and the number kept for staff replies; the other
    channels and other senders keep theirs."""
    channel_env.setenv("SENDER_ID_HASHING", "1")
    telegram, meta = TelegramInput.from_credentials(None), MetaWhatsAppInput.from_credentials(None)
    chat, other = str(h.new_number()), str(h.new_number())

    async def scenario() -> list:
        for raw in (chat, other):
            await telegram.languages.note(raw, SPANISH)
            await telegram.senders.remember(raw)
        await meta.languages.note(chat, SPANISH)
        stored = identifiers.keyed_hash(chat)
        await forget_deleted_sender("telegram", stored)
        await forget_deleted_sender("rest", stored)  # a channel that remembers nothing
        return [await telegram.languages.recall(chat), await telegram.senders.recall(stored),
                await telegram.languages.recall(other),
                await telegram.senders.recall(identifiers.keyed_hash(other)),
                await meta.languages.recall(chat)]

    assert asyncio.run(scenario()) == ["en", None, "es", other, "es"]


def test_the_language_expires_and_each_message_starts_the_time_again():
    languages = SenderLanguages(InProcessState(), "telegram", seconds=0.4)

    async def scenario() -> list[str | None]:
        assert await languages.note("1", SPANISH) == "es"
        await asyncio.sleep(0.25)
        assert await languages.note("1", "gracias") == "es"  # kept, and the time starts again
        await asyncio.sleep(0.25)  # 0.5 s after the Spanish message, 0.25 s after "gracias"
        kept = [await languages.state.load_language("telegram", "1")]
        await asyncio.sleep(0.25)
        return [*kept, await languages.state.load_language("telegram", "1")]

    assert asyncio.run(scenario()) == ["es", None]
    assert asyncio.run(languages.recall("1")) == "en"


def test_a_state_that_is_down_never_stops_the_text(caplog):
    """Redis down: the text decides for its own message, later ones get English; three errors
    logged, with neither the message nor the number."""
    state = RedisState("127.0.0.1", free_port())  # nothing listens there
    languages = SenderLanguages(state, "meta_whatsapp")

    async def run(step):
        try:
            return await step
        finally:
            await state.close()

    with caplog.at_level("ERROR", logger="channels"):
        assert asyncio.run(run(languages.note("15550001", SPANISH))) == "es"
        assert asyncio.run(run(languages.recall("15550001"))) == "en"
        asyncio.run(run(languages.forget("15550001")))
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 3 and all(m.startswith("meta_whatsapp: ") for m in errors), errors
    assert not any(SPANISH in m or "15550001" in m for m in errors)
