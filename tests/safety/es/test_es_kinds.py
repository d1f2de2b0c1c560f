"""The Spanish detector by KIND: emergencies told in lay words (regional voices: Mexico, the
Caribbean, Central and South America, Spain) reach "emergency"; general questions, idioms,
negated signs, signs before the procedure, muscle knots and real words the spelling corrector
must leave alone do not escalate. Every sentence was written for these tests (none comes from
an evaluation or development set); the kinds, not the sentences, were fixed in
vocabulary_es.yml, context_cues_es.yml and safety/spanish.py."""

from pathlib import Path

import pytest

from devtools.nlu_data import examples
from tests.safety.escalation import escalation

ESCALATING = ("doctor", "emergency")

# ----------------------------------------------------------------------------- emergencies
HEAVY_BLEEDING = [
    "no para de sangrar y ya empapé la gasa",
    "me está chorreando sangre del brazo",
    "empapé la curita y la toalla de sangre",
    "hay un charco de sangre en el piso",
    "la sangre gotea hasta el codo",
    "está sangrando mucho y me siento pálida y mareada",
    "sangra y sangra, ya traspasó la venda",
    "empapé tres gasas en media hora",
    "no para de sangrar, ya van dos toallas",
    "la herida no deja de sangrar y estoy blanca como papel",
    "la sangre sale a chorros del piquete",
    "tengo la camisa empapada de sangre",
    "mi mamá está sangrando un montón y se quiere desmayar",
    "está goteando sangre al suelo",
    "la tirita está empapada y la sangre me corre por el brazo",
    "se me llenó la venda de sangre y sigue saliendo",
    "cada vez que cambio la gasa se vuelve a empapar",
    "la sangre me escurre por la espalda",
    "hay un charquito de sangre en la sábana",
    "me estoy desangrando",
    "la curita se llenó de sangre en cinco minutos",
    "llevo cuatro gasas empapadas",
]
BREATHING = [
    "me ahogo",
    "no me entra el aire",
    "siento el pecho apretado",
    "me falta el aire",
    "respiro con dificultad",
    "se me cierra el pecho",
    "no agarro aire",
    "no jalo aire",
    "no puedo coger aire",
    "no logro respirar bien",
    "apenas puedo respirar",
    "casi no puedo respirar",
    "me estoy asfixiando",
    "siento que no me llega el aire",
    "tengo el pecho trancado y no respiro bien",
    "estoy respirando con mucha dificultad",
    "me quedo sin aire al hablar",
    "siento que me falta oxígeno",
    "siento que se me va el aire",
]
CHEST_PAIN = [
    "tengo una opresión en el pecho",
    "siento un peso en el pecho",
    "siento como si tuviera un elefante sentado en el pecho",
    "tengo como una piedra en el pecho",
    "me agarró una puntada en el pecho",
    "siento el pecho apachurrado",
    "dolor en el pecho que se me va al brazo izquierdo",
]
COUGHING_BLOOD = [
    "toso sangre",
    "escupo sangre",
    "tengo flemas con sangre",
    "al toser me sale sangre",
    "la flema me sale con hilitos de sangre",
    "me salen gargajos con sangre",
]
BOTULINUM_SPREAD = [
    "me cuesta tragar",
    "veo doble",
    "se me caen los párpados",
    "hablo arrastrando las palabras",
    "se me atora la comida al tragar",
    "se me va el agua por la nariz al tomar",
    "no puedo mantener los ojos abiertos",
    "se me cierran los ojos solos",
    "se me traba la lengua al hablar",
    "veo las cosas dobles",
    "siento que la comida no me baja",
]
ANAPHYLAXIS = [
    "se me está cerrando la garganta",
    "se me está cerrando el gañote",
    "tengo los labios hinchados",
    "se me hinchó la lengua",
    "me salieron ronchas por todo el cuerpo y me cuesta respirar",
    "tengo urticaria en todo el cuerpo",
    "estoy llena de ronchas y siento la garganta apretada",
    "tengo los labios como de pato",
]
STROKE_IN_A_RELATIVE = [
    "a mi papá se le cayó la cara de un lado",
    "mi mamá no puede levantar el brazo",
    "mi esposo habla raro",
    "mi abuela arrastra las palabras",
    "a mi esposa se le torció la boca",
    "mi suegro tiene la boca chueca",
    "mi esposo no puede sonreír de un lado",
    "mi tía tiene medio cuerpo dormido",
    "mi mamá no puede mover la mitad del cuerpo",
]
COLLAPSE = [
    "se desmayó",
    "perdió el conocimiento",
    "no reacciona",
    "mi hijo se cayó y no responde",
    "se quedó privado",
    "me dio un soponcio y me caí",
    "mi hermano se cayó al suelo y no despierta",
]
ANAESTHETIC_TOXICITY = [
    "tengo los labios dormidos",
    "tengo un sabor metálico en la boca",
    "me zumban los oídos",
    "estoy confundida",
    "no sé dónde estoy",
    "no se donde estoy",
    "mi mamá no sabe ni dónde está",
    "tengo temblores en todo el cuerpo",
    "no puedo dejar de temblar",
    "me dan tics en la cara",
]
# a maybe counts as present ("puede que" = maybe): never read as a question
MAYBE = [
    "puede que esté sangrando mucho",
    "mi mamá puede estar teniendo un derrame",
    "creo que puede ser un derrame",
]
# a report asked as a question is still a report ("¿es normal que + subjunctive?" says it is
# there, as "is it normal that my chest hurts?" does)
REPORTED_AS_QUESTIONS = [
    "¿es normal que me falte el aire?",
    "¿es grave que me duela el pecho?",
    "¿es normal que mi mamá hable raro?",
    "¿es normal que la gasa esté empapada?",
    "¿es normal que todavía me sangre y me sienta mareada?",
    "me duele el pecho, ¿es normal?",
    "¿la hinchazón en mis labios es normal?",
    "¿por qué veo doble?",
    "¿me duele el pecho es normal?",
]
# round 3, by kind: soaked things in regional words and Spanglish, a dressing that fills or
# reddens at once, drips onto the floor, a tap left open; red phlegm; a stone on the
# breastbone, a stab on breathing in; a heart that skips, stops and starts; one whole side
# numb; an arm that drops by itself; a fit; lips like "bembas"; an electric mouth
ROUND3_EMERGENCIES = [
    "se me ensopó la gasa en un ratito",
    "mi hijo tiene la playera ensopada y sigue sangrando",
    "la gauze se soakeó toda",
    "sangra y sangra y ya estoy bañada",
    "el apósito se llenó en dos minutos",
    "la gasa se puso toda roja",
    "el trapo se pone rojo al instante",
    "ya traspasó la sábana",
    "la tirita gotea hasta el suelo",
    "le sale sangre como un grifo abierto",
    "hay un charco debajo de la silla y la venda está roja",
    "mi papá bota sangre por la herida y está pálido",
    "escupo el desgarro rosado",
    "las flemas me salen coloradas",
    "toso y el pañuelo queda pintado de rojo",
    "siento una losa encima del esternón",
    "tengo un tremendo pinchazo en el pecho",
    "me duele como cuchillo cuando inhalo",
    "me agoto al respirar",
    "presenta insuficiencia respiratoria",
    "tengo que detenerme cada dos frases para agarrar aire",
    "mi corazón da saltos y se detiene",
    "siento que el corazón se me para y vuelve a arrancar",
    "el corazón me va como tambor",
    "el monitor dice 140 de pulso",
    "a mi abuelo se le durmió toda la mitad izquierda",
    "le pido que alce los brazos y el izquierdo se le baja solo",
    "se le fueron los ojos hacia atrás",
    "le salía espuma por la boca",
    "tengo los labios como salchichas",
    "siento toques en la lengua",
    "tengo una temblorina en todo el cuerpo",
    "estoy enronchada de pies a cabeza",
]
EMERGENCIES = (HEAVY_BLEEDING + BREATHING + CHEST_PAIN + COUGHING_BLOOD + BOTULINUM_SPREAD
               + ANAPHYLAXIS + STROKE_IN_A_RELATIVE + COLLAPSE + ANAESTHETIC_TOXICITY + MAYBE
               + REPORTED_AS_QUESTIONS + ROUND3_EMERGENCIES)


@pytest.mark.parametrize("text", EMERGENCIES)
def test_an_emergency_in_lay_words_is_an_emergency(es, text):
    assert es.assess(text).level == "emergency", es.assess(text).to_dict()


