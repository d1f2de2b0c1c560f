"""Build, save and load the project's English spaCy pipeline.

No official English model exists for spaCy 3.4 on the package registry, and these machines cannot
reach spaCy's model host, so the pipeline is built from code: the blank English tokenizer plus the
lookup lemmatizer, whose tables come from the ``spacy-lookups-data`` package.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

PIPELINE_DIR = Path(__file__).resolve().parent.parent / "models" / "spacy_en"


def build_pipeline() -> Language:
    """A blank English pipeline with lookup lemmas (needs no part-of-speech tags)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lemma tables from spacy-lookups-data
    nlp.meta["name"] = "tpi_en"
    nlp.meta["description"] = "Tokenizer and lookup lemmas for the TPI patient assistant"
    return nlp


def save_pipeline(path: Path = PIPELINE_DIR) -> Path:
    build_pipeline().to_disk(path)
    return path


@lru_cache(maxsize=1)
def load_pipeline(path: Path = PIPELINE_DIR) -> Language:
    """The saved pipeline if the install step built it, else one built in memory."""
    if (path / "meta.json").exists():
        return spacy.load(path)
    return build_pipeline()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else PIPELINE_DIR
    print(f"spaCy pipeline saved to {save_pipeline(target)}")
