"""Reading ease of a Spanish patient text: Fernández-Huerta (and Szigriszt-Pazos / INFLESZ), with
an in-house Spanish syllable counter, measured on the text as the patient sees it.

Why not textstat's Spanish: textstat 0.7.8 has the formulas but counts syllables with pyphen's
hyphenation points, which never leave a vowel alone at a word's edge ("u-na", "o-cho", "a-cu-da"
come out one syllable short) and so overstate Spanish ease by 10-15 points
(experiments/spanish/packages.md, section 4). Spanish spelling says where syllables are, so a
few rules count them exactly:

- every syllable has one vowel nucleus: a run of vowels is one nucleus, except where it splits;
- two strong vowels (a, e, o) side by side are two syllables (hiatus): "le-er", "po-e-ta";
- an accented i or u (í, ú) is strong: "dí-a", "pa-ís", "re-ú-ne"; an unaccented i, u (or ü)
  next to any vowel joins it (diphthong, triphthong): "ciu-dad", "a-cción", "buey";
- the same weak vowel twice splits: "chi-i-ta";
- the u of "que", "qui", "gue", "gui" is silent ("que-so", "gui-ta-rra"), the ü of "güe", "güi" is
  not ("pin-güi-no");
- y is a vowel at the end of a word ("hoy", "muy", "Pa-ra-guay") and as the word "y"; elsewhere
  it is a consonant ("a-yu-da", "in-yec-ción");
- h is a consonant here (spelling, not sound: "a-hí", "pro-hi-bir").

A token with letters but no vowel ("°F", "m.") or with digits only ("911", "100.4"), and a link
or e-mail address, counts as one word of one syllable: it is tapped or read at a glance, not read
as prose; counting its letters would make a message that gives the clinic's booking link look
harder than its sentences are (the placeholder link of the default profile alone would take 16
points off a 34-word message), and a clinic with a longer address would score lower for the same
sentences.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from clinic import hours, load_profile
from content.model import fill

# The bars the Spanish texts are held to (tests/content/test_spanish.py gives the reasons): each
# message at least "bastante fácil", the median at least "fácil".
MIN_EASE = 70.0
MEDIAN_EASE = 80.0

STRONG = set("aeoáéóíú")  # í and ú: an accent on a weak vowel makes it a syllable of its own
WEAK = set("iuüy")
VOWELS = STRONG | WEAK

# A word: letters (with Spanish accents), digits, and the marks that stay inside a token.
_TOKEN = re.compile(r"[^\s]+")
_LETTERS = re.compile(r"[a-záéíóúüñ]+")
_LINK = re.compile(r"^\W*(?:[a-z][a-z0-9+.-]*://|www\.|[^\s@]+@[^\s@]+\.)", re.IGNORECASE)
# A sentence ends at . ! ? (or …) followed by a space, a closing mark or the end: "100.4" and
# "www.example.com" go on. A full stop right after a one-letter word is an abbreviation's
# ("8 a. m."), not an end, unless a capital (or ¿ ¡) follows.
_SENTENCE_END = re.compile(r"[.!?…]+(?=[\s)\]\"”»]|$)")
_ABBREVIATION = re.compile(r"(?:^|[\s(])[^\W\d_]$")


def syllables(word: str) -> int:
    """The syllables of one Spanish word (0 for a token without letters or digits)."""
    text = unicodedata.normalize("NFC", word.lower())
    if _LINK.match(text):
        return 1
    parts = _LETTERS.findall(text)
    if not parts:
        return 1 if any(c.isdigit() for c in text) else 0
    return max(1, sum(_syllables_of_letters(part) for part in parts))


def _syllables_of_letters(word: str) -> int:
    # The silent u of que, qui, gue, gui (not güe, güi).
    word = re.sub(r"([qg])u(?=[eéií])", r"\1", word)
    count, previous = 0, ""  # previous: the last vowel of the current vowel run, "" outside one
    for index, char in enumerate(word):
        if char == "y":
            # A vowel at the end of the word ("hoy", "y"), or before a consonant; else a consonant.
            following = word[index + 1] if index + 1 < len(word) else ""
            if following and following in VOWELS:
                previous = ""
                continue
        if char not in VOWELS:
            previous = ""
            continue
        if not previous:
            count += 1
        elif (previous in STRONG and char in STRONG) or (previous == char and char in WEAK):
            count += 1  # hiatus
        previous = char
    return count


def tokens(text: str) -> list[str]:
    """The words of a text as read: tokens with a letter or a digit (a bullet's "-" is none)."""
    return [t for t in _TOKEN.findall(text) if any(c.isalnum() for c in t)]


def sentences(text: str) -> int:
    """Sentences: the stretches between end marks (. ! ?) that hold a word; at least 1."""
    count, start = 0, 0
    for end in _SENTENCE_END.finditer(text):
        following = text[end.end():].lstrip()[:1]
        if (end.group() == "." and _ABBREVIATION.search(text[start:end.start()])
                and not (following.isupper() or following in ("¿", "¡"))):
            continue  # "8 a. m. a 5 p. m." goes on; "... 5 p. m. Llame." ends at "m."
        count += bool(tokens(text[start:end.start()]))
        start = end.end()
    count += bool(tokens(text[start:]))
    return max(1, count)


def counts(text: str) -> tuple[int, int, int]:
    """(words, syllables, sentences) of a text."""
    found = tokens(text)
    return len(found), sum(syllables(t) for t in found), sentences(text)


def fernandez_huerta(text: str) -> float:
    """Fernández-Huerta (1959) in its usual corrected form, as textstat has it:
    206.84 - 60 x syllables per word - 1.02 x words per sentence. 90-100 muy fácil, 80-90 fácil,
    70-80 bastante fácil, 60-70 normal, 50-60 bastante difícil, below 50 difícil."""
    n_words, n_syllables, n_sentences = counts(text)
    if not n_words:
        return 0.0
    return 206.84 - 60 * n_syllables / n_words - 1.02 * n_words / n_sentences


def szigriszt_pazos(text: str) -> float:
    """Szigriszt-Pazos perspicuity (the INFLESZ scale): 206.835 - 62.3 x syllables per word -
    words per sentence. Below 40 muy difícil, 40-55 algo difícil, 55-65 normal, 65-80 bastante
    fácil, above 80 muy fácil."""
    n_words, n_syllables, n_sentences = counts(text)
    if not n_words:
        return 0.0
    return 206.835 - 62.3 * n_syllables / n_words - n_words / n_sentences


# --- the text as the patient sees it ------------------------------------------------------------
@cache
def slots_es() -> dict[str, str]:
    """The clinic profile's slots with the opening hours in Spanish."""
    profile = load_profile()
    slots = profile.as_slots()
    if profile.weekly_hours:
        slots["opening_hours"] = hours.describe(profile.weekly_hours, "es")
    return slots


def as_sent_es(text: str) -> str:
    return fill(text, **slots_es())


def ease(text: str) -> float:
    """Fernández-Huerta of a Spanish text with the clinic's details filled in."""
    return fernandez_huerta(as_sent_es(text))


def words_es(text: str) -> int:
    """Words as read, the clinic's details filled in: a bullet's "- " marker is not one."""
    return len(tokens(as_sent_es(text)))