# ----------------------------------------------------------------------------- not escalated
GENERAL_QUESTIONS = [
    "¿es peligroso si me sale un moretón?",
    "¿qué pasa si me da fiebre?",
    "puede la inyección causar dificultad para respirar",
    "es normal tener fiebre despues",
    "se puede tener una reaccion alergica a la lidocaina?",
    "hay riesgo de infección?",
    "qué tan común es desmayarse?",
    "pasa seguido que la gente se desmaye?",
    "¿a alguien le ha dado alergia?",
    "¿puedo tener una reacción alérgica?",
    "¿la inyección me puede empeorar el dolor?",
    "¿me puede quedar un bulto donde pinchan?",
    "¿puede haber infección en el músculo?",
    "existe riesgo de que se me caiga el párpado?",
    "¿el botox puede hacer que vea doble?",
    "podría tener problemas para tragar después del botox?",
    "¿uno se puede ahogar con la anestesia?",
    "puede uno quedarse sin aire con la inyeccion",
    "se le puede caer el parpado a uno con el botox",
    "¿me puede quedar la boca chueca?",
    "¿es normal tener la cara hinchada?",
    "¿existe la posibilidad de que me quede la cara caída?",
    "¿la fiebre es normal después de la inyección?",
    "¿el sangrado es peligroso?",
    "¿la reacción alérgica es común?",
    "disculpe, ¿la infección es común?",
    "¿es grave la falta de aire?",
    "¿qué tan frecuente es el desmayo?",
    "¿con qué frecuencia pasa lo del neumotórax?",
    "¿pulmón colapsado?",
    "es grave sentir hormigueo en la boca",
    "¿es normal ver borroso un rato?",
    "¿la dificultad para tragar es un efecto del botox?",
    "cada cuanto pasa lo de la reaccion alergica",
    "¿Qué señales de infección debo vigilar?",
    "da fiebre la inyeccion",
    "causa fiebre el esteroide",
    "¿arde la lidocaína al entrar?",
    "duele mas en la espalda?",
    "¿duele más si me pinchan en varios puntos?",
    "me da miedo que me falte el aire durante la inyección",
    "me preocupa una infección, ¿es frecuente?",
    "¿sirven para las migrañas?",
    "¿la cortisona me sube el azúcar?",
    "¿puede pasar que uno se desmaye?",
    "oye, ¿y el sangrado es normal?",
    "¿en qué momento la falta de aire es una emergencia?",
    "es malo si me sale un poco de pus",
    "me da miedo que se me hinche la cara",
    "¿la hinchazón de la cara es señal de alergia?",
    "¿es posible perforar un pulmón con estas inyecciones?",
]
IDIOMS = [
    "me muero de risa con tus respuestas",
    "ay, me duele el codo pagar tanto por la consulta",
    "estoy que ardo con el seguro",
    "se me hizo un nudo en la garganta cuando me dieron la noticia",
    "me quedé sin aire de tanto reír",
    "sudé la gota gorda para llegar a la cita",
    "mi jefe está echando chispas",
    "me puse rojo de vergüenza cuando me pincharon",
    "me puse roja como un tomate",
    "me puse colorada cuando el doctor me habló",
    "casi me da un infarto cuando vi la factura",
    "se me cayó la cara de vergüenza",
    "me ahogo en un vaso de agua",
    "me da escalofríos pensar en la aguja",
    "me quedé sin aliento cuando vi el paisaje",
    "estoy que me desmayo del hambre",
    "este trámite me da dolor de cabeza",
    "me revuelve el estómago la política",
    "me sangra el bolsillo con estos precios",
    "ando con el corazón en un puño por los resultados",
    "me cuesta tragar que cobren tanto",
]
NEGATED = [
    "no tengo fiebre ni escalofríos",
    "no me falta el aire",
    "no siento que me falte el aire",
    "no tengo los labios hinchados ni me pica nada",
    "no me duele el pecho",
    "no veo doble ni borroso",
    "no he tenido ningún sangrado",
    "sin dolor de pecho ni falta de aire",
    "tampoco se me durmió la boca",
    "no tengo problemas para respirar",
    "no tengo dificultad para tragar",
    "fiebre no, escalofríos tampoco",
]
BEFORE_THE_PROCEDURE = [
    "hace dos años tuve una reacción alérgica a la penicilina",
    "en 2019 me desmayé en un análisis de sangre",
    "mañana me ponen la inyección y me da miedo desmayarme",
    "me desmayo con las agujas, ¿voy a sentir mucho?",
    "me duele la cabeza casi todos los días, ¿esto es para alguien como yo?",
]
MUSCLE_KNOTS = [
    "tengo nudos en la espalda",
    "tengo bolitas en el trapecio",
    "el fisio me encontró un nudo en el hombro",
    "siento una bolita dura en el cuello cuando me sobo",
    "tengo la espalda llena de nudos",
    "¿inyectan directo en el nudo?",
    "¿el punto gatillo es inflamación?",
]
REAL_WORDS = [  # real Spanish (and English) words the spelling corrector must leave alone
    "puedo lavar con jabón la zona?",
    "tengo que llevar la orden del médico?",
    "la injection me la pusieron ayer y estoy bien",
    "el shot fue ayer, todo bien",
    "cuando me puedo quitar la tirita",
    "este chat es privado?",
    "me puedo untar voltaren en la zona?",
    "puedo usar mi almohadilla eléctrica después?",
    "estoy confundido, no sé cómo usar esto",
    "quiero saber más sobre mi salud",
    "vivo en México",
    "¿hielo o compresa caliente después del shot?",
]
# round 3: look-alikes of the new wordings (sweat and rain soak too, a tender spot is expected,
# a craze is not a fever, good news takes the breath away, lists of warning signs are asked)
ROUND3_NOT_ESCALATED = [
    "la playera quedó ensopada de sudor",
    "la toalla está empapada de agua",
    "la curita se manchó tantito",
    "tengo el glúteo sensible al tacto",
    "tengo la fiebre de los videojuegos",
    "me dejó sin aliento al leer la carta de aceptación",
    "el corazón me dio un brinco cuando oí la noticia",
    "la situación va de mal en peor",
    "¿a qué señales tengo que estar atento?",
    "¿qué síntomas deben hacerme acudir a urgencias?",
    "¿cuáles son normales y cuáles son graves?",
    "¿y si me sale un rash en la nalga?",
    "¿qué pasa si la mano se me queda dormida más de dos días?",
    "no toso ni escupo nada rojo",
    "me cuesta masticar por los brackets",
]
NOT_ESCALATED = (GENERAL_QUESTIONS + IDIOMS + NEGATED + BEFORE_THE_PROCEDURE + MUSCLE_KNOTS
                 + REAL_WORDS + ROUND3_NOT_ESCALATED)


@pytest.mark.parametrize("text", NOT_ESCALATED)
def test_a_question_idiom_negation_or_look_alike_does_not_escalate(es, text):
    assert es.assess(text).level not in ESCALATING, es.assess(text).to_dict()


def test_there_are_enough_cases_of_each_kind():
    assert len(EMERGENCIES) + len(NOT_ESCALATED) >= 150
    assert all(len(kind) >= 5 for kind in (
        HEAVY_BLEEDING, BREATHING, CHEST_PAIN, COUGHING_BLOOD, BOTULINUM_SPREAD, ANAPHYLAXIS,
        STROKE_IN_A_RELATIVE, COLLAPSE, ANAESTHETIC_TOXICITY, GENERAL_QUESTIONS, IDIOMS,
        NEGATED, BEFORE_THE_PROCEDURE, MUSCLE_KNOTS, REAL_WORDS))


