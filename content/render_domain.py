"""Write domain/responses.yml: the Rasa responses, rendered from the content files.

The Rasa server sends these itself (rules, and the safety fallback when the action server is
down), so they must be in the trained model. The file is generated, never edited: content/ stays
the only source of what the assistant says.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from clinic.profile import LOCALISED_SLOTS
from content.model import Message, Topic, load_topics

TARGET = Path(__file__).resolve().parent.parent / "domain" / "responses.yml"
HEADER = "# GENERATED from content/ by `make domain`: do not edit (content/README.md).\n"


# Rasa sends the variation whose condition holds: the Spanish one when the conversation's
# language (the `language` slot, docs/languages.md) is Spanish, else the English one.
SPANISH_CONDITION = [{"type": "slot", "name": "language", "value": "es"}]


def spanish_text(message: Message) -> str:
    """The Spanish text, reading the Spanish slot of each clinic value that has words
    ({opening_hours} -> {opening_hours_es}; clinic/profile.py LOCALISED_SLOTS)."""
    text = message.text_in("es")
    for name in LOCALISED_SLOTS:
        text = text.replace("{" + name + "}", "{" + name + "_es}")
    return text


def variations(message: Message) -> list[dict]:
    if message.bilingual:
        return [{"text": f"{message.text}\n\n{spanish_text(message)}"}]
    entry: dict = {"text": message.text}
    if message.buttons:
        entry["buttons"] = [dict(b) for b in message.buttons]
    if not message.has_spanish:
        return [entry]
    spanish: dict = {"text": spanish_text(message)}
    if message.buttons:
        spanish["buttons"] = [dict(b) for b in message.buttons_in("es")]
    spanish["condition"] = SPANISH_CONDITION
    return [entry, spanish]


def responses(topics: tuple[Topic, ...]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for topic in topics:
        for message in topic.messages:
            if message.response in out:
                raise ValueError(f"{topic.name}: response {message.response} is defined twice")
            out[message.response] = variations(message)
    return out


def render(target: Path = TARGET) -> Path:
    data = {"version": "3.1", "responses": responses(load_topics())}
    text = HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")  # unchanged content keeps its mtime for make
    return target


if __name__ == "__main__":
    print(f"wrote {render(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET)}")
