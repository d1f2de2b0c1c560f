"""Expected effects after a trigger point injection, and when they stop being expected (used by
decide.py; the time spans come from durations.py).

Soreness for a few days, pain coming back about two hours later, a small bruise, numbness for
about an hour and brief light-headedness are level "expected" (reassure, no escalation). Such a
finding becomes "doctor" when, in the same sentence, it is:

  worsening   getting worse, spreading, getting bigger, severe, not going away
              ("the bruise keeps getting bigger", "pain is worse every day"); a worsening cue
              inside an improving one ("better EACH DAY", "a bit less EVERY DAY") does not count
  lasting     lasting longer than the sign's window_hours ("sore for two weeks", "numb since
              yesterday", "day 9 and still sore"), or "still ..." for signs with
              still_escalates ("arm still numb") - unless the sentence says the time since the
              injection is within the window ("still a bit numb, but it's only been 35
              minutes"). For an effect that is over ("it stopped", "the spot is dry", "the
              feeling came back") only a stated length counts, not when it happened ("a little
              blood on the plaster this morning, the spot is dry"); a time said about feeling
              fine ("she's been fine all afternoon") is not how long the effect lasted.
  with_other_sign  or when any escalating warning sign is in the same message.
"""

from __future__ import annotations

from .context import TextStructure, is_hypothetical, is_negated
from .context.expectations import asks_what_to_expect
from .context.words import USUAL_ADVERBS
from .vocabulary import Sign

WORSENING = "worsening"
LASTING = "lasting"
WITH_OTHER_SIGN = "with_other_sign"
IMPROVING = "improving"  # cue category: "better each day", "a bit less every day"


def _live_cue(
    structure: TextStructure, category: str, start: int, end: int, unless: str | None = None,
    asked: bool = False,
) -> bool:
    """A cue of `category` in the sentence [start, end) that is not itself negated
    ("it's NOT getting worse") nor part of a cue of category `unless` ("better EACH DAY" is
    improving, not worsening). With `asked`, a cue inside a general question does not count
    either ("I bruise easily, WILL I GET BIG bruises?")."""
    against = structure.hits_in(unless, start, end) if unless else []
    for hit in structure.hits_in(category, start, end):
        if any(o.start < hit.end and hit.start < o.end for o in against):
            continue
        if is_negated(structure, hit.start, hit.end, hit.own_negations):
            continue
        if asked and (is_hypothetical(structure, hit.start, hit.end)
                      or asks_what_to_expect(structure, hit.start, hit.end)):
            continue  # (also "is the soreness like a flu shot OR WORSE?", "which is WORSE, ...")
        return True
    return False


def is_improving(structure: TextStructure, index: int) -> bool:
    """The sentence says the effect is improving ("better each day", "less sore today")."""
    return _live_cue(structure, IMPROVING, *structure.sentence_range(index))


def _sentence_hours(
    structure: TextStructure, s_start: int, s_end: int, text: str, anchors_count: bool = True
) -> float | None:
    if s_end <= s_start:
        return None
    cache = structure.durations
    key = s_start if anchors_count else -1 - s_start
    if key not in cache:
        tokens = structure.tokens
        span = text[tokens[s_start].start:tokens[s_end - 1].end]
        cache[key] = structure.times.duration_hours(span, anchors_count)
    return cache[key]


# a sentence that tells how long an effect usually lasts, not how long it has
USUAL_COURSE = USUAL_ADVERBS | {"supposed", "normalmente", "generalmente", "suele", "suelen",
                                "soler"}


def _the_usual_course(structure: TextStructure, s_start: int, s_end: int) -> bool:
    return any(structure.tokens[k].key in USUAL_COURSE or structure.tokens[k].lower in USUAL_COURSE
               for k in range(s_start, s_end))


def _has_ended(structure: TextStructure, s_start: int, s_end: int) -> bool:
    """The effect is over: "it stopped", "the spot is dry", "gone now", "came back to life"."""
    return bool(
        structure.hits_in("stopped", s_start, s_end)
        or structure.hits_in("resolved", s_start, s_end)
        or structure.hits_in("recovered", s_start, s_end)
    )


# Expected effects that patients also use for the condition being treated (soreness, aching,
# stiffness, the pain coming back).
CONDITION_SIGNS = frozenset({"site_soreness", "pain_returning"})


def _treated_condition(structure: TextStructure, s_start: int, s_end: int) -> bool:
    """The sentence describes the pain the treatment is for ("stiff and achy for months", "my
    kind of pain", "the pain I'm being treated for"), not tied to the injection ("sore for
    months SINCE THE SHOT" is an after-effect)."""
    return bool(structure.hits_in("treated_condition", s_start, s_end)) and not (
        structure.hits_in("back_again_strong", s_start, s_end)
    )


def _not_responding(structure: TextStructure, s_start: int, s_end: int) -> bool:
    """The treated condition is not responding: "the shots didn't help", or "still have pain"
    / "the pain is back" when the message names more than one round of injections."""
    if structure.hits_in("treatment_failed", s_start, s_end):
        return True
    return bool(structure.hits_in("no_relief", s_start, s_end)) and bool(
        structure.hits("treatment_rounds")
    )


