"""Fast checks without a browser: the socket.io channel's session fix, the page and its headers."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest

from clinic import ClinicProfile, load_profile

PAGE = "https://www.clinic.example"


def run(coroutine):
    """asyncio.run in a thread of its own: the package's browser (Playwright's sync API, in
    tests/web/conftest.py `web_stack`) may have an event loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture
def channel(monkeypatch):
    from channels.socketio import SocketIOInput

    monkeypatch.setenv("CORS_ORIGINS", f"{PAGE} http://localhost:8080")
    channel = SocketIOInput.from_credentials({
        "user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered",
        "session_persistence": True, "metadata_key": "customData",
    })
    channel.blueprint(mock.AsyncMock())
    return channel


def _session_request(channel, sid: str, data) -> tuple[list, list]:
    joined, emitted = [], []

    async def enter_room(sid, room, namespace=None):  # recorded only when awaited
        joined.append((sid, room))

    async def emit(event, data=None, room=None, namespace=None, **kwargs):
        emitted.append((event, data, room))

    handler = channel.sio.handlers["/"]["session_request"]
    with mock.patch.object(channel.sio, "enter_room", enter_room), \
            mock.patch.object(channel.sio, "emit", emit):
        run(handler(sid, data))
    return joined, emitted


def test_channel_is_rasas_socketio_channel(channel):
    assert channel.name() == "socketio"  # ?output_channel=socketio and the tracker use the name
    assert channel.metadata_key == "customData"
    assert channel.session_persistence is True


def test_session_request_joins_the_sessions_room(channel):
    session_id = "0123456789abcdef0123456789abcdef"
    joined, emitted = _session_request(channel, "sid-1", {"session_id": session_id})
    assert joined == [("sid-1", session_id)]  # the replies to this session reach this socket
    assert emitted == [("session_confirm", session_id, "sid-1")]


@pytest.mark.parametrize("data", [None, {}, {"session_id": None}, {"session_id": "../admin"},
                                  {"session_id": "x" * 32}, {"session_id": 12}])
def test_session_request_makes_a_new_id_for_anything_else(channel, data):
    joined, emitted = _session_request(channel, "sid-2", data)
    (_, new_id), = joined
    assert re.fullmatch(r"[0-9a-f]{32}", new_id)
    assert emitted == [("session_confirm", new_id, "sid-2")]


@pytest.mark.parametrize(("origin", "allowed"), [
    (PAGE, True), ("http://localhost:8080", True), (None, True),  # None: not a browser
    ("https://elsewhere.example", False), ("https://www.clinic.example.evil", False),
])
def test_connect_checks_the_origin(channel, origin, allowed):
    environ = {"HTTP_ORIGIN": origin} if origin else {}
    connect = channel.sio.handlers["/"]["connect"]
    assert run(connect("sid-3", environ, None)) is allowed


def test_page_is_rendered_from_the_profile_and_escaped(tmp_path):
    from web.server import render_page

    clinic = ClinicProfile(
        name='<script>alert("x")</script> Clinic', phone="+1 (555) 010-0000",
        opening_hours="Mon-Fri", booking_url="https://clinic.example/book", emergency_number="112",
    )
    page = render_page(clinic)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Clinic" in page
    assert 'href="tel:+15550100000"' in page and "112" in page
    assert load_profile().name in render_page(load_profile())


def test_headers_and_config():
    from web.server import content_security_policy, widget_config

    csp = content_security_policy("https://chat.clinic.example")
    assert "script-src 'self';" in csp
    assert "connect-src 'self' https://chat.clinic.example wss://chat.clinic.example" in csp
    with pytest.raises(ValueError):
        content_security_policy("chat.clinic.example")
    config = widget_config(load_profile(), "https://chat.clinic.example")
    assert config["socketUrl"] == "https://chat.clinic.example"
    assert load_profile().emergency_number in config["subtitle"]
