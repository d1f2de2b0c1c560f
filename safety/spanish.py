"""Spanish for the warning-sign detector: normalisation, the lemma table and the spelling corrector
(the vocabulary and the accent folding are read by vocabulary_es.py, which needs no spaCy). The
engine that reads them is the English one (language.py).

* Accents are optional: every word is compared without them ("fíebre" = "fiebre" = "FIEBRE");
  "sí" (yes), "él" (he) and "sé" (I know: "no sé dónde estoy") keep their meaning. "¿" and "¡"
  are dropped (the closing "?" makes the question), except where "¿" opens a one-clause
  question that starts with an article or a bare verb (QUESTION_OPENING_WORDS, below).
* Dictionary forms come from spaCy's Spanish lookup table (spacy-lookups-data, es_lemma_lookup),
  folded the same way: "hinchó", "hinchado", "hinchando" -> "hinchar". A few context-free slips
  of the table are corrected in LEMMA_FIXES ("falta" is the verb faltar, not the adjective).
  A verb with its pronouns written onto it has the verb's form ("ahogarme" -> ahogar).
* Grammar words are read as the engine's language-neutral keys (GRAMMAR): "no", "nunca" ->
  never, "sin" -> without, "ni" -> nor, "pero" -> but, "y" -> and, "si" -> if, "mi" -> my...
  so the context rules (negation scope, clauses, conditionals, who is speaking) run unchanged.
  Two differ from English: a definite article after "es", "son", a judgment ("normal",
  "grave", "común"...) or the opening of a question is read as an indefinite one (Spanish asks
  "¿es grave LA falta de aire?", "¿qué tan común es EL sangrado?", "¿LA fiebre es normal?" of
  these in general, where English has no article), and "que" keeps its own key (a
  conjunction, not the demonstrative "that": "¿puede hacer QUE vea doble?"). Chat
  abbreviations are read as the words they stand for ("q" = que, "xq" = porque, "tb" =
  también, "pa" = para, "x" = por, "d" = de).
* Spelling slips are corrected towards the vocabulary's words (spelling.py), but a real word
  never is: every form of the lemma table, every verb with its pronouns ("ahogarme",
  "decirle", "ahogándome"), every Spanish word that is common on the web (spaCy's Spanish word
  frequencies: "salud", "orden", "jabón", "relación") and every common English word a patient
  mixes in ("injection", "shot", "door") are left as written. A rarer word is corrected only
  towards a word much more frequent than itself ("abuja" -> aguja, never "carbajo" -> gargajo,
  nor a brand name: "Voltarén" is not "vomitaren").
* The signs, their levels and their clinical meaning come from vocabulary.yml; the Spanish lay
  wording, labels and reassurances from vocabulary_es.yml, the Spanish cues from
  context_cues_es.yml (all three merged by vocabulary_es.py).
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from . import vocabulary_es
from .normalise import Normaliser, NormToken
from .spelling import (
    SpellingCorrector,
    cue_surface_words,
    load_common_words,
    spelling_targets,
)
from .table_cache import cached_table
from .vocabulary import Vocabulary
from .vocabulary_es import ACCENTED, fold

# Words a "..." gap of a pattern never crosses (besides punctuation), as written (folded).
GAP_STOPPERS_ES = frozenset({"pero", "aunque", "sino", "excepto", "salvo", "sin_embargo"})

# Grammar words -> the engine's keys (context/words.py), written without accents.
GRAMMAR = {
    # negation
    "no": "no", "nunca": "never", "jamas": "never", "sin": "without", "ni": "nor",
    "tampoco": "not", "ningun": "none", "ninguno": "none", "ninguna": "none",
    "ningunos": "none", "ningunas": "none", "nop": "nope", "nel": "nope",
    # joining words
    "pero": "but", "aunque": "though", "sino": "but", "excepto": "except", "salvo": "except",
    "y": "and", "e": "and", "o": "or", "u": "or", "entonces": "then", "luego": "then",
    "porque": "because", "xq": "because", "pq": "because", "porq": "because", "xk": "because",
    "pk": "because", "tambien": "also", "tb": "also", "tmb": "also", "tbn": "also",
    "mientras": "while",
    # conditions
    "si": "if", "cuando": "when", "cuandos": "when",
    # people
    "yo": "i", "mi": "my", "mis": "my", "tu": "your", "tus": "your", "su": "his", "sus": "his",
    "nuestro": "our", "nuestra": "our", "nuestros": "our", "nuestras": "our", "ella": "she",
    "ellos": "they", "ellas": "they", "nosotros": "we", "nosotras": "we", "elhe": "he",
    "yes": "yes",
    # articles ("un/una" are "an", apart from the preposition "a"; "el/la" are "the", or "an"
    # where Spanish names a thing in general: GENERIC_ARTICLE_AFTER)
    "el": "the", "la": "the", "los": "the", "las": "the", "un": "an", "una": "an",
    "unos": "some", "unas": "some",
    # "que" and its chat spellings: a conjunction or a relative, never the demonstrative
    # "that" of "is THAT rash normal?" ("¿puede hacer QUE vea doble?" is not "that double")
    "que": "que", "q": "que", "k": "que", "ke": "que", "esto": "this",
    # chat abbreviations
    "d": "de", "pa": "para", "x": "por", "xa": "para", "dsd": "desde", "dsp": "despues",
    "dps": "despues", "hrs": "hora", "hr": "hora", "hs": "hora", "min": "minuto",
    "mins": "minuto", "seg": "segundo", "toy": "estar", "tngo": "tener", "tng": "tener",
    "kiero": "querer", "porfa": "favor", "xfa": "favor", "tmp": "tampoco", "bn": "bien",
    # prepositions and pronouns the lookup table reads as verb forms ("de" -> dar)
    "de": "de", "a": "a", "en": "en", "con": "con", "por": "por", "para": "para", "se": "se",
    "me": "me", "te": "te", "le": "le", "lo": "lo", "nos": "nos", "les": "les", "del": "del",
    "al": "al", "mas": "mas", "sobre": "sobre", "entre": "entre", "hasta": "hasta",
    "mñn": "manana", "mna": "manana", "dr": "doctor", "dra": "doctor", "hosp": "hospital",
}
# Written forms read as another one: "tampoco" (neither) is a "no", also as a checklist answer
# after the sign ("fiebre no, escalofríos TAMPOCO").
# "volver EN sí", "DE por sí": the pronoun "sí", written without its accent, after these
PREPOSITIONS_BEFORE_SI = frozenset({"en", "de", "por", "para", "entre", "a"})
WRITTEN_AS = {"tampoco": "no", "tampoko": "no", "tmp": "no"}
# Context-free slips of the lookup table in this domain (folded form -> dictionary form).
LEMMA_FIXES = {
    "esta": "estar", "falta": "faltar", "faltas": "faltar", "morado": "morado", "morada": "morado",
    "morados": "morado", "moradas": "morado", "oido": "oido", "oidos": "oido",
    "pecho": "pecho", "sangre": "sangre", "cara": "cara", "boca": "boca", "mano": "mano",
    "manos": "mano", "ronco": "ronco", "ronca": "ronco", "vista": "vista", "calor": "calor",
    "toca": "tocar", "duro": "duro", "dura": "duro", "rojo": "rojo", "roja": "rojo",
    "rojos": "rojo", "rojas": "rojo", "caliente": "caliente", "calientes": "caliente",
    "siento": "sentir", "sentado": "sentar", "pica": "picar", "pique": "picar",
    "mareo": "mareo", "mareos": "mareo", "vomito": "vomitar", "vomitos": "vomitar",
    "piquete": "piquete", "piquetes": "piquete", "tos": "tos", "ojo": "ojo", "ojos": "ojo",
    "labio": "labio", "dedo": "dedo", "dedos": "dedo", "azucar": "azucar", "azucares": "azucar",
    "temperatura": "temperatura", "grado": "grado", "grados": "grado", "fiebre": "fiebre",
    "fiebres": "fiebre", "pus": "pus", "bien": "bien", "mal": "mal", "mas": "mas",
    "menos": "menos", "mejor": "mejor", "peor": "peor", "sigo": "seguir", "sigue": "seguir",
    "siguen": "seguir", "seguia": "seguir", "puedo": "poder", "puede": "poder",
    "dolor": "dolor", "dolores": "dolor", "ayer": "ayer", "hoy": "hoy", "cuesta": "costar",
    "cuello": "cuello", "brazo": "brazo", "lengua": "lengua", "garganta": "garganta",
    "pierna": "pierna", "nada": "nada", "todo": "todo", "toda": "todo", "todos": "todo",
    "todas": "todo", "muy": "muy", "como": "como", "hinchazon": "hinchazon",
    "ardor": "ardor", "sarpullido": "sarpullido", "salpullido": "sarpullido",
    "duela": "doler", "duelan": "doler",  # "que me duela el pecho", not a barrel stave
    # nouns the table reads as verbs: a plaster is not "tiritar" (to shiver), a heating pad is
    # not "almohadillar", "privado" (private) is not "privar" (se privó = fainted)
    "tirita": "tirita", "tiritas": "tirita", "almohadilla": "almohadilla",
    "almohadillas": "almohadilla", "privado": "privado", "privada": "privado",
    "privados": "privado", "privadas": "privado",
}
_SPLIT_ES = {"pal": ("pa", "l"), "del": ("de", "l"), "al": ("a", "l")}
# Object pronouns written onto an infinitive or a gerund ("ahogarme", "decirle", "dármelo",
# "ahogándome"), longest first; the verb keeps its dictionary form ("ahogarme" -> ahogar).
CLITICS = ("selos", "selas", "noslo", "nosla", "melos", "melas", "telos", "telas", "selo",
           "sela", "melo", "mela", "telo", "tela", "nos", "les", "los", "las", "me", "te", "se",
           "le", "lo", "la")
VERB_ENDINGS = ("ar", "er", "ir", "ando", "iendo", "yendo")
# Spanish words at least this common (natural log of their probability in spaCy's Spanish word
# frequencies, spacy-lookups-data es_lexeme_prob) are real words, never spelling-corrected.
COMMON_WORD_LOG_PROB = -15.0
# A rarer word found in those frequencies is corrected only towards a word at least this much
# more frequent (e^3.5 = 33 times): "abuja" -> aguja, but never "carbajo" -> gargajo.
SLIP_LOG_PROB_MARGIN = 3.5
UNSEEN_LOG_PROB = -25.0



# The code the stored lexicon tables come from (their cache key with the data file): the folding
# below, and `fold` itself.
TABLE_CODE = (Path(__file__), Path(vocabulary_es.__file__))


def _lookups_data(name: str) -> Path:
    import spacy_lookups_data

    return Path(spacy_lookups_data.__file__).parent / "data" / name


@lru_cache(maxsize=1)
def load_lemma_lookup_es() -> dict[str, str]:
    """spaCy's Spanish lookup lemma table (spacy-lookups-data), folded: written form without
    accents -> dictionary form without accents. Where two forms fold together, the one written
    without accents wins ("esta" = este). Kept on disk between starts (table_cache.py)."""
    path = _lookups_data("es_lemma_lookup.json.gz")
    return cached_table("es_lemmas", [path, *TABLE_CODE], lambda: _fold_lemma_lookup(path))


def _fold_lemma_lookup(path: Path) -> dict[str, str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        raw = json.load(handle)
    table: dict[str, str] = {}
    for form, lemma in raw.items():
        folded = fold(str(form))
        if not folded.isalpha():
            continue
        if folded in table and folded != str(form).lower():
            continue
        table[folded] = fold(str(lemma))
    # a noun read as a verb form ("sitio" -> sitiar, "esposo" -> esposar): when its plural
    # has the noun itself as its dictionary form, the noun is kept
    for form, lemma in list(table.items()):
        if (lemma != form and lemma.endswith(("ar", "er", "ir")) and form[-1:] in ("o", "a", "e")
                and table.get(form + "s") == form):
            table[form] = form
    table.update(LEMMA_FIXES)
    return table


def clitic_verb(word: str, lemmas: dict[str, str]) -> str | None:
    """The verb of an infinitive or gerund with object pronouns written onto it ("ahogarme" ->
    "ahogar", "ahogandome" -> "ahogando", "darmelo" -> "dar"), or None."""
    for clitic in CLITICS:
        stem = word[: -len(clitic)]
        if word.endswith(clitic) and len(stem) >= 3 and stem.endswith(VERB_ENDINGS) and (
            stem in lemmas or stem in _lemma_values(id(lemmas), lemmas)
        ):
            return stem
    return None


_VALUES: dict[int, frozenset[str]] = {}


def _lemma_values(key: int, lemmas: dict[str, str]) -> frozenset[str]:
    if key not in _VALUES:
        _VALUES[key] = frozenset(lemmas.values())
    return _VALUES[key]


@lru_cache(maxsize=1)
def load_word_frequencies_es() -> dict[str, float]:
    """spaCy's Spanish word frequencies (spacy-lookups-data es_lexeme_prob), folded: written
    form without accents -> the highest log probability of the forms that fold together. Kept
    on disk between starts (table_cache.py)."""
    path = _lookups_data("es_lexeme_prob.json.gz")
    return cached_table("es_frequencies", [path, *TABLE_CODE],
                        lambda: _fold_word_frequencies(path))


def _fold_word_frequencies(path: Path) -> dict[str, float]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        raw = json.load(handle)
    table: dict[str, float] = {}
    for form, prob in raw.items():
        folded = fold(str(form))
        if folded.isalpha() and prob > table.get(folded, UNSEEN_LOG_PROB):
            table[folded] = float(prob)
    return table


# A Spanish question is marked by "¿ ... ?", not by word order. A question of one clause that
# opens with an article ("¿la fiebre es normal después?", "¿el sangrado es peligroso?") or with
# a bare verb of how the procedure feels ("¿duele más en el cuello?", "¿arde la lidocaína al
# entrar?") gets a question mark at its start that the rules read as a question opener (like
# English "is ...?"): a judgment after the sign ("normal", "peligroso": `trailing_question`)
# then asks about it in general, and the cues can name it (written "¿" in the cue files: "¿
# duele|arde ..."). Not in a question of more than one clause ("¿sangra mucho, es normal?"
# reports the bleeding) nor one that opens with anything else ("sangra mucho es normal?", "¿me
# duele el pecho, es normal?"): a report cue still makes any of them a report.
QUESTION_MARK = "¿"
QUESTION_MARK_KEY = "what"  # a question opener for the rules (context/words.py)
QUESTION_OPENING_WORDS = frozenset({
    "el", "la", "los", "las", "un", "una", "unos", "unas",
    "duele", "duelen", "arde", "arden", "pica", "pican", "molesta", "molestan", "quema",
    "queman", "lastima", "escuece", "dolera", "ardera",
})
QUESTION_LEAD_INS_ES = frozenset({"y", "e", "pero", "oye", "oiga", "hola", "disculpe", "perdon",
                                  "doctor", "doctora", "dr", "dra", "entonces", "bueno"})
CLAUSE_BREAK_KEYS = frozenset({"but", "though", "except"})
DEFINITE_ARTICLES = frozenset({"el", "la", "los", "las"})
# after these (or the opening mark of a question) "el/la" name a thing in general: "¿qué tan
# común ES EL sangrado?", "¿es GRAVE LA falta de aire?", "¿LA fiebre es normal?" - read as
# "an", not as the patient's own ("is THE swelling normal?"); elsewhere "me preocupa LA
# hinchazón" stays the patient's own
GENERIC_ARTICLE_AFTER = frozenset({
    "es", "son", "seria", "serian", "sera", "seran", "era", "eran", "normal", "normales",
    "comun", "comunes", "grave", "graves", "peligroso", "peligrosa", "peligrosos",
    "peligrosas", "frecuente", "frecuentes", "raro", "rara", "raros", "raras", "malo", "mala",
    "malos", "malas", "tipico", "tipica", "posible", "posibles", "usual", "esperado",
    "esperada", "preocupante", "riesgoso", "riesgosa", "habitual", "momento", "punto",
})
# "el pus DE UNA infección", "la fiebre después DE UNA inyección": a sign named as what comes of
# any infection, injection or reaction is asked about in general (a report keeps its own cue: "ME
# SALIÓ la roncha de una alergia"). Only these nouns: "la sonrisa chueca DE UN LADO", "el brazo
# DE UN COLOR morado" describe the patient's own.
INDEFINITE_AFTER_OF = frozenset({"un", "una", "cualquier"})
GENERIC_SOURCES = frozenset({"infeccion", "inyeccion", "infiltracion", "alergia", "reaccion",
                             "persona", "paciente", "procedimiento", "tratamiento"})
GENERIC_OF = frozenset({"riesgo", "riesgos", "probabilidad", "probabilidades", "posibilidad",
                        "posibilidades", "peligro", "sintomas", "senales", "signos", "lo",
                        "efecto", "efectos", "casos", "caso", "frecuencia"})
# a question with one of these says what is there now ("¿la zona ESTÁ roja, es normal?", "¿la
# fiebre de MI hijo es normal?"): no opening mark
REPORTING_WORDS = frozenset({
    "esta", "estan", "estoy", "estas", "estamos", "estaba", "estaban", "estuvo", "tengo",
    "tiene", "tienen", "tenemos", "tenia", "tenian", "tuve", "tuvo", "siento", "siente",
    "sienten", "senti", "sintio", "sigue", "siguen", "sigo", "ando", "anda", "andan", "noto",
    "note", "traigo", "trae", "mi", "mis", "ya", "ahora", "ahorita", "todavia", "aun",
})


class SpanishNormaliser(Normaliser):
    """Normaliser for Spanish: accents folded, grammar words read as the engine's keys."""

    # parentheses are read through: "boto el desgarro (la flema) con sangre" is one phrase
    dropped_marks = frozenset({"¿", "¡", "¿¿", "¡¡", "(", ")"})

    def written(self, lower: str) -> str:
        written = ACCENTED.get(lower) or fold(lower)
        return WRITTEN_AS.get(written, written)

    def _key(self, lower: str) -> str:
        if lower in GRAMMAR:
            return GRAMMAR[lower]
        if lower not in self._lemmas:
            verb = clitic_verb(lower, self._lemmas)  # "ahogarme" -> ahogar
            if verb is not None:
                return self._lemmas.get(verb, verb)
        return self._lemmas.get(lower, lower)

    @staticmethod
    def split_word(lower: str) -> list[tuple[str, int]]:
        return [(lower, 0)]

    def _normalise(self, raw, spell):  # noqa: ANN001 - same signature as Normaliser
        marks = [start for text, start, _ in raw if text in ("¿", "¿¿")]
        tokens = self._grammar_pass(super()._normalise(raw, spell), message=spell)
        if not spell:  # a pattern of the vocabulary or the cues: its "¿" is the question mark
            return _with_marks(tokens, [(m, m + 1, False) for m in marks])
        return _generic_articles(_with_marks(tokens, _question_openings(tokens, marks)))

    def _grammar_pass(self, tokens: list[NormToken], message: bool) -> list[NormToken]:
        out: list[NormToken] = []
        for i, token in enumerate(tokens):
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if token.lower == "si" and out and out[-1].lower == "como" and not (
                    len(out) > 2 and out[-2].key == "ser" and out[-3].key == "no"):
                continue  # "se ve COMO SI tuviera pus", "es como si me ahogara": as if, no "if"
                # (denied, "NO ES como si me ahogara" keeps its "if": it is not the case)
            if token.lower == "si" and following is not None and _if_you_saw(tokens, i + 1):
                continue  # "SI SUPIERAS el dolor de pecho que tengo": an exclamation, no "if"
            if token.lower == "si" and _si_is_yes(out, tokens, i, message):
                token = token._replace(lower="yes", key="yes")
            elif token.lower == "ni" and following is not None and (
                    following.lower == "siquiera" or _can(following.lower)):
                # "NI SIQUIERA puedo respirar", "NI puedo tragar": not even, a plain "no"
                token = token._replace(lower="no", key="no")
            elif token.lower == "siquiera" and out and out[-1].key == "no":
                continue
            elif token.lower == "ni" and len(out) > 1 and out[-2].key == "no" and (
                    _can(out[-1].lower) or out[-1].lower in ("deja", "dejaba", "dejó", "dejo")):
                continue  # "no puedo NI respirar", "no me deja NI hablar": "not even"
            elif _points_at_a_thing(token.lower, following):
                # "¿es normal ESTE pus?", "¿será normal ESTA fiebre?": the writer's own, as
                # English "is THIS rash normal?" ("esta" is also "está": only before a noun)
                plural = token.lower.endswith("s")
                token = token._replace(key="these" if plural else "this")
            elif token.lower == "por" and following is not None and following.lower == "que":
                token = token._replace(lower="why", key="why")  # "¿por qué?" asks about now
            elif token.lower == "que" and out and out[-1].lower == "why":
                continue
            elif token.lower == "'" and out and out[-1].lower == "pa":
                continue  # "pa'" is "para": "el partido fue PA' infarto"
            out.append(token)
        return out


