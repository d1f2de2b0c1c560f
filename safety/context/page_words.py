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

from bisect import bisect_left

from .reports import strong_current
from .structure import WORRY_WORDS, TextStructure
from .words import (
    FIRST_PERSON_KEYS,
    POSSESSIVES,
    POSSIBILITY_MODALS,
    QUOTE_MARKS,
    SAID_OF_WORDS,
)

QUOTE_REACH = 12  # words a quote may hold
# the writer reading or fearing the page, outside the quotes: "I'M NERVOUS about the '...' bit",
# "I READ '...'"
READING_OR_FEARING = WORRY_WORDS | frozenset({"read", "saw", "see", "noticed", "reading",
                                              "confused", "wondering", "curious"})
# what tells of now, inside the quotes or between the page and the sign: narrower than the cue
# file's `asked_times` on purpose, since a quote's "hours" or "days" are the page's ("swelling
# for a few DAYS")
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
    if opening is None or closing is None:
        return None
    marks = structure.per_sentence("quote_marks", start, lambda lo, hi: [
        k for k in range(lo, hi) if tokens[k].lower in QUOTE_MARKS])
    if bisect_left(marks, opening) % 2:
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
    if any(tokens[k].key in CLAUSE_JOINS and k - 1 not in structure.occupied
           for k in range(verb + 1, start)) or structure.hits_starting_in(
            "current_report", start, end):
        return False  # the sign in a clause of its own: "the leaflet says swelling is normal
        #               AND the site is swollen", "a little bleeding is ok AND IT IS soaking
        #               through" (a list of signs is the page's: "bleeding AND infection")
    if any(_personal(tokens, k) for k in range(max(s_start, verb - PAGE_REACH), verb)):
        return False  # ("MY leaflet", "MY DOCTOR's sheet")
    return _asks_and_tells_nothing_own(structure, end)


def page_speaks_before(structure: TextStructure, start: int) -> bool:
    """In the sign's sentence, a page and its verb come before the sign ("the WEBSITE SAYS
    redness is normal"): the page's claim about the sign, not a figure of speech about a
    thing."""
    speaking = structure.per_sentence("page_speaks", start,
                                      lambda lo, hi: _pages_speaking(structure, lo, hi))
    return bool(speaking) and speaking[0] < start - 1


def _pages_speaking(structure: TextStructure, lo: int, hi: int) -> list[int]:
    """Where a page and its verb stand in [lo, hi), in order."""
    pages, page_verbs = (structure.words.get("page_words", frozenset()),
                         structure.words.get("page_verbs", frozenset()))
    tokens = structure.tokens
    return [k for k in range(lo, hi - 1) if (tokens[k].key in pages or tokens[k].lower in pages)
            and tokens[k + 1].lower in page_verbs]


def _personal(tokens, k: int) -> bool:  # noqa: ANN001
    key = tokens[k].key
    return key in FIRST_PERSON_KEYS or key in OWNERS or key in ("he", "she", "they", "we")


def _own_in_its_sentence(structure: TextStructure, s_start: int, s_end: int,
                         quote: range) -> bool:
    """Outside the quotes, the sentence names the writer or someone other than as reading or
    fearing the page ("I'M NERVOUS about", "I READ"), or dates something to now."""
    dated, people = structure.per_sentence("page_sentence_own", s_start,
                                           lambda lo, hi: _sentence_own(structure, lo, hi))
    return dated or bisect_left(people, quote.start) > 0 or (
        bisect_left(people, quote.stop) < len(people))


def _sentence_own(structure: TextStructure, lo: int, hi: int) -> tuple[bool, list[int]]:
    """(the sentence dates something or names someone else; where it names the writer or
    someone other than as reading or fearing the page), once per sentence."""
    tokens = structure.tokens
    people = []
    for k in range(lo, hi):
        if not _personal(tokens, k):
            continue
        following = {tokens[j].key for j in range(k + 1, min(k + 3, hi))} | {
            tokens[j].lower for j in range(k + 1, min(k + 3, hi))}
        if not following & READING_OR_FEARING:
            people.append(k)
    dated = any(structure.hits_in(category, lo, hi)
                for category in ("current_time", "history_recent", "other_person"))
    return dated, people


