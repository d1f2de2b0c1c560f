"""NLU component: when the model hesitates between two topics, the patient gets both answers.

The FallbackClassifier answers "not sure" when the intent model's best topic is under its
threshold or barely ahead of the next one. Most such questions are split between two neighbouring
topics ("how long is the procedure?": the procedure or its duration), and one of the two is right
far more often than neither (README, "Two close topics"). So when the fallback has the last word,
the two best topics of the clinic pages are each likely enough, and nothing else (a follow-up,
a report, small talk) is among them, the message keeps `nlu_fallback` and gets the two topics
under `close_topics`: the fallback action (actions/fallback_answer.py) gives both answers, and the
next follow-up is about the first of them (rasa_components/follow_up.py).

The model can also be sure enough of one topic and still give a second one a real chance: the
blind writers' questions, each fold left out in turn, were about two times in five about that
second topic when it reached 0.25 (`python -m experiments.nlu_classifiers.second_answer`). Such a
message keeps its intent (the rules answer it, and the safety judge reads it as before) and gets
the second topic under `second_topic`: after the answer, the dialogue policy adds that topic's
answer too (rasa_components/safety_first_policy.py, actions/second_answer.py).

A question about the patient's own case (`ask_medical_advice`, whose reply says the assistant
gives general facts only and points to the doctor) counts beside a topic in both cases: the
personal reply comes first, then "Here are the general facts on this:" and the topic's answer
(session 41; a personal reply alone, or "not sure", left the patient without the facts).

Runs after the FollowUpResolver: a follow-up resolved to the topic in play is not a hesitation.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from rasa_components.follow_up import FALLBACK_INTENT, FOLLOW_UP_KEY, TOPICS
from rasa_components.parse_keys import CLOSE_TOPICS_KEY, PERSONAL_INTENT, SECOND_TOPIC_KEY


def _ranked(ranking: list[dict[str, Any]]) -> list[tuple[str, float]]:
    """The model's intents, most likely first, without the fallback's own entry."""
    return sorted(((e[INTENT_NAME_KEY], e["confidence"]) for e in ranking
                   if e[INTENT_NAME_KEY] != FALLBACK_INTENT), key=lambda entry: -entry[1])


def close_topics(intent: dict[str, Any], ranked: list[tuple[str, float]], first: float,
                 second: float) -> list[str] | None:
    """The two topics to answer, or None (see the module docstring)."""
    if intent.get(INTENT_NAME_KEY) != FALLBACK_INTENT:
        return None
    if len(ranked) < 2:
        return None
    (one, p_one), (two, p_two) = ranked[:2]
    # a topic beside a reading as a question about the patient's own case: both replies too
    # (the personal one first, then that topic's general facts: actions/fallback_answer.py)
    pair = {one, two} - {PERSONAL_INTENT}
    if pair <= TOPICS and p_one >= first and p_two >= second:
        return [one, two]
    return None


def second_topic(intent: dict[str, Any], ranked: list[tuple[str, float]], also: float
                 ) -> str | None:
    """The topic to answer after the model's own, or None (see the module docstring): only when
    the intent is the model's first topic (not a follow-up resolved to the topic in play) and the
    next topic reaches `also`. The model's own may also be a question about the patient's own
    case (`PERSONAL_INTENT`): its reply points to the doctor, and the topic after it gives the
    general facts the pages have."""
    if len(ranked) < 2 or intent.get(INTENT_NAME_KEY) != ranked[0][0]:
        return None
    (one, _), (two, p_two) = ranked[:2]
    first_answered = one in TOPICS or one == PERSONAL_INTENT
    return two if first_answered and two in TOPICS and p_two >= also else None


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CloseTopicsResolver(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # How likely each of the two topics must be (chosen on the development questions,
        # `python -m experiments.nlu_classifiers.knn_blend --join-two 0.15 --join-top 0.25`);
        # how likely a second topic must be to be answered after a topic the model is sure of
        # (`python -m experiments.nlu_classifiers.second_answer`).
        return {"first": 0.25, "second": 0.15, "also": 0.25}

    def __init__(self, config: dict[str, Any]) -> None:
        self._first = float(config["first"])
        self._second = float(config["second"])
        self._also = float(config["also"])

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> CloseTopicsResolver:
        if not 0 < config["second"] <= config["first"] < 1 or not 0 < config["also"] < 0.5:
            raise ValueError(f"{cls.__name__}: need 0 < second <= first < 1 and "
                             f"0 < also < 0.5, not {config}")
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            ranked = _ranked(message.get(INTENT_RANKING_KEY) or [])
            topics = close_topics(intent, ranked, self._first, self._second)
            if topics:
                message.set(CLOSE_TOPICS_KEY, topics, add_to_output=True)
            elif not message.get(FOLLOW_UP_KEY):
                also = second_topic(intent, ranked, self._also)
                if also:
                    message.set(SECOND_TOPIC_KEY, also, add_to_output=True)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data
