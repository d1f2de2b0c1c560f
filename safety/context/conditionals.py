"""Conditionals: the sign is inside an "if" (or an inverted "should ...,") that imagines it.

"what if I get a fever?", "if it hurts to breathe should I go to the ER?", "SHOULD the bruise get
big, do I call?". Not "it hurts if I breathe in" (a plain "if" that reports), and not when the
condition also says it is happening now ("what if it's infected? it's red right NOW").
"""

from __future__ import annotations

from ..match import Hit
from .reports import current_report, strong_current
from .structure import TextStructure
from .words import (
    ASKING_FRAME_REACH,
    ASKING_FRAME_VERBS,
    BECAUSE_WORDS,
    PLAIN_IF_KEYS,
    POSSIBILITY_MODALS,
    PROCEDURE_WORDS,
    QUESTION_OPENERS,
    RELATIVE_WORDS,
    SUBJECT_KEYS,
    USUAL_ADVERBS,
    WH_WORDS,
)

# Inside an "if" clause "my" after these is what is noticed, not a new subject: "if I FEEL my
# throat closing".
PLACE_PREPOSITIONS = frozenset({"in", "on", "at", "around", "near", "under", "behind", "across",
                                "down", "into", "over", "along", "from"})
NOTICING_VERBS = frozenset({"feel", "notice", "get", "see", "have", "find", "develop",
                            "experience", "start", "hear", "taste", "lose", "think"})
# Inside an "if" clause a subject right after these is what is noticed or said, not the main
# clause: "if my partner NOTICES I'm confused, ...", "if she THINKS I'm slurring, ...".
REPORTING_VERBS = frozenset({"notice", "see", "think", "find", "feel", "realise", "realize",
                             "spot", "say", "tell", "hear", "suspect", "reckon", "believe",
                             "decide", "worry", "fear", "sense", "know"})
# ... and after these the subject is what it feels like: "if my throat ever feels LIKE it's
# closing, I go to the ER", "as THOUGH I can't breathe"
LIKENING_WORDS = frozenset({"like", "though"})
# who tells an own-action condition as an instruction or a claim ("me DIJO que si aprieto ...")
TELLING_VERBS = frozenset({"say", "tell", "decir", "read", "leer", "explain", "explicar"})
# what keeps a sign inside an own-action condition: "if I wake up WITH a headache", "si aprieto Y
# sale pus"
ACTION_JOINERS = frozenset({"and", "or", "nor", "with", "con", "without", "sin"})
# Inverted conditional: "SHOULD the bruise get big, do I call?", "should my lips start
# swelling, ...": "should" + a subject that is not the patient asking what to do ("should I
# call?") + a verb of change, then a comma and the main clause; the writer as the subject only
# before a verb of getting a sign (OWN_CHANGE_VERBS) and with a question after the comma.
INVERTED_IF_SUBJECTS = frozenset({"the", "my", "it", "there", "a", "an", "any", "your", "his",
                                  "her", "their", "this", "that", "he", "she", "they", "our"})
OWN_SUBJECTS = frozenset({"i", "we"})
OWN_CHANGE_VERBS = frozenset({"get", "develop", "start", "begin", "notice", "experience"})
CHANGE_VERBS = frozenset({"get", "become", "start", "turn", "develop", "happen", "go", "grow",
                          "spread", "begin", "appear", "show", "come", "keep", "swell",
                          "bleed", "feel", "look", "stay", "stop", "last"})
# "wondering if", "asking whether" (context_cues.yml's `asking_verbs`): the "if" opens an
# embedded question, not a condition, when it speaks of the patient's own state ("IF MY arm
# BEING numb IS normal"; not "wondering if I get a fever, what should I do")
OWN_STATE_WORDS = frozenset({"my", "his", "her", "being", "is", "are", "'s", "'re", "am"})


