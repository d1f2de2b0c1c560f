"""The Spanish vocabulary of warning signs: vocabulary.yml's signs (ids, levels, clinical meaning)
with the Spanish lay wording, labels and reassurances of vocabulary_es.yml and the Spanish cues of
context_cues_es.yml, and the accent folding both the vocabulary and the messages are read with.

Apart from safety/spanish.py (the detector's Spanish: normaliser, lemma table, spelling), which
imports spaCy and, through it, TensorFlow: the action server reads the Spanish labels and
reassurances from here without loading either (actions/startup.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import yaml

from .vocabulary import (
    PACKAGE_DIR,
    VOCABULARY_FILE,
    WORD_CUE_CATEGORIES,
    Pattern,
    Sign,
    Vocabulary,
    VocabularyError,
    _as_list,
    _load_combinations,
    _load_sign,
    _Loader,
    parse_pattern,
)

VOCABULARY_ES_FILE = PACKAGE_DIR / "vocabulary_es.yml"
CONTEXT_CUES_ES_FILE = PACKAGE_DIR / "context_cues_es.yml"

# Written forms whose accent carries the meaning (checked before accents are dropped).
ACCENTED = {"sí": "yes", "él": "elhe", "sé": "saber"}  # "no sé" = I do not know


class _FoldTable(dict):
    """Each character's first part after Unicode decomposition ("í" -> "i"), worked out once per
    character: the lexicon tables fold about two million words when a model loads."""

    def __missing__(self, code: int) -> str:
        self[code] = unicodedata.normalize("NFD", chr(code))[0]
        return self[code]


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower case without accents ("Fíebre" -> "fiebre", "año" -> "ano"); the same length."""
    if text.isascii():
        return text.lower()
    return text.lower().translate(_FOLD_TABLE)


_PATTERN_KEYS = ("patterns", "exclude")
# sign fields that stay the English file's (clinical meaning)
_CLINICAL = ("id", "level", "why", "window_hours", "still_escalates", "mild_form", "mild_when",
             "said_of_things", "reassurance_source", "reassurance_quote")


def _fold_pattern(text: str) -> str:
    """A pattern as the normaliser reads messages: without accents, "él"/"sí"/"sé" kept apart."""
    text = re.sub(r"(?<![\w=])(?:él|sí|sé)(?![\w])", lambda m: ACCENTED[m.group(0)], str(text))
    return fold(text)


def _read(path: Path) -> dict:
    data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader) or {}
    if not isinstance(data, dict):
        raise VocabularyError(f"{path} must be a mapping")
    return data


def load_vocabulary_es(
    vocabulary_file: Path = VOCABULARY_FILE,
    spanish_file: Path = VOCABULARY_ES_FILE,
    cues_file: Path = CONTEXT_CUES_ES_FILE,
) -> Vocabulary:
    """The signs of vocabulary.yml (ids, levels, windows, combinations) with the Spanish lay
    patterns, labels and reassurances of vocabulary_es.yml and the cues of
    context_cues_es.yml. Spanish entries for an id that vocabulary.yml lacks are an error."""
    english = _read(vocabulary_file)
    spanish = _read(spanish_file)
    word_lists = {
        str(name): tuple(_fold_pattern(w) for w in _as_list(words, f"word list {name}"))
        for name, words in (spanish.get("word_lists") or {}).items()
    }
    entries = spanish.get("signs") or {}
    ids = [str(raw["id"]) for raw in english["signs"]]
    unknown = sorted(set(map(str, entries)) - set(ids))
    if unknown:
        raise VocabularyError(f"vocabulary_es.yml names signs vocabulary.yml lacks: {unknown}")
    signs: list[Sign] = []
    for raw in english["signs"]:
        entry = entries.get(raw["id"]) or {}
        merged = {key: raw[key] for key in _CLINICAL if key in raw}
        merged["label"] = entry.get("label") or raw["label"]
        if entry.get("escalated_label"):
            merged["escalated_label"] = entry["escalated_label"]
        elif raw.get("escalated_label"):
            merged["escalated_label"] = raw["escalated_label"]
        if raw.get("reassurance"):
            merged["reassurance"] = entry.get("reassurance") or raw["reassurance"]
        for key in _PATTERN_KEYS:
            merged[key] = [_fold_pattern(p) for p in _as_list(entry.get(key), raw["id"])]
        merged["regex"] = list(_as_list(entry.get("regex"), raw["id"]))
        if merged["patterns"]:
            signs.append(_load_sign(merged, word_lists))
        else:
            merged["patterns"] = ["zzz_no_spanish_pattern"]
            sign = _load_sign(merged, word_lists)
            signs.append(replace(sign, patterns=()))
    combinations = _load_combinations(english.get("combinations"), set(ids))
    spelling = spanish.get("spelling") or {}
    typos = {fold(str(k)): fold(str(v)) for k, v in (spelling.get("typos") or {}).items()}
    never = frozenset(fold(str(w)) for w in _as_list(spelling.get("never_correct"), "never"))
    not_targets = frozenset(
        fold(str(w)) for w in _as_list(spelling.get("not_targets"), "not_targets")
    )
    cues: dict[str, tuple[Pattern, ...]] = {}
    cue_words: dict[str, tuple[str, ...]] = {}
    for category, items in _read(cues_file).items():
        items = _as_list(items, category)
        if category in WORD_CUE_CATEGORIES:
            cue_words[category] = tuple(fold(str(e)) for e in items)
            continue
        try:
            cues[category] = tuple(parse_pattern(_fold_pattern(e), word_lists) for e in items)
        except VocabularyError as err:
            raise VocabularyError(f"cue {category!r}: {err}") from None
    return Vocabulary(tuple(signs), word_lists, typos, never, cues, cue_words, combinations,
                      not_targets)


@lru_cache(maxsize=1)
def default_vocabulary_es() -> Vocabulary:
    return load_vocabulary_es()

