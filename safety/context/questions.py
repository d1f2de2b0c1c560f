"""Hypothetical (policy rules 5 and 10): a question about a sign that does not report it.

A conditional (conditionals.py) or a general question - "is it normal to", "can TPI cause",
"signs of", "when should I", "could the shot make my leg weak?", "is bleeding a risk?", "do older
people bleed more?", "collapsed lung after neck injections how common" - introduces the term and
the clause does not ALSO report it now (reports.py). A later "because I have them" or "it started
an hour ago", or a follow-up that dates it ("day 2 now"), turns the questioned signs into reports.
A story retold from someone else to ask whether it could happen is a question too (hearsay.py).
"""

from __future__ import annotations

from ..durations import TIME_SINCE_INJECTION_RE
from ..normalise import NormToken
from .conditionals import (
    OWN_SUBJECTS,
    asking_frame_before,
    in_conditional,
    inverted_conditional,
)
from .expectations import TOLD_ONGOING, asks_what_to_expect
from .hearsay import is_hearsay
from .negation import own_negation
from .page_words import quoted_from_the_page, quotes_around, what_the_page_says
from .reports import (
    FUTURE_MODALS,
    asks_when_it_ends,
    complication_named,
    current_report,
    modal_before,
    presupposes_now,
    strong_current,
    tells_a_duty,
)
from .structure import WORRY_WORDS, TextStructure
from .words import (
    BECAUSE_WORDS,
    FIRST_PERSON_KEYS,
    IRREGULAR_PAST,
    NEGATION_KEYS,
    PLAIN_IF_KEYS,
    POSSESSIVES,
    POSSIBILITY_MODALS,
    PROCEDURE_WORDS,
    QUESTION_LEAD_INS,
    QUESTION_OPENERS,
    QUOTE_MARKS,
    REPORT_AFTER_MODAL,
    SAID_OF_WORDS,
    SUBJECT_KEYS,
    UNNAMED_QUANTIFIERS,
    USUAL_ADVERBS,
    WH_WORDS,
)

# "shaky from the lidocaine, is that GOING TO HAPPEN TO ME?", "COULD that HAPPEN TO ME?"
FUTURE_OR_POSSIBLE = POSSIBILITY_MODALS | {"wil", "gonna"}
# words that may open the next item of a list of signs after a comma ("a fever, OR a rash",
# "signs of a collapsed lung, LIKE chest pain or shortness of breath?")
LIST_WORDS = frozenset({"and", "or", "a", "an", "any", "some", "maybe", "even", "like", "such",
                        "as", "including", "e.g.", "eg", "say"})
# words allowed between "is/are" and a sign asked about in general ("is A SUDDEN fever ...")
GENERIC_FILLERS = frozenset({"a", "an", "any", "some", "mild", "slight", "transient", "sudden",
                             "occasional", "little", "bit", "of", "feeling", "getting",
                             "having", "severe", "bad", "much", "more", "ever", "really",
                             "heavy", "high", "low", "grade", "minor", "major", "developing",
                             "experiencing", "persistent", "temporary", "post", "injection",
                             "steroid", "local", "delayed", "late", "early", "new", "extra",
                             "heart", "skin", "site", "nerve", "muscle", "allergic"})
# "what/which" asking which sign or value: "WHAT blood sugar LEVEL is too high?"
WHICH_WORDS = frozenset({"what", "which"})
VALUE_NOUNS = frozenset({"blood", "level", "levels", "kind", "sort", "type", "amount", "degree",
                         "number", "reading", "of"})
# what points at the writer's own present after the sign: "what rash is THIS?"
NOW_POINTERS = frozenset({"this", "that", "these", "those", "it", "i", "im", "my", "his",
                          "her", "our", "their", "mine"})
# how the value asked about is judged: "what fever WOULD BE TOO high?", "which bleeding IS
# NORMAL?" (not "what rash IS SPREADING on my back?", "what reading is 400?")
VALUE_MEANINGS = frozenset({"make", "mean", "count", "need", "require", "warrant"})
VALUE_JUDGEMENTS = frozenset({"too", "normal", "ok", "okay", "dangerous", "concerning",
                              "worrying", "serious", "safe", "acceptable", "high", "low",
                              "much", "bad", "worrisome", "alarming"})


def _value_judged(tokens: list[NormToken], start: int, end: int) -> bool:
    if any(tokens[k].key == "too" for k in range(start, end)):
        return True  # the judgement inside the sign: "what blood sugar IS TOO HIGH?"
    k = end
    if k < len(tokens) and tokens[k].key in VALUE_NOUNS | {"temperature", "temp"}:
        k += 1  # "what fever TEMPERATURE should make me call?"
    if k + 1 < len(tokens) and tokens[k].key in POSSIBILITY_MODALS | {"should", "do"} and (
            tokens[k + 1].key in VALUE_MEANINGS):
        return True  # "... should MAKE me call?", "does ... COUNT?"
    if k < len(tokens) and tokens[k].key in POSSIBILITY_MODALS | {"should"}:
        k += 1
    if k < len(tokens) and tokens[k].key == "be":
        k += 1
    else:
        return False
    return k < len(tokens) and tokens[k].key in VALUE_JUDGEMENTS
PERSONAL_WORDS = frozenset({"i", "it", "he", "she", "there", "we", "they", "you", "me", "him",
                            "this", "that", "these", "those", "the", "my", "his", "her", "our",
                            "their", "your", "mine", "its"})


def _clause_head(structure: TextStructure, low: int, start: int) -> int:
    """The first word of the clause that is not a greeting or filler ("so", "hi", "ok")."""
    return structure.after_lead_ins(low, start)


def _generic_question(structure: TextStructure, start: int, end: int) -> str | None:
    """Policy rules 5 and 10: a question (the sentence has a "?") that asks whether something
    CAN or WILL happen, or asks about a sign in general, not about the patient's present:

      possibility  a modal before the sign: "could the shot make my leg go weak?",
                   "will it make my heart race?", "how long after could a reaction show up?",
                   "the injection can give fever?" (not "could it BE infected?", "I could
                   BARELY breathe?", "can I FEEL my heart racing?": those are about now)
      generic      is/are + the sign with no "my/the/this" before it: "is bleeding a risk on
                   eliquis?", "are palpitations ever reported?", "when is a fever worth
                   calling about?", "at what point is bleeding an emergency?"
      people       do/does + someone general: "do older people bleed more?", "do bruises get
                   big on thinners?" (not "do I have...", "does my arm look...")

      procedure    the procedure itself is the subject of a one-clause question: "the
                   injection is hurting much?", "the shot will be painful?" (not "the injection
                   SITE is sore?", nor "the shot is hurting a lot, is that normal?")

    The caller still checks that the clause does not also report the sign now."""
    tokens = structure.tokens
    if not structure.is_question(start):
        return None
    low, high = structure.clause_range(start, end)
    if _procedure_question(structure, low, high, start):
        return "procedure"
    if modal_before(structure, low, end) and not presupposes_now(structure, low, high):
        return "modal"
    head = _clause_head(structure, low, start)
    if head > start:
        return None
    key = tokens[head].key
    if key in WHICH_WORDS and start - head <= 3 and all(
        tokens[k].key in GENERIC_FILLERS | VALUE_NOUNS for k in range(head + 1, start)
    ) and _value_judged(tokens, start, end) and not any(
        tokens[k].key in NOW_POINTERS for k in range(end, high)
    ) and not _own_told_after(structure, end):
        # the sign is what "what/which" asks about: "what fever would be too high?", "which
        # blood sugar is too high?" (not "what rash is THIS?", "what bruise do I have?")
        return "generic"
    if key in WH_WORDS or key == "at":
        # "when IS a fever worth calling about?", "at what point IS bleeding an emergency?"
        k = head + 1
        while k < start and k < head + 4 and tokens[k].key != "be":
            k += 1
        if k < start and tokens[k].key == "be":
            head, key = k, "be"
    if key == "be" and tokens[head].lower not in ("be", "being", "been"):
        # "is bleeding a risk?", "is blurry vision a side effect?"; not "is my arm red?".
        # The first sign after "is" decides for the whole question ("is pus always infection?")
        first = next((k for k in range(head + 1, end) if k in structure.occupied), start)
        if first == head + 1 or head == start:
            subject = head + 1 if head == start else first
            return "generic" if (
                subject < len(tokens) and tokens[subject].key not in PERSONAL_WORDS
            ) else None
        generic = all(tokens[k].key in GENERIC_FILLERS for k in range(head + 1, first))
        if not generic and first == start and _procedure_subject(tokens, head + 1, first):
            return "procedure"  # "is the needle very painful or only a little?"
        return "generic" if generic else None
    if key == "do" and tokens[head].lower in ("do", "does", "did"):
        return _general_do_question(structure, head, start)
    return None


def _general_do_question(structure: TextStructure, head: int, start: int) -> str | None:
    """do/does + someone or something general: "do older people bleed more?", "do bruises get
    big on thinners?" (not "do I have an infection?", "does my arm look red?")."""
    tokens = structure.tokens
    subject = head + 1
    if subject >= len(tokens) or subject > start:
        return None
    if tokens[subject].key in PERSONAL_WORDS | NEGATION_KEYS:
        return None
    own = structure.words.get("own_site_words", frozenset())
    if any(tokens[k].key in own for k in range(subject, start)):
        return None
    return "generic"


# what the injections treat, as a question's subject ("are TRIGGER POINTS inflamed, red and
# hot?", "is A TRIGGER POINT a swelling or a lump?")
TREATED_SUBJECT_WORDS = frozenset({"trigger", "point", "points", "knot", "knots", "muscle"})


def _procedure_subject(tokens: list, low: int, high: int) -> bool:
    """The words [low, high) are the procedure, or a trigger point, as a subject: "the needle
    (going to be) very", "the shots really", "a trigger point"."""
    span = [tokens[k].key for k in range(low, high)]
    if not any(key in PROCEDURE_WORDS for key in span):
        # a trigger point in general ("A trigger point", "trigger points"), not "THE knot",
        # which may be the patient's own
        return any(key in ("trigger", "knot") for key in span) and all(
            key in TREATED_SUBJECT_WORDS or key in PROCEDURE_LINKS or key in ("a", "an")
            for key in span)
    return all(key in PROCEDURE_WORDS or key in PROCEDURE_LINKS
               or key in ("the", "a", "an", "these", "those") for key in span)


PROCEDURE_LINKS = frozenset({"be", "going", "go", "gonna", "to", "will", "would", "so", "very",
                             "really", "much", "too", "usually", "always", "normally", "get",
                             "getting"})


def _procedure_question(structure: TextStructure, low: int, high: int, start: int) -> bool:
    """"the injection is hurting much?": the clause is the whole question (it ends at the "?"),
    its subject is the procedure and only linking words stand before the sign."""
    tokens = structure.tokens
    if high >= len(tokens) or "?" not in tokens[high].lower:
        return False
    k = _clause_head(structure, low, start)
    if k < start and tokens[k].key in ("the", "a", "an", "this", "these", "those", "that"):
        k += 1
    if k >= start or tokens[k].key not in PROCEDURE_WORDS:
        return False
    return all(tokens[j].key in PROCEDURE_LINKS for j in range(k + 1, start))


# Words allowed between a worry ("worried about") and the sign that is its object: "worried
# about GETTING A fever", "nervous about ANY bleeding" (not "the/my": "worried about THE
# bleeding" says it is there; not "having/being": "worried about HAVING chest pain" may say
# it is happening).
WORRY_OBJECT_FILLERS = frozenset({"a", "an", "any", "some", "getting", "get", "developing",
                                  "develop", "possible", "possibly", "potential", "future",
                                  "more", "much", "too", "excess", "excessive", "extra",
                                  "further", "serious", "bad", "heavy", "heavier", "major",
                                  "risk", "risks", "chance", "chances", "of", "becoming",
                                  "starting",
                                  # "scared of ANYTHING WITH cutting and bleeding"
                                  "anything", "something", "with", "involving"})


def worried_about(structure: TextStructure, start: int, end: int) -> bool:
    """Rule 10: the sign is the very object of a worry ("`worry_about`": "nervous about
    bleeding", "worried about getting a fever", "scared of bruising OR swelling"), with only
    WORRY_OBJECT_FILLERS, or an earlier sign and "or", in between."""
    s_start, _ = structure.sentence_range(start)
    for hit in structure.hits_in("worry_about", s_start, start):
        if hit.end > start:
            continue
        lo = hit.end
        if structure.tokens[lo - 1].key == "make" and lo < start and (
                structure.tokens[lo].key in ("the", "my", "his", "her")):
            lo += 1  # "don't want to make THE pain worse"
        if _worry_object(structure, lo, start) and not _more_of_it(structure, end):
            # (not "don't want it to bleed MORE": more of what is there)
            return True
    return False


# after the sign: more of what is there ("don't want it to bleed MORE", "scared of it swelling
# ANY MORE")
MORE_OF_IT = frozenset({"more", "further", "worse", "anymore", "bigger"})


def _more_of_it(structure: TextStructure, end: int) -> bool:
    tokens = structure.tokens
    return any(tokens[k].key in MORE_OF_IT or tokens[k].lower in MORE_OF_IT
               for k in range(end, min(end + 2, len(tokens))))


# joiners of the things a worry is about: "scared of needles AND fainting", "needles N fainting"
WORRY_LIST_JOINERS = frozenset({"and", "n", "&", "or", "nor", "plus"})
# a verb told in the past after the list is what happened ("scared of needles and PASSED out",
# "... and COULDN'T breathe")
PAST_FORMS = IRREGULAR_PAST | {"couldn't", "could", "can't"}


def _worry_object(structure: TextStructure, lo: int, hi: int) -> bool:
    """Only WORRY_OBJECT_FILLERS, other signs and the other things of a list ("needles and",
    at most two words each, no one named: not "scared of the shot and I fainted") lie between
    the worry and the sign."""
    tokens = structure.tokens
    told_past = hi < len(tokens) and (tokens[hi].lower.endswith("ed")
                                      or tokens[hi].lower in PAST_FORMS)
    run = 0  # words of a list item not yet closed by a joiner
    for k in range(lo, hi):
        token = tokens[k]
        if token.key in WORRY_LIST_JOINERS or token.lower in WORRY_LIST_JOINERS:
            if told_past:
                return False
            run = 0
        elif token.key in WORRY_OBJECT_FILLERS or k in structure.occupied:
            continue
        elif token.key in SUBJECT_KEYS or token.key in FIRST_PERSON_KEYS or run >= 2:
            return False
        else:
            run += 1
    return run == 0


# the words a question offering figures may hold besides them: "¿38 o 37,5?", "is it 38 or
# 38.5 then?", "100.4 or 101 °F?"
OPTION_WORDS = frozenset({"or", "o", "is", "it", "be", "es", "then", "entonces", "f", "c", "°f",
                          "°c", "°", "degrees", "grados", "y", "and", "?", "¿"})


def figures_offered(structure: TextStructure, start: int) -> bool:
    """A question of only figures and "or" after another question: the figures are options
    offered ("¿a partir de cuántos grados se considera fiebre? ¿38 o 37,5?"), not a reading."""
    tokens = structure.tokens
    if not (tokens[start].lower[:1].isdigit() and structure.is_question(start)):
        return False
    s_start, s_end = structure.sentence_range(start)
    words = [tokens[k] for k in range(s_start, s_end) if not tokens[k].is_punct]
    if not any(t.key in ("or", "o") for t in words) or not all(
            t.lower[:1].isdigit() or t.lower in OPTION_WORDS or t.key in OPTION_WORDS
            for t in words):
        return False
    previous = s_start - 1
    while previous >= 0 and tokens[previous].is_punct:
        previous -= 1
    if previous < 0 or not structure.is_question(previous):
        return False
    # ... a question about where a fever starts ("what COUNTS as a FEVER?", "¿a partir de
    # CUÁNTOS GRADOS se considera fiebre?"), not "is that bad? 39 or 39.5?" (a reading, unsure)
    p_start, p_end = structure.sentence_range(previous)
    keys = {tokens[k].key for k in range(p_start, p_end)} | {
        tokens[k].lower for k in range(p_start, p_end)}
    # (not "is THIS considered a fever? 38.5 or 39?", "¿cuántos grados TENGO? ¿38 o 39?": the
    # writer's own reading, unsure)
    return (bool(keys & THRESHOLD_WORDS) and bool(keys & TEMPERATURE_NAMES)
            and not keys & OWN_READING)


