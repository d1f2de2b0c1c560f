"""A question about the patient's own case gets the doctor named after the answer
(rasa_components/personal_question.py; the policy's step 7, rasa_components/safety_first_policy.py).
Through the REST channel, as a patient writes; and the cue list itself, both ways."""

from __future__ import annotations

import uuid

import pytest

from rasa_components.personal_question import is_personal

POINTER = "For your own case, ask your doctor"
POINTER_ES = "Sobre su propio caso, pregunte a su doctor"


def _reply(servers, *messages: str) -> str:
    sender = f"personal-{uuid.uuid4().hex[:10]}"
    replies: list[dict] = []
    for message in messages:
        replies = servers.send(sender, message)
    return "\n".join(r.get("text") or "" for r in replies)


@pytest.mark.parametrize("text", [
    "I'm pregnant, what are trigger points exactly?",
    "with my fibromyalgia, what are trigger points?",
])
def test_a_personal_question_gets_its_answer_and_the_doctor(servers, text):
    reply = _reply(servers, "hi", text)
    assert "knot" in reply.lower(), reply  # the topic's answer is still given
    assert POINTER in reply, reply


def test_a_general_question_gets_no_pointer(servers):
    reply = _reply(servers, "hi", "what are trigger points?")
    assert "knot" in reply.lower() and POINTER not in reply, reply


def test_an_answer_that_names_the_doctor_is_not_repeated(servers):
    reply = _reply(servers, "hi", "I'm on warfarin, do I have to stop it before the injection?")
    assert "doctor" in reply.lower() and POINTER not in reply, reply


def test_a_spanish_personal_question_gets_the_pointer_in_spanish(servers):
    reply = _reply(servers, "hola", "tengo diabetes, ¿qué son los puntos gatillo?")
    assert POINTER_ES in reply and POINTER not in reply, reply


@pytest.mark.parametrize(("text", "language", "personal"), [
    ("am I a good candidate for these?", "en", True),
    ("I have type 2 diabetes, will the steroid matter?", "en", True),
    ("should my dad get the injections at his age?", "en", True),
    # session 41's kinds (our own sentences): a relative's age or illness, a type of diabetes,
    # "I've got", a reaction once, one's own problem named, age, need
    ("my grandma is 93, would the doctor still do this?", "en", True),
    ("my husband, who has heart failure, wants these - thoughts?", "en", True),
    ("my 14 year old plays rugby, can she get them?", "en", True),
    ("I'm a type 2 diabetic, anything I should watch?", "en", True),
    ("I've got rheumatoid arthritis, does that change anything?", "en", True),
    ("I had a bad reaction to a dental anaesthetic, does that matter?", "en", True),
    ("would it help my tennis elbow?", "en", True),
    ("is my back pain the kind these are for?", "en", True),
    ("am I too old for trigger point shots at 80?", "en", True),
    ("do I actually need injections or will stretching do?", "en", True),
    ("I've got my first appointment on Friday, how long is it?", "en", False),
    ("what are the risks, specifically?", "en", False),
    ("can they treat more than one knot in a visit?", "en", False),
    # what a review found the first version of those cues taking for personal
    ("am I able to drive home afterwards?", "en", False),
    ("is ice good for my arm after?", "en", False),
    ("can you help my wife book an appointment?", "en", False),
    ("do I need the injection site covered?", "en", False),
    ("that would put me at ease", "en", False),
    ("I've got my 2nd injection next week, how long is it?", "en", False),
    ("I have a tpi appointment tomorrow, what do I wear?", "en", False),
    ("I've got it, thanks", "en", False),
    ("I have a question about the procedure", "en", False),
    ("how long does the procedure take?", "en", False),
    ("can I drive home afterwards?", "en", False),
    ("soy diabética, ¿me afecta el esteroide?", "es", True),
    ("en mi caso, ¿cuántas sesiones necesito?", "es", True),
    ("tengo una pregunta sobre la cita", "es", False),
    ("¿cuánto dura el procedimiento?", "es", False),
])
def test_the_cues(text, language, personal):
    assert is_personal(text, language) is personal
