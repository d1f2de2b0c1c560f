"""The sign ids and patient-facing words of the learned judges' findings (safety/judge.py).

Kept apart from the judge, which imports the rules' and the sentence encoder's machinery (spaCy,
and through it TensorFlow: about 4 s), so the action server can name a judge's finding in a reply
without loading any of it.
"""

from __future__ import annotations

from safety.levels import DOCTOR, EMERGENCY

JUDGE_SIGN = {EMERGENCY: "judge_emergency", DOCTOR: "judge_doctor"}
JUDGE_LABELS = {
    "en": {EMERGENCY: "symptoms that can be serious",
           DOCTOR: "a change that your care team should check"},
    "es": {EMERGENCY: "síntomas que pueden ser graves",
           DOCTOR: "un cambio que su equipo médico debe revisar"},
}


def judge_label(sign: str, language: str) -> str | None:
    """The patient-facing words of a judge's finding in `language` (None: not the judge's)."""
    level = next((lvl for lvl, name in JUDGE_SIGN.items() if name == sign), None)
    if level is None:
        return None
    return JUDGE_LABELS.get(language, JUDGE_LABELS["en"])[level]
