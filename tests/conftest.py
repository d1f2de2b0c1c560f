"""Shared fixtures. The whole test run uses Rasa with the project's patches, as the server runs
(`python -m serving`): they are applied here, once, before any test module imports Rasa, so a
single test file run alone tests the same Rasa as the whole suite."""

from __future__ import annotations

import asyncio

import pytest

from devtools.servers import MODEL, Servers
from serving import rasa_patches

rasa_patches.apply()


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    """Both servers, started once for the whole run (about 30 s) and stopped at the end."""
    running = Servers(tmp_path_factory.mktemp("servers"))
    try:
        running.start_actions()
        running.start_rasa()
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
