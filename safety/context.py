"""Context rules for patient chat language: what a warning word means where it stands.

For each candidate finding (a token span) the rules decide, in this order:

  negated          an explicit negation clearly covers this very term: a negation word
                   ("no", "not", "never", "without"...) before it in the same clause with only
                   filler words in between ("I don't REALLY HAVE ANY swelling"), or a checklist
                   answer after it ("fever: no"). Pseudo-negations ("not sure", "can't stop",
                   "no better", "not only") and resolved history ("no more", "no longer") are
                   not negations. Clauses end at punctuation and at but/however/though/except.
  hypothetical     a conditional ("what if", "in case", "if ... should I ...?") or a general
                   question ("is it normal to", "can TPI cause", "signs of", "when should I")
                   introduces the term and the clause does not ALSO report it now ("is it normal
                   that MY ARM IS red?" reports it). A later "because I have them" turns the
                   questioned signs into reports.
  history_before   clearly before the procedure ("last year", "before any injections", "years
                   ago", "chronic", "I've always had"), unless brought back ("now", "again").
  other_person     someone else has it ("my husband", "she"): same guidance, escalates.
  history_recent   earlier since the procedure ("yesterday", "had", "gone now"): escalates.
  uncertain        "not sure if", "maybe", "I think": counts as present, escalates.
  present          everything else.

Only negated, hypothetical and history_before stop an escalation.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from .matching import Hit, NormToken

NEGATED = "negated"
HYPOTHETICAL = "hypothetical"
HISTORY_BEFORE = "history_before"
OTHER_PERSON = "other_person"
HISTORY_RECENT = "history_recent"
UNCERTAIN = "uncertain"
PRESENT = "present"

NON_ESCALATING_RULES = (NEGATED, HYPOTHETICAL, HISTORY_BEFORE)

NEGATION_KEYS = frozenset(
    {"no", "not", "never", "without", "none", "nor", "neither", "zero", "nope"}
)
CHECKLIST_ANSWERS = frozenset({"no", "none", "nope", "nah", "negative", "n/a", "nil", "never"})
CHECKLIST_SEPARATORS = frozenset({":", "-", "?", "=", "–", "—", "…", "..", "...", "->", "=>"})
LIST_JOINERS = frozenset({"or", "nor", "and/or", "/"})
DETERMINERS = frozenset(
    {"this", "these", "that", "those", "the", "my", "his", "her", "our", "their"}
)
# "plain" conditional cue: index of "if|whether|unless" in hypothetical_conditional
PLAIN_IF_KEYS = frozenset({"if", "whether", "unless"})
# A new subject inside an "if" clause starts the main clause ("if I breathe in IT hurts").
SUBJECT_KEYS = frozenset({"i", "it", "my", "there", "he", "she", "we", "they", "this", "that",
                          "everything", "its"})
MAX_NEGATION_REACH = 8
LOCAL_SPLITTERS = frozenset({"and", "then", "so", "because", "plus", "while", "also"})
LIST_WORDS = frozenset({"and", "or", "a", "an", "any", "some", "maybe", "even"})
# Words that show a "no" answer goes on to describe something ("no, it's more like pressure").
CONTINUATIONS = frozenset({"but", "more", "just", "its", "be", "actually", "only", "rather",
                           "though", "kind", "sort", "like", "wait", "worse", "because"})
# A sentence opening with one of these is a yes/no question ("Is swelling normal?").
QUESTION_OPENERS = frozenset({"be", "can", "do", "will", "would", "should", "could", "may",
                              "might", "shall", "how", "what", "when", "which"})


@dataclass(frozen=True)
class ContextResult:
    rule: str
    negated: bool = False
    hypothetical: bool = False
    history_before: bool = False
    other_person: bool = False
    history_recent: bool = False
    uncertain: bool = False

    @property
    def escalation_allowed(self) -> bool:
        return self.rule not in NON_ESCALATING_RULES


class TextStructure:
    """Sentences, clauses and cue positions of one message, indexed so that every rule runs
    in (near) constant time per finding, also on 10,000-character messages."""

    def __init__(
        self,
        tokens: list[NormToken],
        cues: dict[str, list[Hit]],
        fillers: frozenset[str],
        advice_words: frozenset[str],
        first_person: frozenset[str],
    ) -> None:
        self.tokens = tokens
        self.cues = {k: sorted(v, key=lambda h: (h.start, h.end)) for k, v in cues.items()}
        self.fillers = fillers
        self.advice_words = advice_words
        self.first_person = first_person
        self.occupied: set[int] = set()  # tokens inside candidate findings
        n = len(tokens)
        self._starts = {k: [h.start for h in v] for k, v in self.cues.items()}
        # sentences
        self.sentence_of: list[int] = []
        self.sentences: list[tuple[int, int]] = []
        begin = 0
        for i, token in enumerate(tokens):
            self.sentence_of.append(len(self.sentences))
            if token.is_break:
                self.sentences.append((begin, i + 1))
                begin = i + 1
        if begin < n or not self.sentences:
            self.sentences.append((begin, n))
        # clauses: runs of tokens between punctuation and but/however/though...
        self.boundaries = {i for i, t in enumerate(tokens) if t.is_punct or t.is_break}
        for hit in self.cues.get("termination", []):
            self.boundaries.update(range(hit.start, hit.end))
        self._run_start = [0] * n
        for i in range(1, n):
            if (i - 1) not in self.boundaries:
                self._run_start[i] = self._run_start[i - 1]
            else:
                self._run_start[i] = i
        self._next_boundary = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            self._next_boundary[i] = i if i in self.boundaries else self._next_boundary[i + 1]
        # per sentence facts
        self._question = [False] * len(self.sentences)
        self._advice = [False] * len(self.sentences)
        for number, (s_start, s_end) in enumerate(self.sentences):
            for i in range(s_start, s_end):
                token = tokens[i]
                if "?" in token.lower:
                    self._question[number] = self._advice[number] = True
                elif token.key in advice_words or token.lower in advice_words:
                    self._advice[number] = True
        # cue lookups
        self._negation_end = {h.end - 1: h for h in self.cues.get("negation", [])}
        self._pseudo = set()
        for category in ("pseudo_negation", "resolved"):
            for h in self.cues.get(category, []):
                self._pseudo.update(range(h.start, h.end))
        self._pseudo_strict = set()
        for h in self.cues.get("pseudo_negation", []):
            self._pseudo_strict.update(range(h.start, h.end))
        self._uncertainty_ends = {h.end for h in self.cues.get("uncertainty", [])}
        self._uncertainty_cover = set()
        for h in self.cues.get("uncertainty", []):
            self._uncertainty_cover.update(range(h.start + 1, h.end + 1))
        anaphoric = self.cues.get("anaphoric_report", [])
        self._last_anaphoric = max((h.start for h in anaphoric), default=-1)
        # person references: last first-person token / other-person cue before each token
        other_cover = set()
        for h in self.cues.get("other_person", []):
            other_cover.update(range(h.start, h.end))
        self._last_first = [-1] * (n + 1)
        self._last_other = [-1] * (n + 1)
        other_end_at = {}
        for h in self.cues.get("other_person", []):
            other_end_at[h.end] = max(other_end_at.get(h.end, -1), h.end)
        for i in range(n + 1):
            if i == 0 or (i - 1 < n and tokens[i - 1].is_break):
                last_first, last_other = -1, -1
            else:
                last_first, last_other = self._last_first[i - 1], self._last_other[i - 1]
                prev = tokens[i - 1]
                is_me = prev.lower in first_person or prev.key in first_person
                if is_me and (i - 1) not in other_cover:
                    last_first = i - 1
            if i in other_end_at:
                last_other = i
            self._last_first[i], self._last_other[i] = last_first, last_other
        self._scope_cache: dict[int, int] = {}
        self.durations: dict[int, float | None] = {}  # per sentence, filled by expected.py

    # ------------------------------------------------------------------ helpers
    def hits(self, category: str) -> list[Hit]:
        return self.cues.get(category, [])

    def sentence_range(self, index: int) -> tuple[int, int]:
        if not self.tokens:
            return (0, 0)
        return self.sentences[self.sentence_of[min(index, len(self.tokens) - 1)]]

    def clause_range(self, start: int, end: int) -> tuple[int, int]:
        s_start, s_end = self.sentence_range(start)
        left = max(s_start, self._run_start[start])
        right = min(self._next_boundary[min(max(end, start + 1), len(self.tokens))], s_end)
        return left, max(right, min(end, s_end))

    def local_range(self, start: int, end: int) -> tuple[int, int]:
        """The clause around [start, end), also split at "and", "then", "so", "because"."""
        left, right = self.clause_range(start, end)
        tokens = self.tokens
        lo = start
        while lo > left and tokens[lo - 1].key not in LOCAL_SPLITTERS:
            lo -= 1
        hi = max(end, start + 1)
        while hi < right and tokens[hi].key not in LOCAL_SPLITTERS:
            hi += 1
        return lo, hi

    def is_question(self, index: int) -> bool:
        return self._question[self.sentence_of[index]] if self.tokens else False

    def is_advice(self, index: int) -> bool:
        return self._advice[self.sentence_of[index]] if self.tokens else False

    def hits_in(self, category: str, start: int, end: int) -> list[Hit]:
        """Cue hits lying entirely inside [start, end)."""
        hits = self.cues.get(category)
        if not hits:
            return []
        out = []
        for k in range(bisect_left(self._starts[category], start), len(hits)):
            hit = hits[k]
            if hit.start >= end:
                break
            if hit.end <= end:
                out.append(hit)
        return out

    def hits_starting_in(self, category: str, start: int, end: int) -> list[Hit]:
        hits = self.cues.get(category)
        if not hits:
            return []
        starts = self._starts[category]
        return hits[bisect_left(starts, start):bisect_left(starts, end)]

    def covered_by_pseudo(self, index: int, strict: bool = False) -> bool:
        return index in (self._pseudo_strict if strict else self._pseudo)

    def negation_ending_at(self, index: int) -> Hit | None:
        return self._negation_end.get(index)

    def uncertainty_just_before(self, index: int) -> bool:
        """An uncertainty cue ends right at `index` or covers it ("not sure IF")."""
        return index in self._uncertainty_ends or index in self._uncertainty_cover

    def reported_after(self, index: int) -> bool:
        return self._last_anaphoric >= index

    def person_before(self, index: int) -> tuple[int, int]:
        """(last first-person token, end of last other-person cue) before `index`, in the
        sentence; -1 when none."""
        return self._last_first[index], self._last_other[index]

    def conditional_scope_end(self, cue: Hit) -> int:
        if cue.start not in self._scope_cache:
            self._scope_cache[cue.start] = _conditional_scope_end(self, cue)
        return self._scope_cache[cue.start]


# ---------------------------------------------------------------------- negation
def _is_pseudo(structure: TextStructure, trigger: Hit) -> bool:
    return any(structure.covered_by_pseudo(i) for i in range(trigger.start, trigger.end))


def _trigger_ending_at(structure: TextStructure, index: int) -> Hit | None:
    return structure.negation_ending_at(index)


def _own_negation(tokens: list[NormToken], i: int, own: frozenset[tuple[str, ...]]) -> bool:
    key = tokens[i].key
    if (key,) in own:
        return True
    if i > 0 and (tokens[i - 1].key, key) in own:
        return True
    return i + 1 < len(tokens) and (key, tokens[i + 1].key) in own


def is_negated(
    structure: TextStructure, start: int, end: int, own: frozenset[tuple[str, ...]] = frozenset()
) -> bool:
    tokens = structure.tokens
    # 1. a negation inside a gap of the match, not one of the phrase's own words:
    #    "chest doesn't hurt" (pattern "chest ... hurt") but not "can't breathe"
    for i in range(start, end):
        if tokens[i].key in NEGATION_KEYS and not _own_negation(tokens, i, own):
            trigger = _trigger_ending_at(structure, i) or Hit("cue", "negation", 0, i, i + 1)
            if not _is_pseudo(structure, trigger):
                return True
    # 2. a negation before the term in the same clause, with only fillers in between
    s_start, _ = structure.sentence_range(start)
    i, steps, list_allowance = start - 1, 0, 0
    while i >= s_start and steps < MAX_NEGATION_REACH:
        if i in structure.boundaries:
            break
        trigger = _trigger_ending_at(structure, i)
        if trigger is not None and i not in structure.occupied:
            return not _is_pseudo(structure, trigger)
        token = tokens[i]
        if token.key in NEGATION_KEYS and i in structure.occupied:
            break  # the negation belongs to another finding ("can't breathe or swallow")
        if token.key in LIST_JOINERS:
            list_allowance = 3
        elif token.key in structure.fillers or i in structure.occupied:
            pass
        elif list_allowance > 0:
            list_allowance -= 1
        else:
            break
        i -= 1
        steps += 1
    # 3. a checklist answer after it: "fever: no", "chills - none", "swelling? nope"
    j, skipped = end, 0
    while j < len(tokens) and skipped < 2 and tokens[j].lower in CHECKLIST_SEPARATORS:
        j += 1
        skipped += 1
    return (
        j < len(tokens)
        and tokens[j].lower in CHECKLIST_ANSWERS
        and _answer_closes(tokens, j + 1)
        and not structure.covered_by_pseudo(j, strict=True)
    )


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


# ---------------------------------------------------------------------- questions
def _overlaps_any(hit: Hit, others: list[Hit]) -> bool:
    return any(hit.start < o.end and o.start < hit.end for o in others)


def _current_report(
    structure: TextStructure, start: int, end: int, region: tuple[int, int]
) -> bool:
    """Does the clause report the sign as happening to the patient now?"""
    question_cues = structure.hits_in("hypothetical_question", *region) + structure.hits_in(
        "hypothetical_conditional", *region
    )
    for hit in structure.hits_in("current_report", *region):
        if hit.start < end + 4 and not _overlaps_any(hit, question_cues):
            return True
    # "is the swelling normal?", "should I worry about this rash?"
    return start - 1 >= region[0] and structure.tokens[start - 1].key in DETERMINERS


def _strong_current(structure: TextStructure, region: tuple[int, int]) -> bool:
    return bool(structure.hits_in("strong_current", *region))


def _conditional_scope_end(structure: TextStructure, cue: Hit) -> int:
    """Where an "if" clause ends: at the sentence end, or where a new subject starts the main
    clause ("if I breathe in, my chest hurts" / "if I breathe in it hurts")."""
    tokens = structure.tokens
    _, s_end = structure.sentence_range(cue.start)
    seen_subject = False
    i = cue.end
    while i < s_end:
        token = tokens[i]
        if token.is_break or (i in structure.boundaries and token.lower != ","):
            return i  # a sentence end, or "but"/"however": the main clause is a new statement
        if token.key in SUBJECT_KEYS:
            if seen_subject and i > cue.end + 1:
                return i
            seen_subject = True
        if token.lower == "," and i + 1 < s_end and tokens[i + 1].key in SUBJECT_KEYS:
            return i
        i += 1
    return s_end


def _advice_sentence(structure: TextStructure, index: int) -> bool:
    return structure.is_advice(index)


def is_hypothetical(structure: TextStructure, start: int, end: int) -> bool:
    s_start, s_end = structure.sentence_range(start)
    clause = structure.clause_range(start, end)
    # conditional: "what if I get a fever?", "if it hurts to breathe should I go to the ER?"
    for cue in structure.hits_starting_in("hypothetical_conditional", s_start, start):
        if structure.uncertainty_just_before(cue.start):
            continue  # "not sure if", "can't tell if": uncertain, which counts as present
        words = range(cue.start, cue.end)
        plain_if = all(structure.tokens[i].key in PLAIN_IF_KEYS for i in words)
        if plain_if and not _advice_sentence(structure, start):
            continue  # "it hurts if I breathe in" reports the sign
        scope_end = structure.conditional_scope_end(cue)
        if end <= scope_end:
            # "what if it's infected? it's red right NOW" reports it
            return not _strong_current(structure, (cue.start, scope_end))
    # general question: "is it normal to have a fever after TPI?"
    for cue in structure.hits_starting_in("hypothetical_question", s_start, start):
        tokens = structure.tokens
        if any(
            tokens[i].key in NEGATION_KEYS and not _own_negation(tokens, i, cue.own_negations)
            for i in range(cue.start, cue.end)
        ):
            continue  # "I don't get why my arm is red" is not a question about it
        if cue.start > 0 and tokens[cue.start - 1].key in NEGATION_KEYS:
            continue  # "it won't stop bleeding" reports the sign; "how do I stop it" asks
        if not _same_question(structure, cue.end, start):
            continue  # "who do I call, my husband collapsed" reports it
        return not _current_report(structure, start, end, clause)
    # "Is redness normal after TPI?", "Can hives be a side effect?"
    # ("Couldn't catch my breath, seems ok now" opens with a statement, not a question.)
    opener = structure.tokens[s_start].key
    opener_negated = s_start + 1 < s_end and structure.tokens[s_start + 1].key in NEGATION_KEYS
    if (
        opener in QUESTION_OPENERS
        and not opener_negated
        and structure.hits_starting_in("trailing_question", end, s_end)
    ):
        return not _current_report(structure, start, end, clause)
    return False


def _same_question(structure: TextStructure, cue_end: int, start: int) -> bool:
    """The sign belongs to the question cue: no clause boundary between them, except commas
    that continue a list of signs ("is it normal to have a fever, chills or a rash?")."""
    tokens = structure.tokens
    for i in range(cue_end, start):
        if i not in structure.boundaries:
            continue
        if tokens[i].lower != ",":
            return False
        following = i + 1
        while following < start and tokens[following].key in LIST_WORDS:
            following += 1
        if following not in structure.occupied:
            return False
    return True


def reported_later(structure: TextStructure, index: int) -> bool:
    """A follow-up such as "because I have them" after a question about a sign."""
    return structure.reported_after(index)


# ---------------------------------------------------------------------- history, person
def is_history_before(structure: TextStructure, start: int, end: int) -> bool:
    """History clearly before the procedure: a time before it anywhere in the sentence ("I had a
    fever last year before any injections"), or a long-standing condition in the same part of
    the sentence ("migraines for years"). Not when the sentence brings it back to now ("...,
    now it's worse") or the sign's own part of the sentence is in the present tense ("I had TPI
    last year and my arm IS swollen")."""
    s_start, s_end = structure.sentence_range(start)
    local = structure.local_range(start, end)
    before = bool(structure.hits_in("history_before", s_start, s_end))
    condition = bool(structure.hits_in("history_condition", *local))
    if not (before or condition):
        return False
    clause = structure.clause_range(start, end)
    if structure.hits_in("back_again", *clause):
        return False
    if structure.hits_in("back_again_strong", s_start, s_end):
        return False
    return condition or not structure.hits_in("present_tense", *local)


def is_other_person(structure: TextStructure, start: int) -> bool:
    """The closest person named before the sign in its sentence is someone else ("my husband
    can't breathe", "she is confused"); "my husband says I look pale" stays the patient."""
    last_first, last_other = structure.person_before(start)
    if last_other < 0:
        return False
    return last_other > last_first


def is_history_recent(structure: TextStructure, start: int, end: int) -> bool:
    s_start, s_end = structure.sentence_range(start)
    return bool(structure.hits_in("history_recent", s_start, s_end))


def is_uncertain(structure: TextStructure, start: int, end: int) -> bool:
    clause = structure.clause_range(start, end)
    s_start, _ = structure.sentence_range(start)
    region = (min(clause[0], s_start), clause[1])
    return bool(structure.hits_in("uncertainty", *region))


# ---------------------------------------------------------------------- decision
def analyse(
    structure: TextStructure, start: int, end: int, own: frozenset[tuple[str, ...]] = frozenset()
) -> ContextResult:
    """Decide the context rule for the token span [start, end)."""
    if is_negated(structure, start, end, own):
        return ContextResult(NEGATED, negated=True)
    if is_hypothetical(structure, start, end) and not reported_later(structure, end):
        return ContextResult(HYPOTHETICAL, hypothetical=True)
    if is_history_before(structure, start, end):
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
