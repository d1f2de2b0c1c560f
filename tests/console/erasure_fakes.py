"""What the erasure tests share: a tracker store of hand-made events with the console on top (one
process, SQLite or PostgreSQL), and a loopback stand-in for the Rasa server's deletion endpoint
(docs/data-rights.md, 2.2) that runs privacy.erasure.erase on that tracker store, for the tests
that need no Rasa server."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import sqlalchemy as sa

from console import db
from console.alerts import redact
from console.escalations import AlertPlan
from console.indexer import Indexer
from console.tracker import TrackerReader, events, metadata
from privacy.erasure import REASONS, ensure_table, erase, erasures

ALERT_URL = "json://alerts.example.org/hook"
TOKEN = "stand-in-token"


def event(id_: int, sender: str, kind: str, at: float | None = None, **data) -> dict:
    intent = (data.get("parse_data") or {}).get("intent", {}).get("name")
    return {"id": id_, "sender_id": sender, "type_name": kind,
            "timestamp": time.time() if at is None else at, "intent_name": intent,
            "action_name": data.get("name"), "data": json.dumps(data)}


def start(id_: int, sender: str, at: float | None = None) -> dict:
    return event(id_, sender, "action", at, name="action_session_start")


def said(id_: int, sender: str, text: str, at: float | None = None,
         channel: str = "telegram", intent: str = "report_symptom") -> dict:
    return event(id_, sender, "user", at, text=text, input_channel=channel,
                 parse_data={"intent": {"name": intent, "confidence": 0.9}})


def escalated(id_: int, sender: str, level: str = "doctor", at: float | None = None) -> list:
    return [event(id_, sender, "slot", at, name="escalation_level", value=level),
            event(id_ + 1, sender, "slot", at, name="warning_signs", value=["fever"])]


def handed_over(id_: int, sender: str, staff: str | None, at: float | None = None) -> dict:
    return event(id_, sender, "slot", at, name="handoff_by", value=staff)


class LocalWorld:
    """A tracker database with the console's tables beside it (or in their own database), an
    indexer that queues alerts for one destination, and no Rasa server."""

    def __init__(self, tracker_url: str, console_url: str) -> None:
        self.tracker_url = tracker_url
        self.tracker_engine = sa.create_engine(tracker_url, future=True)
        metadata.create_all(self.tracker_engine)
        self.console = db.connect(console_url)
        self.tracker = TrackerReader(tracker_url)
        self.plan = AlertPlan(((0, redact(ALERT_URL)),), 1800)
        self.indexer = Indexer(self.tracker, self.console, self.plan)

    def add(self, *rows) -> None:
        flat = [r for row in rows for r in (row if isinstance(row, list) else [row])]
        with self.tracker_engine.begin() as conn:
            conn.execute(events.insert(), flat)

    def erase(self, sender: str, reason: str = "staff_on_request", actor: str = "ada",
              up_to: int | None = None):
        """What the Rasa server does (under the conversation's lock there)."""
        ensure_table(self.tracker_engine)
        with self.tracker_engine.begin() as conn:
            return erase(conn, events, sender, reason=reason, actor=actor, up_to_event_id=up_to)

    def erasure_rows(self) -> list:
        ensure_table(self.tracker_engine)
        with self.tracker_engine.connect() as conn:
            return conn.execute(sa.select(erasures)).all()

    def count(self, table: sa.Table, *where) -> int:
        with self.console.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(table)
                                .where(*where)).scalar()

    def conversations(self, sender: str | None = None) -> list[int]:
        conv = db.conversations
        query = sa.select(conv.c.id).order_by(conv.c.id)
        if sender is not None:
            query = query.where(conv.c.sender_id == sender)
        with self.console.connect() as conn:
            return [r.id for r in conn.execute(query)]

    def audit(self, action: str | None = None) -> list:
        log = db.audit_log
        query = sa.select(log).order_by(log.c.id)
        if action:
            query = query.where(log.c.action == action)
        with self.console.connect() as conn:
            return conn.execute(query).all()

    def dispose(self) -> None:
        self.tracker_engine.dispose()
        self.tracker.engine.dispose()
        self.console.dispose()


class StandInEndpoint:
    """POST /webhooks/privacy/erase on loopback, as section 2.2 of docs/data-rights.md says (no
    lock store: the tests that use it send nothing else at the same time). `unavailable` makes
    it answer 503 without deleting, `delay` answer late; `calls` records each request's body and
    Authorization header."""

    def __init__(self, tracker_url: str, token: str = TOKEN) -> None:
        self.engine = sa.create_engine(tracker_url, future=True)
        ensure_table(self.engine)
        self.token = token
        self.calls: list[tuple[dict, str]] = []
        self.unavailable = False
        self.delay = 0.0  # seconds before it answers (the deletion is done first)
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path != "/webhooks/privacy/erase":
                    return self.answer(404, {"reason": "not found"})
                header = self.headers.get("Authorization") or ""
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                endpoint.calls.append((body, header))
                if header != f"Bearer {endpoint.token}":
                    return self.answer(401, {"reason": "no or wrong token"})
                if endpoint.unavailable:
                    return self.answer(503, {"reason": "storage unavailable"})
                if (not isinstance(body, dict) or not body.get("sender_id")
                        or body.get("reason") not in set(REASONS) - {"patient_request"}
                        or not body.get("actor")):
                    return self.answer(400, {"reason": "bad body"})
                with endpoint.engine.begin() as conn:
                    done = erase(conn, events, body["sender_id"], reason=body["reason"],
                                 actor=body["actor"], up_to_event_id=body.get("up_to_event_id"))
                time.sleep(endpoint.delay)
                return self.answer(200, {"sender_id": done.sender_id, "events": done.events,
                                         "up_to_event_id": done.up_to_event_id,
                                         "channel": done.channel})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> StandInEndpoint:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.engine.dispose()
