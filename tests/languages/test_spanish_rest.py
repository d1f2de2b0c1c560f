"""Spanish conversations through the REST channel, with both servers running (docs/languages.md):
the welcome, answers, safety replies at both levels, switching both ways, short messages that
keep the language, another language, and English unchanged."""

import uuid

import pytest

from clinic import load_profile
from content.model import fill, response, safety_text
from nlp.language_id import identify

pytestmark = pytest.mark.servers
CLINIC = load_profile()


def new_sender():
    return f"es-{uuid.uuid4().hex[:8]}"


def texts(replies):
    return [r.get("text", "") for r in replies]


def spanish(name):
    return fill(response(name).text_in("es"), **CLINIC.as_slots("es"))


def english(name):
    return fill(response(name).text_in("en"), **CLINIC.as_slots("en"))


def language_of(servers, sender):
    return servers.tracker(sender)["slots"].get("language")


def test_a_spanish_greeting_gets_the_spanish_welcome(servers):
    sender = new_sender()
    replies = texts(servers.send(sender, "hola"))
    assert replies[0] == spanish("utter_welcome")
    assert CLINIC.emergency_number in replies[0] and CLINIC.name in replies[0]
    assert language_of(servers, sender) == "es"


def test_a_spanish_question_is_answered_in_spanish(servers):
    sender = new_sender()
    servers.send(sender, "hola")
    replies = texts(servers.send(sender, "¿cuánto tiempo dura el procedimiento de la inyección?"))
    answer = " ".join(replies)
    assert answer and identify(answer).language == "es", answer
    assert spanish("utter_ask_duration") in replies or "minutos" in answer
    assert spanish("utter_default") not in replies


def test_a_spanish_emergency_first_gets_the_spanish_911_reply(servers):
    sender = new_sender()
    replies = texts(servers.send(sender, "desde la inyección en la espalda no puedo respirar bien"))
    assert replies[0].startswith(f"🚨 Llame al {CLINIC.emergency_number} ahora")
    assert "respirar" in replies[0], "the sign is named in Spanish"
    slots = servers.tracker(sender)["slots"]
    assert slots["escalation_level"] == "emergency" and slots["language"] == "es"
    assert spanish("utter_welcome") in replies[1:], "the welcome follows, in Spanish"


def test_a_spanish_doctor_level_sign_names_the_clinic_phone_and_spanish_hours(servers):
    sender = new_sender()
    servers.send(sender, "hola")
    replies = texts(servers.send(sender, "tengo calentura de 38,5 y la zona del piquete está roja"))
    first = replies[0]
    assert CLINIC.phone in first and CLINIC.as_slots("es")["opening_hours"] in first, first
    assert "38,5 °C" in first or "fiebre" in first
    assert servers.tracker(sender)["slots"]["escalation_level"] == "doctor"


def test_short_messages_keep_the_spanish_conversation(servers):
    sender = new_sender()
    servers.send(sender, "hola, tengo una pregunta sobre la inyección")
    for message in ("ok", "gracias", "👍"):
        replies = texts(servers.send(sender, message))
        assert replies, message
        assert language_of(servers, sender) == "es", message


def test_switching_to_english_and_back(servers):
    sender = new_sender()
    servers.send(sender, "hola, buenas tardes a todos")
    to_english = texts(servers.send(sender, "in English please"))
    assert english("utter_language_switched") in to_english
    assert language_of(servers, sender) == "en"
    answer = " ".join(texts(servers.send(sender, "how long does the procedure take")))
    assert "few minutes" in answer
    to_spanish = texts(servers.send(sender, "en español, por favor"))
    assert spanish("utter_language_switched") in to_spanish
    assert language_of(servers, sender) == "es"


def test_a_spanish_word_in_an_english_conversation_is_still_read(servers):
    sender = new_sender()
    servers.send(sender, "hello there")
    replies = texts(servers.send(sender, "fiebre"))
    assert servers.tracker(sender)["slots"]["escalation_level"] == "doctor"
    assert replies[0].startswith("⚠️") and "fever" in replies[0], "named in English"
    assert language_of(servers, sender) == "en"


def test_another_language_gets_one_short_reply_in_english_and_spanish(servers):
    sender = new_sender()
    replies = texts(servers.send(
        sender, "Bonjour, combien de temps dure la procédure d'injection?"))
    # One reply, English then Spanish (the REST channel sends its paragraphs as two texts).
    assert replies == [english("utter_other_language"), spanish("utter_other_language")]
    for text in replies:
        assert CLINIC.phone in text and CLINIC.emergency_number in text
    assert "English" in replies[0] and "español" in replies[1]
    assert language_of(servers, sender) in (None, "en")


def test_english_conversations_are_unchanged(servers):
    sender = new_sender()
    replies = texts(servers.send(sender, "hello there"))
    assert replies[0] == english("utter_welcome")
    assert language_of(servers, sender) == "en"
    reply = texts(servers.send(sender, "since the shot it hurts to breathe"))[0]
    assert reply.startswith(f"🚨 Call {CLINIC.emergency_number} now")


def test_the_safety_reply_text_comes_from_the_spanish_template(servers):
    sender = new_sender()
    servers.send(sender, "hola")
    reply = texts(servers.send(sender, "tengo la cara caída de un lado y no puedo hablar bien"))[0]
    head = safety_text("safety_emergency", language="es", **CLINIC.as_slots("es")).split("\n")[0]
    assert reply.startswith(head.split(".")[0])


def last_parse(servers, sender):
    return [e for e in servers.tracker(sender)["events"] if e["event"] == "user"][-1]["parse_data"]


def test_the_spanish_judge_catches_an_emergency_in_words_the_rules_do_not_know(servers):
    from safety.language import detector_for

    text = "siento que se me hunde el pecho como si me pisaran, desde el piquete"
    assert detector_for("es").assess(text).level is None, "the premise: the rules miss it"
    sender = new_sender()
    servers.send(sender, "hola")
    replies = texts(servers.send(sender, text))
    assert replies[0].startswith(f"🚨 Llame al {CLINIC.emergency_number} ahora"), replies
    assert "síntomas que pueden ser graves" in replies[0], "the judge's finding named in Spanish"
    assert servers.tracker(sender)["slots"]["escalation_level"] == "emergency"
    parse = last_parse(servers, sender)
    assert parse["safety_judge_es"]["emergency"] >= 0.7
    judged = [f for f in parse["safety"]["findings"] if f["rule"] == "learned_judge"]
    assert [(f["level"], f["language"]) for f in judged] == [("emergency", "es")]


def test_the_spanish_judge_reads_only_messages_read_in_spanish_first(servers):
    sender = new_sender()
    servers.send(sender, "hello")
    servers.send(sender, "how long does the procedure take?")
    assert "safety_judge_es" not in last_parse(servers, sender)
    servers.send(sender, "¿cuánto tiempo tarda el procedimiento?")
    parse = last_parse(servers, sender)
    assert max(parse["safety_judge_es"], key=parse["safety_judge_es"].get) == "question"
    assert servers.tracker(sender)["slots"]["escalation_level"] is None


def test_an_english_question_with_typos_is_answered_in_english(servers):
    """fastText reads "can it cuase nerve damge" as Spanish; the English function words keep the
    conversation English (nlp/language_choice.py)."""
    sender = new_sender()
    servers.send(sender, "hello")
    replies = texts(servers.send(sender, "can it cuase nerve damge"))
    answer = " ".join(replies)
    assert answer and identify(answer).language == "en", answer
    assert language_of(servers, sender) != "es"