THRESHOLD_WORDS = frozenset({"count", "counts", "considered", "consider", "considerar",
                             "considera", "cutoff", "threshold", "partir", "cuanto", "cuantos",
                             "qualify", "qualifies", "define", "defined"})
OWN_READING = frozenset({"this", "esto", "my", "mi", "mis", "i", "yo", "me", "tengo", "tiene",
                         "has", "he", "she", "his", "her", "it", "mine"})
TEMPERATURE_NAMES = frozenset({"fever", "temperature", "temp", "degree", "degrees", "fiebre",
                               "temperatura", "grado", "grados", "calentura"})


def _decided_first(structure: TextStructure, start: int, end: int,
                   clause: tuple[int, int]) -> bool | None:
    """What hearsay, a worry, a condition or a question about the sign's end decide, before the
    question cues are looked at (None: they do not decide)."""
    if _named_as_a_word(structure, start):
        # "she mentioned THE WORD "pneumothorax", what is it?" (not "the ER said I have SOMETHING
        # CALLED a pneumothorax", "a thing called hives all over me THIS MORNING")
        s_start, s_end = structure.sentence_range(start)
        if any(structure.hits_in(c, s_start, s_end) for c in ("current_time", "history_recent")):
            return False
        return not current_report(structure, start, end, clause)
    if is_hearsay(structure, start, end):
        return True  # "a friend of mine said she went numb for months, how common is that?"
    read = _read_of(structure, start, end, clause)
    if read is not None:
        return read
    if figures_offered(structure, start):
        return True  # "what counts as a fever? 38 or 38.5?": the choices of a threshold
    if worried_about(structure, start, end):
        return not current_report(structure, start, end, clause)
    outcome = _outcome_imagined(structure, start, end, clause)
    if outcome is not None:
        return outcome
    if _defines_a_complication(structure, start):
        # "how serious is that rare complication WHERE THE lung deflates?": "the" is the
        # complication's, not the patient's
        return not current_report(structure, start, end, clause, determiner=False)
    # conditional: "what if I get a fever?", "if it hurts to breathe should I go to the ER?"
    conditional = in_conditional(structure, start, end)
    if conditional is None:
        conditional = inverted_conditional(structure, start, end)
    if conditional is not None:
        return conditional
    if structure.is_question(start) and asks_when_it_ends(structure, *clause, start):
        return False  # "will the swelling in my throat go down by itself?" has it now
    if structure.hits("asked_in_advance") and structure.is_question(start):
        # "Itching where they injected: normal or should I call? Asking BEFORE I HAVE IT done"
        # ("is THE SITE supposed to feel hot? asking in advance": the site to come)
        return not current_report(structure, start, end, clause) or _only_the_site_to_come(
            structure, start, clause)
    if _general_sentence(structure, start):
        # "lips swelling on the drive home, HYPOTHETICALLY: 911 first?", "a normal bruise
        # VERSUS bleeding worth worrying about", "the DIFFERENCE BETWEEN a reaction and nerves"
        return not current_report(structure, start, end, clause)
    if structure.is_question(start) and _future_form(structure, start, end):
        return not current_report(structure, start, end, clause)  # "¿SANGRARÉ más?"
    return None


def _outcome_imagined(structure: TextStructure, start: int, end: int,
                      clause: tuple[int, int]) -> bool | None:
    """What is feared or asked as the outcome of something else (None: no such outcome)."""
    if _feared_to_come(structure, start, end, clause):
        return True  # "already nervous MY HEART WILL be racing": a fear of what may come
    if _consequence_asked(structure, start):
        return True  # "WILL it take SO long THAT my leg goes numb?"
    if _made_worse_asked(structure, start, end, clause):
        # "will yoga help the soreness or MAKE IT WORSE?": what an activity would do
        return not current_report(structure, start, end, clause, determiner=False)
    return None


# "scared I WILL faint", "nervous my heart MIGHT race" ("'ll" is read as "will")
FEAR_MODALS = frozenset({"will", "wil", "might", "may"})
FEAR_WORDS = WORRY_WORDS | {"scare", "terrified", "frightened", "dread", "dreading"}
FEARED_SUBJECTS = frozenset({"i", "it", "my", "his", "her", "the", "their", "our", "he", "she",
                             "they", "we", "that"})
# the body part a feared sign may start with ("my HEART will be racing")
FEARED_BODY = frozenset({"heart", "throat", "face", "lip", "lips", "tongue", "chest", "arm",
                         "leg", "hand", "neck", "back", "shoulder", "skin", "site", "spot"})
# between the modal and the sign: "will BE racing", "might START to swell"
FEARED_LINKS = frozenset({"be", "start", "begin", "get", "go", "to", "just", "suddenly"})


def _feared_to_come(structure: TextStructure, start: int, end: int,
                    clause: tuple[int, int]) -> bool:
    """A fear word, then (that) a subject of at most four words and "will/might/may" with the
    sign as its verb: "nervous my heart will be racing", "scared I'll pass out". Not when the
    clause after the fear tells now ("... it's racing RIGHT NOW")."""
    tokens = structure.tokens
    for w in range(max(clause[0], start - 7), start):
        if tokens[w].key not in FEAR_WORDS and tokens[w].lower not in FEAR_WORDS:
            continue
        modal = next((j for j in range(w + 1, min(end, w + 7)) if tokens[j].key in FEAR_MODALS
                      or tokens[j].lower in FEAR_MODALS), None)
        if modal is None or modal - w > 5 or tokens[w + 1].key not in FEARED_SUBJECTS:
            continue
        if any(k in structure.occupied and tokens[k].key not in FEARED_BODY
               for k in range(w + 1, modal)) and not _gone_till_then(tokens, modal, end):
            continue  # "worried THE SWELLING will spread" has the swelling now
        if all(tokens[j].key in FEARED_LINKS for j in range(modal + 1, start)):
            return not strong_current(structure, (w, clause[1]))
    return False


def _gone_till_then(tokens: list[NormToken], modal: int, end: int) -> bool:
    """"scared the pain will COME BACK worse": what is feared is not there now."""
    keys = [tokens[k].key for k in range(modal + 1, min(end + 2, len(tokens)))]
    return ("come", "back") in set(zip(keys, keys[1:], strict=False)) or "return" in keys


def _consequence_asked(structure: TextStructure, start: int) -> bool:
    """A question that opens with a modal ("will", "could", ...) and holds "so (long/much)
    that" before the sign, in the same sentence, with nothing said of now in it."""
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    head = structure.after_lead_ins(s_start, start)
    if not structure.is_question(start) or tokens[head].key not in FUTURE_OR_POSSIBLE:
        return False
    that = next((k for k in range(start - 1, head, -1) if tokens[k].key == "that"), None)
    return that is not None and any(tokens[k].key in ("so", "such") for k in range(head, that)
                                    ) and not strong_current(structure, (s_start, s_end))


def _made_worse_asked(structure: TextStructure, start: int, end: int,
                      clause: tuple[int, int]) -> bool:
    """A question whose clause asks whether something WILL/COULD "make it worse": the sign ends
    at "worse", "make" stands at most three words before it, and a modal of the future or of
    possibility before "make" (not "the shot MADE it worse", "it's worse, will it go away?")."""
    tokens = structure.tokens
    if not structure.is_question(start) or tokens[end - 1].key not in ("worse", "bad"):
        return False
    make = next((k for k in range(end - 2, max(clause[0], end - 5) - 1, -1)
                 if tokens[k].key == "make"), None)
    return make is not None and tokens[make].lower in ("make", "makes", "making") and any(
        tokens[k].key in FUTURE_OR_POSSIBLE for k in range(clause[0], make))


def _only_the_site_to_come(structure: TextStructure, start: int,
                           clause: tuple[int, int]) -> bool:
    """In a question asked in advance, every report cue of the clause opens with "the" ("is
    THE SITE supposed to ..."), and nothing in the sentence says now."""
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    return all(tokens[h.start].key == "the" for h in structure.hits_in("current_report", *clause)
               ) and not strong_current(structure, (s_start, s_end)) and not structure.hits_in(
                   "current_time", s_start, s_end)


def _defines_a_complication(structure: TextStructure, start: int) -> bool:
    """A `complication_defined` cue ("complication where") just before the sign."""
    return any(hit.end <= start and start - hit.end <= 3
               for hit in structure.hits_in("complication_defined", max(0, start - 8), start))


def _future_form(structure: TextStructure, start: int, end: int) -> bool:
    """The sign's verb in the future or the conditional (`future_endings` after its infinitive:
    "sangrar-é", "doler-á"), a sign asked about, not told."""
    endings = structure.words.get("future_endings", frozenset())
    tokens = structure.tokens
    return bool(endings) and any(
        tokens[k].key[-2:] in ("ar", "er", "ir") and tokens[k].lower.startswith(tokens[k].key)
        and tokens[k].lower[len(tokens[k].key):] in endings
        for k in range(start, end))


READ_VERBS = frozenset({"read", "heard", "hear", "saw", "seen", "watched"})
READ_OF = frozenset({"about", "of", "on", "in", "online"})
READERS = frozenset({"i", "we", "you", "they", "people"})


def _read_about_after(structure: TextStructure, end: int) -> bool:
    """The sign followed by a relative clause of reading or hearing: "the swallowing problems
    (that) I READ ABOUT", "the nerve damage you hear of"."""
    tokens = structure.tokens
    k = end + (end < len(tokens) and tokens[end].key in ("that", "which"))
    return k + 1 < len(tokens) and tokens[k].key in READERS and (
        tokens[k + 1].lower in READ_VERBS) and (k + 2 == len(tokens)
                                                 or tokens[k + 2].key in READ_OF)


def _read_of(structure: TextStructure, start: int, end: int,
             clause: tuple[int, int]) -> bool | None:
    """The sign as something read or heard of, or what it means (None: not so)."""
    if _read_about_before(structure, start):
        return True  # "I READ ABOUT collapsed lungs online" (a report told later still counts)
    if _read_about_after(structure, end) or _called_a_sign(structure, start, end) or (
            _listed_as_read(structure, start)):
        # "like the swallowing problems I READ ABOUT on the leaflet", "tingling lips after
        # lidocaine IS A WARNING SIGN": the sign as something read of, or what it means
        return not current_report(structure, start, end, clause, determiner=False)
    return None


def _read_about_before(structure: TextStructure, start: int) -> bool:
    """"I READ ABOUT collapsed lungs online": a reader, a verb of reading or hearing and
    "about / of" right before the sign (an article may stand between), or before a list of
    signs it opens ("I read about nerve damage AND infection"); or what the reader saw, quoted
    ("the first thing I SAW WAS 'collapsed lung'")."""
    tokens = structure.tokens
    k = start - 1
    while k > 1 and tokens[k].key in LIST_JOINS and k - 1 in structure.occupied:
        k -= 1  # back over the signs listed before: "... nerve damage AND"
        while k > 0 and k - 1 in structure.occupied:
            k -= 1
        k -= 1
    if k >= 0 and tokens[k].key in ("a", "an", "the"):
        k -= 1
    if k >= 3 and tokens[k].lower in QUOTE_MARKS and tokens[k - 1].key == "be" and (
            tokens[k - 2].lower in READ_VERBS and tokens[k - 3].key in READERS):
        # not when the sentence gives it to someone ("... and that's what the ER said I HAVE",
        # "... what they DIAGNOSED me with")
        _, s_end = structure.sentence_range(start)
        return not any(tokens[j].key in GIVEN_WORDS or tokens[j].lower in GIVEN_WORDS
                       for j in range(start, s_end))
    return k >= 2 and tokens[k].key in ("about", "of") and tokens[k - 1].lower in READ_VERBS and (
        tokens[k - 2].key in READERS)


LIST_JOINS = frozenset({"and", "or", ",", "/", "&"})
# what gives a quoted sign to someone after it: "... and THAT'S what my wife HAS", "... what
# they FOUND on my x-ray", "the ER doc SAYS THAT'S IT", "... DIAGNOSED me with"
GIVEN_WORDS = frozenset({"that", "thats", "it", "have", "has", "had", "got", "get", "found",
                         "find", "say", "says", "said", "diagnosed", "diagnose", "confirm",
                         "confirmed"})


# what a list of risks is read in: "I keep READING THE LIST: bruising, infection, ..."
READ_THINGS = READ_VERBS | frozenset({"reading", "list", "lists", "leaflet", "sheet", "website",
                                      "form", "page", "pamphlet", "brochure", "consent",
                                      "handout", "card", "paper", "papers", "include",
                                      "includes", "say", "says"})


def _listed_as_read(structure: TextStructure, start: int) -> bool:
    """The sign is an item of a list opened by a colon after something read ("reading the
    list: bruising, infection, nerve damage")."""
    tokens = structure.tokens
    s_start, _ = structure.sentence_range(start)
    # (the sentence's first colon, found once per sentence: 10,000 characters stay fast)
    colon = structure.per_sentence("first_colon", start, lambda lo, hi: next(
        (k for k in range(lo, hi) if tokens[k].lower == ":"), None))
    if colon is None or colon >= start:
        return False
    return any(
        tokens[k].key in READ_THINGS or tokens[k].lower in READ_THINGS
        for k in range(s_start, colon)) and all(
        _offered(structure, k) for k in range(colon + 1, start)) and not _own_told_anywhere(
        structure, colon)


def _own_told_anywhere(structure: TextStructure, after: int) -> bool:
    """After `after`, the message tells something of the writer's own or dates it ("I HAVE all
    three SINCE Monday's shots"): a report cue opened by "I/my", or a time of now or lately."""
    tokens = structure.tokens
    return strong_current(structure, (after, len(tokens))) or any(
        structure.hits_in(category, after, len(tokens))
        for category in ("current_time", "history_recent", "persistence", "other_person")
    ) or any(tokens[h.start].key in FIRST_PERSON_KEYS
             for h in structure.hits_in("current_report", after, len(tokens)))


SIGN_NOUNS = frozenset({"sign", "signs", "symptom", "symptoms", "flag", "flags", "red_flag",
                        "red_flags"})
# ("warn": the key of "warning")
SIGN_QUALIFIERS = frozenset({"a", "an", "the", "warning", "warn", "danger", "early", "bad",
                             "serious", "red", "one", "of", "common", "classic", "typical"})




def _called_a_sign(structure: TextStructure, start: int, end: int) -> bool:
    """The sign as the subject of "is a (warning) sign / a red flag / a symptom", with nothing
    before it in its clause that says whose it is: a statement of what the sign means."""
    tokens = structure.tokens
    c_start, _ = structure.clause_range(start, end)
    # ("I read THAT tingling lips ...": the clause of the sign starts after "that")
    c_start = max([c_start] + [k + 1 for k in range(c_start, start) if tokens[k].key == "that"])
    if any(tokens[k].key in OWNER_BEFORE_SIGN for k in range(c_start, start)):
        return False
    for k in range(end, min(end + 4, len(tokens))):
        if tokens[k].key == "be":
            j = k + 1
            while j < len(tokens) and tokens[j].key in SIGN_QUALIFIERS:
                j += 1
            return j < len(tokens) and j > k + 1 and (tokens[j].key in SIGN_NOUNS
                                                      or tokens[j].lower in SIGN_NOUNS)
        if tokens[k].is_punct and tokens[k].lower not in QUOTE_MARKS:
            return False  # (the sign may be quoted: "'HURTS TO BREATHE' is a warning sign")
    return False


def _named_as_a_word(structure: TextStructure, start: int) -> bool:
    """A `mention` cue right before the sign, with only quotes, punctuation or an article
    between."""
    tokens = structure.tokens
    return any(all(tokens[k].is_punct or tokens[k].key in ("a", "an", "the")
                   for k in range(hit.end, start))
               for hit in structure.hits_in("mention", max(0, start - 6), start)
               if hit.end <= start)


