"""Compare NLU pipelines with `rasa test nlu --cross-validation` and print a Markdown table.

Usage: python -m scripts.crossval [--folds 3] [names...]   (configs: experiments/nlu_pipelines)
Reports are kept in var/crossval/<name>/.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "experiments" / "nlu_pipelines"
OUT = ROOT / "var" / "crossval"


def run(name: str, folds: int) -> dict:
    out = OUT / name
    out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "rasa"), "test", "nlu", "--nlu", "data/nlu",
         "--config", str(CONFIGS / f"{name}.yml"), "--cross-validation", "--folds", str(folds),
         "--out", str(out), "--domain", "domain"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    (out / "log.txt").write_text(result.stdout + result.stderr)
    if result.returncode != 0:
        raise SystemExit(f"{name} failed, see {out / 'log.txt'}")
    report = json.loads((out / "intent_report.json").read_text())
    return {
        "name": name,
        "accuracy": report["accuracy"],
        "f1": report["weighted avg"]["f1-score"],
        "minutes": (time.monotonic() - start) / 60,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("names", nargs="*", default=sorted(p.stem for p in CONFIGS.glob("*.yml")))
    args = parser.parse_args()
    rows = [run(name, args.folds) for name in args.names]
    print(f"| pipeline ({args.folds}-fold cross-validation) | intent accuracy | weighted F1 "
          "| wall time (min, all folds) |")
    print("| --- | --- | --- | --- |")
    for row in rows:
        print(f"| {row['name']} | {row['accuracy']:.3f} | {row['f1']:.3f} | {row['minutes']:.1f} |")


if __name__ == "__main__":
    main()
