"""The Spanish detector, shared by the Spanish safety tests (built once per session: ~10 s)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def es():
    from safety import detector_for

    return detector_for("es")
