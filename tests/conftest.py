"""Shared fixtures. The whole test run uses Rasa with the project's patches, as the server runs
(`python -m serving`): they are applied here, once, before any test module imports Rasa, so a
single test file run alone tests the same Rasa as the whole suite.

Also the test tiers (README, "Tests"): every test is marked with what it needs (NEEDS, declared in
pyproject.toml), from the fixtures it uses (pytest_collection_modifyitems below) or a marker in its
file; `make test-fast` runs the tests that need none of them (FAST_TIER)."""

from __future__ import annotations

import asyncio

import pytest

from devtools.servers import MODEL, Servers
from evaluation.frozen import EVALUATION_NOW
from serving import rasa_patches

rasa_patches.apply()

# What a test can need beyond this process, the venv and the repository (markers, declared with
# their meaning in pyproject.toml). The fast tier is every test that needs none of them.
NEEDS = ("servers", "model", "browser", "postgres", "redis", "nginx", "slow")
FAST_TIER = "not (" + " or ".join(NEEDS) + ")"
# Fixtures that start something, and what a test that uses one (directly or through another
# fixture) needs. A new fixture that starts a server, a browser or a database belongs here; a test
# that starts one itself gets the marker in its file (tests/test_test_tiers.py checks both).
FIXTURE_NEEDS = {
    "servers": {"servers"},  # tests/conftest.py: the action server and the Rasa server
    "agent": {"model"},  # tests/conftest.py: the trained model loaded in-process (also `parse`)
    "console": {"servers"},  # tests/console/conftest.py (PostgreSQL too: PARAM_NEEDS)
    "alert_world": {"servers"},  # tests/console/test_alerts.py: the console on `servers`
    "browser": {"browser"},  # tests/console/test_console_browser.py: chromium
    "web_stack": {"servers", "browser"},  # tests/web/conftest.py
    "scaled_out": {"servers", "postgres", "redis", "nginx"},  # tests/production/conftest.py
    "bare": {"servers"},  # tests/channels/test_channels_disabled.py
    "live": {"servers"},  # tests/channels/test_channels_e2e.py
    "hashed_live": {"servers"},  # tests/channels/test_sender_id_hashing.py (SENDER_ID_HASHING=1)
    "replicas": {"servers", "redis"},  # tests/channels/test_channel_state_redis.py
    "redis_server": {"redis"},  # tests/channels/test_channel_state_redis.py, tests/serving/...
    "pg": {"postgres"},  # tests/test_pg_fixture.py
}
# A fixture parameter that starts something only for some of its values.
PARAM_NEEDS = {
    ("console", "postgresql"): {"postgres"},
    ("store", "production/endpoints.yml"): {"redis"},  # tests/serving/test_lock_stores.py
}
# Tests marked here rather than in their file (tests/safety/ is edited by the safety work); each
# id must still name a collected test (tests/test_test_tiers.py).
NODE_NEEDS = {
    # trains the judge on its whole corpus (~10 s)
    "tests/safety/test_judge.py::test_the_judge_learns_from_the_corpus_and_round_trips": {"slow"},
}
# The Rasa server loads the trained model.
IMPLIED = {"servers": {"model"}}


def needs_of(item: pytest.Item) -> set[str]:
    """What a collected test needs: its markers plus what its fixtures and parameters start."""
    needs = {mark.name for mark in item.iter_markers() if mark.name in NEEDS}
    needs |= NODE_NEEDS.get(item.nodeid, set())
    for name in getattr(item, "fixturenames", ()):
        needs |= FIXTURE_NEEDS.get(name, set())
    callspec = getattr(item, "callspec", None)
    for (name, value), more in PARAM_NEEDS.items():
        if callspec is not None and callspec.params.get(name) == value:
            needs |= more
    for need in list(needs):
        needs |= IMPLIED.get(need, set())
    return needs


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by these markers
def pytest_collection_modifyitems(config, items):
    for item in items:
        present = {mark.name for mark in item.iter_markers()}
        for need in sorted(needs_of(item) - present):
            item.add_marker(need)


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    """Both servers, started once for the whole run (about 30 s) and stopped at the end."""
    # At the evaluation's fixed in-hours moment, so the frozen-set targets do not depend on the
    # hour the suite runs (evaluation/frozen.py, EVALUATION_NOW).
    running = Servers(tmp_path_factory.mktemp("servers"),
                      extra_env={"CLINIC_NOW": EVALUATION_NOW})
    try:
        running.start_both()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def agent():
    """The trained model loaded in-process, for NLU-only measurements."""
    from rasa.core.agent import Agent

    assert MODEL.exists(), "run `make train` first (make test does)"
    return Agent.load(str(MODEL))


@pytest.fixture(scope="session")
def parse(agent):
    loop = asyncio.new_event_loop()

    def _parse(text: str) -> dict:
        return loop.run_until_complete(agent.parse_message(text))

    yield _parse
    loop.close()
