"""The reassurance the assistant gives for an expected after-effect, from vocabulary.yml."""

from __future__ import annotations

from functools import lru_cache

import yaml

from .vocabulary import VOCABULARY_FILE

GENERIC = "Some soreness, bruising or numbness at the injection site is expected for a few days."


@lru_cache(maxsize=1)
def _reassurances() -> dict[str, str]:
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    return {
        sign["id"]: sign["reassurance"]
        for sign in data["signs"]
        if sign.get("level") == "expected" and sign.get("reassurance")
    }


def reassurance_for(sign_id: str) -> str:
    """The sign's reassurance text; a general one for an expected sign without its own."""
    return _reassurances().get(sign_id, GENERIC)