def _si_is_yes(out: list[NormToken], tokens: list[NormToken], i: int, message: bool) -> bool:
    """"si, me duele", "si y vomito", "ayer no tenía pus, hoy si", "si pus, ¿es malo?": a "si"
    without its accent that is "sí" (an "if" opens a clause; a pattern's lone "si" is the "if";
    "no vuelve en si" is "sí", itself)."""
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    closes = message if following is None else (
        following.is_punct or following.lower in ("y", "e"))
    if closes and not (out and out[-1].lower in PREPOSITIONS_BEFORE_SI):
        return True
    return message and _yes_then_a_thing(out, tokens, i)


# "si supieras / si vieras ...": "if you only knew / saw" exclaims about what is there ("si
# viera / supiera" may be "if I saw / knew": only before how much, how or an article)
IF_YOU_SAW = frozenset({"supieras", "supieran", "supieses", "supiesen", "vieras", "vieran",
                        "vieses"})
IF_YOU_SAW_HOW = frozenset({"cuanto", "cuanta", "cuantos", "cuantas", "como", "lo", "la", "el",
                            "los", "las"})


def _if_you_saw(tokens: list[NormToken], k: int) -> bool:
    word = tokens[k].lower
    return word in IF_YOU_SAW or (word in ("viera", "supiera") and k + 1 < len(tokens)
                                  and fold(tokens[k + 1].lower) in IF_YOU_SAW_HOW)


