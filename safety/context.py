"""Context rules for patient chat language: what a warning word means where it stands.

For each candidate finding (a token span) the rules decide, in this order:

  negated          an explicit negation clearly covers this very term: a negation word
                   ("no", "not", "never", "without", "denies", "negative for"...) before it in
                   the same clause with only filler words in between ("I don't REALLY HAVE ANY
                   swelling", "not a HINT OF redness"), a list of signs closed by "or" after
                   one ("denies fever, chills OR rash"), "free" after it ("fever-free"), or a
                   checklist answer after it ("fever: no", "rash? definitely not").
                   Pseudo-negations ("not sure", "can't stop", "no better", "not only") and
                   resolved history ("no more", "no longer") are not negations. Clauses end at
                   punctuation and at but/however/though/except.
  figurative       (policy rule 11) the sign word is used about something other than the body
                   or inside a fixed expression: a `figurative_expression` frame covers the whole
                   finding ("bleeding me dry", "fever dream", "nearly fainted when I saw the
                   bill"), the patient says it is not literal ("not literally"), the word is
                   said about a thing from `non_body_things` ("the WEATHER is so hot", "HOT
                   water", "it's boiling IN THIS ROOM"), or the clause's subject is such a thing
                   with no person, body part or verb of causing in between ("our basketball
                   TEAM choked", "the STOCK I bought has a fever"). Each finding is judged on its
                   own, so a second, real sign in the message still escalates.
  hypothetical     a conditional ("what if", "in case", "if ... should I ...?") or a general
                   question ("is it normal to", "can TPI cause", "signs of", "when should I",
                   "could the shot make my leg weak?", "is bleeding a risk?", "do older people
                   bleed more?") introduces the term and the clause does not ALSO report it now
                   ("is it normal that MY ARM IS red?", "can you send help I CAN'T breathe?"
                   report it). A later "because I have them" or "it started an hour ago" turns
                   the questioned signs into reports.
  history_before   clearly before the procedure ("last year", "before any injections", "years
                   ago", "as a toddler", "in 2012", "before I booked", "chronic", "since 2014,
                   nothing new"), unless brought back ("now", "again", "never happened before").
  other_person     someone else has it ("my husband", "she"): same guidance, escalates.
  history_recent   earlier since the procedure ("yesterday", "had", "gone now"): escalates.
  uncertain        "not sure if", "maybe", "I think": counts as present, escalates.
  present          everything else.

Only negated, figurative, hypothetical and history_before stop an escalation.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from .matching import Hit, NormToken

NEGATED = "negated"
FIGURATIVE = "figurative"
HYPOTHETICAL = "hypothetical"
HISTORY_BEFORE = "history_before"
OTHER_PERSON = "other_person"
HISTORY_RECENT = "history_recent"
UNCERTAIN = "uncertain"
PRESENT = "present"

NON_ESCALATING_RULES = (NEGATED, FIGURATIVE, HYPOTHETICAL, HISTORY_BEFORE)

NEGATION_KEYS = frozenset(
    {"no", "not", "never", "without", "none", "nor", "neither", "zero", "nope"}
)
CHECKLIST_ANSWERS = frozenset({"no", "none", "nope", "nah", "negative", "n/a", "nil", "never"})
CHECKLIST_INTENSIFIERS = frozenset({"definitely", "absolutely", "totally", "completely",
                                    "certainly", "really", "still", "thankfully", "luckily"})
CHECKLIST_SEPARATORS = frozenset({":", "-", "?", "=", "–", "—", "…", "..", "...", "->", "=>"})
LIST_JOINERS = frozenset({"or", "nor", "and/or", "/"})
DETERMINERS = frozenset(
    {"this", "these", "that", "those", "the", "my", "his", "her", "our", "their"}
)
# "plain" conditional cue: index of "if|whether|unless" in hypothetical_conditional
PLAIN_IF_KEYS = frozenset({"if", "whether", "unless"})
# A new subject inside an "if" clause starts the main clause ("if I breathe in IT hurts").
SUBJECT_KEYS = frozenset({"i", "it", "my", "there", "he", "she", "we", "they", "this", "that",
                          "everything", "its"})
MAX_NEGATION_REACH = 8
LOCAL_SPLITTERS = frozenset({"and", "then", "so", "because", "plus", "while", "also"})
LIST_WORDS = frozenset({"and", "or", "a", "an", "any", "some", "maybe", "even"})
# Words that show a "no" answer goes on to describe something ("no, it's more like pressure").
CONTINUATIONS = frozenset({"but", "more", "just", "its", "be", "actually", "only", "rather",
                           "though", "kind", "sort", "like", "wait", "worse", "because"})
# A sentence opening with one of these is a yes/no question ("Is swelling normal?").
QUESTION_OPENERS = frozenset({"be", "can", "do", "will", "would", "should", "could", "may",
                              "might", "shall", "how", "what", "when", "which"})
# Figurative frame 2: a thing that is the object of one of these belongs to the word before it
# ("my ARM in the car is red" is about the arm; "the WATER in the shower was hot" is not).
PREPOSITIONS = frozenset({"in", "on", "at", "of", "from", "inside", "with", "under", "near",
                          "by", "into", "onto", "outside", "around"})
ARTICLES = frozenset({"the", "a", "an", "this", "that", "these", "those", "my", "our", "your",
                      "his", "her", "their", "its"})
# "it"/"there" as a dummy subject ("IT's boiling in here") and the words between the heat word
# and the place it is about ("so hot IN THIS room").
DUMMY_SUBJECTS = frozenset({"it", "there", "everything", "everywhere"})
PLACE_PATH = frozenset({"in", "inside", "out", "outside", "at", "the", "this", "that", "our",
                        "my", "today", "tonight", "there", "so", "too", "really", "very"})
MAX_FIGURATIVE_WALK = 6
# "my face WOULD droop" inside a question is about the future, not a report.
MODALS = frozenset({"would", "will", "might", "may", "shall", "should"})
# Generic questions (rules 5 and 10, `_generic_question`): modals of possibility or future
# ("could the shot make my leg go weak?"), and what may follow them when the question is about
# NOW ("could it BE infected?", "I could BARELY swallow?").
POSSIBILITY_MODALS = frozenset({"can", "could", "will", "would", "might", "may", "shall"})
PRESENT_AFTER_MODAL = frozenset({"be", "feel", "see", "hear", "taste", "smell", "notice", "tell"})
REPORT_AFTER_MODAL = frozenset({"barely", "hardly", "only", "just", "scarcely", "still"})
QUESTION_LEAD_INS = frozenset({"so", "and", "ok", "okay", "hi", "hello", "hey", "also", "like",
                               "sorry", "um", "well", "hola", "then", "plus", "or", "oh",
                               "please", "quick", "question", "realistically", "honestly",
                               "seriously", "generally", "hypothetically", "basically", "doc",
                               "doctor", "nurse", "and/or", "anyway", "btw", "q", "but"})
WH_WORDS = frozenset({"how", "what", "when", "which", "who", "where", "whom"})
# words allowed between "is/are" and a sign asked about in general ("is A SUDDEN fever ...")
GENERIC_FILLERS = frozenset({"a", "an", "any", "some", "mild", "slight", "transient", "sudden",
                             "occasional", "little", "bit", "of", "feeling", "getting",
                             "having", "severe", "bad", "much", "more", "ever", "really",
                             "heavy", "high", "low", "grade", "minor", "major", "developing",
                             "experiencing", "persistent", "temporary", "post", "injection",
                             "steroid", "local", "delayed", "late", "early", "new", "extra",
                             "heart", "skin", "site", "nerve", "muscle", "allergic"})
PERSONAL_WORDS = frozenset({"i", "it", "he", "she", "there", "we", "they", "you", "me", "him",
                            "this", "that", "these", "those", "the", "my", "his", "her", "our",
                            "their", "your", "mine", "its"})
# "the"/"my" after these is generic: "the chances OF the skin dimpling", "CAUSE the skin to
# thin", "could it MAKE my pain worse?"
CAUSATIVE_VERBS = frozenset({"cause", "make", "give", "affect", "trigger", "damage", "harm",
                             "hit", "puncture", "irritate", "worsen", "aggravate", "raise",
                             "increase", "mess", "upset", "leave", "turn", "nick", "pierce",
                             "injure", "inflame", "numb", "paralyse", "paralyze", "weaken",
                             "reach", "touch", "lower", "drop", "spike", "send", "put"})
# "when will it GO AWAY / STOP / SETTLE?" asks about something happening now
ENDING_VERBS = frozenset({"stop", "end", "ease", "settle", "improve", "heal", "fade", "wear",
                          "subside", "calm", "clear", "disappear", "pass", "recover"})
# a subject word that starts a new statement inside a question ("can you help I can't ...")
NEW_SUBJECTS = frozenset({"i", "he", "she", "we", "they", "my", "his", "her", "our", "their"})
GENERIC_BEFORE_THE = CAUSATIVE_VERBS | {"of", "for"}
PRESENT_FORMS = frozenset({"is", "are", "am", "'m", "m", "'s", "s", "has", "have", "'ve", "ve",
                           "isnt", "arent", "hasnt", "havent", "now"})
# Figurative frame 3: people as subjects ("I", "we", "she"), and possessives ("my", "our")
PERSON_WORDS = frozenset({"i", "me", "myself", "we", "us", "you", "u", "he", "she", "him",
                          "they", "them", "everyone", "everybody", "someone", "somebody",
                          "people", "anyone", "anybody", "ourselves", "yourself", "himself",
                          "herself", "themselves"})
# a device that SAYS/SHOWS/READS a number reports the body ("the app says 88%")
MEASURING_VERBS = frozenset({"say", "show", "read", "measure", "register", "display", "give",
                             "record", "put", "reckon", "tell", "flash", "beep", "alarm"})
POSSESSIVES = frozenset({"my", "our", "your", "his", "her", "their", "its", "mine"})
# "'s" after these is "is": "WHAT's wrong", "HERE's the thing"
# "coach SAYS the team ...", "the paper SAID that the market ..."
SAYING_VERBS = frozenset({"say", "said", "think", "reckon", "claim", "announce", "report",
                          "tell", "write", "post", "mention"})
PRONOUN_IS = frozenset({"what", "who", "where", "here", "how", "when", "which", "one",
                        "nothing", "something", "everything", "anything", "someone", "he",
                        "she", "that", "there", "it", "this"})
# Inside an "if" clause these do not start the main clause: "if I get a bruise THAT's bigger",
# "if I FEEL my throat closing".
RELATIVE_WORDS = frozenset({"that", "this", "which", "who"})
NOTICING_VERBS = frozenset({"feel", "notice", "get", "see", "have", "find", "develop",
                            "experience", "start", "hear", "taste", "lose", "think"})
# Inside an "if" clause a subject right after these is what is noticed or said, not the main
# clause: "if my partner NOTICES I'm confused, ...", "if she THINKS I'm slurring, ...".
REPORTING_VERBS = frozenset({"notice", "see", "think", "find", "feel", "realise", "realize",
                             "spot", "say", "tell", "hear", "suspect", "reckon", "believe",
                             "decide", "worry", "fear", "sense", "know"})
# A question without "?" in inverted word order (rules 5 and 10): an auxiliary or modal at the
# start of the sentence followed by its subject ("can both lungs collapse from it", "is a fever
# after the shot a reason to call"). Not "can't breathe", "could barely swallow", "is swollen"
# (a dropped subject), "have a rash", "was dizzy".
INVERSION_AUXILIARIES = frozenset({"is", "are", "can", "could", "will", "would", "should",
                                   "might", "may", "shall", "do", "does"})
WH_AUXILIARIES = frozenset({"is", "are", "'s", "s", "do", "does", "can", "could", "will",
                            "would", "should", "might", "may", "was", "were"})
INVERSION_SUBJECTS = frozenset({"i", "you", "he", "she", "it", "we", "they", "there", "this",
                                "that", "these", "those", "the", "my", "your", "his", "her",
                                "our", "their", "both", "any", "all", "a", "an", "some",
                                "people", "patients", "anyone", "someone", "everyone",
                                "anybody", "somebody", "one", "tpi", "tpis", "u", "ur"})
# Inverted conditional: "SHOULD the bruise get big, do I call?", "should my lips start
# swelling, ...": "should" + a subject that is not the patient asking what to do ("should I
# call?") + a verb of change, then a comma and the main clause.
INVERTED_IF_SUBJECTS = frozenset({"the", "my", "it", "there", "a", "an", "any", "your", "his",
                                  "her", "their", "this", "that", "he", "she", "they", "our"})
CHANGE_VERBS = frozenset({"get", "become", "start", "turn", "develop", "happen", "go", "grow",
                          "spread", "begin", "appear", "show", "come", "keep", "swell",
                          "bleed", "feel", "look", "stay", "stop", "last"})
# an inverted question inside a sentence ("if I get hives all over IS THAT an allergy")
INVERTED_PAIR_FIRST = frozenset({"is", "are", "would", "could", "should", "will", "can", "do",
                                 "does", "was"})
INVERTED_PAIR_SECOND = frozenset({"that", "it", "this", "i", "we", "there", "they"})
NOR_VERBS = frozenset({"have", "get", "feel", "show", "notice", "develop", "experience"})
WORRY_WORDS = frozenset({"worry", "worried", "afraid", "scared", "concerned", "fear",
                         "paranoid", "nervous", "anxious"})
# a bleed that "restarts", "starts again", "keeps leaking" has not stopped
RESTART_WORDS = frozenset({"restart", "again", "keep", "come"})
# A follow-up report ("because I have them") is not one with these inside it ("I have anxiety
# AND that...", "I've READ these") or right after it ("I get them A LOT", "OFTEN").
FOLLOW_UP_BREAKERS = frozenset({"and", "or", "read", "heard", "hear", "see", "seen", "told",
                                "say", "said", "google", "googled"})
WELL_WORDS = frozenset({"fine", "ok", "okay", "good", "better", "gone", "normal",
                        "settle", "great", "alright", "clear", "over"})
HABITUAL_WORDS = frozenset({"lot", "often", "usually", "regularly", "sometimes", "normally",
                            "always", "occasionally", "every", "anyway", "generally"})
# a report cue that ends in a contracted auxiliary says nothing yet ("I've read", "I'd say")
AUXILIARY_ENDINGS = frozenset({"'ve", "ve", "'d", "d"})
# a report cue after one of these belongs to a condition ("...higher IF I have diabetes?")
CONDITION_WORDS = frozenset({"if", "whether", "unless", "case", "when", "whenever"})


@dataclass(frozen=True)
class ContextResult:
    rule: str
    negated: bool = False
    figurative: bool = False
    hypothetical: bool = False
    history_before: bool = False
    other_person: bool = False
    history_recent: bool = False
    uncertain: bool = False

    @property
    def escalation_allowed(self) -> bool:
        return self.rule not in NON_ESCALATING_RULES


class TextStructure:
    """Sentences, clauses and cue positions of one message, indexed so that every rule runs
    in (near) constant time per finding, also on 10,000-character messages."""

    def __init__(
        self,
        tokens: list[NormToken],
        cues: dict[str, list[Hit]],
        fillers: frozenset[str],
        advice_words: frozenset[str],
        first_person: frozenset[str],
        words: dict[str, frozenset[str]] | None = None,
    ) -> None:
        self.tokens = tokens
        # plain word lists from context_cues.yml (keys): non_body_things, figurative_links, ...
        self.words = words or {}
        self.cues = {k: sorted(v, key=lambda h: (h.start, h.end)) for k, v in cues.items()}
        self.fillers = fillers
        self.advice_words = advice_words
        self.first_person = first_person
        self.occupied: set[int] = set()  # tokens inside candidate findings
        # people named as nouns ("my HUSBAND", "grandma"): not the possessive "my"/"his"
        self.person_nouns = {
            i for h in self.cues.get("other_person", []) for i in range(h.start, h.end)
            if tokens[i].key not in POSSESSIVES
        }
        self.owned_negations: set[int] = set()  # "can't" of "can't breathe": part of a phrase
        n = len(tokens)
        self._starts = {k: [h.start for h in v] for k, v in self.cues.items()}
        # sentences
        self.sentence_of: list[int] = []
        self.sentences: list[tuple[int, int]] = []
        begin = 0
        for i, token in enumerate(tokens):
            self.sentence_of.append(len(self.sentences))
            if token.is_break:
                self.sentences.append((begin, i + 1))
                begin = i + 1
        if begin < n or not self.sentences:
            self.sentences.append((begin, n))
        # clauses: runs of tokens between punctuation and but/however/though...
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
        # per sentence facts
        self._question = [False] * len(self.sentences)
        self._advice = [False] * len(self.sentences)
        for number, (s_start, s_end) in enumerate(self.sentences):
            for i in range(s_start, s_end):
                token = tokens[i]
                if "?" in token.lower:
                    self._question[number] = self._advice[number] = True
                elif token.key in advice_words or token.lower in advice_words:
                    self._advice[number] = True
            if not self._question[number] and _inverted_start(tokens, s_start, s_end):
                self._question[number] = True
        # cue lookups
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
        unsure = [h for h in self.cues.get("uncertainty", [])
                  if tokens[h.start].key not in WORRY_WORDS]
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
        # person references: last first-person token / other-person cue before each token
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
        self._scope_cache: dict[int, int] = {}
        self.durations: dict[int, float | None] = {}  # per sentence, filled by expected.py

    # ------------------------------------------------------------------ helpers
    def _real_follow_up(self, hit: Hit) -> bool:
        """A follow-up "because I have them" that reports; not "I've NEVER had it", "IF it
        happened", "can it show up", "I have anxiety AND that...", "I've READ these can...",
        "I get them A LOT" (a habit), "nothing is wrong right now"."""
        tokens = self.tokens
        inside = [tokens[i].key for i in range(hit.start, hit.end)]
        if any(k in NEGATION_KEYS for k in inside) or any(
            k in FOLLOW_UP_BREAKERS for k in inside[1:]  # its first word may be "and"
        ):
            return False
        s_start = self.sentence_range(hit.start)[0]
        before = [tokens[i].key for i in range(max(s_start, hit.start - 3), hit.start)]
        if any(k in NEGATION_KEYS or k in CONDITION_WORDS or k in POSSIBILITY_MODALS
               or k == "nothing" for k in before):
            return False
        after = [tokens[i].key for i in range(hit.end, min(hit.end + 3, len(tokens)))]
        written = [tokens[i].lower for i in range(hit.start, min(hit.end + 3, len(tokens)))]
        if any(w in WELL_WORDS for w in written):
            return False  # "it's FINE now"
        return not any(k in HABITUAL_WORDS for k in after)

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

    def reported_after(self, index: int) -> bool:
        return self._last_anaphoric >= index

    def person_before(self, index: int) -> tuple[int, int]:
        """(last first-person token, end of last other-person cue) before `index`, in the
        sentence; -1 when none."""
        return self._last_first[index], self._last_other[index]

    def conditional_scope_end(self, cue: Hit) -> int:
        if cue.start not in self._scope_cache:
            self._scope_cache[cue.start] = _conditional_scope_end(self, cue)
        return self._scope_cache[cue.start]


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
    if i + 1 >= s_end or tokens[i].lower not in INVERSION_AUXILIARIES:
        return False
    return tokens[i + 1].lower in INVERSION_SUBJECTS


# ---------------------------------------------------------------------- negation
def _is_pseudo(structure: TextStructure, trigger: Hit) -> bool:
    return any(structure.covered_by_pseudo(i) for i in range(trigger.start, trigger.end))


def _trigger_ending_at(structure: TextStructure, index: int) -> Hit | None:
    return structure.negation_ending_at(index)


def own_negation(tokens: list[NormToken], i: int, own: frozenset[tuple[str, ...]]) -> bool:
    key = tokens[i].key
    if (key,) in own:
        return True
    if i > 0 and (tokens[i - 1].key, key) in own:
        return True
    return i + 1 < len(tokens) and (key, tokens[i + 1].key) in own


def is_negated(
    structure: TextStructure, start: int, end: int, own: frozenset[tuple[str, ...]] = frozenset()
) -> bool:
    tokens = structure.tokens
    # 1. a negation inside a gap of the match, not one of the phrase's own words:
    #    "chest doesn't hurt" (pattern "chest ... hurt") but not "can't breathe"
    for i in range(start, end):
        if tokens[i].key in NEGATION_KEYS and not own_negation(tokens, i, own):
            trigger = _trigger_ending_at(structure, i) or Hit("cue", "negation", 0, i, i + 1)
            if not _is_pseudo(structure, trigger):
                return True
    # 2. a negation before the term in the same clause, with only fillers in between
    s_start, _ = structure.sentence_range(start)
    i, steps, list_allowance = start - 1, 0, 0
    or_list = None
    while i >= s_start and steps < MAX_NEGATION_REACH:
        if i in structure.boundaries:
            # "denies fever, chills, erythema OR discharge": a list of signs closed by "or"
            # shares the negation before its first item (not "no fever, chest pain")
            if tokens[i].lower != "," or i - 1 not in structure.occupied:
                break
            if or_list is None:
                or_list = _in_or_list(structure, start, end)
            if not or_list:
                break
            i -= 1
            while i >= s_start and i in structure.occupied:
                i -= 1
            steps = 0
            continue
        token = tokens[i]
        if token.key in NEGATION_KEYS and i in structure.owned_negations:
            break  # the negation belongs to another finding ("can't breathe or swallow")
        trigger = _trigger_ending_at(structure, i)
        if trigger is not None:
            return not _is_pseudo(structure, trigger)
        if token.key in LIST_JOINERS:
            list_allowance = 3
        elif token.key in structure.fillers or i in structure.occupied:
            pass
        elif list_allowance > 0:
            list_allowance -= 1
        else:
            break
        i -= 1
        steps += 1
    # "neither me nor my husband has any fever": "nor" shortly before the sign, after "neither"
    # (only with "have/get/feel" between: "neither the pain nor the swelling is better" is not)
    lo, _ = structure.clause_range(start, end)
    for k in range(max(lo, start - 6), start):
        if (
            tokens[k].key == "nor"
            and any(tokens[j].key == "neither" for j in range(lo, k))
            and any(tokens[j].key in NOR_VERBS for j in range(k + 1, start))
        ):
            return True
    # 3. "fever-free", "pain free": the sign word with "free" after it
    if end < len(tokens) and tokens[end].lower == "free":
        return True
    # 4. a checklist answer after it: "fever: no", "chills - none", "swelling? definitely not"
    j, skipped = end, 0
    while j < len(tokens) and skipped < 2 and tokens[j].lower in CHECKLIST_SEPARATORS:
        j += 1
        skipped += 1
    answers = CHECKLIST_ANSWERS
    if skipped and j < len(tokens) and tokens[j].lower in CHECKLIST_INTENSIFIERS:
        j += 1
        answers = CHECKLIST_ANSWERS | {"not"}  # "rash? definitely not."
    return (
        j < len(tokens)
        and tokens[j].lower in answers
        and _answer_closes(tokens, j + 1)
        and not structure.covered_by_pseudo(j, strict=True)
    )


def _in_or_list(structure: TextStructure, start: int, end: int) -> bool:
    """The finding is an item of a list of signs joined by commas and closed by "or"/"nor"."""
    tokens = structure.tokens
    _, s_end = structure.sentence_range(start)
    j = end
    while j < s_end:
        token = tokens[j]
        if token.key in ("or", "nor"):
            return True
        if token.lower == "," or j in structure.occupied or token.key in structure.fillers:
            j += 1
            continue
        break
    # the last item: "... chills OR discharge"
    i = start - 1
    while i >= 0 and tokens[i].key in structure.fillers and tokens[i].key not in ("or", "nor"):
        i -= 1
    return i >= 0 and tokens[i].key in ("or", "nor")


def _answer_closes(tokens: list[NormToken], after: int) -> bool:
    """A checklist answer must stand alone: "fever: no." / "fever: no, chills: no" but not
    "chest pain? no, it's more like pressure"."""
    if after >= len(tokens) or tokens[after].is_break:
        return True
    if not tokens[after].is_punct:
        return False
    following = tokens[after + 1] if after + 1 < len(tokens) else None
    return following is None or (
        following.key not in SUBJECT_KEYS and following.key not in CONTINUATIONS
    )


# ---------------------------------------------------------------------- a bleed that stopped
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


# ---------------------------------------------------------------------- figurative language
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
    if not _names_the_body(structure, s_start, s_end):
        # food and screens: "CUT INTO the STEAK and it BLED all over the board", "WATCHED the
        # finale, BLOOD everywhere" (never when the sentence names a body part, site or person)
        for hit in structure.hits_in("figurative_unless_body", s_start, s_end):
            if hit.start <= start and end <= hit.end:
                return True
        if _screen_scene(structure, start, end, s_start):
            return True
    if said_of_things:
        return False
    return _said_about_a_thing(structure, start, end) or _thing_is_the_subject(
        structure, start, end, hop=not emergency
    )


BODY_LIKE = frozenset({"bandage", "bandages", "bandaid", "plaster", "plasters", "dressing",
                       "dressings", "gauze", "pad", "injection", "injections", "shot", "shots",
                       "needle", "needles", "jab", "wound", "puncture"})
SCENE_WORDS = frozenset({"blood", "gore", "bloody", "everywhere", "all", "over", "so", "much",
                         "lot", "lots", "of", "a", "loads", "the", "place", "buckets", "pool",
                         "pools", "spurting", "splattered", "splatter", "fake"})


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
    low, _ = structure.clause_range(start, end)
    begin, _ = structure.local_range(start, end)
    if not any(tokens[k].key not in ARTICLES and tokens[k].key not in LOCAL_SPLITTERS
               for k in range(begin, start)):
        if not hop or begin <= low:
            return False
        begin = low  # "the bread rose and then collapsed"
    i = begin
    while i < start and tokens[i].key in QUESTION_LEAD_INS:
        i += 1
    # reported speech: "COACH SAYS the team needs fresh blood" - the clause after the saying
    # verb has its own subject (a person there is still a person: "my wife says I'm pale")
    for k in range(i, min(i + 3, start - 1)):
        if tokens[k].key in SAYING_VERBS and not _is_person(structure, k + 1) and (
            tokens[k + 1].key in ARTICLES or tokens[k + 1].key == "that"
        ) and not any(_is_thing(tokens[j], things) for j in range(i, k)):
            # (a thing that says something keeps its frame: "the WEATHER APP says 101")
            i = k + 1 + (tokens[k + 1].key == "that")
            break
    article = i < start and tokens[i].key in ARTICLES
    while i < start and tokens[i].key in ARTICLES:
        i += 1
    links = structure.words.get("figurative_links", frozenset())
    subject = None
    # "OUR BASKETBALL TEAM": after an article up to two words may describe the thing; without
    # one the thing must come first ("lying FLAT I can't breathe" is not about a flat)
    for k in range(i, min(i + (3 if article else 1), start)):
        key = tokens[k].key
        if _is_person(structure, k) or key in body or key in DUMMY_SUBJECTS or (
            key in links and key not in ("like",)
        ):
            return False
        if _is_thing(tokens[k], things):  # the written form: "SHOWING" is not a (TV) show
            subject = k
            break
    if subject is None:
        return False
    k = subject + 1
    if k < start and tokens[k].key in RELATIVE_WORDS:
        k += 1
    if article and k < start and (_is_person(structure, k) or tokens[k].key in POSSESSIVES):
        # "the stock I bought ...", "the sweets my aunt made ...": a relative clause
        k += 1
        while k < start and k in structure.person_nouns:
            k += 1
        k += 1  # its verb
    devices = structure.words.get("personal_devices", frozenset())
    device = tokens[subject].lower in devices or tokens[subject].key in devices
    for j in range(k, start):
        key = tokens[j].key
        if _is_person(structure, j) or key in body or key in CAUSATIVE_VERBS:
            return False
        if device and key in MEASURING_VERBS:
            return False  # "the APP SAYS my oxygen is 88" is a reading of the body
    return True


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
    ambient = structure.words.get("ambient_words", frozenset())
    if not any(tokens[k].key in ambient or tokens[k].lower in ambient for k in range(start, end)):
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


# ---------------------------------------------------------------------- questions
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
    return (
        before >= 0
        and tokens[before].key in POSSIBILITY_MODALS
        and tokens[hit.start].key not in NEGATION_KEYS
        and structure.is_question(hit.start)
    )


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


def _current_report(
    structure: TextStructure, start: int, end: int, region: tuple[int, int],
    modal_question: bool = False, determiner: bool = True,
) -> bool:
    """Does the clause report the sign as happening to the patient now?

    Not a report: the subject of the question itself ("can I have a reaction?"), a report cue
    inside an "if" after the sign ("is bleeding a risk if I'm on eliquis?"), one that introduces
    a risk word ("there's less CHANCE of ..."), and, in a question about what CAN or WILL happen
    (`modal_question`), a cue without a present-tense verb ("could it still happen?")."""
    question_cues = structure.hits_in("hypothetical_question", *region) + structure.hits_in(
        "hypothetical_conditional", *region
    )
    tokens = structure.tokens
    modal_question = modal_question or (
        structure.is_question(start)
        and _modal_before(structure, region[0], end)
        and not _presupposes_now(structure, *structure.clause_range(start, end))
    )
    categories = ("current_report",) if modal_question else ("current_report", "current_time")
    for category in categories:
        for hit in structure.hits_in(category, *region):
            if hit.start >= end + 4 or _overlaps_any(hit, question_cues):
                continue
            if _question_part(structure, hit):
                continue
            if hit.start >= end and any(
                tokens[i].key in CONDITION_WORDS for i in range(end, hit.start)
            ):
                continue  # "is the infection risk higher IF I have diabetes?"
            if any(hit.end <= c.start <= hit.end + 2 for c in question_cues):
                continue  # "there's less CHANCE of hitting the lung"
            if tokens[hit.end - 1].lower in AUXILIARY_ENDINGS:
                continue  # "I'VE read these can..." is not a report on its own
            if modal_question and not _present_form(tokens, hit):
                continue
            return True
    # "would a collapsed lung cause THIS PAIN when I breathe in?": "this" inside the sign
    # points at what the patient has
    if any(tokens[k].key in ("this", "these") for k in range(start + 1, end - 1)):
        return True
    # "can I drive to A&E WITH chest pain?": the patient has it
    before = start - 1
    while before >= region[0] and tokens[before].key in ARTICLES:
        before -= 1
    if (
        modal_question
        and before >= region[0]
        and tokens[before].key == "with"
        and any(tokens[k].key == "i" for k in range(region[0], before))
        # "will I END UP with huge bruises?", "will I be LEFT with a dent?" ask about a result
        and not (before - 1 >= region[0] and tokens[before - 1].key in ("up", "leave", "left"))
    ):
        return True
    # "is the swelling normal?", "should I worry about this rash?" (but "the chances of THE
    # skin dimpling" is generic, and "could MY face droop?" names a body part, not a sign)
    if not determiner or start - 1 < region[0] or tokens[start - 1].key not in DETERMINERS:
        return False
    body = structure.words.get("body_words", frozenset())
    if modal_question and (tokens[start].key in body or tokens[start].lower in body):
        return False  # "could MY FACE droop?" names a body part
    if tokens[start - 1].key == "the" and any(
        c.start <= start - 1 < c.end <= end for c in question_cues
    ):
        return False  # "would THE numbing stuff ...": the article belongs to the question
    if any(tokens[i].key in MODALS for i in range(start, end)):
        return False  # "is it likely my face WOULD droop?" asks about the future
    if modal_question and start - 2 >= region[0] and tokens[start - 2].key in POSSIBILITY_MODALS:
        return False  # "can MY sugars go up?": the subject of the question
    if tokens[start - 1].key in ("this", "these"):
        return True  # "would a collapsed lung cause THIS pain?" points at the patient's own
    return not (
        start - 2 >= region[0]
        and tokens[start - 2].key in (GENERIC_BEFORE_THE if tokens[start - 1].key == "the"
                                      else CAUSATIVE_VERBS)
    )


def _strong_current(structure: TextStructure, region: tuple[int, int]) -> bool:
    return bool(structure.hits_in("strong_current", *region))


def _conditional_scope_end(structure: TextStructure, cue: Hit) -> int:
    """Where an "if" clause ends: at the sentence end, or where a new subject starts the main
    clause ("if I breathe in, my chest hurts" / "if I breathe in it hurts"). Not a new subject:
    one joined by "and"/"or" ("what if I'm home alone AND I pass out?"), a relative "that" ("if
    I get a bruise THAT's bigger..."), or "my" after a verb of noticing ("if I FEEL MY throat
    closing")."""
    tokens = structure.tokens
    _, s_end = structure.sentence_range(cue.start)
    seen_subject = False
    i = cue.end
    while i < s_end:
        token = tokens[i]
        if token.is_break or (i in structure.boundaries and token.lower != ","):
            return i  # a sentence end, or "but"/"however": the main clause is a new statement
        if token.key in SUBJECT_KEYS and token.key not in RELATIVE_WORDS:
            previous = tokens[i - 1].key if i > cue.end else ""
            joined = previous in ("and", "or", "nor")
            noticed = (token.key in ("my", "his", "her", "their", "our") and (
                previous in NOTICING_VERBS
            )) or previous in REPORTING_VERBS  # "if she NOTICES I'm confused"
            if seen_subject and i > cue.end + 1 and not joined and not noticed:
                return i
            seen_subject = True
        if (
            seen_subject and i > cue.end + 1 and token.lower in INVERTED_PAIR_FIRST
            and i + 1 < s_end and tokens[i + 1].lower in INVERTED_PAIR_SECOND
        ):
            return i  # "if I get hives all over IS THAT an allergy": the main clause asks
        if token.lower == "," and i + 1 < s_end and (
            tokens[i + 1].key in SUBJECT_KEYS or tokens[i + 1].key in QUESTION_OPENERS
        ):
            return i  # "if ..., my chest hurts" / "what if ..., IS that still a reaction?"
        i += 1
    return s_end


def _advice_sentence(structure: TextStructure, index: int) -> bool:
    return structure.is_advice(index)


def in_conditional(structure: TextStructure, start: int, end: int) -> bool | None:
    """True: inside a conditional ("what if I get a fever?", "if it hurts to breathe should I
    go to the ER?"); False: a conditional that also reports it now; None: no conditional."""
    s_start, _ = structure.sentence_range(start)
    for cue in structure.hits_starting_in("hypothetical_conditional", s_start, start):
        if structure.uncertainty_just_before(cue.start):
            continue  # "not sure if", "can't tell if": uncertain, which counts as present
        words = range(cue.start, cue.end)
        plain_if = all(structure.tokens[i].key in PLAIN_IF_KEYS for i in words)
        if plain_if and not _advice_sentence(structure, start) and not _inverted_pair_after(
            structure, cue.end
        ):
            continue  # "it hurts if I breathe in" reports the sign
        scope_end = structure.conditional_scope_end(cue)
        if end <= scope_end:
            # "what if it's infected? it's red right NOW" reports it
            return not _strong_current(structure, (cue.start, scope_end))
        if _asks_about_the_condition(structure, cue, scope_end, start, end):
            return True
    return None


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
    head = s_start
    while head < s_end and tokens[head].key in QUESTION_LEAD_INS:
        head += 1
    if head + 2 >= s_end or tokens[head].lower != "should":
        return None
    if tokens[head + 1].key not in INVERTED_IF_SUBJECTS:
        return None  # "should I call?" asks what to do
    scope_end = next((i for i in range(head + 1, s_end) if tokens[i].lower == ","), s_end)
    if scope_end + 1 >= s_end:
        return None  # no main clause: "should the spot feel warm four days later?" asks now
    if not any(tokens[k].key in CHANGE_VERBS for k in range(head + 2, min(head + 6, scope_end))):
        return None
    if start < scope_end:
        return not _strong_current(structure, (head, scope_end))
    cue = Hit("cue", "inverted_conditional", 0, head, head + 1)
    return True if _asks_about_the_condition(structure, cue, scope_end, start, end) else None


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
    return not _current_report(structure, start, end, region, modal_question=True,
                               determiner=False)


def _modal_before(structure: TextStructure, low: int, end: int) -> bool:
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
        if PRESENT_AFTER_MODAL.intersection(following):
            continue
        indefinite = i + 1 < len(tokens) and (
            tokens[i + 1].key in ("a", "an", "any", "some") or (i + 1) in structure.occupied
        )
        if not indefinite and any(
            tokens[k].lower == "be" for k in range(i + 1, min(end + 2, len(tokens)))
        ):
            # "could the redness BE an infection?", "could my speech BE from it?" ask about now;
            # "would A RASH afterwards be an allergy?", "could SWELLING be a reaction?" do not
            continue
        if _new_subject_between(structure, i + 1, end):
            continue
        return True
    return False


def _presupposes_now(structure: TextStructure, low: int, high: int) -> bool:
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
        return any(key in ENDING_VERBS for key in keys)
    return False


def _new_subject_between(structure: TextStructure, first: int, end: int) -> bool:
    """After the modal's own subject, a person or "my ..." that is not the object of a verb of
    causing or of a preposition starts a new statement: "can you send an ambulance | I can't
    breathe" (but "could it make MY heart race?", "could the pain spread to MY chest?")."""
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
            "to", "that", "if", "whether", "when", "than", "and", "or", "me", "you", "where"
        ) or (j - 1) in structure.person_nouns or tokens[j - 1].key in NEW_SUBJECTS:
            continue
        return True
    return False


