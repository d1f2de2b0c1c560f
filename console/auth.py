"""Who is asking: the session cookie, the session loaded for every request, and `requires`, the
check in front of every page (signed in, of the role, with the form's CSRF token).

The sessions themselves (server-side, CSRF tokens, passwords, lockout) are in console/security.py.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

import sqlalchemy as sa
from sanic import response
from sanic.request import Request

from console import security
from console.config import Settings
from console.web import render, write

COOKIE = "console_session"


def set_session_cookie(resp: response.HTTPResponse, token: str, settings: Settings) -> None:
    resp.cookies[COOKIE] = token
    cookie = resp.cookies[COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Lax"
    cookie["path"] = "/"
    if settings.secure_cookies:
        cookie["secure"] = True


async def attach_session(request: Request):
    """Request middleware: request.ctx.session is the cookie's session, or None."""
    if request.path.startswith("/static/"):
        request.ctx.session = None
        return None
    try:
        request.ctx.session = await write(request, security.load_session,
                                          request.cookies.get(COOKIE))
    except sa.exc.OperationalError:
        request.ctx.session = None
        return render(request, "error.html", 503, message=(
            "The console's database is not reachable. Try again in a minute."))
    return None


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