def asking_frame_before(structure: TextStructure, index: int, floor: int = 0) -> bool:
    """An asking verb (ASKING_FRAME_VERBS, or context_cues.yml's `asking_verbs`) within
    ASKING_FRAME_REACH words before `index` (not before `floor`): "quería SABER si"."""
    tokens = structure.tokens
    asking = structure.words.get("asking_verbs", frozenset()) | ASKING_FRAME_VERBS
    return any(tokens[k].lower in asking or tokens[k].key in asking
               for k in range(max(floor, index - ASKING_FRAME_REACH), index))


# who or what a request's "if" clause speaks of when it is the patient's: "tell me if THE
# swelling in my throat ...", "let me know if I should come in"
SPOKEN_OF = frozenset({"i", "my", "the", "this", "these", "that", "it", "he", "she", "his", "her",
                       "we", "our", "they", "their", "im", "i'm", "to"})
REQUESTS_TO_BE_TOLD = frozenset({("tell", "me"), ("tell", "us"), ("let", "me", "know"),
                                 ("let", "us", "know")})
# in the clause of "tell me if ...", these ask about a risk or the usual course: "... if the
# swelling USUALLY goes down", "... the throat swelling SOME PEOPLE get", "... if I should EXPECT"
REQUEST_GENERAL = USUAL_ADVERBS | {"common", "people", "patients", "someone", "anyone", "most",
                                   "ever", "expect"}
# ... and these before the sign: "... if the steroid CAN make my face swell", "... if I'LL have
# trouble breathing" (not "... if my throat swelling COULD be anaphylaxis": a sign there now)
REQUEST_MODALS = frozenset({"can", "could", "might", "may", "will", "would", "shall", "'ll", "ll",
                            "'d", "possible", "risk"})
# "let me know if I GET a fever": a change to come (not "it's GETTING worse")
CHANGE_AFTER_SUBJECT = frozenset({"get", "develop", "start"})
SUBJECTS = frozenset({"i", "he", "she", "we", "they", "you"})


def _request_asks_in_general(tokens: list, cue: Hit, end: int, s_end: int) -> bool:
    """The clause of a request to be told asks about a risk, the usual course or what may come
    ("tell me if the steroid CAN make my face swell", "let me know if the fever USUALLY comes
    the first day", "tell me if the bleeding SHOULD stop on its own"), up to its comma; a sign
    after that comma is read as written."""
    clause_end = next((k for k in range(cue.end, s_end) if tokens[k].lower == ","), s_end)
    if end > clause_end:
        return False
    opening = [tokens[k].key for k in range(cue.end, min(cue.end + 4, clause_end))]
    if opening[:2] == ["it", "be"] and "to" in opening[2:]:
        return True  # "let me know if IT IS normal TO have chest pain after these"

    def asks(k: int) -> bool:
        key, low = tokens[k].key, tokens[k].lower
        if key in REQUEST_GENERAL or low in REQUEST_GENERAL:
            return True
        if k >= end:
            return key == "should"
        if (key in REQUEST_MODALS or low in REQUEST_MODALS) and not (
                k + 1 < len(tokens) and tokens[k + 1].lower in ("n't", "not", "nt")):
            return True
        return key in CHANGE_AFTER_SUBJECT and k > 0 and tokens[k - 1].key in SUBJECTS

    return any(asks(k) for k in range(cue.end, clause_end))


def _embedded_question(structure: TextStructure, cue: Hit, end: int) -> bool:
    """"I was WONDERING IF my arm being numb is normal" asks; so does a request to be told ("TELL
    ME IF the swelling in my throat is serious", "LET ME KNOW IF I should come in, the swelling
    is spreading"): no condition, the sentence is read as written."""
    tokens = structure.tokens
    before = tuple(tokens[k].key for k in range(max(0, cue.start - 3), cue.start))
    if (before[-2:] in REQUESTS_TO_BE_TOLD or before in REQUESTS_TO_BE_TOLD) and (
            cue.end + 1 < len(tokens) and tokens[cue.end].key in SPOKEN_OF
            and tokens[cue.end + 1].key not in PROCEDURE_WORDS
            and not _request_asks_in_general(tokens, cue, end,
                                             structure.sentence_range(cue.start)[1])):
        # (not "let me know if A fever after the shot is normal": anyone's; nor "tell me
        # whether THE INJECTION is painful": the procedure's; nor a risk asked about, above)
        return True
    asking = structure.words.get("asking_verbs", frozenset())
    return cue.start > 0 and tokens[cue.start - 1].key in asking and any(
        tokens[k].lower in OWN_STATE_WORDS for k in range(cue.end, end + 3)
        if k < len(tokens))
