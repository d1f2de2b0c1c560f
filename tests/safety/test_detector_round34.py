"""Round 34 of the English detector (session 38), from a blind development set of questions
with traits and habits in passing and risk questions in unusual shapes, each beside true
reports in the same shapes (tests/dev_round49/), and from the older rounds' false alarms:
- an emergency-level sign told as a trait bound to a circumstance of daily life or said to be
  lifelong ("short of breath ON PLANES ANYWAY", "my heart pounds AT ANY NEEDLE", "hives
  EASILY", "IF I MISS my pills my heart races") in a message that asks something and tells of
  no injection had and nothing now; never "sometimes" or "whenever" alone, which may tell the
  days since the injection, nor "easily" after a denied sign ("I can't breathe easily");
- the "still" of "can I STILL walk the dog?" asks whether a plan holds and tells no sign now;
- a sign named alone and then asked how often it happens ("bleeding - DOES THAT HAPPEN a
  lot?", "nerve damage, HOW LIKELY IS THAT?"); never "is that normal?", which someone who has
  the sign asks;
- a question without its own subject that goes on from a question about the risk in general
  ("does it ever cause nerve damage? OR WEAKNESS in the arm?");
- asking what it MEANS IF a sign KEEPS coming tells of one seen ("what does it mean if my
  husband keeps fainting after his injections?");
- from the adversarial review: a dash written against a word is punctuation ("numb tongue-
  common??" had matched no sign); a short follow-on question ("... and ringing?") does not stand
  between a question and the sentence that dates it, nor does "both" ("both since lunch"), and
  "since lunch / this morning / the shot" dates a follow-up;
- review 48 (warning signs reported as questions): after the question, "MINE HASN'T GONE" (a
  negation that says it lasts), "I'M ALSO really dizzy" (another sign of the writer's),
  "IT'S ON THE LEFT SIDE" (where it is felt), or, after "what does it MEAN IF ...", the
  injection told as had today, make the sign the writer's own.
Each sits beside a message in the same words that keeps its level. The sentences are written
for these tests (never copied from a development, review or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # an emergency sign as a trait of daily life, in a message that asks something
    ("can I take a train home afterwards? I always get short of breath in crowded tunnels "
     "anyway", None),
    ("can I take a train home afterwards? I got short of breath in the tunnel after the shots "
     "this morning", "emergency"),
    ("which numbing medicine do you use? my heart pounds at any needle at the dentist", None),
    ("which numbing medicine do you use? my heart is pounding right now", "emergency"),
    ("will the plaster bother me? I come out in hives easily from tape", None),
    ("will the plaster bother me? I came out in hives all over an hour after the injection",
     "emergency"),
    ("should I bring my inhaler? I always wheeze in winter", None),
    ("should I bring my inhaler? I'm wheezing since the injection", "emergency"),
    # "sometimes" and "whenever" alone may tell the days since the injection
    ("can I go to work? I sometimes get short of breath", "emergency"),
    ("whenever I breathe in my chest hurts, is that normal?", "emergency"),
    # "easily" after a denied sign is the manner, not a trait
    ("can I go to work? I can't breathe easily", "emergency"),
    # the "still" of a question
    ("can I still cycle to work? I'm always out of breath on the big hill anyway", None),
    ("can I still cycle to work? I'm out of breath still and it's been an hour since the shot",
     "emergency"),
    # a sign named alone, then asked how often it happens
    ("infection - does that happen a lot?", None),
    ("nerve damage, how likely is that?", None),
    ("chest pain, is that normal?", "emergency"),
    ("infection - does that happen a lot? my site is hot and red since yesterday", "doctor"),
    # a subjectless question going on from a general one
    ("can it ever cause a fever? or chills?", None),
    ("can it ever cause a fever? my temp is 38.9 today", "doctor"),
    ("is this normal? and my lips going numb?", "emergency"),
    # the meaning of a sign that keeps coming
    ("what does it mean if my wife keeps passing out since her injections?", "emergency"),
    ("what if I pass out during the injection?", None),
    # a dash written against a word is punctuation ("tongue-" had matched no sign)
    ("chest pain- what do I do", "emergency"),
    ("my lip feels numb -is that ok", "emergency"),
    ("throat closing-- help", "emergency"),
    ("felt a bit light-headed on the table, fine since", None),
    # a follow-on question does not stand between a question and its dating
    ("can it give you a metallic taste? or buzzing ears? both since 2pm", "emergency"),
    ("can it give you a metallic taste? or buzzing ears? asking before I book", None),
    # review 48: a question followed by what tells it is the writer's own
    ("how long do headaches last after the shots? mine hasn't gone in 3 days", "doctor"),
    ("how long do headaches last after the shots? mine's gone now", None),
    ("is a racing heart normal after the injection? I'm also really light-headed", "emergency"),
    ("is a racing heart normal after the injection? I'm also on beta blockers", None),
    ("is tightness in the chest normal the day after? it's on the right side", "emergency"),
    ("is tightness in the chest normal the day after? it's on the leaflet", None),
    ("does it mean something bad if I can't get a full breath? got my shots this morning",
     "emergency"),
    ("what does it mean if you can't get a full breath? had my shots this morning and all good",
     None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round34_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
