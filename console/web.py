"""What every page of the console shares: templates, security headers, database work in
threads, and catching the conversation index up before a page reads it."""

from __future__ import annotations

import asyncio
import time
from functools import partial
from pathlib import Path

import sqlalchemy as sa
from jinja2 import Environment, FileSystemLoader
from sanic import response
from sanic.log import logger
from sanic.request import Request

from console.indexer import LANGUAGES
from console.tracker import utc

HERE = Path(__file__).resolve().parent
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
# Only the dashboard runs scripts, and only files served from here (Chart.js and its own).
DASHBOARD_CSP = CSP + "; script-src 'self'"
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
LIST_CATCH_UP_BATCHES = 4  # a list shows what Rasa wrote a moment ago, without a long wait
CACHE_SECONDS = 300


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def language_name(code: str | None) -> str:
    """A conversation's language as staff read it ("English", "Español")."""
    return LANGUAGES.get(code or "", code or "")


templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
templates.filters.update(utc=utc, percent=percent, language_name=language_name)
templates.globals["languages"] = LANGUAGES


def render(request: Request, name: str, status: int = 200, headers: dict | None = None,
           **context) -> response.HTTPResponse:
    session = getattr(request.ctx, "session", None)
    html = templates.get_template(name).render(session=session, **context)
    return response.html(html, status=status, headers=headers)


async def security_headers(request: Request, resp: response.HTTPResponse) -> None:
    """Response middleware: the headers every response carries unless it sets its own."""
    for key, value in HEADERS.items():
        resp.headers.setdefault(key, value)


async def database_down(request: Request, _error) -> response.HTTPResponse:
    """The page for sqlalchemy's OperationalError: a database is down, never a stack trace."""
    return render(request, "error.html", 503, message=(
        "A database is not reachable. Try again in a minute."))


async def blocking(function, *args, **kwargs):
    """Run database work in a thread, so one slow query does not stall every other request."""
    return await asyncio.get_running_loop().run_in_executor(
        None, partial(function, *args, **kwargs))


def with_connection(open_connection, function, *args, **kwargs):
    with open_connection() as conn:
        return function(conn, *args, **kwargs)


def read(request: Request, function, *args, **kwargs):
    """function(connection, *args) on the console database, in a thread."""
    return blocking(with_connection, request.app.ctx.console.connect, function, *args, **kwargs)


def write(request: Request, function, *args, **kwargs):
    """function(connection, *args) in one transaction of the console database."""
    return blocking(with_connection, request.app.ctx.console.begin, function, *args, **kwargs)


async def fresh_index(request: Request) -> None:
    """Index what Rasa wrote a moment ago (a few batches); a tracker store that is down only
    leaves the index behind."""
    try:
        await blocking(request.app.ctx.indexer.catch_up, LIST_CATCH_UP_BATCHES)
    except sa.exc.OperationalError:
        logger.warning("the tracker store is not reachable; the list may be behind")


def page_number(request: Request) -> int:
    try:
        return max(1, min(int(request.args.get("page", "1")), 1_000_000))
    except ValueError:
        return 1


class Cached:
    """A value recomputed at most every CACHE_SECONDS (the filter menus' channels and intents)."""

    def __init__(self, compute) -> None:
        self.compute, self.value, self.at = compute, None, 0.0

    def get(self):
        if self.value is None or time.monotonic() - self.at > CACHE_SECONDS:
            self.value, self.at = self.compute(), time.monotonic()
        return self.value