def _clause_head(structure: TextStructure, low: int, start: int) -> int:
    """The first word of the clause that is not a greeting or filler ("so", "hi", "ok")."""
    tokens = structure.tokens
    head = low
    while head < start and tokens[head].key in QUESTION_LEAD_INS:
        head += 1
    return head


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
    if _modal_before(structure, low, end) and not _presupposes_now(structure, low, high):
        return "modal"
    head = _clause_head(structure, low, start)
    if head > start:
        return None
    key = tokens[head].key
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
        return "generic" if generic else None
    if key == "do" and tokens[head].lower in ("do", "does", "did"):
        subject = head + 1
        if subject >= len(tokens) or subject > start:
            return None
        if tokens[subject].key in PERSONAL_WORDS | NEGATION_KEYS:
            return None  # "do I have an infection?", "does my arm look red?"
        own = structure.words.get("own_site_words", frozenset())
        if any(tokens[k].key in own for k in range(subject, start)):
            return None
        return "generic"  # "do older people bleed more?", "do bruises get big on thinners?"
    return None


PROCEDURE_WORDS = frozenset({"injection", "injections", "shot", "shots", "needle", "needles", "jab",
                             "jabs", "procedure", "tpi", "tpis", "treatment", "lidocaine"})
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


def is_hypothetical(structure: TextStructure, start: int, end: int) -> bool:
    s_start, s_end = structure.sentence_range(start)
    clause = structure.clause_range(start, end)
    # conditional: "what if I get a fever?", "if it hurts to breathe should I go to the ER?"
    conditional = in_conditional(structure, start, end)
    if conditional is None:
        conditional = inverted_conditional(structure, start, end)
    if conditional is not None:
        return conditional
    # general question: "is it normal to have a fever after TPI?"
    # ("why is my arm red?", "why does it feel warm?" ask about what is happening now)
    why = structure.tokens[s_start].key == "why"
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
        if not _same_question(structure, cue.end, start):
            continue  # "who do I call, my husband collapsed" reports it
        if cue.end < len(tokens) and tokens[cue.end].key in structure.words.get(
            "own_site_words", frozenset()
        ):
            continue  # "does it LOOK infected?", "does the injection SITE look red?" report it
        return not _current_report(structure, start, end, clause)
    # "Is redness normal after TPI?", "Can hives be a side effect?"
    # ("Couldn't catch my breath, seems ok now" opens with a statement, not a question.)
    opener = structure.tokens[s_start].key
    opener_negated = s_start + 1 < s_end and structure.tokens[s_start + 1].key in NEGATION_KEYS
    if (
        opener in QUESTION_OPENERS
        and not opener_negated
        and structure.hits_starting_in("trailing_question", end, s_end)
    ):
        return not _current_report(structure, start, end, clause)
    if not why:
        kind = _generic_question(structure, start, end)
        if kind == "procedure":
            return True
        if kind:
            return not _current_report(structure, start, end, clause, kind == "modal")
    return False


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
        if following not in structure.occupied:
            return False
    return True


