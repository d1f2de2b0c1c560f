"""Round 33 of the English detector (session 37), from the false alarms of a blind development
set (round 34) read by kind:
- rule 10 read per sentence: a question that names no one (no person or relative, no body part
  but "a" one, no "the" before the sign), no time and no number, and that opens with a question
  word or an inverted verb, asks about the risk in general ("is there a lot of bleeding with
  TPI?"); a question that points at the writer's own ("is THE redness normal?", "could IT BE
  infected?", "MIGHT BE getting a fever?", "... SINCE this morning", "WHY is the swelling getting
  worse?") still escalates;
- "more" as a sign of an injection behind is that word alone, not every form of "much" ("is there
  MUCH bleeding with TPI?");
- a sign told in a year from 1930 to 1959 is history ("her scarlet fever in 1952");
- blood that has dried has stopped ("a tiny DRIED DOT of blood on the plaster");
- a temperature "in the shade" is the weather's, also after "killing me," in the clause before;
- from the development rounds' effects over within their window: the pain that flares as the
  numbing wears off is the pain coming back; "now I'm good" ends an effect; "haven't felt it
  since" is not numbness; "every day it's a bit better" and "every day less," improve; a length
  told beats the day it is now for an effect that has stopped;
- sizes that grow, told one after another with no word of growing ("3cm Monday, 6cm Tuesday,
  9cm today"), make a bruise or swelling DOCTOR (`safety/sizes.py`; the one report the
  adversarial reviews of session 36 found missed end to end);
- a question in a general shape that gives a time since the injection in its sentence or the
  next asks about the writer's own sign ("is it normal to get a blister at the site 2 DAYS
  LATER?", "how long does chest tightness last? STARTED after lunch"), but not inside a
  condition, a plan, a habit or a story retold (review 48, warning signs reported as questions);
- a subject after "feels like" stays inside the condition ("if my throat ever feels like it's
  closing, ...").
Each sits beside a message in the same words that keeps its level. The sentences are written
for these tests (never copied from a development, review or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # asked of no one: the risk in general
    ("is there a lot of bleeding with trigger point injections or hardly any?", None),
    ("what does a yellow crust on a wound usually mean?", None),
    ("how bad can the swelling get with trigger point shots, generally?", None),
    ("could heavy bleeding happen with a trigger point injection?", None),
    # ... but not when the question points at the writer's own
    ("is the swelling normal?", "doctor"),
    ("is there a lot of bleeding from the arm with trigger point shots?", "doctor"),
    ("could it be infected?", "doctor"),
    ("might be getting a fever?", "doctor"),
    ("is this swelling normal?", "doctor"),
    ("is heavy bleeding normal? it started an hour ago", "emergency"),
    ("why can't I breathe properly?", "emergency"),
    ("is it normal that my lips are swelling up?", "emergency"),
    ("what does it mean when she can't lift her arm?", "emergency"),
    ("how long does swelling like this last? since yesterday", "doctor"),
    ("is there a lot of bleeding from an arm with trigger point shots?", None),
    ("is it meant to sting when I breathe in?", "emergency"),
    ("is there heavy bleeding with these? asap please", "emergency"),
    ("is there a lot of bleeding with it? it won't stop", "doctor"),
    ("is the knot red and sore?", "doctor"),
    ("why is the swelling getting worse instead of better?", "doctor"),
    # an old year is history
    ("my gran had a fever in 1949, can she have TPI?", None),
    ("my gran had a fever in 1949 and again since her TPI on Monday", "doctor"),
    # dried blood has stopped
    ("took the bandage off at lunch, one little dried spot of blood on it, all fine", None),
    ("took the bandage off at lunch, a spot of blood on it and it's still oozing now", "doctor"),
    # effects over within their window
    ("the ache flared as the numbing wore off last night, settled by this morning", None),
    ("the ache flared as the numbing wore off and it's still getting worse on day 4", "doctor"),
    ("numb for an hour, achy for two days, now I'm good. can I swim?", None),
    ("numb for four days, now I'm good", "doctor"),
    ("felt woozy for a minute after. haven't felt it since, it's been a day", None),
    ("I haven't felt my fingers since the shot yesterday", "doctor"),
    ("achy on day 2 but every day it's a bit better", None),
    ("achy since the shot and every day it gets worse, not better", "doctor"),
    ("achy for two days, today is day six and I'm back to normal", None),
    ("achy for six days, today is day seven and it's gone", "doctor"),
    # sizes that grow
    ("bruise check: 2cm on Friday, 4cm Saturday, 7cm this morning", "doctor"),
    ("the swelling was 1 inch yesterday and it's 2 inches now", "doctor"),
    ("bruise check: 7cm on Friday, 4cm Saturday, 2cm this morning", None),
    ("a small bruise, about 2 cm, fading", None),
    # a general question dated as the writer's own
    ("is it normal to get little blisters at the site 3 days later?", "doctor"),
    ("is it normal to get little blisters at the site?", None),
    ("how long does chest tightness last after trigger point shots? started after lunch",
     "emergency"),
    ("how long does chest tightness last after trigger point shots?", None),
    ("is oozing from the injection spot normal on day 5?", "doctor"),
    ("could oozing from the injection spot still happen on day 5?", None),
    ("my sister said hers oozed on day 5, is that normal?", None),
    # a subject after "feels like" stays inside the condition
    ("if my chest ever feels like it's being squeezed I call 911, right?", None),
    ("my chest feels like it's being squeezed", "emergency"),
    # the weather's temperature after a comma
    ("this heat is killing me, 40 degrees in the shade. still on for tuesday?", None),
    ("this heat is killing me, I'm at 39 and shivering", "doctor"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round33_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
