"""Moving a blind development round into training data (devtools/writers_questions.py)."""

from __future__ import annotations

import yaml_io
from devtools.nlu_data import normalised
from devtools.servers import ROOT
from devtools.writers_questions import development_texts


def _texts(path):
    return {normalised(case["text"]) for case in yaml_io.load(path.read_text())["cases"]}


def test_the_round_being_moved_is_not_excluded_as_a_development_round_but_the_others_are():
    # any two development question rounds: one moved, one staying
    moved, other = sorted((ROOT / "tests").glob("dev_round*/questions.yml"))[:2]
    every = development_texts()
    without_moved = development_texts(moved)
    freed = every - without_moved
    # Only the moved round's own questions are freed, nearly all of them (a few are also written
    # word for word in another round, and stay out).
    assert freed <= _texts(moved)
    assert len(freed) >= 0.9 * len(_texts(moved))
    assert without_moved <= every
    assert _texts(other) <= without_moved  # every other round's questions still may not
