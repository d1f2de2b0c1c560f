"""Who has the sign and how sure the patient is, and whether they say they are fine.

other_person  someone else has it ("my husband", "she"): the same guidance, escalates.
uncertain     "not sure if", "maybe", "I think": counts as present, escalates.
wellbeing     an "I'm fine" statement, neither negated nor contrasted (Assessment.wellbeing).
"""

from __future__ import annotations

from ..match import Hit
from .structure import TextStructure
from .words import NEGATION_KEYS


def is_other_person(structure: TextStructure, start: int) -> bool:
    """The closest person named before the sign in its sentence is someone else ("my husband
    can't breathe", "she is confused"); "my husband says I look pale" stays the patient."""
    last_first, last_other = structure.person_before(start)
    if last_other < 0:
        return False
    return last_other > last_first


def is_uncertain(structure: TextStructure, start: int, end: int) -> bool:
    clause = structure.clause_range(start, end)
    s_start, _ = structure.sentence_range(start)
    region = (min(clause[0], s_start), clause[1])
    return any(not structure.approximates(h) for h in structure.hits_in("uncertainty", *region))


def states_wellbeing(structure: TextStructure) -> bool:
    """An "I'm fine" statement, or one that things are improving ("loosening up day by day"),
    that is not negated ("not fine", "not better each day") nor contrasted ("..., but")."""
    if structure.hits("termination"):
        return False
    tokens = structure.tokens

    def negated(hit: Hit) -> bool:
        # "not fine", "don't feel good"; the phrase's own opening "no" ("no side effects") is fine
        own = hit.start if tokens[hit.start].key in NEGATION_KEYS else -1
        window = range(max(0, hit.start - 2), hit.end)
        return any(tokens[i].key in NEGATION_KEYS for i in window if i != own)

    return any(not negated(hit)
               for hit in [*structure.hits("wellbeing"), *structure.hits("improving")])
