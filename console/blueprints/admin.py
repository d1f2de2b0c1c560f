"""What only admins see in the browser: the audit log (/audit) and, under the production profile,
the state of each of its parts (/parts). Staff accounts are managed from the command line
(console/users.py), never from the web."""

from __future__ import annotations

import math
import xmlrpc.client
from datetime import datetime, timezone

from sanic import Blueprint
from sanic.request import Request

from console import queries
from console.auth import requires
from console.parts import age, read_parts
from console.web import blocking, page_number, read, render

bp = Blueprint("admin")


@bp.get("/audit")
@requires("admin")
async def audit_page(request: Request):
    page = page_number(request)
    size = request.app.ctx.settings.page_size
    total, entries = await read(request, queries.audit_page, page, size)
    pages = max(1, math.ceil(total / size))
    return render(request, "audit.html", entries=entries, page=page, pages=pages,
                  prev_url=f"/audit?page={page - 1}" if page > 1 else "",
                  next_url=f"/audit?page={page + 1}" if page < pages else "")


@bp.get("/parts")
@requires("admin")
async def parts_page(request: Request):
    """The production profile's parts (up, restarting, down, since when), from supervisord."""
    path = request.app.ctx.settings.supervisor_socket
    parts, error = [], ""
    if not path:
        error = "The console does not run under the production profile's supervisor."
    else:
        try:
            parts = await blocking(read_parts, path)
        except (OSError, xmlrpc.client.Error) as exc:
            error = f"supervisord does not answer on {path}: {exc}"
    return render(request, "parts.html", parts=parts, error=error, age=age, utc_time=utc_time)


def utc_time(since: float | None) -> str:
    if not since:
        return ""
    return datetime.fromtimestamp(since, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
