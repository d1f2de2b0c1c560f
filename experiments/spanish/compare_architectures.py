"""One multilingual NLU model, or one model per language behind a language router? (issue 17)

`python -m experiments.spanish.compare_architectures [--reuse-models]` (from the repo root, with
PYTHONPATH=.): trains three NLU-only models with config.yml, each from an empty Rasa cache, into
/tmp/arch (never into models/):

    multilingual  data/nlu, recursively (English data/nlu/*.yml + Spanish data/nlu/es/*.yml)
    en            data/nlu/*.yml only (copied to /tmp/arch/data_en)
    es            data/nlu/es/*.yml only (copied to /tmp/arch/data_es)

then measures, each in its own fresh Python process (so the memory figures are comparable):

    A  the multilingual model alone;
    B  the router: the en and es models loaded side by side, each message sent to the es model
       when nlp.language_id.identify(text).language == "es", else to the en model;

on the two development sets (never training data):

    tests/nlu/heldout.yml              English held-out questions, labelled with intents;
    tests/dev_es_round1/questions.yml  Spanish questions, labelled with a topic: the topic's
                                       intents are evaluation.frozen.topic_intents(topic)
                                       ("ask_" + topic, except what_is -> ask_what_is_tpi,
                                       repeat -> ask_repeat_injections, when_to_call ->
                                       ask_when_to_call_doctor, personal -> ask_medical_advice,
                                       contact -> ask_contact or book_appointment).

A case is right when the parsed intent (after the FallbackClassifier: nlu_fallback is wrong) is
one of the expected intents. The classifier's top intent ignoring the fallback is reported too.
A and B are compared with McNemar's exact test (two-sided binomial on the discordant pairs).

`--reuse-models` skips training when the three models exist (training times are then read from
/tmp/arch/training.json). Takes about 10 minutes with training on 2 cores. tests/frozen/ is never
read.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import yaml_io

ROOT = Path(__file__).resolve().parents[2]
OUT = Path("/tmp/arch")
ENGLISH_SET = ROOT / "tests" / "nlu" / "heldout.yml"
SPANISH_SET = ROOT / "tests" / "dev_es_round1" / "questions.yml"
MODELS = {
    "multilingual": ROOT / "data" / "nlu",
    "en": OUT / "data_en",
    "es": OUT / "data_es",
}
FALLBACK = "nlu_fallback"


# --- data -------------------------------------------------------------------------------------

def prepare_data() -> None:
    for name, source in (("en", ROOT / "data" / "nlu"), ("es", ROOT / "data" / "nlu" / "es")):
        target = MODELS[name]
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for path in sorted(source.glob("*.yml")):  # *.yml only: not the es/ folder
            shutil.copy2(path, target / path.name)


def load_cases() -> dict[str, list[dict]]:
    """Each case: text, expected intents (a list), label as written in the file."""
    from rasa.shared.nlu.training_data.loading import load_data

    from evaluation.frozen import topic_intents  # the topic -> intent mapping (code only)

    english = [
        {"text": m.get("text"), "expected": [m.get("intent")], "label": m.get("intent")}
        for m in load_data(str(ENGLISH_SET)).intent_examples
    ]
    raw = yaml_io.load(SPANISH_SET.read_text(encoding="utf-8"))
    spanish = [
        {"text": c["text"], "expected": list(topic_intents(c["topic"])), "label": c["topic"]}
        for c in raw["cases"]
    ]
    return {"en": english, "es": spanish}


# --- training ---------------------------------------------------------------------------------

def model_file(name: str) -> Path:
    return OUT / name / f"{name}.tar.gz"


def data_fingerprint() -> str:
    """The commit and a sha256 of data/nlu/**/*.yml and config.yml: what the models were
    trained from."""
    digest = hashlib.sha256()
    for path in [ROOT / "config.yml", *sorted((ROOT / "data" / "nlu").rglob("*.yml"))]:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                          capture_output=True, text=True).stdout.strip()
    return f"commit {head or '?'}, data/nlu + config.yml sha256 {digest.hexdigest()[:16]}"


def count_examples(nlu: Path) -> int:
    """The intent examples `rasa train nlu --nlu <nlu>` reads (its importer, recursive)."""
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_nlu_importer_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain"), [str(nlu)])
    return len(importer.get_nlu_data().intent_examples)


def train(name: str) -> dict:
    cache = OUT / "cache" / name
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(OUT / name, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_CACHE_DIRECTORY": str(cache),
           "RASA_TELEMETRY_ENABLED": "false", "PYTHONDONTWRITEBYTECODE": "1"}
    command = [str(ROOT / ".venv" / "bin" / "rasa"), "train", "nlu", "--config", "config.yml",
               "--nlu", str(MODELS[name]), "--domain", "domain", "--out", str(OUT / name),
               "--fixed-model-name", name]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    (OUT / f"train_{name}.log").write_text(done.stdout + done.stderr)
    if done.returncode != 0 or not model_file(name).exists():
        sys.exit(f"training {name} failed, see {OUT / f'train_{name}.log'}")
    log = (done.stdout + done.stderr).splitlines()
    started_at = finished_at = None
    for line in log:  # "2026-12-02 10:06:21 INFO ... Starting to train component 'X'."
        if "component 'LogisticRegressionIntentClassifier'" in line:
            stamp = datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S")
            if "Starting" in line:
                started_at = stamp
            elif "Finished" in line:
                finished_at = stamp
    classifier = (finished_at - started_at).total_seconds() if started_at and finished_at else None
    return {"seconds": round(seconds, 1), "classifier_seconds": classifier,
            "intent_examples": count_examples(MODELS[name]),
            "size_mb": round(model_file(name).stat().st_size / 1e6, 2),
            "command": " ".join(command).replace(str(ROOT) + "/", "")}


# --- measuring (runs in a fresh process per architecture) -------------------------------------

def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def worker(architecture: str) -> dict:
    import logging

    logging.disable(logging.WARNING)
    from rasa.core.agent import Agent

    from nlp.language_id import identify

    cases = load_cases()
    identify("warm up")  # the language model is shared by both architectures: not counted
    baseline = rss_mb()
    started = time.monotonic()
    if architecture == "A":
        agents = {"multilingual": Agent.load(str(model_file("multilingual")))}
    else:
        agents = {code: Agent.load(str(model_file(code))) for code in ("en", "es")}
    load_seconds = time.monotonic() - started
    after_load = rss_mb()

    async def parse_all() -> dict[str, list[dict]]:
        results: dict[str, list[dict]] = {}
        for set_name, set_cases in cases.items():
            rows = []
            for case in set_cases:
                language = identify(case["text"]).language
                if architecture == "A":
                    routed = "multilingual"
                else:
                    routed = "es" if language == "es" else "en"
                parse = await agents[routed].parse_message(case["text"])
                intent = (parse.get("intent") or {}).get("name")
                ranking = [r["name"] for r in parse.get("intent_ranking") or []
                           if r["name"] != FALLBACK]
                rows.append({"text": case["text"], "expected": case["expected"],
                             "label": case["label"], "language": language, "model": routed,
                             "intent": intent, "top": ranking[0] if ranking else None})
            results[set_name] = rows
        return results

    started = time.monotonic()
    results = asyncio.run(parse_all())
    parse_seconds = time.monotonic() - started
    n = sum(len(rows) for rows in results.values())
    return {"architecture": architecture, "rss_baseline_mb": round(baseline, 1),
            "rss_after_load_mb": round(after_load, 1),
            "rss_after_parsing_mb": round(rss_mb(), 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "load_seconds": round(load_seconds, 1),
            "ms_per_message": round(1000 * parse_seconds / n, 1), "results": results}


def run_worker(architecture: str) -> dict:
    path = OUT / f"results_{architecture}.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false",
           "PYTHONDONTWRITEBYTECODE": "1", "RASA_CACHE_DIRECTORY": str(OUT / "cache" / "load")}
    with open(OUT / f"measure_{architecture}.log", "w") as log:  # Rasa's debug lines
        subprocess.run([sys.executable, "-m", "experiments.spanish.compare_architectures",
                        "--worker", architecture, "--worker-out", str(path)],
                       cwd=ROOT, env=env, check=True, stdout=log, stderr=log)
    return json.loads(path.read_text())


# --- statistics -------------------------------------------------------------------------------

def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p: the discordant pairs as Binomial(b + c, 1/2)."""
    n = b + c
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(b, c) + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def compare(a_rows: list[dict], b_rows: list[dict], key: str) -> dict:
    assert [r["text"] for r in a_rows] == [r["text"] for r in b_rows]
    a_right = [r[key] in r["expected"] for r in a_rows]
    b_right = [r[key] in r["expected"] for r in b_rows]
    b = sum(x and not y for x, y in zip(a_right, b_right, strict=True))  # A right, B wrong
    c = sum(y and not x for x, y in zip(a_right, b_right, strict=True))  # A wrong, B right
    n = len(a_rows)
    return {"n": n, "a": sum(a_right), "b_acc": sum(b_right), "A_only": b, "B_only": c,
            "p": mcnemar_exact(b, c)}


