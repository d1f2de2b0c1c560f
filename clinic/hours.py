"""The clinic's weekly opening hours: read from the profile, shown to patients, asked "open now?".

The profile gives them per weekday (`monday: "08:00-17:00"`, several ranges separated by commas,
or `closed`; a day left out is closed) in the clinic's time zone (`timezone`, an IANA name). The
text patients read ("Monday to Friday, 8 am to 5 pm") is made from the same data, so the two can
never disagree.

`CLINIC_NOW` (an ISO time, read in the clinic's time zone when it has no offset) stands in for the
clock: for tests and demos only.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CLOSED = "closed"
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

# One day's hours: (start, end) in minutes after midnight, end may be 24 * 60.
Ranges = tuple[tuple[int, int], ...]
WeeklyHours = tuple[Ranges, ...]  # seven entries, Monday first


class HoursError(ValueError):
    """The profile's opening hours or time zone cannot be read."""


def parse_day(value: object, day: str) -> Ranges:
    text = str(value if value is not None else CLOSED).strip().lower()
    if text in ("", CLOSED):
        return ()
    ranges = []
    for part in text.split(","):
        match = _RANGE.match(part)
        if not match:
            raise HoursError(f"opening_hours.{day}: {part.strip()!r} is not HH:MM-HH:MM or "
                             f"'{CLOSED}'")
        sh, sm, eh, em = (int(g) for g in match.groups())
        start, end = sh * 60 + sm, eh * 60 + em
        if sm > 59 or em > 59 or not 0 <= start < end <= 24 * 60:
            raise HoursError(f"opening_hours.{day}: {part.strip()!r} is not a range within a day")
        ranges.append((start, end))
    ranges.sort()
    if any(a[1] > b[0] for a, b in zip(ranges, ranges[1:], strict=False)):
        raise HoursError(f"opening_hours.{day}: ranges overlap")
    return tuple(ranges)


def parse_weekly(data: object) -> WeeklyHours:
    if not isinstance(data, Mapping):
        raise HoursError("opening_hours must list the hours per weekday (monday: \"08:00-17:00\", "
                         "...), not a text: the text patients read is made from them")
    unknown = sorted(str(k) for k in data if str(k).lower() not in DAYS)
    if unknown:
        raise HoursError(f"opening_hours: unknown day(s) {', '.join(unknown)}")
    days = {str(k).lower(): v for k, v in data.items()}
    weekly = tuple(parse_day(days.get(day), day) for day in DAYS)
    if not any(weekly):
        raise HoursError("opening_hours: the clinic is never open")
    return weekly


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(str(name).strip())
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise HoursError(f"timezone: {name!r} is not an IANA time zone "
                         "(e.g. America/New_York)") from error


# --- the text patients read --------------------------------------------------------------------
DAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")


def clock(minutes: int, language: str = "en") -> str:
    """8 am, 8:30 am, 12 pm, midnight; in Spanish 8 a. m., 12 p. m., medianoche (US Spanish)."""
    spanish = language == "es"
    if minutes in (0, 24 * 60):
        return "medianoche" if spanish else "midnight"
    hour, minute = divmod(minutes, 60)
    suffix = ("a. m." if hour < 12 else "p. m.") if spanish else ("am" if hour < 12 else "pm")
    hour = hour % 12 or 12
    return f"{hour} {suffix}" if minute == 0 else f"{hour}:{minute:02d} {suffix}"


def _day_range(first: int, last: int) -> str:
    names = [DAYS[i].capitalize() for i in range(first, last + 1)]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} to {names[-1]}"


def _day_range_es(first: int, last: int) -> str:
    if first == last:
        return f"el {DAYS_ES[first]}"
    if last == first + 1:
        return f"el {DAYS_ES[first]} y el {DAYS_ES[last]}"
    return f"de {DAYS_ES[first]} a {DAYS_ES[last]}"


def describe(weekly: WeeklyHours, language: str = "en") -> str:
    """'Monday to Friday, 8 am to 5 pm' ('de lunes a viernes, de 8 a. m. a 5 p. m.'):
    consecutive days with the same hours grouped."""
    spanish = language == "es"
    groups: list[tuple[int, int, Ranges]] = []
    for index, ranges in enumerate(weekly):
        if groups and groups[-1][2] == ranges and groups[-1][1] == index - 1:
            groups[-1] = (groups[-1][0], index, ranges)
        else:
            groups.append((index, index, ranges))
    parts = []
    for first, last, ranges in groups:
        if not ranges:
            continue
        if ranges == ((0, 24 * 60),):
            hours = "todo el día" if spanish else "all day"
        elif spanish:
            hours = " y ".join(f"de {clock(a, 'es')} a {clock(b, 'es')}" for a, b in ranges)
        else:
            hours = " and ".join(f"{clock(a)} to {clock(b)}" for a, b in ranges)
        days = _day_range_es(first, last) if spanish else _day_range(first, last)
        parts.append(f"{days}, {hours}")
    return "; ".join(parts)


# --- open now? -----------------------------------------------------------------------------------
def now(tz: ZoneInfo) -> datetime:
    """The clinic's local time: the clock, or CLINIC_NOW when it is set."""
    given = os.environ.get("CLINIC_NOW", "").strip()
    if not given:
        return datetime.now(tz)
    try:
        moment = datetime.fromisoformat(given)
    except ValueError as error:
        raise HoursError(f"CLINIC_NOW: {given!r} is not an ISO time") from error
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)


def is_open(weekly: WeeklyHours, tz: ZoneInfo, moment: datetime | None = None) -> bool:
    local = (moment or now(tz)).astimezone(tz)
    minutes = local.hour * 60 + local.minute
    return any(start <= minutes < end for start, end in weekly[local.weekday()])


__all__ = ["DAYS", "HoursError", "WeeklyHours", "describe", "is_open", "now", "parse_weekly",
           "zone"]
