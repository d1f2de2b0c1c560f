"""Expected effects after a trigger point injection, and when they stop being expected.

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

import re

from .context import TextStructure, is_hypothetical, is_negated
from .vocabulary import Sign

WORSENING = "worsening"
LASTING = "lasting"
WITH_OTHER_SIGN = "with_other_sign"
IMPROVING = "improving"  # cue category: "better each day", "a bit less every day"

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14,
    "a few": 3, "few": 3, "a couple of": 2, "a couple": 2, "couple of": 2, "couple": 2,
    "several": 4, "half an": 0.5, "half a": 0.5, "many": 5, "some": 2,
}
_UNIT_HOURS = {
    "second": 1 / 3600, "sec": 1 / 3600, "moment": 1 / 60, "minute": 1 / 60, "min": 1 / 60,
    "hour": 1, "hr": 1, "h": 1, "day": 24, "night": 24, "week": 168, "wk": 168, "month": 720,
    "fortnight": 336,
}
_NUM = (
    r"(\d+(?:\.\d+)?|a\s+couple\s+of|a\s+couple|couple\s+of|couple|a\s+few|few|half\s+an"
    r"|half\s+a|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen"
    r"|several|many|some)"
)
_UNIT = (
    r"(seconds?|secs?|moments?|minutes?|mins?|hours?|hrs?|h|days?|nights?|weeks?|wks?|months?"
    r"|fortnight)"
)
_AMOUNT = _NUM + r"\s*(?:-|\s)?\s*(?:whole\s+|entire\s+|full\s+|good\s+)?" + _UNIT
EXPLICIT_RE = re.compile(
    # "for 3 days", "after two weeks", "it's been a week", "for the past few hours"
    r"\b(?:for|after|over|past|lasting|lasted|last|going\s+on|been|already|nearly|almost|about"
    r"|around|more\s+than)\s+(?:the\s+)?(?:last\s+|past\s+|whole\s+|entire\s+|about\s+"
    r"|around\s+|like\s+|nearly\s+|almost\s+|over\s+)?" + _AMOUNT + r"\b"
    # "2 days later", "three days now", "5 days and still"
    r"|\b" + _AMOUNT + r"\s+(?:later|now|straight|in\s+a\s+row|on|since"
    r"|and\s+(?:it'?s\s+)?still|after)\b",
    re.IGNORECASE,
)
AGO_RE = re.compile(r"\b" + _NUM + r"\s*(?:-|\s)?\s*" + _UNIT + r"\s+ago\b", re.IGNORECASE)
PLAIN_UNITS_RE = re.compile(r"\b(?:for|after)\s+(hours|days|weeks|months|ages)\b", re.IGNORECASE)
ALL_RE = re.compile(
    r"\ball\s+(day|night|week|weekend|morning|afternoon|evening)(?:\s+long)?\b", re.IGNORECASE
)
SINCE_RE = re.compile(
    r"\bsince\s+(yesterday|last\s+night|this\s+morning|this\s+afternoon|earlier|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|last\s+week|the\s+weekend|the\s+other\s+day|"
    r"last\s+weekend|the\s+day\s+before)\b",
    re.IGNORECASE,
)
ANCHOR_RE = re.compile(
    r"\b(yesterday|last\s+night|this\s+morning|the\s+other\s+day|last\s+week|next\s+day|"
    r"next\s+morning|following\s+day|day\s+after|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|the\s+weekend)\b",
    re.IGNORECASE,
)
_ANCHOR_HOURS = {
    "yesterday": 24, "last night": 12, "this morning": 4, "this afternoon": 3, "earlier": 2,
    "the other day": 48, "last week": 168, "next day": 24, "next morning": 18,
    "following day": 24, "day after": 24, "the weekend": 48, "last weekend": 120,
    "the day before": 48,
}
# "fine all afternoon", "been OK for two days": a span about feeling well
WELLBEING_BEFORE_RE = re.compile(
    r"\b(?:fine|ok|okay|good|great|normal|well|better|alright|all\s+right|perfect)\W+"
    r"(?:\w+\W+)?$",
    re.IGNORECASE,
)
# "it's day 5", "on day 3", "day nine and still sore": days since the injection
DAY_NUMBER_RE = re.compile(
    r"\bday\s+(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen)\b",
    re.IGNORECASE,
)
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_LONG_UNITS = {"hours": 6, "days": 72, "weeks": 336, "months": 1440, "ages": 336}
_ALL_HOURS = {"day": 10, "night": 8, "week": 168, "weekend": 48, "morning": 4, "afternoon": 4,
              "evening": 4}


def _number(text: str) -> float:
    text = re.sub(r"\s+", " ", text.lower().strip())
    if text in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[text])
    try:
        return float(text)
    except ValueError:
        return 1.0


def _unit(text: str) -> float:
    text = text.lower()
    if text not in _UNIT_HOURS and text.endswith("s"):
        text = text[:-1]
    return _UNIT_HOURS.get(text, 1.0)


def _anchor_hours(phrase: str) -> float:
    phrase = re.sub(r"\s+", " ", phrase.lower())
    if phrase in _WEEKDAYS:
        return 48.0
    return float(_ANCHOR_HOURS.get(phrase, 24))


# Time since the injection (not how long a past episode lasted): "it's only BEEN 35 minutes",
# "the injection was 30 MIN AGO", "40 min SINCE the shot".
ELAPSED_RE = re.compile(
    r"\b(?:been|only|just)\s+(?:like\s+|about\s+|around\s+|over\s+|nearly\s+|almost\s+)?"
    + _AMOUNT + r"\b|\b" + _AMOUNT + r"\s+(?:ago|since)\b",
    re.IGNORECASE,
)


def elapsed_hours(sentence: str) -> float | None:
    """The time since the injection that a sentence gives ("it's been 40 min"), in hours."""
    found_hours = []
    for found in ELAPSED_RE.finditer(sentence):
        groups = [g for g in found.groups() if g]
        if len(groups) >= 2:
            found_hours.append(_number(groups[0]) * _unit(groups[1]))
    return max(found_hours) if found_hours else None


def _about_wellbeing(sentence: str, start: int) -> bool:
    """A time span said about feeling fine ("she's been FINE all afternoon", "OK for two days")
    is not how long the symptom lasted."""
    return bool(WELLBEING_BEFORE_RE.search(sentence[max(0, start - 30):start]))


def duration_hours(sentence: str, anchors_count: bool = True) -> float | None:
    """The longest time span a sentence gives for a symptom, in hours (None if none given).

    Explicit durations ("for 3 days", "since yesterday", "all day", "2 weeks later", "day 5")
    win over anchors ("yesterday", "3 days ago"); with `anchors_count=False` (an effect that has
    stopped) only explicit durations count: WHEN it happened is not how long it lasted.
    """
    explicit: list[float] = []
    for found in EXPLICIT_RE.finditer(sentence):
        groups = [g for g in found.groups() if g]
        if len(groups) >= 2 and not _about_wellbeing(sentence, found.start()):
            explicit.append(_number(groups[0]) * _unit(groups[1]))
    for found in PLAIN_UNITS_RE.finditer(sentence):
        explicit.append(float(_LONG_UNITS[found.group(1).lower()]))
    for found in ALL_RE.finditer(sentence):
        if not _about_wellbeing(sentence, found.start()):
            explicit.append(float(_ALL_HOURS[found.group(1).lower()]))
    for found in SINCE_RE.finditer(sentence):
        if not _about_wellbeing(sentence, found.start()):
            explicit.append(_anchor_hours(found.group(1)))
    for found in DAY_NUMBER_RE.finditer(sentence):
        explicit.append(24.0 * float(_number(found.group(1))))
    if explicit:
        return max(explicit)
    if not anchors_count:
        return None
    anchors: list[float] = []
    for found in AGO_RE.finditer(sentence):
        anchors.append(_number(found.group(1)) * _unit(found.group(2)))
    for found in ANCHOR_RE.finditer(sentence):
        anchors.append(_anchor_hours(found.group(1)))
    return max(anchors) if anchors else None


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
        if asked and is_hypothetical(structure, hit.start, hit.end):
            continue
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
        cache[key] = duration_hours(text[tokens[s_start].start:tokens[s_end - 1].end],
                                    anchors_count)
    return cache[key]


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
    if _live_cue(structure, "worsening", s_start, s_end, unless=IMPROVING, asked=True):
        return WORSENING
    ended = _has_ended(structure, s_start, s_end)
    hours = _sentence_hours(structure, s_start, s_end, text, anchors_count=not ended)
    if hours is None and not ended:
        # a follow-up gives the time: "when will the feeling come back? it's been 2 days"
        following = next((i for i in range(s_end, len(structure.tokens))
                          if not structure.tokens[i].is_break), None)
        if following is not None:
            hours = _sentence_hours(structure, *structure.sentence_range(following), text)
    window = sign.window_hours
    if hours is not None and window is not None and hours > window:
        return LASTING
    tokens = structure.tokens
    elapsed = elapsed_hours(text[tokens[s_start].start:tokens[s_end - 1].end])
    within_window = (
        elapsed is not None and window is not None and elapsed <= window
        and (hours is None or hours <= window)
    )
    if (
        sign.still_escalates
        and not within_window  # "still a bit numb, but it's only been 35 minutes"
        and _live_cue(structure, "persistence", s_start, s_end)
    ):
        return LASTING
    if other_sign_present:
        return WITH_OTHER_SIGN
    return None
