"""The learned judge joins the rules without ever silencing them (safety/judge.py)."""

from __future__ import annotations

import numpy as np
import pytest

from safety import WarningSignDetector
from safety.judge import LABELS, Judge, judge_finding, judge_level, load_corpus


def probs(**given: float) -> dict[str, float]:
    rest = (1.0 - sum(given.values())) / (len(LABELS) - len(given))
    return {label: given.get(label, rest) for label in LABELS}


@pytest.fixture(scope="module")
def detector():
    return WarningSignDetector()


def test_the_judge_never_lowers_an_emergency_the_rules_found(detector):
    rules = detector.assess("I can't breathe since the shot")
    assert rules.level == "emergency"
    assert judge_level(rules, probs(other=0.99)) is None
    assert judge_level(rules, probs(question=0.99)) is None


def test_the_judge_adds_an_emergency_the_rules_missed_only_when_sure(detector):
    rules = detector.assess("hello there")
    assert rules.level is None
    assert judge_level(rules, probs(emergency=0.95)) == "emergency"
    assert judge_level(rules, probs(emergency=0.5, other=0.5)) is None
    finding = judge_finding(rules, probs(emergency=0.95))
    assert finding.rule == "learned_judge" and finding.level == "emergency" and finding.escalates


def test_the_judge_raises_a_doctor_finding_to_emergency(detector):
    rules = detector.assess("I have a fever of 101")
    assert rules.level == "doctor"
    assert judge_level(rules, probs(emergency=0.9)) == "emergency"
    assert judge_level(rules, probs(doctor=0.9)) is None  # already doctor: nothing to add


def test_a_sure_escalation_that_is_more_likely_an_emergency_is_an_emergency(detector):
    """Below the emergency threshold, but sure that the message needs an escalation: the more
    likely of the two levels, the more urgent one on a tie-break towards safety."""
    rules = detector.assess("hello there")
    assert judge_level(rules, probs(emergency=0.6, doctor=0.38)) == "emergency"
    assert judge_level(rules, probs(emergency=0.38, doctor=0.6)) == "doctor"
    assert judge_level(rules, probs(emergency=0.45, doctor=0.2)) is None  # not sure enough
    # not over what the rules explained away, nor in a sure topic question
    explained = detector.assess("what if I get a fever?")
    assert judge_level(explained, probs(emergency=0.6, doctor=0.38)) is None
    assert judge_level(rules, probs(emergency=0.6, doctor=0.38), topic_question=True) is None


def test_the_judge_does_not_add_a_doctor_level_over_what_the_rules_explained_away(detector):
    for text in ("no fever and no redness", "what if I get a fever?"):
        rules = detector.assess(text)
        assert not rules.escalates and rules.findings, text
        assert judge_level(rules, probs(doctor=0.95)) is None, text
    plain = detector.assess("hello there")
    assert judge_level(plain, probs(doctor=0.95)) == "doctor"


def test_the_judge_does_not_overrule_the_rules_reading_of_an_emergency_signs_words(detector):
    """Negated or figurative: the rules read the emergency words; the judge adds nothing over
    them. A question about an emergency sign, and a sign the rules never saw, stay the judge's."""
    for text in ("I'm not short of breath at all", "don't hold your breath, it's slow"):
        rules = detector.assess(text)
        assert not rules.escalates, text
        assert any(f.sign_level == "emergency" for f in rules.findings), text
        assert judge_level(rules, probs(emergency=0.99)) is None, text
    asked = detector.assess("what if I can't breathe later?")
    assert not asked.escalates and asked.findings
    assert judge_level(asked, probs(emergency=0.95)) == "emergency"
    only_doctor_word_explained = detector.assess("no fever, but my arm is heavy")
    assert not only_doctor_word_explained.escalates
    assert judge_level(only_doctor_word_explained, probs(emergency=0.95)) == "emergency"


def test_a_sure_topic_question_gets_no_doctor_level_from_the_judge_but_an_emergency_still_counts(
        detector):
    rules = detector.assess("tell me about these shots")
    question = {"name": "ask_what_is_tpi", "confidence": 0.97}
    assert judge_finding(rules, probs(doctor=0.95), question) is None
    assert judge_finding(rules, probs(emergency=0.95), question).level == "emergency"
    unsure = {"name": "ask_what_is_tpi", "confidence": 0.55}
    report = {"name": "report_symptom", "confidence": 0.97}
    for intent in (unsure, report, {"name": "nlu_fallback", "confidence": 0.4}, None):
        assert judge_finding(rules, probs(doctor=0.95), intent).level == "doctor", intent
    # the rules' own findings are untouched by the intent
    sign = detector.assess("what is a tpi? also I have a fever of 102 since the shot")
    assert sign.level == "doctor"