def _general_sentence(structure: TextStructure, index: int) -> bool:
    """The sentence imagines (`imagined_words`), compares (`comparing`) or asks about the
    patient's own future (see _decided_first)."""
    def general(s_start: int, s_end: int) -> bool:
        keys = [structure.tokens[k].key for k in range(s_start, s_end)]
        pairs = set(zip(keys, keys[1:], strict=False))
        own_future = ("happen", "to") in pairs and "me" in keys and bool(
            FUTURE_OR_POSSIBLE.intersection(keys) or ("go", "to") in pairs)
        return bool(structure.words.get("imagined_words", frozenset()).intersection(keys)
                    or structure.hits_in("comparing", s_start, s_end) or own_future)

    return structure.per_sentence("general", index, general)


# anyone, as the object of a claim heard: "my mate reckons the steroid makes YOU feel wired"
GENERIC_YOU = ("you", "u", "people", "everyone", "everybody", "folks")


def is_hypothetical(structure: TextStructure, start: int, end: int) -> bool:
    s_start, s_end = structure.sentence_range(start)
    clause = structure.clause_range(start, end)
    decided = _decided_first(structure, start, end, clause)
    if decided is not None:
        return decided
    # general question: "is it normal to have a fever after TPI?"
    # ("why is my arm red?", "why does it feel warm?" ask about what is happening now)
    why = structure.tokens[s_start].key == "why" and not _why_in_general(structure, s_start)
    for cue in structure.hits_starting_in("hypothetical_question", s_start, start):
        if why:
            break
        tokens = structure.tokens
        if any(
            tokens[i].key in NEGATION_KEYS and not own_negation(tokens, i, cue.own_negations)
            for i in range(cue.start, cue.end)
        ):
            continue  # "I don't get why my arm is red" is not a question about it
        if cue.start > 0 and tokens[cue.start - 1].key in NEGATION_KEYS:
            continue  # "it won't stop bleeding" reports the sign; "how do I stop it" asks
        if cue.end < len(tokens) and tokens[cue.end].key in NEGATION_KEYS | REPORT_AFTER_MODAL:
            continue  # "he says you can't breathe well", "I read it can barely ..."
        if not _same_question(structure, cue.end, start) or _obligation(tokens, cue):
            # "who do I call, my husband collapsed" reports it; "like you said and HAD TO stop
            # because every breath ..." tells
            continue
        if cue.end < len(tokens) and tokens[cue.end].key in structure.words.get(
            "own_site_words", frozenset()
        ) and tokens[cue.start].key not in FUTURE_MODALS and tokens[cue.end - 1].key not in (
            "what", "which", *GENERIC_YOU
        ):
            # "does it LOOK infected?", "does the injection SITE look red?" report it ("WILL I
            # feel my heart racing?" asks about later; "at what POINT ..." asks when)
            continue
        return not current_report(structure, start, end, clause)
    if _asks_if_always(structure, s_start, s_end, start):
        return not current_report(structure, start, end, clause)
    # "Is redness normal after TPI?", "Can hives be a side effect?"
    # ("Couldn't catch my breath, seems ok now" opens with a statement, not a question.)
    opener = structure.tokens[s_start].key
    opener_negated = s_start + 1 < s_end and structure.tokens[s_start + 1].key in NEGATION_KEYS
    if (
        opener in QUESTION_OPENERS
        and not opener_negated
        and structure.hits_starting_in("trailing_question", end, s_end)
        and not _told_after_own_action(structure, s_start, start, opener)
    ):
        return not current_report(structure, start, end, clause)
    if opener in QUESTION_OPENERS and not opener_negated and any(
            structure.tokens[k].key in USUAL_ADVERBS for k in range(*clause)):
        # "do THE bruises from these USUALLY get big?": "the" of a kind, asked in general
        generic_the = start > 0 and structure.tokens[start - 1].key == "the"
        return not current_report(structure, start, end, clause, determiner=not generic_the)
    if not why:
        kind = _generic_question(structure, start, end)
        if kind == "procedure":
            return True
        if kind:
            return not current_report(structure, start, end, clause, kind == "modal")
    return False


def _obligation(tokens: list[NormToken], cue) -> bool:  # noqa: ANN001
    """A question cue that ends in "have to" / "got to" (a duty told, not asked)."""
    return cue.end - cue.start > 2 and tokens[cue.end - 1].key == "to" and (
        tokens[cue.end - 2].key in ("have", "get"))


# "is pus ALWAYS an infection?", "¿el pus SIEMPRE significa infección?": whether a sign always
# means something is asked of the sign in general
ALWAYS_KEYS = frozenset({"always", "siempre"})
OWN_SUBJECT_KEYS = frozenset({"i", "my", "mine", "im", "i'm"})  # "I", "my"; "yo", "mi"
MEANING_KEYS = frozenset({"be", "mean", "indicate", "signal", "ser", "significar", "indicar",
                          "querer"})


def _asks_if_always(structure: TextStructure, s_start: int, s_end: int, start: int) -> bool:
    """A question whether a sign ALWAYS means something (next to "is", "mean", "es",
    "significa", in the sign's clause), the sign not pointed at ("is THIS always an
    infection?")."""
    if not structure.is_question(start):
        return False
    tokens = structure.tokens
    if any(tokens[k].key in ("this", "these", "esto", "este", "esta")
           or tokens[k].key in OWN_SUBJECT_KEYS for k in range(s_start, s_end)):
        return False  # (nor "MI fiebre siempre es de 38 en la noche": the patient's own)
    # the "always" in the sign's own clause ("¿el pus siempre significa ...?"; not "HAY PUS,
    # ¿siempre significa infección?", which tells it first)
    left, right = structure.clause_range(start, start + 1)
    return any(
        tokens[k].key in ALWAYS_KEYS and any(
            tokens[j].key in MEANING_KEYS for j in (k - 1, k + 1) if left <= j < right)
        for k in range(left, right))


def _told_after_own_action(structure: TextStructure, s_start: int, start: int, opener: str) -> bool:
    """"WHEN I PRESS it pus comes out, is that normal?", "cuando aprieto sale pus, ¿es normal?"
    tell what happens each time (not "when I breathe in, IS chest pain normal?": asked)."""
    if opener != "when":
        return False
    tokens = structure.tokens
    return any(
        not any(tokens[k].key in QUESTION_OPENERS for k in range(hit.end, start))
        for hit in structure.hits_starting_in("own_action", s_start + 1, s_start + 2)
        if hit.end <= start)


def _why_in_general(structure: TextStructure, s_start: int) -> bool:
    """"WHY WOULD SOMEONE's heart race after an injection?" asks about people in general (not
    "why is my arm red?", "why would my heart race like this?", nor "why would someone ...? I
    DO")."""
    tokens = structure.tokens
    if not (s_start + 2 < len(tokens) and tokens[s_start + 1].key in POSSIBILITY_MODALS):
        return False
    person = tokens[s_start + 2].key
    if not (person in UNNAMED_QUANTIFIERS
            or person in structure.words.get("unnamed_people", frozenset())):
        return False
    _, s_end = structure.sentence_range(s_start)
    return not any(tokens[k].key == "i" and tokens[k + 1].key in ("do", "be", "have", "feel")
                   for k in range(s_end, len(tokens) - 1))


# a second question joined to the first: "which mean 911, AND WHICH mean calling the clinic"
PARALLEL_QUESTION_WORDS = frozenset({"which", "what", "when", "how"})


def _same_question(structure: TextStructure, cue_end: int, start: int) -> bool:
    """The sign belongs to the question cue: no clause boundary between them, except commas
    that continue a list of signs ("is it normal to have a fever, chills or a rash?")."""
    tokens = structure.tokens
    for i in range(cue_end, start):
        if i not in structure.boundaries:
            continue
        if tokens[i].lower != ",":
            return False
        following = i + 1
        while following < start and tokens[following].key in LIST_WORDS:
            following += 1
        if _told_after_own_question(structure, i, following):
            return False
        if following not in structure.occupied and not (
                tokens[following - 1].key in ("and", "or")
                and tokens[following].key in PARALLEL_QUESTION_WORDS):
            return False  # (", AND WHICH mean calling the clinic" asks a second question)
    return True


# what introduces examples after a comma ("..., LIKE swelling?", "..., E.G. chest pain?")
EXAMPLE_WORDS = frozenset({"like", "e.g.", "eg", "such", "including", "say", "especially"})


def _told_after_own_question(structure: TextStructure, comma: int, following: int) -> bool:
    """A sign right after a comma that closes the writer's own question, with no sign before
    the comma and no "like" / "e.g." to offer it as an example, is told as the reason for
    asking: "should i go to er, CANT BREATHE", "could i be allergic, HIVES all over" (not "is it
    normal to have a fever, chills or a rash?", "what should I watch for, LIKE swelling?")."""
    tokens = structure.tokens
    if (comma - 1 in structure.occupied and comma - 1 not in structure.asking) or (
            following not in structure.occupied):
        return False  # (a question matched as one, "should I call an ambulance", is no sign)
    if any(tokens[k].key in EXAMPLE_WORDS or tokens[k].lower in EXAMPLE_WORDS
           for k in range(comma + 1, following)):
        return False
    s_start, _ = structure.sentence_range(comma)
    # ("i" or "we" asks: not "reading the risks freaked ME out a bit, bleeding, infection")
    return any(tokens[k].key in OWN_SUBJECTS for k in range(s_start, comma))


def reported_later(structure: TextStructure, start: int, end: int) -> bool:
    """A follow-up such as "because I have them" after a question about a sign, or one that
    dates it right after a question that is not an "if" ("is it normal to be puffing sitting
    still?? DAY 2 NOW")."""
    if structure.reported_after(end) or _same_verb_told_next(structure, start, end):
        return True
    if _answered_by_a_bare_yes(structure, start, end) or any(
            hit.start >= end for hit in structure.hits("made_real")):
        return True  # ("what if it spreads? NOT REALLY A WHAT IF, ...")
    after = _next_statement(structure, start)
    if (_meaning_of_what_keeps_coming(structure, start, after)
            or _also_told_next(structure, after) or _located_next(structure, after)):
        return True
    return (_dated_next(structure, start) or _dated_after_comma(structure, start, end)) and (
        in_conditional(structure, start, end) is None or _asked_whether(structure, start))


# a bare yes that answers the writer's own what-if: "what if the redness spreads? IT KIND OF
# ALREADY IS", "hypothetically if my throat felt tight - ok not hypothetically, IT DOES",
# "suppose the numbness doesn't go away - well, IT HASN'T"
BARE_YES_SUBJECTS = frozenset({"it", "they", "mine", "that", "this", "he", "she", "i", "we"})
BARE_YES_VERBS = frozenset({"be", "do", "have", "can", "will"})
# a modal says yes only denied, after a denied condition: "what if it won't stop? IT WON'T",
# "what if I can't breathe? I CAN'T" (not "what if it spreads? IT CAN / IT WILL / IT COULD")
BARE_YES_MODALS = frozenset({"can", "will"})
# between the subject and the verb: "it KIND OF ALREADY is", "it REALLY does"
BARE_YES_HEDGES = frozenset({"kind", "kinda", "sort", "sorta", "of", "already", "actually",
                             "really", "definitely", "def", "totally", "just", "now", "still",
                             "honestly", "literally", "pretty", "much"})
# what may close the bare yes: "it is, AS OF this morning", "it hasn't FOR 2 days", "it does NOW"
# ("for" only before a length: not "it does FOR SOME PEOPLE")
BARE_YES_AFTER = frozenset({"now", "already", "as", "since", "today", "tonight", "rn",
                            "too", "lol", "right", "currently", "and", "but"})
LENGTH_AFTER_FOR = frozenset({"a", "an", "one", "two", "three", "four", "five", "six", "few",
                              "couple", "hours", "days", "ages", "hour", "day", "weeks",
                              "week", "over", "the"})
BARE_YES_SENTENCES = 2  # the sign's sentence and the two after it
# what may stand right before the bare yes: "WELL, it hasn't", "CAUSE I can't", "BUT NOW they are"
BARE_YES_LEAD_INS = BECAUSE_WORDS | frozenset({"well", "ok", "okay", "yes", "yeah", "and", "but",
                                               "now", "cause", "cuz", "coz", "cos", "bc",
                                               "think"})
BARE_YES_NOW = frozenset({"now", "already", "since", "today", "tonight", "rn", "currently"})


def _answered_by_a_bare_yes(structure: TextStructure, start: int, end: int) -> bool:
    """After a sign asked about or imagined, a clause that is only a subject and a verb ("IT
    IS", "IT DOES", "IT HASN'T", maybe hedged, "it kind of already is") says yes to it, in the
    sign's sentence or the two after it. It agrees with the sign's own clause: "what if it
    DOESN'T go away? it HASN'T" (not "... it does"), "what if it spreads? it is" (not "IT ISN'T
    yet"). Not a question ("it is, isn't it?"), nor inside an "if" ("if it is, ...")."""
    tokens = structure.tokens
    number = structure.sentence_of[start]
    low, _ = structure.clause_range(start, end)
    denied = any(tokens[k].key in NEGATION_KEYS for k in range(low, end))
    for n in range(number, min(len(structure.sentences), number + BARE_YES_SENTENCES + 1)):
        yeses = structure.per_sentence("bare_yeses", structure.sentences[n][0],
                                       lambda lo, hi: _bare_yeses(structure, lo, hi))
        if any(k >= end and negated == denied for k, negated in yeses):
            return True
    return False


def _bare_yeses(structure: TextStructure, lo: int, hi: int) -> list[tuple[int, bool]]:
    """The bare yeses in [lo, hi): (where, denied), once per sentence (a long message has many
    signs in one)."""
    tokens = structure.tokens
    found = []
    for k in range(lo, hi):
        if tokens[k].key not in BARE_YES_SUBJECTS or not (
                k == 0 or tokens[k - 1].is_punct or tokens[k - 1].is_break
                or tokens[k - 1].key in BARE_YES_LEAD_INS):
            continue
        v = k + 1
        while v < hi and tokens[v].key in BARE_YES_HEDGES:
            v += 1
        if v >= len(tokens) or tokens[v].key not in BARE_YES_VERBS:
            continue
        after = v + 1
        negated = after < len(tokens) and tokens[after].key in NEGATION_KEYS
        if negated:
            after += 1
        elif after < len(tokens) and tokens[after].lower == "happening":
            after += 1  # "IT'S HAPPENING"
        closes = after >= len(tokens) or tokens[after].is_punct or tokens[after].is_break or (
            tokens[after].key in BARE_YES_AFTER or tokens[after].lower in BARE_YES_AFTER) or (
            tokens[after].key == "for" and after + 1 < len(tokens) and (
                tokens[after + 1].lower in LENGTH_AFTER_FOR or tokens[after + 1].lower.isdigit()))
        if tokens[v].key in BARE_YES_MODALS and not negated:
            continue  # (a modal only denied, so only after a denied condition)
        if tokens[v].key == "have" and not negated and tokens[k].key in ("i", "we") and not (
                after < len(tokens) and tokens[after].lower in BARE_YES_NOW):
            continue  # "what if I get hives? I HAVE, with penicillin" tells a history
        if (closes and not structure.is_question(k)
                and not structure._asked_or_imagined_before(k)):
            found.append((k, negated))
    return found


# "I'm ALSO really dizzy", "I have a rash TOO"
ALSO_WORDS = frozenset({"also", "too", "aswell", "as_well"})
FIRST_SUBJECTS = frozenset({"i", "im", "i'm", "ive", "i've"})


def _also_told_next(structure: TextStructure, found: tuple[int, int] | None) -> bool:
    """After the sign's question, the next sentence (`found`, `_next_statement`) tells the
    writer has another sign ALSO ("are hives all over normal after the injection? I'M ALSO
    really DIZZY"): the sign asked about is theirs too."""
    tokens = structure.tokens
    if found is None or tokens[found[0]].lower not in FIRST_SUBJECTS:
        return False
    k, n_end = found
    n_start = structure.sentence_range(k)[0]
    told = range(k, n_end)
    return any(tokens[j].key in ALSO_WORDS or tokens[j].lower in ALSO_WORDS for j in told) and any(
        j in structure.occupied for j in told) and not any(
        tokens[j].key in NEGATION_KEYS for j in told) and not any(
        structure.hits_in(category, n_start, n_end)  # "I also get migraines SOMETIMES"
        for category in ("trait_times", "habitual", "habit", "long_standing", "history_before"))


# the subjects of a condition about anyone ("what does it mean if YOU get a fever?")
GENERIC_SUBJECTS = frozenset({"you", "u", "someone", "somebody", "people", "one", "anyone",
                              "anybody", "a", "patients"})
