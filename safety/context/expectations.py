"""Questions about what to expect (policy rule 10): the sign is only the measure of a question,
not something the writer reports.

  amount_asked_as_norm   "how much soreness and bruising is OK?", "¿cuánto sangrado es
                         normal?": an amount asked against what is normal
  worse_offered          "is it just a little pinch OR WORSE than that?", "does it feel like a
                         bee sting or worse": "worse" as the other choice of a comparison
  felt_during_the_injection  "does the pain shoot down your arm WHILE THEY'RE DOING IT?", "I'm
                         wondering if I'll feel anything strange WHILE THE NEEDLE IS moving":
                         the injection's own moment, asked about beforehand
  severity_asked         "hurt much?", "is it unbearable?", "is the pain severe?": how much
                         the injection hurts, asked as a bare yes/no question
  compared_as_options    "which is worse, an allergy or an infection?", "bruising, bleeding,
                         infection - which one is the most likely?", "¿qué es más grave, la
                         alergia o la infección?": complications weighed against each other

Each holds only in a message that is nothing but the question (`_only_asks`): one sentence,
which asks; no first person, possessive, "we/us" or person named anywhere ("... MINE won't
stop", "el desmayo DEL ABUELO"; the injection's moment allows "I'll feel"); and no report, time,
persistence or worsening cue outside the question's own words ("... no para de salir", "¿qué es
más grave AHORITA, ...?"). For an emergency sign only the comparison applies.
"""

from __future__ import annotations

from .structure import INVERSION_AUXILIARIES, TextStructure
from .words import (
    ARTICLES,
    FIRST_PERSON_KEYS,
    IRREGULAR_PAST,
    POSSESSIVES,
    QUESTION_LEAD_INS,
)

# "HOW MUCH bleeding", "HOW MANY bruises"; Spanish (folded) "CUÁNTO sangrado", "CUÁNTA fiebre"
AMOUNT_AFTER_HOW = frozenset({"much", "many"})
AMOUNT_WORDS = frozenset({"cuanto", "cuanta", "cuantos", "cuantas"})
TANTO = frozenset({"tanto", "tanta", "tantos", "tantas"})  # "¿qué TANTA hinchazón ...?"
# "is", "es", "sería" (whose key is "serio"), "counts as"
NORM_LINKS = frozenset({"be", "ser", "serio", "seria", "sería", "count", "considered",
                        "considerar", "considera"})
# between the amount word and the sign, or between signs ("how much soreness AND bruising",
# "cuánto calorcito O enrojecimiento")
AMOUNT_FILLERS = ARTICLES | {"and", "or", "y", "o", "of", "de", "del"}
# what may follow the norm: when ("after the shot", "después del piquete")
AFTER_NORM = frozenset({"after", "afterwards", "following", "post", "a", "an", "the", "these",
                        "those", "injection", "injections", "shot", "shots", "tpi", "tpis",
                        "procedure", "trigger", "point", "points", "jab", "jabs", "despues",
                        "después", "tras", "luego", "de", "del", "la", "el", "las", "los",
                        "piquete", "piquetes", "inyeccion", "inyección", "inyecciones",
                        "procedimiento"})
# how far after the sign the norm is asked ("cuánto enrojecimiento ALREDEDOR DEL PIQUETE sería
# normal")
NORM_REACH = 8
# what tells that something goes on ("won't stop", "keeps getting worse"), of now or of
# someone, and (REPORT_CUES) any report at all: read anywhere in the message
TOLD_ONGOING = ("persistence", "worsening", "anaphoric_report", "dating_follow_up", "current_time")
TOLD_NOW = TOLD_ONGOING + ("strong_current", "history_recent", "other_person")
REPORT_CUES = TOLD_NOW + ("current_report", "present_now")


def asks_what_to_expect(structure: TextStructure, start: int, end: int,
                        emergency: bool = False) -> bool:
    """Any of the shapes above; for an emergency sign only complications weighed against each
    other ("how much chest pain is normal after the shot?" may well be the writer's)."""
    if emergency:
        return compared_as_options(structure, start, end)
    return (amount_asked_as_norm(structure, start, end) or worse_offered(structure, start, end)
            or compared_as_options(structure, start, end)
            or felt_during_the_injection(structure, start, end)
            or severity_asked(structure, start, end))


