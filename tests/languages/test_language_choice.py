"""The language of a message and what it means for the conversation (docs/languages.md), on the
real fastText model: no server needed."""

import hashlib

import pytest

from nlp import language_id
from nlp.language_choice import (
    context_language,
    decided_language,
    other_language,
    reading_languages,
)
from nlp.language_id import identify


def test_the_model_file_is_the_pinned_one():
    path = language_id.check_model()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == language_id.MODEL_SHA256


def test_a_changed_model_file_is_refused(tmp_path, monkeypatch):
    fake = tmp_path / "resources" / "lid.176.ftz"
    fake.parent.mkdir()
    fake.write_bytes(b"not the model")
    monkeypatch.setattr(language_id, "model_path", lambda: fake)
    language_id._model.cache_clear()
    try:
        with pytest.raises(language_id.LanguageModelError, match="sha256"):
            language_id._model()
    finally:
        language_id._model.cache_clear()


@pytest.mark.parametrize("text, expected", [
    ("me duele mucho donde me pusieron el piquete", "es"),
    ("¿Cuánto tiempo dura el procedimiento?", "es"),
    ("can I drive home after the injection?", "en"),
    ("hola", "es"),  # a greeting opens the conversation in its language
    ("Hello", "en"),
    ("en español, por favor", "es"),  # switch requests win, in either language
    ("in Spanish please", "es"),
    ("¿me puede hablar en inglés?", "en"),
    ("English please", "en"),
])
def test_messages_that_decide_the_conversations_language(text, expected):
    assert decided_language(identify(text)) == expected


@pytest.mark.parametrize(
    "text", ["ok", "gracias", "sí", "yes", "👍", "/affirm", "fiebre", "", "38,5"])
def test_short_or_unsure_messages_keep_the_conversations_language(text):
    assert decided_language(identify(text)) is None


@pytest.mark.parametrize("text, code", [
    ("Bonjour, je voudrais prendre un rendez-vous pour une injection", "fr"),
    ("Olá, quanto tempo demora o procedimento da injeção?", "pt"),
    ("Guten Tag, wie lange dauert die Behandlung ungefähr?", "de"),
])
def test_a_message_surely_in_another_language_is_named(text, code):
    assert other_language(identify(text)) == code


@pytest.mark.parametrize("text", ["hola", "ok", "me duele", "how long does it take?"])
def test_spanish_and_english_messages_are_never_another_language(text):
    assert other_language(identify(text)) is None


def test_the_safety_layer_reads_unsure_messages_in_both_languages():
    assert reading_languages(identify("no puedo respirar bien desde la inyección")) == ("es",)
    assert reading_languages(identify("my arm is swollen and hot since yesterday")) == ("en",)
    assert set(reading_languages(identify("fiebre"))) == {"en", "es"}
    assert set(reading_languages(identify("ok"))) == {"en", "es"}
    mixed = reading_languages(identify("in English please, tengo fiebre"))
    assert set(mixed) == {"en", "es"}


@pytest.mark.parametrize("text", [
    "can it cuase nerve damge",  # fastText: Spanish, 0.94
    "whats the sucess rate of it for the knots",
])
def test_typed_english_that_fasttext_misreads_keeps_the_conversations_language(text):
    """English function words ("can", "it", "the") outnumber Spanish ones: neither Spanish nor
    another language is decided, and the detector reads the message in both."""
    guess = identify(text)
    assert decided_language(guess) is None
    assert other_language(guess) is None
    assert set(reading_languages(guess)) == {"en", "es"}


def test_a_message_mixing_both_languages_is_read_in_both():
    guess = identify("Can't catch my breath desde el piquete, y no es ansiedad")
    assert decided_language(guess) == "es"
    assert reading_languages(guess) == ("es", "en")



@pytest.mark.parametrize(("text", "language"), [
    ("si sale pus q hago", "es"),          # "si", "q": Spanish only
    ("what if infeccion", "en"),           # "what", "if": English only
    ("tengo pus what do i do", None),      # both languages' function words
    ("pus", None),                         # none at all
])
def test_the_language_of_every_function_word_reads_the_grammar(text, language):
    """safety/two_readings.py: the language whose rules read a message's grammar."""
    assert context_language(identify(text)) == language
