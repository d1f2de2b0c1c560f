"""Hearsay (policy rule 10): a story someone told about somebody else's injection, retold to ask
whether it could happen, is a question about a risk, not a report.

  "a lady in the waiting room TOLD ME her friend went numb down one leg for months. HOW TRUE is
  that likely to be?"    "someone online SAID they got a metallic taste after theirs. IS THAT A
  KNOWN THING?"

All of these must hold, so that a relative relaying their own symptoms still escalates ("my mum
says she can't breathe", "my husband said his arm went numb this morning, how common is that?"):

- (the same in Spanish, with context_cues_es.yml's lists: "una señora CONTÓ que se desmayó en
  la consulta, ¿eso pasa mucho?")
- the story is second-hand or from the internet: between the source and the sign stands
  someone else than the teller ("told me HER FRIEND went numb", "swears A FRIEND OF HERS had
  ..."), or an ONLINE word stands before the sign ("someone on REDDIT said they got ..."), or
  the teller is someone from outside the writer's care (`outside_tellers`: "a GUY AT MY GYM
  told me he bled loads", "my COWORKER said swallowing felt weird"). A relative who relays
  their own symptom ("my uncle said he couldn't breathe", "the lady I look after said her face
  swelled up") may be the patient the writer speaks for, so it escalates;
- a `hearsay_source` cue ("said", "told me", "heard", "read", "on reddit") stands before the sign
  in its sentence, and no first-person word between them ("she told me MY arm looked red");
- from the cue to the end of the sign's clause nothing is in the present (no "is", "can't",
  "still", "keeps", nor the cue files' `present_tense` and `present_now`: "dice que no PUEDE
  respirar"; unless people in general tell or are told of, `GENERIC_PEOPLE`: "said numbness can
  last a whole day in some PEOPLE"), and nothing after the cue in the whole message is dated to
  now (no `current_time` cue such as "today", "now", "yesterday", "since": "... she is in the
  ER now"; a length of time, "for days", "all night", dates nothing: "it made her chest hurt
  for days");
- the message asks whether it is true, how often it happens or whether it could happen to the
  writer (`hearsay_question`: "could that happen to me?", "how often", "is that a known thing?",
  "does it really happen?"), not only whether it is normal or what to do. A story from the
  internet or from an outside teller may also be asked about as normal or a thing
  (`hearsay_question_outside`: "is that normal or a bad sign?", "can botox do that?"): no
  relative is relaying a symptom there.
"""

from __future__ import annotations

from .structure import TextStructure
from .words import PLANNED_WORDS

# Written forms that put the retold event in the present: a relative's symptom relayed now.
PRESENT_FORMS = frozenset({
    "is", "are", "am", "'s", "'re", "'m", "isn't", "aren't", "isnt", "arent", "can", "can't",
    "cant", "cannot", "keeps", "keep", "keeping", "still", "now", "currently", "has", "have",
    "'ve", "hasn't", "haven't", "does", "do", "doesn't", "don't", "won't", "will", "feels",
    "looks", "seems", "hurts", "says", "getting", "going", "gonna", "happening",
    "ca", "wo",  # "can't" and "won't" as the tokenizer splits them ("ca" + "n't")
})


# People in general (plural: "someone" can be one person whose symptom is relayed now).
GENERIC_PEOPLE = frozenset({"people", "people's", "patients", "others", "everyone", "everybody",
                            "gente", "personas", "pacientes", "todos", "todas"})


def is_hearsay(structure: TextStructure, start: int, end: int) -> bool:
    """The sign at [start, end) belongs to a story retold from someone else, in the past, in a
    message that asks whether it is true or could happen (see the module's docstring)."""
    tokens = structure.tokens
    s_start, _ = structure.sentence_range(start)
    sources = [h for h in structure.hits_in("hearsay_source", s_start, start) if h.end <= start
               and not _someone_else_watched(structure, h, s_start)]
    if not sources:
        return False
    source = max(sources, key=lambda h: h.end)
    # someone else than the teller between the source and the sign (context_cues.yml's
    # `unnamed_people` and `acquaintances`), an `online_sources` word before the sign, or an
    # outside teller before the first source
    online = structure.words.get("online_sources", frozenset())
    others = (structure.words.get("unnamed_people", frozenset())
              | structure.words.get("acquaintances", frozenset()))
    outside = structure.words.get("outside_tellers", frozenset())
    first_source = min(h.start for h in sources)
    tellers = [k for k in range(s_start, first_source) if _outside_teller(tokens, k, outside)
               and not any(tokens[j].lower in ("i", "i've", "i'd", "yo")
                           for j in range(k + 1, first_source))]  # "a friend I DROVE home said"
    online_hit = any(tokens[k].lower in online for k in range(s_start, start))
    from_outside = online_hit or bool(tellers)
    # "MY friend", "MI amiga", "my coworker": may be the patient the writer speaks for; only a
    # question about the risk (not "is that normal?") makes their story hearsay. Nobody in
    # particular ("A guy at my gym", "SOMEONE", "reviews") may be asked about as normal too.
    loose_outside = online_hit or any(_nobody_in_particular(tokens, k, first_source)
                                      for k in tellers)
    if not from_outside and not any(tokens[k].lower in others or tokens[k].key in others
                                    for k in range(source.end, start)):
        return False
    first_person = structure.first_person
    if any(tokens[k].lower in first_person or tokens[k].key in first_person
           for k in range(source.end, start)):
        return False
    clause_start, clause_end = structure.local_range(start, end)
    region = range(source.end, max(clause_end, end))
    # people in general ("said numbness can last a day IN SOME PEOPLE", "PEOPLE get a metallic
    # taste"): their present is no one's symptom now
    generic = any(tokens[k].lower in GENERIC_PEOPLE
                  for k in (*range(s_start, first_source),  # "PEOPLE in my group say ..."
                            *range(max(source.end, clause_start), max(clause_end, end))))
    if not generic and any(tokens[k].lower in PRESENT_FORMS and not _gerund_of(tokens, k, others)
                           and not _possessive(tokens, k) for k in region):
        return False
    if not generic and any(not _possessive(tokens, hit.start)
                           for category in ("present_tense", "present_now")
                           for hit in structure.hits_in(category, region.start, region.stop)):
        return False  # the cue files' present forms (Spanish: "dice que no PUEDE respirar")
    if any(not _a_length_of_time(structure, hit)
           for hit in structure.hits_in("current_time", source.start, len(tokens))):
        return False
    _, s_end = structure.sentence_range(start)
    if any(not _a_plan(tokens, hit) for hit in structure.hits_in("current_report", s_end,
                                                                  len(tokens))):
        return False  # "... how common is that? I'M covered in them" (not "I'M SUPPOSED to
        #               get mine next Monday")
    return bool(structure.hits("hearsay_question")
                or (loose_outside and structure.hits("hearsay_question_outside")))


