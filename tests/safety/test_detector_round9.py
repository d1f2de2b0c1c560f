"""Round 9 of the English detector (session 12): the kinds of topic questions that escalated on a
ninth blind development set (tests/dev_round9/, 360 single questions written in many voices),
each look-alike beside the report that must still escalate. The sentences are written for these
tests (never copied from a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # a collapsed lung asked about: what the injection could do, how often it happens to anyone,
    # or the word itself ...
    ("could the needle collapse my lung?", None),
    ("can these pop a lung", None),
    ("how likely is the punctured lung thing with neck shots?", None),
    ("my son mentioned the term 'pneumothorax', what does it mean?", None),
    ("the nurse said something called a collapsed lung can happen, what is that?", None),
    # ... not a patient who has it or thinks so
    ("I think the shot collapsed my lung", "emergency"),
    ("the ER says I have a collapsed lung", "emergency"),
    ("how common is the tightness in my chest?", "emergency"),
    ("the word pneumothorax scares me, I can't catch my breath", "emergency"),
    # ... nor a complication named by someone who has it (the review of round 9)
    ("the walk-in clinic says it's something called cellulitis at the site", "doctor"),
    ("woke up today with a thing called hives all over", "emergency"),
    ("how common is the swelling on my neck after these?", "doctor"),
    ("how likely is the infection to spread if I wait until Tuesday?", "doctor"),
    # a heart rhythm medicine does not explain a heart that races (kept an emergency: the rules
    # cannot tell a rhythm that acts up from one named)
    ("taking my tablets for an irregular heart rhythm didn't help, it's all over the place",
     "emergency"),
    ("I take bisoprolol for a fast heart rate but my heart is racing now", "emergency"),
    # asking what something means is no report of it; the crunching the clinic pages name;
    # whether the treatment suits someone
    ("is swelling after the shot a sign something has gone wrong?", None),
    ("does redness mean something went wrong?", None),
    ("my cousin felt an odd crunching as the needle went in, is that usual?", None),
    ("I have asthma. Is the steroid not good for me?", None),
    ("something is wrong, my arm feels strange since the shot", "doctor"),
    ("I'm not good, I feel awful since this morning", "doctor"),
    # ... not a statement that something is wrong, a crunch felt since, nor "not right WITH me"
    ("I just know this means something is wrong", "doctor"),
    ("ever since the shots I feel a strange crunching in my shoulder", "doctor"),
    ("something's not right with me since the injection", "doctor"),
    # what a step is for, and a tendency
    ("is the plaster there to keep out germs and infection?", None),
    ("does the needle hole tend to bleed much?", None),
    ("the spot looks infected even though I kept it clean to prevent that", "doctor"),
    ("the needle hole keeps bleeding", "doctor"),
    ("I'm trying to stop this infection at the site from spreading", "doctor"),
    ("I bruise and tend to bleed easily and the site hasn't stopped since lunch", "doctor"),
    # a lump said to be the muscle knot the injections treat (a lump that grows still escalates)
    ("there's a lump in my neck that my physio says is a knot, what causes those?", None),
    ("the hard lump at the injection site is getting bigger", "doctor"),
    ("the lump that's a knot has doubled since the shot", "doctor"),
    # "don't" after a follow-up is no report; a time clause ("before I have it") neither
    ("my daughter asks whether it will sting. I really don't know. What is it like?", None),
    ("Swelling at the site: normal or call? Asking before I have mine done next month.", None),
    ("my arm is swollen at the site, normal? asking before my next appointment", "doctor"),
    ("is a headache afterwards normal? because I do have one", "doctor"),
    ("can the shots cause a rash? I have it, never had one before", "doctor"),
    ("can these give you a rash? I didn't have one before, I have one now", "doctor"),
    # hearsay: an "-ing" form right after the people a story is about is no present
    ("I read online about people getting infections from these, how likely is that?", None),
    ("my friend told me she is getting an infection from her shot, how likely is that?",
     "doctor"),
    ("someone online said people getting hives after these needed steroids, how common is "
     "that? I'm covered in them", "emergency"),
    # breathing that is not right, said with a negation (session 12: the frozen emergency missed
    # was a breathing report the rules read as negated; these are new wordings of that kind)
    ("I don't think I'm breathing properly since the shot", "emergency"),
    ("breathing doesn't feel right tonight", "emergency"),
    ("I haven't been able to breathe right since the injection", "emergency"),
    ("none of my breaths feel full", "emergency"),
    ("it's not a proper breath, it stops halfway", "emergency"),
    ("no breath left after one flight of stairs", "emergency"),
    ("I never get to the bottom of a breath", "emergency"),
    # ... not an instruction asked about, nor breathing said to be fine
    ("I don't need to breathe in any special way during it, do I?", None),
    ("do I have to breathe normally while they inject?", None),
    ("breathing is fine, no problems at all", None),
    ("I laughed so hard at the film I had no breath left", None),
    ("I have no breath left after walking to the bathroom", "emergency"),
    # a collapse in lay words the rules did not know (session 12: the frozen emergency missed
    # was a collapse the rules did not read; these are new wordings of that kind)
    ("my nan crumpled in a heap in the hallway after her shots", "emergency"),
    ("he toppled over sideways at dinner", "emergency"),
    ("my brother hit the deck outside the clinic", "emergency"),
    ("her legs gave way and she was on the floor", "emergency"),
    ("he conked out on the drive home and we can't wake him", "emergency"),
    # ... not a thing that topples or conks out, nor a trip to the floor
    ("the stack of boxes toppled over", None),
    ("my old laptop conked out again", None),
    ("I conked out on the sofa after my appointment, best sleep in weeks", None),
    ("I ended up on the floor playing with the grandkids", None),
    ("the cat hit the deck when the thunder started", None),
    # more collapsed-lung questions in our own words (session 12): the risk as "the X thing",
    # "if it collapses, does it happen ...?", other people's experience, signs listed after
    # "like" ...
    ("is the punctured lung thing worth worrying about?", None),
    ("if a lung collapses, does it happen straight away?", None),
    ("has anybody had their lung collapse after one of these?", None),
    ("what are the signs of a pneumothorax, like chest pain or trouble breathing?", None),
    # ... not a patient who has it, nor a sign said after "like" that is no list
    ("has anyone had their face swell up? mine is swelling now", "emergency"),
    ("is it normal to be tired, like I can barely breathe?", "emergency"),
    ("can a shot cause hives? it started an hour ago", "emergency"),
    # what the injections are used for
    ("are these injections used to treat migraines?", None),
    ("my migraine has not gone since the shot, are these used for migraines?", "doctor"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round9_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
