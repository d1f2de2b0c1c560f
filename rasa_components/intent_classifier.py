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

The trained model is stored as its arrays (coefficients, intercepts, intent names) in a numpy file
read without pickle, and its settings in JSON, instead of the stock class's skops file: importing
skops costs 1.3-1.8 s of every start of a Rasa server (it lists its trusted types by walking every
loaded module), and a replica restarted after a crash is out of service that long. A model trained
before this change (a .skops file) still loads, through the stock code.
"""

from __future__ import annotations

import json
import logging
import zipfile
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.linear_model import LogisticRegression

logger = logging.getLogger(__name__)
ARRAYS, SETTINGS = "weights.npz", "settings.json"


class DamagedModel(RuntimeError):
    """A stored intent classifier that cannot be read: the server must not start without it."""


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

    def persist(self) -> None:
        if not hasattr(self.clf, "coef_"):
            return super().persist()  # nothing trained (no examples): the stock behaviour
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / ARRAYS, coef=np.ascontiguousarray(self.clf.coef_),
                     intercept=self.clf.intercept_, classes=np.asarray(self.clf.classes_, str),
                     n_iter=self.clf.n_iter_)
            (directory / SETTINGS).write_text(json.dumps(self.clf.get_params(), sort_keys=True))

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LogisticRegressionIntentClassifier:
        clf = None
        try:
            with model_storage.read_from(resource) as directory:
                if (directory / ARRAYS).exists():  # damaged: DamagedModel, not a blank model
                    clf = cls._read(directory)
        except ValueError as missing:  # Rasa's "resource does not exist"
            logger.debug("no stored intent classifier: %s", missing)
        if clf is None:
            # a model trained before the arrays (skops), or none at all: the stock loader
            component = super().load(config, model_storage, resource, execution_context,
                                     **kwargs)
        else:
            component = cls(config, execution_context.node_name, model_storage, resource)
            component.clf = clf
        if hasattr(component.clf, "coef_"):
            # Scoring multiplies the message's features by coef_.T: stored column-major, that
            # transpose is contiguous, and scipy no longer copies the whole matrix per message
            # (same numbers, about 5 times faster).
            component.clf.coef_ = np.asfortranarray(component.clf.coef_)
        return component

    @staticmethod
    def _read(directory) -> LogisticRegression:
        try:
            settings = json.loads((directory / SETTINGS).read_text())
            with np.load(directory / ARRAYS, allow_pickle=False) as arrays:
                clf = LogisticRegression(**settings)
                clf.coef_, clf.intercept_ = arrays["coef"], arrays["intercept"]
                clf.classes_, clf.n_iter_ = arrays["classes"], arrays["n_iter"]
        except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
            raise DamagedModel(f"the intent classifier in {directory} cannot be read: "
                               f"{error}") from error
        clf.n_features_in_ = clf.coef_.shape[1]
        return clf

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
