"""Settings of the staff console, all from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _sqlite_url(path: str) -> str:
    return f"sqlite:///{path}"


@dataclass(frozen=True)
class Settings:
    tracker_url: str
    console_db_url: str
    port: int
    secure_cookies: bool
    session_hours: float
    max_failed_signins: int
    lockout_seconds: int
    page_size: int

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        tracker_url = env.get("CONSOLE_TRACKER_URL") or _sqlite_url(
            env.get("TRACKER_DB", "var/tracker.db"))
        return cls(
            tracker_url=tracker_url,
            console_db_url=env.get("CONSOLE_DB_URL", "sqlite:///var/console.db"),
            port=int(env.get("CONSOLE_PORT", "8090")),
            secure_cookies=env.get("CONSOLE_SECURE_COOKIES", "0") == "1",
            session_hours=float(env.get("CONSOLE_SESSION_HOURS", "8")),
            max_failed_signins=int(env.get("CONSOLE_MAX_FAILED_SIGNINS", "5")),
            lockout_seconds=int(env.get("CONSOLE_LOCKOUT_SECONDS", "900")),
            page_size=int(env.get("CONSOLE_PAGE_SIZE", "50")),
        )


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a SQLite file URL (var/ is git-ignored and may not exist yet)."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix):] not in ("", ":memory:"):
        Path(url[len(prefix):]).parent.mkdir(parents=True, exist_ok=True)
