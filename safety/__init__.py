"""Warning-sign detector: the deterministic safety layer of the TPI patient assistant.

    from safety import WarningSignDetector
    assessment = WarningSignDetector().assess("I can't catch my breath since the shot")
    assessment.level      # "emergency"

The names below are loaded on first use, so that `safety.levels`, `safety.turn` and
`safety.reassurance` can be imported without loading spaCy. How a message flows through the
modules: detector.py and README.md.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .assessment import Assessment, Finding
    from .detector import WarningSignDetector
    from .language import detector_for
    from .vocabulary import Sign, Vocabulary, VocabularyError, load_vocabulary

__all__ = [
    "Assessment",
    "Finding",
    "Sign",
    "Vocabulary",
    "VocabularyError",
    "WarningSignDetector",
    "detector_for",
    "load_vocabulary",
]

_HOME = {
    "Assessment": "assessment",
    "Finding": "assessment",
    "WarningSignDetector": "detector",
    "detector_for": "language",
    "Sign": "vocabulary",
    "Vocabulary": "vocabulary",
    "VocabularyError": "vocabulary",
    "load_vocabulary": "vocabulary",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
