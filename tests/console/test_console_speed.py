"""The console stays fast on a large history: the benchmark of `make bench-console` at a fifth
of its size (20,000 conversations, 400,000 events in PostgreSQL), every view's median within
300 ms. The README reports the full-size run."""

from __future__ import annotations

import pytest

from devtools.console_bench import run

# console_bench starts a PostgreSQL server and the console, and seeds 400,000 events.
pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_every_view_within_budget_on_20000_conversations():
    lines: list[str] = []
    ok = run(20_000, out=lines.append)
    print("\n".join(lines))
    assert ok, "\n".join(lines)
    assert any("indexed 400000 events" in line for line in lines)
