"""The intent model's catch-all for a symptom the vocabulary lacks (safety/turn.py): it escalates
to the doctor level only where the detector found nothing and the learned judges lean towards an
escalation too. On the development sets it had raised only false alarms (figures of speech and
small talk the intent model took for a report)."""

from __future__ import annotations

import pytest

from safety.turn import CATCH_ALL_INTENT, CATCH_ALL_JUDGE_AGREEMENT, assess_turn


def parse(judges: float | None, text: str = "my elbow feels strange since the shot",
          intent: str = CATCH_ALL_INTENT) -> dict:
    safety = {"level": None, "findings": [], "wellbeing": False, "figure_of_speech": False}
    if judges is not None:
        safety["judge_escalation"] = judges
    return {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [],
            "safety": safety}


@pytest.mark.parametrize(("judges", "escalates"), [
    (None, True),                             # no judge ran (a model without one): as before
    (CATCH_ALL_JUDGE_AGREEMENT, True),        # the judges lean towards an escalation
    (0.95, True),
    (CATCH_ALL_JUDGE_AGREEMENT - 0.01, False),  # the judges read no report
    (0.02, False),
])
def test_the_catch_all_needs_the_judges_to_lean_towards_an_escalation(judges, escalates):
    turn = assess_turn(parse(judges))
    assert turn.escalates is escalates
    if escalates:
        assert turn.level == "doctor" and turn.signs == ["unlisted_symptom"]


def test_only_the_catch_all_intent_escalates_on_its_own():
    assert not assess_turn(parse(0.99, intent="ask_aftercare")).escalates


def test_the_judges_probability_is_kept_with_the_rules_findings():
    """The pipeline's safety step writes `judge_escalation` (the asked judges' emergency and
    doctor probability together) next to the rules' findings."""
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from rasa_components.language_id import LANGUAGE_KEY
    from rasa_components.safety_judge import JUDGE_KEY
    from rasa_components.warning_sign_component import WarningSignComponent
    from safety.judge import LABELS
    from safety.turn import SAFETY_KEY

    judged = dict.fromkeys(LABELS, 0.0) | {"emergency": 0.1, "doctor": 0.25, "other": 0.65}
    message = Message(data={TEXT: "my elbow feels strange", LANGUAGE_KEY: {"reading": ["en"]},
                            JUDGE_KEY: judged})
    WarningSignComponent().process([message])
    assert message.get(SAFETY_KEY)["judge_escalation"] == pytest.approx(0.35)
    without = Message(data={TEXT: "my elbow feels strange", LANGUAGE_KEY: {"reading": ["en"]}})
    WarningSignComponent().process([without])
    assert without.get(SAFETY_KEY)["judge_escalation"] is None
