"""Step 4 of the detector: the level of each finding, from its sign and its context.

1. From the context alone (`first_level`): a negated, figurative or before-the-procedure sign
   gives no level; a temperature below the threshold and an expected effect give `expected`; a
   question about a sign gives `info`; anything else keeps the sign's level. A measured fever
   inside a general question is a report ("is it normal to have a fever of 100.6 after TPI?").
2. An expected effect becomes `doctor` when it gets worse, lasts too long or comes with another
   sign (expected_effects.py).
3. `combinations` in vocabulary.yml: two reported signs that together mean a third.
4. "getting worse" said about another escalating finding in its sentence is part of it.
5. Severe pain said of a trigger point or a knot, with no injection had, is the condition
   treated (`_knot_pain`).

The result is the list of Findings that makes the Assessment (assessment.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import context
from .assessment import Finding
from .candidates import Candidate
from .context import ContextResult, TextStructure
from .context.conditionals import inverted_conditional
from .context.questions import figures_offered
from .expected_effects import IMPROVING, is_improving, upgrade_rule
from .levels import DOCTOR, EMERGENCY, ESCALATING, EXPECTED, INFO
from .vocabulary import Vocabulary

WORSENING_SIGN = "worsening_symptoms"
GENERAL_QUESTION = "general_question"
BELOW_THRESHOLD = "below_threshold"
COMBINATION = "combination"
# the levels of a sign the message reports (not only asks about): what `combinations` join
REPORTED_LEVELS = (EMERGENCY, DOCTOR, EXPECTED)


@dataclass
class Decision:
    cand: Candidate
    result: ContextResult
    level: str | None
    rule: str
    label: str


class Decider:
    """Levels for one message's candidates, given the context read for each."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._signs = {sign.id: sign for sign in vocabulary.signs}

    def decide(
        self, text: str, structure: TextStructure, candidates: list[Candidate],
        results: list[ContextResult],
    ) -> list[Finding]:
        decisions: list[Decision] = []
        for cand, result in zip(candidates, results, strict=True):
            if result.hypothetical and _measured_fever(structure, cand):
                # "is it normal to have a fever of 100.6 after TPI?": a measured temperature
                # in a general question is a report (not "what if it goes over 101?")
                result = ContextResult(context.PRESENT)
            decisions.append(Decision(cand, result, *first_level(cand, result)))
        _upgrade_expected(text, structure, decisions)
        _past_comparisons(structure, decisions)
        _knot_pain(structure, decisions)
        decisions += self._combinations(decisions)
        decisions = _absorb_worsening(structure, decisions)
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

    def _combinations(self, decisions: list[Decision]) -> list[Decision]:
        """vocabulary.yml `combinations`: a reported sign together with one of its companions
        ("the bleeding won't stop and I feel faint") also gives the combined sign."""
        added: list[Decision] = []
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
                cand = Candidate(then, d.cand.start, d.cand.end, d.cand.char_start,
                                 d.cand.char_end, d.cand.own_negations)
                added.append(Decision(cand, d.result, then.level, COMBINATION, then.label))
        return added


def first_level(cand: Candidate, result: ContextResult) -> tuple[str | None, str, str]:
    """(level, rule, label) from the context alone."""
    sign = cand.sign
    label = cand.reading.label if cand.reading is not None else sign.label
    if sign.level == INFO:
        return INFO, GENERAL_QUESTION, label
    if result.negated or result.history_before or result.figurative:
        return None, result.rule, label
    if cand.reading is not None and not cand.reading.is_fever:
        return EXPECTED, BELOW_THRESHOLD, label
    if sign.level == EXPECTED:
        return EXPECTED, EXPECTED, label
    if result.hypothetical:
        return INFO, result.rule, label
    return sign.level, result.rule, label


def _upgrade_expected(text: str, structure: TextStructure, decisions: list[Decision]) -> None:
    """Expected effects that get worse, last too long or come with another sign become
    `doctor` (`info` when only asked about); improving ones keep `expected` with the rule
    `improving`."""
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
            d.level, d.rule = INFO, context.HYPOTHETICAL
        else:
            d.level, d.rule = DOCTOR, upgrade


# Signs that are a comparison ("more sore", "worse"): said of an earlier day inside an
# improving statement ("YESTERDAY MORE SORE, today is better") they report that it is easing.
COMPARISON_SIGNS = frozenset({"increased_pain", WORSENING_SIGN})


