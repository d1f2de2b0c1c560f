"""Step 2b of the detector: which matches become candidate findings.

From the matcher's hits (match.py), the signs' regular expressions and the temperature readings
(temperature.py): a look-alike phrase (`exclude:`) drops a match, a pattern with `@list` needs a
word of that list nearby, overlapping matches of one sign are merged, a phrase inside a more
specific one gives way ("chest pain" over "pain"), a small or stopped bleed is judged as its
`mild_form`, and a temperature reading decides over the word "fever" in its sentence. Each
candidate is a token span of one sign, in text order; its context is read next (context/).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .context import NEGATION_KEYS, TextStructure, has_stopped, own_negation
from .levels import EMERGENCY, INFO, LEVEL_RANK
from .match import Hit, MatchResult, VocabularyMatcher
from .normalise import NormToken
from .temperature import TemperatureReader, TemperatureReading
from .vocabulary import NEAR_WINDOW, Sign, Vocabulary

RECOVERED_WITHIN_WINDOW = "recovered_within_window"  # vocabulary.py MILD_WHEN

FEVER_SIGN = "fever"
# a negation inside a regex match is the phrase's own ("can't. breathe")
REGEX_OWN_NEGATIONS = frozenset((key,) for key in NEGATION_KEYS)


@dataclass
class Candidate:
    """One sign found at a token span, before its context is read."""

    sign: Sign
    start: int  # token span over the normalised tokens
    end: int
    char_start: int
    char_end: int
    own_negations: frozenset[tuple[str, ...]] = frozenset()
    reading: TemperatureReading | None = None

    @property
    def rank(self) -> int:
        return LEVEL_RANK.get(self.sign.level, 0)


class CandidateFinder:
    """Turns one message's matches into candidate findings (see the module docstring)."""

    def __init__(
        self, vocabulary: Vocabulary, matcher: VocabularyMatcher, temperature: TemperatureReader
    ) -> None:
        self.matcher = matcher
        self.temperature = temperature
        self._signs = {sign.id: sign for sign in vocabulary.signs}

    def find(
        self, text: str, tokens: list[NormToken], result: MatchResult, structure: TextStructure
    ) -> list[Candidate]:
        excludes: dict[str, list[tuple[int, int]]] = {}
        for hit in result.excludes:
            excludes.setdefault(hit.name, []).append((hit.start, hit.end))
        raw: list[Candidate] = []
        for hit in result.signs:
            sign = self._signs[hit.name]
            if _excluded(sign, hit.start, hit.end, excludes.get(sign.id, ())):
                continue  # a look-alike: "hot shower", "blood thinners", "fit in my schedule"
            if not self._near_ok(structure, sign, hit):
                continue
            raw.append(
                Candidate(sign, hit.start, hit.end, tokens[hit.start].start,
                          tokens[hit.end - 1].end, hit.own_negations)
            )
        ends = [t.end for t in tokens]
        starts = [t.start for t in tokens]
        raw += self._regex_candidates(text, ends, starts)
        raw = _negation_outside_the_phrase(raw, tokens, structure)
        kept = self._mild_forms(_resolve_overlaps(raw), structure, text)
        kept = self._with_temperatures(text, kept, structure, ends, starts)
        kept.sort(key=lambda c: (c.char_start, c.char_end))
        return kept

    def _near_ok(self, structure: TextStructure, sign: Sign, hit: Hit) -> bool:
        """A pattern with `@list` needs a word of the list near the match ("my arm is red")."""
        pattern = sign.patterns[hit.index]
        if not pattern.near:
            return True
        start, end = hit.start, hit.end
        s_start, s_end = structure.sentence_range(start)
        lo, hi = max(s_start, start - NEAR_WINDOW), min(s_end, end + NEAR_WINDOW)
        wanted = set()
        for name in pattern.near:
            wanted |= self.matcher.near_keys(name)
        return any(
            structure.tokens[i].key in wanted
            for i in range(lo, hi)
            if not (start <= i < end)
        )

    def _regex_candidates(self, text: str, ends: list[int], starts: list[int]) -> list[Candidate]:
        """The signs' `regex:` patterns, over the message text."""
        out = []
        for sign_id, _, expression in self.matcher.regexes:
            # a pattern may name the part that is the finding ("(?P<sign>...)"), the rest
            # being only what makes it one: "sugar? MINE IS 380" is told in its own sentence
            part = "sign" if "sign" in expression.groupindex else 0
            for found in expression.finditer(text):
                char_start, char_end = found.span(part)
                span = _token_span(ends, starts, char_start, char_end)
                if span is None:
                    continue
                out.append(Candidate(self._signs[sign_id], span[0], span[1], char_start,
                                     char_end, REGEX_OWN_NEGATIONS))
        return out

    def _with_temperatures(
        self, text: str, kept: list[Candidate], structure: TextStructure, ends: list[int],
        starts: list[int],
    ) -> list[Candidate]:
        """Each temperature reading is a fever candidate, and the reading decides: "a 99.5
        fever" is below the threshold, so the word "fever" in its sentence gives way."""
        readings = self.temperature.read(text)
        if not readings:
            return kept
        fever = self._signs[FEVER_SIGN]
        reading_sentences = set()
        for reading in readings:
            span = _token_span(ends, starts, reading.start, reading.end)
            if span is None:
                continue
            reading_sentences.add(structure.sentence_of[span[0]])
            kept.append(
                Candidate(fever, span[0], span[1], reading.start, reading.end, reading=reading)
            )
        return [
            c for c in kept
            if c.reading is not None
            or c.sign.id != FEVER_SIGN
            or structure.sentence_of[c.start] not in reading_sentences
        ]

    def _mild_forms(
        self, kept: list[Candidate], structure: TextStructure, text: str
    ) -> list[Candidate]:
        """vocabulary.yml `mild_form`: "a DOT of blood on my shirt" (the small amount overlaps
        the sign) or "a bead of blood came up, it STOPPED with a tissue" is judged as the
        expected sign (a spot of blood), whose own rules still escalate it when it lasts,
        starts again or comes with another sign. With `mild_when: recovered_within_window`
        only an effect the message says is over, with a length within the mild sign's window,
        is: "my shoulder felt dead for an hour after, normal now" (numbness, rule 4)."""
        out: list[Candidate] = []
        for cand in kept:
            mild = cand.sign.mild_form
            if mild is None:
                out.append(cand)
                continue
            if cand.sign.mild_when == RECOVERED_WITHIN_WINDOW:
                if _recovered_within(structure, cand.start, text, self._signs[mild].window_hours):
                    cand = Candidate(self._signs[mild], cand.start, cand.end, cand.char_start,
                                     cand.char_end, cand.own_negations)
                out.append(cand)
                continue
            if any(
                other.sign.id == mild and other.start < cand.end and cand.start < other.end
                for other in kept
            ):
                continue  # the small amount is the finding: "a dot of blood on my shirt"
            if has_stopped(structure, cand.start):
                cand = Candidate(self._signs[mild], cand.start, cand.end, cand.char_start,
                                 cand.char_end, cand.own_negations)
            out.append(cand)
        return out


