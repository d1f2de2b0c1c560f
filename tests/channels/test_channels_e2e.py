"""The three messaging channels end to end: webhook in, the real assistant, reply out to a fake.

The action server and the Rasa server run once for the package (`live` and `fakes`,
tests/channels/conftest.py), with test credentials and the URLs of loopback fakes of the Telegram
Bot API, Twilio's Messages API and Meta's Graph API.
"""

from __future__ import annotations

import json
import re

import pytest
import requests

from channels.common import text_only_reply
from clinic import load_profile
from console import rasa_api
from devtools.servers import Servers
from tests.channels import helpers as h
from tests.channels.fakes import (
    BOT_TOKEN,
    DISCONNECT,
    META_TOKEN,
    TWILIO_TOKEN,
)

pytestmark = pytest.mark.servers
POLITE = text_only_reply()
POLITE_WITH_CAPTION = text_only_reply(with_caption=True)


# === Telegram =====================================================================================
def tg_sent(fakes, chat_id) -> list[dict]:
    return [c.data for c in fakes.find("telegram", "sendMessage",
                                       lambda c: c.data.get("chat_id") == str(chat_id))]


def tg_texts(fakes, chat_id) -> list[str]:
    return [m["text"] for m in tg_sent(fakes, chat_id)]


def test_telegram_round_trip(live, fakes):
    chat = h.new_number()
    reply = h.tg_post(live, h.tg_update(message=h.tg_message(chat, h.QUESTION)))
    assert reply.status_code == 200
    assert h.ANSWER in " ".join(tg_texts(fakes, chat))
    assert all(c.authorized for c in fakes.find("telegram"))
    [event] = h.user_events(live, str(chat))
    assert event["text"] == h.QUESTION and event["input_channel"] == "telegram"
    assert event["metadata"]["channel"] == "telegram"
    assert not fakes.find("telegram", "getMe"), "no getMe per message"


def test_telegram_emergency(live, fakes):
    chat = h.new_number()
    h.tg_post(live, h.tg_update(message=h.tg_message(chat, h.EMERGENCY)))
    assert tg_texts(fakes, chat)[0].startswith("🚨")


def test_telegram_buttons_inline_keyboard_and_callback(live, fakes):
    chat = h.new_number()
    h.tg_post(live, h.tg_update(message=h.tg_message(chat, h.QUESTION)))
    [with_keyboard] = [m for m in tg_sent(fakes, chat) if "reply_markup" in m]
    rows = with_keyboard["reply_markup"]["inline_keyboard"]
    titles = h.domain_buttons()
    assert rows and all(len(row) == 1 for row in rows)
    for [button] in rows:
        assert titles[button["text"]] == button["callback_data"]
    chosen = rows[-1][0]["callback_data"]
    query = {"id": "cbq-" + str(h.new_number()), "from": {"id": chat, "is_bot": False},
             "message": h.tg_message(chat, with_keyboard["text"]), "data": chosen,
             "chat_instance": "1"}
    assert h.tg_post(live, h.tg_update(callback_query=query)).status_code == 200
    assert fakes.find("telegram", "answerCallbackQuery",
                      lambda c: c.data["callback_query_id"] == query["id"])
    assert h.user_events(live, str(chat))[-1]["text"] == chosen


def test_telegram_edited_message_is_read_as_text(live, fakes):
    chat = h.new_number()
    h.tg_post(live, h.tg_update(edited_message=h.tg_message(chat, h.EMERGENCY)))
    assert tg_texts(fakes, chat)[0].startswith("🚨")


def test_telegram_start_command_greets(live, fakes):
    chat = h.new_number()
    h.tg_post(live, h.tg_update(message=h.tg_message(chat, "/start")))
    assert h.user_events(live, str(chat))[0]["text"] == "hello"
    assert tg_texts(fakes, chat)


