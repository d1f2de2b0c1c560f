"""Figurative (policy rule 11): the sign word is used about something other than the body, or
inside a fixed expression.

A `figurative_expression` frame covers the whole finding ("bleeding me dry", "fever dream",
"nearly fainted when I saw the bill"), the patient says it is not literal ("not literally"), food
or a screen with no body named ("carved the beef and it bled", "watched the finale, blood
everywhere"), the word is said about a thing from `non_body_things` ("the WEATHER is so hot",
"HOT water", "it's boiling IN THIS ROOM"), or the clause's subject is such a thing with no
person, body part or verb of causing in between ("our basketball TEAM choked", "the STOCK I
bought has a fever"). Each finding is judged on its own, so a second, real sign in the message
still escalates.
"""

from __future__ import annotations

from ..normalise import NormToken
from .page_words import page_speaks_before
from .structure import TextStructure
from .words import (
    ARTICLES,
    CAUSATIVE_VERBS,
    LOCAL_SPLITTERS,
    POSSESSIVES,
    PREPOSITIONS,
    QUESTION_LEAD_INS,
    RELATIVE_WORDS,
)

# "it"/"there" as a dummy subject ("IT's boiling in here") and the words between the heat word
# and the place it is about ("so hot IN THIS room").
DUMMY_SUBJECTS = frozenset({"it", "there", "everything", "everywhere"})
PLACE_PATH = frozenset({"in", "inside", "out", "outside", "at", "the", "this", "that", "our",
                        "my", "today", "tonight", "there", "so", "too", "really", "very",
                        # "hot AS HELL in my flat"
                        "as", "a", "hell", "heck", "af"})
MAX_FIGURATIVE_WALK = 6
# Figurative frame 3: people as subjects ("I", "we", "she"), and possessives ("my", "our")
PERSON_WORDS = frozenset({"i", "me", "myself", "we", "us", "you", "u", "he", "she", "him",
                          "they", "them", "everyone", "everybody", "someone", "somebody",
                          "people", "anyone", "anybody", "ourselves", "yourself", "himself",
                          "herself", "themselves"})
# a device that SAYS/SHOWS/READS a number reports the body ("the app says 88%")
MEASURING_VERBS = frozenset({"say", "show", "read", "measure", "register", "display", "give",
                             "record", "put", "reckon", "tell", "flash", "beep", "alarm"})
# "coach SAYS the team ...", "the paper SAID that the market ..."
SAYING_VERBS = frozenset({"say", "said", "think", "reckon", "claim", "announce", "report",
                          "tell", "write", "post", "mention"})


def is_figurative(
    structure: TextStructure, start: int, end: int, emergency: bool = False,
    said_of_things: bool = False,
) -> bool:
    """Policy rule 11: the sign word is used about something other than the body, or inside a
    fixed expression. Only a frame that covers the whole finding counts. A sign that patients
    normally say about things ("the water tastes of metal") is never figurative because of its
    subject."""
    s_start, s_end = structure.sentence_range(start)
    for hit in structure.hits_in("figurative_expression", s_start, s_end):
        if hit.start <= start and end <= hit.end:
            return True
    if _disclaimed(structure, start, end):
        return True
    if not structure.per_sentence("names_the_body", start,
                                  lambda lo, hi: _names_the_body(structure, lo, hi)):
        # food and screens: "CUT INTO the STEAK and it BLED all over the board", "WATCHED the
        # finale, BLOOD everywhere" (never when the sentence names a body part, site or person)
        for hit in structure.hits_in("figurative_unless_body", s_start, s_end):
            if hit.start <= start and end <= hit.end:
                return True
        if _screen_scene(structure, start, end, s_start):
            return True
    if said_of_things or _names_a_wound_cloth(structure, start, end):
        return False
    if _echoed_by_someone(structure, end) or page_speaks_before(structure, start):
        return False  # "the toast is burning AND SO IS MY injection site", "the WEBSITE SAYS
        #               redness is normal": about the body
    return _said_about_a_thing(structure, start, end) or _thing_is_the_subject(
        structure, start, end, hop=not emergency or _coordinated_participle(structure, start)
    )


