"""Round 22 of the English detector (session 28): how-much and which-value questions, signs of a
complication asked for, quoted terms, reasons and follow-ups that are asked, retold or to come,
lay wording (breathless lying flat, a throat "like it's closing", a mouth "sleeping", a sound
heard in the ears, skin lighter than the rest, a warm patch around the site) and look-alikes,
from the blind development set of round 22 (tests/dev_round22/) and two reviews, each beside the
message that must keep its level. The sentences are written for these tests (never copied from
a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # how much is too much, asked; the own told anywhere after it still escalates
    ("how much oozing from the shot spot on my back is too much?", "doctor"),
    ("how much oozing from the shot spot is too much?", None),
    ("how much oozing from the shot spot is too much? mine won't stop", "doctor"),
    ("how much bleeding from the injection hole is too much? I've got blood on my shirt", "doctor"),
    ("how many times I've fainted today is too many", "emergency"),
    ("how much swelling around the shot is normal?", None),
    ("how much swelling around the shot is normal? my whole arm is puffed up", "doctor"),
    # which value is too much ("what/which" + the sign + a judgement)
    ("what temperature would be too high after the shots?", None),
    ("which blood sugar reading is too high after a steroid shot?", None),
    ("what rash is spreading on my back since the shot?", "doctor"),
    ("what lump is this under the injection spot?", "doctor"),
    # the signs of a complication asked for
    ("infection symptoms?", None),
    ("infection symptoms at my injection site since monday", "doctor"),
    ("stroke signs in my dad right now!!", "emergency"),
    # quoted terms followed by a time to come or the page's words
    ('what counts as "spreading redness"? how wide before it\'s a worry', None),
    ('what counts as "spreading redness"? it\'s gone up to my elbow', "doctor"),
    # a reason in a question of what may happen; a follow-up asked, retold or still to come
    ("will I bruise more since I'm on clopidogrel?", None),
    ("can the shots cause hives because I'm covered in them", "emergency"),
    ("what would anaphylaxis look like and how quickly does it come on?", None),
    ("is anaphylaxis a risk? it came on ten minutes ago, my throat is tight", "emergency"),
    ("can the lidocaine make your ears ring? my aunt said that happened to her once", None),
    ("can the lidocaine make your ears ring? my wife says mine are ringing now", "emergency"),
    ("can the botox ones make swallowing hard? I'm getting them next month", None),
    ("is a fever normal after the shots? it started the next morning", "doctor"),
    ("can these cause hives? been like that since I was a kid", None),
    ("is swelling in the lips normal? been like that since the injection", "emergency"),
    ("why do they hold gauze on it afterwards? is it for bleeding?", None),
    # lay wording of real signs, beside their look-alikes
    ("I need three pillows to breathe since the injection", "emergency"),
    ("I need a new pillow to breathe easier at night, any tips?", None),
    ("my throat feels like it's shutting since the shot", "emergency"),
    ("my lips are sleeping since the injection", "emergency"),
    ("I hear a sound like a whistle in my ears after the shot", "emergency"),
    ("I play rain sounds in my ears to fall asleep", None),
    ("there's a warm patch around the injection site today", "doctor"),
    ("I use a warm patch on my back at night, is that ok after?", None),
    ("the bill made me gasp, is there a payment plan?", None),
    ("my husband is burning up with jealousy lol, can he come in with me?", None),
    ("my husband is burning up and shivering since his shot", "doctor"),
    ("the concert had me on pins and needles, anyway what time is my appointment?", None),
    ("my cousin carries an EpiPen, can I bring one too?", None),
    ("my wife is using her EpiPen right now after the injection", "emergency"),
    ("the numbing medicine is squirted into the knot, right?", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round22_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
