"""When: before the procedure, since it, or over.

history_before  clearly before the procedure ("last year", "before any injections", "years ago",
                "as a toddler", "in 2012", "before I booked", "chronic", "since 2014, nothing
                new"), unless brought back ("now", "again", "never happened before").
history_recent  earlier since the procedure ("yesterday", "had", "gone now"): still escalates.
has_stopped     a bleed the message says has stopped ("it stopped straight away", "the spot is
                dry"), judged as its mild form (candidates.py).
"""

from __future__ import annotations

from bisect import bisect_left

from ..match import Hit
from ..normalise import NormToken
from .structure import TextStructure
from .words import (
    IRREGULAR_PAST,
    NEGATION_KEYS,
    PERFECT_PARTICIPLES,
    QUESTION_MODALS,
    SUBJECT_KEYS,
)

# "'s" after these is "is": "WHAT's wrong", "HERE's the thing"
PRONOUN_IS = frozenset({"what", "who", "where", "here", "how", "when", "which", "one",
                        "nothing", "something", "everything", "anything", "someone", "he",
                        "she", "that", "there", "it", "this"})
# a bleed that "restarts", "starts again", "keeps leaking" has not stopped
RESTART_WORDS = frozenset({"restart", "again", "keep", "come"})


def has_stopped(structure: TextStructure, index: int) -> bool:
    """The sentence (or the next one) says the bleeding stopped ("it stopped straight away",
    "the spot is dry", "nothing since"), not negated ("it hasn't stopped"), and nothing in the
    message says it starts again ("restarts when I move", "keeps leaking")."""
    tokens = structure.tokens
    for hit in structure.hits("persistence"):
        if any(tokens[i].key in RESTART_WORDS for i in range(hit.start, hit.end)):
            return False
    s_start, s_end = structure.sentence_range(index)
    if s_end < len(tokens):
        s_end = structure.sentence_range(s_end)[1]
    idioms = structure.hits_in("figurative_expression", s_start, s_end)
    for hit in structure.hits_in("stopped", s_start, s_end):
        if any(f.start <= hit.start and hit.end <= f.end for f in idioms):
            continue  # "bleeding us DRY"
        if any(tokens[i].key in NEGATION_KEYS for i in range(max(s_start, hit.start - 3),
                                                             hit.start)):
            continue  # "it hasn't stopped", "not dry yet"
        return True
    return False


# a verb of its own beside a time in another clause: "..., HAD a blood clot 2 yrs ago" tells its
# own story (not "3 yrs ago, I fainted", "WHEN I WAS a kid, ...": the time alone, or its own verb)
STORY_VERBS = frozenset({"have", "be", "get", "take", "suffer", "tener", "ser", "estar", "tomar",
                         "haber", "sufrir", "padecer", "had", "was", "were", "been", "tuve",
                         "tuvo", "tenía", "tenia", "fui", "fue", "estuve", "tomo", "tomé",
                         "sufrí", "padecí", "me_dio", "dio"})


# a medicine taken now: a time beside it dates the medicine, not the sign
MEDICINE_NOW = frozenset({"tomo", "toma", "tomamos", "tomando", "take", "takes", "taking"})


def _first_never(structure: TextStructure, index: int) -> int:
    """Where the sentence around `index` first says "never" (its end when it does not); once per
    sentence, as a long message has many signs in one."""
    tokens = structure.tokens
    return structure.per_sentence("first_never", index, lambda lo, hi: next(
        (k for k in range(lo, hi) if tokens[k].key == "never"), hi))


