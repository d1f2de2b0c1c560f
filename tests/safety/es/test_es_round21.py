"""Round 21 of the Spanish detector (session 36): reports that an adversarial review of 200
Spanish reports (and the three the previous one left) found missed by the rules, each beside a
message in the same words that keeps its level: a denial before the injection taken back by a
pain now ("nunca me había dolido el pecho, y DESDE ANOCHE TENGO UN DOLOR que me aprieta"), by a
count now ("nunca me habían salido ampollas, y AHORA TENGO DOS justo en la zona") or with the
pain that "no se me va"; "no se me quita NI CON ibuprofeno"; "lo digo PORQUE HOY VEO doble",
"porque YO SIGO sin poder"; a bruise that "EMPEZÓ CHIQUITO y ya me cubre media espalda"; "se
CONVIRTIÓ EN dos días"; "sin sentir bien LA PARTE de atrás del muslo"; lay words for stroke
("no ve por un ojo", "arrastra la pierna"), confusion ("no nos reconoce", "habla
incoherencias"), twitching ("brincos en los brazos"), weakness ("debilidad general",
"aguadita de todo el cuerpo"), a numb tongue ("que se me duerma la lengua") and chest pain placed
on its way ("una punzada EN EL LADO DERECHO DEL pecho"); from a second review, "le ACABA DE DAR
uno", "el mío CRECE", "caliente AL TACTO", "nunca ... un sarpullido ASÍ" (never like this one,
which is here), a sugar reading after an earlier one ("anda en 110, pero ... ESTÁ EN 320"),
"veo DOS DE TODO", "de tanto toser, Y ME SALIÓ SANGRE", "CADA VEZ MÁS ROJO E HINCHADO" and
"pregunto PORQUE ME DUELE DESDE anoche". The sentences are written for these
tests (never copied from a development, review or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation

CASES = [
    # a denial before, taken back by a pain now (not by a pain somewhere else)
    ("antes de la inyección nunca me había dolido el pecho, y desde anoche tengo un dolor que "
     "me oprime", "emergency"),
    ("nunca me había dolido el pecho, y ahora tengo un dolor en la rodilla", None),
    ("antes nunca me dolía la cabeza, y ahora llevo tres días con un dolor que no se me va",
     "doctor"),
    # a count now, told where (not another thing counted)
    ("nunca me habían salido ampollas, y ahora tengo tres justo donde me picaron", "doctor"),
    ("ayer no tenía ampollas, hoy tengo tres lunares nuevos", None),
    # "ni con" is the sign's own
    ("tengo un dolor de cabeza que no se me quita ni con paracetamol desde el piquete", "doctor"),
    # the follow-up that tells the sign asked about
    ("¿el bótox puede hacer que uno vea doble? lo pregunto porque hoy veo todo doble",
     "emergency"),
    ("¿el bótox puede hacer que uno vea doble? lo pregunto porque mañana me lo ponen", None),
    ("¿cuánto dura la debilidad? es que yo sigo sin poder agarrar el vaso desde ayer", "doctor"),
    # a bruise grown without naming it again; a lasting time told as "se convirtió en"
    ("el morado empezó chiquito y ya me cubre todo el muslo", "doctor"),
    ("el morado es chiquito, como una moneda", None),
    ("lo dormido de una hora se convirtió en tres días sin sentir la nalga", "doctor"),
    ("lo dormido duró una hora y ya se me quitó", None),
    # lay words for emergencies
    ("mi esposo de repente no ve por un ojo y arrastra el pie izquierdo", "emergency"),
    ("mi tía ya no nos reconoce desde la inyección de hace una hora", "emergency"),
    ("tengo brincos en los brazos desde hace diez minutos, me acaban de inyectar", "emergency"),
    ("desde el bótox tengo una debilidad general, no puedo ni subir un escalón", "emergency"),
    ("¿es normal que se me duerma la lengua? me inyectaron el hombro hace un rato", "emergency"),
    ("tengo una punzada en el lado izquierdo del pecho desde la inyección", "emergency"),
    ("tengo una punzada en el lado izquierdo de la espalda, donde me inyectaron", None),
    # a second review: shapes a cautious reader dismisses
    ("si a alguien le da un desmayo qué se hace? porque a mi tía le acaba de dar uno", "emergency"),
    ("¿qué pasa si sube la fiebre? porque el mío crece: el moretón era una moneda y ya es un "
     "huevo", "doctor"),
    ("me dijeron que avisara si se ponía caliente. ya está caliente al tacto", "doctor"),
    ("nunca me había salido un sarpullido así, justo donde me inyectaron", "doctor"),
    ("nunca me ha salido un sarpullido", None),
    ("mi azúcar anda en 110, pero desde el esteroide está en 320", "doctor"),
    ("mi azúcar anda en 110 y desde el esteroide está en 130", None),
    ("desde el bótox veo dos de todo", "emergency"),
    ("tosí tanto, y me salió sangre", "emergency"),
    ("está cada vez más rojo e hinchado donde me picaron", "doctor"),
    ("el cielo está cada vez más rojo al atardecer", None),
    ("¿puede doler el pecho después? pregunto porque me duele desde anoche", "emergency"),
    # a third review: the air that is missing
    ("me falta un poquito el aire desde que me inyectaron", "emergency"),
    ("me faltó el aire toda la noche y sigo igual, me inyectaron ayer", "emergency"),
    ("sigo sin aire desde la inyección del hombro", "emergency"),
    ("la sala de espera estaba sin aire acondicionado", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round21_kinds(es, text, level) -> None:
    assert escalation(es, text) == level, es.assess(text).to_dict()
