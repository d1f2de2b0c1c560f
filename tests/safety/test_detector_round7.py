"""Round 7 of the English detector (session 11): the kinds a seventh blind development set
(tests/dev_round7/, risk questions in many shapes) found, each look-alike beside the report that
must still escalate. The sentences are written for these tests (never copied from a development
or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # hearsay: a story about someone outside the household, in the past, retold to ask whether
    # it is true or could happen (context/hearsay.py) ...
    ("a guy at my gym told me his friend had a collapsed lung from one of these, how common is "
     "that?", None),
    ("someone online said they got a metallic taste after theirs, is that true?", None),
    ("my neighbour told me her cousin bled through the dressing after hers, could that happen "
     "to me?", None),
    # ... not someone relaying their own symptom (a carer's client, an uncle), nor anything in
    # the present or dated to now anywhere after the source (the review of session 11)
    ("the lady I look after said her face swelled up after her injection, how common is that?",
     "emergency"),
    ("my uncle said he couldn't breathe properly after his shots, is that real?", "emergency"),
    ("my coworker told me her friend passed out after her injection, how common is that? "
     "she's in the ER now", "emergency"),
    ("my husband said he collapsed after his shot, how often does that happen?", "emergency"),
    ("my mum says she can't breathe after her shot, how common is that?", "emergency"),
    ("my friend told me she collapsed after her injection this morning, is that true?",
     "emergency"),
    ("a friend said it can happen and now I'm coughing up blood", "emergency"),
    ("someone told me she can't breathe since her injection, is that a known thing?",
     "emergency"),
    # a question that takes the sign as there now: whether it will end or go on, how much
    # longer, "like this" ...
    ("will my lip be swollen for long?", "emergency"),
    ("how long will I be short of breath?", "emergency"),
    ("is this going to make my throat close up more?", "emergency"),
    # ... not a case in general or the time after a procedure to come
    ("will the bleeding stop quickly if I'm on aspirin?", None),
    ("I'm on eliquis, will I keep bleeding after the injections?", None),
    ("does pneumothorax go away on its own or will it need a drain?", None),
    ("will I bleed more on a blood thinner?", None),
    ("will my lips stay swollen like this?", "emergency"),
    ("will the swelling in my throat go down by itself?", "emergency"),
    ("will my heart keep racing like this?", "emergency"),
    ("is it gonna keep bleeding?", "doctor"),
    ("will my arm still be weak tomorrow?", "doctor"),
    ("does bleeding usually stop on its own?", None),
    ("if my lips swell will it go down by itself?", None),
    ("I'm scared of needles, will I pass out?", None),
    ("I bruise easily, will I end up with big bruises?", None),
    # "will" asks about later: "will my neck be sore after?" is not "is my neck sore?"
    ("will my chest be tight after the shots near my ribs?", None),
    ("my chest is tight after the shots near my ribs", "emergency"),
    ("will I feel my heart racing?", None),
    ("will I be ok I feel my heart racing", "emergency"),
    # an aside after "if" does not end the condition; "hypothetically" anywhere imagines it
    ("if, heaven forbid, I pass out at home, who do we call?", None),
    ("if I stand up, I pass out", "emergency"),
    ("throat closing up on the way home, hypothetically, is that 911?", None),
    ("my throat is closing up, hypothetically what now", "emergency"),
    # whether the injections are linked with a sign
    ("is there a connection between these shots and seizures?", None),
    ("is there a link between the shot and my chest pain?", "emergency"),
    # a feeling dated to now after a question reports what was asked about (not a mood)
    ("can these shots cause chest pressure? it feels like a brick on me since lunch", "emergency"),
    ("can these shots cause chest pressure? feeling nervous since I booked", None),
    # a report after a general question (the eighth blind set, tests/dev_round8/: true reports
    # written as questions): a relative counted going down, "mine" getting worse, how many times
    # tonight, "he is, since", "she's had it since", a sign that popped up this morning
    ("do people faint from these? my dad went down like a sack at the bus stop", "emergency"),
    ("I went down to the pharmacy after the shot", None),
    ("mum went down twice to check the post while I rested", None),
    # a person who does not answer (not the phone or the clinic)
    ("he went down hard in the kitchen and won't answer me", "emergency"),
    ("she said the clinic isn't answering", None),
    ("he won't answer my texts since the shot", None),
    ("can lips swell from lidocaine? I can feel mine getting bigger", "emergency"),
    ("can lips swell from lidocaine? I can't tell, mine look normal", None),
    ("does vomiting stop on its own? four times today already", "doctor"),
    ("can botox make eyelids droop? my wife is, since Monday", "emergency"),
    ("can a steroid shot cause hives? she's had them since her appointment", "emergency"),
    ("is a rash at the site normal? appeared this morning", "doctor"),
    # bleeding named, then pooling; a limb dead to the touch; a kettle too heavy to lift
    ("this bleeding won't stop, it's pooling on the floor", "emergency"),
    ("the rain, it's pooling on the patio", None),
    ("my thigh is still dead to the touch 9 hours later", "doctor"),
    ("my knees are useless on stairs, have been for years", None),
    ("I can't lift the kettle since the injections", "doctor"),
    ("can I lift the kettle after the injections?", None),
    # general questions in other shapes: comparing, asked for someone else, "why would
    # someone", a time to come named with "this"; an embedded question about oneself still reports
    ("a harmless bruise vs a bleed that matters, how do you tell?", None),
    ("my throat is tight, how do I tell the difference between nerves and a reaction?",
     "emergency"),
    ("my brother is asking whether these can make your face droop", None),
    ("I was wondering if my leg being numb for 2 days is normal", "doctor"),
    ("wondering if I get a fever what I should do", None),
    ("why would someone's lips swell after an injection?", None),
    ("why would my lips swell like this?", "emergency"),
    ("what do I do if it starts bleeding later this week?", None),
    ("what if this bleeding doesn't stop", "doctor"),
    ("still numb 40 min after the injection, can I drive?", None),
    ("still numb 30 hours after the injection", "doctor"),
    # an EpiPen kept at hand or compared with, not used; the patient's own future
    ("do the nurses keep an epipen nearby in case?", None),
    ("should I bring my epipen just in case?", None),
    ("I carry an epipen and had to use it 10 min ago", "emergency"),
    ("why would a person feel short of breath after these shots? I do", "emergency"),
    ("I had to use my epipen after the shot", "emergency"),
    ("lightheaded from the lidocaine, could that happen to me?", None),
    ("am I going to feel weak all over after the botox ones?", None),
    ("I'm weak all over since the botox, is it going to last?", "emergency"),
    # confused by reading, a one-off long before, "still ... tomorrow" looks ahead
    ("I've read so many websites and now I'm more confused than before", None),
    ("my mum is more confused than ever since the shot", "emergency"),
    ("I once had a bad reaction to numbing at the dentist, should the doctor know?", None),
    ("I once felt my throat close after the shot this morning", "emergency"),
    ("what happens if my arm is still numb tomorrow?", None),
    ("what if my arm is still numb now?", "doctor"),
    # more idioms: anger, surprise, whether something fits; a faded bruise
    ("my blood boils when the bus is late", None),
    ("my jaw hit the floor when I saw the price", None),
    ("sore like after the gym, does that fit?", None),
    ("he had a fit after the shot", "emergency"),
    ("the bruise from last week's injection has faded", None),
    # words with another meaning: breath ("puffing"), a verb ("raise"), an idiom ("sick to death")
    ("hills have always left me puffing, that's just me", None),
    ("the spot is puffed up and sore", "doctor"),
    ("does diabetes raise the chance of an infection in my back?", None),
    ("there's a raised bump on my back where they injected", "doctor"),
    ("I'm sick to death of this sore neck", None),
    ("I've been sick twice since the shot", "doctor"),
    ("my arm is rashy where they injected", "doctor"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round7_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
