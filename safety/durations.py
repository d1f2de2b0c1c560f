"""How long: the time spans a sentence gives, read from its text (used by expected_effects.py).

    duration_hours("sore for 3 days")                 72.0  (how long the symptom lasted)
    duration_hours("numb since yesterday")            24.0
    elapsed_hours("still numb, it's only been 40 min")  0.67 (time since the injection)

Explicit durations ("for 3 days", "since yesterday", "all day", "2 weeks later", "day 5") win
over anchors ("yesterday", "3 days ago"); a span said about feeling fine ("she's been fine all
afternoon") is not how long the symptom lasted.
"""

from __future__ import annotations

import re

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
# a length of time at the start of a text: "(maybe) AN HOUR", "(probably) 20 MINUTES"
AMOUNT_START_RE = re.compile(r"^" + _AMOUNT + r"\b", re.IGNORECASE)
EXPLICIT_RE = re.compile(
    # "for 3 days", "after two weeks", "it's been a week", "for the past few hours"
    r"\b(?:for|after|over|past|lasting|lasted|last|going\s+on|been|already|nearly|almost|about"
    r"|around|more\s+than)\s+(?:the\s+)?(?:last\s+|past\s+|whole\s+|entire\s+|about\s+"
    r"|around\s+|like\s+|nearly\s+|almost\s+|over\s+|maybe\s+|perhaps\s+|probably\s+"
    r"|roughly\s+)?" + _AMOUNT + r"\b"
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


# "walks better THAN last week", "sleeps better THAN SHE DID last week": a day compared with,
# not when it began
COMPARED_BEFORE_RE = re.compile(r"\b(?:than|as)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)
# "I'm booked FOR Friday", "my appointment IS Friday", "NEXT Friday": a day to come, not when
# the symptom began
FUTURE_DAY_BEFORE_RE = re.compile(
    r"\b(?:next|coming|for|until|till|til|before|by|is|'s)\s+(?:on\s+)?$", re.IGNORECASE)
# A time since the injection, in a question's sentence or the next (context/questions.py
# `dated_as_own`): "2 DAYS LATER", "3 days after", "ON DAY 4", "STARTED around lunch", "since THE
# injection", "THIS MORNING", "YESTERDAY", "RIGHT NOW" (not "today" nor "mine": "it came up TODAY
# with my physio", "MINE doesn't stop easily when I give blood").
TIME_SINCE_INJECTION_RE = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|a)\s+(?:hours?|hrs?|days?|weeks?)\s+"
    r"(?:later|after|ago|now)\b|\bday\s+\d+\b|\bstarted\b|\bthis\s+morning\b"
    r"|\byesterday\b|\bright\s+now\b|\bsince\s+(?:the|my|this|yesterday|last|lunch|getting|having)\b",
    re.IGNORECASE)


# Time since the injection (not how long a past episode lasted): "it's only BEEN 35 minutes",
# "the injection was 30 MIN AGO", "40 min SINCE the shot", "still numb AFTER 40 minutes", "still
# numb 30 MIN AFTER the injection".
ELAPSED_RE = re.compile(
    r"\b(?:been|only|just|after)\s+(?:like\s+|about\s+|around\s+|over\s+|nearly\s+|almost\s+)?"
    + _AMOUNT + r"\b|\b" + _AMOUNT + r"\s+(?:ago|since|after|post)\b",
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
    stopped) only explicit durations count: WHEN it happened is not how long it lasted, and a
    length told wins over the day it is now ("day 5").
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
    if explicit and not anchors_count:
        # an effect that has stopped: its length told ("sore FOR THREE DAYS, today is day five
        # and I feel back to normal"), not the day it is now
        return max(explicit)
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
        before = sentence[max(0, found.start() - 30):found.start()]
        if COMPARED_BEFORE_RE.search(before) or (
                found.group(1).lower() in _WEEKDAYS and FUTURE_DAY_BEFORE_RE.search(before)):
            continue
        anchors.append(_anchor_hours(found.group(1)))
    return max(anchors) if anchors else None

