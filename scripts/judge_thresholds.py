"""Choose the safety judge's thresholds: rules + judge on corpus messages the judge never saw.

Usage: python -m scripts.judge_thresholds [--language es]

The corpus (safety/corpus/; for Spanish safety/corpus_es/) has parts written by different writers
in different voices. The judge is trained on all parts but one and applied, with the
deterministic detector, to the part left out; this is repeated for each part. For a grid of
thresholds it prints, over the left-out messages: emergency recall (emergency level reached),
escalation recall (doctor or emergency on emergency/doctor messages), and false escalations on
messages that need none. The frozen sets are never used here.

The Spanish judge (--language es) reads the multilingual encoder and is joined with the Spanish
detector, as when the model is trained (rasa_components/safety_judge.py).
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np

import yaml_io
from safety.judge import CORPUS, CORPUS_ES, LABELS, Judge, judge_level
from safety.language import detector_for
from safety.levels import DOCTOR, EMERGENCY, ESCALATING


def _part(path: Path) -> tuple[list[str], list[str]]:
    rows = (yaml_io.load(path.read_text(encoding="utf-8")) or {}).get("messages") or []
    rows = [r for r in rows if r.get("level") in LABELS and str(r.get("text") or "").strip()]
    return [str(r["text"]) for r in rows], [r["level"] for r in rows]


def left_out_predictions(language: str = "en") -> list[tuple[str, object, dict[str, float]]]:
    """(label, rules assessment, judge probabilities) for every corpus message of `language`,
    judged by a judge trained without that message's part."""
    folder = CORPUS_ES if language == "es" else CORPUS
    parts = [_part(path) for path in sorted(folder.glob("*.yml"))]
    from rasa_components.safety_judge import SafetyJudgeComponent, SpanishSafetyJudgeComponent

    # the encoder each judge is trained with in the pipeline
    encode = (SpanishSafetyJudgeComponent if language == "es" else SafetyJudgeComponent).encode
    detector = detector_for(language)
    encoded = [encode(texts) for texts, _ in parts]
    rows = []
    for held, (texts, labels) in enumerate(parts):
        train = [i for i in range(len(parts)) if i != held]
        judge = Judge.train(
            [t for i in train for t in parts[i][0]],
            np.vstack([encoded[i] for i in train]),
            [label for i in train for label in parts[i][1]],
        )
        probabilities = judge.probabilities(texts, encoded[held])
        rows += [(label, detector.assess(text), p)
                 for text, label, p in zip(texts, labels, probabilities, strict=True)]
    return rows


def joined_level(rules, probabilities: dict[str, float], emergency_threshold: float,
                 doctor_threshold: float) -> str | None:
    """The escalation of the rules' assessment with what the judge adds (None: none)."""
    added = judge_level(rules, probabilities, emergency_threshold, doctor_threshold)
    level = rules.level if rules.level in ESCALATING else None
    if added == EMERGENCY or (added == DOCTOR and level is None):
        level = added
    return level


def figures(rows, emergency_threshold: float, doctor_threshold: float) -> dict[str, float]:
    levels = [(label, joined_level(rules, p, emergency_threshold, doctor_threshold))
              for label, rules, p in rows]
    emergencies = [lv for lab, lv in levels if lab == EMERGENCY]
    escalating = [lv for lab, lv in levels if lab in ESCALATING]
    calm = [lv for lab, lv in levels if lab not in ESCALATING]
    return {
        "emergency recall": sum(lv == EMERGENCY for lv in emergencies) / len(emergencies),
        "escalation recall": sum(lv is not None for lv in escalating) / len(escalating),
        "false escalations": sum(lv is not None for lv in calm) / len(calm),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--language", choices=("en", "es"), default="en")
    rows = left_out_predictions(parser.parse_args().language)
    print(f"{len(rows)} corpus messages, each judged by a judge that never saw its part\n")
    print("| emergency threshold | doctor threshold | emergency recall | escalation recall |"
          " false escalations |")
    print("| --- | --- | --- | --- | --- |")
    rules_only = figures(rows, 2.0, 2.0)
    print("| rules only | | {emergency recall:.3f} | {escalation recall:.3f} |"
          " {false escalations:.3f} |".format(**rules_only))
    for te, td in itertools.product((0.6, 0.7, 0.8, 0.9), (0.6, 0.7, 0.8, 0.9)):
        f = figures(rows, te, td)
        print(f"| {te} | {td} | {f['emergency recall']:.3f} | {f['escalation recall']:.3f} |"
              f" {f['false escalations']:.3f} |")


if __name__ == "__main__":
    main()