# "este/esta" point at the writer's own thing only before one of these ("este" is also "esté",
# "esta" also "está", written without the accent: "que la zona ESTE caliente", "no ESTA
# confundida")
POINTED_THINGS = frozenset({
    "pus", "sarpullido", "salpullido", "rash", "dolor", "dolores", "bulto", "bultos", "bola",
    "bolita", "bolitas", "grano", "granos", "moreton", "moretones", "hinchazon", "sangrado",
    "sangre", "liquido", "enrojecimiento", "ardor", "calor", "mareo", "mareos", "vomito",
    "vomitos", "fiebre", "calentura", "roncha", "ronchas", "mancha", "manchas", "infeccion",
    "inflamacion", "comezon", "picazon", "secrecion", "herida", "rojez", "hormigueo",
    "adormecimiento", "entumecimiento", "temblor", "temblores", "tos", "nausea", "nauseas",
    "sintoma", "sintomas", "ampolla", "ampollas", "costra", "olor", "debilidad", "ronquera",
})


def _points_at_a_thing(lower: str, following: NormToken | None) -> bool:
    """"¿es normal ESTE pus?": "este/esta/estos/estas" before a thing of POINTED_THINGS."""
    return following is not None and lower in ("este", "esta", "estos", "estas") and fold(
        following.lower) in POINTED_THINGS


