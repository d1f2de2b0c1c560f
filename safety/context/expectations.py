"""Questions about what to expect (policy rule 10): the sign is only the measure of a question,
not something the writer reports.

  amount_asked_as_norm   "how much soreness and bruising is OK?", "¿cuánto sangrado es
                         normal?": an amount asked against what is normal
  worse_offered          "is it just a little pinch OR WORSE than that?", "does it feel like a
                         bee sting or worse": "worse" as the other choice of a comparison
  compared_as_options    "which is worse, an allergy or an infection?", "bruising, bleeding,
                         infection - which one is the most likely?", "¿qué es más grave, la
                         alergia o la infección?": complications weighed against each other

Each holds only in a message that is nothing but the question (`_only_asks`): no first person
or possessive anywhere ("... MINE won't stop", "... la MÍA sigue creciendo"), nobody named
("MI PAPÁ tiene esto desde ayer. ¿Cuál es más grave, ...?"), and no report, time, persistence or
worsening anywhere outside the question's own words ("... no para de salir", "Desde anoche estoy
así.").
"""

from __future__ import annotations

from .structure import TextStructure
from .words import ARTICLES, FIRST_PERSON_KEYS, POSSESSIVES, PREPOSITIONS

# "HOW MUCH bleeding", "HOW MANY bruises"; Spanish (folded) "CUÁNTO sangrado", "CUÁNTA fiebre"
AMOUNT_AFTER_HOW = frozenset({"much", "many"})
AMOUNT_WORDS = frozenset({"cuanto", "cuanta", "cuantos", "cuantas"})
# what an amount is weighed against (keys and written forms: "expected" is "expect",
# "esperado" is "esperar")
NORM_WORDS = frozenset({"normal", "ok", "okay", "fine", "alright", "expected", "expect",
                        "acceptable", "usual", "typical", "esperar", "esperado", "esperada",
                        "aceptable", "normales", "tipico", "típico", "habitual"})
# "is", "es", "sería" (whose key is "serio"), "counts as"
NORM_LINKS = frozenset({"be", "ser", "serio", "seria", "sería", "count", "considered",
                        "considerar", "considera"})
# between the amount word and the sign, or between signs ("how much soreness AND bruising",
# "cuánto calorcito O enrojecimiento")
AMOUNT_FILLERS = ARTICLES | {"and", "or", "y", "o", "of", "de", "del"}
# how far after the sign the norm is asked ("cuánto enrojecimiento ALREDEDOR DEL PIQUETE sería
# normal")
NORM_REACH = 8
# what tells of the writer or someone now, anywhere in the message
REPORT_CUES = ("current_report", "current_time", "history_recent", "persistence", "worsening",
               "dating_follow_up", "other_person", "strong_current", "present_now")


def asks_what_to_expect(structure: TextStructure, start: int, end: int,
                        emergency: bool = False) -> bool:
    """Any of the shapes above; for an emergency sign only complications weighed against each
    other ("how much chest pain is normal after the shot?" may well be the writer's)."""
    if emergency:
        return compared_as_options(structure, start, end)
    return (amount_asked_as_norm(structure, start, end) or worse_offered(structure, start, end)
            or compared_as_options(structure, start, end))


def amount_asked_as_norm(structure: TextStructure, start: int, end: int) -> bool:
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    amount = _amount_word_before(structure, start, s_start)
    if amount is None:
        return False
    norm = next((k for k in range(end, min(s_end, end + NORM_REACH))
                 if _is(tokens[k], NORM_WORDS)
                 and any(_is(tokens[j], NORM_LINKS) for j in range(end, k))), None)
    if norm is None:
        return False
    return _only_asks(structure, range(amount, norm + 1))


def _amount_word_before(structure: TextStructure, start: int, s_start: int) -> int | None:
    """Where "how much" / "cuánto" opens the sign's phrase: in the sign itself ("HOW much
    soreness" is matched from "much") or before it across articles, "and"/"or" and other signs."""
    tokens = structure.tokens
    k = start
    if not (tokens[k].key in AMOUNT_AFTER_HOW or tokens[k].key in AMOUNT_WORDS
            or tokens[k].lower == "tanto"):
        k = start - 1
        while k >= s_start and (tokens[k].key in AMOUNT_FILLERS or k in structure.occupied
                                ) and not (tokens[k].key in AMOUNT_AFTER_HOW
                                           or tokens[k].key in AMOUNT_WORDS
                                           or tokens[k].lower == "tanto"):
            k -= 1
    if k < s_start:
        return None
    if tokens[k].key in AMOUNT_WORDS:
        return k
    if tokens[k].lower == "tanto" and k - 1 >= s_start and tokens[k - 1].lower in ("que", "qué"):
        return k - 1  # "¿QUÉ TANTO sangrado es normal?"
    if tokens[k].key in AMOUNT_AFTER_HOW and k - 1 >= s_start and tokens[k - 1].key == "how":
        return k - 1
    return None


COMPARATIVE_WORSE = frozenset({"worse", "peor"})
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
    if tokens[end - 1].key not in COMPARATIVE_WORSE:
        return False
    s_start, s_end = structure.sentence_range(start)
    if not all(tokens[k].is_punct or _is(tokens[k], AFTER_CHOICE) for k in range(end, s_end)):
        return False  # "is it the same or worse than YESTERDAY" compares with before
    return _only_asks(structure, range(choice, end))  # not "is MY pain a 7 or worse?"


