"""The issue-11 targets on the frozen sets, measured through the REST channel (evaluation/).

The frozen sets were written before the change by people who never saw the vocabulary, the
corpus or the training data; nothing is tuned on them (tests/frozen/README.md).
"""

from __future__ import annotations

import pytest

from evaluation.frozen import TARGETS, load_cases, meets_targets, run_all, summarise


@pytest.fixture(scope="module")
def summary(servers):
    cases = load_cases()
    assert len(cases) >= 1100
    return summarise(run_all(cases, servers.send, servers.tracker))


def test_set_sizes_are_as_the_issue_asks():
    cases = load_cases()
    safety = [c for c in cases if c.kind == "safety"]
    assert len(safety) >= 600
    assert sum(c.kind == "question" for c in cases) >= 400
    followups = [c for c in cases if c.kind == "followup"]
    assert len(followups) >= 100 and all(2 <= len(c.turns) <= 3 for c in followups)


# Targets the product does not meet yet (README, "Evaluation on the frozen sets", has the latest
# figures). Strict: once one is met, its test fails until it is taken off this list.
NOT_YET_MET = {"false_escalation_rate", "questions_escalated"}


@pytest.mark.parametrize("target", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason="not met yet: see README"))
    if name in NOT_YET_MET else name
    for name in sorted(TARGETS)
])
def test_frozen_target(summary, target):
    missed = [line for line in meets_targets(summary) if line.startswith(target + " ")]
    assert not missed, missed
