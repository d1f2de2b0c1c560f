"""The escalation queue ("Needs attention", /attention): open escalations first, live (the page's
script polls /attention.json), and the two state changes, acknowledge and close, as CSRF-protected
forms. The states and their audit entries are console/escalations.py's; this module only shows
them and checks who may change them."""

from __future__ import annotations

import time

from sanic import Blueprint, response
from sanic.request import Request

from console import escalations, queries
from console.auth import requires
from console.blueprints.signin import safe_next
from console.tracker import utc
from console.web import CSP, fresh_index, read, render, templates, write

bp = Blueprint("attention")
# The queue's page runs one script of its own and fetches its JSON from here.
ATTENTION_CSP = CSP + "; script-src 'self'; connect-src 'self'"
POLL_SECONDS = 5
MAX_NOTE = 1000
# Who may acknowledge and close; any other role (a read-only one, should one be added) only looks.
ACTING_ROLES = frozenset({"reviewer", "admin"})


def outcome_label(outcome: str | None) -> str:
    if not outcome:
        return ""
    return escalations.OUTCOME_NAMES.get(outcome, outcome.replace("_", " ")).capitalize()


def outcomes() -> list[tuple[str, str]]:
    """The outcomes a close may record, in console/escalations.py's order, with their labels."""
    return [(key, outcome_label(key)) for key in escalations.OUTCOMES]


def short_age(seconds: float | None) -> str:
    """'just now', '4 min', '2 h 5 min', '3 d 4 h': how long an escalation has waited."""
    if seconds is None:
        return ""
    minutes = int(max(0.0, seconds) // 60)
    if minutes < 1:
        return "just now"
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if days else f"{hours} h {minutes} min"


def duration(seconds: float | None) -> str:
    """'45 s', '4 min 10 s', '1 h 5 min': a time to acknowledge."""
    if seconds is None:
        return "—"
    seconds = int(round(max(0.0, seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def may_act(session) -> bool:
    return session is not None and session.role in ACTING_ROLES


# The conversation page shows the same history and forms (templates/escalation_parts.html).
templates.filters.update(short_age=short_age, duration=duration, outcome_label=outcome_label)
templates.globals.update(may_act_on_escalations=may_act, escalation_outcomes=outcomes,
                         max_escalation_note=MAX_NOTE)


def record(row: dict, now: float) -> dict:
    """One escalation as the page shows it (and as the JSON gives it to the page's script)."""
    return {
        "id": row["id"], "conversation_id": row["conversation_id"], "level": row["level"],
        "signs": row["signs"], "channel": row["channel"] or "",
        "raised": utc(row["raised_at"]), "age": short_age(now - row["raised_at"]),
        "alert": row["alert"]["status"], "alert_text": row["alert"]["text"],
        "state": row["state"],
        "acknowledged_by": row["acknowledged_by"] or "",
        "acknowledged": utc(row["acknowledged_at"]),
        "closed_by": row["closed_by"] or "", "closed": utc(row["closed_at"]),
        "outcome": row["outcome"] or "", "outcome_label": outcome_label(row["outcome"]),
        "note": row["note"] or "",
    }


async def queue(request: Request) -> tuple[list[dict], float]:
    await fresh_index(request)  # an escalation Rasa recorded a moment ago is listed now
    now = time.time()
    rows = await read(request, queries.attention_queue, now)
    return [record(row, now) for row in rows], now


@bp.get("/attention")
@requires()
async def attention(request: Request):
    found, _ = await queue(request)
    return render(request, "attention.html", escalations=found, outcomes=outcomes(),
                  may_act=may_act(request.ctx.session), poll_seconds=POLL_SECONDS,
                  max_note=MAX_NOTE, headers={"Content-Security-Policy": ATTENTION_CSP})


@bp.get("/attention.json")
@requires(kind="data")
async def attention_json(request: Request):
    found, now = await queue(request)
    return response.json({
        "now": now, "open": sum(1 for e in found if e["state"] == "open"),
        "may_act": may_act(request.ctx.session), "escalations": found,
    })


def refused(request: Request, status: int, message: str) -> response.HTTPResponse:
    return render(request, "error.html", status, message=message)


def apply_change(conn, escalation_id: int, actor: str, change) -> tuple[int, str]:
    """(200, "") when the change was made (and audited), else (status, why not): in the
    transaction of the change, so a colleague's click in between is seen."""
    row = escalations.get(conn, escalation_id)
    if row is None:
        return 404, "No such escalation."
    if change(conn, escalation_id, actor):
        return 200, ""
    row = escalations.get(conn, escalation_id)
    if row["state"] == escalations.CLOSED:
        return 409, (f"This escalation was closed by {row['closed_by']} at "
                     f"{utc(row['closed_at'])}; nothing was changed.")
    return 409, (f"This escalation was acknowledged by {row['acknowledged_by']} at "
                 f"{utc(row['acknowledged_at'])}; nothing was changed.")


async def change(request: Request, escalation_id: int, apply) -> response.HTTPResponse:
    """Apply one state change for the signed-in staff member, or say why it was refused."""
    session = request.ctx.session
    if not may_act(session):
        return refused(request, 403, "Your role may look at the queue but not change it.")
    status, message = await write(request, apply_change, escalation_id, session.name, apply)
    if status != 200:
        return refused(request, status, message)
    return response.redirect(safe_next(request.form.get("next") or "/attention"))


@bp.post("/attention/<escalation_id:int>/acknowledge")
@requires()
async def acknowledge(request: Request, escalation_id: int):
    return await change(request, escalation_id, escalations.acknowledge)


@bp.post("/attention/<escalation_id:int>/close")
@requires()
async def close(request: Request, escalation_id: int):
    outcome = (request.form.get("outcome") or "").strip()
    note = (request.form.get("note") or "").strip()
    if outcome not in escalations.OUTCOMES:
        return refused(request, 400, "Choose how the escalation ended: one of the outcomes.")
    if len(note) > MAX_NOTE:
        return refused(request, 400, f"A note is at most {MAX_NOTE} characters.")

    def close_it(conn, escalation_id: int, actor: str) -> bool:
        return escalations.close(conn, escalation_id, actor, outcome, note)

    return await change(request, escalation_id, close_it)
