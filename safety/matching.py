"""Turn a message into normalised tokens and find warning-sign phrases in it.

* Normalisation: lower case, one "dictionary form" (key) per word from the spaCy lookup
  lemmatizer ("swollen" -> "swell", "arms" -> "arm"), contractions read the same whichever way
  they are typed ("can't", "cant", "CAN'T", "cannot" -> "can not"), hyphens inside words dropped
  ("light-headed" = "light headed").
* Spelling slips: a word of 4+ letters that is neither a vocabulary word nor a common English word
  is replaced by the nearest vocabulary word within Damerau-Levenshtein distance 1 (4-6 letters)
  or 2 (7+ letters), in its "optimal string alignment" form (adjacent transpositions count 1):
  "feaver" -> "fever", "swolen" -> "swollen", "brething" -> "breathing", "tounge" -> "tongue".
  Common words are never touched ("breast" stays "breast"), nor is anything in
  spelling.never_correct. Known slips that are real words ("puss", "chess") are in
  spelling.typos. Run-together words are split ("chestpain" -> "chest pain").
* Matching: vocabulary patterns are compiled to spaCy 3.4 PhraseMatcher phrases over LEMMA (the
  key), with exact forms ("=word") checked on LOWER; the "..." gaps are joined in Python (much
  faster than wildcard tokens in the rule Matcher). The matcher runs on a small shadow Doc built
  from the normalised tokens, so a Doc handed over by Rasa is never modified.

Everything is deterministic: no randomness, ties in spelling correction broken by a fixed order.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .vocabulary import Gap, Pattern, Slot, Vocabulary

COMMON_WORDS_FILE = Path(__file__).resolve().parent / "common_words.txt"

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
NEGATION_WORDS = frozenset({"no", "not", "never", "without", "none", "nor", "neither", "nope"})
# Words that close a gap in a pattern ("..." never crosses them), besides punctuation.
GAP_STOPPERS = frozenset({"but", "however", "though", "although", "tho", "except", "yet",
                          "whereas", "otherwise"})
# Never spelling targets: function words and very general verbs.
_FUZZY_STOP = set(STOP_WORDS) | {"feel", "look", "like", "seem", "thing", "things", "stuff"}
# New (uncached) spelling look-ups per message; a flood of unknown words (pasted text, another
# language) would otherwise cost time for nothing.
SPELLING_BUDGET = 300
# spaCy's tokenizer takes quadratic time on very long unbroken strings; longer chunks are cut.
MAX_CHUNK = 64

_APOSTROPHE_RE = re.compile(r"^([a-z]+?)(n't|'s|'m|'re|'ve|'ll|'d)$")
_ELONGATION_RE = re.compile(r"(.)\1{2,}")
_BREAK_RE = re.compile(r"^[.!?;…]+$")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_HYPHENS = {"-", "‐", "‑"}
_CHUNK_RE = re.compile(r"\S+|\s+")


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


class Hit(NamedTuple):
    """One pattern match: token span [start, end) over the normalised tokens."""

    kind: str  # "sign", "exclude" or "cue"
    name: str  # sign id or cue category
    index: int  # pattern number within the sign / category
    start: int
    end: int
    # negation words that are part of the phrase itself ("can't breathe", "not right"), as
    # 1-tuples (any position) or pairs with their neighbour word
    own_negations: frozenset[tuple[str, ...]] = frozenset()


@dataclass
class MatchResult:
    signs: list[Hit] = field(default_factory=list)
    excludes: list[Hit] = field(default_factory=list)
    cues: dict[str, list[Hit]] = field(default_factory=dict)


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


class Normaliser:
    """Message tokens -> NormTokens (keys, spelling corrected, contractions split)."""

    def __init__(self, lemma_lookup, speller: SpellingCorrector | None = None) -> None:
        self._lemmas = lemma_lookup
        self.speller = speller
        self._budget = SPELLING_BUDGET
        self.key = lru_cache(maxsize=16384)(self._key)

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
        n = len(raw)
        for i, (text, start, space_after) in enumerate(raw):
            if not text.strip():
                if "\n" in text:
                    out.append(NormToken(".", ".", start, start + len(text), True, True))
                continue
            if not any(c.isalnum() for c in text):  # punctuation, emoji: fast path
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
            if lower in _HYPHENS and 0 < i < n - 1 and not space_after:
                before, after = raw[i - 1], raw[i + 1]
                if not before[2] and before[0].isalpha() and after[0].isalpha():
                    continue  # intra-word hyphen: "light-headed" = "light headed"
            self._emit(out, lower, start, start + len(text), spell)
        return out


Position = tuple[str, "str | None"]  # (dictionary form, exact written form or None)
Variant = tuple[Position, ...]


class PatternCompiler:
    """Parsed notation -> the concrete word sequences a spaCy PhraseMatcher looks up.

    A pattern is split at its gaps ("...") into contiguous segments; each segment expands to
    every combination of its word choices (a few thousand phrases in all, looked up by the
    PhraseMatcher in one pass over the message). Gaps are joined afterwards in Python."""

    def __init__(self, nlp: Language, normaliser: Normaliser) -> None:
        self.nlp = nlp
        self.normaliser = normaliser
        self._cache: dict[str, list[NormToken]] = {}

    def words_to_tokens(self, words: tuple[str, ...]) -> list[NormToken]:
        text = " ".join(words)
        if text not in self._cache:
            doc = self.nlp.make_doc(text)
            tokens = self.normaliser.tokens(doc, spell=False)
            self._cache[text] = [t for t in tokens if not t.is_break or t.lower != "."]
        return self._cache[text]

    def _slot_options(self, slot: Slot) -> tuple[list[Variant], set[tuple[str, ...]]]:
        options: list[Variant] = []
        negations: set[tuple[str, ...]] = set()
        for choice in slot.choices:
            toks = self.words_to_tokens(choice.words)
            if not toks:
                continue
            chain = [t.key for t in toks]
            for k, key in enumerate(chain):
                if key in NEGATION_WORDS:
                    if len(chain) == 1:
                        negations.add((key,))
                    if k > 0:
                        negations.add((chain[k - 1], key))
                    if k + 1 < len(chain):
                        negations.add((key, chain[k + 1]))
            option = tuple((t.key, t.lower if choice.exact else None) for t in toks)
            if option not in options:
                options.append(option)
        if slot.optional:
            options.append(())
        return options, negations

    def compile(
        self, pattern: Pattern
    ) -> tuple[list[list[Variant]], list[int], frozenset[tuple[str, ...]]]:
        """(segments as lists of phrase variants, gap sizes between segments, the phrase's own
        negation words). An all-optional segment between gaps just widens the gap."""
        raw_segments: list[list[Slot]] = [[]]
        gaps: list[int] = []
        for item in pattern.items:
            if isinstance(item, Gap):
                raw_segments.append([])
                gaps.append(item.size)
            else:
                raw_segments[-1].append(item)
        negations: set[tuple[str, ...]] = set()
        segments: list[list[Variant]] = []
        seg_gaps: list[int] = []
        carry = 0
        for number, slots in enumerate(raw_segments):
            variants: list[Variant] = [()]
            for slot in slots:
                options, slot_negations = self._slot_options(slot)
                negations |= slot_negations
                variants = [v + o for v in variants for o in options]
            gap_before = gaps[number - 1] if number > 0 else 0
            if any(not v for v in variants) and number > 0:
                carry += gap_before + max(len(v) for v in variants)
                continue
            unique = list(dict.fromkeys(v for v in variants if v))
            if segments:
                seg_gaps.append(carry + gap_before)
            carry = 0
            segments.append(unique)
        return segments, seg_gaps, frozenset(negations)


class VocabularyMatcher:
    """All sign patterns, exclusions and context cues in one spaCy PhraseMatcher (on LEMMA,
    with exact written forms checked on LOWER), the "..." gaps joined afterwards."""

    def __init__(self, nlp: Language, vocabulary: Vocabulary, normaliser: Normaliser) -> None:
        self.nlp = nlp
        self.vocab = nlp.vocab
        self.vocabulary = vocabulary
        self.compiler = PatternCompiler(nlp, normaliser)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        # pattern -> (segment match ids, gaps, template hit)
        self._patterns: list[tuple[list[int], list[int], Hit]] = []
        self._by_first: dict[int, list[int]] = {}  # first segment id -> pattern positions
        # segment match id -> key sequence -> exact-form constraints (None = any form)
        self._exact: dict[int, dict[tuple[str, ...], list[tuple]]] = {}
        self._needs_exact: set[int] = set()
        self.pattern_count = 0
        self.phrase_count = 0
        for sign in vocabulary.signs:
            for i, pattern in enumerate(sign.patterns):
                self._add("sign", sign.id, i, pattern)
            for i, pattern in enumerate(sign.exclude):
                self._add("exclude", sign.id, i, pattern)
        for category, patterns in vocabulary.cues.items():
            for i, pattern in enumerate(patterns):
                self._add("cue", category, i, pattern)
        self.regexes = [
            (sign.id, i, re.compile(expression, re.IGNORECASE))
            for sign in vocabulary.signs
            for i, expression in enumerate(sign.regex)
        ]

    def _phrase_doc(self, keys: tuple[str, ...]) -> Doc:
        return Doc(self.vocab, words=list(keys), spaces=[True] * len(keys), lemmas=list(keys))

    def _add(self, kind: str, name: str, index: int, pattern: Pattern) -> None:
        segments, gaps, negations = self.compiler.compile(pattern)
        if not segments or not all(segments):
            return
        ids = []
        for number, variants in enumerate(segments):
            label = f"{kind}|{name}|{index}|{number}"
            match_id = self.vocab.strings.add(label)
            exact: dict[tuple[str, ...], list[tuple]] = {}
            for variant in variants:
                keys = tuple(key for key, _ in variant)
                exact.setdefault(keys, []).append(tuple(form for _, form in variant))
            self.matcher.add(label, [self._phrase_doc(keys) for keys in exact])
            self.phrase_count += len(exact)
            self._exact[match_id] = exact
            if any(f is not None for forms in exact.values() for option in forms for f in option):
                self._needs_exact.add(match_id)
            ids.append(match_id)
        self._by_first.setdefault(ids[0], []).append(len(self._patterns))
        self._patterns.append((ids, gaps, Hit(kind, name, index, 0, 0, negations)))
        if kind == "sign":
            self.pattern_count += 1

    def shadow_doc(self, tokens: list[NormToken]) -> Doc:
        words = [t.lower or "_" for t in tokens]
        lemmas = [t.key or "_" for t in tokens]
        return Doc(self.vocab, words=words, spaces=[True] * len(words), lemmas=lemmas)

    def match(self, tokens: list[NormToken]) -> MatchResult:
        result = MatchResult()
        if not tokens:
            return result
        found: dict[int, list[tuple[int, int]]] = {}
        for match_id, start, end in self.matcher(self.shadow_doc(tokens)):
            if self._exact_ok(match_id, tokens, start, end):
                found.setdefault(match_id, []).append((start, end))
        if not found:
            return result
        stops = [0]
        for token in tokens:
            stops.append(stops[-1] + (token.is_punct or token.lower in GAP_STOPPERS))
        # only patterns whose first segment was found (in file order, so results stay the same)
        positions = sorted(
            position for match_id in found for position in self._by_first.get(match_id, ())
        )
        for position in positions:
            ids, gaps, template = self._patterns[position]
            if any(i not in found for i in ids[1:]):
                continue
            for start, end in self._chains(ids, gaps, found, stops):
                hit = Hit(template.kind, template.name, template.index, start, end,
                          template.own_negations)
                if hit.kind == "sign":
                    result.signs.append(hit)
                elif hit.kind == "exclude":
                    result.excludes.append(hit)
                else:
                    result.cues.setdefault(hit.name, []).append(hit)
        return result

    def _exact_ok(self, match_id: int, tokens: list[NormToken], start: int, end: int) -> bool:
        if match_id not in self._needs_exact:
            return True  # matched on dictionary forms only
        options = self._exact[match_id].get(tuple(t.key for t in tokens[start:end]))
        if options is None:
            return False
        for forms in options:
            if all(f is None or tokens[start + j].lower == f for j, f in enumerate(forms)):
                return True
        return False

    @staticmethod
    def _chains(ids, gaps, found, stops) -> list[tuple[int, int]]:
        """Join segment matches: each next segment starts within `gap` words of the previous
        one's end, with no punctuation or but/however/... in between. The closest next
        segment is tried first; if the rest of the pattern cannot follow it, the next closest
        within the gap is tried ("I read that trigger point injections can": "that" is not
        the word the pattern needs before "can")."""
        spans: set[tuple[int, int]] = set()
        ordered = [sorted(found[i]) for i in ids]

        def extend(number: int, end: int) -> int | None:
            if number == len(ids):
                return end
            gap, candidates = gaps[number - 1], ordered[number]
            k = bisect_left(candidates, (end, -1))
            while k < len(candidates):
                s, e = candidates[k]
                if s > end + gap or stops[s] != stops[end]:
                    return None
                done = extend(number + 1, e)
                if done is not None:
                    return done
                k += 1
            return None

        for first_start, first_end in ordered[0]:
            end = extend(1, first_end)
            if end is not None:
                spans.add((first_start, end))
        return sorted(spans)

    def near_keys(self, list_name: str) -> frozenset[str]:
        return self._near_keys(list_name)

    @lru_cache(maxsize=64)  # noqa: B019 - one matcher per detector, lives as long as it
    def _near_keys(self, list_name: str) -> frozenset[str]:
        keys = set()
        for item in self.vocabulary.word_lists.get(list_name, ()):
            toks = self.compiler.words_to_tokens(tuple(item.replace("_", " ").split()))
            if toks:
                keys.add(toks[-1].key)
        return frozenset(keys)


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
