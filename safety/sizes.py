"""Sizes told one after another: a bruise or a swelling that grows is DOCTOR (clinic page:
"increased ... swelling"), also when the message names no word of growing, only its sizes
("Bruise measured: 3cm Monday, 6cm Tuesday, 9cm today"). A pattern cannot compare numbers, so
this reads every size (a number with a unit of length) in order; a size larger than every size
told before it is a `worsening` cue over that size, which expected_effects.py reads in the
sentence of the effect (or in the next one that goes on with "now", "but", "it")."""

from __future__ import annotations

from .match import Hit
from .normalise import NormToken

# millimetres per unit (English and Spanish)
LENGTH_UNITS = {
    "mm": 1.0, "millimetre": 1.0, "millimetres": 1.0, "millimeter": 1.0, "millimeters": 1.0,
    "milímetro": 1.0, "milímetros": 1.0, "milimetro": 1.0, "milimetros": 1.0,
    "cm": 10.0, "cms": 10.0, "centimetre": 10.0, "centimetres": 10.0, "centimeter": 10.0,
    "centimeters": 10.0, "centímetro": 10.0, "centímetros": 10.0, "centimetro": 10.0,
    "centimetros": 10.0, "inch": 25.4, "inches": 25.4, "pulgada": 25.4, "pulgadas": 25.4,
}


def _number(word: str) -> float | None:
    try:
        return float(word.replace(",", "."))
    except ValueError:
        return None


def growing_sizes(tokens: list[NormToken]) -> list[Hit]:
    """A `worsening` cue over each size larger than every size before it in the message."""
    largest: float | None = None
    hits = []
    for i in range(len(tokens) - 1):
        unit = LENGTH_UNITS.get(tokens[i + 1].lower)
        if unit is None:
            continue
        number = _number(tokens[i].lower)
        if number is None:
            continue
        size = number * unit
        if largest is not None and size > largest:
            hits.append(Hit("cue", "worsening", -1, i, i + 2))
        largest = size if largest is None else max(largest, size)
    return hits
