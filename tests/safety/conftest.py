"""The detector the safety tests share (a test module may still define its own)."""

from __future__ import annotations

import pytest

from safety import WarningSignDetector


@pytest.fixture(scope="module")
def detector() -> WarningSignDetector:
    return WarningSignDetector()
