"""Round 37 of the English detector (session 44), from the kinds the blind development rounds 50
and 52 still misread, each beside a report in the same shape that keeps its level:
- an injection still to come dates no emergency told now ("my shots aren't until thursday but
  I'm coughing up blood");
- "mine is pouring" with bleeding told in its sentence is heavy bleeding;
- a complication's name as a heading, then whether it happens, lasts or heals ("muscle damage -
  permanent or not?"), its cause or place named after it; a symptom so asked still escalates;
- a list of risks closed by "anything else I should know?";
- scenes ("picture this:", "thinking ahead:") and quoted signs in an "if" clause were tried and
  withdrawn after the round's review: they escalate as before;
- an imagined case dated after the injection ("imagine ... on day 4. call or wait?"), measured
  temperatures in it too; not with a clause that tells it before or after its question;
- a heading and "how much is fine?", the writer asking whether to call;
- a sign of a kind weighed against another ("how does a tension headache compare with ...");
- signs listed after "I read about";
- the care taken against a sign ("careful about infection");
- a what-if taken back ("not really a what if", "this is actually happening") is told;
- "general question", "not booked yet";
- a body state caused by a feeling ("nearly fainted from boredom", "makes me want to throw
  up"), never a faint from nerves or stress;
- "should swelling appear ..., ...?" alone is a condition;
- "the next day" is a time, not another injection;
- a recovery's "now" ("is doing well now") brings back nothing;
- misses found by the round's reviews that were there before it: a relative's own after a
  question ("my dads does", "got em all over"), "since his shots", "collapsed at school" dated
  today, a fever read with the injection still ahead.
The sentences are written for these tests (never copied from a development, review or
evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # an injection still ahead dates no emergency told now
    ("my shots aren't until thursday but I'm coughing up blood this morning", "emergency"),
    ("my first injection is tomorrow and my lips are swelling up", "emergency"),
    ("my appointment isn't till next month, I had a seizure when I was a "
     "kid, does that matter?", None),
    # "pouring" with bleeding told in its sentence
    ("they said a bit of bleeding is normal but mine is pouring", "emergency"),
    ("it's pouring and windy, will a little bleeding be a problem if I walk home after?", None),
    # a complication named, then what lasts, heals or happens
    ("muscle damage - permanent or not?", None),
    ("an infection from TPI, is it treatable?", None),
    ("anaphylaxis to the numbing medicine - does that happen?", None),
    ("lips swelling up - does that happen?", "emergency"),
    ("nerve damage, permanent or not? my hand has been numb since the shot", "doctor"),
    # a list of risks, then a request for more
    ("side effects: bruising? infection? anything else I should know?", None),
    ("side effects: bruising? infection? anything else? I've got a fever since the shot", "doctor"),
    # withdrawn after the round's review: a scene opener ("picture this:", "hypothetically,",
    # "thinking ahead:") makes nothing imagined, since stories that happened open the same way;
    # quotation marks end an "if" clause as before ("... 'slurred speech' ...? my husband has it")
    ("Picture this (my injection's next week): the night after it the spot goes hot and "
     "red. Would you want a call?", "doctor"),
    ("Thinking ahead to my injection next week: my face swells up in the car home. Would you "
     "call 911?", "emergency"),
    ("thinking ahead: my chest hurts and i cant breathe. would they still do my tpi friday?",
     "emergency"),
    ("if someone got 'slurred speech' after tpi would they notice? my husband has it rn",
     "emergency"),
    # a clause set between an imagined case and its question that tells it real
    ("imagine my lip swells up on day 2 - it has - what now?", "emergency"),
    ("say my temp reaches 101 on day 2, which it has, should I ring?", "doctor"),
    ("say the temperature hits 101 on day 2 - what then, paracetamol?", None),
    ("say my temp is 38.6 tonight, do I call?", "doctor"),
    # ... or a statement after its question
    ("imagine my lip swells up the next day - er or not? yep thats me", "emergency"),
    ("imagine my lip swells up the next day - er or not? or wait it out?", None),
    ("Picture this: I'm at my desk and my face starts swelling. What's "
     "happening to me??", "emergency"),
    ("hypothetically, my throat is tight right now, would that be 911?", "emergency"),
    ("Planning ahead (booked for May): it's the evening after and I feel "
     "faint. What would I do?", None),
    # an imagined case dated after the injection
    ("imagine the bruise doubles in size on day 4. Call or wait?", None),
    ("imagine my shock when the bruise doubled in size on day 4. call?", "doctor"),
    ("say my temperature is 38.4 on the third day, is that a call?", None),
    ("say my temperature is 38.4 right now, is that a call?", "doctor"),
    # a heading and how much of it is fine
    ("swelling around the site: how much is fine and when should I call you?", None),
    ("swelling on my arm: how much is fine? I should call you, it's huge", "doctor"),
    # a sign weighed against another kind
    ("how does a tension headache compare with the headache after TPI?", None),
    ("how does my headache compare with a migraine? it started after the shot", "doctor"),
    # read of, in a list or quoted
    ("I read about bleeding and infection, how common are they?", None),
    ("I read about bleeding and infection and now my site is hot and oozing", "doctor"),
    ("the first thing I saw was 'collapsed lung', which scared me. how rare is it?", None),
    ("the first thing I saw was 'collapsed lung' and that's what the ER said I have",
     "emergency"),
    ("the first thing I saw was 'collapsed lung' and that's what my wife has", "emergency"),
    ("the pain made me want to pass out and then I did", "emergency"),
    # the care taken against it
    ("are the nurses careful about infection?", None),
    ("they were careful about infection but now the site is hot and full of pus", "doctor"),
    # a what-if taken back
    ("what if my arm goes weak? not really a what if, it has since lunch", "doctor"),
    ("what if my tongue goes numb? this is actually happening", "emergency"),
    ("what if my tongue goes numb? is it happening to many people?", None),
    # "general question", "haven't booked yet"
    ("Bruising at the site - normal or not? general question, not booked yet", None),
    # a body state caused by a feeling
    ("I nearly fainted from boredom in your waiting room, can I bring a book?", None),
    ("I nearly fainted from the pain after the shot and I'm still dizzy", "emergency"),
    ("I fainted from nerves after the shot and hit my head", "emergency"),
    ("my husband collapsed from stress in the car park after his injection", "emergency"),
    ("the thought of more needles makes me want to throw up, can I have a sedative?", None),
    # "should <sign> appear, ...?"
    ("should swelling appear after the shot, do I use ice?", None),
    ("should swelling appear after the shot, do I use ice? my arm is huge now", "doctor"),
    # "next" and "second" as times, not as another injection
    ("imagine the spot goes hot the next day - doctor or wait?", None),
    # reports the round's reviews found missed before it as well: a relative's or the writer's
    # own after a question ("my dads does", "mine closes", "that's what my son has rn", "has it
    # rn"), "since his shots", a school that is a place today, an acute sign with the
    # injection still ahead
    ("can tpi make your lips swell? my mums does", "emergency"),
    ("can tpi make your lips swell? my mum is 70", None),
    ("does tpi make your throat tight? mine swells when i eat", "emergency"),
    ("i read about anaphylaxis and thats what my wife has rn", "emergency"),
    ("if someone got slurred speech would they know? my dad has it rn", "emergency"),
    ("my mum had a stroke in 2015 and is fine now, crushing chest pain since her shots",
     "emergency"),
    ("my daughter had her injections friday and today she passed out at school",
     "emergency"),
    ("I passed out a few times at school as a teen, is TPI ok for me today?", None),
    ("my appointment isn't until monday but I have a fever of 102 and it's climbing", "doctor"),
    ("my appointment isn't until monday, I had a fever of 101 last month, is that ok?", None),
    ("say my arm breaks out in hives on day 2, is that the er? got em all over", "emergency"),
    ("are hives after the shot common? had them once years ago, all over now", None),
    # a recovery's "now"
    ("my dad had a heart attack in 2015 and is doing great now, can he have TPI?", None),
    ("my dad had a heart attack in 2015 and now he has chest pain again", "emergency"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round37_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
