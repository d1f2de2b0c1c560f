"""Does a clause that asks about a sign ALSO report it, now, for the patient?

"is it normal that MY ARM IS red?", "can you send help I CAN'T breathe?", "would a collapsed
lung cause THIS pain?" report; "can I HAVE a reaction?", "is the risk higher IF I have
diabetes?" do not. Also: whether a modal asks what CAN or WILL happen ("COULD the shot make my leg
weak?") or about now ("could it BE infected?", "HOW LONG will my chest hurt?").
"""

from __future__ import annotations

import re

from ..match import Hit
from ..normalise import NormToken
from .structure import TextStructure
from .words import (
    ARTICLES,
    BECAUSE_WORDS,
    CAUSATIVE_VERBS,
    CONDITION_WORDS,
    LUNG_INJURY,
    NEGATION_KEYS,
    POSSESSIVES,
    POSSIBILITY_MODALS,
    PREPOSITIONS,
    REPORT_AFTER_MODAL,
    STANDING_TRAITS,
    SUBJECT_KEYS,
    USUAL_ADVERBS,
)

# "is THE swelling normal?", "should I worry about THIS rash?": the patient's own
DETERMINERS = frozenset(
    {"this", "these", "that", "those", "the", "my", "his", "her", "our", "their"}
)
# "my face WOULD droop" inside a question is about the future, not a report.
MODALS = frozenset({"would", "will", "might", "may", "shall", "should"})
# after a modal these ask about NOW: "could it BE infected?", "can I FEEL my heart racing?"
FUTURE_MODALS = frozenset({"will", "wil"})
PRESENT_AFTER_MODAL = frozenset({"be", "feel", "see", "hear", "taste", "smell", "notice", "tell"})
# a subject word that starts a new statement inside a question ("can you help I can't ...")
NEW_SUBJECTS = frozenset({"i", "he", "she", "we", "they", "my", "his", "her", "our", "their"})
GENERIC_BEFORE_THE = CAUSATIVE_VERBS | {"of", "for"}
PRESENT_FORMS = frozenset({"is", "are", "am", "'m", "m", "'s", "s", "has", "have", "'ve", "ve",
                           "isnt", "arent", "hasnt", "havent", "now"})
# a report cue that ends in a contracted auxiliary says nothing yet ("I've read", "I'd say")
AUXILIARY_ENDINGS = frozenset({"'ve", "ve", "'d", "d"})


def _overlaps_any(hit: Hit, others: list[Hit]) -> bool:
    return any(hit.start < o.end and o.start < hit.end for o in others)


def _question_part(structure: TextStructure, hit: Hit) -> bool:
    """A "current report" cue that is really part of the question: the subject of an inverted
    modal question ("can I HAVE a reaction?", "can MY SUGAR GO up?") or an infinitive ("cause
    my leg TO GO weak")."""
    tokens = structure.tokens
    last = hit.end - 1
    if (
        hit.end - hit.start >= 2
        and tokens[last - 1].key == "to"
        and hit.start >= 1
        and tokens[hit.start - 1].key in CAUSATIVE_VERBS
    ):
        return True  # "could the shot CAUSE my leg to go weak?" (not "normal for my chest to")
    before = hit.start - 1
    if tokens[hit.start].key in ("their", "his", "her") and _unnamed_before(structure,
                                                                             hit.start):
        return True  # "has ANYONE had THEIR lung collapse from these?": the unnamed person's
    return (
        before >= 0
        and tokens[before].key in POSSIBILITY_MODALS
        and tokens[hit.start].key not in NEGATION_KEYS
        and structure.is_question(hit.start)
    )


def _unnamed_before(structure: TextStructure, index: int) -> bool:
    """A question whose sentence names someone unnamed (`unnamed_people`: "anyone", "people")
    before `index`: a "their"/"his"/"her" there is that person's."""
    if not structure.is_question(index):
        return False
    tokens = structure.tokens
    s_start, _ = structure.sentence_range(index)
    unnamed = structure.words.get("unnamed_people", frozenset())
    return any(tokens[k].key in unnamed for k in range(s_start, index))


def _present_form(tokens: list[NormToken], hit: Hit) -> bool:
    """The cue has a verb written in the present ("my arm IS red", "it HURTS", "I'm HAVING"),
    not a base form after a modal ("could it GO red") nor a past one ("would I know it WAS")."""
    if tokens[hit.start].key in ("this", "that", "so"):
        return True  # "chest pain THIS BAD": a degree now
    for i in range(hit.start, hit.end):
        lower, key = tokens[i].lower, tokens[i].key
        if lower in PRESENT_FORMS or lower.endswith("ing"):
            return True
        if lower != key and lower.endswith("s") and not lower.endswith("ss") and lower != "was":
            return True
    return False


# "... or anything like that": things like it, not the patient's own "like this"
SIMILAR_THINGS = frozenset({"anything", "something", "stuff", "things", "nothing", "everything"})


