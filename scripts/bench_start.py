"""How long a Rasa server (or an action server) takes to start: this checkout against another one,
alternating.

Usage: python -m scripts.bench_start OTHER_CHECKOUT [--rounds 3] [--server rasa|actions]

OTHER_CHECKOUT is another clone of this repository, set up and trained (as for
scripts/bench_versions.py). Each round starts the Rasa server of each checkout in turn
(`python -m serving run`, as every launcher does, with its own trained model) and measures the
time from the spawn until its HTTP API answers, which is when a restarted replica of the
production profile takes traffic again (nginx tries it every 2 s), and the CPU time the server
used until then (under load, as in tests/production/test_supervision.py, the replica gets only
part of a core, so its CPU time is what decides). Prints one JSON line per start and the ratios
of the medians: the machine is noisy, so compare ratios taken in one run.

`--server actions` starts the action server instead (`rasa run actions`, until /health answers)
and then times its first reply and a second one, each a doctor-level reply in Spanish: whatever
the first reply loads on first use (actions/startup.py) shows as the difference.
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

# Runs in each checkout (cwd and PYTHONPATH), with nothing but that checkout's devtools.servers:
# START, for the action server FIRST_REPLIES, then END.
START = """
import json, os, tempfile, time
from pathlib import Path
import requests
from devtools.servers import Servers
SERVER = "{server}"
with tempfile.TemporaryDirectory() as tmp:
    servers = Servers(Path(tmp))
    began = time.monotonic()
    getattr(servers, f"start_{{SERVER}}")()
    took = time.monotonic() - began
    pid = getattr(servers, SERVER).pid
    fields = Path(f"/proc/{{pid}}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    result = {{"checkout": str(Path.cwd()), "start_s": round(took, 2), "cpu_s": round(cpu, 2)}}
"""
FIRST_REPLIES = """
    sign = {"entity": "warning_sign", "value": "fiebre", "start": 0, "end": 6, "sign": "fever",
            "label": "fiebre", "level": "doctor", "rule": "present", "language": "es"}
    latest = {"text": "tengo fiebre", "intent": {"name": "report_symptom", "confidence": 0.9},
              "entities": [sign], "safety": {"level": "doctor", "findings": [sign]}}
    call = {"next_action": "action_safety_response", "sender_id": "bench", "version": "3.6.21",
            "domain": {}, "tracker": {"sender_id": "bench", "slots": {"language": "es"},
            "latest_message": latest, "events": [], "paused": False, "followup_action": None,
            "active_loop": {}, "latest_action_name": "action_listen"}}
    for name in ("first_reply_s", "second_reply_s"):
        sent = time.monotonic()
        answer = requests.post(f"http://127.0.0.1:{servers.actions_port}/webhook", json=call,
                               timeout=60)
        answer.raise_for_status()
        result[name] = round(time.monotonic() - sent, 3)
"""
END = """
    servers.stop()
print(json.dumps(result))
"""
KEYS = {"rasa": ("start_s", "cpu_s"),
        "actions": ("start_s", "cpu_s", "first_reply_s", "second_reply_s")}


def run(checkout: Path, server: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(checkout), "TF_CPP_MIN_LOG_LEVEL": "3"}
    script = START.format(server=server) + (FIRST_REPLIES if server == "actions" else "") + END
    out = subprocess.run([str(checkout / ".venv" / "bin" / "python"), "-c", script],
                         cwd=checkout, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("other", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--server", choices=sorted(KEYS), default="rasa")
    args = parser.parse_args()
    results: dict[str, list[dict]] = {"other": [], "this": []}
    for _ in range(args.rounds):
        for name, checkout in (("other", args.other.resolve()), ("this", ROOT)):
            results[name].append(run(checkout, args.server))
            print(json.dumps(results[name][-1]), flush=True)
    for key in KEYS[args.server]:
        this = statistics.median(r[key] for r in results["this"])
        other = statistics.median(r[key] for r in results["other"])
        ratio = f"{this / other:.2f}" if other else "-"
        print(f"{key} median: this {this:.3g}, other {other:.3g}, this / other = {ratio}")


if __name__ == "__main__":
    sys.exit(main())
