"""One user and ten users through REST, this checkout against another one, alternating.

Usage: python -m scripts.bench_versions OTHER_CHECKOUT [--rounds 2] [--messages FILE]

OTHER_CHECKOUT is another clone of this repository, set up and trained (for example a
`git worktree` of an earlier commit with `.venv` linked and `make train` run). Each round starts
the default profile (`make run`'s servers, SQLite) of each checkout in turn and replays
scripts/bench_messages.yml as in `make bench` (or --messages, a file of this checkout, e.g.
scripts/bench_messages_es.yml: the same file for both); run after run on the same machine, so
compare the ratios. Prints one JSON line per run and the median ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from devtools.servers import ROOT

# Runs in each checkout (cwd and PYTHONPATH), so it names that checkout's files by path and uses
# nothing but scripts.bench, which every version has.
RUN_ONE = """
import json, os, tempfile, yaml
from pathlib import Path
from scripts.bench import single_process, measure
ROOT = Path.cwd()
MODEL = ROOT / "models" / "current.tar.gz"
messages = yaml.safe_load(Path(os.environ.get("BENCH_MESSAGES") or ROOT / "scripts" /
                                "bench_messages.yml").read_text())["conversation"]
with tempfile.TemporaryDirectory() as tmp:
    r = measure(single_process(Path(tmp), MODEL, stock=False), messages, 30)
print(json.dumps({"checkout": str(ROOT), "one_user_median_ms": r[1]["median"],
                  "ten_users_p95_ms": r[10]["p95"], "msg_per_s": r[10]["throughput"],
                  "rss_mb": r["rss_mb"], "errors": r[1]["errors"] + r[10]["errors"]}))
"""


def run(checkout: Path, messages: Path | None = None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(checkout), "TF_CPP_MIN_LOG_LEVEL": "3",
           "BENCH_MESSAGES": str(messages.resolve()) if messages else ""}
    out = subprocess.run([str(checkout / ".venv" / "bin" / "python"), "-c", RUN_ONE],
                         cwd=checkout, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("other", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--messages", type=Path, default=None)
    args = parser.parse_args()
    results: dict[str, list[dict]] = {"other": [], "this": []}
    for _ in range(args.rounds):
        for name, checkout in (("other", args.other.resolve()), ("this", ROOT)):
            results[name].append(run(checkout, args.messages))
            print(json.dumps(results[name][-1]), flush=True)
    for key in ("one_user_median_ms", "ten_users_p95_ms", "msg_per_s", "rss_mb"):
        ratio = statistics.median(t[key] for t in results["this"]) / statistics.median(
            o[key] for o in results["other"])
        print(f"{key}: this / other = {ratio:.2f}")
    sys.exit(1 if any(r["errors"] for rs in results.values() for r in rs) else 0)


if __name__ == "__main__":
    main()