# where a sign is felt ("IT'S ON THE LEFT SIDE", "it's mostly in my chest")
PLACE_WORDS = frozenset({"left", "right", "side", "middle", "center", "centre", "upper", "lower"})
IT_IS = frozenset({"it", "its", "it's"})


def _next_statement(structure: TextStructure, start: int) -> tuple[int, int] | None:
    """The sentence after the sign's question, when it is no question."""
    if not structure.is_question(start):
        return None
    tokens = structure.tokens
    k = structure.sentence_range(start)[1]
    while k < len(tokens) and tokens[k].is_punct:
        k += 1
    if k >= len(tokens) or structure.is_question(k):
        return None
    return k, structure.sentence_range(k)[1]


def _located_next(structure: TextStructure, found: tuple[int, int] | None) -> bool:
    """After the sign's question, the next sentence (`found`) says where it is felt ("is chest
    pain a normal thing the evening after the shots? IT'S ON THE LEFT SIDE", "... hives? THEY'RE
    ALL OVER me"): the writer has it."""
    if found is None:
        return False
    tokens = structure.tokens
    k, n_end = found
    if tokens[k].lower not in IT_IS and not (
            tokens[k].key == "they" and k + 1 < n_end and tokens[k + 1].key == "be"):
        return False  # ("IT'S on the left", "THEY'RE all over me")
    body = structure.words.get("body_words", frozenset())
    near = range(k + 1, min(k + 6, n_end))
    return any(tokens[j].key in PLACE_WORDS or _all_over_someone(tokens, j, n_end, body)
               for j in near) or any(
        tokens[j].key == "my" and j + 1 < n_end and tokens[j + 1].key in body for j in near)


# whose body is "all over ME": not "all over THE PLACE online"
ALL_OVER_WHOM = frozenset({"me", "him", "her", "them", "my", "his", "their", "our", "body"})


def _all_over_someone(tokens: list[NormToken], j: int, n_end: int, body: frozenset) -> bool:
    if tokens[j].key != "all" or j + 1 >= n_end or tokens[j + 1].key != "over":
        return False
    after = j + 2
    return after >= n_end or tokens[after].is_punct or tokens[after].key in ALL_OVER_WHOM or (
        tokens[after].key in body)


def _meaning_of_what_keeps_coming(structure: TextStructure, start: int,
                                  found: tuple[int, int] | None) -> bool:
    """Asking what it MEANS IF a sign KEEPS coming ("what does it mean if my husband KEEPS
    fainting after his injections?"), or what a sign means when the next sentence tells the
    injection had ("does it mean something is wrong if I can only take short breaths? HAD TPI
    near my ribs TODAY"), tells of one seen, unlike "what if I get a fever?"."""
    tokens = structure.tokens
    s_start, _ = structure.sentence_range(start)
    cond = next((j for k in range(s_start, start - 1) if tokens[k].key == "mean"
                 for j in range(k + 1, min(k + 5, start)) if tokens[j].key in ("if", "when")),
                None)  # ("does it MEAN something is wrong IF ...")
    if cond is None or tokens[cond + 1].key in GENERIC_SUBJECTS:
        return False  # ("... if YOU get a fever", "if SOMEONE faints")
    if any(tokens[k].key == "keep" for k in range(max(s_start, start - 2), start)):
        return True
    if found is None or any(tokens[k].key in NEGATION_KEYS for k in range(*found)) or (
            structure.hits_in("wellbeing", *found)):
        return False  # ("... I've NEVER had a shot before", "... and I'M FINE")
    return bool(structure.hits_in("injection_behind", *found)) and any(
        structure.hits_in(category, *found) for category in ("history_recent", "current_time"))


def _asked_whether(structure: TextStructure, start: int) -> bool:
    """The "if" before the sign opens an embedded question ("just WONDERING IF it's normal to
    have 38.1 ..."), not a condition."""
    tokens = structure.tokens
    s_start, _ = structure.sentence_range(start)
    opener = next((k for k in range(start - 1, s_start - 1, -1)
                   if tokens[k].key in ("if", "whether")), None)
    asking = structure.words.get("asking_verbs", frozenset())
    return opener is not None and opener > s_start and tokens[opener - 1].key in asking


AUXILIARY_VERBS = frozenset({"be", "have", "do", "get"})
# what opens a sentence that tells "it" is doing what was asked: "IT'S spreading", "IT IS now"
IT_OPENERS = frozenset({"it", "its", "it's", "this", "that", "mine", "and"})


def _same_verb_told_next(structure: TextStructure, start: int, end: int) -> bool:
    """"call if redness SPREADS. IT'S SPREADING.": the next sentence opens with "it" and tells
    the sign's own verb (the same lemma, not a question, nothing denied): the condition is
    happening."""
    tokens = structure.tokens
    number = structure.sentence_of[start]
    if number + 1 >= len(structure.sentences):
        return False
    verbs = {tokens[k].key for k in range(start, end)
             if tokens[k].lower.endswith(("s", "ing", "ed")) and tokens[k].lower != tokens[k].key
             and tokens[k].key not in AUXILIARY_VERBS}
    n_start, n_end = structure.sentences[number + 1]
    if not verbs or structure.is_question(n_start) or tokens[n_start].key not in IT_OPENERS:
        return False
    return any(tokens[k].key in verbs for k in range(n_start, min(n_end, n_start + 5))) and not any(
        tokens[k].key in NEGATION_KEYS for k in range(n_start, n_end))


DATING_LEAD_INS = frozenset({"it", "be", "its", "now", "my", "this", "i", "on", "the", "im",
                             "and", "so", "but", "already", "that", "happened", "happen",
                             # "it HAS not stopped", "it DOES not stop", "it WON'T stop"
                             "has", "have", "does", "do", "will", "wo", "is",
                             # "I MEAN it hasn't stopped", "WELL it's day 3"
                             "mean", "well", "like",
                             # "... and ringing? BOTH since lunch"
                             "both",
                             # "how much bleeding is normal? MINE won't stop"
                             "mine", "his", "hers", "theirs",
                             # "it JUST keeps getting bigger", "it's DEF getting bigger"
                             "just", "really", "definitely", "def", "still", "keeps", "keep",
                             # "... normal? CUZ mine won't stop"
                             "cuz", "cause", "coz", "because", "bc",
                             # "is a blister normal? ONE popped up today"
                             "one"})


def _dated_next(structure: TextStructure, index: int) -> bool:
    """The sentence after the sign's question opens by dating it ("3rd day", "it's my second
    day like this", "two days now") and is not a question itself."""
    number = structure.sentence_of[index]
    if not structure.is_question(index) and not structure.hits_in(
            "amount_question", *structure.sentence_range(index)):
        return False  # ("how much bleeding is normal. MINE WON'T STOP" asks without its "?")
    tokens = structure.tokens
    number += 1  # the next sentence with words ("?? day 2" has an empty one in between), past
    # questions that only go on from this one ("does it cause a metallic taste? AND RINGING?
    # both since lunch")
    while number < len(structure.sentences) and (all(
        tokens[k].is_punct for k in range(*structure.sentences[number])
    ) or _goes_on_asking(structure, *structure.sentences[number])):
        number += 1
    if number >= len(structure.sentences):
        return False
    n_start, n_end = structure.sentences[number]
    if n_start >= len(tokens) or structure.is_question(n_start):
        return False
    return any(_opens_with_dating(structure, hit, n_start, n_end, index)
               for hit in structure.hits_in("dating_follow_up", n_start, n_end))


def _goes_on_asking(structure: TextStructure, n_start: int, n_end: int) -> bool:
    """A short question that goes on from the one before: "and ringing?", "or a rash?"."""
    tokens = structure.tokens
    words = [k for k in range(n_start, n_end) if not tokens[k].is_punct]
    return (bool(words) and len(words) <= 6 and tokens[words[0]].key in GOING_ON
            and structure.is_question(n_start))


def _opens_with_dating(structure: TextStructure, hit, n_start: int, n_end: int,  # noqa: ANN001
                       index: int) -> bool:
    """The part from `n_start` (a sentence, or what follows a comma) opens with a dating cue
    that dates the sign asked about, after lead-ins only ("it's", "mine", "cuz"), and offers no
    options ("... is the risk highest? THE FIRST DAY OR LATER ON")."""
    tokens = structure.tokens
    return (_dating_holds(structure, hit, n_start, n_end, index)
            and not _options_offered(tokens, hit.end, n_start, n_end)
            and all(tokens[k].key in DATING_LEAD_INS or tokens[k].lower in DATING_LEAD_INS
                    or _relative_lead_in(structure, k) for k in range(n_start, hit.start)))


def _relative_lead_in(structure: TextStructure, k: int) -> bool:
    """The relative the writer speaks for, before the dating cue: "A MI ESPOSO no le para"
    (not "my husband's DAY 3 of a new job")."""
    tokens = structure.tokens
    if k in structure.person_nouns:
        return k >= 2 and tokens[k - 2].lower == "a"
    return tokens[k].lower == "a" and k + 2 < len(tokens) and tokens[k + 1].lower in (
        "mi", "mis", "su") and (k + 2) in structure.person_nouns


def _dated_after_comma(structure: TextStructure, start: int, end: int) -> bool:
    """The same follow-up after a comma, in a question written without "?": "how much bleeding
    is normal, IT WON'T STOP" (not "what if the bleeding won't stop, do I call": the cue must
    come after a comma that follows the sign)."""
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    for hit in structure.hits_in("dating_follow_up", end, s_end):
        comma = next((k for k in range(hit.start - 1, end - 1, -1) if tokens[k].lower == ","),
                     None)
        if comma is None:
            continue
        if any(tokens[k].lower in ("'ll", "will") and not (
                k + 1 < len(tokens) and tokens[k + 1].key in NEGATION_KEYS)
               for k in range(comma + 1, hit.start)):
            continue  # "is swelling normal, IT'LL be my 3rd day off work" (not "it won't stop")
        if _opens_with_dating(structure, hit, comma + 1, s_end, start):
            return True
    return False


def _dating_holds(structure: TextStructure, hit, n_start: int, n_end: int,  # noqa: ANN001
                  index: int) -> bool:
    """Whether a dating cue dates the sign asked about. The firm ones ("day 3 now", "3 times
    today") do. "it hasn't stopped" / "no para" not when another verb or a person follows ("it
    hasn't stopped RAINING", "won't stop ME going", "no para DE llover"). The loose ones, when
    something came up or when the injection was, only after a question whether the sign is
    normal ("is it normal to have a rash there? came up this morning"; not "how common is a
    fever? injection was monday") and only in a message that does not also say all is well."""
    tokens = structure.tokens
    first = tokens[hit.start].key
    after = tokens[hit.end] if hit.end < n_end else None
    if after is not None and after.key in NOT_DATING_AFTER:
        return False  # "mine doesn't stop EASILY when I give blood", "getting bigger WOULD ..."
    if first in NOT_STOPPING_KEYS:
        subject = hit.start - 1
        if subject > n_start and tokens[subject].key in AUXILIARIES:
            subject -= 1
        if subject >= n_start and tokens[subject].key in WRITERS:
            return False  # "I have not settled on a date": the writer (not "I mean IT hasn't")
        return after is None or after.lower in SIGN_GOING_ON or not (
            after.lower.endswith("ing") or after.key in NOT_ABOUT_IT)
    if first not in LOOSE_DATING:
        return True
    one_came = hit.start == n_start + 1 and tokens[n_start].key == "one"  # "ONE came up today"
    if first in ("come", "came") and ((hit.start != n_start and not one_came) or (
            after is not None and after.key in TOLD_AFTER)):
        return False  # "IT came up today with my physio", "came out this morning THAT ..."
    s_start, s_end = structure.sentence_range(index)
    if not any(tokens[k].key in NORMAL_WORDS for k in range(s_start, s_end)):
        return False
    return not _reassured(structure, n_start, hit, index)


# "it has NOT stopped", "NO para", and what follows them when they speak of something else
NOT_STOPPING_KEYS = frozenset({"not", "n't", "nt", "no"})
# "or" between two times offered as options ("the first day OR LATER on", "same day OR THE
# NEXT"), not a range ("day 2 or 3", "an hour or so", "3 days or more")
OPTION_TIMES = frozenset({"later", "late", "earlier", "early", "after", "afterwards", "before",
                          "the", "next", "same", "sooner", "soon", "longer", "long", "shorter",
                          "short", "straight", "right", "only"})
NOW_WORDS = frozenset({"now", "still", "already", "since", "rn", "currently"})
# after a dating cue: a habit or a condition, not the sign now
NOT_DATING_AFTER = frozenset({"easily", "would", "could", "might"})
WRITERS = frozenset({"i", "we", "you", "they", "yo", "nosotros"})
AUXILIARIES = frozenset({"have", "has", "do", "does", "did", "will", "wo", "be", "is", "am", "are",
                         "can", "ca"})
# what a sign keeps doing ("it won't stop SPREADING"), unlike "it hasn't stopped RAINING"
SIGN_GOING_ON = frozenset({"spreading", "growing", "bleeding", "oozing", "leaking", "swelling",
                           "itching", "hurting", "throbbing", "aching", "burning", "weeping",
                           "dripping", "seeping", "twitching", "shaking", "stinging"})
NOT_ABOUT_IT = frozenset({"me", "us", "him", "her", "them", "you", "de", "el", "la", "mi",
                          "the", "my", "a"})
# the cues that date only loosely: something that came up, the day of the injection
LOOSE_DATING = frozenset({"be",  # "BEEN an hour" (and not "... and it's fine")
                          "come", "came", "pop", "popped", "show", "showed", "flare", "flared",
                          "crop", "cropped", "injection", "injections", "shot", "shots",
                          "procedure", "tpi", "appointment",
                          "have", "had", "get", "got"})  # "HAD injections monday"
NORMAL_WORDS = frozenset({"normal", "ok", "okay", "expected", "usual", "fine"})
# "came out this morning THAT my sister is allergic" tells news, not a sign
TOLD_AFTER = frozenset({"that", "when", "with", "in", "because"})
# a dating sentence that also says all is well dates nothing wrong
REASSURING = frozenset({"none", "fine", "good", "great", "ok", "okay", "healed", "normal",
                        "curious", "asking", "checking", "wondering", "nothing", "perfectly",
                        "perfect"})


def _options_offered(tokens: list[NormToken], after: int, n_start: int, n_end: int) -> bool:
    """The time told is one of two offered right after it ("the first day OR LATER on?"), and
    the sentence says nothing of now."""
    if any(tokens[k].key in NOW_WORDS for k in range(n_start, n_end)):
        return False
    return (after + 1 < n_end and tokens[after].key == "or"
            and tokens[after + 1].key in OPTION_TIMES)


def _reassured(structure: TextStructure, n_start: int, hit, index: int) -> bool:  # noqa: ANN001
    """The dating sentence (or the rest of the message) also says nothing is wrong: a
    reassuring word, a wellbeing cue, or a negation of the sign asked about ("no BRUISE so
    far"; not "no fever though" after a question about a rash)."""
    tokens = structure.tokens
    rest = [k for k in range(n_start, len(tokens)) if not hit.start <= k < hit.end]
    _, s_end = structure.sentence_range(index)
    asked = {tokens[k].key for k in range(index, s_end) if not tokens[k].is_punct
             and k in structure.occupied}
    negated = any(tokens[k].key in NEGATION_KEYS and any(
        tokens[j].key in asked for j in range(k + 1, min(k + 4, len(tokens)))) for k in rest)
    return negated or any(tokens[k].lower in REASSURING or tokens[k].key in REASSURING
                          for k in rest) or any(
        not (hit.start <= cue.start < hit.end)  # "it has n't STOPPED" is the dating itself
        for category in ("wellbeing", "resolved", "stopped")
        for cue in structure.hits_in(category, n_start, len(tokens)))


PERSONAL_BEFORE_TOPIC = frozenset({"i", "my", "me", "mine", "he", "she", "his", "her", "they",
                                   "their", "we", "our", "this", "that", "these", "those", "the",
                                   "it", "its", "im", "ive"})
# whose the sign is, before it ("the" and "that" open a general statement too)
OWNER_BEFORE_SIGN = PERSONAL_BEFORE_TOPIC - {"the", "that"}