def reported_later(structure: TextStructure, start: int, end: int) -> bool:
    """A follow-up such as "because I have them" after a question about a sign, or one that
    dates it right after a question that is not an "if" ("is it normal to be puffing sitting
    still?? DAY 2 NOW")."""
    if structure.reported_after(end):
        return True
    return _dated_next(structure, start) and in_conditional(structure, start, end) is None


DATING_LEAD_INS = frozenset({"it", "be", "its", "now", "my", "this", "i", "on", "the", "im",
                             "and", "so", "but", "already", "that"})


def _dated_next(structure: TextStructure, index: int) -> bool:
    """The sentence after the sign's question opens by dating it ("3rd day", "it's my second
    day like this", "two days now") and is not a question itself."""
    number = structure.sentence_of[index]
    if not structure.is_question(index):
        return False
    tokens = structure.tokens
    number += 1  # the next sentence with words ("?? day 2" has an empty one in between)
    while number < len(structure.sentences) and all(
        tokens[k].is_punct for k in range(*structure.sentences[number])
    ):
        number += 1
    if number >= len(structure.sentences):
        return False
    n_start, n_end = structure.sentences[number]
    if n_start >= len(tokens) or structure.is_question(n_start):
        return False
    for hit in structure.hits_in("dating_follow_up", n_start, n_end):
        if all(tokens[k].key in DATING_LEAD_INS or tokens[k].lower in DATING_LEAD_INS
               for k in range(n_start, hit.start)):
            return True
    return False