def amount_asked_as_norm(structure: TextStructure, start: int, end: int) -> bool:
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    amount = _amount_word_before(structure, start, s_start)
    if amount is None or any(not (tokens[k].is_punct or _is(tokens[k], QUESTION_LEAD_INS))
                             for k in range(s_start, amount)):
        return False  # the question opens the message: not "WHOLE SHIRT WET, how much ..."
    norms = structure.words.get("norm_words", frozenset())  # context_cues.yml
    norm = next((k for k in range(end, min(s_end, end + NORM_REACH))
                 if _is(tokens[k], norms)
                 and any(_is(tokens[j], NORM_LINKS) for j in range(end, k))), None)
    if norm is None:
        return False
    # the question ends there, but for when: not "... is alright after a tpi, FROM THE NECK
    # DOWN TO THE SHOULDER BLADE?"
    if any(not (tokens[k].is_punct or _is(tokens[k], AFTER_NORM)) for k in range(norm + 1, s_end)):
        return False
    # (nothing exempt: "¿cuánto sangrado QUE NO PARA es normal?" names the warning form; "how
    # much ... is OK" asks without its question mark too)
    return _only_asks(structure, asked=True)


def _amount_word_before(structure: TextStructure, start: int, s_start: int) -> int | None:
    """Where "how much" / "cuánto" opens the sign's phrase: in the sign itself ("HOW much
    soreness" is matched from "much") or before it across articles, "and"/"or" and other signs."""
    tokens = structure.tokens
    k = start
    if not (tokens[k].key in AMOUNT_AFTER_HOW or tokens[k].key in AMOUNT_WORDS
            or tokens[k].lower in TANTO):
        k = start - 1
        while k >= s_start and (tokens[k].key in AMOUNT_FILLERS or k in structure.occupied
                                ) and not (tokens[k].key in AMOUNT_AFTER_HOW
                                           or tokens[k].key in AMOUNT_WORDS
                                           or tokens[k].lower in TANTO):
            k -= 1
    if k < s_start:
        return None
    if tokens[k].key in AMOUNT_WORDS:
        return k
    if tokens[k].lower in TANTO and k - 1 >= s_start and tokens[k - 1].lower in ("que", "qué"):
        return k - 1  # "¿QUÉ TANTO sangrado es normal?"
    if tokens[k].key in AMOUNT_AFTER_HOW and k - 1 >= s_start and tokens[k - 1].key == "how":
        return k - 1
    return None


COMPARATIVE_WORSE = frozenset({"worse", "peor"})
SCORE_WORDS = frozenset({"five", "six", "seven", "eight", "nine", "ten", "cinco", "seis", "siete",
                         "ocho", "nueve", "diez"})
INTENSIFIERS = frozenset({"even", "much", "aun", "aún", "todavia", "todavía", "mucho"})
# what may follow the choice offered: "or worse THAN THAT", "o peor QUE ESO"
AFTER_CHOICE = frozenset({"than", "that", "this", "it", "then", "even", "que", "ese", "eso",
                          "esto", "este", "aun", "aún", "todavia", "todavía"})


def worse_offered(structure: TextStructure, start: int, end: int) -> bool:
    tokens = structure.tokens
    # "worse" alone after "or" ("or EVEN worse", "o AÚN peor"), or a sign read across the
    # choice ("IS IT a pinprick OR WORSE")
    choice = end - 2
    if choice >= 0 and _is(tokens[choice], INTENSIFIERS):
        choice -= 1
    if not structure.is_question(start) or choice < 0 or tokens[choice].key != "or":
        return False
    if any(tokens[k].lower[:1].isdigit() for k in range(len(tokens))) or any(
            tokens[k].lower in SCORE_WORDS for k in range(max(0, choice - 3), choice)):
        return False  # a score offered: "is the pain like an 8 / like a TEN or worse?"
    if tokens[end - 1].key not in COMPARATIVE_WORSE:
        return False
    if start < choice and tokens[start].key not in SEVERITY_OPENERS:
        return False  # read across the choice only from "is it": not "STABBING like a knife
        # normal soreness or worse"
    s_start, s_end = structure.sentence_range(start)
    if not all(tokens[k].is_punct or _is(tokens[k], AFTER_CHOICE) for k in range(end, s_end)):
        return False  # "is it the same or worse than YESTERDAY" compares with before
    opener = next((k for k in range(s_start, choice)
                   if not (tokens[k].is_punct or _is(tokens[k], QUESTION_LEAD_INS))), None)
    if opener is None or tokens[opener].key not in SEVERITY_OPENERS:
        return False  # "MARIA'S PACING AND GROANING, is the pain ... or worse?"
    signs = [k for k in range(s_start, choice) if k in structure.occupied]
    if signs and signs[-1] - signs[0] + 1 != len(signs):
        return False  # "is the pain STABBING like a knife normal SORENESS or worse?" describes
    return _only_asks(structure, range(choice, end))  # not "is MY pain a 7 or worse?"