# words that may stand beside the thing after a "sí": "si MUCHO pus", "si UN POCO de fiebre"
AMOUNTS = frozenset({"mucho", "mucha", "muchos", "muchas", "poco", "poca", "un", "una", "algo",
                     "de", "bastante", "tantito", "poquito", "poquita"})


def _yes_then_a_thing(out: list[NormToken], tokens: list[NormToken], i: int) -> bool:
    """"SI pus, ¿es malo?", "si fiebre, 38": a "si" that opens the message before a thing of
    POINTED_THINGS (with at most an amount) and a comma is "sí" (a condition needs its verb:
    "si hay pus", "si vomito, ¿es malo?", "si tomo anticoagulantes, ...")."""
    if any(not t.is_punct for t in out):
        return False
    k = i + 1
    while k < len(tokens) and not tokens[k].is_punct:
        k += 1
    words = [fold(t.lower) for t in tokens[i + 1:k]]
    return (0 < len(words) <= 3 and k < len(tokens) and tokens[k].lower == ","
            and any(w in POINTED_THINGS for w in words)
            and all(w in POINTED_THINGS or w in AMOUNTS for w in words))


def _can(lower: str) -> bool:
    """A form of "poder": puedo, puede, pude, podía, podemos..."""
    return lower.startswith(("pued", "pud", "pod"))