# --------------------------------------------------------------------- minimal pairs of a kind
PAIRS = [
    # a knot that grows, or a new lump where the needle went in, is still the lump
    ("tengo nudos en la espalda", None, "el nudo de la espalda está creciendo", "doctor"),
    ("siento una bolita dura en el trapecio", None,
     "tengo una bola dura donde me inyectaron", "doctor"),
    # a question that also reports, or a report with a question after it
    ("¿la zona roja es normal?", "info", "la zona está roja, ¿es normal?", "doctor"),
    ("¿es normal tener fiebre?", "info", "¿es normal que la zona esté roja?", "doctor"),
    ("¿me puede dar fiebre?", "info", "puede que tenga fiebre", "doctor"),
    ("¿el sangrado abundante es peligroso?", "info", "sangra mucho es normal?", "emergency"),
    ("¿duele más en la espalda?", "info", "¿me duele el pecho es normal?", "emergency"),
    # a worry about a sign in general, or about the patient's own
    ("me preocupa una infección", "info", "me preocupa la hinchazón del brazo", "doctor"),
    # an idiom and the same words said of the body
    ("me quedé sin aire de tanto reír", None, "me quedé sin aire al subir la escalera",
     "emergency"),
    ("se me cayó la cara de vergüenza", None, "se me cayó la cara de un lado", "emergency"),
    ("casi me da un infarto cuando vi la factura", None, "creo que me está dando un infarto",
     "emergency"),
    ("me puse roja como un tomate", None, "se me puso roja la zona del piquete", "doctor"),
    ("me da escalofríos pensar en la aguja", None, "me dan escalofríos desde anoche", "doctor"),
    ("no puedo dejar de temblar de los nervios", None, "no puedo dejar de temblar",
     "emergency"),
    # confused about the chat, or confused
    ("estoy confundido, no sé cómo usar esto", None, "estoy confundido, no sé dónde estoy",
     "emergency"),
    # "privado": private, or fainted
    ("este chat es privado?", None, "mi papá se quedó privado en la sala", "emergency"),
]


PAIRS += [
    # round 3: doctor-level kinds and their look-alikes
    ("la economía va de mal en peor", None, "el dolor del cuello va de mal en peor", "doctor"),
    ("amanezco bien", None, "cada día amanezco peor de la espalda", "doctor"),
    ("el lower back está sore", None, "el pain está way peor", "doctor"),
    ("tengo los dedos dormidos, pero fue hace media hora", "expected",
     "todavía tengo los dedos dormidos desde anteayer", "doctor"),
    ("la zona de la punción sin eritema", None, "hay eritema en la zona de la punción", "doctor"),
    ("la curita se manchó un poquito", "expected", "la gasa se sigue manchando", "doctor"),
    ("¿qué hago si el piquete suelta unas gotas?", "info",
     "el piquete sigue soltando gotas desde anoche", "doctor"),
    ("la materia que más me gusta es historia", None, "le sale materia del piquete", "doctor"),
    # an appointment still to come is before the procedure; one that has been is not
    ("el jueves me ponen la inyección, me da miedo marearme", "info",
     "desde el jueves que me inyectaron veo borroso", "emergency"),
    ("me quedé sin aliento cuando vi la noticia", None,
     "me quedé sin aliento cuando subí dos escalones", "emergency"),
    ("tengo la fiebre del béisbol", None, "tengo fiebre desde el shot", "doctor"),
]


# round 3 review: over-broad patterns of round 3 narrowed, and breathlessness or a jumping heart
# on arriving, opening or being told something is not a figure of speech (only news is)
ROUND3_REVIEW_EMERGENCIES = [
    "me quedé sin aire al llegar al segundo piso",
    "me quedé sin aliento al llegar al baño y sigo sin poder respirar bien",
    "mi papá se quedó sin aire al llegar a la casa y está morado",
    "me quedo sin aire al abrir los ojos en la mañana",
    "me quedé sin aire cuando me dijeron que caminara",
    "el corazón me da brincos al llegar a la casa",
    "casi se me para el corazón al subir la escalera",
    "me quedé sin aire al recibir la inyección",
    "no respiro",
    "mi abuela ya no respira",
    "mi papá no respira",
    "el corazón se me detiene y vuelve a latir",
    "tengo problemas respiratorios desde la inyección",
    "estoy sudando y la gasa está empapada de sangre",
    "la sangre me escurre por el brazo al bañarme",
]
ROUND3_REVIEW_NOT_EMERGENCY = [
    # a bike ride, not a heart that restarts
    "¿cuánto falta para volver a andar en bicicleta?",
    # pain that runs down the leg is not a limb that drops
    "el dolor de la pierna derecha va para abajo hasta el tobillo",
    "me duele la pierna izquierda y baja solo hasta el pie",
    # looking up and drool are not a fit
    "cuando volteo con los ojos para arriba me duele la frente",
    "mi abuelo tiene los ojos hacia arriba viendo el techo",
    "a mi niño se le sale la baba de la boca mientras ve la tele",
    # chewing gum, a sore jaw
    "¿es problema mascar chicle el mismo día?",
    "me cuesta masticar porque me duele la quijada",
    # a machine that gives no air
    "el clima del cuarto no da aire frío",
    # pus or water, not blood
    "me sale pus como chorro de la herida",
    "el piquete está colorado y me escurre agua por el hombro después de bañarme",
    # a long-standing condition
    "tengo problemas respiratorios",
    # night sweats soak the clothes
    "tengo sudores de noche y me levanto con la playera empapada",
]
ROUND3_REVIEW_NOT_ESCALATED = [
    "¿el punto gatillo se suelta después del shot?",
    "me pongo hielo cada noche más o menos media hora",
    "my arm is super sensible today",
    "the spot is bien sensible",
    "me dejó sin aire cuando me enteré del precio",
    "me quedé sin aliento al abrir la carta del seguro",
    "el corazón me dio un vuelco cuando leí los resultados",
]


@pytest.mark.parametrize("text", ROUND3_REVIEW_EMERGENCIES)
def test_round3_review_emergencies(es, text):
    assert es.assess(text).level == "emergency", es.assess(text).to_dict()


@pytest.mark.parametrize("text", ROUND3_REVIEW_NOT_EMERGENCY)
def test_round3_review_look_alikes_are_not_emergencies(es, text):
    assert es.assess(text).level != "emergency", es.assess(text).to_dict()


@pytest.mark.parametrize("text", ROUND3_REVIEW_NOT_ESCALATED)
def test_round3_review_look_alikes_do_not_escalate(es, text):
    assert es.assess(text).level not in ESCALATING, es.assess(text).to_dict()


# Round 4 (safety/README.md): questions about a complication, the fever threshold and what the
# injections are for; idioms; the weather's temperature - each beside the report it must not
# silence (own words, written for these tests).
ROUND4_PAIRS = [
    ("¿neumotórax por las inyecciones, pasa seguido?", None,
     "mi pulmón colapsado, ¿es común?", "emergency"),
    ("pulmón colapsado por los piquetes, ¿qué tan común es?", "info",
     "me falta el aire desde la inyección, ¿pasa seguido?", "emergency"),
    ("¿cómo evitan perforar el pulmón cuando inyectan en la espalda?", "info",
     "no puedo respirar, ¿cómo evito que empeore?", "emergency"),
    ("¿cuánta fiebre es mucha?", "info", "es normal que tenga fiebre?", "doctor"),
    ("¿qué temperatura es peligrosa?", None, "tengo fiebre, ¿qué temperatura es peligrosa?",
     "doctor"),
    ("¿y para las migrañas?", "info",
     "¿y para el dolor de cabeza que no se me quita desde la inyección?", "doctor"),
    ("¿sirve para la cefalea tensional?", "info",
     "¿y esto para el dolor de cabeza que no se me quita?", "doctor"),
    ("¿hay gente alérgica a la anestesia?", "info", "sangra mucho es normal?", "emergency"),
    ("antes de todo esto tenía la espalda que me dolía horrible", None,
     "antes de todo esto, lo urgente: se me hinchó la lengua", "emergency"),
    ("¿cuánta fiebre es mucha?", "info", "cuánta fiebre! no se me baja con nada", "doctor"),
    ("¿hay gente alérgica a la anestesia?", "info",
     "mi hija dice que hay gente que se desmaya así, pero mi esposo sigue sin despertar",
     "emergency"),
    ("pulmón perforado por los piquetes, ¿pasa seguido?", "info",
     "pulmón perforado, ¿pasa seguido? mi mamá se está poniendo morada", "emergency"),
    ("aquí estamos a 105 grados, ¿puedo ir en shorts?", None, "tengo 39° con este calor",
     "doctor"),
    ("con este calor de 42 grados ya no aguanto", None,
     "Mi hija está en 39.5° con este calor y no baja", "doctor"),
    ("¿qué temperatura es peligrosa?", None, "¿qué temperatura es peligrosa? tengo 39", "doctor"),
    ("la renta me está desangrando, ¿tienen planes de pago?", None,
     "me estoy desangrando y el seguro no me contesta", "emergency"),
    ("me sangran los ojos de leer tanta letra chiquita", None,
     "me sangran los ojos y veo borroso", "emergency"),
    ("me ardían las orejas de coraje con el recepcionista", None,
     "me arde la cara donde me inyectaron", "doctor"),
    ("el partido me tuvo con el corazón a mil, perdón que no contesté", None,
     "estaba viendo el partido y de repente el corazón a mil", "emergency"),
    ("el partido me tuvo con el corazón a mil", None,
     "me dieron muchos nervios y ahora tengo el corazón a mil", "emergency"),
    ("se me está muriendo la pila del cel, te escribo luego", None,
     "iba en el carro y el brazo muerto, no lo puedo levantar", "doctor"),
    ("aquí estamos a 105 grados, ¿puedo ir en shorts?", None,
     "tengo 38,5 y estamos a 40 grados afuera", "doctor"),
    ("con este calor de 42 grados ya no aguanto, ¿cambian la cita?", None,
     "tengo fiebre de 39 con este calor", "doctor"),
    # numb in Spain's word, within the hour and days later
    ("la zona está acorchada, me inyectaron hace una hora", "expected",
     "sigo con la pierna acorchada, me inyectaron hace tres días", "doctor"),
    # pain that grows, in other words
    ("¿puede intensificarse el dolor después?", "info", "el dolor se ha intensificado", "doctor"),
    ("la molestia en vez de subir bajó", "expected", "la molestia en vez de bajar subió",
     "doctor"),
]