# "and SO IS my arm", "SO HAVE I", "and I HAVE TOO", "now SO AM I"
ECHO_VERBS = frozenset({"be", "have", "do"})
ECHO_ALSO = frozenset({"too", "also", "aswell"})
ECHO_SUBJECTS = frozenset({"i", "we", "he", "she", "they"})


def _echoed_by_someone(structure: TextStructure, end: int) -> bool:
    """After the finding, in its sentence or the next, "so" and a verb with someone or a body
    part as subject ("and SO IS MY SHOULDER", "SO HAVE I", "so has my husband"), or someone and
    a verb before "too" ("and I HAVE TOO"): what the thing does, someone does (not "so DID MY
    MOOD", "so stress is high")."""
    number = structure.sentence_of[end - 1]
    echoes = structure.per_sentence("echoes", end - 1,
                                    lambda lo, hi: _echoes(structure, lo, hi))
    if echoes and echoes[-1] >= end:
        return True
    if number + 1 >= len(structure.sentences):
        return False
    return bool(structure.per_sentence("echoes", structure.sentences[number + 1][0],
                                       lambda lo, hi: _echoes(structure, lo, hi)))


def _echoes(structure: TextStructure, lo: int, hi: int) -> list[int]:
    """Where an echo (`_echoed_by_someone`) starts in [lo, hi), in order (once per sentence: a
    long message has many signs in one)."""
    tokens = structure.tokens
    found = []
    for k in range(lo, hi - 2):
        if (tokens[k].key == "so" and tokens[k + 1].key in ECHO_VERBS
                and _someone_at(structure, k + 2, hi)) or (
                tokens[k].key in ECHO_SUBJECTS and tokens[k + 1].key in ECHO_VERBS
                and tokens[k + 2].key in ECHO_ALSO):
            found.append(k)
    return found


def _someone_at(structure: TextStructure, k: int, stop: int) -> bool:
    """A person ("I", "my husband") or someone's body part ("my shoulder", "the shot site")
    at `k`."""
    tokens = structure.tokens
    if tokens[k].key in ECHO_SUBJECTS or k in structure.person_nouns:
        return True
    body = structure.words.get("body_words", frozenset())
    return tokens[k].key in OWNED | {"the"} and any(
        j in structure.person_nouns or tokens[j].key in body or tokens[j].lower in body
        or tokens[j].key in BODY_LIKE for j in range(k + 1, min(k + 3, stop)))


def _coordinated_participle(structure: TextStructure, start: int) -> bool:
    """"my car's been coughING AND wheezing": two -ing forms joined by "and" share the
    subject and auxiliary before them (not "traffic was bad and then couldn't breathe")."""
    tokens = structure.tokens
    return start >= 2 and tokens[start - 1].key == "and" and tokens[start].lower.endswith(
        "ing") and tokens[start - 2].lower.endswith("ing") and tokens[start - 2].lower.isalpha()


# whose a body part is, inside a finding
OWNED = frozenset({"my", "his", "her", "our", "their", "your"})
BODY_LIKE = frozenset({"bandage", "bandages", "bandaid", "plaster", "plasters", "dressing",
                       "dressings", "gauze", "pad", "injection", "injections", "shot", "shots",
                       "needle", "needles", "jab", "wound", "puncture"})
SCENE_WORDS = frozenset({"blood", "gore", "bloody", "everywhere", "all", "over", "so", "much",
                         "lot", "lots", "of", "a", "loads", "the", "place", "buckets", "pool",
                         "pools", "spurting", "splattered", "splatter", "fake"})


# Cues that may date or describe a symptom; outside a figure of speech they keep the message open
# to the ML catch-all ("I need to get this off my chest, I've been so tired SINCE the shot").
SYMPTOM_CONTEXT = ("current_time", "persistence", "worsening", "back_again_strong")


def speaks_of_the_body_only_in_figures(structure: TextStructure) -> bool:
    """The message names the body only inside figures of speech ("I need to get this off my
    CHEST, the nurse was lovely"): a `figurative_expression` names a body word, no body word
    stands outside one, and nothing outside one dates or describes a symptom ("since", "still",
    "getting worse"). Such a message reports nothing: the model's catch-all for unlisted
    symptoms does not apply to it (Assessment.figure_of_speech, safety/turn.py)."""
    figures = structure.hits("figurative_expression")
    if not figures:
        return False
    inside = {k for hit in figures for k in range(hit.start, hit.end)}
    body = structure.words.get("body_words", frozenset())
    named = [k for k, token in enumerate(structure.tokens)
             if token.key in body or token.lower in body]
    if not named or any(k not in inside for k in named):
        return False
    return not any(
        k not in inside
        for category in SYMPTOM_CONTEXT
        for hit in structure.hits(category)
        for k in range(hit.start, hit.end)
    )


