"""Sizes that grow, told in Spanish one after another with no word of growing, make a bruise or
a swelling DOCTOR (`safety/sizes.py` reads the numbers for both languages); sizes that shrink do
not. Sentences written for this test."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation

CASES = [
    ("el moretón medía 2 cm el lunes, 4 cm el martes y hoy 7 cm", "doctor"),
    ("el moretón medía 1 pulgada ayer y hoy mide 2 pulgadas", "doctor"),
    ("el moretón medía 7 cm el lunes, 4 cm el martes y hoy 2 cm", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_es_sizes(es, text, level) -> None:
    assert escalation(es, text) == level, es.assess(text).to_dict()
