"""Does the multilingual encoder help the intent model as a second dense feature? (issue 17)

`python -m experiments.spanish.multilingual_features [--scales 10] [--spanish-only]
[--reuse-models]` (repo root, PYTHONPATH=.): trains NLU-only models from data/nlu (both languages)
into /tmp/mlfeat, never into models/: `current` with config.yml without the multilingual
featurizer, and `multilingual-S` with rasa_components.multilingual_encoder.
MultilingualEncoderFeaturizer (scale S) after the MiniLM featurizer, for every message or, with
--spanish-only (`multilingual-es-S`), for messages read in Spanish first (`languages: [es]`).
Then parses the development question sets (never training data, never
tests/frozen/) and prints, per set, how many questions got one of the topic's intents (after the
fallback: nlu_fallback is wrong), with McNemar's exact test against `current`:

    tests/nlu/heldout.yml               English held-out questions (intent-labelled)
    tests/dev_round12/questions.yml     English blind development questions (topic-labelled;
                                        round 4 until its questions became training data)
    tests/dev_es_round1/questions.yml   Spanish blind development questions (topic-labelled)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

import yaml_io
from experiments.spanish.compare_architectures import mcnemar_exact

ROOT = Path(__file__).resolve().parents[2]
OUT = Path("/tmp/mlfeat")
TOPIC_SETS = {"en dev round 12": ROOT / "tests" / "dev_round12" / "questions.yml",
              "es dev round 1": ROOT / "tests" / "dev_es_round1" / "questions.yml"}
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
FEATURIZER = "rasa_components.multilingual_encoder.MultilingualEncoderFeaturizer"
AFTER = "rasa_components.sentence_encoder.SentenceEncoderFeaturizer"


def cases() -> dict[str, list[tuple[str, set[str]]]]:
    from rasa.shared.nlu.training_data.loading import load_data

    from evaluation.frozen import topic_intents

    result = {"en held-out": [(m.get("text"), {m.get("intent")})
                              for m in load_data(str(HELDOUT)).intent_examples]}
    for name, path in TOPIC_SETS.items():
        raw = yaml_io.load(path.read_text(encoding="utf-8"))["cases"]
        result[name] = [(c["text"], set(topic_intents(c["topic"]))) for c in raw if "topic" in c]
    return result


def config_with(scale: float | None, spanish_only: bool = False) -> Path:
    config = yaml_io.load((ROOT / "config.yml").read_text(encoding="utf-8"))
    pipeline = [step for step in config["pipeline"] if step["name"] != FEATURIZER]
    if scale is not None:
        at = next(i for i, step in enumerate(pipeline) if step["name"] == AFTER) + 1
        step = {"name": FEATURIZER, "scale": scale}
        if spanish_only:
            step["languages"] = ["es"]
        pipeline.insert(at, step)
    config["pipeline"] = pipeline
    prefix = "multilingual-es" if spanish_only else "multilingual"
    name = "current" if scale is None else f"{prefix}-{scale:g}"
    path = OUT / f"{name}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def train(config: Path) -> Path:
    name = config.stem
    model = OUT / name / f"{name}.tar.gz"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false",
           "RASA_CACHE_DIRECTORY": str(OUT / "cache" / name)}
    shutil.rmtree(OUT / "cache" / name, ignore_errors=True)
    started = time.monotonic()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "rasa"), "train", "nlu", "--config",
                           str(config), "--nlu", "data/nlu", "--domain", "domain", "--out",
                           str(OUT / name), "--fixed-model-name", name],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    (OUT / f"train_{name}.log").write_text(done.stdout + done.stderr)
    if done.returncode != 0 or not model.exists():
        sys.exit(f"training {name} failed: {OUT / f'train_{name}.log'}")
    print(f"trained {name} in {time.monotonic() - started:.0f} s", flush=True)
    return model


def right_answers(model: Path, sets: dict) -> dict[str, list[bool]]:
    import logging

    from rasa.core.agent import Agent

    logging.disable(logging.WARNING)  # not Rasa's debug line per parsed message

    agent = Agent.load(str(model))

    async def run() -> dict[str, list[bool]]:
        result = {}
        for name, rows in sets.items():
            result[name] = [((await agent.parse_message(text)).get("intent") or {}).get("name")
                            in expected for text, expected in rows]
        return result

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", nargs="*", type=float, default=[10.0])
    parser.add_argument("--spanish-only", action="store_true")
    parser.add_argument("--reuse-models", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    sets = cases()
    results = {}
    for scale in [None, *args.scales]:
        config = config_with(scale, args.spanish_only)
        model = OUT / config.stem / f"{config.stem}.tar.gz"
        if not (args.reuse_models and model.exists()):
            model = train(config)
        results[config.stem] = right_answers(model, sets)
    base = results["current"]
    for name, got in results.items():
        for set_name, rows in got.items():
            b = sum(x and not y for x, y in zip(base[set_name], rows, strict=True))
            c = sum(y and not x for x, y in zip(base[set_name], rows, strict=True))
            print(f"{name:18} {set_name:16} {sum(rows):4} of {len(rows):4} "
                  f"({sum(rows) / len(rows):6.1%})  vs current: -{b} +{c}, "
                  f"p = {mcnemar_exact(b, c):.3f}")


if __name__ == "__main__":
    main()