def is_history_before(structure: TextStructure, start: int, end: int,
                      emergency: bool = False) -> bool:
    """History clearly before the procedure: a time before it anywhere in the sentence ("I had a
    fever last year before any injections"), or a long-standing condition in the same part of
    the sentence ("migraines for years"). Not when the sentence brings it back to now ("...,
    now it's worse") or the sign's own part of the sentence is in the present tense ("I had TPI
    last year and my arm IS swollen")."""
    s_start, s_end = structure.sentence_range(start)
    if _first_never(structure, s_start) < end:
        # (a sign not denied by it) the sentence says it is new: "before the injection I NEVER
        # HAD a headache like this", "NUNCA había sentido esto: un sabor como a moneda"
        return False
    local = structure.local_range(start, end)
    if _trait_before_the_injection_ahead(structure, structure.clause_range(start, end), s_start,
                                         s_end, emergency, (start, end)):
        return True
    # an emergency sign is not dated by a later clause that tells its own story ("Chest pain and
    # short of breath, HAD a blood clot 2 yrs ago": the clot is dated, not the chest pain now);
    # a story told first and the sign after it is one story ("Years ago the numbing gave me a
    # bad reaction, heart pounding and shaky")
    clause = structure.clause_range(start, end)
    before = any(
        not _dates_a_medicine_elsewhere(structure, h, local)
        and not (emergency and h.start >= clause[1] and _own_story(structure, h))
        and not _a_length_not_an_age(structure, h)
        and not _a_place_today(structure, h)
        and not (_the_injection_ahead(structure, h)
                 and (emergency or _acute_now(structure, start, end, clause)))
        for h in structure.hits_in("history_before", s_start, s_end)
    ) or _ends_with_once(structure, s_start, s_end)
    # an emergency sign only by a time in its own part of the sentence: "I can't breathe and
    # I've had asthma SINCE 2010" dates the asthma, not the breathing now
    long_standing = any(not _dates_a_medicine_elsewhere(structure, h, local)
                        and not _cut_off(structure, h, start)
                        for h in structure.hits_in("long_standing", *(local if emergency
                                                                       else (s_start, s_end))))
    # (a condition that holds another sign is that sign's: "I go FAINT at the sight of blood
    # and it's pouring out" dates the faintness, not the bleeding)
    condition = any(not _asked_in_general(structure, h, s_start)
                    and not any(k in structure.occupied and not start <= k < end
                                for k in range(h.start, h.end))
                    and not _habit_told_with_now(structure, h, s_start, s_end)
                    for h in structure.hits_in("history_condition", *local)) or long_standing or (
        not emergency and _habit_told(structure, clause, s_start, s_end))
    # a named long-term illness explains a doctor-level complaint (never an emergency sign), or
    # how often it comes, unless the sentence dates it to the recent days; like a time before,
    # not in the present tense (below)
    illness = not emergency and (bool(structure.hits_in("illness_condition", *local)) or (
        bool(structure.hits_in("habitual", *local))
        and bool(structure.hits_in("illness_named", s_start, s_end))
        and not structure.hits_in("history_recent", s_start, s_end)))
    # (never for an emergency sign: "I coughed up blood an hour ago, my appt is Thursday")
    before = before or (not emergency and _before_the_injection_ahead(structure, s_start, s_end))
    if not (before or condition or illness):
        return False
    if structure.hits_in("up_to_now", *clause):
        return False  # "... I've had a fever FOR THE LAST 3 DAYS": there now
    if any(not _inside_recovery(structure, h) and not _after_the_old_shot(structure, h, s_start)
           for h in structure.hits_in("back_again", *clause)) and not long_standing:
        return False  # "... and NOW it's swollen" (but "STILL droops since 2012" is old)
    tokens = structure.tokens
    if any(
        not _never_again(tokens, h.start, s_end)
        for h in structure.hits_in("back_again_strong", s_start, s_end)
    ):
        return False
    if emergency and not condition and _told_now_elsewhere(structure, s_start, s_end):
        return False
    categories = ("present_tense", "present_now") if emergency else ("present_tense",)
    return condition or not any(
        _is_present_tense(structure, hit)
        for category in categories for hit in structure.hits_in(category, *local)
    )