def _names_a_wound_cloth(structure: TextStructure, start: int, end: int) -> bool:
    """The finding itself names what a bleeding spot is pressed with ("the ice pack CLOTH is
    crimson", "each WAD is sopping"): it is about the wound, not about a thing."""
    cloths = structure.words.get("wound_cloths", frozenset())
    tokens = structure.tokens
    return any(tokens[k].key in cloths or tokens[k].lower in cloths for k in range(start, end))


def _names_the_body(structure: TextStructure, s_start: int, s_end: int) -> bool:
    """The sentence names a body part, the injection site or a dressing, or a person other than
    the patient ("my husband")."""
    body = structure.words.get("body_words", frozenset())
    tokens = structure.tokens
    return any(
        tokens[k].key in body or tokens[k].lower in body or tokens[k].key in BODY_LIKE
        or tokens[k].lower in BODY_LIKE or k in structure.person_nouns
        for k in range(s_start, s_end)
    )


def _screen_scene(structure: TextStructure, start: int, end: int, s_start: int) -> bool:
    """Rule 11 frame 5: BLOOD seen in a film, show, game or book. The sentence says the patient
    watched, saw or read one before the sign, and the sign is only the word "blood" (or "gore")
    in a part of the sentence with no person ("Watched the finale, BLOOD EVERYWHERE, ..."). Not
    "bleeding", which is said of a body ("watching a film, bleeding everywhere")."""
    if not structure.hits_in("screen_viewing", s_start, start):
        return False
    tokens = structure.tokens
    keys = [tokens[k].key for k in range(start, end)]
    if not any(k in ("blood", "gore", "bloody") for k in keys) or not all(
        k in SCENE_WORDS for k in keys
    ):
        return False
    low, high = structure.clause_range(start, end)
    return not any(
        _is_person(structure, k) or tokens[k].key in POSSESSIVES for k in range(low, high)
    )


def _disclaimed(structure: TextStructure, start: int, end: int) -> bool:
    """The patient says it was not meant literally ("had me gasping... NOT LITERALLY", "my
    pension is bleeding out (financial, NOT MEDICAL)"): covers the findings before the
    disclaimer in its sentence or the sentence before, never a sign named after it."""
    hits = structure.hits("disclaimer")
    if not hits:
        return False
    sentence = structure.sentence_of[start]
    for hit in hits:
        if hit.start < end:
            continue
        there = structure.sentence_of[hit.start]
        if there == sentence:
            return True
        if there == sentence + 1:
            # "...had me gasping... at the shots, NOT LITERALLY": the next sentence, only when
            # it names no sign of its own before the disclaimer and starts with it
            h_start, _ = structure.sentence_range(hit.start)
            if hit.start - h_start <= 6 and not any(
                k in structure.occupied for k in range(h_start, hit.start)
            ):
                return True
    return False


def _is_person(structure: TextStructure, index: int) -> bool:
    """A person named as a subject: "I", "we", "he", "my husband" (not "my"/"his" alone)."""
    token = structure.tokens[index]
    if token.key in PERSON_WORDS or token.lower in PERSON_WORDS:
        return True
    return index in structure.person_nouns