# Round 5 (on the blind development set tests/dev_es_round4/): each reading added, with a
# sentence that must not escalate and a close real report that must (our own words).
# a question whether a sign will end or go on takes it as there now, as in English (session 11,
# context/reports.py `asks_when_it_ends`)
ROUND6_PAIRS = [
    ("¿si me sangra, va a parar solo?", "info", "¿va a seguir sangrando?", "doctor"),
    ("así que, ¿la fiebre es común?", "info", "¿mis labios van a seguir hinchados así?",
     "emergency"),
]

# Session 12: breathing that is not right said with a negation, and a collapse in more lay
# words (a person, not a system or a bag)
# Session 13, from a fifth blind Spanish development set (tests/dev_es_round5/): heavy bleeding
# told without "sangre", coughing that leaves the tissue red, general questions and figures of
# speech; our own sentences, each look-alike beside the report.
ROUND8_PAIRS = [
    ("la toalla quedó toda roja de vino", None, "la camisa está toda roja y no para de salir",
     "emergency"),
    ("hay un charco rojo de jugo de fresa en la mesa", None,
     "hay un charco rojo en el sillón donde se sentó", "emergency"),
    ("ese precio es para desmayarse", None, "sale a chorritos del piquete", "emergency"),
    ("mi suegra es un dolor de cabeza", None,
     "la curita ya no aguanta, hay que cambiarla cada rato", "emergency"),
    ("casi me ahogo de la risa con el video", None, "se me traspasó la gasa y la sábana",
     "emergency"),
    ("bailé tanto que no sentía los pies", None, "sale como una llave abierta del piquete",
     "emergency"),
    ("se me paró el corazón del susto con la alarma", None, "se me paró el corazón y me caí",
     "emergency"),
    ("¿qué quiere decir cuando el piquete se pone morado?", "expected",
     "toso y en el pañuelo queda rojito", "emergency"),
    ("el agua me escurre por la espalda hasta el pantalón cuando salgo de la regadera", "doctor",
     "le escurre por la pierna hasta el zapato", "emergency"),
    # the review of round 6: "a partir de que" is "since", a real near-faint, a real headache,
    # a heart that races after a fright (and "partido", a match, no longer makes "partir" a thing)
    ("¿a partir de cuántos grados es fiebre?", "info",
     "a partir de que salí de la clínica no puedo respirar bien", "emergency"),
    ("el tráfico es un dolor de cabeza", None, "me siento como para desmayarme desde el piquete",
     "emergency"),
    ("mi suegra es un dolor de cabeza", None,
     "se me paró el corazón de la emoción y ahora lo siento acelerado", "emergency"),
]

ROUND7_PAIRS = [
    ("respiro bien, sin problemas", None, "no creo que esté respirando bien", "emergency"),
    ("la respiración se siente normal", None, "respirar no se siente normal desde el piquete",
     "emergency"),
    ("el sistema de citas se derrumbó", None, "mi abuela se derrumbó en la sala", "emergency"),
    ("la bolsa quedó tirada en la cocina", None, "mi esposo quedó tirado en el patio",
     "emergency"),
    ("le dio un susto", None, "le dio un desvanecimiento al salir", "emergency"),
    ("se me cayó el teléfono al piso", None, "se cayó redonda en el baño", "emergency"),
]

ROUND5_PAIRS = [
    # a named long-term illness explains only a doctor-level complaint it causes, never an
    # emergency sign nor one in the present tense (session 10, after a review)
    ("tengo asma", None, "tengo asma y a veces me falta el aire", "emergency"),
    ("mi mamá tiene demencia", None,
     "mi mamá tiene demencia y hoy está más confundida que nunca", "emergency"),
    ("tengo hemofilia", None, "estoy sangrando mucho por mi hemofilia", "emergency"),
    ("me ahogo en formularios", None, "el corazón me late a mil por mi ansiedad", "emergency"),
    # "de infarto" of an event is amazing; of the pain it is a report
    ("el concierto estuvo de infarto", None, "el dolor estuvo de infarto", "emergency"),
    # a heart that jumps out from a fright is a figure of speech; on the stairs it is a report
    ("se me sale el corazón del susto cada vez que suena el teléfono", None,
     "se me sale el corazón cuando subo las escaleras", "emergency"),
    # the weather's degrees do not explain away a fever
    ("hizo mucho calor afuera", None, "hizo 40 grados afuera y tengo fiebre", "doctor"),
    # work as a burden is a figure; the workplace is where a real breathlessness happens
    ("me ahogo con tanto trabajo y papeleo", None,
     "me ahogo en el trabajo cuando subo las escaleras", "emergency"),
    # drowning in a burden of paper or money, in either order (not at night, not from a cough)
    ("me ahogo en formularios de la aseguranza", None,
     "me ahogo en las noches, tengo que dormir sentado", "emergency"),
    ("con tantos pendientes me ahogo", None, "con tanta tos me ahogo", "emergency"),
    # a plant that drowns is the subject of "se ahoga"; the patient watering it is not
    ("las matas del jardín se están ahogando de tanto regarlas", None,
     "regando las matas del jardín me empecé a ahogar", "emergency"),
    # "de infarto" = amazing, of an event (not "síntomas de infarto")
    ("la final de anoche estuvo de infarto", None,
     "en la final de anoche sentí síntomas de infarto", "emergency"),
    ("el partido estuvo de infarto", None,
     "el partido estuvo de infarto pero ahora me duele el pecho", "emergency"),
    # a heart attack at the sight of a bill; a chest pain then is a report
    ("me dio un infarto cuando abrí el recibo de la luz", None,
     "me dio un dolor en el pecho cuando abrí el recibo de la luz", "emergency"),
    # a faint threatened if a bill comes (not if standing up, nor standing up to pay)
    ("me da un soponcio si me cobran otra vez el deducible", None,
     "me da un soponcio si me levanto rápido de la cama", "emergency"),
    ("me da un soponcio si me cobran otra vez el deducible", None,
     "me desmayo si me levanto a pagar la cuenta", "emergency"),
    # a person who "gives" hives, or hives just from hearing someone (a cream or a touch is real)
    ("mi cuñado me da urticaria con sus chismes", None,
     "la crema del piquete me da urticaria en todo el cuerpo", "emergency"),
    ("me salen ronchas nomás de oírlo hablar de política", None,
     "me salen ronchas nomás de tocarme donde me inyectaron", "emergency"),
    # a worry, not a pain, that keeps someone awake
    ("el asunto de la renta me tiene sin dormir", None,
     "el dolor de la espalda me tiene sin dormir", "doctor"),
    # a heart that jumps out of love or joy, or breaks at a lost game (the learned judge is
    # blocked only by a rule reading); on the stairs, or as a simile of pain, it is a report
    ("se me sale el corazón de alegría cuando te veo, mi amor", None,
     "se me sale el corazón cuando subo las escaleras", "emergency"),
    ("se me sale el corazón de alegría cuando te veo, mi amor", None,
     "se me sale el corazón de los nervios desde la inyección", "emergency"),
    ("perdimos la final y se me partió el corazón", None,
     "me duele como si se me partiera el corazón", "emergency"),
    # a question that opens with the procedure and asks what it does, over more words
    ("¿las infiltraciones bajan las defensas y provocan fiebre?", "info",
     "¿las infiltraciones bajan las defensas? tengo fiebre desde el martes", "doctor"),
    # before the procedure with the contracted article; long ago in "hace más de N años"
    ("antes del tratamiento me sangraba la nariz cuando hacía frío", None,
     "después del tratamiento me sangra la nariz cuando hace frío", "doctor"),
    ("hace más de quince años me dio una reacción alérgica al camarón", None,
     "hace más de una hora me dio una reacción alérgica, tengo la cara hinchada", "emergency"),
    # "eso no me pasaba antes de las inyecciones" says it is new, not old
    ("antes de las inyecciones me faltaba el aire al subir escaleras, por el asma", None,
     "me falta el aire al subir escaleras, eso no me pasaba antes de las inyecciones",
     "emergency"),
    # cannot finish a sentence without stopping to breathe ("sin parar a respirar" alone is
    # negated)
    ("mi papá ya termina las frases sin parar a respirar", None,
     "mi papá no termina una frase sin pararse a respirar", "emergency"),
    # "no ... ni ... ni" is one negation: both limbs cannot move
    ("no tengo problema para mover ni el brazo ni la pierna", None,
     "no puedo mover ni el brazo ni la pierna derecha", "emergency"),
    # muscle pain without the site named: expected while it eases, doctor when it grows
    ("el dolor muscular va cediendo, ya van dos días", "expected",
     "el dolor muscular va de mal en peor, ya van seis días", "doctor"),
    # a worse day in the past by its exact forms ("estaba" by dictionary form was also "está")
    ("el brazo ya va mejor, el martes estuvo peor", None, "la espalda está bastante peor hoy",
     "doctor"),
]


