"""Would the judge gain from the blind development sets as training data?

Usage: python -m experiments.safety_judge.dev_rounds [--language es]

Each development round (written by blind writers, briefed by kind) is left out in turn: a judge
trained on the corpus alone, and one trained on the corpus and every other round, are joined with
the rules (as `scripts.judge_thresholds` does, at the product's thresholds) on the round left out.
Prints, per round and in total: emergency recall, escalation recall and false escalations, and
what the judge alone added. The frozen sets are never read here.

A development case's judge label is its level, or for a case that needs no escalation its kind's
(safety.judge.DEVELOPMENT_KIND_LABELS). Measured before the rounds became the judge's training
data (config.yml, `development_rounds`), in safety/README.md ("The learned judge").
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from devtools.servers import ROOT
from safety.judge import (
    CORPUS,
    CORPUS_ES,
    THRESHOLDS,
    Judge,
    load_corpus,
    load_development_round,
)
from safety.language import detector_for
from safety.levels import EMERGENCY, ESCALATING
from scripts.judge_thresholds import joined_level


def dev_round_files(language: str) -> list[Path]:
    pattern = "dev_es_round*" if language == "es" else "dev_round*"
    files = sorted((ROOT / "tests").glob(f"{pattern}/safety.yml"))
    return files + ([ROOT / "safety" / "dev_sets" / "round2.yml"] if language == "en" else [])


def _levels(rows, probabilities, thresholds):
    """(label, joined level, whether the judge changed the rules' level) per message."""
    out = []
    for (label, rules), p in zip(rows, probabilities, strict=True):
        level = joined_level(rules, p, *thresholds)
        out.append((label, level, level != (rules.level if rules.level in ESCALATING else None)))
    return out


def _figures(levels) -> str:
    em = [lv for lab, lv, _ in levels if lab == EMERGENCY]
    esc = [lv for lab, lv, _ in levels if lab in ESCALATING]
    calm = [(lv, added) for lab, lv, added in levels if lab not in ESCALATING]
    return (f"emergency {sum(lv == EMERGENCY for lv in em)}/{len(em)}, "
            f"escalation {sum(lv is not None for lv in esc)}/{len(esc)}, "
            f"false {sum(lv is not None for lv, _ in calm)}/{len(calm)} "
            f"(judge {sum(added and lv is not None for lv, added in calm)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--language", choices=("en", "es"), default="en")
    language = parser.parse_args().language
    from rasa_components.safety_judge import SafetyJudgeComponent, SpanishSafetyJudgeComponent

    encode = (SpanishSafetyJudgeComponent if language == "es" else SafetyJudgeComponent).encode
    detector = detector_for(language)
    texts, labels = load_corpus(CORPUS_ES if language == "es" else CORPUS)
    corpus_x = encode(texts)
    rounds = {}
    for path in dev_round_files(language):
        r_texts, r_labels = load_development_round(path)
        rounds[path] = (r_texts, r_labels, encode(r_texts))
    thresholds = THRESHOLDS[language]
    totals = {"corpus": [], "corpus + other rounds": []}
    for path, (r_texts, r_labels, r_x) in rounds.items():
        rows = [(lab, detector.assess(t)) for t, lab in zip(r_texts, r_labels, strict=True)]
        others = [p for p in rounds if p != path]
        for name, extra in (("corpus", []), ("corpus + other rounds", others)):
            judge = Judge.train(
                texts + [t for p in extra for t in rounds[p][0]],
                np.vstack([corpus_x] + [rounds[p][2] for p in extra]),
                labels + [lab for p in extra for lab in rounds[p][1]])
            levels = _levels(rows, judge.probabilities(r_texts, r_x), thresholds)
            totals[name] += levels
            print(f"{Path(path).parent.name:>16} {name:>22}: {_figures(levels)}", flush=True)
    for name, levels in totals.items():
        print(f"{'all':>16} {name:>22}: {_figures(levels)}")


if __name__ == "__main__":
    main()
