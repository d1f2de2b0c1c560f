"""What the three messaging channels share.

Settings from the environment, the "disabled" webhook of a channel that is not configured, the
HTTP session for the provider's API, buttons as numbered text, the polite reply to non-text
messages, the memories (duplicate deliveries, long button payloads, each sender's language:
channels/state.py keeps them in this process or in Redis), and handing a message to the
assistant. The channels' own texts are in the sender's language (channels/languages.py). Nothing
here logs message text or phone numbers: patients write about their health, so logs carry only
channel names, provider ids and status codes.

SENDER_ID_HASHING=1 (docs/data-rights.md, section 5): `deliver` hands Rasa the keyed hash of the
chat id or phone number as the sender id (privacy.identifiers), so Rasa stores no number. The
replies to that message go out through `ToRecipient`, which sends to the real id whatever
recipient Rasa names; the real id is also kept in the channel state (`SenderIds`) for
SENDER_ID_MEMORY_DAYS, where the output channel looks up a hashed recipient that Rasa names later
(a staff reply sent from the console). Provider message ids are hashed too (`private_id`): a
WhatsApp message id holds the sender's number.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import logging
import os
import re
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.languages import DEFAULT, SenderLanguages
from channels.state import (
    SENDER_MEMORY_DAYS,
    ChannelState,
    InProcessState,
    StateUnavailable,
    sender_memory_seconds,
    state_from_env,
)
from channels.state import Bounded as Bounded  # re-exported
from content.model import safety_text
from nlp.language_id import SPOKEN
from privacy import erasure
from privacy.identifiers import HASHED_PREFIX, hashing_enabled, keyed_hash, private_id

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

MAX_BODY_BYTES = 256 * 1024  # provider webhooks are a few kB; refuse anything far larger
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=20, connect=5)
# A staff reply is a bot message with this metadata key (console/rasa_api.py, docs/handoff.md);
# Rasa merges a bot event's metadata into the message handed to `send_response`.
STAFF_KEY = "staff"
# A staff reply waits for the provider inside console/rasa_api.py's read timeout (20 s): two
# attempts of at most 8 s and the 1 s pause between them.
STAFF_REPLY_TIMEOUT = aiohttp.ClientTimeout(total=8, connect=3)
# True while a staff reply is being sent: a provider failure then raises NotDelivered.
_staff_reply: contextvars.ContextVar[bool] = contextvars.ContextVar("staff_reply", default=False)


class NotDelivered(Exception):
    """A staff reply the provider did not take. Raised out of `send_response`, so Rasa's
    append-events endpoint (`execute_side_effects=true`) answers 500 with this message and does
    not save the bot event (it sends before it saves). The message names the channel, the HTTP
    status and the provider's error code, never the text or the recipient."""


# --- settings -----------------------------------------------------------------------------------
def read_env(required: tuple[str, ...], optional: dict[str, str]) -> tuple[dict[str, str], list]:
    """The channel's variables (blank counts as unset) and the missing required names."""
    values = {name: os.environ.get(name, "").strip() for name in required}
    missing = [name for name, value in values.items() if not value]
    for name, default in optional.items():
        values[name] = os.environ.get(name, "").strip() or default
    return values, missing


def follow_rasa_log_level() -> None:
    """Log at the Rasa server's level (LOG_LEVEL, which `rasa run` sets from --debug/-v)."""
    package = logging.getLogger("channels")
    if package.level == logging.NOTSET:
        try:
            package.setLevel(os.environ.get("LOG_LEVEL", "INFO").upper())
        except (TypeError, ValueError):
            package.setLevel(logging.INFO)


# --- texts --------------------------------------------------------------------------------------
def emergency_number() -> str:
    """The clinic profile's emergency number (load_profile caches it); the reply must never fail,
    so an unreadable profile gives a generic phrase rather than a second copy of the number."""
    try:
        from clinic import load_profile

        return load_profile().emergency_number
    except Exception as error:
        logger.warning("clinic profile not readable (%s)", type(error).__name__)
        return "your local emergency number"


