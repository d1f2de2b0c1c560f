"""A message read in both languages: which reading decides a sign asked about.

A message whose language is unsure is read by both languages' rules and the higher level wins,
so that a Spanish word in an English message (or the reverse) loses nothing. But a word the two
languages share ("pus", "vomito") is then also read by the rules that cannot read the message's
grammar: "y si sale pus?" is a what-if to the Spanish rules and a report of pus to the English
ones, which do not know "si".

So when every function word of the message is of one language (two or more of them, none of the
other: nlp.language_choice.context_language), that language's reading decides a sign it read
inside a question or a condition: the other reading's finding of the same sign, over the same
words, is dropped. Nothing else is: a negation, a story from before or a figure of speech stays
the other reading's to overrule (a review of a broader version found real reports lost: "no tenía
pus, ahora sí", a rhetorical "¿no tendrá pus?"; safety/README.md, "Mixed-language reading"), and
a sign the deciding language did not read there at all ("chest pain" in a Spanish sentence) is
kept.
"""

from __future__ import annotations

from .assessment import Assessment, Finding
from .context import HYPOTHETICAL
from .levels import INFO


def _asked(finding: Finding) -> bool:
    return finding.level == INFO and finding.rule == HYPOTHETICAL


def decide(assessments: list[Assessment], reading: list[str],
           context: str | None) -> list[Assessment]:
    """`assessments[i]` is the reading in `reading[i]`; `context` the language of every function
    word of the message (None: mixed or too few). Returns the readings with the other language's
    findings that the context language read as asked about taken out."""
    if context is None or context not in reading or len(reading) < 2:
        return assessments
    own = assessments[reading.index(context)]
    told = {f.sign for f in own.findings if f.escalates}
    asked = [f for f in own.findings if _asked(f) and f.sign not in told]
    if not asked:
        return assessments

    def overruled(finding: Finding) -> bool:
        return finding.escalates and any(
            finding.sign == a.sign and finding.start < a.end and a.start < finding.end
            for a in asked)

    return [a if code == context else Assessment(
                a.text, [f for f in a.findings if not overruled(f)], a.wellbeing,
                a.figure_of_speech, a.language)
            for code, a in zip(reading, assessments, strict=True)]
