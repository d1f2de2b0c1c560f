"""Building, signing and posting provider webhooks for the channel tests."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import random
import time
import uuid

import requests
from twilio.request_validator import RequestValidator

from content.model import all_messages
from devtools.servers import Servers
from tests.channels.fakes import (
    BOT_TOKEN,
    META_TOKEN,
    PHONE_NUMBER_ID,
    TWILIO_SID,
    TWILIO_TOKEN,
    FakeProviders,
)

TELEGRAM_SECRET = "tg-secret_0123456789"
META_APP_SECRET = "meta-app-secret"
META_VERIFY_TOKEN = "meta-verify-token"
TWILIO_NUMBER = "+14155238886"
TWILIO_PUBLIC_URL = "https://clinic.example.org/webhooks/twilio_whatsapp/webhook"


def channel_env(fakes: FakeProviders) -> dict[str, str]:
    """The settings that enable all three channels against the loopback fake providers."""
    return {
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN, "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_API_URL": fakes.url("telegram"),
        "TWILIO_ACCOUNT_SID": TWILIO_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_WHATSAPP_NUMBER": TWILIO_NUMBER, "TWILIO_PUBLIC_URL": TWILIO_PUBLIC_URL,
        "TWILIO_API_URL": fakes.url("twilio"),
        "META_VERIFY_TOKEN": META_VERIFY_TOKEN, "META_APP_SECRET": META_APP_SECRET,
        "META_ACCESS_TOKEN": META_TOKEN, "META_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "META_GRAPH_API_URL": fakes.url("meta"),
    }

EMERGENCY = "since the injection i can't breathe properly"
QUESTION = "what is a trigger point injection?"
ANSWER = "shot of medicine"  # in the answer to QUESTION (content/answers/what_is_tpi.yml)

_numbers = itertools.count(random.randint(10_000_000, 90_000_000))


def new_number() -> int:
    return next(_numbers)


def user_events(servers: Servers, sender: str) -> list[dict]:
    return [e for e in servers.tracker(sender)["events"] if e["event"] == "user"]


def domain_buttons() -> dict[str, str]:
    """Every button title of the assistant's responses and its payload."""
    return {button["title"]: button["payload"]
            for message in all_messages() for button in message.buttons}


# --- Telegram ---------------------------------------------------------------------------------
def tg_update(**content) -> dict:
    return {"update_id": new_number(), **content}


def tg_message(chat_id: int, text: str | None = None, **content) -> dict:
    message = {"message_id": new_number(), "date": int(time.time()),
               "chat": {"id": chat_id, "type": "private", "first_name": "Pat"},
               "from": {"id": chat_id, "is_bot": False, "first_name": "Pat"}, **content}
    if text is not None:
        message["text"] = text
    return message


def tg_post(servers: Servers, update: dict | None = None, secret: str | None = TELEGRAM_SECRET,
            raw: bytes | None = None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    body = raw if raw is not None else json.dumps(update).encode()
    return requests.post(f"{servers.url}/webhooks/telegram/webhook", data=body,
                         headers=headers, timeout=60)


# --- Twilio -----------------------------------------------------------------------------------
def twilio_form(sender: str, body: str, **fields: str) -> dict[str, str]:
    sid = "SM" + uuid.uuid4().hex
    return {"SmsMessageSid": sid, "NumMedia": "0", "ProfileName": "Pat", "SmsSid": sid,
            "WaId": sender.removeprefix("whatsapp:+"), "SmsStatus": "received", "Body": body,
            "To": f"whatsapp:{TWILIO_NUMBER}", "NumSegments": "1", "ReferralNumMedia": "0",
            "MessageSid": sid, "AccountSid": TWILIO_SID, "From": sender,
            "ApiVersion": "2010-04-01", **fields}


def twilio_signature(form: dict[str, str], url: str = TWILIO_PUBLIC_URL,
                     token: str = TWILIO_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, form)


def twilio_post(servers: Servers, form: dict[str, str], signature: str | None = "sign",
                body: str | bytes | dict | None = None,
                content_type: str = "application/x-www-form-urlencoded") -> requests.Response:
    headers = {"Content-Type": content_type}
    if signature == "sign":
        signature = twilio_signature(form)
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    return requests.post(f"{servers.url}/webhooks/twilio_whatsapp/webhook",
                         data=form if body is None else body, headers=headers, timeout=60)


def new_whatsapp_number() -> str:
    return f"whatsapp:+1555{new_number()}"


# --- Meta -------------------------------------------------------------------------------------
def meta_notification(messages: list | None = None, statuses: list | None = None,
                      phone_number_id: str = PHONE_NUMBER_ID) -> dict:
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550001111",
                          "phone_number_id": phone_number_id}}
    if messages is not None:
        value["contacts"] = [{"profile": {"name": "Pat"}, "wa_id": m["from"]} for m in messages]
        value["messages"] = messages
    if statuses is not None:
        value["statuses"] = statuses
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "WABA-1", "changes": [{"field": "messages", "value": value}]}]}


def meta_message(sender: str, kind: str, content: dict) -> dict:
    return {"from": sender, "id": f"wamid.{uuid.uuid4().hex}", "timestamp": str(int(time.time())),
            "type": kind, kind: content}


def meta_text(sender: str, text: str) -> dict:
    return meta_message(sender, "text", {"body": text})


def meta_signature(body: bytes, secret: str = META_APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def meta_post(servers: Servers, notification: dict | None = None, raw: bytes | None = None,
              signature: str | None = "sign") -> requests.Response:
    body = raw if raw is not None else json.dumps(notification).encode()
    headers = {"Content-Type": "application/json"}
    if signature == "sign":
        signature = meta_signature(body)
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return requests.post(f"{servers.url}/webhooks/meta_whatsapp/webhook", data=body,
                         headers=headers, timeout=60)


def new_wa_id() -> str:
    return f"1555{new_number()}"
