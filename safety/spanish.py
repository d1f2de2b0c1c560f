"""Spanish for the warning-sign detector: normalisation, the lemma table, the vocabulary and the
spelling corrector. The engine that reads them is the English one (language.py).

* Accents are optional: every word is compared without them ("fíebre" = "fiebre" = "FIEBRE");
  "sí" (yes) and "él" (he) keep their meaning. "¿" and "¡" are dropped (the closing "?" makes
  the question).
* Dictionary forms come from spaCy's Spanish lookup table (spacy-lookups-data, es_lemma_lookup),
  folded the same way: "hinchó", "hinchado", "hinchando" -> "hinchar". A few context-free slips
  of the table are corrected in LEMMA_FIXES ("falta" is the verb faltar, not the adjective).
* Grammar words are read as the engine's language-neutral keys (GRAMMAR): "no", "nunca" ->
  never, "sin" -> without, "ni" -> nor, "pero" -> but, "y" -> and, "si" -> if, "mi" -> my,
  "el/la/los/las" -> the, "que" -> that... so the context rules (negation scope, clauses,
  conditionals, who is speaking) run unchanged. Chat abbreviations are read as the words they
  stand for ("q" = que, "xq" = porque, "tb" = también, "pa" = para, "x" = por, "d" = de).
* The signs, their levels and their clinical meaning come from vocabulary.yml; the Spanish lay
  wording, labels and reassurances from vocabulary_es.yml, the Spanish cues from
  context_cues_es.yml.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import yaml

from .normalise import Normaliser, NormToken
from .spelling import SpellingCorrector, cue_surface_words, spelling_targets
from .vocabulary import (
    VOCABULARY_FILE,
    WORD_CUE_CATEGORIES,
    Pattern,
    Sign,
    Vocabulary,
    VocabularyError,
    _as_list,
    _load_combinations,
    _load_sign,
    parse_pattern,
)

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

PACKAGE_DIR = Path(__file__).resolve().parent
VOCABULARY_ES_FILE = PACKAGE_DIR / "vocabulary_es.yml"
CONTEXT_CUES_ES_FILE = PACKAGE_DIR / "context_cues_es.yml"

# Words a "..." gap of a pattern never crosses (besides punctuation), as written (folded).
GAP_STOPPERS_ES = frozenset({"pero", "aunque", "sino", "excepto", "salvo", "sin_embargo"})

# Grammar words -> the engine's keys (context/words.py), written without accents.
GRAMMAR = {
    # negation
    "no": "no", "nunca": "never", "jamas": "never", "sin": "without", "ni": "nor",
    "tampoco": "not", "ningun": "none", "ninguno": "none", "ninguna": "none",
    "ningunos": "none", "ningunas": "none", "nop": "nope", "nel": "nope",
    # joining words
    "pero": "but", "aunque": "though", "sino": "but", "excepto": "except", "salvo": "except",
    "y": "and", "e": "and", "o": "or", "u": "or", "entonces": "then", "luego": "then",
    "porque": "because", "xq": "because", "pq": "because", "porq": "because", "xk": "because",
    "pk": "because", "tambien": "also", "tb": "also", "tmb": "also", "tbn": "also",
    "mientras": "while",
    # conditions
    "si": "if", "cuando": "when", "cuandos": "when",
    # people
    "yo": "i", "mi": "my", "mis": "my", "tu": "your", "tus": "your", "su": "his", "sus": "his",
    "nuestro": "our", "nuestra": "our", "nuestros": "our", "nuestras": "our", "ella": "she",
    "ellos": "they", "ellas": "they", "nosotros": "we", "nosotras": "we", "elhe": "he",
    "yes": "yes",
    # articles
    "el": "the", "la": "the", "los": "the", "las": "the", "un": "a", "una": "a",
    "unos": "some", "unas": "some",
    # "que" and its chat spellings
    "que": "that", "q": "that", "k": "that", "ke": "that", "esto": "this",
    # chat abbreviations
    "d": "de", "pa": "para", "x": "por", "xa": "para", "dsd": "desde", "dsp": "despues",
    "dps": "despues", "hrs": "hora", "hr": "hora", "hs": "hora", "min": "minuto",
    "mins": "minuto", "seg": "segundo", "toy": "estar", "tngo": "tener", "tng": "tener",
    "kiero": "querer", "porfa": "favor", "xfa": "favor", "tmp": "tampoco", "bn": "bien",
    # prepositions and pronouns the lookup table reads as verb forms ("de" -> dar)
    "de": "de", "a": "a", "en": "en", "con": "con", "por": "por", "para": "para", "se": "se",
    "me": "me", "te": "te", "le": "le", "lo": "lo", "nos": "nos", "les": "les", "del": "del",
    "al": "al", "mas": "mas", "sobre": "sobre", "entre": "entre", "hasta": "hasta",
    "mñn": "manana", "mna": "manana", "dr": "doctor", "dra": "doctor", "hosp": "hospital",
}
# Written forms whose accent carries the meaning (checked before accents are dropped).
ACCENTED = {"sí": "yes", "él": "elhe"}
# Context-free slips of the lookup table in this domain (folded form -> dictionary form).
LEMMA_FIXES = {
    "esta": "estar", "falta": "faltar", "faltas": "faltar", "morado": "morado", "morada": "morado",
    "morados": "morado", "moradas": "morado", "oido": "oido", "oidos": "oido",
    "pecho": "pecho", "sangre": "sangre", "cara": "cara", "boca": "boca", "mano": "mano",
    "manos": "mano", "ronco": "ronco", "ronca": "ronco", "vista": "vista", "calor": "calor",
    "toca": "tocar", "duro": "duro", "dura": "duro", "rojo": "rojo", "roja": "rojo",
    "rojos": "rojo", "rojas": "rojo", "caliente": "caliente", "calientes": "caliente",
    "siento": "sentir", "sentado": "sentar", "pica": "picar", "pique": "picar",
    "mareo": "mareo", "mareos": "mareo", "vomito": "vomitar", "vomitos": "vomitar",
    "piquete": "piquete", "piquetes": "piquete", "tos": "tos", "ojo": "ojo", "ojos": "ojo",
    "labio": "labio", "dedo": "dedo", "dedos": "dedo", "azucar": "azucar", "azucares": "azucar",
    "temperatura": "temperatura", "grado": "grado", "grados": "grado", "fiebre": "fiebre",
    "fiebres": "fiebre", "pus": "pus", "bien": "bien", "mal": "mal", "mas": "mas",
    "menos": "menos", "mejor": "mejor", "peor": "peor", "sigo": "seguir", "sigue": "seguir",
    "siguen": "seguir", "seguia": "seguir", "puedo": "poder", "puede": "poder",
    "dolor": "dolor", "dolores": "dolor", "ayer": "ayer", "hoy": "hoy", "cuesta": "costar",
    "cuello": "cuello", "brazo": "brazo", "lengua": "lengua", "garganta": "garganta",
    "pierna": "pierna", "nada": "nada", "todo": "todo", "toda": "todo", "todos": "todo",
    "todas": "todo", "muy": "muy", "como": "como", "hinchazon": "hinchazon",
    "ardor": "ardor", "sarpullido": "sarpullido", "salpullido": "sarpullido",
}
_SPLIT_ES = {"pal": ("pa", "l"), "del": ("de", "l"), "al": ("a", "l")}


def fold(text: str) -> str:
    """Lower case without accents ("Fíebre" -> "fiebre", "año" -> "ano"); the same length."""
    if text.isascii():
        return text.lower()
    out = []
    for char in text.lower():
        base = unicodedata.normalize("NFD", char)
        out.append(base[0] if base and len(char) == 1 else char)
    return "".join(out)


@lru_cache(maxsize=1)
def load_lemma_lookup_es() -> dict[str, str]:
    """spaCy's Spanish lookup lemma table (spacy-lookups-data), folded: written form without
    accents -> dictionary form without accents. Where two forms fold together, the one written
    without accents wins ("esta" = este)."""
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "es_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        raw = json.load(handle)
    table: dict[str, str] = {}
    for form, lemma in raw.items():
        folded = fold(str(form))
        if not folded.isalpha():
            continue
        if folded in table and folded != str(form).lower():
            continue
        table[folded] = fold(str(lemma))
    # a noun read as a verb form ("sitio" -> sitiar, "esposo" -> esposar): when its plural
    # has the noun itself as its dictionary form, the noun is kept
    for form, lemma in list(table.items()):
        if (lemma != form and lemma.endswith(("ar", "er", "ir")) and form[-1:] in ("o", "a", "e")
                and table.get(form + "s") == form):
            table[form] = form
    table.update(LEMMA_FIXES)
    return table


class SpanishNormaliser(Normaliser):
    """Normaliser for Spanish: accents folded, grammar words read as the engine's keys."""

    dropped_marks = frozenset({"¿", "¡", "¿¿", "¡¡"})

    def written(self, lower: str) -> str:
        return ACCENTED.get(lower) or fold(lower)

    def _key(self, lower: str) -> str:
        if lower in GRAMMAR:
            return GRAMMAR[lower]
        return self._lemmas.get(lower, lower)

    @staticmethod
    def split_word(lower: str) -> list[tuple[str, int]]:
        return [(lower, 0)]

    def _normalise(self, raw, spell):  # noqa: ANN001 - same signature as Normaliser
        tokens = super()._normalise(raw, spell)
        out: list[NormToken] = []
        for i, token in enumerate(tokens):
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if token.lower == "si" and following is not None and following.is_punct:
                token = token._replace(lower="yes", key="yes")  # "si, me duele" = yes
            elif token.lower == "por" and following is not None and following.lower == "que":
                token = token._replace(lower="why", key="why")  # "¿por qué?" asks about now
            elif token.lower == "que" and out and out[-1].lower == "why":
                continue
            out.append(token)
        return out


# --------------------------------------------------------------------------- vocabulary
_PATTERN_KEYS = ("patterns", "exclude")
# sign fields that stay the English file's (clinical meaning)
_CLINICAL = ("id", "level", "why", "window_hours", "still_escalates", "mild_form", "mild_when",
             "said_of_things", "reassurance_source", "reassurance_quote")


def _fold_pattern(text: str) -> str:
    """A pattern as the normaliser reads messages: without accents, "él"/"sí" kept apart."""
    text = re.sub(r"(?<![\w=])(?:él|sí)(?![\w])", lambda m: ACCENTED[m.group(0)], str(text))
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


def spelling_corrector_es(vocabulary: Vocabulary, lemmas: dict[str, str]) -> SpellingCorrector:
    """Slips corrected towards the Spanish vocabulary's words; every word of the Spanish lemma
    table, the grammar words and the cue words are real words, never corrected."""
    protected = set(lemmas) | set(lemmas.values()) | cue_surface_words(vocabulary) | set(GRAMMAR)
    return SpellingCorrector(
        spelling_targets(vocabulary, lemmas), protected, vocabulary.typos,
        vocabulary.never_correct,
    )
