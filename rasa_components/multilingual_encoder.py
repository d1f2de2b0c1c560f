"""A Rasa featurizer that adds the multilingual sentence embedding (nlp/multilingual_encoder.py).

The all-MiniLM-L6-v2 featurizer (rasa_components/sentence_encoder.py) gives the intent classifier
English meaning only; this one adds a second dense sentence feature of TEXT, Google's Universal
Sentence Encoder multilingual v3, in which a Spanish question lies near its English twin. The
unit-length vector is also kept on the message under ``multilingual_embedding`` (not part of the
parse output), which the Spanish safety judge reads: one multilingual encoding per message.

    pipeline:
      - name: rasa_components.multilingual_encoder.MultilingualEncoderFeaturizer
        # scale: 1.0        the feature is the unit-length embedding times this
        # languages: [es]   only messages read first in one of these languages get the
        #                   embedding (nlp.language_choice.reading_languages); the others get
        #                   zeros. Not set: every message.

With `languages: [es]` the English intent model keeps its English meaning unchanged: measured on
the frozen sets, the multilingual feature on every message cost English questions (README, "NLU
pipeline choice"), while Spanish questions gain from it.

Both files' sha256 are checked when the component is created (training and loading).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlp import multilingual_encoder
from nlp.language_choice import reading_languages
from nlp.language_id import SPOKEN, identify
from nlp.multilingual_encoder import DIMENSIONS, MultilingualEncoder, shared_multilingual_encoder
from rasa_components.sentence_encoder import check_scale

MULTILINGUAL_EMBEDDING_KEY = "multilingual_embedding"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class MultilingualEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Dense sentence features from the multilingual Universal Sentence Encoder."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "scale": 1.0, "languages": None}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # Cached training results are reused only with the same weights, and the same language
        # identification deciding which messages get the embedding.
        from nlp import language_choice, language_id

        files = sorted(multilingual_encoder.EXPECTED_SHA256.items())
        return (f"{multilingual_encoder.DISTRIBUTION}:{files}:{multilingual_encoder.MAX_CHARACTERS}"
                f":{language_id.MODEL_SHA256}:{language_choice.SURE_WORDS}"
                f":{language_choice.SURE_SCORE}")

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        check_scale(cls.__name__, config)
        languages = config.get("languages")
        if languages is not None and not (isinstance(languages, list) and languages and all(
                code in SPOKEN for code in languages)):
            raise InvalidConfigException(
                f"{cls.__name__}: languages must be a list of {sorted(SPOKEN)}, not {languages!r}")

    def __init__(self, config: dict[str, Any], name: str, encoder: MultilingualEncoder) -> None:
        super().__init__(name, config)
        self._encoder = encoder
        self._scale = np.float32(config.get("scale", 1.0))
        languages = config.get("languages")
        self._languages = frozenset(languages) if languages else None

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> MultilingualEncoderFeaturizer:
        config = {**cls.get_default_config(), **config}
        cls.validate_config(config)
        return cls(config, execution_context.node_name, shared_multilingual_encoder())

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize(messages)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    def _reads(self, text: str) -> bool:
        return self._languages is None or reading_languages(identify(text))[0] in self._languages

    def _featurize(self, messages: list[Message]) -> None:
        texts = [message for message in messages
                 if isinstance(message.get(TEXT), str) and message.get(TEXT).strip()]
        todo = [message for message in texts if self._reads(message.get(TEXT))]
        vectors = self._encoder.encode([message.get(TEXT) for message in todo])  # batched
        for message, row in zip(todo, vectors, strict=True):
            vector = row.copy()
            message.set(MULTILINGUAL_EMBEDDING_KEY, vector)
            self.add_features_to_message(sequence=None, sentence=(vector * self._scale)[None, :],
                                         attribute=TEXT, message=message)
        zeros = np.zeros((1, DIMENSIONS), dtype=np.float32)  # every message: one feature width
        encoded = {id(message) for message in todo}
        for message in texts:
            if id(message) not in encoded:
                self.add_features_to_message(sequence=None, sentence=zeros, attribute=TEXT,
                                             message=message)
