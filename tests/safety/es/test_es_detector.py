"""The Spanish warning-sign detector: signs, context rules (minimal pairs), temperatures, time
spans and normalisation. Sentences written for these tests (not from any evaluation set)."""

import pytest

from safety.assessment import Assessment
from safety.durations_es import duration_hours, elapsed_hours

# ---------------------------------------------------------------- one sentence per sign
SIGNS = [
    ("ayuda, siento que no puedo jalar aire", "breathing_difficulty", "emergency"),
    ("desde la mañana me falta el aliento", "breathing_difficulty", "emergency"),
    ("me aprieta mucho el pecho", "chest_pain", "emergency"),
    ("traigo el corazón acelerado", "racing_heart", "emergency"),
    ("mi niña tiene la boca moradita", "blue_lips", "emergency"),
    ("se me están inflando los labios", "allergic_swelling", "emergency"),
    ("siento la garganta cerrada", "throat_closing", "emergency"),
    ("creo que es una reacción alérgica", "severe_allergic_reaction", "emergency"),
    ("salieron habones en la panza", "widespread_hives", "emergency"),
    ("amanecí afónica", "hoarse_voice", "emergency"),
    ("tengo la lengua adormecida", "mouth_numbness", "emergency"),
    ("todo me sabe a fierro", "metallic_taste", "emergency"),
    ("oigo un zumbido en el oído", "ringing_ears", "emergency"),
    ("mi abuelo está desorientado", "confusion", "emergency"),
    ("le dio una convulsión", "seizure_or_twitching", "emergency"),
    ("batallo para tragar", "swallowing_difficulty", "emergency"),
    ("hablo como trabado", "speech_change", "emergency"),
    ("lo veo todo borroso", "vision_change", "emergency"),
    ("se me cae el párpado", "drooping_eyelids", "emergency"),
    ("me siento sin fuerzas en todo el cuerpo", "general_weakness", "emergency"),
    ("perdí el conocimiento un momento", "fainting_collapse", "emergency"),
    ("tengo la boca chueca de un lado", "stroke_symptoms", "emergency"),
    ("no puede levantar la pierna izquierda", "stroke_symptoms", "emergency"),
    ("se le durmió la boca de un lado", "stroke_symptoms", "emergency"),
    ("escupo sangre al toser", "coughing_blood", "emergency"),
    ("se empapó la gasa de sangre", "heavy_bleeding", "emergency"),
    ("tengo calentura", "fever", "doctor"),
    ("me dan escalofríos", "chills", "doctor"),
    ("el hombro está inflamado", "site_swelling", "doctor"),
    ("el piquete está rojo", "site_redness", "doctor"),
    ("tengo rayitas rojas en el brazo", "spreading_redness", "doctor"),
    ("me salió una ampolla donde me inyectaron", "skin_irritation", "doctor"),
    ("la piel se ve hundida donde me inyectaron", "skin_atrophy", "doctor"),
    ("la zona del piquete está caliente", "site_warmth", "doctor"),
    ("me arde el piquete", "site_burning", "doctor"),
    ("me pica la zona de la inyección", "site_itching", "doctor"),
    ("sale pus del piquete", "pus_or_discharge", "doctor"),
    ("creo que se infectó", "infection", "doctor"),
    ("sigue saliendo sangre del piquete", "bleeding", "doctor"),
    ("el moretón está creciendo", "growing_lump_or_bruise", "doctor"),
    ("no siento la mano desde ayer", "lasting_numbness_or_weakness", "doctor"),
    ("la glucosa me salió en 310", "high_blood_sugar", "doctor"),
    ("tengo ganas de vomitar", "vomiting", "doctor"),
    ("tengo dolor de cabeza", "persistent_headache", "doctor"),
    ("me siento malísima", "feeling_unwell", "doctor"),
    ("el dolor está empeorando", "increased_pain", "doctor"),
]


@pytest.mark.parametrize("text,sign,level", SIGNS)
def test_each_sign_in_spanish(es, text, sign, level):
    a = es.assess(text)
    assert a.level == level, a.to_dict()
    assert sign in a.signs, a.to_dict()


def test_the_assessment_is_the_same_type_and_speaks_spanish(es):
    a = es.assess("me duele el pecho y tengo calentura")
    assert isinstance(a, Assessment)
    assert a.summary() == "dolor o presión en el pecho y fiebre"


