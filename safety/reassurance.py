"""The reassurance the assistant gives for an expected after-effect (vocabulary.yml)."""

from __future__ import annotations

from .vocabulary import default_vocabulary

GENERIC = "Some soreness, bruising or numbness at the injection site is expected for a few days."


def reassurance_for(sign_id: str) -> str:
    """The sign's reassurance text; a general one for a sign without its own."""
    try:
        text = default_vocabulary().sign(sign_id).reassurance
    except KeyError:
        text = None
    return text or GENERIC
