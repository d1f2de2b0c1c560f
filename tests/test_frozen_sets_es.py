"""Issue 17's targets on the Spanish frozen sets (tests/frozen/es/), measured through the REST
channel the way the English ones are (evaluation/; "hola" opens each conversation).

Written before any Spanish work by writers who never saw the vocabulary or the training data;
nothing is tuned on them (tests/frozen/README.md).
"""

from __future__ import annotations

import pytest

from evaluation.frozen import (
    FROZEN,
    TARGETS_ES,
    load_cases,
    meets_targets,
    run_all,
    summarise,
)

SPANISH = FROZEN / "es"


@pytest.fixture(scope="module")
def summary(servers):
    cases = load_cases(SPANISH)
    return summarise(run_all(cases, servers.send, servers.tracker))


def test_set_sizes_are_as_the_issue_asks():
    cases = load_cases(SPANISH)
    assert all(c.language == "es" for c in cases)
    assert sum(c.kind == "safety" for c in cases) >= 300
    assert sum(c.kind == "question" for c in cases) >= 200
    followups = [c for c in cases if c.kind == "followup"]
    assert followups and all(2 <= len(c.turns) <= 3 for c in followups)


# Targets not met yet (README, "Spanish frozen sets", has the latest figures). Strict: once one is
# met, its test fails until it is taken off this list.
# (questions_answered met at es-11: 94.1 %; doctor_recall at es-12: 97.8 %; emergency_recall at
# es-19: 99.0 %, 99 of 100, at the bar itself; false_escalation_rate at es-54: 2.3 %, 3 of 130,
# one under the bar.)
NOT_YET_MET: set[str] = set()


@pytest.mark.parametrize("target", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason="not met yet: see README"))
    if name in NOT_YET_MET else name
    for name in sorted(TARGETS_ES)
])
def test_spanish_frozen_target(summary, target):
    missed = [line for line in meets_targets(summary, TARGETS_ES)
              if line.startswith(target + " ")]
    assert not missed, missed
