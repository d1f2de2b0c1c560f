"""The staff console web app: python -m console.app (port CONSOLE_PORT, default 8090)."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import time
from functools import wraps
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa
from jinja2 import Environment, FileSystemLoader
from sanic import Sanic, response
from sanic.request import Request

from console import db, security
from console.config import Settings
from console.tracker import Filters, TrackerReader, transcript, utc

HERE = Path(__file__).resolve().parent
COOKIE = "console_session"
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
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


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
templates.filters.update(utc=utc, percent=percent)


def render(request: Request, name: str, status: int = 200, **context) -> response.HTTPResponse:
    session = getattr(request.ctx, "session", None)
    html = templates.get_template(name).render(session=session, **context)
    return response.html(html, status=status)


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


def create_app(settings: Settings | None = None) -> Sanic:
    settings = settings or Settings.from_env()
    app = Sanic("clinic_console")
    app.config.ACCESS_LOG = False
    app.ctx.settings = settings
    app.ctx.console = db.connect(settings.console_db_url)
    app.ctx.tracker = TrackerReader(settings.tracker_url)
    app.static("/static", str(HERE / "static"), name="static")

    def console_db() -> sa.engine.Engine:
        return app.ctx.console

    @app.on_request
    async def attach_session(request: Request):
        with console_db().begin() as conn:
            request.ctx.session = security.load_session(conn, request.cookies.get(COOKIE))

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

    # --- signing in and out ------------------------------------------------------------------
    @app.get("/signin")
    async def signin_form(request: Request):
        session = request.ctx.session
        if session is not None and session.user_id is not None:
            return response.redirect(safe_next(request.args.get("next")))
        resp = None
        if session is None:
            with console_db().begin() as conn:
                token = security.new_session(conn, None, 1)
                session = security.load_session(conn, token)
            request.ctx.session = session
            resp = render(request, "signin.html", next=safe_next(request.args.get("next")))
            set_session_cookie(resp, token, settings)
            return resp
        return render(request, "signin.html", next=safe_next(request.args.get("next")))

    @app.post("/signin")
    async def signin(request: Request):
        session = request.ctx.session
        if session is None or not session.csrf_ok(request.form.get("csrf")):
            return render(request, "error.html", 403,
                          message="The sign-in form expired; reload it and try again.")
        name = (request.form.get("name") or "").strip()[:80]
        password = request.form.get("password") or ""
        target = safe_next(request.form.get("next"))
        with console_db().begin() as conn:
            if security.locked_for(conn, name) > 0:
                db.audit(conn, name or "?", "signin_locked")
                return render(request, "signin.html", 429, next=target, error=(
                    "Too many failed sign-ins. Try again later or ask an admin."))
            user = security.check_credentials(conn, name, password)
            if user is None:
                locked = security.record_failure(conn, name, settings.max_failed_signins,
                                                 settings.lockout_seconds)
                db.audit(conn, name or "?", "signin_failed", locked=locked)
                return render(request, "signin.html", 401, next=target,
                              error="Wrong name or password.")
            security.clear_failures(conn, name)
            security.drop_session(conn, session)  # a new session id: no fixation
            token = security.new_session(conn, user.id, settings.session_hours)
            db.audit(conn, user.name, "signin")
        resp = response.redirect(target)
        set_session_cookie(resp, token, settings)
        return resp

    @app.post("/signout")
    @requires()
    async def signout(request: Request):
        with console_db().begin() as conn:
            security.drop_session(conn, request.ctx.session)
            db.audit(conn, request.ctx.session.name, "signout")
        resp = response.redirect("/signin")
        del resp.cookies[COOKIE]
        return resp

    # --- conversations -------------------------------------------------------------------------
    def review_state(filters: Filters) -> tuple[set[str] | None, set[str] | None]:
        with console_db().connect() as conn:
            reviewed = None
            if filters.unreviewed:
                reviewed = {r[0] for r in conn.execute(sa.select(db.reviews.c.sender_id))}
            tagged = None
            if filters.tag:
                tagged = {r[0] for r in conn.execute(
                    sa.select(db.tags.c.sender_id).where(db.tags.c.tag == filters.tag.lower()))}
        return reviewed, tagged

    def annotate(summaries) -> None:
        senders = [s.sender_id for s in summaries]
        if not senders:
            return
        by_sender = {s.sender_id: s for s in summaries}
        with console_db().connect() as conn:
            for row in conn.execute(sa.select(db.reviews).where(
                    db.reviews.c.sender_id.in_(senders))):
                by_sender[row.sender_id].reviewed = {"by": row.reviewed_by, "at": row.reviewed_at}
            for row in conn.execute(sa.select(db.tags.c.sender_id, db.tags.c.tag).where(
                    db.tags.c.sender_id.in_(senders)).order_by(db.tags.c.tag)):
                by_sender[row.sender_id].tags.append(row.tag)

    def page_number(request: Request) -> int:
        try:
            return max(1, min(int(request.args.get("page", "1")), 1_000_000))
        except ValueError:
            return 1

    @app.get("/")
    @requires()
    async def conversation_list(request: Request):
        filters = Filters.from_args(request.args)
        page = page_number(request)
        reviewed, tagged = review_state(filters)
        summaries, total = app.ctx.tracker.conversations(
            filters, reviewed, tagged, page, settings.page_size)
        annotate(summaries)
        pages = max(1, math.ceil(total / settings.page_size))
        query = filters.as_query()
        return render(
            request, "list.html", conversations=summaries, total=total, page=page, pages=pages,
            filters=filters, channels=app.ctx.tracker.channels(),
            prev_url="/?" + urlencode({**query, "page": page - 1}) if page > 1 else "",
            next_url="/?" + urlencode({**query, "page": page + 1}) if page < pages else "",
            export_query=urlencode(query),
        )

    def conversation_extras(sender_id: str) -> dict:
        with console_db().connect() as conn:
            review = conn.execute(sa.select(db.reviews).where(
                db.reviews.c.sender_id == sender_id)).first()
            notes = conn.execute(sa.select(db.notes).where(db.notes.c.sender_id == sender_id)
                                 .order_by(db.notes.c.id)).all()
            tags = [r.tag for r in conn.execute(sa.select(db.tags.c.tag).where(
                db.tags.c.sender_id == sender_id).order_by(db.tags.c.tag))]
        return {"review": review, "notes": notes, "tags": tags}

    @app.get("/conversation")
    @requires()
    async def conversation(request: Request):
        sender_id = request.args.get("sender") or ""
        turns = transcript(app.ctx.tracker.events_of(sender_id))
        if not turns:
            return render(request, "error.html", 404, message="No such conversation.")
        return render(request, "conversation.html", sender_id=sender_id, turns=turns,
                      sender_query=urlencode({"sender": sender_id}),
                      **conversation_extras(sender_id))

    def back_to(sender_id: str) -> response.HTTPResponse:
        return response.redirect("/conversation?" + urlencode({"sender": sender_id}))

    @app.post("/conversation/review")
    @requires()
    async def mark_reviewed(request: Request):
        sender_id = request.form.get("sender") or ""
        if not app.ctx.tracker.events_of(sender_id):
            return render(request, "error.html", 404, message="No such conversation.")
        who = request.ctx.session.name
        with console_db().begin() as conn:
            conn.execute(db.reviews.delete().where(db.reviews.c.sender_id == sender_id))
            conn.execute(db.reviews.insert().values(
                sender_id=sender_id, reviewed_by=who, reviewed_at=time.time()))
            db.audit(conn, who, "review", sender_id)
        return back_to(sender_id)

    @app.post("/conversation/note")
    @requires()
    async def add_note(request: Request):
        sender_id = request.form.get("sender") or ""
        text = (request.form.get("text") or "").strip()
        if not text or len(text) > MAX_NOTE:
            return render(request, "error.html", 400,
                          message=f"A note is 1 to {MAX_NOTE} characters.")
        if not app.ctx.tracker.events_of(sender_id):
            return render(request, "error.html", 404, message="No such conversation.")
        who = request.ctx.session.name
        with console_db().begin() as conn:
            note_id = conn.execute(db.notes.insert().values(
                sender_id=sender_id, author=who, at=time.time(), text=text)
            ).inserted_primary_key[0]
            db.audit(conn, who, "note", sender_id, note_id=note_id)
        return back_to(sender_id)

    @app.post("/conversation/tag")
    @requires()
    async def add_tag(request: Request):
        sender_id = request.form.get("sender") or ""
        tag = (request.form.get("tag") or "").strip().lower()
        if not tag or len(tag) > 40 or not set(tag) <= TAG_CHARS:
            return render(request, "error.html", 400, message=(
                "A tag is 1 to 40 letters, digits, spaces, dashes or underscores."))
        if not app.ctx.tracker.events_of(sender_id):
            return render(request, "error.html", 404, message="No such conversation.")
        who = request.ctx.session.name
        with console_db().begin() as conn:
            exists = conn.execute(sa.select(db.tags.c.id).where(
                db.tags.c.sender_id == sender_id, db.tags.c.tag == tag)).first()
            if not exists:
                conn.execute(db.tags.insert().values(
                    sender_id=sender_id, tag=tag, author=who, at=time.time()))
                db.audit(conn, who, "tag", sender_id, tag=tag)
        return back_to(sender_id)

    # --- exports (admins) ----------------------------------------------------------------------
    async def export_list(request: Request, fmt: str):
        filters = Filters.from_args(request.args)
        reviewed, tagged = review_state(filters)
        summaries = app.ctx.tracker.all_conversations(filters, reviewed, tagged)
        annotate(summaries)
        with console_db().begin() as conn:
            db.audit(conn, request.ctx.session.name, "export_list", format=fmt,
                     filters=filters.as_query(), conversations=len(summaries))
        records = [{
            "sender_id": s.sender_id, "started": utc(s.started), "last": utc(s.last),
            "channel": s.channel, "messages": s.messages, "first_question": s.first_question,
            "escalation": s.level, "reviewed_by": (s.reviewed or {}).get("by", ""),
            "tags": s.tags,
        } for s in summaries]
        if fmt == "json":
            return response.json({"filters": filters.as_query(), "conversations": records},
                                 headers={"Content-Disposition":
                                          'attachment; filename="conversations.json"'})
        header = list(records[0]) if records else [
            "sender_id", "started", "last", "channel", "messages", "first_question",
            "escalation", "reviewed_by", "tags"]
        rows = [[" ".join(r["tags"]) if k == "tags" else r[k] for k in header] for r in records]
        return csv_response(header, rows, "conversations.csv")

    async def export_one(request: Request, fmt: str):
        sender_id = request.args.get("sender") or ""
        turns = transcript(app.ctx.tracker.events_of(sender_id))
        if not turns:
            return response.json({"error": "no such conversation"}, status=404)
        extras = conversation_extras(sender_id)
        with console_db().begin() as conn:
            db.audit(conn, request.ctx.session.name, "export_conversation", sender_id,
                     format=fmt)
        records = [{
            "time": utc(t.timestamp), "kind": t.kind, "text": t.text, "channel": t.channel,
            "intent": t.intent, "confidence": t.confidence,
            "findings": [{k: f.get(k) for k in ("sign", "label", "level", "text", "start",
                                                  "end", "rule")} for f in t.findings],
            "escalation": t.level, "signs": t.signs,
        } for t in turns]
        if fmt == "json":
            return response.json({
                "sender_id": sender_id, "turns": records, "tags": extras["tags"],
                "notes": [{"author": n.author, "at": utc(n.at), "text": n.text}
                          for n in extras["notes"]],
            }, headers={"Content-Disposition": 'attachment; filename="conversation.json"'})
        header = ["time", "kind", "text", "channel", "intent", "confidence", "findings",
                  "escalation", "signs"]
        rows = [[json.dumps(r[k]) if k == "findings" else
                 " ".join(r[k]) if k == "signs" else r[k] for k in header] for r in records]
        return csv_response(header, rows, "conversation.csv")

    for fmt in ("csv", "json"):
        for path, handler in (("conversations", export_list), ("conversation", export_one)):
            def route(handler=handler, fmt=fmt):
                async def export(request: Request):
                    return await handler(request, fmt)
                return requires("admin", kind="data")(export)
            app.add_route(route(), f"/export/{path}.{fmt}", methods=["GET"],
                          name=f"export_{path}_{fmt}")

    # --- audit log (admins) --------------------------------------------------------------------
    @app.get("/audit")
    @requires("admin")
    async def audit_page(request: Request):
        page = page_number(request)
        size = settings.page_size
        with console_db().connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(db.audit_log)).scalar()
            entries = conn.execute(sa.select(db.audit_log).order_by(db.audit_log.c.id.desc())
                                   .limit(size).offset((page - 1) * size)).all()
        pages = max(1, math.ceil(total / size))
        return render(request, "audit.html", entries=entries, page=page, pages=pages,
                      prev_url=f"/audit?page={page - 1}" if page > 1 else "",
                      next_url=f"/audit?page={page + 1}" if page < pages else "")

    return app


def main() -> None:
    settings = Settings.from_env()
    app = create_app(settings)
    host = os.environ.get("CONSOLE_HOST", "127.0.0.1")
    app.run(host=host, port=settings.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
