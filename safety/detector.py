"""The public API of the safety layer: WarningSignDetector.assess(message) -> Assessment.

    detector = WarningSignDetector()          # or WarningSignDetector(nlp=rasa_spacy_language)
    a = detector.assess("no fever but it hurts to breathe")
    a.level, a.escalates, a.signs, a.summary(), a.to_dict()

Steps: normalise tokens (matching.py) -> find sign phrases, exclusions and context cues in one
spaCy Matcher pass -> read temperatures (temperature.py) -> keep the most specific finding where
phrases overlap -> judge a small or stopped bleed as its `mild_form` -> decide context per
finding (context.py) -> upgrade expected effects that are worsening, lasting or come with
another sign (expected.py) -> Assessment.
"""

from __future__ import annotations

import gzip
import json
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from . import context as ctx
from .assessment import ESCALATING, LEVEL_RANK, Assessment, Finding
from .expected import IMPROVING, is_improving, upgrade_rule
from .matching import (
    Normaliser,
    SpellingCorrector,
    VocabularyMatcher,
    cue_surface_words,
    inflections,
    load_common_words,
    vocabulary_surface_words,
)
from .temperature import TemperatureReader, TemperatureReading
from .vocabulary import NEAR_WINDOW, Sign, Vocabulary, default_vocabulary

FEVER_SIGN = "fever"
WORSENING_SIGN = "worsening_symptoms"
GENERAL_QUESTION = "general_question"
BELOW_THRESHOLD = "below_threshold"
EXPECTED = "expected"
COMBINATION = "combination"
REPORTED_LEVELS = ("emergency", "doctor", "expected")
REGEX_OWN_NEGATIONS = frozenset((key,) for key in ctx.NEGATION_KEYS)


@dataclass
class _Candidate:
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


@dataclass
class _Decision:
    cand: _Candidate
    result: ctx.ContextResult
    level: str | None
    rule: str
    label: str


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