def _thing_is_the_subject(structure: TextStructure, start: int, end: int, hop: bool) -> bool:
    """Rule 11, frame 3: the clause is ABOUT a non-body thing. Its subject (the first word after
    "the/my/our", up to three words in) is a thing from `non_body_things` and nothing between
    the thing and the sign word is a person, a body part or a verb of causing ("made",
    "gave"): "our BASKETBALL TEAM choked in the final minute", "the STOCK I bought has a fever"
    (a relative clause right after the thing is allowed), "my phone SCREEN is cracked and
    blurry". With `hop` a clause joined by "and/then" with no subject of its own takes the
    subject before it ("the BREAD rose and then collapsed"); emergency signs never hop
    ("traffic was bad and then couldn't breathe" is about the patient)."""
    things = structure.words.get("non_body_things", frozenset())
    body = structure.words.get("body_words", frozenset())
    if not things:
        return False
    tokens = structure.tokens
    if any(tokens[k].key in body for k in range(start, end)):
        return False  # the finding names the body itself: "... and my LIPS are swollen"
    begin = _clause_begin(structure, start, end, hop)
    if begin is None:
        return False
    i = _after_reported_speech(structure, begin, start)
    article = i < start and tokens[i].key in ARTICLES
    while i < start and tokens[i].key in ARTICLES:
        i += 1
    subject = _thing_subject(structure, i, start, article)
    if subject is None:
        return False
    after = _after_relative_clause(structure, subject, start, article)
    return _only_the_thing_acts(structure, subject, after, start)


def _clause_begin(structure: TextStructure, start: int, end: int, hop: bool) -> int | None:
    """Where the sign's clause begins; with `hop`, a part with no subject of its own ("... and
    then collapsed") begins where its clause does. None: the part has no subject."""
    tokens = structure.tokens
    low, _ = structure.clause_range(start, end)
    begin, _ = structure.local_range(start, end)
    if not any(tokens[k].key not in ARTICLES and tokens[k].key not in LOCAL_SPLITTERS
               for k in range(begin, start)):
        if not hop or begin <= low:
            return None
        begin = low  # "the bread rose and then collapsed"
    return begin


def _after_reported_speech(structure: TextStructure, i: int, start: int) -> int:
    """Past the lead-ins ("so", "hi") and reported speech: "COACH SAYS the team needs fresh
    blood" - the clause after the saying verb has its own subject (a person there is still a
    person: "my wife says I'm pale")."""
    tokens = structure.tokens
    things = structure.words.get("non_body_things", frozenset())
    while i < start and tokens[i].key in QUESTION_LEAD_INS:
        i += 1
    for k in range(i, min(i + 3, start - 1)):
        if tokens[k].key in SAYING_VERBS and not _is_person(structure, k + 1) and (
            tokens[k + 1].key in ARTICLES or tokens[k + 1].key == "that"
        ) and not any(_is_thing(tokens[j], things) for j in range(i, k)):
            # (a thing that says something keeps its frame: "the WEATHER APP says 101")
            return k + 1 + (tokens[k + 1].key == "that")
    return i


def _thing_subject(structure: TextStructure, i: int, start: int, article: bool) -> int | None:
    """The position of the thing that is the clause's subject, or None (a person, a body part,
    "it"/"there" or a linking word comes first). "OUR BASKETBALL TEAM": after an article up to
    two words may describe the thing; without one the thing must come first ("lying FLAT I
    can't breathe" is not about a flat)."""
    tokens = structure.tokens
    things = structure.words.get("non_body_things", frozenset())
    body = structure.words.get("body_words", frozenset())
    links = structure.words.get("figurative_links", frozenset())
    for k in range(i, min(i + (3 if article else 1), start)):
        key = tokens[k].key
        if _is_person(structure, k) or key in body or key in DUMMY_SUBJECTS or (
            key in links and key not in ("like",)
        ):
            return None
        if _is_thing(tokens[k], things):  # the written form: "SHOWING" is not a (TV) show
            return k
    return None


def _after_relative_clause(
    structure: TextStructure, subject: int, start: int, article: bool
) -> int:
    """The first word after the thing and a relative clause right after it: "the stock I
    bought ...", "the sweets my aunt made ..."."""
    tokens = structure.tokens
    k = subject + 1
    if k < start and tokens[k].key in RELATIVE_WORDS:
        k += 1
    if article and k < start and (_is_person(structure, k) or tokens[k].key in POSSESSIVES):
        k += 1
        while k < start and k in structure.person_nouns:
            k += 1
        k += 1  # its verb
    return k


