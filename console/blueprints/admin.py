"""What only admins see in the browser: the audit log (/audit). Staff accounts are managed from
the command line (console/users.py), never from the web."""

from __future__ import annotations

import math

from sanic import Blueprint
from sanic.request import Request

from console import queries
from console.auth import requires
from console.web import page_number, read, render

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
