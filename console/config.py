"""Settings of the staff console, all from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote


def _sqlite_url(path: str) -> str:
    return f"sqlite:///{path}"


def tracker_url_from(env) -> str:
    """Rasa's tracker store from the variables its endpoints file reads: PostgreSQL when
    TRACKER_DIALECT is postgresql (DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD, and Rasa's
    POSTGRESQL_SCHEMA), else the SQLite file TRACKER_DB."""
    if env.get("TRACKER_DIALECT", "sqlite") != "postgresql":
        return _sqlite_url(env.get("TRACKER_DB", "var/tracker.db"))
    user = quote(env.get("DB_USER", "rasa"), safe="")
    password = env.get("DB_PASSWORD", "")
    auth = f"{user}:{quote(password, safe='')}" if password else user
    url = (f"postgresql://{auth}@{env.get('DB_HOST', '127.0.0.1')}:"
           f"{env.get('DB_PORT', '5432')}/{quote(env.get('DB_NAME', 'rasa'), safe='')}")
    if env.get("POSTGRESQL_SCHEMA"):
        # The same search_path Rasa sets, so `events` and the console's tables share the schema.
        url += "?options=" + quote(f"-csearch_path={env['POSTGRESQL_SCHEMA']}", safe="")
    return url


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
    index_seconds: float
    low_confidence: float
    # supervisord's XML-RPC socket when the production profile runs the console (the admin's
    # "Parts" page reads each part's state from it); empty otherwise.
    supervisor_socket: str = ""

    @classmethod
    def from_env(cls, env=None) -> Settings:
        env = os.environ if env is None else env
        tracker_url = env.get("CONSOLE_TRACKER_URL") or tracker_url_from(env)
        # On PostgreSQL the console's tables live next to Rasa's (all named console_*).
        default_console_db = (tracker_url if tracker_url.startswith("postgresql")
                              else "sqlite:///var/console.db")
        return cls(
            tracker_url=tracker_url,
            console_db_url=env.get("CONSOLE_DB_URL", default_console_db),
            port=int(env.get("CONSOLE_PORT", "8090")),
            secure_cookies=env.get("CONSOLE_SECURE_COOKIES", "0") == "1",
            session_hours=float(env.get("CONSOLE_SESSION_HOURS", "8")),
            max_failed_signins=int(env.get("CONSOLE_MAX_FAILED_SIGNINS", "5")),
            lockout_seconds=int(env.get("CONSOLE_LOCKOUT_SECONDS", "900")),
            page_size=int(env.get("CONSOLE_PAGE_SIZE", "50")),
            # How often new conversations are indexed in the background (a list also catches up).
            index_seconds=float(env.get("CONSOLE_INDEX_SECONDS", "5")),
            # A patient turn whose top intent scored below this is a "low-confidence" turn.
            low_confidence=float(env.get("CONSOLE_LOW_CONFIDENCE", "0.6")),
            # supervisord tells the programs it runs its address (unix://PATH here).
            supervisor_socket=env.get("SUPERVISOR_SERVER_URL", "").removeprefix("unix://")
            if env.get("SUPERVISOR_SERVER_URL", "").startswith("unix://") else "",
        )


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a SQLite file URL (var/ is git-ignored and may not exist yet)."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix):] not in ("", ":memory:"):
        Path(url[len(prefix):]).parent.mkdir(parents=True, exist_ok=True)