# "WHICH is worse", "WHICH ONE OF THOSE is the MOST likely", "¿QUÉ es MÁS grave?", "¿CUÁL es
# PEOR?" ("more" and "más" have the key "much"/"mas")
COMPARISON_HEADS = frozenset({"which", "what", "que", "cual", "cuál"})
COMPARISON_WORDS = frozenset({"worse", "worst", "much", "more", "most", "less", "least", "rarer",
                              "rarest", "likelier", "likeliest", "commoner", "commonest",
                              "riskier", "riskiest", "scarier", "scariest", "mas", "más", "peor",
                              "peores", "menos"})
COMPARISON_REACH = 7  # "which ONE OF THOSE IS THE most likely"


def compared_as_options(structure: TextStructure, start: int, end: int) -> bool:
    tokens = structure.tokens
    if not structure.is_question(start):
        return False
    s_start, s_end = structure.sentence_range(start)
    phrase = next((p for k in range(s_start, s_end)
                   if (p := _comparison_phrase(tokens, k, s_end)) is not None), None)
    if phrase is None:
        return False
    if not any(tokens[k].lower in ("?", "¿") for k in range(s_start, min(len(tokens), s_end + 1))):
        return False  # "which is worse chest pain or fainting 😭" may be a cry for help
    options = _options(structure, phrase, s_start, s_end)
    if options is None or len(options) < 2:
        return False
    if start not in phrase and not any(start in option for option in options):
        return False
    if any(k in structure.owned_negations for option in options for k in option):
        return False  # an inability is told, not weighed: "CAN'T BREATHE, chest pain - which ..."
    if _options_of_ones_own(structure, s_start, s_end):
        return False
    # not "which is worse, MY swelling or the redness?", "... both CAME UP LAST NIGHT"
    return _only_asks(structure, phrase, range(start, end))


# "which is worse, THE swelling or THE redness?" (English says "swelling or redness" of
# anyone's); Spanish says "la infección o el sangrado" of anyone's, so only a part of the body
# makes its options the writer's ("¿qué es más grave, la hinchazón DE LA GARGANTA o las
# ronchas?")
DEFINITE_WORDS = frozenset({"the", "this", "that", "these", "those"})
DEFINITE_ANY = DEFINITE_WORDS | {"el", "la", "los", "las", "del", "al", "este", "esta", "estos",
                                 "estas", "ese", "esa", "esos", "esas"}


def _options_of_ones_own(structure: TextStructure, s_start: int, s_end: int) -> bool:
    tokens = structure.tokens
    body = structure.words.get("body_words", frozenset())
    return any(k + 1 < s_end and (
        (tokens[k].lower in DEFINITE_WORDS and k + 1 in structure.occupied)
        or (tokens[k].lower in DEFINITE_ANY and _is(tokens[k + 1], body)))
        for k in range(s_start, s_end))


# what splits the options: "bruising, bleeding OR infection", "fiebre VS pus"
OPTION_SPLITTERS = frozenset({",", "or", "o", "and", "y", "-", "–", ":", "/", "vs", "versus",
                              "between", "entre", "?", "¿"})
# every option is a sign; what else the sentence says may only end the question ("the most
# likely TO HAPPEN?"); never what tells of the writer's ("GOT BOTH", "at rest for 2 hours")
OPTION_TAILS = frozenset({"to", "happen", "occur", "overall", "in", "general", "usually",
                          "generally", "typically", "of", "them", "these", "those", "ocurrir",
                          "pasar", "en", "normalmente"})
NOT_IN_AN_OPTION = frozenset({"both", "all", "three", "ambos", "ambas", "dos", "tres", "todo",
                              "todos", "todas", "rn", "tonight", "currently", "now", "ahorita",
                              "ahora", "night", "morning", "today", "yesterday", "hours", "days",
                              "noche", "mañana", "hoy", "ayer", "horas", "días", "dias"})


