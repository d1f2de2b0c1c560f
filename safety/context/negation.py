"""Negated: an explicit negation clearly covers this very term.

A negation word ("no", "not", "never", "without", "denies", "negative for"...) before it in the
same clause with only filler words in between ("I don't REALLY HAVE ANY swelling", "not a HINT
OF redness"), a list of signs closed by "or" after one ("denies fever, chills OR rash"), "neither
... nor", "free" after it ("fever-free"), or a checklist answer after it ("fever: no", "rash?
definitely not"). Pseudo-negations ("not sure", "can't stop", "no better", "not only") and
resolved history ("no more", "no longer") are not negations. Clauses end at punctuation and at
but/however/though/except.
"""

from __future__ import annotations

from ..match import Hit
from ..normalise import NormToken
from .structure import TextStructure
from .words import NEGATION_KEYS, SUBJECT_KEYS

CHECKLIST_ANSWERS = frozenset({"no", "none", "nope", "nah", "negative", "n/a", "nil", "never"})
CHECKLIST_INTENSIFIERS = frozenset({"definitely", "absolutely", "totally", "completely",
                                    "certainly", "really", "still", "thankfully", "luckily"})
CHECKLIST_SEPARATORS = frozenset({":", "-", "?", "=", "–", "—", "…", "..", "...", "->", "=>"})
LIST_JOINERS = frozenset({"or", "nor", "and/or", "/"})
MAX_NEGATION_REACH = 8
# Words that show a "no" answer goes on to describe something ("no, it's more like pressure").
CONTINUATIONS = frozenset({"but", "more", "just", "its", "be", "actually", "only", "rather",
                           "though", "kind", "sort", "like", "wait", "worse", "because"})
NOR_VERBS = frozenset({"have", "get", "feel", "show", "notice", "develop", "experience"})


def _is_pseudo(structure: TextStructure, trigger: Hit) -> bool:
    return any(structure.covered_by_pseudo(i) for i in range(trigger.start, trigger.end))


def _trigger_ending_at(structure: TextStructure, index: int) -> Hit | None:
    return structure.negation_ending_at(index)


def own_negation(tokens: list[NormToken], i: int, own: frozenset[tuple[str, ...]]) -> bool:
    key = tokens[i].key
    if (key,) in own:
        return True
    if i > 0 and (tokens[i - 1].key, key) in own:
        return True
    return i + 1 < len(tokens) and (key, tokens[i + 1].key) in own


def is_negated(
    structure: TextStructure, start: int, end: int, own: frozenset[tuple[str, ...]] = frozenset()
) -> bool:
    """Does a negation cover the term [start, end)? `own` are the phrase's own negation words
    ("can't" in "can't breathe"), which never negate it."""
    if _negation_inside(structure, start, end, own):
        return True
    before = _negation_before(structure, start, end)
    if before is not None:
        return before
    return (
        _neither_nor(structure, start, end)
        or _free_after(structure.tokens, end)
        or _checklist_answer(structure, end)
    )


def _negation_inside(
    structure: TextStructure, start: int, end: int, own: frozenset[tuple[str, ...]]
) -> bool:
    """1. A negation inside a gap of the match, not one of the phrase's own words: "chest
    doesn't hurt" (pattern "chest ... hurt") but not "can't breathe"."""
    tokens = structure.tokens
    for i in range(start, end):
        if tokens[i].key in NEGATION_KEYS and not own_negation(tokens, i, own):
            trigger = _trigger_ending_at(structure, i) or Hit("cue", "negation", 0, i, i + 1)
            if not _is_pseudo(structure, trigger):
                return True
    return False