# an inverted question inside a sentence ("if I get hives all over IS THAT an allergy")
INVERTED_PAIR_FIRST = frozenset({"is", "are", "would", "could", "should", "will", "can", "do",
                                 "does", "was"})
INVERTED_PAIR_SECOND = frozenset({"that", "it", "this", "i", "we", "there", "they"})


def conditional_scope_end(structure: TextStructure, cue: Hit) -> int:
    """Where the "if" clause opened by `cue` ends (computed once per cue and message)."""
    if cue.start not in structure.scope_ends:
        structure.scope_ends[cue.start] = _scope_end(structure, cue)
    return structure.scope_ends[cue.start]


def _scope_end(structure: TextStructure, cue: Hit) -> int:
    """Where an "if" clause ends: at the sentence end, or where a new subject starts the main
    clause ("if I breathe in, my chest hurts" / "if I breathe in it hurts"). Not a new subject:
    one joined by "and"/"or" ("what if I'm home alone AND I pass out?"), a relative "that" ("if
    I get a bruise THAT's bigger..."), or "my" after a verb of noticing ("if I FEEL MY throat
    closing")."""
    tokens = structure.tokens
    _, s_end = structure.sentence_range(cue.start)
    seen_subject = False
    asides = structure.words.get("aside_words", frozenset())  # "if, GOD FORBID, I collapse"
    plain_if = all(tokens[k].key in PLAIN_IF_KEYS for k in range(cue.start, cue.end))
    # "quería SABER si ..., TENGO 39", "I wanted to KNOW if ... BECAUSE I can't stop the
    # bleeding": a question asked inside the sentence, whose clause ends at "because", or at a
    # comma before a report (Spanish drops the main clause's subject)
    embedded = asking_frame_before(structure, cue.start)
    segment = cue.end  # the first word after the condition's latest comma
    # "si APRIETO sale pus", "si ME RASCO se hace más grande": the patient's own action is the
    # whole condition, and a sign after it (not joined by "y": "si aprieto Y sale pus, ¿qué
    # hago?", nor by "con": "si me despierto CON fiebre") is the main clause, which Spanish
    # starts without a subject
    action_end = _own_action_end(structure, cue)
    i = cue.end
    while i < s_end:
        token = tokens[i]
        if token.is_break or (i in structure.boundaries and token.lower != ","):
            return i  # a sentence end, or "but"/"however": the main clause is a new statement
        if action_end is not None:
            # (its own words, "press ON IT", start no main clause)
            if i >= action_end and token.key in ACTION_JOINERS:
                action_end = None
            elif i >= action_end and i in structure.occupied:
                if not _asked_after_action(structure, action_end, i):
                    return i
                action_end = None  # "si aprieto, ¿me va a salir pus?" asks what would happen
                continue
            i += 1
            continue
        if token.key in SUBJECT_KEYS and token.key not in RELATIVE_WORDS:
            previous = tokens[i - 1].key if i > cue.end else ""
            joined = previous in ("and", "or", "nor") or _joined_after_a_time(tokens, cue.end, i)
            noticed = (token.key in ("my", "his", "her", "their", "our") and (
                previous in NOTICING_VERBS
                # "what if I feel weak IN MY arm": a place inside the condition (only after
                # "what if" and the like: "if I breathe IN MY chest hurts" has a main clause)
                or (previous in PLACE_PREPOSITIONS and not plain_if)
            )) or previous in REPORTING_VERBS or previous in LIKENING_WORDS
            # ("if she NOTICES I'm confused", "if it feels LIKE it's closing")
            if seen_subject and i > cue.end + 1 and not joined and not noticed:
                return i
            seen_subject = True
        if (
            seen_subject and i > cue.end + 1 and token.lower in INVERTED_PAIR_FIRST
            and i + 1 < s_end and tokens[i + 1].lower in INVERTED_PAIR_SECOND
        ):
            return i  # "if I get hives all over IS THAT an allergy": the main clause asks
        if embedded and i > cue.end and token.lower in BECAUSE_WORDS:
            return i
        if embedded and token.lower == "," and structure.hits_starting_in(
                "current_report", i + 1, i + 2):
            return i  # "quería saber si a los pacientes les da fiebre, TENGO 39"
        if token.lower == "," and tokens[cue.start].lower == "en" and any(
                tokens[k].key not in asides and tokens[k].lower not in asides
                for k in range(segment, i)):
            # (not at the comma after an aside: "en caso de que, POR EJEMPLO, me dé fiebre, ...")
            # "en (el) caso de que sea alergia, SE ME ESTÁ CERRANDO la garganta": the condition
            # ends at its comma (Spanish drops the main clause's subject)
            return i
        if token.lower == "," and i + 1 < s_end and (
            tokens[i + 1].key in SUBJECT_KEYS or tokens[i + 1].key in QUESTION_OPENERS
        ) and any(tokens[k].lower != "," and tokens[k].key not in asides
                  for k in range(cue.end, i)):
            # "if ..., my chest hurts" / "what if ..., IS that still a reaction?" (but "if, GOD
            # FORBID, I collapse" goes on after the aside)
            return i
        if token.lower == ",":
            segment = i + 1
        i += 1
    return s_end