def _options(structure: TextStructure, phrase: range, s_start: int,
             s_end: int) -> list[range] | None:
    """The sentence outside the comparison, as options between OPTION_SPLITTERS: each one a
    sign alone, with its articles (not "chest pain AT REST FOR 2 HOURS"), or complications
    named (`complication_names`: "el neumotórax"), or words that only end the question
    (OPTION_TAILS). None if a part is none of these."""
    tokens = structure.tokens
    names = structure.words.get("complication_names", frozenset())
    options: list[range] = []
    k = s_start
    while k < s_end:
        if k in phrase or _is(tokens[k], OPTION_SPLITTERS) or tokens[k].is_punct:
            k += 1
            continue
        o_end = k
        while o_end < s_end and o_end not in phrase and not (
                _is(tokens[o_end], OPTION_SPLITTERS) or tokens[o_end].is_punct):
            o_end += 1
        words = _before_the_time_after(tokens, [j for j in range(k, o_end)
                                                 if tokens[j].key not in ARTICLES])
        if not words:
            k = o_end  # "which is more common AFTER THE SHOT, bleeding or infection?"
            continue
        if any(_is(tokens[j], NOT_IN_AN_OPTION | IRREGULAR_PAST) or tokens[j].lower[:1].isdigit()
               for j in words):
            return None  # "trouble breathing AT NIGHT", "... GOT BOTH"
        if all(_is(tokens[j], OPTION_TAILS) for j in words):
            k = o_end  # "... the most likely TO HAPPEN?"
            continue
        if any(j not in structure.occupied and not _is(tokens[j], names) for j in words):
            return None  # signs or complications named: not "..., HELP?", "... FOR MARIA"
        options.append(range(k, o_end))
        k = o_end
    return options


def _before_the_time_after(tokens, words: list[int]) -> list[int]:
    """An option's words without a closing time after the injection, which is when a
    complication happens to anyone: "bleeding or infection AFTER THE SHOT?" (not "since the
    shot", which dates a report)."""
    for n, j in enumerate(words):
        if _is(tokens[j], AFTER_WORDS) and all(_is(tokens[i], AFTER_NORM) for i in words[n:]):
            return words[:n]
    return words


# between the head and the comparison: "which ONE OF THOSE IS THE most likely", "¿qué ES más
# grave?"; nothing else ("what's GETTING worse, ..." tells that something is)
HEAD_FILLERS = frozenset({"one", "of", "those", "these", "them", "that", "is", "are", "be", "'s",
                          "s", "the", "es", "ser", "de", "los", "las", "el", "la", "estos",
                          "estas", "esos", "esas"})


def _comparison_phrase(tokens, head: int, s_end: int) -> range | None:
    """The comparison opened at `head`: "WHICH one of those is the most LIKELY", "QUÉ es más
    GRAVE" (through the adjective after "more"/"más", if one follows). None if none opens there."""
    if not _is(tokens[head], COMPARISON_HEADS):
        return None
    for k in range(head + 1, min(s_end, head + COMPARISON_REACH)):
        if _is(tokens[k], COMPARISON_WORDS):
            adjective = k + 1 < len(tokens) and tokens[k].key in AMOUNT_COMPARATIVES and (
                not tokens[k + 1].is_punct)
            return range(head, k + 2 if adjective else k + 1)
        if not _is(tokens[k], HEAD_FILLERS):
            return None
    return None


# "MORE likely", "MÁS grave": an adjective follows
AMOUNT_COMPARATIVES = frozenset({"much", "more", "most", "mas", "más", "less", "least", "menos"})


# "does it shoot down YOUR arm": anyone
GENERIC_YOU = frozenset({"your", "you"})
WRITER_TO_COME = frozenset({"i", "i'll", "ill"})
# the writer with others ("which is worse, ... WE'RE seeing both?"), and a slip for "I've"
WE_WORDS = frozenset({"we", "us", "we're", "we've", "weve", "iv", "y'all", "ya'll",
                      "nos", "nosotros", "nosotras"})
# "AFTER the shot", "DESPUÉS del piquete" (not "since the shot", which dates a report)
AFTER_WORDS = frozenset({"after", "following", "post", "despues", "después", "tras", "luego"})


# a bare yes/no question about how much it hurts: its opener and what it may name before the
# sign ("IS IT unbearable?", "IS THE pain severe?", "DOES THE SHOT hurt a lot?") and after it
SEVERITY_OPENERS = frozenset({"be", "do", "will", "would", "can"})
SEVERITY_SUBJECTS = frozenset({"it", "they", "the", "a", "pain", "shot", "shots", "injection",
                               "injections", "needle", "needles", "procedure", "tpi", "tpis"})