def _generic_articles(tokens: list[NormToken]) -> list[NormToken]:
    """"el/la/los/las" read as "an" after GENERIC_ARTICLE_AFTER, a question's opening mark or
    "de" after a word of risk (GENERIC_OF: "el riesgo DE LA infección", "lo DE LA reacción")."""
    out = list(tokens)
    for i in range(1, len(out)):
        previous = out[i - 1]
        if previous.lower in QUESTION_LEAD_INS_ES and i > 1 and out[i - 2].lower == QUESTION_MARK:
            previous = out[i - 2]  # "¿Y EL sangrado es normal?"
        of_risk = previous.lower == "de" and i > 1 and out[i - 2].lower in GENERIC_OF
        if out[i].lower in DEFINITE_ARTICLES and (
            previous.lower in GENERIC_ARTICLE_AFTER or previous.lower == QUESTION_MARK
            or of_risk or _after_one_must(out, i, previous) or _of_an_indefinite(out, i)
        ):
            out[i] = out[i]._replace(key="an")
    return out


def _after_one_must(tokens: list[NormToken], article: int, previous: NormToken) -> bool:
    """"¿a partir de cuántos grados HAY QUE preocuparse POR LA fiebre?": one must, anyone's (not
    with a relative clause or a "mi" that tells it: "... por el sangrado QUE no se detiene")."""
    return previous.lower in ("por", "de") and any(
        tokens[k].lower == "hay" and tokens[k + 1].lower == "que"
        for k in range(max(0, article - 7), article - 2)) and not any(
        t.lower in ("que", "q", "mi", "mis") for t in tokens[article + 2:article + 7])


