"""The language-dependent parts of the detector, in one object per language.

The engine (match.py, candidates.py, context/, decide.py, expected_effects.py) is shared. A
`Language` gives it what differs between languages:

    load_nlp          the spaCy pipeline (tokenizer and lookup lemmas), built offline
    load_vocabulary   the signs (ids, levels, clinical meaning: always vocabulary.yml) with this
                      language's lay patterns, labels and context cues
    lemma_lookup      the dictionary forms of words
    normaliser        message -> normalised tokens (normalise.py; spanish.py for Spanish)
    speller           the spelling corrector (spelling.py)
    gap_stoppers      the words a "..." gap in a pattern never crosses ("but", "pero")
    times             the reader of time spans (durations.py; durations_es.py)
    temperature_wording  the words of a temperature's label and its decimal mark

    detector_for("es").assess("no puedo respirar").level   # "emergency"
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from . import durations
from .match import GAP_STOPPERS

if TYPE_CHECKING:
    from .detector import WarningSignDetector


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    load_nlp: Callable[[], Any]
    load_vocabulary: Callable[[], Any]
    lemma_lookup: Callable[[Any], dict[str, str]]
    normaliser: Callable[[dict[str, str], Any], Any]
    speller: Callable[[Any, dict[str, str]], Any]
    gap_stoppers: frozenset[str] = GAP_STOPPERS
    times: ModuleType = durations
    temperature_wording: tuple[str, str, str] | None = None
    fold: Callable[[str], str] | None = None  # how the raw text is folded (accents)


# ------------------------------------------------------------------------------------ English
def _en_nlp():
    from nlp.spacy_pipeline import load_pipeline

    return load_pipeline()


def _en_vocabulary():
    from .vocabulary import default_vocabulary

    return default_vocabulary()


def _en_lemmas(nlp):
    from .normalise import load_lemma_lookup

    return load_lemma_lookup(nlp)


def _en_normaliser(lemmas, speller):
    from .normalise import Normaliser

    return Normaliser(lemmas, speller)


def _en_speller(vocabulary, lemmas):
    from .spelling import spelling_corrector

    return spelling_corrector(vocabulary, lemmas)


ENGLISH = Language("en", "English", _en_nlp, _en_vocabulary, _en_lemmas, _en_normaliser,
                   _en_speller)


# ------------------------------------------------------------------------------------ Spanish
def _es_nlp():
    from nlp.spacy_es import load_pipeline_es

    return load_pipeline_es()


def _es_vocabulary():
    from .vocabulary_es import default_vocabulary_es

    return default_vocabulary_es()


def _es_lemmas(nlp):
    from .spanish import load_lemma_lookup_es

    return load_lemma_lookup_es()


def _es_normaliser(lemmas, speller):
    from .spanish import SpanishNormaliser

    return SpanishNormaliser(lemmas, speller)


def _es_speller(vocabulary, lemmas):
    from .spanish import spelling_corrector_es

    return spelling_corrector_es(vocabulary, lemmas)


def _spanish() -> Language:
    from . import durations_es
    from .spanish import GAP_STOPPERS_ES
    from .vocabulary_es import fold

    return Language(
        "es", "español", _es_nlp, _es_vocabulary, _es_lemmas, _es_normaliser, _es_speller,
        gap_stoppers=GAP_STOPPERS_ES, times=durations_es,
        temperature_wording=("una temperatura de", "una temperatura de más de", ","),
        fold=fold,
    )


LANGUAGES: dict[str, Callable[[], Language]] = {"en": lambda: ENGLISH, "es": _spanish}


def language_for(code: str) -> Language:
    code = (code or "en").lower().split("-")[0].split("_")[0]
    if code not in LANGUAGES:
        raise ValueError(f"no warning-sign detector for language {code!r}")
    return LANGUAGES[code]()


@cache
def detector_for(code: str = "en") -> WarningSignDetector:
    """The (shared, built on first use) detector of a language: "en" or "es"."""
    from .detector import WarningSignDetector

    language = language_for(code)
    return WarningSignDetector(language=language)
