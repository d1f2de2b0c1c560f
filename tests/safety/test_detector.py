"""Tests of the deterministic warning-sign detector (safety/).

Run (from /work/main):
    TF_CPP_MIN_LOG_LEVEL=3 .venv/bin/python -m pytest -q tests/safety/test_detector.py
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from safety import Assessment, Finding, WarningSignDetector, load_vocabulary
from safety.vocabulary import LEVELS, VocabularyError, parse_pattern

ROOT = Path(__file__).resolve().parents[2]
DEV_CASES = yaml.safe_load((ROOT / "safety" / "dev_cases.yml").read_text(encoding="utf-8"))["cases"]
RULES = {
    "present", "negated", "uncertain", "hypothetical", "history_recent", "history_before",
    "other_person", "below_threshold", "expected", "worsening", "lasting", "with_other_sign",
    "general_question",
}


@pytest.fixture(scope="module")
def detector() -> WarningSignDetector:
    return WarningSignDetector()


# ---------------------------------------------------------------------- development set
def _case_id(case: dict) -> str:
    return case["text"][:60] or "<empty>"


@pytest.mark.parametrize("case", DEV_CASES, ids=[_case_id(c) for c in DEV_CASES])
def test_dev_case(detector: WarningSignDetector, case: dict) -> None:
    assessment = detector.assess(case["text"])
    got = assessment.level or "none"
    detail = [f.to_dict() for f in assessment.findings]
    assert got == case["level"], detail
    for sign in case.get("signs", []):
        assert sign in assessment.signs, detail
    if case.get("rule"):
        wanted_sign = case["signs"][0] if case.get("signs") else None
        candidates = [f for f in assessment.findings if wanted_sign in (None, f.sign)]
        assert candidates and candidates[0].rule == case["rule"], detail


def test_dev_set_is_large_and_covers_levels() -> None:
    assert len(DEV_CASES) >= 150
    levels = {c["level"] for c in DEV_CASES}
    assert levels == {"emergency", "doctor", "info", "expected", "none"}


def test_every_sign_is_exercised_by_the_dev_set(detector: WarningSignDetector) -> None:
    seen = set()
    for case in DEV_CASES:
        seen.update(f.sign for f in detector.assess(case["text"]).findings)
    missing = {s.id for s in detector.vocabulary.signs} - seen
    assert not missing, missing


# ---------------------------------------------------------------------- minimal pairs
@pytest.mark.parametrize(
    ("text", "level", "rule"),
    [
        ("I have a fever", "doctor", "present"),
        ("no fever", None, "negated"),
        ("what if I get a fever?", "info", "hypothetical"),
        ("I had a fever yesterday but it's gone now", "doctor", "history_recent"),
        ("my son has a fever", "doctor", "other_person"),
        ("I had a fever last year before any injections", None, "history_before"),
        ("not sure if it's a fever", "doctor", "uncertain"),
    ],
)
def test_fever_minimal_pairs(detector, text, level, rule) -> None:
    assessment = detector.assess(text)
    assert assessment.level == level
    fever = [f for f in assessment.findings if f.sign == "fever"]
    assert fever and fever[0].rule == rule


def test_negation_covers_only_its_own_term(detector) -> None:
    a = detector.assess("no fever but it hurts to breathe")
    assert a.level == "emergency"
    by_sign = {f.sign: f for f in a.findings}
    assert by_sign["fever"].rule == "negated" and not by_sign["fever"].escalates
    assert by_sign["breathing_difficulty"].escalates
    assert a.signs == ["breathing_difficulty"]


def test_question_that_reports_a_current_sign_escalates(detector) -> None:
    assert detector.assess("is it normal that my arm is red and hot?").level == "doctor"
    assert detector.assess("is it normal to have a fever after TPI?").level == "info"


def test_emergency_outranks_doctor(detector) -> None:
    a = detector.assess("I have a fever of 102 and my lips are swelling")
    assert a.level == "emergency"
    assert a.signs == ["fever", "allergic_swelling"]
    assert a.summary().startswith("swelling of the lips")


# ---------------------------------------------------------------------- expected effects
@pytest.mark.parametrize(
    ("text", "level", "rule"),
    [
        ("my shoulder is a bit sore", "expected", "expected"),
        ("the pain came back and it's worse than before", "doctor", "worsening"),
        ("still numb after 2 days", "doctor", "lasting"),
        ("sore for two weeks", "doctor", "lasting"),
        ("numb for about an hour", "expected", "expected"),
        ("sore and I have a fever", "doctor", "with_other_sign"),
    ],
)
def test_expected_effects_and_their_upgrades(detector, text, level, rule) -> None:
    a = detector.assess(text)
    expected = [f for f in a.findings if f.sign_level == "expected"]
    assert expected and expected[0].level == level and expected[0].rule == rule, a.to_dict()


# ---------------------------------------------------------------------- spelling and forms
@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("feaver", "fever"),
        ("my arm is swolen", "site_swelling"),
        ("I think I have an infexion", "infection"),
        ("cant breath", "breathing_difficulty"),
        ("I CAN'T BREATHE", "breathing_difficulty"),
        ("i cannot breathe", "breathing_difficulty"),
        ("trouble brething", "breathing_difficulty"),
        ("my tounge is swelling", "allergic_swelling"),
        ("chestpain", "chest_pain"),
        ("light-headed", "brief_lightheadedness"),
        ("arm still numbb", "site_numbness"),
        ("feeling dizy", "brief_lightheadedness"),
    ],
)
def test_spelling_slips_and_written_forms(detector, text, sign) -> None:
    assert sign in {f.sign for f in detector.assess(text).findings}


def test_common_words_are_not_corrected(detector) -> None:
    assert detector.assess("my breast is sore").signs == []
    assert detector.assess("What's the clinic phone number?").level is None
    assert detector.speller.correct("breast") is None
    assert detector.speller.correct("feaver") == "fever"


# ---------------------------------------------------------------------- temperatures
@pytest.mark.parametrize(
    ("text", "escalates", "label"),
    [
        ("temp of 101", True, "a temperature of 101 °F"),
        ("101.5 fever", True, "a temperature of 101.5 °F"),
        ("it's 38,5", True, "a temperature of 38.5 °C"),
        ("39 degrees", True, "a temperature of 39 °C"),
        ("100.4F", True, "a temperature of 100.4 °F"),
        ("38 C", True, "a temperature of 38 °C"),
        ("temp 37.9", False, "a temperature of 37.9 °C"),
        ("my temperature is 99.5", False, "a temperature of 99.5 °F"),
        ("thermometer says 100.3 fahrenheit", False, "a temperature of 100.3 °F"),
    ],
)
def test_temperature_reading(detector, text, escalates, label) -> None:
    a = detector.assess(text)
    readings = [f for f in a.findings if f.sign == "fever"]
    assert readings, a.to_dict()
    assert readings[0].label == label
    assert readings[0].escalates is escalates
    if not escalates:
        assert readings[0].rule == "below_threshold" and a.level == "expected"


@pytest.mark.parametrize(
    "text",
    ["I'm 38 years old", "they used 100 mg of lidocaine", "my blood pressure was 110 over 70",
     "call me at 101", "room 38", "2/10 pain"],
)
def test_numbers_that_are_not_temperatures(detector, text) -> None:
    assert not [f for f in detector.assess(text).findings if f.sign == "fever"]


# ---------------------------------------------------------------------- API
def test_api_fields_and_offsets(detector) -> None:
    text = "Hi! My temp is 101F and the site is RED and swolen, but no chest pain."
    a = detector.assess(text)
    assert isinstance(a, Assessment)
    assert a.level == "doctor" and a.escalates
    for finding in a.findings:
        assert isinstance(finding, Finding)
        assert text[finding.start:finding.end] == finding.text
        assert finding.rule in RULES
        assert finding.level in (*LEVELS, None)
        assert finding.escalates == (finding.level in ("emergency", "doctor"))
    assert a.signs == ["fever", "site_redness", "site_swelling"]
    summary = a.summary()
    assert "101 °F" in summary and "redness" in summary
    assert summary == (
        "a temperature of 101 °F, redness at the injection site and swelling at the injection site"
    )
    data = a.to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["level"] == "doctor"
    keys = {"sign", "label", "level", "text", "start", "end", "rule", "escalates"}
    assert keys <= set(data["findings"][0])


def test_summary_names_the_sign(detector) -> None:
    assert detector.assess("I can't breathe").summary() == "trouble breathing"
    assert detector.assess("temp of 101 and redness").summary() == (
        "a temperature of 101 °F and redness at the injection site"
    )
    assert detector.assess("hello").summary() == ""


def test_nothing_found(detector) -> None:
    a = detector.assess("Can I drive after the injection?")
    assert a.level is None and not a.escalates and a.signs == [] and a.summary() == ""


def test_accepts_a_spacy_doc_without_changing_it(detector) -> None:
    text = "My husband says his throat is closing"
    doc = detector.nlp(text)
    before = [(t.text, t.lemma_, t.norm_) for t in doc]
    a = detector.assess(doc)
    assert a.level == "emergency" and a.signs == ["throat_closing"]
    assert a.findings[0].rule == "other_person"
    assert [(t.text, t.lemma_, t.norm_) for t in doc] == before
    assert detector.assess(text).to_dict() == a.to_dict()


def test_deterministic(detector) -> None:
    texts = [c["text"] for c in DEV_CASES]
    first = [detector.assess(t).to_dict() for t in texts]
    second = [detector.assess(t).to_dict() for t in reversed(texts)][::-1]
    assert first == second
    fresh = WarningSignDetector(nlp=detector.nlp)
    assert [fresh.assess(t).to_dict() for t in texts[:40]] == first[:40]


# ---------------------------------------------------------------------- vocabulary file
def test_vocabulary_file_loads_and_is_complete() -> None:
    vocabulary = load_vocabulary()
    assert len(vocabulary.signs) >= 40
    for sign in vocabulary.signs:
        assert sign.id and sign.label and sign.why and sign.patterns, sign.id
        assert sign.level in LEVELS
        if sign.level == "expected":
            assert sign.escalated_label is None or sign.escalated_label
    levels = {s.level for s in vocabulary.signs}
    assert {"emergency", "doctor", "expected"} <= levels
    assert len({s.id for s in vocabulary.signs}) == len(vocabulary.signs)
    for category in ("negation", "pseudo_negation", "termination", "uncertainty",
                     "hypothetical_conditional", "hypothetical_question", "history_before",
                     "history_recent", "other_person", "worsening", "persistence"):
        assert vocabulary.cues.get(category), category


def test_reference_signs_are_covered() -> None:
    ids = {s.id for s in load_vocabulary().signs}
    for sign in ("breathing_difficulty", "chest_pain", "racing_heart", "blue_lips",
                 "allergic_swelling", "throat_closing", "widespread_hives", "hoarse_voice",
                 "mouth_numbness", "metallic_taste", "ringing_ears", "confusion",
                 "seizure_or_twitching", "swallowing_difficulty", "speech_change",
                 "vision_change", "drooping_eyelids", "general_weakness", "fainting_collapse",
                 "fever", "chills", "site_swelling", "site_redness", "spreading_redness",
                 "skin_irritation", "site_warmth", "site_burning", "site_itching",
                 "pus_or_discharge", "infection", "bleeding", "growing_lump_or_bruise",
                 "lasting_numbness_or_weakness", "high_blood_sugar", "vomiting",
                 "persistent_headache", "feeling_unwell", "site_soreness", "pain_returning",
                 "small_bruise", "site_numbness", "brief_lightheadedness"):
        assert sign in ids, sign


def test_pattern_notation_errors_are_reported() -> None:
    with pytest.raises(VocabularyError):
        parse_pattern("... fever", {})
    with pytest.raises(VocabularyError):
        parse_pattern("$nolist fever", {})
    with pytest.raises(VocabularyError):
        parse_pattern("fever? chills?", {})
    pattern = parse_pattern("can't|cannot catch ...3 breath @site", {"site": ("arm",)})
    assert pattern.near == ("site",)


# ---------------------------------------------------------------------- robustness and speed
@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n", "😱😱😱", "👍🙂", "¿Tengo fiebre después de la inyección?",
     "Ich habe Fieber und Schmerzen", "我注射后发烧了", "...???!!!", "-", "'", "’s",
     "a" * 300, "@#$%^&*()", "1234567890", "İstanbul'da ateşim var", None],
)
def test_odd_input_does_not_crash(detector, text) -> None:
    a = detector.assess(text)
    assert a.level in (*LEVELS, None)
    for f in a.findings:
        assert (text or "")[f.start:f.end] == f.text


def test_non_english_gives_no_escalation(detector) -> None:
    for text in ("¿Puedo manejar después de la inyección?", "Merci beaucoup docteur",
                 "Wie lange dauert die Behandlung?", "注射后可以开车吗"):
        assert not detector.assess(text).escalates, text


def _best_time(detector, text: str, runs: int = 3) -> tuple[float, Assessment]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = detector.assess(text)
        best = min(best, time.perf_counter() - start)
    return best, result


@pytest.mark.parametrize(
    "text",
    [
        ("My shoulder is sore and I think I have a fever of 101, no chest pain. " * 200)[:10000],
        ("it hurts to breathe and my arm is red and swollen and " * 200)[:10000],
        "😀" * 10000,
        "x" * 10000,
        ("!?., " * 2500)[:10000],
        " ".join(f"{n}.5" for n in range(30, 2030))[:10000],
    ],
    ids=["sentences", "one-long-sentence", "emoji", "one-word", "punctuation", "numbers"],
)
def test_ten_thousand_characters_is_fast(detector, text) -> None:
    elapsed, a = _best_time(detector, text)
    assert len(text) >= 9990
    assert elapsed < 0.2, f"{elapsed * 1000:.0f} ms"
    for f in a.findings[:50]:
        assert text[f.start:f.end] == f.text


def test_typical_message_is_fast(detector) -> None:
    texts = [c["text"] for c in DEV_CASES]
    for t in texts:
        detector.assess(t)
    start = time.perf_counter()
    for t in texts:
        detector.assess(t)
    per_message = (time.perf_counter() - start) / len(texts)
    assert per_message < 0.005, f"{per_message * 1000:.2f} ms per message"