def current_report(
    structure: TextStructure, start: int, end: int, region: tuple[int, int],
    modal_question: bool = False, determiner: bool = True,
) -> bool:
    """Does the clause report the sign as happening to the patient now?

    Not a report: the subject of the question itself ("can I have a reaction?"), a report cue
    inside an "if" after the sign ("is bleeding a risk if I'm on eliquis?"), one that introduces
    a risk word ("there's less CHANCE of ..."), and, in a question about what CAN or WILL happen
    (`modal_question`), a cue without a present-tense verb ("could it still happen?")."""
    question_cues = (
        structure.hits_in("hypothetical_question", *region)
        + structure.hits_in("hypothetical_conditional", *region)
        + structure.hits_in("worry_about", *region)  # "I'M worried about bleeding"
    )
    modal_question = modal_question or (
        structure.is_question(start)
        and modal_before(structure, region[0], end)
        and not presupposes_now(structure, *structure.clause_range(start, end))
    )
    if _report_cue(structure, end, region, modal_question, question_cues):
        return True
    if _points_at_own(structure, start, end, region, modal_question):
        return True
    return determiner and _own_by_determiner(
        structure, start, end, region, modal_question, question_cues
    )


def _while_it_is_given(structure: TextStructure, hit: Hit) -> bool:
    """A report cue inside a question's "when IT GOES in" (`during_the_injection`) speaks of
    the injection being given, not of the writer's own now."""
    return structure.is_question(hit.start) and any(
        d.start <= hit.start < d.end for d in structure.hits("during_the_injection"))


def _report_cue(
    structure: TextStructure, end: int, region: tuple[int, int], modal_question: bool,
    question_cues: list[Hit],
) -> bool:
    """A `current_report` cue ("my arm IS", "I HAVE") - or, outside a modal question, a
    `current_time` one ("right now") - that is not part of the question itself."""
    tokens = structure.tokens
    general = structure.words.get("general_subjects", frozenset())
    happening = structure.words.get("happening_verbs", frozenset())
    categories = ("current_report",) if modal_question else ("current_report", "current_time")
    for category in categories:
        for hit in structure.hits_in(category, *region):
            if hit.start >= end + 4 or _overlaps_any(hit, question_cues):
                continue
            if _question_part(structure, hit) or _while_it_is_given(structure, hit):
                continue
            if any(w.start >= hit.end and not any(k in structure.occupied
                                                    for k in range(hit.end, w.start))
                   for w in structure.hits_in("worry_about", *region)):
                continue  # "I'M on blood thinners and SCARED OF bleeding": the worrier
            if _condition_reason_or_duty(tokens, hit, end, modal_question):
                continue
            if any(hit.end <= c.start <= hit.end + 2 for c in question_cues):
                continue  # "there's less CHANCE of hitting the lung"
            if tokens[hit.end - 1].lower in AUXILIARY_ENDINGS:
                continue  # "I'VE read these can..." is not a report on its own
            if tokens[hit.start].key == "like" and any(
                    tokens[k].key in SIMILAR_THINGS for k in range(max(0, hit.start - 2),
                                                                    hit.start)):
                continue  # "an infection or ANYTHING (DUMB) LIKE THAT" is no own "like this"
            if (tokens[hit.start].key == "que" or (
                    hit.start and tokens[hit.start - 1].key in happening)) and any(
                tokens[k].key in general for k in range(hit.start, hit.end)
            ):
                continue  # "¿qué tan seguido PASA QUE ALGUIEN se desmaye?", "¿es normal QUE
                #           ALGUIEN tenga fiebre?": anyone, asked
            if tokens[hit.start].key in POSSESSIVES and _may_come(structure, hit.start, end,
                                                                   region):
                continue  # "what are the CHANCES MY LUNG COLLAPSES?" asks what may happen
            if modal_question and not _present_form(tokens, hit):
                continue
            if _tells_a_trait(tokens, hit) or _no_subject_of_the_verb(tokens, hit):
                continue  # "I'M A NURSE so ...": what the writer is; "the bruises FROM THESE
                #           usually get big", "bleed from THESE OR IS that a myth"
            if _possibility_clause(structure, hit):
                continue  # "how LIKELY is it THAT THE SPOT GETS infected?" asks what may happen
            return True
    return False


# "tengo que" (must): an obligation, not a sign one has
# what a reason given in a question starts with: "bc I'm ON Xarelto", "because I'm A diabetic"
REASON_STARTS = frozenset({"on", "taking", "a", "an", "older", "over", "diabetic", "pregnant",
                           "allergic", "prone", "sensitive"})
OBLIGATION_VERBS = frozenset({"tengo", "tienes", "tiene", "tenemos", "tienen", "tenía", "tenia",
                              "tuve"})
INFINITIVE = re.compile(r"\w+[aeií]r(?:me|te|le|les|lo|la|los|las|se|nos)?")


