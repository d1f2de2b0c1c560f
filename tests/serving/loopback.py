"""A real HTTP server on 127.0.0.1 in a thread of its own (aiohttp), posing as an action server."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class LoopbackServer:
    """`with LoopbackServer(handler) as server:` serves POST /webhook with `handler` on a free port
    (`server.url`) from its own event loop and thread, so blocking test code and asyncio test code
    can both call it. `server.requests` counts the requests that arrived."""

    def __init__(self, handler: Handler | None = None) -> None:
        self.handler = handler or self._hang
        self.requests = 0
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._release: asyncio.Event | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhook"

    async def _hang(self, request: web.Request) -> web.Response:
        """Accepts the request and never answers (until the server stops)."""
        assert self._release is not None
        await self._release.wait()
        return web.Response(status=503)

    async def _count(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        return await self.handler(request)

    async def _start(self) -> None:
        self._release = asyncio.Event()
        app = web.Application()
        app.router.add_post("/webhook", self._count)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        assert self._release is not None and self._runner is not None
        self._release.set()
        await self._runner.cleanup()

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self._stop(), self.loop).result(30)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            self.loop.close()


def hanging_action_server() -> LoopbackServer:
    """An action server that accepts every call and never answers."""
    return LoopbackServer()


def project_action_server() -> LoopbackServer:
    """An action server running this project's actions (actions/) with rasa_sdk's executor, as
    `rasa run actions` does, minus Sanic."""
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")

    async def run(request: web.Request) -> web.Response:
        return web.json_response(await executor.run(await request.json()))

    return LoopbackServer(run)
