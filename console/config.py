"""Settings of the staff console, all from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

API_TOKEN_FILE = Path(__file__).resolve().parent.parent / "var" / "api_token"


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
    # Alerts (console/alerts.py): Apprise URLs, one per destination; none: alerts not configured.
    alert_urls: tuple[str, ...] = ()
    # The console's address as staff reach it, for the link in an alert.
    public_url: str = "http://127.0.0.1:8090"
    # A failed send is retried after retry_seconds, then twice that, ... (at most
    # RETRY_CAP_SECONDS apart), and recorded failed after max_attempts attempts or once
    # give_up_minutes have passed since the escalation.
    alert_retry_seconds: float = 2.0
    alert_max_attempts: int = 10
    alert_give_up_minutes: float = 30.0
    alert_timeout_seconds: float = 20.0  # one send to one destination
    # Rasa's HTTP API, for taking a conversation over, staff replies and handing it back
    # (console/rasa_api.py). In the production profile: the load balancer in front of the replicas.
    rasa_api_url: str = "http://127.0.0.1:5005"
    rasa_api_token: str = ""
    # How often the console runs retention itself (console/retention.py), in hours; 0: never (a
    # cron job or a Kubernetes CronJob runs `python -m console.retention` instead).
    retention_hours: float = 24.0

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
            # How often new conversations are indexed in the background (a list also catches up);
            # an escalation's alert goes out right after the pass that finds it.
            index_seconds=float(env.get("CONSOLE_INDEX_SECONDS", "1")),
            # A patient turn whose top intent scored below this is a "low-confidence" turn.
            low_confidence=float(env.get("CONSOLE_LOW_CONFIDENCE", "0.6")),
            # supervisord tells the programs it runs its address (unix://PATH here).
            supervisor_socket=env.get("SUPERVISOR_SERVER_URL", "").removeprefix("unix://")
            if env.get("SUPERVISOR_SERVER_URL", "").startswith("unix://") else "",
            alert_urls=tuple(env.get("CLINIC_ALERT_URLS", "").split()),
            public_url=(env.get("CONSOLE_PUBLIC_URL", "").strip()
                        or f"http://127.0.0.1:{env.get('CONSOLE_PORT', '8090')}").rstrip("/"),
            alert_retry_seconds=float(env.get("CLINIC_ALERT_RETRY_SECONDS", "2")),
            alert_max_attempts=max(1, int(env.get("CLINIC_ALERT_MAX_ATTEMPTS", "10"))),
            alert_give_up_minutes=float(env.get("CLINIC_ALERT_GIVE_UP_MINUTES", "30")),
            alert_timeout_seconds=float(env.get("CLINIC_ALERT_TIMEOUT_SECONDS", "20")),
            rasa_api_url=(env.get("RASA_API_URL", "").strip()
                          or f"http://127.0.0.1:{env.get('RASA_PORT', '5005')}").rstrip("/"),
            rasa_api_token=env.get("RASA_API_TOKEN", "").strip() or stored_api_token(),
            retention_hours=max(0.0, float(env.get("CONSOLE_RETENTION_HOURS", "24") or 0)),
        )


def stored_api_token() -> str:
    """The token `make run` generated into var/api_token when RASA_API_TOKEN is not set (the run
    script does not export it to the console)."""
    try:
        return API_TOKEN_FILE.read_text().strip()
    except OSError:
        return ""


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a SQLite file URL (var/ is git-ignored and may not exist yet)."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix):] not in ("", ":memory:"):
        Path(url[len(prefix):]).parent.mkdir(parents=True, exist_ok=True)
