"""Serve the clinic's demo page with the chat widget: `python -m web.server`.

Routes:
  /                      the demo page, rendered from web/site/index.html with the clinic profile
  /es/                   the same page in Spanish (web/site/es/index.html); /es redirects there
  /privacy               the privacy notice (docs/data-rights.md): what the chat keeps, where, for
                         how long, who reads it, how to delete it; web/site/privacy.html with the
                         clinic profile (retention_days, privacy_contact)
  /es/privacy            the privacy notice in Spanish (web/site/es/privacy.html)
  /widget-init.js        starts the widget (settings from /widget-config.json or data- attributes)
  /widget-texts.json     every text the widget shows, in English and Spanish (for widget-init.js)
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
# Every text the widget shows, per language (docs/web-widget.md, "Languages"): widget-init.js loads
# it; widget_config() fills in its English row for the settings' title, subtitle and labels.
WIDGET_TEXTS = SITE_DIR / "widget-texts.json"

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


_OPTIONAL_PART = re.compile(r"\[([^\[\]]*)\]")
_TEXT_SLOT = re.compile(r"\{(\w+)\}")


def fill_widget_text(template: str, values: dict[str, str]) -> str:
    """A display text of widget-texts.json with {clinic} and {emergency} filled in; a [part] is
    left out when a value in it is unknown, and the first letter is a capital. widget-init.js
    (fillText) does the same in the browser."""
    def optional(match: re.Match) -> str:
        part = match.group(1)
        return part if all(values.get(name) for name in _TEXT_SLOT.findall(part)) else ""

    text = _OPTIONAL_PART.sub(optional, template)
    text = _TEXT_SLOT.sub(lambda match: values.get(match.group(1), ""), text)
    return text[:1].upper() + text[1:]


def widget_texts(path: Path = WIDGET_TEXTS) -> dict[str, dict]:
    """widget-texts.json: language code -> the widget's texts in that language."""
    return json.loads(path.read_text(encoding="utf-8"))