# Around the comparison, the sentence must say it is better now, and nothing that it is worse.
BETTER_NOW = frozenset({"better", "less", "easier", "improving", "improve", "improved", "easing",
                        "ease", "eased", "milder", "fine", "good", "settled", "settling", "mejor",
                        "menos", "bien", "mejorando", "mejoró", "leve", "tranquilo"})
WORSE_AGAIN = frozenset({"worse", "bigger", "more", "get", "getting", "got", "again",
                         "still", "than", "since", "peor", "más", "mas", "sigue", "desde"})


TREATED_CONDITION = "treated_condition"


def _knot_pain(structure: TextStructure, decisions: list[Decision]) -> None:
    """Severe pain said of a trigger point or a muscle knot (`knot_words` in its clause) in a
    question ("why are trigger points so painful?", "my knots are very painful, will TPI
    help?") is the condition the injections treat, not a warning sign: no level (the rule
    `treated_condition`). Only while the message tells of no injection had (`injection_behind`:
    "the knot THEY INJECTED is extremely tender"), of nothing getting worse, and of no time
    ("since my visit", "today", "now": a review found "my trigger point is super painful today"
    silenced by a first version)."""
    # only asked about ("my trigger point is super painful" may be a report)
    asked = [d for d in decisions if d.level == DOCTOR and d.cand.sign.id == "increased_pain"
             and structure.is_question(d.cand.start)]
    if not asked or any(structure.hits(category) for category in (
            "injection_behind", "condition_worse", "worsening", "current_time", "back_again",
            "history_recent")):
        return  # ("... since my visit", "... today", "... is now 10 out of 10")
    knots = structure.words.get("knot_words", frozenset())
    tokens = structure.tokens
    for d in asked:
        low, high = structure.clause_range(d.cand.start, d.cand.end)
        if any(tokens[k].key in knots or tokens[k].lower in knots
               or (tokens[k].key == "trigger" and k + 1 < high
                   and tokens[k + 1].key == "point")
               for k in range(low, high)):
            d.level, d.rule = None, TREATED_CONDITION


def _past_comparisons(structure: TextStructure, decisions: list[Decision]) -> None:
    """A comparison sign lying inside a live `improving` cue ("YESTERDAY MORE SORE, today is
    better") escalates nothing (the rule `improving`, no level), but only when the rest of the
    sentence says it is better now and nothing says it is worse, dated from then or again
    ("since yesterday more swollen", "yesterday more sore, today much more" escalate)."""
    tokens = structure.tokens
    for d in decisions:
        if d.level != DOCTOR or d.cand.sign.id not in COMPARISON_SIGNS:
            continue
        s_start, s_end = structure.sentence_range(d.cand.start)
        covered = [hit for hit in structure.hits_in(IMPROVING, s_start, s_end)
                   if hit.start <= d.cand.start and d.cand.end <= hit.end
                   and not context.is_negated(structure, hit.start, hit.end, hit.own_negations)]
        if not covered:
            continue
        before = {t.key for t in tokens[s_start:covered[0].start]} | {
            t.lower for t in tokens[s_start:covered[0].start]}
        after = {t.key for t in tokens[d.cand.end:s_end]} | {
            t.lower for t in tokens[d.cand.end:s_end]}
        if (after | before) & BETTER_NOW and not (after | before) & WORSE_AGAIN:
            d.level, d.rule = None, IMPROVING


def _absorb_worsening(structure: TextStructure, decisions: list[Decision]) -> list[Decision]:
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


def _measured_fever(structure: TextStructure, cand: Candidate) -> bool:
    """A feverish reading the patient gives inside a general question, not the clinic's
    threshold itself, not "over 101" and not inside an "if" or a case imagined ("SAY my temp
    hits 38.1 on the second night, ...?", "IMAGINE I got a fever of 101 a week later, ...")."""
    reading = cand.reading
    if reading is None or not reading.is_fever or reading.at_least:
        return False
    if abs(reading.fahrenheit - 100.4) < 0.05:
        return False  # "is 100.4 a fever?" asks about the threshold
    if figures_offered(structure, cand.start):
        return False  # "what counts as a fever? 38 or 38.5?": options, not a reading
    return context.in_conditional(structure, cand.start, cand.end) is None and not (
        inverted_conditional(structure, cand.start, cand.end))
