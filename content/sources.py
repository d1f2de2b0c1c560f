"""Check that a statement's quotes are in its source file (spacing and quote marks aside)."""

from __future__ import annotations

import re
from functools import cache

from content.model import SOURCE_FILES, SOURCES, Statement

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip().lower()


@cache
def source_text(source: str) -> str:
    return normalise((SOURCES / SOURCE_FILES[source]).read_text(encoding="utf-8"))


def problems(statement: Statement) -> list[str]:
    """What is wrong with a statement's sourcing; empty when it is sound."""
    if statement.source not in SOURCE_FILES:
        return [f"unknown source {statement.source!r}"]
    if SOURCE_FILES[statement.source] is None:
        if statement.quotes:
            return [f"source {statement.source!r} takes no quote"]
        if statement.source == "clinic-profile" and "{" not in statement.say:
            return ["a clinic-profile statement names a clinic detail ({placeholder})"]
        return []
    if not statement.quotes:
        return [f"source {statement.source!r} needs a quote"]
    text = source_text(statement.source)
    return [f"quote not in {statement.source}: {q!r}" for q in statement.quotes
            if normalise(q) not in text]