def _condition_reason_or_duty(tokens: list[NormToken], hit: Hit, end: int,
                              modal_question: bool) -> bool:
    """A report cue after the sign that only gives a condition ("is the infection risk higher
    IF I have diabetes?"), the reason in a question of what may happen ("will I bleed more BC
    I'm on Xarelto?") or a duty ("¿a cuántos grados TENGO QUE llamar?")."""
    between = range(end, hit.start) if hit.start >= end else range(0)
    if any(tokens[i].key in CONDITION_WORDS for i in between):
        return True
    if modal_question and any(tokens[i].key in BECAUSE_WORDS for i in between) and (
            hit.end < len(tokens) and (tokens[hit.end].key in REASON_STARTS
                                       or tokens[hit.end].lower in STANDING_TRAITS)):
        return True  # (not "can TPI cause hives because I'm COVERED in them")
    return tells_a_duty(tokens, hit)


def tells_a_duty(tokens: list[NormToken], hit: Hit) -> bool:
    """"TENGO QUE llamar": the cue ends in "tengo" and "que" + an infinitive follows (not the
    relative "el dolor QUE TENGO QUE no se quita")."""
    after = hit.end + 1
    return after < len(tokens) and tokens[hit.end].key == "que" and (
        tokens[hit.end - 1].lower in OBLIGATION_VERBS) and bool(
        INFINITIVE.fullmatch(tokens[after].lower))


# "I have (really) SENSITIVE skin": a kind of skin or body one has always had
BODY_TRAITS = frozenset({"sensitive", "fair", "thin", "dry", "oily", "pale"})
INTENSIFIERS = frozenset({"really", "very", "super", "quite", "pretty", "extremely", "so"})


def _tells_a_trait(tokens: list[NormToken], hit: Hit) -> bool:
    """"I'm (a) nurse", "I'm diabetic": the report cue ends at "be" and a trait follows; "I
    have (really) sensitive skin": it ends at "have" and a kind of skin follows."""
    if tokens[hit.end - 1].key == "have":
        k = hit.end
        while k < len(tokens) and tokens[k].key in INTENSIFIERS:
            k += 1
        return k + 1 < len(tokens) and tokens[k].key in BODY_TRAITS and (
            tokens[k + 1].key == "skin")
    if tokens[hit.end - 1].key != "be":
        return False
    k = hit.end + (hit.end < len(tokens) and tokens[hit.end].key in ("a", "an"))
    return k < len(tokens) and (tokens[k].key in STANDING_TRAITS
                                or tokens[k].lower in STANDING_TRAITS)


def _no_subject_of_the_verb(tokens: list[NormToken], hit: Hit) -> bool:
    return _object_of_preposition(tokens, hit) or _inverted_after_or(tokens, hit)


def _object_of_preposition(tokens: list[NormToken], hit: Hit) -> bool:
    """The cue opens with "this" / "these" right after a preposition ("the bruises FROM THESE
    usually get ..."), and no subject comes between it and the verb."""
    return hit.start > 0 and tokens[hit.start].key in ("this", "these") and (
        tokens[hit.start - 1].key in PREPOSITIONS) and not any(
        tokens[k].key in SUBJECT_KEYS for k in range(hit.start + 1, hit.end))


def _inverted_after_or(tokens: list[NormToken], hit: Hit) -> bool:
    """The cue's verb comes right after "or" ("from these OR IS that just a myth", "... or are
    they"): it opens a second, inverted question, so the word before "or" is not its subject."""
    return hit.end - hit.start >= 3 and tokens[hit.end - 2].key == "or" and (
        tokens[hit.end - 1].key in ("be", "do", "have"))


def _possibility_clause(structure: TextStructure, hit: Hit) -> bool:
    """A "that" clause whose verb is a plain "gets" after "how likely / common / often" or a
    risk word ("how likely is it that the spot gets infected", "what are the chances that the
    site gets red"): what may happen to anyone's site. Not "... that the spot IS infected"
    (there now) nor "... that MY ARM gets ..." (a possessive: `_may_come` reads those)."""
    that = hit.start if structure.tokens[hit.start].key == "that" else hit.start - 1
    return _may_happen_to_the(structure, that, hit.end) or _may_happen_to_me(structure, hit)


# what a clause of a possibility says with its verb: "how likely is it that I WILL get a rash"
CLAUSE_MODALS = POSSIBILITY_MODALS | {"'ll", "ll", "'d"}


def _may_happen_to_me(structure: TextStructure, hit: Hit) -> bool:
    """"how likely is it that I WILL get a rash", "what are the odds I'D bleed": a modal in the
    cue, after a risk frame earlier in its sentence, asks what may happen."""
    tokens = structure.tokens
    if not any(tokens[k].key in CLAUSE_MODALS or tokens[k].lower in CLAUSE_MODALS
               for k in range(hit.start, hit.end)):
        return False
    return _risk_frame_before(structure, hit.start)