# the short questions a complication named on its own may be followed by before the risk is
# asked: "COLLAPSED LUNG?? FROM A MUSCLE SHOT?? IS THAT REAL"
MAX_HEADING_QUESTIONS = 2
MAX_HEADING_QUESTION_WORDS = 8


def _risk_asked_after(structure: TextStructure, start: int, end: int) -> int | None:
    """Where the `trailing_risk` cue after the sign ends: in its own sentence, or, when the sign
    is the whole of a question ("pnemothorax???"), in one of the short questions right after it
    ("how likely"). None when there is none."""
    s_start, s_end = structure.sentence_range(start)
    hits = structure.hits_in("trailing_risk", end, s_end)
    if hits:
        return s_end
    tokens = structure.tokens
    if not structure.is_question(start) or any(
            not tokens[k].is_punct for k in (*range(s_start, start), *range(end, s_end))):
        return None
    following, questions = s_end, 0
    while following < len(tokens) and questions < MAX_HEADING_QUESTIONS:
        n_start, n_end = structure.sentence_range(following)
        words = sum(not tokens[k].is_punct for k in range(n_start, n_end))
        asks_risk = bool(structure.hits_in("trailing_risk", n_start, n_end))
        if words > MAX_HEADING_QUESTION_WORDS or (words and not structure.is_question(n_start)
                                                  and not asks_risk):
            return None  # "COLLAPSED LUNG?? THE ER DOC SAID SO. HOW COMMON" tells, then asks
        if asks_risk:
            return n_end
        questions += bool(words)  # "???" splits into sentences of no words
        following = n_end
    return None


def trailing_risk(structure: TextStructure, start: int, end: int) -> bool:
    """A risk question after a sign named like a heading: "collapsed lung after neck injections
    how common", "pneumothorax risk with these?". Not when anything before the sign says whose
    it is ("MY chest pain, how common is that?") or the sentence dates it ("...since the shot",
    "now"), nor with a report cue ("I have")."""
    s_start, s_end = structure.sentence_range(start)
    risk_end = _risk_asked_after(structure, start, end)
    if risk_end is None:
        return False
    tokens = structure.tokens
    # only a complication named as a topic ("collapsed lung", "nerve damage", "infection"), not
    # a symptom described ("chest pain, how common?", "blurry vision how likely" may be now)
    if not complication_named(structure, start, end):
        return False
    # who read or heard it is no owner: "I READ THAT a collapsed lung is a rare risk of these"
    sources = [hit.end for hit in structure.hits_in("hearsay_source", s_start, start)]
    owner_from = max(sources, default=s_start)
    if sources and owner_from < start and tokens[owner_from].key == "that":
        owner_from += 1
    # ("what are THE stroke SIGNS?": the article is the risk word's, right after the sign)
    article_of_risk = start - 1 >= owner_from and tokens[start - 1].key == "the" and (any(
        hit.start == end for hit in structure.hits_in("trailing_risk", end, s_end))
        or all(tokens[k].is_punct or tokens[k].key in QUESTION_LEAD_INS
               for k in range(s_start, start - 1)))  # "(please,) THE infection, is it rare?"
    if any((tokens[k].key in PERSONAL_BEFORE_TOPIC or tokens[k].lower in PERSONAL_BEFORE_TOPIC
            or k in structure.person_nouns) and not (article_of_risk and k == start - 1)
           for k in range(owner_from, start)):
        return False
    if any(structure.hits_in(category, s_end, len(tokens))
           for category in ("current_report", "current_time")):
        return False  # "pneumothorax, how common? my mum is going blue now" reports after it
    if any(structure.hits_in(category, s_end, risk_end)
           for category in ("history_recent", "other_person")):
        return False
    risks = structure.hits_in("trailing_risk", end, s_end)
    risk_edges = {h.start for h in risks} | {h.end for h in risks}
    return not any(
        not (category == "current_report" and _the_sign_is_the_risk(tokens, hit, risk_edges))
        for category in ("current_report", "current_time", "history_recent")
        for hit in structure.hits_in(category, s_start, s_end)
    )


# "the infection, IT IS frequent or rare?", "the collapse of lung, how often THIS IS happen?":
# the sign taken up again, as the risk's subject, right before or after the risk's words
SIGN_TAKEN_UP = frozenset({"it", "they", "that", "this"})


def _the_sign_is_the_risk(tokens: list[NormToken], hit, risk_edges: set[int]) -> bool:  # noqa: ANN001
    return (hit.end in risk_edges or hit.start in risk_edges) and hit.end - hit.start == 2 and (
        tokens[hit.start].key in SIGN_TAKEN_UP) and tokens[hit.start + 1].key == "be"


# --- Round 5: questions that name a sign without reporting it (rules 5 and 10) ---------------

# words between "for/with" and the condition the treatment is for: "for MY CHRONIC headaches",
# "help PEOPLE WITH fibromyalgia", "for BAD TENSION headaches"
CONDITION_FILLERS = frozenset({"my", "chronic", "tension", "bad", "frequent", "constant",
                               "people", "patients", "person", "someone", "anyone", "those",
                               "folks", "with", "a", "an", "the", "really", "severe", "muscle",
                               "muscular", "recurring", "recurrent", "regular", "cluster",
                               "daily", "myofascial", "neck", "back", "shoulder",
                               # Spanish: "para los dolores DE cabeza crónicos", "la gente con"
                               "de", "cronico", "cronica", "cronicos", "cronicas",
                               "tensional", "tensionales", "musculares",
                               "gente", "personas", "pacientes", "alguien", "con"})
PURPOSE_WORDS = frozenset({"for", "with", "against", "para", "contra"})
TREATMENT_VERBS = frozenset({"help", "treat", "relieve", "fix", "cure", "ease", "work",
                             "servir", "ayudar", "tratar", "aliviar", "curar", "funcionar"})
# what may stand before "for" in a follow-up that names only the condition: "AND for
# headaches?", "EVEN for headaches?", "WHAT ABOUT for migraines?"
PURPOSE_LEAD_INS = QUESTION_LEAD_INS | frozenset({"even", "what", "about", "how", "only",
                                                  "just", "maybe", "also", "is", "it", "good",
                                                  "too", "but"})
TREATMENT_SUBJECTS = PROCEDURE_WORDS | frozenset({"it", "they", "these", "those", "them",
                                                  "needling", "injecting", "tpis", "this"})


def _no_report_in_sentence(structure: TextStructure, s_start: int, s_end: int) -> bool:
    return not any(
        structure.hits_in(category, s_start, s_end)
        for category in ("current_report", "current_time", "history_recent")
    )


def treatment_question(structure: TextStructure, start: int, end: int) -> bool:
    """Rule 10: the condition the injections treat, asked about as what they are FOR: "TPI for
    headaches??", "and for headaches?", "even for headaches?", "does it help people with
    fibromyalgia?". The sign must be only a condition name (`treated_conditions`: "headaches",
    not "a headache that won't go away"), right after "for/with/help" (with CONDITION_FILLERS
    between), in a question whose subject is the treatment or which is only a follow-up
    ("and for ...?"), with no report or time in the sentence ("TPI for my neck, now my headache
    is constant?" reports it)."""
    if not structure.is_question(start):
        return False
    tokens = structure.tokens
    names = structure.words.get("treated_conditions", frozenset())
    if not all(tokens[k].key in names or tokens[k].lower in names
               or tokens[k].key in CONDITION_FILLERS for k in range(start, end)):
        return False
    s_start, s_end = structure.sentence_range(start)
    k = start - 1
    while k >= s_start and tokens[k].key in CONDITION_FILLERS - PURPOSE_WORDS:
        k -= 1
    if k < s_start:
        return False
    if tokens[k].key in TREATMENT_VERBS and k > s_start and tokens[k - 1].key in PURPOSE_WORDS:
        k -= 1  # "does it help WITH people with fibromyalgia"
    if not (tokens[k].key in PURPOSE_WORDS or tokens[k].key in TREATMENT_VERBS):
        return False
    before = range(s_start, k)
    about_treatment = any(tokens[j].key in TREATMENT_SUBJECTS or tokens[j].lower in
                          TREATMENT_SUBJECTS for j in before)
    bare_follow_up = all(tokens[j].key in PURPOSE_LEAD_INS or tokens[j].is_punct
                         for j in before)
    if not (about_treatment or bare_follow_up):
        return False
    if any(j in structure.boundaries for j in range(k, start)):
        return False
    return _no_report_in_sentence(structure, s_start, s_end)


# what a medicine is for: "is that TO BRING DOWN swelling?", "something FOR inflammation?", "a
# cortisone shot FOR a swollen knee"
PURPOSE_VERBS = frozenset({"bring", "reduce", "calm", "ease", "treat", "lower", "fight", "settle",
                           "control", "help", "relieve", "take", "cut", "down", "away", "with",
                           "calms", "reduces", "treats", "helps"})
MEDICINES = PROCEDURE_WORDS | frozenset({"steroid", "steroids", "cortisone", "corticosteroid",
                                         "medicine", "medication", "medications", "medicines",
                                         "mix", "agent", "anesthetic", "anaesthetic", "botox",
                                         "drug", "drugs", "ingredient", "something"})
PURPOSE_ARTICLES = frozenset({"a", "an", "any", "some", "general", "the"})


def medicine_purpose(structure: TextStructure, start: int, end: int) -> bool:
    """Rule 10: the sign as what a medicine is FOR, in a question about the medicine: "to
    (bring down / reduce / calm) swelling", "for (a) swollen knee" within four words before it,
    a medicine named in the message (`MEDICINES`), no one's own ("my", "this") before the sign
    and nothing told of now, lately or of the writer in the sentence ("can I take ibuprofen for
    the swelling?" is the writer's own)."""
    if not structure.is_question(start):
        return False
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    k = start - 1
    while k >= s_start and k >= start - 2 and tokens[k].key in PURPOSE_ARTICLES | {"inflame"}:
        k -= 1  # ("for A swollen knee")
    if k < s_start:
        return False
    if tokens[k].key == "for":
        purpose = k
    else:
        purpose = next((j for j in range(k, max(s_start, k - 3) - 1, -1)
                        if tokens[j].key == "to"), None)
        if purpose is None or purpose == k or not all(tokens[j].key in PURPOSE_VERBS
                                                      for j in range(purpose + 1, k + 1)):
            return False
    if any(j in structure.boundaries for j in range(purpose, start)):
        return False
    if any(tokens[j].key in FIRST_PERSON_KEYS or tokens[j].key in POSSESSIVES
           for j in range(s_start, s_end)):
        return False
    if not any(t.key in MEDICINES or t.lower in MEDICINES for t in tokens):
        return False
    return _no_report_in_sentence(structure, s_start, s_end) and not strong_current(
        structure, (s_start, s_end))


# The treated conditions that are also a warning sign's words (a headache that will not go away).
HEADACHE_NAMES = frozenset({"headache", "headaches", "migraine", "migraines"})


def condition_to_treat(structure: TextStructure, start: int, end: int) -> bool:
    """Rule 10: a condition the injections treat, named in a message that asks whether they are
    for it ("my wife gets awful headaches, could these be something for her?", "and
    migraines?"). The sign must be the condition's name alone (`treated_conditions`, with
    CONDITION_FILLERS), the message must ask about the treatment (`treatment_for_condition`) or
    be only "and <condition>?", and the sign's sentence must not report it since an injection or
    now ("headaches since the shot, would another one help?" still escalates)."""
    tokens = structure.tokens
    names = structure.words.get("treated_conditions", frozenset())
    s_start, s_end = structure.sentence_range(start)
    if not any(tokens[k].key in HEADACHE_NAMES or tokens[k].lower in HEADACHE_NAMES
               for k in range(start, end)):
        # pain and soreness as the condition: expected_effects.py; a headache told in other
        # words only as a habit ("mine make my HEAD pound EVERY AFTERNOON")
        if not (any(tokens[k].key == "head" for k in range(start, end))
                and _told_as_a_habit(tokens, s_start, s_end)):
            return False
    elif not all(tokens[k].key in names or tokens[k].lower in names
                 or tokens[k].key in CONDITION_FILLERS for k in range(start, end)):
        return False
    # "I get headaches" is how a condition is told; a time ("now", "since the shot",
    # "yesterday") ties it to the injection
    if any(structure.hits_in(category, s_start, s_end)
           for category in ("back_again_strong", "current_time", "history_recent")):
        return False
    if structure.hits("treatment_for_condition"):
        return True
    # a bare follow-up naming only the condition: "and migraines?", "what about fibro?"
    lead_in = all(tokens[j].key in PURPOSE_LEAD_INS or tokens[j].is_punct
                  for j in range(s_start, start))
    rest = all(tokens[j].is_punct for j in range(end, s_end))
    return structure.is_question(start) and lead_in and rest


# how often a long-term complaint comes: "EVERY AFTERNOON", "most days", "daily"
HABIT_PERIODS = frozenset({"morning", "afternoon", "evening", "night", "day", "week", "weekend",
                           "month"})


def _told_as_a_habit(tokens: list[NormToken], s_start: int, s_end: int) -> bool:
    return any(tokens[k].key in ("daily", "weekly") or (
        tokens[k].key in ("every", "most") and k + 1 < s_end
        and tokens[k + 1].key in HABIT_PERIODS) for k in range(s_start, s_end))


BARE_LEAD_INS = QUESTION_LEAD_INS | frozenset({"what", "about", "how", "risk", "risks", "of",
                                               "chance", "chances", "any", "a", "an", "even",
                                               "and", "or", "also"})


# what a bare question may ask of a sign: "fever THRESHOLD?", "temp cut off?"
LINE_WORDS = frozenset({"threshold", "cutoff", "cut", "off", "cut-off", "limit", "range",
                             "level", "number", "point"})


def bare_threshold_question(structure: TextStructure, start: int, end: int) -> bool:
    """"fever threshold?", "what's the temp cutoff?": a message that is nothing but the sign,
    a threshold word after it and a question mark asks where the line is."""
    tokens = structure.tokens
    if not structure.is_question(start):
        return False
    after = [k for k in range(end, len(tokens)) if not tokens[k].is_punct]
    before = [k for k in range(start) if not tokens[k].is_punct]
    return bool(after) and all(tokens[k].key in LINE_WORDS for k in after) and all(
        tokens[k].key in BARE_LEAD_INS or tokens[k].lower in BARE_LEAD_INS
        or tokens[k].key in ("the", "whats", "what's", "be") for k in before) and (
        "?" in tokens[-1].lower)


def bare_complication_question(structure: TextStructure, start: int, end: int) -> bool:
    """Rule 10: a message that is nothing but a complication's name and a question mark
    ("pneumothorax?", "collapsed lung??", "and nerve damage?") asks about that risk. Only a
    complication NAME (`complication_names`, a collapsed or punctured lung), never a symptom
    ("I can't breathe?", "chest pain?" may be said by someone who has it), and only when the
    whole message is that one question."""
    tokens = structure.tokens
    if not structure.is_question(start):
        return False
    if not complication_named(structure, start, end):
        return False
    outside = [k for k in range(len(tokens)) if not start <= k < end and not tokens[k].is_punct]
    if not all(tokens[k].key in BARE_LEAD_INS or tokens[k].lower in BARE_LEAD_INS
               for k in outside):
        return False
    return all("?" in tokens[k].lower for k in range(end, len(tokens)) if tokens[k].is_punct) \
        and any("?" in tokens[k].lower for k in range(end, len(tokens)))


# a question about risks in general, whose possible answers the next words offer: "what are the
# SIDE EFFECTS? bleeding, infection?", "what's the WORST that can happen, a serious infection or
# nerve damage?"
RISK_QUESTION_WORDS = frozenset({"side_effect", "side_effects", "side", "effects", "effect",
                                 "risk", "risks", "complication", "complications", "danger",
                                 "dangers", "worst", "wrong"})  # ("side" for "side affects")
# what an offered answer may hold besides the signs ("?" and "," are breaks, not punctuation)
OPTION_FILLERS = LIST_WORDS | frozenset({"serious", "severe", "bad", "possible", "permanent",
                                         "lasting", "long-term", "the", "etc", "something",
                                         "anything", "else", "?", ",", "/",
                                         # what the injection may feel like as it is given
                                         "pressure", "pinch", "pinching", "sharp", "dull",
                                         "just", "nothing", "sting", "cramping", "lol",
                                         "feeling", "sensation",
                                         # "..., THAT KIND OF THING?", "OR STUFF LIKE THAT"
                                         "that", "kind", "sort", "of", "thing", "things",
                                         "stuff",
                                         # conditions offered as what it treats
                                         "fibromyalgia", "fibro", "myofascial", "tension",
                                         "chronic", "back", "neck", "shoulder", "muscle"})
