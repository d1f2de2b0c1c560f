"""The detector's answer: findings (one per warning word in context) and the overall level."""

from __future__ import annotations

from dataclasses import dataclass

from .levels import ESCALATING, LEVEL_RANK


@dataclass(frozen=True)
class Finding:
    sign: str  # sign id from vocabulary.yml
    label: str  # patient-facing words
    level: str | None  # level after context (None: negated / before the procedure)
    text: str  # the matched text, exactly as written
    start: int  # character offsets into the message: message[start:end] == text
    end: int
    rule: str  # the context rule that decided the level
    sign_level: str = ""  # the sign's level in the vocabulary, before context

    @property
    def escalates(self) -> bool:
        return self.level in ESCALATING

    def to_dict(self) -> dict:
        return {
            "sign": self.sign,
            "label": self.label,
            "level": self.level,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
            "escalates": self.escalates,
        }


def join_phrases(phrases: list[str], conjunction: str = "and") -> str:
    if not phrases:
        return ""
    if len(phrases) == 1:
        return phrases[0]
    return ", ".join(phrases[:-1]) + f" {conjunction} " + phrases[-1]


@dataclass(frozen=True)
class Assessment:
    text: str
    findings: list[Finding]
    wellbeing: bool = False  # an un-negated, uncontrasted "I'm fine" statement (see context_cues)
    # the message names the body only inside figures of speech ("get this off my chest")
    figure_of_speech: bool = False
    language: str = "en"  # the language of the labels ("en", "es")

    @property
    def level(self) -> str | None:
        levels = [f.level for f in self.findings if f.level in LEVEL_RANK]
        if not levels:
            return None
        return max(levels, key=LEVEL_RANK.__getitem__)

    @property
    def escalates(self) -> bool:
        return self.level in ESCALATING

    @property
    def signs(self) -> list[str]:
        """Ids of the escalating findings, in text order, without duplicates."""
        seen: dict[str, None] = {}
        for finding in sorted(self.findings, key=lambda f: f.start):
            if finding.escalates:
                seen.setdefault(finding.sign, None)
        return list(seen)

    def findings_at(self, level: str) -> list[Finding]:
        return [f for f in self.findings if f.level == level]

    def summary(self) -> str:
        """Patient-facing phrase naming what was found, most urgent first:
        "a temperature of 101 °F and redness at the injection site"."""
        level = self.level
        if level is None:
            return ""
        if level in ESCALATING:
            chosen = [f for f in self.findings if f.escalates]
            chosen.sort(key=lambda f: (-LEVEL_RANK[f.level], f.start))
        else:
            chosen = sorted(self.findings_at(level), key=lambda f: f.start)
        labels: list[str] = []
        for finding in chosen:
            if finding.label not in labels:
                labels.append(finding.label)
        return join_phrases(labels, "y" if self.language == "es" else "and")

    def to_dict(self) -> dict:
        return {
            "level": self.level,
            "escalates": self.escalates,
            "signs": self.signs,
            "summary": self.summary(),
            "findings": [f.to_dict() for f in self.findings],
            "wellbeing": self.wellbeing,
            "figure_of_speech": self.figure_of_speech,
        }
