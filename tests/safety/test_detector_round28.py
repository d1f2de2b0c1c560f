"""Round 28 of the English detector (session 32): topic questions that use warning-sign words,
from a blind development set of questions (tests/dev_round29/): signs offered as the answers of a
question about risks or about what the injection feels like, side effects "like" a sign, a known
allergy told as a habit, bruising easily, sweating at the thought of needles, the sting or burn
while the medicine goes in, fainting at blood tests told in the perfect, the muscle's twitch the
clinic page describes, "a good fit", "dont wanna get";
each beside the report that must keep its level. The sentences are written for these tests
(never copied from a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # signs offered as the answers of a question about risks; and a report after such a question
    ("what can go wrong with these? nerve damage? infection?", None),
    ("what's the worst side effect, bleeding or a fever?", None),
    ("what are the risks? I've got a fever and pus at the site", "doctor"),
    ("is this a side effect? bleeding, fever?", "doctor"),
    # an emergency sign offered is asked about only as a complication's name
    ("side effects? a collapsed lung?", None),
    ("side effects? can't breathe?", "emergency"),
    # ... or what the injection feels like
    ("what is it like during the injection? sore? burning?", None),
    # side effects "like" a sign; and a report told after it
    ("are there any side effects like numbness?", None),
    ("are there side effects like numbness? my hand has been numb for two days", "doctor"),
    # a known allergy told as a habit; and hives now
    ("peanuts give me hives, does that matter for the injection?", None),
    ("I've come out in hives all over since the shot", "emergency"),
    # bruising easily; and a bruise that grows
    ("I bruise easy, will I get a mark?", None),
    ("the bruise where they injected keeps getting bigger", "doctor"),
    # sweating at the thought; and sweats with a fever
    ("I get sweaty just thinking about the needle, is that normal?", None),
    ("sweating and shivering with a temperature of 38.9 since the injection", "doctor"),
    # the sting or burn while the medicine goes in; and a site that burns since
    ("will it burn as the steroid goes in?", None),
    ("the site has been burning since yesterday's injection", "doctor"),
    # fainting at blood tests, told in the perfect; and fainting now
    ("I've passed out at blood draws before, can I lie down?", None),
    ("I've fainted at blood tests before but never like this, I keep blacking out", "emergency"),
    # the muscle's twitch during the injection; and twitching that will not stop
    ("does the twitching stop once the knot lets go?", None),
    ("my arm won't stop twitching since the shot", "emergency"),
    # a good fit; and a fit
    ("would my husband be a good fit for trigger point injections?", None),
    ("my husband had a fit after his injection", "emergency"),
    # not wanting an infection; and one told
    ("dont wanna get an infection, what should I do after?", None),
    # "... just had one" after a question about a sign
    ("is a seizure possible after these? my son just had one", "emergency"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round28_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
