"""Round 20 of the Spanish detector (session 35): two kinds of report an adversarial review of
200 Spanish reports found missed by the rules, each beside the message that must keep its level:
a time that runs up to now ("desde hace dos días", `up_to_now`) is never history before, even
beside "antes de la inyección"; and a follow-up that tells the sign asked about ("pregunto
porque SÍ ESTÁ SALIENDO", "EL MÍO EMPEZÓ chiquito"). The sentences are written for these tests
(never copied from a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation

CASES = [
    # a time up to now beside the injection's "antes"; a time long before
    ("antes de la inyección no tenía fiebre, pero desde hace dos días tengo 38.5", "doctor"),
    ("antes de la inyección tuve fiebre, hace dos años, ya nada", None),
    # the sign asked about, then told as the writer's own
    ("¿qué pasa si sale pus? lo digo porque sí está saliendo un poco", "doctor"),
    ("¿qué pasa si sale pus? lo digo porque me da miedo", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round20_kinds(es, text, level) -> None:
    assert escalation(es, text) == level, es.assess(text).to_dict()
