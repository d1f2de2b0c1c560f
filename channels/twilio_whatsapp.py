"""WhatsApp through Twilio: channels.twilio_whatsapp.TwilioWhatsAppInput in credentials.yml.

Every webhook request must carry a valid `X-Twilio-Signature` (checked against TWILIO_PUBLIC_URL
when set, since behind a proxy the URL Twilio signed is not the one the server sees). Replies go
out through Twilio's REST API with aiohttp, so sending never blocks the event loop. Buttons become
numbered options, and a reply that is just a number is mapped back to that button's payload
(the options are kept as channels/state.py says, so another replica can read the answer).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs

import aiohttp
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from channels.common import (
    ChannelState,
    HttpOutput,
    InProcessState,
    OnNewMessage,
    StateUnavailable,
    WebhookInput,
    chosen_number,
    chunks,
    error,
    log_id,
    numbered_options,
    state_unavailable,
    too_large,
)
from privacy.identifiers import private_id, stored_sender_id

logger = logging.getLogger(__name__)

BODY_LIMIT = 1600  # Twilio's limit for one message body
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def whatsapp(number: str) -> str:
    return number if number.startswith("whatsapp:") else f"whatsapp:{number}"


class NumberedOptions:
    """The payloads of the numbered options last offered to each sender, for the next answer."""

    def __init__(self, state: ChannelState | None = None, channel: str = "twilio_whatsapp",
                 size: int = 10_000) -> None:
        self.state = state if state is not None else InProcessState(size)
        self.channel = channel

    @staticmethod
    def key(sender: str) -> str:
        """Whose options: the WhatsApp address, or under SENDER_ID_HASHING=1 its keyed hash (the
        conversation's stored sender id)."""
        return stored_sender_id(whatsapp(sender))

    async def offer(self, sender: str, payloads: list[str]) -> None:
        await self.state.save_options(self.channel, self.key(sender), payloads)

    async def answer(self, message_id: str | None,
                     sender: str) -> tuple[bool, list[str] | None]:
        """Claim the message id and take the sender's options, in one step: (first delivery,
        the options offered for this answer or None). Raises StateUnavailable."""
        return await self.state.claim_and_take_options(
            self.channel, private_id(message_id) if message_id else None, self.key(sender))


class TwilioWhatsAppOutput(HttpOutput):
    """Sends with POST {TWILIO_API_URL}/2010-04-01/Accounts/{sid}/Messages.json."""

    LABEL = "WhatsApp via Twilio"

    @classmethod
    def name(cls) -> str:
        return "twilio_whatsapp"

    def __init__(self, settings: dict[str, str], options: NumberedOptions | None = None) -> None:
        super().__init__()
        sid = settings["TWILIO_ACCOUNT_SID"]
        self._url = (f"{settings['TWILIO_API_URL'].rstrip('/')}/2010-04-01/Accounts/{sid}"
                     "/Messages.json")
        self._auth = aiohttp.BasicAuth(sid, settings["TWILIO_AUTH_TOKEN"])
        self._from = whatsapp(settings["TWILIO_WHATSAPP_NUMBER"])
        self.options = options if options is not None else NumberedOptions()

    async def _send(self, recipient_id: str, fields: dict[str, str]) -> None:
        data = {"To": whatsapp(recipient_id), "From": self._from, **fields}
        sent = await self.request("POST", self._url, "Messages.json", data=data, auth=self._auth)
        if sent is not None:
            logger.debug("twilio_whatsapp: message %s %s", log_id(sent.get("sid")),
                         sent.get("status"))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in chunks(text, BODY_LIMIT):
            await self._send(recipient_id, {"Body": part})

    async def send_text_with_buttons(self, recipient_id: str, text: str,
                                     buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        """'Reply with a number: 1. ... 2. ...'; the payloads are kept for the sender's answer.
        If the state is down the options still go out, and a number answer is read as text."""
        try:
            await self.options.offer(recipient_id, [
                str(button.get("payload") or button.get("title", "")) for button in buttons])
        except StateUnavailable as failure:
            logger.error("twilio_whatsapp: numbered options not kept, a number answer will be "
                         "read as text: %s", failure)
        await self.send_text_message(recipient_id, numbered_options(
            text, buttons, await self.language_for(recipient_id)))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send(recipient_id, {"MediaUrl": image})


class TwilioWhatsAppInput(WebhookInput):
    """POST /webhooks/twilio_whatsapp/webhook, signed by Twilio."""

    REQUIRED = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_NUMBER")
    OPTIONAL = {"TWILIO_PUBLIC_URL": "", "TWILIO_API_URL": "https://api.twilio.com"}

    @classmethod
    def name(cls) -> str:
        return "twilio_whatsapp"

    def __init__(self, settings: dict[str, str], missing: list[str] | None = None) -> None:
        super().__init__(settings, missing)
        self.options = NumberedOptions(self.state, self.name())  # also dedupes message ids
        if self.enabled:
            self.validator = RequestValidator(settings["TWILIO_AUTH_TOKEN"])

    def make_output(self) -> TwilioWhatsAppOutput:
        return TwilioWhatsAppOutput(self.settings, self.options)

    def signed_url(self, request: Request) -> str:
        """The URL Twilio signed: TWILIO_PUBLIC_URL (plus the query string) or the request's."""
        public = self.settings["TWILIO_PUBLIC_URL"]
        if not public:
            return request.url
        if request.query_string and "?" not in public:
            return f"{public}?{request.query_string}"
        return public

    def signed_form(self, request: Request) -> RequestParameters | None:
        """The form fields, blank ones included (Twilio signs them too); None if not a form."""
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            return None
        try:
            return RequestParameters(parse_qs(request.body.decode("utf-8"),
                                              keep_blank_values=True))
        except (UnicodeDecodeError, ValueError):
            return None

    def routes(self, blueprint: Blueprint, on_new_message: OnNewMessage) -> None:
        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if (refused := too_large(request)) is not None:
                return refused
            signature = request.headers.get("X-Twilio-Signature")
            if not signature:
                logger.warning("twilio_whatsapp: request refused: no X-Twilio-Signature")
                return error(403, "missing X-Twilio-Signature")
            form = self.signed_form(request)
            if form is None:
                return error(400, "expected an application/x-www-form-urlencoded body")
            if (not self.validator.validate(self.signed_url(request), form, signature)
                    or form.get("AccountSid") != self.settings["TWILIO_ACCOUNT_SID"]):
                logger.warning("twilio_whatsapp: request refused: invalid signature")
                return error(403, "invalid X-Twilio-Signature")
            sender = form.get("From", "")
            if not sender:
                return error(400, "no From")
            message_sid = form.get("MessageSid") or form.get("SmsMessageSid")
            try:  # options are offered for the very next answer only
                first, options = await self.options.answer(message_sid, sender)
            except StateUnavailable as failure:
                return state_unavailable(self.name(), f"message {log_id(message_sid)}",
                                         failure)
            if first:
                await self.handle(form, sender, message_sid, options, on_new_message)
            else:
                logger.info("twilio_whatsapp: message %s already handled", log_id(message_sid))
            return response.text(EMPTY_TWIML, content_type="text/xml")

    async def handle(self, form: RequestParameters, sender: str, message_sid: str | None,
                     options: list[str] | None, on_new_message: OnNewMessage) -> None:
        text = form.get("Body", "").strip()
        try:
            media = int(form.get("NumMedia") or 0)
        except ValueError:
            media = 0
        if media or form.get("Latitude"):
            logger.info("twilio_whatsapp: message %s is not text; text-only reply",
                        log_id(message_sid))
            await self.send_text_only_reply(sender, text)
            if text:  # its language was read by send_text_only_reply
                await self.deliver(on_new_message, text, sender, message_sid, typed=False)
            return
        if not text:
            logger.debug("twilio_whatsapp: message %s without text ignored", log_id(message_sid))
            return
        if options and (number := chosen_number(text, len(options))):
            # the option's payload: the assistant wrote it, it says nothing of the language
            await self.deliver(on_new_message, options[number - 1], sender, message_sid,
                               typed=False)
            return
        await self.deliver(on_new_message, text, sender, message_sid)
