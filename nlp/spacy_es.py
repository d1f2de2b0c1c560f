"""Build the Spanish spaCy pipeline offline (for the Spanish warning-sign detector).

Like the English one (spacy_pipeline.py): the blank Spanish tokenizer plus the lemmatizer in
LOOKUP mode, whose table (es_lemma_lookup) comes from the ``spacy-lookups-data`` package. The
lookup ignores context and is case-sensitive: the detector lowercases first (safety/spanish.py).
Built in memory at first use (about 2-4 s), never downloaded.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language


def build_pipeline_es(lemmatizer: bool = True) -> Language:
    """The pipeline; `lemmatizer=False` gives the tokenizer alone (the detector reads the same
    lookup table itself, as a plain dict, so that it is not held twice in memory)."""
    nlp = spacy.blank("es")
    if lemmatizer:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()  # loads es_lemma_lookup from spacy-lookups-data
    nlp.meta["name"] = "tpi_es"
    nlp.meta["description"] = "Spanish tokenizer and lookup lemmas for the TPI patient assistant"
    return nlp


@lru_cache(maxsize=2)
def load_pipeline_es(lemmatizer: bool = False) -> Language:
    return build_pipeline_es(lemmatizer)