@pytest.mark.parametrize("first,first_level,second,second_level",
                         PAIRS + ROUND4_PAIRS + ROUND5_PAIRS + ROUND6_PAIRS
                         + ROUND7_PAIRS + ROUND8_PAIRS)
def test_kind_minimal_pairs(es, first, first_level, second, second_level):
    assert es.assess(first).level == first_level, es.assess(first).to_dict()
    assert es.assess(second).level == second_level, es.assess(second).to_dict()


# ----------------------------------------------------------------------------- the speller
@pytest.mark.parametrize("word", [
    "jabon", "orden", "salud", "relacion", "valor", "pension", "impresion", "mexico", "hola",
    "privado", "voltaren", "injection", "shot", "door", "fibre", "infants", "lomito",
    "carnitas", "decirle", "ahogarme", "desmayarme",
])
def test_real_words_are_never_corrected(es, word):
    assert es.speller.correct(word) is None


@pytest.mark.parametrize("slip,word", [
    ("fievre", "fiebre"), ("inchada", "hinchada"), ("llengua", "lengua"), ("sanger", "sangre"),
    ("precion", "presion"), ("palavras", "palabras"),
])
def test_slips_are_still_corrected(es, slip, word):
    assert es.speller.correct(slip) == word


def test_a_verb_with_its_pronouns_has_the_verbs_dictionary_form(es):
    assert es.normaliser.key("ahogarme") == "ahogar"
    assert es.normaliser.key("ahogandome") == "ahogar"
    assert es.assess("siento que voy a ahogarme").level == "emergency"


# ------------------------------------------------------------ the Spanish NLU questions data
# Every example of data/nlu/es except intent report_symptom asks, greets or books; the detector
# must not escalate them. Before this round 62 of 1,491 did (knots read as a growing lump,
# real words "corrected" into sign words, questions read as reports); after it, 2 of 1,493 (a
# migraine "que me empiezan en la nuca" and "38 grados es un problema después de la
# inyección?" - a measured temperature in a question is read as the patient's own).
NLU_QUESTIONS_ESCALATED_AT_MOST = 5
NLU_DIR = Path(__file__).resolve().parents[3] / "data" / "nlu" / "es"


def test_the_spanish_nlu_questions_do_not_escalate(es):
    pairs = [pair for path in sorted(NLU_DIR.glob("*.yml")) for pair in examples(path)]
    questions = [text for intent, text in pairs if intent != "report_symptom"]
    assert len(questions) > 1000
    escalated = [t for t in questions if es.assess(t).level in ESCALATING]
    assert len(escalated) <= NLU_QUESTIONS_ESCALATED_AT_MOST, escalated


# Spanish rules round 7 (session 18), kinds from the sixth blind Spanish development set
# (tests/dev_es_round6/);
# sentences written for these tests.
ROUND9_PAIRS = [
    # an emergency told now beside a medicine or an illness of years: the years date those
    ("tomo xarelto desde hace años, ¿voy a sangrar más?", None,
     "me sangra mucho y tomo xarelto desde hace años", "emergency"),
    ("tengo asma desde hace años, ¿me pueden inyectar igual?", None,
     "no puedo respirar y tengo asma desde hace años", "emergency"),
    ("tuve un infarto en 2017 y ya estoy bien, ¿me pueden inyectar?", None,
     "no para de salir, ya empapé dos toallas y tomo warfarina desde hace años", "emergency"),
    # dripping from the injection site to the floor, without the word "sangre"
    ("gotea la llave del baño al piso", None,
     "está goteando del pinchazo al suelo y no para", "emergency"),
    # the patient's own cough, asked about as normal, is a report
    ("¿es normal toser después de la inyección?", None,
     "cuando toso escupo algo rojo, ¿es normal?", "emergency"),
    # a story an outside teller or the internet told, asked about as a risk (hearsay) ...
    ("una vecina me contó que a ella se le hinchó la cara con el botox, ¿qué tan común es?", None,
     "mi vecina dice que se le está hinchando la cara ahora mismo, ¿qué tan común es?",
     "emergency"),
    ("vi en youtube que a una muchacha le faltaba el aire después, ¿eso pasa mucho?", None,
     "una muchacha en la sala de espera no puede respirar, ¿eso pasa mucho?", "emergency"),
    # ... not a relative relaying their own symptom, nor a story dated to now
    ("un conocido dijo que se desmayó hace años con una vacuna, ¿es cierto que pasa?", None,
     "mi esposo dice que se desmayó después de la inyección, ¿es cierto que pasa?",
     "emergency"),
    ("una amiga me dijo que tuvo pus en el piquete, ¿qué tan seguido pasa eso?", None,
     "una amiga me dijo que tiene pus en el piquete desde ayer, ¿qué tan seguido pasa eso?",
     "doctor"),
    # what a sign would be, asked in general, beside the same asked of one's own site
    ("si sale pus después, ¿eso sería infección?", None,
     "tengo el piquete rojo y caliente, ¿sería infección?", "doctor"),
    # (from the review of this round: a helper's own sentences)
    ("una señora en el foro dijo que se desmayó en la consulta, ¿es grave?", None,
     "Mi vecino me dijo que se desmayó en el carro después de su inyección, ¿es grave?",
     "emergency"),
    ("casi me desmayo de la emoción cuando me dieron la cita", None,
     "Me desmayé de la emoción al ver a mi hija y me golpeé la cabeza, sigo mareada", "emergency"),
    ("con lo que cobra el estacionamiento me están desangrando", None,
     "Pagué la cuenta y al salir me estaba desangrando por el piquete", "emergency"),
    ("Se colapsó la línea telefónica y no pude llamar", None,
     "Se me cerró la garganta después de la inyección", "emergency"),
    ("Cuando abrí la cuenta del hospital me dio un soponcio", None,
     "Cuando vi la sangre me dio un soponcio y me desmayé", "emergency"),
    # before the patient came to the clinic at all
    ("antes de conocerlos tuve la vista borrosa por una migraña, ya se me quitó", None,
     "desde que vine con ustedes tengo la vista borrosa", "emergency"),
    # fainting from joy, a price that bleeds one dry, a bill that gives one a fit ...
    ("casi me desmayo de la alegría cuando me llamaron para la cita", None,
     "casi me desmayo de los nervios en la camilla y sigo mareada", "emergency"),
    ("con lo que cobran por la consulta me están desangrando", None,
     "me están sacando sangre y me estoy desangrando por el brazo", "emergency"),
    ("al abrir la factura me dio un soponcio", None,
     "al ver la sangre me dio un soponcio y me caí al piso", "emergency"),
    # wheezing told before the breathing ("silbo AL RESPIRAR"), as "pecho ... silba" already was
    ("de niña silbaba al respirar por el asma, ya no", None,
     "tengo un silbido cuando respiro desde la inyección", "emergency"),
    # a sign asked in the future or conditional tense ("sangrar-é") ...
    ("tomo sintrom, ¿sangraré más de la cuenta con las infiltraciones?", None,
     "sangro mucho desde el piquete, ¿sangraré así toda la noche?", "emergency"),
    ("¿me mareará la anestesia?", None,
     "estoy muy mareada desde la inyección, ¿me mareará así todo el día?", "doctor"),
    # how many people a complication happens to ...
    ("¿cuántos pacientes terminan con el pulmón colapsado?", None,
     "creo que terminé con el pulmón colapsado, no puedo respirar", "emergency"),
    # a temperature asked about is no fever ("¿con QUÉ temperatura ...?") ...
    ("¿con qué temperatura se considera fiebre?", None,
     "ando con mucha temperatura desde anoche", "doctor"),
]


