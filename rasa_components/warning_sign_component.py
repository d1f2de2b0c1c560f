"""NLU component: runs the deterministic warning-sign detector on every user message.

It adds all findings (sign, level, span, context rule) to the parse data under `safety`, which the
tracker store keeps with the user's message, and turns the findings that change the reply into
entities (see safety/turn.py) that the dialogue policy acts on. The ML model never removes them.
The learned judge (rasa_components/safety_judge.py, which runs just before) may add one finding,
under the rule in safety/judge.py: it adds recall, it never silences what the rules found.

Languages (docs/languages.md): a message surely in English or Spanish is read by that language's
detector; any other message (short, unsure, mixed) by both, and every finding of both is kept, so
"fiebre" in an English conversation is not lost. Each language has its judge (the Spanish one
over a multilingual encoder), asked for the language the message is read in first, and for the
second language where that language's rules found a sign's words: a short Spanish message that
fastText guesses is English ("sangra mucho") still reaches the Spanish judge, a short English
question guessed Dutch ("will I bruise") does not. Each finding carries the language of its label.

The judges' escalation probability (emergency and doctor together, the highest of every judge
that read the message) is kept in `safety` as `judge_escalation`: the intent model's catch-all
for an unlisted symptom needs it (safety/turn.py).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_components.language_id import LANGUAGE_KEY
from rasa_components.safety_judge import JUDGE_KEY, JUDGE_KEY_ES
from safety import two_readings
from safety.assessment import Assessment
from safety.context import HYPOTHETICAL
from safety.judge import judge_finding
from safety.language import detector_for
from safety.levels import DOCTOR, EMERGENCY, EXPECTED
from safety.turn import (
    ENTITY_EXPECTED,
    ENTITY_SAFETY_INFO,
    ENTITY_WARNING_SIGN,
    JUDGE_ESCALATION_KEY,
    SAFETY_KEY,
)

EXTRACTOR_NAME = "WarningSignComponent"
# Which judge's probabilities (rasa_components/safety_judge.py) join the rules, by the language the
# message is read in first.
JUDGES = {"en": JUDGE_KEY, "es": JUDGE_KEY_ES}


def entity_type(finding: dict[str, Any]) -> str | None:
    """Which entity (if any) a finding becomes: only findings that change the reply do."""
    if finding["escalates"]:
        return ENTITY_WARNING_SIGN
    if finding["rule"] == HYPOTHETICAL:
        return ENTITY_SAFETY_INFO
    if finding["level"] == EXPECTED:
        return ENTITY_EXPECTED
    return None  # negated, before the procedure, ...: kept in `safety` for the staff only


def merged(assessments: list[Assessment]) -> dict[str, Any]:
    """One assessment's dict from several languages' readings: every finding kept, each marked
    with the language of its label; the level is the highest found."""
    first = assessments[0]
    findings = [(f, a.language) for a in assessments for f in a.findings]
    joined = Assessment(first.text, [f for f, _ in findings],
                        any(a.wellbeing for a in assessments) and not any(
                            a.escalates for a in assessments),
                        all(a.figure_of_speech for a in assessments), first.language)
    result = joined.to_dict()
    for finding, (_, language) in zip(result["findings"], findings, strict=True):
        finding["language"] = language
    result["language"] = first.language
    return result


def asked_judges(assessments: list[Assessment], reading: list[str]) -> list[str]:
    """The languages whose judge is asked. A judge reads its own language: on a message read in
    its language only second (the language is unsure), it speaks only where its rules found a
    sign's words, so that the Spanish judge's guess on a short English question ("WILL I
    BRUISE") adds no emergency."""
    return [code for index, (code, rules) in enumerate(zip(reading, assessments, strict=True))
            if code in JUDGES and (index == 0 or rules.findings)]


def judge_escalation(reading: list[str], message: Message) -> float | None:
    """The highest probability, of every judge that read the message, that it needs an
    escalation (emergency and doctor together): for the catch-all, a Spanish message read in
    English first still counts its Spanish judge. None when no judge ran (a model without
    judges)."""
    found = [message.get(JUDGES[code]) for code in reading if code in JUDGES]
    found = [p[EMERGENCY] + p[DOCTOR] for p in found if p]
    return round(max(found), 4) if found else None


def with_judges(assessments: list[Assessment], reading: list[str],
                message: Message) -> list[Assessment]:
    """Each language's rules, with what that language's judge adds (safety/judge.py). Every
    judge is asked against all the rules' findings together, so no judge adds an emergency over
    words another language's rules read as negated or figurative, and none adds what another
    judge already added."""
    everything = Assessment(assessments[0].text, [f for a in assessments for f in a.findings],
                            False, False, assessments[0].language)
    result = []
    asked = asked_judges(assessments, reading)
    for code, rules in zip(reading, assessments, strict=True):
        added = judge_finding(everything, message.get(JUDGES[code]), message.get(INTENT), code) \
            if code in asked else None
        if added is not None:
            rules = Assessment(rules.text, [*rules.findings, added], rules.wellbeing,
                               rules.figure_of_speech, rules.language)
            everything = Assessment(everything.text, [*everything.findings, added], False,
                                    False, everything.language)
        result.append(rules)
    return result


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class WarningSignComponent(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def __init__(self) -> None:
        for code in ("en", "es"):
            detector_for(code)  # built now, not on a patient's first message

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> WarningSignComponent:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text is None:
                continue
            language = message.get(LANGUAGE_KEY) or {}
            reading = language.get("reading") or ["en"]
            assessments = two_readings.decide(
                [detector_for(code).assess(text) for code in reading], reading,
                language.get("context"))
            assessment = merged(with_judges(assessments, reading, message))
            assessment[JUDGE_ESCALATION_KEY] = judge_escalation(reading, message)
            message.set(SAFETY_KEY, assessment, add_to_output=True)
            entities = list(message.get("entities", []))
            for finding in assessment["findings"]:
                kind = entity_type(finding)
                if kind:
                    entities.append(
                        {
                            "entity": kind,
                            "value": finding["text"],
                            "start": finding["start"],
                            "end": finding["end"],
                            "confidence": 1.0,
                            "extractor": EXTRACTOR_NAME,
                            "sign": finding["sign"],
                            "label": finding["label"],
                            "level": finding["level"],
                            "rule": finding["rule"],
                            "language": finding["language"],
                        }
                    )
            message.set("entities", entities, add_to_output=True)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data
