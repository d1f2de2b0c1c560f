"""`python -m evaluation [--model PATH] [--json FILE]`: the frozen sets through a real server."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from devtools.servers import MODEL, Servers
from evaluation.frozen import (
    escalation_sources,
    failures_by_category,
    load_cases,
    meets_targets,
    run_all,
    summarise,
    unanswered_kinds,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--json", type=Path, help="write the summary and failures here")
    args = parser.parse_args()

    cases = load_cases()
    with tempfile.TemporaryDirectory() as tmp:
        servers = Servers(Path(tmp), model=args.model)
        try:
            servers.start_actions()
            servers.start_rasa()
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
    missed = meets_targets(summary)
    print("targets: " + ("all met" if not missed else "missed: " + "; ".join(missed)))
    if args.json:
        args.json.write_text(json.dumps(
            {"summary": summary, "failures": {k: dict(v) for k, v in failures.items()}}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