@pytest.mark.parametrize("first,first_level,second,second_level", ROUND9_PAIRS)
def test_round9_kind_pairs(es, first, first_level, second, second_level):
    assert escalation(es, first) == first_level, es.assess(first).to_dict()
    assert escalation(es, second) == second_level, es.assess(second).to_dict()


# Round 10 (session 20), by kind from the blind development set of round 7
# (tests/dev_es_round7/), each question or story beside the report that must still escalate
# (sentences written for these tests):
ROUND10_PAIRS = [
    # a condition opened by "en el caso de (que)", in chat spelling too ...
    ("en el caso d q me salga pus del piquete, qué hago?", None,
     "me está saliendo pus del piquete, qué hago?", "doctor"),
    # ... not "en el caso de" + someone ("as for my mom"), nor "imagínese que" telling what
    # happened (the review of this round)
    ("pongamos que se me hincha la lengua, ¿qué hago?", None,
     "En el caso de mi hija, se le hinchó la cara y no puede respirar", "emergency"),
    ("en el caso de que me dé fiebre, ¿los llamo?", None,
     "imagínese que me desmayé en la calle al salir de la clínica", "emergency"),
    # an age, a season gone by, since youth or birth: long before ...
    ("cuando tenía 15 años me desmayé en una vacuna, ¿me acuesto para la inyección?", None,
     "me desmayé hace una hora al salir de la inyección", "emergency"),
    ("el verano pasado tuve una infección en la pierna, ya sanó, ¿importa?", None,
     "desde la inyección tengo la zona infectada y con pus", "doctor"),
    ("tengo migrañas desde joven, ¿la inyección me sirve?", None,
     "tengo fiebre de 39, de siempre me dan fiebres altas", "doctor"),
    ("la presión baja la tengo de nacimiento, ¿me afecta la inyección?", None,
     "es la peor falta de aire de toda mi vida", "emergency"),
    ("cuando tenía 30 años me operaron de la rodilla y se infectó, ¿importa?", None,
     "A los 70 años me pusieron la inyección ayer y en la noche me dio fiebre de 39", "doctor"),
    # a greater risk asked about ...
    ("soy anémica, ¿es más fácil que me desmaye con la inyección?", None,
     "¿hay más riesgo de que me desmaye? ya me desmayé dos veces hoy", "emergency"),
    # a story from a screen, asked about as true or as drama ...
    ("en una serie un señor se desmayó con una inyección, ¿eso es puro drama?", None,
     "vi una serie y ahora yo me desmayé después de la inyección", "emergency"),
    # money that bleeds ...
    ("con tantas consultas mi cartera está sangrando", None,
     "mi brazo está sangrando mucho desde la inyección", "emergency"),
    # reports the rules had missed (round 7's recall misses, by kind): skin gone dark at the
    # site, the site not felt for hours, an arm and a leg not felt nor moved
    ("¿la piel se pone oscura con los esteroides en general?", None,
     "la zona del piquete se puso negra desde el martes", "doctor"),
    ("¿cuánto tiempo se queda dormida la zona normalmente?", None,
     "sigo sin sentir el hombro, ya van 10 horas", "doctor"),
    ("¿qué pasa si no siento el brazo y la pierna de un lado?", None,
     "no siento ni puedo mover el brazo y la pierna derecha", "emergency"),
    # something that has just happened, inside a condition, is told (as English "just") ...
    ("si acabo de tomar aspirina, ¿sangro más?", None,
     "si mi mamá se acaba de desmayar y no responde, ¿qué hacemos?", "emergency"),
    # a sign as an example, whether one should be reported, whom to call about one (as the
    # English kinds of development round 15) ...
    ("para algo como dificultad para respirar, ¿les llamo a ustedes o al 911?", None,
     "mi mamá tiene algo como una convulsión, ¿a quién llamo?", "emergency"),
    ("¿se debe reportar un dolor de cabeza después de la inyección?", None,
     "¿se debe reportar esto? me sangra mucho y no para", "emergency"),
    ("¿a quién llamo por una fiebre después de la inyección?", None,
     "¿a quién llamo por esta fiebre de 39 que tengo ahorita?", "doctor"),
    # a question about people in general, plural ...
    ("¿a los ancianos les sangra más el piquete?", None,
     "a mi papá le sangra mucho el piquete, ¿a los ancianos les pasa?", "emergency"),
    ("¿les da fiebre a los pacientes después de la inyección?", None,
     "¿a las personas mayores les da fiebre? mi mamá tiene 39 ahorita", "doctor"),
    ("¿los diabéticos sangran más con la inyección?", None,
     "¿los pacientes sangran mucho ayer después de la inyección?", "emergency"),
    # a laugh after "no puedo respirar" is no figure of speech
    ("¿es más probable que me sangre si tomo aspirina?", None,
     "no puedo respirar jaja, llamen a una ambulancia", "emergency"),
]


# Round 11 (session 21), by kind from the blind development set of round 8
# (tests/dev_es_round8/), each question or story beside the report that must still escalate
# (sentences written for these tests):
ROUND11_PAIRS = [
    # more ways to open a condition: "suponte que", "imaginemos que" (not "si de casualidad", a
    # polite opener too, nor "de llegarme a", also "to drop by": the review of this round)
    ("suponte que me empieza a salir pus, ¿llamo?", None,
     "si de casualidad alguien me lee, tengo la cara hinchada y me cuesta respirar", "emergency"),
    ("imaginemos que se me hincha la garganta, ¿qué hago?", None,
     "acabo de llegarme a la farmacia y siento que se me cierra la garganta", "emergency"),
    # ... and "igual tengo" (anyway) ends a supposition
    ("supongamos que me da fiebre el domingo, ¿a quién llamo?", None,
     "supongamos que es normal, igual tengo la cara hinchada y me silba el pecho", "emergency"),
    # someone in general as the subject of a sign after "pasa que" asks (not "¿es normal que
    # alguien tenga pus? yo tengo": the writer's own)
    ("¿qué tan seguido pasa que alguien se desmaye con la aguja?", None,
     "¿es normal que alguien tenga pus en el piquete? yo tengo y huele feo", "doctor"),
    # an age or youth gone by ...
    ("cuando era adolescente me desmayaba en la escuela, ¿me acuesto para la inyección?", None,
     "cuando era adolescente me desmayaba, pero hoy me desmayé después de la inyección",
     "emergency"),
    ("cuando tenía treinta y tantos se me colapsó un pulmón, ¿corro más riesgo?", None,
     "ayer cuando tenía treinta y ocho de fiebre me tomé paracetamol, hoy sigo igual", "doctor"),
    # whether the injections take headaches away asks; a fit of epilepsy is a seizure
    ("¿la inyección quita los dolores de cabeza?", None,
     "le dio un ataque de epilepsia a mi mamá en la clínica", "emergency"),
    # a judgment written without accents
    ("la fiebre despues de la inyeccion es algo comun o rarisimo?", None,
     "tengo fiebre de 38.7 desde la inyeccion, es algo comun?", "doctor"),
    # reports the rules had missed (round 8's recall misses, by kind): a taste of coins told
    # as "¿es normal que me sepa ...?", fluid that the site lets out, a throbbing head, skin
    # not felt
    ("¿es normal que le sepa mal la medicina a uno?", None,
     "¿es normal que me sepa la boca a fierro? me inyectaron hace media hora", "emergency"),
    ("mi perro suelta mucha agua por la boca", None,
     "el piquete suelta un liquidito amarillo desde ayer", "doctor"),
    ("¿las inyecciones ayudan con los dolores de cabeza?", None,
     "me late la cabeza desde la inyección y ya van tres días", "doctor"),
    ("¿cuánto tiempo se queda dormida la zona?", None,
     "sigo sin sentir la piel del hombro y ya es el día siguiente", "doctor"),
]


