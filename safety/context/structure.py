"""The shape of one message that every context rule reads: its sentences, its clauses, where each
context cue (context_cues.yml) stands, who is speaking, and which sentences are questions.

Built once per message (TextStructure), then asked in (near) constant time per finding, also on
10,000-character messages.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from .. import durations
from ..match import Hit
from ..normalise import NormToken
from .words import (
    BECAUSE_WORDS,
    CONDITION_WORDS,
    LOCAL_SPLITTERS,
    NEGATION_KEYS,
    PLAIN_IF_KEYS,
    PLANNED_WORDS,
    POSSESSIVES,
    POSSIBILITY_MODALS,
    QUESTION_LEAD_INS,
    UNNAMED_QUANTIFIERS,
    WH_WORDS,
)

T = TypeVar("T")  # what a per-sentence reading gives

# A question without "?" in inverted word order (rules 5 and 10): an auxiliary or modal at the
# start of the sentence followed by its subject ("can both lungs collapse from it", "is a fever
# after the shot a reason to call"). Not "can't breathe", "could barely swallow", "is swollen"
# (a dropped subject), "have a rash", "was dizzy".
INVERSION_AUXILIARIES = frozenset({"is", "are", "can", "could", "will", "would", "should",
                                   "might", "may", "shall", "do", "does"})
WH_AUXILIARIES = frozenset({"is", "are", "'s", "s", "do", "does", "can", "could", "will",
                            "would", "should", "might", "may", "was", "were"})
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
NEGATION_AFTER_DO = frozenset({"not", "n't", "nt"})  # "do not ..." is an instruction
OWN_OR_DATED = frozenset({"i", "i'm", "im", "i've", "ive", "my", "me", "mine", "myself", "we",
                          "our", "us", "after", "since", "now", "today", "tonight", "yesterday"})
INVERSION_SUBJECTS = frozenset({"i", "you", "he", "she", "it", "we", "they", "there", "this",
                                "that", "these", "those", "the", "my", "your", "his", "her",
                                "our", "their", "both", "any", "all", "a", "an", "some",
                                "people", "patients", "anyone", "someone", "everyone",
                                "anybody", "somebody", "one", "tpi", "tpis", "u", "ur"})
WORRY_WORDS = frozenset({"worry", "worried", "afraid", "scared", "concerned", "fear",
                         "paranoid", "nervous", "anxious"})
# A follow-up report ("because I have them") is not one with these inside it ("I have anxiety
# AND that...", "I've READ these") or right after it ("I get them A LOT", "OFTEN").
FOLLOW_UP_BREAKERS = frozenset({"and", "or", "read", "heard", "hear", "see", "seen", "told",
                                "say", "said", "google", "googled"})
# Cues that date a sign to now; a "now" among them that leads to a mood is dropped
# (`_now_of_a_mood`).
NOW_CATEGORIES = ("current_time", "strong_current", "back_again", "back_again_strong",
                  "anaphoric_report")
# between "now" and a mood: "now SHE'S (SO) scared"
MOOD_LEAD = frozenset({"i", "he", "she", "we", "they", "be", "so", "really", "very", "quite",
                       "a", "bit", "little", "kind", "of", "kinda", "pretty", "still", "feel",
                       "get"})
WELL_WORDS = frozenset({"fine", "ok", "okay", "good", "better", "gone", "normal",
                        "settle", "great", "alright", "clear", "over", "smoothly", "smooth",
                        "hitch", "perfectly", "amazing", "relaxed", "wonderful", "brilliant"})
# a present link before a word of well-being: "I'M fine", "FEELING ok", "all IS good"
PRESENT_WELL_LINKS = frozenset({"'m", "am", "im", "is", "'s", "are", "'re", "feel", "feeling",
                                "feels", "doing"})
WELL_ADVERBS = frozenset({"totally", "perfectly", "completely", "absolutely", "really",
                          "quite", "pretty"})  # (not "they're ALL over right now")
HABITUAL_WORDS = frozenset({"lot", "often", "usually", "regularly", "sometimes", "normally",
                            "always", "occasionally", "every", "anyway", "generally"})
YEAR = re.compile(r"(19|20)\d\d")


# Word lists compared by their written forms only.
# compared by their written forms only: a key would add other words ("partido", a match, has
# the key "partir"; "going" would add every form of "go")
WRITTEN_ONLY = frozenset({"non_body_things", "before_words", "not_own_time"})
# unions of cue lists that the per-message and per-sentence rules read together (built once per
# vocabulary, not per message): context/questions.py `asked_of_no_one`
DERIVED_UNIONS = {
    "asked_told": ("asked_times", "first_person", "asked_persons", "people_words"),
    "asked_pointing": ("asked_pointers", "ongoing_verbs"),
    "asked_body": ("body_words", "wound_cloths", "knot_words"),
}


@dataclass(frozen=True)
class ContextWords:
    """The plain word lists of context_cues.yml that the rules compare tokens with, as written
    and as keys (dictionary forms)."""

    fillers: frozenset[str] = frozenset()  # words a negation reaches across ("any", "really")
    advice: frozenset[str] = frozenset()  # words that make a sentence ask for advice
    first_person: frozenset[str] = frozenset()  # "I", "me", "my"...
    # every plain word list of the cue file (safety/vocabulary.py WORD_CUE_CATEGORIES) by its
    # name: non_body_things, body_words, complication_names, wound_cloths, ...
    lists: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_cue_words(
        cls, words: dict[str, tuple[str, ...]], key: Callable[[str], str]
    ) -> ContextWords:
        """From Vocabulary.cue_words; `key` gives a word's dictionary form."""
        def both(name: str) -> frozenset[str]:
            return frozenset(words.get(name, ())) | frozenset(key(w) for w in words.get(name, ()))

        return cls(
            fillers=frozenset(key(w) for w in words.get("negation_fillers", ())),
            advice=both("advice_context"),
            first_person=frozenset(words.get("first_person", ())),
            # non_body_things by their written forms only (figurative.py `_is_thing`): a key
            # would add other words ("partido", a match, has the key "partir", as in "a partir
            # de que llegué no puedo respirar")
            lists=_with_unions(
                {name: (frozenset(words.get(name, ())) if name in WRITTEN_ONLY else both(name))
                 for name in words}),
        )


