"""Which corpus and threshold the Spanish safety judge uses, measured on the Spanish development
sets (never on tests/frozen/):

    python -m experiments.spanish.judge_es [--sets tests/dev_es_round1/safety.yml ...]

For each training choice (the English corpus alone, read across languages by the multilingual
encoder; the Spanish corpus alone; both) it trains the judge (safety/judge.py) over the
multilingual encoder and prints, on each development set, the Spanish rules alone and the rules
joined with the judge under judge_level (the judge only adds): emergency recall, doctor recall,
false escalations and what-ifs escalated. The intent is not known here, so the judge's
"sure topic question" guard is off: false escalations are if anything overstated.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nlp.multilingual_encoder import shared_multilingual_encoder
from safety.es_eval import DEV_SET, Outcome, figures, load
from safety.judge import CORPUS, CORPUS_ES, EMERGENCY_THRESHOLD, Judge, judge_level, load_corpus
from safety.language import detector_for
from safety.levels import EMERGENCY

CHOICES = {
    "english corpus": (CORPUS,),
    "spanish corpus": (CORPUS_ES,),
    "both": (CORPUS, CORPUS_ES),
}


def train(folders: tuple[Path, ...]) -> Judge:
    texts: list[str] = []
    labels: list[str] = []
    for folder in folders:
        t, labels_ = load_corpus(folder)
        texts += t
        labels += labels_
    return Judge.train(texts, shared_multilingual_encoder().encode(texts), labels)


def outcomes(cases: list[dict], judge: Judge | None, threshold: float,
             doctor_threshold: float | None = None) -> list[Outcome]:
    detector = detector_for("es")
    texts = [c["text"] for c in cases]
    probabilities = (judge.probabilities(texts, shared_multilingual_encoder().encode(texts))
                     if judge else [None] * len(texts))
    result = []
    for case, probs in zip(cases, probabilities, strict=True):
        rules = detector.assess(case["text"])
        level = rules.level
        added = judge_level(rules, probs, emergency_threshold=threshold,
                            doctor_threshold=doctor_threshold or threshold) if probs else None
        if added == EMERGENCY or (added and level != EMERGENCY):
            level = added
        result.append(Outcome(case["text"], case["level"], case.get("kind", ""), level))
    return result


def line(name: str, got: dict[str, float]) -> str:
    return (f"  {name:34} emergency {got['emergency_recall']:6.1%}  doctor "
            f"{got['doctor_recall']:6.1%}  false {got['false_escalations']:5.1%}  "
            f"what-ifs escalated {got['what_ifs_escalated']:5.1%}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", nargs="*", default=[str(DEV_SET)])
    parser.add_argument("--thresholds", nargs="*", type=float,
                        default=[EMERGENCY_THRESHOLD, 0.7, 0.9])
    parser.add_argument("--doctor-threshold", type=float, default=None,
                        help="the doctor threshold (default: each emergency threshold)")
    parser.add_argument("--choices", nargs="*", default=list(CHOICES))
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    sets = {path: load(Path(path)) for path in args.sets}
    for path, cases in sets.items():
        print(path)
        print(line("rules alone", figures(outcomes(cases, None, 1.0))))
    for choice in args.choices:
        judge = train(CHOICES[choice])
        for path, cases in sets.items():
            print(f"{choice} -> {path}")
            for threshold in args.thresholds:
                got = outcomes(cases, judge, threshold, args.doctor_threshold)
                print(line(f"rules + judge at {threshold}/{args.doctor_threshold or threshold}",
                           figures(got)))
                if args.misses and threshold == args.thresholds[0]:
                    for o in got:
                        if not o.ok:
                            print(f"      {o.label:12} {o.kind:22} got {o.level}: {o.text[:90]}")


if __name__ == "__main__":
    main()