def _of_an_indefinite(tokens: list[NormToken], article: int) -> bool:
    """"el pus DE UNA infección", "la fiebre (después) DE UNA inyección": the named thing (one
    word, then at most one more) is followed by "de", an indefinite article and GENERIC_SOURCES."""
    for k in (article + 2, article + 3):
        if (k + 2 < len(tokens) and tokens[k].lower == "de"
                and tokens[k + 1].lower in INDEFINITE_AFTER_OF
                and tokens[k + 2].lower in GENERIC_SOURCES
                and not any(t.is_punct for t in tokens[article + 1:k])):
            return True
    return False


def _with_marks(
    tokens: list[NormToken], spans: list[tuple[int, int, bool]]
) -> list[NormToken]:
    """The tokens with a question mark token at each (start, end) character span; a mark that
    opens a question inside a sentence ("disculpe, ¿la infección es común?") first ends the
    sentence before it, so that the question is a sentence of its own."""
    if not spans:
        return tokens
    marks: list[NormToken] = []
    for start, end, split in sorted(spans):
        if split:
            marks.append(NormToken(QUESTION_MARK, QUESTION_MARK, start, start, True, True))
        marks.append(NormToken(QUESTION_MARK, QUESTION_MARK_KEY, start, end, True, False))
    out: list[NormToken] = []
    k = 0
    for token in tokens:
        while k < len(marks) and marks[k].start <= token.start:
            out.append(marks[k])
            k += 1
        out.append(token)
    out.extend(marks[k:])
    return out


