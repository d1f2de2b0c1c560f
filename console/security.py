"""Passwords (argon2), server-side sessions, CSRF tokens and the sign-in lockout."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from console.db import sessions, signin_failures, users

ROLES = ("reviewer", "admin")
MIN_PASSWORD = 10
hasher = PasswordHasher()
# Verified against when the name is unknown, so both cases take the same time.
_DUMMY_HASH = hasher.hash("not a real password, only for timing")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password needs at least {MIN_PASSWORD} characters")
    return hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Session:
    token_digest: str
    csrf_token: str
    user_id: int | None = None
    name: str = ""
    role: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def csrf_ok(self, submitted: str | None) -> bool:
        return bool(submitted) and hmac.compare_digest(self.csrf_token, submitted)


def new_session(conn: sa.engine.Connection, user_id: int | None, hours: float) -> str:
    """A fresh session id (returned for the cookie; only its digest is stored)."""
    token = secrets.token_urlsafe(32)
    now = time.time()
    conn.execute(sessions.insert().values(
        id=_digest(token), user_id=user_id, csrf_token=secrets.token_urlsafe(32),
        created_at=now, expires_at=now + hours * 3600))
    return token


def load_session(conn: sa.engine.Connection, token: str | None) -> Session | None:
    if not token or len(token) > 200:
        return None
    row = conn.execute(
        sa.select(sessions.c.id, sessions.c.csrf_token, sessions.c.user_id, sessions.c.expires_at,
                  users.c.name, users.c.role, users.c.disabled)
        .select_from(sessions.outerjoin(users, users.c.id == sessions.c.user_id))
        .where(sessions.c.id == _digest(token))).first()
    if row is None:
        return None
    if row.expires_at < time.time() or (row.user_id is not None and row.disabled):
        conn.execute(sessions.delete().where(sessions.c.id == row.id))
        return None
    return Session(row.id, row.csrf_token, row.user_id, row.name or "", row.role or "")


def drop_session(conn: sa.engine.Connection, session: Session | None) -> None:
    if session is not None:
        conn.execute(sessions.delete().where(sessions.c.id == session.token_digest))


def drop_user_sessions(conn: sa.engine.Connection, user_id: int) -> None:
    conn.execute(sessions.delete().where(sessions.c.user_id == user_id))


def locked_for(conn: sa.engine.Connection, name: str) -> float:
    """Seconds the name is still locked out for (0 when not locked)."""
    row = conn.execute(sa.select(signin_failures.c.locked_until)
                       .where(signin_failures.c.name == name)).first()
    if row is None or not row.locked_until:
        return 0.0
    return max(0.0, row.locked_until - time.time())


def record_failure(conn: sa.engine.Connection, name: str, limit: int, lockout: int) -> bool:
    """Count one failed sign-in; True when the name is now locked out."""
    row = conn.execute(sa.select(signin_failures.c.count)
                       .where(signin_failures.c.name == name)).first()
    count = (row.count if row else 0) + 1
    locked_until = time.time() + lockout if count >= limit else None
    if row is None:
        conn.execute(signin_failures.insert().values(
            name=name, count=count, locked_until=locked_until))
    else:
        conn.execute(signin_failures.update().where(signin_failures.c.name == name)
                     .values(count=count, locked_until=locked_until))
    return locked_until is not None


def clear_failures(conn: sa.engine.Connection, name: str) -> None:
    conn.execute(signin_failures.delete().where(signin_failures.c.name == name))


def check_credentials(conn: sa.engine.Connection, name: str, password: str):
    """The user row when name and password match an enabled account, else None."""
    row = conn.execute(sa.select(users).where(users.c.name == name)).first()
    if row is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(row.password_hash, password) or row.disabled:
        return None
    return row
