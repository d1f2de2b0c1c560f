"""Round 20 of the English detector (session 26): follow-ups that report what a question just
asked about, and questions about what may happen that the nineteenth blind development set
(tests/dev_round19/) showed escalated, each beside the message that must keep its level. The
sentences are written for these tests (never copied from a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # a follow-up with its subject left out reports both signs asked about
    ("which is worse, a rash or a fever, got both?", "doctor"),
    ("which is more serious, lip swelling or hives? broke out in both", "emergency"),
    ("pus or redness, which one means infection - dealing with both", "doctor"),
    ("is a fever more likely with the steroid or the lidocaine? getting both", None),
    ("do I get both shots the same day? having both done friday", None),
    # "mine" / "it" after a question about how much is normal
    ("how much bleeding is ok? mine won't stop", "doctor"),
    ("how much oozing is normal? cuz mine hasn't stopped since lunch", "doctor"),
    ("how much bleeding is fine? his won't quit", "doctor"),
    ("how much bleeding is normal? mine doesn't stop easily when I give blood", None),
    # growing as they write
    ("how much swelling is ok? it's getting bigger by the hour", "doctor"),
    ("is redness normal? it just keeps getting redder", "doctor"),
    ("how much swelling is normal? it's gotten bigger since lunch", "doctor"),
    ("how much swelling is normal? getting bigger would scare me", None),
    ("how much swelling is normal? it gets bigger on day two then settles, right?", None),
    # "supposed to" asked of the injection, the muscle or anyone
    ("is the muscle supposed to feel heavy and weak for a while afterwards?", None),
    ("is the shot supposed to sting going in?", None),
    ("are you supposed to feel weak all over after the shots?", None),
    # "is it / am I supposed to" may be the patient's own now: the sign keeps its level
    ("is it supposed to hurt to breathe?", "emergency"),
    ("am I supposed to be short of breath? because I am", "emergency"),
    # a bare yes after the question reports; a reason that goes on does not
    ("is it normal to be feverish after? cause I am", "doctor"),
    ("can the shots cause a stroke? asking because I'm 72", None),
    ("is my arm supposed to be this red?", "doctor"),
    ("is the spot supposed to be red and hot?", "doctor"),
    ("is my face supposed to be swelling up like this?", "emergency"),
    ("is it supposed to be this hard to breathe?", "emergency"),
    # a possibility asked after a risk word
    ("how likely is it that the site gets infected afterwards", None),
    ("what are the chances that the spot gets red?", None),
    ("what are the chances that the spot is infected? it's hot and red", "doctor"),
    ("how likely is it that the spot is infected", "doctor"),
    ("any chance the muscle ends up weak after the shots?", None),
    ("what are the odds the muscle stays weak", None),
    ("any chance the muscle ends up weak? because it is weak now", "doctor"),
    # what the steroid may do, asked ("push" causes)
    ("will the steroid push my sugar up?", None),
    ("I'm diabetic, could the steroid shot push my sugar too high?", None),
    ("the steroid pushed my sugar up to 320", "doctor"),
    # what the writer is, not what they feel
    ("I'm a pharmacist so I know what a pneumothorax is, how often does it happen with TPI?",
     None),
    ("I'm a nurse and I'm short of breath since the shot", "emergency"),
    # options offered after a question, a quoted term, heat in a place
    ("when is the infection risk highest after the shot? the first week or later?", None),
    ("how long does numbness last? first hour or the whole day", None),
    ("is it normal to still bleed? day 2 or 3 now", "doctor"),
    ("when does soreness count as 'increased pain' I should ring about?", None),
    ('my arm has "increased pain" now?', "doctor"),
    ("it's hot as hell in our flat today, is your waiting room cooler?", None),
    ("it's hot as hell in my arm where they injected", "doctor"),
    # emergencies told in lay words (a twentieth blind set's kinds: rule 12's soaking, the
    # lungs, the floor)
    ("there's so much blood coming out, it's come through the dressing", "emergency"),
    ("blood is coming through my shirt and my jacket", "emergency"),
    ("his jumper is drenched, it's still flowing", "emergency"),
    ("pressing hard but the whole back of my top is red", "emergency"),
    ("the site keeps spurting every time I lift the pad", "emergency"),
    ("bleeding bad and it won't stop", "emergency"),
    ("like a ton of bricks on my lungs since the injection", "emergency"),
    ("each breath is only half of what it should be", "emergency"),
    ("dad is on the floor and not really answering me", "emergency"),
    # stopping that fails reports the sign going on; a question how to stop it does not
    ("nothing stops it, it has soaked through the gauze", "emergency"),
    ("I haven't been able to stop the bleeding for an hour", "doctor"),
    ("how do I stop the bleeding if it happens?", None),
    ("my breathing's gone weird, no can breathe good", "emergency"),
    ("he won't come round, we've been shaking him", "emergency"),
    ("is it normal to feel short of breath after? cos I am", "emergency"),
    ("can you get a fever after tpi? because I did yesterday", "doctor"),
    ("is a fever normal after the shots? day 2 or 3 of it", "doctor"),
    ('what counts as "spreading redness"? it\'s gone halfway up my arm', "doctor"),
    # a negated sign taken back, a comparison with every time before
    ("I wasn't short of breath before the shot but now I am", "emergency"),
    ("I've never felt so breathless", "emergency"),
    ("my breathing hasn't been right since the injection", "emergency"),
    ("I don't have chest pain but now I am feeling sick", "doctor"),
    ("no fever, but now I am worried about the bruise", None),
    ("my breathing has never been normal, I have COPD", None),
    ("I wasn't short of breath but now I am", "emergency"),
    ("no chest pain after the injection, but now I'm still a bit sore", None),
    ("no chest pain after my shots, but I have a question about it", None),
    ("I've never fainted as a result of needles", None),
    ("never had swelling so I don't think I'm allergic to lidocaine", None),
    ("my breathing hasn't been right since I had covid in 2021, can I still have the shots?",
     None),
    # their look-alikes
    ("my hoodie got soaked when I rinsed the injection site in the shower", None),
    ("the injection was spurting out of the needle before she gave it", None),
    ("my teenager is so hard to wake in the mornings", None),
    ("the fan only gets air in on one side", None),
    ("is bleeding normal? been an hour since the appointment and there's none", None),
    ("he won't come round to ours for dinner anymore", None),
    ("nothing wakes him up in the mornings", None),
    ("my daughter can't come round till 6 to drive me home", None),
    ("they told me not to treat the soreness with heat the first day, why?", None),
    ("it started pouring rain as I took the bandage off, can it get wet?", None),
    ("mum won't come round at all, she's breathing but limp", "emergency"),
    ("I don't know how to stop bleeding if it starts", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round20_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