# what a message must not hold for its offered answers to be only asked about
TOLD_ANYWHERE = ("current_report", "current_time", "history_recent", "other_person",
                 "persistence", "anaphoric_report")


def options_of_a_risk_question(structure: TextStructure, start: int, end: int,
                               emergency: bool = False) -> bool:
    """Rule 10: signs offered as the possible answers of a question about risks in general - a
    question of their own made of nothing but signs ("bleeding, infection?"), right after a
    question about side effects, risks or complications (or after other such offered answers),
    or about what the injection feels like while it is given, or after a comma that closes such
    a question ("what's the worst that can happen, a serious infection or nerve damage?"). Not
    when anything in the message tells of now, of the past or of someone ("what are the risks? I
    have a fever and chills?"), and an emergency sign only as a complication's name."""
    if not structure.is_question(start) or (emergency
                                            and not complication_named(structure, start, end)):
        return False  # (an emergency sign only as a complication's name: "collapsed lung?")
    tokens = structure.tokens
    more = structure.per_message("asks_for_more", lambda: _asks_for_more(structure))
    if any(t.key in FIRST_PERSON_KEYS for k, t in enumerate(tokens) if k < more):
        return False  # ("... ANYTHING ELSE I'M MISSING?" asks for more of the list)
    s_start, s_end = structure.sentence_range(start)
    lo = start  # where the offered answers begin
    while lo > s_start and _offered(structure, lo - 1):
        lo -= 1
    if not all(_offered(structure, k) for k in range(start, s_end)):
        return False
    # (the question's own words may read as a sign, "what are the SIDE EFFECTS of TPIs - bleeding,
    # infection?": then the answers begin at a later break)
    asked = next((found for k in [lo, *range(start - 1, lo, -1)] if k == lo or tokens[k].lower
                  in OPTION_BREAKS if (found := _question_offering(structure, s_start, k))), None)
    if asked is None:
        return False
    # the question itself may read like a report ("what does IT FEEL like during the shot?"):
    # its own report cue does not count, anything else anywhere does (not "what's wrong with
    # HIM, ...?", "is THIS a side effect? bleeding?"; but "... wrong with these?")
    return not any(
        not (category == "current_report" and asked[0] <= hit.start < asked[1])
        and hit.start < more for category in TOLD_ANYWHERE for hit in structure.hits(category)
    ) and not strong_current(structure, (0, more))


OPTION_BREAKS = frozenset({",", "-", "–", "—", ":"})
# a last question that asks for more of a list: "ANYTHING ELSE I'm missing?", "WHAT ELSE should
# I know?", "ANY OTHERS?"
MORE_OF_A_LIST = frozenset({("anything", "else"), ("what", "else"), ("any", "others"),
                            ("any", "other"), ("something", "else"), ("others", "?")})


def _asks_for_more(structure: TextStructure) -> int:
    """Where the message's last sentence begins when it asks for more of a list and names no
    sign; the message's length otherwise."""
    tokens = structure.tokens
    if not structure.sentences:
        return len(tokens)
    s_start, s_end = structure.sentences[-1]
    head = structure.after_lead_ins(s_start, s_end)
    if head + 1 >= s_end or not structure.is_question(s_start) or any(
            k in structure.occupied for k in range(s_start, s_end)):
        return len(tokens)
    pair = (tokens[head].key, tokens[head + 1].lower)
    return s_start if pair in MORE_OF_A_LIST and s_start > 0 else len(tokens)


def _question_offering(structure: TextStructure, s_start: int,
                       lo: int) -> tuple[int, int] | None:
    """The question whose possible answers begin at lo: before a comma in the same sentence,
    or a question before it (other offered answers may come between); None if there is none."""
    tokens = structure.tokens
    if lo > s_start:  # the question before a comma (or a dash), in the same sentence
        ok = tokens[lo].lower in OPTION_BREAKS and (
            _asks_about_risks(tokens, s_start, lo) or _asks_how_it_feels(structure, s_start, lo)
            or _asks_what_it_treats(tokens, s_start, lo))
        return (s_start, lo) if ok else None
    number = structure.sentence_of[s_start]
    while number > 0:
        p_start, p_end = structure.sentences[number - 1]
        if not structure.is_question(p_start):
            return None
        if _asks_about_risks(tokens, p_start, p_end) or _asks_how_it_feels(
                structure, p_start, p_end) or _asks_what_it_treats(tokens, p_start, p_end):
            return p_start, p_end  # (or what it feels like: "what is it like DURING THE SHOT?")
        if not all(_offered(structure, k) for k in range(p_start, p_end)):
            return None  # (offered answers before may come between)
        number -= 1
    return None


# "what CONDITIONS do you treat with TPIs? e.g. headaches, fibromyalgia?", "which PROBLEMS
# can they help with?"
TREATED_KINDS = frozenset({"condition", "conditions", "problem", "problems", "issue", "issues",
                           "kind", "kinds", "type", "types", "sort", "sorts"})
TREATING_WORDS = frozenset({"treat", "treats", "treated", "help", "helps", "for", "use", "used"})


def _asks_what_it_treats(tokens: list[NormToken], lo: int, hi: int) -> bool:
    keys = [tokens[k].key for k in range(lo, hi)]
    return bool(keys) and keys[0] in ("what", "which") and any(
        key in TREATED_KINDS for key in keys[1:4]) and any(key in TREATING_WORDS for key in keys)


def _asks_how_it_feels(structure: TextStructure, lo: int, hi: int) -> bool:
    """What the injection feels like while it is given: a `during_the_injection` cue, or "what
    does it feel like" / "what is the feeling" with no one's own in it ("what does MY arm feel
    like" is about now)."""
    if structure.hits_in("during_the_injection", lo, hi):
        return True
    keys = [structure.tokens[k].key for k in range(lo, hi)]
    return any(key in ("what", "wat", "how") for key in keys[:3]) and (
        bool({("feel", "like"), ("look", "like")} & set(zip(keys, keys[1:], strict=False)))
        or "feeling" in keys
    ) and not any(key in FIRST_PERSON_KEYS or key in POSSESSIVES for key in keys)


def _offered(structure: TextStructure, k: int) -> bool:
    token = structure.tokens[k]
    return (k in structure.occupied or token.is_punct or token.key in OPTION_FILLERS
            or token.lower in OPTION_FILLERS)


# between "is there" and the sign: "is there A LOT OF blood ...", "will there be ANY bleeding"
THERE_FILLERS = frozenset({"be", "will", "usually", "normally", "typically", "generally", "a",
                           "lot", "lots", "of", "much", "any", "some", "more", "little", "bit"})


def there_in_the_procedure(structure: TextStructure, start: int, end: int) -> bool:
    """"Is there a lot of blood INVOLVED?", "will there be any bleeding DURING THE
    PROCEDURE?": a question whether the procedure brings the sign, made of "is / will there
    (be)", an amount, the sign, and "involved" or a `during_the_injection` phrase that ends it.
    Not when the message tells of now, the past or someone anywhere."""
    if not structure.is_question(start):
        return False
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    # (a sentence after it may tell a trait, "I get queasy at the sight of it", but not point
    # back at the sign: "... mine won't stop")
    if any(structure.hits_in(category, s_start, s_end) for category in TOLD_ANYWHERE) or any(
            tokens[k].key in FIRST_PERSON_KEYS for k in range(s_start, s_end)) or (
            structure.hits("anaphoric_report")) or strong_current(structure, (0, len(tokens))):
        return False
    head = _clause_head(structure, s_start, start)
    if head + 1 >= start or tokens[head].key not in ("be", "will") or (
            tokens[head + 1].key != "there"):
        return False
    if not all(tokens[k].key in THERE_FILLERS for k in range(head + 2, start)):
        return False
    rest = end
    if rest < s_end and tokens[rest].key == "involve":
        rest += 1
    else:
        during = [h for h in structure.hits_in("during_the_injection", end, s_end)
                  if h.start == end]
        if not during:
            return False
        rest = during[0].end
    return all(tokens[k].is_punct for k in range(rest, s_end))


def _asks_about_risks(tokens: list[NormToken], lo: int, hi: int) -> bool:
    return any(tokens[k].key in RISK_QUESTION_WORDS or tokens[k].lower in RISK_QUESTION_WORDS
               for k in range(lo, hi))


DEFINING_WORDS = frozenset({"like", "kind", "sort", "type", "form", "basically", "same",
                            "similar", "just", "called", "mean", "means"})


def definition_question(structure: TextStructure, start: int, end: int) -> bool:
    """A definitional question that uses a sign word: "what is a trigger point? it is like an
    inflammation inside the muscle?" - after a "what is/are ...?" question, a question that
    says what IT is like ("it is like / a kind of / basically ...") describes the thing asked
    about, not the patient. Not with "I/my" or a time ("it's like a burning in my arm now?")."""
    tokens = structure.tokens
    if not structure.is_question(start):
        return False
    s_start, s_end = structure.sentence_range(start)
    head = _clause_head(structure, s_start, start)
    define = head + 2
    if define + 1 < start and tokens[define].key in ("a", "an"):
        define += 1  # "it is A KIND of ..."
    defines_it = define < start and tokens[head].key in ("it", "that", "this", "they") and (
        tokens[head + 1].key == "be" and tokens[define].key in DEFINING_WORDS)
    trigger_point = _defines_a_trigger_point(structure, s_start, start) or (
        _trigger_point_described(structure, s_start, start)) or (
        _defines_the_procedure(structure, s_start, start))
    if not (defines_it or trigger_point):
        return False
    if any(tokens[k].key in FIRST_PERSON_KEYS or tokens[k].lower in FIRST_PERSON_KEYS
           for k in range(s_start, s_end)):
        return False
    if any(structure.hits_in(c, s_start, s_end) for c in ("current_time", "history_recent")):
        return False
    if trigger_point:
        return True
    number = structure.sentence_of[start]
    if number == 0:
        return False
    p_start, p_end = structure.sentences[number - 1]
    p_head = _clause_head(structure, p_start, p_end)
    return (
        structure.is_question(p_start) and p_head + 1 < p_end
        and tokens[p_head].key in ("what", "whats", "what's")
        and tokens[p_head + 1].key in ("be", "mean", "do")
        and not any(k in structure.occupied for k in range(p_start, p_end))
    )


def _defines_a_trigger_point(structure: TextStructure, s_start: int, start: int) -> bool:
    """"is A TRIGGER POINT LIKE a lump in the muscle?", "are knots a kind of swelling?": the
    question's subject is the thing the injections treat, and a defining word comes before the
    sign."""
    tokens = structure.tokens
    k = s_start
    while k < start and (tokens[k].is_punct or tokens[k].key in QUESTION_LEAD_INS):
        k += 1
    if k >= start:
        return False
    if tokens[k].key != "be":
        return _trigger_point_likened(structure, k, start)
    k += 1
    if k < start and tokens[k].key in ("a", "an", "the"):
        k += 1
    k = _after_trigger_point(structure, k, start)
    return k is not None and any(tokens[j].key in DEFINING_WORDS for j in range(k, start))


def _after_trigger_point(structure: TextStructure, k: int, start: int) -> int | None:
    """Where the words after "trigger point" or a knot word at k begin (None: neither is
    there)."""
    tokens = structure.tokens
    knots = structure.words.get("knot_words", frozenset())
    if k + 1 < start and tokens[k].key == "trigger" and tokens[k + 1].key == "point":
        return k + 2
    if k < start and (tokens[k].key in knots or tokens[k].lower in knots):
        return k + 1
    return None


# what may stand between the trigger points asked about and the signs that describe them ("are
# trigger points inflamed, red AND hot?", "why do they hurt SO much")
DESCRIBED_FILLERS = frozenset({"so", "that", "really", "always", "usually", "often", "and", "or",
                               "sometimes", "very", "even", ","})


def _trigger_point_described(structure: TextStructure, s_start: int, start: int) -> bool:
    """"are TRIGGER POINTS inflamed, red and hot?", "WHY DO trigger points hurt so much?", "WHAT
    MAKES a muscle knot so tender": a question about what the thing the injections treat is
    like, its subject trigger points or knots in general (no "the / my"), the signs right after
    it."""
    tokens = structure.tokens
    k = s_start
    while k < start and (tokens[k].is_punct or tokens[k].key in QUESTION_LEAD_INS):
        k += 1
    if k + 1 < start and (tokens[k].key, tokens[k + 1].key) in (
            ("why", "do"), ("why", "be"), ("what", "make")):
        k += 2
    elif k < start and tokens[k].key == "be":
        k += 1
    else:
        return False
    if k < start and tokens[k].key in ("a", "an"):
        k += 1
    if k < start and tokens[k].key in ("muscle", "muscles"):
        k += 1
    k = _after_trigger_point(structure, k, start)
    return k is not None and all(j in structure.occupied or tokens[j].key in DESCRIBED_FILLERS
               or tokens[j].lower in DESCRIBED_FILLERS for j in range(k, start))


# what the procedure may be asked to be: "is a TPI a big OPERATION with stitches and bleeding?"
PROCEDURE_KINDS = frozenset({"operation", "surgery", "procedure", "deal", "kind", "type", "sort",
                             "cut", "incision"})


def _defines_the_procedure(structure: TextStructure, s_start: int, start: int) -> bool:
    """"Is a trigger point injection a big operation with stitches and bleeding, or just a
    shot?": "is" and the procedure as the subject, then a kind of procedure before the sign."""
    tokens = structure.tokens
    k = s_start
    while k < start and (tokens[k].is_punct or tokens[k].key in QUESTION_LEAD_INS):
        k += 1
    if k >= start or tokens[k].key != "be":
        return False
    subject = [tokens[j].key for j in range(k + 1, min(start, k + 6))]
    named = "tpi" in subject or ("trigger", "point") in set(zip(subject, subject[1:],
                                                                  strict=False))
    return named and any(tokens[j].key in PROCEDURE_KINDS for j in range(k + 2, start))


def _trigger_point_likened(structure: TextStructure, head: int, start: int) -> bool:
    """"Can you feel A TRIGGER POINT with your fingers, LIKE a hard painful lump?": a question
    opened by a modal or "do", a trigger point named, then "like" right before the sign."""
    tokens = structure.tokens
    if tokens[head].key not in POSSIBILITY_MODALS | {"do"}:
        return False
    point = next((k for k in range(head, start - 1)
                  if tokens[k].key == "trigger" and tokens[k + 1].key == "point"), None)
    like = next((k for k in range(start - 1, max(head, start - 3), -1)
                 if tokens[k].key == "like"), None)
    return point is not None and like is not None and point < like and all(
        tokens[k].key in ("a", "an") for k in range(like + 1, start))


# what asks whether two names mean one thing: "is pneumothorax THE SAME AS a collapsed lung",
# "is anaphylaxis JUST ANOTHER WORD FOR an allergic reaction", "is a haematoma DIFFERENT FROM a
# bruise"
NAMING_LINKS = (("same", "as"), ("same", "thing", "as"), ("another", "word", "for"),
                ("another", "name", "for"), ("other", "word", "for"), ("other", "name", "for"),
                ("different", "from"), ("different", "than"), ("different", "to"),
                ("medical", "word", "for"), ("medical", "name", "for"), ("medical", "term", "for"))
# subjects that may point at what the patient has ("is THIS the same as a stroke?")
POINTING_SUBJECTS = frozenset({"this", "that", "it", "these", "those", "what", "mine"})




QUOTED_REACH = 5  # words a quoted term may hold beside the sign, on either side
QUOTED_LEAD_INS = frozenset({"any", "a", "an", "the", "some", "new"})
QUOTED_RELATIVES = frozenset({"that", "which", "who", "than", "que"})


