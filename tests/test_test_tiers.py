"""The fast tier (`make test-fast`) holds only tests that need no Rasa server, trained model,
browser or database, and it holds the detector's tests (README, "Tests"; tests/conftest.py marks
every test with what it needs).

One collection of the whole suite in a subprocess, with the fast tier's `-m` expression and this
file loaded as a plugin (the hooks at the end): it reports every selected and deselected test with
its fixtures and markers, and whether its code or its fixtures' code starts something.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest's own TOML reader
    import tomli as tomllib

from devtools.servers import ROOT
from tests.conftest import FAST_TIER, FIXTURE_NEEDS, IMPLIED, NEEDS, NODE_NEEDS, PARAM_NEEDS

REPORT = "TEST_TIERS_REPORT"  # the subprocess writes its report to this file
# Code that starts something heavy. A fast-tier test whose own code or whose fixtures' code has one
# of these is a test someone forgot to mark.
STARTERS = {
    "the Rasa or action server": r"Servers\(",
    "the trained model": r"\bAgent\.load\(|/ \"rasa\"\),\s*\"(?:train|test|run|shell)\"",
    "a browser": r"sync_playwright|chromium\.launch",
    "PostgreSQL": r"PostgresServer\(",
    "Redis": r"RedisServer\(",
    "the production stack": r"\bStack\(|\bNginx\(",
}


@pytest.fixture(scope="module")
def tiers(tmp_path_factory) -> dict:
    report = tmp_path_factory.mktemp("tiers") / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "-p", "tests.test_test_tiers", "-m", FAST_TIER],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3",
             REPORT: str(report)},
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return json.loads(report.read_text())


def test_the_fast_tier_is_there_and_has_the_detector_tests(tiers):
    fast = [test["id"] for test in tiers["selected"]]
    assert len(fast) >= 500, f"only {len(fast)} tests in the fast tier"
    detector = [name for name in fast if name.startswith("tests/safety/test_detector.py::")]
    assert len(detector) >= 100, detector
    held_back = [test["id"] for test in tiers["deselected"]
                 if test["id"].startswith("tests/safety/test_detector.py::")]
    assert not held_back, f"detector tests outside the fast tier: {held_back}"
    assert any(name.startswith("tests/test_actions.py::") for name in fast)
    assert any(name.startswith("tests/test_test_tiers.py::") for name in fast)


def test_no_fast_test_uses_what_starts_a_server_a_browser_or_a_database(tiers):
    wrong = {}
    for test in tiers["selected"]:
        reasons = sorted(set(test["fixtures"]) & set(FIXTURE_NEEDS))
        reasons += sorted(set(test["markers"]) & set(NEEDS))
        reasons += [f"its code starts {what}" for what in test["starts"]]
        if reasons:
            wrong[test["id"]] = reasons
    assert not wrong, (
        "in the fast tier but starting something: mark the test (markers in pyproject.toml) or "
        f"add its fixture to FIXTURE_NEEDS in tests/conftest.py: {wrong}")


def test_every_other_test_says_what_it_needs(tiers):
    assert tiers["deselected"], "the fast tier holds everything: the markers are not applied"
    unmarked = [test["id"] for test in tiers["deselected"] if not set(test["markers"]) & set(NEEDS)]
    assert not unmarked, unmarked
    collected = {test["id"] for test in tiers["selected"] + tiers["deselected"]}
    stale = sorted(set(NODE_NEEDS) - collected)
    assert not stale, f"NODE_NEEDS in tests/conftest.py names tests that are gone: {stale}"


def test_the_markers_the_make_target_and_the_conftest_agree():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    declared = {line.split(":")[0].strip() for line in options["markers"]}
    assert declared == set(NEEDS), "pyproject.toml declares exactly the markers of NEEDS"
    assert "--strict-markers" in options["addopts"]
    makefile = (ROOT / "Makefile").read_text()
    assert f"FAST_TIER := {FAST_TIER}\n" in makefile
    assert re.search(r'^test-fast:.*\n\t\$\(BIN\)/python -m pytest -m "\$\(FAST_TIER\)"',
                     makefile, re.MULTILINE)
    test_needs = re.search(r"^test: (.*)$", makefile, re.MULTILINE).group(1).split()
    fast_needs = re.search(r"^test-fast: (.*)$", makefile, re.MULTILINE).group(1).split()
    assert {"train", "browser", "services"} <= set(test_needs)
    assert not {"train", "browser", "services", "$(MODEL)"} & set(fast_needs)
    mapped = set().union(*FIXTURE_NEEDS.values(), *PARAM_NEEDS.values(), *NODE_NEEDS.values(),
                         *IMPLIED.values(), IMPLIED)
    assert mapped <= set(NEEDS), mapped - set(NEEDS)


# --- the plugin the subprocess loads (`-p tests.test_test_tiers`) --------------------------------
_deselected: list = []


def pytest_deselected(items) -> None:
    _deselected.extend(items)


def pytest_collection_finish(session) -> None:
    if REPORT in os.environ:
        Path(os.environ[REPORT]).write_text(json.dumps({
            "selected": [_describe(item) for item in session.items],
            "deselected": [_describe(item) for item in _deselected],
        }))


def _describe(item) -> dict:
    functions = [getattr(item, "function", None)]
    fixture_defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    functions += [fixture.func for defs in fixture_defs.values() for fixture in defs]
    starts = set()
    for function in functions:
        starts |= _starts(function)
    return {"id": item.nodeid, "fixtures": sorted(getattr(item, "fixturenames", ())),
            "markers": sorted({mark.name for mark in item.iter_markers()}),
            "starts": sorted(starts)}


@cache
def _starts(function) -> frozenset[str]:
    """What the code of a test or fixture of this repository's tests/ starts."""
    try:
        if function is None or not inspect.getsourcefile(function).startswith(str(ROOT / "tests")):
            return frozenset()
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return frozenset()
    return frozenset(what for what, pattern in STARTERS.items() if re.search(pattern, source))