def _the_injection_ahead(structure: TextStructure, hit: Hit) -> bool:
    """The time before the procedure is only that the injection is still to come ("my
    injection ISN'T UNTIL friday", "my first injection IS TOMORROW"): it dates no emergency
    sign ("... but im coughing blood" is now; traits before the injection ahead are read by
    `_trait_before_the_injection_ahead`)."""
    if structure.tokens[hit.start].key in DATED_BEFORE:
        return False  # "BEFORE the injection I had some chest tightness" dates the sign
    return any(a.start < hit.end and hit.start < a.end
               for category in AHEAD_CUES for a in structure.hits(category))


DATED_BEFORE = frozenset({"before", "prior", "pre", "long", "well", "way"})


def _acute_now(structure: TextStructure, start: int, end: int, clause: tuple[int, int]) -> bool:
    """A doctor-level sign that is no trait: a temperature read ("i have a fever of 102") or one
    getting worse in its clause ("a rash SPREADING"); an injection still ahead dates it no more
    than an emergency ("my injection isn't until monday but i have a fever of 102")."""
    tokens = structure.tokens
    return any(tokens[k].lower[:1].isdigit() for k in range(start, end)) or bool(
        structure.hits_in("worsening", *clause))


# "when I was about 20 MINUTES into the drive home" counts time since, not years of age
TIME_UNITS = frozenset({"sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes",
                        "hr", "hrs", "hour", "hours", "day", "days", "week", "weeks"})


def _a_place_today(structure: TextStructure, hit: Hit) -> bool:
    """"he collapsed AT SCHOOL" dated today before it ("day 3 TODAY, he collapsed at school")
    or right after it ("at school TODAY"): a place, not the years of school ("I fainted a lot
    at school, can I lie down today?")."""
    tokens = structure.tokens
    if not all(tokens[k].key in SCHOOL_WORDS for k in range(hit.start, hit.end)):
        return False
    s_start, _ = structure.sentence_range(hit.start)
    return any(tokens[k].key in ("today", "tonight") for k in range(s_start, hit.start)) or (
        hit.end < len(tokens) and tokens[hit.end].key in ("today", "tonight"))


SCHOOL_WORDS = frozenset({"at", "in", "school", "college", "uni", "university", "work"})


def _a_length_not_an_age(structure: TextStructure, hit: Hit) -> bool:
    tokens = structure.tokens
    return hit.end < len(tokens) and tokens[hit.end - 1].lower.isdigit() and (
        tokens[hit.end].lower in TIME_UNITS)


HOW_OFTEN_WORDS = frozenset({"usually", "often", "tend"})


def _asked_in_general(structure: TextStructure, hit, s_start: int) -> bool:
    """"DOES the bruising USUALLY GET this big?" asks what bruises do, not the writer's own
    history (but "I usually get big bruises, is that why?" tells it)."""
    tokens = structure.tokens
    if not any(tokens[k].key in HOW_OFTEN_WORDS for k in range(hit.start, hit.end)):
        return False  # only "usually get", "often get", "tend to get"
    return structure.is_question(hit.start) and not any(
        tokens[k].lower in structure.first_person or tokens[k].key in structure.first_person
        for k in range(s_start, hit.start))


def _own_story(structure: TextStructure, hit) -> bool:
    lo, hi = structure.clause_range(hit.start, hit.end)
    return any(structure.tokens[k].key in STORY_VERBS or structure.tokens[k].lower in STORY_VERBS
               for k in range(lo, hi) if not hit.start <= k < hit.end)


def _dates_a_medicine_elsewhere(structure: TextStructure, hit, local) -> bool:
    """A time in another part of the sentence that dates a medicine taken now ("y TOMO
    aspirina desde hace años"), not the sign."""
    if local[0] <= hit.start and hit.end <= local[1]:
        return False
    lo, hi = structure.local_range(hit.start, hit.end)
    return any(structure.tokens[k].lower in MEDICINE_NOW for k in range(lo, hi))


# "have" elsewhere in the sentence owns an illness as often as a sign now ("I HAVE epilepsy,
# last fit was 2019"); only in the sign's own part does it tell the sign now
HAVING = frozenset({"have", "has", "having", "tener"})


