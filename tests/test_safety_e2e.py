"""The safety layer end to end: REST in, replies out, slots and findings in the tracker."""

import uuid

import pytest

from clinic import load_profile

pytestmark = pytest.mark.servers
CLINIC = load_profile()


def new_sender():
    return f"safety-{uuid.uuid4().hex[:8]}"


def texts(replies):
    return [r.get("text", "") for r in replies]


def slots(servers, sender):
    return servers.tracker(sender)["slots"]


def last_user_event(servers, sender):
    return [e for e in servers.tracker(sender)["events"] if e["event"] == "user"][-1]


def test_doctor_level_sign_is_named_with_the_phone_first(servers):
    sender = new_sender()
    replies = texts(servers.send(sender, "the site is red and hot and I have a temperature of 101"))
    first = replies[0]
    assert first.startswith("⚠️") and CLINIC.phone in first and CLINIC.opening_hours in first
    assert "101 °F" in first and "redness" in first
    assert any(CLINIC.emergency_number in t for t in replies[:2]), "when to call emergency instead"
    state = slots(servers, sender)
    assert state["escalation_level"] == "doctor"
    assert {"fever", "site_redness"} <= set(state["warning_signs"])
    findings = last_user_event(servers, sender)["parse_data"]["safety"]["findings"]
    assert {f["rule"] for f in findings} and all("start" in f and "end" in f for f in findings)


def test_emergency_comes_before_anything_else_even_the_welcome(servers):
    sender = new_sender()
    message = "since the shot near my shoulder blade it hurts to breathe"
    replies = texts(servers.send(sender, message))
    assert replies[0].startswith(f"🚨 Call {CLINIC.emergency_number} now")
    assert "trouble breathing" in replies[0]
    assert "not medical advice" in " ".join(replies[1:]), "the welcome still follows"
    assert slots(servers, sender)["escalation_level"] == "emergency"


def test_escalation_in_the_middle_of_a_conversation_then_the_question_is_answered(servers):
    sender = new_sender()
    servers.send(sender, "hi")
    servers.send(sender, "what happens during the procedure")
    replies = texts(servers.send(
        sender, "how long does the whole procedure take? also my arm is swollen and red today"))
    assert replies[0].startswith("⚠️")
    assert "few minutes" in " ".join(replies[1:]), "the question is still answered after it"
    assert slots(servers, sender)["escalation_level"] == "doctor"


def test_hypothetical_question_gets_the_list_without_an_escalation(servers):
    sender = new_sender()
    servers.send(sender, "hello")
    replies = " ".join(texts(servers.send(sender, "what if i get a fever after the injection?")))
    assert "100.4" in replies and CLINIC.phone in replies
    assert slots(servers, sender)["escalation_level"] is None


NEGATED_AND_A_QUESTION = "no fever and no redness, i just want to know how long the procedure takes"


def test_negated_sign_does_not_escalate(servers):
    sender = new_sender()
    servers.send(sender, "hello")
    replies = " ".join(texts(servers.send(sender, NEGATED_AND_A_QUESTION)))
    assert "⚠️" not in replies and "🚨" not in replies
    assert slots(servers, sender)["escalation_level"] is None


def test_the_question_after_negated_signs_is_answered(servers):
    sender = new_sender()
    servers.send(sender, "hello")
    replies = " ".join(texts(servers.send(sender, NEGATED_AND_A_QUESTION)))
    assert "few minutes" in replies


def test_expected_effect_is_reassured(servers):
    sender = new_sender()
    servers.send(sender, "hello")
    message = "my shoulder is a bit sore today after the shots"
    replies = " ".join(texts(servers.send(sender, message)))
    assert "100.4" in replies and "⚠️" not in replies and "🚨" not in replies
    assert slots(servers, sender)["escalation_level"] is None


def test_action_server_down_still_gives_a_safe_static_reply(servers):
    ongoing, fresh = new_sender(), new_sender()
    servers.send(ongoing, "hi")
    servers.stop_actions()
    try:
        for sender in (ongoing, fresh):
            message = "i cant breathe properly since the shot"
            replies = " ".join(texts(servers.send(sender, message)))
            assert CLINIC.emergency_number in replies and CLINIC.phone in replies, sender
            assert "not working right now" in replies
            assert slots(servers, sender)["escalation_level"] == "emergency"
        for sender in (ongoing, fresh):
            faq = " ".join(texts(servers.send(sender, "how long does the procedure take")))
            assert "few minutes" in faq, "answers that need no action keep working"
            assert "not working right now" not in faq, "the static reply is not repeated"
    finally:
        servers.start_actions()
    replies = texts(servers.send(ongoing, "my temp is 38.6 now"))
    assert replies[0].startswith("⚠️"), "service resumes when the action server is back"