@pytest.mark.parametrize("content", [
    {"sticker": {"file_id": "s1", "width": 512, "height": 512, "is_animated": False}},
    {"photo": [{"file_id": "p1", "width": 90, "height": 90}]},
    {"voice": {"file_id": "v1", "duration": 3}},
    {"document": {"file_id": "d1", "file_name": "report.pdf"}},
    {"location": {"latitude": 40.7, "longitude": -74.0}},
], ids=["sticker", "photo", "voice", "document", "location"])
def test_telegram_non_text_gets_the_polite_reply(live, fakes, content):
    chat = h.new_number()
    assert h.tg_post(live, h.tg_update(message=h.tg_message(chat, **content))).status_code == 200
    assert tg_texts(fakes, chat) == [POLITE]
    assert h.user_events(live, str(chat)) == []


def test_telegram_photo_caption_is_still_read(live, fakes):
    chat = h.new_number()
    h.tg_post(live, h.tg_update(message=h.tg_message(
        chat, photo=[{"file_id": "p1", "width": 9, "height": 9}], caption=h.EMERGENCY)))
    texts = tg_texts(fakes, chat)
    assert texts[0] == POLITE_WITH_CAPTION and texts[1].startswith("🚨")


@pytest.mark.parametrize("secret, raw, status", [
    (None, None, 403),
    ("wrong-secret", None, 403),
    (h.TELEGRAM_SECRET + "x", None, 403),
    ("", None, 403),
    (h.TELEGRAM_SECRET, b"{not json", 400),
    (h.TELEGRAM_SECRET, b'["a list"]', 400),
    (h.TELEGRAM_SECRET, b'{"update_id": 5, "message": {"text": "no chat"}}', 400),
], ids=["unsigned", "wrong-secret", "longer-secret", "empty-secret", "malformed-json",
        "not-an-object", "no-chat"])
def test_telegram_refuses_and_nothing_reaches_the_assistant(live, fakes, secret, raw, status):
    chat = h.new_number()
    update = h.tg_update(message=h.tg_message(chat, h.EMERGENCY))
    assert h.tg_post(live, update, secret=secret, raw=raw).status_code == status
    assert h.user_events(live, str(chat)) == [] and tg_sent(fakes, chat) == []


def test_telegram_redelivered_update_is_handled_once(live, fakes):
    chat = h.new_number()
    update = h.tg_update(message=h.tg_message(chat, h.QUESTION))
    assert h.tg_post(live, update).status_code == 200
    assert h.tg_post(live, update).status_code == 200
    assert len(h.user_events(live, str(chat))) == 1


def test_telegram_group_chats_are_ignored(live, fakes):
    chat = -h.new_number()
    message = h.tg_message(chat, h.QUESTION)
    message["chat"]["type"] = "group"
    assert h.tg_post(live, h.tg_update(message=message)).status_code == 200
    assert h.user_events(live, str(chat)) == [] and tg_sent(fakes, chat) == []


# === WhatsApp via Twilio ==========================================================================
def tw_bodies(fakes, sender) -> list[str]:
    return [c.data["Body"] for c in fakes.find("twilio", "Messages.json",
                                               lambda c: c.data.get("To") == sender)]


def test_twilio_round_trip(live, fakes):
    sender = h.new_whatsapp_number()
    reply = h.twilio_post(live, h.twilio_form(sender, h.QUESTION))
    assert reply.status_code == 200 and "<Response>" in reply.text
    sent = fakes.find("twilio", where=lambda c: c.data.get("To") == sender)
    assert sent and all(c.authorized and c.data["From"] == f"whatsapp:{h.TWILIO_NUMBER}"
                        for c in sent)
    assert h.ANSWER in " ".join(tw_bodies(fakes, sender))
    [event] = h.user_events(live, sender)
    assert event["input_channel"] == "twilio_whatsapp"
    assert event["metadata"]["channel"] == "twilio_whatsapp"


