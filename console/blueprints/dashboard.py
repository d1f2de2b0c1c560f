"""The dashboard (/dashboard): conversations, escalations, topics, fallback rate and channels
over a date range, drawn by Chart.js."""

from __future__ import annotations

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
    return render(request, "dashboard.html", dashboard=figures,
                  headers={"Content-Security-Policy": DASHBOARD_CSP})
