"""Warning-sign detector: the deterministic safety layer of the TPI patient assistant.

    from safety import WarningSignDetector
    assessment = WarningSignDetector().assess("I can't catch my breath since the shot")
    assessment.level      # "emergency"
"""

from .assessment import Assessment, Finding
from .detector import WarningSignDetector
from .vocabulary import Sign, Vocabulary, VocabularyError, load_vocabulary

__all__ = [
    "Assessment",
    "Finding",
    "Sign",
    "Vocabulary",
    "VocabularyError",
    "WarningSignDetector",
    "load_vocabulary",
]