def _a_plan(tokens, hit) -> bool:  # noqa: ANN001
    """The writer's own injections still to come, after the story ("I'M SUPPOSED TO get mine
    next Monday", "I'm BOOKED for Friday")."""
    return any(tokens[k].lower in PLANNED_WORDS
               for k in range(max(0, hit.start - 4), min(hit.end + 2, len(tokens))))


# Tellers outside only when nobody in particular: "A LADY at church told me" (but "THE LADY I
# look after said her face swelled up" may be the patient the writer writes for).
INDEFINITE_ONLY = frozenset({"lady", "woman", "guy", "man", "person", "señora", "senora",
                             "señor", "senor", "muchacha", "muchacho", "chava", "chavo",
                             "mujer", "hombre", "chica", "chico"})
INDEFINITE = frozenset({"a", "an", "one", "some", "this"})  # Spanish "un/una" have the key "an"


# Tellers that are no one the writer may be writing for: unnamed, or a source that is no person.
UNNAMED_TELLERS = frozenset({"someone", "somebody", "people", "reviews", "review", "thread",
                             "post", "posts", "comments", "alguien", "gente", "comentarios",
                             "reseñas", "publicación", "foro", "video", "página"})


# a relative clause after the teller: someone the writer knows ("a friend WHO I drove home")
KNOWN_BY_THE_WRITER = frozenset({"que", "q", "who", "whom", "that", "i", "yo", "mine", "of"})


def _nobody_in_particular(tokens, index: int, source: int) -> bool:
    """"A guy", "SOMEONE", "una señora", "reviews" (not "MY friend", "mi vecina", nor someone
    the writer knows: "una amiga QUE llevé a su cita dijo", "a friend WHO I drove home said")."""
    if any(tokens[k].lower in KNOWN_BY_THE_WRITER for k in range(index + 1, source)):
        return False
    before = tokens[index - 1] if index > 0 else None
    return tokens[index].lower in UNNAMED_TELLERS or (
        before is not None and (before.lower in INDEFINITE or before.key in INDEFINITE))




def _outside_teller(tokens, index: int, outside: frozenset[str]) -> bool:
    token = tokens[index]
    if token.lower not in outside and token.key not in outside:
        return False
    before = tokens[index - 1] if index > 0 else None
    return token.lower not in INDEFINITE_ONLY or (
        before is not None and (before.lower in INDEFINITE or before.key in INDEFINITE))


SCREEN_VERBS = frozenset({"watched", "saw", "seen", "watching", "watch"})
THIRD_PERSONS = frozenset({"he", "she", "they", "his", "her", "their", "him", "them"})


def _someone_else_watched(structure: TextStructure, hit, s_start: int) -> bool:
    """"MY MOM watched the news after her shot and her speech went slurred": the story on the
    screen is no source when someone else than the writer watched it (their own symptom)."""
    tokens = structure.tokens
    if tokens[hit.start].lower not in SCREEN_VERBS:
        return False
    return bool(structure.hits_in("other_person", s_start, hit.start + 1)) or any(
        tokens[k].lower in THIRD_PERSONS for k in range(s_start, hit.start))


# "'s" is "is" after these ("she's", "it's"); after a noun it is a possessive ("a GUY'S throat")
IS_AFTER = frozenset({"he", "she", "it", "that", "this", "there", "what", "who", "where", "here",
                      "everything", "nothing", "something", "one"})


def _possessive(tokens, index: int) -> bool:
    return tokens[index].lower == "'s" and index > 0 and tokens[index - 1].lower not in IS_AFTER


def _a_length_of_time(structure: TextStructure, hit) -> bool:
    """"for days", "all night": how long the story lasted, not when."""
    return structure.tokens[hit.start].lower in ("for", "all")


def _gerund_of(tokens, index: int, others: frozenset[str]) -> bool:
    """"stories about PEOPLE GETTING infections": an "-ing" form right after someone unnamed
    tells of them, it does not put the story in the present."""
    return (index > 0 and tokens[index].lower.endswith("ing")
            and (tokens[index - 1].lower in others or tokens[index - 1].key in others))