def _told_now_elsewhere(structure: TextStructure, s_start: int, s_end: int) -> bool:
    """An emergency's sentence, not a question, tells something in the present (`present_now`:
    "it WON'T stop", "no PARA de salir") in a part that holds no time before the procedure: "no
    para de salir, ya empapé un trapo y tomo xarelto DESDE HACE MESES" dates the medicine, not
    the bleeding (but "tuve un infarto en 2018, ¿me PUEDEN inyectar?" asks)."""
    dated = [structure.local_range(h.start, h.end)
             for h in structure.hits_in("history_before", s_start, s_end)]
    return not structure.is_question(s_start) and any(
        not any(lo <= hit.start < hi for lo, hi in dated)
        and structure.tokens[hit.start].key not in HAVING
        for hit in structure.hits_in("present_now", s_start, s_end))


def _never_again(tokens: list[NormToken], index: int, s_end: int) -> bool:
    """"..., NEVER AGAIN" says it has not come back (but "never again UNTIL today" has)."""
    return (
        tokens[index].key == "again" and index > 0 and tokens[index - 1].key in NEGATION_KEYS
        and not any(tokens[k].key in ("until", "till", "til", "before", "but")
                    for k in range(index + 1, min(index + 4, s_end)))
    )


def _ends_with_once(structure: TextStructure, s_start: int, s_end: int) -> bool:
    """"I had a reaction to a bee sting ONCE." - an earlier occasion (not "once I got home")."""
    tokens = structure.tokens
    last = s_end - 1
    while last >= s_start and tokens[last].is_punct:
        last -= 1
    return last > s_start and tokens[last].lower == "once"


# what dates a sentence or ties it to the injection, so that a habit in it is no trait
HABIT_BREAKERS = ("history_recent", "current_time", "strong_current", "back_again",
                  "back_again_strong", "injection_behind")
# a length said with a habit is the habit's ("stiff FOR HOURS IN WINTER")
LENGTH_OPENERS = frozenset({"for", "all"})


def _habit_told(structure: TextStructure, clause: tuple[int, int], s_start: int,
                s_end: int) -> bool:
    """A `habit` cue in the sign's clause and nothing in the sentence that dates it or names the
    injection (`HABIT_BREAKERS`, but not inside the habit's own words, nor a length: "worse for
    hours in winter"): a trait, not the sign now."""
    tokens = structure.tokens
    habits = structure.hits_in("habit", *clause)
    if not habits:
        return False
    return not any(
        not any(h.start <= hit.start < h.end for h in habits)
        and not (category == "current_time" and tokens[hit.start].key in LENGTH_OPENERS)
        for category in HABIT_BREAKERS for hit in structure.hits_in(category, s_start, s_end))


# the first words of the habits of `history_condition` ("TEND to", "WHENEVER a procedure",
# "WHEN I see needles", "THE type who", "HABIT of"), which a time of now beside them undoes
HABIT_WORDS = frozenset({"tend", "tends", "whenever", "every", "each", "anytime", "any", "when",
                         "the", "habit", "usually", "often", "normally"})


def _habit_told_with_now(structure: TextStructure, hit: Hit, s_start: int, s_end: int) -> bool:
    """"I TEND TO pass out and I JUST did": a habit said beside a time of now or lately (any
    sign: "I tend to get fevers and I've had one since yesterday")."""
    return structure.tokens[hit.start].lower in HABIT_WORDS and any(
        structure.hits_in(category, s_start, s_end)
        for category in ("strong_current", "history_recent", "current_time"))


def _after_the_old_shot(structure: TextStructure, hit: Hit, s_start: int) -> bool:
    """"YEARS AGO at the dentist my heart pounded AFTER THE NUMBING SHOT": a shot after which
    the sign came, in a sentence dated long before, is that old shot, not today's."""
    tokens = structure.tokens
    return tokens[hit.start].key == "after" and all(
        tokens[k].key in OLD_SHOT_WORDS or tokens[k].lower in OLD_SHOT_WORDS
        for k in range(hit.start + 1, hit.end)) and any(
        h.end <= hit.start for h in structure.hits_in("history_before", s_start, hit.start)
    ) and not _now_told_elsewhere(structure, hit)


