"""`python -m evaluation [--model PATH] [--json FILE] [--cases DIR [--show-failures]]`: the frozen
sets (or a development set in the same format) through a real server.

`--show-failures` prints the failing messages with the reply: only for a development set, never
for the frozen sets, whose failures may be described by their kind only (README, "Evaluation").
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from devtools.servers import MODEL, Servers
from evaluation.frozen import (
    EVALUATION_NOW,
    FROZEN,
    escalation_sources,
    failures_by_category,
    load_cases,
    meets_targets,
    run_all,
    summarise,
    targets_for,
    unanswered_kinds,
)

CLINIC_NOW = EVALUATION_NOW


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--json", type=Path, help="write the summary and failures here")
    parser.add_argument("--cases", type=Path, default=FROZEN,
                        help="a folder of cases in the frozen sets' format (default: frozen)")
    parser.add_argument("--show-failures", action="store_true",
                        help="print each failing message and its reply (development sets only)")
    args = parser.parse_args()
    if args.show_failures and args.cases.resolve() == FROZEN.resolve():
        parser.error("--show-failures is for development sets: the frozen sets' failures are "
                     "described by their kind only")

    cases = load_cases(args.cases)
    with tempfile.TemporaryDirectory() as tmp:
        servers = Servers(Path(tmp), model=args.model, extra_env={"CLINIC_NOW": CLINIC_NOW})
        try:
            servers.start_both()
            started = time.monotonic()
            outcomes = run_all(cases, servers.send, servers.tracker)
            seconds = time.monotonic() - started
        finally:
            servers.stop()
    summary = summarise(outcomes)
    failures = failures_by_category(outcomes)
    print(f"{len(cases)} cases in {seconds:.0f} s")
    for name, value in summary.items():
        print(f"  {name:24s} {value:.4g}")
    for group, counts in failures.items():
        print(f"  failures {group}: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    for group, counts in escalation_sources(outcomes).items():
        print(f"  unwanted escalations {group}, raised by: "
              + ", ".join(f"{k or 'unknown'} {v}" for k, v in counts.most_common()))
    for group, counts in unanswered_kinds(outcomes).items():
        print(f"  {group} not answered, the reply was: "
              + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    if args.show_failures:
        for outcome in outcomes:
            case = outcome.case
            if not outcome.passed or (case.kind != "safety" and outcome.slot):
                print(f"- [{case.kind} {case.category} {case.expect}] got {outcome.slot} "
                      f"as {outcome.intent or '-'} "
                      f"({outcome.raised_by or '-'}): {' || '.join(case.turns)}\n"
                      f"    reply: {outcome.reply[:300]!r}")
    missed = meets_targets(summary, targets_for(cases))
    print("targets: " + ("all met" if not missed else "missed: " + "; ".join(missed)))
    if args.json:
        args.json.write_text(json.dumps(
            {"summary": summary, "failures": {k: dict(v) for k, v in failures.items()}}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
