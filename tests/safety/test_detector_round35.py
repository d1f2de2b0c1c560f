"""Round 35 of the English detector (session 42), from the kinds the development rounds still
escalated (risk questions in unusual shapes, recognition questions, imagined cases), each
beside a report in the same shape that keeps its level, and from an adversarial review that
wrote reports in these shapes (the reports it found silenced were taken back):
- "more" and "much" share a dictionary form, so "will it bleed MUCH?" had read as "one MORE
  injection" (an injection had) and made a general question the writer's own;
- a sign named as a heading and asked about in its next question only as what it would be IF
  IT HAPPENED ("Nerve damage. Is it permanent if it happens?"; "Pus. Is that common?" may be
  told by someone who has it); a list asked how likely EACH item is or WHICH OF THESE is
  likely, for an emergency sign only as a complication's name ("numb lips, metallic taste -
  which of these is common?" escalates);
- a sign inside the sentence's first words is no question's opener ("CAN'T breathe, chest pain
  - which is worse?" had read "can" as asking, and the options as weighed);
- a sign right after a comma that closes the writer's own question is told as the reason
  ("should i go to er, CANT BREATHE"), unless a sign came before the comma or "like" offers it;
- how to tell a sign from another ("the difference between a bruise AND BLEEDING under the
  skin"), unless a thing compared is owned or the message tells of now or of the injection;
- "say" and a subject imagine a case (the dash ends it too: "say my lips go numb - is that an
  emergency?"), never with a state told ("say my throat IS SWELLING", "say he CAN'T breathe",
  "say my chest FEELS tight", "say I'M BLEEDING", "say she FAINTED");
- chat spellings of the words a question opens with ("kan", "wud", "shud");
- a medicine's side effects asked for ("side effects of the lidocaine?"); what nobody sees
  anyway (one's own back, a driver's blind spot); how long an effect "persists", asked; what a
  step of the care is for ("a plaster to prevent bleeding or infection?"; never an emergency
  sign, nor with anything told in the message); "fact or myth?" after a complication's name;
  whether people get a sign at all ("is it true that patients get ..."); weak at the knees from
  reading or thinking.
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
    # a heading asked about in its next question: only "if it happens"
    ("Infection. Is it serious if it happens?", None),
    ("Infection. My site is hot and oozing since Monday. Is it serious?", "doctor"),
    ("Oozing. Is that common?", "doctor"),
    ("Chest pain... how common is that?", "emergency"),
    # a list asked item by item
    ("bruising, bleeding, infection: which of these is most likely?", None),
    ("a seizure, an allergic reaction, a punctured lung - what are the chances of each?", None),
    ("tongue tingling, ringing in my ears. any of these common?", "emergency"),
    ("hives all over, face puffing up - what are the odds of each?", "emergency"),
    ("my lips are swelling, hives everywhere - which of these is worst?", "emergency"),
    # a sign is no question's opener
    ("can't breathe, chest pain - which is worse?", "emergency"),
    ("which is worse, a collapsed lung or an infection?", None),
    # a sign after a comma that closes the writer's own question
    ("should I call an ambulance, can't catch my breath", "emergency"),
    ("do I need urgent care, pus and a fever", "doctor"),
    ("is it normal to get a fever, chills or a rash?", None),
    ("what should I look out for afterwards, like swelling?", None),
    # how to tell one from another
    ("how can you tell the difference between normal soreness and an infection?", None),
    ("how do you tell a harmless bruise from bleeding that needs a doctor?", None),
    ("how do I tell the difference between my bruise and bleeding? it has been oozing since "
     "lunch", "doctor"),
    ("what's the difference between a panic attack and chest pain from the lung? I have chest "
     "pain now", "emergency"),
    # "say" imagines a change, never a state told
    ("say my tongue goes numb after the shot - do I ring 911?", None),
    ("so say I get a high temperature, who do I call?", None),
    ("say my tongue is tingling, do I ring 911?", "emergency"),
    ("say my husband can't get his breath, what do we do", "emergency"),
    ("say my throat feels tight - is that serious?", "emergency"),
    ("say my dad collapsed, what now?", "emergency"),
    ("I'd say my throat feels like it's closing", "emergency"),
    # chat spellings of question openers
    ("kan the shot give me a fever?", None),
    ("wud the steroid raise my sugars?", None),
    ("shud i go to the er, lips swelling", "emergency"),
    # a medicine's side effects asked for
    ("side effects of the lidocaine?", None),
    ("side effects of the steroid for someone with diabetes?", None),
    ("I think I have side effects from the lidocaine?", "doctor"),
    # things nobody sees anyway
    ("how will I know what they did since I can't see my own neck?", None),
    ("I can't see my own hand in front of my face since the shot", "emergency"),
    ("will turning my head to check my blind spot hurt after?", None),
    ("there's a new blind spot in my vision while I drive home", "emergency"),
    # how long an expected effect goes on, asked
    ("please tell me how long the numbness usually persists after it", None),
    ("my arm is still numb and it's been two days", "doctor"),
    # what a step of the care is for
    ("do they use a plaster to prevent bleeding or infection?", None),
    ("is the cold pack for swelling?", None),
    ("cream for itching? it's all over my arm since the shot", "doctor"),
    ("ice for lip swelling?", "emergency"),
    ("the plaster is soaked through, do I need a new one to stop bleeding?", "emergency"),
    # blind round 50's kinds: "myth or real", whether people get it, weak at the knees
    ("collapsed lung after a shoulder TPI - fact or myth?", None),
    ("collapsed lung since my shoulder TPI this morning - fact or myth?", "emergency"),
    ("is it true that patients get infections from these needles?", None),
    ("is it true that patients get infections from these? my site has pus since Monday",
     "doctor"),
    ("my knees went weak just thinking about the needle, is that silly?", None),
    ("my legs went weak and I fell over an hour after the shot", "doctor"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round35_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
