"""The staff console on a clinic's history: python -m scripts.bench_console [--conversations N]

Starts a throwaway PostgreSQL (Debian's server, as the tests do), lets Rasa's SQLTrackerStore
create its `events` table, seeds N conversations (default 100,000: 2,000,000 events), applies
the console's migrations (its tables and its indexes on `events`), indexes the conversations,
adds reviews and tags, starts the console and times, over HTTP as a signed-in admin, the list
with each filter on its own, transcripts and the dashboard. Prints a table; exit status 1 if any
median is over the budget (300 ms). The benchmark itself is devtools/console_bench.py.
"""

from __future__ import annotations

import argparse
import sys

from devtools.console_bench import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_console", description=__doc__)
    parser.add_argument("--conversations", type=int, default=100_000)
    args = parser.parse_args(argv)
    return 0 if run(args.conversations) else 1


if __name__ == "__main__":
    sys.exit(main())