def table(a: dict, b: dict, key: str) -> list[str]:
    lines = ["| set | n | A multilingual | B router | b (A right, B wrong) / c (A wrong, B right) "
             "| McNemar exact p |", "|---|---|---|---|---|---|"]
    names = {"en": "English held-out (tests/nlu/heldout.yml)",
             "es": "Spanish dev round 1 (tests/dev_es_round1/questions.yml)"}
    for set_name in ("en", "es"):
        s = compare(a["results"][set_name], b["results"][set_name], key)
        lines.append(f"| {names[set_name]} | {s['n']} | {s['a']}/{s['n']} = "
                     f"{100 * s['a'] / s['n']:.1f} % | {s['b_acc']}/{s['n']} = "
                     f"{100 * s['b_acc'] / s['n']:.1f} % | {s['A_only']} / {s['B_only']} | "
                     f"{s['p']:.3g} |")
    return lines


def report(training: dict, a: dict, b: dict) -> str:
    lines = ["Intent accuracy (parsed intent, nlu_fallback counts as wrong):", ""]
    lines += table(a, b, "intent")
    lines += ["", "Top intent of the classifier, ignoring the fallback threshold:", ""]
    lines += table(a, b, "top")
    lines += ["", "Routing (B): identify(text).language of each message:"]
    for set_name in ("en", "es"):
        rows = b["results"][set_name]
        routed = sum(r["model"] == set_name for r in rows)
        others = sorted({r["language"] for r in rows if r["model"] != set_name})
        lines.append(f"  {set_name} set: {routed}/{len(rows)} sent to the {set_name} model"
                     + (f" (others identified as {', '.join(others)})" if others else ""))
    lines += ["", "Training (wall clock of `rasa train nlu`, empty cache, "
              f"{os.cpu_count()} cores):"]
    for name, t in training.items():
        lines.append(f"  {name:13s} {t['seconds']:6.1f} s (logistic regression "
                     f"{t['classifier_seconds']:.0f} s)  {t['intent_examples']} intent examples  "
                     f"model {t['size_mb']} MB")
    router = training["en"]["seconds"] + training["es"]["seconds"]
    lines.append(f"  router total  {router:6.1f} s (en + es one after the other)")
    lines += ["", "Memory and speed (each architecture in its own fresh process; baseline = after "
              "importing Rasa, before loading):"]
    for name, r in (("A multilingual", a), ("B router (en+es)", b)):
        added = r["rss_after_load_mb"] - r["rss_baseline_mb"]
        lines.append(f"  {name:17s} baseline {r['rss_baseline_mb']:.0f} MB, after loading "
                     f"{r['rss_after_load_mb']:.0f} MB (+{added:.0f}), after parsing "
                     f"{r['rss_after_parsing_mb']:.0f} MB, peak {r['peak_rss_mb']:.0f} MB; "
                     f"load {r['load_seconds']:.1f} s, {r['ms_per_message']:.1f} ms/message")
    lines += ["", "Disagreements (parsed intent), A vs B:"]
    for set_name in ("en", "es"):
        for ra, rb in zip(a["results"][set_name], b["results"][set_name], strict=True):
            a_ok, b_ok = ra["intent"] in ra["expected"], rb["intent"] in rb["expected"]
            if a_ok != b_ok:
                lines.append(f"  [{set_name}] {'A' if a_ok else 'B'} right; expected "
                             f"{ra['label']}: A {ra['intent']}, B {rb['intent']} "
                             f"({rb['model']}): {ra['text']}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuse-models", action="store_true",
                        help="do not retrain when /tmp/arch holds the three models")
    parser.add_argument("--worker", choices=("A", "B"), help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        args.worker_out.write_text(json.dumps(worker(args.worker), ensure_ascii=False, indent=1))
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    prepare_data()
    timings = OUT / "training.json"
    fingerprint = data_fingerprint()
    if args.reuse_models and timings.exists() and all(model_file(m).exists() for m in MODELS):
        saved = json.loads(timings.read_text())
        training = saved["models"]
        if saved.get("data") != fingerprint:
            print(f"warning: the models were trained from {saved.get('data')}, the data is now "
                  f"{fingerprint}", file=sys.stderr)
        fingerprint = saved.get("data")
    else:
        training = {}
        for name in MODELS:
            print(f"training {name} ...", file=sys.stderr, flush=True)
            training[name] = train(name)
        if data_fingerprint() != fingerprint:
            sys.exit("data/nlu or config.yml changed while training: run again")
        timings.write_text(json.dumps({"data": fingerprint, "models": training}, indent=1))
    print("measuring A (multilingual) ...", file=sys.stderr, flush=True)
    a = run_worker("A")
    print("measuring B (router) ...", file=sys.stderr, flush=True)
    b = run_worker("B")
    text = f"Trained from {fingerprint}.\n\n" + report(training, a, b)
    (OUT / "report.txt").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