def _with_unions(lists: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    for name, parts in DERIVED_UNIONS.items():
        lists[name] = frozenset().union(*(lists.get(part, frozenset()) for part in parts))
    return lists


# after a mood, words that go on to more: "porque estoy sola Y mareada"
GOES_ON = frozenset({"y", "e", "con", "and", "with"})
# a bare yes ("... because I AM", "... but now I DO"): what may follow it and still say yes,
# after "because" (to the question asked) and after a contrast (taking a negation back)
AFTER_BARE_YES = frozenset({"too", "now", "rn", "also", "right", "as", "already", "currently",
                            "lol", "haha", "tho", "though", "honestly", "actually", "since",
                            "still", "seem", "and", "yesterday", "today", "tonight",
                            "earlier", "again"})
CONTRASTS = frozenset({"but", "and", "until", "till"})
# what ends a negation's reach over a follow-up ("NOT terrible BUT it's there")
NEGATION_RESETS = frozenset({"but", "pero", "though", "although", "aunque"})
# a follow-up retold ("my friend SAID that happened to her") or still to come ("I'm getting
# them NEXT month")
TOLD_BY_OTHERS = frozenset({"say", "said", "says", "tell", "told", "tells", "read", "hear",
                            "heard"})
LATER_TIMES = frozenset({"next", "tomorrow", "soon", "upcoming"})
PROGRESSIVE_FOR_FUTURE = PLANNED_WORDS | {"getting", "having", "gonna", "going"}
# an auxiliary before its subject asks a question: "how fast DOES IT come on?"
INVERTED_AUXILIARIES = frozenset({"do", "does", "did"})
INVERTED_SUBJECTS = frozenset({"it", "they", "he", "she", "that", "this"})
AFTER_CONTRAST_YES = frozenset({"too", "now", "rn", "lol", "haha"})
# what may follow a yes for now and leave it bare ("now there is TOO", "hoy sí Y me duele")
NOW_YES_AFTER = AFTER_CONTRAST_YES | {"and", "but", "y", "pero", "jaja", "jajaja"}
# a follow-up "I have BOTH" / "tengo LAS DOS", and what may follow it
BOTH_WORDS = frozenset({"both", "dos", "ambas", "ambos", "todas", "todos", "tres"})
AFTER_BOTH = frozenset({"right", "now", "since", "in", "on", "and", "at", "today", "of", "things",
                        "symptoms", "already", "too", "again", "this", "after", "from", "as",
                        "still", "currently", "rn", "tonight", "y", "e", "cosas", "síntomas",
                        "sintomas", "ahora", "ahorita", "ya", "desde", "en", "con", "mi",
                        "también", "tambien", "todavía", "todavia", "aún", "aun", "hoy",
                        "mismo", "así", "asi", "ahí", "aquí", "después", "despues", "juntas",
                        "juntos", "a", "al", "del", "de"})


class TextStructure:
    """Sentences, clauses and cue positions of one message, indexed so that every rule runs
    in (near) constant time per finding, also on 10,000-character messages."""

    def __init__(
        self, tokens: list[NormToken], cues: dict[str, list[Hit]], words: ContextWords,
        times=durations,
    ) -> None:
        self.tokens = tokens
        # the reader of time spans (duration_hours, elapsed_hours): durations.py for English
        self.times = times
        # plain word lists from context_cues.yml (keys): non_body_things, figurative_links, ...
        self.words = words.lists
        self.cues = {k: sorted(v, key=lambda h: (h.start, h.end)) for k, v in cues.items()}
        if "hypothetical_question" in self.cues:
            self.cues["hypothetical_question"] = [
                h for h in self.cues["hypothetical_question"] if not _stopping_failed(tokens, h,
                                                                                     self.cues)]
        moods = self.words.get("moods", frozenset())
        for category in NOW_CATEGORIES:
            if category in self.cues:
                self.cues[category] = [h for h in self.cues[category]
                                       if not _now_of_a_mood(tokens, h, moods)]
        self.fillers = words.fillers
        self.advice_words = words.advice
        self.first_person = words.first_person
        self.occupied: set[int] = set()  # tokens inside candidate findings (candidates.py)
        self.asking: set[int] = set()  # of those, tokens of a question about the signs ("info")
        # people named as nouns ("my HUSBAND", "grandma"): not the possessive "my"/"his"
        self.person_nouns = {
            i for h in self.cues.get("other_person", []) for i in range(h.start, h.end)
            if tokens[i].key not in POSSESSIVES
        }
        # "can't" of "can't breathe": part of a phrase (candidates.py)
        self.owned_negations: set[int] = set()
        self._starts = {k: [h.start for h in v] for k, v in self.cues.items()}
        self._index_sentences()
        self._index_clauses()
        self._index_sentence_kinds()
        self._index_cues()
        self._index_people()
        self.scope_ends: dict[int, int] = {}  # per "if" cue, filled by conditionals.py
        self.durations: dict[int, float | None] = {}  # per sentence, filled by expected_effects.py
        self._per_sentence: dict[tuple[str, int], object] = {}  # per_sentence, per_message

    # ------------------------------------------------------------------ indexing
    def _index_sentences(self) -> None:
        """Sentences end at . ! ? ; and line breaks."""
        n = len(self.tokens)
        self.sentence_of: list[int] = []
        self.sentences: list[tuple[int, int]] = []
        begin = 0
        for i, token in enumerate(self.tokens):
            self.sentence_of.append(len(self.sentences))
            if token.is_break:
                self.sentences.append((begin, i + 1))
                begin = i + 1
        if begin < n or not self.sentences:
            self.sentences.append((begin, n))

    def _index_clauses(self) -> None:
        """Clauses: runs of tokens between punctuation and but/however/though..."""
        tokens = self.tokens
        n = len(tokens)
        self.boundaries = {i for i, t in enumerate(tokens) if t.is_punct or t.is_break}
        kept_together = self.cues.get("not_termination", [])
        for hit in self.cues.get("termination", []):
            if any(k.start <= hit.start and hit.end <= k.end for k in kept_together):
                continue  # "how do I TELL soreness APART FROM an infection?" is one question
            self.boundaries.update(range(hit.start, hit.end))
        self._run_start = [0] * n
        for i in range(1, n):
            if (i - 1) not in self.boundaries:
                self._run_start[i] = self._run_start[i - 1]
            else:
                self._run_start[i] = i
        self._next_boundary = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            self._next_boundary[i] = i if i in self.boundaries else self._next_boundary[i + 1]

    def _index_sentence_kinds(self) -> None:
        """Per sentence: is it a question ("?" or question word order), does it ask for
        advice."""
        tokens = self.tokens
        self._question = [False] * len(self.sentences)
        self._advice = [False] * len(self.sentences)
        for number, (s_start, s_end) in enumerate(self.sentences):
            for i in range(s_start, s_end):
                token = tokens[i]
                if "?" in token.lower:
                    self._question[number] = self._advice[number] = True
                elif token.key in self.advice_words or token.lower in self.advice_words:
                    self._advice[number] = True
            if not self._question[number] and _inverted_start(tokens, s_start, s_end):
                self._question[number] = True

    def _index_cues(self) -> None:
        """Negations, pseudo-negations, uncertainty and follow-up reports, by position."""
        tokens = self.tokens
        self._negation_end = {h.end - 1: h for h in self.cues.get("negation", [])}
        # "never ... anything like it" says it is new, but "never had hives OR ANYTHING LIKE
        # that" is a plain negation of a list ("or similar")
        pseudo = [h for h in self.cues.get("pseudo_negation", []) if not _or_similar(tokens, h)]
        self._pseudo = set()
        for h in pseudo + self.cues.get("resolved", []):
            self._pseudo.update(range(h.start, h.end))
        self._pseudo_strict = set()
        for h in pseudo:
            self._pseudo_strict.update(range(h.start, h.end))
        # "not sure IF", "can't tell IF" (but "should I WORRY if I get a rash?" is a condition)
        # "lasted MAYBE an hour": one hedge word before a length of time guesses the length
        self._approximations = {
            (h.start, h.end) for h in self.cues.get("uncertainty", [])
            if h.end - h.start == 1 and durations.AMOUNT_START_RE.match(
                " ".join(t.lower for t in tokens[h.end:h.end + 4]))}
        unsure = [h for h in self.cues.get("uncertainty", [])
                  if tokens[h.start].key not in WORRY_WORDS and not self.approximates(h)]
        self._uncertainty_ends = {h.end for h in unsure}
        self._uncertainty_cover = set()
        for h in unsure:
            self._uncertainty_cover.update(range(h.start + 1, h.end + 1))
        # "because I have them" (but not "I've NEVER had it before")
        anaphoric = [
            h for h in self.cues.get("anaphoric_report", [])
            if self._real_follow_up(h)
        ]
        self._last_anaphoric = max((h.start for h in anaphoric), default=-1)
        # "... but now I am": the bare yes after a contrast that takes a negation back
        self._contrast_yes = [h.start for h in anaphoric
                              if self._bare_yes_after(h) is AFTER_CONTRAST_YES]
        # "no pus yesterday, NOW THERE IS", "antes no, AHORA SÍ", "now THEY'RE ALL OVER him":
        # a yes that ends its clause, or a pronoun for the sign that is not denied or well
        self._now_yes = [h.start for h in self.cues.get("now_yes", []) if self._ends_clause(h.end)]
        self._now_yes += [h.start for h in self.cues.get("now_yes_pronoun", [])
                          if not self._denied_or_well_after(h.end)]

    def approximates(self, hit: Hit) -> bool:
        """An `uncertainty` hit that only guesses a length of time ("lasted MAYBE an hour"),
        not whether the sign is there."""
        return (hit.start, hit.end) in self._approximations

    def _index_people(self) -> None:
        """Person references: the last first-person token and the end of the last other-person
        cue before each token, within its sentence."""
        tokens = self.tokens
        n = len(tokens)
        first_person = self.first_person
        other_cover = set()
        for h in self.cues.get("other_person", []):
            other_cover.update(range(h.start, h.end))
        self._last_first = [-1] * (n + 1)
        self._last_other = [-1] * (n + 1)
        other_end_at = {}
        for h in self.cues.get("other_person", []):
            other_end_at[h.end] = max(other_end_at.get(h.end, -1), h.end)
        for i in range(n + 1):
            if i == 0 or (i - 1 < n and tokens[i - 1].is_break):
                last_first, last_other = -1, -1
            else:
                last_first, last_other = self._last_first[i - 1], self._last_other[i - 1]
                prev = tokens[i - 1]
                is_me = prev.lower in first_person or prev.key in first_person
                if is_me and (i - 1) not in other_cover:
                    last_first = i - 1
            if i in other_end_at:
                last_other = i
            self._last_first[i], self._last_other[i] = last_first, last_other

    # ------------------------------------------------------------------ questions the rules ask
    def _bare_yes_after(self, hit: Hit) -> frozenset[str] | None:
        """For a bare yes ("because I AM", "but now I DO"), the words that may follow it and
        still say yes; None for any other follow-up."""
        tokens = self.tokens
        if tokens[hit.end - 1].key not in ("be", "do", "have"):
            return None
        if tokens[hit.start].key in BECAUSE_WORDS:
            return AFTER_BARE_YES
        return AFTER_CONTRAST_YES if tokens[hit.start].key in CONTRASTS else None

    def _to_boundary(self, index: int, most: int) -> range:
        """Up to `most` tokens from `index`, stopping at the first clause boundary or "and"."""
        stop = index
        while stop < min(index + most, len(self.tokens)) and stop not in self.boundaries and (
                self.tokens[stop].key not in ("and", "y", "but", "pero")):
            stop += 1
        return range(index, stop)

    def _retold_asked_or_to_come(self, hit: Hit, window: range) -> bool:
        """A follow-up retold ("my friend SAID that happened to her"), asked ("how fast DOES IT
        come on?", not "it does come on") or still to come ("I'm getting them in my neck NEXT
        month", not "NEXT TO the site")."""
        tokens = self.tokens
        inside = {tokens[i].lower for i in range(hit.start, hit.end)}
        if "happened" in inside and any(
                tokens[i].key in TOLD_BY_OTHERS and tokens[i - 1].key not in ("i", "we")
                for i in window if i):
            return True  # (not "like I SAID, it started an hour ago", "my wife SAYS they're
            #              swelling now": only a past event retold)
        clause = self._to_boundary(hit.end, 6)
        if any(h.start in clause for h in self.cues.get("history_before", ())):
            return True  # "... been like that SINCE I WAS A KID" tells a long history
        if hit.start and tokens[hit.start - 1].lower in INVERTED_AUXILIARIES and (
                tokens[hit.start].key in INVERTED_SUBJECTS):
            return True
        # a present progressive for the future (not "it started THE NEXT morning")
        return bool(inside & PROGRESSIVE_FOR_FUTURE) and any(
            tokens[i].key in LATER_TIMES and not (
                i + 1 < len(tokens) and tokens[i + 1].key in ("to", "door"))
            for i in self._to_boundary(hit.end, 6))

    def _well_just_before(self, index: int, low: int) -> bool:
        """Right before `index`, well told in the present: "I'M FINE right now", "FEELING OK
        right now" (not "I WAS fine until right now", "FELT ok, right now I can't", "they're
        all OVER right now", "fine EXCEPT right now")."""
        tokens = self.tokens
        well = index - 1
        if well - 1 < low or tokens[well].lower not in WELL_WORDS:
            return False
        link = well - 1
        while link > low and tokens[link].lower in WELL_ADVERBS:  # "i'm TOTALLY fine"
            link -= 1
        return tokens[link].lower in PRESENT_WELL_LINKS

    def _not_ended(self, k: int) -> bool:
        """The negation at `k` says a sign has not ended: "mine HASN'T GONE", "still hasnt
        worn off", "hasn't stopped in 2 days" (a report that it lasts, not a denial), unless
        its sentence tells a trait."""
        tokens = self.tokens
        if tokens[k].key not in NEGATION_KEYS or not any(
                tokens[j].key in ENDING_KEYS for j in range(k + 1, min(k + 3, len(tokens)))):
            return False
        # (a trait: "mine doesn't stop EASILY WHEN I give blood")
        return not any(self.hits_in(category, *self.sentence_range(k))
                       for category in ("trait_times", "habitual", "habit"))

    def _real_follow_up(self, hit: Hit) -> bool:
        """A follow-up "because I have them" that reports; not "I've NEVER had it", "IF it
        happened", "can it show up", "I have anxiety AND that...", "I've READ these can...",
        "I get them A LOT" (a habit), "nothing is wrong right now", "I have NOTHING like that
        now"."""
        tokens = self.tokens
        inside = [tokens[i].key for i in range(hit.start, hit.end)]
        # its first word may be "and", and so may its last, which only closes it ("¿es normal
        # que alguien tenga pus? YO TENGO Y huele feo")
        middle = inside[1:-1] if inside[-1] == "and" else inside[1:]
        if any((tokens[i].key in NEGATION_KEYS and not self._not_ended(i))
               or tokens[i].key in ("nothing", "none") for i in range(hit.start, hit.end)) or any(
            k in FOLLOW_UP_BREAKERS for k in middle
        ):
            return False
        s_start = self.sentence_range(hit.start)[0]
        window = range(max(s_start, hit.start - 3), hit.start)
        # a negation before a contrast denies something else: "NOT terrible BUT it's there
        # since the injections"
        contrast = next((i for i in reversed(window) if tokens[i].key in NEGATION_RESETS),
                        hit.start - 1 if tokens[hit.start].key in NEGATION_RESETS else None)
        if contrast is not None:  # (a "but" opening it: "... when stressed BUT RN it's crushing")
            window = range(contrast + 1, hit.start)
        if any(tokens[i].key in NEGATION_KEYS or tokens[i].key in CONDITION_WORDS
               or (tokens[i].key in POSSIBILITY_MODALS and not _perceives(tokens, i))
               or tokens[i].key == "nothing" for i in window):
            return False
        # (and "I'm FINE right now": well, not the sign)
        if self._well_just_before(hit.start, window.start) or self._retold_asked_or_to_come(
                hit, window):
            return False
        if tokens[hit.start].key not in CONTRASTS and any(
                tokens[i].key in ("before", "until", "till")
                and not any(tokens[k].is_punct for k in range(i + 1, hit.start)) for i in window):
            return False  # "asking BEFORE I have it done" (not "...before, I have them now")
        after = [tokens[i].key for i in range(hit.end, min(hit.end + 3, len(tokens)))]
        if after and tokens[hit.end - 1].key in ("do", "be", "have") and (
                after[0] in NEGATION_KEYS or after[0] in NEGATION_AFTER_DO) and not (
                self._not_ended(hit.end)):
            return False  # "I honestly DO N'T know" (not "I have it, never stopped")
        allowed = self._bare_yes_after(hit)
        if allowed and after and after[0][:1].isalnum() and after[0] not in allowed:
            # "because I am GOING tomorrow", "because I'm 72", "but now I am RIGHT as rain"
            # (but "cause I am", "... but now I am", "... I do too")
            return False
        if any(tokens[i].lower in WELL_WORDS
               and not any(self._not_ended(j) for j in range(max(hit.start, i - 2), i))
               and not (tokens[i].lower == "over" and tokens[i - 1].lower == "all")
               for i in range(hit.start, min(hit.end + 3, len(tokens)))):
            return False  # "it's FINE now" (not "mine hasn't GONE", "got em ALL OVER")
        later = [tokens[i].lower for i in range(hit.end, min(hit.end + 3, len(tokens)))]
        if (later[:2] == ["going", "to"] and later[2:3] and later[2] in FUTURE_VERBS) or (
                later[:1] == ["gonna"] and later[1:2] and later[1] in FUTURE_VERBS):
            return False  # "MINE ARE GOING TO BE in my upper back": to come (not "mine are
            #               going to my chest", spreading)
        moods = self.words.get("moods", ())
        if any(k in moods for k in inside) or (
                after and after[0] in moods and not (len(after) > 1 and after[1] in GOES_ON)):
            # "feeling NERVOUS since I booked", "y estoy SOLA" tell a mood, not the sign (but
            # "porque estoy sola Y mareada" goes on to one)
            return False
        if tokens[hit.end - 1].lower == "igual" and hit.end < len(tokens) and (
                tokens[hit.end].lower == "de"):
            return False  # "la clínica está IGUAL DE cerrada"
        if tokens[hit.end - 1].lower in BOTH_WORDS and hit.end < len(tokens) and (
                tokens[hit.end].lower not in AFTER_BOTH and tokens[hit.end].lower.isalpha()):
            # "I have both SHOULDERS booked", "tengo las dos CITAS", "I've had both WITH
            # penicillin before" (not "I have both", "tengo las dos COSAS ahora")
            return False
        if any(YEAR.fullmatch(tokens[i].lower) or tokens[i].key in HABITUAL_WORDS
               for i in range(hit.start, min(hit.end + 2, len(tokens)))):
            return False  # "I've had them every month since 2020" tells a habit or long ago
        unnamed = self.words.get("unnamed_people", frozenset())
        if len(after) >= 2 and after[0] == "to" and (
                after[1] in UNNAMED_QUANTIFIERS or after[1] in unnamed):
            # "my aunt said it happened TO SOMEONE at her church", "TO A friend" (but "it
            # happened to ME", "to HIM", "to my son" may be the patient the writer speaks for)
            return False
        return not any(k in HABITUAL_WORDS for k in after)

    def per_sentence(self, name: str, index: int,
                     read: Callable[[int, int], T]) -> T:
        """`read(start, end)` of the sentence around `index`, computed once per sentence and
        name: a long message has many signs in one sentence (10,000 characters stay fast)."""
        s_start, s_end = self.sentence_range(index)
        if (name, s_start) not in self._per_sentence:
            self._per_sentence[(name, s_start)] = read(s_start, s_end)
        return self._per_sentence[(name, s_start)]

    def per_message(self, name: str, read: Callable[[], T]) -> T:
        """`read()` computed once per message and name (see per_sentence)."""
        if (name, -1) not in self._per_sentence:
            self._per_sentence[(name, -1)] = read()
        return self._per_sentence[(name, -1)]

    def hits(self, category: str) -> list[Hit]:
        return self.cues.get(category, [])

    def sentence_range(self, index: int) -> tuple[int, int]:
        if not self.tokens:
            return (0, 0)
        return self.sentences[self.sentence_of[min(index, len(self.tokens) - 1)]]

    def clause_range(self, start: int, end: int) -> tuple[int, int]:
        s_start, s_end = self.sentence_range(start)
        left = max(s_start, self._run_start[start])
        right = min(self._next_boundary[min(max(end, start + 1), len(self.tokens))], s_end)
        return left, max(right, min(end, s_end))

    def local_range(self, start: int, end: int) -> tuple[int, int]:
        """The clause around [start, end), also split at "and", "then", "so", "because"."""
        left, right = self.clause_range(start, end)
        tokens = self.tokens
        lo = start
        while lo > left and tokens[lo - 1].key not in LOCAL_SPLITTERS:
            lo -= 1
        hi = max(end, start + 1)
        while hi < right and tokens[hi].key not in LOCAL_SPLITTERS:
            hi += 1
        return lo, hi

    def after_lead_ins(self, low: int, high: int) -> int:
        """The first word in [low, high) that is not a greeting or filler ("so", "hi", "ok")."""
        head = low
        while head < high and self.tokens[head].key in QUESTION_LEAD_INS:
            head += 1
        return head

    def is_question(self, index: int) -> bool:
        return self._question[self.sentence_of[index]] if self.tokens else False

    def is_advice(self, index: int) -> bool:
        return self._advice[self.sentence_of[index]] if self.tokens else False

    def hits_in(self, category: str, start: int, end: int) -> list[Hit]:
        """Cue hits lying entirely inside [start, end)."""
        hits = self.cues.get(category)
        if not hits:
            return []
        out = []
        for k in range(bisect_left(self._starts[category], start), len(hits)):
            hit = hits[k]
            if hit.start >= end:
                break
            if hit.end <= end:
                out.append(hit)
        return out

    def hits_starting_in(self, category: str, start: int, end: int) -> list[Hit]:
        hits = self.cues.get(category)
        if not hits:
            return []
        starts = self._starts[category]
        return hits[bisect_left(starts, start):bisect_left(starts, end)]

    def covered_by_pseudo(self, index: int, strict: bool = False) -> bool:
        return index in (self._pseudo_strict if strict else self._pseudo)

    def negation_ending_at(self, index: int) -> Hit | None:
        return self._negation_end.get(index)

    def uncertainty_just_before(self, index: int) -> bool:
        """An uncertainty cue ends right at `index` or covers it ("not sure IF")."""
        return index in self._uncertainty_ends or index in self._uncertainty_cover

    def taken_back_after(self, start: int, end: int) -> bool:
        """A bare yes after a contrast follows the finding [start, end) in its sentence ("I
        wasn't short of breath before the shot BUT NOW I AM"), or a yes for now does in its
        sentence or the next ("no pus yesterday. NOW THERE IS", "ayer no tenía pus, HOY SÍ"),
        also inside a sign's phrase ("no tenía RONCHAS y ahora las tiene POR TODO EL CUERPO")."""
        number = self.sentence_of[start]
        return any(yes >= end and self.sentence_of[yes] == number
                   for yes in self._contrast_yes) or any(
            yes > start and self._now_yes_of(start, end, yes) for yes in self._now_yes)

    def _now_yes_of(self, start: int, end: int, yes: int) -> bool:
        """The yes for now at `yes` takes back the denied sign [start, end): in its sentence or
        opening the next; the denial dated before ("YESTERDAY", "WASN'T", "ayer", "no TENÍA");
        no denial of something else in between ("no fever. DIDN'T GO to work yesterday, today
        I did")."""
        number, later = self.sentence_of[start], self.sentence_of[yes]
        if later != number and not (later == number + 1 and self.sentence_range(yes)[0] == yes):
            return False
        if self.is_question(yes) or self._asked_or_imagined_before(yes):
            return False  # "no pus yesterday, IS THERE now?", "... ¿Y SI hoy sí?"
        tokens = self.tokens
        before = self.words.get("before_words", frozenset())
        s_start = self.sentence_range(start)[0]
        if not any(tokens[k].lower in before for k in range(s_start, yes)):
            return False
        # the yes answers the denial's own clause, the next one: not a clause about something
        # else in between ("no fever yesterday, I SLEPT WELL, today I did too"), nor a second
        # thing denied ("ayer no tenía fiebre NI EL PAPEL, hoy ya lo tengo", "didn't GO ...")
        breaks = 0
        for k in range(end, yes):
            token = tokens[k]
            if token.key in ("and", "but") and k > end and tokens[k - 1].lower == ",":
                continue  # ", and" is one break ("nunca me habían salido ampollas, Y ahora ...")
            if token.is_break or token.lower in (",", ";", ".", "!", "...") or token.key in (
                    "and", "but"):
                breaks += 1
            elif (token.key in NEGATION_KEYS or token.key == "or") and (
                    k + 1 < yes and k + 1 not in self.occupied):
                return False
        return breaks <= 1

    def _asked_or_imagined_before(self, yes: int) -> bool:
        """An "if" or "what" in the yes's own clause: "what if I do now?", "¿cómo sé si hoy sí?"."""
        tokens = self.tokens
        k = yes - 1
        while k >= 0 and not (tokens[k].is_break or tokens[k].lower in (",", ".", "!", "?")):
            if tokens[k].key in ("if", "whether", "what", "how", "why", "que"):
                return True
            k -= 1
        return False

    def _ends_clause(self, index: int) -> bool:
        """Nothing but a clause's end or an afterthought ("too", "lol", "and ...") follows, and
        nothing later in its clause denies it: "now there is." (not "now there is NONE", "now
        there is A SCAB", "now I'm AT WORK", "I did today too, STILL NOTHING")."""
        tokens = self.tokens
        if index < len(tokens) and not tokens[index].is_break and not (
                tokens[index].lower in (".", "!", "...", "..", ",")
                or tokens[index].key in NOW_YES_AFTER or tokens[index].lower in NOW_YES_AFTER):
            return False
        if index + 1 < len(tokens) and tokens[index].key in AFTER_CONTRAST_YES and (
                tokens[index + 1].lower[:1].isalnum()):
            return False  # "today there is TOO MUCH going on" (but "now there is too.")
        s_end = self.sentence_range(index - 1)[1]
        k = index
        while k < s_end and tokens[k].key not in ("and", "but"):  # (not "... Y no aguanto")
            if tokens[k].key in NEGATION_KEYS or tokens[k].key in ("nothing", "nada"):
                return False
            k += 1
        return True

    def _denied_or_well_after(self, index: int) -> bool:
        """"now they're NOT", "now it's GONE" are not a yes (but "now he has them ALL OVER", nor
        a negation that tells it lasts: "un dolor que NO SE ME VA")."""
        tokens = self.tokens
        lasting = {k for h in self.cues.get("pseudo_negation", []) for k in range(h.start, h.end)}
        return any(
            (tokens[i].key in NEGATION_KEYS and i not in lasting)
            or (tokens[i].lower in WELL_WORDS and tokens[i - 1].lower != "all")
            for i in range(index, min(index + 3, len(tokens))))

    def reported_after(self, index: int) -> bool:
        return self._last_anaphoric >= index

    def person_before(self, index: int) -> tuple[int, int]:
        """(last first-person token, end of last other-person cue) before `index`, in the
        sentence; -1 when none."""
        return self._last_first[index], self._last_other[index]


# the verbs of a sign ending, which a negation turns into "it lasts" ("mine hasn't GONE")
ENDING_KEYS = frozenset({"go", "gone", "stop", "quit", "ease", "settle", "fade", "subside", "heal",
                         "clear", "wear", "end", "leave", "disappear"})
ABILITY_MODALS = frozenset({"can", "ca", "could", "will", "wo", "would"})
# the verbs of stopping a sign, which a question may ask about ("how do I STOP the bleeding?")
STOPPING_VERBS = frozenset({"stop", "prevent", "ease", "reduce", "relieve", "soothe", "limit",
                            "lessen", "decrease", "manage", "treat"})


# after a mood: what tells more ("scared BECAUSE it's happening") and what only asks ("...,
# CAN she lie down?")
MOOD_GOES_ON = frozenset({"but", "pero", "because", "cause", "cuz", "coz", "since", "as", "so",
                          "porque"})
QUESTION_AFTER_MOOD = frozenset({"can", "could", "should", "is", "are", "do", "does", "will",
                                 "would", "what", "how", "who", "when", "where", "which", "may",
                                 "any", "anyway", "lol", "haha"})
# what "going to" leads to when it tells the future ("mine are going to BE ...")
FUTURE_VERBS = frozenset({"be", "have", "get", "need", "happen", "start", "do", "feel",
                          "make", "hurt", "cost", "last"})
# what may come before a "now" of a mood: "... AND now she's scared" (not "my chest hurts now
# I'm worried", where "now" dates the sign)
NOW_LEADS = frozenset({"and", "so", ",", "but", "y", "pero"})


def _now_of_a_mood(tokens: list[NormToken], hit: Hit, moods: frozenset[str]) -> bool:
    """A "now" (with the person it leads to) that dates a mood, not a sign: "passed out at a
    blood test in high school and NOW SHE'S scared of needles", "the page mentioned a collapsed
    lung and NOW I'M nervous" (not "now I'm dizzy", nor "now I'm nervous AND dizzy"'s "dizzy",
    which is its own finding)."""
    if tokens[hit.start].key != "now" or any(tokens[i].key not in MOOD_LEAD
                                                for i in range(hit.start + 1, hit.end)):
        return False
    if hit.start and not (tokens[hit.start - 1].is_break
                          or tokens[hit.start - 1].lower in NOW_LEADS):
        return False
    for k in range(hit.end, min(hit.end + 5, len(tokens))):
        if tokens[k].key in moods:
            # the mood ends its sentence, or only a question follows it: "now she's scared OF
            # NEEDLES, CAN she lie down?" (not "now I'm scared BECAUSE it's happening", "...,
            # IT'S HAPPENING", "... AND I just fainted")
            for n, rest in enumerate(tokens[k + 1:], start=k + 1):
                if rest.is_break:
                    return True
                if rest.key in GOES_ON or rest.key in MOOD_GOES_ON:
                    return False
                if rest.lower == ",":
                    follows = tokens[n + 1] if n + 1 < len(tokens) else None
                    return follows is not None and follows.lower in QUESTION_AFTER_MOOD
            return True
        if tokens[k].key not in MOOD_LEAD:
            return False
    return False


def _stopping_failed(tokens: list[NormToken], hit: Hit, cues: dict[str, list[Hit]]) -> bool:
    """"NOTHING stops it", "I CAN'T stop the bleeding", "HAVEN'T been able to stop the
    bleeding": stopping said to fail reports the sign going on; the hit is no question about
    stopping it."""
    if tokens[hit.start].key not in STOPPING_VERBS:
        return False
    return any(hit.start - 4 <= n.end <= hit.start and _ability_failed(tokens, n, hit.start)
               for n in cues.get("negation", []))


def _ability_failed(tokens: list[NormToken], negation: Hit, stop: int) -> bool:
    """"NOTHING stops it", "CAN'T stop it", "WON'T stop", "haven't been ABLE to stop" (not
    "NOT TO treat it with heat", "NO NEED to", "DON'T try to", "never HAD to", "don't know HOW
    to stop it")."""
    between = [tokens[k] for k in range(negation.end, stop)]
    if any(t.is_punct or t.is_break or t.key == "how" for t in between):
        return False
    if tokens[negation.start].key == "nothing":
        return True
    before = tokens[negation.start - 1].key if negation.start else ""
    return before in ABILITY_MODALS or any(t.key == "able" for t in between)


def _perceives(tokens: list[NormToken], index: int) -> bool:
    """"I CAN FEEL mine getting tighter": a "can" of perceiving now, not of what could happen."""
    return (tokens[index].key == "can" and index + 1 < len(tokens)
            and tokens[index + 1].key in ("feel", "see", "hear", "taste", "notice", "tell"))


def _or_similar(tokens: list[NormToken], hit: Hit) -> bool:
    """"... OR ANYTHING LIKE that" / "or something like it" inside a pseudo-negation."""
    return any(
        tokens[i].key == "or" and tokens[i + 1].key in ("anything", "something")
        for i in range(hit.start, hit.end - 1)
    )


def _inverted_start(tokens: list[NormToken], s_start: int, s_end: int) -> bool:
    """A sentence in question word order without "?": "can both lungs collapse from it",
    "is a collapsed lung a real thing", "will the skin go thin" (not "can't breathe", "is
    swollen", "could barely swallow")."""
    i = s_start
    while i < s_end and tokens[i].key in QUESTION_LEAD_INS:
        i += 1
    if i + 1 < s_end and tokens[i].key in WH_WORDS and tokens[i + 1].lower in WH_AUXILIARIES:
        # "what is cellulitis", "how do I tell"; not with a condition ("what does it mean IF I
        # can't feel half my face" is judged as written, with or without "?")
        return not any(tokens[k].key in PLAIN_IF_KEYS for k in range(i, s_end))
    if (i + 2 < s_end and tokens[i].key == "how" and tokens[i + 1].lower.isalpha()
            and tokens[i + 2].lower in WH_AUXILIARIES
            and not any(tokens[k].key in PLAIN_IF_KEYS for k in range(i, s_end))):
        return True  # "how HIGH CAN my sugar go", "how LONG WILL the numbness last"
    if i + 1 >= s_end or tokens[i].lower not in INVERSION_AUXILIARIES:
        return False
    if tokens[i].lower in ("is", "are") and NUMBER.fullmatch(tokens[i + 1].lower):
        return True  # "is 38 degrees a fever i should call about" asks about the number
    if (tokens[i].lower == "do" and tokens[i + 1].key not in NEGATION_AFTER_DO
            and not any(tokens[k].lower in OWN_OR_DATED for k in range(i + 1, s_end))):
        # "do allergic reactions happen often": plain "do" opens a general question (a report
        # that drops its subject says "does": "does hurt when I move"), but not one that speaks
        # of the patient or dates something ("do hives and a tight throat mean I should go
        # in", "do fever and chills right after the shot mean infection" report them; those
        # are questions only as before, with a general subject: "do people pass out after ...")
        return True
    return tokens[i + 1].lower in INVERSION_SUBJECTS