ROUND12_PAIRS = [
    # a sign named as what comes of ANY infection, injection or reaction is asked about in
    # general (not "de un lado", "de un color": the patient's own, the review of this round)
    ("¿de qué color es el pus de una infección?", None,
     "¿qué significa la boca chueca de un lado? mi papá salió así de la inyección", "emergency"),
    ("¿cómo se ve la roncha de una alergia?", None,
     "tengo la cara caída de un lado desde la inyección", "emergency"),
    # "hay que preocuparse por la fiebre" (one must) names anyone's; a follow-up that says it
    # does not stop, or since when, still reports it
    ("¿desde cuántos grados hay que preocuparse por la fiebre?", None,
     "¿hay que preocuparse por el sangrado? no para desde hace una hora", "doctor"),
    ("¿cuándo hay que ir a urgencias por el sangrado?", None,
     "¿es normal el sangrado? no para", "doctor"),
    # figures offered after a threshold question are options, not a reading (a reading told
    # with them still is one)
    ("¿cuántos grados ya se consideran fiebre? ¿38 o 38,5?", None,
     "tengo fiebre ¿38 o 38,5?", "doctor"),
    # figures of speech: a craze, a busy week, hard work, an annoyance, a bill or a view that
    # "left me breathless", a fright at a sight, a team that bled out, "pa' infarto" ...
    ("a mi sobrino le dio la fiebre del anime, ¿puede venir a la cita conmigo?", None,
     "a mi sobrino le dio fiebre de 39 después de la inyección", "doctor"),
    ("la semana fue de fiebre con tanto trabajo, ¿me cambian la cita?", None,
     "me sacó ronchas la inyección y se me hincha la cara", "emergency"),
    ("le sudamos sangre a la mudanza, ¿puedo ir mañana?", None,
     "me sale sangre del piquete y no para", "doctor"),
    ("me sacan ronchas los trámites del seguro, ¿me ayudan con la carta?", None,
     "la inyección me dejó sin aire, no puedo respirar bien", "emergency"),
    ("el precio me dejó sin aliento, ¿hay descuento?", None,
     "se me paró el corazón, no siento el pulso", "emergency"),
    ("se me paró el corazón cuando vi la cuenta", None,
     "mi esposo se desangra por el piquete, no para", "emergency"),
    ("la selección se desangró en el segundo tiempo, ¿abren el sábado?", None,
     "tengo dolor de pecho desde la inyección", "emergency"),
    ("la final estuvo pa' infarto, ¿a qué hora es mi cita?", None,
     "me está dando un infarto, me duele el pecho", "emergency"),
]


ROUND13_PAIRS = [
    # a mood or a circumstance in a follow-up after "y si ..." is no report; the patient's own
    # verb with the sign still is
    ("¿y si me mareo en el camión y voy sola?", None,
     "¿la inyección puede hinchar la cara? porque así estoy desde que salí", "emergency"),
    ("¿y si me sube la fiebre el domingo y ustedes están cerrados?", None,
     "¿es normal la calentura? porque mi hija tiene 39 desde anoche", "doctor"),
    # "ya es motivo", "ya amerita": by then, inside a condition; "ya" with a report is now
    ("si la hinchazón crece al segundo día, ¿ya es motivo para llamar?", None,
     "ya tengo la cara hinchada y ronchas, ¿es motivo para ir a urgencias?", "emergency"),
    ("en el caso hipotético de que me falte el aire, ¿llamo al 911?", None,
     "me falta el aire desde la inyección", "emergency"),
    # the condition of "en el caso de que ..." ends at its comma: the main clause may report
    ("en caso de que me salgan ronchas, ¿voy a urgencias?", None,
     "en el caso de que sea alergia, se me está cerrando la garganta", "emergency"),
    # ... not at the comma of an aside; a relative "está así" reports what was asked about
    ("en caso de que, por ejemplo, se me hinche la cara, ¿voy a urgencias?", None,
     "¿es grave tener la boca chueca? porque mi papá está así desde la inyección", "emergency"),
    # what the patient does not want to happen, how they react to a medicine, when a
    # complication starts: asked; a faint that is there is reported
    ("me da pena, no quiero desmayarme delante de la enfermera", None,
     "no quiero desmayarme pero ya siento que me desmayo", "emergency"),
    ("nunca me han puesto anestesia y no sé cómo reacciono", None,
     "mi esposo no reacciona desde que lo inyectaron", "emergency"),
    ("una infección en el piquete, ¿cuánto tarda en aparecer?", None,
     "mi reacción alérgica, ¿cuánto tarda en quitarse? tengo la cara hinchada", "emergency"),
    # "sin poder respirar"; sitting up at night to breathe (not to swallow food)
    ("me siento derecha para no ahogarme con la comida", None,
     "desde la inyección duermo sentada para no ahogarme", "emergency"),
    ("¿se puede hacer ejercicio sin poder usar el brazo?", None,
     "mi papá está sin poder respirar bien", "emergency"),
    # "tengo los dos" after two signs asked about reports them
    ("¿y si me da fiebre y estoy sola en casa?", None,
     "¿es peor la fiebre o el pus? tengo los dos desde ayer", "doctor"),
]

ROUND14_PAIRS = [
    # swelling with the site left unsaid is the site's; bloating or pride is not
    ("estoy hinchada de tanto comer, ¿puedo ir así a la cita?", None,
     "desde ayer la tengo bien hinchada y me arde", "doctor"),
    ("se me hinchó el pecho de orgullo cuando me llamaron", None,
     "la hinchazón sigue creciendo desde la inyección", "doctor"),
    # a mood and then "con" a sign reports the sign; "nerviosa con" something is a worry
    ("estoy nerviosa con la cita del lunes, ¿duele?", None,
     "¿es normal? estoy asustada y con la cara hinchada", "emergency"),
    # "se hinchó", "no estaba así de hinchado": the site swollen now
    ("¿y si se hincha el brazo en el trabajo?", None,
     "no estaba tan hinchado en la mañana y ahora sí", "doctor"),
    # bills, paperwork, a match or music as the cause of a figure of speech
    ("los recibos del hospital me están ahogando, ¿tienen planes de pago?", None,
     "me estoy ahogando desde que me pusieron la inyección", "emergency"),
    ("casi me da taquicardia con la final de ayer, ¿abren el lunes?", None,
     "me está dando taquicardia desde el piquete", "emergency"),
    ("me sangran los oídos con el ruido de la sala de espera", None,
     "me sangra el piquete y no para", "doctor"),
    # a temperature in the shade is the weather's
    ("aquí hacen 104 grados a la sombra, ¿hay estacionamiento techado?", None,
     "tengo 39 de temperatura y escalofríos", "doctor"),
]


ROUND15_PAIRS = [
    # an amount asked against what is normal (safety/context/expectations.py), in a message that
    # is only the question
    ("¿cuánta hinchazón es aceptable después del piquete?", None,
     "¿cuánto sangrado es normal? ya empapé tres gasas", "emergency"),
    ("¿qué tanto sangrado es normal después de la inyección?", None,
     "¿qué tanto sangrado es normal? a mi esposo no le para", "doctor"),
    # complications weighed against each other
    ("¿cuál es más común, la infección o el sangrado?", None,
     "¿cuál es peor, la hinchazón o la fiebre? las dos empezaron anoche", "doctor"),
    ("¿qué es más peligroso, el dolor de pecho o la falta de aire?", None,
     "¿qué es más peligroso, el dolor de pecho o la falta de aire? tengo los dos", "emergency"),
    ("¿cuál es más rara, la infección o el neumotórax?", None,
     "Mi mamá tiene esto desde ayer. ¿Qué es más grave, la fiebre o el pus?", "doctor"),
    # people in general asked about inside a sentence ("quería saber si la gente..."); the
    # clause of "saber si" ends at its comma
    ("quiero saber si en general los pacientes que toman anticoagulantes sangran más con esto",
     None, "quería saber si a los pacientes les da fiebre, tengo 39", "doctor"),
    ("me pregunto si las personas mayores se marean más después del piquete", None,
     "me pregunto si la gente sangra así de mucho después del piquete", "emergency"),
    ("quería saber si después del piquete, sale un poco de sangre", None,
     "me pregunto si la gente se desmaya después porque mi papá se desmayó hace rato",
     "emergency"),
    # a report before the question, or inside it, with the injection's moment
    ("¿arde mucho durante la inyección?", None,
     "La herida está supurando pus, ¿se infectó durante la inyección?", "doctor"),
    # a part of the body with "la/el" makes the options the writer's
    ("¿qué es más peligroso, el desmayo o la reacción alérgica?", None,
     "¿qué es más grave, la hinchazón de la garganta o las ronchas?", "emergency"),
]

