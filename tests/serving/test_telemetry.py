"""Rasa's telemetry is off on every server this project starts (patients' messages are health
data), whatever the machine's own Rasa settings say, unless the clinic turns it on."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from devtools.servers import ROOT

pytestmark = pytest.mark.slow  # each test runs Rasa's command line in a fresh interpreter (~7 s)


def _telemetry_status(**env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "RASA_TELEMETRY_ENABLED"}
    environment.update(env, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "serving", "telemetry"], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=300)
    return done.stdout


def test_the_served_rasa_reports_no_telemetry_by_default():
    assert "currently disabled" in _telemetry_status()


def test_a_clinic_can_still_turn_it_on():
    assert "currently enabled" in _telemetry_status(RASA_TELEMETRY_ENABLED="true")