LUNG_INJURY = frozenset({"collapse", "collapsed", "collapsing", "puncture", "punctured", "pop",
                         "popped", "nick", "nicked", "pierce", "pierced", "hit"})
PERSONAL_BEFORE_TOPIC = frozenset({"i", "my", "me", "mine", "he", "she", "his", "her", "they",
                                   "their", "we", "our", "this", "that", "these", "those", "the",
                                   "it", "its", "im", "ive"})


def _trailing_risk(structure: TextStructure, start: int, end: int) -> bool:
    """A risk question after a sign named like a heading: "collapsed lung after neck injections
    how common", "pneumothorax risk with these?". Not when anything before the sign says whose
    it is ("MY chest pain, how common is that?") or the sentence dates it ("...since the shot",
    "now"), nor with a report cue ("I have")."""
    s_start, s_end = structure.sentence_range(start)
    if not structure.hits_in("trailing_risk", end, s_end):
        return False
    tokens = structure.tokens
    # only a complication named as a topic ("collapsed lung", "nerve damage", "infection"), not
    # a symptom described ("chest pain, how common?", "blurry vision how likely" may be now)
    names = structure.words.get("complication_names", frozenset())
    keys = {tokens[k].key for k in range(start, end)} | {tokens[k].lower for k in range(start, end)}
    lung = bool(keys & {"lung", "lungs"})
    if not (keys & names or (lung and keys & LUNG_INJURY)):
        return False
    if any(tokens[k].key in PERSONAL_BEFORE_TOPIC or tokens[k].lower in PERSONAL_BEFORE_TOPIC
           or k in structure.person_nouns for k in range(s_start, start)):
        return False
    return not any(
        structure.hits_in(category, s_start, s_end)
        for category in ("current_report", "current_time", "history_recent")
    )