def test_the_safety_judge_runs_in_the_served_pipeline(servers):
    servers.send("judge-e2e", "what happens during the injection?")
    parse = [e for e in servers.tracker("judge-e2e")["events"] if e["event"] == "user"][-1]
    judged = parse["parse_data"]["safety_judge"]
    assert set(judged) == {"emergency", "doctor", "expected", "question", "other"}
    assert abs(sum(judged.values()) - 1) < 0.01
    assert max(judged, key=judged.get) == "question"


# Questions about what to expect (safety/context/expectations.py) beside the same shape with a
# report: through REST, the question gets no escalation, the report its level.
WHAT_TO_EXPECT = [
    ("which is more common, bleeding or infection?",
     "which is worse, hives or lip swelling, came up in both?", "emergency"),
    ("how much swelling is acceptable after trigger point injections?",
     "how much swelling is fine, grandpa's arm is twice the size", "doctor"),
    ("¿qué tanto sangrado es normal después de la inyección?",
     "quería saber si a los pacientes les da fiebre, tengo 39", "doctor"),
]


@pytest.mark.parametrize(("question", "report", "level"), WHAT_TO_EXPECT)
def test_a_question_about_what_to_expect_is_not_escalated_but_the_report_is(
        servers, question, report, level):
    _question_answered_report_escalated(servers, question, report, level)


def _question_answered_report_escalated(servers, question: str, report: str, level: str) -> None:
    asker, reporter = new_sender(), new_sender()
    servers.send(asker, "hello")
    replies = " ".join(texts(servers.send(asker, question)))
    assert "⚠️" not in replies and "🚨" not in replies, replies
    assert slots(servers, asker)["escalation_level"] is None
    servers.send(reporter, "hello")
    first = texts(servers.send(reporter, report))[0]
    assert first.startswith("🚨" if level == "emergency" else "⚠️"), first
    assert slots(servers, reporter)["escalation_level"] == level


# Round 20 and Spanish round 16 (session 26): a question about what may happen (or a figure of
# speech) beside a report of the same shape, through the served assistant.
ROUND20 = [
    ("is the muscle supposed to feel heavy and weak for a while afterwards?",
     "which is worse, a rash or a fever, got both?", "doctor"),
    ("how likely is it that the site gets infected afterwards",
     "I wasn't short of breath before the shot but now I am", "emergency"),
    ("when is the infection risk highest after the shot? the first week or later?",
     "nothing stops it, it has soaked through the gauze", "emergency"),
    # Spanish round 16: a figure of speech beside the sign it borrows
    ("ando con fiebre de compras desde que cobré, ¿puedo ir al gimnasio?",
     "ando con fiebre de 39 desde que me pusieron la inyección", "doctor"),
]


# Round 21 and Spanish round 17 (session 27): an idiom or a question beside a report in the same
# words, through the served assistant.
ROUND21 = [
    ("the app sent me a rash of reminders, can I turn them off?",
     "a rash of little red bumps spread over my chest after the shot", "doctor"),
    ("my dad will have a fit if I miss his birthday, can I book the morning?",
     "my dad had a fit after his injection, shaking all over", "emergency"),
    ("how much bleeding is normal after the shot?",
     "how much bleeding is ok, it hasn't stopped since lunch", "doctor"),
    # Spanish round 17
    ("esos políticos me revuelven el estómago, ¿me cambian la cita?",
     "las ronchas son normales? me salieron por todo el cuerpo", "emergency"),
]


# Round 22 and Spanish round 18 (session 28): a how-much question and the same question with the
# own told after it, through the served assistant.
ROUND22 = [
    ("how much oozing from the shot spot is too much?",
     "how much oozing from the shot spot is too much? mine won't stop", "doctor"),
    ("allergic reaction signs?",
     "allergic reaction signs? I have hives all over and my lips are swelling", "emergency"),
    # Spanish round 18
    ("¿qué tanto sangrado es normal después del piquete?",
     "¿qué tanto sangrado es normal? a mí no me para desde ayer", "doctor"),
]


