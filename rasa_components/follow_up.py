"""NLU component: a follow-up question is answered about the topic in play.

"How long does that last?" or "is that dangerous?" has no topic of its own: the model classifies it
as `follow_up` (or is unsure). When the conversation's previous question was about a topic, this
component resolves the message to that topic, or to a closely related one the model ranks higher
("what about my blood thinner?" after the preparation answer is about stopping medicines). With
no topic in play, `follow_up` stays, and the rules answer with a short clarifying question and
topic buttons. A message the model confidently gives another topic is a new question and is left
alone, unless it points back ("where do they show up?") and the model is only moderately sure.

The parse data keeps what happened under `follow_up` (topic in play, what the model said), so the
staff console can show why an answer was given. Nothing here touches the safety layer, which
reads the message's own words.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.events import SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_components.parse_keys import CLOSE_TOPICS_KEY, PERSONAL_INTENT, SECOND_TOPIC_KEY
from safety.turn import assess_turn

FOLLOW_UP_INTENT = "follow_up"
FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"
FOLLOW_UP_KEY = "follow_up"

# The topics a follow-up may move to from the topic in play (the topic itself always counts).
# Keep these close: a follow-up goes deeper into the same subject, it does not change subject.
RELATED_TOPICS: dict[str, tuple[str, ...]] = {
    "ask_trigger_points": ("ask_what_is_tpi",),
    "ask_what_is_tpi": ("ask_medicines", "ask_procedure", "ask_trigger_points"),
    "ask_who_benefits": ("ask_effectiveness",),
    "ask_medicines": ("ask_stop_medication", "ask_risks"),
    "ask_preparation": ("ask_stop_medication", "ask_procedure"),
    "ask_stop_medication": ("ask_preparation", "ask_medicines"),
    "ask_procedure": ("ask_pain_during", "ask_duration", "ask_aftercare"),
    "ask_pain_during": ("ask_procedure",),
    "ask_duration": ("ask_procedure",),
    "ask_aftercare": ("ask_activity_after",),
    "ask_activity_after": ("ask_aftercare",),
    "ask_effectiveness": ("ask_repeat_injections",),
    "ask_repeat_injections": ("ask_effectiveness",),
    "ask_risks": ("ask_pneumothorax",),
    "ask_pneumothorax": ("ask_risks",),
    "ask_when_to_call_doctor": ("ask_risks",),
    "book_appointment": ("ask_contact",),
    "ask_contact": ("book_appointment",),
}
TOPICS = frozenset(RELATED_TOPICS)
# Above this the model's own topic stands: the message is a new question, not a follow-up.
NEW_QUESTION_CONFIDENCE = 0.5
# A message that points back ("where do THEY show up?") needs the model to be surer than that.
POINTING_BACK_CONFIDENCE = 0.75
POINTING_WORDS = frozenset({"it", "its", "that", "this", "they", "them", "those", "these",
                            "their",
                            # Spanish (docs/languages.md): "¿y eso cuánto dura?"
                            "eso", "esa", "ese", "esto", "esta", "este", "esos", "esas", "estos",
                            "estas", "ello", "aquello"})
# "It" as an empty subject points nowhere: "is it ok to drive?", "it's normal to feel sore".
EMPTY_IT = re.compile(r"\b(?:is|was|will|would|isn't|it's|its|it is)\s+(?:it\s+)?"
                      r"(?:\w+\s+){0,2}?(?:to|if)\b")
# A related topic replaces the topic in play only when the model gives it at least this much
# (and more than the topic): "what about my blood thinner?" names its subject, "and then?" does not.
RELATED_TOPIC_CONFIDENCE = 0.15
# A fallback whose best guess is another topic at least this likely is a new question.
OWN_TOPIC_CONFIDENCE = 0.35
# ... unless it opens as a follow-up does: "and can you feel it?", "¿y se puede sentir?"
FOLLOW_UP_OPENING = re.compile(r"\W*(?:and|y|e|also|so|but|what about|how about|también|tambien"
                               r"|entonces|pero|qué tal|que tal)\b", re.IGNORECASE)
# The topic stays in play for this many of the patient's latest messages.
TOPIC_MEMORY = 2


def topic_in_play(tracker: DialogueStateTracker | None) -> str | None:
    """The topic of the patient's latest questions in this session, if one is recent enough."""
    if tracker is None:
        return None
    seen = 0
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            return None
        if isinstance(event, UserUttered):
            intent = (event.intent or {}).get(INTENT_NAME_KEY)
            if intent in TOPICS:
                return intent
            # answered with two close topics (rasa_components/close_topics.py): the first one
            # (or the one beside a personal reading); a question about one's own case answered
            # with a topic's general facts after it: that topic; either unless the message
            # escalated (then no topic answer was given)
            answered = list(event.parse_data.get(CLOSE_TOPICS_KEY) or [])
            if intent == PERSONAL_INTENT:
                answered.append(event.parse_data.get(SECOND_TOPIC_KEY))
            answered = [t for t in answered if t in TOPICS]
            if answered and not assess_turn(event.parse_data).escalates:
                return answered[0]
            seen += 1
            if seen >= TOPIC_MEMORY:
                return None
    return None


