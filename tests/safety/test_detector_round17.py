"""Round 17 of the English detector (session 23): kinds that the eighteenth blind development
set (tests/dev_round18/safety.yml) and two reviewers' look-alike reports showed, each beside the
message that must keep its level. The sentences are written for these tests (never copied from
a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # "tell me if ...", "let me know whether ..." about the patient's own sign asks about it
    # while it is there: no condition ...
    ("tell me if the hives on my chest are an allergy", "emergency"),
    ("let me know whether the redness around my site is infected", "doctor"),
    ("let me know if I should come in, the lump is getting bigger", "doctor"),
    ("tell me why the site keeps bleeding", "doctor"),
    ("tell me if it is normal, my lips are swelling", "emergency"),
    # ... while one about anyone's, the procedure, a risk, the usual course or what may come
    # still asks
    ("let me know if a temperature after the injection is normal", None),
    ("tell me whether the injection is painful", None),
    ("tell me what to do if my lips swell", None),
    ("how would I know if I had an infection?", None),
    ("tell me if the lidocaine can make my throat swell", None),
    ("let me know if the bruising usually fades in a week", None),
    ("let me know if I get a fever, what should I do", None),
    ("let me know if it is normal to have chest pain after these", None),
    # "I have both" and "that's what's happening" after two signs asked about report them ...
    ("what's more worrying, a fever or pus? I have both", "doctor"),
    ("are hives and a swollen tongue normal? because that's what's happening", "emergency"),
    ("can these cause hives or a tight throat? she's got both", "emergency"),
    # ... not "both" of something else
    ("can it cause hives or swelling? I had both shoulders done last year", None),
    # a knife in the chest is chest pain
    ("it feels like a knife in my chest when I take a breath", "emergency"),
    # "rn" is right now
    ("please tell me if this is bad, cant breathe rn after the shot", "emergency"),
    # the usual course told, then the time it has been: the time decides
    ("the numbness usually goes away in an hour right? it's been 10 hrs", "doctor"),
    ("the numbness usually goes away in an hour right? it's been 20 minutes", None),
    # a claim heard that the steroid makes anyone feel a sign
    ("my neighbour reckons the steroid makes you feel shaky, true?", None),
    ("the steroid makes me feel shaky since yesterday", "doctor"),
    # a relative's sign decades ago
    ("my uncle had a collapsed lung decades ago, does that matter for my injections?", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round17_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
