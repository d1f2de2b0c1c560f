"""Questions about signs in shapes found by writing 79 risk and general questions of our own
(session 19): what a sign looks or feels like, a "what if" with the sign's place in it and no
"?", "how HIGH CAN ..." without "?", and a habit asked about ("does the bruising usually get this
big?"), which had been read as the writer's history. Session 20, from development round 12's
questions that escalated, by kind: whether two names mean one thing ("is X the same as Y"), the
threshold of a sign ("at what point does X become ...", "the cutoff for a fever"), and how much
the needle hurts asked as "is the needle very painful?". Each beside the report that must still
escalate."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # what a sign looks or feels like, asked ...
    ("what does an allergic reaction to the injection look like", None),
    ("what does an infection at the site look like", None),
    ("what would a collapsed lung feel like", None),
    # ... not a sign that looks like something, nor one shown and asked about
    ("my arm looks like it's infected", "doctor"),
    ("what does my arm look like to you, its red hot and swollen", "doctor"),
    ("what does a stroke look like? my mom's face is drooping right now", "emergency"),
    # "what if" with the sign's place inside the condition, without "?" ...
    ("what if I feel weak in my arm after a neck injection", None),
    ("what if I get pain in my chest tonight", None),
    # ... not a plain "if" whose main clause reports, nor a sign there already
    ("if I breathe in my chest hurts", "emergency"),
    ("I feel weak in my arm since the injection, what if it doesn't go away", "doctor"),
    # "how high can ..." asks, with or without "?" ...
    ("how high can my sugar go after the cortisone one", None),
    # ... not "how bad is it" before a report
    ("how bad is it, my chest hurts", "emergency"),
    # a habit asked about is no history of the writer's ("DOES the bruising USUALLY GET this
    # big?" was read as "I usually get bruises" and silenced) ...
    ("does the bruising usually get this big", "doctor"),
    # ... while a general question stays one
    ("do bruises usually get big after TPI?", None),
    # whether two names mean one thing ...
    ("is a pneumothorax the medical name for a punctured lung", None),
    ("is anaphylaxis just another word for a bad allergic reaction?", None),
    ("are hives different from a rash", None),
    # ... not "this/it" (it may be what the patient has), nor with a report in the sentence
    ("is this the same as a collapsed lung", "emergency"),
    ("is this the same as a stroke, her face is drooping", "emergency"),
    ("is chest pain the same as a heart attack, mine started an hour ago", "emergency"),
    # the threshold of a sign ...
    ("at what point does swelling at the spot become a worry", None),
    ("what's the threshold for redness after these shots", None),
    # ... not beside a report
    ("at what point should I worry, my arm is red and hot and spreading", "doctor"),
    ("whats the cutoff for a fever, im at 101.5 since last night", "doctor"),
    ("where's the threshold for bleeding, mine has soaked through two pads", "emergency"),
    # how much the needle hurts, asked ...
    ("are the shots really painful", None),
    # ... not the site's pain, nor one told after the question
    ("is the injection site very painful?", "doctor"),
    ("is the needle very painful? mine hurts like hell right now", "doctor"),
    # (development round 15's questions, by kind) a trigger point in general as the subject ...
    ("is a trigger point a lump or just a tight muscle?", None),
    # ... not "the/this knot", which may be the patient's own
    ("is the knot red and hot?", "doctor"),
    ("is the trigger point they injected red and hot?", "doctor"),
    # whether a sign should be reported, and whom to call about one ...
    ("Should a rash near the injection be reported?", None),
    ("who do I ring about a fever after TPI?", None),
    ("number to call about bruising after the shots?", None),
    # ... not one told as there
    ("should my swelling be checked, it's huge and hot", "doctor"),
    ("number to call about the bleeding, it won't stop", "doctor"),
    # a sign as an example ("for something like ...") ...
    ("for something like chest pain after the shot, is it 911?", None),
    # ... not someone's now ("has something like"), nor "this"
    ("my mom has something like a seizure, who do I call?", "emergency"),
    ("for something like this swelling, do I call you?", "doctor"),
    # the worrier is no report ("I'M on blood thinners and SCARED OF bleeding") ...
    ("I'm on warfarin and nervous about bleeding, should I go ahead?", None),
    # ... while a sign told beside the worry still is
    ("I'm on warfarin and worried about bleeding, it's been oozing all day", "doctor"),
    ("I'm short of breath and worried about my lungs", "emergency"),
    # a risk named before the sign ("RISKY FOR nerve damage") ...
    ("is it too close to the spine and risky for nerve damage?", None),
    # ... not beside a report
    ("high risk of stroke, my face is drooping", "emergency"),
    ("there's a risk of infection, my site is oozing pus", "doctor"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_question_shapes(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
