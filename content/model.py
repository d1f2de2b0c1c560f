"""Load the content files: topics (answers/*.yml) and conversation texts, as plain objects; each
statement in English (`say`) and, where written, in Spanish (`say_es`, issue 17)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml_io

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
PLACEHOLDER = re.compile(r"\{(\w+)\}")  # a {name} that `fill` fills in
LANGUAGES = ("en", "es")  # English, the language of `say`; Spanish, `say_es` (issue 17)


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r} (one of {', '.join(LANGUAGES)})")


@dataclass(frozen=True)
class Statement:
    say: str
    source: str
    quotes: tuple[str, ...] = ()
    say_es: str | None = None  # the same statement in Spanish, backed by the same source

    @property
    def is_bullet(self) -> bool:
        return self.say.startswith(BULLET)

    def text_in(self, language: str = "en") -> str:
        """The statement in `language`; a KeyError when it has no text in that language."""
        _check_language(language)
        if language == "en":
            return self.say
        if self.say_es is None:
            raise KeyError(f"no Spanish text (say_es) for {self.say!r}")
        return self.say_es


@dataclass(frozen=True)
class Message:
    response: str
    statements: tuple[Statement, ...]
    buttons: tuple[dict, ...] = ()  # as Rasa takes them: title (English) and payload
    button_titles_es: tuple[str, ...] = ()  # the Spanish title of each button, in order
    # Sent in both languages at once, English then Spanish, whatever the conversation's language
    # (utter_other_language: the patient's language is neither).
    bilingual: bool = False

    @property
    def text(self) -> str:
        """The English text (see `text_in`)."""
        return self.text_in("en")

    @property
    def text_es(self) -> str:
        """The Spanish text (see `text_in`)."""
        return self.text_in("es")

    @property
    def has_spanish(self) -> bool:
        return all(statement.say_es is not None for statement in self.statements)

    def text_in(self, language: str = "en") -> str:
        """The statements in `language` joined: by a space, bullets on lines of their own, a
        blank line after a list. A KeyError when a statement has no text in that language."""
        out = ""
        previous: Statement | None = None
        for statement in self.statements:
            say = statement.text_in(language)
            if previous is None:
                out = say
            elif statement.is_bullet:
                out += "\n" + say
            elif previous.is_bullet:
                # A blank line ends the list: in Markdown (the web widget) a line right after a
                # list item would be read as part of that item.
                out += "\n\n" + say
            else:
                out += " " + say
            previous = statement
        return out

    def buttons_in(self, language: str = "en") -> tuple[dict, ...]:
        """The buttons with their titles in `language` (the payloads are the same)."""
        _check_language(language)
        if language == "en" or not self.buttons:
            return self.buttons
        if len(self.button_titles_es) != len(self.buttons):
            raise KeyError(f"{self.response}: no Spanish title (title_es) for its buttons")
        return tuple({**button, "title": title}
                     for button, title in zip(self.buttons, self.button_titles_es, strict=True))


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
    say_es = data.get("say_es")
    return Statement(say=str(data["say"]).strip(), source=str(data["source"]), quotes=quotes,
                     say_es=None if say_es is None else str(say_es).strip())


def _message(data: dict, where: str) -> Message:
    statements = tuple(_statement(s, f"{where} {data.get('response')}")
                       for s in data.get("statements") or ())
    if not data.get("response") or not statements:
        raise ValueError(f"{where}: a message needs `response` and `statements`")
    buttons, titles_es = [], []
    for button in data.get("buttons") or ():
        button = dict(button)
        if "title_es" in button:
            titles_es.append(str(button.pop("title_es")).strip())
        buttons.append(button)
    return Message(response=data["response"], statements=statements, buttons=tuple(buttons),
                   button_titles_es=tuple(titles_es), bilingual=bool(data.get("bilingual")))


def placeholders(text: str) -> list[str]:
    """The {names} of a text, sorted (a name given twice is listed twice)."""
    return sorted(PLACEHOLDER.findall(text))


def spanish_problems(messages: tuple[Message, ...]) -> list[str]:
    """What is wrong with the Spanish of one file's messages; empty when sound. A file has no
    Spanish, or Spanish for everything: every statement a `say_es` with the same {placeholders}
    as its `say`, a bullet where the English has one, every button a `title_es`."""
    statements = [s for m in messages for s in m.statements]
    if not any(s.say_es is not None for s in statements) and not any(
            m.button_titles_es for m in messages):
        return []
    found = []
    for message in messages:
        for statement in message.statements:
            where = f"{message.response}: {statement.say!r}"
            if not statement.say_es:
                found.append(f"{where} has no say_es")
                continue
            if placeholders(statement.say) != placeholders(statement.say_es):
                found.append(f"{where}: say_es has the placeholders "
                             f"{placeholders(statement.say_es)}, say has "
                             f"{placeholders(statement.say)}")
            if statement.is_bullet != statement.say_es.startswith(BULLET):
                found.append(f"{where}: a bullet in one language and not in the other")
        if len(message.button_titles_es) != len(message.buttons):
            found.append(f"{message.response}: every button needs a title_es")
        elif any(not title for title in message.button_titles_es):
            found.append(f"{message.response}: an empty title_es")
    return found


def load_file(path: Path) -> Topic:
    data = yaml_io.load(path.read_text(encoding="utf-8")) or {}
    messages = tuple(_message(m, path.name) for m in data.get("messages") or ())
    problems = spanish_problems(messages)
    if problems:
        raise ValueError(f"{path.name}: " + "; ".join(problems))
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


class _KeepUnknown(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, **values: str) -> str:
    """The text with each {name} given in `values` filled in; any other {name} stays as written."""
    return text.format_map(_KeepUnknown(values))


def safety_text(response: str, *, language: str = "en", **values: str) -> str:
    """The text of a message of content/safety.yml in `language`, filled with `values` (see
    `fill`)."""
    return fill(load_safety().message(response).text_in(language), **values)