# Round 23 and Spanish round 19 (session 28): heavy bleeding without the word blood beside water
# dripping from a tap; a sign from before the first injection beside one had since it.
ROUND23 = [
    ("the tap in the bathroom is dripping onto the floor, can I come in later?",
     "the shot spot keeps filling up the gauze, I've changed it three times", "emergency"),
    ("la semana pasada tuve calentura pero mi primera cita es el lunes, ¿igual me inyectan?",
     "ayer me dio calentura, mi próxima cita es el lunes", "doctor"),
]


# Round 24 and Spanish round 13 (session 30): a sign denied for earlier and then said to be there
# now without its word again, and the patient's own action as the whole condition, each beside
# the what-if in the same words.
ROUND24 = [
    ("no fever last night and still none today, when should I call?",
     "no fever last night. now there is", "doctor"),
    ("if I squeeze the spot and fluid comes out, should I call?",
     "when I squeeze the spot fluid comes out, is that normal?", "doctor"),
    ("anoche no tenía calentura y hoy tampoco, ¿cuándo les llamo?",
     "anoche no tenía calentura, hoy sí", "doctor"),
    ("si subo las escaleras, ¿me puede faltar el aire?",
     "si subo las escaleras me falta el aire desde el piquete", "emergency"),
]


# Round 25 and Spanish round 14 (session 31): a what-if read in both languages (the language of
# all its function words decides, safety/two_readings.py), a one-off told with "once", and a
# Spanish "si" that means "sí" before a thing.
ROUND25 = [
    ("si sale pus q hago", "si, me sale pus, q hago", "doctor"),
    ("got hives from amoxicillin once, should I mention that before the shots?",
     "I had a reaction to the shot once, today too", "emergency"),
    ("y si pus?", "si pus, es malo?", "doctor"),
]


@pytest.mark.parametrize(("question", "report", "level"),
                         ROUND20 + ROUND21 + ROUND22 + ROUND23 + ROUND24 + ROUND25)
def test_round20_and_later_questions_are_answered_and_reports_escalated(
        servers, question, report, level):
    _question_answered_report_escalated(servers, question, report, level)


# Round 35 (session 42): a sign told after a comma that closes the writer's own question, two
# signs weighed against each other, and a state told after "say", each beside the question in
# the same words that stays a question.
ROUND35 = [
    ("should i go to the er if i ever cant breathe after the shot?",
     "should i go to er, cant breathe", "emergency"),
    ("could i be allergic to the shot, what does a reaction look like?",
     "could i be allergic, hives all over and throat tight", "emergency"),
    ("which is more common after the shot, bleeding or infection?",
     "can't breathe, chest pain - which is worse?", "emergency"),
    ("say my lips go numb - is that an emergency?",
     "say my chest feels tight, is that an emergency?", "emergency"),
]


@pytest.mark.parametrize(("question", "report", "level"), ROUND35)
def test_round35_reports_after_a_question_are_escalated(servers, question, report, level):
    _question_answered_report_escalated(servers, question, report, level)


# Round 36 (session 43): a what-if answered by a bare yes, and the clinic page's words quoted,
# each beside the question in the same words that stays a question.
ROUND36 = [
    ("what if the swelling gets bigger after the shot?",
     "what if the swelling gets bigger? it kind of is, since lunch", "doctor"),
    ("the website calls infection and bleeding 'rare' - how rare is rare?",
     'the leaflet says "spreading redness" means call - mine is going up my arm, now what?',
     "doctor"),
]


# session 44: a scene set as imagined, a complication named as a heading; an emergency told with
# an injection still ahead
ROUND37 = [
    ("imagine the spot goes hot and red on day 3 - would that be a doctor thing?",
     "my shots aren't until thursday but I'm coughing up blood this morning", "emergency"),
    ("nerve damage - permanent or not?",
     "what if my arm goes weak? not really a what if, it has since lunch", "doctor"),
    # misses the round's reviews found: a relative's own told after a question
    ("how does a trigger point headache compare with a migraine?",
     "can tpi make your lips swell? my mums does", "emergency"),
]


@pytest.mark.parametrize(("question", "report", "level"), ROUND36 + ROUND37)
def test_rounds_36_and_37_what_ifs_page_words_and_imagined_cases_through_rest(servers, question,
                                                                             report, level):
    _question_answered_report_escalated(servers, question, report, level)