def _question_openings(
    tokens: list[NormToken], marks: list[int]
) -> list[tuple[int, int, bool]]:
    """Where a question mark opens a one-clause question that starts with an article or a bare
    verb of QUESTION_OPENING_WORDS: (start, end, inside a sentence) - the "¿" itself, or the
    question's first character."""
    spans: list[tuple[int, int, bool]] = []
    begin, previous_end = 0, 0
    for i, token in enumerate(tokens + [None]):
        if token is not None and not token.is_break:
            continue
        sentence = tokens[begin:i + 1] if token is not None else tokens[begin:]
        words = [t for t in sentence if not t.is_punct]
        if words:
            opened = [m for m in marks if previous_end <= m < words[0].start]
            inside = [m for m in marks if words[0].start < m]
            if _opens_question(sentence, bool(opened)):
                start = opened[0] if opened else words[0].start
                spans.append((start, start + 1 if opened else start, False))
            elif inside:  # "disculpe, ¿la infección es común?"
                rest = [t for t in sentence if t.start >= inside[-1]]
                if _opens_question(rest, True):
                    spans.append((inside[-1], inside[-1] + 1, True))
        if token is not None:
            begin, previous_end = i + 1, token.end
    return spans


def _opens_question(sentence: list[NormToken], opened: bool) -> bool:
    """A question ("?" or an opening "¿") of one clause, without a word that reports, whose
    first word (after a greeting) is one of QUESTION_OPENING_WORDS."""
    words = [t for t in sentence if not t.is_punct]
    asked = any("?" in t.lower for t in sentence)
    one_clause = not any(t.is_punct and not t.is_break for t in sentence) and not any(
        t.key in CLAUSE_BREAK_KEYS for t in sentence)
    first = next((t for t in words if t.lower not in QUESTION_LEAD_INS_ES), None)
    reports = any(t.lower in REPORTING_WORDS for t in words)
    return (asked or opened) and one_clause and not reports and first is not None and (
        first.lower in QUESTION_OPENING_WORDS)


