"""Round 32 of the English detector (session 36): reports that four adversarial reviews of 200
each found the rules missed (one written in the shapes the rules read as no report, one in lay
words), and one false alarm of a blind development set ("early dementia" read as a time of now):
- "earlier" as a time is that word alone, not "early" ("he has EARLY dementia");
- a sign told as history before the procedure is taken back by a yes for now in the next
  sentence ("... told about chest pain before the procedure. I HAVE IT NOW");
- a sign whose own words say it is new ("before the injection I NEVER HAD headaches like this")
  is not history;
- "mine ... is still there" after a question about the sign, with the place told in between;
- chest pressure placed after a comma ("it's pressure, right in the middle of my chest");
- a face tilted to one side, speech that is not clear (stroke signs);
- sugar readings told as "they are 380" after the sugars, or as "the high 300s";
- skin that feels like cotton wool, watery bubbles on the skin, boiling but freezing, "chucking
  up", lumps all over;
- from a third review: "sob since tpi" in lower case, "my breathing, it's been short", a
  temperature spelled out with how it was taken ("a hundred and one point two, took it under the
  tongue");
- from a fourth review (emergencies only): "ticker's galloping", "short of wind", "my breathing
  has been bad", "two of everything", eyelids with "weights" on them, a face "melting",
  "breathing but not answering", "went out like a light ... and fell".
Each sits beside a message in the same words that keeps its level. The sentences are written
for these tests (never copied from a development, review or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # "early" is not "earlier": a trait before the injection ahead stays a trait
    ("My mum gets muddled in the evenings, she has early Alzheimer's. Is it safe for her to "
     "have TPI?", None),
    ("My mum got muddled earlier this evening after her TPI, is that ok?", "emergency"),
    # history before, taken back by a yes for now in the next sentence
    ("Before the injection the nurse mentioned chest pain as a rare risk. I have it now, "
     "since lunch.", "emergency"),
    ("Before the injection the nurse mentioned chest pain as a rare risk. Thankfully nothing "
     "like that.", None),
    # a sign told as new by its own words
    ("before the shots i never had a headache like this, it's been 3 days", "doctor"),
    ("I had headaches like this before the shots, for years", None),
    # "mine ... is still there" after the question, the place told in between
    ("How long does the numbness last? Mine on the back of my thigh is still there two days "
     "later", "doctor"),
    ("How long does the numbness last? I'm booked for Friday and want to plan the day", None),
    # chest pressure placed after a comma
    ("it's a heavy pressure, right in the centre of my chest, since the shots", "emergency"),
    ("it's a heavy pressure, right in the centre of my shoulder blade, like they said", None),
    # stroke signs in lay words
    ("my husband's face is tilted to one side since this afternoon", "emergency"),
    ("his speech is not clear and he seems confused, he had the shots today", "emergency"),
    ("the picture on the wall is tilted to one side", None),
    # sugar readings after the sugars
    ("my sugars are normally fine. since the steroid shot they are 340 and 365", "doctor"),
    ("my sugars are normally fine. since the steroid shot they are 110 and 125", None),
    ("type 2 diabetic, since the injection I'm in the high 300s every morning", "doctor"),
    # lay words for numbness, blisters, fever, vomiting and hives
    ("three days on and my buttock still feels like cotton wool when I touch it", "doctor"),
    ("watery bubbles have come up on the skin where the needle went in", "doctor"),
    ("I'm boiling and then freezing since the injections yesterday", "doctor"),
    ("the kettle's boiling and the kids are freezing, typical Monday", None),
    ("been chucking up since the jabs this morning", "doctor"),
    ("he came out in itchy lumps all over after the lidocaine", "emergency"),
    # a third review (numbers, short texts, a report after another question): "sob" texted in
    # lower case, the breathing told after a comma, a temperature spelled out as it was taken
    ("sob since the shots", "emergency"),
    ("i sob since the shot, it was such a relief", None),
    ("can I drive tomorrow? also my breathing, it's been shallow since the injections",
     "emergency"),
    ("can I drive tomorrow? also my breathing, it's fine, just asking", None),
    ("a hundred and one point four, took it under the tongue, shots were Tuesday", "doctor"),
    ("ninety eight point nine, took it twice, shots were Tuesday", None),
    # a fourth review (emergencies told by understatement, slang, sensations, for someone else)
    ("my ticker's galloping since the jabs and I feel faint", "emergency"),
    ("I've been short of wind since the injection, even sitting down", "emergency"),
    ("her breathing has been bad since this afternoon's shots", "emergency"),
    ("my breath is bad in the mornings, can I still have the shots?", None),
    ("there's two of everything and my eyelids feel like they've got weights on them", "emergency"),
    ("the right side of his face looks like it's melting", "emergency"),
    ("he's breathing but not answering me, he had the injections today", "emergency"),
    ("I went out like a light in the hallway and fell, had the shots this morning", "emergency"),
    ("I went out like a light last night and slept ten hours after the shots", None),
    # a fifth review: the signs a list names, all told as the writer's own
    ("the leaflet says call about warmth, burning or itching. I've had all three since Sunday",
     "doctor"),
    ("the leaflet says call about warmth, burning or itching. I've had all three of my kids "
     "by caesarean", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round32_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
