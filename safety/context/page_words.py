"""The clinic page's own words, quoted or retold (policy rule 10): a sign the writer reads out of
the leaflet is the page's, not a report.

  quoted_from_the_page   'the sheet puts "REDNESS OR WARMTH" under when to call - does a pink
                         edge count as that?', '"any NEW SYMPTOMS" is vague, what sort of
                         thing?': the sign inside quotation marks that hold only the page's
                         wording
  what_the_page_says     "the website says NERVE DAMAGE is rare, how rare?", "the leaflet
                         calls BLEEDING 'unusual' - 1 in 100?": a page as the subject of
                         "says / lists / calls" before the sign

Both are read only in a language whose cue file lists `page_words` and `page_verbs`
(English), and only in a message that asks something and tells nothing of the writer's own
after the sign (`_asks_and_tells_nothing_own`: "... I've had all three since Monday", "... does
tight count? it feels tight" escalate). Inside the quotes and between the page and the sign
nobody is named and nothing is dated ('my arm is "numb" NOW' is the writer's).
"""

from __future__ import annotations

from .reports import strong_current
from .structure import WORRY_WORDS, TextStructure
from .words import FIRST_PERSON_KEYS, POSSESSIVES

QUOTE_MARKS = frozenset({"'", '"', "‘", "’", "“", "”"})
QUOTE_REACH = 12  # words a quote may hold
# the writer reading or fearing the page, outside the quotes: "I'M NERVOUS about the '...' bit",
# "I READ '...'"
READING_OR_FEARING = WORRY_WORDS | frozenset({"read", "saw", "see", "noticed", "reading",
                                              "confused", "wondering", "curious"})
# what tells of now or of someone, inside the quotes or between the page and the sign
NOW_WORDS = frozenset({"now", "today", "tonight", "still", "since", "yesterday", "currently",
                       "rn", "already"})
# what tells, after the sign, the writer's own or someone's: any of these cue categories
OWN_TOLD = ("current_time", "history_recent", "persistence", "other_person",
            "dating_follow_up")
PAGE_REACH = 12  # words between the page's verb and the sign
OWNERS = POSSESSIVES - {"your", "its"}  # ("does it spread up YOUR arm" is anyone's)


def quoted_from_the_page(structure: TextStructure, start: int, end: int) -> bool:
    if not structure.words.get("page_words"):
        return False
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    if (quotes := quotes_around(structure, start, end, QUOTE_REACH)) is None:
        return False
    opening, closing = quotes
    if any(_personal(tokens, k) or tokens[k].key in NOW_WORDS
           for k in range(opening + 1, closing)):
        return False  # 'is it "MY arm is numb"' quotes the writer
    if _own_in_its_sentence(structure, s_start, s_end, range(opening, closing + 1)):
        return False
    return _asks_and_tells_nothing_own(structure, closing)


def quotes_around(structure: TextStructure, start: int, end: int,
                  reach: int) -> tuple[int, int] | None:
    """The quotation marks that open before the sign and close after it in its sentence, at most
    `reach` words away (the mark before must open a quote: not '"my arm" is red, "normal"?')."""
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    opening = next((k for k in range(start - 1, max(s_start, start - reach) - 1, -1)
                    if tokens[k].lower in QUOTE_MARKS), None)
    closing = next((k for k in range(end, min(s_end, end + reach))
                    if tokens[k].lower in QUOTE_MARKS), None)
    if opening is None or closing is None or sum(
            tokens[k].lower in QUOTE_MARKS for k in range(s_start, opening)) % 2:
        return None
    return opening, closing


