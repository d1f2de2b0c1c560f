"""Round 30 of the English detector (session 34): the questions of development round 29
(tests/dev_round29/) and the false alarms of round 30 (tests/dev_round30/) that still escalated,
by kind: the answers offered after "what does it feel like during the shot?", a second "and
which ..." question, "will <an activity> make it worse?", "Say <a condition>." before a question,
"fully better now" before the first injection, a trait told as a habit ("I tend
to", "whenever a procedure ..."), a fear of what will come ("nervous my heart will be racing"),
"so long that" in a modal question, what a medicine is for, "what's worse, X or Y", a list read
after a colon, "better than last week", the treated headaches told as a habit, a trigger point
likened to a lump, and "lying still"; and four kinds of report that a review found missed;
each beside the report that must keep its level. The
sentences are written for these tests (never copied from a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # the possible answers of a question about what the injection feels like; and one's own
    ("what is it like during the injection? stinging, pressure, burning?", None),
    ("what is it like during the injection? I have burning and pressure now", "doctor"),
    # a second question joined by "and which"; and a fever told after the question
    ("which problems need the ER, like chest pain, and which need a call, like a fever?", None),
    ("which problems need a call? and what do I do, I have a fever of 39", "doctor"),
    # what an activity would do; and worse pain told before the same question
    ("could swimming loosen the muscle or make it worse?", None),
    ("my neck pain is much worse, could swimming make it worse still?", "doctor"),
    # "Say" and a subject open a condition before a question; "Say," alone is an interjection
    ("Say the redness spreads after a day. Do I ring you or go to the ER?", None),
    ("Say, my arm is really swollen and red, is that normal?", "doctor"),
    # a "now" inside a recovery brings nothing back before the first injection; a sign now does
    ("had a chest cold with a fever ten days ago, fully better now. my first injection is on "
     "friday, still ok?", None),
    ("had a fever last week, better now but now the site is red and hot", "doctor"),
    # a trait told as a habit; the same trait beside a time of now, or since the injection
    ("how long does it take? I tend to faint if needles take too long", None),
    ("I tend to pass out and I just did, I'm on the bathroom floor", "emergency"),
    ("I tend to run fevers and I've had one since yesterday's shot", "doctor"),
    ("since the shots I tend to pass out when I get up", "emergency"),
    ("I'm the type who passes out at needles, will someone stay with me?", None),
    ("I'm the type who passes out at needles, and I just did in the car park", "emergency"),
    ("my heart hammers whenever a blood test drags on, will the injection be quick?", None),
    ("my heart is hammering right now, it does that whenever I see needles", "emergency"),
    # a fear of what will come; a fear beside a sign that is there now
    ("first time next week and I'm scared I'll pass out", None),
    ("worried my lips will swell up like last time at the dentist", None),
    ("I'm worried the swelling will spread, it's already up to my elbow", "doctor"),
    ("scared I'll faint, I fainted twenty minutes ago in the car park", "emergency"),
    # "so long that" in a modal question; and the numbness told now
    ("will the session last so long that my arm goes numb from holding it up?", None),
    ("my arm has been numb for 10 hours since the session", "doctor"),
    # what a medicine is for; the writer's own swelling
    ("is the cortisone there to reduce swelling in the muscle?", None),
    ("is the steroid to reduce the swelling? because the site is really swollen", "doctor"),
    # "what's worse, X or Y"; and the same words before a report
    ("what's worse, an allergy to lidocaine or to the steroid", None),
    ("what's worse now is I have hives all over my body", "emergency"),
    # a list read after a colon; a report after the colon
    ("I read the whole consent form: infection, bleeding, collapsed lung. how likely are any?",
     None),
    ("I read the leaflet: my arm is swollen and hot, is that the infection it mentions?",
     "doctor"),
    # a comparison with a past day is no length; a length since last week is
    ("she had the shots yesterday, a bit sore today but moving better than last week", None),
    ("still sore since last week's injection and getting worse", "doctor"),
    # the treated headaches told as a habit after a question about the treatment
    ("can these injections help with migraines? mine make my head throb every morning", None),
    ("since the injection my head throbs every morning, will another one help?", "doctor"),
    # a trigger point likened to a lump in a question; a lump told as one's own
    ("can the doctor feel a trigger point under the skin, like a hard knot or lump?", None),
    ("can you feel a trigger point? I have a hard lump at the site that keeps growing",
     "doctor"),
    # the same kinds in other words: what it feels like, before a dash
    ("how does it feel when the needle goes in - a pinch, a sting, pressure?", None),
    ("how does it feel when the needle goes in? my arm feels like burning now", "doctor"),
    # which reactions come when
    ("which reactions show up straight away, like dizziness, and which later, like a rash?",
     None),
    # a habit with needles or nerves; and the same heart now
    ("my heart always pounds when I see needles, will that be a problem?", None),
    ("whenever I'm anxious my chest feels tight, should I take my pill before the shots?", None),
    ("my chest is tight right now and I'm anxious, I had the shots an hour ago", "emergency"),
    # which is worse, two events to come
    ("what is worse, getting a fever or getting a rash afterwards?", None),
    ("which is worse rn, a fever or my chest pain?", "emergency"),
    # a list read on a handout
    ("the handout says risks include: bleeding, fainting, infection. is that just standard?",
     None),
    ("the handout says: fever, pus, redness. I've had all of them since Monday's shots",
     "doctor"),
    # a day compared with in a longer phrase
    ("dad sleeps better than he did last week, only a little sore from yesterday's injections",
     None),
    # reports the second review found missed, before and after this round: a reading after a
    # comma and a word that is a unit elsewhere; the condition's own verb told next; a sugar
    # reading told after a question about sugar; "because I just did" after a question
    ("is my thermometer right? it says 38.9, injections were on monday", "doctor"),
    ("I'm 38, injections were on monday and I feel fine", None),
    ("the nurse said ring if the bruise grows. it's growing, twice the size now", "doctor"),
    ("the nurse said ring if the bruise grows. it isn't growing, just purple", None),
    ("when should I worry about sugar? mine is 420 since the steroid shot", "doctor"),
    ("what sugar level is normal? I'm not diabetic, just curious", None),
    ("can you cough up blood from these? because I just did, after the ones near my ribs",
     "emergency"),
    # kinds from development rounds 31 and 32 (tests/dev_round31/, tests/dev_round32/): "had to"
    # after "said" is a duty told, not a question cue
    ("like the physio said I had to stop, my chest hurts with every breath since the shots",
     "emergency"),
    # a bruise told by its colour, spreading
    ("the spot went dark purple and it keeps spreading down my arm", "doctor"),
    ("the sunset went purple and it keeps spreading across the sky", None),
    # laughing so hard one could not breathe; and breath that will not come back
    ("my grandson laughed so hard at the cartoon he couldn't breathe, it was adorable", None),
    ("I laughed and then I couldn't breathe at all and my chest hurts since", "emergency"),
    # a complication read about; a report told after it
    ("I read about collapsed lungs on a forum and got scared, I feel completely fine though",
     None),
    ("I read about collapsed lungs and I think I have one, I'm so short of breath", "emergency"),
    # a fear of pain that will come back
    ("worried the pain will come back worse than it was before", None),
    ("the pain came back worse once the numbing went and it's awful now", "doctor"),
    # an illness with an explicit past time before an appointment with its day
    ("had a chest infection with a fever three weeks ago, all cleared, ok to have my "
     "injections on tuesday?", None),
    ("woke up with a fever, my appointment is on tuesday", "doctor"),
    ("I had the shots last week and a fever two days ago, my next appointment is friday",
     "doctor"),
    # a trait told as a habit of the writer's own omission or a season (doctor-level signs)
    ("do I eat before? I get dizzy and shaky if I skip lunch", None),
    ("since the shots I get dizzy and shaky even when I eat", "doctor"),
    ("will it help? my neck pain is always worse in winter", None),
    # more kinds of round 31's questions: a comparison of how much two things hurt, a claim
    # heard of the medicine, the examples of a worry, a result asked ("could I end up ..."),
    # a bother that gives a headache, a reaction once at the dentist, fainting once while
    # getting bloodwork, the fog of a long-term illness, puzzled about a difference
    ("TPI or acupuncture, which hurts more", None),
    ("does it sting going in? I heard the steroid burns", None),
    ("I heard the steroid burns, and the site is burning badly right now", "doctor"),
    ("who do I ring about worries like swelling or a fever at night?", None),
    ("could I end up in hospital with a collapsed lung from these?", None),
    ("can I drive myself to the hospital with chest pain?", "emergency"),
    ("the parking here gives me a headache about being late", None),
    ("I got a rash from the numbing at the dentist once, should I mention it?", None),
    ("I fainted once getting a tattoo years ago, will this make me faint?", None),
    ("I fainted getting out of the car an hour after the injection", "emergency"),
    ("can you keep it simple, fibro fog today", None),
    ("she's confused about the difference between the two shots", None),
    ("she's confused about where she is since the injection", "emergency"),
    # "lying still" is not "still numb"
    ("will I be lying still so long that my foot goes numb?", None),
    ("my foot is still numb, 9 hours after the injection", "doctor"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round30_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
