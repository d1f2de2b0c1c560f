"""Test stories (tests/stories/) pass with the trained model: `rasa test core`."""

import subprocess

from tests.servers import MODEL, ROOT, VENV_BIN


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
    assert "Failed stories" not in output or "(0)" in output
