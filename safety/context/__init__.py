"""Step 3 of the detector: read the context of each candidate finding.

The message's shape (sentences, clauses, cue positions) is read once (structure.py); then, for
each candidate (a token span), `analyse` applies the rules in this order, the first that holds
deciding:

  negated          negation.py     an explicit negation clearly covers this very term ("no
                                   fever", "fever: no", "denies fever, chills OR rash")
  figurative       figurative.py   used about something other than the body or inside a fixed
                                   expression ("bleeding me dry", "the WEATHER is so hot")
  hypothetical     questions.py    a conditional (conditionals.py) or a general question about
                                   the sign that does not also report it now (reports.py), or
                                   a question about what to expect (expectations.py)
  history_before   history.py      clearly before the procedure ("last year", "as a toddler")
  other_person     speaker.py      someone else has it ("my husband"): escalates
  history_recent   history.py      earlier since the procedure ("yesterday", "gone now"):
                                   escalates
  uncertain        speaker.py      "not sure if", "maybe", "I think": counts as present
  present          everything else

Only negated, figurative, hypothetical and history_before stop an escalation. words.py holds the
word sets that several rule families share.
"""

from __future__ import annotations

from dataclasses import dataclass

from .conditionals import in_conditional
from .figurative import is_figurative, speaks_of_the_body_only_in_figures
from .history import has_stopped, is_history_before, is_history_recent
from .negation import is_negated, own_negation
from .questions import (
    asked_in_general,
    dated_as_own,
    is_hypothetical,
    reported_later,
    trailing_risk,
)
from .speaker import is_other_person, is_uncertain, states_wellbeing
from .structure import ContextWords, TextStructure
from .words import NEGATION_KEYS

NEGATED = "negated"
FIGURATIVE = "figurative"
HYPOTHETICAL = "hypothetical"
HISTORY_BEFORE = "history_before"
OTHER_PERSON = "other_person"
HISTORY_RECENT = "history_recent"
UNCERTAIN = "uncertain"
PRESENT = "present"

NON_ESCALATING_RULES = (NEGATED, FIGURATIVE, HYPOTHETICAL, HISTORY_BEFORE)

__all__ = [
    "FIGURATIVE", "HISTORY_BEFORE", "HISTORY_RECENT", "HYPOTHETICAL", "NEGATED",
    "NEGATION_KEYS", "NON_ESCALATING_RULES", "OTHER_PERSON", "PRESENT", "UNCERTAIN",
    "ContextResult", "ContextWords", "TextStructure", "analyse", "has_stopped",
    "in_conditional", "is_hypothetical", "is_negated", "own_negation",
    "speaks_of_the_body_only_in_figures", "states_wellbeing",
]


@dataclass(frozen=True)
class ContextResult:
    rule: str
    negated: bool = False
    figurative: bool = False
    hypothetical: bool = False
    history_before: bool = False
    other_person: bool = False
    history_recent: bool = False
    uncertain: bool = False

    @property
    def escalation_allowed(self) -> bool:
        return self.rule not in NON_ESCALATING_RULES


def analyse(
    structure: TextStructure, start: int, end: int, own: frozenset[tuple[str, ...]] = frozenset(),
    emergency: bool = False, said_of_things: bool = False,
) -> ContextResult:
    """Decide the context rule for the token span [start, end)."""
    taken_back = False
    if is_negated(structure, start, end, own):
        taken_back = structure.taken_back_after(start, end)
        if not taken_back:
            # (not "I wasn't short of breath before the shot BUT NOW I AM": taken back)
            return ContextResult(NEGATED, negated=True)
    if is_figurative(structure, start, end, emergency, said_of_things):
        return ContextResult(FIGURATIVE, figurative=True)
    if (
        is_hypothetical(structure, start, end) or trailing_risk(structure, start, end)
        or asked_in_general(structure, start, end, emergency)
    ) and not reported_later(structure, start, end) and not dated_as_own(structure, start, end):
        return ContextResult(HYPOTHETICAL, hypothetical=True)
    if not taken_back and is_history_before(structure, start, end, emergency) and not (
            structure.taken_back_after(start, end)):
        # (a denial taken back is about now: "no chest pain before the injection, NOW THERE IS";
        # so is a sign told before: "... told about chest pain before the procedure. I HAVE IT
        # NOW")
        return ContextResult(HISTORY_BEFORE, history_before=True)
    other = is_other_person(structure, start)
    recent = is_history_recent(structure, start, end)
    uncertain = is_uncertain(structure, start, end)
    if other:
        rule = OTHER_PERSON
    elif recent:
        rule = HISTORY_RECENT
    elif uncertain:
        rule = UNCERTAIN
    else:
        rule = PRESENT
    return ContextResult(
        rule, other_person=other, history_recent=recent, uncertain=uncertain
    )