def _may_happen_to_the(structure: TextStructure, that: int, end: int) -> bool:
    """`that` is "that the ...", a risk frame comes before it in its sentence, and the clause's
    verb (the last token before `end`, or the first after "the <site>") is "gets"."""
    tokens = structure.tokens
    if that < 0 or tokens[that].key != "that" or that + 2 >= len(tokens) or (
            tokens[that + 1].key != "the"):
        return False
    if not any(tokens[k].lower in ("gets", "get") for k in range(that + 2, min(end, that + 5))):
        return False
    return _risk_frame_before(structure, that)


def _risk_frame_before(structure: TextStructure, index: int) -> bool:
    """A risk word ("chances", "odds") or "how likely / common / often" earlier in the
    sentence."""
    tokens = structure.tokens
    s_start, _ = structure.sentence_range(index)
    return any(
        tokens[k].key in RISK_WORDS or tokens[k].lower in RISK_WORDS
        or (tokens[k].key in HOW_OFTEN and k > s_start and tokens[k - 1].key == "how")
        for k in range(s_start, index)
    )


def _points_at_own(
    structure: TextStructure, start: int, end: int, region: tuple[int, int], modal_question: bool
) -> bool:
    """The sign is the patient's own: "this" inside it ("would a collapsed lung cause THIS PAIN
    when I breathe in?"), or "I ... with" it in a modal question ("can I drive to A&E WITH
    chest pain?")."""
    tokens = structure.tokens
    if any(tokens[k].key in ("this", "these") and not points_at_the_injections(structure, k)
           for k in range(start + 1, end - 1)):
        return True
    before = start - 1
    while before >= region[0] and tokens[before].key in ARTICLES:
        before -= 1
    return (
        modal_question
        and before >= region[0]
        and tokens[before].key == "with"
        and any(tokens[k].key == "i" for k in range(region[0], before))
        # "will I END UP with huge bruises?", "will I be LEFT with a dent?", "could I END UP in
        # the ER with chest pain?" ask about a result
        and not (before - 1 >= region[0] and tokens[before - 1].key in ("up", "leave", "left"))
        and not any(tokens[k].key in ("end", "wind") and tokens[k + 1].key == "up"
                    for k in range(region[0], before - 1))
    )


def _own_by_determiner(
    structure: TextStructure, start: int, end: int, region: tuple[int, int],
    modal_question: bool, question_cues: list[Hit],
) -> bool:
    """"is THE swelling normal?", "should I worry about THIS rash?" (but "the chances of THE
    skin dimpling" is generic, and "could MY face droop?" names a body part, not a sign)."""
    tokens = structure.tokens
    if start - 2 >= region[0] and tokens[start - 2].key in POSSESSIVES and tokens[
            start - 1].lower.endswith("s") and tokens[start - 1].key in structure.words.get(
            "people_words", frozenset()):
        return True  # "is MY DADS slurred speech normal?": the apostrophe left out
    if start - 1 < region[0] or tokens[start - 1].key not in DETERMINERS:
        return False
    body = structure.words.get("body_words", frozenset())
    if modal_question and (tokens[start].key in body or tokens[start].lower in body):
        return False  # "could MY FACE droop?" names a body part
    if tokens[start - 1].key == "the" and any(
        c.start <= start - 1 < c.end <= end and tokens[c.start].key not in REQUEST_VERBS
        for c in question_cues
    ):
        # "would THE numbing stuff ...": the article belongs to the question (not after "tell
        # me if": "tell me if THE swelling in my throat is serious" speaks of the patient's own)
        return False
    if any(tokens[i].key in MODALS for i in range(start, end)):
        return False  # "is it likely my face WOULD droop?" asks about the future
    if modal_question and start - 2 >= region[0] and tokens[start - 2].key in POSSIBILITY_MODALS:
        return False  # "can MY sugars go up?": the subject of the question
    if tokens[start - 1].key in ("this", "these"):
        return True  # "would a collapsed lung cause THIS pain?" points at the patient's own
    if tokens[start - 1].key == "the" and _may_happen_to_the(structure, start - 2, end):
        return False  # "what are the CHANCES THAT THE spot GETS red?"
    if ((tokens[start - 1].key in POSSESSIVES or tokens[start - 1].key == "the")
            and _may_come(structure, start - 1, end, region)):
        # "what are the CHANCES (that) MY lung collapses?", "any CHANCE THE muscle ends up
        # weak?" ask what may happen
        return False
    if tokens[start - 1].key in ("their", "his", "her") and _unnamed_before(structure, start):
        return False  # "has ANYONE had THEIR lung collapse?"
    if (tokens[start - 1].key == "the" and end < len(tokens)
            and tokens[end].key in ("thing", "stuff", "business", "risk", "issue")
            and complication_named(structure, start, end)):
        return False  # "is THE lung collapse THING something to worry about?": a topic
    if (tokens[start - 1].key == "the" and _asks_how_often(structure, region[0], start)
            and complication_named(structure, start, end)
            and not any(tokens[k].key in POSSESSIVES for k in range(*region))
            and not _what_it_will_do(structure, end)):
        # "how common is THE collapsed lung thing?" asks about everyone (not "how common is the
        # swelling on my neck?", "how likely is the bleeding to stop?": a symptom may be theirs)
        return False
    return not (
        start - 2 >= region[0]
        and tokens[start - 2].key in (GENERIC_BEFORE_THE if tokens[start - 1].key == "the"
                                      else CAUSATIVE_VERBS)
    )