# The channels' own texts, from content/safety.yml, sent in the sender's language
# (channels/languages.py).
CHANNEL_TEXTS = ("channel_media", "channel_media_with_caption", "channel_expired_option",
                 "channel_reply_with_number")


def text_only_reply(with_caption: bool = False, language: str = DEFAULT) -> str:
    """The polite answer to a photo, voice note, sticker, document or location."""
    if with_caption:
        return media_with_caption(language)
    return safety_text("channel_media", language=language, emergency_number=emergency_number())


def media_with_caption(language: str = DEFAULT) -> str:
    """The answer to an attachment with a caption (the caption is then read as text)."""
    return safety_text("channel_media_with_caption", language=language)


def expired_option(language: str = DEFAULT) -> str:
    """The answer to a button whose payload the channel state no longer holds."""
    return safety_text("channel_expired_option", language=language)


def reply_with_number(language: str = DEFAULT) -> str:
    """The line above numbered options."""
    return safety_text("channel_reply_with_number", language=language)


def check_texts() -> None:
    """Every channel text in every language the assistant speaks (KeyError if one is missing)."""
    for language in SPOKEN:
        for name in CHANNEL_TEXTS:
            safety_text(name, language=language)


# Read when this module is imported, so a missing or broken file, or a text without its Spanish
# version, stops the server at start-up rather than a reply later.
check_texts()
# The English texts, for callers that name them; the channels send the sender's language.
MEDIA_WITH_CAPTION = media_with_caption()
EXPIRED_OPTION = expired_option()
REPLY_WITH_NUMBER = reply_with_number()


def numbered_options(text: str, buttons: list[dict[str, Any]], language: str = DEFAULT) -> str:
    """Buttons as text: 'Reply with a number:' and one '1. title' line per button."""
    lines = [f"{number}. {button.get('title', '')}" for number, button in enumerate(buttons, 1)]
    return "\n".join([text.rstrip(), "", reply_with_number(language), *lines]).lstrip()


_NUMBER = re.compile(r"^\s*#?(\d{1,2})\s*[.)]?\s*$")


def chosen_number(text: str, count: int) -> int | None:
    """The option number when the text is just '2' (or '2.', '2)', ' 2 '), else None."""
    match = _NUMBER.match(text or "")
    if match and 1 <= int(match.group(1)) <= count:
        return int(match.group(1))
    return None


def chunks(text: str, limit: int) -> list[str]:
    """The text in pieces of at most `limit` characters, cut at a line break or space if any."""
    text = text.strip()
    pieces = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        cut = cut if cut > limit // 2 else limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text] if text else pieces


def cut(title: str, limit: int) -> str:
    """A title of at most `limit` characters (an ellipsis marks a cut)."""
    title = " ".join(str(title).split())
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


# --- memories (channels/state.py: in this process, or in Redis when REDIS_HOST is set) ----------
class SeenIds:
    """Provider message ids already handled: a redelivered or replayed message is dropped."""

    def __init__(self, size: int = 10_000, state: ChannelState | None = None,
                 channel: str = "") -> None:
        self.state = state if state is not None else InProcessState(size)
        self.channel = channel

    async def first_time(self, message_id: Any) -> bool:
        """True once per id (raises StateUnavailable when the shared state is down)."""
        if message_id in (None, ""):
            return True
        return await self.state.first_time(self.channel, private_id(message_id))


