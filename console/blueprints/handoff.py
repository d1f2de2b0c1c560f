"""Taking a conversation over from the assistant, answering the patient from the console, and
handing it back (docs/handoff.md).

Take over, hand back and a reply are CSRF-protected POSTs for reviewers and admins, each audited
with who and when; each asks Rasa's HTTP API through console/rasa_api.py, which changes the
`handoff_by` slot or sends the reply on the patient's own channel. While someone has the
conversation, its page runs console/static/handoff.js, which polls /conversation/<id>/live.json
(signed in only) for the patient's new messages and sends replies without a reload; the reply form
works without the script too. A failed call to Rasa changes nothing and keeps the typed reply.
"""

from __future__ import annotations

import time

from sanic import Blueprint, response
from sanic.log import logger
from sanic.request import Request

from console import db, handoff, queries, rasa_api
from console.auth import requires
from console.blueprints.attention import may_act
from console.tracker import transcript
from console.web import CSP, blocking, read, render, write

bp = Blueprint("handoff")
# The conversation page under a handoff runs console/static/handoff.js, which fetches from here.
LIVE_CSP = CSP + "; script-src 'self'; connect-src 'self'"
POLL_SECONDS = 2.5


class RasaRefused(Exception):
    """Rasa's API did not do what was asked; the message is for staff."""


def rasa_problem(error: rasa_api.RasaAPIError) -> str:
    """What staff read when Rasa did not take a request: never a stack trace or the token."""
    if isinstance(error, rasa_api.NotDelivered):
        # Rasa worked; the patient's channel (Telegram, WhatsApp) refused or was down
        return f"{error}. The patient did not get it; the text is still in the box."
    status = error.status
    if status == 404:
        return "Rasa does not know this conversation (it may have been deleted)."
    if status in (401, 403):
        return ("Rasa refused the console's token (RASA_API_TOKEN): ask whoever runs the "
                "assistant to check it.")
    if status:
        return f"Rasa answered with an error (HTTP {status}). Try again in a minute."
    if "not reachable" in str(error) or "in time" in str(error):
        return "The assistant's server (Rasa) is not reachable. Try again in a minute."
    return f"Rasa did not do it ({error})."  # rasa_api's messages never carry the token


async def call_rasa(request: Request, function, *args):
    """function(base_url, token, *args) of console/rasa_api.py in a thread; RasaRefused with a
    message for staff when it failed."""
    settings = request.app.ctx.settings
    try:
        return await blocking(function, settings.rasa_api_url, settings.rasa_api_token, *args)
    except rasa_api.RasaAPIError as error:
        logger.warning("Rasa API call %s failed (HTTP status %s)", function.__name__,
                       error.status)
        raise RasaRefused(rasa_problem(error)) from error


async def conversation_row(request: Request, conversation_id: int):
    """The index row of the conversation and whether it is the patient's latest one."""
    row, following = await read(request, queries.conversation, conversation_id)
    return row, following is None


async def page_context(request: Request, row: dict, latest: bool, last_event_id: int) -> dict:
    """What the conversation page shows about a handoff: who has it, the channel's rule, the
    warnings since it began, and the live view's settings."""
    tracker = request.app.ctx.tracker
    session = request.ctx.session
    current = await blocking(handoff.current, tracker, row["sender_id"])
    rule = await blocking(handoff.rule_for, tracker, row["sender_id"])
    warnings = []
    if current:  # since the take-over, which may be in an earlier session
        since = await blocking(tracker.events_between, row["sender_id"], current.event_id, None)
        warnings = handoff.warnings_since(transcript(since), current.event_id)
    return {
        "handoff": current, "channel_rule": rule, "latest": latest,
        "mine": bool(current and session and current.staff == session.name),
        "may_take_over": may_act(session), "handoff_warnings": warnings,
        "last_event_id": last_event_id, "poll_seconds": POLL_SECONDS,
        "max_reply": handoff.MAX_REPLY,
    }


def live_headers(context: dict) -> dict:
    return {"Content-Security-Policy": LIVE_CSP} if context["handoff"] and context["latest"] \
        else {}


def wants_json(request: Request) -> bool:
    return "application/json" in (request.headers.get("accept") or "")


async def show_problem(request: Request, conversation_id: int, status: int, message: str,
                       reply: str = "") -> response.HTTPResponse:
    """The conversation page again with the problem said above the reply box and the typed reply
    still in it (or JSON for the page's script)."""
    if wants_json(request):
        return response.json({"ok": False, "error": message}, status=status)
    # Imported here: the conversations blueprint imports this module for the page's panel.
    from console.blueprints.conversations import render_conversation

    return await render_conversation(request, conversation_id, status=status,
                                     problem=message, reply_text=reply)


def back_to(conversation_id: int, anchor: str = "handoff") -> response.HTTPResponse:
    return response.redirect(f"/conversation/{conversation_id}#{anchor}")


def previous_holder(done: rasa_api.Handoff, actor: str) -> dict:
    """For the audit log: whose handoff a take-over or hand-back ended, when not the actor's."""
    return {"from": done.previous} if done.previous and done.previous != actor else {}