# a request to be told: "TELL me if ...", "EXPLAIN why ...", "LET me know whether ..."
REQUEST_VERBS = frozenset({"tell", "explain", "describe", "inform", "list", "show", "let"})
# a risk word right before "(that / of) my ...": the sign is what may happen, not what has
RISK_WORDS = frozenset({"chance", "chances", "odds", "likelihood", "risk", "risks", "possibility",
                        "probability"})
# what a body part may do, after "the chance my lung / face / heart ..." (a noun such as "pain"
# names a symptom there: "the chance my chest PAIN means ...")
COMING_VERBS = frozenset({"collapse", "droop", "sag", "race", "pound", "swell", "puncture", "pop",
                          "deflate", "bleed", "close", "tighten", "go", "get", "stop", "give",
                          "end", "become", "turn", "stay"})


def _may_come(structure: TextStructure, index: int, end: int, region: tuple[int, int]) -> bool:
    """"what are the CHANCES MY LUNG collapses?", "the odds that my face droops": a risk word,
    then a possessive and a body part whose sign may come (not "the chance MY CHEST PAIN means
    ...": a symptom named is there; nor "... my arm IS infected", "... my lung collapsED")."""
    tokens = structure.tokens
    body = structure.words.get("body_words", frozenset())
    return (index + 2 < len(tokens)
            and (tokens[index + 1].key in body or tokens[index + 1].lower in body)
            and tokens[index + 2].key in COMING_VERBS and tokens[index + 2].lower != "pains"
            and _after_a_risk_word(tokens, index, region[0])
            and not _told_as_there(tokens, index, end))


def _after_a_risk_word(tokens, index: int, low: int) -> bool:
    """A risk word right before `index`, or with only "that" / "of" between ("the ODDS THAT my
    ...", "the CHANCES OF my ...")."""
    return any((tokens[k].key in RISK_WORDS or tokens[k].lower in RISK_WORDS)
               and all(tokens[j].key in ("that", "of") for j in range(k + 1, index))
               for k in range(max(low, index - 3), index))


def _told_as_there(tokens, low: int, end: int) -> bool:
    """"the chance my chest pain IS from the needle", "the chance my lung collapsED": a sign
    there now or already, not one that may come ("the chance my lung collapses")."""
    return any(tokens[k].lower in PRESENT_FORMS or tokens[k].key in PRESENT_FORMS
               or tokens[k].lower.endswith("ed") for k in range(low, min(end + 1, len(tokens))))


# "HOW COMMON / LIKELY / OFTEN / RARE is ...": a question about how often it happens to anyone
HOW_OFTEN = frozenset({"common", "likely", "often", "rare", "frequent", "frequently", "usual",
                       "probable"})


def complication_named(structure: TextStructure, start: int, end: int) -> bool:
    """The sign is named as a complication (`complication_names`: "pneumothorax", "infection";
    or a collapsed or punctured lung), not described as a symptom."""
    tokens = structure.tokens
    names = structure.words.get("complication_names", frozenset())
    keys = {tokens[k].key for k in range(start, end)} | {tokens[k].lower for k in range(start, end)}
    return bool(keys & names) or bool(keys & {"lung", "lungs"}) and bool(keys & LUNG_INJURY)


def _what_it_will_do(structure: TextStructure, end: int) -> bool:
    """"how likely is the infection TO SPREAD / TO CLEAR?" asks about a sign there now."""
    tokens = structure.tokens
    if end + 1 >= len(tokens) or tokens[end].key != "to":
        return False
    verbs = (structure.words.get("ending_verbs", frozenset())
             | structure.words.get("ongoing_verbs", frozenset()))
    return tokens[end + 1].key in verbs or tokens[end + 1].key in ("spread", "go", "get",
                                                                     "grow", "worsen")


def _asks_how_often(structure: TextStructure, low: int, high: int) -> bool:
    """"HOW COMMON is ...", or how many people it happens to ("how MANY PEOPLE end up with a
    collapsed lung?", "¿CUÁNTAS PERSONAS terminan con EL pulmón perforado?")."""
    tokens = structure.tokens
    return any((tokens[k].key == "how" and tokens[k + 1].key in HOW_OFTEN)
               or (tokens[k].lower in HOW_MANY and tokens[k + 1].lower in PEOPLE_COUNTED)
               for k in range(low, high - 1))


HOW_MANY = frozenset({"many", "cuantas", "cuantos", "cuántas", "cuántos"})
PEOPLE_COUNTED = frozenset({"people", "patients", "cases", "personas", "pacientes", "casos",
                            "gente"})


