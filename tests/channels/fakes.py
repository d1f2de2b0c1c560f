"""Loopback fakes of the Telegram Bot API, Twilio's Messages API and Meta's Graph API.

Each is a small aiohttp server on a free 127.0.0.1 port, run in a background thread; every call
is recorded (provider, API method, the JSON or form sent, whether the credentials were right).
`fail(provider, ...)` makes one provider refuse every call (an HTTP error answer, or a dropped
connection) until `recover(provider)`; refused calls are recorded in `refused`, not in `calls`.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from devtools.servers import free_port

BOT_TOKEN = "123456:TEST-bot-token"
TWILIO_SID = "AC00000000000000000000000000000001"
TWILIO_TOKEN = "twilio-test-auth-token"
GRAPH_VERSION = "v19.0"
PHONE_NUMBER_ID = "109876543210"
META_TOKEN = "meta-test-access-token"


@dataclass
class Call:
    provider: str  # telegram | twilio | meta
    method: str  # sendMessage, answerCallbackQuery, setWebhook, ... | Messages.json | messages
    data: dict[str, Any]
    authorized: bool
    path: str = ""


DISCONNECT = "disconnect"  # fail(): close the connection without an answer


@dataclass
class FakeProviders:
    calls: list[Call] = field(default_factory=list)
    ports: dict[str, int] = field(default_factory=dict)
    refused: list[Call] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._failing: dict[str, tuple[int, Any] | str] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._loop = asyncio.new_event_loop()
        self._runners: list[web.AppRunner] = []
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> FakeProviders:
        self._thread.start()
        apps = {"telegram": self._telegram_app(), "twilio": self._twilio_app(),
                "meta": self._meta_app()}
        for name, app in apps.items():
            self.ports[name] = free_port()
            asyncio.run_coroutine_threadsafe(self._serve(app, self.ports[name]),
                                             self._loop).result(10)
        return self

    async def _serve(self, app: web.Application, port: int) -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        self._runners.append(runner)

    def stop(self) -> None:
        async def cleanup() -> None:
            for runner in self._runners:
                await runner.cleanup()

        asyncio.run_coroutine_threadsafe(cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def url(self, provider: str) -> str:
        return f"http://127.0.0.1:{self.ports[provider]}"

    # --- failures ----------------------------------------------------------------------------
    def fail(self, provider: str, status: int | str = DISCONNECT, body: Any = None) -> None:
        """From now on `provider` answers every call with `status` and the JSON `body`, or
        drops the connection (DISCONNECT)."""
        with self._lock:
            self._failing[provider] = status if status == DISCONNECT else (status, body)

    def recover(self, provider: str) -> None:
        with self._lock:
            self._failing.pop(provider, None)

    def _refusal(self, call: Call, request: web.Request) -> web.Response | None:
        """The failure answer when the provider is failing (the call goes to `refused`)."""
        with self._lock:
            failing = self._failing.get(call.provider)
            if failing is None:
                return None
            self.refused.append(call)
        if failing == DISCONNECT:
            request.transport.close()
            return web.Response()  # never sent: the client sees the connection dropped
        status, body = failing
        return web.json_response(body, status=status)

    # --- what was called ---------------------------------------------------------------------
    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def find(self, provider: str, method: str | None = None,
             where: Callable[[Call], bool] = lambda _: True) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.provider == provider
                    and (method is None or c.method == method) and where(c)]

    def wait_for(self, provider: str, method: str | None = None,
                 where: Callable[[Call], bool] = lambda _: True, count: int = 1,
                 timeout: float = 30) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.find(provider, method, where)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"no {provider} {method} call within {timeout} s")

    # --- Telegram Bot API: POST /bot<token>/<method> ----------------------------------------
    def _telegram_app(self) -> web.Application:
        webhook: dict[str, Any] = {"url": "", "pending_update_count": 0}

        async def method(request: web.Request) -> web.Response:
            name = request.match_info["method"]
            authorized = request.match_info["token"] == BOT_TOKEN
            data = await request.json() if request.can_read_body else {}
            call = Call("telegram", name, data, authorized, request.path)
            if (refusal := self._refusal(call, request)) is not None:
                return refusal
            self._record(call)
            if not authorized:
                return web.json_response({"ok": False, "error_code": 401,
                                          "description": "Unauthorized"}, status=401)
            result: Any = True
            if name == "sendMessage":
                result = {"message_id": next(self._ids), "chat": {"id": data.get("chat_id")},
                          "text": data.get("text")}
            elif name == "setWebhook":
                webhook["url"] = data.get("url", "")
            elif name == "deleteWebhook":
                webhook["url"] = ""
            elif name == "getWebhookInfo":
                result = dict(webhook)
            return web.json_response({"ok": True, "result": result})

        app = web.Application()
        app.router.add_post("/bot{token}/{method}", method)
        return app

    # --- Twilio: POST /2010-04-01/Accounts/<sid>/Messages.json (basic auth, form) -------------
    def _twilio_app(self) -> web.Application:
        expected = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()

        async def messages(request: web.Request) -> web.Response:
            form = await request.post()
            authorized = (request.headers.get("Authorization") == expected
                          and request.match_info["sid"] == TWILIO_SID)
            call = Call("twilio", "Messages.json", dict(form), authorized, request.path)
            if (refusal := self._refusal(call, request)) is not None:
                return refusal
            self._record(call)
            if not authorized:
                return web.json_response({"code": 20003, "message": "Authenticate",
                                          "status": 401}, status=401)
            return web.json_response({"sid": f"SM{next(self._ids):032d}", "status": "queued",
                                      "to": form.get("To"), "from": form.get("From")},
                                     status=201)

        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", messages)
        return app

    # --- Graph API: POST /<version>/<phone number id>/messages (bearer token, JSON) ----------
    def _meta_app(self) -> web.Application:
        async def messages(request: web.Request) -> web.Response:
            data = await request.json()
            authorized = (request.headers.get("Authorization") == f"Bearer {META_TOKEN}"
                          and request.match_info["version"] == GRAPH_VERSION
                          and request.match_info["phone"] == PHONE_NUMBER_ID)
            call = Call("meta", "messages", data, authorized, request.path)
            if (refusal := self._refusal(call, request)) is not None:
                return refusal
            self._record(call)
            if not authorized:
                return web.json_response({"error": {"code": 190, "type": "OAuthException"}},
                                         status=401)
            return web.json_response({
                "messaging_product": "whatsapp",
                "contacts": [{"input": data.get("to"), "wa_id": data.get("to")}],
                "messages": [{"id": f"wamid.out{next(self._ids)}"}],
            })

        app = web.Application()
        app.router.add_post("/{version}/{phone}/messages", messages)
        return app