def test_twilio_emergency(live, fakes):
    sender = h.new_whatsapp_number()
    h.twilio_post(live, h.twilio_form(sender, h.EMERGENCY))
    assert tw_bodies(fakes, sender)[0].startswith("🚨")


def test_twilio_buttons_as_numbered_options_and_number_answers(live, fakes):
    sender = h.new_whatsapp_number()
    h.twilio_post(live, h.twilio_form(sender, h.QUESTION))
    [options] = [b for b in tw_bodies(fakes, sender) if "Reply with a number:" in b]
    numbered = re.findall(r"^(\d+)\. (.+)$", options, flags=re.M)
    assert [n for n, _ in numbered] == [str(i) for i in range(1, len(numbered) + 1)]
    expected = h.domain_buttons()[numbered[1][1]]
    h.twilio_post(live, h.twilio_form(sender, " 2 "))
    assert h.user_events(live, sender)[-1]["text"] == expected
    # a number that was not offered stays text
    h.twilio_post(live, h.twilio_form(sender, "9"))
    assert h.user_events(live, sender)[-1]["text"] == "9"


@pytest.mark.parametrize("fields", [
    {"NumMedia": "1", "Body": "", "MediaContentType0": "image/jpeg",
     "MediaUrl0": "https://api.twilio.com/media/1"},
    {"NumMedia": "1", "Body": "", "MediaContentType0": "audio/ogg",
     "MediaUrl0": "https://api.twilio.com/media/2"},
    {"Body": "", "Latitude": "40.7", "Longitude": "-74.0"},
], ids=["image", "voice", "location"])
def test_twilio_non_text_gets_the_polite_reply(live, fakes, fields):
    sender = h.new_whatsapp_number()
    assert h.twilio_post(live, h.twilio_form(sender, "", **fields)).status_code == 200
    assert tw_bodies(fakes, sender) == [POLITE]
    assert h.user_events(live, sender) == []


def _twilio_forgeries():
    def wrong_token(form):
        return {"form": form, "signature": h.twilio_signature(form, token="not-the-token")}

    def unsigned(form):
        return {"form": form, "signature": None}

    def local_url(form):  # signed for the URL the server sees, not the public one
        return {"form": form, "signature": h.twilio_signature(
            form, url="http://127.0.0.1/webhooks/twilio_whatsapp/webhook")}

    def another_body(form):  # a real signature replayed with another message
        return {"form": {**form, "Body": "what is a trigger point injection?"},
                "signature": h.twilio_signature(form)}

    def another_account(form):
        forged = {**form, "AccountSid": "AC" + "9" * 32}
        return {"form": forged, "signature": h.twilio_signature(forged)}

    def no_from(form):  # correctly signed, but not a message
        form = {k: v for k, v in form.items() if k != "From"}
        return {"form": form, "signature": h.twilio_signature(form)}

    def json_body(form):
        return {"form": form, "body": json.dumps(form), "content_type": "application/json"}

    return [(wrong_token, 403), (unsigned, 403), (local_url, 403), (another_body, 403),
            (another_account, 403), (no_from, 400), (json_body, 400)]


@pytest.mark.parametrize("forge, status", _twilio_forgeries(),
                         ids=lambda x: getattr(x, "__name__", str(x)))
def test_twilio_refuses_and_nothing_reaches_the_assistant(live, fakes, forge, status):
    sender = h.new_whatsapp_number()
    request = forge(h.twilio_form(sender, h.EMERGENCY))
    signature = request.get("signature", "sign")
    reply = h.twilio_post(live, request["form"], signature=signature, body=request.get("body"),
                          content_type=request.get("content_type",
                                                   "application/x-www-form-urlencoded"))
    assert reply.status_code == status
    assert h.user_events(live, sender) == [] and tw_bodies(fakes, sender) == []


def test_twilio_exact_replay_is_handled_once(live, fakes):
    sender = h.new_whatsapp_number()
    form = h.twilio_form(sender, h.QUESTION)
    assert h.twilio_post(live, form).status_code == 200
    assert h.twilio_post(live, form).status_code == 200
    assert len(h.user_events(live, sender)) == 1