class PayloadKeys:
    """Button payloads too long for the provider's id field, kept under a short key."""

    PREFIX = "#p:"

    def __init__(self, size: int = 10_000, state: ChannelState | None = None,
                 channel: str = "") -> None:
        self.state = state if state is not None else InProcessState(size)
        self.channel = channel

    def id_for(self, payload: str, max_bytes: int) -> str:
        """What the button carries: the payload itself when it fits, else its short key."""
        if len(payload.encode()) <= max_bytes and not payload.startswith(self.PREFIX):
            return payload
        return self.PREFIX + hashlib.sha256(payload.encode()).hexdigest()[:24]

    async def key(self, payload: str, max_bytes: int) -> str:
        """`id_for`, keeping the payload when it travels under a key (may raise
        StateUnavailable)."""
        data = self.id_for(payload, max_bytes)
        if data != payload:
            await self.state.save_payload(self.channel, data.removeprefix(self.PREFIX), payload)
        return data

    async def keys(self, payloads: list[str], max_bytes: int) -> list[str]:
        """`key` for each button. If the state is down the buttons still go out (the answer
        matters more); pressing one that needed a key then gets `expired_option`."""
        try:
            return [await self.key(payload, max_bytes) for payload in payloads]
        except StateUnavailable as failure:
            logger.error("%s: long button payloads not kept, pressing them will answer that the "
                         "option expired: %s", self.channel, failure)
            return [self.id_for(payload, max_bytes) for payload in payloads]

    async def payload(self, data: str) -> str | None:
        """The payload behind a button's data; None when a short key has been forgotten."""
        if data.startswith(self.PREFIX):
            return await self.state.load_payload(self.channel, data.removeprefix(self.PREFIX))
        return data


def log_id(message_id: Any) -> Any:
    """A provider message id as the logs show it (hashed under SENDER_ID_HASHING=1)."""
    return message_id if message_id in (None, "") else private_id(message_id)


class SenderIds:
    """The real id (Telegram chat id, WhatsApp number) behind each stored sender hash, kept in
    the channel state for SENDER_ID_MEMORY_DAYS after the patient's latest message, so that a
    reply sent later (a staff reply from the console) still reaches the patient."""

    def __init__(self, state: ChannelState, channel: str, seconds: float | None = None) -> None:
        self.state = state
        self.channel = channel
        if seconds is None:  # the setting is read (and checked) only when it is used
            seconds = (sender_memory_seconds() if hashing_enabled()
                       else SENDER_MEMORY_DAYS * 86400.0)
        self.seconds = seconds

    @property
    def days(self) -> str:
        return f"{self.seconds / 86400:g}"

    async def remember(self, raw: str) -> str:
        """The stored sender id for `raw` (its keyed hash), keeping `raw` behind it. If the state
        is down the message is still answered; only a later staff reply cannot reach the
        patient."""
        stored = keyed_hash(raw)
        try:
            await self.state.remember_sender(self.channel, stored, raw, self.seconds)
        except StateUnavailable as failure:
            logger.error("%s: the patient's number was not kept, a staff reply will not reach "
                         "them: %s", self.channel, failure)
        return stored

    async def recall(self, stored: str) -> str | None:
        """The real id behind `stored`, None when forgotten (may raise StateUnavailable)."""
        return await self.state.recall_sender(self.channel, stored)

    async def forget(self, stored: str) -> None:
        """Drop the real id behind `stored`: the patient's conversation was deleted."""
        try:
            await self.state.forget_sender(self.channel, stored)
        except StateUnavailable as failure:
            logger.error("%s: a deleted patient's number is kept until it expires: %s",
                         self.channel, failure)


