"""What the minimal-pair tests compare: the level a message escalates to, or None."""

from __future__ import annotations

from safety import WarningSignDetector


def escalation(detector: WarningSignDetector, text: str) -> str | None:
    """"emergency" or "doctor" when the message escalates, else None."""
    level = detector.assess(text).level
    return level if level in ("emergency", "doctor") else None