# dictionary forms that start the next clause right after "after one of THESE" ("... these WHAT
# should I do")
CLAUSE_OPENERS = frozenset({"what", "how", "who", "when", "where", "should", "do", "can", "could",
                            "will", "would", "i", "we", "you", "they", "he", "she", "and", "or",
                            "so", "then"})


# Spanish "ya" that means "by then", not "now": "si el dolor empeora, ¿eso YA ES MOTIVO para
# llamar?", "¿YA AMERITA ir a urgencias?", "¿YA TOCA llamar?"
YA_THEN_VERBS = frozenset({"ameritar", "tocar"})
YA_THEN_AFTER_SER = frozenset({"motivo", "razón", "razon", "para", "hora", "momento", "necesario",
                               "urgencia", "emergencia", "caso", "de"})


def _ya_then(tokens: list[NormToken], after: int) -> bool:
    following = [tokens[k].key for k in range(after, min(after + 2, len(tokens)))]
    if following and following[0] in YA_THEN_VERBS:
        return True
    return (len(following) == 2 and following[0] in ("ser", "serio")
            and following[1] in YA_THEN_AFTER_SER)


def points_at_the_injections(structure: TextStructure, k: int) -> bool:
    """"this" / "these" at k points at the injections: "after ONE OF THESE", "after this
    shot", "the bruises FROM THESE usually ..." (`procedure_pointers`)."""
    tokens = structure.tokens
    if k == 0 or tokens[k - 1].key not in ("of", "after", "from", "following", "with", "de",
                                           "despues", "después", "tras", "desde"):
        return False
    pointers = structure.words.get("procedure_pointers", frozenset())
    following = tokens[k + 1].key if k + 1 < len(tokens) else ""
    return (not following[:1].isalnum() or following in pointers
            or following in CLAUSE_OPENERS or following in USUAL_ADVERBS)


# "lying STILL", "keep still": the adjective of not moving
KEEPING_STILL = frozenset({"lie", "lying", "sit", "sitting", "stand", "standing", "keep",
                           "keeping", "stay", "staying", "hold", "holding"})


def strong_current(structure: TextStructure, region: tuple[int, int],
                   condition: bool = False) -> bool:
    """A `strong_current` cue in the region that names now: not "this"/"these" before a time to
    come (`coming_times`: "later THIS WEEK"), nor "still" that looks ahead (`later_words`: "if my
    arm is STILL numb TOMORROW"), nor "this"/"these" that points at the injections ("after ONE OF
    THESE", "after this shot", "what can go wrong WITH THESE?": `procedure_pointers`)."""
    tokens = structure.tokens
    coming = structure.words.get("coming_times", frozenset())
    later = structure.words.get("later_words", frozenset())

    def names_now(h: Hit) -> bool:
        key = tokens[h.start].key
        if key in ("this", "these"):
            if points_at_the_injections(structure, h.start):
                return False
            if h.start + 1 < len(tokens):
                return tokens[h.start + 1].key not in coming
        if key == "still":
            if h.start and tokens[h.start - 1].key in KEEPING_STILL:
                return False  # "from LYING STILL": not moving, not "still there"
            if condition and _after_a_length(tokens, h.end) and not any(
                    other.start >= region[1] for other in structure.hits("strong_current")):
                return False  # "if it's STILL sore AFTER A WEEK": then, not now (unless the
                #               message goes on "... it STILL is")
            return not any(tokens[k].key in later for k in range(h.end, min(h.end + 4,
                                                                         len(tokens))))
        if key == "ya":
            return not _ya_then(tokens, h.end)
        return True

    return any(names_now(h) for h in structure.hits_in("strong_current", *region))


# "AFTER a week", "BY day 5", "IN two days": a time still to come, inside a condition
AHEAD_WORDS = frozenset({"after", "by", "in", "past", "beyond"})
LENGTH_WORDS = frozenset({"a", "an", "one", "two", "three", "four", "five", "six", "seven",
                          "few", "couple", "day", "days", "week", "weeks", "month", "months",
                          "hour", "hours", "of"})


def _after_a_length(tokens: list[NormToken], index: int) -> bool:
    """Within the next few words, "after / by / in" and a length of time ("after a WEEK")."""
    for k in range(index, min(index + 3, len(tokens))):
        if tokens[k].key in AHEAD_WORDS and k + 1 < len(tokens) and (
                tokens[k + 1].key in LENGTH_WORDS or tokens[k + 1].lower.isdigit()):
            return any(tokens[j].key in ("day", "week", "month", "hour")
                       for j in range(k + 1, min(k + 5, len(tokens))))
    return False