def _recovered_within(
    structure: TextStructure, index: int, text: str, window: float | None
) -> bool:
    """The sentence says the effect is over (a `recovered` cue not negated: "normal now",
    "the feeling came back", not "NOT back to normal") and how long it lasted, within
    `window` hours ("dead for an hour"). No length: not judged mild (a resolved warning sign
    still escalates, rule 4)."""
    if window is None:
        return False
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(index)
    over = any(
        not any(tokens[i].key in NEGATION_KEYS for i in range(max(s_start, hit.start - 3),
                                                             hit.start))
        for hit in structure.hits_in("recovered", s_start, s_end)
    )
    if not over:
        return False
    hours = structure.times.duration_hours(text[tokens[s_start].start:tokens[s_end - 1].end], False)
    return hours is not None and hours <= window


def occupy(structure: TextStructure, candidates: list[Candidate]) -> None:
    """Tell the context rules where the findings are: the tokens inside them, and the negations
    that are a phrase's own ("can't" in "can't breathe")."""
    tokens = structure.tokens
    for cand in candidates:
        structure.occupied.update(range(cand.start, cand.end))
        if cand.sign.level == INFO:
            structure.asking.update(range(cand.start, cand.end))
        for i in range(cand.start, cand.end):
            if tokens[i].key in NEGATION_KEYS and own_negation(tokens, i, cand.own_negations):
                structure.owned_negations.add(i)