def _asks_and_tells_nothing_own(structure: TextStructure, after: int) -> bool:
    """The message asks something, and nothing after `after` tells the writer's own or
    compares it with the page's words: no first person or "my" ("is a sharp pain when I
    breathe in chest pain?"; "give ME examples" asks the assistant); no report of any subject
    after the page's own clause ("IT'S buzzing", "THEY'RE on my chest", "THERE'S one") but one
    that judges the page ("that's so vague") or follows a modal ("what WOULD that feel like?");
    no "count" or "the same" ("does tight COUNT?", "is buzzing THE SAME?"); nothing someone's
    or of now (OWN_TOLD). The evidence is gathered once per message (`_own_evidence`)."""
    asks, own, reports = structure.per_message("page_own_evidence",
                                               lambda: _own_evidence(structure))
    if not asks or structure.reported_after(after):
        return False
    # (a report cue in the page's own clause is the page's: "the leaflet says bleeding and
    # infection at the site ARE uncommon"; not "... AND THE ARM IS huge")
    return bisect_left(own, after) == len(own) and (
        bisect_left(reports, _clause_end(structure, after)) == len(reports))


def _own_evidence(structure: TextStructure) -> tuple[bool, list[int], list[int]]:
    """(the message asks something; where something tells the own or of now, sorted; where a
    report cue starts that neither judges the page nor follows a modal, sorted)."""
    tokens = structure.tokens
    asks = any(structure.is_question(a) for a, _ in structure.sentences if a < len(tokens))
    own = [k for k in range(len(tokens))
           if (_personal(tokens, k) and tokens[k].key != "me") or tokens[k].key in OWN_COMPARED
           or (tokens[k].key == "there" and k + 1 < len(tokens) and tokens[k + 1].key == "be")]
    own += [h.start for category in OWN_TOLD for h in structure.hits(category)]
    own += [h.start for h in structure.hits("strong_current")
            if strong_current(structure, (h.start, h.end))]
    reports = [h.start for h in structure.hits("current_report")
               if not _judges_the_page(tokens, h.end) and not _asked_to_come(tokens, h.start)]
    return asks, sorted(own), sorted(reports)


def _clause_end(structure: TextStructure, after: int) -> int:
    """Where the clause that holds the page's words ends: the first join after `after` that
    does not continue a list of signs ("bleeding AND infection"), or the sentence's end."""
    tokens = structure.tokens
    s_end = structure.sentence_range(after - 1)[1]
    return next((k for k in range(after, s_end) if tokens[k].key in CLAUSE_JOINS
                 and not (k - 1 in structure.occupied and k + 1 in structure.occupied)), s_end)


MODALS = POSSIBILITY_MODALS | {"should"}
# what joins a clause of the writer's own to the page's
CLAUSE_JOINS = frozenset({"and", "but", ",", ";", "-", "–", "—", "though", "although", "yet"})


def _asked_to_come(tokens, index: int) -> bool:  # noqa: ANN001
    """A report cue right after a modal asks what would be: "what WOULD that feel like?"."""
    return any(tokens[k].key in MODALS or tokens[k].lower in MODALS
               for k in range(max(0, index - 2), index))


# what compares the writer's own with the page's words: "does tight COUNT?", "is it THE SAME?"
OWN_COMPARED = frozenset({"count", "counts", "counted", "same", "similar", "this", "these",
                          "mine", "feels", "feeling"})  # (not "what would that FEEL like")
# what judges the page's words: "that's SO VAGUE", "it's UNCLEAR"
INTENSIFIERS = frozenset({"so", "very", "a", "bit", "pretty", "quite", "really", "too"})
PAGE_JUDGEMENTS = SAID_OF_WORDS | INTENSIFIERS


def _judges_the_page(tokens, index: int) -> bool:  # noqa: ANN001
    words = [t.lower for t in tokens[index:index + 3] if not t.is_punct]
    return bool(words) and all(w in PAGE_JUDGEMENTS for w in words[:2]) and any(
        w in SAID_OF_WORDS for w in words)