def modal_before(structure: TextStructure, low: int, end: int) -> bool:
    """A modal of possibility or future in [low, end) that asks what CAN or WILL happen: "COULD
    the shot make my leg weak?", "how long after COULD a reaction show up?". Not "can't
    breathe", "I could BARELY swallow", "could it BE infected?", "can you SEE the swelling?",
    and not when a new subject starts a statement before the sign ("can you send an ambulance
    I can't breathe?", "could you call 911 my husband collapsed?")."""
    tokens = structure.tokens
    for i in range(low, end):
        if tokens[i].key not in POSSIBILITY_MODALS:
            continue
        following = [tokens[k].key for k in range(i + 1, min(i + 3, len(tokens)))]
        if following and following[0] in NEGATION_KEYS | REPORT_AFTER_MODAL:
            continue
        # "WILL I feel my heart racing?", "WILL my chest be sore after?" ask about later; "CAN I
        # feel...", "COULD it be infected?" about now
        future = tokens[i].key in FUTURE_MODALS
        if not future and PRESENT_AFTER_MODAL.intersection(following):
            continue
        indefinite = i + 1 < len(tokens) and (
            tokens[i + 1].key in ("a", "an", "any", "some") or (i + 1) in structure.occupied
        )
        if not indefinite and not future and any(
            tokens[k].lower == "be" for k in range(i + 1, min(end + 2, len(tokens)))
        ):
            # "could the redness BE an infection?", "could my speech BE from it?" ask about now;
            # "would A RASH afterwards be an allergy?", "could SWELLING be a reaction?" do not
            continue
        if _new_subject_between(structure, i + 1, end):
            continue
        return True
    return False


def presupposes_now(structure: TextStructure, low: int, high: int) -> bool:
    """"HOW LONG will my chest hurt?", "WHEN will the swelling GO DOWN?" take for granted that
    it is happening now (but "how long AFTER the injection could a reaction show up?" does
    not)."""
    tokens = structure.tokens
    keys = [tokens[k].key for k in range(low, high)]
    for k, key in enumerate(keys[:-1]):
        if key == "how" and keys[k + 1] in ("long", "much"):
            return not (k + 2 < len(keys) and keys[k + 2] in ("after", "before", "until",
                                                              "later", "does", "do"))
    if keys and keys[0] == "when" or "when" in keys[:3]:
        ending = structure.words.get("ending_verbs", frozenset())
        return any(key in ending for key in keys)
    return False


# Spanish future forms: "¿SEGUIRÁ sangrando?", "¿DURARÁ mucho?" (written forms lose accents)
FUTURE_FORMS_ES = frozenset({"seguira", "durara", "pasara", "quitara", "parara", "bajara",
                             "continuara", "desaparecera"})
# how much longer: "will my lip be swollen FOR LONG?", "HOW LONG will I be short of breath?"
HOW_MUCH_LONGER = frozenset({("for", "long"), ("much", "longer"), ("any", "longer"),
                             ("all", "night"), ("all", "day"), ("how", "long")})
WORSENING_WORDS = frozenset({"more", "worse", "bigger", "further"})
# the patient or the sign in front of them, in English and Spanish
PATIENT_OR_THIS = frozenset({"i", "my", "mine", "me", "his", "her", "he", "she", "their", "this",
                             "these", "it"}) | frozenset({"mi", "mis", "se", "lo", "la", "esto",
                                                          "este", "esta"})
POSSESSIVE_OR_THIS = frozenset({"my", "mine", "his", "her", "their", "this", "these"})
PROCEDURE_NOUNS = frozenset({"injection", "injections", "shot", "shots", "these", "tpi", "tpis",
                             "procedure", "needle", "botox", "treatment", "appointment"})


def _after_the_procedure(keys: list[str]) -> bool:
    """"will I keep bleeding AFTER THE INJECTIONS?": a question about the time after a procedure
    to come (a report says "since": "will it keep bleeding, it's been 2 hours since the shot")."""
    return any(key == "after" and PROCEDURE_NOUNS.intersection(keys[k + 1:k + 3])
               for k, key in enumerate(keys))


INDEFINITE = frozenset({"a", "an", "any", "some", "un", "una", "algún", "algun", "alguna"})
PHRASAL_NOT_ENDING = frozenset({("pass", "out"), ("end", "up"), ("keep", "in"), ("clear", "to")})


# the procedure, which "así" may describe instead of the sign
PROCEDURE_NOUNS_ES = frozenset({"inyeccion", "inyección", "inyecciones",
                                "piquete", "piquetes", "procedimiento", "tratamiento",
                                "infiltracion", "infiltración", "infiltraciones"})


# "could I GET bleeding that won't stop?", "will I END UP WITH pain that doesn't go away?"
GETTING_VERBS = frozenset({"get", "have", "develop", "end", "with", "experience"})
GETTING_MODALS = frozenset({"can", "could", "might", "may", "will", "would"})