# what tells of now anywhere else in the message ("..., NOW it's closing", "... and she JUST
# had one")
NOW_ELSEWHERE = ("strong_current", "current_time", "back_again", "back_again_strong",
                 "up_to_now", "anaphoric_report", "now_yes", "present_now", "injection_behind")


def _now_told_elsewhere(structure: TextStructure, old: Hit) -> bool:
    """Outside the old shot's own words, a cue of now or of an injection had that no negation
    just before denies ("I've had NO trouble SINCE"), or "just"."""
    starts = structure.per_message("now_told", lambda: _now_cue_starts(structure))
    inside = bisect_left(starts, old.end) - bisect_left(starts, old.start)
    return len(starts) > inside or any(t.key == "just" for t in structure.tokens)


def _now_cue_starts(structure: TextStructure) -> list[int]:
    """Where the message's undenied cues of now (NOW_ELSEWHERE) start, sorted (once per
    message)."""
    tokens = structure.tokens
    return sorted(h.start for category in NOW_ELSEWHERE for h in structure.hits(category)
                  if not any(tokens[k].key in NEGATION_KEYS
                             for k in range(max(0, h.start - 4), h.start)))


# "after THE NUMBING SHOT", "after THAT injection"
OLD_SHOT_WORDS = frozenset({"the", "that", "a", "numbing", "shot", "injection", "jab", "needle",
                            "local", "anaesthetic", "anesthetic", "dental"})


def _inside_recovery(structure: TextStructure, hit: Hit) -> bool:
    """A "now" that belongs to a recovery told ("I'm fully BETTER NOW", "fine now", "is doing
    well NOW", right after it) brings nothing back."""
    return any(r.start <= hit.start and hit.end <= r.end + 1
               for category in ("resolved", "wellbeing") for r in structure.hits(category))


# what tells of now or of the last days (a trait is not read beside them)
NOW_CUES = ("strong_current", "current_time", "history_recent", "back_again",
            "back_again_strong", "injection_behind", "up_to_now")
# what says the injection is still to come
AHEAD_CUES = ("injection_asked_for", "injection_ahead", "appointment_to_come")


def _cut_off(structure: TextStructure, hit: Hit, start: int) -> bool:
    """A "but / however" between the hit and the sign: "neck pain for years, NOTHING NEW, BUT now
    the site is red" - the long story ends before the sign."""
    lo, hi = (hit.end, start) if hit.end <= start else (start, hit.start)
    return any(lo <= t.start and t.end <= hi for t in structure.hits("termination"))


def _trait_before_the_injection_ahead(structure: TextStructure, clause: tuple[int, int],
                                      s_start: int, s_end: int, emergency: bool,
                                      sign: tuple[int, int]) -> bool:
    """A trait, before an injection that is still to come: the message asks for the injection
    or says it is ahead (AHEAD_CUES: "CAN HE STILL GET trigger point shots?", "is it safe FOR ME
    TO HAVE them?", "not booked yet"), the sign's part of the sentence says how often or how
    long it comes, in the sign's clause (`trait_times`, `habitual`, `long_standing`: "his heart
    skips SOMETIMES", "breathless ON HILLS, NOTHING NEW"), and nothing anywhere tells of an
    injection had, nor the sign's sentence of now or the last days (NOW_CUES; but the "still"
    of "can he STILL get them" is the question's). No injection has been given, so it is no
    warning sign after one; a sign now is told without such words ("I can't breathe, can I
    still have it tomorrow?"). In a question the injection ahead may go unsaid: for a
    doctor-level sign with a firm trait (`_a_trait_in_a_question`), for an emergency sign with a
    trait bound to a circumstance of daily life or said to be lifelong
    (`_an_emergency_trait_in_a_question`)."""
    traits = [h for category in (*TRAIT_CUES, *(("habit",) if emergency else ()))
              for h in structure.hits_in(category, *clause)]
    if not traits:
        return False  # (the cheap test first: this runs for every candidate sign)
    ahead = [h for category in AHEAD_CUES for h in structure.hits(category)]
    if not ahead and not (
            _an_emergency_trait_in_a_question(structure, traits, clause, sign)
            if emergency else _a_trait_in_a_question(structure, clause, s_start, s_end)):
        return False

    def asked(hit: Hit) -> bool:
        return any(a.start <= hit.start and hit.end <= a.end for a in ahead) or (
            _is_still_of_a_question(structure, hit))

    if any(not asked(h) for h in structure.hits("injection_behind")):
        return False
    return not any(not asked(h) for category in NOW_CUES
                   for h in structure.hits_in(category, s_start, s_end))


