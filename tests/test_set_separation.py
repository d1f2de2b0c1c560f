"""Evaluation sets are separate from what the assistant was built or trained on.

No message appears verbatim (after normalising case and punctuation) in two of: the frozen sets,
the safety regression sets, the detector's development cases, the judge's corpus, the development
rounds the judges learn from and the NLU training data; and no frozen message is a near-copy of a
training text. The clinical reference's
example phrases live outside this repo, so they were removed from the sets once (issue 11) and a
list of them is not kept here.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

from rapidfuzz import fuzz, process

import yaml_io
from devtools.nlu_data import normalised, training_examples
from devtools.servers import ROOT
from evaluation.frozen import FROZEN, load_cases
from safety.judge import CORPUS_ES, load_corpus, load_development_round


def _cases(path: Path) -> list[str]:
    data = yaml_io.load(path.read_text(encoding="utf-8")) or {}
    return [case["text"] for case in data.get("cases") or []]


def judges_development_rounds() -> list[str]:
    """The development rounds the safety judges learn from (config.yml, `development_rounds`)."""
    config = yaml_io.load((ROOT / "config.yml").read_text(encoding="utf-8"))
    return [name for component in config["pipeline"]
            for name in component.get("development_rounds") or []]


def sets() -> dict[str, list[str]]:
    return {
        "frozen": [turn for folder in (FROZEN, FROZEN / "es") for case in load_cases(folder)
                   for turn in case.turns],
        "regression": _cases(ROOT / "tests/safety/eval_set.yml")
        + _cases(ROOT / "tests/safety/validation_set.yml"),
        "detector development": _cases(ROOT / "safety/dev_cases.yml"),
        "judge corpus": load_corpus()[0] + load_corpus(CORPUS_ES)[0],
        "NLU training": [text for _, text in training_examples()],
        "judges' development rounds": [text for name in judges_development_rounds()
                                       for text in load_development_round(ROOT / name)[0]],
    }


# What is learned from anyway may be written alike in two places (a judge's development round
# and its corpus, the NLU examples its questions come from, the detector's cases).
LEARNED_TWICE = [{"judges' development rounds", other}
                 for other in ("judge corpus", "NLU training", "detector development")]


def test_no_message_is_in_two_sets():
    normalised_sets = {name: {normalised(t) for t in texts} for name, texts in sets().items()}
    assert all(len(v) > 100 for v in normalised_sets.values()), {
        k: len(v) for k, v in normalised_sets.items()}
    overlaps = {
        (a, b): sorted(normalised_sets[a] & normalised_sets[b])[:5]
        for a, b in combinations(normalised_sets, 2)
        if normalised_sets[a] & normalised_sets[b] and {a, b} not in LEARNED_TWICE
    }
    assert not overlaps, overlaps


def test_no_frozen_message_is_a_near_copy_of_training_text():
    all_sets = sets()
    assert len(all_sets["judges' development rounds"]) > 3000
    training = [normalised(t) for name in ("judge corpus", "NLU training", "detector development",
                                           "judges' development rounds")
                for t in all_sets[name]]
    too_close = [
        (text, match)
        for text in {normalised(t) for t in all_sets["frozen"]}
        if len(text) > 15
        for match, score, _ in [process.extractOne(text, training, scorer=fuzz.ratio)]
        if score >= 90
    ]
    assert not too_close, too_close[:5]


def test_no_development_message_was_copied_into_what_the_assistant_learns_from():
    """The blind development sets (every tests/dev_*/ folder) are for building by kind: none of
    their messages of twelve words or more is in the training data, the judge's corpus or the
    detector's cases (shorter ones, such as "how long does the procedure take", are written alike
    by anyone who asks)."""
    folders = sorted(path for path in (ROOT / "tests").glob("dev_*") if path.is_dir())
    assert len(folders) >= 38
    development = {normalised(turn) for folder in folders
                   for case in load_cases(folder)
                   for turn in case.turns if len(turn.split()) >= 12}
    assert len(development) > 150
    learned = sets()
    copied = {name: sorted(development & {normalised(t) for t in learned[name]})[:5]
              for name in ("NLU training", "judge corpus", "detector development")}
    assert not any(copied.values()), copied


def test_the_newest_development_rounds_stay_unseen_by_the_judges():
    """The judges learn from the older blind development rounds; the newest of each language
    still measure them on wording they never saw (safety/README.md, "The learned judge")."""
    learned = judges_development_rounds()
    assert {"tests/dev_round13/safety.yml", "tests/dev_round21/questions.yml",
            "tests/dev_es_round6/safety.yml"} <= set(learned)
    assert not {"tests/dev_es_round7/safety.yml", "tests/dev_es_round8/safety.yml",
                "tests/dev_es_round9/safety.yml", "tests/dev_es_round10/safety.yml",
                "tests/dev_round22/questions.yml", "tests/dev_round22/reports.yml",
                "tests/dev_es_round11/safety.yml", "tests/dev_round23/safety.yml",
                "tests/dev_es_round12/safety.yml", "tests/dev_round24/safety.yml",
                "tests/dev_es_round13/safety.yml", "tests/dev_round25/safety.yml",
                "tests/dev_es_round14/safety.yml", "tests/dev_round26/questions.yml"} & set(learned)