SEVERITY_WORDS = 2
SEVERITY_AFTER = frozenset({"at", "all", "usually", "normally", "typically", "for", "most",
                            "people"})


# the milder choice offered after the sign: "is it a sharp pain OR MORE LIKE PRESSURE", "OR
# JUST A PINCH", "or only a little"
MILDER_CHOICE = frozenset({"more", "much", "like", "just", "only", "a", "little", "bit",
                           "pressure", "pinch", "sting", "dull", "mild", "bearable", "tolerable",
                           "manageable", "ok", "okay", "fine", "not", "that", "bad"})


def _milder_choice(tokens, end: int, s_end: int) -> bool:
    words = [j for j in range(end, s_end) if not tokens[j].is_punct]
    return bool(words) and tokens[words[0]].key == "or" and len(words) <= 5 and all(
        _is(tokens[j], MILDER_CHOICE) for j in words[1:])


def severity_asked(structure: TextStructure, start: int, end: int) -> bool:
    """The message is one yes/no question: nothing before the sign but an opener and the
    injection or "it" ("hurt much?", "is it unbearable?"), nothing after it but "at all" or "for
    most people"; nothing of this moment or the past (TOLD_DONE: "why does it hurt SO much?",
    "is it supposed to hurt THIS bad?"), and the message only asks (`_only_asks`)."""
    tokens = structure.tokens
    if not structure.is_question(start) or end - start > SEVERITY_WORDS:
        return False  # a word or two of how much ("unbearable", "hurt much"), no description
    s_start, s_end = structure.sentence_range(start)
    k = s_start
    while k < start and (tokens[k].is_punct or _is(tokens[k], QUESTION_LEAD_INS)):
        k += 1
    if k < start and tokens[k].key in SEVERITY_OPENERS:
        k += 1
        if any(not _is(tokens[j], SEVERITY_SUBJECTS) for j in range(k, start)):
            return False
    elif k < start:
        return False  # "it hurts a lot?" tells it, rising
    elif tokens[start].lower.endswith("s") or tokens[start].lower.endswith("ing"):
        return False  # "hurts a lot?", "hurting a lot?" may tell it too; "hurt much?" asks
    if any(not (tokens[j].is_punct or _is(tokens[j], SEVERITY_AFTER)) for j in range(end, s_end)
           ) and not _milder_choice(tokens, end, s_end):
        return False
    if any(tokens[j].lower in TOLD_DONE for j in range(s_start, s_end)):
        return False
    return _only_asks(structure, range(start, end))


# what tells the moment as past ("while they WERE doing it") or as this one ("THIS much")
TOLD_DONE = frozenset({"was", "were", "did", "didn't", "wasn't", "weren't", "had", "felt", "went",
                       "got", "came", "this", "so", "still", "now", "fue", "pasó", "paso",
                       "puso", "salió", "salio", "quedó", "quedo", "hinchó", "hincho", "ya",
                       "ahora", "ahorita", "todavía", "todavia", "sigue", "esto", "así", "asi"})
# "FROM something during the injection", "POR algo durante": a cause asked, after the fact
CAUSE_WORDS = frozenset({"from", "by", "cause", "caused", "because", "due", "de", "por",
                         "culpa"})


def felt_during_the_injection(structure: TextStructure, start: int, end: int) -> bool:
    """The sentence asks (a question, or "wondering if" before the sign), holds a
    `during_the_injection` cue (context_cues.yml) and nothing past or of this moment
    (TOLD_DONE); no other sentence reports or dates anything, and nothing in the message tells
    of now."""
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    during = structure.hits_in("during_the_injection", s_start, s_end)
    if not during:
        return False
    if not (structure.is_question(start) or any(
            h.end <= start for h in structure.hits_in("hypothetical_question", s_start, s_end))):
        return False
    if any(tokens[k].lower in TOLD_DONE or (len(tokens[k].lower) > 2
                                             and tokens[k].lower.endswith("ó"))
           for k in range(s_start, s_end)):
        return False  # (and the Spanish past: "¿se infectó durante la inyección?")
    if any(tokens[k].lower == "," for k in range(s_start, during[0].start)):
        return False  # "La herida está supurando pus, ¿...durante la inyección?" tells first
    if any(_is(tokens[k], CAUSE_WORDS) for k in range(end, during[0].start)):
        return False  # "could the pus be FROM a nerve hit during the injection?" asks a cause
    if any(structure.hits(category) for category in TOLD_NOW):
        return False  # "the pain that KEEPS GETTING WORSE ..."
    # one sentence, nobody's own (but "I'll feel", "I wonder": the writer to come), no report
    # or time but the question's own "I will feel"
    return _only_asks(structure, *(range(h.start, h.end) for h in during),
                      range(s_start, end), future_self=True, asked=True)


