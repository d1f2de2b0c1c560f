"""Read body temperatures written in a message (policy rule 7).

A reading is a number with a unit (F, °F, fahrenheit, C, °C, celsius, degrees) or, without a
unit, a number next to a temperature word ("temp of 101", "101.5 fever") or written with a
decimal ("38.5", "38,5"). Without a unit, 93-113 is read as Fahrenheit and 34-44 as Celsius.
At or above 100.4 °F / 38.0 °C it is a fever (doctor level); below it is reassurance with the
threshold (rule "below_threshold"). Numbers that are ages, doses, times, blood pressure,
pulse or blood sugar are not temperatures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

FEVER_F = 100.4
FEVER_C = 38.0
F_RANGE = (95.0, 110.0)
C_RANGE = (35.0, 43.0)

_NUMBER = r"(?<![\w.,/:$£€#+-])(\d{2,3}(?:[.,]\d{1,2}|\s+point\s+\d)?)(?![\d]|[.,]\d)"
_UNIT = (
    r"(?:\s*(°|º|˚|degrees?|degs?\.?|deg\.?)\s*"
    r"(fahrenheit|farenheit|fahrenheight|celsius|celcius|centigrade|f|c)?\b"
    r"|\s*(fahrenheit|farenheit|fahrenheight|celsius|celcius|centigrade|f|c)\b)?"
)
READING_RE = re.compile(_NUMBER + _UNIT, re.IGNORECASE)
OVER_RE = re.compile(
    r"(?:over|above|more\s+than|higher\s+than|greater\s+than|at\s+least|hit|past|>|>=|≥)\s*$",
    re.IGNORECASE,
)
# a comma or a full stop right after the number: the next word is not its unit
_CLAUSE_BREAK_RE = re.compile(r"\s*[,;.!?]")
UNDER_RE = re.compile(r"(?:under|below|less\s+than|lower\s+than|<|<=|≤)\s*$", re.IGNORECASE)
_LEAD_INS = frozenset({"had", "hit", "at", "reached", "to", "was", "is", "of", "running", "spiked",
                       "around", "about", "over", "above", "got", "reads", "read", "showed",
                       "shows", "says", "still", "now"})
_SELF = frozenset({"m", "am", "im", "i'm"})
_NOT_LEAD = frozenset({"call", "dial", "text", "phone", "ring", "room", "page", "ext", "extension",
                       "number", "apartment", "apt", "suite", "bus", "route", "line", "floor"})
_WEATHER = frozenset({"outside", "weather", "outdoors", "forecast", "room", "today's", "sunny"})
# a temperature in the shade is the air's, whoever speaks ("este calor me tiene frito, 103 grados
# A LA SOMBRA"), unless the sentence names a body's temperature
_SHADE = r"in\s+the\s+shade|a\s+la\s+sombra"
_SHADE_RE = re.compile(rf"\b(?:{_SHADE})\b", re.IGNORECASE)
# the weather's heat, when the sentence names no person or body temperature
_WEATHER_HEAT_RE = re.compile(
    rf"\b(?:(?:this|the)\s+heat|heatwave|heat\s+wave|{_SHADE}|scorching|sweltering"
    # Spanish (folded): "ESTAMOS A 40 grados", "HACE 100 grados", "con este CALOR DE 40",
    # "ola de calor"
    r"|estamos\s+a\s+\d+\s*(?:grados|°)|hace\s+\d+\s+grados|calor\s+de\s+\d+|este\s+calor"
    r"|ola\s+de\s+calor"
    r"|calor[oó]n"
    # "a 40 degree day in Adelaide"
    r"|\d+\s*(?:-\s*)?degrees?\s+(?:day|days|heat|weather|afternoon|summer))\b",
    re.IGNORECASE,
)
# the nouns and adjectives of a body's temperature
_FEVER_WORDS = frozenset({"temp", "temperature", "fever", "thermometer", "feverish", "febrile",
                          "fiebre", "calentura", "temperatura", "termometro", "febril"})
_SELF_WORDS = frozenset({"i", "m", "im", "me", "my", "he", "she", "his", "her", "temp",
                         "temperature", "fever", "thermometer", "feverish", "we",
                         # Spanish (folded): a person or a body's temperature in the sentence
                         "mi", "yo", "estoy", "esta", "ando", "anda", "tengo", "tiene",
                         "fiebre", "calentura", "temperatura", "termometro", "marca", "marco"})
_BODY_TEMPERATURE = _FEVER_WORDS | {"running", "reading", "chills",
                                    # Spanish (folded), and "tengo 39" reports a fever
                                    "escalofrios", "tengo", "tiene", "tenia", "tuve"}
_SENTENCE_END_RE = re.compile(r"[!?\n;]|\.(?!\d)")
_WORD_RE = re.compile(r"[a-z#%$£€/:]+|[#%$£€/:]", re.IGNORECASE)

_UNITS_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "zero": 0}
# how a reading spelled out with its decimal was taken, without a temperature word ("a hundred
# and one point two, TOOK IT under the TONGUE"): a number "point" a number in a body's range is a
# thermometer's
MEASURED_WORDS = frozenset({"took", "taken", "tongue", "forehead", "armpit", "ear", "reads",
                            "reading", "says", "said", "showed", "shows", "checked", "measured"})
SPELLED_RE = re.compile(
    r"\b(?:(?:a|one)\s+)?hundred(?:\s+and)?(?:\s+(one|two|three|four|five))?"
    r"(?:\s+point\s+(one|two|three|four|five|six|seven|eight|nine|zero))?\b"
    r"|\bninety[\s-]+(eight|nine)(?:\s+point\s+(one|two|three|four|five|six|seven|eight|nine|zero))?\b"
    r"|\bthirty[\s-]+(six|seven|eight|nine)(?:\s+point\s+(one|two|three|four|five|six|seven|eight|nine|zero))?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TemperatureReading:
    value: float
    unit: str  # "F" or "C"
    text: str
    start: int
    end: int
    written: str  # the number as the patient wrote it, with a dot for decimals
    at_least: bool = False  # "over 100"
    # the label's words ("a temperature of", "a temperature over") and decimal mark
    wording: tuple[str, str, str] = ("a temperature of", "a temperature over", ".")

    @property
    def fahrenheit(self) -> float:
        return self.value if self.unit == "F" else self.value * 9 / 5 + 32

    @property
    def is_fever(self) -> bool:
        threshold = FEVER_F if self.unit == "F" else FEVER_C
        if self.at_least:
            return self.value >= threshold - (0.5 if self.unit == "F" else 0.3)
        return self.value >= threshold

    @property
    def label(self) -> str:
        prefix = self.wording[1] if self.at_least else self.wording[0]
        return f"{prefix} {self.written.replace('.', self.wording[2])} °{self.unit}"


def _unit_of(value: float, written_unit: str | None) -> str | None:
    """F or C from the unit the patient gave, else from the value; None if not a body temp."""
    in_f = F_RANGE[0] <= value <= F_RANGE[1]
    in_c = C_RANGE[0] <= value <= C_RANGE[1]
    if written_unit:
        unit = written_unit[0].upper()
        if unit == "C" and in_f:  # "101 C" is a slip for F
            return "F"
        if unit == "F" and in_c:
            return "C"
        if (unit == "F" and in_f) or (unit == "C" and in_c):
            return unit
        return None
    if in_f:
        return "F"
    if in_c:
        return "C"
    return None


class TemperatureReader:
    def __init__(
        self,
        temperature_words: tuple[str, ...],
        not_units: tuple[str, ...],
        not_before: tuple[str, ...],
        wording: tuple[str, str, str] | None = None,
        fold=None,
    ) -> None:
        self.wording = wording
        # a language's folding of the text before reading (same length: offsets stay right)
        self.fold = fold
        self.temperature_words = frozenset(temperature_words)
        self.not_units = frozenset(not_units)
        self.not_before = frozenset(not_before)

    @staticmethod
    def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
        """The sentence around [start, end), looking at most 300 characters either way."""
        lo = max(0, start - 300)
        left = max(text.rfind(c, lo, start) for c in ".!?\n;")
        left = left + 1 if left >= 0 else lo
        found = _SENTENCE_END_RE.search(text, end, min(len(text), end + 300))
        right = found.start() if found else min(len(text), end + 300)
        return left, right

    def _words(self, text: str) -> list[str]:
        return [w.lower() for w in _WORD_RE.findall(text)]

    def read(self, text: str) -> list[TemperatureReading]:
        if self.fold is not None:
            text = self.fold(text)
        readings: list[TemperatureReading] = []
        for found in READING_RE.finditer(text):
            number, symbol, unit_after_symbol, unit_word = found.groups()
            written = re.sub(r"\s+point\s+", ".", number).replace(",", ".")  # "38 point 6"
            if "," in number and len(number.split(",")[1]) != 1:
                continue  # "100,101" is a list, "38,5" is a decimal
            value = float(written)
            explicit = bool(symbol or unit_after_symbol or unit_word)
            unit = _unit_of(value, unit_after_symbol or unit_word or None)
            if unit is None:
                continue
            start, end = found.start(), found.end()
            s_start, s_end = self._sentence_bounds(text, start, end)
            after = self._words(text[end:min(s_end, end + 12)])
            before = self._words(text[max(s_start, start - 14):start])
            sentence_words = set(self._words(text[s_start:s_end]))
            if not explicit:
                if after and after[0] in self.not_units and not _CLAUSE_BREAK_RE.match(
                        text, end):
                    continue  # "38 years", "100 mg" (not "39.3, INJECTIONS were 2 days ago")
                if text[end:end + 1] in {"%", "/", ":"} or text[end:end + 2] in {" %", " /"}:
                    continue
                if before and before[-1] in self.not_before and not (
                    before[-1] in _SELF and "." in written
                ):
                    continue  # "age 38", "I'm 38", "pulse 104" (but "I'm 38.2" is a reading)
                if (
                    len(before) > 1
                    and before[-2] in self.not_before
                    and before[-2] not in _SELF
                    and before[-1] not in self.temperature_words  # "low grade FEVER 38.1"
                ):
                    continue  # "pulse was 104", "pressure is 110"
                # a temperature word in the sentence, or just before it: "how much fever is
                # too much? my son is at 39"
                earlier = set(self._words(text[max(0, s_start - 120):s_start]))
                has_context = bool((sentence_words | earlier) & self.temperature_words)
                # "I had 101 yesterday", "I'm at 100.5": a fever-range number after a verb
                lead_in = bool(before) and before[-1] in _LEAD_INS
                lead_in = lead_in and not set(before[-3:]) & _NOT_LEAD
                fever_like = unit == "F" and 99 <= value <= 107 and lead_in
                if not (has_context or "." in written or fever_like):
                    continue
            degrees_only = symbol and not (unit_after_symbol or unit_word)
            weather_heat = bool(_WEATHER_HEAT_RE.search(text[s_start:s_end]))
            # the person just before the number, in its clause ("TENGO 38,5 a la sombra"; not
            # "this heatwave is killing ME, 39 degrees in the shade")
            told = self._words(re.split(r"[,;:]", text[max(s_start, start - 14):start])[-1])
            if _SHADE_RE.search(text[s_start:s_end]) and not sentence_words & _FEVER_WORDS and not (
                    told and (told[-1] in _SELF_WORDS or told[-1] in _LEAD_INS)):
                continue
            if degrees_only and "." not in written and (
                sentence_words & _WEATHER
                or (weather_heat and not sentence_words & _SELF_WORDS)
            ):
                continue  # "39 degrees outside", "this heat is unbearable, 38 degrees" is weather
            # a bare whole number in a sentence about the weather, with no word of a body's
            # temperature, is the weather's: "stinking hot, 40 in the shade, can I ..." (not
            # "my temp is 38.5 in this heatwave", nor "running 39 in this heat")
            if (not explicit and "." not in written
                    and (sentence_words & _WEATHER or weather_heat)
                    and not sentence_words & _BODY_TEMPERATURE):
                continue
            prefix = text[max(0, start - 16):start]
            at_least = bool(OVER_RE.search(prefix))
            if UNDER_RE.search(prefix):
                at_least = False
            shown = written.rstrip("0").rstrip(".") if "." in written else written
            readings.append(
                self._worded(TemperatureReading(
                    value, unit, text[start:end], start, end, shown, at_least
                ))
            )
        readings.extend(self._worded(r) for r in self._spelled(text))
        readings.sort(key=lambda r: r.start)
        return readings

    def _worded(self, reading: TemperatureReading) -> TemperatureReading:
        if self.wording is None:
            return reading
        return replace(reading, wording=self.wording)

    def _spelled(self, text: str) -> list[TemperatureReading]:
        out = []
        for found in SPELLED_RE.finditer(text):
            groups = found.groups()
            base, extra, decimal = None, 0, None
            matched = found.group(0).lower()
            if "hundred" in matched:
                extra = _UNITS_WORDS.get((groups[0] or "zero").lower(), 0)
                base, decimal = 100, groups[1]
            elif "ninety" in matched:
                base, extra, decimal = 90, _UNITS_WORDS[groups[2].lower()], groups[3]
            elif "thirty" in matched:
                base, extra, decimal = 30, _UNITS_WORDS[groups[4].lower()], groups[5]
            if base is None:
                continue
            value = base + extra + (_UNITS_WORDS[decimal.lower()] / 10 if decimal else 0)
            unit = _unit_of(value, None)
            if unit is None:
                continue
            s_start, s_end = self._sentence_bounds(text, found.start(), found.end())
            words = set(self._words(text[s_start:s_end]))
            if not words & self.temperature_words and not (decimal and words & MEASURED_WORDS):
                continue
            out.append(
                TemperatureReading(
                    value, unit, found.group(0), found.start(), found.end(), f"{value:g}"
                )
            )
        return out
