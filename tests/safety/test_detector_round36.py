"""Round 36 of the English detector (session 43), from the kinds the blind development rounds 50
and 51 still misread, each beside a report in the same shape that keeps its level:
- a what-if answered by a bare yes ("what if it spreads? IT IS", "suppose it doesn't go away -
  well, IT HASN'T") is told; the yes agrees with the condition ("... it isn't yet" is no yes);
- "I'm FINE right now" after a list of what-ifs says well, not "right now I have it";
- a comparison of complications "after the shot" is when they happen to anyone;
- a time told only inside the writer's own plan ("if I have the injection and go to yoga a week
  later") dates the plan, not a sign;
- a complication taken up again as the risk's subject ("the infection, IT IS frequent or
  rare?", "how often THIS IS happen"), and "what % of people" without its "?";
- a story dated years ago ("at the dentist, after the numbing shot") is that old shot's;
- things that burn or wheeze (food, a car), "a swelled head"; never a finding that names the
  body ("the soup is burning and my CHEST is tight");
- "imagine" and a subject, asked about in the conditional mood ("would the doctor stop?");
- "if it's STILL sore AFTER A WEEK" looks ahead;
- the clinic page's own words, quoted or retold ('the leaflet lists "warmth or itching"');
- an injection still to come ("my injection isn't until May");
- a question about a sign followed by where it is: "... hives? THEY'RE ALL OVER ME";
- "far ... as sore" needs "as" as written ("so far a bit sore" is not "far as sore"), and
  peeling "it off" is the dressing.
An adversarial review wrote about 900 reports and questions in these shapes and ran both versions;
each report it found silenced is told again (its kinds are the last group of pairs below).
The sentences are written for these tests (never copied from a development, review or
evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # a what-if answered by a bare yes
    ("what if the swelling gets bigger? it kind of is, since lunch", "doctor"),
    ("what if my lips go numb - ok honestly, they are, shots were at 10", "emergency"),
    ("suppose the bleeding won't stop. well, it won't, third pad now", "emergency"),
    ("what if it gets bigger? it isn't yet, just asking", None),
    ("what if the redness doesn't fade? it does usually, right?", None),
    # well "right now"
    ("what if I faint in the car? what if my throat swells? I'm fine right now, just a planner",
     None),
    ("is it normal to be short of breath? I was okay, right now I'm not", "emergency"),
    # a comparison "after the shot"
    ("which is more likely after the injection, a bruise or an infection?", None),
    ("which is worse, my fever or the pus since the shot?", "doctor"),
    # a time inside the writer's own plan
    ("how likely is an infection if I have the shot and swim three days later?", None),
    ("is a fever normal if it started two days after the shot?", "doctor"),
    # the complication taken up again as the risk's subject
    ("The nerve damage, it is common or rare?", None),
    ("the infection, it is bad, is that common?", "doctor"),
    ("so, the lung collapse, how often this is happen?", None),
    ("the chest pain, how common?", "emergency"),
    ("what % of patients get a fever", None),
    # a story dated years ago
    ("Ages ago at the dentist my heart raced after the numbing shot, will the lidocaine do "
     "that?", None),
    ("years ago I had hives, and after the shot this morning my heart is racing", "emergency"),
    # things that burn or wheeze, conceit
    ("the garlic is burning, brb - can I eat before the appointment?", None),
    ("the kettle's been hissing and wheezing, ignore me - do I need a driver?", None),
    ("the toast is burning and my chest is tight since the shot", "emergency"),
    ("the soup is burning and my throat is closing up", "emergency"),
    ("my brother has a swelled head since his promotion, can he drive me?", None),
    # "imagine", asked in the conditional mood
    ("imagine I fainted on the table - would you still finish the injections?", None),
    ("imagine my throat is closing right now, would you call 911?", "emergency"),
    ("imagine, my face went numb on one side after the shot!", "emergency"),
    ("imagine my lips are swelling up, would you call 911?", "emergency"),
    ("imagine I'm getting a rash next week, would I need cream?", None),
    # "still" with a length still to come, inside a condition
    ("what if the spot is still tender after ten days?", "doctor"),
    ("and if it's still red by day 4?", None),
    ("what if it's still bleeding? it's been two hours", "doctor"),
    # the page's own words
    ('the sheet mentions "any new or unusual symptoms" - like what?', None),
    ("the website calls infection and bleeding 'rare'. how rare is rare?", None),
    ('the leaflet says "spreading redness" means call - mine is going up my arm, now what?',
     "doctor"),
    ('I have what the sheet calls "hives all over", what do I do?', "emergency"),
    # an injection still to come
    ("I had a 38.5 fever in February, my injection isn't until May, still ok?", None),
    ("had a fever of 38.5 last night, my next injection isn't until May", "doctor"),
    # "far ... as", peeling it off
    ("so far a little sore, is that it?", None),
    ("it's twice as sore today as yesterday", "doctor"),
    ("a speck of blood when I peeled it off, nothing since", None),
    ("the skin around the site is peeling and raw", "doctor"),
    # the adversarial review's kinds, in new words: what stays told
    ("what if I get hives? they're everywhere right now", "emergency"),
    ("what if my tongue goes numb? I was fine until now, now it is", "emergency"),
    ("what if the redness spreads? it could", None),
    ("what if it starts oozing? it will for a day", None),
    ("what if I get hives? I have, with amoxicillin", None),
    ("years ago my lips swelled after the numbing shot, they are swelling now", "emergency"),
    ("years ago at the dentist my heart raced after the numbing shot, now it's racing again",
     "emergency"),
    ("the bacon is burning and so is my injection site", "doctor"),
    ("my motorbike's been spluttering and wheezing and so have I", "emergency"),
    ("the housing market collapsed and so did my plans, can I rebook?", None),
    ("imagine my shock when my throat closed up, would that be an allergy?", "emergency"),
    ("imagine I fainted in the car yesterday, would that be the shot?", "emergency"),
    ("what if my heart is still racing after an hour? it still is", "emergency"),
    ('the page says "lip swelling" is 911 - does puffy count?', "emergency"),
    ('the leaflet says "red streaks" - is a pink line the same? there is one', "doctor"),
    ("my injection isn't until June but I've had a fever since the last one", "doctor"),
    ("is it normal to faint if I get the shot and stand up a minute later? I just did",
     "emergency"),
    # the page's clause ends where the writer's own begins
    ("the sheet says a bit of swelling is normal and the arm is twice the size, ok?", "doctor"),
    ("the page says some bleeding is fine and it is soaking the pad, ok?", "emergency"),
    ("the website says redness is normal, mine is spreading though, is that ok?", "doctor"),
    ("years ago at the dentist my lips tingled after the numbing shot - is lidocaine the same "
     "stuff?", None),
    ('"new or unusual symptoms" sounds vague - can you give me an example?', None),
    # where a sign asked about is, told next ("THEY'RE ALL OVER me")
    ("will the steroid bring out more hives? they're all over me", "emergency"),
    ("do hives from a shot fade by themselves? they're all over the place on forums", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round36_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
