"""Step 2 of the detector: find the vocabulary's phrases in the normalised tokens.

Sign patterns, their exclusions (look-alikes) and the context cues (context_cues.yml) are all
compiled into one table of phrases (a trie over the tokens' keys, their dictionary forms), with
exact forms ("=word") checked on the written form; the "..." gaps are joined in Python (much faster
than wildcard tokens in spaCy's rule Matcher). The result is a list of Hits per kind: sign,
exclude, cue.

The phrases were looked up by spaCy's PhraseMatcher on LEMMA until the lookup itself became the
cost: it takes each phrase as a Doc, and building the 39,000 phrase Docs took about 1 s of every
start of a Rasa server (a replica restarting after a crash), plus a shadow Doc per message. The
phrases are sequences of keys the normaliser has already computed, so a dictionary per position
finds the same (phrase, start, end) triples (tests/safety/test_match_table.py checks them against
a PhraseMatcher).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from spacy.language import Language

from .normalise import Normaliser, NormToken
from .vocabulary import Gap, Pattern, Slot, Vocabulary

# Negation words inside a pattern are the phrase's own ("can't breathe", "not right").
NEGATION_WORDS = frozenset({"no", "not", "never", "without", "none", "nor", "neither", "nope"})
# Words that close a gap in a pattern ("..." never crosses them), besides punctuation.
GAP_STOPPERS = frozenset({"but", "however", "though", "although", "tho", "except", "yet",
                          "whereas", "otherwise"})


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


Position = tuple[str, "str | None"]  # (dictionary form, exact written form or None)
Variant = tuple[Position, ...]

_PHRASES = object()  # a trie node's entry for the phrases that end there


class PhraseTable:
    """Phrases (sequences of keys) -> every (phrase id, start, end) where they occur in a
    sequence of keys, overlapping ones included."""

    def __init__(self) -> None:
        self._root: dict = {}

    def add(self, phrase_id: int, keys: tuple[str, ...]) -> None:
        node = self._root
        for key in keys:
            node = node.setdefault(key, {})
        node.setdefault(_PHRASES, []).append(phrase_id)

    def items(self):
        """Every (phrase id, keys) of the table."""
        stack = [((), self._root)]
        while stack:
            path, node = stack.pop()
            for key, child in node.items():
                if key is _PHRASES:
                    yield from ((phrase_id, path) for phrase_id in child)
                else:
                    stack.append((path + (key,), child))

    def __call__(self, keys: list[str]) -> list[tuple[int, int, int]]:
        found = []
        root, count = self._root, len(keys)
        for start in range(count):
            node = root.get(keys[start])
            end = start + 1
            while node is not None:
                ids = node.get(_PHRASES)
                if ids:
                    found.extend((phrase_id, start, end) for phrase_id in ids)
                if end == count:
                    break
                node = node.get(keys[end])
                end += 1
        return found


class PatternCompiler:
    """Parsed notation -> the concrete word sequences the PhraseTable looks up.

    A pattern is split at its gaps ("...") into contiguous segments; each segment expands to
    every combination of its word choices (about 39,000 phrases in all, looked up in one pass
    over the message). Gaps are joined afterwards in Python."""

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
    """All sign patterns, exclusions and context cues in one PhraseTable (on the tokens' keys,
    with exact written forms checked on their lower case), the "..." gaps joined afterwards."""

    def __init__(
        self, nlp: Language, vocabulary: Vocabulary, normaliser: Normaliser,
        gap_stoppers: frozenset[str] = GAP_STOPPERS,
    ) -> None:
        self.nlp = nlp
        self.gap_stoppers = gap_stoppers
        self.vocabulary = vocabulary
        self.compiler = PatternCompiler(nlp, normaliser)
        self.phrases = PhraseTable()
        self.labels: list[str] = []  # phrase id -> "kind|name|pattern index|segment number"
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

    def _add(self, kind: str, name: str, index: int, pattern: Pattern) -> None:
        segments, gaps, negations = self.compiler.compile(pattern)
        if not segments or not all(segments):
            return
        ids = []
        for number, variants in enumerate(segments):
            match_id = len(self.labels)
            self.labels.append(f"{kind}|{name}|{index}|{number}")
            exact: dict[tuple[str, ...], list[tuple]] = {}
            for variant in variants:
                keys = tuple(key for key, _ in variant)
                exact.setdefault(keys, []).append(tuple(form for _, form in variant))
            for keys in exact:
                self.phrases.add(match_id, keys)
            self.phrase_count += len(exact)
            self._exact[match_id] = exact
            if any(f is not None for forms in exact.values() for option in forms for f in option):
                self._needs_exact.add(match_id)
            ids.append(match_id)
        self._by_first.setdefault(ids[0], []).append(len(self._patterns))
        self._patterns.append((ids, gaps, Hit(kind, name, index, 0, 0, negations)))
        if kind == "sign":
            self.pattern_count += 1

    def match(self, tokens: list[NormToken]) -> MatchResult:
        result = MatchResult()
        if not tokens:
            return result
        found: dict[int, list[tuple[int, int]]] = {}
        needs_exact, keys = self._needs_exact, [t.key for t in tokens]
        # A long message yields tens of thousands of phrase matches: this loop is kept lean.
        for match_id, start, end in self.phrases(keys):
            if match_id in needs_exact and not self._exact_ok(match_id, tokens, keys, start, end):
                continue
            spans = found.get(match_id)
            if spans is None:
                found[match_id] = [(start, end)]
            else:
                spans.append((start, end))
        if not found:
            return result
        stops = [0]
        for token in tokens:
            stops.append(stops[-1] + (token.is_punct or token.lower in self.gap_stoppers))
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

    def _exact_ok(self, match_id: int, tokens: list[NormToken], keys: list[str], start: int,
                  end: int) -> bool:
        """A match of a phrase that names exact word forms: do the forms match too?"""
        options = self._exact[match_id].get(tuple(keys[start:end]))
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
