"""NLU component: the safety layer's learned judge (safety/judge.py) inside the Rasa pipeline.

Trained with the model (`rasa train`) on the labelled corpus in `safety/corpus/`, not on the NLU
training data. At run time it reads the sentence embedding that the encoder component already
computed for the message (one encoding per message) and writes the judge's five probabilities
into the parse data (`safety_judge`). It decides nothing itself: the WarningSignComponent, which
runs next, joins the judge and the rules under the rule in safety/judge.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_components.sentence_encoder import EMBEDDING_KEY
from safety.judge import CORPUS, Judge, load_corpus

JUDGE_KEY = "safety_judge"
MODEL_FILE = "judge.pkl"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True
)
class SafetyJudgeComponent(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"corpus": str(CORPUS)}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 judge: Judge | None = None) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._judge = judge

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SafetyJudgeComponent:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        from nlp.sentence_encoder import shared_encoder

        texts, labels = load_corpus(Path(self._config["corpus"]))
        if len(texts) < 1000:
            raise ValueError(f"the safety judge's corpus has only {len(texts)} messages")
        self._judge = Judge.train(texts, shared_encoder().encode(texts), labels)
        with self._storage.write_to(self._resource) as folder:
            self._judge.save(Path(folder) / MODEL_FILE)
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> SafetyJudgeComponent:
        with model_storage.read_from(resource) as folder:
            judge = Judge.load(Path(folder) / MODEL_FILE)
        return cls(config, model_storage, resource, judge)

    def process(self, messages: list[Message]) -> list[Message]:
        if self._judge is None:
            return messages
        for message in messages:
            embedding = message.get(EMBEDDING_KEY)
            text = message.get(TEXT)
            if embedding is None or not (text or "").strip():
                continue
            probabilities = self._judge.probabilities([text], embedding)[0]
            message.set(JUDGE_KEY, {k: round(v, 4) for k, v in probabilities.items()},
                        add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
