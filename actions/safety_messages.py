"""The wording of the safety layer's replies, filled from the clinic profile.

Pure functions (no Rasa), so a clinician can read every reply here and tests can check them.
"""

from __future__ import annotations

from collections.abc import Iterable

from clinic import ClinicProfile
from safety.levels import DOCTOR, EMERGENCY, EXPECTED
from safety.reassurance import reassurance_for
from safety.turn import SafetyTurn

FEVER_THRESHOLD = "100.4 °F (38 °C)"


def joined(labels: Iterable[str]) -> str:
    labels = list(labels)
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _about_someone_else(turn: SafetyTurn) -> bool:
    return any(f.get("rule") == "other_person" for f in turn.findings)


def emergency_message(turn: SafetyTurn, clinic: ClinicProfile) -> str:
    who = "They need" if _about_someone_else(turn) else "This needs"
    return (
        f"🚨 Call {clinic.emergency_number} now. You mentioned {joined(turn.labels)}. "
        f"After a trigger point injection this can be a sign of a serious reaction. "
        f"{who} emergency care right away. Then let {clinic.name} know at {clinic.phone}."
    )


def doctor_messages(turn: SafetyTurn, clinic: ClinicProfile) -> list[str]:
    whom = "Please help them contact their" if _about_someone_else(turn) else "Please contact your"
    return [
        f"⚠️ {whom} doctor or {clinic.name} today: call {clinic.phone} "
        f"({clinic.opening_hours}). You mentioned {joined(turn.labels)}, which can be a warning "
        f"sign after a trigger point injection.",
        f"Call {clinic.emergency_number} instead, right away, if there is trouble breathing, "
        f"chest pain, swelling of the lips, tongue or throat, or fainting.",
    ]


def reassurance_message(turn: SafetyTurn, clinic: ClinicProfile) -> str:
    facts = " ".join(dict.fromkeys(reassurance_for(f.get("sign", "")) for f in turn.findings))
    return (
        f"{facts} Call {clinic.name} at {clinic.phone} if it gets worse, spreads, lasts longer "
        f"than that, or you get a fever of {FEVER_THRESHOLD} or higher, redness, warmth or "
        f"swelling at the site."
    )


def safety_messages(turn: SafetyTurn, clinic: ClinicProfile) -> list[str]:
    """The texts for an emergency, doctor or expected-effect turn (info uses the FAQ answer)."""
    if turn.level == EMERGENCY:
        return [emergency_message(turn, clinic)]
    if turn.level == DOCTOR:
        return doctor_messages(turn, clinic)
    if turn.level == EXPECTED:
        return [reassurance_message(turn, clinic)]
    return []
