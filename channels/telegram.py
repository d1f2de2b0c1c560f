"""Telegram channel (Bot API webhook): channels.telegram.TelegramInput in credentials.yml.

Unlike Rasa's stock connector it makes no Telegram call at start-up (`python -m
channels.telegram_webhook` registers the webhook), no getMe per message, and it accepts only
updates that carry the secret token in `X-Telegram-Bot-Api-Secret-Token`.
"""

from __future__ import annotations

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
    error_code,
    expired_option,
    log_id,
    sending_staff_reply,
    state_unavailable,
    too_large,
)
from channels.languages import label

logger = logging.getLogger(__name__)

TEXT_LIMIT = 4096
CALLBACK_DATA_BYTES = 64
NON_TEXT = ("sticker", "photo", "voice", "audio", "video", "video_note", "document", "animation",
            "location", "venue", "contact", "poll", "dice")


class TelegramOutput(HttpOutput):
    """Sends through the Bot API (TELEGRAM_API_URL, a self-hosted Bot API server works too)."""

    LABEL = "Telegram"

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, token: str, api_url: str, payload_keys: PayloadKeys | None = None) -> None:
        super().__init__()
        self._base = f"{api_url.rstrip('/')}/bot{token}"
        self.payload_keys = payload_keys or PayloadKeys()

    async def call(self, method: str, payload: dict[str, Any]) -> Any:
        """One Bot API method; its `result`, or None when the call failed."""
        data = await self.request("POST", f"{self._base}/{method}", method, json=payload)
        if not isinstance(data, dict) or not data.get("ok"):
            if data is not None:
                logger.warning("telegram: %s answered ok=false", method)
                if sending_staff_reply():
                    raise self.not_delivered(f"refused the message (ok=false, {error_code(data)})")
            return None
        return data.get("result")

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in chunks(text, TEXT_LIMIT):
            await self.call("sendMessage", {"chat_id": recipient_id, "text": part})

    async def send_text_with_buttons(self, recipient_id: str, text: str,
                                     buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        """The text with an inline keyboard, one button per row (the titles are sentences)."""
        data = await self.payload_keys.keys(
            [str(button.get("payload") or button.get("title", "")) for button in buttons],
            CALLBACK_DATA_BYTES)
        keyboard = [[{"text": cut(button.get("title", ""), 64) or "…", "callback_data": key}]
                    for button, key in zip(buttons, data, strict=True)]
        parts = chunks(text, TEXT_LIMIT) or [
            label("choose_an_option", await self.language_for(recipient_id))]
        for part in parts[:-1]:
            await self.call("sendMessage", {"chat_id": recipient_id, "text": part})
        await self.call("sendMessage", {"chat_id": recipient_id, "text": parts[-1],
                                        "reply_markup": {"inline_keyboard": keyboard}})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.call("sendPhoto", {"chat_id": recipient_id, "photo": image})


class TelegramInput(WebhookInput):
    """POST /webhooks/telegram/webhook, from Telegram only (secret token)."""

    REQUIRED = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_SECRET_TOKEN")
    OPTIONAL = {"TELEGRAM_API_URL": "https://api.telegram.org"}

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, settings: dict[str, str], missing: list[str] | None = None) -> None:
        super().__init__(settings, missing)
        self.seen = SeenIds(state=self.state, channel=self.name())
        self.payload_keys = PayloadKeys(state=self.state, channel=self.name())

    def make_output(self) -> TelegramOutput:
        return TelegramOutput(self.settings["TELEGRAM_BOT_TOKEN"],
                              self.settings["TELEGRAM_API_URL"], self.payload_keys)

    def secret_matches(self, header: str | None) -> bool:
        expected = self.settings["TELEGRAM_SECRET_TOKEN"].encode()
        return header is not None and hmac.compare_digest(header.encode(), expected)

    def routes(self, blueprint: Blueprint, on_new_message: OnNewMessage) -> None:
        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if (refused := too_large(request)) is not None:
                return refused
            if not self.secret_matches(request.headers.get("X-Telegram-Bot-Api-Secret-Token")):
                logger.warning("telegram: update refused: missing or wrong secret token")
                return error(403, "missing or wrong X-Telegram-Bot-Api-Secret-Token")
            try:
                update = json.loads(request.body)
            except ValueError:
                return error(400, "malformed JSON")
            if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                return error(400, "not a Telegram update")
            update_id = update["update_id"]
            try:  # every read of the state comes before the update is claimed
                payload = await self.button_payload(update)
                if not await self.seen.first_time(update_id):
                    logger.info("telegram: update %s already handled", log_id(update_id))
                    return response.json({"ok": True})
            except StateUnavailable as failure:
                return state_unavailable(self.name(), f"update {log_id(update_id)}", failure)
            try:
                await self.handle(update, on_new_message, payload)
            except (KeyError, TypeError, AttributeError):
                return error(400, "not a Telegram update")
            return response.json({"ok": True})

    async def button_payload(self, update: dict[str, Any]) -> str | None:
        """The payload behind a pressed button's data ("" for none, None if forgotten)."""
        query = update.get("callback_query")
        if not isinstance(query, dict):
            return None
        return await self.payload_keys.payload(str(query.get("data") or ""))

    async def handle(self, update: dict[str, Any], on_new_message: OnNewMessage,
                     payload: str | None = None) -> None:
        update_id = update["update_id"]
        if "callback_query" in update:
            await self.handle_button(update["callback_query"], payload, on_new_message)
            return
        message = update.get("message") or update.get("edited_message")
        if message is None:
            logger.debug("telegram: update %s of another kind ignored", log_id(update_id))
            return
        chat = message["chat"]
        chat_id = str(chat["id"])
        if chat.get("type", "private") != "private":
            logger.info("telegram: update %s from a %s chat ignored", log_id(update_id),
                        chat.get("type"))
            return
        text = message.get("text")
        if isinstance(text, str) and text.strip():
            if text.split()[0].split("@")[0] == "/start":  # Telegram's "Start" button
                # A greeting in the language of the patient's Telegram app (docs/languages.md).
                spanish = str((message.get("from") or {}).get("language_code", "")).startswith("es")
                text = "hola" if spanish else "hello"
            await self.deliver(on_new_message, text, chat_id, update_id)
        elif any(kind in message for kind in NON_TEXT):
            caption = message.get("caption")
            caption = caption.strip() if isinstance(caption, str) else ""
            logger.info("telegram: update %s is not text; text-only reply", log_id(update_id))
            await self.send_text_only_reply(chat_id, caption)
            if caption:  # its language was read by send_text_only_reply
                await self.deliver(on_new_message, caption, chat_id, update_id, typed=False)
        else:
            logger.debug("telegram: update %s without content ignored", log_id(update_id))

    async def handle_button(self, query: dict[str, Any], payload: str | None,
                            on_new_message: OnNewMessage) -> None:
        output = self.get_output_channel()
        await output.call("answerCallbackQuery", {"callback_query_id": str(query["id"])})
        chat = (query.get("message") or {}).get("chat") or {}
        chat_id = str(chat.get("id", query["from"]["id"]))
        if chat.get("type", "private") != "private":
            return
        if not payload:
            await output.send_text_message(
                chat_id, expired_option(await self.languages.recall(chat_id)))
            return
        await self.deliver(on_new_message, payload, chat_id, query["id"], typed=False)