def points_back(text: str) -> bool:
    text = EMPTY_IT.sub(" ", text.lower())
    return bool(POINTING_WORDS & set(re.findall(r"[a-záéíóúñ]+", text)))


def _another_topic(scores: dict[str, float], topic: str, text: str) -> bool:
    """The model hesitated (a fallback), but its best guess is a topic of its own, neither the
    topic in play nor one close to it, and the message neither points back nor opens as a
    follow-up ("and ...?", "¿y ...?"): a new question
    ("how do I book an appointment?" after the lung answer, split between contact and booking),
    left to the fallback (which may give both close topics), not a follow-up."""
    best = max((t for t in scores if t != FALLBACK_INTENT), key=scores.get, default=None)
    return (best in TOPICS and best != topic and best not in RELATED_TOPICS[topic]
            and scores[best] >= OWN_TOPIC_CONFIDENCE and not points_back(text)
            and not FOLLOW_UP_OPENING.match(text))


def resolve(intent: dict[str, Any], ranking: list[dict[str, Any]], topic: str | None,
            text: str = "") -> str | None:
    """The topic a message is about, or None to leave the model's intent as it is."""
    name, confidence = intent.get(INTENT_NAME_KEY), intent.get("confidence") or 0.0
    bar = POINTING_BACK_CONFIDENCE if points_back(text) else NEW_QUESTION_CONFIDENCE
    # A hesitant "out of scope" while a topic is in play ("even my vitamins?") is more likely a
    # follow-up than a change of subject; a confident one stays out of scope.
    is_follow_up = name in (FOLLOW_UP_INTENT, FALLBACK_INTENT) or (
        name in (*TOPICS, OUT_OF_SCOPE_INTENT) and confidence < bar
    )
    if topic is None or not is_follow_up:
        return None
    scores = {entry[INTENT_NAME_KEY]: entry["confidence"] for entry in ranking}
    if name == FALLBACK_INTENT and _another_topic(scores, topic, text):
        return None
    related = max(RELATED_TOPICS[topic], key=lambda t: scores.get(t, 0.0))
    best = scores.get(related, 0.0)
    if best >= RELATED_TOPIC_CONFIDENCE and best > scores.get(topic, 0.0):
        return related
    return topic


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class FollowUpResolver(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FollowUpResolver:
        return cls()

    def process(
        self, messages: list[Message], tracker: DialogueStateTracker | None = None
    ) -> list[Message]:
        topic = topic_in_play(tracker)
        for message in messages:
            intent = message.get(INTENT) or {}
            resolved = resolve(intent, message.get(INTENT_RANKING_KEY) or [], topic,
                               message.get(TEXT) or "")
            if resolved is None:
                continue
            message.set(FOLLOW_UP_KEY, {"topic": topic, "model_intent": dict(intent)},
                        add_to_output=True)
            message.set(INTENT, {INTENT_NAME_KEY: resolved, "confidence": 1.0},
                        add_to_output=True)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data