# the time words of "and A DAY LATER I ...", "and THEN THE NEXT MORNING I ..."
# ("late": the key of "later")
SEQUENCE_TIMES = frozenset({"then", "later", "late", "a", "an", "the", "day", "days", "hour",
                            "hours", "week", "weeks", "few", "couple", "of", "next", "morning",
                            "night", "evening", "after", "afterwards", "one", "two", "three",
                            "soon", "suddenly", "that"})


def _joined_after_a_time(tokens: list, low: int, index: int) -> bool:
    """"if I get the injections AND A DAY LATER I can't swallow": a subject after "and" and a
    time goes on with the same condition."""
    k = index - 1
    while k > low and (tokens[k].key in SEQUENCE_TIMES or tokens[k].key.isdigit()):
        k -= 1
    return k < index - 1 and k >= low and tokens[k].key == "and"


# what makes the clause after an own action ask what would happen: "si aprieto, ¿PUEDE salir
# pus?", "if I scratch, WILL it spread?", "si me rasco se me VA A hacer más grande?"
ASKING_MODALS = frozenset({"can", "could", "will", "would", "may", "might", "should", "poder",
                           "deber"})


def _own_action_end(structure: TextStructure, cue: Hit) -> int | None:
    """Where the patient's own action that opens the condition ends ("si APRIETO sale pus"), or
    None: no such action, the action is the sign ("if I COUGH up blood"), or the condition is
    an instruction or a claim retold ("mi doctor me DIJO: si aprieto sale pus, le llamo")."""
    tokens = structure.tokens
    for hit in structure.hits_starting_in("own_action", cue.end, cue.end + 1):
        if any(k in structure.occupied for k in range(hit.start, hit.end)):
            continue
        if any(tokens[k].key in TELLING_VERBS
               for k in range(structure.sentence_range(cue.start)[0], cue.start)):
            return None
        return hit.end
    return None


def _asked_after_action(structure: TextStructure, action_end: int, sign: int) -> bool:
    """A question whose clause after the action is set off by a comma, or that asks with a
    modal or a future, asks what would happen."""
    tokens = structure.tokens
    between = range(action_end, sign)
    if any(tokens[k].key in ASKING_MODALS or (
            tokens[k].key == "ir" and k + 1 < sign and tokens[k + 1].key == "a")
           for k in between):
        return True
    if not any(tokens[k].lower == "," for k in between):
        return False
    # the sign's own clause is the question ("si aprieto, ¿le sale pus?"; not "if I press it,
    # pus comes out, IS THAT normal?")
    k = sign
    while k < len(tokens) and tokens[k].lower != "," and not tokens[k].is_break and (
            "?" not in tokens[k].lower):
        k += 1
    # ... unless what it asks comes after the sign ("si me agacho, me da náusea NORMAL?": told,
    # then asked whether that is normal)
    return k < len(tokens) and "?" in tokens[k].lower and not structure.hits_starting_in(
        "trailing_question", sign + 1, k + 1)


