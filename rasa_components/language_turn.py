"""The policy's language replies (docs/languages.md): a switch request and a message in a
language the assistant does not speak are answered by the policy itself, before the rules.

  language_switch entity  -> utter_language_switched (in the new language: the slot is already
                             set from the `language` entity when the policy runs)
  other_language entity   -> utter_other_language (one short reply in English and Spanish: the
                             languages spoken, the clinic's phone and the emergency number)

A message that escalates gets the safety reply first; the language reply follows it. Nothing else
answers the message: the patient's next message is read in the new language.
"""

from __future__ import annotations

from typing import Any

from rasa_components.language_id import ENTITY_OTHER, ENTITY_SWITCH

UTTER_SWITCHED = "utter_language_switched"
UTTER_OTHER_LANGUAGE = "utter_other_language"
LANGUAGE_ACTIONS = (UTTER_SWITCHED, UTTER_OTHER_LANGUAGE)


def _has(parse_data: dict[str, Any], entity: str) -> bool:
    return any(e.get("entity") == entity for e in parse_data.get("entities") or [])


def step(parse_data: dict[str, Any], done: list[str]) -> str | None:
    """The language reply this message needs, if it has not been sent in this turn."""
    if any(name in LANGUAGE_ACTIONS for name in done):
        return None
    if _has(parse_data, ENTITY_SWITCH):
        return UTTER_SWITCHED
    if _has(parse_data, ENTITY_OTHER):
        return UTTER_OTHER_LANGUAGE
    return None