# === WhatsApp Cloud API (Meta) ====================================================================
def meta_sent(fakes, wa_id) -> list[dict]:
    return [c.data for c in fakes.find("meta", "messages", lambda c: c.data.get("to") == wa_id)]


def meta_texts(fakes, wa_id) -> list[str]:
    return [m["text"]["body"] if m["type"] == "text" else m["interactive"]["body"]["text"]
            for m in meta_sent(fakes, wa_id)]


def test_meta_verification_handshake(live):
    url = f"{live.url}/webhooks/meta_whatsapp/webhook"
    good = {"hub.mode": "subscribe", "hub.verify_token": h.META_VERIFY_TOKEN,
            "hub.challenge": "1158201444"}
    reply = requests.get(url, params=good, timeout=10)
    assert reply.status_code == 200 and reply.text == "1158201444"
    for bad in ({**good, "hub.verify_token": "wrong"}, {**good, "hub.mode": "unsubscribe"},
                {"hub.challenge": "1"}):
        assert requests.get(url, params=bad, timeout=10).status_code == 403


def test_meta_round_trip(live, fakes):
    wa_id = h.new_wa_id()
    reply = h.meta_post(live, h.meta_notification([h.meta_text(wa_id, h.QUESTION)]))
    assert reply.status_code == 200
    sent = fakes.find("meta", where=lambda c: c.data.get("to") == wa_id)
    assert sent and all(c.authorized and c.data["messaging_product"] == "whatsapp"
                        for c in sent)
    assert h.ANSWER in " ".join(meta_texts(fakes, wa_id))
    [event] = h.user_events(live, wa_id)
    assert event["input_channel"] == "meta_whatsapp"
    assert event["metadata"]["channel"] == "meta_whatsapp"


def test_meta_emergency(live, fakes):
    wa_id = h.new_wa_id()
    h.meta_post(live, h.meta_notification([h.meta_text(wa_id, h.EMERGENCY)]))
    assert meta_texts(fakes, wa_id)[0].startswith("🚨")


def test_meta_reply_buttons_list_and_their_ids_as_payloads(live, fakes):
    wa_id = h.new_wa_id()
    titles = h.domain_buttons()
    h.meta_post(live, h.meta_notification([h.meta_text(wa_id, "hello")]))
    [buttons] = [m["interactive"] for m in meta_sent(fakes, wa_id) if m["type"] == "interactive"]
    assert buttons["type"] == "button"
    replies = [b["reply"] for b in buttons["action"]["buttons"]]
    assert 1 <= len(replies) <= 3 and all(len(r["title"]) <= 20 for r in replies)
    assert set(titles.values()) >= {r["id"] for r in replies}
    help_id = titles["What can I ask?"]
    assert help_id in {r["id"] for r in replies}

    reply = h.meta_message(wa_id, "interactive", {
        "type": "button_reply", "button_reply": {"id": help_id, "title": "What can I ask?"}})
    h.meta_post(live, h.meta_notification([reply]))
    assert h.user_events(live, wa_id)[-1]["text"] == help_id
    lists = [m["interactive"] for m in meta_sent(fakes, wa_id)
             if m["type"] == "interactive" and m["interactive"]["type"] == "list"]
    [rows] = [section["rows"] for section in lists[-1]["action"]["sections"]]
    assert 3 < len(rows) <= 10 and all(len(r["title"]) <= 24 for r in rows)
    assert len(lists[-1]["action"]["button"]) <= 20

    chosen = rows[-1]["id"]
    row_reply = h.meta_message(wa_id, "interactive", {
        "type": "list_reply", "list_reply": {"id": chosen, "title": rows[-1]["title"]}})
    h.meta_post(live, h.meta_notification([row_reply]))
    assert h.user_events(live, wa_id)[-1]["text"] == chosen