# --- the provider's API -------------------------------------------------------------------------
class HttpOutput(OutputChannel):
    """An output channel that talks to its provider over one reused aiohttp session.

    An assistant reply the provider refuses is logged and dropped (the conversation goes on); a
    staff reply (a message with `STAFF_KEY`) the provider refuses raises NotDelivered instead,
    so the console is told it was not sent.
    """

    LABEL = "the provider"  # how staff know the channel, in NotDelivered's message

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None
        # Set by the input channel: where a hashed recipient's real id is looked up, and where
        # the recipient's language is (for the channel's own texts).
        self.senders: SenderIds | None = None
        self.languages: SenderLanguages | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=HTTP_TIMEOUT)
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if not message.get(STAFF_KEY):
            if str(recipient_id).startswith(HASHED_PREFIX):
                recipient_id = await self.real_recipient(recipient_id)
                if recipient_id is None:
                    return
            await super().send_response(recipient_id, message)
            return
        strict = _staff_reply.set(True)
        try:
            if str(recipient_id).startswith(HASHED_PREFIX):
                recipient_id = await self.real_recipient(recipient_id)  # raises if unknown
            await super().send_response(recipient_id, message)
        finally:
            _staff_reply.reset(strict)

    async def real_recipient(self, stored: str) -> str | None:
        """The chat id or number behind a stored sender hash that Rasa names as the recipient
        (SENDER_ID_HASHING=1: a reply sent after the patient's message, e.g. a staff reply).
        None when it is no longer known; for a staff reply that raises NotDelivered."""
        try:
            raw = await self.senders.recall(stored) if self.senders is not None else None
        except StateUnavailable as failure:
            logger.error("%s: a reply to a hashed sender not sent: %s", self.name(), failure)
            if sending_staff_reply():
                raise self.not_delivered(f"could not look up the patient's number ({failure})"
                                         ) from None
            return None
        if raw is None:
            logger.warning("%s: a reply to a hashed sender not sent: the patient's number is no "
                           "longer known", self.name())
            if sending_staff_reply():
                days = self.senders.days if self.senders is not None else ""
                raise self.not_delivered(
                    "cannot reach the patient: the patient's number is no longer known"
                    + (f" (numbers are kept {days} days after the patient's last message)"
                       if days else ""))
        return raw

    def not_delivered(self, failure: str) -> NotDelivered:
        return NotDelivered(f"the patient's channel ({self.LABEL}) {failure}")

    async def language_for(self, recipient_id: str) -> str:
        """The language of the channel's own texts to `recipient_id` (the real id): that of the
        message being answered, else the one kept for the recipient, else English."""
        if self.languages is None:
            return DEFAULT
        return await self.languages.recall(recipient_id)

    async def request(self, method: str, url: str, what: str, **kwargs: Any) -> Any:
        """Call the API (one retry on a network error, 429 or 5xx); the JSON answer or None.

        Failures are logged with the status and the provider's error code, never the body sent.
        While a staff reply is sent, a failure raises NotDelivered instead of answering None.
        """
        strict = _staff_reply.get()
        if strict:
            kwargs.setdefault("timeout", STAFF_REPLY_TIMEOUT)
        failure = "did not answer"
        for attempt in (1, 2):
            try:
                async with self.session().request(method, url, **kwargs) as reply:
                    try:
                        data = await reply.json(content_type=None)
                    except ValueError:
                        data = None
                    if reply.status < 400:
                        return data if data is not None else {}
                    retry = reply.status == 429 or reply.status >= 500
                    failure = (f"refused the message (HTTP {reply.status}, "
                               f"{error_code(data)})")
                    logger.warning("%s: %s failed with HTTP %s (%s)%s", self.name(), what,
                                   reply.status, error_code(data), ", retrying" if retry and
                                   attempt == 1 else "")
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                retry = True
                failure = f"could not be reached ({type(error).__name__})"
                logger.warning("%s: %s failed (%s)", self.name(), what, type(error).__name__)
            if not retry or attempt == 2:
                break
            await asyncio.sleep(1)
        if strict:
            raise self.not_delivered(failure)
        return None