def _advice_sentence(structure: TextStructure, index: int) -> bool:
    return structure.is_advice(index)


def in_conditional(structure: TextStructure, start: int, end: int) -> bool | None:
    """True: inside a conditional ("what if I get a fever?", "if it hurts to breathe should I
    go to the ER?"); False: a conditional that also reports it now; None: no conditional."""
    s_start, _ = structure.sentence_range(start)
    for cue in structure.hits_starting_in("hypothetical_conditional", s_start, start):
        if structure.tokens[cue.start].lower == "say" and _a_state_told(
                structure, cue.start + 1, len(structure.tokens)):
            continue  # "say I GET a fever" imagines; "say I'M BLEEDING through 3 bandages" tells
        if structure.uncertainty_just_before(cue.start):
            continue  # "not sure if", "can't tell if": uncertain, which counts as present
        if _embedded_question(structure, cue, end):
            continue  # "I was WONDERING IF my arm being numb for 2 days is normal" asks
        words = range(cue.start, cue.end)
        plain_if = all(structure.tokens[i].key in PLAIN_IF_KEYS for i in words)
        if plain_if and not _advice_sentence(structure, start) and not _inverted_pair_after(
            structure, cue.end
        ) and not _would_question_before(structure, s_start, cue.start):
            continue  # "it hurts if I breathe in" reports the sign
        scope_end = conditional_scope_end(structure, cue)
        if end <= scope_end:
            # "what if it's infected? it's red right NOW" reports it
            return not strong_current(structure, (cue.start, scope_end), condition=True)
        if _asks_about_the_condition(structure, cue, scope_end, start, end):
            return True
    return None


def _would_question_before(structure: TextStructure, s_start: int, index: int) -> bool:
    """"WOULD it be a problem if it itches afterwards?": a question in the conditional mood
    before the "if" imagines it."""
    tokens = structure.tokens
    head = structure.after_lead_ins(s_start, index)
    return head < index and tokens[head].lower in ("would", "wud", "wld") and (
        structure.is_question(index))


def _inverted_pair_after(structure: TextStructure, index: int) -> bool:
    """A question in inverted order later in the sentence: "if I get hives all over IS THAT an
    allergy" asks (no "?" needed)."""
    tokens = structure.tokens
    _, s_end = structure.sentence_range(index)
    return any(
        tokens[i].lower in INVERTED_PAIR_FIRST and tokens[i + 1].lower in INVERTED_PAIR_SECOND
        for i in range(index, s_end - 1)
    )


def inverted_conditional(structure: TextStructure, start: int, end: int) -> bool | None:
    """"SHOULD the bruise get big, do I call?": "should" + a subject + a verb of change opens the
    sentence and a main clause follows a comma. True: the sign is inside that condition (or in
    a main clause that asks about it); False: the condition also says it is happening now
    ("should it STILL be swelling..."); None: no such condition."""
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    head = structure.after_lead_ins(s_start, s_end)
    if head + 2 >= s_end:
        return None
    if tokens[head].lower == "say":
        return _say_condition(structure, head, s_end, start)
    if tokens[head].lower == "imagine":
        return _imagined_case(structure, head, s_end, start)
    if tokens[head].lower != "should":
        return _condition_after_question(structure, head, s_end, start, end)
    # the writer as the subject only before a verb of getting a sign, with a question after the
    # comma: "SHOULD I GET a metallic taste during it, do I tell the doctor?" ("should I call?",
    # "should I go to the ER, I have chest pain" ask what to do)
    own = tokens[head + 1].key in OWN_SUBJECTS and tokens[head + 2].key in OWN_CHANGE_VERBS
    bare = head + 1 == start and all(t.is_punct for t in tokens[s_end:])
    if tokens[head + 1].key not in INVERTED_IF_SUBJECTS and not own and not bare:
        return None  # "should I call?" asks what to do (but "should PUS appear, ...?" alone)
    scope_end = next((i for i in range(head + 1, s_end) if tokens[i].lower == ","), s_end)
    if scope_end + 1 >= s_end:
        return None  # no main clause: "should the spot feel warm four days later?" asks now
    if own and "?" not in tokens[s_end - 1].lower:
        return None
    if not any(tokens[k].key in CHANGE_VERBS for k in range(head + 2, min(head + 9, scope_end))):
        return None
    if start < scope_end:
        return not strong_current(structure, (head, scope_end), condition=True)
    cue = Hit("cue", "inverted_conditional", 0, head, head + 1)
    return True if _asks_about_the_condition(structure, cue, scope_end, start, end) else None