class WarningSignDetector:
    """Deterministic warning-sign detector over patient messages (str or spaCy Doc)."""

    def __init__(self, nlp: Language | None = None, vocabulary: Vocabulary | None = None) -> None:
        if nlp is None:
            from nlp.spacy_pipeline import load_pipeline

            nlp = load_pipeline()
        self.nlp = nlp
        self.vocabulary = vocabulary or default_vocabulary()
        lemmas = load_lemma_lookup(nlp)
        self.normaliser = Normaliser(lemmas)
        targets = vocabulary_surface_words(self.vocabulary, lemmas)
        keys = {lemmas.get(t, t) for t in targets}
        targets |= {w for w in inflections(lemmas, keys) if len(w) >= 4}
        # the words of general-question cues are spelling targets too ("whats the CHANSE of")
        targets |= {w for w in self.vocabulary.cue_words.get("question_words", ()) if len(w) >= 4}
        # ordinary pattern words must not attract slips of warning words ("tingl" -> "tingle")
        not_targets = self.vocabulary.not_targets
        blocked = {lemmas.get(w, w) for w in not_targets}
        targets = {t for t in targets if t not in not_targets and lemmas.get(t, t) not in blocked}
        protected = load_common_words() | set(lemmas) | set(lemmas.values())
        # words of the context cues are real words the rules rely on: never "corrected" into a
        # warning word ("BINGED a series" must not become "banged")
        protected |= cue_surface_words(self.vocabulary)
        self.speller = SpellingCorrector(
            targets, protected, self.vocabulary.typos, self.vocabulary.never_correct
        )
        self.normaliser.speller = self.speller
        self.matcher = VocabularyMatcher(nlp, self.vocabulary, self.normaliser)
        words = self.vocabulary.cue_words
        key = self.normaliser.key
        self._fillers = frozenset(key(w) for w in words.get("negation_fillers", ()))
        self._advice = frozenset(words.get("advice_context", ())) | frozenset(
            key(w) for w in words.get("advice_context", ())
        )
        self._first_person = frozenset(words.get("first_person", ()))
        self._context_words = {
            name: frozenset(words.get(name, ())) | frozenset(key(w) for w in words.get(name, ()))
            for name in ("non_body_things", "figurative_links", "ambient_words", "own_site_words",
                         "body_words", "personal_devices", "complication_names")
        }
        self.temperature = TemperatureReader(
            words.get("temperature_words", ()),
            words.get("not_temperature_units", ()),
            tuple(words.get("not_temperature_before", ())) + ("m",),
        )
        self._signs = {sign.id: sign for sign in self.vocabulary.signs}

    # ------------------------------------------------------------------ public
    @property
    def sign_count(self) -> int:
        return len(self.vocabulary.signs)

    @property
    def pattern_count(self) -> int:
        return self.vocabulary.pattern_count

    def assess(self, message: str | Doc | None) -> Assessment:
        if isinstance(message, Doc):
            text = message.text
            tokens = self.normaliser.tokens(message)
        else:
            text = "" if message is None else str(message)
            tokens = self.normaliser.tokens_from_text(text, self.nlp.tokenizer)
        if not tokens:
            return Assessment(text, [])
        result = self.matcher.match(tokens)
        structure = ctx.TextStructure(
            tokens, result.cues, self._fillers, self._advice, self._first_person,
            self._context_words,
        )
        candidates = self._candidates(text, tokens, result, structure)
        for cand in candidates:
            structure.occupied.update(range(cand.start, cand.end))
            for i in range(cand.start, cand.end):  # "can't" in "can't breathe" is the phrase's own
                if tokens[i].key in ctx.NEGATION_KEYS and ctx.own_negation(
                    tokens, i, cand.own_negations
                ):
                    structure.owned_negations.add(i)
        findings = self._decide(text, structure, candidates)
        return Assessment(text, findings, wellbeing=_states_wellbeing(structure))

    # ------------------------------------------------------------------ candidates
    def _near_ok(
        self, structure: ctx.TextStructure, sign: Sign, index: int, start: int, end: int
    ) -> bool:
        pattern = sign.patterns[index]
        if not pattern.near:
            return True
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

    @staticmethod
    def _excluded(sign: Sign, start: int, end: int, spans) -> bool:
        """An exclusion phrase drops a finding it overlaps; for emergency signs only one that
        covers the whole finding does (a missed emergency is the worst failure)."""
        if sign.level == "emergency":
            return any(s <= start and end <= e for s, e in spans)
        return any(s < end and start < e for s, e in spans)

    @staticmethod
    def _token_span(
        ends: list[int], starts: list[int], char_start: int, char_end: int
    ) -> tuple[int, int] | None:
        """Tokens overlapping the characters [char_start, char_end)."""
        first = bisect_right(ends, char_start)
        if first >= len(ends):
            return None
        last = bisect_left(starts, char_end)
        return (first, max(last, first + 1))

    def _candidates(self, text, tokens, result, structure) -> list[_Candidate]:
        excludes: dict[str, list[tuple[int, int]]] = {}
        for hit in result.excludes:
            excludes.setdefault(hit.name, []).append((hit.start, hit.end))
        raw: list[_Candidate] = []
        for hit in result.signs:
            sign = self._signs[hit.name]
            if self._excluded(sign, hit.start, hit.end, excludes.get(sign.id, ())):
                continue  # a look-alike: "hot shower", "blood thinners", "fit in my schedule"
            if not self._near_ok(structure, sign, hit.index, hit.start, hit.end):
                continue
            raw.append(
                _Candidate(sign, hit.start, hit.end, tokens[hit.start].start,
                           tokens[hit.end - 1].end, hit.own_negations)
            )
        ends = [t.end for t in tokens]
        starts = [t.start for t in tokens]
        for sign_id, _, expression in self.matcher.regexes:
            for found in expression.finditer(text):
                span = self._token_span(ends, starts, found.start(), found.end())
                if span is None:
                    continue
                raw.append(  # a negation inside a regex match is its own ("can't. breathe")
                    _Candidate(self._signs[sign_id], span[0], span[1], found.start(),
                               found.end(), REGEX_OWN_NEGATIONS)
                )
        kept = self._mild_forms(self._resolve_overlaps(raw), structure)
        readings = self.temperature.read(text)
        if readings:
            fever = self._signs[FEVER_SIGN]
            reading_sentences = set()
            for reading in readings:
                span = self._token_span(ends, starts, reading.start, reading.end)
                if span is None:
                    continue
                reading_sentences.add(structure.sentence_of[span[0]])
                kept.append(
                    _Candidate(fever, span[0], span[1], reading.start, reading.end, reading=reading)
                )
            # the reading decides: "a 99.5 fever" is below the threshold
            kept = [
                c for c in kept
                if c.reading is not None
                or c.sign.id != FEVER_SIGN
                or structure.sentence_of[c.start] not in reading_sentences
            ]
        kept.sort(key=lambda c: (c.char_start, c.char_end))
        return kept

    def _mild_forms(
        self, kept: list[_Candidate], structure: ctx.TextStructure
    ) -> list[_Candidate]:
        """vocabulary.yml `mild_form`: "a DOT of blood on my shirt" (the small amount overlaps
        the sign) or "a bead of blood came up, it STOPPED with a tissue" is judged as the
        expected sign (a spot of blood), whose own rules still escalate it when it lasts,
        starts again or comes with another sign."""
        out: list[_Candidate] = []
        for cand in kept:
            mild = cand.sign.mild_form
            if mild is None:
                out.append(cand)
                continue
            if any(
                other.sign.id == mild and other.start < cand.end and cand.start < other.end
                for other in kept
            ):
                continue  # the small amount is the finding: "a dot of blood on my shirt"
            if ctx.has_stopped(structure, cand.start):
                cand = _Candidate(self._signs[mild], cand.start, cand.end, cand.char_start,
                                  cand.char_end, cand.own_negations)
            out.append(cand)
        return out

    @staticmethod
    def _resolve_overlaps(raw: list[_Candidate]) -> list[_Candidate]:
        # one finding per sign per stretch of text: overlapping matches of a sign are merged
        by_sign: dict[str, list[_Candidate]] = {}
        for cand in sorted(raw, key=lambda c: (c.start, c.end, c.char_start)):
            chosen = by_sign.setdefault(cand.sign.id, [])
            if chosen and cand.start < chosen[-1].end:
                last = chosen[-1]
                if cand.end > last.end:
                    last.end, last.char_end = cand.end, cand.char_end
                last.own_negations = last.own_negations | cand.own_negations
                continue
            chosen.append(_Candidate(cand.sign, cand.start, cand.end, cand.char_start,
                                     cand.char_end, cand.own_negations))
        merged = [c for chosen in by_sign.values() for c in chosen]

        # a phrase inside a more specific one gives way: "chest pain" (emergency) over "pain",
        # "a spot of blood" (expected) over "blood"; an emergency phrase never gives way to a
        # lower level.
        def gives_way(a: _Candidate, b: _Candidate) -> bool:
            if a is b or a.sign.id == b.sign.id:
                return False
            if not (b.start <= a.start and a.end <= b.end):
                return False
            if b.rank > a.rank:
                return True
            if b.rank == a.rank:
                return (b.end - b.start) > (a.end - a.start)
            return (b.end - b.start) > (a.end - a.start) and a.sign.level != "emergency"

        merged.sort(key=lambda c: (c.start, c.end))
        starts = [c.start for c in merged]
        longest = max((c.end - c.start for c in merged), default=0)
        kept = []
        for a in merged:  # only phrases starting shortly before `a` can contain it
            lo = bisect_left(starts, a.start - longest)
            hi = bisect_right(starts, a.start)
            if not any(gives_way(a, merged[k]) for k in range(lo, hi)):
                kept.append(a)
        return kept

    # ------------------------------------------------------------------ decisions
    def _decide(
        self, text: str, structure: ctx.TextStructure, candidates: list[_Candidate]
    ) -> list[Finding]:
        decisions: list[_Decision] = []
        for cand in candidates:
            result = ctx.analyse(structure, cand.start, cand.end, cand.own_negations,
                                 emergency=cand.sign.level == "emergency",
                                 said_of_things=cand.sign.said_of_things)
            if result.hypothetical and _measured_fever(structure, cand):
                # "is it normal to have a fever of 100.6 after TPI?": a measured temperature
                # in a general question is a report (not "what if it goes over 101?")
                result = ctx.ContextResult(ctx.PRESENT)
            decisions.append(_Decision(cand, result, *self._first_level(cand, result)))
        # "or come with any other sign": an escalating sign anywhere in the message
        other_sign = any(
            d.level in ESCALATING for d in decisions if d.cand.sign.level != EXPECTED
        )
        for d in decisions:
            if d.cand.sign.level != EXPECTED or d.level is None:
                continue
            cand = d.cand
            upgrade = upgrade_rule(cand.sign, structure, cand.start, cand.end, text, other_sign)
            if upgrade is None:
                if d.rule == EXPECTED and is_improving(structure, cand.start):
                    d.rule = IMPROVING  # "achy on day 2 but better each day": still expected
                continue
            d.label = d.cand.sign.escalated_label or d.cand.sign.label
            if d.result.hypothetical:
                d.level, d.rule = "info", ctx.HYPOTHETICAL
            else:
                d.level, d.rule = "doctor", upgrade
        decisions += self._combinations(decisions)
        decisions = self._absorb_worsening(structure, decisions)
        return [
            Finding(
                sign=d.cand.sign.id,
                label=d.label,
                level=d.level,
                text=text[d.cand.char_start:d.cand.char_end],
                start=d.cand.char_start,
                end=d.cand.char_end,
                rule=d.rule,
                sign_level=d.cand.sign.level,
            )
            for d in decisions
        ]

    def _combinations(self, decisions: list[_Decision]) -> list[_Decision]:
        """vocabulary.yml `combinations`: a reported sign together with one of its companions
        ("the bleeding won't stop and I feel faint") also gives the combined sign."""
        added: list[_Decision] = []
        for combination in self.vocabulary.combinations:
            companions = [
                d for d in decisions
                if d.cand.sign.id in combination.with_signs and d.level in REPORTED_LEVELS
            ]
            if not companions:
                continue
            then = self._signs[combination.then]
            for d in decisions:
                if d.cand.sign.id != combination.sign or d.level not in REPORTED_LEVELS:
                    continue
                cand = _Candidate(then, d.cand.start, d.cand.end, d.cand.char_start,
                                  d.cand.char_end, d.cand.own_negations)
                added.append(_Decision(cand, d.result, then.level, COMBINATION, then.label))
        return added

    @staticmethod
    def _first_level(cand: _Candidate, result: ctx.ContextResult) -> tuple[str | None, str, str]:
        """(level, rule, label) from the context alone."""
        sign = cand.sign
        label = cand.reading.label if cand.reading is not None else sign.label
        if sign.level == "info":
            return "info", GENERAL_QUESTION, label
        if result.negated or result.history_before or result.figurative:
            return None, result.rule, label
        if cand.reading is not None and not cand.reading.is_fever:
            return EXPECTED, BELOW_THRESHOLD, label
        if sign.level == EXPECTED:
            return EXPECTED, EXPECTED, label
        if result.hypothetical:
            return "info", result.rule, label
        return sign.level, result.rule, label

    @staticmethod
    def _absorb_worsening(
        structure: ctx.TextStructure, decisions: list[_Decision]
    ) -> list[_Decision]:
        """"getting worse" said about another escalating finding in the same sentence is part of
        that finding; on its own it stays a doctor-level sign."""
        escalating_sentences = {
            structure.sentence_of[d.cand.start]
            for d in decisions
            if d.level in ESCALATING and d.cand.sign.id != WORSENING_SIGN
        }
        return [
            d for d in decisions
            if not (
                d.cand.sign.id == WORSENING_SIGN
                and d.level is not None
                and structure.sentence_of[d.cand.start] in escalating_sentences
            )
        ]


def _measured_fever(structure: ctx.TextStructure, cand: _Candidate) -> bool:
    """A feverish reading the patient gives inside a general question, not the clinic's
    threshold itself, not "over 101" and not inside an "if"."""
    reading = cand.reading
    if reading is None or not reading.is_fever or reading.at_least:
        return False
    if abs(reading.fahrenheit - 100.4) < 0.05:
        return False  # "is 100.4 a fever?" asks about the threshold
    return ctx.in_conditional(structure, cand.start, cand.end) is None


def _states_wellbeing(structure: ctx.TextStructure) -> bool:
    """An "I'm fine" statement that is not negated ("not fine") nor contrasted ("..., but")."""
    if structure.hits("termination"):
        return False
    tokens = structure.tokens

    def negated(hit: ctx.Hit) -> bool:
        # "not fine", "don't feel good"; the phrase's own opening "no" ("no side effects") is fine
        own = hit.start if tokens[hit.start].key in ctx.NEGATION_KEYS else -1
        window = range(max(0, hit.start - 2), hit.end)
        return any(tokens[i].key in ctx.NEGATION_KEYS for i in window if i != own)

    return any(not negated(hit) for hit in structure.hits("wellbeing"))
