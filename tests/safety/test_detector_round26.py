"""Round 26 of the English detector (session 31): messages that need no escalation from a blind
development set written beside reports in the same words (tests/dev_round27/): figures of speech
about sympathy, a busy life and a tired evening, a fainting trait, nothing odd felt any more, a
fading bruise's colours, how anyone would tell they had a complication, "in the unlikely event"
and "should I get ..., <question>?"; each beside the report that must keep its level. The
sentences are written for these tests (never copied from a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # figures of speech and a trait
    ("our hearts went out to the family, anyway when is my next shot", None),
    ("so much on at work I hardly have a moment to breathe, any saturday slots?", None),
    ("gonna collapse onto the couch and watch a movie after my shot", None),
    ("I'm not the type to pass out, don't worry", None),
    ("he faints at the sight of needles, can he lie down for it?", None),
    # ... and the reports in the same words
    ("since the shot my heart keeps racing and won't slow down", "emergency"),
    ("I can hardly breathe since the injection", "emergency"),
    ("she collapsed onto the couch after the shot and isn't responding", "emergency"),
    # nothing odd felt any more; and numbness that has not gone
    ("it was numb for an hour, can't feel anything weird now", None),
    ("I can't feel my fingers and it's been 9 hours since the shot", "doctor"),
    # a fading bruise's colours; and pus near a bruise
    ("there's a greenish tinge from the bruise but it's fading", None),
    ("yellow pus is coming out of the bruise", "doctor"),
    # how anyone would tell; and the own told after it
    ("how would somebody know they had a collapsed lung from this?", None),
    ("how would I know if it's infected? it's red, hot and leaking", "doctor"),
    # in the unlikely event
    ("on the off chance my throat swells up after, should I use my epipen?", None),
    # "should I/we get ..., <question>?": an inverted condition of the writer's own
    ("should we notice swelling around the site tonight, do we call you?", None),
    ("should I start getting hives later, what do I take?", None),
    # ... and the questions about what to do that tell the sign
    ("should I get seen, my lips are swelling?", "emergency"),
    ("should I go to the ER, I have chest pain", "emergency"),
    ("should I get hives like this, is it normal?", "emergency"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round26_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