def _say_condition(structure: TextStructure, head: int, s_end: int, start: int) -> bool | None:
    """"SAY the neck pain isn't better after two rounds. Would a third be worth it?": "say" and
    a subject open the sentence (not "say, my arm is red", "say hi"), and a question follows it,
    after a comma or as the next sentence. True: the sign is inside that condition; False: it
    also says now ("say it's STILL red right now ...")."""
    subject = _case_subject(structure, head)
    if not subject or _a_state_told(structure, subject, s_end):
        return None  # "say my throat IS SWELLING", "say he CAN'T breathe"
    if (scope_end := _case_end(structure, head, s_end, start)) is None:
        return None
    case = range(head + 1, scope_end)
    if any(structure.tokens[k].key in TOLD_IN_AN_IMAGINING for k in case) and any(
            structure.tokens[k].key == "be" for k in case):
        return None  # "say my temp IS 38.5 TONIGHT": a state with a time of now tells
    asked = _asked_after_case(structure, head, scope_end, s_end)
    if not asked or not structure.is_question(asked[0]) or (
            structure.is_question(head) and scope_end == s_end) or not _plain_question(
            structure, asked) or _told_as_real(structure):
        return None
    return not strong_current(structure, (head, scope_end), condition=True)


def _imagined_case(structure: TextStructure, head: int, s_end: int, start: int) -> bool | None:
    """"IMAGINE my tongue went numb during the injection - WOULD the doctor stop?": "imagine"
    and a subject open the sentence, and a question in the conditional mood follows after a
    comma or a dash, or as the next sentence ("imagine my tongue went numb!" or "..., what do
    I do?" may tell it). True: the sign is inside the imagined case; False: it also says now."""
    tokens = structure.tokens
    if not _case_subject(structure, head):
        return None
    if (scope_end := _case_end(structure, head, s_end, start)) is None:
        return None
    if any(tokens[k].key in TOLD_IN_AN_IMAGINING for k in range(head + 1, scope_end)):
        return None  # "imagine my shock WHEN my tongue went numb", "... LAST NIGHT", "... AGO"
    if _going_on(structure, head + 1, scope_end):
        return None  # "imagine my throat IS CLOSING", "imagine my lip FEELS thick": may be now
    asked = _asked_after_case(structure, head, scope_end, s_end)
    if not asked or not structure.is_question(asked[0]) or not (any(
            tokens[k].lower in IMAGINED_MOOD for k in asked)
            or _dated_later(structure, head + 1, scope_end)) or not _plain_question(
            structure, asked) or _told_as_real(structure):
        return None
    return not strong_current(structure, (head, scope_end), condition=True)


def _plain_question(structure: TextStructure, asked: range) -> bool:
    """The words after an imagined case are a question, with no clause that tells set before it
    ("say my temp is 38.5 on day 2, WHICH IT IS, should I worry?", "imagine I faint - I DID -
    ...") and nothing but questions after it ("... er or wait? YEP THAT'S ME", "... what do I
    do? THIS IS ME"); "Doctor, or wait?" and "what do I do, press on it?" ask."""
    tokens = structure.tokens
    after = structure.sentence_of[asked[-1]] + 1
    if any(not structure.is_question(structure.sentences[n][0])
           for n in range(after, len(structure.sentences))
           if any(not tokens[k].is_punct for k in range(*structure.sentences[n]))):
        return False
    first = next((k for k in asked[:-1] if tokens[k].lower in SAY_SCOPE_ENDS), None)
    if first is None or tokens[asked[0]].key in (QUESTION_OPENERS | WH_WORDS) - {"which"}:
        return True
    return not any(tokens[k].key in ASIDE_VERBS for k in range(asked[0], first))


