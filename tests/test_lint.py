"""The code stays as ruff's configuration in pyproject.toml asks, complexity included (C901, at
most 15 per function): CI fails on a change that does not, not only a maintainer's `make lint`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from devtools.servers import ROOT


def test_ruff_is_clean_on_the_whole_repository():
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run([str(ruff), "check", "--no-cache", "."], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]
