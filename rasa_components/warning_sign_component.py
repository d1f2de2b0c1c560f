"""NLU component: runs the deterministic warning-sign detector on every user message.

It adds all findings (sign, level, span, context rule) to the parse data under `safety`, which the
tracker store keeps with the user's message, and turns the findings that change the reply into
entities (see safety/turn.py) that the dialogue policy acts on. The ML model never removes them.
The learned judge (rasa_components/safety_judge.py, which runs just before) may add one finding,
under the rule in safety/judge.py: it adds recall, it never silences what the rules found.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_components.safety_judge import JUDGE_KEY
from safety import WarningSignDetector
from safety.assessment import Assessment
from safety.context import HYPOTHETICAL
from safety.judge import judge_finding
from safety.levels import EXPECTED
from safety.turn import ENTITY_EXPECTED, ENTITY_SAFETY_INFO, ENTITY_WARNING_SIGN, SAFETY_KEY

EXTRACTOR_NAME = "WarningSignComponent"


def entity_type(finding: dict[str, Any]) -> str | None:
    """Which entity (if any) a finding becomes: only findings that change the reply do."""
    if finding["escalates"]:
        return ENTITY_WARNING_SIGN
    if finding["rule"] == HYPOTHETICAL:
        return ENTITY_SAFETY_INFO
    if finding["level"] == EXPECTED:
        return ENTITY_EXPECTED
    return None  # negated, before the procedure, ...: kept in `safety` for the staff only


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class WarningSignComponent(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def __init__(self, detector: WarningSignDetector) -> None:
        self._detector = detector

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> WarningSignComponent:
        return cls(WarningSignDetector())

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text is None:
                continue
            rules = self._detector.assess(text)
            added = judge_finding(rules, message.get(JUDGE_KEY), message.get(INTENT))
            if added is not None:
                rules = Assessment(rules.text, [*rules.findings, added], rules.wellbeing)
            assessment = rules.to_dict()
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
                        }
                    )
            message.set("entities", entities, add_to_output=True)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data