# ---------------------------------------------------------------------- history, person
def is_history_before(structure: TextStructure, start: int, end: int) -> bool:
    """History clearly before the procedure: a time before it anywhere in the sentence ("I had a
    fever last year before any injections"), or a long-standing condition in the same part of
    the sentence ("migraines for years"). Not when the sentence brings it back to now ("...,
    now it's worse") or the sign's own part of the sentence is in the present tense ("I had TPI
    last year and my arm IS swollen")."""
    s_start, s_end = structure.sentence_range(start)
    local = structure.local_range(start, end)
    before = bool(structure.hits_in("history_before", s_start, s_end)) or _ends_with_once(
        structure, s_start, s_end
    )
    long_standing = bool(structure.hits_in("long_standing", s_start, s_end))
    condition = bool(structure.hits_in("history_condition", *local)) or long_standing
    if not (before or condition):
        return False
    clause = structure.clause_range(start, end)
    if structure.hits_in("back_again", *clause) and not long_standing:
        return False  # "... and NOW it's swollen" (but "STILL droops since 2012" is old)
    tokens = structure.tokens
    if any(
        not _never_again(tokens, h.start, s_end)
        for h in structure.hits_in("back_again_strong", s_start, s_end)
    ):
        return False
    return condition or not any(
        _is_present_tense(structure, hit) for hit in structure.hits_in("present_tense", *local)
    )


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


