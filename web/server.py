"""Serve the clinic's demo page with the chat widget: `python -m web.server`.

Routes:
  /                      the demo page, rendered from web/site/index.html with the clinic profile
  /privacy               the privacy notice (docs/data-rights.md): what the chat keeps, where, for
                         how long, who reads it, how to delete it; web/site/privacy.html with the
                         clinic profile (retention_days, privacy_contact)
  /widget-init.js        starts the widget (settings from /widget-config.json or data- attributes)
  /widget.css            the widget's fixes (header, fonts, contrast, focus); widget-init.js adds it
  /site.css              the demo page's styles
  /widget-config.json    the widget's settings: socket URL, title, subtitle, colours, greeting
  /vendor/rasa-webchat.js  rasa-webchat's browser build, from web/node_modules (npm ci --prefix web)
  /health                {"status": "ok"}

Settings (environment): WEB_HOST (127.0.0.1), WEB_PORT (8080), RASA_PUBLIC_URL (the Rasa server as
the browser reaches it, default http://localhost:$RASA_PORT, RASA_PORT default 5005),
CLINIC_PROFILE (see clinic/). Every response carries a Content-Security-Policy without inline
scripts, X-Content-Type-Options, Referrer-Policy and a frame-ancestors/X-Frame-Options ban.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import string
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from clinic import ClinicProfile, load_profile
from privacy.identifiers import hashing_enabled

WEB_DIR = Path(__file__).resolve().parent
SITE_DIR = WEB_DIR / "site"
WEBCHAT_PACKAGE = WEB_DIR / "node_modules" / "rasa-webchat"
WEBCHAT_BUNDLE = WEBCHAT_PACKAGE / "lib" / "index.js"

# rasa-webchat 1.0.1 puts `@import url(https://fonts.googleapis.com/...)` into the styles it
# injects: a request to a third party from a patient's browser on every page view. The widget
# looks the same with the system sans-serif font, so the served copy leaves the import out
# (the CSP would block it anyway on this page; a clinic's own site may have no such CSP).
THIRD_PARTY_FONT_IMPORT = re.compile(r"@import url\(https://fonts\.googleapis\.com/[^)]*\);")

# WCAG AA (>= 4.5:1 for text) for every pair the widget draws; tests/web checks them in the page.
COLOURS = {
    "mainColor": "#0b5394",  # header and launcher, white text on it: 7.8:1
    "conversationBackgroundColor": "#ffffff",
    "userTextColor": "#ffffff",
    "userBackgroundColor": "#0b5394",  # the patient's messages and the quick-reply buttons
    "assistTextColor": "#1f2328",
    "assistBackgoundColor": "#eef1f4",  # (sic: rasa-webchat's prop name) assistant's: 13.9:1
}


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    rasa_public_url: str = "http://localhost:5005"

    @classmethod
    def from_env(cls) -> Settings:
        rasa_port = os.environ.get("RASA_PORT", "5005")
        return cls(
            host=os.environ.get("WEB_HOST", "127.0.0.1"),
            port=int(os.environ.get("WEB_PORT", "8080")),
            rasa_public_url=os.environ.get("RASA_PUBLIC_URL", f"http://localhost:{rasa_port}"),
        )


def rasa_origins(rasa_public_url: str) -> list[str]:
    """The Rasa server's origins for connect-src: http(s) for polling, ws(s) for the websocket."""
    parts = urlsplit(rasa_public_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"RASA_PUBLIC_URL must be an http(s) URL, not {rasa_public_url!r}")
    ws = "wss" if parts.scheme == "https" else "ws"
    return [f"{parts.scheme}://{parts.netloc}", f"{ws}://{parts.netloc}"]