# "WHICH is worse", "WHICH ONE OF THOSE is the MOST likely", "¿QUÉ es MÁS grave?", "¿CUÁL es
# PEOR?" ("more" and "más" have the key "much"/"mas")
COMPARISON_HEADS = frozenset({"which", "what", "que", "cual", "cuál"})
COMPARISON_WORDS = frozenset({"worse", "worst", "much", "more", "most", "less", "least", "rarer",
                              "rarest", "likelier", "likeliest", "commoner", "commonest",
                              "riskier", "riskiest", "scarier", "scariest", "mas", "más", "peor",
                              "peores", "menos"})
COMPARISON_REACH = 7  # "which ONE OF THOSE IS THE most likely"
# what may stand between options: "bruising, bleeding OR infection", "entre la alergia Y ..."
OPTION_SEPARATORS = frozenset({",", "or", "o", "and", "y", "-", "–", ":", "/", "vs", "versus",
                               "between", "entre", "?", "¿"}) | ARTICLES


def compared_as_options(structure: TextStructure, start: int, end: int) -> bool:
    tokens = structure.tokens
    if not structure.is_question(start):
        return False
    s_start, s_end = structure.sentence_range(start)
    head = next((k for k in range(s_start, s_end) if _comparison_head(tokens, k, s_end)), None)
    if head is None:
        return False
    phrase = range(head, _comparison_phrase_end(tokens, head) + 1)
    if start in phrase:  # the comparison itself ("which IS WORSE, ... or ...?")
        if not any(_is(tokens[k], CHOICE_WORDS) for k in range(s_start, s_end) if k not in phrase):
            return False
    elif not _an_option(structure, start, end, head, s_start, s_end):
        return False
    if _options_of_ones_own(structure, s_start, s_end):
        return False
    # not "which is worse, MY swelling or the redness?", "... both CAME UP LAST NIGHT"
    return _only_asks(structure, range(min(head, start), max(phrase.stop, end)))


# where an option may be said to happen: "an infection AT the injection site", "EN el piquete"
OPTION_PLACES = PREPOSITIONS | {"en", "de", "del", "por", "con", "alrededor"}
PLACE_REACH = 5
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


CHOICE_WORDS = frozenset({"or", "o", "vs", "versus", "between", "entre"})


def _an_option(structure: TextStructure, start: int, end: int, head: int, s_start: int,
               s_end: int) -> bool:
    """The sign is one of the options: a separator (or the sentence's start, or the comparison)
    before it, and a separator, another sign, the comparison or the sentence's end right after
    it ("an allergy to lidocaine OR AN infection?")."""
    tokens = structure.tokens
    before = start - 1
    while before >= s_start and tokens[before].key in ARTICLES:
        before -= 1
    after = end
    if after < s_end and _is(tokens[after], OPTION_PLACES):  # "an infection AT THE SITE?"
        after = next((k for k in range(after, min(s_end, after + PLACE_REACH))
                      if _is(tokens[k], OPTION_SEPARATORS) and tokens[k].key not in ARTICLES),
                     s_end)
    return ((before < s_start or _is(tokens[before], OPTION_SEPARATORS)
             or before == _comparison_phrase_end(tokens, head))
            and (after >= s_end or after == head or _is(tokens[after], OPTION_SEPARATORS)
                 or after in structure.occupied))


# between the head and the comparison: "which ONE OF THOSE IS THE most likely", "¿qué ES más
# grave?"; nothing else ("what's GETTING worse, ..." tells that something is)
HEAD_FILLERS = frozenset({"one", "of", "those", "these", "them", "that", "is", "are", "be", "'s",
                          "s", "the", "es", "ser", "de", "los", "las", "el", "la", "estos",
                          "estas", "esos", "esas"})


def _comparison_head(tokens, k: int, s_end: int) -> bool:
    if not _is(tokens[k], COMPARISON_HEADS):
        return False
    for j in range(k + 1, min(s_end, k + COMPARISON_REACH)):
        if _is(tokens[j], COMPARISON_WORDS):
            return True
        if not _is(tokens[j], HEAD_FILLERS):
            return False
    return False


def _comparison_phrase_end(tokens, head: int) -> int:
    """The last word of "which one of those is the most LIKELY" (the word after the
    comparison word, if any), "qué es más GRAVE"."""
    k = next(j for j in range(head + 1, min(len(tokens), head + COMPARISON_REACH))
             if _is(tokens[j], COMPARISON_WORDS))
    return k + 1 if k + 1 < len(tokens) and not tokens[k + 1].is_punct else k


# "AFTER the shot", "DESPUÉS del piquete" (not "since the shot", which dates a report)
AFTER_WORDS = frozenset({"after", "following", "post", "despues", "después", "tras", "luego"})


def _only_asks(structure: TextStructure, question: range) -> bool:
    """The message is only the question: every sentence a question, no first person or
    possessive anywhere, and no cue of REPORT_CUES outside the question's own words
    (`question`), except a time after the injection ("how much bruising is normal AFTER THE
    SHOT?"), which is when it happens to anyone."""
    tokens = structure.tokens
    own = FIRST_PERSON_KEYS | POSSESSIVES | structure.first_person
    if any(_is(token, own) for token in tokens):
        return False
    # every sentence asks: not "... or hives? BOTH, HELP", "... or worse? TEN OUT OF TEN"
    if any(not structure.is_question(s_start) and any(
            not tokens[k].is_punct for k in range(s_start, s_end))
           for s_start, s_end in structure.sentences if s_start < s_end):
        return False
    after = [a for a in structure.hits("back_again") if tokens[a.start].key in AFTER_WORDS]
    return not any(
        not (question.start <= h.start and h.end <= question.stop)
        and not (category == "history_recent"
                 and any(a.start <= h.start and h.end <= a.end for a in after))
        for category in REPORT_CUES for h in structure.hits(category))


def _is(token, words: frozenset[str]) -> bool:
    return token.key in words or token.lower in words
