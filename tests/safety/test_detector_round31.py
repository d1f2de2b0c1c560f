"""Round 31 of the English detector (session 35): the questions of the development rounds
(tests/dev_round12/ to tests/dev_round31/) that the rules still escalated, by kind: the answers
offered after a dash when the question's own words read as a sign, "that kind of thing";
"don't want to make the pain worse"; "would the shots do anything"; a milder choice offered
("or just a pinch"); what trigger points are like; the conditions it treats offered as answers;
the treated pain told as a habit ("without them", "every few months", "by lunchtime"); what
another needle does; a sign described by a relative clause ("bleeding that won't stop") in a
question about getting it; "scared of anything with"; whether the procedure is a surgery;
"should X prompt a call"; what the injections can do, told as a claim; "while it heals"; a
threshold asked; "what are the stroke signs"; "likely to cause"; a quoted sign called a warning
sign; "how much ... is OK" without its question mark; and three reports found missed on the way
("how much bleeding is normal. mine won't stop", "is my dads slurred speech normal?", "... it
does since the shot"); then a trait told before an injection still to come ("my heart skips
SOMETIMES, can I still have the shots?") and four reports a new blind development set found
missed (round 34: "breathing very badly", "been going since ...", "wondering if it's normal to
have 38.1 ..., had injections monday"); a firm trait ("anyway", "easily") in a question; and
ten reports a review of the trait reading found missed before this round too (a time up to
now, "nothing new, but now ...", "usually ... but rn it's crushing", the food that gets stuck)
and two more an adversarial review of 200 reports found (an expected bruise told worse in the
next sentence, the numbness corrected to the lips) and a second one (ringing heard in the
room, twitching hands, pain throbbing more than right after, a pain score now 8 of 10); each
beside the report that must keep its
level. The sentences are written for these tests (never copied from a development or evaluation
set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # answers offered after a dash; the writer's own after the same question
    ("what can go wrong with these shots - infection, bleeding, that sort of thing?", None),
    ("what can go wrong with these shots - infection, bleeding? I have both since Monday",
     "doctor"),
    # what an activity might do; pain that is worse now
    ("I don't want to make the pain worse, is swimming ok on day two?", None),
    ("I don't want to make the pain worse but it's already worse since the shot", "doctor"),
    # whether the shots would do anything for a condition; the condition since the shot
    ("I get cluster headaches, would trigger point shots do anything?", None),
    ("headaches since the shot, would another round make a difference?", "doctor"),
    # a milder choice offered; the writer's own pain told first
    ("is it agonising or more like a pinch?", None),
    ("the site is agonising since yesterday, is it a sharp pain or more like pressure?",
     "doctor"),
    # what trigger points are like, in general; the writer's own
    ("why are knots so sore and tender?", None),
    ("are trigger points swollen and hot?", None),
    ("are the trigger points swollen and hot after the injection? mine are", "doctor"),
    # the conditions offered as what it treats; the same after the writer's own
    ("which conditions can TPIs help with, e.g. migraines, fibro, neck pain?", None),
    ("which conditions can TPIs help with? migraines? I have had one since the shot", "doctor"),
    # the treated pain told as a habit; the same since the injection
    ("without my pills my neck pain gets worse by lunchtime, can I take them that day?", None),
    ("since the injection my neck pain gets worse by lunchtime", "doctor"),
    ("my shoulder pain flares up and gets worse every few months, how often can I come?", None),
    # what another needle does; the TPI's own effect beside it
    ("my tetanus shot left my arm swollen for days. will the injection do the same?", None),
    ("my flu jab left a bruise, and now my arm is swollen and hot after the TPI", "doctor"),
    # the kind of sign asked about in a question about getting it; one there now
    ("could someone on warfarin get bleeding that won't stop?", None),
    ("I'm on warfarin and the site has bleeding that won't stop", "doctor"),
    # "scared of anything with"; a sign there now
    ("my son is scared of anything with needles and bleeding", None),
    ("scared of anything with bleeding and now the plaster is soaked red", "emergency"),
    # whether the procedure is a surgery; the writer's own bleeding
    ("is a TPI a real operation with a cut and bleeding, or just a jab?", None),
    # "should X prompt a call"; the writer's own now
    ("should swelling at the site warrant a call to the clinic?", None),
    ("should my swelling at the site warrant a call? it's huge since this morning", "doctor"),
    # what the injections can do, told as a claim; a needle that may have done it
    ("these injections can nick a nerve, is that true?", None),
    ("I think the needle might have nicked a nerve, my leg has been numb for two days",
     "doctor"),
    # "while it heals"; "stay swollen" says it is swollen now
    ("will the spot itch while it heals?", None),
    ("will my arm stay swollen while it heals?", "doctor"),
    # a threshold asked; a fever told
    ("temp cutoff?", None),
    ("fever now, what's the cutoff?", "doctor"),
    # the stroke signs asked for; a stroke sign in someone
    ("what are the stroke signs again, for my mum's fridge?", None),
    ("what are the stroke signs? my mum's face is drooping", "emergency"),
    # "likely to cause"; the writer's own reaction
    ("which one is more likely to cause an allergic reaction, the steroid or the lidocaine?",
     None),
    # a quoted sign called a warning sign; and "it does" after it
    ("the leaflet says 'trouble breathing' is a warning sign, what counts?", None),
    ("'hurts to breathe' is a warning sign, right? it does since the injection", "emergency"),
    # "how much ... is OK" without a question mark; the writer's own after it
    ("how much redness and swelling is ok", None),
    ("how much bleeding is ok. mine won't stop", "doctor"),
    # a person's sign with the apostrophe left out
    ("is my moms swelling normal?", "doctor"),
    ("is my husbands slurred speech normal after the injection?", "emergency"),
    # "how much ... and how much is too much" is no "more and more"
    ("how much bruising is normal and how much is too much", None),
    ("the bruise is getting more and more swollen", "doctor"),
    # an appointment to come after an illness with an explicit past time
    ("I had a fever with a cold last month, all gone. ok to go ahead with my injection next "
     "week?", None),
    ("I woke up with a fever today, ok to go ahead with my injection next week?", "doctor"),
    # a trait before an injection still to come; a sign now, or after one already had
    ("my wife gets wheezy in winter, always has. is it safe for her to have trigger point "
     "injections?", None),
    ("I faint at needles every single time, any tips before my injections next month?", None),
    ("my heart skips sometimes, can I still have the shots?", None),
    ("my heart skips sometimes but right now it's racing, can I still have the shots?",
     "emergency"),
    ("I faint at needles sometimes and I fainted after Monday's injection, can I have more?",
     "emergency"),
    ("I can't breathe properly, can I still have my injection tomorrow?", "emergency"),
    # how the breathing goes
    ("he had the injections this morning and now he is breathing very strangely", "emergency"),
    # a follow-up that dates it without a subject; an injection dated after a comma
    ("is a rash like that a new symptom? been going since the day after my shots", "doctor"),
    ("wondering if it's normal to have 38.4 this evening, had my injections tuesday", "doctor"),
    ("how common is a rash? had injections monday", None),
    # a firm trait in a question, the injection ahead unsaid (doctor-level signs); the site's
    ("does the numbing make you itchy? I itch easily anyway with my psoriasis", None),
    ("the site itches all the time, is that normal?", "doctor"),
    ("I itch all the time, is that normal?", "doctor"),
    # a time that runs up to now, whatever the sentence says of the injection ahead
    ("Before the injections, one thing: I've had chills and a fever for the last two days. "
     "still ok to come?", "doctor"),
    ("before my first injection: chest pressure for three days now, worse lying flat",
     "emergency"),
    # a long story cut off by "but"
    ("I've had back pain for years, nothing new, but now the injection site is hot and "
     "swollen", "doctor"),
    # a habit undone by a time of now after "but"; the sugar reading further on
    ("I usually get a tight chest when stressed but rn it's crushing", "emergency"),
    ("his sugars are always high, nothing new, but since the steroid shot they've been over "
     "400", "doctor"),
    # food that gets stuck
    ("since the botox injections the food keeps getting stuck when I eat", "emergency"),
    # an expected effect told worse in the next sentence; one told better
    ("the bruise is normal they said. but it's now spreading down my arm and getting bigger",
     "doctor"),
    ("the bruise is normal they said. and it's fading a bit more every day", None),
    # the numbness corrected to the mouth
    ("it's not my arm that's numb, it's my lips, 20 min after the shots", "emergency"),
    # a second adversarial review: ringing heard in the room, twitching hands, a misspelt
    # ringing, pain throbbing more than right after, a pain score now 8 of 10
    ("since the jab the room sounds like it's ringing", "emergency"),
    ("my hands keep twitching since the injection 20 minutes ago", "emergency"),
    ("my eyelid keeps twitching, is that the stress?", "doctor"),
    ("ears wringin since the shot", "emergency"),
    ("the spot is throbbing more today than right after the shot", "doctor"),
    ("the spot is throbbing much less today than right after the shot", None),
    ("pain was a 2 out of 10 yesterday, now it's a 9 out of 10", "doctor"),
    ("pain was a 3 out of 10 yesterday, now it's a 2 out of 10", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round31_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
