"""Would more blind writers' questions in training teach the intent model more of a new writer?

The intent model learns from eight blind writers' rounds (data/nlu/patients/ at bbca2ef). More
writers' questions exist: the topic-labelled development question rounds
that the rules were measured on (tests/dev_round15, 17, 19, 29 at bbca2ef) and the two writers'
rounds taken back in session 27 (data/nlu/patients/round21.yml and round22.yml at 9bd2dd2).
Here the product's features and model (as in `regularisation`, variant "product") are trained
on the English training data of bbca2ef plus the first k of those pools, in several orders, and
scored on writers nobody trains on in any run: development question rounds 12, 26, 31 and 39 (a
question counts when the intent of its topic comes first and clears the fallback). If the score
still climbs with k, new voices still teach the model. Everything is read from git, so the run
stays the same whatever the working tree holds later (README, "More writers"). A pool question
written alike in a scored round (the same text, or within 90 % string similarity) is left out.

    python -m experiments.nlu_classifiers.more_writers

Nothing here is used by the product. Never point it at tests/frozen/.
"""

from __future__ import annotations

import random
import subprocess
import time

import yaml_io
from devtools.nlu_data import examples_in, normalised
from devtools.servers import ROOT
from devtools.writers_questions import intent_for, written_alike
from evaluation.frozen import topic_intents
from experiments.nlu_classifiers.regularisation import VARIANTS, embedder, fit_and_score

BEFORE = "bbca2ef"  # the commit measured (session 40): its training data and rounds, from git
SCORED = (12, 26, 31, 39)
DEV_POOLS = (15, 17, 19, 29)
TAKEN_BACK = ("9bd2dd2", ("round21", "round22"))
ORDERS = 3


def git_show(commit: str, path: str) -> str:
    return subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout


def training_before() -> list[tuple[str, str]]:
    """The English training examples (data/nlu/*.yml and patients/) as they were at BEFORE."""
    files = [f"{folder}/{name}" for folder in ("data/nlu", "data/nlu/patients")
             for name in subprocess.run(["git", "ls-tree", "--name-only", f"{BEFORE}:{folder}/"],
                                        cwd=ROOT, check=True, capture_output=True,
                                        text=True).stdout.split() if name.endswith(".yml")]
    return [(text, intent) for path in files
            for intent, text in examples_in(git_show(BEFORE, path))]


def cases_before(number: int) -> list[dict]:
    """The cases of tests/dev_round<number>/questions.yml as they were at BEFORE."""
    return yaml_io.load(git_show(BEFORE, f"tests/dev_round{number}/questions.yml"))["cases"]


def dev_pool(number: int) -> list[tuple[str, str]]:
    return [(c["text"], intent_for(topic_intents(c["topic"])[0], c["text"]))
            for c in cases_before(number)]


def taken_back_pool(name: str) -> list[tuple[str, str]]:
    commit, _ = TAKEN_BACK
    return [(text, intent) for intent, text in
            examples_in(git_show(commit, f"data/nlu/patients/{name}.yml"))]


def unlike(pairs: list[tuple[str, str]], scored: list[str]) -> list[tuple[str, str]]:
    """The pairs whose question is not written alike in a scored set (the same text, or as near
    as devtools.writers_questions leaves out near an evaluation message): a scored question must
    stay one that no run trained on."""
    keys = [normalised(text) for text in scored]
    return [(text, intent) for text, intent in pairs if not written_alike(normalised(text), keys)]


def main() -> None:
    embed = embedder()
    today = training_before()
    pools = {f"dev{n}": dev_pool(n) for n in DEV_POOLS}
    pools.update({name: taken_back_pool(name) for name in TAKEN_BACK[1]})
    scored = {f"round {n}": [(c["text"], topic_intents(c["topic"])) for c in cases_before(n)]
              for n in SCORED}
    pools = {name: unlike(pairs, [t for cases in scored.values() for t, _ in cases])
             for name, pairs in pools.items()}
    embed([t for t, _ in today] + [t for p in pools.values() for t, _ in p]
          + [t for cases in scored.values() for t, _ in cases])
    print(f"today {len(today)}; pools " + ", ".join(f"{k} {len(v)}" for k, v in pools.items())
          + "; scored " + ", ".join(f"{k} {len(v)}" for k, v in scored.items()), flush=True)
    baseline = fit_and_score(today, scored, embed, VARIANTS["product"])
    print(f"k=0: {baseline} total {sum(baseline.values())} of "
          f"{sum(len(c) for c in scored.values())}", flush=True)
    names = list(pools)
    for order in range(ORDERS):
        random.Random(order).shuffle(names)
        for k in (2, 4, len(names)):
            if k == len(names) and order:
                continue  # every pool: the same run in every order
            started = time.time()
            extra = [pair for name in names[:k] for pair in pools[name]]
            result = fit_and_score(today + extra, scored, embed, VARIANTS["product"])
            print(f"order {order} k={k} {names[:k]}: {result} total {sum(result.values())}; "
                  f"{time.time() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