def test_no_probabilities_no_change(detector):
    assert judge_level(detector.assess("hello"), None) is None


def test_the_judge_learns_from_the_corpus_and_round_trips(tmp_path):
    texts, labels = load_corpus()
    assert len(texts) >= 3000 and set(labels) == set(LABELS)
    rng = np.random.default_rng(0)
    # Random embeddings: this checks the plumbing (n-grams carry the signal), not the encoder.
    embeddings = rng.normal(size=(len(texts), 8)).astype(np.float32)
    judge = Judge.train(texts, embeddings, labels)
    path = tmp_path / "judge.pkl"
    judge.save(path)
    loaded = Judge.load(path)
    sample = embeddings[:50]
    assert loaded.probabilities(texts[:50], sample) == judge.probabilities(texts[:50], sample)
    predicted = [max(p, key=p.get) for p in judge.probabilities(texts, embeddings)]
    accuracy = np.mean([p == t for p, t in zip(predicted, labels, strict=True)])
    assert accuracy > 0.8  # on its own training data


def test_the_spanish_judge_must_be_surer_of_an_emergency_in_a_sure_topic_question():
    from safety.language import detector_for

    rules = detector_for("es").assess("¿qué pasa durante el procedimiento?")
    assert not rules.escalates
    topic = {"name": "ask_procedure", "confidence": 0.95}
    unsure = {"name": "ask_procedure", "confidence": 0.5}
    assert judge_finding(rules, probs(emergency=0.85), topic, "es") is None
    assert judge_finding(rules, probs(emergency=0.95), topic, "es").level == "emergency"
    assert judge_finding(rules, probs(emergency=0.75), unsure, "es").level == "emergency"
    finding = judge_finding(rules, probs(emergency=0.85), unsure, "es")
    assert finding.label == "síntomas que pueden ser graves"
    # The English judge keeps its one threshold, topic question or not.
    english = WarningSignDetector().assess("what happens during the procedure?")
    assert judge_finding(english, probs(emergency=0.85), topic, "en").level == "emergency"


def test_the_topics_of_what_follows_the_injection_ask_no_more_of_the_judge_for_an_emergency():
    """A report the intent model reads as aftercare or when-to-call (they are written the way
    reports are) keeps the Spanish judge's own emergency threshold (safety/judge.py,
    SYMPTOM_TOPICS); a doctor level is still not added to a sure topic question."""
    from safety.language import detector_for

    rules = detector_for("es").assess("¿qué cuidados hay que tener en casa después?")
    assert not rules.escalates
    for name in ("ask_aftercare", "ask_when_to_call_doctor"):
        sure = {"name": name, "confidence": 0.95}
        assert judge_finding(rules, probs(emergency=0.75), sure, "es").level == "emergency"
        assert judge_finding(rules, probs(emergency=0.3, doctor=0.6), sure, "es") is None
    procedure = {"name": "ask_procedure", "confidence": 0.95}
    assert judge_finding(rules, probs(emergency=0.75), procedure, "es") is None


# --- the judges in the pipeline's safety step (rasa_components/warning_sign_component.py) -------

def safety_of(text: str, reading: list[str], english=None, spanish=None) -> dict:
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from rasa_components.language_id import LANGUAGE_KEY
    from rasa_components.safety_judge import JUDGE_KEY, JUDGE_KEY_ES
    from rasa_components.warning_sign_component import WarningSignComponent
    from safety.turn import SAFETY_KEY

    data = {TEXT: text, LANGUAGE_KEY: {"reading": reading}}
    for key, value in ((JUDGE_KEY, english), (JUDGE_KEY_ES, spanish)):
        if value is not None:
            data[key] = value
    message = Message(data=data)
    WarningSignComponent().process([message])
    return message.get(SAFETY_KEY)


