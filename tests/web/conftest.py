"""Fixtures for the website chat widget: the real servers, the page's web server, a real browser.

Prerequisites (the set-up installs them): `npm ci --prefix web` (rasa-webchat),
`web/install_browser.sh` (Debian's chromium) and `pip install -r web/requirements-web.txt`
(playwright). Without them these tests fail with the command that installs what is missing.
"""

from __future__ import annotations

import functools
import os
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from devtools.servers import ROOT, VENV_BIN, Servers, free_port, wait_until

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
WEBCHAT_BUNDLE = ROOT / "web" / "node_modules" / "rasa-webchat" / "lib" / "index.js"
ARTIFACTS = ROOT / "test-artifacts" / "web"
# Without the background-networking flags chromium stalls on a machine without internet access.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _missing_prerequisite() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -r web/requirements-web.txt"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: run web/install_browser.sh"
    if not WEBCHAT_BUNDLE.exists():
        return "rasa-webchat is not installed: npm ci --prefix web"
    return None


def require_prerequisites() -> None:
    reason = _missing_prerequisite()
    if reason:
        pytest.fail(reason, pytrace=False)  # never a skip: a missing part is a failure


class WidgetServers(Servers):
    """The action server and the Rasa server, run with the origins the widget pages need.

    As the run command does: CORS_ORIGINS in the environment (channels/socketio.py refuses
    socket.io connections from other origins) and `rasa run ... --cors <origin>...` (CORS headers).
    """

    def __init__(self, workdir: Path, cors_origins: list[str], **kwargs) -> None:
        super().__init__(workdir, **kwargs)
        self.cors_origins = cors_origins  # a fixture may add an origin before the start

    def _set_origins(self) -> None:
        self.env["CORS_ORIGINS"] = " ".join(self.cors_origins)

    def start_both(self) -> None:
        # Set before the two threads start, as the run command sets it for every process: the
        # action server's thread copies this environment while Rasa's is being spawned.
        self._set_origins()
        super().start_both()

    def start_rasa(self) -> None:
        self._set_origins()  # the same value again under start_both: the mapping keeps its size
        self.rasa, log = self._spawn([*self.rasa_args(), "--cors", *self.cors_origins],
                                     "rasa.log")
        wait_until(f"{self.url}/", self.rasa, log)


@dataclass
class WebStack:
    servers: WidgetServers
    page_url: str  # the demo page of web/server.py
    rasa_public_url: str
    other_site_url: str  # another site (origin) that pastes the snippet: see other_site()
    browser: object
    logs: list[Path] = field(default_factory=list)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def other_site(folder: Path, widget_url: str, rasa_public_url: str) -> ThreadingHTTPServer:
    """A clinic's own site on another origin with the snippet of docs/web-widget.md pasted in.

    with-config.html: the settings from the chat server's widget-config.json, the title and
    colour from data- attributes; attributes-only.html: no config file, only data- attributes.
    """
    page = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Another clinic site</title><link rel="icon" href="data:,"></head><body><h1>Our clinic</h1>
<script src="{widget_url}widget-init.js" defer{attributes}></script>
</body></html>
"""
    common = ('\n  data-title="Ask our nurse bot" data-main-color="#6b1d4f"'
              '\n  data-user-background-color="#6b1d4f" data-user-text-color="#ffffff"')
    only = (f'\n  data-config-url="none" data-socket-url="{rasa_public_url}"'
            '\n  data-subtitle="Not medical advice. Emergency? Call 112"'
            '\n  data-init-payload="/greet"')
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "with-config.html").write_text(
        page.format(widget_url=widget_url, attributes=common), encoding="utf-8")
    (folder / "attributes-only.html").write_text(
        page.format(widget_url=widget_url, attributes=common + only), encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="package")
def web_stack(tmp_path_factory) -> Iterator[WebStack]:
    """Action server + Rasa server (socket.io channel) + web/server.py + headless chromium, once
    for the package (each Rasa start costs about half a minute). Playwright's sync API then keeps
    an event loop running in the main thread: a test of the package that needs asyncio runs it in
    a thread of its own (test_server_and_channel.py `run`)."""
    require_prerequisites()
    from playwright.sync_api import sync_playwright

    workdir = tmp_path_factory.mktemp("web")
    web_port = free_port()
    page_origin = f"http://127.0.0.1:{web_port}"
    servers = WidgetServers(workdir, cors_origins=[page_origin])
    rasa_public_url = f"http://127.0.0.1:{servers.rasa_port}"
    site = other_site(workdir / "other-site", page_origin + "/", rasa_public_url)
    site_origin = f"http://127.0.0.1:{site.server_address[1]}"
    servers.cors_origins.append(site_origin)
    web_log = workdir / "web.log"
    web = subprocess.Popen(
        [str(VENV_BIN / "python"), "-m", "web.server"], cwd=ROOT,
        env={**servers.env, "WEB_HOST": "127.0.0.1", "WEB_PORT": str(web_port),
             "RASA_PUBLIC_URL": rasa_public_url},
        stdout=web_log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    playwright = sync_playwright().start()
    browser = None
    try:
        wait_until(f"{page_origin}/health", web, web_log, timeout=60)
        servers.start_both()
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield WebStack(servers, page_origin + "/", rasa_public_url, site_origin + "/", browser,
                       [workdir / "rasa.log", workdir / "actions.log", web_log])
    finally:
        site.shutdown()
        if browser is not None:
            browser.close()
        playwright.stop()
        Servers._stop(web)
        servers.stop()