# what ties a sign to the injection's place ("THE SITE itches all the time")
SITE_WORDS = frozenset({"site", "spot", "spots", "area", "injection", "injections", "shot",
                        "shots", "jab", "jabs", "needle", "plaster", "bandage", "dressing",
                        "where", "tpi", "tpis"})


# the traits that say "long before now" on their own ("ALWAYS", "ANYWAY", "FOR YEARS"), unlike
# "sometimes", "all the time" or "whenever I walk", which may tell the days since the injection
# (nor "usually": "the numbness USUALLY goes away in an hour" is its course)
FIRM_TRAITS = frozenset({"anyway", "anyways", "for years", "for ages", "since childhood",
                         "all my life", "my whole life", "nothing new", "as always",
                         "like always", "every winter", "in winter", "in the winter", "easily",
                         "always"})


def _still_of_a_question(structure: TextStructure, k: int) -> bool:
    """The "still" at `k` of "CAN I STILL walk the dog?" asks whether a plan holds; it tells no
    sign of now."""
    tokens = structure.tokens
    return (tokens[k].key == "still" and k >= 2
            and tokens[k - 1].key in ASKING_SUBJECTS and tokens[k - 2].key in QUESTION_MODALS
            and structure.is_question(k))


def _is_still_of_a_question(structure: TextStructure, hit: Hit) -> bool:
    """A cue that is only that "still"."""
    return hit.end - hit.start == 1 and _still_of_a_question(structure, hit.start)


def _asks_something(structure: TextStructure) -> bool:
    return any(structure.is_question(k) for k, _ in structure.sentences)


# the subjects of "can I still ...?"
ASKING_SUBJECTS = frozenset({"i", "we", "he", "she", "they", "you"})
TRAIT_CUES = ("trait_times", "habitual", "long_standing")
# the traits that make an emergency sign no report in a question without an injection said to be
# ahead: lifelong ("ALWAYS", "ANYWAY", "FOR YEARS", "LIKE ANYONE WOULD", "IN WINTER"), needles
# and the dentist ("AT ANY NEEDLE", "AT THE DENTIST"), the writer's own omission ("IF I MISS
# them"), "EASILY" (not after a denied sign). Never an activity ("when I CLIMB the stairs I
# can't get enough air", "ON HILLS"), a mood, or "sometimes" / "whenever", which may tell the
# days since the injection or a sign that comes now.
EMERGENCY_TRAIT_WORDS = frozenset({"always", "anyway", "anyways", "years", "ages", "childhood",
                                   "life", "winter", "like", "needle", "needles", "dentist",
                                   "dentists", "easily", "miss", "skip", "forget", "flu", "covid",
                                   "tetanus", "booster", "vaccine", "vaccines", "dental",
                                   "dentist's"})
REPORT_CUES = ("persistence", "worsening", "anaphoric_report", "dating_follow_up")


def _told_going_on(structure: TextStructure) -> bool:
    """Something in the message goes on, gets worse or dates a follow-up (REPORT_CUES), but for
    the "still" of "can I still ...?"."""
    return any(not _is_still_of_a_question(structure, h)
               for category in REPORT_CUES for h in structure.hits(category))