def _is_present_tense(structure: TextStructure, hit: Hit) -> bool:
    """"'s" is "is" after a pronoun or a body word ("it's", "the site's swollen"), but a
    possessive after anything else ("the DENTIST'S lidocaine", "my MUM'S speech")."""
    tokens = structure.tokens
    if tokens[hit.start].lower not in ("'s", "s") or hit.start == 0:
        return True
    before = tokens[hit.start - 1]
    body = structure.words.get("body_words", frozenset())
    return before.key in SUBJECT_KEYS or before.key in PRONOUN_IS or before.key in body


def is_other_person(structure: TextStructure, start: int) -> bool:
    """The closest person named before the sign in its sentence is someone else ("my husband
    can't breathe", "she is confused"); "my husband says I look pale" stays the patient."""
    last_first, last_other = structure.person_before(start)
    if last_other < 0:
        return False
    return last_other > last_first


def is_history_recent(structure: TextStructure, start: int, end: int) -> bool:
    s_start, s_end = structure.sentence_range(start)
    return bool(structure.hits_in("history_recent", s_start, s_end))


def is_uncertain(structure: TextStructure, start: int, end: int) -> bool:
    clause = structure.clause_range(start, end)
    s_start, _ = structure.sentence_range(start)
    region = (min(clause[0], s_start), clause[1])
    return bool(structure.hits_in("uncertainty", *region))


# ---------------------------------------------------------------------- decision
def analyse(
    structure: TextStructure, start: int, end: int, own: frozenset[tuple[str, ...]] = frozenset(),
    emergency: bool = False, said_of_things: bool = False,
) -> ContextResult:
    """Decide the context rule for the token span [start, end)."""
    if is_negated(structure, start, end, own):
        return ContextResult(NEGATED, negated=True)
    if is_figurative(structure, start, end, emergency, said_of_things):
        return ContextResult(FIGURATIVE, figurative=True)
    if (
        is_hypothetical(structure, start, end) or _trailing_risk(structure, start, end)
    ) and not reported_later(structure, start, end):
        return ContextResult(HYPOTHETICAL, hypothetical=True)
    if is_history_before(structure, start, end):
        return ContextResult(HISTORY_BEFORE, history_before=True)
    other = is_other_person(structure, start)
    recent = is_history_recent(structure, start, end)
    uncertain = is_uncertain(structure, start, end)
    if other:
        rule = OTHER_PERSON
    elif recent:
        rule = HISTORY_RECENT
    elif uncertain:
        rule = UNCERTAIN
    else:
        rule = PRESENT
    return ContextResult(
        rule, other_person=other, history_recent=recent, uncertain=uncertain
    )
