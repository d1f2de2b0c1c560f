"""Tests of the deterministic warning-sign detector (safety/).

Run from the repository's root:
    TF_CPP_MIN_LOG_LEVEL=3 .venv/bin/python -m pytest -q tests/safety/test_detector.py
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import yaml_io
from safety import Assessment, Finding, WarningSignDetector, load_vocabulary
from safety.levels import LEVELS
from safety.vocabulary import VocabularyError, parse_pattern

ROOT = Path(__file__).resolve().parents[2]
DEV_CASES = yaml_io.load((ROOT / "safety" / "dev_cases.yml").read_text(encoding="utf-8"))["cases"]
RULES = {
    "present", "negated", "uncertain", "hypothetical", "history_recent", "history_before",
    "other_person", "below_threshold", "expected", "worsening", "lasting", "with_other_sign",
    "general_question", "figurative", "combination", "improving",
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


# ---------------------------------------------------------------------- new emergency rows
# Minimal pairs per new sign: the sign, its negation, a general question about it, a figurative
# or look-alike use, and the same sign in someone else. Level None = nothing escalates.
NEW_SIGN_PAIRS = [
    # stroke: face, one-sided arm/leg weakness, speech, sight in one eye
    ("stroke_symptoms", "present", "emergency", "since lunch my grin only goes up on the right"),
    ("stroke_symptoms", "present", "emergency",
     "the left half of my face feels slack and won't move"),
    ("stroke_symptoms", "present", "emergency", "I tried to wave and my arm would not go up"),
    ("stroke_symptoms", "present", "emergency", "my whole right side has gone heavy and numb"),
    ("stroke_symptoms", "other_person", "emergency",
     "my neighbour can't lift his left arm off the table"),
    ("stroke_symptoms", "other_person", "emergency",
     "grandpa's knee buckled and he's dragging that foot"),
    ("stroke_symptoms", "present", "emergency", "a dark shadow came down across my right eye"),
    ("speech_change", "other_person", "emergency", "my partner's words sound mumbled and odd"),
    ("stroke_symptoms", "negated", None, "no droop in my smile at all"),
    ("stroke_symptoms", "hypothetical", "info", "could trigger point injections cause a stroke?"),
    # coughing up blood
    ("coughing_blood", "present", "emergency",
     "bright red streaks came up when I coughed just now"),
    ("coughing_blood", "present", "emergency", "my sputum is tinged pink"),
    ("coughing_blood", "other_person", "emergency", "my brother is hacking up clots"),
    ("coughing_blood", "negated", None, "I have a cough but no blood in it"),
    ("coughing_blood", "hypothetical", "info",
     "is coughing blood a risk after shots near the ribs?"),
    # heavy bleeding (rule 12) vs slow oozing (doctor)
    ("heavy_bleeding", "present", "emergency",
     "the gauze is saturated and blood is running down my back"),
    ("heavy_bleeding", "present", "emergency", "it's spurting from the needle hole"),
    ("heavy_bleeding", "other_person", "emergency",
     "my wife's plaster has bled right through onto her top"),
    ("heavy_bleeding", "combination", "emergency",
     "still bleeding from the site and I've gone grey and woozy"),
    ("heavy_bleeding", "negated", None, "nothing soaked through, the plaster is clean"),
    ("bleeding", "present", "doctor", "the puncture keeps slowly seeping a bit of blood"),
    # local anaesthetic toxicity
    ("mouth_numbness", "present", "emergency",
     "right after the shot my tongue went fizzy and numb"),
    ("ringing_ears", "present", "emergency", "there's a squealing noise in both ears"),
    ("seizure_or_twitching", "present", "emergency", "I'm twitchy all over since the lidocaine"),
    ("metallic_taste", "negated", None, "no funny taste in my mouth"),
    # breathing: lay words, and in a relative
    ("breathing_difficulty", "present", "emergency", "my lungs just won't fill up properly"),
    ("breathing_difficulty", "present", "emergency", "each breath is a real effort"),
    ("breathing_difficulty", "present", "emergency", "I have to stop for breath between words"),
    ("breathing_difficulty", "present", "emergency", "I'm panting on the sofa doing nothing"),
    ("breathing_difficulty", "present", "emergency", "no air seems to get down into my chest"),
    ("breathing_difficulty", "other_person", "emergency",
     "my dad keeps gulping air and can't finish a sentence"),
    ("breathing_difficulty", "negated", None, "my breathing isn't laboured"),
    ("breathing_difficulty", "hypothetical", "info",
     "will the injection make breathing hard work?"),
    # doctor-level additions
    ("skin_atrophy", "present", "doctor", "the skin over the shot has gone thin and see-through"),
    ("skin_atrophy", "present", "doctor", "I've noticed a hollow at the injection spot"),
    ("skin_atrophy", "other_person", "doctor",
     "my husband has a pale dented patch where his steroid went"),
    ("skin_atrophy", "negated", None, "no hollow or lighter skin at the site"),
    ("skin_atrophy", "hypothetical", "info", "can cortisone shots leave a dent in the skin?"),
]


# "present" also covers a report in the past since the injection ("went", "came up") and an
# uncertain one: all three escalate.
SAME_AS = {"present": {"present", "history_recent", "uncertain"}}


@pytest.mark.parametrize(("sign", "rule", "level", "text"), NEW_SIGN_PAIRS,
                         ids=[p[3][:50] for p in NEW_SIGN_PAIRS])
def test_new_sign_minimal_pairs(detector, sign, rule, level, text) -> None:
    a = detector.assess(text)
    assert a.level == level, a.to_dict()
    ours = [f for f in a.findings if f.sign == sign]
    if rule == "negated":  # nothing of it escalates; if it was found, it is the negated finding
        assert not a.escalates and all(f.rule == "negated" for f in ours), a.to_dict()
        return
    assert ours and ours[0].rule in SAME_AS.get(rule, {rule}), a.to_dict()
    if level in ("emergency", "doctor"):
        assert sign in a.signs


def test_heavy_bleeding_needs_the_faintness_in_the_same_message(detector) -> None:
    assert detector.assess("the needle hole won't stop bleeding").level == "doctor"
    a = detector.assess("the needle hole won't stop bleeding. I feel faint.")
    assert a.level == "emergency" and "heavy_bleeding" in a.signs
    # a drop of blood and a moment of light-headedness are both expected: no combination
    assert not detector.assess("a speck of blood and I was light-headed for a second").escalates
    # the faintness negated: no combination
    assert detector.assess("it won't stop bleeding but I'm not dizzy").level == "doctor"


def test_ordinary_pattern_words_do_not_steal_spelling_slips(detector) -> None:
    assert detector.speller.correct("tingl") != "tinge"
    assert "mouth_numbness" in detector.assess("my lips tingl").signs
    assert "fainting_collapse" in detector.assess("i pased out").signs
    assert detector.speller.correct("brning") == "burning"
    assert "bring" not in detector.speller.targets


# ---------------------------------------------------------------------- numbness, warmth
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("still numb seven hours after the shot", "doctor"),
        ("my calf has had no feeling since yesterday's injection", "doctor"),
        ("the numbness lasted about half an hour and has gone", "expected"),
        ("is it normal that it still feels warm on day three?", "doctor"),
        ("is warmth common after TPI?", "info"),
        ("my mum says her injection spot is warm to touch", "doctor"),
    ],
)
def test_lasting_numbness_and_warmth_questions(detector, text, level) -> None:
    assert detector.assess(text).level == level, detector.assess(text).to_dict()


# ---------------------------------------------------------------------- rule 11: figurative
@pytest.mark.parametrize(
    "text",
    [
        "the mountains were breath taking",
        "those legal fees are bleeding the family dry",
        "our shop has been bleeding customers all year",
        "what a weird fever dream I had",
        "the crowd reached fever pitch",
        "feel the burn, said my spin instructor",
        "I'm dying to see how well it works",
        "the tea was much too hot",
        "this humidity is unbearable",
        "it's sweltering in the office",
        "I'm sick of the bus being late",
        "my landlord is a real pain in the neck",
        "the film's ending gave me goosebumps",
        "the vet bill nearly gave me a heart attack",
        "my heart breaks for those families",
    ],
)
def test_figurative_language_is_not_a_symptom(detector, text) -> None:
    a = detector.assess(text)
    assert not a.escalates, a.to_dict()


@pytest.mark.parametrize(
    ("text", "level", "sign"),
    [
        # the frame removes only the finding it covers; a second, real sign still escalates
        ("the view took my breath away, now my chest is tight", "emergency", "chest_pain"),
        ("the heat is brutal and my throat feels like it's closing", "emergency", "throat_closing"),
        ("the tea was too hot and the shot site is hot and red", "doctor", "site_redness"),
        ("sick of waiting, and I'm coughing up blood", "emergency", "coughing_blood"),
        # a thing that CAUSES a real sign is not figurative
        ("the hot shower made the injection site sting", "doctor", "site_burning"),
        ("the sun gave me an itchy rash where they injected", "doctor", "skin_irritation"),
        # a body part in the subject is not a thing
        ("my arm in the car was hot", "doctor", "site_warmth"),
    ],
)
def test_figurative_frames_never_hide_a_real_sign(detector, text, level, sign) -> None:
    a = detector.assess(text)
    assert a.level == level and sign in a.signs, a.to_dict()


def test_figurative_finding_is_recorded(detector) -> None:
    a = detector.assess("the parking is bleeding me dry")
    assert a.level is None
    assert [f.rule for f in a.findings] == ["figurative"]


# ---------------------------------------------------------------------- rule 10: risk questions
@pytest.mark.parametrize(
    "text",
    [
        "how often does a lung get punctured?",
        "will I bruise more because I take clopidogrel?",
        "is numbness from a nerve injury permanent?",
        "does the needle burn going in?",
        "will the shot sting much?",
        "how bad does it hurt, out of ten?",
        "what are the chances of an infection?",
        "is there a risk of a seizure with lidocaine?",
        "could I react to the steroid?",
        "does it raise your heart rate?",
    ],
)
def test_general_risk_questions_do_not_escalate(detector, text) -> None:
    a = detector.assess(text)
    assert not a.escalates, a.to_dict()


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("how common is it to get wheezy after TPI? because my husband is now", "emergency"),
        ("how likely is bleeding? mine is soaking the dressing", "emergency"),
        ("does it look infected? it's hot and swollen", "doctor"),
        ("could it be infected?", "doctor"),
        ("is it normal to run a temperature of 101.2 after the shots?", "doctor"),
        ("what if it goes up to 101?", "info"),
    ],
)
def test_risk_questions_that_report_still_escalate(detector, text, level) -> None:
    a = detector.assess(text)
    assert a.level == level, a.to_dict()


# ---------------------------------------------------------------------- improving expected effects
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("tender on day two but easing a bit every day", "expected"),
        ("my thigh was numb for 50 minutes and is back to normal", "expected"),
        ("aching yesterday, much less today", "expected"),
        ("the soreness is getting worse every day", "doctor"),
        ("my lips went numb after the shot, it passed in ten minutes", "emergency"),
        ("the site was swollen and hot yesterday, better today", "doctor"),
    ],
)
def test_improving_expected_effects_and_resolved_warning_signs(detector, text, level) -> None:
    a = detector.assess(text)
    assert a.level == level, a.to_dict()


def test_improving_expected_effect_is_labelled(detector) -> None:
    a = detector.assess("a bit stiff, but less and less each morning")
    assert a.level == "expected"
    assert [f.rule for f in a.findings if f.sign_level == "expected"] == ["improving"]


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
                 "small_bruise", "site_numbness", "brief_lightheadedness", "stroke_symptoms",
                 "coughing_blood", "heavy_bleeding", "skin_atrophy", "pallor"):
        assert sign in ids, sign


def test_combinations_name_real_signs() -> None:
    vocabulary = load_vocabulary()
    ids = {s.id for s in vocabulary.signs}
    assert vocabulary.combinations
    for combination in vocabulary.combinations:
        assert {combination.sign, combination.then, *combination.with_signs} <= ids
    assert vocabulary.not_targets and "bring" in vocabulary.not_targets


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


def _best_times(detector, texts: list[str], runs: int = 5) -> tuple[list[float], Assessment]:
    """The fastest of a few runs of each text, interleaved so that a busy moment of the machine
    falls on all of them alike."""
    best, result = [float("inf")] * len(texts), None
    for _ in range(runs):
        for i, text in enumerate(texts):
            start = time.perf_counter()
            result = detector.assess(text)
            best[i] = min(best[i], time.perf_counter() - start)
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
def test_ten_thousand_characters_take_time_in_proportion(detector, text) -> None:
    """A huge message costs about ten times its first 1,000 characters, not more: no step of the
    detector grows faster than the text. Measured as a ratio in the same run because these
    machines vary: the same 10,000 characters took 116 to 227 ms here within one hour, and
    an absolute bound of 200 ms failed in CI at 201 ms on unchanged code."""
    (short, long), a = _best_times(detector, [text[:1000], text])
    assert len(text) >= 9990
    linear = short * len(text) / 1000
    assert long < 2.5 * linear, f"{long * 1000:.0f} ms, {linear * 1000:.0f} ms if linear"
    assert long < 1.0, f"{long * 1000:.0f} ms: a server worker held for a second"
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


# ====================================================================== generalising the rules
# Minimal pairs for the mechanisms added after the independent 3,200-message corpus (own
# wording, not corpus sentences). Level None = nothing escalates; "calm" = not emergency/doctor.
CALM = (None, "info", "expected")


def _level(detector, text):
    a = detector.assess(text)
    return a.level, [(f.sign, f.rule, f.level) for f in a.findings]


# ---------------------------------------------------------------------- rule 11: a thing as subject
@pytest.mark.parametrize(
    ("text", "level"),
    [
        # the clause is ABOUT a thing (its subject), nothing of the body in between
        ("the vending machine at work is wheezing again", None),
        ("my grandad is wheezing again", "emergency"),
        ("our savings account is bleeding money", None),
        ("the injection site is bleeding", "doctor"),
        ("the football club collapsed into debt", None),
        ("my brother collapsed into his chair and won't wake up", "emergency"),
        # a relative clause right after the thing: "the kettle I bought"
        ("the kettle I bought last week has a fever", None),
        # a thing doing something, then a real sign in a person
        ("the pudding collapsed and then my husband fainted", "emergency"),
        # a device that SAYS a number reports the body
        ("the app says my oxygen is 87", "emergency"),
        # signs patients say about things (said_of_things): taste, vision, swallowing
        ("the soup tastes of metal since the injection", "emergency"),
        ("everything looks blurry since the shot", "emergency"),
        ("my phone photo came out blurry", None),
        # a thing that CAUSES a sign is not figurative
        ("the shower made my arm sting where they injected", "doctor"),
        # words that only count about the body
        ("my shoulder is on fire", "doctor"),
        ("the new singer was on fire last night", None),
        ("the toast got burnt again", None),
        ("my arm is buzzing", "expected"),
        ("still buzzing from the win yesterday", None),
        ("this queue is unbearable", None),
        # plural things, reported speech, things that leak
        ("the drainpipes are fine but the gutters are choking with moss", None),
        ("grandpa says the orchestra needs fresh blood", None),
        ("the fountain pen ink bled into the paper", None),
        ("there's a slow leak in the bike tyre again", None),
        ("my husband says my lips are swelling", "emergency"),
    ],
)
def test_a_thing_as_the_subject_is_figurative(detector, text, level) -> None:
    got, detail = _level(detector, text)
    assert got == level, detail


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # emotional and fixed frames (rule 11: frames, not whole idioms)
        ("my nan nearly fainted with joy at the wedding news", None),
        ("I nearly fainted when I stood up", "emergency"),
        ("I nearly passed out when I saw the size of the invoice", None),
        ("my heart skipped a beat when I opened the letter", None),
        ("my heart keeps skipping beats and racing", "emergency"),
        ("I laughed so hard I couldn't breathe at the party", None),
        ("the comedy was brilliant, I couldn't breathe from laughing", None),
        ("I can't breathe and I'm not laughing", "emergency"),
        ("the spicy curry set my mouth on fire", None),
        ("sweating buckets before my driving test", None),
        ("the storm last night brought a lump to my throat, so beautiful", None),
        ("the manager threw a fit about the rota", None),
        ("the police seizure of the drugs was on the news", None),
        ("we're in the red this month", None),
        ("the spreadsheet is giving me a migraine", None),
        # a disclaimer covers the sign words before it, never after it
        ("this paperwork is giving me a headache, lol, not literally", None),
        ("not literally dying here, but my chest feels crushed", "emergency"),
        # failing under pressure, new members, travel, films and food
        ("my son choked at the spelling bee final", None),
        ("I choked on a piece of chicken and now my throat feels tight", "emergency"),
        ("that podcast gave me shivers and chills", None),
        ("binged a slasher series, blood everywhere, great fun", None),
        ("watched a film and then blood everywhere from the site", "emergency"),
        ("carved the lamb roast too soon and it bled all over the plate", None),
        ("I cut my finger carving the lamb and it bled all over the plate", "emergency"),
        ("she's never had an allergic reaction to anything", None),
        ("I've never had anything like this, my tongue feels thick", "emergency"),
    ],
)
def test_figurative_frames(detector, text, level) -> None:
    got, detail = _level(detector, text)
    assert got == level, detail


# ---------------------------------------------------------------------- rules 5 and 10: questions
@pytest.mark.parametrize(
    "text",
    [
        "could the shot make my hand go weak?",
        "will it make my pulse race?",
        "can my sugars go up after cortisone?",
        "is it possible to get a collapsed lung from this?",
        "is vomiting a common reaction?",
        "are seizures ever seen with lidocaine?",
        "do elderly patients bleed more after these shots?",
        "how soon could an infection start?",
        "when is swelling worth a phone call?",
        "a friend told me these can cause fits, is that so?",
        "I read online that trigger point injections can puncture a lung",
        "is the infection risk higher if I have diabetes?",
        "am I more likely to bleed on warfarin?",
        "how red is too red?",
        "what if I'm alone and I pass out?",
        "if my tongue swells, should I use my epipen?",
        "if there's green discharge, is that an infection?",
        # risk questions in other shapes (no "?" needed for inverted word order)
        "what are the odds of a nerve getting nicked",
        "how do I tell a normal ache apart from an infection",
        "could a rash later on be an allergy or an infection?",
        "does caffeine make bruising worse",
        "should the swelling get worse, do I ring you or my GP?",
        "if my wife notices I'm slurring, what should she do",
        "if I get hives everywhere tomorrow is that a reaction",
        "what counts as a spreading redness",
        "is it more painful than a tetanus jab",
        "could it leave a dent where the needle goes",
        "what is a pneumothorax",
        "punctured lung from upper back injections how likely",
        "can both lungs be punctured by these",
        "is a temperature afterwards a reason to phone",
        "what symptoms mean something has gone wrong",
        "the needle is painful much?",
        "whats the chanse of a bleed",
        "I bruise easily, will I end up with huge bruises?",
    ],
)
def test_general_questions_are_not_reports(detector, text) -> None:
    got, detail = _level(detector, text)
    assert got in CALM, detail


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # a new statement inside the question
        ("can you send an ambulance I can't breathe?", "emergency"),
        ("could you call 911 my husband collapsed?", "emergency"),
        # the question takes it for granted that it is happening
        ("how long will my chest hurt?", "emergency"),
        ("when will my throat stop feeling tight?", "emergency"),
        # the patient has it
        ("can I drive myself to A&E with chest pain this bad?", "emergency"),
        ("is it bad that I passed out after the injection?", "emergency"),
        ("is it normal that the injection site is oozing yellow stuff?", "doctor"),
        # a follow-up that dates it or confirms it
        ("is chest pain normal after TPI? it started 20 minutes ago", "emergency"),
        ("the leaflet says to call if my lips swell... well, I am", "emergency"),
        ("is swelling normal? it's been getting bigger since yesterday", "doctor"),
        # "could it BE", "I could BARELY": about now
        ("could this be a reaction? my tongue is swelling", "emergency"),
        ("I could barely swallow at lunch?", "emergency"),
        # a follow-up that dates an "is it normal" question
        ("is it normal to be gasping just sitting in my chair?? day 3", "emergency"),
        ("is it normal to be short of breath in bed? it's my second night like this",
         "emergency"),
        # a symptom described, not a complication named, before "how common"
        ("chest pain, how common", "emergency"),
        ("sharp pain breathing in, what are the chances", "emergency"),
        # the main clause reports, or the question names the patient's own site
        ("if I lie down I can't breathe is that normal", "emergency"),
        ("is it usual for my shoulder to swell up like an egg a day later?", "doctor"),
        ("what counts as heavy bleeding, it's soaked through two pads", "emergency"),
        ("the injection is making my chest hurt?", "emergency"),
    ],
)
def test_questions_that_report_still_escalate(detector, text, level) -> None:
    got, detail = _level(detector, text)
    assert got == level, detail


# ---------------------------------------------------------------------- rule 4: history before
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("I had shingles back in 2016", None),
        ("I had hives as a toddler", None),
        ("I had hives as a toddler and now I have them again after the shot", "emergency"),
        ("my vision has been blurry since my cataract surgery in 2018, nothing new", None),
        ("my vision has been blurry since 2018 but it's much worse now", "emergency"),
        ("I got a rash from a plaster once", None),
        ("once I got home I got a rash", "doctor"),
        ("when I was a student I passed out at a gig", None),
        ("the last time I had a fever was at Christmas", None),
        ("before I came to you I had a fever for a week", None),
        ("I haven't had the injections yet but I've had a cough", None),
        ("years ago the dentist's injection made my heart race", None),
        ("I had to sit down to catch my breath, never happened before the injection",
         "emergency"),
    ],
)
def test_history_before_the_procedure(detector, text, level) -> None:
    got, detail = _level(detector, text)
    assert got == level, detail


# ---------------------------------------------------------------------- rule 2: negation forms
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("afebrile today, site looks clean", None),
        ("fever free for three days", None),
        ("swelling-free and itch-free", None),
        ("patient denies chest pain, dyspnoea or palpitations", None),
        ("patient denies chest pain, reports dyspnoea", "emergency"),
        ("no fever, chest pain since this morning", "emergency"),
        ("no fever, chills or rash", None),
        ("Rash? Definitely not.", None),
        ("nausea: absolutely none", None),
        ("not a trace of redness", None),
        ("my husband had no reaction whatsoever to his injections", None),
        ("neither my wife nor I have had any fever", None),
    ],
)
def test_negation_variants(detector, text, level) -> None:
    got, detail = _level(detector, text)
    assert got == level, detail


# ---------------------------------------------------------------------- rule 7: expected windows
@pytest.mark.parametrize(
    ("text", "level"),
    [
        # "still" within the window of the effect
        ("the skin is still numb but it's only been 45 minutes", "expected"),
        ("the skin is still numb and it's been 5 hours", "doctor"),
        ("my arm was numb for an hour, and now it's been a whole day and it's still numb",
         "doctor"),
        # a bleed that stopped, or a small amount, is a spot of blood (mild_form)
        ("a little blood on the gauze this morning, it's stopped now", "expected"),
        ("there's a spot of blood on my shirt", "expected"),
        ("there's blood on my shirt from the site", "doctor"),
        ("a little blood on the gauze, it keeps starting again", "doctor"),
        ("it bled for two hours before it stopped", "doctor"),
        ("bleeding through the dressing, it stopped after a while", "emergency"),
        # improving: it WAS worse
        ("my arm was sore yesterday, less sore today", "expected"),
        ("the ache was worse yesterday, better today", "expected"),
        ("sore on day 2, worse on day 3", "doctor"),
        ("still sore and it's day 6", "doctor"),
        # time said about feeling fine, and feeling that came back
        ("she was dizzy for a minute, she's been fine all evening", "expected"),
        ("numb for 20 minutes then the feeling came back", "expected"),
        ("fine for a day but now it's gone numb again", "doctor"),
    ],
)
def test_expected_effects_within_their_window(detector, text, level) -> None:
    got, detail = _level(detector, text)
    assert got == level, detail


# ---------------------------------------------------------------------- wider lay wording
@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("there's a heaviness right behind my sternum", "chest_pain"),
        ("my chest feels squashed", "chest_pain"),
        ("it's like a tight band across my chest", "chest_pain"),
        ("an ache under my left breast", "chest_pain"),
        ("I get winded walking to the bathroom", "breathing_difficulty"),
        ("my breathing is really laboured tonight", "breathing_difficulty"),
        ("feels like I'm breathing through a wet cloth", "breathing_difficulty"),
        ("sharp pain in my side with every breath", "breathing_difficulty"),
        ("my inhaler isn't doing anything", "breathing_difficulty"),
        ("my sats are 88 on the finger monitor", "breathing_difficulty"),
        ("my heart is fluttering like a bird", "racing_heart"),
        ("my pulse is all over the place", "racing_heart"),
        ("heart rate 150 and climbing", "racing_heart"),
        ("she keeps calling me by the wrong name", "confusion"),
        ("mum is acting really strange since the injection", "confusion"),
        ("he keeps asking the same question over and over", "confusion"),
        ("there's a taste of pennies in my mouth", "metallic_taste"),
        ("water comes back out of my nose when I drink", "swallowing_difficulty"),
        ("it takes me several goes to swallow a pill", "swallowing_difficulty"),
        ("my voice is barely a whisper", "hoarse_voice"),
        ("I sound like a frog", "hoarse_voice"),
        ("she can't smile on one side", "stroke_symptoms"),
        ("I came to on the bathroom floor", "fainting_collapse"),
        ("found him lying on the kitchen floor", "fainting_collapse"),
        ("my arms and legs feel like jelly", "general_weakness"),
        ("his eyes rolled back and he went stiff", "seizure_or_twitching"),
        ("I'm covered in itchy welts", "widespread_hives"),
        ("my top is wet with blood", "heavy_bleeding"),
        ("sugar reading 17.5 since the steroid", "high_blood_sugar"),
        ("my readings are in the 300s", "high_blood_sugar"),
        ("the pain went from a 4 to an 8", "increased_pain"),
        ("the pain has ramped up since lunch", "increased_pain"),
        ("even my shirt brushing it hurts", "increased_pain"),
        ("can't feel my fingertips since the shot yesterday", "site_numbness"),
        ("I can't make a fist with that hand", "lasting_numbness_or_weakness"),
        ("the bruise has crept down to my elbow", "growing_lump_or_bruise"),
        ("the lump is the size of a golf ball", "growing_lump_or_bruise"),
        ("little blisters popped up around the site", "skin_irritation"),
        ("I'm 38.3", "fever"),
        ("temp 38 point 7", "fever"),
        ("I feel like I've been hit by a bus", "feeling_unwell"),
        ("my joints are aching since the injection", "new_symptom"),
        # round 3 of lay wording
        ("it started in my back and now it's in my chest", "chest_pain"),
        ("like a rope cinched tight around my chest", "chest_pain"),
        ("we can't keep him awake for more than a minute", "fainting_collapse"),
        ("she keeps slumping sideways in her seat", "fainting_collapse"),
        ("pinkish foamy spit when he coughs", "coughing_blood"),
        ("the blood keeps coming through every pad", "heavy_bleeding"),
        ("we've gone through a whole packet of plasters", "heavy_bleeding"),
        ("there's so much blood on the sheets", "heavy_bleeding"),
        ("blood everywhere, it's running off my hand", "heavy_bleeding"),
        ("the site has puffed up overnight", "site_swelling"),
        ("the injected muscle is still weak a week on", "lasting_numbness_or_weakness"),
    ],
)
def test_wider_lay_wording(detector, text, sign) -> None:
    a = detector.assess(text)
    assert sign in {f.sign for f in a.findings if f.escalates}, a.to_dict()


# ---------------------------------------------------------------------- loader and matcher
def test_yaml_truth_values_are_rejected(tmp_path) -> None:
    bad = tmp_path / "cues.yml"
    bad.write_text("negation:\n  - no\n", encoding="utf-8")
    from safety.vocabulary import VOCABULARY_FILE

    with pytest.raises(VocabularyError):
        load_vocabulary(VOCABULARY_FILE, bad)


def test_a_key_written_twice_in_one_block_is_an_error(tmp_path) -> None:
    # YAML keeps only the second: a second `exclude:` under a sign would silently drop the first
    # list (it happened once, in session 13)
    from safety.vocabulary import CONTEXT_CUES_FILE, VOCABULARY_FILE

    text = VOCABULARY_FILE.read_text(encoding="utf-8").replace(
        "    exclude:\n", "    exclude:\n      - zzz qqq\n    exclude:\n", 1
    )
    bad = tmp_path / "vocabulary.yml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(VocabularyError, match="written twice"):
        load_vocabulary(bad, CONTEXT_CUES_FILE)


def test_mild_form_must_name_an_expected_sign(tmp_path) -> None:
    from safety.vocabulary import CONTEXT_CUES_FILE, VOCABULARY_FILE

    text = VOCABULARY_FILE.read_text(encoding="utf-8").replace(
        "mild_form: minor_bleeding", "mild_form: heavy_bleeding"
    )
    bad = tmp_path / "vocabulary.yml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(VocabularyError):
        load_vocabulary(bad, CONTEXT_CUES_FILE)


def test_gaps_try_the_next_word_when_the_closest_does_not_fit(detector) -> None:
    # "that" (a form of "those") is closer to "read" than "injections", but only "injections
    # can" completes the hearsay frame
    a = detector.assess("I read that trigger point injections can collapse a lung")
    assert not a.escalates, a.to_dict()


# ---------------------------------------------------------------------- the treated condition
# Minimal pairs: the pain the treatment is FOR (long-standing, or not responding to the
# injections) stays calm; the same pain said to be worse since the shot, with a site sign, or as
# an after-effect that outlasts its window still escalates.
@pytest.mark.parametrize(
    "text, level",
    [
        # the condition being treated vs an after-effect
        ("my lower back has ached for years, would these injections suit my sort of pain?", CALM),
        ("my shoulder has been sore for a week since the injection", "doctor"),
        ("chronic stiffness in my shoulders, is trigger point therapy a good option for that?",
         CALM),
        ("chronic stiffness in my shoulders and it's much stiffer since the shot", "doctor"),
        ("my neck has hurt for months, and now the spot they injected is red and warm", "doctor"),
        ("the shoulder pain I'm being treated for is still there", CALM),
        # not responding vs getting worse
        ("I've had three sessions so far and my neck still aches, should I book more?", CALM),
        ("I've had three sessions so far and my neck aches worse than before them", "doctor"),
        ("the injections haven't helped at all, my back still hurts", CALM),
        ("the injections haven't helped and my back is sorer every day", "doctor"),
        ("still sore 9 days after my second injection", "doctor"),
        # a general question about side effects vs a report of one
        ("are there any side effects from the cortisone?", CALM),
        ("what side effects can the lidocaine cause", CALM),
        ("I've had side effects since the injection", "doctor"),
        ("I think there are side effects from the shot", "doctor"),
        # emergencies are untouched
        ("my back has ached for years and now my chest feels tight", "emergency"),
    ],
)
def test_the_treated_condition_is_not_an_after_effect(detector, text, level) -> None:
    a = detector.assess(text)
    if isinstance(level, tuple):
        assert a.level in level, a.to_dict()
    else:
        assert a.level == level, a.to_dict()
