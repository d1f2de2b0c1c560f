"""A message read in both languages (safety/two_readings.py): the language of all its function
words decides a sign it reads inside a question or a condition; everything else stays the higher
of the two readings. Through the real detectors of both languages and the real language guess."""

from __future__ import annotations

import pytest

from nlp.language_choice import context_language, reading_languages
from nlp.language_id import identify
from safety import two_readings
from safety.language import detector_for


def _level(text: str) -> str | None:
    guess = identify(text)
    reading = list(reading_languages(guess))
    assessments = [detector_for(code).assess(text) for code in reading]
    decided = two_readings.decide(assessments, reading, context_language(guess))
    levels = [a.level for a in decided if a.escalates]
    return "emergency" if "emergency" in levels else ("doctor" if levels else None)


@pytest.mark.parametrize(("text", "level"), [
    # a what-if in Spanish about a word English shares: the Spanish reading decides
    ("si sale pus q hago", None),
    ("y si nausea tambien?", None),
    # ... and in English about a Spanish word: the English reading decides
    ("what if infeccion", None),
    # a report in the same words still escalates
    ("si, me sale pus, q hago", "doctor"),
    ("si lo aprieto sale pus", "doctor"),
    # nor a message whose function words are of both languages
    ("tengo pus what do i do", "doctor"),
])
def test_the_reading_that_reads_the_grammar_decides_a_sign_asked_about(text, level):
    assert len(reading_languages(identify(text))) == 2, "the case must be read in both"
    assert _level(text) == level