def what_the_page_says(structure: TextStructure, start: int, end: int) -> bool:
    pages, page_verbs = (structure.words.get("page_words", frozenset()),
                         structure.words.get("page_verbs", frozenset()))
    if not pages or not page_verbs:
        return False
    tokens = structure.tokens
    s_start, s_end = structure.sentence_range(start)
    verb = next((k for k in range(start - 1, max(s_start, start - PAGE_REACH) - 1, -1)
                 if tokens[k].lower in page_verbs), None)
    if verb is None or verb == s_start or not (
            tokens[verb - 1].key in pages or tokens[verb - 1].lower in pages):
        return False  # "the LEAFLET SAYS", not "my wife says"
    if any(_personal(tokens, k) or tokens[k].key in NOW_WORDS for k in range(verb + 1, start)):
        return False  # "the leaflet says call if MY arm ..."
    if any(_personal(tokens, k) for k in range(s_start, verb)):
        return False  # ("MY leaflet", "MY DOCTOR's sheet")
    return _asks_and_tells_nothing_own(structure, end)


def _personal(tokens, k: int) -> bool:  # noqa: ANN001
    key = tokens[k].key
    return key in FIRST_PERSON_KEYS or key in OWNERS or key in ("he", "she", "they", "we")


def _own_in_its_sentence(structure: TextStructure, s_start: int, s_end: int,
                         quote: range) -> bool:
    """Outside the quotes, the sentence names the writer or someone other than as reading or
    fearing the page ("I'M NERVOUS about", "I READ"), or dates something to now."""
    tokens = structure.tokens
    for k in range(s_start, s_end):
        if k in quote or not _personal(tokens, k):
            continue
        following = {tokens[j].key for j in range(k + 1, min(k + 3, s_end))} | {
            tokens[j].lower for j in range(k + 1, min(k + 3, s_end))}
        if not following & READING_OR_FEARING:
            return True
    return any(structure.hits_in(category, s_start, s_end)
               for category in ("current_time", "history_recent", "other_person"))


def _asks_and_tells_nothing_own(structure: TextStructure, after: int) -> bool:
    """The message asks something, and nothing after `after` tells the writer's own or
    compares it with the page's words: no first person or "my" ("is a sharp pain when I
    breathe in chest pain?"), no report of any subject ("IT'S buzzing", "THEY'RE on my chest",
    "THERE'S one") but one that judges the page ("that's so vague"), no "count" or "the same"
    ("does tight COUNT?", "is buzzing THE SAME?"), nothing someone's or of now (OWN_TOLD)."""
    tokens = structure.tokens
    if not any(structure.is_question(a) for a, _ in structure.sentences if a < len(tokens)):
        return False
    rest = range(after, len(tokens))
    if structure.reported_after(after) or strong_current(structure, (after, len(tokens))) or any(
            structure.hits_in(category, after, len(tokens)) for category in OWN_TOLD):
        return False
    if any(_personal(tokens, k) or tokens[k].key in OWN_COMPARED or (
            tokens[k].key == "there" and k + 1 < len(tokens) and tokens[k + 1].key == "be")
           for k in rest):
        return False
    return not any(not _judges_the_page(tokens, h.end)
                   for h in structure.hits_in("current_report", after, len(tokens)))


# what compares the writer's own with the page's words: "does tight COUNT?", "is it THE SAME?"
OWN_COMPARED = frozenset({"count", "counts", "counted", "same", "similar", "this", "these",
                          "mine", "feel", "feels", "feeling"})
# what judges the page's words: "that's SO VAGUE", "it's UNCLEAR"
PAGE_JUDGEMENTS = frozenset({"vague", "unclear", "confusing", "broad", "general", "wide",
                             "subjective", "ambiguous", "so", "very", "a", "bit", "pretty",
                             "quite", "really", "too"})


def _judges_the_page(tokens, index: int) -> bool:  # noqa: ANN001
    words = [t.lower for t in tokens[index:index + 3] if not t.is_punct]
    return bool(words) and all(w in PAGE_JUDGEMENTS for w in words[:2]) and any(
        w in PAGE_JUDGEMENTS - {"so", "very", "a", "bit", "pretty", "quite", "really", "too"}
        for w in words)
