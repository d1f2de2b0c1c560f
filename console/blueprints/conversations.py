"""The conversations: the filtered list (/), one transcript, and marking it reviewed, adding
notes and tags."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from sanic import Blueprint, response
from sanic.request import Request

from console import db, queries
from console.auth import requires
from console.blueprints import handoff as handoff_page
from console.queries import Filters
from console.tracker import transcript
from console.web import blocking, fresh_index, page_number, read, render, write

bp = Blueprint("conversations")
TAG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_ ")
MAX_NOTE = 4000


async def load_conversation(request: Request, conversation_id: int):
    """The index row, the transcript, review, notes and tags; (None, ...) when unknown."""
    row, following, raw, extras = await load_events(request, conversation_id)
    return row, transcript(raw), extras


async def load_events(request: Request, conversation_id: int):
    """The index row, the id of the patient's next conversation, the raw events and the extras
    (review, notes, tags, escalations); (None, None, [], {}) when unknown."""
    row, following = await read(request, queries.conversation, conversation_id)
    if row is None:
        await fresh_index(request)  # just written by Rasa, not indexed yet
        row, following = await read(request, queries.conversation, conversation_id)
    if row is None:
        return None, None, [], {}
    raw = await blocking(request.app.ctx.tracker.events_between, row["sender_id"], row["id"],
                         following)
    extras = await read(request, queries.conversation_extras, conversation_id)
    return row, following, raw, extras


async def known(request: Request, conversation_id: int) -> bool:
    row, _ = await read(request, queries.conversation, conversation_id)
    return row is not None


def no_such_conversation(request: Request) -> response.HTTPResponse:
    return render(request, "error.html", 404, message="No such conversation.")


def back_to(conversation_id: int) -> response.HTTPResponse:
    return response.redirect(f"/conversation/{conversation_id}")


@bp.get("/")
@requires()
async def conversation_list(request: Request):
    ctx = request.app.ctx
    settings = ctx.settings
    filters = Filters.from_args(request.args)
    page = page_number(request)
    await fresh_index(request)
    found, total, more = await read(request, queries.conversation_page, filters,
                                    settings.low_confidence, page, settings.page_size)
    pages = max(1, math.ceil(total / settings.page_size))
    query = filters.as_query()
    return render(
        request, "list.html", conversations=found, total=total, more=more, page=page,
        pages=pages, filters=filters, low_confidence=settings.low_confidence,
        channels=await blocking(ctx.channels.get), intents=await blocking(ctx.intents.get),
        prev_url="/?" + urlencode({**query, "page": page - 1}) if page > 1 else "",
        next_url="/?" + urlencode({**query, "page": page + 1}) if page < pages else "",
        export_query=urlencode(query), deleted=deleted_notice(request),
    )


def deleted_notice(request: Request) -> int | None:
    """After a deletion at the patient's request (console/blueprints/erasure.py): how many
    conversations went, for the notice above the list."""
    try:
        return max(0, min(int(request.args.get("deleted", "")), 1_000_000))
    except ValueError:
        return None


@bp.get("/conversation/<conversation_id:int>")
@requires()
async def conversation(request: Request, conversation_id: int):
    return await render_conversation(request, conversation_id)


async def render_conversation(request: Request, conversation_id: int, status: int = 200,
                              problem: str = "", reply_text: str = "") -> response.HTTPResponse:
    """The conversation's page (audited as a view), with a handoff's panel; `problem` and the
    typed `reply_text` when a take-over, hand-back or reply was refused."""
    row, following, raw, extras = await load_events(request, conversation_id)
    if row is None:
        return no_such_conversation(request)
    turns = transcript(raw)
    await write(request, db.audit, request.ctx.session.name, "view", conversation_id)
    context = await handoff_page.page_context(request, row, following is None,
                                              raw[-1]["id"] if raw else row["id"])
    return render(request, "conversation.html", status=status,
                  headers=handoff_page.live_headers(context), conversation=row, turns=turns,
                  following=following, level=queries.LEVEL_NAMES.get(row["level"], ""),
                  problem=problem, reply_text=reply_text, **context, **extras)


# Each change and its audit entry, in one transaction.
def record_review(conn, conversation_id: int, who: str) -> None:
    queries.mark_reviewed(conn, conversation_id, who)
    db.audit(conn, who, "review", conversation_id)


# The audit log holds which note or tag was added, never its text: staff may write a patient's
# details into either, and a deletion at the patient's request (console/erasures.py) deletes the
# note and the tag, while the audit log is only ever added to.
def record_note(conn, conversation_id: int, who: str, text: str) -> None:
    note_id = queries.add_note(conn, conversation_id, who, text)
    db.audit(conn, who, "note", conversation_id, note_id=note_id)


def record_tag(conn, conversation_id: int, who: str, tag: str) -> None:
    tag_id = queries.add_tag(conn, conversation_id, tag, who)
    if tag_id is not None:  # an existing tag is not added again
        db.audit(conn, who, "tag", conversation_id, tag_id=tag_id)


@bp.post("/conversation/<conversation_id:int>/review")
@requires()
async def mark_reviewed(request: Request, conversation_id: int):
    if not await known(request, conversation_id):
        return no_such_conversation(request)
    await write(request, record_review, conversation_id, request.ctx.session.name)
    return back_to(conversation_id)


@bp.post("/conversation/<conversation_id:int>/note")
@requires()
async def add_note(request: Request, conversation_id: int):
    text = (request.form.get("text") or "").strip()
    if not text or len(text) > MAX_NOTE:
        return render(request, "error.html", 400,
                      message=f"A note is 1 to {MAX_NOTE} characters.")
    if not await known(request, conversation_id):
        return no_such_conversation(request)
    await write(request, record_note, conversation_id, request.ctx.session.name, text)
    return back_to(conversation_id)


@bp.post("/conversation/<conversation_id:int>/tag")
@requires()
async def add_tag(request: Request, conversation_id: int):
    tag = (request.form.get("tag") or "").strip().lower()
    if not tag or len(tag) > 40 or not set(tag) <= TAG_CHARS:
        return render(request, "error.html", 400, message=(
            "A tag is 1 to 40 letters, digits, spaces, dashes or underscores."))
    if not await known(request, conversation_id):
        return no_such_conversation(request)
    await write(request, record_tag, conversation_id, request.ctx.session.name, tag)
    return back_to(conversation_id)
