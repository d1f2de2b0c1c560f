"""Expected effects after a trigger point injection, and when they stop being expected.

Soreness for a few days, pain coming back about two hours later, a small bruise, numbness for
about an hour and brief light-headedness are level "expected" (reassure, no escalation). Such a
finding becomes "doctor" when, in the same sentence, it is:

  worsening   getting worse, spreading, getting bigger, severe, not going away
              ("the bruise keeps getting bigger", "pain is worse every day")
  lasting     lasting longer than the sign's window_hours ("sore for two weeks", "numb since
              yesterday"), or "still ..." for signs with still_escalates ("arm still numb")
  with_other_sign  or when any escalating warning sign is in the same message.
"""

from __future__ import annotations

import re

from .context import TextStructure, is_negated
from .vocabulary import Sign

WORSENING = "worsening"
LASTING = "lasting"
WITH_OTHER_SIGN = "with_other_sign"

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
_AMOUNT = _NUM + r"\s*(?:-|\s)?\s*" + _UNIT
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


def duration_hours(sentence: str) -> float | None:
    """The longest time span a sentence gives for a symptom, in hours (None if none given).

    Explicit durations ("for 3 days", "since yesterday", "all day", "2 weeks later") win over
    anchors ("yesterday", "3 days ago").
    """
    explicit: list[float] = []
    for found in EXPLICIT_RE.finditer(sentence):
        groups = [g for g in found.groups() if g]
        if len(groups) >= 2:
            explicit.append(_number(groups[0]) * _unit(groups[1]))
    for found in PLAIN_UNITS_RE.finditer(sentence):
        explicit.append(float(_LONG_UNITS[found.group(1).lower()]))
    for found in ALL_RE.finditer(sentence):
        explicit.append(float(_ALL_HOURS[found.group(1).lower()]))
    for found in SINCE_RE.finditer(sentence):
        explicit.append(_anchor_hours(found.group(1)))
    if explicit:
        return max(explicit)
    anchors: list[float] = []
    for found in AGO_RE.finditer(sentence):
        anchors.append(_number(found.group(1)) * _unit(found.group(2)))
    for found in ANCHOR_RE.finditer(sentence):
        anchors.append(_anchor_hours(found.group(1)))
    return max(anchors) if anchors else None


def _live_cue(structure: TextStructure, category: str, start: int, end: int) -> bool:
    """A cue of `category` in the sentence [start, end) that is not itself negated
    ("it's NOT getting worse")."""
    for hit in structure.hits_in(category, start, end):
        if not is_negated(structure, hit.start, hit.end, hit.own_negations):
            return True
    return False


def _sentence_hours(structure: TextStructure, s_start: int, s_end: int, text: str) -> float | None:
    if s_end <= s_start:
        return None
    cache = structure.durations
    if s_start not in cache:
        tokens = structure.tokens
        cache[s_start] = duration_hours(text[tokens[s_start].start:tokens[s_end - 1].end])
    return cache[s_start]


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
    if _live_cue(structure, "worsening", s_start, s_end):
        return WORSENING
    hours = _sentence_hours(structure, s_start, s_end, text)
    if hours is None:
        # a follow-up gives the time: "when will the feeling come back? it's been 2 days"
        following = next((i for i in range(s_end, len(structure.tokens))
                          if not structure.tokens[i].is_break), None)
        if following is not None:
            hours = _sentence_hours(structure, *structure.sentence_range(following), text)
    if hours is not None and sign.window_hours is not None and hours > sign.window_hours:
        return LASTING
    if sign.still_escalates and _live_cue(structure, "persistence", s_start, s_end):
        return LASTING
    if other_sign_present:
        return WITH_OTHER_SIGN
    return None
