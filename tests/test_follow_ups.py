"""Follow-up questions are answered about the topic in play, through the REST channel."""

from __future__ import annotations

from pathlib import Path

from evaluation.frozen import load_cases, run_case

CONVERSATIONS = Path(__file__).resolve().parent / "followups"


def test_follow_ups_are_answered_about_the_topic_in_play(servers):
    cases = load_cases(CONVERSATIONS)
    assert len(cases) >= 15
    failed = [(o.case.turns, o.reply) for o in
              (run_case(c, servers.send, servers.tracker) for c in cases) if not o.passed]
    assert not failed, failed


def test_a_follow_up_does_not_escalate_and_keeps_its_resolution_for_the_staff(servers):
    servers.send("fu-staff", "what are the side effects")
    servers.send("fu-staff", "is that serious")
    tracker = servers.tracker("fu-staff")
    last = [e for e in tracker["events"] if e["event"] == "user"][-1]["parse_data"]
    assert last["intent"]["name"] in ("ask_risks", "ask_pneumothorax")
    assert last["follow_up"]["topic"] == "ask_risks"
    assert tracker["slots"]["escalation_level"] is None


def test_what_points_back_to_the_topic_and_what_is_an_empty_subject():
    from rasa_components.follow_up import points_back

    assert points_back("how long does it last")
    assert points_back("where do they show up")
    assert points_back("is that dangerous")
    assert not points_back("is it ok to drive myself home afterwards")
    assert not points_back("it's normal to feel sore the next day?")
    assert not points_back("can i shower the same day")
    assert points_back("¿y eso cuánto dura?")
    assert points_back("esa es peligrosa?")
    assert not points_back("¿cuánto dura la inyección?")


def test_a_hesitant_out_of_scope_in_a_topic_is_a_follow_up_a_confident_one_is_not():
    from rasa_components.follow_up import resolve

    ranking = [{"name": "out_of_scope", "confidence": 0.44},
               {"name": "ask_stop_medication", "confidence": 0.13}]
    hesitant = {"name": "out_of_scope", "confidence": 0.44}
    assert resolve(hesitant, ranking, "ask_preparation", "even my vitamins?") == "ask_preparation"
    assert resolve(hesitant, ranking, None, "even my vitamins?") is None, "no topic in play"
    sure = {"name": "out_of_scope", "confidence": 0.9}
    assert resolve(sure, ranking, "ask_preparation", "what's the weather like") is None


def test_a_fallback_whose_best_guess_is_another_topic_is_a_new_question():
    """"How do I book an appointment?" split between contact and booking after the lung answer
    is a new question for the fallback (which gives both), not a follow-up about the lung; a
    fallback that points back, or guesses the topic in play or one close to it, stays a
    follow-up."""
    from rasa_components.follow_up import resolve

    fallback = {"name": "nlu_fallback", "confidence": 0.4}
    split = [{"name": "nlu_fallback", "confidence": 0.4},
             {"name": "ask_contact", "confidence": 0.53},
             {"name": "book_appointment", "confidence": 0.41}]
    assert resolve(fallback, split, "ask_pneumothorax", "how do I book an appointment") is None
    assert resolve(fallback, split, "ask_pneumothorax",
                   "how do I book that") == "ask_pneumothorax", "points back"
    close = [{"name": "nlu_fallback", "confidence": 0.4},
             {"name": "ask_risks", "confidence": 0.45},
             {"name": "follow_up", "confidence": 0.3}]
    assert resolve(fallback, close, "ask_pneumothorax", "and the others?") == "ask_risks"
    unsure = [{"name": "nlu_fallback", "confidence": 0.4},
              {"name": "ask_contact", "confidence": 0.2},
              {"name": "follow_up", "confidence": 0.19}]
    assert resolve(fallback, unsure, "ask_pneumothorax", "and then?") == "ask_pneumothorax"
