"""The reassurance the assistant gives for an expected after-effect (vocabulary.yml)."""

from __future__ import annotations

from .vocabulary import default_vocabulary


def reassurance_for(sign_id: str) -> str | None:
    """The sign's reassurance text; None for a sign without its own (the caller then uses the
    general one, `safety_reassurance_generic` in content/safety.yml)."""
    try:
        return default_vocabulary().sign(sign_id).reassurance or None
    except KeyError:
        return None
