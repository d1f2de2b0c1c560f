"""Step 1 of the detector: turn a message into normalised tokens (NormToken).

* lower case, one "dictionary form" (key) per word from the spaCy lookup lemmatizer
  ("swollen" -> "swell", "arms" -> "arm");
* contractions read the same whichever way they are typed ("can't", "cant", "CAN'T", "cannot"
  -> "can not");
* hyphens inside words dropped ("light-headed" = "light headed");
* spelling slips corrected towards the vocabulary's words by the SpellingCorrector
  (spelling.py), which the Normaliser asks about every word.

Everything is deterministic: the same message always gives the same tokens.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

if TYPE_CHECKING:
    from .spelling import SpellingCorrector

# Contractions, whichever way they are typed. Keys are lower-case token texts.
KEY_OVERRIDES = {
    "ca": "can", "wo": "will", "sha": "shall", "n't": "not", "nt": "not", "'m": "be", "m": "be",
    "'re": "be", "re": "be", "'ve": "have", "ve": "have", "'ll": "will", "ll": "will",
    "'d": "would", "'s": "be", "s": "be", "does": "do", "doe": "do", "ai": "be", "gon": "going",
    "better": "better", "worse": "worse", "worst": "worst", "u": "you", "ur": "your",
    "cuz": "because", "coz": "because", "bc": "because", "thru": "through", "tho": "though",
    "altho": "although", "w/": "with", "w/o": "without", "wanna": "want", "gotta": "got",
    "pls": "please", "plz": "please", "hrs": "hour", "hr": "hour", "mins": "minute",
    "min": "minute", "temps": "temp", "lightheaded": "lightheaded", "aching": "ache",
    "ached": "ache", "aches": "ache", "numbness": "numbness",
    # lookup-table forms that would merge unrelated words in this domain
    "number": "number", "numbers": "number", "shot": "shot", "shots": "shot",
    "winded": "winded", "wound": "wound", "wounds": "wound", "bs": "bs", "less": "less",
}
# Contractions typed without an apostrophe (or in capitals, which spaCy does not split).
SPLIT_FORMS = {
    "cant": ("ca", "nt"), "dont": ("do", "nt"), "wont": ("wo", "nt"), "didnt": ("did", "nt"),
    "doesnt": ("does", "nt"), "isnt": ("is", "nt"), "arent": ("are", "nt"),
    "wasnt": ("was", "nt"), "werent": ("were", "nt"), "couldnt": ("could", "nt"),
    "wouldnt": ("would", "nt"), "shouldnt": ("should", "nt"), "hasnt": ("has", "nt"),
    "havent": ("have", "nt"), "hadnt": ("had", "nt"), "aint": ("ai", "nt"),
    "cannot": ("can", "not"), "im": ("i", "m"), "ive": ("i", "ve"), "id": ("i", "d"),
    "its": ("it", "s"), "thats": ("that", "s"), "theres": ("there", "s"),
    "whats": ("what", "s"), "hes": ("he", "s"), "shes": ("she", "s"), "youre": ("you", "re"),
    "theyre": ("they", "re"), "itll": ("it", "ll"),
}
# New (uncached) spelling look-ups per message; a flood of unknown words (pasted text, another
# language) would otherwise cost time for nothing.
SPELLING_BUDGET = 300
# spaCy's tokenizer takes quadratic time on very long unbroken strings; longer chunks are cut.
MAX_CHUNK = 64

_APOSTROPHE_RE = re.compile(r"^([a-z]+?)(n't|'s|'m|'re|'ve|'ll|'d)$")
_BREAK_RE = re.compile(r"^[.!?;…]+$")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_HYPHENS = {"-", "‐", "‑"}
_DASH_CHARS = "".join(_HYPHENS) + "–—"
_CHUNK_RE = re.compile(r"\S+|\s+")


def _dashes_apart(raw: list[tuple[str, int, bool]]) -> list[tuple[str, int, bool]]:
    """A dash written against a word in chat ("numb tongue- common??", "chest pain -help") is
    punctuation, not part of the word: spaCy keeps "tongue-" whole, and no sign matched it."""
    if not any(len(text) > 1 and (text[0] in _DASH_CHARS or text[-1] in _DASH_CHARS)
               for text, _, _ in raw):
        return raw
    out = []
    for text, start, space_after in raw:
        core = text.strip(_DASH_CHARS)
        lead = len(text) - len(text.lstrip(_DASH_CHARS)) if core[:1].isalpha() else 0
        trail = len(text) - len(text.rstrip(_DASH_CHARS)) if core[-1:].isalpha() else 0
        if not lead and not trail:
            out.append((text, start, space_after))
            continue
        core = text[lead:len(text) - trail]
        if lead:
            out.append((text[:lead], start, False))
        out.append((core, start + lead, space_after and not trail))
        if trail:
            out.append((text[len(text) - trail:], start + len(text) - trail, space_after))
    return out


def load_lemma_lookup(nlp: Language) -> dict[str, str]:
    """The English lookup lemma table as a plain dict (the one the project pipeline uses)."""
    try:
        import spacy_lookups_data

        path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return {str(k): str(v) for k, v in json.load(handle).items()}
    except (ImportError, OSError, ValueError):  # pragma: no cover - fallback
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")

        class _TableDict(dict):
            def get(self, key, default=None):  # noqa: D401
                return table.get(key, default)

        return _TableDict()


@lru_cache(maxsize=20000)
def _tokenize_piece(tokenizer, piece: str) -> tuple[tuple[str, int], ...]:
    """(text, offset) of the tokens of one whitespace-free chunk (cached: chat repeats words)."""
    return tuple((t.text, t.idx) for t in tokenizer(piece) if not t.is_space)


class NormToken(NamedTuple):
    """One normalised word of the message (a message token can give several)."""

    lower: str  # written form, lower case, spelling corrected
    key: str  # dictionary form used for matching
    start: int  # character offsets into the message
    end: int
    is_punct: bool = False
    is_break: bool = False  # ends a sentence: . ! ? ; or a line break
    original: str | None = None  # the written form before spelling correction

    @property
    def corrected(self) -> bool:
        return self.original is not None



class Normaliser:
    """Message tokens -> NormTokens (keys, spelling corrected, contractions split)."""

    # punctuation tokens that are not kept (none in English)
    dropped_marks: frozenset[str] = frozenset()

    def __init__(self, lemma_lookup, speller: SpellingCorrector | None = None) -> None:
        self._lemmas = lemma_lookup
        self.speller = speller
        self._budget = SPELLING_BUDGET
        self.key = lru_cache(maxsize=16384)(self._key)

    def written(self, lower: str) -> str:
        """The written form the rules compare (a language may fold accents here)."""
        return lower

    def _key(self, lower: str) -> str:
        if lower in KEY_OVERRIDES:
            return KEY_OVERRIDES[lower]
        return self._lemmas.get(lower, lower)

    @staticmethod
    def split_word(lower: str) -> list[tuple[str, int]]:
        """Split contractions; returns (part, offset of the part in the word)."""
        if lower in SPLIT_FORMS:
            parts = SPLIT_FORMS[lower]
        else:
            found = _APOSTROPHE_RE.match(lower)
            parts = (found.group(1), found.group(2)) if found else (lower,)
        out, offset = [], 0
        for part in parts:
            out.append((part, offset))
            offset += len(part)
        return out

    def _emit(self, out: list[NormToken], lower: str, start: int, end: int, spell: bool) -> None:
        original = None
        if spell and self.speller is not None and (self._budget > 0 or self.speller.cached(lower)):
            if not self.speller.cached(lower):
                self._budget -= 1
            fixed = self.speller.correct(lower)
            if fixed is not None:
                original, words = lower, fixed.split()
                if len(words) > 1:
                    # run-together words: spread the characters over the parts
                    position = start
                    for i, word in enumerate(words):
                        part_end = end if i == len(words) - 1 else min(end, position + len(word))
                        self._emit_parts(out, word, position, part_end, original)
                        position = part_end
                    return
                lower = words[0]
        self._emit_parts(out, lower, start, end, original)

    def _emit_parts(
        self, out: list[NormToken], lower: str, start: int, end: int, original: str | None
    ) -> None:
        parts = self.split_word(lower)
        for i, (part, offset) in enumerate(parts):
            p_start = min(end, start + offset)
            p_end = end if i == len(parts) - 1 else min(end, start + offset + len(part))
            is_punct = not any(c.isalnum() for c in part)
            out.append(
                NormToken(
                    lower=part,
                    key=self.key(part),
                    start=p_start,
                    end=p_end,
                    is_punct=is_punct,
                    is_break=bool(_BREAK_RE.match(part)),
                    original=original,
                )
            )

    def tokens(self, doc: Doc, spell: bool = True) -> list[NormToken]:
        """Normalised tokens of a spaCy Doc (e.g. the one Rasa made)."""
        raw = [(t.text, t.idx, bool(t.whitespace_)) for t in doc]
        return self._normalise(raw, spell)

    def tokens_from_text(self, text: str, tokenizer, spell: bool = True) -> list[NormToken]:
        """Normalised tokens of a plain string. spaCy's tokenizer works on each
        whitespace-separated chunk on its own, so chunks are tokenized separately (cached);
        very long chunks are cut first, because tokenizing them takes quadratic time."""
        raw: list[tuple[str, int, bool]] = []
        for found in _CHUNK_RE.finditer(text):
            chunk = found.group(0)
            if chunk.isspace():
                if "\n" in chunk:
                    raw.append((chunk, found.start(), False))
                elif raw:
                    raw[-1] = (raw[-1][0], raw[-1][1], True)
                continue
            base = found.start()
            for cut in range(0, len(chunk), MAX_CHUNK):
                piece = chunk[cut:cut + MAX_CHUNK]
                for token_text, offset in _tokenize_piece(tokenizer, piece):
                    raw.append((token_text, base + cut + offset, False))
        return self._normalise(raw, spell)

    def _normalise(self, raw: list[tuple[str, int, bool]], spell: bool) -> list[NormToken]:
        self._budget = SPELLING_BUDGET
        out: list[NormToken] = []
        raw = _dashes_apart(raw)
        n = len(raw)
        for i, (text, start, space_after) in enumerate(raw):
            if not text.strip():
                if "\n" in text:
                    out.append(NormToken(".", ".", start, start + len(text), True, True))
                continue
            if not any(c.isalnum() for c in text):  # punctuation, emoji: fast path
                if text in self.dropped_marks:
                    continue  # marks a language writes only to open a question ("¿", "¡")
                out.append(NormToken(text, text, start, start + len(text), True,
                                     bool(_BREAK_RE.match(text)) and text not in _HYPHENS))
                if text in _HYPHENS and 0 < i < n - 1 and not space_after:
                    before, after = raw[i - 1], raw[i + 1]
                    if not before[2] and before[0].isalpha() and after[0].isalpha():
                        out.pop()  # intra-word hyphen: "light-headed" = "light headed"
                continue
            lower = text.lower().translate(_APOSTROPHES)
            if len(lower) != len(text):  # rare Unicode case changes: keep offsets right
                lower = text.translate(_APOSTROPHES)
            lower = self.written(lower)
            if lower in _HYPHENS and 0 < i < n - 1 and not space_after:
                before, after = raw[i - 1], raw[i + 1]
                if not before[2] and before[0].isalpha() and after[0].isalpha():
                    continue  # intra-word hyphen: "light-headed" = "light headed"
            self._emit(out, lower, start, start + len(text), spell)
        return out
