"""Reading grade of a patient-facing text (Flesch-Kincaid, textstat 0.7.8 pinned: it ships its
dictionary), measured on the text as the patient sees it, with the clinic's details filled in."""

from __future__ import annotations

import textstat

from clinic import load_profile
from content.model import fill


def as_sent(text: str) -> str:
    return fill(text, **load_profile().as_slots())


def grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(as_sent(text)))


def words(text: str) -> int:
    """Words as read: a bullet's "- " marker is not one."""
    return len([w for w in as_sent(text).split() if w != "-"])
