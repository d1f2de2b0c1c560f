"""Round 10 of the English detector (session 13): the emergencies that blind development sets told
without the obvious words (heavy bleeding told by dressings, cloths, clothes and colours; a
collapse told by what a relative sees; breathing told by what it is like), and the look-alikes
that must stay quiet. The sentences are written for these tests (never copied from a development
or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # heavy bleeding told by what it does to dressings, cloths and clothes (rule 12) ...
    ("the pad on my hip is red right through now", "emergency"),
    ("his bandage has filled up and it is dribbling onto the sofa", "emergency"),
    ("the tea towel I'm holding on it went scarlet in a minute", "emergency"),
    ("I've used up three hand towels pressing on the hole", "emergency"),
    ("it has leaked through the gauze, my top and onto the car seat", "emergency"),
    ("my grey jumper has a maroon stain across the back that keeps spreading", "emergency"),
    ("there's a pool of it under the kitchen chair", "emergency"),
    ("it's trickling down to her wrist from the neck one", "emergency"),
    ("red keeps coming out of the spot where the needle went", "emergency"),
    ("my sheets look like a crime scene this morning", "emergency"),
    ("my leggings are red from the shot in my thigh and I feel faint", "emergency"),
    ("the plaster went red and now I'm dizzy", "emergency"),
    # ... and the look-alikes: a drop that came through, a red streak, another liquid, a cold
    ("one tiny spot came through the plaster and stopped", None),
    ("a red line is running from the shot towards my wrist", "doctor"),
    ("sweat is trickling down my back onto the dressing after the gym", "doctor"),
    ("we got through two boxes of tissues this week with our colds", None),
    ("my shirt has a tomato sauce stain that's getting bigger", None),
    ("is it ok to use the hotel pool after the shots?", None),
    ("the plaster is full of yellow goo", "doctor"),
    ("the skin under the dressing went red", "doctor"),
    # a collapse as a relative sees it ...
    ("dad slid off his chair and now he isn't reacting to anything", "emergency"),
    ("I can't get him to open his eyes, he's on the lounge floor", "emergency"),
    ("my sister is lying on the landing and won't respond", "emergency"),
    ("everything went black at the sink and I woke on the kitchen floor", "emergency"),
    ("next thing I knew I was on the bathroom floor looking up", "emergency"),
    ("mum's head dropped onto her plate at lunch and she's floppy like a rag doll", "emergency"),
    ("my legs went out from under me, no memory of falling", "emergency"),
    ("gran doesn't know where she is since the shots", "emergency"),
    # ... and the look-alikes
    ("I was in and out of the office all day", None),
    ("she folded the towels before her appointment", None),
    ("after the shots I hit the ground running at work", None),
    ("the dog hit the tiles chasing the ball", None),
    ("the power went off and the room went dark", None),
    ("I don't know what day my follow-up is", None),
    # breathing told by what it is like ...
    ("it's like breathing through a drinking straw since the shots by my ribs", "emergency"),
    ("I have to pause after every few steps to get some air", "emergency"),
    ("when I breathe in, the right side won't expand", "emergency"),
    ("it feels like a weight on my chest each time I take in air", "emergency"),
    ("my daughter's nostrils are flaring and her belly is heaving fast", "emergency"),
    ("each inhale is short and tight since the neck injections", "emergency"),
    ("I have to sit bolt upright to get air", "emergency"),
    # ... and the look-alikes
    ("his nostrils flared with anger when the bill came", None),
    ("the view from the hill left me breathless, lovely walk", None),
    # general claims, figures of speech, and the injected limb
    ("my neighbour swears these give you chest pain, is that true?", None),
    ("we're haemorrhaging customers at the shop", None),
    ("nearly had a heart attack when the phone rang at 3 am", None),
    ("nearly had a heart attack when I stood up, my chest is tight", "emergency"),
    ("that parking fine had me seeing red", None),
    ("my knees went weak when my son said he was getting married", None),
    ("my hand feels floppy since the shot in my forearm", "doctor"),
    ("the numbness in my bum cheek wore off after 40 minutes", None),
    ("the spot on my neck where they did the shots is radiating heat", "doctor"),
    ("a whitehead has come up on the injection site", "doctor"),
    # red on a cloth or clothes, a red thing, a bead of red, food named by its colour, wiping,
    # a scab closing over, the British "bleeding": no redness of the skin ...
    ("my grandson's red crayon got on the plaster", None),
    ("there's a pink smudge on my sleeve near the shot", None),
    ("a bead of red on the needle mark, gone after I dabbed it", None),
    ("had a big bowl of strawberries after my appointment", None),
    ("wiped it with a tissue and it was fine", None),
    ("the needle marks have scabbed over nicely", None),
    ("bleeding heck the parking there is expensive", None),
    ("is the bandage there because the spot tends to bleed?", None),
    # ... while redness, tiredness and a rash at the site still escalate
    ("the skin round the shot is red and hot", "doctor"),
    ("I'm completely wiped since the injections and can't get off the sofa", "doctor"),
    ("there's a crusty rash around the site", "doctor"),
    ("the spot tends to bleed and it's bleeding now, won't stop", "doctor"),
    # the review of round 10 (a helper's own sentences, old against new): everyday uses of the
    # new words stay quiet ...
    ("the red marker ran through the kitchen roll", None),
    ("my fingers are covered in red jam from the toast", None),
    ("left a pool of sweat under me on the bike", None),
    ("the tap in the bathroom is dripping onto the floor", None),
    ("I folded over the edge of the blanket", None),
    ("the wifi keeps going in and out", None),
    ("I don't remember falling asleep on the couch", None),
    ("the vase fell on the tiles and smashed", None),
    ("my nostrils flare when I'm irritated", None),
    ("the dog's chest is heaving after his run", None),
    ("inhale for a short count of three, the physio said", None),
    ("I don't know what day it is, the holidays do that", None),
    # ... while the reports they resemble escalate
    ("I'm clammy and it is dripping off my elbow from the shot", "emergency"),
    ("she's drifting in and out of consciousness on the sofa", "emergency"),
    ("he doesn't know what day it is since the injections", "emergency"),
    ("the gauze fills every few minutes", "emergency"),
    # a past decade is before the procedure; when a sign typically starts is a question
    ("my uncle had chest pain after an operation back in the eighties, it was nothing", None),
    ("how soon after the shots can a rash show up?", None),
    ("how soon after can a rash show up? I have a rash on my neck now", "doctor"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round10_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
