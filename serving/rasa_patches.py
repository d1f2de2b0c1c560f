"""Changes to Rasa 3.6's server, applied by `python -m serving` before Rasa starts.

Each one is small, keeps Rasa's behaviour, and exists for a measured reason (README, "Speed") or a
safety one:

- custom-action replies are validated with a schema compiled once (Rasa re-checks the schema
  itself against the JSON-Schema meta-schema on every call: about 10 ms per action);
- calls to the action server reuse one HTTP connection pool instead of a new session each time,
  and give up after ACTION_TIMEOUT_SECONDS (production/settings.env);
- event types are looked up in a table instead of walking every Event subclass per event;
- the model's graph (NLU components, policies) runs its nodes in a precomputed order instead of
  building and scheduling a dask graph three or four times per message;
- the tracker store is used as given: Rasa wraps it in a FailSafeTrackerStore that, when the
  database fails, starts an empty conversation and keeps it in memory. Here a storage failure
  (tracker store or lock store) is logged and the patient gets the safe static reply instead;
- a message waiting for its conversation's lock is never stuck: in Rasa, if its ticket runs out
  while it waits (the message before it was on a replica that died), it waits for ever;
- Rasa's structured log lines carry no patient text (Rasa's own anonymiser hook redacts the keys).
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

SAFE_REPLY = "utter_safety_fallback"
_applied = False


def applied() -> bool:
    return _applied


def apply() -> None:
    global _applied
    if _applied:
        return
    _compile_action_response_schema()
    _pool_endpoint_connections()
    _table_of_event_types()
    _run_graphs_in_order()
    _no_silent_store_fallback()
    _lock_waiters_never_stall()
    _redact_patient_text_in_logs()
    _applied = True


# --- custom-action calls -------------------------------------------------------------------------
def _compile_action_response_schema() -> None:
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # once, here, instead of on every call
    validator = validator_class(schema)

    def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        try:
            validator.validate(result)
            return True
        except ValidationError as e:
            e.message += (
                ". Failed to validate Action server response from API, make sure your response "
                f"from the Action endpoint is valid. See {DOCS_BASE_URL}/custom-actions"
            )
            raise e

    RemoteAction._validate_action_result = validate_action_result


# Shorter than the action server's keep-alive (Sanic: 5 s), so an idle connection is never
# reused just as the server closes it.
KEEPALIVE_SECONDS = 2.0


def _pool_endpoint_connections() -> None:
    from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
    from rasa.utils.endpoints import EndpointConfig

    class _Borrowed:
        """`async with endpoint.session()` borrows the pooled session and leaves it open."""

        def __init__(self, session: aiohttp.ClientSession) -> None:
            self.session = session

        async def __aenter__(self) -> aiohttp.ClientSession:
            return self.session

        async def __aexit__(self, *exc: object) -> None:
            return None

    def pooled_session(self: EndpointConfig) -> _Borrowed:
        # Same headers, auth and timeout as Rasa's own session; one per endpoint and event loop.
        loop = asyncio.get_running_loop()
        pooled = getattr(self, "_pooled_session", None)
        if pooled is None or pooled[0] is not loop or pooled[1].closed:
            auth = (aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
                    if self.basic_auth else None)
            # ACTION_TIMEOUT_SECONDS bounds a custom action (Rasa's own limit is 5 minutes),
            # so a hung action server cannot outlive the conversation's ticket lock.
            timeout = float(os.environ.get("ACTION_TIMEOUT_SECONDS") or DEFAULT_REQUEST_TIMEOUT)
            session = aiohttp.ClientSession(
                headers=self.headers, auth=auth,
                timeout=aiohttp.ClientTimeout(total=timeout),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
            )
            pooled = self._pooled_session = (loop, session)
        return _Borrowed(pooled[1])

    EndpointConfig.session = pooled_session


# --- tracker deserialisation ---------------------------------------------------------------------
def _table_of_event_types() -> None:
    from rasa.shared.core.events import Event

    original = Event.resolve_by_type
    table: dict[str, type] = {}

    def resolve_by_type(type_name: str, default: Any = None) -> Any:
        cls = table.get(type_name)
        if cls is None:
            cls = original(type_name, default)  # raises for unknown names, as before
            if cls is not None and cls is not default:
                table[type_name] = cls
        return cls

    Event.resolve_by_type = staticmethod(resolve_by_type)


# --- model graph ---------------------------------------------------------------------------------
def _run_graphs_in_order() -> None:
    import rasa.core.processor
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.runner.dask import DaskGraphRunner

    class OrderedGraphRunner(DaskGraphRunner):
        """DaskGraphRunner's results, without dask: each node runs once, after its inputs, in an
        order worked out once per set of targets. Inputs and outputs are passed exactly as dask
        passes them ((name, value) pairs)."""

        def run(self, inputs: dict | None = None, targets: list | None = None) -> dict:
            run_targets = targets if targets else self._graph_schema.target_names
            plan = self._plan(tuple(run_targets), frozenset(inputs or ()))
            results = {}
            for name, value in (inputs or {}).items():
                if isinstance(value, str) and value in self._graph_schema.nodes:
                    raise GraphRunError(f"Input value '{value}' clashes with a node name.")
                results[name] = (name, value)
            try:
                for node_name, needs in plan:
                    results[node_name] = self._instantiated_nodes[node_name](
                        *(results[need] for need in needs))
            except RuntimeError as e:
                raise GraphRunError("Error running runner.") from e
            return dict(results[target] for target in run_targets)

        def _plan(self, targets: tuple, given: frozenset) -> list[tuple[str, list[str]]]:
            """Nodes in dependency order; a node given as an input (a placeholder such as
            `__message__`) is not run, as in dask, where the input replaces it."""
            plans = self.__dict__.setdefault("_plans", {})
            if (targets, given) not in plans:
                schema = self._graph_schema.minimal_graph_schema(list(targets))
                order: list[tuple[str, list[str]]] = []
                placed: set[str] = set()

                def place(name: str) -> None:
                    if name in placed or name in given or name not in schema.nodes:
                        return
                    placed.add(name)
                    needs = list(schema.nodes[name].needs.values())
                    for need in needs:
                        place(need)
                    order.append((name, needs))

                for target in targets:
                    place(target)
                plans[targets, given] = order
            return plans[targets, given]

    rasa.core.processor.DaskGraphRunner = OrderedGraphRunner


# --- storage failures ----------------------------------------------------------------------------
def _storage_errors() -> tuple[type[BaseException], ...]:
    import redis.exceptions
    import sqlalchemy.exc
    from rasa.core.lock_store import LockError

    return (sqlalchemy.exc.SQLAlchemyError, redis.exceptions.RedisError, LockError,
            ConnectionError)


def _no_silent_store_fallback() -> None:
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.shared.core.trackers import DialogueStateTracker

    def create_tracker_store(store: Any, domain: Any) -> Any:
        if store is None:
            return InMemoryTrackerStore(domain)
        store.domain = domain
        return store

    Agent._create_tracker_store = staticmethod(create_tracker_store)
    errors = _storage_errors()
    handle_message = Agent.handle_message

    async def handle_message_or_safe_reply(self: Agent, message: Any) -> Any:
        try:
            return await handle_message(self, message)
        except errors as error:
            # The conversation cannot be read or saved: say so, with the numbers to call, rather
            # than answer without the patient's history. The message text is not logged.
            logger.error("Storage unavailable, sent the safe reply: %s: %s",
                         type(error).__name__, " ".join(str(error).split())[:300])
            tracker = DialogueStateTracker.from_events(message.sender_id, [], self.domain.slots)
            reply = await self.nlg.generate(SAFE_REPLY, tracker, message.output_channel.name())
            if reply and message.output_channel is not None:
                await message.output_channel.send_response(message.sender_id, reply)
            return None

    Agent.handle_message = handle_message_or_safe_reply


# --- conversation locks --------------------------------------------------------------------------
# How often a message waiting for its conversation's lock looks again (Rasa: 1 s). A patient often
# sends two short messages in a row; the second should not wait a whole second more.
LOCK_POLL_SECONDS = 0.25


def _lock_waiters_never_stall() -> None:
    from contextlib import asynccontextmanager

    from rasa.core.lock_store import LOCK_LIFETIME, LockStore

    @asynccontextmanager
    async def lock(self: LockStore, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = LOCK_POLL_SECONDS) -> Any:
        """Rasa's ticket lock: a message is served when its ticket is the first live one. When a
        replica dies holding the lock and both its ticket and the waiting message's run out
        between two looks, Rasa reads the first ticket as 0 and the message waits for ever. Here
        a waiter whose ticket ran out takes a new one, and releases the ticket it holds."""
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            while True:
                current = self.get_lock(conversation_id)
                live = ({t.number for t in current.tickets if not t.has_expired()}
                        if current else set())
                if ticket not in live:
                    ticket = self.issue_ticket(conversation_id, lock_lifetime)
                    continue
                if not current.is_locked(ticket):
                    break
                await asyncio.sleep(wait_time_in_seconds)
                self.update_lock(conversation_id)
            yield current
        finally:
            self.cleanup(conversation_id, ticket)

    LockStore.lock = lock


# --- logs ----------------------------------------------------------------------------------------
REDACTED = "[not logged]"
# The keys Rasa's `_anonymizer` (rasa/utils/log_utils.py) lists as able to hold patient data.
PATIENT_KEYS = frozenset({
    "text", "response_text", "user_text", "slot_values", "parse_data_text",
    "parse_data_entities", "prediction_events", "tracker_latest_message", "prefilled_slots",
    "message", "response", "slot_candidates", "rasa_event", "rasa_events", "tracker_states",
    "current_states", "old_states", "successes", "current_entity", "next_entity", "states",
    "entity", "token_text", "user_message", "json_message",
})


def _redact_patient_text_in_logs() -> None:
    """Rasa passes every structured log line through `_anonymizer`, which rewrites the keys that
    can hold what a patient wrote only when a Rasa Pro plugin is installed. Here those keys are
    always replaced, at every log level: a client that disconnects, for one, makes Rasa log the
    message text as an error."""
    import rasa.utils.log_utils as log_utils

    def redact(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
        for key in PATIENT_KEYS.intersection(event_dict):
            event_dict[key] = REDACTED
        return event_dict

    log_utils._anonymizer = redact
