"""Would a second topic's answer, given whenever that topic is likely enough, answer more questions?

Today the patient gets two answers only when the fallback would say "not sure" (README, "Two close
topics"). Here the model's probabilities on the blind writers' rounds, each fold left out in turn
(`regularisation`'s folds and the product's features), are read under that rule and under rules
that also add the second topic when it reaches a bar, however sure the first one is. A question
counts when one of the answers given is its topic's; the cost is how many questions get two.

    python -m experiments.nlu_classifiers.second_answer [--bars 0.15 0.2 0.25 0.3] [--personal]

`--personal` also reads each bar with a question about the patient's own case (the personal-advice
intent) counted beside a topic: first with its likeliest topic second, and where the model
hesitates between the two, both (session 41).

Nothing here is used by the product. Never point it at tests/frozen/.
"""

from __future__ import annotations

import argparse

import numpy as np

from devtools.nlu_data import PATIENTS, examples
from experiments.nlu_classifiers.other_writers import AMBIGUITY, FALLBACK_THRESHOLD, base_examples
from experiments.nlu_classifiers.regularisation import FOLDS, VARIANTS, embedder, fit
from rasa_components.follow_up import TOPICS
from rasa_components.parse_keys import PERSONAL_INTENT as PERSONAL

JOIN_TOP, JOIN_SECOND = 0.25, 0.15  # rasa_components/close_topics.py


def answers(p: np.ndarray, classes: np.ndarray, bar: float | None,
            join: tuple[float, float] = (JOIN_TOP, JOIN_SECOND), personal: bool = False
            ) -> tuple[str, ...]:
    first, second = np.argsort(-p)[:2]
    one, two = classes[first], classes[second]
    topics = one in TOPICS and two in TOPICS  # the topics of the clinic pages, as served
    # a question about one's own case may get its likeliest topic's general facts after it, and
    # a hesitation between such a reading and a topic both replies
    after_personal = personal and one == PERSONAL and two in TOPICS
    with_personal = personal and PERSONAL in (one, two) and (one in TOPICS or two in TOPICS)
    sure = p[first] >= FALLBACK_THRESHOLD and p[first] - p[second] >= AMBIGUITY
    if sure:
        return ((one, two) if bar is not None and (topics or after_personal) and p[second] >= bar
                else (one,))
    if (topics or with_personal) and p[first] >= join[0] and p[second] >= join[1]:
        return (one, two)
    return ()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bars", type=float, nargs="*", default=[0.15, 0.2, 0.25, 0.3])
    parser.add_argument("--personal", action="store_true",
                        help="also read each rule with a question about one's own case (the "
                             "personal-advice intent first) getting its likeliest topic second")
    parser.add_argument("--join", type=float, nargs=2, action="append", metavar=("TOP", "SECOND"),
                        help="also read, with the second topic at the first bar, where the model "
                             "hesitates: both answers when the two best topics reach TOP and "
                             "SECOND (today 0.25 and 0.15)")
    args = parser.parse_args()
    embed = embedder()
    base = base_examples()
    rounds = [[(text, intent) for intent, text in examples(path)]
              for path in sorted(PATIENTS.glob("*.yml"))]
    folds = [[pair for r in rounds[k::FOLDS] for pair in r] for k in range(FOLDS)]
    rules: list = [None, *args.bars] + [(args.bars[0], tuple(j)) for j in args.join or []]
    read = list(rules)  # the personal reading is counted beside each plain bar
    if args.personal:
        rules += [("personal", bar) for bar in args.bars]
    right = dict.fromkeys(rules, 0)
    doubled = dict.fromkeys(rules, 0)
    not_sure = dict.fromkeys(rules, 0)
    for k, fold in enumerate(folds):
        others = [pair for j, f in enumerate(folds) if j != k for pair in f]
        model, probabilities_of = fit(base + others, embed, VARIANTS["product"])
        for p, (_, intent) in zip(probabilities_of([t for t, _ in fold]), fold, strict=True):
            for bar in read:
                given = (answers(p, model.classes_, bar[0], bar[1]) if isinstance(bar, tuple)
                         else answers(p, model.classes_, bar))
                right[bar] += intent in given
                doubled[bar] += len(given) == 2
                not_sure[bar] += not given
                if args.personal and not isinstance(bar, tuple) and bar is not None:
                    given = answers(p, model.classes_, bar, personal=True)
                    right[("personal", bar)] += intent in given
                    doubled[("personal", bar)] += len(given) == 2
                    not_sure[("personal", bar)] += not given
        print(f"fold {k + 1} of {FOLDS} done", flush=True)
    total = sum(len(f) for f in folds)
    for bar in rules:
        name = ("today (two only where 'not sure')" if bar is None
                else f"and after personal, second at >= {bar[1]}"
                if isinstance(bar, tuple) and bar[0] == "personal"
                else f"second at >= {bar[0]}, hesitating {bar[1]}" if isinstance(bar, tuple)
                else f"second topic at >= {bar}")
        print(f"{name:44} right {right[bar]} of {total}; two answers {doubled[bar]}; "
              f"'not sure' {not_sure[bar]}")


if __name__ == "__main__":
    main()
