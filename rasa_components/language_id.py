"""NLU component: the language of every message (nlp/language_id.py, nlp/language_choice.py).

It writes the guess into the parse data (`language`: code, score, words, and the languages the
safety layer reads the message in) and adds entities the domain maps and the policy reads:

  language        "en"/"es" when the message decides the conversation's language; the slot
                  `language` is filled from it by Rasa's own slot extraction, before any action
                  runs, so the first reply of the turn is already in that language
  language_switch "en"/"es" when the patient asks to switch (utter_language_switched)
  other_language  the code of a language the assistant does not speak (utter_other_language)
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlp.language_choice import (
    context_language,
    decided_language,
    other_language,
    reading_languages,
)
from nlp.language_id import check_model, identify

LANGUAGE_KEY = "language"
ENTITY_LANGUAGE = "language"
ENTITY_SWITCH = "language_switch"
ENTITY_OTHER = "other_language"
EXTRACTOR_NAME = "LanguageIdentifier"


def _entity(kind: str, value: str, text: str) -> dict[str, Any]:
    return {"entity": kind, "value": value, "start": 0, "end": len(text), "confidence": 1.0,
            "extractor": EXTRACTOR_NAME}


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class LanguageIdentifier(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LanguageIdentifier:
        check_model()  # a missing or changed model file stops training and serving at once
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            guess = identify(text)
            message.set(LANGUAGE_KEY, {
                "code": guess.language, "score": round(guess.score, 4), "words": guess.words,
                "reading": list(reading_languages(guess)),
                "context": context_language(guess),
            }, add_to_output=True)
            entities = list(message.get("entities", []))
            decided = decided_language(guess)
            if decided:
                entities.append(_entity(ENTITY_LANGUAGE, decided, text))
            if guess.switch_to:
                entities.append(_entity(ENTITY_SWITCH, guess.switch_to, text))
            other = other_language(guess)
            if other:
                entities.append(_entity(ENTITY_OTHER, other, text))
            message.set("entities", entities, add_to_output=True)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data
