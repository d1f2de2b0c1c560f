"""The Spanish of every answer and safety reply (issue 17): complete, the same placeholders and
bullets as the English, no English left, and as plain for a Spanish-speaking patient as the
English is for an English-speaking one (content/readability_es.py).

The bar. The English answers are held to Flesch-Kincaid grade 8 for each message and 6.5 for the
median (tests/content/test_answers.py). Fernández-Huerta (FH) is Flesch's reading ease
recalibrated for Spanish, and its own table reads: 90-100 muy fácil (grade 4), 80-90 fácil
(grade 5), 70-80 bastante fácil (grade 6), 60-70 normal (grades 7-8), 50-60 algo difícil
(Flesch's English table puts each band about one grade higher). Grade 8 sits in the "normal"
band, so 60 would be the literal match. We ask for 70, "bastante fácil", for each message and 80,
"fácil", for the median, because:
- the English answers are far inside their own bar (median about grade 4.5, none above 6.5):
  the Spanish should be as plain as the English actually is, not as plain as the bar allows;
- the grade equivalents of the bands are approximate, and Spanish health words are long
  ("anticoagulante", "inflamación"): the margin keeps a message that only just passes on the
  easy side of the grade-8 line whichever table one reads;
- on INFLESZ (Szigriszt-Pazos), the scale validated for Spanish patient texts (Barrio-Cantalejo
  et al., An Sist Sanit Navar 2008), FH 70 comes out at about 65, where its "bastante fácil"
  starts; INFLESZ counts 55 and above as acceptable for patients.
Syllables are counted exactly by the Spanish spelling rules (textstat's pyphen counts run low and
would overstate the ease by 10-15 points: experiments/spanish/packages.md, section 4). The clinic's
details are filled in from the default profile, the opening hours in Spanish, as the English test
fills them.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest
import yaml

import yaml_io
from clinic.hours import describe
from content.model import (
    ANSWERS,
    BULLET,
    SAFETY,
    Message,
    Statement,
    load_file,
    load_safety,
    placeholders,
    safety_text,
)
from content.readability_es import (
    MEDIAN_EASE,
    MIN_EASE,
    as_sent_es,
    counts,
    ease,
    fernandez_huerta,
    sentences,
    syllables,
    szigriszt_pazos,
    words_es,
)
from content.render_domain import responses

ANSWER_FILES = sorted(ANSWERS.glob("*.yml"))
TOPICS = [load_file(path) for path in ANSWER_FILES]
ANSWER_MESSAGES = [m for topic in TOPICS for m in topic.messages]
SAFETY_MESSAGES = list(load_safety().messages)
ALL_MESSAGES = ANSWER_MESSAGES + SAFETY_MESSAGES
# One phone screen: the English limit (60 words, tests/content/test_answers.py) with the usual
# growth of a text from English to Spanish (about a fifth more words).
MAX_WORDS_ES = 72
SHORT_SIGN_ES = "dificultad para respirar"


def _ids(messages: list[Message]) -> list[str]:
    return [m.response for m in messages]


# --- complete, and the same shape as the English ------------------------------------------------
@pytest.mark.parametrize("message", ALL_MESSAGES, ids=_ids(ALL_MESSAGES))
def test_every_statement_and_button_has_its_spanish(message):
    missing = [s.say for s in message.statements if not s.say_es]
    assert not missing, missing
    assert len(message.button_titles_es) == len(message.buttons)
    assert all(title.strip() for title in message.button_titles_es)


@pytest.mark.parametrize("message", ALL_MESSAGES, ids=_ids(ALL_MESSAGES))
def test_spanish_has_the_same_placeholders_and_bullets(message):
    for statement in message.statements:
        assert placeholders(statement.say_es) == placeholders(statement.say), statement
        assert statement.say_es.startswith(BULLET) == statement.is_bullet, statement
    english, spanish = message.text.splitlines(), message.text_es.splitlines()
    assert len(english) == len(spanish)
    for line in spanish:
        if line.startswith(BULLET):
            assert line.rstrip()[-1] in ".!?", line  # a full sentence: FH counts end marks


# Words that are English and never Spanish (the Spanish "a", "me", "no" are left out).
ENGLISH = re.compile(r"\b(the|you|your|and|of|to|with|is|are|for|please|call|shot|shots|may|can|"
                     r"it|if|or|what|when|how|this|that|will|should|after|before|doctor's)\b",
                     re.IGNORECASE)


@pytest.mark.parametrize("message", ALL_MESSAGES, ids=_ids(ALL_MESSAGES))
def test_no_english_left_in_the_spanish(message):
    texts = [s.say_es for s in message.statements] + list(message.button_titles_es)
    for text in texts:
        found = ENGLISH.findall(re.sub(r"\{\w+\}", "", text))
        assert not found, (found, text)


def test_usted_not_tu():
    """Patients are addressed as usted: no tú forms of the verbs the texts use."""
    tu = re.compile(r"\b(tú|tienes|puedes|debes|llama|pregunta a tu|tu doctor|tus)\b", re.I)
    for message in ALL_MESSAGES:
        assert not tu.search(message.text_es), message.text_es


def test_one_word_for_the_injection():
    """"Inyección", never the regional "piquete"/"pinchazo" or the anglicism "shot"."""
    for message in ALL_MESSAGES:
        text = message.text_es + " " + " ".join(message.button_titles_es)
        assert not re.search(r"\b(piquete|pinchazo|shot|inyectada)\b", text, re.I), text


# --- readability --------------------------------------------------------------------------------
@pytest.mark.parametrize("message", ANSWER_MESSAGES, ids=_ids(ANSWER_MESSAGES))
def test_each_spanish_answer_reads_bastante_facil(message):
    """Fernández-Huerta at least 70 for each answer message (the module docstring: why 70)."""
    assert ease(message.text_es) >= MIN_EASE, (round(ease(message.text_es), 1), message.text_es)
    assert words_es(message.text_es) <= MAX_WORDS_ES, message.text_es


def test_the_median_spanish_answer_reads_facil():
    assert statistics.median(ease(m.text_es) for m in ANSWER_MESSAGES) >= MEDIAN_EASE


@pytest.mark.parametrize("message", SAFETY_MESSAGES, ids=_ids(SAFETY_MESSAGES))
def test_every_spanish_safety_template_reads_plainly_with_a_short_sign(message):
    text = as_sent_es(message.text_es.replace("{signs}", SHORT_SIGN_ES))
    assert "{" not in text, text
    assert fernandez_huerta(text) >= MIN_EASE, (round(fernandez_huerta(text), 1), text)
    assert words_es(text) <= MAX_WORDS_ES, text


# --- the Spanish syllable counter ---------------------------------------------------------------
KNOWN = {
    # a vowel alone at a word's edge (what pyphen gets wrong)
    "una": 2, "ocho": 2, "acuda": 3, "aguja": 3, "ahora": 3,
    # diphthongs, triphthongs
    "ciudad": 2, "cuidado": 3, "ruido": 2, "huevo": 2, "después": 2, "acción": 2,
    "inyección": 3, "inyecciones": 4, "anestesia": 4, "Paraguay": 3, "buey": 1,
    "averigüéis": 4, "esteroide": 4,
    # hiatus: two strong vowels, an accented í or ú, the same weak vowel twice
    "leer": 2, "poeta": 3, "teatro": 3, "aéreo": 4, "caer": 2, "reacción": 3,
    "día": 2, "país": 2, "oído": 3, "reír": 2, "leía": 3, "reúne": 3, "chiita": 3,
    "ahí": 2, "prohibir": 3,
    # silent u in que, qui, gue, gui; not in güe, güi
    "que": 1, "queso": 2, "quince": 2, "guerra": 2, "guitarra": 3,
    "pingüino": 3, "vergüenza": 3, "lingüística": 4,
    # y: a vowel at the end of a word and alone, a consonant before a vowel
    "y": 1, "hoy": 1, "muy": 1, "rey": 1, "Uruguay": 3, "ayuda": 3, "yo": 1,
    # accents, capitals, punctuation around the word
    "médico": 3, "músculo": 3, "Lidocaína": 5, "anticoagulante": 7, "¿Preguntas?": 3,
    "(crónico).": 3, "Fernández-Huerta": 5,
    # tokens read at a glance: numbers, units, abbreviations, links
    "911": 1, "100.4": 1, "°F": 1, "m.": 1, "https://www.example.com/schedule-appointment": 1,
}


@pytest.mark.parametrize(("word", "expected"), KNOWN.items(), ids=list(KNOWN))
def test_syllables_of_known_words(word, expected):
    assert syllables(word) == expected


def test_the_counts_match_a_manual_count():
    """The two sentences of experiments/spanish/packages.md, section 4, counted by hand: 17 and
    46 syllables (textstat's pyphen: 15 and 43)."""
    assert counts("Tome una pastilla cada ocho horas con comida.") == (8, 17, 1)
    long = ("Si la fiebre no baja después de tres días o tiene dificultad para respirar, acuda "
            "inmediatamente al servicio de urgencias más cercano.")
    assert counts(long) == (22, 46, 1)
    # Fernández-Huerta 206.84 - 60 x 17/8 - 1.02 x 8 = 71.18 (textstat: 86.18)
    assert fernandez_huerta("Tome una pastilla cada ocho horas con comida.") == pytest.approx(71.18)
    assert szigriszt_pazos("Tome una pastilla cada ocho horas con comida.") == pytest.approx(
        206.835 - 62.3 * 17 / 8 - 8)


def test_sentences_end_at_end_marks_not_in_numbers_links_or_abbreviations():
    assert sentences("Llame al 911 ahora. Usted dijo: fiebre.") == 2
    assert sentences("Fiebre de 100.4 °F (38 °C) o más.") == 1
    assert sentences("Vaya a www.example.com ahora.") == 1
    assert sentences("Abrimos de lunes a viernes, de 8 a. m. a 5 p. m. Llame.") == 2
    assert sentences("Llame al (888) 262-3864 (de 8 a. m. a 5 p. m.).") == 1
    assert sentences("¿Preguntas? ¡Llame!") == 2
    # a lead-in ending in ":" runs on into its first bullet: sentences end at end marks
    assert sentences("En casa:\n- Descanse.\n- Tome agua.\n\nLlame") == 3
    assert sentences("") == 1 and fernandez_huerta("") == 0.0


def test_the_opening_hours_in_spanish():
    nine_to_five = ((9 * 60, 17 * 60),)
    week = (nine_to_five,) * 5 + ((), ())
    assert describe(week, "es") == "de lunes a viernes, de 9 a. m. a 5 p. m."
    split = ((8 * 60, 12 * 60 + 30), (13 * 60 + 30, 17 * 60))
    week = ((), split, split, (), ((0, 24 * 60),), ((0, 24 * 60),), ())
    assert describe(week, "es") == (
        "el martes y el miércoles, de 8 a. m. a 12:30 p. m. y de 1:30 p. m. a 5 p. m.; "
        "el viernes y el sábado, todo el día")
    assert "a. m." in as_sent_es("{opening_hours}") and "{" not in as_sent_es("{clinic_phone}")


# --- the model: validation, and the English unchanged -------------------------------------------
def _answer_file(tmp_path: Path, statements: list[dict], buttons: list[dict] | None = None) -> Path:
    message = {"response": "utter_x", "statements": statements}
    if buttons:
        message["buttons"] = buttons
    path = tmp_path / "x.yml"
    path.write_text(yaml.safe_dump({"intent": "ask_x", "messages": [message]},
                                   allow_unicode=True), encoding="utf-8")
    return path


def test_a_file_with_some_spanish_needs_it_everywhere(tmp_path):
    one = {"say": "Rest.", "say_es": "Descanse.", "source": "assistant"}
    two = {"say": "Drink.", "source": "assistant"}
    with pytest.raises(ValueError, match=r"x.yml: .*'Drink.' has no say_es"):
        load_file(_answer_file(tmp_path, [one, two]))
    button = {"title": "More", "payload": "/ask_more"}
    with pytest.raises(ValueError, match="every button needs a title_es"):
        load_file(_answer_file(tmp_path, [one], [button]))
    assert load_file(_answer_file(tmp_path, [two], [button])).messages[0].text == "Drink."


def test_the_spanish_has_the_english_placeholders_and_bullets(tmp_path):
    wrong = {"say": "Call {clinic_phone}.", "say_es": "Llame al {clinic_name}.",
             "source": "clinic-profile"}
    with pytest.raises(ValueError, match="placeholders"):
        load_file(_answer_file(tmp_path, [wrong]))
    twice = {"say": "Call {clinic_phone}.", "say_es": "Llame al {clinic_phone} o {clinic_phone}.",
             "source": "clinic-profile"}
    with pytest.raises(ValueError, match="placeholders"):
        load_file(_answer_file(tmp_path, [twice]))
    bullet = {"say": "- Rest.", "say_es": "Descanse.", "source": "assistant"}
    with pytest.raises(ValueError, match="a bullet in one language"):
        load_file(_answer_file(tmp_path, [bullet]))


def test_the_spanish_text_is_joined_like_the_english():
    pairs = (("You need to:", "Necesita:"), ("- Rest.", "- Descansar."),
             ("- Drink.", "- Tomar agua."), ("Call us.", "Llámenos."))
    message = Message("utter_x", tuple(Statement(en, "assistant", say_es=es) for en, es in pairs),
                      buttons=({"title": "More", "payload": "/ask_more"},),
                      button_titles_es=("Más",))
    assert message.text == message.text_in("en") == "You need to:\n- Rest.\n- Drink.\n\nCall us."
    assert message.text_es == message.text_in("es") == (
        "Necesita:\n- Descansar.\n- Tomar agua.\n\nLlámenos.")
    assert message.buttons_in("es") == ({"title": "Más", "payload": "/ask_more"},)
    assert message.buttons_in("en") == message.buttons
    with pytest.raises(ValueError, match="unknown language"):
        message.text_in("fr")
    with pytest.raises(KeyError, match="say_es"):
        Message("utter_y", (Statement("Hi.", "assistant"),)).text_in("es")


def _without_spanish(path: Path, tmp_path: Path) -> Path:
    data = yaml_io.load(path.read_text(encoding="utf-8"))
    for message in data.get("messages") or ():
        for statement in message.get("statements") or ():
            statement.pop("say_es", None)
        for button in message.get("buttons") or ():
            button.pop("title_es", None)
    out = tmp_path / path.name
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def test_the_spanish_leaves_the_english_rendering_as_it_was(tmp_path):
    """In domain/responses.yml the English variation of each response is the same with the
    Spanish as without it; the Spanish is a second variation, sent only when the `language` slot
    is "es", with the Spanish button titles (docs/languages.md)."""
    with_spanish = responses(tuple(TOPICS))
    without = responses(tuple(load_file(_without_spanish(p, tmp_path)) for p in ANSWER_FILES))
    assert {name: variations[:1] for name, variations in with_spanish.items()} == without
    assert "title_es" not in str(with_spanish) and "say_es" not in str(with_spanish)
    for name, variations in with_spanish.items():
        english, spanish = variations
        assert "condition" not in english
        assert spanish["condition"] == [{"type": "slot", "name": "language", "value": "es"}]
        assert spanish["text"] != english["text"], name
        assert [b["payload"] for b in spanish.get("buttons", [])] == [
            b["payload"] for b in english.get("buttons", [])]
    plain_safety = load_file(_without_spanish(SAFETY, tmp_path))
    assert [m.text for m in plain_safety.messages] == [m.text for m in SAFETY_MESSAGES]


def test_the_safety_texts_in_spanish_are_filled_like_the_english():
    text = safety_text("safety_emergency", language="es", emergency_number="911",
                       signs=SHORT_SIGN_ES, clinic_name="Westcare Clinic",
                       clinic_phone="(888) 262-3864")
    assert text.startswith("🚨 Llame al 911 ahora.")
    assert f"Usted dijo: {SHORT_SIGN_ES}." in text and "(888) 262-3864" in text
    assert safety_text("channel_reply_with_number") == "Reply with a number:"
    assert safety_text("channel_reply_with_number", language="es") == "Responda con un número:"
