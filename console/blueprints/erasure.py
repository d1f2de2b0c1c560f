"""Deleting a patient's conversations at their request (admins; docs/data-rights.md, section 2).

On a conversation's page an admin opens "Delete at the patient's request": a confirmation that
says what goes (all of this patient's conversations, their channel) and asks how the patient
asked, from a fixed list, so no free text with patient details enters the audit log. The POST
(CSRF-protected, admins only: anyone else gets 403 and nothing is deleted) asks the Rasa server
to delete the patient's events (console/rasa_api.py `erase`, reason "staff_on_request", the
admin as actor), then deletes the console's part at once (console/erasures.py), so the list the
admin is sent back to no longer shows them. When Rasa cannot be reached or refuses, the page says
so and nothing is deleted.
"""

from __future__ import annotations

import sqlalchemy as sa
from sanic import Blueprint, response
from sanic.log import logger
from sanic.request import Request

from console import db, erasures, handoff, queries, rasa_api
from console.auth import requires
from console.web import blocking, read, render, write
from privacy.erasure import STAFF_ON_REQUEST
from privacy.identifiers import audit_hash

bp = Blueprint("erasure")
# How the patient asked: the audit log's `asked`, never free text.
ASKED = (
    ("phone", "The patient asked by phone"),
    ("in_person", "The patient asked in person"),
    ("in_writing", "The patient asked in writing (letter, email, form)"),
    ("legal_representative", "A legal representative of the patient asked"),
    ("other", "Another way (keep the details in the clinic's own records, not here)"),
)
REQUEST_ACTION = "erasure_request"
EVERYTHING = 2**63 - 1  # an event id above every other


def rasa_problem(error: rasa_api.RasaAPIError) -> str:
    """What the admin reads when Rasa did not delete: never the token or a stack trace."""
    status = error.status
    if isinstance(error, rasa_api.NoAnswer):
        return ("The assistant's server (Rasa) did not answer in time: it may still delete the "
                "conversations. Open the list in a minute; if they are still there, try again.")
    if status is None:
        return ("The assistant's server (Rasa) is not reachable, so nothing was deleted. "
                "Try again in a minute.")
    if status in (401, 403):
        return ("Rasa refused the console's token (RASA_API_TOKEN), so nothing was deleted: ask "
                "whoever runs the assistant to check it.")
    if status == 404:
        return ("The assistant's server has no deletion endpoint (privacy.rasa_endpoint in its "
                "credentials.yml), so nothing was deleted: ask whoever runs the assistant.")
    if status == 503:
        return ("The assistant's server could not delete now (its database or lock store is "
                "unavailable), so nothing was deleted. Try again in a minute.")
    return f"Rasa did not delete (HTTP {status}), so nothing was deleted."


async def confirmation(request: Request, row: dict, status: int = 200, problem: str = "",
                       asked: str = "") -> response.HTTPResponse:
    sender = row["sender_id"]
    patient = await read(request, queries.patient_conversations, sender)
    current = await blocking(handoff.current, request.app.ctx.tracker, sender)
    channels = sorted({c["channel"] for c in [*patient, row] if c["channel"]})
    return render(request, "erasure.html", status=status, conversation=row, patient=patient,
                  channels=channels, handoff=current, reasons=ASKED, problem=problem,
                  asked=asked)


@bp.get("/conversation/<conversation_id:int>/delete")
@requires("admin")
async def confirm(request: Request, conversation_id: int):
    row, _ = await read(request, queries.conversation, conversation_id)
    if row is None:
        return render(request, "error.html", 404, message="No such conversation.")
    return await confirmation(request, row)


def record_request(conn, actor: str, asked: str, done: rasa_api.Erasure,
                   conversations: int) -> None:
    """The admin's request in the audit log: how the patient asked (a key of ASKED), the keyed
    hash of the sender id, counts; the deletion itself has its own row (console/erasures.py)."""
    db.audit(conn, actor, REQUEST_ACTION, None, reason=STAFF_ON_REQUEST, asked=asked,
             sender=audit_hash(done.sender_id), channel=done.channel,
             conversations=conversations, events=done.events)


@bp.post("/conversation/<conversation_id:int>/delete")
@requires("admin")
async def delete(request: Request, conversation_id: int):
    session = request.ctx.session
    asked = (request.form.get("asked") or "").strip()
    row, _ = await read(request, queries.conversation, conversation_id)
    if row is None:
        return render(request, "error.html", 404, message="No such conversation.")
    if asked not in dict(ASKED):
        return await confirmation(request, row, 400, (
            "Choose how the patient asked for the deletion: nothing was deleted."))
    sender = row["sender_id"]
    listed = len(await read(request, queries.patient_conversations, sender))
    settings = request.app.ctx.settings
    try:
        done = await blocking(rasa_api.erase, settings.rasa_api_url, settings.rasa_api_token,
                              sender, STAFF_ON_REQUEST, session.name)
    except rasa_api.RasaAPIError as error:
        logger.warning("deletion at the patient's request failed (HTTP status %s)", error.status)
        return await confirmation(request, row, 502, rasa_problem(error), asked)
    ctx = request.app.ctx
    try:
        await write(request, record_request, session.name, asked, done, listed)
        await blocking(ctx.indexer.apply_erasures)
        if not done.events:  # Rasa had nothing left: what the index still has of the patient
            await blocking(erasures.forget, ctx.tracker, ctx.console, sender, EVERYTHING,
                           reason=STAFF_ON_REQUEST, actor=session.name, channel=row["channel"])
    except sa.exc.SQLAlchemyError as error:
        logger.warning("the console's part of a deletion is pending (%s)", type(error).__name__)
        return render(request, "error.html", 503, message=(
            "The patient's messages were deleted from the assistant's store, but the console's "
            "database did not answer: the console deletes its copy by itself as soon as it "
            "answers again."))
    return response.redirect(f"/?deleted={listed}")