def quoted_term_question(structure: TextStructure, start: int, end: int) -> bool:
    """Rule 10: a sign quoted as a term in a question ("at what point does soreness become
    'increased pain' that I should call about?", 'what counts as "heavy bleeding"?'): the words
    of the page, not a report. Not with a report, a time or a number from its sentence on ('is
    my arm "numb" now?', 'what counts as "spreading redness"? it's gone up my arm', 'when does
    it become "high blood sugar"? meter says 25')."""
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    # the quotes may hold more than the sign: "what does 'ANY new or unexplained symptom'
    # mean?", "what would 'bleeding THAT WON'T STOP' look like?"
    if (quotes := quotes_around(structure, start, end, QUOTED_REACH)) is None:
        return False
    opening, closing = quotes
    # beside the sign inside the quotes only a quantifier before it and a relative clause after
    # it ('"ANY new symptom"', '"bleeding THAT won't stop"'; not '"face swelling ON ONE SIDE"')
    if any(tokens[k].key not in QUOTED_LEAD_INS for k in range(opening + 1, start)) or (
            closing > end and tokens[end].key not in QUOTED_RELATIVES):
        return False
    if any(tokens[k].key in ("this", "these") for k in range(s_start, opening)):
        return False  # 'is THIS "the throat closing" feeling they mention?' points at the own
    if not structure.is_question(start):
        return False
    return not any(_tells_of_own(structure, hit)
                   for category in ("current_report", "current_time", "history_recent")
                   for hit in structure.hits_in(category, s_start, len(tokens))) and not any(
        any(c.isdigit() for c in tokens[k].lower) for k in range(end, len(tokens)))


# after a quoted term: a cue of a time to come or of the page's words tells nothing of the own
# sign ("how big BEFORE it's a problem", "it's always GOING TO hurt some", "that's really VAGUE")
TIME_TO_COME = frozenset({"before", "until", "till", "til", "if", "unless", "when", "once"})


def _tells_of_own(structure: TextStructure, hit) -> bool:  # noqa: ANN001
    tokens = structure.tokens
    if hit.start and tokens[hit.start - 1].key in TIME_TO_COME:
        return False
    following = [tokens[k].lower for k in range(hit.start + 1, min(hit.end + 4, len(tokens)))]
    if "gonna" in following or any(following[i:i + 2] == ["going", "to"]
                                   for i in range(len(following))):
        return False
    return not any(w in SAID_OF_WORDS for w in following)


# what tells, after a question of how much is too much, that the patient has it ("... is too
# much? MINE WON'T STOP", "¿... es normal? ME SALE mucho", "... YO TENGO mucho")
OWN_AFTER_AMOUNT = ("current_report", "current_time", "history_recent", "dating_follow_up",
                    "anaphoric_report", "present_now", "persistence")


# what may follow "I" in a question of how much is too much without telling the own ("... before
# I SHOULD worry?", "... when I NEED to call?")
ASKING_AFTER_I = frozenset({"should", "would", "could", "need", "have", "can", "call", "worry",
                            "go", "ring", "contact", "must", "will"})


def _first_person_own(tokens: list[NormToken], k: int) -> bool:
    key = tokens[k].key
    if key in ("my", "mine", "im"):
        return True
    return key == "i" and not (k + 1 < len(tokens) and tokens[k + 1].key in ASKING_AFTER_I)


def _own_told_after(structure: TextStructure, end: int) -> bool:
    """Anything after the sign to the end of the message that tells of the patient's own ("what
    chest pain should make me call? IT'S on the left and goes to my jaw")."""
    tokens = structure.tokens
    return any(structure.hits_in(category, end, len(tokens)) for category in OWN_AFTER_AMOUNT
               if category != "history_recent"  # ("... should make me call AFTER THE SHOT?")
               ) or any(_first_person_own(tokens, k) for k in range(end, len(tokens)))


def amount_question(structure: TextStructure, start: int, end: int) -> bool:
    """Rule 10: how much of a sign is too much, asked ("how much bleeding from the needle spot
    is too much?", "¿qué tanto enrojecimiento es normal?", "¿a cuántos grados de calentura
    llamo?"), while nothing from the sign to the end of the message tells of the patient's own
    ("¿qué tanto sangrado es normal? NO ME PARA", "... yo TENGO mucho")."""
    s_start, _ = structure.sentence_range(start)
    cues = structure.hits_starting_in("amount_question", s_start, start + 1)
    if not cues or not structure.is_question(start):
        return False
    asked_to = max(hit.end for hit in cues)
    tokens = structure.tokens
    if any(tokens[k].key in BECAUSE_WORDS for k in range(end, len(tokens))):
        return False  # "... es normal PQ no me para" gives the own as the reason for asking
    if any(_first_person_own(tokens, k)
           for k in (*range(cues[0].start, start), *range(end, len(tokens)))):
        return False  # "how much I'M bleeding", "how much numbness in MY whole arm ..."
    conditions = [hit.start for hit in structure.hits("hypothetical_conditional")]
    return not any(
        hit.start >= asked_to  # (not "how much bleeding from THE NEEDLE SPOT IS too much")
        and not any(hit.start - 3 <= c <= hit.start for c in conditions)  # "SI sale un poco"
        and not tells_a_duty(tokens, hit)  # "¿a cuántos grados TENGO QUE llamar?"
        for category in OWN_AFTER_AMOUNT
        for hit in structure.hits_in(category, end, len(tokens)))


def _links_names_impersonally(tokens: list[NormToken], lo: int, hi: int) -> bool:
    """The sentence holds a NAMING_LINKS phrase as written ("as" is no lemma) and no first
    person (once per sentence: a long message has many signs in one)."""
    words = [tokens[k].lower for k in range(lo, hi)]
    return any(tuple(words[i:i + len(link)]) == link
               for link in NAMING_LINKS for i in range(len(words))) and not any(
        tokens[k].key in FIRST_PERSON_KEYS or tokens[k].lower in FIRST_PERSON_KEYS
        for k in range(lo, hi))


def naming_question(structure: TextStructure, start: int, end: int) -> bool:
    """Rule 10: a question whether two names mean the same thing ("is pneumothorax the same as a
    collapsed lung", with or without "?"): the sentence opens with "is/are", its subject is a
    name (not "this/it", which may point at the patient's own), it links two names
    (NAMING_LINKS), it is one clause (no comma or dash: "is sepsis another word for blood
    poisoning, fever 103 and confused" tells signs after it), and nothing in it speaks of the
    patient or of now ("is a stroke the same as what my dad has now" and "is this the same as
    a stroke, her face is drooping" still escalate)."""
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    head = _clause_head(structure, s_start, start)
    if head >= start or tokens[head].key != "be" or tokens[head].lower in ("be", "been"):
        return False
    if tokens[head + 1].key in POINTING_SUBJECTS or tokens[head + 1].key in PERSONAL_WORDS:
        return False
    if not structure.per_sentence("links_names", start,
                                  lambda lo, hi: _links_names_impersonally(tokens, lo, hi)):
        return False
    if any(tokens[k].is_punct and "?" not in tokens[k].lower and k < s_end - 1
           for k in range(head, s_end)):
        return False  # "is hives different from a rash, COVERED in hives all over" goes on
    return _no_report_in_sentence(structure, s_start, s_end)


# people in general, plural, as a question's subject ("¿A LOS ANCIANOS les sangra más el
# piquete?", "¿sangran mucho LAS PERSONAS que toman anticoagulantes?", "do DIABETICS heal slower?")
PEOPLE_GROUPS = frozenset({"people", "patients", "elderly", "diabetics", "seniors", "folks",
                           "gente", "personas", "pacientes", "ancianos", "ancianas", "mayores",
                           "diabéticos", "diabeticos", "abuelitos", "adultos", "embarazadas"})


GROUP_PRONOUNS = frozenset({"le", "les", "se", "they", "them", "their"})


def people_in_general_question(structure: TextStructure, start: int, end: int) -> bool:
    """Rule 10: a question about people in general (PEOPLE_GROUPS in its sentence), with no
    first person, no one the writer speaks for ("mi papá") and no report or time in it ("a mi
    papá le sangra mucho, ¿a los ancianos les pasa?" tells it in its own sentence), nor a report
    after it ("... how common is that? I'm covered in them"). Asked inside a sentence ("I
    wanted to know IF people on blood thinners bleed more", "quería saber SI en general la
    gente ... sangra más"), only what follows the "if" counts."""
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    if not structure.is_question(start):
        embedded = _asked_within(structure, s_start, start)
        if embedded is None or any(_like_mine(tokens, k) for k in range(len(tokens))):
            return False  # ("me pregunto si la gente sangra ASÍ de mucho" compares with now)
        if any(tokens[k].lower == "," or tokens[k].lower in BECAUSE_WORDS
               for k in range(embedded, s_end)) or s_end < len(tokens) and any(
                   not tokens[k].is_punct for k in range(s_end, len(tokens))):
            return False  # the question is the message's end: not "..., THE SITE WON'T STOP"
        if any(structure.hits(category) for category in TOLD_ONGOING):
            return False
        s_start = embedded
    if not any(tokens[k].lower in PEOPLE_GROUPS for k in range(s_start, s_end)):
        return False
    first = structure.first_person
    if any(tokens[k].lower in first or tokens[k].key in first or tokens[k].key in FIRST_PERSON_KEYS
           for k in range(s_start, s_end)):
        return False
    if any(not all(tokens[k].lower in GROUP_PRONOUNS for k in range(h.start, h.end))
           for h in structure.hits_in("other_person", s_start, s_end)):
        return False  # someone in particular ("mi papá"); "LES sangra" is the group
    if any(structure.hits_in(c, s_start, s_end) for c in ("current_report", "current_time")):
        return False
    if structure.hits_in("current_report", s_end, len(tokens)):
        return False  # "... how common is that? I'M covered in them"
    # a time after the injection is when it happens to anyone ("¿les da fiebre a los
    # pacientes DESPUÉS DE LA INYECCIÓN?"), any other recent time is a report
    around = structure.hits_in("back_again", s_start, s_end)
    return all(any(a.start <= h.start and h.end <= a.end for a in around)
               for h in structure.hits_in("history_recent", s_start, s_end))


# what compares with the writer's own: "bleed THIS MUCH", "sangra ASÍ (de mucho)", "TANTO"
LIKE_MINE = frozenset({"así", "asi", "tanto", "tanta"})
THIS_MUCH = (frozenset({"this", "that", "so"}),
             frozenset({"much", "bad", "badly", "many", "long", "heavy", "heavily", "often"}))


def _like_mine(tokens, k: int) -> bool:
    return tokens[k].lower in LIKE_MINE or (
        tokens[k].lower in THIS_MUCH[0] and k + 1 < len(tokens)
        and tokens[k + 1].lower in THIS_MUCH[1])


def _asked_within(structure: TextStructure, s_start: int, start: int) -> int | None:
    """Where the question asked inside a sentence starts: right after an "if/whether/si" that
    an asking verb just before opens (conditionals.asking_frame_before). None without one."""
    tokens = structure.tokens
    for k in range(start - 1, s_start - 1, -1):
        if tokens[k].key in PLAIN_IF_KEYS or tokens[k].lower == "si":
            return k + 1 if asking_frame_before(structure, k, s_start) else None
    return None


CALL_WORDS = frozenset({"call", "ring", "phone", "doctor", "gp", "clinic", "er", "a&e", "911",
                        "999", "112", "emergency", "contact"})
ARROWS = frozenset({"=", "==", "->", "=>", "-->"})
CALL_LINKS = frozenset({"=", "==", "->", "=>", ">", "means", "mean", "equals", "then", "so",
                        "worth", "a", "the", "-", "–", ":"})


def trailing_call(structure: TextStructure, start: int, end: int) -> bool:
    """Rule 5, written like a heading: "tenderness getting worse after injection = call?",
    "fever after tpi -> doctor?". The sign is named as a topic (nothing before it says whose it
    is, as in `trailing_risk`) and the question after it only asks whether to call. Not with a
    report, a time or a recent-history cue anywhere in the sentence ("... since this morning =
    call?" dates it; "my site is getting more tender, is that something to call about?" is
    handled by current_report)."""
    if not structure.is_question(start):
        return False
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    # after the sign: at most 4 words that end its phrase ("after injection"), then "=" or
    # "->", then only a call word ("call", "doctor") and "?"
    arrow = next((k for k in range(end, s_end) if tokens[k].lower in ARROWS or (
        tokens[k].lower == "-" and k + 1 < s_end and tokens[k + 1].lower == ">")), None)
    if arrow is None or arrow - end > 4:
        return False
    if any(tokens[k].key in PERSONAL_BEFORE_TOPIC or tokens[k].lower in PERSONAL_BEFORE_TOPIC
           for k in range(end, arrow)):
        return False
    rest = [k for k in range(arrow, s_end) if "?" not in tokens[k].lower]
    if not all(tokens[k].key in CALL_LINKS | CALL_WORDS or tokens[k].lower in CALL_LINKS
               for k in rest):
        return False
    if not any(tokens[k].key in CALL_WORDS for k in rest):
        return False
    if any(tokens[k].key in PERSONAL_BEFORE_TOPIC or tokens[k].lower in PERSONAL_BEFORE_TOPIC
           or k in structure.person_nouns for k in range(s_start, start)):
        return False
    return _no_report_in_sentence(structure, s_start, s_end)


def asked_in_general(structure: TextStructure, start: int, end: int,
                     emergency: bool = False) -> bool:
    """The round-5 question shapes above, and the questions about what to expect
    (expectations.py): any one makes the sign only asked about."""
    return (
        treatment_question(structure, start, end)
        or condition_to_treat(structure, start, end)
        or medicine_purpose(structure, start, end)
        or bare_complication_question(structure, start, end)
        or bare_threshold_question(structure, start, end)
        or options_of_a_risk_question(structure, start, end, emergency)
        or there_in_the_procedure(structure, start, end)
        or definition_question(structure, start, end)
        or naming_question(structure, start, end)
        or quoted_term_question(structure, start, end)
        or amount_question(structure, start, end)
        or people_in_general_question(structure, start, end)
        or trailing_call(structure, start, end)
        or asks_what_to_expect(structure, start, end, emergency)
        or asked_of_no_one(structure, start, end)
        or named_then_asked(structure, start, end, emergency)
        or asked_on_from_a_general_question(structure, start, end)
        or difference_asked(structure, start, end)
        or care_purpose(structure, start, end, emergency)
        or quoted_from_the_page(structure, start, end)
        or what_the_page_says(structure, start, end)
    )



# a subject after one of these is left out, as in a report: "MIGHT BE getting a fever?"
SUBJECTLESS_AFTER = frozenset({"be", "been", "get", "getting", "have", "having", "feel",
                               "feeling"})
# "could IT BE infected?", "does IT LOOK infected?", "is IT SUPPOSED to hurt to breathe?": "it"
# points at something at hand
STATE_VERBS = frozenset({"be", "look", "feel", "seem", "suppose", "supposed", "mean", "meant",
                         "normal", "ok", "okay", "fine", "gonna", "going"})
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
# "WHY is the soreness getting worse?" takes the sign as given: a report
PRESUPPOSING = frozenset({"why"})
# "coming from A wound": a body part nobody owns (not "from THE wound")
UNNAMED_BODY = frozenset({"a", "an", "any"})


def asked_of_no_one(structure: TextStructure, start: int, end: int) -> bool:
    """Rule 10 read per sentence: only a sign that someone is said to have escalates. A
    question ("what does a red streak from a wound mean?", "is there a lot of bleeding with
    TPI?") about a sign that names nobody (no person or relative, no body part but "a" one, no
    "the" before the sign, no "it" pointing at something at hand, nothing still going on, no
    urgency), with no time, number or person anywhere in the message, and that opens with a
    question word or an inverted verb, asks about the risk in general. A language opts in by
    listing `asked_pointers` in its cue file (English only: a Spanish verb names its person
    without a pronoun)."""
    words = structure.words
    pointers = words.get("asked_pointers")
    if not pointers or not structure.is_question(start):
        return False
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    head = structure.after_lead_ins(s_start, start)
    if head >= start or tokens[head].key not in (QUESTION_OPENERS | WH_WORDS) - PRESUPPOSING:
        return False
    if head in structure.occupied:
        return False  # a sign, not a question's opener: "CAN'T breathe, chest pain - which ...?"
    if tokens[head].key not in WH_WORDS and tokens[head + 1].key in SUBJECTLESS_AFTER:
        return False
    return _names_no_one(structure, start, end)