class ToRecipient(OutputChannel):
    """The output for the replies to one message under SENDER_ID_HASHING=1: Rasa names the stored
    hash as the recipient, every send goes to the real id (held in memory for this message
    only). Rasa calls `send_response` and `name`; the other sends are passed on alike."""

    def __init__(self, output: HttpOutput, recipient: str) -> None:
        self.output = output
        self.recipient = recipient

    def name(self) -> str:  # type: ignore[override]  # the channel's, for channel-specific texts
        return self.output.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        await self.output.send_response(self.recipient, message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.output.send_text_message(self.recipient, text, **kwargs)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.output.send_image_url(self.recipient, image, **kwargs)

    async def send_attachment(self, recipient_id: str, attachment: str, **kwargs: Any) -> None:
        await self.output.send_attachment(self.recipient, attachment, **kwargs)

    async def send_text_with_buttons(self, recipient_id: str, text: str,
                                     buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        await self.output.send_text_with_buttons(self.recipient, text, buttons, **kwargs)

    async def send_quick_replies(self, recipient_id: str, text: str,
                                 quick_replies: list[dict[str, Any]], **kwargs: Any) -> None:
        await self.output.send_quick_replies(self.recipient, text, quick_replies, **kwargs)

    async def send_elements(self, recipient_id: str, elements: Any, **kwargs: Any) -> None:
        await self.output.send_elements(self.recipient, elements, **kwargs)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any],
                               **kwargs: Any) -> None:
        await self.output.send_custom_json(self.recipient, json_message, **kwargs)


def sending_staff_reply() -> bool:
    """True inside HttpOutput.send_response of a staff reply."""
    return _staff_reply.get()


def error_code(data: Any) -> str:
    """The provider's error code from an error answer (not its message, which may name a user)."""
    if not isinstance(data, dict):
        return "no JSON"
    error = data.get("error")
    if isinstance(error, dict):  # Graph API
        return f"code {error.get('code')}"
    return f"code {data.get('error_code', data.get('code'))}"  # Bot API, Twilio


# --- the input side -----------------------------------------------------------------------------
# The channels of this process by name (Rasa makes one of each from credentials.yml): a deletion
# made through the Rasa server's endpoint drops what they remember of the sender.
_inputs: dict[str, WebhookInput] = {}


async def forget_deleted_sender(channel: str, stored: str) -> None:
    """Drop what `channel` remembers of the sender Rasa stores as `stored` (the language of its
    own texts, the number kept for staff replies): their conversations were deleted by an admin
    or by retention (privacy/rasa_endpoint.py). A channel this process does not run (REST, the
    widget) remembers nothing; a state that is down is logged and the keys expire on their own."""
    channel_input = _inputs.get(channel)
    if channel_input is None:
        return
    await channel_input.languages.forget_stored(stored)
    await channel_input.senders.forget(stored)