def _only_the_thing_acts(structure: TextStructure, subject: int, k: int, start: int) -> bool:
    """Nothing in [k, start) is a person, a body part or a verb of causing, and a personal
    device does not SAY or SHOW a number ("the APP SAYS my oxygen is 88" is a reading of the
    body)."""
    tokens = structure.tokens
    body = structure.words.get("body_words", frozenset())
    devices = structure.words.get("personal_devices", frozenset())
    device = tokens[subject].lower in devices or tokens[subject].key in devices
    for j in range(k, start):
        key = tokens[j].key
        if (_is_person(structure, j) and not _owner_of_a_thing(tokens, j, start)) or (
                key in body or key in CAUSATIVE_VERBS):
            return False
        if device and key in MEASURING_VERBS:
            return False
    return True


def _owner_of_a_thing(tokens: list[NormToken], j: int, start: int) -> bool:
    """A person in the possessive, with a word after it before the sign: "the gazebo at MY
    DAUGHTER'S party collapsed" (a body word after it is caught on its own: "my daughter's
    ARM")."""
    owner_s = ("'s", "’s", "s'")
    if tokens[j].lower in owner_s:  # (the "'s" itself is one of the person's words)
        return j + 1 < start
    return j + 2 < start and tokens[j + 1].lower in owner_s


def _is_thing(token: NormToken, things: frozenset[str]) -> bool:
    """A word of `non_body_things`, by its written form or as a plural ("the GUTTERS") - not
    another form of the word ("SHOWING" is not a show)."""
    lower = token.lower
    return lower in things or (
        token.key in things and lower in (token.key + "s", token.key + "es")
    )


def _skip_articles(tokens: list[NormToken], i: int, low: int) -> int:
    while i >= low and tokens[i].key in ARTICLES:
        i -= 1
    return i


def _said_about_a_thing(structure: TextStructure, start: int, end: int) -> bool:
    things = structure.words.get("non_body_things", frozenset())
    if not things:
        return False
    links = structure.words.get("figurative_links", frozenset())
    tokens = structure.tokens
    body = structure.words.get("body_words", frozenset())
    if any((tokens[k].key in body or tokens[k].lower in body) and tokens[k - 1].key in OWNED
           for k in range(start + 1, end)):
        return False  # the finding names someone's body: "the soup is burning and MY CHEST is
        #               tight" (not "the plants are covered in red spots")
    low, high = structure.clause_range(start, end)  # the walks stop at "and", "but" anyway
    # a) the thing is the subject, only linking words in between: "the WEATHER is so hot"
    i, steps = start - 1, 0
    while i >= low and steps < MAX_FIGURATIVE_WALK:
        key = tokens[i].key
        if i in structure.occupied and key not in links:
            break  # another finding; "burning hot" (an intensifier) is a link
        # at least one "is/so/too" in between: "SHOWS 38.6" is a verb
        if tokens[i].lower in things and steps > 0:
            before = _skip_articles(tokens, i - 1, low)
            if before >= low and tokens[before].key in PREPOSITIONS:
                # "my ARM in the car is red": the thing belongs to the word before it
                head = _skip_articles(tokens, before - 1, low)
                return head >= low and tokens[head].lower in things
            return True
        if key not in links:
            break
        i -= 1
        steps += 1
    # b) the sign word describes the thing right after it: "HOT water", "HEAT wave"
    if (
        end - start == 1
        and end < high
        and end not in structure.occupied
        and tokens[end].lower in things
    ):
        return True
    # c) a heat or cold word with "it"/"there" (or nothing) as subject, about a place named
    #    after it: "it's boiling IN THIS ROOM", "so hot OUTSIDE"
    #    (the finding is only heat or cold words: "passed out COLD in the shower" is a collapse)
    ambient = structure.words.get("ambient_words", frozenset())
    if not all(tokens[k].key in ambient or tokens[k].lower in ambient or tokens[k].key in links
               for k in range(start, end)) or not any(
            tokens[k].key in ambient or tokens[k].lower in ambient for k in range(start, end)):
        return False
    i = start - 1
    while i >= low and (tokens[i].key in links or tokens[i].key in ARTICLES):
        i -= 1
    if i >= low and tokens[i].key not in DUMMY_SUBJECTS:
        return False
    j, previous = end, ""
    while j < high and j - end < MAX_FIGURATIVE_WALK:
        key = tokens[j].key
        if tokens[j].lower in things or (key == "here" and previous == "in"):
            return True
        if key not in PLACE_PATH:
            return False
        previous = key
        j += 1
    return False