def _names_no_one(structure: TextStructure, start: int, end: int) -> bool:
    """The sign has no "the" or "this" before it, its sentence points at nothing at hand and
    names no body part but "a" one or the sign's own, and the message gives no time, number or
    person (`asked_of_no_one`, `asked_on_from_a_general_question`)."""
    s_start, _ = structure.sentence_range(start)
    if start > s_start and structure.tokens[start - 1].key in DEFINITE:
        return False
    if structure.per_message("told_of_someone", lambda: _told_of_someone(structure)):
        return False
    pointed, body_at = structure.per_sentence(
        "points_at_own", start, lambda lo, hi: _points_at_own(structure, lo, hi))
    return not pointed and all(start <= i < end for i in body_at)


def _told_of_someone(structure: TextStructure, calling: bool = False) -> bool:
    """Anywhere in the message, a time, a number or a person ("how much redness is fine? IT'S
    spreading up to MY elbow"), or an injection told as had: the question is about the
    writer's own. With `calling`, not the writer asking whether to call ("how much means I
    SHOULD RING you?", "when SHOULD I CALL?")."""
    words = structure.words
    if structure.hits("injection_behind") or structure.hits("history_recent") or structure.hits(
            "other_person"):
        return True
    told = words.get("asked_told", frozenset())
    tokens = structure.tokens
    return any((t.key in told or t.lower in told or any(ch.isdigit() for ch in t.lower))
               and not (calling and _asks_whether_to_call(tokens, k))
               for k, t in enumerate(tokens))


DUTY_MODALS = frozenset({"should", "do", "shall", "must", "need", "would"})


def _asks_whether_to_call(tokens: list[NormToken], k: int) -> bool:
    """"I" asking whether to call: "SHOULD I CALL", "I SHOULD RING you", "DO I NEED TO phone"."""
    if tokens[k].lower != "i":
        return False
    after = [t.key for t in tokens[k + 1:k + 4]]
    before = tokens[k - 1].key if k else ""
    if before in DUTY_MODALS:
        return any(key in CALL_WORDS for key in after[:3])
    return bool(after) and after[0] in DUTY_MODALS and any(key in CALL_WORDS for key in after[1:])


def _points_at_own(structure: TextStructure, s_start: int, s_end: int) -> tuple[bool, list[int]]:
    """(the sentence points at something at hand, where it names a body part but "a" one)."""
    words = structure.words
    tokens = structure.tokens
    pointers = words.get("asked_pointing", frozenset())
    body = words.get("asked_body", frozenset())
    body_at = []
    for i in range(s_start, s_end):
        key = tokens[i].key
        if key in pointers:
            return True, []
        if key == "it" and i + 1 < s_end and (tokens[i + 1].key in STATE_VERBS
                                              or tokens[i + 1].lower in STATE_VERBS):
            return True, []
        if key in body and (i == s_start or tokens[i - 1].key not in UNNAMED_BODY):
            body_at.append(i)
    return False, body_at



SIGN_LIST_WORDS = frozenset({"sign", "symptom"})


def dated_as_own(structure: TextStructure, start: int, end: int) -> bool:
    """A question in a general shape ("is it normal to ...", "how long does ... last", "does
    ... mean") that gives a time since the injection, in its sentence or the next, asks about
    the writer's own sign (rule 5: a question that also reports a sign escalates): "is it normal
    to get a blister on the site 2 DAYS LATER?", "is weeping from the injection site normal ON
    DAY 4?", "how long does the tight feeling in the chest usually last? STARTED around lunch".
    Not inside a condition, a plan, a habit or a story retold, nor before a negation, nor for
    the signs a list asks about ("what are the SIGNS of an allergic reaction?"). English only
    (its words are: `not_own_time` in the cue file opts a language in)."""
    if not structure.words.get("not_own_time"):
        return False
    # the cached per-message and per-sentence readings first: most questions stop there
    if structure.per_message("plans_or_habits", lambda: _plans_or_habits(structure)):
        return False
    if not structure.per_sentence("dated_as_own", start,
                                  lambda lo, hi: _dated_here_or_next(structure, lo, hi)):
        return False
    tokens = structure.tokens
    if any(tokens[k].key in SIGN_LIST_WORDS for k in range(max(0, start - 4), start)):
        return False
    if structure.hits_starting_in("negation", end, len(tokens)):
        return False  # "is bleeding normal? been an hour since the appointment and THERE'S NONE"
    if _dated_only_in_a_condition(structure, start, end):
        return False
    # (nor inside a case imagined: "imagine the spot goes red ON DAY 3, doctor or wait?")
    return in_conditional(structure, start, end) is None and not inverted_conditional(
        structure, start, end)


def _past_form(token: NormToken) -> bool:
    return token.lower in IRREGULAR_PAST or (
        token.lower.endswith("ed") and token.lower != token.key)


def _dated_only_in_a_condition(structure: TextStructure, start: int, end: int) -> bool:
    """The time is told only inside a condition after the sign, in its sentence: "what are the
    chances of an infection IF I have my injection and go to hot yoga A WEEK LATER?" dates
    the plan, not a sign."""
    _, s_end = structure.sentence_range(start)
    condition = next((h.start for h in structure.hits_starting_in(
        "hypothetical_conditional", end, s_end)), None)
    if condition is None:
        return False
    plans = structure.per_sentence("dated_plans", start,
                                   lambda lo, hi: _dated_plans(structure, lo, hi))
    return condition in plans


def _dated_plans(structure: TextStructure, s_start: int, s_end: int) -> set[int]:
    """Where, in the sentence, an "if I/we" opens the writer's own plan ("if I HAVE my
    injection and GO", not "if it STARTED") that holds the sentence's only time, in a question
    that ends the message (not "... a week later? NOW I AM 39"); once per sentence."""
    tokens = structure.tokens
    if any(not t.is_punct for t in tokens[s_end:]):
        return set()
    n_end = structure.sentence_range(s_end)[1] if s_end < len(tokens) else s_end
    later = " ".join(t.lower for t in tokens[s_end:n_end])
    if TIME_SINCE_INJECTION_RE.search(later):
        return set()
    plans = set()
    for hit in structure.hits_starting_in("hypothetical_conditional", s_start, s_end):
        k = hit.start
        if k + 2 >= s_end or tokens[k + 1].key not in OWN_SUBJECTS or any(
                _past_form(tokens[j]) for j in range(k + 2, s_end)):
            continue
        if not TIME_SINCE_INJECTION_RE.search(" ".join(t.lower for t in tokens[s_start:k])):
            plans.add(k)
    return plans


def _plans_or_habits(structure: TextStructure) -> bool:
    not_own = structure.words["not_own_time"]
    return bool(structure.hits("hearsay_source")) or any(
        t.key in not_own or t.lower in not_own for t in structure.tokens)


def _dated_here_or_next(structure: TextStructure, s_start: int, s_end: int) -> bool:
    tokens = structure.tokens
    n_end = structure.sentence_range(s_end)[1] if s_end < len(tokens) else s_end
    return bool(TIME_SINCE_INJECTION_RE.search(" ".join(t.lower for t in tokens[s_start:n_end])))


def _ends_the_message(structure: TextStructure, index: int) -> bool:
    """Nothing but punctuation from `index` on."""
    return all(t.is_punct for t in structure.tokens[index:])


def named_then_asked(structure: TextStructure, start: int, end: int,
                     emergency: bool = False) -> bool:
    """Rule 10: a sign named alone and then asked about with a word pointing back at it
    (`asked_back`: "bleeding - DOES THAT HAPPEN a lot?", "ringing ears, metallic taste - IS
    THAT COMMON?", "nerve damage, HOW LIKELY IS THAT?") asks about the risk in general, when
    nothing but lead-ins and other signs come before the question, the question ends the
    message, and the message names no one, no time, no number and nothing at hand (as in
    `asked_of_no_one`: "bleeding through the plaster SINCE LUNCH - does that happen?" is a
    report). An emergency sign only by a complication's name ("an allergic reaction TO THE
    NUMBING MEDICINE - does that happen?"), never a symptom, which someone who has it may name
    so ("face swelling up, does that happen a lot?"); and only of a complication's name what
    lasts or heals (`asked_of_a_complication`: "nerve damage - PERMANENT OR NOT?"). The sign's
    cause may follow it ("... FROM TPI"). English only (`asked_pointers` opts a language in)."""
    if not structure.words.get("asked_pointers"):
        return False
    tokens = structure.tokens
    if emergency and not complication_named(structure, start, end):
        return False  # (not "numb lips, metallic taste. which of these is common?")
    asked = next((h for h in structure.hits("asked_of_a_list") if h.start >= end), None)
    if asked is None:  # (an emergency sign here is a complication's name)
        asked = next((h for h in structure.hits("asked_back") if h.start >= end), None)
    if asked is None and complication_named(structure, start, end):
        asked = next((h for h in structure.hits("asked_of_a_complication") if h.start >= end),
                     None)
    if asked is None:
        return False
    a_start, a_end = structure.sentence_range(asked.start)
    if not _ends_the_message(structure, a_end):
        return False
    if a_start > start:
        # named as a heading, asked in a question of its own after it: only what it would be
        # IF IT HAPPENED ("Nerve damage. Is it permanent if it happens?"); "Pus. Is that
        # common?" may be told by someone who has it
        if not structure.is_question(a_start) or tokens[asked.start].key != "if":
            return False
        heading_to = a_start
    elif structure.is_question(start):
        heading_to = asked.start
    else:
        return False

    def listed(k: int) -> bool:
        return (tokens[k].is_punct or k in structure.occupied or tokens[k].key in BARE_LEAD_INS
                or tokens[k].lower in BARE_LEAD_INS)

    cause_end = _after_the_cause(tokens, end, heading_to)
    if not all(listed(k) for k in (*range(0, start), *range(cause_end, heading_to))):
        return False
    if structure.per_message("told_of_someone_calling",
                             lambda: _told_of_someone(structure, calling=True)):
        return False
    pointed, body_at = _points_at_own(structure, 0, asked.start)
    return not pointed and all(k in structure.occupied or end <= k < cause_end for k in body_at)


# what the sign may be said to come from or where it is, named after it ("allergic reactions
# TO THE NUMBING MEDICINE - does that happen?", "infection FROM TPI, how likely?", "redness
# AROUND THE SITE: how much is fine?"; never "on MY arm")
CAUSE_PREPOSITIONS = frozenset({"to", "from", "after", "with", "by", "around", "at", "near",
                                "round"})
CAUSE_WORDS = PROCEDURE_WORDS | frozenset({
    "the", "a", "an", "these", "those", "numbing", "medicine", "medicines", "anaesthetic",
    "anesthetic", "steroid", "steroids", "cortisone", "botox", "trigger", "point", "points",
    "site", "sites", "spot", "spots", "area"})


def _after_the_cause(tokens: list[NormToken], end: int, high: int) -> int:
    """Where the words after a sign stop naming its cause or the injection's place: past "to /
    from / after / around" and the procedure, its medicines or its site (`CAUSE_WORDS`); `end`
    when no such phrase follows."""
    if end >= high or tokens[end].key not in CAUSE_PREPOSITIONS:
        return end
    k = end + 1
    while k < high and (tokens[k].key in CAUSE_WORDS or tokens[k].lower in CAUSE_WORDS):
        k += 1
    return k if k > end + 1 else end


def care_purpose(structure: TextStructure, start: int, end: int,
                 emergency: bool = False) -> bool:
    """Rule 10: a doctor-level sign as what a step of the care is for, in a question ("will they
    put a bandage on it to stop bleeding or infection?", "is the ice pack for swelling?"): a
    `care_purpose` cue before the sign in its sentence, with only a worry's fillers, other signs
    and "or/and" between (`_worry_object`: not "to stop THE bleeding", the writer's own),
    nothing in the message told now or since the injection, and no "I" / "my" after the sign
    ("cream for itching? it's all over MY arm"). Never an emergency sign ("ice for throat
    swelling?")."""
    if emergency or not structure.is_question(start):
        return False  # (not "ice for throat swelling?")
    s_start, s_end = structure.sentence_range(start)
    return any(hit.end <= start and _worry_object(structure, hit.end, start)
               for hit in structure.hits_in("care_purpose", s_start, start)) and (
        _no_report_in_sentence(structure, 0, len(structure.tokens))) and not any(
        structure.tokens[k].key in FIRST_PERSON_KEYS for k in range(start, len(structure.tokens)))


# whose a compared thing is: "between MY bruise and ..." compares the writer's own
OWNERS = (POSSESSIVES - {"your", "its"}) | {"this", "these"}  # ("your" is anyone's)


def difference_asked(structure: TextStructure, start: int, end: int) -> bool:
    """Rule 10: a sign weighed against another thing to learn which is which ("how do I tell
    the difference between a normal bruise AND BLEEDING under the skin?", "what's the difference
    between soreness and AN INFECTION starting?", "how do you tell a bruise from BLEEDING?")
    asks how to recognise it: a question in which the sign comes after `difference_asked`, with
    nothing after the cue owned ("between MY bruise and ...") and nothing in the message told as
    now, as had since the injection or as the injection had ("... since yesterday", "after my
    shot"). English only (`asked_pointers` opts a language in)."""
    if not structure.words.get("asked_pointers") or not structure.is_question(start):
        return False
    s_start, s_end = structure.sentence_range(start)
    tokens = structure.tokens
    cue = next(iter(structure.hits_in("difference_asked", s_start, start)), None)
    owned_from = cue.end if cue else s_start
    if cue is None:
        # weighed after the sign: "how does a HEADACHE COMPARE WITH a migraine?"
        cue = next((h for h in structure.hits_in("compared_asked", s_start, s_end)
                    if h.end <= start or h.start >= end), None)
        if cue is None or tokens[structure.after_lead_ins(s_start, s_end)].key not in (
                COMPARING_OPENERS):
            return False
    told = structure.words.get("asked_times", frozenset())
    if any(tokens[k].lower in OWNERS or k in structure.person_nouns or tokens[k].key in told
           or any(ch.isdigit() for ch in tokens[k].lower) for k in range(owned_from, s_end)):
        return False  # (not "between MY bruise and ...", "... bleeding SINCE LUNCH")
    # what describes a thing compared is no report ("an infection STARTING", "bleeding THAT'S a
    # problem"); the rest of the message tells nothing now or since the injection
    return not any(hit.start < cue.end or hit.end > s_end
                   for category in ("current_report", "current_time", "history_recent",
                                    "injection_behind")
                   for hit in structure.hits(category))


# what opens a question that weighs a sign against another after naming it: "HOW does a ...
# compare with ...", "IS the bruise ... bigger than ..."
COMPARING_OPENERS = frozenset({"how", "be", "do", "which", "would", "will"})
# what opens a question that goes on from the one before ("... nerve damage? OR weakness in the
# arm?", "is infection common? AND fever?")
GOING_ON = frozenset({"or", "and", "also", "plus"})


def asked_on_from_a_general_question(structure: TextStructure, start: int, end: int) -> bool:
    """Rule 10: a question without its own subject that goes on from a question about the risk
    in general asks about the risk too: "does it ever cause nerve damage? OR WEAKNESS in the
    arm?", "can it cause spasms? OR MAKE the knot worse?", "will it bruise? BLEED much?", "is
    infection common? AND FEVER?". The question before opens with a question word or an
    inverted verb (not "why"), the sign's question names no subject, no "the" before the sign
    and no body part but "a" one ("... and THE THROAT tightness?" points at the writer's own),
    and is the message's last, and the message names no one, no time, no number and no
    injection had (as in `asked_of_no_one`). English only (`asked_pointers` opts a language in)."""
    if not structure.words.get("asked_pointers") or not structure.is_question(start):
        return False
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    if s_start == 0 or not _ends_the_message(structure, s_end):
        return False
    p_start, _ = structure.sentence_range(s_start - 1)
    if not structure.is_question(p_start):
        return False
    head = structure.after_lead_ins(p_start, s_start)
    if head >= s_start or tokens[head].key not in (QUESTION_OPENERS | WH_WORDS) - PRESUPPOSING:
        return False
    first = next((k for k in range(s_start, start) if not tokens[k].is_punct), start)
    if first < start and tokens[first].key not in GOING_ON:
        return False
    if any(tokens[k].key in SUBJECT_KEYS or k in structure.person_nouns
           for k in range(s_start, s_end)):
        return False
    return _names_no_one(structure, start, end)  # ("... and THE throat tightness?")