def _negation_before(structure: TextStructure, start: int, end: int) -> bool | None:
    """2. A negation before the term in the same clause, with only fillers in between. True or
    False when a negation cue is reached (False: a pseudo-negation, "not sure"); None when none
    is, and the later checks decide."""
    tokens = structure.tokens
    s_start, _ = structure.sentence_range(start)
    i, steps, list_allowance = start - 1, 0, 0
    while i >= s_start and steps < MAX_NEGATION_REACH:
        if i in structure.boundaries:
            i = _before_listed_sign(structure, i, s_start, start, end)
            if i is None:
                return None
            steps = 0
            continue
        token = tokens[i]
        if token.key in NEGATION_KEYS and i in structure.owned_negations:
            return None  # the negation belongs to another finding ("can't breathe or swallow")
        trigger = _trigger_ending_at(structure, i)
        if trigger is not None:
            return not _is_pseudo(structure, trigger)
        if token.key in LIST_JOINERS:
            list_allowance = 3
        elif token.key in structure.fillers or i in structure.occupied:
            pass
        elif list_allowance > 0:
            list_allowance -= 1
        else:
            return None
        i -= 1
        steps += 1
    return None


def _before_listed_sign(
    structure: TextStructure, i: int, s_start: int, start: int, end: int
) -> int | None:
    """At a clause boundary `i` on the way back from the term: "denies fever, chills, erythema
    OR discharge" - a list of signs closed by "or" shares the negation before its first item
    (not "no fever, chest pain"). Where to go on from (before the previous item), or None when
    the boundary ends the search."""
    if structure.tokens[i].lower != "," or i - 1 not in structure.occupied:
        return None
    if not _in_or_list(structure, start, end):
        return None
    i -= 1
    while i >= s_start and i in structure.occupied:
        i -= 1
    return i


def _neither_nor(structure: TextStructure, start: int, end: int) -> bool:
    """"neither me nor my husband has any fever": "nor" shortly before the sign, after "neither"
    (only with "have/get/feel" between: "neither the pain nor the swelling is better" is not)."""
    tokens = structure.tokens
    lo, _ = structure.clause_range(start, end)
    for k in range(max(lo, start - 6), start):
        if (
            tokens[k].key == "nor"
            and any(tokens[j].key == "neither" for j in range(lo, k))
            and any(tokens[j].key in NOR_VERBS for j in range(k + 1, start))
        ):
            return True
    return False


def _free_after(tokens: list[NormToken], end: int) -> bool:
    """3. "fever-free", "pain free": the sign word with "free" after it."""
    return end < len(tokens) and tokens[end].lower == "free"


def _checklist_answer(structure: TextStructure, end: int) -> bool:
    """4. A checklist answer after the term: "fever: no", "chills - none", "swelling? definitely
    not"."""
    tokens = structure.tokens
    j, skipped = end, 0
    while j < len(tokens) and skipped < 2 and tokens[j].lower in CHECKLIST_SEPARATORS:
        j += 1
        skipped += 1
    answers = CHECKLIST_ANSWERS
    if skipped and j < len(tokens) and tokens[j].lower in CHECKLIST_INTENSIFIERS:
        j += 1
        answers = CHECKLIST_ANSWERS | {"not"}  # "rash? definitely not."
    return (
        j < len(tokens)
        and tokens[j].lower in answers
        and _answer_closes(tokens, j + 1)
        and not structure.covered_by_pseudo(j, strict=True)
    )


def _in_or_list(structure: TextStructure, start: int, end: int) -> bool:
    """The finding is an item of a list of signs joined by commas and closed by "or"/"nor"."""
    tokens = structure.tokens
    _, s_end = structure.sentence_range(start)
    j = end
    while j < s_end:
        token = tokens[j]
        if token.key in ("or", "nor"):
            return True
        if token.lower == "," or j in structure.occupied or token.key in structure.fillers:
            j += 1
            continue
        break
    # the last item: "... chills OR discharge"
    i = start - 1
    while i >= 0 and tokens[i].key in structure.fillers and tokens[i].key not in ("or", "nor"):
        i -= 1
    return i >= 0 and tokens[i].key in ("or", "nor")


def _answer_closes(tokens: list[NormToken], after: int) -> bool:
    """A checklist answer must stand alone: "fever: no." / "fever: no, chills: no" but not
    "chest pain? no, it's more like pressure"."""
    if after >= len(tokens) or tokens[after].is_break:
        return True
    if not tokens[after].is_punct:
        return False
    following = tokens[after + 1] if after + 1 < len(tokens) else None
    return following is None or (
        following.key not in SUBJECT_KEYS and following.key not in CONTINUATIONS
    )