# Round 16 (session 26): figures of speech and an old story the ninth Spanish development set
# showed escalated, beside the report that keeps its level.
ROUND16_PAIRS = [
    # a craze, not a temperature; a problem, not a headache
    ("ando con fiebre de compras desde que cobré, ¿puedo ir al gimnasio?", None,
     "ando con fiebre de 39 desde que me pusieron la inyección", "doctor"),
    ("mi mayor dolor de cabeza ahorita es el papeleo del seguro", None,
     "tengo un dolor de cabeza horrible y el seguro no contesta", "doctor"),
    # heat of a room
    ("el consultorio estaba ardiendo, ¿no sirve el aire?", None,
     "el piquete me está ardiendo desde ayer", "doctor"),
    # the year before last is before the procedure
    ("el año antepasado me salieron ronchas por unos mariscos, ¿lo anoto en alergias?", None,
     "desde la inyección me salieron ronchas por todo el cuerpo", "emergency"),
]

# Round 17 (session 27, a blind Spanish development set of risk questions and figures of speech,
# tests/dev_es_round10/, and its review): each look-alike beside a report in the same words.
ROUND17_PAIRS = [
    # the sign told right after a question about it (its review: a question about a sign is
    # followed by "me salieron", "amanecí así", "mi papá está así", "llevo 4 veces")
    ("¿las ronchas son normales después del piquete?", None,
     "las ronchas son normales? me salieron por todo el cuerpo", "emergency"),
    ("¿la ronquera es normal después del botox?", None,
     "la ronquera es normal? amanecí así", "emergency"),
    ("¿es grave la cara caída?", None,
     "¿es grave la cara caída? mi papá está así", "emergency"),
    ("¿el vómito es normal después?", None,
     "¿el vómito es normal? llevo 4 veces", "doctor"),
    ("¿el pus es normal?", None,
     "¿el pus es normal? me está saliendo del piquete", "doctor"),
    # anyone ("alguien"; not "uno", which Spanish speakers say of themselves) after "que"; the
    # writer's own "no pueda"
    ("¿es normal que alguien tenga fiebre después?", None,
     "¿es normal que tenga fiebre? me pusieron la inyección ayer", "doctor"),
    ("¿es posible que alguien no pueda tragar después del botox?", None,
     "¿será normal que no pueda levantar el brazo? me inyectaron ayer", "emergency"),
    ("¿es normal que a alguien le dé comezón después del botox?", None,
     "me acaban de inyectar. ¿es normal que uno sienta que se le cierra la garganta?",
     "emergency"),
    # figures of speech
    ("esos políticos me revuelven el estómago, ¿me cambian la cita?", None,
     "se me revuelve el estómago y vomité dos veces desde el piquete", "doctor"),
    ("mi nieta dice que mi música le da urticaria jaja, ¿puede venir conmigo?", None,
     "a mi nieta le salió urticaria por todo el cuerpo después de la inyección", "emergency"),
    ("con lo que cobra el dentista me dio un soponcio, ¿cuánto es el copago?", None,
     "me dio un soponcio en la sala de espera después del piquete y me caí", "emergency"),
    ("la renta me tiene sin aire este mes, ¿aceptan pagos?", None,
     "me quedé sin aire desde la inyección en la espalda", "emergency"),
    ("bailamos hasta desmayarnos en la fiesta jaja, ¿la cita sigue el martes?", None,
     "mi esposo se desmayó en la fiesta después de su inyección", "emergency"),
    ("ese delantero se desmaya con cualquier roce, qué payaso, ¿a qué hora abren?", None,
     "mi papá colapsó en el baño después del piquete", "emergency"),
    ("estoy al borde del colapso con los exámenes, ¿puedo cambiar la cita?", None,
     "mi papá colapsó en el baño después del piquete", "emergency"),
    ("mi jefe es un dolor de cabeza, ¿me dan una constancia para el trabajo?", None,
     "tengo un dolor de cabeza que no se me quita desde la inyección", "doctor"),
    ("me dio la fiebre del pádel, ¿cuándo puedo jugar después del piquete?", None,
     "me dio fiebre de 38.5 después del piquete", "doctor"),
]


ROUND18_PAIRS = [
    # how much is too much, asked; the own told after it (its review: "yo tengo mucho", "no me
    # para", "me sale mucho", "me duele mucho")
    ("¿qué tanto sangrado es normal después del piquete?", None,
     "¿qué tanto sangrado es normal? yo tengo mucho", "doctor"),
    ("¿qué tanta hinchazón es normal?", None,
     "¿qué tanta hinchazón es normal? se me hinchó todo el brazo", "doctor"),
    ("¿a cuántos grados de fiebre tengo que llamar?", None,
     "¿es normal la fiebre que tengo que no baja?", "doctor"),
    ("quiero saber las señales de infección antes de la cita", None,
     "tengo señales de infección, me sale pus del piquete", "doctor"),
    # lay words of real signs beside their look-alikes
    ("con la gripa hablo gangosa, ¿me pueden inyectar igual?", None,
     "hablo gangoso desde la inyección de botox", "emergency"),
    ("la taza está caliente al tocarla, ¿puedo tomar café después?", None,
     "el piquete está caliente al tocarlo desde ayer", "doctor"),
    ("la gasa sigue manchada de yodo, ¿es normal?", None,
     "sigue manchando la gasa desde hace horas, no para", "doctor"),
    ("me dan escalofríos nomás de ver la aguja, pero sí voy", None,
     "tengo escalofríos y calentura desde el piquete", "doctor"),
    ("hay que sangrar los frenos del carro, ¿puedo cambiar la cita?", None,
     "me sangra el piquete y no para", "doctor"),
    ("¿qué pasa si se me dificulta tragar después del botox?", None,
     "se me dificulta pasar la saliva desde el botox", "emergency"),
]


ROUND19_PAIRS = [
    # the first injection still ahead, said anywhere in the message, beside a sign had since one
    ("la semana pasada tuve calentura pero mi primera cita es el lunes, ¿igual me inyectan?",
     None,
     "ayer me dio calentura, mi próxima cita es el lunes", "doctor"),
    ("el sábado pasado me dio un salpullido por el sol. todavía no me ponen las inyecciones",
     None,
     "me salió un salpullido donde me inyectaron, mi cita de seguimiento es el jueves",
     "doctor"),
    ("antier vomité por unos tacos, ya estoy bien. mi primera sesión es el miércoles", None,
     "ayer me salió pus del piquete, mi cita es el lunes", "doctor"),
    # figures of speech beside the sign they borrow
    ("mi comadre habla tanto que me deja sin aire jaja", None,
     "desde la inyección me quedo sin aire al caminar", "emergency"),
    ("la bolsa se desplomó esta semana, adiós ahorros", None,
     "mi mamá se desplomó en la cocina después del piquete", "emergency"),
    ("ya me dio la comezón de viajar, ¿puedo volar después?", None,
     "¿es normal que me pique muchísimo donde me inyectaron? no paro de rascarme", "doctor"),
]


@pytest.mark.parametrize("first,first_level,second,second_level",
                         ROUND10_PAIRS + ROUND11_PAIRS + ROUND12_PAIRS + ROUND13_PAIRS
                         + ROUND14_PAIRS + ROUND15_PAIRS + ROUND16_PAIRS + ROUND17_PAIRS
                         + ROUND18_PAIRS + ROUND19_PAIRS)
def test_round10_and_later_kind_pairs(es, first, first_level, second, second_level):
    assert escalation(es, first) == first_level, es.assess(first).to_dict()
    assert escalation(es, second) == second_level, es.assess(second).to_dict()
