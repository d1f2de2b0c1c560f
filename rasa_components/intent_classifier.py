"""Rasa's LogisticRegressionClassifier, safe on messages without features.

The stock classifier raises on a message that has no features (an empty or whitespace-only text),
which would fail the whole request. Such a message gets no intent here, so the FallbackClassifier
answers it like any message the model does not understand.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


def has_features(message: Message) -> bool:
    sparse = message.get_sparse_features(TEXT)[1]
    dense = message.get_dense_features(TEXT)[1]
    return any(f is not None and f.features.shape[-1] > 0 for f in (sparse, dense))


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class LogisticRegressionIntentClassifier(LogisticRegressionClassifier):
    def process(self, messages: list[Message]) -> list[Message]:
        with_features = [m for m in messages if has_features(m)]
        for message in messages:
            if not has_features(message):
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        if with_features:
            super().process(with_features)
        return messages
