"""The staff console web app: python -m console.app (port CONSOLE_PORT, default 8090)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import math
import os
import time
from datetime import date, timedelta
from functools import partial, wraps
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa
from jinja2 import Environment, FileSystemLoader
from sanic import Sanic, response
from sanic.log import logger
from sanic.request import Request

from console import db, queries, security
from console.config import Settings
from console.indexer import Indexer
from console.queries import Filters
from console.tracker import TrackerReader, transcript, utc

HERE = Path(__file__).resolve().parent
CHART_JS = HERE / "node_modules" / "chart.js" / "dist" / "chart.umd.js"
COOKIE = "console_session"
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
TAG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_ ")
MAX_NOTE = 4000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIST_CATCH_UP_BATCHES = 4  # a list shows what Rasa wrote a moment ago, without a long wait
CACHE_SECONDS = 300


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
templates.filters.update(utc=utc, percent=percent)


def render(request: Request, name: str, status: int = 200, headers: dict | None = None,
           **context) -> response.HTTPResponse:
    session = getattr(request.ctx, "session", None)
    html = templates.get_template(name).render(session=session, **context)
    return response.html(html, status=status, headers=headers)


async def blocking(function, *args, **kwargs):
    """Run database work in a thread, so one slow query does not stall every other request."""
    return await asyncio.get_running_loop().run_in_executor(
        None, partial(function, *args, **kwargs))


def safe_next(value: str | None) -> str:
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def set_session_cookie(resp: response.HTTPResponse, token: str, settings: Settings) -> None:
    resp.cookies[COOKIE] = token
    cookie = resp.cookies[COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Lax"
    cookie["path"] = "/"
    if settings.secure_cookies:
        cookie["secure"] = True


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_response(header: list[str], rows: list[list], filename: str) -> response.HTTPResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[csv_cell(v) for v in row] for row in rows])
    return response.text(out.getvalue(), content_type="text/csv; charset=utf-8",
                         headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def json_download(payload: dict, filename: str) -> response.HTTPResponse:
    return response.json(payload, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


class Cached:
    """A value recomputed at most every CACHE_SECONDS (the filter menus' channels and intents)."""

    def __init__(self, compute) -> None:
        self.compute, self.value, self.at = compute, None, 0.0

    def get(self):
        if self.value is None or time.monotonic() - self.at > CACHE_SECONDS:
            self.value, self.at = self.compute(), time.monotonic()
        return self.value


def create_app(settings: Settings | None = None) -> Sanic:
    settings = settings or Settings.from_env()
    app = Sanic("clinic_console")
    app.config.ACCESS_LOG = False
    app.ctx.settings = settings
    console = db.connect(settings.console_db_url)
    tracker = TrackerReader(settings.tracker_url)
    indexer = Indexer(tracker, console)
    app.ctx.console, app.ctx.tracker, app.ctx.indexer = console, tracker, indexer
    app.static("/static", str(HERE / "static"), name="static")
    app.static("/static/vendor/chart.umd.js", str(CHART_JS), name="chart_js")

    def read(function, *args, **kwargs):
        """function(connection, *args) on the console database, in a thread."""
        return blocking(_with, console.connect, function, *args, **kwargs)

    def write(function, *args, **kwargs):
        """function(connection, *args) in one transaction of the console database."""
        return blocking(_with, console.begin, function, *args, **kwargs)

    channels = Cached(lambda: _with(console.connect, queries.distinct_values,
                                    db.conversations.c.channel))
    intents = Cached(lambda: _with(console.connect, queries.distinct_values,
                                   db.conversation_intents.c.intent))

    @app.after_server_start
    async def start_indexing(app: Sanic, _loop) -> None:
        app.ctx.indexing = asyncio.ensure_future(index_forever())

    @app.before_server_stop
    async def stop_indexing(app: Sanic, _loop) -> None:
        app.ctx.indexing.cancel()

    async def index_forever() -> None:
        while True:
            try:
                await blocking(indexer.catch_up)
            except sa.exc.SQLAlchemyError as error:  # a database restarting: try again later
                logger.warning("indexing failed (%s); retrying", type(error).__name__)
            await asyncio.sleep(settings.index_seconds)

    @app.on_request
    async def attach_session(request: Request):
        if request.path.startswith("/static/"):
            request.ctx.session = None
            return None
        try:
            request.ctx.session = await write(security.load_session,
                                              request.cookies.get(COOKIE))
        except sa.exc.OperationalError:
            request.ctx.session = None
            return render(request, "error.html", 503, message=(
                "The console's database is not reachable. Try again in a minute."))
        return None

    @app.exception(sa.exc.OperationalError)
    async def database_down(request: Request, _error):
        return render(request, "error.html", 503, message=(
            "A database is not reachable. Try again in a minute."))

    @app.on_response
    async def security_headers(request: Request, resp: response.HTTPResponse):
        for key, value in HEADERS.items():
            resp.headers.setdefault(key, value)

    def requires(role: str | None = None, kind: str = "html"):
        """A signed-in staff member (of the role) or: redirect to sign-in / 401 / 403."""
        def decorate(handler):
            @wraps(handler)
            async def wrapped(request: Request, *args, **kwargs):
                session = request.ctx.session
                if session is None or session.user_id is None:
                    if kind == "html":
                        target = request.path + (f"?{request.query_string}"
                                                 if request.query_string else "")
                        return response.redirect("/signin?" + urlencode({"next": target}))
                    return response.json({"error": "sign in first"}, status=401)
                if role == "admin" and not session.is_admin:
                    if kind == "html":
                        return render(request, "error.html", 403,
                                      message="This page is for admins only.")
                    return response.json({"error": "admins only"}, status=403)
                if request.method == "POST" and not session.csrf_ok(request.form.get("csrf")):
                    return render(request, "error.html", 403,
                                  message="The form expired; go back, reload and try again.")
                return await handler(request, *args, **kwargs)
            return wrapped
        return decorate

    @app.get("/favicon.ico")
    async def favicon(_request: Request):
        return response.empty()  # browsers ask for it on every page; nothing to show

    # --- signing in and out ------------------------------------------------------------------
    @app.get("/signin")
    async def signin_form(request: Request):
        session = request.ctx.session
        target = safe_next(request.args.get("next"))
        if session is not None and session.user_id is not None:
            return response.redirect(target)
        if session is not None:
            return render(request, "signin.html", next=target)

        def anonymous_session(conn):
            token = security.new_session(conn, None, 1)
            return token, security.load_session(conn, token)
        token, request.ctx.session = await write(anonymous_session)
        resp = render(request, "signin.html", next=target)
        set_session_cookie(resp, token, settings)
        return resp

    @app.post("/signin")
    async def signin(request: Request):
        session = request.ctx.session
        if session is None or not session.csrf_ok(request.form.get("csrf")):
            return render(request, "error.html", 403,
                          message="The sign-in form expired; reload it and try again.")
        name = (request.form.get("name") or "").strip()[:80]
        password = request.form.get("password") or ""
        target = safe_next(request.form.get("next"))

        def attempt(conn) -> tuple[str, str | None]:
            if security.locked_for(conn, name) > 0:
                db.audit(conn, name or "?", "signin_locked")
                return "locked", None
            user = security.check_credentials(conn, name, password)
            if user is None:
                locked = security.record_failure(conn, name, settings.max_failed_signins,
                                                 settings.lockout_seconds)
                db.audit(conn, name or "?", "signin_failed", locked=locked)
                return "failed", None
            security.clear_failures(conn, name)
            security.drop_session(conn, session)  # a new session id: no fixation
            db.audit(conn, user.name, "signin")
            return "ok", security.new_session(conn, user.id, settings.session_hours)
        outcome, token = await write(attempt)
        if outcome == "locked":
            return render(request, "signin.html", 429, next=target, error=(
                "Too many failed sign-ins. Try again later or ask an admin."))
        if outcome == "failed":
            return render(request, "signin.html", 401, next=target,
                          error="Wrong name or password.")
        resp = response.redirect(target)
        set_session_cookie(resp, token, settings)
        return resp

    @app.post("/signout")
    @requires()
    async def signout(request: Request):
        session = request.ctx.session

        def sign_out(conn):
            security.drop_session(conn, session)
            db.audit(conn, session.name, "signout")
        await write(sign_out)
        resp = response.redirect("/signin")
        del resp.cookies[COOKIE]
        return resp

    # --- conversations -------------------------------------------------------------------------
    def page_number(request: Request) -> int:
        try:
            return max(1, min(int(request.args.get("page", "1")), 1_000_000))
        except ValueError:
            return 1

    async def fresh_index() -> None:
        try:
            await blocking(indexer.catch_up, LIST_CATCH_UP_BATCHES)
        except sa.exc.OperationalError:
            logger.warning("the tracker store is not reachable; the list may be behind")

    @app.get("/")
    @requires()
    async def conversation_list(request: Request):
        filters = Filters.from_args(request.args)
        page = page_number(request)
        await fresh_index()
        found, total, more = await read(queries.conversation_page, filters,
                                        settings.low_confidence, page, settings.page_size)
        pages = max(1, math.ceil(total / settings.page_size))
        query = filters.as_query()
        return render(
            request, "list.html", conversations=found, total=total, more=more, page=page,
            pages=pages, filters=filters, low_confidence=settings.low_confidence,
            channels=await blocking(channels.get), intents=await blocking(intents.get),
            prev_url="/?" + urlencode({**query, "page": page - 1}) if page > 1 else "",
            next_url="/?" + urlencode({**query, "page": page + 1}) if page < pages else "",
            export_query=urlencode(query),
        )

    async def load_conversation(conversation_id: int):
        """The index row, the transcript, review, notes and tags; (None, ...) when unknown."""
        row, following = await read(queries.conversation, conversation_id)
        if row is None:
            await fresh_index()  # just written by Rasa, not indexed yet
            row, following = await read(queries.conversation, conversation_id)
        if row is None:
            return None, [], {}
        raw = await blocking(tracker.events_between, row["sender_id"], row["id"], following)
        extras = await read(conversation_extras, conversation_id)
        return row, transcript(raw), extras

    def conversation_extras(conn, conversation_id: int) -> dict:
        review = conn.execute(sa.select(db.reviews).where(
            db.reviews.c.conversation_id == conversation_id)).first()
        notes = conn.execute(sa.select(db.notes).where(
            db.notes.c.conversation_id == conversation_id).order_by(db.notes.c.id)).all()
        tags = [r.tag for r in conn.execute(sa.select(db.tags.c.tag).where(
            db.tags.c.conversation_id == conversation_id).order_by(db.tags.c.tag))]
        return {"review": review, "notes": notes, "tags": tags}

    @app.get("/conversation/<conversation_id:int>")
    @requires()
    async def conversation(request: Request, conversation_id: int):
        row, turns, extras = await load_conversation(conversation_id)
        if row is None:
            return render(request, "error.html", 404, message="No such conversation.")
        await write(db.audit, request.ctx.session.name, "view", conversation_id)
        return render(request, "conversation.html", conversation=row, turns=turns,
                      level=queries.LEVEL_NAMES.get(row["level"], ""), **extras)

    def back_to(conversation_id: int) -> response.HTTPResponse:
        return response.redirect(f"/conversation/{conversation_id}")

    async def known(conversation_id: int) -> bool:
        row, _ = await read(queries.conversation, conversation_id)
        return row is not None

    @app.post("/conversation/<conversation_id:int>/review")
    @requires()
    async def mark_reviewed(request: Request, conversation_id: int):
        if not await known(conversation_id):
            return render(request, "error.html", 404, message="No such conversation.")
        who = request.ctx.session.name

        def review(conn):
            reviews = db.reviews
            conn.execute(reviews.delete().where(reviews.c.conversation_id == conversation_id))
            conn.execute(reviews.insert().values(
                conversation_id=conversation_id, reviewed_by=who, reviewed_at=time.time()))
            db.audit(conn, who, "review", conversation_id)
        await write(review)
        return back_to(conversation_id)

    @app.post("/conversation/<conversation_id:int>/note")
    @requires()
    async def add_note(request: Request, conversation_id: int):
        text = (request.form.get("text") or "").strip()
        if not text or len(text) > MAX_NOTE:
            return render(request, "error.html", 400,
                          message=f"A note is 1 to {MAX_NOTE} characters.")
        if not await known(conversation_id):
            return render(request, "error.html", 404, message="No such conversation.")
        who = request.ctx.session.name

        def note(conn):
            note_id = conn.execute(db.notes.insert().values(
                conversation_id=conversation_id, author=who, at=time.time(), text=text)
            ).inserted_primary_key[0]
            db.audit(conn, who, "note", conversation_id, note_id=note_id)
        await write(note)
        return back_to(conversation_id)

    @app.post("/conversation/<conversation_id:int>/tag")
    @requires()
    async def add_tag(request: Request, conversation_id: int):
        tag = (request.form.get("tag") or "").strip().lower()
        if not tag or len(tag) > 40 or not set(tag) <= TAG_CHARS:
            return render(request, "error.html", 400, message=(
                "A tag is 1 to 40 letters, digits, spaces, dashes or underscores."))
        if not await known(conversation_id):
            return render(request, "error.html", 404, message="No such conversation.")
        who = request.ctx.session.name

        def add(conn):
            tags = db.tags
            exists = conn.execute(sa.select(tags.c.id).where(
                tags.c.conversation_id == conversation_id, tags.c.tag == tag)).first()
            if not exists:
                conn.execute(tags.insert().values(
                    conversation_id=conversation_id, tag=tag, author=who, at=time.time()))
                db.audit(conn, who, "tag", conversation_id, tag=tag)
        await write(add)
        return back_to(conversation_id)

    # --- dashboard -----------------------------------------------------------------------------
    @app.get("/dashboard")
    @requires()
    async def dashboard(request: Request):
        today = date.today()
        last = queries.parse_day(request.args.get("to")) or today
        first = queries.parse_day(request.args.get("from")) or last - timedelta(days=29)
        if first > last:
            first, last = last, first
        await fresh_index()
        figures = await read(queries.dashboard, first, last)
        return render(request, "dashboard.html", dashboard=figures,
                      headers={"Content-Security-Policy": DASHBOARD_CSP})

    # --- exports (admins) ----------------------------------------------------------------------
    async def export_list(request: Request, fmt: str):
        filters = Filters.from_args(request.args)
        await fresh_index()
        found = await read(lambda conn: list(
            queries.all_conversations(conn, filters, settings.low_confidence)))
        await write(db.audit, request.ctx.session.name, "export_list", None, format=fmt,
                    filters=filters.as_query(), conversations=len(found))
        records = [{
            "conversation_id": s.id, "sender_id": s.sender_id, "started": utc(s.started),
            "last": utc(s.last), "channel": s.channel, "messages": s.messages,
            "first_question": s.first_question, "escalation": s.level,
            "fallback_turns": s.fallback_turns,
            "reviewed_by": (s.reviewed or {}).get("by", ""), "tags": s.tags,
        } for s in found]
        if fmt == "json":
            return json_download({"filters": filters.as_query(), "conversations": records},
                                 "conversations.json")
        header = list(records[0]) if records else [
            "conversation_id", "sender_id", "started", "last", "channel", "messages",
            "first_question", "escalation", "fallback_turns", "reviewed_by", "tags"]
        rows = [[" ".join(r["tags"]) if k == "tags" else r[k] for k in header] for r in records]
        return csv_response(header, rows, "conversations.csv")

    async def export_one(request: Request, fmt: str, conversation_id: int):
        row, turns, extras = await load_conversation(conversation_id)
        if row is None:
            return response.json({"error": "no such conversation"}, status=404)
        await write(db.audit, request.ctx.session.name, "export_conversation",
                    conversation_id, format=fmt)
        records = [{
            "time": utc(t.timestamp), "kind": t.kind, "text": t.text, "channel": t.channel,
            "intent": t.intent, "confidence": t.confidence,
            "findings": [{k: f.get(k) for k in ("sign", "label", "level", "text", "start",
                                                  "end", "rule")} for f in t.findings],
            "escalation": t.level, "signs": t.signs,
        } for t in turns]
        name = f"conversation-{conversation_id}.{fmt}"
        if fmt == "json":
            return json_download({
                "conversation_id": conversation_id, "sender_id": row["sender_id"],
                "turns": records, "tags": extras["tags"],
                "review": ({"by": extras["review"].reviewed_by,
                            "at": utc(extras["review"].reviewed_at)}
                           if extras["review"] else None),
                "notes": [{"author": n.author, "at": utc(n.at), "text": n.text}
                          for n in extras["notes"]],
            }, name)
        header = ["time", "kind", "text", "channel", "intent", "confidence", "findings",
                  "escalation", "signs"]
        rows = [[json.dumps(r[k]) if k == "findings" else
                 " ".join(r[k]) if k == "signs" else r[k] for k in header] for r in records]
        return csv_response(header, rows, name)

    for fmt in ("csv", "json"):
        def list_route(fmt=fmt):
            async def export(request: Request):
                return await export_list(request, fmt)
            return requires("admin", kind="data")(export)

        def one_route(fmt=fmt):
            async def export(request: Request, conversation_id: int):
                return await export_one(request, fmt, conversation_id)
            return requires("admin", kind="data")(export)
        app.add_route(list_route(), f"/export/conversations.{fmt}", methods=["GET"],
                      name=f"export_list_{fmt}")
        app.add_route(one_route(), f"/export/conversation/<conversation_id:int>/transcript.{fmt}",
                      methods=["GET"], name=f"export_one_{fmt}")

    # --- audit log (admins) --------------------------------------------------------------------
    @app.get("/audit")
    @requires("admin")
    async def audit_page(request: Request):
        page = page_number(request)
        size = settings.page_size

        def entries_page(conn):
            log = db.audit_log
            total = conn.execute(sa.select(sa.func.count()).select_from(log)).scalar()
            entries = conn.execute(sa.select(log).order_by(log.c.id.desc())
                                   .limit(size).offset((page - 1) * size)).all()
            return total, entries
        total, entries = await read(entries_page)
        pages = max(1, math.ceil(total / size))
        return render(request, "audit.html", entries=entries, page=page, pages=pages,
                      prev_url=f"/audit?page={page - 1}" if page > 1 else "",
                      next_url=f"/audit?page={page + 1}" if page < pages else "")

    return app


def _with(open_connection, function, *args, **kwargs):
    with open_connection() as conn:
        return function(conn, *args, **kwargs)


def main() -> None:
    settings = Settings.from_env()
    app = create_app(settings)
    host = os.environ.get("CONSOLE_HOST", "127.0.0.1")
    app.run(host=host, port=settings.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