def _an_emergency_trait_in_a_question(structure: TextStructure, traits: list[Hit],
                                      clause: tuple[int, int], sign: tuple[int, int]) -> bool:
    """Without an injection said to be ahead, an emergency sign is a trait in a message that
    asks something when its clause calls it lifelong or binds it to needles or the writer's own
    omission (EMERGENCY_TRAIT_WORDS: "I get short of breath on planes ANYWAY", "my heart pounds
    AT ANY NEEDLE", "I'm ALWAYS out of breath chasing her", "break out in hives EASILY", "IF I
    MISS them my heart races", "breathless on the hills LIKE ANYONE WOULD"), it is the message's
    only sign, nothing outside its clause gives a time, a number or a "why", the clause names
    neither the injection nor its place, nothing in the message goes on, gets worse or dates a
    follow-up, and the caller finds no injection had and no time of now. Not "easily" after a
    denied sign ("I can't breathe EASILY")."""
    tokens = structure.tokens
    kept = []
    for hit in traits:
        if not any(tokens[k].lower in EMERGENCY_TRAIT_WORDS for k in range(hit.start, hit.end)):
            continue
        if tokens[hit.start].lower == "easily" and any(
                tokens[k].key in NEGATION_KEYS for k in range(max(0, sign[0] - 2), sign[1])):
            continue
        kept.append(hit)
    if not kept or not _asks_something(structure):
        return False
    # the trait is the message's only sign, and nothing asks why a sign comes or when: "I get
    # winded on stairs anyway, is it normal to be WINDED just sitting here?", "my heart pounds
    # at any needle, WHY is it pounding HOURS later?"
    told = structure.words.get("asked_times", frozenset())
    if any((k in structure.occupied or tokens[k].key == "why" or tokens[k].key in told
            or tokens[k].lower in told or any(ch.isdigit() for ch in tokens[k].lower))
           and not clause[0] <= k < clause[1]
           and not _still_of_a_question(structure, k) for k in range(len(tokens))):
        return False
    if any((tokens[k].key in SITE_WORDS or tokens[k].lower in SITE_WORDS)
           and not any(h.start <= k < h.end for h in kept) for k in range(*clause)):
        return False
    return not _told_going_on(structure)


def _a_trait_in_a_question(structure: TextStructure, clause: tuple[int, int], s_start: int,
                           s_end: int) -> bool:
    """Without an injection ahead, a doctor-level trait counts in a message that asks something
    and whose sign's sentence names neither the injection nor its place ("I have eczema and
    itch ALL THE TIME anyway, can the injection cause itching?"; not "THE SITE itches all the
    time, is that normal?"), and nothing goes on, gets worse or is told after ("keeps", "worse",
    "it's been 10 hrs")."""
    tokens = structure.tokens
    firm = any(" ".join(tokens[k].lower for k in range(h.start, h.end)) in FIRM_TRAITS
               for h in structure.hits_in("trait_times", clause[0], s_end)) or bool(
        structure.hits_in("long_standing", *clause))
    return firm and _asks_something(structure) and not any(
        tokens[k].key in SITE_WORDS or tokens[k].lower in SITE_WORDS
        for k in range(s_start, s_end)) and not _told_going_on(structure)


def _before_the_injection_ahead(structure: TextStructure, s_start: int, s_end: int) -> bool:
    """The message says the first injection is still ahead and tells of none had (context_cues.yml
    `injection_ahead`, `injection_behind`), and the sign's sentence is in the past (a
    `history_recent` cue: "had", "last week"): it came before the injection. The present-tense
    and "now" checks of the caller still apply ("my injection is Friday but I can't breathe")."""
    ahead = structure.hits("injection_ahead")
    if not ahead and structure.hits("appointment_to_come") and structure.per_sentence(
            "explicit_past", s_start, lambda lo, hi: _explicit_past(structure, lo, hi)):
        ahead = structure.hits("appointment_to_come")
    behind = [h for h in structure.hits("injection_behind")  # ("haven't HAD THE SHOTS yet")
              if not any(a.start <= h.start and h.end <= a.end for a in ahead)]
    return (bool(ahead) and not behind
            and bool(structure.hits_in("history_recent", s_start, s_end)))


