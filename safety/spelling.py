"""Spelling slips, corrected towards the vocabulary's words (part of step 1, normalise.py).

A word of 4+ letters that is neither a vocabulary word nor a common English word is replaced by
the nearest vocabulary word within Damerau-Levenshtein distance 1 (4-6 letters) or 2 (7+
letters), in its "optimal string alignment" form (adjacent transpositions count 1): "feaver" ->
"fever", "swolen" -> "swollen", "brething" -> "breathing", "tounge" -> "tongue". Common words are
never touched ("breast" stays "breast"), nor is anything in spelling.never_correct, nor a word of
the context cues. Known slips that are real words ("puss", "chess") are in spelling.typos.
Run-together words are split ("chestpain" -> "chest pain").

Everything is deterministic: ties are broken by a fixed order.
"""

from __future__ import annotations

import re
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA
from spacy.lang.en.stop_words import STOP_WORDS

from .normalise import SPLIT_FORMS
from .vocabulary import Pattern, Slot, Vocabulary

COMMON_WORDS_FILE = Path(__file__).resolve().parent / "common_words.txt"
# Never spelling targets: function words and very general verbs.
_FUZZY_STOP = set(STOP_WORDS) | {"feel", "look", "like", "seem", "thing", "things", "stuff"}
_ELONGATION_RE = re.compile(r"(.)\1{2,}")


def spelling_corrector(vocabulary: Vocabulary, lemmas: dict[str, str]) -> SpellingCorrector:
    """The corrector for this vocabulary: its targets are the words slips are corrected
    towards, its protected words are never corrected."""
    return SpellingCorrector(
        spelling_targets(vocabulary, lemmas), protected_words(vocabulary, lemmas),
        vocabulary.typos, vocabulary.never_correct,
    )


def spelling_targets(vocabulary: Vocabulary, lemmas: dict[str, str]) -> set[str]:
    """Every word of the sign patterns in all its forms, and the key words of general
    questions ("whats the CHANSE of"); not the ordinary words of `spelling.not_targets`, which
    must not attract slips of warning words ("tingl" -> "tingle", not "tinge")."""
    targets = vocabulary_surface_words(vocabulary, lemmas)
    keys = {lemmas.get(t, t) for t in targets}
    targets |= {w for w in inflections(lemmas, keys) if len(w) >= 4}
    targets |= {w for w in vocabulary.cue_words.get("question_words", ()) if len(w) >= 4}
    not_targets = vocabulary.not_targets
    blocked = {lemmas.get(w, w) for w in not_targets}
    return {t for t in targets if t not in not_targets and lemmas.get(t, t) not in blocked}


def protected_words(vocabulary: Vocabulary, lemmas: dict[str, str]) -> set[str]:
    """Real words that are never corrected: common English words, every word of the lemma
    table, and the words of the context cues, which the rules rely on ("BINGED a series" must
    not become "banged")."""
    protected = load_common_words() | set(lemmas) | set(lemmas.values())
    return protected | cue_surface_words(vocabulary)


def load_common_words(path: Path = COMMON_WORDS_FILE) -> frozenset[str]:
    if not path.exists():
        return frozenset()
    return frozenset(
        line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    )


def build_common_words(path: Path = COMMON_WORDS_FILE, min_log_prob: float = -14.5) -> int:
    """(Re)build common_words.txt from spacy-lookups-data word frequencies (run by hand)."""
    import gzip
    import json

    import spacy_lookups_data

    source = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        probs = json.load(handle)
    words = sorted(
        w for w, p in probs.items()
        if p >= min_log_prob and w.isascii() and w.isalpha() and w.islower() and len(w) >= 4
    )
    path.write_text("\n".join(words) + "\n", encoding="utf-8")
    return len(words)


