"""Questions about what to expect (policy rule 10): the sign is only the measure of a question,
not something the writer reports.

  amount_asked_as_norm   "how much soreness and bruising is OK?", "¿cuánto sangrado es
                         normal?": an amount asked against what is normal
  worse_offered          "is it just a little pinch OR WORSE than that?", "does it feel like a
                         bee sting or worse": "worse" as the other choice of a comparison
  compared_as_options    "which is worse, an allergy or an infection?", "bruising, bleeding,
                         infection - which one is the most likely?", "¿qué es más grave, la
                         alergia o la infección?": complications weighed against each other

Both stop at the writer's own words (a first person or a possessive between the question's
start and the sign) and at a report or a time in the question itself; a later report ("... mine
has soaked two pads") is read by questions.reported_later as for every question.
"""

from __future__ import annotations

from .structure import TextStructure
from .words import ARTICLES, FIRST_PERSON_KEYS, POSSESSIVES

# "HOW MUCH bleeding", "HOW MANY bruises"; Spanish (folded) "CUÁNTO sangrado", "CUÁNTA fiebre"
AMOUNT_AFTER_HOW = frozenset({"much", "many"})
AMOUNT_WORDS = frozenset({"cuanto", "cuanta", "cuantos", "cuantas"})
# what an amount is weighed against (keys and written forms: "expected" is "expect",
# "esperado" is "esperar")
NORM_WORDS = frozenset({"normal", "ok", "okay", "fine", "expected", "expect", "acceptable",
                        "usual", "typical", "esperar", "esperado", "esperada", "aceptable",
                        "normales", "tipico", "típico", "habitual"})
# "is", "es", "sería" (whose key is "serio"), "counts as"
NORM_LINKS = frozenset({"be", "ser", "serio", "seria", "sería", "count", "considered",
                        "considerar", "considera"})
# between the amount word and the sign, or between signs ("how much soreness AND bruising",
# "cuánto calorcito O enrojecimiento")
AMOUNT_FILLERS = ARTICLES | {"and", "or", "y", "o", "of", "de", "del"}
# how far after the sign the norm is asked ("cuánto enrojecimiento ALREDEDOR DEL PIQUETE sería
# normal")
NORM_REACH = 8
REPORT_CUES = ("current_report", "current_time", "history_recent")


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
    if any(_is(tokens[k], FIRST_PERSON_KEYS | POSSESSIVES) for k in range(amount, norm)):
        return False  # "how much of MY swelling is normal" weighs the writer's own
    return _nothing_reported(structure, s_start, norm + 1)


def _amount_word_before(structure: TextStructure, start: int, s_start: int) -> int | None:
    """Where "how much" / "cuánto" opens the sign's phrase: in the sign itself ("HOW much
    soreness" is matched from "much") or before it across articles, "and"/"or" and other signs."""
    tokens = structure.tokens
    k = start
    if not (tokens[k].key in AMOUNT_AFTER_HOW or tokens[k].key in AMOUNT_WORDS):
        k = start - 1
        while k >= s_start and (tokens[k].key in AMOUNT_FILLERS or k in structure.occupied
                                ) and not (tokens[k].key in AMOUNT_AFTER_HOW
                                           or tokens[k].key in AMOUNT_WORDS):
            k -= 1
    if k < s_start:
        return None
    if tokens[k].key in AMOUNT_WORDS:
        return k
    if tokens[k].key in AMOUNT_AFTER_HOW and k - 1 >= s_start and tokens[k - 1].key == "how":
        return k - 1
    return None


COMPARATIVE_WORSE = frozenset({"worse", "peor"})
# what may follow the choice offered: "or worse THAN THAT", "o peor QUE ESO"
AFTER_CHOICE = frozenset({"than", "that", "this", "it", "then", "even", "que", "ese", "eso",
                          "esto", "este", "aun", "aún", "todavia", "todavía"})


def worse_offered(structure: TextStructure, start: int, end: int) -> bool:
    tokens = structure.tokens
    # "worse" alone after "or", or a sign read across the choice ("IS IT a pinprick OR WORSE")
    if not structure.is_question(start) or end - 2 < 0 or tokens[end - 2].key != "or":
        return False
    if tokens[end - 1].key not in COMPARATIVE_WORSE:
        return False
    s_start, s_end = structure.sentence_range(start)
    if not all(tokens[k].is_punct or _is(tokens[k], AFTER_CHOICE) for k in range(end, s_end)):
        return False  # "is it the same or worse than YESTERDAY" compares with before
    if any(_is(tokens[k], FIRST_PERSON_KEYS | POSSESSIVES) for k in range(s_start, end)):
        return False  # "is MY pain a 7 or worse?"
    return not any(structure.hits_in(category, s_start, s_end)
                   for category in ("current_time", "history_recent"))


# "WHICH is worse", "WHICH ONE OF THOSE is the MOST likely", "¿QUÉ es MÁS grave?", "¿CUÁL es
# PEOR?" ("more" and "más" have the key "much"/"mas")
COMPARISON_HEADS = frozenset({"which", "what", "que", "cual", "cuál"})
COMPARISON_WORDS = frozenset({"worse", "worst", "much", "more", "most", "less", "least", "mas",
                              "más", "peor", "peores", "menos"})
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
    if any(_is(tokens[k], FIRST_PERSON_KEYS | POSSESSIVES) for k in range(s_start, s_end)):
        return False  # "which is worse, MY swelling or the redness?"
    if any(structure.hits_in(category, s_end, len(tokens)) for category in REPORT_CUES):
        return False  # "which is worse, the swelling or the redness? both CAME UP LAST NIGHT"
    around = structure.hits_in("back_again", s_start, s_end)
    return not any(
        h.start not in phrase and not any(a.start <= h.start and h.end <= a.end for a in around)
        for category in REPORT_CUES for h in structure.hits_in(category, s_start, s_end))


CHOICE_WORDS = frozenset({"or", "o", "vs", "versus", "between", "entre"})


def _an_option(structure: TextStructure, start: int, end: int, head: int, s_start: int,
               s_end: int) -> bool:
    """The sign is one of the options: a separator (or the sentence's start) before it, and
    only separators, articles and other signs after it, up to the comparison's head or the
    sentence's end ("an allergy to lidocaine OR AN infection?")."""
    tokens = structure.tokens
    before = start - 1
    while before >= s_start and tokens[before].key in ARTICLES:
        before -= 1
    after = end
    while after < s_end and after != head and (
            _is(tokens[after], OPTION_SEPARATORS) or after in structure.occupied):
        after += 1
    return ((before < s_start or _is(tokens[before], OPTION_SEPARATORS)
             or before == _comparison_phrase_end(tokens, head))
            and (after >= s_end or after == head))


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


def _nothing_reported(structure: TextStructure, s_start: int, s_end: int) -> bool:
    """No report or time in [s_start, s_end), except a time after the injection ("how much
    bruising is normal AFTER THE SHOT?"), which is when it happens to anyone."""
    around = structure.hits_in("back_again", s_start, s_end)
    return not any(
        not any(a.start <= h.start and h.end <= a.end for a in around)
        for category in REPORT_CUES for h in structure.hits_in(category, s_start, s_end))


def _is(token, words: frozenset[str]) -> bool:
    return token.key in words or token.lower in words
