"""Rasa 3.6's socket.io channel, with session persistence that works (credentials.yml names it).

1. Rasa 3.6.21 joins the browser's socket to its session's room with `sio.enter_room(...)`
   without `await` (RasaHQ/rasa#13027, never fixed in 3.6). Since python-socketio 5.9 that call
   is a coroutine, so with `session_persistence: true` the socket never joins the room: the
   assistant's replies, sent to the room of the session id, reach nobody and the chat stays
   silent. This subclass's `session_request` handler awaits the call, and accepts only session
   ids of the form the channel itself hands out (32 hex digits), making a new one otherwise.
2. Rasa's channel turns python-socketio's Origin check off (`cors_allowed_origins=[]`), and
   `rasa run --cors` only adds CORS headers, which browsers apply to the HTTP long-polling
   transport but not to a WebSocket. When CORS_ORIGINS is set (space-separated origins, the same
   list the run command passes to `--cors`), a browser connection from any other origin is
   refused. Clients that send no Origin header (not browsers) are let through, as before.
3. Staff replies (docs/handoff.md) are sent by whichever Rasa server the console's API call
   reaches, while the patient's socket lives on one of them. When REDIS_HOST is set (the lock
   store's Redis: REDIS_HOST, REDIS_PORT, REDIS_PASSWORD, REDIS_DB, as channels/state.py reads
   them), the socket.io server gets python-socketio's AsyncRedisManager, so an emit on any
   replica reaches the room's sockets on every replica. It delivers on its own server first and
   then publishes; a Redis failure is logged by python-socketio and loses only the other
   replicas' share. Without REDIS_HOST (one server, `make run`) nothing changes.

Everything else (events, metadata_key, socketio_path, jwt_key, the channel name "socketio" that
`?output_channel=socketio` and the tracker use) is Rasa's own.
"""

from __future__ import annotations

import inspect
import logging
import os
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint
from socketio import AsyncRedisManager, AsyncServer

from channels.state import TIMEOUT, _number

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"[0-9a-f]{32}")


def valid_session_id(data: Any) -> str:
    """The session id the browser asked for, if it is one the channel could have made."""
    session_id = data.get("session_id") if isinstance(data, dict) else None
    if isinstance(session_id, str) and SESSION_ID.fullmatch(session_id):
        return session_id
    return uuid.uuid4().hex


def allowed_origins() -> list[str]:
    """The page origins allowed to connect, from CORS_ORIGINS; empty (or "*"): any."""
    origins = os.environ.get("CORS_ORIGINS", "").split()
    return [] if "*" in origins else [origin.rstrip("/") for origin in origins]


def redis_manager() -> AsyncRedisManager | None:
    """A Redis client manager shared by all replicas when REDIS_HOST is set, else None."""
    host = os.environ.get("REDIS_HOST", "").strip()
    if not host:
        return None
    options: dict[str, Any] = {
        "password": os.environ.get("REDIS_PASSWORD") or None,
        # Connecting is bounded; reading is not: the subscriber waits for messages for ever.
        "socket_connect_timeout": TIMEOUT, "socket_keepalive": True,
    }
    url = f"redis://{host}:{_number('REDIS_PORT', 6379)}/{_number('REDIS_DB', 0)}"
    return AsyncRedisManager(url, channel="channels:socketio", redis_options=options)


def share_through_redis(sio: AsyncServer) -> bool:
    """Give `sio` the Redis client manager (before it serves anyone); False without REDIS_HOST."""
    manager = redis_manager()
    if manager is None:
        return False
    sio.manager = manager
    manager.set_server(sio)
    sio.manager_initialized = False  # the manager starts its listener at the first connection
    return True


class SocketIOInput(RasaSocketIOInput):
    """The socket.io channel whose sessions survive a page reload (see the module docstring)."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by the parent's blueprint()
        if share_through_redis(sio):
            logger.info("socketio: replies reach sockets on every replica (through Redis)")
        origins = allowed_origins()
        rasa_connect = sio.handlers[self.namespace or "/"]["connect"]

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: Any = None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if origins and origin and origin not in origins:
                logger.warning(f"Refused a socket.io connection from origin {origin!r}.")
                return False
            return await rasa_connect(sid, environ, auth)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            session_id = valid_session_id(data)
            if self.session_persistence:
                joined = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(joined):  # a coroutine since python-socketio 5.9
                    await joined
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
            logger.debug(f"Socket {sid} joined session {session_id}.")

        return socketio_webhook