class SpanishSpellingCorrector(SpellingCorrector):
    """The spelling corrector with Spanish real words: a verb with its object pronouns
    ("ahogarme", "decirle") is a word, and a word of the frequency list is corrected only
    towards a much more frequent one (SLIP_LOG_PROB_MARGIN)."""

    def __init__(self, targets, protected, typos, never_correct, lemmas, frequencies) -> None:
        super().__init__(targets, protected, typos, never_correct)
        self._lemmas = lemmas
        self._frequencies = frequencies

    def is_known(self, word: str) -> bool:
        return super().is_known(word) or clitic_verb(word, self._lemmas) is not None

    def _nearest(self, word: str) -> str | None:
        nearest = super()._nearest(word)
        if nearest is None or word not in self._frequencies:
            return nearest
        # a word seen on the web: only towards a much more frequent one, the nearest first
        floor = self._frequencies[word] + SLIP_LOG_PROB_MARGIN
        max_d = self.max_distance(word)
        found = process.extract(word, self._choices_for(len(word), max_d),
                                scorer=OSA.distance, score_cutoff=max_d, limit=None)
        allowed = [item for item in found
                   if self._frequencies.get(item[0], UNSEEN_LOG_PROB) >= floor]
        if not allowed:
            return None

        def order(item: tuple) -> tuple:
            target, distance = item[0], item[1]
            return (distance, target[0] != word[0], abs(len(target) - len(word)), target)

        return min(allowed, key=order)[0]


def protected_words_es(vocabulary: Vocabulary, lemmas: dict[str, str]) -> set[str]:
    """Real words that are never corrected: every form and dictionary form of the lemma table,
    the grammar words, the cue words, the common Spanish words of the frequency list and the
    common English words patients mix in ("injection", "shot")."""
    common_es = {w for w, p in load_word_frequencies_es().items() if p >= COMMON_WORD_LOG_PROB}
    return (set(lemmas) | set(lemmas.values()) | cue_surface_words(vocabulary) | set(GRAMMAR)
            | common_es | set(load_common_words()))


def spelling_corrector_es(vocabulary: Vocabulary, lemmas: dict[str, str]) -> SpellingCorrector:
    """Slips corrected towards the Spanish vocabulary's words; real words are never corrected
    (protected_words_es)."""
    return SpanishSpellingCorrector(
        spelling_targets(vocabulary, lemmas), protected_words_es(vocabulary, lemmas),
        vocabulary.typos, vocabulary.never_correct, lemmas, load_word_frequencies_es(),
    )
