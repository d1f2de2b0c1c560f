"""Read Rasa NLU example files (training data and the held-out set)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml_io
from devtools.servers import ROOT

TRAINING_FILES = sorted((ROOT / "data" / "nlu").rglob("*.yml"))  # es/ included
HELDOUT_FILE = ROOT / "tests" / "nlu" / "heldout.yml"
# blind writers' questions kept as training data, and the round kept for development
PATIENTS = ROOT / "data" / "nlu" / "patients"
ROUND12 = ROOT / "tests" / "dev_round12"


def examples(path: Path) -> list[tuple[str, str]]:
    """(intent, text) pairs, with entity annotations like [x](y) reduced to their text."""
    return examples_in(path.read_text(encoding="utf-8"))


def examples_in(text: str) -> list[tuple[str, str]]:
    """`examples` of an NLU file's text (e.g. a file as it was at an older commit)."""
    pairs = []
    for block in (yaml_io.load(text) or {}).get("nlu", []):
        for line in block.get("examples", "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                example = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line[2:].strip())
                pairs.append((block["intent"], example))
    return pairs


def training_examples() -> list[tuple[str, str]]:
    return [pair for path in TRAINING_FILES for pair in examples(path)]


def normalised(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()
