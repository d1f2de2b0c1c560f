"""The language of the channels' own texts, per sender (docs/channels.md, "Languages").

Rasa answers in the conversation's language (the slot `language`, docs/languages.md). The texts a
channel writes itself (the reply to a photo or voice note, an expired button, "Reply with a
number:", the labels of Meta's interactive list) follow the sender's language too. Every text the
patient types (a text message, an edited message, a photo's caption) is read with the rules the
assistant uses, `nlp.language_choice.decided_language`: a sure English or Spanish message, a
greeting or a request to switch decides; "ok", "gracias", an emoji or a mixed message keep the
language. Button presses and numbered-option answers are not read (the assistant wrote them).

The channel state keeps the result (channels/state.py: in this process, or in Redis under
`channels:language:<channel>:<sender>` so every replica answers alike) for LANGUAGE_TTL (7 days)
after the sender's latest message. English, the default, is never kept: a message decided English
drops the key. The sender in the key is the stored sender id (the keyed hash under
SENDER_ID_HASHING=1). A patient's deletion in the chat drops it at once (WebhookInput.deliver), an
admin's or retention's once no event of the sender is left (channels.common.forget_deleted_sender).
A state that is down never stops a reply: the text goes out in the language known, else English.
"""

from __future__ import annotations

import contextvars
import logging

from channels.state import LANGUAGE_TTL, ChannelState, StateUnavailable
from content.model import safety_text
from nlp.language_choice import decided_language
from nlp.language_id import SPOKEN, identify
from privacy.identifiers import stored_sender_id

logger = logging.getLogger(__name__)

DEFAULT = "en"

# Labels the channels add around the assistant's buttons, which content/safety.yml does not hold:
# the body of a message that has buttons but no text (Telegram, Meta), and the button that opens
# Meta's interactive list and the list's section title (WhatsApp allows 20 and 24 characters).
LABELS = ("choose_an_option", "choose_a_topic", "topics")  # content/safety.yml channel_<name>

# (channel, the sender as the provider gives it, language) of the message being handled: the
# replies to it need no second look-up in the state. Each webhook request is its own task.
_current: contextvars.ContextVar[tuple[str, str, str] | None] = contextvars.ContextVar(
    "channel_sender_language", default=None)


def label(name: str, language: str = DEFAULT) -> str:
    """One of LABELS in `language` (English for a language it does not have)."""
    if name not in LABELS:
        raise KeyError(name)
    return safety_text(f"channel_{name}", language=language if language in SPOKEN
                       else DEFAULT)


def decided(text: str) -> str | None:
    """The language `text` decides ("en"/"es"), None when it keeps the sender's language. A
    failure of the language model is logged (its type only) and keeps the language."""
    try:
        return decided_language(identify(text))
    except Exception as error:
        logger.warning("channels: the language of a message could not be read (%s)",
                       type(error).__name__)
        return None


class SenderLanguages:
    """The language of each sender of one channel, in the channel state."""

    def __init__(self, state: ChannelState, channel: str, seconds: float = LANGUAGE_TTL) -> None:
        self.state = state
        self.channel = channel
        self.seconds = seconds

    @staticmethod
    def key(raw: str) -> str:
        """Whose language: the stored sender id (the keyed hash under SENDER_ID_HASHING=1)."""
        return stored_sender_id(str(raw))

    def _current(self, raw: str, language: str | None) -> None:
        _current.set((self.channel, str(raw), language) if language else None)

    async def note(self, raw: str, text: str) -> str:
        """Read the language of a text `raw` typed, keep it, and return the sender's language
        after it (the remembered one, or English, when the text does not decide)."""
        language = decided(text)
        stored = self.key(raw)
        try:
            if language is None:
                language = await self.state.load_language(self.channel, stored)
                language = language if language in SPOKEN else DEFAULT
                if language != DEFAULT:  # the patient wrote again: the time starts again
                    await self.state.save_language(self.channel, stored, language, self.seconds)
            elif language == DEFAULT:
                await self.state.forget_language(self.channel, stored)
            else:
                await self.state.save_language(self.channel, stored, language, self.seconds)
        except StateUnavailable as failure:
            logger.error("%s: the sender's language was not kept or read, the channel's own "
                         "texts may be in English: %s", self.channel, failure)
            language = language or DEFAULT
        self._current(raw, language)
        return language

    async def recall(self, raw: str) -> str:
        """The sender's language: the message being handled's, else the kept one, else English
        (also when the state is down)."""
        current = _current.get()
        if current is not None and current[:2] == (self.channel, str(raw)):
            return current[2]
        try:
            language = await self.state.load_language(self.channel, self.key(raw))
        except StateUnavailable as failure:
            logger.error("%s: the sender's language could not be read, the channel's text goes "
                         "out in English: %s", self.channel, failure)
            return DEFAULT
        return language if language in SPOKEN else DEFAULT

    async def forget(self, raw: str) -> None:
        """Drop the sender's language: the patient's conversation was deleted."""
        current = _current.get()
        if current is not None and current[:2] == (self.channel, str(raw)):
            self._current(raw, None)
        await self.forget_stored(self.key(raw))

    async def forget_stored(self, stored: str) -> None:
        """Drop the language of the sender Rasa stores as `stored` (a deletion from the console
        or retention, which know only that id)."""
        try:
            await self.state.forget_language(self.channel, stored)
        except StateUnavailable as failure:
            logger.error("%s: a deleted patient's language is kept until it expires: %s",
                         self.channel, failure)