def content_security_policy(rasa_public_url: str) -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        # rasa-webchat injects its stylesheet as <style> elements, so inline styles must be allowed
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self' " + " ".join(rasa_origins(rasa_public_url)),
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def security_headers(rasa_public_url: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(rasa_public_url),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def widget_config(clinic: ClinicProfile, rasa_public_url: str) -> dict:
    """The widget's settings; everything about the clinic comes from the clinic profile."""
    return {
        "socketUrl": rasa_public_url,
        "socketPath": "/socket.io/",
        "title": f"{clinic.name} assistant",
        "subtitle": (
            f"General information, not medical advice. Emergency? Call {clinic.emergency_number}"
        ),
        # The assistant answers the first message of a conversation with the disclaimer and the
        # emergency number, so sending /greet as the widget opens shows them at once.
        "initPayload": "/greet",
        "inputTextFieldHint": "Type your question…",
        "customData": {"language": "en"},  # Rasa gets it as the message's metadata
        # sessionStorage: the conversation survives a reload and is gone when the tab is closed,
        # which suits health questions typed on a shared computer. "local" keeps it longer.
        "storage": "session",
        **COLOURS,
        "labels": {
            "launcherOpen": f"Open the chat with the {clinic.name} assistant",
            "launcherClose": "Close the chat",
            "dialog": f"Chat with the {clinic.name} assistant",
            "close": "Close the chat",
            "input": "Your question",
            "send": "Send",
            "log": "Conversation",
        },
    }


def render_page(clinic: ClinicProfile, template: Path = SITE_DIR / "index.html",
                **extra: str) -> str:
    """A page of web/site/ with the clinic profile's values (HTML-escaped) for its $placeholders:
    the slots of ClinicProfile.as_slots(), clinic_phone_tel (the phone for a tel: link) and any
    `extra` values (HTML given by the caller, not escaped)."""
    values = {name: html.escape(value) for name, value in clinic.as_slots().items()}
    values["clinic_phone_tel"] = re.sub(r"[^0-9+]", "", clinic.phone)
    values.update(extra)
    return string.Template(template.read_text(encoding="utf-8")).substitute(values)


# What the notice says of the id a chat app gives (docs/data-rights.md, sections 4 and 5).
CHAT_APP_IDS = ("The id your chat app gives us. On WhatsApp it is your phone number. On "
                "Telegram it is your chat id. On our website it is a random id for the chat.")
CHAT_APP_IDS_HASHED = ("A code made from the id your chat app gives us (your phone number on "
                       "WhatsApp, your chat id on Telegram), not the id itself. On our website "
                       "it is a random id for the chat.")


def render_privacy_notice(clinic: ClinicProfile,
                          template: Path = SITE_DIR / "privacy.html") -> str:
    """The privacy notice at /privacy (docs/data-rights.md, sections 1 and 3): what is kept,
    where, for how long (retention_days), who reads it and how to delete it. Under
    SENDER_ID_HASHING=1 it says that a code made from the phone number or chat id is kept."""
    return render_page(clinic, template,
                       chat_app_ids=CHAT_APP_IDS_HASHED if hashing_enabled() else CHAT_APP_IDS)


def load_webchat_bundle(path: Path = WEBCHAT_BUNDLE) -> bytes:
    if not path.exists():
        raise SystemExit(f"{path} is missing: run `npm ci --prefix web` first")
    return THIRD_PARTY_FONT_IMPORT.sub("", path.read_text(encoding="utf-8")).encode()


def create_app(settings: Settings | None = None, name: str = "tpi_web") -> Sanic:
    settings = settings or Settings.from_env()
    clinic = load_profile()
    headers = security_headers(settings.rasa_public_url)
    page = render_page(clinic).encode()
    privacy_notice = render_privacy_notice(clinic).encode()
    config = json.dumps(widget_config(clinic, settings.rasa_public_url), ensure_ascii=False)
    bundle = load_webchat_bundle()
    static = {
        "/widget-init.js": ((SITE_DIR / "widget-init.js").read_bytes(), "text/javascript"),
        "/widget.css": ((SITE_DIR / "widget.css").read_bytes(), "text/css"),
        "/site.css": ((SITE_DIR / "site.css").read_bytes(), "text/css"),
        "/vendor/rasa-webchat.js": (bundle, "text/javascript"),
    }

    app = Sanic(name)
    app.config.ACCESS_LOG = False

    def send(body: bytes, content_type: str, request: Request, cache: str) -> HTTPResponse:
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        extra = {"ETag": etag, "Cache-Control": cache}
        if request.headers.get("if-none-match") == etag:
            return response.raw(b"", status=304, headers=extra)
        return response.raw(body, content_type=f"{content_type}; charset=utf-8", headers=extra)

    @app.route("/", methods=["GET", "HEAD"])
    async def index(request: Request) -> HTTPResponse:
        return send(page, "text/html", request, "no-cache")

    @app.route("/privacy", methods=["GET", "HEAD"])
    async def privacy(request: Request) -> HTTPResponse:
        return send(privacy_notice, "text/html", request, "no-cache")

    @app.route("/widget-config.json", methods=["GET", "HEAD"])
    async def config_json(request: Request) -> HTTPResponse:
        resp = send(config.encode(), "application/json", request, "no-cache")
        # a clinic's own site (another origin) fetches it; it holds nothing private
        resp.headers["Access-Control-Allow-Origin"] = "*"
        return resp

    async def static_file(request: Request) -> HTTPResponse:
        body, content_type = static[request.path]
        return send(body, content_type, request, "public, max-age=300")

    for path in static:
        route_name = re.sub(r"\W", "_", path.strip("/"))
        app.add_route(static_file, path, methods=["GET", "HEAD"], name=route_name)

    @app.get("/health")
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.on_response
    async def add_security_headers(_: Request, resp: HTTPResponse) -> None:
        for key, value in headers.items():
            resp.headers.setdefault(key, value)

    return app


def main() -> None:
    settings = Settings.from_env()
    app = create_app(settings)
    print(f"Clinic page with the chat widget: http://localhost:{settings.port}/ "
          f"(Rasa server for the widget: {settings.rasa_public_url})", flush=True)
    app.run(host=settings.host, port=settings.port, access_log=False, motd=False)


if __name__ == "__main__":
    main()