async def change_holder(request: Request, conversation_id: int, verb: str, call,
                        action: str, refused: str):
    """Take over or hand back: role, conversation, (for a hand-back) someone has it, the call to
    Rasa, the audit line, back to the conversation."""
    session = request.ctx.session
    if not may_act(session):
        return render(request, "error.html", 403,
                      message=f"Your role may read conversations but not {verb}.")
    row, _ = await conversation_row(request, conversation_id)
    if row is None:
        return render(request, "error.html", 404, message="No such conversation.")
    if action == "hand_back" and await blocking(
            handoff.current, request.app.ctx.tracker, row["sender_id"]) is None:
        return await show_problem(request, conversation_id, 409,
                                  "Nobody has this conversation: the assistant answers it.")
    try:
        done = await call_rasa(request, call, row["sender_id"], session.name)
    except RasaRefused as problem:
        return await show_problem(request, conversation_id, 502, f"{refused}: {problem}")
    await write(request, db.audit, session.name, action, conversation_id,
                **previous_holder(done, session.name))
    return back_to(conversation_id)


@bp.post("/conversation/<conversation_id:int>/take-over")
@requires()
async def take_over(request: Request, conversation_id: int):
    return await change_holder(request, conversation_id, "take them over", rasa_api.take_over,
                               "take_over", "Not taken over")


@bp.post("/conversation/<conversation_id:int>/hand-back")
@requires()
async def hand_back(request: Request, conversation_id: int):
    return await change_holder(request, conversation_id, "hand them back", rasa_api.hand_back,
                               "hand_back", "Not handed back")


@bp.post("/conversation/<conversation_id:int>/reply")
@requires()
async def reply(request: Request, conversation_id: int):
    session = request.ctx.session
    text = (request.form.get("text") or "").strip()
    if not may_act(session):
        return await show_problem(request, conversation_id, 403,
                                  "Your role may read conversations but not answer patients.",
                                  text)
    if not text or len(text) > handoff.MAX_REPLY:
        return await show_problem(request, conversation_id, 400, (
            f"A reply is 1 to {handoff.MAX_REPLY} characters."), text)
    row, _ = await conversation_row(request, conversation_id)
    if row is None:
        return render(request, "error.html", 404, message="No such conversation.")
    tracker = request.app.ctx.tracker
    current = await blocking(handoff.current, tracker, row["sender_id"])
    if current is None or current.staff != session.name:
        who = f"{current.staff} has" if current else "Nobody has"
        return await show_problem(request, conversation_id, 409, (
            f"Not sent: {who} taken this conversation over. Take it over to answer."), text)
    rule = await blocking(handoff.rule_for, tracker, row["sender_id"])
    if not rule.can_reply:
        return await show_problem(request, conversation_id, 409, f"Not sent: {rule.text}", text)
    try:
        await call_rasa(request, rasa_api.send_staff_reply, row["sender_id"], session.name, text)
    except RasaRefused as problem:
        return await show_problem(request, conversation_id, 502, f"Not sent: {problem}", text)
    # The reply itself is in Rasa's tracker (with the staff member's name); the audit log says who
    # answered when, not what.
    await write(request, db.audit, session.name, "staff_reply", conversation_id,
                characters=len(text), channel=rule.channel)
    if wants_json(request):
        return response.json({"ok": True})
    return back_to(conversation_id, "reply")


@bp.get("/conversation/<conversation_id:int>/live.json")
@requires(kind="data")
async def live(request: Request, conversation_id: int):
    """The patient's events after `after` (an event id), across a new session too, with who
    has the conversation, the channel's rule now and the warnings since the handoff began."""
    row, _ = await conversation_row(request, conversation_id)
    if row is None:
        return response.json({"error": "no such conversation"}, status=404)
    try:
        after = max(0, int(request.args.get("after", "0")))
    except ValueError:
        after = 0
    tracker = request.app.ctx.tracker
    sender = row["sender_id"]
    current = await blocking(handoff.current, tracker, sender)
    first = max(after + 1, row["id"])
    # From the handoff's start, for its warnings (also those the page already shows).
    start = min(first, current.event_id) if current else first
    raw = await blocking(tracker.events_between, sender, start, None)
    earlier = [e for e in raw if e["id"] < first]
    raw = [e for e in raw if e["id"] >= first][:handoff.LIVE_EVENTS]  # a burst: several polls
    turns = transcript(raw)
    warnings = (handoff.warnings_since(transcript(earlier) + turns, current.event_id)
                if current else [])
    rule = await blocking(handoff.rule_for, tracker, sender)
    session = request.ctx.session
    return response.json({
        "now": time.time(),
        "handoff": {"by": current.staff, "mine": current.staff == session.name}
        if current else None,
        "turns": [t.as_json() for t in turns],
        "last_id": raw[-1]["id"] if raw else after,
        "new_session": any(e["type"] == "session_started" for e in raw),
        "channel": rule.as_json(), "warnings": warnings,
    })
