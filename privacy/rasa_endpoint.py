"""The Rasa server's deletion endpoint: `POST /webhooks/privacy/erase` (docs/data-rights.md, 2.2).

A custom "channel" (credentials.yml names `privacy.rasa_endpoint.ErasureEndpoint`), so it runs in
the Rasa server, where the conversation's lock and the tracker store are: the staff console (an
admin's deletion at a patient's request) and retention call it. It takes the same lock a message
of the patient takes, so a replica handling a message of that patient finishes first and its
events are deleted too. Once none of the sender's events is left, the channel the patient wrote
from forgets them too (their language, their number for staff replies).

The token is the one of Rasa's HTTP API: the `--auth-token` the server was started with (every
launcher passes it), else RASA_API_TOKEN, else var/api_token. No log line carries the sender id.
"""

from __future__ import annotations

import hmac
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from channels.common import forget_deleted_sender
from privacy import erasure
from serving.rasa_patches import storage_errors

logger = logging.getLogger(__name__)

API_TOKEN_FILE = Path(__file__).resolve().parent.parent / "var" / "api_token"
# The chat's own reason (the policy and the tracker store): never given through this endpoint.
REASONS = tuple(r for r in erasure.REASONS if r != erasure.PATIENT_REQUEST)
MAX_EVENT_ID = 2**63 - 1  # PostgreSQL's bigint: above it the database would fail
MAX_SENDER_ID = 255  # the events table's column
MAX_ACTOR = 80  # privacy_erasures.actor


def _token_argument(argv: list[str]) -> str:
    for index, arg in enumerate(argv):
        if arg == "--auth-token" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--auth-token="):
            return arg.split("=", 1)[1]
    return ""


def api_token(argv: list[str] | None = None) -> str:
    """The token of Rasa's HTTP API; "" when none is configured."""
    token = _token_argument(sys.argv if argv is None else argv).strip()
    token = token or os.environ.get("RASA_API_TOKEN", "").strip()
    if not token and API_TOKEN_FILE.exists():
        token = API_TOKEN_FILE.read_text().strip()
    return token


def _bearer(request: Request) -> str:
    scheme, _, value = (request.headers.get("Authorization") or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


class BadRequest(ValueError):
    pass


def parse_body(body: Any) -> tuple[str, str, str, int | None]:
    """(sender_id, reason, actor, up_to_event_id) of a request body, or BadRequest."""
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    sender_id, reason, actor = body.get("sender_id"), body.get("reason"), body.get("actor")
    up_to = body.get("up_to_event_id")
    if not isinstance(sender_id, str) or not sender_id.strip() \
            or len(sender_id) > MAX_SENDER_ID:
        raise BadRequest("sender_id: a non-empty text of at most 255 characters")
    if reason not in REASONS:
        raise BadRequest(f"reason: one of {', '.join(REASONS)}")
    if not isinstance(actor, str) or not actor.strip() or len(actor) > MAX_ACTOR:
        raise BadRequest("actor: a non-empty text of at most 80 characters")
    if up_to is not None and (isinstance(up_to, bool) or not isinstance(up_to, int)
                              or not 1 <= up_to <= MAX_EVENT_ID):
        raise BadRequest("up_to_event_id: a positive whole number, or null")
    return sender_id, reason, actor.strip(), up_to


def _error(status: int, message: str) -> response.HTTPResponse:
    return response.json({"error": message}, status=status)


class ErasureEndpoint(InputChannel):
    """Not a chat channel: the deletion of a conversation, for the console and retention."""

    @classmethod
    def name(cls) -> str:
        return "privacy"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        blueprint = Blueprint("privacy_erasure", __name__)

        @blueprint.route("/erase", methods=["POST"])
        async def erase(request: Request) -> response.HTTPResponse:
            expected = api_token()
            if not expected:
                return _error(503, "the server has no API token configured")
            if not hmac.compare_digest(_bearer(request).encode(), expected.encode()):
                return _error(401, "missing or wrong token")
            try:
                sender_id, reason, actor, up_to = parse_body(request.json)
            except BadRequest as bad:
                return _error(400, str(bad))
            except InvalidUsage:  # Sanic's own: the body is not JSON
                return _error(400, "the body must be JSON")
            agent = request.app.ctx.agent
            store = getattr(agent, "tracker_store", None)
            if not hasattr(store, "erase") or getattr(agent, "lock_store", None) is None:
                return _error(503, "this server's tracker store cannot delete")
            try:
                async with agent.lock_store.lock(sender_id):
                    erased = store.erase(sender_id, reason=reason, actor=actor,
                                         up_to_event_id=up_to)
            except storage_errors() as error:
                logger.error("Erasure not done, storage unavailable: %s",
                             type(error).__name__)
                return _error(503, "storage unavailable; nothing was deleted")
            logger.info("Erased %d events (reason %s)", erased.events, reason)
            if erased.events and not erased.events_left:
                await forget_deleted_sender(erased.channel, erased.sender_id)
            return response.json({"sender_id": erased.sender_id, "events": erased.events,
                                  "up_to_event_id": erased.up_to_event_id,
                                  "channel": erased.channel})

        return blueprint
