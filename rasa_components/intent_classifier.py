"""Rasa's LogisticRegressionClassifier, safe on messages without features, and cheaper per message.

The stock classifier raises on a message that has no features (an empty or whitespace-only text),
which would fail the whole request. Such a message gets no intent here, so the FallbackClassifier
answers it like any message the model does not understand. Per message, the features are combined
once and the model's weights are stored so that scoring copies nothing (tests/test_intent_scoring.py
checks that the probabilities are exactly the stock classifier's).

Training weighs each language the same (`balance_languages`, on by default): the English examples
outnumber the Spanish ones more than two to one since the other writers' questions became
training data (data/nlu/patients/), and without it the Spanish questions lost ground in the
shared model to English additions they have nothing to do with. A language here is what the
multilingual featurizer read the example as (Spanish first or not).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from scipy.sparse import csr_matrix, hstack, vstack


def sentence_features(message: Message) -> csr_matrix | None:
    """The message's sentence-level features in one row, or None when it has none (empty text)."""
    parts = [f.features for f in (message.get_sparse_features(TEXT)[1],
                                  message.get_dense_features(TEXT)[1])
             if f is not None and f.features.shape[-1] > 0]
    if not parts:
        return None
    return csr_matrix(parts[0]) if len(parts) == 1 else hstack([csr_matrix(p) for p in parts])


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class LogisticRegressionIntentClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "balance_languages": True}

    def train(self, training_data: TrainingData) -> Resource:
        if not self.config["balance_languages"]:
            return super().train(training_data)
        from rasa_components.multilingual_encoder import MULTILINGUAL_EMBEDDING_KEY

        # the stock class's examples (_create_training_matrix): one list for X, y and weights
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            return super().train(training_data)
        X, y = self._create_X(examples), [e.get(INTENT) for e in examples]
        spanish = np.array([e.get(MULTILINGUAL_EMBEDDING_KEY) is not None for e in examples])
        weights = np.ones(len(examples))
        if 0 < spanish.sum() < len(examples):
            # each language's examples weigh half of the whole
            weights[spanish] = len(examples) / (2 * spanish.sum())
            weights[~spanish] = len(examples) / (2 * (~spanish).sum())
        self.clf.fit(X, y, sample_weight=weights)
        self.persist()
        return self._resource

    @classmethod
    def load(cls, *args: Any, **kwargs: Any) -> LogisticRegressionIntentClassifier:
        component = super().load(*args, **kwargs)
        if hasattr(component.clf, "coef_"):
            # Scoring multiplies the message's features by coef_.T: stored column-major, that
            # transpose is contiguous, and scipy no longer copies the whole matrix per message
            # (same numbers, about 5 times faster).
            component.clf.coef_ = np.asfortranarray(component.clf.coef_)
        return component

    def process(self, messages: list[Message]) -> list[Message]:
        # Features are combined once per message (the stock class combines them twice).
        rows = [(message, sentence_features(message)) for message in messages]
        for message, row in rows:
            if row is None:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        rows = [(message, row) for message, row in rows if row is not None]
        if not rows:
            return messages
        probabilities = self.clf.predict_proba(vstack([row for _, row in rows], format="csr"))
        ranking_length = self.config[RANKING_LENGTH]
        for (message, _), row in zip(rows, probabilities, strict=True):
            ranking = sorted(
                ({"name": name, "confidence": confidence}
                 for name, confidence in zip(self.clf.classes_, row, strict=True)),
                key=lambda entry: -entry["confidence"],
            )
            message.set(INTENT, ranking[0], add_to_output=True)
            if ranking_length > 0:
                ranking = ranking[:ranking_length]
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