def _told_as_real(structure: TextStructure) -> bool:
    """The writer says the imagined case is real ("... that is LITERALLY what is happening")."""
    return any(t.key in REAL_WORDS or t.lower in REAL_WORDS for t in structure.tokens)


def _dated_later(structure: TextStructure, low: int, high: int) -> bool:
    """The imagined case is dated in the days after an injection ("imagine the spot goes red ON
    DAY 3", "... THE NEXT DAY", "... A WEEK LATER"): a case imagined ahead, which any question
    may follow ("..., doctor or wait?")."""
    later = structure.words.get("later_words", frozenset())
    return any(structure.hits_in(category, low, high)
               for category in ("dating_follow_up", "persistence")) or any(
        structure.tokens[k].key in later for k in range(low, high))


def _case_subject(structure: TextStructure, head: int) -> int:
    """The word after "say" / "imagine" at `head` when it is a subject that opens an imagined
    case ("say MY arm ...", "imagine SOMEONE ..."); 0 otherwise."""
    return head + 1 if structure.tokens[head + 1].key in CASE_SUBJECTS else 0


def _case_end(structure: TextStructure, head: int, s_end: int, start: int) -> int | None:
    """Where the imagined case ends: at a comma or a dash ("say my lips go numb - is that an
    emergency?") or with its sentence; None when the sign at `start` lies after it."""
    tokens = structure.tokens
    scope_end = next((i for i in range(head + 1, s_end) if tokens[i].lower in SAY_SCOPE_ENDS),
                     s_end)
    return None if start >= scope_end else scope_end


def _asked_after_case(structure: TextStructure, head: int, scope_end: int, s_end: int) -> range:
    """The words that follow the imagined case: the rest of its sentence after the comma or
    dash, or else the next sentence (empty when there is none)."""
    if scope_end < s_end:
        return range(scope_end + 1, s_end)
    number = structure.sentence_of[head] + 1
    if number >= len(structure.sentences):
        return range(0)
    return range(*structure.sentences[number])


def _going_on(structure: TextStructure, low: int, high: int) -> bool:
    """A verb of the present in [low, high): "be" before an -ing form ("is closing", "'m
    bleeding") or "feels / looks / seems", with no time to come (`later_words`: "I'm getting a
    fever NEXT week" plans)."""
    tokens = structure.tokens
    later = structure.words.get("later_words", frozenset())
    if any(tokens[k].key in later or tokens[k].lower in later for k in range(low, high)):
        return False
    return any((tokens[k].key == "be" and k + 1 < high and tokens[k + 1].lower.endswith("ing"))
               or tokens[k].lower in ("feels", "looks", "seems") for k in range(low, high))


# what makes "imagine ..." tell a real event: "imagine my shock WHEN ...", a time of now or lately
TOLD_IN_AN_IMAGINING = frozenset({"when", "yesterday", "ago", "last", "earlier", "today",
                                  "tonight", "morning", "afternoon", "evening", "now", "just",
                                  "since"})
# the verbs (dictionary forms) of a clause set between an imagined case and its question that
# tells it real ("which it IS", "it HAS", "I just DID", "that'S me")
ASIDE_VERBS = frozenset({"be", "do", "have"})
# what says an imagined case is real: "(TRUE story)", "it's LITERALLY HAPPENING", "not JOKING"
REAL_WORDS = frozenset({"real", "true", "literally", "happening", "happened", "joking",
                        "kidding", "actually", "obvs", "obviously", "legit", "srsly", "irl",
                        "fr", "drill"})
