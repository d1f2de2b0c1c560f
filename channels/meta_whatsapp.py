"""WhatsApp Cloud API (Meta): channels.meta_whatsapp.MetaWhatsAppInput in credentials.yml.

GET /webhooks/meta_whatsapp/webhook answers Meta's verification handshake; every POST must carry
`X-Hub-Signature-256` = "sha256=" + HMAC-SHA256(META_APP_SECRET, raw body). Text messages and
interactive replies (a button's or list row's id is its payload) go to the assistant; replies go
out through the Graph API, buttons as interactive reply buttons (up to 3) or a list (up to 10).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.common import (
    HttpOutput,
    OnNewMessage,
    PayloadKeys,
    SeenIds,
    StateUnavailable,
    WebhookInput,
    chunks,
    cut,
    error,
    expired_option,
    log_id,
    state_unavailable,
    too_large,
)
from channels.languages import DEFAULT, label

logger = logging.getLogger(__name__)

TEXT_LIMIT, BODY_LIMIT = 4096, 1024  # a text message; the body of an interactive message
MAX_BUTTONS, BUTTON_TITLE, BUTTON_ID = 3, 20, 256
MAX_ROWS, ROW_TITLE, ROW_DESCRIPTION, ROW_ID = 10, 24, 72, 200
NON_TEXT = ("image", "audio", "video", "document", "sticker", "location", "contacts",
            "unsupported")


class MetaWhatsAppOutput(HttpOutput):
    """Sends with POST {META_GRAPH_API_URL}/{version}/{META_PHONE_NUMBER_ID}/messages."""

    LABEL = "WhatsApp via Meta"

    @classmethod
    def name(cls) -> str:
        return "meta_whatsapp"

    def __init__(self, settings: dict[str, str], payload_keys: PayloadKeys | None = None) -> None:
        super().__init__()
        self._url = "/".join([settings["META_GRAPH_API_URL"].rstrip("/"),
                              settings["META_GRAPH_API_VERSION"].strip("/"),
                              settings["META_PHONE_NUMBER_ID"], "messages"])
        self._headers = {"Authorization": f"Bearer {settings['META_ACCESS_TOKEN']}"}
        self.payload_keys = payload_keys or PayloadKeys()

    async def _send(self, recipient_id: str, message: dict[str, Any]) -> None:
        data = {"messaging_product": "whatsapp", "recipient_type": "individual",
                "to": recipient_id, **message}
        sent = await self.request("POST", self._url, "messages", json=data, headers=self._headers)
        if sent is not None:
            logger.debug("meta_whatsapp: message %s sent",
                         log_id((sent.get("messages") or [{}])[0].get("id")))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in chunks(text, TEXT_LIMIT):
            await self._send(recipient_id, {"type": "text",
                                            "text": {"body": part, "preview_url": False}})

    async def send_text_with_buttons(self, recipient_id: str, text: str,
                                     buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        language = await self.language_for(recipient_id)
        parts = chunks(text, BODY_LIMIT) or [label("choose_an_option", language)]
        payloads = [str(b.get("payload") or b.get("title", "")) for b in buttons]
        await self.payload_keys.keys(payloads[:MAX_ROWS],  # long ones kept before they go out
                                     BUTTON_ID if len(buttons) <= MAX_BUTTONS else ROW_ID)
        for part in parts[:-1]:
            await self.send_text_message(recipient_id, part)
        await self._send(recipient_id, {"type": "interactive",
                                        "interactive": self.interactive(parts[-1], buttons,
                                                                        language)})

    def interactive(self, body: str, buttons: list[dict[str, Any]],
                    language: str = DEFAULT) -> dict[str, Any]:
        """Up to 3 buttons as reply buttons, more as a list of up to 10 rows (the list's button
        and section title in `language`)."""
        items = [(str(b.get("title", "")), str(b.get("payload") or b.get("title", "")))
                 for b in buttons]
        if len(items) <= MAX_BUTTONS:
            return {"type": "button", "body": {"text": body}, "action": {"buttons": [
                {"type": "reply", "reply": {"id": self.payload_keys.id_for(payload, BUTTON_ID),
                                            "title": cut(title, BUTTON_TITLE)}}
                for title, payload in items]}}
        if len(items) > MAX_ROWS:
            logger.warning("meta_whatsapp: %d buttons; the list shows the first %d",
                           len(items), MAX_ROWS)
        rows = []
        for title, payload in items[:MAX_ROWS]:
            row = {"id": self.payload_keys.id_for(payload, ROW_ID), "title": cut(title, ROW_TITLE)}
            if len(title) > ROW_TITLE:  # the whole title stays readable below the cut one
                row["description"] = cut(title, ROW_DESCRIPTION)
            rows.append(row)
        return {"type": "list", "body": {"text": body}, "action": {
            "button": label("choose_a_topic", language),
            "sections": [{"title": label("topics", language), "rows": rows}]}}

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send(recipient_id, {"type": "image", "image": {"link": image}})


class MetaWhatsAppInput(WebhookInput):
    """GET (verification) and POST (signed notifications) /webhooks/meta_whatsapp/webhook."""

    REQUIRED = ("META_VERIFY_TOKEN", "META_APP_SECRET", "META_ACCESS_TOKEN",
                "META_PHONE_NUMBER_ID")
    OPTIONAL = {"META_GRAPH_API_URL": "https://graph.facebook.com",
                "META_GRAPH_API_VERSION": "v19.0"}

    @classmethod
    def name(cls) -> str:
        return "meta_whatsapp"

    def __init__(self, settings: dict[str, str], missing: list[str] | None = None) -> None:
        super().__init__(settings, missing)
        self.seen = SeenIds(state=self.state, channel=self.name())
        self.payload_keys = PayloadKeys(state=self.state, channel=self.name())

    def make_output(self) -> MetaWhatsAppOutput:
        return MetaWhatsAppOutput(self.settings, self.payload_keys)

    def signature_matches(self, header: str | None, body: bytes) -> bool:
        secret = self.settings["META_APP_SECRET"].encode()
        expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        return header is not None and hmac.compare_digest(header.strip().encode(),
                                                          expected.encode())

    def routes(self, blueprint: Blueprint, on_new_message: OnNewMessage) -> None:
        @blueprint.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            expected = self.settings["META_VERIFY_TOKEN"].encode()
            if (request.args.get("hub.mode") == "subscribe"
                    and hmac.compare_digest(token.encode(), expected)):
                logger.info("meta_whatsapp: webhook verified")
                return response.text(request.args.get("hub.challenge") or "")
            logger.warning("meta_whatsapp: verification refused")
            return error(403, "verification failed")

        @blueprint.route("/webhook", methods=["POST"])
        async def notification(request: Request) -> HTTPResponse:
            if (refused := too_large(request)) is not None:
                return refused
            if not self.signature_matches(request.headers.get("X-Hub-Signature-256"),
                                          request.body or b""):
                logger.warning("meta_whatsapp: notification refused: invalid signature")
                return error(403, "missing or invalid X-Hub-Signature-256")
            try:
                notification = json.loads(request.body)
                changes = [change for entry in notification["entry"]
                           for change in entry.get("changes", [])]
            except (ValueError, KeyError, TypeError, AttributeError):
                return error(400, "not a WhatsApp Business Account notification")
            try:
                for change in changes:
                    await self.handle_change(change, on_new_message)
            except (KeyError, TypeError, AttributeError):
                return error(400, "not a WhatsApp Business Account notification")
            except StateUnavailable as failure:  # messages handled before it are deduped on retry
                return state_unavailable(self.name(), "notification", failure)
            return response.json({"ok": True})

    async def handle_change(self, change: dict[str, Any], on_new_message: OnNewMessage) -> None:
        value = change.get("value") or {}
        if change.get("field") != "messages":
            return
        phone_number_id = (value.get("metadata") or {}).get("phone_number_id")
        if phone_number_id not in (None, self.settings["META_PHONE_NUMBER_ID"]):
            logger.info("meta_whatsapp: notification for another phone number id ignored")
            return
        if value.get("statuses"):
            logger.debug("meta_whatsapp: %d status updates acknowledged", len(value["statuses"]))
        for message in value.get("messages") or []:
            await self.handle_message(message, on_new_message)

    async def handle_message(self, message: dict[str, Any], on_new_message: OnNewMessage) -> None:
        sender, message_id, kind = str(message["from"]), message.get("id"), message.get("type")
        payload = None
        if kind == "interactive":  # button_reply or list_reply: the id is the payload
            interactive = message["interactive"]  # read before the message is claimed
            payload = await self.payload_keys.payload(str(interactive[interactive["type"]]["id"]))
        if not await self.seen.first_time(message_id):
            logger.info("meta_whatsapp: message %s already handled", log_id(message_id))
            return
        typed = False  # whether the patient wrote the text (its language is read)
        if kind == "text":
            text, typed = message["text"]["body"], True
        elif kind == "interactive":
            text = payload
            if text is None:
                await self.get_output_channel().send_text_message(
                    sender, expired_option(await self.languages.recall(sender)))
                return
        elif kind == "button":  # a template's quick-reply button
            text = message["button"].get("payload") or message["button"].get("text", "")
        elif kind in NON_TEXT:
            content = message.get(kind)
            caption = content.get("caption", "") if isinstance(content, dict) else ""
            caption = caption.strip() if isinstance(caption, str) else ""
            logger.info("meta_whatsapp: message %s is not text; text-only reply",
                        log_id(message_id))
            await self.send_text_only_reply(sender, caption)  # reads the caption's language
            text = caption
        else:  # reactions, system notices, ...
            logger.debug("meta_whatsapp: message %s of type %s ignored", log_id(message_id),
                         kind)
            return
        if isinstance(text, str) and text.strip():
            await self.deliver(on_new_message, text, sender, message_id, typed=typed)