class SpellingCorrector:
    """Deterministic correction of unknown words towards the vocabulary words."""

    def __init__(
        self,
        targets: set[str],
        protected: frozenset[str] | set[str],
        typos: dict[str, str],
        never_correct: frozenset[str],
    ) -> None:
        self.targets = frozenset(t for t in targets if len(t) >= 4 and t.isalpha())
        self.protected = protected
        self.typos = typos
        self.never_correct = never_correct
        by_length: dict[int, list[str]] = {}
        for target in sorted(self.targets):
            by_length.setdefault(len(target), []).append(target)
        self._by_length = by_length
        self._choices: dict[int, list[str]] = {}
        self._cache: dict[str, str | None] = {}

    def _choices_for(self, length: int, max_d: int) -> list[str]:
        if length not in self._choices:
            choices: list[str] = []
            for size in range(length - max_d, length + max_d + 1):
                choices.extend(self._by_length.get(size, ()))
            self._choices[length] = choices
        return self._choices[length]

    def cached(self, word: str) -> bool:
        return word in self._cache

    def correct(self, word: str) -> str | None:
        """The corrected form of `word` (possibly two words), or None to keep it."""
        if word not in self._cache:
            if len(self._cache) > 50000:
                self._cache.clear()
            self._cache[word] = self._correct(word)
        return self._cache[word]

    @staticmethod
    def max_distance(word: str) -> int:
        return 1 if len(word) <= 6 else 2

    def is_known(self, word: str) -> bool:
        return word in self.targets or word in self.protected or word in self.never_correct

    def _nearest(self, word: str) -> str | None:
        max_d = self.max_distance(word)
        choices = self._choices_for(len(word), max_d)
        if not choices:
            return None
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=max_d, limit=None)
        if not found:
            return None
        # Fixed tie-break: distance, same first letter, same length, alphabetical.
        def order(item: tuple) -> tuple:
            target, distance = item[0], item[1]
            return (distance, target[0] != word[0], abs(len(target) - len(word)), target)

        return min(found, key=order)[0]

    def _correct(self, word: str) -> str | None:
        if word in self.typos:
            fixed = self.typos[word]
            return fixed if fixed != word else None
        if not word.isascii() or not word.isalpha() or len(word) < 4:
            return None
        if self.is_known(word):
            return None
        collapsed = _ELONGATION_RE.sub(r"\1\1", word)
        if collapsed != word:
            single = _ELONGATION_RE.sub(r"\1", word)
            for form in (collapsed, single):
                if self.is_known(form) or form in self.typos:
                    return self.typos.get(form, form)
            if len(collapsed) < 4:
                return None  # "sooo" stays as it is
            word = collapsed
        nearest = self._nearest(word)
        if nearest is not None:
            return nearest
        return self._split(word)

    def _split(self, word: str) -> str | None:
        """Run-together words: "chestpain" -> "chest pain", "cantbreathe" -> "cant breathe"."""
        if len(word) < 7:
            return None
        for cut in range(3, len(word) - 2):
            left, right = word[:cut], word[cut:]
            if (left in self.targets or left in SPLIT_FORMS) and right in self.targets:
                return f"{left} {right}"
        return None



def vocabulary_surface_words(vocabulary: Vocabulary, lemma_lookup) -> set[str]:
    """Every written word of the sign patterns, plus the other forms of the same dictionary
    words ("swell" -> "swelling", "swollen"); the targets of spelling correction."""
    words: set[str] = set()

    def add_pattern(pattern: Pattern) -> None:
        for item in pattern.items:
            if isinstance(item, Slot):
                for choice in item.choices:
                    for word in choice.words:
                        words.update(re.findall(r"[a-z]+", word.lower()))

    for sign in vocabulary.signs:
        for pattern in sign.patterns:
            add_pattern(pattern)
    words.update(vocabulary.typos.values())
    keys = {lemma_lookup.get(w, w) for w in words}
    return {w for w in words | keys if w not in _FUZZY_STOP and len(w) >= 4}


def cue_surface_words(vocabulary: Vocabulary) -> set[str]:
    """Every written word of the context-cue phrases (context_cues.yml): real words that are
    never spelling-corrected."""
    words: set[str] = set()
    for patterns in vocabulary.cues.values():
        for pattern in patterns:
            for item in pattern.items:
                if isinstance(item, Slot):
                    for choice in item.choices:
                        for word in choice.words:
                            words.update(re.findall(r"[a-z]+", word.lower()))
    return {w for w in words if len(w) >= 4}


def inflections(lemma_lookup_dict: dict[str, str], keys: set[str]) -> set[str]:
    """Written forms whose dictionary form is one of `keys` (from the lemma lookup table)."""
    return {form for form, lemma in lemma_lookup_dict.items() if lemma in keys and form.isalpha()}
