"""Loopback receivers for the clinic's alerts (console/alerts.py), for the tests: a JSON webhook
(Apprise's json:// posts {"title", "message", "type", ...}), a real SMTP server (aiosmtpd) and a
destination that accepts connections and never answers. Each records what it received."""

from __future__ import annotations

import email
import email.policy
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from production.net import free_port

ALERT_ID = re.compile(r"Alert id: (\d+)")


def alert_id(text: str) -> int | None:
    found = ALERT_ID.search(text or "")
    return int(found.group(1)) if found else None


@dataclass
class Received:
    destination: str  # the webhook's path, or "smtp"
    alert_id: int | None
    title: str
    body: str
    raw: str  # everything that arrived, to search for what must not be there
    accepted: bool = True
    at: float = field(default_factory=time.time)


@dataclass
class Receivers:
    """What every receiver got, in arrival order."""

    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, item: Received) -> None:
        with self.lock:
            self.received.append(item)

    def accepted(self, destination: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.destination == destination and r.accepted]

    def all(self) -> list[Received]:
        with self.lock:
            return list(self.received)


class Webhook:
    """A JSON webhook on 127.0.0.1. `fail_first[path] = n` answers 503 to the first n posts of
    each alert id at that path, then accepts."""

    def __init__(self, receivers: Receivers, fail_first: dict[str, int] | None = None) -> None:
        self.receivers = receivers
        self.fail_first = dict(fail_first or {})
        self.tries: dict[tuple[str, int | None], int] = {}
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode(
                    "utf-8", "replace")
                try:
                    payload = json.loads(raw)
                except ValueError:
                    payload = {}
                item = Received(self.path, alert_id(payload.get("message", "")),
                                payload.get("title", ""), payload.get("message", ""), raw)
                with hook.receivers.lock:
                    key = (self.path, item.alert_id)
                    hook.tries[key] = hook.tries.get(key, 0) + 1
                    item.accepted = hook.tries[key] > hook.fail_first.get(self.path, 0)
                hook.receivers.add(item)
                self.send_response(200 if item.accepted else 503)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"json://127.0.0.1:{self.port}{path}"

    def start(self) -> Webhook:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Mailbox:
    """A real SMTP server (aiosmtpd) on 127.0.0.1, no TLS, no login."""

    def __init__(self, receivers: Receivers) -> None:
        from aiosmtpd.controller import Controller

        self.receivers = receivers
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's
        raw = envelope.content.decode("utf-8", "replace") if isinstance(
            envelope.content, bytes) else envelope.content
        message = email.message_from_string(raw, policy=email.policy.default)
        part = message.get_body(("plain", "html"))
        body = part.get_content() if part is not None else ""
        # Every header and every part decoded (quoted-printable, HTML), to search in.
        decoded = [str(value) for _, value in message.items()] + [
            p.get_content() for p in message.walk() if p.get_content_maintype() == "text"]
        self.receivers.add(Received("smtp", alert_id(body), str(message["Subject"] or ""), body,
                                    "\n".join([raw, *decoded, *envelope.rcpt_tos])))
        return "250 OK"

    def url(self, sender: str = "alerts@clinic.test", to: str = "nurse@clinic.test") -> str:
        # mailto:// (not mailtos://): plain SMTP, as on loopback; Apprise logs in only when the
        # URL has a user and password.
        return f"mailto://127.0.0.1:{self.port}/?from={sender}&to={to}"

    def start(self) -> Mailbox:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


class Silent:
    """A port that accepts connections (the kernel's backlog) and never answers: a destination
    that is down the slow way."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]

    def url(self, path: str = "/down") -> str:
        # Apprise's own connect and read timeouts (cto, rto), short: it gives up after 0.5 s.
        return f"json://127.0.0.1:{self.port}{path}?cto=0.5&rto=0.5"

    def stop(self) -> None:
        self.socket.close()