def _negation_outside_the_phrase(
    raw: list[Candidate], tokens: list[NormToken], structure: TextStructure
) -> list[Candidate]:
    """A match that opens with one of its phrase's own negation words ("NOT ... swallow") gives
    way to a match of the same sign that starts inside it at a word a negation reaches across
    (`negation_fillers`: "trouble", "problem", "difficulty"), with only such words in between:
    in "I do NOT have TROUBLE swallowing" the phrase is "trouble swallowing" and the "not" before
    it negates it (rule 2). "I can't BARELY swallow" keeps its own "can't" ("barely" is no
    filler)."""
    fillers = structure.fillers
    drop = set()
    for n, outer in enumerate(raw):
        first = tokens[outer.start]
        if first.key not in NEGATION_KEYS or not own_negation(
            tokens, outer.start, outer.own_negations
        ):
            continue
        for inner in raw:
            if (
                inner is not outer
                and inner.sign.id == outer.sign.id
                and outer.start < inner.start
                and inner.end <= outer.end
                and tokens[inner.start].key in fillers
                and all(tokens[k].key in fillers for k in range(outer.start + 1, inner.start))
            ):
                drop.add(n)
                break
    return [cand for n, cand in enumerate(raw) if n not in drop]


def _excluded(sign: Sign, start: int, end: int, spans) -> bool:
    """An exclusion phrase drops a finding it overlaps; for emergency signs only one that
    covers the whole finding does (a missed emergency is the worst failure)."""
    if sign.level == EMERGENCY:
        return any(s <= start and end <= e for s, e in spans)
    return any(s < end and start < e for s, e in spans)


def _token_span(
    ends: list[int], starts: list[int], char_start: int, char_end: int
) -> tuple[int, int] | None:
    """Tokens overlapping the characters [char_start, char_end)."""
    first = bisect_right(ends, char_start)
    if first >= len(ends):
        return None
    last = bisect_left(starts, char_end)
    return (first, max(last, first + 1))


def _resolve_overlaps(raw: list[Candidate]) -> list[Candidate]:
    """One finding per sign per stretch of text, and a phrase inside a more specific one gives
    way."""
    # one finding per sign per stretch of text: overlapping matches of a sign are merged
    by_sign: dict[str, list[Candidate]] = {}
    for cand in sorted(raw, key=lambda c: (c.start, c.end, c.char_start)):
        chosen = by_sign.setdefault(cand.sign.id, [])
        if chosen and cand.start < chosen[-1].end:
            last = chosen[-1]
            if cand.end > last.end:
                last.end, last.char_end = cand.end, cand.char_end
            last.own_negations = last.own_negations | cand.own_negations
            continue
        chosen.append(Candidate(cand.sign, cand.start, cand.end, cand.char_start,
                                cand.char_end, cand.own_negations))
    merged = [c for chosen in by_sign.values() for c in chosen]

    merged.sort(key=lambda c: (c.start, c.end))
    starts = [c.start for c in merged]
    longest = max((c.end - c.start for c in merged), default=0)
    kept = []
    for a in merged:  # only phrases starting shortly before `a` can contain it
        lo = bisect_left(starts, a.start - longest)
        hi = bisect_right(starts, a.start)
        if not any(_gives_way(a, merged[k]) for k in range(lo, hi)):
            kept.append(a)
    return kept


def _gives_way(a: Candidate, b: Candidate) -> bool:
    """A phrase inside a more specific one gives way: "chest pain" (emergency) over "pain", "a
    spot of blood" (expected) over "blood"; an emergency phrase never gives way to a lower
    level."""
    if a is b or a.sign.id == b.sign.id:
        return False
    if not (b.start <= a.start and a.end <= b.end):
        return False
    if b.rank > a.rank:
        return True
    if b.rank == a.rank:
        return (b.end - b.start) > (a.end - a.start)
    return (b.end - b.start) > (a.end - a.start) and a.sign.level != EMERGENCY
