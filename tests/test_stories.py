"""Test stories (tests/stories/) pass with the trained model: `rasa test core`."""

import re
import subprocess

import pytest

from devtools.servers import MODEL, ROOT, VENV_BIN

pytestmark = pytest.mark.model  # `rasa test core` loads the trained model


def test_stories_pass_without_prediction_errors(tmp_path):
    result = subprocess.run(
        [str(VENV_BIN / "rasa"), "test", "core", "--model", str(MODEL),
         "--stories", "tests/stories", "--fail-on-prediction-errors", "--out", str(tmp_path),
         "--no-plot"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    output = result.stdout + result.stderr
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, (output[-3000:] + details[-3000:])
    assert "None of the test stories failed" in details, details[-3000:]
    correct = re.findall(r"Correct:\s+(\d+) / (\d+)", output)
    assert correct and all(right == total for right, total in correct), correct
    stories = int(correct[0][1])
    assert stories >= 30, f"only {stories} stories ran"
