"""Round 35 of the English detector (session 42), from the kinds the development rounds still
escalated (risk questions in unusual shapes, recognition questions, imagined cases), each
beside a message in the same shape that keeps its level:
- "more" and "much" share a dictionary form, so "will it bleed MUCH?" had read as "one MORE
  injection" (an injection had) and made a general question the writer's own;
- a sign named as a heading of its own ("Nerve damage.") and asked about in the next question
  ("is it permanent IF IT HAPPENS?", "how common is that?"), and a list of signs asked how
  likely EACH is or WHICH OF THESE is likely, which someone having an emergency does not weigh
  (never how bad: "... which of these is worst?" keeps the emergency);
- a sign that is a word of the sentence's opener is no question's opener ("CAN'T breathe,
  chest pain - which is worse?" had read "can" as asking, and the options as weighed);
- how to tell a sign from another ("the difference between a bruise AND BLEEDING under the
  skin"), unless a thing compared is owned or the message tells of now or of the injection;
- "say" opening a sentence imagines the case, like "suppose" ("I'd say my chest feels tight"
  still reports);
- chat spellings of the words a question opens with ("kan", "wud", "shud");
- a medicine's side effects asked for as a heading ("side effects of the lidocaine?");
- puzzled about what the procedure is ("I'm confused, is a TPI ...?", not "I'm confused, is
  this normal?"); what nobody sees anyway (one's own back, a driver's blind spot); how long an
  expected effect "persists", asked; what a medicine is "going to" do, asked; what a step of
  the care is for ("a plaster to prevent bleeding or infection?").
The sentences are written for these tests (never copied from a development, review or
evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # "much" is not "more"
    ("does it swell much?", None),
    ("does it swell much? mine is twice the size since this morning", "doctor"),
    ("will I need one more injection if the swelling comes back?", None),
    # a heading of its own, asked about in the next question
    ("Infection. Is it serious if it happens?", None),
    ("Infection. My site is hot and oozing since Monday. Is it serious?", "doctor"),
    ("Pneumothorax... how common is that?", None),
    ("Chest pain... how common is that?", "emergency"),
    ("Collapsed lung. my husband has one since the shot. how common is that?", "emergency"),
    # a list asked item by item
    ("hives, fainting, a seizure - what are the chances of each?", None),
    ("bruising, bleeding, lung puncture: which of these is most likely?", None),
    ("my lips are swelling, hives everywhere - which of these is worst?", "emergency"),
    ("chest pain, can't breathe - which of these is worse?", "emergency"),
    # a sign is no question's opener
    ("can't breathe, chest pain - which is worse?", "emergency"),
    ("which is worse, a collapsed lung or an infection?", None),
    # how to tell one from another
    ("how can you tell the difference between normal soreness and an infection?", None),
    ("how do you tell a harmless bruise from bleeding that needs a doctor?", None),
    ("how do I tell the difference between my bruise and bleeding? it has been oozing since "
     "lunch", "doctor"),
    ("what's the difference between a panic attack and chest pain from the lung? I have chest "
     "pain now", "emergency"),
    # "say" imagines
    ("say my tongue goes numb after the shot - do I ring 911?", None),
    ("so say the spot gets hot and red, who do I call?", None),
    ("I'd say my throat feels like it's closing", "emergency"),
    ("they say my lips look blue", "emergency"),
    # chat spellings of question openers
    ("kan the shot give me a fever?", None),
    ("wud the steroid raise my sugars?", None),
    # a medicine's side effects asked for
    ("side effects of the lidocaine?", None),
    ("side effects of the steroid for someone with diabetes?", None),
    ("I think I have side effects from the lidocaine?", "doctor"),
    # puzzled about what the procedure is
    ("I'm a bit confused, is a TPI the same as dry needling?", None),
    ("I'm confused, is this normal?", "emergency"),
    ("my dad is confused and talking nonsense since his injection", "emergency"),
    # things nobody sees anyway
    ("how will I know what they did since I can't see my own neck?", None),
    ("I can't see out of my left eye since the shot", "emergency"),
    ("will turning my head to check my blind spot in the car hurt after?", None),
    ("there's a blind spot in my vision since this morning", "emergency"),
    # how long an expected effect goes on, asked
    ("please tell me how long the numbness usually persists after it", None),
    ("my arm is still numb and it's been two days", "doctor"),
    # what a medicine is going to do, asked
    ("is the lidocaine going to make me dizzy or give me a rash?", None),
    ("is the lidocaine going to make me dizzy? I already have a rash on my arm since the shot",
     "doctor"),
    # what a step of the care is for
    ("do they use a plaster to prevent bleeding or infection?", None),
    ("is the cold pack for swelling?", None),
    ("the plaster is soaked through, do I need a new one to stop bleeding?", "emergency"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round35_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