def _condition_rule(
    structure: TextStructure, s_start: int, s_end: int, text: str, treated: bool,
    other_sign_present: bool, window: float | None,
) -> str | None:
    """Soreness that is the treated condition escalates only when the message says it got worse
    (`condition_worse`: "worse since the shot", not "keep getting them" nor "no better"), names
    another warning sign, or - when it is only "not responding" - gives a length after the
    injection beyond the window ("still sore 10 days after the shot")."""
    if _live_cue(structure, "condition_worse", 0, len(structure.tokens), unless=IMPROVING):
        return WORSENING
    if not treated:
        hours = _sentence_hours(structure, s_start, s_end, text, anchors_count=False)
        if hours is not None and window is not None and hours > window:
            return LASTING
    if other_sign_present:
        return WITH_OTHER_SIGN
    return None


# what opens a next sentence that goes on about the same effect ("BUT IT'S now spreading")
NEXT_OPENERS = frozenset({"but", "and", "now", "it", "its", "it's"})


def _worse_told_next(structure: TextStructure, s_end: int) -> bool:
    """"The bruise is expected, they said. BUT IT'S now purple-black, SPREADING down to my
    elbow": the next sentence opens with "but / it" and tells it worse (a live `worsening`
    cue), with no sign of its own."""
    tokens = structure.tokens
    n_start = s_end
    while n_start < len(tokens) and tokens[n_start].is_punct:
        n_start += 1
    if n_start >= len(tokens) or tokens[n_start].key not in NEXT_OPENERS:
        return False
    n_start, n_end = structure.sentence_range(n_start)
    if any(k in structure.occupied for k in range(n_start, n_end)):
        return False
    return _live_cue(structure, "worsening", n_start, n_end, unless=IMPROVING, asked=True)


def _clause_hours(structure: TextStructure, start: int, end: int, text: str) -> float | None:
    """A length given in the sign's own clause, when the sentence lists several effects with a
    length each ("numb FOR AN HOUR, sore for a day and a half, now I'm good": the hour is the
    numbness's). None when the clause gives none, or no other sign is named in the rest of the
    sentence ("numb for an hour at first, but now it's been 8 hours" is the numbness's 8 hours)."""
    lo, hi = structure.clause_range(start, end)
    s_start, s_end = structure.sentence_range(start)
    if hi <= lo or not any(k in structure.occupied
                           for k in (*range(s_start, lo), *range(hi, s_end))):
        return None
    tokens = structure.tokens
    return structure.times.duration_hours(text[tokens[lo].start:tokens[hi - 1].end],
                                          anchors_count=False)


def upgrade_rule(
    sign: Sign,
    structure: TextStructure,
    start: int,
    end: int,
    text: str,
    other_sign_present: bool,
) -> str | None:
    """The rule that turns this expected effect into a doctor-level sign, or None."""
    s_start, s_end = structure.sentence_range(start)
    if sign.id in CONDITION_SIGNS:
        treated = _treated_condition(structure, s_start, s_end)
        if treated or _not_responding(structure, s_start, s_end):
            return _condition_rule(structure, s_start, s_end, text, treated,
                                   other_sign_present, sign.window_hours)
    if _live_cue(structure, "worsening", s_start, s_end, unless=IMPROVING, asked=True) or (
            _worse_told_next(structure, s_end)):
        return WORSENING
    usual = _the_usual_course(structure, s_start, s_end)
    # ("the numbness usually WEARS OFF in an hour" tells what happens to anyone, not that it ended)
    ended = _has_ended(structure, s_start, s_end) and not usual
    # (only for an effect that is over: "numb for 20 minutes AT A TIME, on and off for 3 days"
    # goes on)
    hours = _clause_hours(structure, start, end, text) if ended else None
    if hours is None:
        hours = _sentence_hours(structure, s_start, s_end, text, anchors_count=not ended)
    if not ended and (hours is None or usual):
        # a follow-up gives the time: "when will the feeling come back? it's been 2 days", also
        # after a sentence whose time is the usual course ("the numbness USUALLY wears off in an
        # hour right? it's been 9 hrs")
        following = next((i for i in range(s_end, len(structure.tokens))
                          if not structure.tokens[i].is_break), None)
        if following is not None:
            later = _sentence_hours(structure, *structure.sentence_range(following), text)
            if later is not None:
                hours = later if hours is None else max(hours, later)
    window = sign.window_hours
    if hours is not None and window is not None and hours > window:
        return LASTING
    tokens = structure.tokens
    times = structure.times  # durations.py, or the language's reader of time spans
    elapsed = times.elapsed_hours(text[tokens[s_start].start:tokens[s_end - 1].end])
    if elapsed is None and s_end < len(tokens):
        # the time may follow: "is it normal that it's still numb? it's been 40 minutes"
        n_start, n_end = structure.sentence_range(s_end)
        if n_end > n_start:
            elapsed = times.elapsed_hours(text[tokens[n_start].start:tokens[n_end - 1].end])
    within_window = window is not None and (
        (elapsed is not None and elapsed <= window and (hours is None or hours <= window))
        # an effect that is over and lasted a stated time within its window ("dizzy for a
        # minute, then it passed, fine all day since")
        or (ended and hours is not None and hours <= window)
    )
    if (
        sign.still_escalates
        and not within_window  # "still a bit numb, but it's only been 35 minutes"
        and _live_cue(structure, "persistence", s_start, s_end, unless="duration_asked")
    ):
        return LASTING
    if other_sign_present:
        return WITH_OTHER_SIGN
    return None