@pytest.mark.parametrize("kind, content", [
    ("image", {"mime_type": "image/jpeg", "sha256": "x", "id": "media-1"}),
    ("audio", {"mime_type": "audio/ogg; codecs=opus", "sha256": "x", "id": "media-2",
               "voice": True}),
    ("sticker", {"mime_type": "image/webp", "sha256": "x", "id": "media-3"}),
    ("document", {"filename": "report.pdf", "mime_type": "application/pdf", "id": "media-4"}),
    ("location", {"latitude": 40.7, "longitude": -74.0}),
], ids=["image", "voice", "sticker", "document", "location"])
def test_meta_non_text_gets_the_polite_reply(live, fakes, kind, content):
    wa_id = h.new_wa_id()
    reply = h.meta_post(live, h.meta_notification([h.meta_message(wa_id, kind, content)]))
    assert reply.status_code == 200
    assert meta_texts(fakes, wa_id) == [POLITE]
    assert h.user_events(live, wa_id) == []


def test_meta_status_callbacks_are_acknowledged_and_ignored(live, fakes):
    wa_id = h.new_wa_id()
    before = len(fakes.find("meta"))
    statuses = [{"id": "wamid.out1", "status": status, "timestamp": "1700000000",
                 "recipient_id": wa_id} for status in ("sent", "delivered", "read")]
    assert h.meta_post(live, h.meta_notification(statuses=statuses)).status_code == 200
    assert len(fakes.find("meta")) == before
    assert h.user_events(live, wa_id) == []


def _meta_forgeries():
    def wrong_secret(body):
        return {"raw": body, "signature": h.meta_signature(body, secret="not-the-secret")}

    def unsigned(body):
        return {"raw": body, "signature": None}

    def sha1_style(body):
        return {"raw": body, "signature": h.meta_signature(body).replace("sha256=", "sha1=")}

    def another_body(body):  # a real signature replayed with another message
        other = body.replace(h.EMERGENCY.encode(), b"hello")
        return {"raw": other, "signature": h.meta_signature(body)}

    def malformed(body):  # correctly signed, not JSON
        raw = body[:-5]
        return {"raw": raw, "signature": h.meta_signature(raw)}

    def no_entry(body):
        raw = b'{"object": "whatsapp_business_account"}'
        return {"raw": raw, "signature": h.meta_signature(raw)}

    return [(wrong_secret, 403), (unsigned, 403), (sha1_style, 403), (another_body, 403),
            (malformed, 400), (no_entry, 400)]


@pytest.mark.parametrize("forge, status", _meta_forgeries(), ids=lambda x: getattr(
    x, "__name__", str(x)))
def test_meta_refuses_and_nothing_reaches_the_assistant(live, fakes, forge, status):
    wa_id = h.new_wa_id()
    body = json.dumps(h.meta_notification([h.meta_text(wa_id, h.EMERGENCY)])).encode()
    request = forge(body)
    assert h.meta_post(live, raw=request["raw"], signature=request["signature"]).status_code \
        == status
    assert h.user_events(live, wa_id) == [] and meta_sent(fakes, wa_id) == []


def test_meta_other_phone_number_and_duplicates_are_dropped(live, fakes):
    wa_id = h.new_wa_id()
    h.meta_post(live, h.meta_notification([h.meta_text(wa_id, h.QUESTION)],
                                          phone_number_id="999"))
    assert h.user_events(live, wa_id) == [] and meta_sent(fakes, wa_id) == []
    notification = h.meta_notification([h.meta_text(wa_id, h.QUESTION)])
    assert h.meta_post(live, notification).status_code == 200
    assert h.meta_post(live, notification).status_code == 200
    assert len(h.user_events(live, wa_id)) == 1


