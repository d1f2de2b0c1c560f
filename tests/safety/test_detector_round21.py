"""Round 21 of the English detector (session 27): idioms and set phrases with a sign word in
them, questions about what to expect and quoted terms, from two blind development sets
(tests/dev_round21/) and the leftovers of rounds 18 and 19, each beside the message that must keep
its level. The sentences are written for these tests (never copied from a development or
evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # fixed expressions and things (figurative_expression, exclusions) beside the real sign
    ("the refund took a real weight off my chest, thanks, see you friday", None),
    ("there's a weight on my chest since the shot and it won't lift", "emergency"),
    ("my neighbour keeps bee hives, is the honey ok to eat after the injection lol", None),
    ("I've come out in hives after the injection, all over my back", "emergency"),
    ("the seizure of my van by the bailiffs means I need a lift to the clinic", None),
    ("police seized my brother's car so he can't drive me, can I get a taxi?", None),
    ("my husband had a seizure in the car after the injection", "emergency"),
    ("my eyesight's poor so I type in big letters, sorry. what are the risks?", None),
    ("my eyes are swollen and puffy since the shot", "emergency"),
    ("the school strike hit and the whole week collapsed, can I move to Monday?", None),
    ("he collapsed in the kitchen this morning after his shots", "emergency"),
    # a "now" that dates a mood, not the sign
    (
        "my mum fainted at the dentist as a teenager and now she's nervous about needles, "
        "can she lie down?",
        None,
    ),
    (
        "I fainted at the dentist years ago and now I'm so nervous, and I just fainted again "
        "after the shot",
        "emergency",
    ),
    ("had a fever last month and now I'm nervous and shivery since the injection", "doctor"),
    # a question whose subject follows its opening verb; a follow-up after a comma
    ("does it feel like a pinch or worse?", None),
    ("does it feel like a pinch or worse? mine is agony", "doctor"),
    ("how much bruising is normal, it won't stop spreading", "doctor"),
    ("how much bleeding is ok, it hasn't stopped since lunch", "doctor"),
    ("what if the bleeding won't stop, should I call you?", None),
    ("is pain in the chest normal after? not awful but it's there since the shots", "emergency"),
    # a negation before "but" denies something else; "one" came up
    ("is pain in the chest normal after? not awful, but if it comes I'll call", None),
    ("is a rash normal? one came up this evening near the spot", "doctor"),
    ("is a rash normal? one of my friends got one after hers", None),
    ('what does "increased pain" even mean in the leaflet?', None),
    # a quoted term, more than the sign between the quotes
    ("what does 'swelling that spreads' look like exactly?", None),
    ('what counts as "heavy bleeding"? mine has soaked the gauze', "emergency"),
    ("how common is a collapsed lung? mine are going to be near my ribs next week", None),
    # what is to come ("mine are going to be"), where the injection is
    ("how common is a collapsed lung? mine feels collapsed, I can't breathe", "emergency"),
    ("can the shots affect my voice? they go close to the throat area", None),
    ("my throat feels tight and close to closing since the injection", "emergency"),
    ("still hot under the collar about the parking fine, anyway is Tuesday free?", None),
    # round 21's idioms, each beside the real sign in the same words
    ("my diary is swelling with meetings, can I move the injection?", None),
    ("the app sent me a rash of reminders, can I turn them off?", None),
    ("a rash of little red bumps spread over my chest after the shot", "doctor"),
    ("my dad will have a fit if I miss his birthday, can I book the morning?", None),
    ("the cat had a fit when the vacuum came on, anyway what time is my appointment?", None),
    ("my dad had a fit after his injection, shaking all over", "emergency"),
    ("the traffic is enough to give anyone a heart attack, what time should I leave?", None),
    ("can the lidocaine give you a seizure?", None),
    ("I've caught padel fever, when can I play again after the shot?", None),
    ("I've caught a fever since the injection, 38.5", "doctor"),
    ("the dog keeps choking the drain with fur, can I do housework after the shot?", None),
    ("our whole defence collapsed in the final, can I play five-a-side the week after?", None),
    ("I'm shivering just thinking about the needle, does it hurt?", None),
    ("I'm shivering and feverish since the injection", "doctor"),
    ("my eyes went square after a day of spreadsheets, is the clinic open saturday?", None),
    (
        "there's been bad blood between me and my sister since the wedding, "
        "can she still drive me?",
        None,
    ),
    ("I have to bleed the brakes on my bike, is that too strenuous after the shot?", None),
    ("not holding my breath for the letter, when will I hear?", None),
    ("I can't hold my breath or breathe in properly since the shot", "emergency"),
    ("my grandad is fit as a fiddle at 90, can he drive me home?", None),
    (
        "the dryer bled my blue jeans into the whites, everything's pink, anyway what do I wear?",
        None,
    ),
    ("she's oozing charm as usual, my wife that is. Can she come in with me?", None),
    ("the site is oozing yellow stuff since last night", "doctor"),
    ("my son passed out of the naval academy on Friday, can I move my injection?", None),
    ("my son passed out in the shower after his injection", "emergency"),
    ("gasping for a brew after the drive, can I have tea before the injection?", None),
    ("gasping for air since the injection near my ribs", "emergency"),
    ("the leaflet is long-winded, is there a short version?", None),
    ("I'm tingling with excitement for my first appointment!", None),
    ("my fingers are tingling and numb since the shot yesterday", "doctor"),
    ("a bit of a shake-up at work, can I move to next week?", None),
    ("I'm jittery about the needle, can I bring my husband?", None),
    ("the billing portal is a real headache, who do I call about the invoice?", None),
    ("I've had a real headache since the injection two days ago", "doctor"),
    ("don't breathe a word to my mum but I skipped my stretches", None),
    ("the clinic was a hive of activity today, are mornings quieter?", None),
    ("customs seized my parcel, can I borrow an ice pack?", None),
    ("seize the moment, I want to book today!", None),
    ("my GP wrote me a fit note, do you need a copy?", None),
    ("the pain comes in fits and starts, is that normal before the injection?", None),
    ("had a fit of laughter in the waiting room, sorry!", None),
    (
        "my sister nearly gave me a heart attack at the door, anyway can I eat before the shot?",
        None,
    ),
    ("I laughed so much at the film I couldn't breathe lol, what time's my appointment?", None),
    ("I laughed and now I can't breathe properly since the shot", "emergency"),
    ("my husband is a hot mess when it comes to needles, can he wait outside?", None),
    ("he collapsed when it came to standing up after the injection", "emergency"),
    ("I'm all fired up about the injections, when can I start?", None),
    ("heated debate at home about driving, do I need a driver after the shot?", None),
    ("the site is heated and red since yesterday", "doctor"),
    ("my brother and I haven't spoken in years, can a friend drive me instead?", None),
    (
        "mum hasn't spoken for an hour and she won't respond, she had the shots this morning",
        "emergency",
    ),
    ("the new boss is oozing confidence, it's exhausting lol. can I book after 5?", None),
    ("I'm exhausted and feel awful since the injection", "doctor"),
    # the review's reports beside the new frames, in words of our own: each keeps its level
    ("can hives spread? mine are going to my neck now", "emergency"),
    ("is it normal to have chest pain after the shot now I'm scared", "emergency"),
    ("my toddler had a fit when his temperature spiked after the jab", "emergency"),
    ("I've been running fever since the injection", "doctor"),
    ("I get tunnel vision when I stand up since the shot", "emergency"),
    ("felt fine the whole morning then collapsed in the garden", "emergency"),
    ("he had a panic attack and collapsed after the shots", "emergency"),
    ("my breathing comes in fits and starts since the injection", "emergency"),
    ("getting dressed is exhausting since the injection", "doctor"),
    ("it's close to my throat and feels like it's closing", "emergency"),
    ("he hasn't spoken for a while since the shot and just stares", "emergency"),
    ("the police found him after his seizure in the street", "emergency"),
    ("he seized, the car park was full and someone called 999", "emergency"),
    ("hives that stand out all over my body since the shot", "emergency"),
    ("when it comes to swallowing nothing goes down since the shot", "emergency"),
    # the second review's: a mood that goes on to more, "this" as the own, a run-on time
    ("I passed out years ago, and now I'm scared because it's happening", "emergency"),
    ("is this swelling normal or worse?", "doctor"),
    ("asap?? which is worse, fainting or a seizure?", "emergency"),
    ("he was fine the whole morning collapsed after lunch", "emergency"),
    ("my husband seized the day after his injection", "emergency"),
    ("my boss had a fit at his desk and is on the floor", "emergency"),
    ("went to the gym fever came on about an hour later", "doctor"),
    ("I had tunnel vision about an hour after the shot", "emergency"),
    ("there's no taking the pressure off my chest, it's been there since the shot", "emergency"),
    ("my chest is thumping since the shot", "emergency"),
    ("my chest was thumping at the concert, anyway what time do you open?", None),
    ("is swelling normal, it'll be my 3rd day off work", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round21_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
