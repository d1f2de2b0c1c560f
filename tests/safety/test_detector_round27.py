"""Round 27 of the English detector (session 32): messages that need no escalation from a blind
development set (tests/dev_round28/): an event dated by a time of life, a trait that "has always
been", a risk asked about someone else, devices that buzz, tight muscles as one big knot, bumping
into furniture, cerebral palsy, someone else calling the writer by a wrong name, not good with a
thing, things that collapse, the needle's sting while the medicine went in, a complaint since an
old injury; and a question confirmed by "because it is". Each beside the report
that must keep its level. The sentences are written for these tests (never copied from a
development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # a time of life long before the injection; and the same words about now
    ("I broke out in hives from amoxicillin when I was around 25", None),
    ("my grandad had a collapsed lung in his forties, is that hereditary?", None),
    ("I'm in my forties and I've had hives all over since the shot", "emergency"),
    ("when I was in the car my face started drooping on one side", "emergency"),
    # a trait that has always been; and one that changed since the injection
    ("my hands have always been a bit shaky, will that matter?", None),
    ("my voice has always been a little hoarse since my thyroid op", None),
    ("my voice was always fine but since the injection it's hoarse", "emergency"),
    # a risk asked about someone else; and a report told with it
    ("he takes blood thinners, is he more likely to bleed a lot after?", None),
    ("are women more likely to faint during the injection?", None),
    ("my husband is bleeding a lot through the bandage since his shot", "emergency"),
    # devices that buzz; and a limb that does
    ("my alarm buzzed at 5 and I jumped out of my skin, is my slot at 9?", None),
    ("my arm is buzzing and numb 8 hours after the shot", "doctor"),
    # tight muscles as one big knot; and a lump that grows
    ("my shoulders are basically one big knot, can you do both sides?", None),
    ("there's a big hard lump where they injected and it keeps growing", "doctor"),
    # bumping into furniture; and the site that swells
    ("I bumped my shoulder on the door frame, nothing else to report", None),
    ("the injection site is swollen, hot and red", "doctor"),
    # cerebral palsy; and a drooping face
    ("my son has cerebral palsy, can he have trigger point injections?", None),
    ("her face is drooping on one side since the injection", "emergency"),
    # someone else calling the writer by a wrong name; and a relative who is confused
    ("lol the nurse called me by my sister's name, anyway all good", None),
    ("my mum keeps calling me by the wrong name since her injection this morning", "emergency"),
    # not good with a thing; and unwell
    ("I'm not very good with phones, can I book by calling?", None),
    ("I'm not very good, feverish and shaking since the shot", "doctor"),
    # things that collapse; and a person who does
    ("the marquee collapsed at the fete so I missed your call", None),
    ("my husband collapsed in the garden after his injection", "emergency"),
    # the needle's sting while the medicine went in; and a site that stings since
    ("it stung for a bit as the lidocaine went in, fine after", None),
    ("the spot has been stinging and burning since the injection yesterday", "doctor"),
    # a complaint dated by an injury long before; and one dated by the injection
    ("my upper back has ached on and off since my whiplash in 2017", None),
    ("my arm has been numb and weak for two days since the injection", "doctor"),
    # a question confirmed by "because it is"; and a question only
    ("would it be bad if my hand was still numb the next day? because it is", "doctor"),
    ("could the shot cause a rash? because it does for some people", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round27_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
