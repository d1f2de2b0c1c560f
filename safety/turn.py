"""What the safety layer decided for one user message, read back from its parse data.

The WarningSignComponent (rasa_components/warning_sign_component.py) writes its findings into
the parse data (the `safety` key, and entities for the findings that change the reply). The
policy (Rasa server) and the `action_safety_response` action (action server) both call
`assess_turn` so they never disagree.
Stories and test stories carry only entities, so the decision is made from entities; the `safety`
key is consulted only to tell "the detector found nothing" from "it found something harmless".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from safety.judge_labels import judge_label
from safety.levels import DOCTOR, EMERGENCY, ESCALATING, EXPECTED, INFO
from safety.reassurance import label_in

SAFETY_KEY = "safety"
ENTITY_WARNING_SIGN = "warning_sign"      # escalates: emergency or doctor
ENTITY_SAFETY_INFO = "safety_info"        # a hypothetical / general question about a sign
ENTITY_EXPECTED = "expected_effect"       # an expected after-effect: reassurance
SAFETY_ENTITIES = (ENTITY_WARNING_SIGN, ENTITY_SAFETY_INFO, ENTITY_EXPECTED)

CATCH_ALL_INTENT = "report_symptom"       # the ML model's catch-all for symptoms we lack
CATCH_ALL_SIGN = "unlisted_symptom"
CATCH_ALL_LABEL = "a new or unexplained symptom"
CATCH_ALL_LABELS = {"en": CATCH_ALL_LABEL, "es": "un síntoma nuevo o sin explicación"}
WARNING_SIGNS_INTENT = "ask_when_to_call_doctor"  # its answer already is the full list
# The learned judges' probability that the message needs an escalation, kept in `safety` by the
# WarningSignComponent. The catch-all needs the judges to lean that way too: on about 3,000
# development messages it had raised only false alarms (31, figures of speech and small talk the
# intent model took for a report; README, "The catch-all"), and the judge, trained on reports and
# figures of speech alike, put 25 of them under one half.
JUDGE_ESCALATION_KEY = "judge_escalation"
CATCH_ALL_JUDGE_AGREEMENT = 0.5


@dataclass
class SafetyTurn:
    level: str | None = None                  # emergency | doctor | info | expected | None
    findings: list[dict[str, Any]] = field(default_factory=list)  # the entities behind `level`

    @property
    def escalates(self) -> bool:
        return self.level in ESCALATING

    @property
    def signs(self) -> list[str]:
        """Sign ids of the escalating findings, in order, without repeats."""
        signs: list[str] = []
        for finding in self.findings:
            sign = finding.get("sign") or finding.get("value")
            if finding.get("entity") == ENTITY_WARNING_SIGN and sign not in signs:
                signs.append(sign)
        return signs

    @property
    def labels(self) -> list[str]:
        labels: list[str] = []
        for finding in self.findings:
            label = finding.get("label") or finding.get("value")
            if label not in labels:
                labels.append(label)
        return labels


    def labels_in(self, language: str) -> list[str]:
        """The labels in the reply's language: a finding read in another language (the message
        was read in both) is named with its sign's label in `language`."""
        labels: list[str] = []
        for finding in self.findings:
            label = finding.get("label") or finding.get("value")
            sign = finding.get("sign", "")
            if sign == CATCH_ALL_SIGN:
                label = CATCH_ALL_LABELS.get(language, CATCH_ALL_LABEL)
            elif finding.get("language", "en") != language:
                label = judge_label(sign, language) or label_in(sign, language) or label
            if label not in labels:
                labels.append(label)
        return labels


def assess_turn(parse_data: dict[str, Any] | None) -> SafetyTurn:
    """The reply level for one user message: emergency > doctor > info > expected > nothing."""
    parse_data = parse_data or {}
    entities = [e for e in parse_data.get("entities") or [] if e.get("entity") in SAFETY_ENTITIES]
    by_type = {kind: [e for e in entities if e["entity"] == kind] for kind in SAFETY_ENTITIES}

    signs = by_type[ENTITY_WARNING_SIGN]
    if signs:
        level = EMERGENCY if any(e.get("level") == EMERGENCY for e in signs) else DOCTOR
        return SafetyTurn(level, signs)

    intent = (parse_data.get("intent") or {}).get("name")
    # Only where the detector ran (live messages, not stories), found nothing at all, the
    # patient did not plainly say they are fine ("my breathing is fine" is not a symptom), and
    # the body is not named only in a figure of speech ("I need to get this off my chest").
    safety = parse_data.get(SAFETY_KEY)
    detector_found_nothing = (
        safety is not None
        and not (entities or safety.get("findings"))
        and not safety.get("wellbeing")
        and not safety.get("figure_of_speech")
    )
    judges = (safety or {}).get(JUDGE_ESCALATION_KEY)
    judges_agree = judges is None or judges >= CATCH_ALL_JUDGE_AGREEMENT
    if intent == CATCH_ALL_INTENT and detector_found_nothing and judges_agree:
        # The model heard a symptom the vocabulary lacks, and the judges lean the same way: the
        # model may add an escalation.
        catch_all = {
            "entity": ENTITY_WARNING_SIGN,
            "value": parse_data.get("text", ""),
            "sign": CATCH_ALL_SIGN,
            "label": CATCH_ALL_LABEL,
            "level": DOCTOR,
            "rule": "ml_catch_all",
        }
        return SafetyTurn(DOCTOR, [catch_all])
    if by_type[ENTITY_SAFETY_INFO] and intent != WARNING_SIGNS_INTENT:
        return SafetyTurn(INFO, by_type[ENTITY_SAFETY_INFO])
    if by_type[ENTITY_EXPECTED]:
        return SafetyTurn(EXPECTED, by_type[ENTITY_EXPECTED])
    return SafetyTurn()


def topics_to_answer(turn: SafetyTurn, topics: list[str]) -> list[str]:
    """The topics whose answers are still worth giving after this turn's safety reply (`turn`,
    from assess_turn; two close topics, a second topic): none after an escalation (the patient
    has been told to call; topic answers would bury it), and not the warning-sign list when the
    safety reply has just given it. Read by the dialogue policy and the action server alike."""
    if turn.escalates:
        return []
    if turn.level == INFO:
        return [topic for topic in topics if topic != WARNING_SIGNS_INTENT]
    return list(topics)