def _described_by_a_relative(tokens, low: int, high: int, start: int) -> bool:
    """The ending verb is in a relative clause right after the sign ("bleeding THAT WON'T STOP")
    that a question about getting it opens ("COULD I GET ..."): it says what kind of sign is
    asked about, not that one is there."""
    if not any(tokens[k].key in ("that", "which") for k in range(start + 1, min(high, start + 3))):
        return False
    get = next((k for k in range(start - 1, max(low, start - 7) - 1, -1)
                if tokens[k].key in GETTING_VERBS), None)
    return get is not None and any(tokens[k].key in GETTING_MODALS for k in range(low, get)) \
        and not any(tokens[k].key in ("my", "this", "the") for k in range(get, start))


def asks_when_it_ends(structure: TextStructure, low: int, high: int, start: int) -> bool:
    """A question that takes the sign as there now: whether or when it will end or go on ("WILL
    the bleeding STOP on its own?", "will the swelling in MY throat GO DOWN?", "will my lips STAY
    swollen?"), how much longer ("will my lip be swollen FOR LONG?", "HOW LONG will I be short of
    breath?"), or "LIKE THIS" ("will my heart keep racing like this?"). It must speak of the
    patient or the sign in front of them ("my", "this", "it", "I"), and not of a case in general
    ("does bleeding usually stop on its own?", "will A fever go away by itself?", "will the
    bleeding stop quickly IF I'm on aspirin?", "before my appointment: will the swelling go down
    quickly?", "with a drug like that, will swelling stay for long?")."""
    tokens = structure.tokens
    keys = [tokens[k].key for k in range(low, high)]
    lowers = [tokens[k].lower for k in range(low, high)]
    pairs = set(zip(keys, keys[1:], strict=False)) | set(zip(lowers, lowers[1:], strict=False))
    # (not of the procedure: "después de una inyección ASÍ")
    if ("like", "this") in pairs or any(
            word == "asi" and (k + 1 == len(lowers) or lowers[k + 1] != "que")
            and not (k and lowers[k - 1] in PROCEDURE_NOUNS_ES)
            for k, word in enumerate(lowers)):  # Spanish "así" (not "así que")
        return True
    future = bool(FUTURE_MODALS.intersection(keys) or FUTURE_FORMS_ES.intersection(lowers)) or (
        "gonna" in lowers or ("going", "to") in pairs or ("ir", "a") in pairs)
    words = structure.words
    if not future or words.get("general_case", frozenset()).intersection(keys) or (
            start > 0 and tokens[start - 1].key in INDEFINITE) or _after_the_procedure(keys):
        return False
    if not (PATIENT_OR_THIS.intersection(keys) or PATIENT_OR_THIS.intersection(lowers)
            or words.get("ongoing_without_subject", frozenset()).intersection(keys)):
        return False
    if pairs & HOW_MUCH_LONGER or ((WORSENING_WORDS | {"tomorrow"}).intersection(lowers)
                                   and "than" not in keys
                                   and POSSESSIVE_OR_THIS.intersection(keys)):
        # also "is this going to make MY throat close up MORE?", "will MY face be swollen
        # TOMORROW?" (not "will I bleed more on a blood thinner?", "will my muscle be more sore
        # the day after THAN ...")
        return True
    if _described_by_a_relative(tokens, low, high, start):
        return False
    # (not "will I PASS OUT?", "will I END UP with huge bruises?")
    ending = words.get("ending_verbs", frozenset()) | words.get("ongoing_verbs", frozenset())
    ends = any(key in ending
               and (key, keys[k + 1] if k + 1 < len(keys) else "") not in PHRASAL_NOT_ENDING
               and not (k > 1 and keys[k - 2] in ("while", "as") and keys[k - 1] == "it")
               for k, key in enumerate(keys))  # ("will the area itch WHILE IT heals?")
    return ends or bool(pairs & {("go", "away"), ("go", "down"), ("go", "off"), ("die", "down")})


def _new_subject_between(structure: TextStructure, first: int, end: int) -> bool:
    """After the modal's own subject, a person or "my ..." that is not the object of a verb of
    causing, of perceiving or of a preposition starts a new statement: "can you send an
    ambulance | I can't breathe" (but "could it make MY heart race?", "could the pain spread to
    MY chest?", "will I feel MY heart racing?")."""
    tokens = structure.tokens
    k = first
    # the modal's own subject: "can MY BLOOD SUGAR go up", "could YOU", "will IT"
    if k < end and (tokens[k].key in NEW_SUBJECTS or k in structure.person_nouns):
        k += 1
        while k < end and (k in structure.person_nouns or tokens[k].key in ARTICLES):
            k += 1
    for j in range(k + 1, end):
        key = tokens[j].key
        if key not in NEW_SUBJECTS and j not in structure.person_nouns:
            continue
        previous = tokens[j - 1].key
        if previous in CAUSATIVE_VERBS or previous in PREPOSITIONS or previous in (
            "to", "that", "if", "whether", "when", "than", "and", "or", "me", "you", "where",
            "feel", "notice", "see",  # "will I FEEL MY heart racing?" (what is perceived)
        ) or (j - 1) in structure.person_nouns or tokens[j - 1].key in NEW_SUBJECTS:
            continue
        return True
    return False
