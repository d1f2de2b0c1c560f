"""Keyed hashes of sender ids: the stored id under SENDER_ID_HASHING=1, and the audit log's
record of a deletion.

One secret key serves both, with a different purpose label each, so an audit hash never equals a
stored sender id. The key is SENDER_ID_KEY, or a random key generated once into var/sender_id_key
(readable by its owner only) when that is unset: every process of one machine then shares it.
Several machines (docker-compose, Kubernetes) must be given the same SENDER_ID_KEY: with another
key a hashed patient would start a new conversation and could not find the old one to delete it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from functools import cache
from pathlib import Path

KEY_FILE = Path(__file__).resolve().parent.parent / "var" / "sender_id_key"
HASHED_PREFIX = "h-"  # a stored sender id that is a keyed hash (SENDER_ID_HASHING=1)


def key_file() -> Path:
    """Where the generated key lives: SENDER_ID_KEY_FILE, or var/sender_id_key."""
    return Path(os.environ.get("SENDER_ID_KEY_FILE", KEY_FILE))


def read_or_create_key(path: Path | None = None) -> str:
    """The key kept in `path` (default `key_file()`), generated there once if it is missing.

    Used when SENDER_ID_KEY is unset, and by the production profile (production/stack.py), which
    gives the key to every process it starts."""
    path = key_file() if path is None else path
    if not path.exists() or not path.read_text().strip():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole to a private temporary file, then linked into place: the link is atomic
        # and fails if another process got there first, so every process reads one complete key
        # (never a file that is still empty).
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".sender_id_key.")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(32) + "\n")
            with contextlib.suppress(FileExistsError):  # another process's key is in place
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it, or set SENDER_ID_KEY")
    return key


@cache
def secret_key() -> bytes:
    given = os.environ.get("SENDER_ID_KEY", "").strip()
    if given:
        return given.encode()
    return read_or_create_key().encode()


def _digest(purpose: str, value: str) -> str:
    return hmac.new(secret_key(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def hashing_enabled() -> bool:
    return os.environ.get("SENDER_ID_HASHING", "0").strip() == "1"


def keyed_hash(sender_id: str) -> str:
    """The id stored instead of a phone number or Telegram id under SENDER_ID_HASHING=1."""
    return HASHED_PREFIX + _digest("sender", sender_id)[:40]


def stored_sender_id(raw: str) -> str:
    """The sender id Rasa stores for what a channel gives: the keyed hash when hashing is on."""
    return keyed_hash(raw) if hashing_enabled() else raw


def audit_hash(sender_id: str) -> str:
    """What the audit log keeps of a deleted patient's sender id (as stored): enough to answer
    "was this number's conversation deleted?" for whoever holds the key, nothing to read."""
    return _digest("audit", sender_id)[:32]


def private_id(value: object) -> str:
    """A provider's message id as the channels log it, put it in a message's metadata and claim
    it in their state: as given, or under SENDER_ID_HASHING=1 a keyed hash (`m-` and 20 hex
    digits), since some ids carry the sender (a WhatsApp message id holds the phone number in
    base64). The same id always gives the same hash, so a redelivery is still recognised."""
    text = str(value)
    return "m-" + _digest("message", text)[:20] if hashing_enabled() else text
