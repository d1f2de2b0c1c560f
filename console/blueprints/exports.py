"""Exports for admins: the filtered list or one conversation's transcript, as CSV or JSON; each
export is audited. Data, not pages: signed out is 401 and not an admin is 403, as JSON."""

from __future__ import annotations

import csv
import io
import json

from sanic import Blueprint, response
from sanic.request import Request

from console import db, queries
from console.auth import requires
from console.blueprints.conversations import load_conversation
from console.queries import Filters
from console.tracker import utc
from console.web import fresh_index, read, write

bp = Blueprint("exports", url_prefix="/export")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIST_HEADER = ["conversation_id", "sender_id", "started", "last", "channel", "language", "messages",
               "first_question", "escalation", "fallback_turns", "reviewed_by", "tags"]
# "staff": who sent a reply during a handoff (empty for the assistant's and the patient's turns).
TRANSCRIPT_HEADER = ["time", "kind", "text", "channel", "intent", "confidence", "findings",
                     "escalation", "signs", "staff"]
FINDING_KEYS = ("sign", "label", "level", "text", "start", "end", "rule")


# Filters whose value staff type freely: the text searched for may be a patient's own words, a
# tag a patient's name. The audit log says that they were used and how long they were, not what
# they were, so a deletion at the patient's request leaves none of their words in it.
TYPED_FILTERS = ("q", "tag")


def audited_filters(filters: Filters) -> dict[str, str]:
    query = filters.as_query()
    return {k: f"({len(v)} characters)" if k in TYPED_FILTERS else v for k, v in query.items()}


def csv_cell(value) -> str:
    """The value as text; one a spreadsheet would run as a formula starts with '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_response(header: list[str], rows: list[list], filename: str) -> response.HTTPResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[csv_cell(v) for v in row] for row in rows])
    return response.text(out.getvalue(), content_type="text/csv; charset=utf-8",
                         headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def json_download(payload: dict, filename: str) -> response.HTTPResponse:
    return response.json(payload, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


def list_record(s: queries.Summary) -> dict:
    return {
        "conversation_id": s.id, "sender_id": s.sender_id, "started": utc(s.started),
        "last": utc(s.last), "channel": s.channel, "language": s.language,
        "messages": s.messages,
        "first_question": s.first_question, "escalation": s.level,
        "fallback_turns": s.fallback_turns,
        "reviewed_by": (s.reviewed or {}).get("by", ""), "tags": s.tags,
    }


def turn_record(t) -> dict:
    return {
        "time": utc(t.timestamp), "kind": t.kind, "text": t.text, "channel": t.channel,
        "intent": t.intent, "confidence": t.confidence,
        "findings": [{k: f.get(k) for k in FINDING_KEYS} for f in t.findings],
        "escalation": t.level, "signs": t.signs, "staff": t.staff,
    }


def transcript_cell(record: dict, key: str):
    if key == "findings":
        return json.dumps(record[key])
    if key == "signs":
        return " ".join(record[key])
    return record[key]


async def export_list(request: Request, fmt: str) -> response.HTTPResponse:
    filters = Filters.from_args(request.args)
    low_confidence = request.app.ctx.settings.low_confidence
    await fresh_index(request)
    found = await read(request, lambda conn: list(
        queries.all_conversations(conn, filters, low_confidence)))
    await write(request, db.audit, request.ctx.session.name, "export_list", None, format=fmt,
                filters=audited_filters(filters), conversations=len(found))
    records = [list_record(s) for s in found]
    if fmt == "json":
        return json_download({"filters": filters.as_query(), "conversations": records},
                             "conversations.json")
    header = list(records[0]) if records else LIST_HEADER
    rows = [[" ".join(r["tags"]) if k == "tags" else r[k] for k in header] for r in records]
    return csv_response(header, rows, "conversations.csv")


async def export_one(request: Request, fmt: str, conversation_id: int) -> response.HTTPResponse:
    row, turns, extras = await load_conversation(request, conversation_id)
    if row is None:
        return response.json({"error": "no such conversation"}, status=404)
    await write(request, db.audit, request.ctx.session.name, "export_conversation",
                conversation_id, format=fmt)
    records = [turn_record(t) for t in turns]
    name = f"conversation-{conversation_id}.{fmt}"
    if fmt == "json":
        review = extras["review"]
        return json_download({
            "conversation_id": conversation_id, "sender_id": row["sender_id"],
            "language": row["language"], "turns": records, "tags": extras["tags"],
            "review": {"by": review.reviewed_by, "at": utc(review.reviewed_at)} if review else None,
            "notes": [{"author": n.author, "at": utc(n.at), "text": n.text}
                      for n in extras["notes"]],
        }, name)
    rows = [[transcript_cell(r, k) for k in TRANSCRIPT_HEADER] for r in records]
    return csv_response(TRANSCRIPT_HEADER, rows, name)


@bp.get("/conversations.csv")
@requires("admin", kind="data")
async def list_csv(request: Request):
    return await export_list(request, "csv")


@bp.get("/conversations.json")
@requires("admin", kind="data")
async def list_json(request: Request):
    return await export_list(request, "json")


@bp.get("/conversation/<conversation_id:int>/transcript.csv")
@requires("admin", kind="data")
async def transcript_csv(request: Request, conversation_id: int):
    return await export_one(request, "csv", conversation_id)


@bp.get("/conversation/<conversation_id:int>/transcript.json")
@requires("admin", kind="data")
async def transcript_json(request: Request, conversation_id: int):
    return await export_one(request, "json", conversation_id)