# ---------------------------------------------------------------- context rules: minimal pairs
PAIRS = [
    # negation
    ("tengo fiebre", "doctor", "no tengo fiebre", None),
    ("me falta el aire", "emergency", "no me falta el aire", None),
    ("tengo calentura", "doctor", "ni calentura ni nada", None),
    ("estoy con fiebre", "doctor", "estoy sin fiebre", None),
    # "ya no" = "no longer": resolved since the injection still escalates (rule 4), as in English
    ("no tengo fiebre", None, "ya no tengo fiebre", "doctor"),
    ("tengo ronchas en todo el cuerpo", "emergency", "no tengo ronchas en ningún lado", None),
    ("no tengo fiebre pero me cuesta respirar", "emergency",
     "no tengo fiebre ni me cuesta respirar", None),
    # questions and hypotheticals
    ("me da fiebre", "doctor", "¿y si me da fiebre?", "info"),
    ("me sangra mucho", "emergency", "¿qué pasa si me sangra mucho?", "info"),
    ("me duele el pecho", "emergency", "en caso de que me duela el pecho, ¿a quién llamo?", "info"),
    ("es normal que tenga fiebre?", "doctor",
     "¿es normal tener fiebre después de la inyección?", "info"),
    ("tengo comezón", "doctor", "¿la lidocaína puede dar comezón?", "info"),
    # history
    ("tuve fiebre ayer", "doctor", "tuve fiebre hace diez años", None),
    ("me desmayé en la casa", "emergency", "de niña me desmayé en la escuela", None),
    # someone else gets the same advice
    ("no puedo respirar", "emergency", "mi suegra no puede respirar", "emergency"),
    # figurative language is not a symptom
    ("me muero, no puedo respirar", "emergency", "me muero de hambre", None),
    ("me arde el piquete", "doctor", "estoy que ardo de rabia con el seguro", None),
    ("me ahogo", "emergency", "me ahoga tanto papeleo", None),
    # expected effects: within and past their window
    ("me duele un poco donde me inyectaron", "expected",
     "me duele donde me inyectaron desde hace una semana", "doctor"),
    ("tengo un moretón chiquito", "expected", "el moretón se está haciendo más grande", "doctor"),
    ("tengo la pierna dormida, me inyectaron hace media hora", "expected",
     "tengo la pierna dormida desde ayer", "doctor"),
    ("me mareé un poquito y se me pasó", "expected", "sigo mareada desde la mañana", "doctor"),
    ("me duele donde me inyectaron pero va mejorando cada día", "expected",
     "me duele donde me inyectaron y va cada vez peor", "doctor"),
]


@pytest.mark.parametrize("first,first_level,second,second_level", PAIRS)
def test_context_minimal_pairs(es, first, first_level, second, second_level):
    assert es.assess(first).level == first_level, es.assess(first).to_dict()
    assert es.assess(second).level == second_level, es.assess(second).to_dict()


# ---------------------------------------------------------------- temperatures
TEMPERATURES = [
    ("tengo 38,5", "doctor"), ("tengo 38.5", "doctor"), ("marca 38 grados", "doctor"),
    ("tengo 101 F", "doctor"), ("100.4 °F", "doctor"), ("38,0 °C", "doctor"),
    ("tengo 37,9", "expected"), ("tengo 99.5 F", "expected"),
    ("el termómetro dice 37.8", "expected"),
    ("tengo 38 años", None), ("peso 101 kilos", None),
]


@pytest.mark.parametrize("text,level", TEMPERATURES)
def test_temperatures_with_the_english_thresholds(es, text, level):
    assert es.assess(text).level == level, es.assess(text).to_dict()


def test_a_temperature_label_uses_a_decimal_comma(es):
    assert es.assess("tengo 38.6").summary() == "una temperatura de 38,6 °C"


# ---------------------------------------------------------------- time spans
@pytest.mark.parametrize("text,hours", [
    ("dormida desde ayer", 24.0), ("adolorido desde hace 3 días", 72.0),
    ("llevo dos semanas así", 336.0), ("al tercer día sigue igual", 72.0),
    ("me duele todo el día", 10.0), ("no dice cuánto", None),
])
def test_spanish_durations(text, hours):
    assert duration_hours(text) == hours


def test_spanish_elapsed_time():
    assert elapsed_hours("me inyectaron hace media hora") == 0.5
    assert elapsed_hours("fue hace 20 minutos") == pytest.approx(1 / 3)


# ---------------------------------------------------------------- normalisation
@pytest.mark.parametrize("text", ["tengo fiebre", "tengo fíebre", "TENGO FIEBRE", "tengo fiebree",
                                  "tngo fiebre", "tengo fievre"])
def test_accents_case_typos_and_chat(es, text):
    assert es.assess(text).level == "doctor", es.assess(text).to_dict()


def test_chat_abbreviations(es):
    assert es.assess("xq me cuesta respirar??").level == "emergency"
    assert es.assess("siento q me ahogo").level == "emergency"
    assert es.assess("sí, tengo fiebre").level == "doctor"  # "sí" (yes) is not "si" (if)
    assert es.assess("si, tengo fiebre").level == "doctor"


def test_the_english_detector_is_unchanged_by_the_spanish_one(es):
    from safety import WarningSignDetector, detector_for

    english = detector_for("en")
    assert detector_for("es") is es and english is detector_for("en")
    fresh = WarningSignDetector()
    for text in ("no fever but it hurts to breathe", "temp 38,5", "my husband can't breathe"):
        assert english.assess(text).to_dict() == fresh.assess(text).to_dict()
    assert english.assess("temp 38,5").summary() == "a temperature of 38.5 °C"


def test_an_unknown_language_is_refused():
    from safety.language import language_for

    with pytest.raises(ValueError):
        language_for("fr")