# the mood of a question about an imagined case: "WOULD the doctor stop?", "COULD I drive?"
# (not "can", "may", "shall": "imagine my lips went numb, CAN you help?" may ask now), and the
# chat spellings of "would"
IMAGINED_MOOD = (POSSIBILITY_MODALS - {"can", "may", "shall"}) | {"'d", "wud", "wld"}
# who may open an imagined case after "say" or "imagine"
CASE_SUBJECTS = INVERTED_IF_SUBJECTS | OWN_SUBJECTS | {"someone", "he", "she"}
SAY_SCOPE_ENDS = frozenset({",", "-", "–", "—", ":"})
SAY_SUBJECT_WORDS = 4
# what tells a state of now rather than imagining one after "say" and its subject: "say my
# chest FEELS tight", "say he CAN'T breathe", "say I'M BLEEDING", "say my mum FAINTED"
SAY_NOW_VERBS = frozenset({"feel", "look", "seem"})
SAY_MODALS = frozenset({"can", "could", "will", "would", "do"})


def _a_state_told(structure: TextStructure, after: int, s_end: int) -> bool:
    """The first verb after "say" and its subject (up to SAY_SUBJECT_WORDS words) tells a state
    that may be now: a "feel/look/seem", a modal denied ("can't", "won't"), "be" before an -ing
    form ("is swelling", "'m bleeding") or a past in -ed ("fainted"). "say my lips GO numb",
    "say I COUGH up blood", "say the pain IS WORSE on day three" imagine."""
    tokens = structure.tokens
    for k in range(after, min(after + SAY_SUBJECT_WORDS + 1, s_end)):
        key, lower = tokens[k].key, tokens[k].lower
        if tokens[k].is_punct:
            return False
        if key in SAY_NOW_VERBS or (lower.endswith("ed") and k > after):
            return True
        if key in SAY_MODALS and k + 1 < s_end and tokens[k + 1].key in ("not", "n't"):
            return True
        if key == "be":
            if k + 1 < s_end and tokens[k + 1].lower.endswith("ing"):
                return True
            if lower != "'s":  # ("say my daughter'S face is swelling": a possessive)
                return False
    return False


def _condition_after_question(
    structure: TextStructure, head: int, s_end: int, start: int, end: int
) -> bool | None:
    """"What would you advise SHOULD MY FACE START to swell later?": a question opened by a
    question word, then "should" + a subject (not "I": "what should I do") + a verb of change
    within three words; the sign inside that condition (up to a comma) is imagined."""
    tokens = structure.tokens
    if tokens[head].key not in WH_WORDS:
        return None
    for k in range(head + 2, min(start, s_end - 2)):
        if tokens[k].lower != "should" or tokens[k + 1].key not in INVERTED_IF_SUBJECTS:
            continue
        scope_end = next((i for i in range(k + 1, s_end) if tokens[i].lower == ","), s_end)
        if end <= scope_end and any(tokens[v].key in CHANGE_VERBS
                                    for v in range(k + 2, min(k + 5, scope_end))):
            return not strong_current(structure, (k, scope_end), condition=True)
    return None


def _asks_about_the_condition(
    structure: TextStructure, cue: Hit, scope_end: int, start: int, end: int
) -> bool:
    """The main clause of a conditional question that itself names a sign asks about that
    imagined sign: "if there's yellow discharge, is that INFECTION?", "if I feel my throat
    closing, should I use my EPIPEN?", "if my mum's speech changed, would that be a STROKE?".
    Not when the main clause reports something now ("..., my chest HURTS")."""
    tokens = structure.tokens
    inverted = scope_end + 1 < len(tokens) and tokens[scope_end].lower in INVERTED_PAIR_FIRST and (
        tokens[scope_end + 1].lower in INVERTED_PAIR_SECOND
    )  # "if I get hives everywhere IS THAT a reaction" asks without "?"
    if not (structure.is_question(start) or inverted):
        return False
    if not any(i in structure.occupied for i in range(cue.end, scope_end)):
        return False
    region = (scope_end, structure.clause_range(start, end)[1])
    return not current_report(structure, start, end, region, modal_question=True,
                               determiner=False)