class WebhookInput(InputChannel):
    """Base of the three channels: settings from the environment, or a disabled webhook."""

    REQUIRED: tuple[str, ...] = ()
    OPTIONAL: dict[str, str] = {}

    def __init__(self, settings: dict[str, str], missing: list[str] | None = None) -> None:
        self.settings = settings
        self.missing = missing or []
        self._output: HttpOutput | None = None
        self.state = state_from_env()  # shared by the input and output side of the channel
        self.senders = SenderIds(self.state, self.name())
        self.languages = SenderLanguages(self.state, self.name())
        _inputs[self.name()] = self
        if self.enabled:
            logger.info("%s: channel state in %s", self.name(), self.state.where)
            if hashing_enabled():
                logger.info("%s: sender ids stored as keyed hashes (SENDER_ID_HASHING=1); the "
                            "real ids kept %s days for later replies", self.name(),
                            self.senders.days)

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebhookInput:
        """Credentials come from the environment only; values in credentials.yml are ignored."""
        follow_rasa_log_level()
        settings, missing = read_env(cls.REQUIRED, cls.OPTIONAL)
        if missing:
            logger.warning("%s channel disabled: %s not set", cls.name(), ", ".join(missing))
        return cls(settings, missing)

    @property
    def enabled(self) -> bool:
        return not self.missing

    def make_output(self) -> HttpOutput:
        raise NotImplementedError

    def get_output_channel(self) -> HttpOutput | None:
        if not self.enabled:
            return None
        if self._output is None:
            self._output = self.make_output()
            self._output.senders = self.senders
            self._output.languages = self.languages
        return self._output

    def routes(self, blueprint: Blueprint, on_new_message: OnNewMessage) -> None:
        raise NotImplementedError

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = Blueprint(f"tpi_{self.name()}_webhook", __name__)
        if not self.enabled:
            return self._disabled(blueprint)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.listener("after_server_stop")
        async def close_session(*_: Any) -> None:
            if self._output is not None:
                await self._output.close()
            await self.state.close()

        self.routes(blueprint, on_new_message)
        return blueprint

    def _disabled(self, blueprint: Blueprint) -> Blueprint:
        body = {"error": f"the {self.name()} channel is not configured on this server",
                "missing": self.missing}

        @blueprint.route("/", methods=["GET"])
        async def disabled_health(_: Request) -> HTTPResponse:
            return response.json(body, status=503)

        @blueprint.route("/webhook", methods=["GET", "POST"])
        async def disabled_webhook(_: Request) -> HTTPResponse:
            return response.json(body, status=503)

        return blueprint

    async def deliver(self, on_new_message: OnNewMessage, text: str, sender: str,
                      message_id: Any = None, typed: bool = True) -> None:
        """Hand one message to the assistant; its replies go out through the output channel.

        A text the patient `typed` (not a button's payload, not a caption already read by
        `send_text_only_reply`) sets the sender's language when it decides one
        (channels/languages.py). A deletion the message confirmed drops that language.

        Under SENDER_ID_HASHING=1 the sender id Rasa stores is the keyed hash of `sender`, the
        replies to this message go to `sender` (`ToRecipient`), `sender` is kept for later
        replies (`SenderIds`), and the metadata's message id is hashed."""
        metadata = {"channel": self.name()}
        if message_id not in (None, ""):
            metadata["message_id"] = private_id(message_id)
        output: OutputChannel | None = self.get_output_channel()
        sender = raw = str(sender)
        if typed:
            await self.languages.note(raw, text)
        if hashing_enabled():
            if output is not None:
                output = ToRecipient(output, sender)
            sender = await self.senders.remember(sender)
        try:
            await on_new_message(UserMessage(
                text, output, sender, input_channel=self.name(), metadata=metadata,
            ))
            if erasure.erased_in_this_message.get() is not None:
                # The patient deleted their conversation (serving/rasa_patches.py sets this once
                # the deletion is committed): their language goes too, and the number kept for
                # staff replies.
                await self.languages.forget(raw)
                if hashing_enabled():
                    await self.senders.forget(sender)
        except Exception as error:
            logger.error("%s: handling message %s failed (%s)", self.name(), log_id(message_id),
                         type(error).__name__)
            logger.debug("%s: handling message %s failed", self.name(), log_id(message_id),
                         exc_info=True)

    async def send_text_only_reply(self, sender: str, caption: str = "") -> None:
        """The polite answer to a non-text message, in the sender's language; a caption (which
        the caller then delivers with typed=False) is read for its language first."""
        output = self.get_output_channel()
        if output is None:
            return
        language = (await self.languages.note(sender, caption) if caption
                    else await self.languages.recall(sender))
        await output.send_text_message(sender, text_only_reply(bool(caption), language))


def too_large(request: Request) -> HTTPResponse | None:
    if len(request.body or b"") > MAX_BODY_BYTES:
        return error(413, "request body too large")
    return None


def error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def state_unavailable(channel: str, what: str, failure: StateUnavailable) -> HTTPResponse:
    """503 when the shared state is down: nothing was handled, so the provider's retry is safe.
    The log names the channel, the provider's id and the failure, never the message."""
    logger.error("%s: %s not handled, answered 503: %s", channel, what, failure)
    return error(503, "temporarily unavailable, please retry later")
