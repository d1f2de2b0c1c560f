"""Word sets that more than one family of context rules uses (compared with a token's key or
its written form). A family's own words live in its module."""

from __future__ import annotations

NEGATION_KEYS = frozenset(
    {"no", "not", "never", "without", "none", "nor", "neither", "zero", "nope"}
)
# "plain" conditional cue: index of "if|whether|unless" in hypothetical_conditional
PLAIN_IF_KEYS = frozenset({"if", "whether", "unless"})
# A new subject inside an "if" clause starts the main clause ("if I breathe in IT hurts").
SUBJECT_KEYS = frozenset({"i", "it", "my", "there", "he", "she", "we", "they", "this", "that",
                          "everything", "its"})
# words that split a clause into its local parts (TextStructure.local_range)
LOCAL_SPLITTERS = frozenset({"and", "then", "so", "because", "plus", "while", "also"})
# A sentence opening with one of these is a yes/no question ("Is swelling normal?").
QUESTION_OPENERS = frozenset({"be", "can", "do", "will", "would", "should", "could", "may",
                              "might", "shall", "how", "what", "when", "which"})
# Figurative frame 2: a thing that is the object of one of these belongs to the word before it
# ("my ARM in the car is red" is about the arm; "the WATER in the shower was hot" is not).
PREPOSITIONS = frozenset({"in", "on", "at", "of", "from", "inside", "with", "under", "near",
                          "by", "into", "onto", "outside", "around"})
# articles, demonstratives and possessives before a noun
ARTICLES = frozenset({"the", "a", "an", "this", "that", "these", "those", "my", "our", "your",
                      "his", "her", "their", "its"})
# Generic questions (rules 5 and 10, questions.py): modals of possibility or future ("could the
# shot make my leg go weak?"), and what follows them in a report ("I could BARELY swallow?").
POSSIBILITY_MODALS = frozenset({"can", "could", "will", "would", "might", "may", "shall"})
# quotation marks, straight and curly: the page's words quoted (page_words.py) and what a
# reader saw ("the first thing I saw was 'COLLAPSED LUNG'", questions.py)
QUOTE_MARKS = frozenset({"'", '"', "‘", "’", "“", "”"})
# what judges words rather than telling a sign ("that's really VAGUE", "it's UNCLEAR"): after a
# quoted term (questions.py) or the page's words (page_words.py)
SAID_OF_WORDS = frozenset({"vague", "unclear", "confusing", "broad", "general", "wide",
                           "subjective", "ambiguous"})
REPORT_AFTER_MODAL = frozenset({"barely", "hardly", "only", "just", "scarcely", "still"})
QUESTION_LEAD_INS = frozenset({"so", "and", "ok", "okay", "hi", "hello", "hey", "also", "like",
                               "sorry", "um", "well", "hola", "then", "plus", "or", "oh",
                               "please", "quick", "question", "realistically", "honestly",
                               "seriously", "generally", "hypothetically", "basically", "doc",
                               "doctor", "nurse", "and/or", "anyway", "btw", "q", "but"})
WH_WORDS = frozenset({"how", "what", "when", "which", "who", "where", "whom", "why"})
# "the"/"my" after these is generic: "the chances OF the skin dimpling", "CAUSE the skin to
# thin", "could it MAKE my pain worse?"
CAUSATIVE_VERBS = frozenset({"cause", "make", "give", "affect", "trigger", "damage", "harm",
                             "hit", "puncture", "irritate", "worsen", "aggravate", "raise",
                             "increase", "mess", "upset", "leave", "turn", "nick", "pierce",
                             "injure", "inflame", "numb", "paralyse", "paralyze", "weaken",
                             "reach", "touch", "lower", "drop", "spike", "send", "put",
                             "collapse", "pop", "burst", "push", "elevate", "boost"})
# the writer themself, by the tokens' keys ("I'm", "I've" and "I'll" unsplit too)
FIRST_PERSON_KEYS = frozenset({"i", "me", "my", "mine", "myself", "im", "i'm", "ive", "i've",
                               "id", "i'd", "ill", "i'll"})
# possessives ("my", "our"): not a person named as a subject
POSSESSIVES = frozenset({"my", "our", "your", "his", "her", "their", "its", "mine"})
# Inside an "if" clause these do not start the main clause: "if I get a bruise THAT's bigger",
# "if I FEEL my throat closing".
RELATIVE_WORDS = frozenset({"that", "this", "which", "who"})
# a report cue after one of these belongs to a condition ("...higher IF I have diabetes?")
CONDITION_WORDS = frozenset({"if", "whether", "unless", "case", "when", "whenever"})
# "TO A friend", "happened to SOME people", "why would A person ...": somebody unnamed (with
# context_cues.yml's `unnamed_people`)
UNNAMED_QUANTIFIERS = frozenset({"a", "an", "some", "lots", "many", "loads", "plenty", "several",
                                 "few"})
# a lung that collapses or is punctured: a complication named, not a symptom described
LUNG_INJURY = frozenset({"collapse", "collapsed", "collapsing", "puncture", "punctured", "pop",
                         "popped", "nick", "nicked", "pierce", "pierced", "hit"})
# the procedure named as a subject: "is THE INJECTION painful?"
PROCEDURE_WORDS = frozenset({"injection", "injections", "shot", "shots", "needle", "needles", "jab",
                             "jabs", "procedure", "tpi", "tpis", "treatment", "lidocaine"})
# what happens as a rule, to anyone: "the numbness USUALLY wears off in an hour"
USUAL_ADVERBS = frozenset({"usually", "normally", "typically", "generally"})
# irregular past forms: a verb told in the past ("FELL getting out of bed", "scared of needles
# and WENT dizzy"), beside the regular "-ed"
IRREGULAR_PAST = frozenset({"was", "were", "had", "got", "went", "felt", "fell", "came", "threw",
                            "bled", "broke", "hurt", "blacked", "began", "woke"})
# "have/has HAD", "have BEEN": the perfect
PERFECT_PARTICIPLES = frozenset({"had", "been", "got", "gotten", "suffered", "experienced"})
# a question opening with one of these asks about now or later ("... CAN she still?")
QUESTION_MODALS = frozenset({"can", "could", "will", "would", "should", "may", "might", "is",
                             "are", "does", "do"})
# "I want to KNOW if", "I was WONDERING whether", "quería SABER si", "me PREGUNTO si": the "if"
# just after one of these (within ASKING_FRAME_REACH words; with context_cues.yml's
# `asking_verbs`) asks, it sets no condition
ASKING_FRAME_VERBS = frozenset({"know", "wonder", "ask", "curious", "saber", "pregunto",
                                "preguntaba", "preguntar", "consultar", "consulto", "averiguar"})
ASKING_FRAME_REACH = 3
# what gives the reason, and so starts a clause of its own ("... BECAUSE I can't stop it")
# the writer's own injection still planned: "I'm SUPPOSED to get mine", "I'm BOOKED for Friday"
PLANNED_WORDS = frozenset({"supposed", "scheduled", "booked", "due"})
BECAUSE_WORDS = frozenset({"because", "cause", "cuz", "coz", "cos", "bc", "since", "porque",
                           "pues"})
# what the writer is, not what they feel: "I'M A NURSE so I know what a pneumothorax is", "im
# DIABETIC, will the steroid push my sugar up?"
STANDING_TRAITS = frozenset({"nurse", "doctor", "pharmacist", "paramedic", "medic", "physio",
                             "physiotherapist", "student", "carer", "caregiver", "diabetic",
                             "pregnant", "asthmatic", "epileptic", "vegetarian", "vegan"})
