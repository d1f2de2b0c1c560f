"""`rasa data validate` passes with no warnings (domain, rules, stories, NLU data)."""

import subprocess

import pytest

from devtools.servers import ROOT, VENV_BIN

pytestmark = pytest.mark.slow  # Rasa's command line in a fresh interpreter (~7 s; `make validate`)


def test_rasa_data_validate_passes_without_warnings():
    result = subprocess.run(
        [str(VENV_BIN / "rasa"), "data", "validate", "--domain", "domain", "--fail-on-warnings"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "UserWarning" not in output, output[-4000:]
    assert "No story structure conflicts found" in output
