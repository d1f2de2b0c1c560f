"""The dashboard (/dashboard): conversations, escalations, topics, fallback rate and channels
over a date range, drawn by Chart.js; how fast staff acknowledged the range's escalations, and
how many wait now."""

from __future__ import annotations

import time
from datetime import date, timedelta

from sanic import Blueprint
from sanic.request import Request

from console import queries
from console.auth import requires
from console.web import DASHBOARD_CSP, fresh_index, read, render

bp = Blueprint("dashboard")


@bp.get("/dashboard")
@requires()
async def dashboard(request: Request):
    today = date.today()
    last = queries.parse_day(request.args.get("to")) or today
    first = queries.parse_day(request.args.get("from")) or last - timedelta(days=29)
    if first > last:
        first, last = last, first
    await fresh_index(request)
    figures = await read(request, queries.dashboard, first, last)
    attention = await read(request, queries.acknowledgement_figures, first, last, time.time())
    return render(request, "dashboard.html", dashboard=figures, attention=attention,
                  headers={"Content-Security-Policy": DASHBOARD_CSP})
