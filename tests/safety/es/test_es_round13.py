"""Round 13 of the Spanish detector (session 30): a sign denied for earlier and then said to be
there now without its word again ("antes no, ahora sí"), a "si" without its accent that means
"sí", the patient's own action as the whole condition ("si aprieto sale pus"), "digamos que" as a
what-if and questions whether a sign ALWAYS means something; each beside the message that must
keep its level. The kinds come from the blind development set of Spanish round 13
(tests/dev_es_round13/); the sentences are written for these tests (never copied from a
development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation

CASES = [
    # antes no, ahora sí: a bare yes (also "si" without its accent), or a pronoun for the sign
    ("anoche no tenía calentura, hoy sí", "doctor"),
    ("anoche no me dolía el pecho, ahorita si", "emergency"),
    ("antes no salía pus, ahora sí sale", "doctor"),
    ("no tenía granitos y ahora los tiene por toda la espalda y le cuesta respirar", "emergency"),
    ("le dio un desmayo a mi abuelo y no vuelve en si", "emergency"),
    ("en la mañana no tenía calentura, después sí", "doctor"),
    ("antes del piquete no tenía calentura, ahora sí", "doctor"),
    ("antes del piquete no tenía calentura y ahora tampoco", None),
    # ... and their look-alikes: still none, or gone
    ("anoche no tenía calentura, hoy tampoco", None),
    ("no tenía fiebre y ahora ya no me duele nada", None),
    ("anoche no me dolía el pecho y ahorita sigo igual de bien", None),
    # the patient's own action as the whole condition: what happens each time is a report
    ("si aprieto la zona le sale pus amarillo, es normal?", "doctor"),
    ("si subo las escaleras me falta el aire desde el piquete", "emergency"),
    ("cuando toco el piquete esta bien caliente, es normal?", "doctor"),
    ("si como algo lo vomito, desde ayer que me inyectaron", "doctor"),
    # ... and the what-ifs in the same words: the sign joined to the condition, or asked
    ("si aprieto y me sale pus, le hablo a la clínica?", None),
    ("si me despierto con calentura, qué hago?", None),
    ("si aprieto, me va a salir pus?", None),
    # "digamos que" imagines; "always" asks about the sign in general
    ("digamos que me da fiebre en la noche, llamo al doctor?", None),
    ("la hinchazón siempre significa infección?", None),
    ("tengo fiebre, siempre es infección?", "doctor"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round13_kinds(es, text, level) -> None:
    assert escalation(es, text) == level, es.assess(text).to_dict()