PAST_PERIODS = frozenset({"week", "weekend", "month", "year"})


def _explicit_past(structure: TextStructure, s_start: int, s_end: int) -> bool:
    """The sentence gives a past time: "two weeks AGO", "LAST WEEK", "EARLIER THIS MONTH"."""
    keys = [structure.tokens[k].key for k in range(s_start, s_end)]
    pairs = set(zip(keys, keys[1:], strict=False))
    return "ago" in keys or any(("last", p) in pairs or (("this", p) in pairs and "earlier" in keys)
                                for p in PAST_PERIODS)


def _circumstance_long_ago(structure: TextStructure, hit: Hit) -> bool:
    """What was going on when it happened: "I FAINTED GETTING blood drawn" (not "passed out
    getting up from the chair THIS MORNING, it happened as a teenager too", nor "blacked out
    having a shower an hour AFTER the trigger points")."""
    tokens = structure.tokens
    if hit.start == 0 or tokens[hit.start].lower not in ("getting", "having"):
        return False
    verb = hit.start - 1
    if verb > 0 and tokens[verb].lower in ("once", "twice"):
        verb -= 1  # "fainted ONCE getting bloodwork"
    if verb > 0 and tokens[verb].lower in ("out", "over", "down"):
        verb -= 1  # "PASSED OUT getting my ears pierced"
    if not (tokens[verb].lower.endswith("ed") or tokens[verb].lower in IRREGULAR_PAST):
        return False
    s_start, s_end = structure.sentence_range(hit.start)
    return not any(structure.hits_in(category, s_start, s_end)
                   for category in ("current_time", "back_again")) and not any(
        tokens[k].key in ("after", "since") for k in range(s_start, s_end))


def _perfect_alone(structure: TextStructure, hit: Hit) -> bool:
    """"have/has had", "have fainted" (the perfect) in a sentence that tells nothing of now
    besides: not "I have had chest pain in the past, but it's crushing RIGHT NOW", "... he's had
    two SINCE his injections"."""
    tokens = structure.tokens
    if tokens[hit.start].lower not in ("have", "has", "'ve") or not any(
            _participle(tokens[k].lower) for k in range(hit.end, min(hit.end + 2, len(tokens)))):
        return False
    s_start, s_end = structure.sentence_range(hit.start)
    own = range(hit.start, hit.end + 2)  # the perfect's own words ("have had")
    return not any(other.start not in own and not (
                       structure.is_question(other.start)
                       and tokens[other.start].lower in QUESTION_MODALS)  # "... CAN she still?"
                   for category in ("current_time", "back_again", "history_recent",
                                    "present_tense", "present_now")
                   for other in structure.hits_in(category, s_start, s_end))


def _participle(word: str) -> bool:
    """"had", "been", ... or a regular one ("I have FAINTED at blood tests before")."""
    return word in PERFECT_PARTICIPLES or (len(word) > 4 and word.endswith("ed"))


def _is_present_tense(structure: TextStructure, hit: Hit) -> bool:
    """"'s" is "is" after a pronoun or a body word ("it's", "the site's swollen"), but a
    possessive after anything else ("the DENTIST'S lidocaine", "my MUM'S speech")."""
    tokens = structure.tokens
    if _circumstance_long_ago(structure, hit):
        return False
    if _perfect_alone(structure, hit):
        return False  # "he HAS HAD allergic reactions in the past": the perfect, not now
    if tokens[hit.start].lower not in ("'s", "s") or hit.start == 0:
        return True
    before = tokens[hit.start - 1]
    body = structure.words.get("body_words", frozenset())
    return before.key in SUBJECT_KEYS or before.key in PRONOUN_IS or before.key in body


def is_history_recent(structure: TextStructure, start: int, end: int) -> bool:
    s_start, s_end = structure.sentence_range(start)
    return bool(structure.hits_in("history_recent", s_start, s_end))
