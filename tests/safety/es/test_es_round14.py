"""Round 14 of the Spanish detector (session 31): "como si" (as if), "si supieras / si vieras"
(if you only knew / saw), a "si" before "y" that means "sí", "este/esta" pointing at the writer's
own sign, and a sign told after the patient's own action and then asked about ("si me agacho,
me da náusea, ¿normal?"); each beside the message that must keep its level. The kinds come from a
review of mixed-language messages (safety/README.md, "Mixed-language reading"); the sentences are
written for these tests (never copied from a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation

CASES = [
    # "como si": a description, not a condition
    ("siento como si se me cerrara la garganta", "emergency"),
    ("la herida se ve como si tuviera pus", "doctor"),
    ("¿y si siento como si se me cerrara la garganta, qué hago?", None),
    # "si supieras / si vieras": an exclamation about what is there
    ("si supieras la calentura que tengo", "doctor"),
    ("si vieras cuánto pus le sale", "doctor"),
    ("si viera pus en la herida, ¿les llamo?", None),
    # "si y ...": yes
    ("si y vomité dos veces, ¿es normal?", "doctor"),
    ("¿y si vomito?", None),
    # "este/esta" before the sign: the writer's own
    ("¿será normal esta calentura?", "doctor"),
    ("¿es normal este sarpullido?", "doctor"),
    # ... not before the injection or a time to come, nor "esté/está" without the accent
    ("¿es normal tener calentura después de este tipo de inyección?", None),
    ("¿qué pasa si esta semana me da calentura?", None),
    ("mi mamá no esta confundida, esta igual que siempre", None),
    # a sign told after the patient's own action, then asked whether that is normal
    ("si me levanto, me dan náuseas normal?", "doctor"),
    ("si me levanto, ¿me van a dar náuseas?", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round14_kinds(es, text, level) -> None:
    assert escalation(es, text) == level, es.assess(text).to_dict()
