"""Would a second topic's answer, given whenever that topic is likely enough, answer more questions?

Today the patient gets two answers only when the fallback would say "not sure" (README, "Two close
topics"). Here the model's probabilities on the blind writers' rounds, each fold left out in turn
(`regularisation`'s folds and the product's features), are read under that rule and under rules
that also add the second topic when it reaches a bar, however sure the first one is. A question
counts when one of the answers given is its topic's; the cost is how many questions get two.

    python -m experiments.nlu_classifiers.second_answer [--bars 0.15 0.2 0.25 0.3]

Nothing here is used by the product. Never point it at tests/frozen/.
"""

from __future__ import annotations

import argparse

import numpy as np

from devtools.nlu_data import PATIENTS, examples
from experiments.nlu_classifiers.other_writers import AMBIGUITY, FALLBACK_THRESHOLD, base_examples
from experiments.nlu_classifiers.regularisation import FOLDS, VARIANTS, embedder, fit

JOIN_TOP, JOIN_SECOND = 0.25, 0.15  # rasa_components/close_topics.py


def answers(p: np.ndarray, classes: np.ndarray, bar: float | None) -> tuple[str, ...]:
    first, second = np.argsort(-p)[:2]
    one, two = classes[first], classes[second]
    topics = one.startswith("ask_") and two.startswith("ask_")
    sure = p[first] >= FALLBACK_THRESHOLD and p[first] - p[second] >= AMBIGUITY
    if sure:
        return (one, two) if bar is not None and topics and p[second] >= bar else (one,)
    if topics and p[first] >= JOIN_TOP and p[second] >= JOIN_SECOND:
        return (one, two)
    return ()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bars", type=float, nargs="*", default=[0.15, 0.2, 0.25, 0.3])
    args = parser.parse_args()
    embed = embedder()
    base = base_examples()
    rounds = [[(text, intent) for intent, text in examples(path)]
              for path in sorted(PATIENTS.glob("*.yml"))]
    folds = [[pair for r in rounds[k::FOLDS] for pair in r] for k in range(FOLDS)]
    rules = [None, *args.bars]
    right = dict.fromkeys(rules, 0)
    doubled = dict.fromkeys(rules, 0)
    for k, fold in enumerate(folds):
        others = [pair for j, f in enumerate(folds) if j != k for pair in f]
        model, probabilities_of = fit(base + others, embed, VARIANTS["product"])
        for p, (_, intent) in zip(probabilities_of([t for t, _ in fold]), fold, strict=True):
            for bar in rules:
                given = answers(p, model.classes_, bar)
                right[bar] += intent in given
                doubled[bar] += len(given) == 2
        print(f"fold {k + 1} of {FOLDS} done", flush=True)
    total = sum(len(f) for f in folds)
    for bar in rules:
        name = "today (two only where 'not sure')" if bar is None else f"second topic at >= {bar}"
        print(f"{name:36} right {right[bar]} of {total}; two answers {doubled[bar]}")


if __name__ == "__main__":
    main()