# === all channels =================================================================================
def test_the_log_holds_ids_and_status_only(live):
    """Run last: after every test above, no message text, number or secret is in the log."""
    sticker = {"file_id": "s1", "width": 512, "height": 512, "is_animated": False}
    h.tg_post(live, h.tg_update(message=h.tg_message(h.new_number(), sticker=sticker)))
    log = (live.workdir / "rasa.log").read_text()
    assert "text-only reply" in log, "the channels log at the server's level (INFO)"
    assert not re.search(r"1555\d{8}", log), "a WhatsApp number is in the server log"
    for private in (h.EMERGENCY, h.QUESTION, "whatsapp:+1555", h.TWILIO_NUMBER, BOT_TOKEN,
                    h.TELEGRAM_SECRET, TWILIO_TOKEN, META_TOKEN, h.META_APP_SECRET,
                    h.META_VERIFY_TOKEN):
        assert private not in log, f"{private!r} is in the server log"


# === Follow-ups keep the topic on every channel ===================================================
FOLLOW_UP = ("what should i do after the injection", "how many days is that usually")


def test_a_follow_up_is_answered_about_the_topic_on_every_channel(live, fakes):
    chat, sender, wa_id = h.new_number(), h.new_whatsapp_number(), h.new_wa_id()
    for text in FOLLOW_UP:
        h.tg_post(live, h.tg_update(message=h.tg_message(chat, text)))
        h.twilio_post(live, h.twilio_form(sender, text))
        h.meta_post(live, h.meta_notification([h.meta_text(wa_id, text)]))
    for conversation in (str(chat), sender, wa_id):
        last = h.user_events(live, conversation)[-1]
        assert last["text"] == FOLLOW_UP[1]
        assert last["parse_data"]["intent"]["name"] in ("ask_aftercare", "ask_activity_after")
        assert last["parse_data"]["follow_up"]["topic"] in ("ask_aftercare", "ask_activity_after")
    # the answer about the days of soreness reached each patient
    assert "days" in tg_texts(fakes, chat)[-2] + tg_texts(fakes, chat)[-1]
    assert "days" in " ".join(tw_bodies(fakes, sender)[-3:])
    assert "days" in " ".join(meta_texts(fakes, wa_id)[-3:])


# === Handoff: a staff member answers on the patient's own channel (docs/handoff.md) ===============
STAFF = "Ada Nurse"


def test_a_staff_reply_reaches_the_patient_on_every_channel(live, fakes):
    """Through console/rasa_api.py, as the console sends it: after take-over the assistant stays
    silent, and the staff member's reply goes out through the provider's API."""
    chat, sender, wa_id = str(h.new_number()), h.new_whatsapp_number(), h.new_wa_id()
    patients = {  # conversation id: (how the patient writes, what the provider was asked to send)
        chat: (lambda text: h.tg_post(live, h.tg_update(message=h.tg_message(int(chat), text))),
               lambda: tg_texts(fakes, chat), "telegram"),
        sender: (lambda text: h.twilio_post(live, h.twilio_form(sender, text)),
                 lambda: tw_bodies(fakes, sender), "twilio_whatsapp"),
        wa_id: (lambda text: h.meta_post(live, h.meta_notification([h.meta_text(wa_id, text)])),
                lambda: meta_texts(fakes, wa_id), "meta_whatsapp"),
    }
    for conversation, (write, received, channel) in patients.items():
        assert write(h.QUESTION).status_code == 200
        rasa_api.take_over(live.url, live.token, conversation, STAFF)
        before = len(received())
        assert write("is anyone there?").status_code == 200
        assert len(received()) == before, f"{channel}: the assistant answered during a handoff"

        words = f"Hello from the clinic on {channel}."
        reply = rasa_api.send_staff_reply(live.url, live.token, conversation, STAFF, words)
        assert (reply.channel, reply.pushed) == (channel, True)
        assert received()[before:] == [f"{STAFF} ({load_profile().name}): {words}"], channel
        bot = [e for e in live.tracker(conversation)["events"] if e["event"] == "bot"][-1]
        assert (bot["text"], bot["metadata"]["staff"]) == (reply.text, STAFF)

        rasa_api.hand_back(live.url, live.token, conversation, STAFF)
        write(h.QUESTION)
        assert h.ANSWER in " ".join(received()[before + 1:]), f"{channel}: not answering again"
    assert all(c.authorized for c in fakes.calls if c.provider in ("telegram", "twilio", "meta"))


