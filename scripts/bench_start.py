"""How long a Rasa server takes to start: this checkout against another one, alternating.

Usage: python -m scripts.bench_start OTHER_CHECKOUT [--rounds 3]

OTHER_CHECKOUT is another clone of this repository, set up and trained (as for
scripts/bench_versions.py). Each round starts the Rasa server of each checkout in turn
(`python -m serving run`, as every launcher does, with its own trained model) and measures the
time from the spawn until its HTTP API answers, which is when a restarted replica of the
production profile takes traffic again (nginx tries it every 2 s), and the CPU time the server
used until then (under load, as in tests/production/test_supervision.py, the replica gets only
part of a core, so its CPU time is what decides). Prints one JSON line per start and the ratios
of the medians: the machine is noisy, so compare ratios taken in one run.
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

# Runs in each checkout (cwd and PYTHONPATH), with nothing but that checkout's devtools.servers.
RUN_ONE = """
import json, os, tempfile, time
from pathlib import Path
from devtools.servers import Servers
with tempfile.TemporaryDirectory() as tmp:
    servers = Servers(Path(tmp))
    began = time.monotonic()
    servers.start_rasa()
    took = time.monotonic() - began
    fields = Path(f"/proc/{servers.rasa.pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    servers.stop()
print(json.dumps({"checkout": str(Path.cwd()), "start_s": round(took, 2), "cpu_s": round(cpu, 2)}))
"""


def run(checkout: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(checkout), "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run([str(checkout / ".venv" / "bin" / "python"), "-c", RUN_ONE],
                         cwd=checkout, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("other", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[dict]] = {"other": [], "this": []}
    for _ in range(args.rounds):
        for name, checkout in (("other", args.other.resolve()), ("this", ROOT)):
            results[name].append(run(checkout))
            print(json.dumps(results[name][-1]), flush=True)
    for key in ("start_s", "cpu_s"):
        this = statistics.median(r[key] for r in results["this"])
        other = statistics.median(r[key] for r in results["other"])
        print(f"{key} median: this {this:.1f}, other {other:.1f}, "
              f"this / other = {this / other:.2f}")


if __name__ == "__main__":
    sys.exit(main())
