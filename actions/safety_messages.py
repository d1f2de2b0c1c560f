"""The safety layer's replies, built from the templates of content/safety.yml and filled from the
clinic profile.

The wording (with the source of each statement) lives in content/safety.yml, and the reassurance
for each expected effect in safety/vocabulary.yml; this module only picks the template and fills
it. Pure functions (no Rasa), so tests can check every reply.
"""

from __future__ import annotations

from collections.abc import Iterable

from clinic import ClinicProfile
from content.model import fill, safety_text
from safety.levels import DOCTOR, EMERGENCY, EXPECTED
from safety.reassurance import reassurance_for
from safety.turn import SafetyTurn

BELOW_THRESHOLD = "below_threshold"  # a temperature under the fever threshold (safety/decide.py)


def joined(labels: Iterable[str], language: str = "en") -> str:
    labels = list(labels)
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + (" y " if language == "es" else " and ") + labels[-1]


def _about_someone_else(turn: SafetyTurn) -> bool:
    return any(f.get("rule") == "other_person" for f in turn.findings)


def _text(response: str, clinic: ClinicProfile, language: str, **values: str) -> str:
    return safety_text(response, language=language, **clinic.as_slots(language), **values)


def emergency_message(turn: SafetyTurn, clinic: ClinicProfile, language: str = "en") -> str:
    response = ("safety_emergency_other_person" if _about_someone_else(turn)
                else "safety_emergency")
    return _text(response, clinic, language, signs=joined(turn.labels_in(language), language))


def doctor_messages(turn: SafetyTurn, clinic: ClinicProfile, language: str = "en") -> list[str]:
    response = "safety_doctor_other_person" if _about_someone_else(turn) else "safety_doctor"
    return [
        _text(response, clinic, language, signs=joined(turn.labels_in(language), language)),
        _text("safety_doctor_emergency_line", clinic, language),
    ]


def _facts(finding: dict, clinic: ClinicProfile, language: str) -> str:
    """What is known about one expected effect: its reassurance, else the general one."""
    if finding.get("rule") == BELOW_THRESHOLD:
        label = finding.get("label") or finding.get("value") or ""
        return _text("safety_reassurance_temperature", clinic, language, signs=label)
    text = reassurance_for(finding.get("sign", ""), language)
    if text is None:
        return _text("safety_reassurance_generic", clinic, language)
    return fill(text, **clinic.as_slots(language))


def reassurance_message(turn: SafetyTurn, clinic: ClinicProfile, language: str = "en") -> str:
    facts = " ".join(dict.fromkeys(_facts(f, clinic, language) for f in turn.findings))
    return f"{facts} {_text('safety_reassurance_tail', clinic, language)}".strip()


def safety_messages(turn: SafetyTurn, clinic: ClinicProfile, language: str = "en") -> list[str]:
    """The texts for an emergency, doctor or expected-effect turn (info uses the FAQ answer), in
    the conversation's language ("en" or "es")."""
    if turn.level == EMERGENCY:
        return [emergency_message(turn, clinic, language)]
    if turn.level == DOCTOR:
        return doctor_messages(turn, clinic, language)
    if turn.level == EXPECTED:
        return [reassurance_message(turn, clinic, language)]
    return []