# provider: how it fails, what rasa_api's error says (a 4xx is not retried; a dropped connection
# is, once, after 1 s)
PROVIDER_FAILURES = {
    "telegram": (403, {"ok": False, "error_code": 403,
                       "description": "Forbidden: bot was blocked by the user"},
                 "the patient's channel (Telegram) refused the message (HTTP 403, code 403)"),
    "twilio": (400, {"code": 63016, "message": "Outside the allowed window", "status": 400},
               "the patient's channel (WhatsApp via Twilio) refused the message "
               "(HTTP 400, code 63016)"),
    "meta": (DISCONNECT, None,
             "the patient's channel (WhatsApp via Meta) could not be reached ("),
}


def staff_bot_events(servers: Servers, conversation: str) -> list[dict]:
    return [e for e in servers.tracker(conversation)["events"]
            if e["event"] == "bot" and (e.get("metadata") or {}).get("staff")]


def test_a_staff_reply_the_provider_refuses_is_reported_not_sent_and_not_stored(live, fakes):
    """A provider that refuses or cannot be reached: rasa_api raises NotDelivered with the
    channel and the provider's answer, the conversation has no bot event for the reply, and the
    same reply goes through once the provider is back. Assistant replies meanwhile are dropped
    and logged as before: the patient's message is still handled and stored."""
    chat, sender, wa_id = str(h.new_number()), h.new_whatsapp_number(), h.new_wa_id()
    patients = {
        chat: ("telegram", lambda text: h.tg_post(
            live, h.tg_update(message=h.tg_message(int(chat), text))),
            lambda: tg_texts(fakes, chat)),
        sender: ("twilio", lambda text: h.twilio_post(live, h.twilio_form(sender, text)),
                 lambda: tw_bodies(fakes, sender)),
        wa_id: ("meta", lambda text: h.meta_post(
            live, h.meta_notification([h.meta_text(wa_id, text)])),
            lambda: meta_texts(fakes, wa_id)),
    }
    for conversation, (provider, write, received) in patients.items():
        status, body, message = PROVIDER_FAILURES[provider]
        words = f"We will call you today ({provider})."
        try:
            fakes.fail(provider, status, body)
            if provider != "meta":  # an assistant reply meets the failure as it always did
                assert write(h.QUESTION).status_code == 200
                kinds = [e["event"] for e in live.tracker(conversation)["events"]]
                assert "bot" in kinds[kinds.index("user"):], f"{provider}: answer not stored"
                assert received() == [] and fakes.refused, provider
            else:
                fakes.recover(provider)
                assert write(h.QUESTION).status_code == 200
                fakes.fail(provider, status, body)
            rasa_api.take_over(live.url, live.token, conversation, STAFF)
            before = len(received())
            with pytest.raises(rasa_api.NotDelivered) as refused:
                rasa_api.send_staff_reply(live.url, live.token, conversation, STAFF, words)
            assert message in str(refused.value) and refused.value.status is None, provider
            assert "not reachable" not in str(refused.value)  # not "Rasa is down" to the console
            assert [c for c in fakes.refused if words in json.dumps(c.data)], provider
        finally:
            fakes.recover(provider)
        assert staff_bot_events(live, conversation) == [], f"{provider}: stored as if sent"
        assert len(received()) == before, provider

        reply = rasa_api.send_staff_reply(live.url, live.token, conversation, STAFF, words)
        assert received()[before:] == [reply.text], provider
        assert [e["text"] for e in staff_bot_events(live, conversation)] == [reply.text]
        rasa_api.hand_back(live.url, live.token, conversation, STAFF)
