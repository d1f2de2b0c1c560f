"""What a message's language means for the conversation (docs/languages.md).

The conversation's language is the Rasa slot `language` ("en" or "es"; not set = English). It is
set from the entity `language`, which rasa_components/language_id.py adds only when a message
decides it:

1. a request to switch ("in English please", "en español") sets the language it asks for;
2. a message that is surely English or Spanish (SURE_WORDS words or more and a fastText score of
   SURE_SCORE or more, or a greeting such as "hola" or "hello") sets its language - unless the
   other language's function words outnumber its own ("can it cuase nerve damge", which
   fastText reads as Spanish, has "can" and "it");
3. anything else ("ok", "gracias" after a Spanish conversation, an emoji, a mixed or unsure
   message) keeps the conversation's language.

A message surely in another language (OTHER_WORDS words or more, score OTHER_SCORE or more, and
fewer than OTHER_VETO English-only function words, or no more than Spanish ones) gets one short
reply in English and Spanish (utter_other_language); the conversation's language stays.

The safety layer does not wait for this choice: `reading_languages` says in which languages the
warning-sign detector reads a message (both, unless the message is surely in one of them).
"""

from __future__ import annotations

from nlp.language_id import SPOKEN, Guess

SURE_WORDS = 3
SURE_SCORE = 0.5
OTHER_WORDS = 4
OTHER_SCORE = 0.7
OTHER_VETO = 2
# a message with this many function words of each language is read in both, sure or not ("Can't
# catch my breath desde el piquete, y no es ansiedad")
MIXED = 2


def _outnumbered(guess: Guess) -> bool:
    """English or Spanish guessed, but the other one's function words are more."""
    english, spanish = guess.function_words
    return (guess.language == "en" and spanish > english) or (
        guess.language == "es" and english > spanish)


def is_sure(guess: Guess) -> bool:
    if guess.greeting:  # "hola", "hello": a greeting opens the conversation in its language
        return True
    return (guess.language in SPOKEN and guess.words >= SURE_WORDS and guess.score >= SURE_SCORE
            and not _outnumbered(guess))


def decided_language(guess: Guess) -> str | None:
    """The language this message sets for the conversation, or None (it keeps it)."""
    if guess.switch_to:
        return guess.switch_to
    return guess.language if is_sure(guess) else None


def other_language(guess: Guess) -> str | None:
    """The code of a language the assistant does not speak, when the message is surely in it."""
    if guess.switch_to or guess.language in SPOKEN or not guess.language:
        return None
    english, spanish = guess.function_words
    if english >= OTHER_VETO and english > spanish:
        # "whats the sucess rate of it" is typed English, whatever fastText says (Spanish
        # function words do not veto: Portuguese and Italian share many of them)
        return None
    if guess.words >= OTHER_WORDS and guess.score >= OTHER_SCORE:
        return guess.language
    return None


def context_language(guess: Guess) -> str | None:
    """The language of every function word of the message (MIXED or more, none of the other
    language's), or None: the language whose rules read its grammar ("y si sale pus?": Spanish;
    safety/two_readings.py)."""
    english, spanish = guess.function_words
    if spanish >= MIXED and not english:
        return "es"
    if english >= MIXED and not spanish:
        return "en"
    return None


def reading_languages(guess: Guess) -> tuple[str, ...]:
    """The languages the warning-sign detector reads the message in: the sure one first, else
    both (so "fiebre" in an English conversation, or a mixed message, loses nothing); a message
    that mixes the two languages' function words is read in both, the sure one first."""
    if is_sure(guess) and not guess.switch_to and min(guess.function_words) < MIXED:
        return (guess.language,)
    first = guess.language if guess.language in SPOKEN else "en"
    return (first, *[code for code in SPOKEN if code != first])