def widget_config(clinic: ClinicProfile, rasa_public_url: str) -> dict:
    """The widget's settings; everything about the clinic comes from the clinic profile.

    The texts come from widget-texts.json, in the language of the page (widget-init.js): the
    clinic's name and emergency number go into them there. title, subtitle, inputTextFieldHint,
    initPayload and labels are its English row filled in, for reference and for copies of an
    older widget-init.js still in a browser's cache."""
    english = widget_texts()["en"]
    values = {"clinic": clinic.name, "emergency": clinic.emergency_number}
    return {
        "socketUrl": rasa_public_url,
        "socketPath": "/socket.io/",
        "clinicName": clinic.name,
        "emergencyNumber": clinic.emergency_number,
        "title": fill_widget_text(english["title"], values),
        "subtitle": fill_widget_text(english["subtitle"], values),
        # The assistant answers the first message of a conversation with the disclaimer and the
        # emergency number, so sending /greet (in Spanish: "Hola") as the widget opens shows them
        # at once.
        "initPayload": english["start"],
        "inputTextFieldHint": fill_widget_text(english["inputHint"], values),
        # Rasa gets it as the message's metadata; widget-init.js sets "language" to the
        # widget's language (en, es).
        "customData": {"language": "en"},
        # sessionStorage: the conversation survives a reload and is gone when the tab is closed,
        # which suits health questions typed on a shared computer. "local" keeps it longer.
        "storage": "session",
        **COLOURS,
        "labels": {name: fill_widget_text(text, values)
                   for name, text in english["labels"].items()},
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


def spanish_slots(clinic: ClinicProfile) -> dict[str, str]:
    """The profile's values that have words, in Spanish (HTML-escaped), for the pages in es/:
    the opening hours and the privacy contact as the Spanish responses give them
    (ClinicProfile.as_slots("es"), made from the same profile)."""
    spanish = clinic.as_slots("es")
    opening = spanish["opening_hours"] or clinic.opening_hours  # no weekly hours: as given
    return {"opening_hours": html.escape(opening),
            "privacy_contact": html.escape(spanish["privacy_contact"])}


def render_spanish_page(clinic: ClinicProfile,
                        template: Path = SITE_DIR / "es" / "index.html") -> str:
    """The clinic page in Spanish at /es/: web/site/es/index.html with the clinic profile."""
    return render_page(clinic, template, **spanish_slots(clinic))


# What the notice says of the id a chat app gives (docs/data-rights.md, sections 4 and 5).
CHAT_APP_IDS = ("The id your chat app gives us. On WhatsApp it is your phone number. On "
                "Telegram it is your chat id. On our website it is a random id for the chat.")
CHAT_APP_IDS_HASHED = ("A code made from the id your chat app gives us (your phone number on "
                       "WhatsApp, your chat id on Telegram), not the id itself. On our website "
                       "it is a random id for the chat.")
CHAT_APP_IDS_ES = ("El identificador que le da su app de chat. En WhatsApp es su número de "
                   "teléfono. En Telegram es el número de su chat. En nuestro sitio web es un "
                   "código al azar para el chat.")
CHAT_APP_IDS_HASHED_ES = ("Un código hecho con el identificador que le da su app de chat, no el "
                          "identificador mismo. En WhatsApp ese identificador es su número de "
                          "teléfono, y en Telegram es el número de su chat. En nuestro sitio web "
                          "es un código al azar para el chat.")


def render_privacy_notice(clinic: ClinicProfile, template: Path | None = None,
                          language: str = "en") -> str:
    """The privacy notice at /privacy (docs/data-rights.md, sections 1 and 3): what is kept,
    where, for how long (retention_days), who reads it and how to delete it. Under
    SENDER_ID_HASHING=1 it says that a code made from the phone number or chat id is kept.
    language "es": the Spanish notice at /es/privacy (web/site/es/privacy.html)."""
    hashed = hashing_enabled()
    if language == "es":
        return render_page(clinic, template or SITE_DIR / "es" / "privacy.html",
                           chat_app_ids=CHAT_APP_IDS_HASHED_ES if hashed else CHAT_APP_IDS_ES,
                           **spanish_slots(clinic))
    return render_page(clinic, template or SITE_DIR / "privacy.html",
                       chat_app_ids=CHAT_APP_IDS_HASHED if hashed else CHAT_APP_IDS)


def load_webchat_bundle(path: Path = WEBCHAT_BUNDLE) -> bytes:
    if not path.exists():
        raise SystemExit(f"{path} is missing: run `npm ci --prefix web` first")
    return THIRD_PARTY_FONT_IMPORT.sub("", path.read_text(encoding="utf-8")).encode()


def create_app(settings: Settings | None = None, name: str = "tpi_web") -> Sanic:
    settings = settings or Settings.from_env()
    clinic = load_profile()
    headers = security_headers(settings.rasa_public_url)
    page = render_page(clinic).encode()
    page_es = render_spanish_page(clinic).encode()
    privacy_notice = render_privacy_notice(clinic).encode()
    privacy_notice_es = render_privacy_notice(clinic, language="es").encode()
    config = json.dumps(widget_config(clinic, settings.rasa_public_url), ensure_ascii=False)
    bundle = load_webchat_bundle()
    static = {
        "/widget-init.js": ((SITE_DIR / "widget-init.js").read_bytes(), "text/javascript"),
        "/widget.css": ((SITE_DIR / "widget.css").read_bytes(), "text/css"),
        "/widget-texts.json": (WIDGET_TEXTS.read_bytes(), "application/json"),
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

    @app.route("/es/", methods=["GET", "HEAD"], strict_slashes=True)
    async def index_es(request: Request) -> HTTPResponse:
        return send(page_es, "text/html", request, "no-cache")

    @app.route("/es", methods=["GET", "HEAD"], strict_slashes=True)
    async def index_es_without_slash(_: Request) -> HTTPResponse:
        return response.redirect("/es/", status=301)

    @app.route("/privacy", methods=["GET", "HEAD"])
    async def privacy(request: Request) -> HTTPResponse:
        return send(privacy_notice, "text/html", request, "no-cache")

    @app.route("/es/privacy", methods=["GET", "HEAD"])
    async def privacy_es(request: Request) -> HTTPResponse:
        return send(privacy_notice_es, "text/html", request, "no-cache")

    @app.route("/widget-config.json", methods=["GET", "HEAD"])
    async def config_json(request: Request) -> HTTPResponse:
        resp = send(config.encode(), "application/json", request, "no-cache")
        # a clinic's own site (another origin) fetches it; it holds nothing private
        resp.headers["Access-Control-Allow-Origin"] = "*"
        return resp

    async def static_file(request: Request) -> HTTPResponse:
        body, content_type = static[request.path]
        resp = send(body, content_type, request, "public, max-age=300")
        if request.path == "/widget-texts.json":
            resp.headers["Access-Control-Allow-Origin"] = "*"  # fetched by a clinic's own site
        return resp

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
