"""Load the content files: topics (answers/*.yml) and conversation texts, as plain objects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

CONTENT = Path(__file__).resolve().parent
SOURCES = CONTENT / "sources"
ANSWERS = CONTENT / "answers"
CONVERSATION = CONTENT / "conversation.yml"

# The sources a statement may name, and the file a quote must come from (None: no quote).
SOURCE_FILES: dict[str, str | None] = {
    "westcare": "westcare.txt",
    "alimran": "alimran.txt",
    "reference": "clinical-reference.md",
    "clinic-profile": None,
    "assistant": None,
}
BULLET = "- "


@dataclass(frozen=True)
class Statement:
    say: str
    source: str
    quotes: tuple[str, ...] = ()

    @property
    def is_bullet(self) -> bool:
        return self.say.startswith(BULLET)


@dataclass(frozen=True)
class Message:
    response: str
    statements: tuple[Statement, ...]
    buttons: tuple[dict, ...] = ()

    @property
    def text(self) -> str:
        """The statements joined: by a space, bullets on lines of their own, a blank line after
        a list."""
        out = ""
        previous: Statement | None = None
        for statement in self.statements:
            if previous is None:
                out = statement.say
            elif statement.is_bullet:
                out += "\n" + statement.say
            elif previous.is_bullet:
                # A blank line ends the list: in Markdown (the web widget) a line right after a
                # list item would be read as part of that item.
                out += "\n\n" + statement.say
            else:
                out += " " + statement.say
            previous = statement
        return out


@dataclass(frozen=True)
class Topic:
    """One answer file: the messages that answer one intent (or the conversation texts)."""

    name: str
    title: str
    intent: str | None
    messages: tuple[Message, ...] = field(default_factory=tuple)
    path: Path | None = None

    def message(self, response: str) -> Message:
        """The message sent as `response`."""
        for message in self.messages:
            if message.response == response:
                return message
        raise KeyError(f"no message {response!r} in {self.path.name if self.path else self.name}")


def _statement(data: dict, where: str) -> Statement:
    quote = data.get("quote") or ()
    quotes = (quote,) if isinstance(quote, str) else tuple(quote)
    if "say" not in data or "source" not in data:
        raise ValueError(f"{where}: a statement needs `say` and `source`: {data!r}")
    return Statement(say=str(data["say"]).strip(), source=str(data["source"]), quotes=quotes)


def _message(data: dict, where: str) -> Message:
    statements = tuple(_statement(s, f"{where} {data.get('response')}")
                       for s in data.get("statements") or ())
    if not data.get("response") or not statements:
        raise ValueError(f"{where}: a message needs `response` and `statements`")
    return Message(response=data["response"], statements=statements,
                   buttons=tuple(data.get("buttons") or ()))


def load_file(path: Path) -> Topic:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    messages = tuple(_message(m, path.name) for m in data.get("messages") or ())
    return Topic(name=path.stem, title=data.get("title", path.stem), intent=data.get("intent"),
                 messages=messages, path=path)


@cache
def load_topics() -> tuple[Topic, ...]:
    """The answer files, then the conversation texts."""
    topics = [load_file(p) for p in sorted(ANSWERS.glob("*.yml"))]
    if CONVERSATION.exists():
        topics.append(load_file(CONVERSATION))
    return tuple(topics)


def all_messages() -> list[Message]:
    return [m for topic in load_topics() for m in topic.messages]


@cache
def _by_response() -> dict[str, Message]:
    return {message.response: message for message in all_messages()}


def response(name: str) -> Message:
    """The message sent as the Rasa response `name` (e.g. utter_welcome)."""
    try:
        return _by_response()[name]
    except KeyError:
        raise KeyError(f"no response {name!r} in content/") from None


# --- the safety layer's and the channels' texts (content/safety.yml) ---------------------------
# Templates filled at run time by the action server (actions/safety_messages.py) and the channels
# (channels/common.py); they are not Rasa responses, so load_topics() leaves them out.
SAFETY = CONTENT / "safety.yml"


@cache
def load_safety() -> Topic:
    """The safety replies and channel texts of content/safety.yml."""
    return load_file(SAFETY)


PLACEHOLDER = re.compile(r"\{(\w+)\}")  # a {name} that `fill` fills in


class _KeepUnknown(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, **values: str) -> str:
    """The text with each {name} given in `values` filled in; any other {name} stays as written."""
    return text.format_map(_KeepUnknown(values))


def safety_text(response: str, **values: str) -> str:
    """The text of a message of content/safety.yml, filled with `values` (see `fill`)."""
    return fill(load_safety().message(response).text, **values)
