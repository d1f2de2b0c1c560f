"""A Rasa featurizer that adds the all-MiniLM-L6-v2 sentence embedding (nlp/sentence_encoder.py).

Each message with a non-blank text gets its 384-float embedding as a dense *sentence* feature of
TEXT, which is what Rasa's classifiers read (LogisticRegressionClassifier and the project's
LogisticRegressionIntentClassifier read only the sentence features, sparse and dense side by side;
DIET reads sentence features too). No sequence (per-token) features: the model's word pieces do
not line up with spaCy's tokens, and no component in the pipeline reads them. A blank text gets no
feature, so it stays featureless and the intent classifier leaves it to the fallback as before.

The same vector is stored on the message under ``sentence_embedding`` (not part of the parse
output) so that a later component can reuse it without encoding again.

The weights' sha256 (and the tokenizer's and config's) is checked when the component is created,
which Rasa does both when training and when loading a model: a mismatch stops either.

    pipeline:
      - name: rasa_components.sentence_encoder.SentenceEncoderFeaturizer
        # max_tokens: 128   word pieces per text, [CLS] and [SEP] included
        # scale: 1.0        the feature is the unit-length embedding times this

``scale`` matters to a regularised linear classifier next to count features: the embedding's 384
values are small (unit length in all), so at scale 1 the logistic regression's penalty keeps it
from weighing much against the word and character counts. The vector kept on the message is
always the unit-length one.
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

from nlp import encoder_weights
from nlp.sentence_encoder import MAX_TOKENS, SentenceEncoder, shared_encoder

# The message key under which the embedding (float32, shape (384,), unit length) is kept.
EMBEDDING_KEY = "sentence_embedding"



def check_scale(component: str, config: dict[str, Any]) -> None:
    """A featurizer's `scale` setting is a positive number (both sentence-embedding featurizers)."""
    scale = config.get("scale", 1.0)
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not scale > 0:
        raise InvalidConfigException(f"{component}: scale must be a positive number, not {scale!r}")


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Dense sentence features from the all-MiniLM-L6-v2 sentence encoder."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "max_tokens": MAX_TOKENS, "scale": 1.0}

    @staticmethod
    def required_packages() -> list[str]:
        return ["tensorflow", "transformers", "tokenizers", "safetensors"]

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # Cached training results are reused only with the same weights.
        return (f"{encoder_weights.DISTRIBUTION}=={encoder_weights.installed_version()}"
                f":{encoder_weights.WEIGHTS_SHA256}")

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        max_tokens = config.get("max_tokens", MAX_TOKENS)
        if not isinstance(max_tokens, int) or not 2 <= max_tokens <= 512:
            raise InvalidConfigException(
                f"{cls.__name__}: max_tokens must be a whole number from 2 to 512, "
                f"not {max_tokens!r}"
            )
        check_scale(cls.__name__, config)

    def __init__(self, config: dict[str, Any], name: str, encoder: SentenceEncoder) -> None:
        super().__init__(name, config)
        self._encoder = encoder
        self._scale = float(config.get("scale", 1.0))

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        config = {**cls.get_default_config(), **config}
        cls.validate_config(config)
        # Reads the weights from the installed package and checks their sha256 (raises
        # EncoderWeightsError on a mismatch); one encoder per process and file.
        encoder = shared_encoder(max_tokens=config["max_tokens"])
        return cls(config, execution_context.node_name, encoder)

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize(messages)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    def _featurize(self, messages: list[Message]) -> None:
        todo = [message for message in messages
                if isinstance(message.get(TEXT), str) and message.get(TEXT).strip()]
        if not todo:
            return
        vectors = self._encoder.encode([message.get(TEXT) for message in todo])  # batched
        for message, row in zip(todo, vectors, strict=True):
            vector = row.copy()  # its own array, not a view of the whole batch
            message.set(EMBEDDING_KEY, vector)
            self.add_features_to_message(
                sequence=None, sentence=(vector * np.float32(self._scale))[np.newaxis, :],
                attribute=TEXT, message=message,
            )
