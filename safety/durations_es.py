"""How long, in Spanish: the time spans a sentence gives (same answers as durations.py).

The Spanish phrases are rewritten into the English ones durations.py reads, so the rules about
what counts (explicit lengths win over anchors, a span about feeling fine does not count, "día
3" = 3 days) stay in one place:

    duration_hours("sigo con la pierna dormida desde ayer")   24.0  ("since yesterday")
    duration_hours("adolorido desde hace 3 días")              72.0  ("for 3 days")
    elapsed_hours("me inyectaron hace media hora")              0.5   ("half an hour ago")
"""

from __future__ import annotations

import re

from . import durations
from .vocabulary_es import fold

_WORDS = [
    # numbers
    (r"cuarenta y cinco", "45"), (r"media hora", "half an hour"), (r"medio dia", "12 hours"),
    (r"hora y media", "90 minutes"), (r"un par de", "a couple of"),
    (r"unos|unas|algunos|algunas|unos cuantos|unas cuantas", "a few"),
    (r"varios|varias", "several"), (r"muchos|muchas", "many"),
    (r"un|una|uno", "one"), (r"dos", "two"), (r"tres", "three"), (r"cuatro", "four"),
    (r"cinco", "five"), (r"seis", "six"), (r"siete", "seven"), (r"ocho", "eight"),
    (r"nueve", "nine"), (r"diez", "ten"), (r"once", "eleven"), (r"doce", "twelve"),
    (r"catorce", "fourteen"), (r"quince", "15"), (r"veinte", "20"), (r"treinta", "30"),
    (r"cuarenta", "40"),
    # units
    (r"segundos?|segs?", "seconds"), (r"minutos?|mins?", "minutes"),
    (r"horas?|hrs?|hs", "hours"), (r"dias", "days"), (r"dia", "day"), (r"noches?", "nights"),
    (r"semanas?", "weeks"), (r"meses|mes", "months"),
    # ordinal days: "al tercer día", "es el segundo día"
    (r"(?:el|al|en el)?\s*primer(?:o)? day", "day 1"), (r"(?:el|al|en el)?\s*segundo day", "day 2"),
    (r"(?:el|al|en el)?\s*tercer(?:o)? day", "day 3"), (r"(?:el|al|en el)?\s*cuarto day", "day 4"),
    (r"(?:el|al|en el)?\s*quinto day", "day 5"), (r"(?:el|al|en el)?\s*sexto day", "day 6"),
    (r"(?:el|al|en el)?\s*septimo day", "day 7"),
    # weekdays and anchors
    (r"lunes", "monday"), (r"martes", "tuesday"), (r"miercoles", "wednesday"),
    (r"jueves", "thursday"), (r"viernes", "friday"), (r"sabado", "saturday"),
    (r"domingo", "sunday"), (r"anteayer|antier|antes de ayer", "the other day"),
    (r"ayer en la (?:manana|tarde|noche)", "yesterday"),
    (r"anoche|ayer en la noche|ayer por la noche", "last night"), (r"ayer", "yesterday"),
    (r"esta manana|en la manana|hoy en la manana|por la manana", "this morning"),
    (r"esta tarde|en la tarde|por la tarde", "this afternoon"),
    (r"la semana pasada", "last week"), (r"el otro day", "the other day"),
    (r"el fin de semana", "the weekend"), (r"al day siguiente|el day siguiente", "next day"),
    (r"al otro day", "next day"),
    (r"todo el day|todo el santo day", "all day"), (r"toda la noche", "all night"),
    (r"toda la manana", "all morning"), (r"toda la tarde", "all afternoon"),
    (r"toda la semana", "all week"), (r"todo el fin de semana", "all weekend"),
    # how the span is said ("más de un día" = over a day; "transcurridas 48 horas" = after 48
    # hours)
    (r"mas de", "over"), (r"transcurridas|transcurridos|transcurrida|transcurrido", "after"),
    (r"desde hace|desde hara|hace ya|ya hace|ya llevo|llevo|lleva|llevamos|llevas|durante|por",
     "for"),
    (r"desde", "since"),
    # what was meant to last an hour "se convirtió en dos días" (= lasted for two days)
    (r"se (?:convirtio|volvio|transformo|hizo) en|se alargo a|se extendio a", "lasting"),
    (r"ya van|van|ya son|son|ya pasaron|pasaron|han pasado|ya han pasado"
                          r"|ya paso|paso|ha pasado", "been"),
    (r"despues de|luego de|tras", "after"), (r"solo|nomas|apenas", "only"),
    (r"y (?:todavia|aun|sigue|sigo|continua|continuo)", "and still"),
    (r"despues|mas tarde|luego", "later"), (r"ahora|ya", "now"), (r"como|unos|aprox", "about"),
    (r"bien|normal|mejor|perfecto|perfecta", "fine"),
]
_REWRITES = [(re.compile(r"\b(?:" + pattern + r")\b"), english) for pattern, english in _WORDS]
# "hace 3 días" = "3 days ago" (after the rewrite: "hace three days")
_AGO_RE = re.compile(r"\bhace\s+((?:about\s+)?[\w.]+(?:\s+(?:a\s+)?[\w]+)?\s+"
                     r"(?:seconds|minutes|hours|hour|days|day|nights|weeks|months|moment))\b")


def to_english(sentence: str) -> str:
    """The sentence's time phrases in the English durations.py reads."""
    text = fold(sentence).replace(",", " , ")
    for pattern, english in _REWRITES:
        text = pattern.sub(english, text)
    return _AGO_RE.sub(r"\1 ago", text)


def duration_hours(sentence: str, anchors_count: bool = True) -> float | None:
    return durations.duration_hours(to_english(sentence), anchors_count)


def elapsed_hours(sentence: str) -> float | None:
    return durations.elapsed_hours(to_english(sentence))