def test_a_message_read_in_both_languages_reaches_the_spanish_judge_where_its_rules_read_it():
    """fastText guesses some short Spanish messages are English: the message is read in both
    languages, and the Spanish judge is asked where the Spanish rules found a sign's words (here
    only as a question, which does not stop an emergency the judge is sure of)."""
    text = "¿y si me desmayo?"
    got = safety_of(text, ["en", "es"], english=probs(other=0.99),
                    spanish=probs(emergency=0.95))
    assert got["level"] == "emergency"
    judged = [f for f in got["findings"] if f["rule"] == "learned_judge"]
    assert [(f["level"], f["language"]) for f in judged] == [("emergency", "es")]
    assert judged[0]["label"] == "síntomas que pueden ser graves"
    # Only one judge adds, though both are sure.
    both = safety_of(text, ["en", "es"], english=probs(emergency=0.95),
                     spanish=probs(emergency=0.95))
    assert [f["rule"] for f in both["findings"]].count("learned_judge") == 1


def test_a_judge_of_the_second_reading_is_not_asked_where_its_rules_found_nothing():
    """"WILL I BRUISE" is guessed Dutch, so it is read in English and Spanish; the Spanish
    judge, reading English, was sure of an emergency. Its own rules found no Spanish sign words
    in it, so it adds nothing; the English judge still does."""
    got = safety_of("WILL I BRUISE", ["en", "es"], english=probs(question=0.99),
                    spanish=probs(emergency=0.99))
    assert got["level"] not in ("emergency", "doctor")
    assert not [f for f in got["findings"] if f["rule"] == "learned_judge"]
    # the catch-all still counts every judge that read the message (safety/turn.py)
    assert got["judge_escalation"] > 0.99
    first = safety_of("WILL I BRUISE", ["en", "es"], english=probs(emergency=0.99))
    assert first["level"] == "emergency"


def test_no_judge_adds_an_emergency_over_words_either_languages_rules_read_as_negated():
    text = "I'm not short of breath at all"
    alone = safety_of(text, ["en", "es"])
    assert alone["level"] not in ("emergency", "doctor")
    assert safety_of(text, ["en", "es"], spanish=probs(emergency=0.99))["level"] != "emergency"
    assert safety_of(text, ["en", "es"], english=probs(emergency=0.99))["level"] != "emergency"


def test_a_judge_for_a_language_the_message_is_not_read_in_adds_nothing():
    got = safety_of("hello there", ["en"], spanish=probs(emergency=0.99))
    assert got["level"] is None


def test_the_old_corpus_setting_is_refused_not_ignored():
    from rasa_components.safety_judge import SafetyJudgeComponent

    with pytest.raises(ValueError, match="corpora"):
        SafetyJudgeComponent.create({"corpus": "safety/corpus"}, None, None, None)


def test_the_spanish_judge_takes_the_spanish_topic_questions_of_the_nlu_data_as_questions(
        tmp_path):
    from rasa_components.safety_judge import SpanishSafetyJudgeComponent

    (tmp_path / "es.yml").write_text("""version: "3.1"
nlu:
- intent: ask_preparation
  examples: |
    - ¿qué ropa me pongo para la inyección en la espalda?
- intent: ask_risks
  examples: |
    - ¿es peligrosa la inyección?
    - me falta el aire desde la inyección, ¿es un efecto secundario?
- intent: ask_aftercare
  examples: |
    - me duele la zona, ¿qué hago en casa?
""", encoding="utf-8")
    spec = {"folder": str(tmp_path), "intents": ["ask_preparation", "ask_risks"]}
    judge = SpanishSafetyJudgeComponent.create({"corpora": [], "nlu_questions": spec},
                                               None, None, None)
    # the listed intents only, and not an example the Spanish rules escalate (a report)
    assert sorted(judge.nlu_questions()) == ["¿es peligrosa la inyección?",
                                             "¿qué ropa me pongo para la inyección en la espalda?"]
    renamed = SpanishSafetyJudgeComponent.create(
        {"corpora": [], "nlu_questions": {**spec, "intents": ["ask_what_to_wear"]}},
        None, None, None)
    with pytest.raises(ValueError, match="ask_what_to_wear"):
        renamed.nlu_questions()
    for wrong in (["ask_duration"], {"folder": str(tmp_path)}, {"folder": 1, "intents": ["x"]}):
        with pytest.raises(ValueError, match="nlu_questions"):
            SpanishSafetyJudgeComponent.create({"nlu_questions": wrong}, None, None, None)
    # the fingerprint sees the NLU folder: a changed example retrains the judge
    config = {"corpora": [], "nlu_questions": spec}
    before = SpanishSafetyJudgeComponent.fingerprint_addon(config)
    (tmp_path / "es.yml").write_text((tmp_path / "es.yml").read_text() + "    - ¿y ahora?\n")
    assert SpanishSafetyJudgeComponent.fingerprint_addon(config) != before