def _only_asks(structure: TextStructure, *own_words: range, future_self: bool = False,
               asked: bool = False) -> bool:
    """The message is only the question: one sentence, which asks ("... or hives? BOTH, HELP",
    "... ¿EL ABUELO ESTÁ ASÍ?", "... ¿LO LLEVO A EMERGENCIAS?" tell more); no first person,
    possessive or person anywhere ("el desmayo DEL ABUELO"); no cue of REPORT_CUES but inside
    the question's `own_words` ("¿cuánto sangrado QUE NO PARA es normal?", "¿qué es más grave
    AHORITA, ...?"), or a time after the injection ("how much bruising is normal AFTER THE
    SHOT?"), which is when it happens to anyone."""
    tokens = structure.tokens
    worded = [(a, b) for a, b in structure.sentences
              if any(not tokens[k].is_punct for k in range(a, b))]
    # a question without a sign may lead in: "WHATS NORMAL AFTER? like how much soreness and
    # bruising is ok"
    while len(worded) > 1 and structure.is_question(worded[0][0]) and not any(
            k in structure.occupied for k in range(*worded[0])) and sum(
            tokens[k].lower.isalpha() for k in range(*worded[0])) >= 3:
        worded = worded[1:]  # (not a cry: "ASAP?? which is worse, ...")
    # ... or follow: "sharp pain or just pressure during the shots? HOW DOES IT FEEL" (a
    # question about a thing, "does it / is it ...", whose opening words are its own)
    trailing: list[range] = []
    while len(worded) > 1 and structure.is_question(worded[-1][0]) and not any(
            k in structure.occupied for k in range(*worded[-1])):
        t_start, t_end = worded[-1]
        if tokens[t_start].key == "how":  # "HOW does it feel" (not "why does it still hurt")
            t_start += 1
        inverted = _inverted_subject(structure, t_start, t_end)
        if not inverted:
            break
        trailing += inverted
        worded = worded[:-1]
    if len(worded) != 1 or not (asked or structure.is_question(worded[0][0])):
        return False  # (`asked`: the caller has read an asking frame: "I wonder if ...")
    # the subject the question's opening verb asks about is the question's own: "DOES IT FEEL
    # like a bee sting or worse" (not a report of "it feels")
    own_words = (*own_words, *trailing, *_inverted_subject(structure, *worded[0]))
    people = (FIRST_PERSON_KEYS | POSSESSIVES | WE_WORDS | structure.first_person | (
        structure.words.get("people_words", frozenset()))) - GENERIC_YOU
    if future_self:  # "will I feel", "I'll feel", "I wonder if": the writer, to come
        people = people - WRITER_TO_COME
    if any(_is(token, people) for token in tokens):
        return False
    after = [a for a in structure.hits("back_again") if tokens[a.start].key in AFTER_WORDS]
    return not any(
        not any(r.start <= h.start and h.end <= r.stop for r in own_words)
        and not (category == "history_recent"
                 and any(a.start <= h.start and h.end <= a.end for a in after))
        for category in REPORT_CUES for h in structure.hits(category))


# a thing as the subject of an opening "does / is / will": "does IT feel", "will THE SPOT be"
THING_SUBJECTS = frozenset({"it", "the", "a", "an", "tpi", "tpis"})  # not "this": the own


def _inverted_subject(structure: TextStructure, s_start: int, s_end: int) -> list[range]:
    """The words from a question's opening auxiliary through its thing subject and verb ("DOES
    IT FEEL like ...", "IS IT like ..."), or none (not "does MY arm": `_only_asks` refuses
    possessives anyway)."""
    tokens = structure.tokens
    i = s_start
    while i < s_end and (tokens[i].is_punct or _is(tokens[i], QUESTION_LEAD_INS)):
        i += 1
    if i + 1 >= s_end or tokens[i].lower not in INVERSION_AUXILIARIES \
            or tokens[i + 1].key not in THING_SUBJECTS:
        return []
    return [range(i, min(i + 4, s_end))]


def _is(token, words: frozenset[str]) -> bool:
    return token.key in words or token.lower in words
