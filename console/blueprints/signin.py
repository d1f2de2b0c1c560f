"""Signing in and out: GET and POST /signin, POST /signout."""

from __future__ import annotations

from sanic import Blueprint, response
from sanic.request import Request

from console import db, security
from console.auth import COOKIE, requires, set_session_cookie
from console.config import Settings
from console.web import render, write

bp = Blueprint("signin")


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def anonymous_session(conn) -> tuple[str, security.Session | None]:
    """A session without a user, so the sign-in form has a CSRF token."""
    token = security.new_session(conn, None, 1)
    return token, security.load_session(conn, token)


def attempt(conn, settings: Settings, session: security.Session, name: str,
            password: str) -> tuple[str, str | None]:
    """("locked" | "failed", None) or ("ok", the new session's token); audited."""
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


def sign_out(conn, session: security.Session) -> None:
    security.drop_session(conn, session)
    db.audit(conn, session.name, "signout")


@bp.get("/signin")
async def signin_form(request: Request):
    session = request.ctx.session
    target = safe_next(request.args.get("next"))
    if session is not None and session.user_id is not None:
        return response.redirect(target)
    if session is not None:
        return render(request, "signin.html", next=target)
    token, request.ctx.session = await write(request, anonymous_session)
    resp = render(request, "signin.html", next=target)
    set_session_cookie(resp, token, request.app.ctx.settings)
    return resp


@bp.post("/signin")
async def signin(request: Request):
    session = request.ctx.session
    if session is None or not session.csrf_ok(request.form.get("csrf")):
        return render(request, "error.html", 403,
                      message="The sign-in form expired; reload it and try again.")
    name = (request.form.get("name") or "").strip()[:80]
    password = request.form.get("password") or ""
    target = safe_next(request.form.get("next"))
    settings = request.app.ctx.settings
    outcome, token = await write(request, attempt, settings, session, name, password)
    if outcome == "locked":
        return render(request, "signin.html", 429, next=target, error=(
            "Too many failed sign-ins. Try again later or ask an admin."))
    if outcome == "failed":
        return render(request, "signin.html", 401, next=target,
                      error="Wrong name or password.")
    resp = response.redirect(target)
    set_session_cookie(resp, token, settings)
    return resp


@bp.post("/signout")
@requires()
async def signout(request: Request):
    await write(request, sign_out, request.ctx.session)
    resp = response.redirect("/signin")
    del resp.cookies[COOKIE]
    return resp
