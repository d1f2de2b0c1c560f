"""NLU components: the safety layer's learned judges (safety/judge.py) inside the Rasa pipeline.

Trained with the model (`rasa train`) on the labelled corpora in `safety/`, not on the NLU
training data. They decide nothing themselves: the WarningSignComponent, which runs next, joins a
judge and the rules under the rule in safety/judge.py.

- SafetyJudgeComponent (English) reads the sentence embedding that the encoder component already
  computed for the message (one encoding per message) and writes the judge's five probabilities
  into the parse data (`safety_judge`).
- SpanishSafetyJudgeComponent reads only messages read in Spanish (first, or as well: the language
  identifier's `reading`), over the multilingual encoder (nlp/multilingual_encoder.py; the
  featurizer's encoding of the message, rasa_components/multilingual_encoder.py), trained
  on the Spanish corpus `safety/corpus_es/`, and writes `safety_judge_es`. (Adding the English
  corpus, which the encoder puts in the same space, measured worse on the Spanish development
  sets: experiments/spanish/judge_es.py.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_components.language_id import LANGUAGE_KEY
from rasa_components.multilingual_encoder import MULTILINGUAL_EMBEDDING_KEY
from rasa_components.sentence_encoder import EMBEDDING_KEY
from safety.judge import (
    CORPUS,
    CORPUS_ES,
    QUESTION,
    Judge,
    load_corpus,
    load_development_round,
)

JUDGE_KEY = "safety_judge"
JUDGE_KEY_ES = "safety_judge_es"
MODEL_FILE = "judge.pkl"
MINIMUM_CORPUS = 1000
PROJECT = Path(__file__).resolve().parents[1]  # where a relative `nlu_questions` folder is


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True
)
class SafetyJudgeComponent(GraphComponent):
    KEY = JUDGE_KEY

    # The language of the rules that screen `nlu_questions` (safety.language.detector_for).
    LANGUAGE = "en"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # nlu_questions: {folder: the NLU data of this judge's language, intents: [...]}: those
        # intents' examples are added to the corpus as questions, so that the judge learns what
        # plain topic questions look like from the examples the intent model learns them from
        # (one source); an example this language's rules escalate is left out.
        # development_rounds: blind development sets (files, relative to the project) the judge
        # also learns from, labelled by safety.judge.load_development_round.
        return {"corpora": [str(CORPUS)], "nlu_questions": None, "development_rounds": []}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # Rasa's cache knows the config, not the corpus files or the encoder: a changed corpus
        # or encoder retrains the judge.
        import hashlib

        digest = hashlib.sha256(cls.encoder_identity().encode())
        spec = config.get("nlu_questions") or {}
        folders = [*(config.get("corpora") or []), *([PROJECT / spec["folder"]] if spec else [])]
        files = [path for folder in folders for path in sorted(Path(folder).glob("*.yml"))]
        for path in files + [PROJECT / name for name in config.get("development_rounds") or []]:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()

    @staticmethod
    def encoder_identity() -> str:
        from nlp import encoder_weights

        return f"{encoder_weights.DISTRIBUTION}:{encoder_weights.WEIGHTS_SHA256}"

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if "corpus" in config:  # the setting's old name: an old config would be ignored silently
            raise ValueError(f"{cls.__name__}: `corpus` is now `corpora`, a list of folders")
        spec = config.get("nlu_questions")
        if spec is not None and not (
                isinstance(spec, dict) and isinstance(spec.get("folder"), str)
                and isinstance(spec.get("intents"), list) and spec["intents"]
                and all(isinstance(i, str) for i in spec["intents"])):
            raise ValueError(f"{cls.__name__}: nlu_questions must be {{folder: a folder of NLU "
                             f"data, intents: a list of intent names}}, not {spec!r}")
        rounds = config.get("development_rounds") or []
        missing = [name for name in rounds if not (PROJECT / str(name)).is_file()]
        if not isinstance(rounds, list) or missing:
            raise ValueError(f"{cls.__name__}: development_rounds must list files of the project; "
                             f"not found: {missing or rounds!r}")

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 judge: Judge | None = None) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._judge = judge

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SafetyJudgeComponent:
        cls.validate_config(config)
        return cls(config, model_storage, resource)

    @staticmethod
    def encode(texts: list[str]):
        from nlp.sentence_encoder import shared_encoder

        return shared_encoder().encode(texts)

    def embedding(self, message: Message):
        """The message's embedding for this judge, or None when this judge does not read it."""
        return message.get(EMBEDDING_KEY)

    def train(self, training_data: TrainingData) -> Resource:
        texts: list[str] = []
        labels: list[str] = []
        for folder in self._config["corpora"]:
            more_texts, more_labels = load_corpus(Path(folder))
            if len(more_texts) < MINIMUM_CORPUS:
                raise ValueError(f"the safety judge's corpus {folder} has only "
                                 f"{len(more_texts)} messages")
            texts += more_texts
            labels += more_labels
        for name in self._config.get("development_rounds") or []:
            more_texts, more_labels = load_development_round(PROJECT / name)
            texts += more_texts
            labels += more_labels
        questions = self.nlu_questions()
        texts += questions
        labels += [QUESTION] * len(questions)
        self._judge = Judge.train(texts, self.encode(texts), labels)
        with self._storage.write_to(self._resource) as folder:
            self._judge.save(Path(folder) / MODEL_FILE)
        return self._resource

    def nlu_questions(self) -> list[str]:
        """The examples of `nlu_questions`' intents in its folder, but those the rules escalate."""
        spec = self._config.get("nlu_questions")
        if not spec:
            return []
        from rasa.shared.nlu.training_data.loading import load_data

        from safety.language import detector_for
        from safety.levels import ESCALATING

        # The folder's own files, not its subfolders: data/nlu holds the Spanish data in es/.
        examples = [example for path in sorted((PROJECT / spec["folder"]).glob("*.yml"))
                    for example in load_data(str(path)).intent_examples]
        wanted = set(spec["intents"])
        missing = wanted - {m.get(INTENT) for m in examples}
        if missing:  # a renamed intent would silently leave the judge without them
            raise ValueError(f"nlu_questions: no examples of {sorted(missing)} in {spec['folder']}")
        rules = detector_for(self.LANGUAGE)
        return [m.get(TEXT) for m in examples if m.get(INTENT) in wanted
                and rules.assess(m.get(TEXT)).level not in ESCALATING]

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> SafetyJudgeComponent:
        with model_storage.read_from(resource) as folder:
            judge = Judge.load(Path(folder) / MODEL_FILE)
        cls.encode(["hola"])  # the encoder is built now, not on a patient's first message
        return cls(config, model_storage, resource, judge)

    def process(self, messages: list[Message]) -> list[Message]:
        if self._judge is None:
            return messages
        for message in messages:
            text = message.get(TEXT)
            if not (text or "").strip():
                continue
            embedding = self.embedding(message)
            if embedding is None:
                continue
            probabilities = self._judge.probabilities([text], embedding)[0]
            message.set(self.KEY, {k: round(v, 4) for k, v in probabilities.items()},
                        add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True
)
class SpanishSafetyJudgeComponent(SafetyJudgeComponent):
    KEY = JUDGE_KEY_ES
    LANGUAGE = "es"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"corpora": [str(CORPUS_ES)], "nlu_questions": None, "development_rounds": []}

    @staticmethod
    def encoder_identity() -> str:
        from nlp import multilingual_encoder

        return (f"{multilingual_encoder.DISTRIBUTION}:"
                f"{sorted(multilingual_encoder.EXPECTED_SHA256.items())}"
                f":{multilingual_encoder.MAX_CHARACTERS}")

    @staticmethod
    def encode(texts: list[str]):
        from nlp.multilingual_encoder import shared_multilingual_encoder

        return shared_multilingual_encoder().encode(texts)

    def embedding(self, message: Message):
        reading = (message.get(LANGUAGE_KEY) or {}).get("reading") or ["en"]
        if "es" not in reading:
            return None
        # The featurizer's encoding of the message, when the pipeline has it (config.yml).
        embedding = message.get(MULTILINGUAL_EMBEDDING_KEY)
        return self.encode([message.get(TEXT)]) if embedding is None else embedding
