"""Round 16 of the English detector (session 22): kinds that the sixteenth blind development set
(tests/dev_round16/safety.yml) and the seventeenth's questions (tests/dev_round17/) showed
escalating or missed, each beside the report that must still escalate. The sentences are written
for these tests (never copied from a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # a question that a next sentence dates, or says will not stop, reports the sign ...
    ("is a rash around the spot normal? popped up this morning", "doctor"),
    ("should the red patch be getting wider every day? shot was on tuesday", "doctor"),
    ("is bleeding from the site normal? it hasn't stopped in an hour", "doctor"),
    # ... while a question asked ahead, or about an effect that is over, does not
    ("is bleeding from the site normal? asking before my appointment", None),
    # pain that came back stronger, or keeps climbing, is pain getting worse
    ("the ache eased for a day and then came back way worse", "doctor"),
    ("my shoulder pain keeps climbing since the injection", "doctor"),
    # the treated pain not helped by more than one round asks whether to go on ...
    ("three rounds of trigger point shots and I am still no better, should I try a fourth?", None),
    ("3 sessions and the site is still not better, it has been a month", "doctor"),
    # ... while worse after the shot is still a sign
    ("had the shot on monday and it's getting worse every day", "doctor"),
    # which of two is worse, asked in general ...
    ("which is more worrying after the shot, a temperature or a warm red patch?", None),
    # ... not with a report of its own
    ("which is more worrying, the fever or the redness? I have both right now", "doctor"),
    # idioms of surprise, waiting and anger
    ("nearly choked on my tea when I saw the bill", None),
    ("been on pins and needles for days waiting for the results", None),
    ("my sister will have a fit when she hears the price", None),
    # ... beside the real signs in the same words
    ("pins and needles in my arm since the shot, 12 hours now", "doctor"),
    ("my dad is having a fit on the floor right now", "emergency"),
    # a question that a next sentence dates is no question when that sentence also says all
    # is well ...
    ("can you get a fever from these? my injection was monday and I feel fine", None),
    ("does bruising spread? the shot was on friday, no bruise so far", None),
    # ... nor when something else "came up"
    ("is a fever normal after these? it came up today with my physio", None),
    # "wat if" is "what if"
    ("wat if my face swells up on the way home", None),
    ("wat do i do my lips are swelling", "emergency"),
    ("wat should i do about chest pain after the shot", "emergency"),
    # "it hasn't stopped" dates the sign, not what the writer has not stopped doing
    ("what are the signs of infection? I have not stopped worrying since friday", None),
    ("is it normal that the spot bleeds? it has not stopped since this morning", "doctor"),
    # the day of the injection dates only a question whether the sign is normal
    ("how common is a fever after the shot? my injection was monday", None),
    # figures offered after a threshold question are options, not a reading
    ("what counts as a fever after the shot? 38 or 38.5?", None),
    ("I have a fever after the shot, 38.5 or so", "doctor"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round16_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
