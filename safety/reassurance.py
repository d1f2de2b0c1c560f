"""The reassurance the assistant gives for an expected after-effect, and the words of a sign, in
the reply's language (vocabulary.yml; vocabulary_es.yml for Spanish)."""

from __future__ import annotations

from functools import cache

from .vocabulary import Vocabulary, default_vocabulary
from .vocabulary_es import default_vocabulary_es


@cache
def vocabulary_in(language: str = "en") -> Vocabulary:
    if language == "es":
        return default_vocabulary_es()
    return default_vocabulary()


def reassurance_for(sign_id: str, language: str = "en") -> str | None:
    """The sign's reassurance text; None for a sign without its own (the caller then uses the
    general one, `safety_reassurance_generic` in content/safety.yml)."""
    try:
        return vocabulary_in(language).sign(sign_id).reassurance or None
    except KeyError:
        return None


def label_in(sign_id: str, language: str) -> str | None:
    """The sign's patient-facing label in `language` (None for an unknown sign)."""
    try:
        return vocabulary_in(language).sign(sign_id).label
    except KeyError:
        return None
