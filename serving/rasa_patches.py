"""Changes to Rasa 3.6's server, applied by `python -m serving` before Rasa starts.

Each one is small, keeps Rasa's behaviour, and exists for a measured reason (README, "Speed") or a
safety one:

- custom-action replies are validated with a schema compiled once (Rasa re-checks the schema
  itself against the JSON-Schema meta-schema on every call: about 10 ms per action);
- calls to an endpoint (action server, NLG, model server...) reuse one HTTP connection pool
  instead of a new session each time, with Rasa's own timeout;
- a custom-action call is given up after ACTION_TIMEOUT_SECONDS (production/settings.env; unset:
  Rasa's 300 s). Only the action endpoint: `RemoteAction.run` passes `timeout=
  DEFAULT_REQUEST_TIMEOUT` on every request, which overrides any session timeout, so the limit is
  put on the request itself, on the endpoint object every `RemoteAction` calls. A call that times
  out fails like an action server that is down: Rasa logs it and drops the action's events, and
  the SafetyFirstRulePolicy then sends `utter_safety_fallback` (the emergency number and the
  clinic's phone) before answering the question;
- event types are looked up in a table instead of walking every Event subclass per event;
- the project's spaCy pipeline (models/spacy_en) is loaded once per server, not three times
  (Rasa's SpacyNLP loads it for each of its two graph nodes, the safety layer a third time):
  about 1 s of every start, the time a replica restarted after a crash is out of service;
- the model's graph (NLU components, policies) runs its nodes in a precomputed order instead of
  building and scheduling a dask graph three or four times per message (`RASA_ORDERED_GRAPH=0`
  keeps Rasa's dask runner);
- the tracker store is used as given: Rasa wraps it in a FailSafeTrackerStore that, when the
  database fails, starts an empty conversation and keeps it in memory. Here a storage failure
  (tracker store or lock store) is logged and the patient gets the safe static reply instead;
  and when the tracker store deleted the conversation instead of saving the message (the patient
  confirmed it, docs/data-rights.md), the patient gets `utter_erasure_done` once the deletion is
  committed (never when it failed: the safe reply then);
- Rasa's structured log lines carry no patient text;
- a new session keeps the staff member who has the conversation (the `handoff_by` slot,
  docs/handoff.md): `carry_over_slots_to_new_session` stays false for every other slot, and
  Rasa's own ConversationPaused, which a new session would silently end, is not used.

Lock waiters that never stall are not a patch: they are lock-store classes that endpoints.yml
names (serving/lock_stores.py).

**Guarded.** Every patch replaces, wraps or relies on code of one Rasa release. `apply()` first
checks that the installed Rasa is `RASA_VERSION` and that everything each patch replaces or relies
on still has the source the patch was written against (`FINGERPRINTS`: the sha256 of
`inspect.getsource`). On any difference it raises `PatchMismatch`, naming the patch, the Rasa
object and the expected and found fingerprint (or version), and the server does not start. After
upgrading Rasa: read the new source of each object named, adapt the patch (or drop it), then
record the new fingerprints (`python -m serving.rasa_patches` prints them).

**Why the log redaction is still a patch** (checked on Rasa 3.6.21 Open Source): Rasa passes every
structured log line through `rasa.utils.log_utils._anonymizer`, which rewrites the keys that can
hold user data only through `plugin_manager().hook.get_anonymization_pipeline()`. That is a pluggy
hook for Rasa Pro: `rasa/plugin.py` discovers implementations only by importing `rasa_plus`;
`rasa/anonymization/` does not exist in Open Source; the docs' "PII Management" page
(rasa.com/docs/rasa/pii-management/, "New in 3.6") is marked "Rasa Pro Only". Registering our own
implementation of that hook would be off-label too, and it would also switch on
`MessageProcessor.run_anonymization_pipeline`, which reads the whole tracker from the tracker store
again after every message. So `_anonymizer` is replaced, under the same version and fingerprint
guard as the other patches.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import importlib
import inspect
import logging
import math
import os
from collections.abc import Callable
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

SAFE_REPLY = "utter_safety_fallback"
ERASURE_DONE = "utter_erasure_done"  # the conversation was deleted (docs/data-rights.md)

# The Rasa release every patch below was written against.
RASA_VERSION = "3.6.21"

# For each patch, what it replaces, wraps or relies on in Rasa ("module:qualified.name"), with the
# sha256 of that object's source (`inspect.getsource`) in RASA_VERSION. The last entry is not a
# patch: serving/lock_stores.py overrides those methods and checks them when Rasa creates the lock
# store.
FINGERPRINTS: dict[str, dict[str, str]] = {
    "compile_action_response_schema": {
        "rasa.core.actions.action:RemoteAction._validate_action_result":
            "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42",
    },
    "pool_endpoint_connections": {
        "rasa.utils.endpoints:EndpointConfig.session":
            "e55aa13d9d4fb4bc440ac33b870a97ee162b76dda7ccb6bf68433567475fdffb",
        "rasa.utils.endpoints:EndpointConfig.request":
            "ccdb778aed8208e23cde3c3f47eac7fbbbb735dac8f7ef7254d54451c64ad608",
    },
    "bound_action_calls": {
        "rasa.core.actions.action:RemoteAction.__init__":
            "69103389ee02de80ac78baf49a0b7079d291ed51b70fdf9ee5ddb1684d86109c",
        # Passes `timeout=DEFAULT_REQUEST_TIMEOUT` to `self.action_endpoint.request`.
        "rasa.core.actions.action:RemoteAction.run":
            "ccabf6f1160d527a157fad5bd285ce69e8221b1bcad23f8a61499b4360a1c17e",
        "rasa.utils.endpoints:EndpointConfig.request":
            "ccdb778aed8208e23cde3c3f47eac7fbbbb735dac8f7ef7254d54451c64ad608",
    },
    "table_of_event_types": {
        "rasa.shared.core.events:Event.resolve_by_type":
            "b5cf570fa7f286c7059ec73d8880528d03a78b28cf4e80285a46079c0fa65968",
    },
    "one_spacy_pipeline": {
        # `create` (both graph nodes) loads the model through `load_model`, a staticmethod.
        "rasa.nlu.utils.spacy_utils:SpacyNLP.load_model":
            "2e68d488b5c7a4f00b35fbb91810c3aa04f12a30eca9ad88b5d1963a2d7ad525",
        "rasa.nlu.utils.spacy_utils:SpacyNLP.create":
            "59142d79b0abc24107589f10cebae47cee76dac7f8b4986cc084091fdb34110f",
    },
    "run_graphs_in_order": {
        "rasa.engine.runner.dask:DaskGraphRunner":
            "78a7d146c5c06d4cfd29638bbb20192183bfcd8cc69d2cb2be198c8e87a4c134",
        # Loads the model with `rasa.core.processor.DaskGraphRunner`, the name replaced.
        "rasa.core.processor:MessageProcessor._load_model":
            "17f24faf96817bdf63af426fcbf3e2d830731a801573e448c070fc0ebb396ad2",
    },
    "no_silent_store_fallback": {
        "rasa.core.agent:Agent._create_tracker_store":
            "97499b594b45581b2c6d8ff7adb9083af24eba85654995a40350de65633ca574",
        "rasa.core.agent:Agent.handle_message":
            "ba53507e4d5532a38d3615aa1968deba6a8086e4fb9601b1526749b132c06308",
        # The deletion's confirmation: the tracker is saved once, last, in the awaited call (so
        # the tracker store's `erased_in_this_message` is seen here), and the policy's events
        # of an `action_listen` prediction (`erasure_confirmed`) are applied to the tracker.
        "rasa.core.processor:MessageProcessor.handle_message":
            "0c41d4780d2d46769ef2ae2b3f450b88d2602e916590e8be9975aa474db9f7f4",
        "rasa.core.processor:MessageProcessor._log_action_on_tracker":
            "d973d12a6d0a3623a8b0c9c2274c5b3008f5eaa3f19aa73311845702e4ed16f9",
    },
    "redact_patient_text_in_logs": {
        "rasa.utils.log_utils:_anonymizer":
            "4820873159dbcd5a850fd84f9b0c7d94605d8e74bc8c26c30eef58f0acb7298c",
        # Reads the module's `_anonymizer` when it configures structlog.
        "rasa.utils.log_utils:configure_structlog":
            "80c9dcfa47c776b56ce43da8d03bc56f6bf7b0116d0167617f33996f17e7b6cc",
    },
    "carry_over_handoff": {
        "rasa.core.actions.action:ActionSessionStart.run":
            "c2e7c99a94ca57a5574af2ed0d009286839dd8cbf9803ada00bcb45550857633",
    },
    # serving/lock_stores.py
    "lock_waiters_never_stall": {
        "rasa.core.lock_store:LockStore.lock":
            "8b9b716c031a34445100c32e7123859553831d2ac4747ae2b47a581f137ea371",
        "rasa.core.lock_store:LockStore._acquire_lock":
            "ead2fff373291c24619f2a2b53453f64ed2975ed68f53dce0e56041061356f05",
        # How Rasa builds a lock store named by module path, and its Redis store.
        "rasa.core.lock_store:_load_from_module_name_in_endpoint_config":
            "5479347bbb2762be0c534c374eecaf0205410a44c3a7cc5f43405af9e9f06316",
        "rasa.core.lock_store:_create_from_endpoint_config":
            "ae5a478106fa1e5abf99a4c73aaa592110385ba8fd0db0ba9204f44bf82ef96c",
    },
}


class StartupRefused(RuntimeError):
    """The Rasa server must not start: the message says why."""


class PatchMismatch(StartupRefused):
    """The installed Rasa is not the one a patch was written against."""


def fingerprint(obj: Any) -> str:
    return hashlib.sha256(inspect.getsource(obj).encode()).hexdigest()


def resolve(target: str) -> Any:
    """The object named "module:qualified.name"."""
    module_name, _, qualified = target.partition(":")
    obj: Any = importlib.import_module(module_name)
    for name in qualified.split("."):
        obj = getattr(obj, name)
    return obj


def check(patch: str, rasa_version: str | None = None,
          resolve: Callable[[str], Any] = resolve) -> None:
    """Raise PatchMismatch unless Rasa is RASA_VERSION and everything `patch` replaces or relies
    on has the fingerprint recorded in FINGERPRINTS."""
    if rasa_version is None:
        import rasa

        rasa_version = rasa.__version__
    where = f"serving/rasa_patches.py, patch {patch!r}"
    if rasa_version != RASA_VERSION:
        raise PatchMismatch(
            f"{where}: written for Rasa {RASA_VERSION}, found Rasa {rasa_version}. Check the patch "
            "against the new Rasa, then update RASA_VERSION and FINGERPRINTS.")
    for target, expected in FINGERPRINTS[patch].items():
        found = fingerprint(resolve(target))
        if found != expected:
            raise PatchMismatch(
                f"{where}: Rasa's {target} is not the code the patch was written for "
                f"(expected sha256 {expected}, found {found}). Read its new source, adapt the "
                "patch, then update FINGERPRINTS.")


def check_all() -> None:
    for patch in FINGERPRINTS:
        check(patch)


# --- applying ------------------------------------------------------------------------------------
_applied = False


def applied() -> bool:
    return _applied


def ordered_graph() -> bool:
    """RASA_ORDERED_GRAPH: 1 (default) runs the model graph in order, 0 with Rasa's dask runner."""
    value = os.environ.get("RASA_ORDERED_GRAPH", "1").strip() or "1"
    if value not in ("0", "1"):
        raise StartupRefused(f"RASA_ORDERED_GRAPH must be 0 or 1, found {value!r}")
    return value == "1"


def patches() -> dict[str, Callable[[], None]]:
    """The patches to apply, by their name in FINGERPRINTS, in order."""
    selected = {
        "compile_action_response_schema": _compile_action_response_schema,
        "pool_endpoint_connections": _pool_endpoint_connections,
        "bound_action_calls": _bound_action_calls,
        "table_of_event_types": _table_of_event_types,
        "one_spacy_pipeline": _one_spacy_pipeline,
        "run_graphs_in_order": _run_graphs_in_order,
        "no_silent_store_fallback": _no_silent_store_fallback,
        "redact_patient_text_in_logs": _redact_patient_text_in_logs,
        "carry_over_handoff": _carry_over_handoff,
    }
    if not ordered_graph():
        del selected["run_graphs_in_order"]
    return selected


def apply() -> None:
    """Check every patch first (refusing on any mismatch), then apply them all."""
    global _applied
    if _applied:
        return
    selected = patches()
    action_timeout()  # refuses a malformed ACTION_TIMEOUT_SECONDS now, not at the first action
    for name in selected:
        check(name)
    for patch in selected.values():
        patch()
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
            session = aiohttp.ClientSession(
                headers=self.headers, auth=auth,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
            )
            pooled = self._pooled_session = (loop, session)
        return _Borrowed(pooled[1])

    EndpointConfig.session = pooled_session


def action_timeout() -> float:
    """ACTION_TIMEOUT_SECONDS, or Rasa's own limit (DEFAULT_REQUEST_TIMEOUT, 300 s) when unset."""
    from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT

    value = os.environ.get("ACTION_TIMEOUT_SECONDS", "").strip()
    if not value:
        return float(DEFAULT_REQUEST_TIMEOUT)
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not 0 < seconds < math.inf:
        raise StartupRefused(
            f"ACTION_TIMEOUT_SECONDS must be a positive number of seconds, found {value!r}")
    return seconds


class ActionTimeout(asyncio.TimeoutError):
    """The action server did not answer a custom-action call within ACTION_TIMEOUT_SECONDS."""


def _bound_action_calls() -> None:
    """ACTION_TIMEOUT_SECONDS bounds a custom action (Rasa's own limit is 5 minutes), so a hung
    action server cannot hold a patient, or outlive the conversation's ticket lock."""
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    class ActionEndpointConfig(EndpointConfig):
        """The action endpoint as `RemoteAction` calls it: each request is given up after
        ACTION_TIMEOUT_SECONDS, whatever timeout the caller passes (RemoteAction.run: 300 s)."""

        async def request(self, *args: Any, **kwargs: Any) -> Any:
            seconds = action_timeout()
            kwargs["timeout"] = aiohttp.ClientTimeout(total=seconds)
            try:
                return await super().request(*args, **kwargs)
            except asyncio.TimeoutError as error:
                raise ActionTimeout(
                    f"no answer from the action server within {seconds:g} s "
                    "(ACTION_TIMEOUT_SECONDS)") from error

    def for_actions(endpoint: EndpointConfig | None) -> EndpointConfig | None:
        """The bounded twin of `endpoint`, made once per endpoint (so its connection pool is
        shared by every RemoteAction); the endpoint itself is left as it is."""
        if endpoint is None or isinstance(endpoint, ActionEndpointConfig):
            return endpoint
        twin = endpoint.__dict__.get("_for_actions")
        if twin is None:
            twin = ActionEndpointConfig(
                endpoint.url, endpoint.params, endpoint.headers, endpoint.basic_auth,
                endpoint.token, endpoint.token_name, endpoint.cafile, **endpoint.kwargs)
            twin.type = endpoint.type
            endpoint._for_actions = twin
        return twin

    init = RemoteAction.__init__

    @functools.wraps(init)
    def remote_action_init(self: RemoteAction, name: str,
                           action_endpoint: EndpointConfig | None) -> None:
        init(self, name, for_actions(action_endpoint))

    RemoteAction.__init__ = remote_action_init


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
def _one_spacy_pipeline() -> None:
    from pathlib import Path

    from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP

    from nlp.spacy_pipeline import PIPELINE_DIR, load_pipeline

    original = SpacyNLP.load_model

    @functools.cache
    def load_model(spacy_model_name: str) -> SpacyModel:
        if spacy_model_name and Path(spacy_model_name).resolve() == PIPELINE_DIR.resolve() \
                and (PIPELINE_DIR / "meta.json").exists():
            # the pipeline `make spacy` saved with the installed spaCy: the safety layer's object
            return SpacyModel(model=load_pipeline(), model_name=spacy_model_name)
        return original(spacy_model_name)  # any other model: Rasa's checks, once per name

    SpacyNLP.load_model = staticmethod(load_model)


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
def storage_errors() -> tuple[type[BaseException], ...]:
    """What a storage failure raises: the tracker store's database or the lock store."""
    import redis.exceptions
    import sqlalchemy.exc
    from rasa.core.lock_store import LockError

    return (sqlalchemy.exc.SQLAlchemyError, redis.exceptions.RedisError, LockError,
            ConnectionError)


def _no_silent_store_fallback() -> None:
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    from privacy import erasure

    def message_language(message: Any) -> str:
        """The safe reply's language when the conversation cannot be read: the message's own,
        when it is surely Spanish."""
        from nlp.language_choice import decided_language
        from nlp.language_id import identify

        try:
            return decided_language(identify(message.text or "")) or "en"
        except Exception:  # noqa: BLE001 - the safe reply goes out whatever happens here
            return "en"

    def create_tracker_store(store: Any, domain: Any) -> Any:
        if store is None:
            return InMemoryTrackerStore(domain)
        store.domain = domain
        return store

    Agent._create_tracker_store = staticmethod(create_tracker_store)
    errors = storage_errors()
    handle_message = Agent.handle_message

    async def send_static(self: Agent, message: Any, name: str, language: str = "en") -> None:
        # Rendered on an empty tracker: only the clinic's details (slot initial values) and the
        # language, which picks the response's Spanish variation (docs/languages.md).
        tracker = DialogueStateTracker.from_events(message.sender_id, [], self.domain.slots)
        tracker.update(SlotSet("language", language))
        reply = await self.nlg.generate(name, tracker, message.output_channel.name())
        if reply and message.output_channel is not None:
            await message.output_channel.send_response(message.sender_id, reply)

    async def send_refusal(message: Any, refusal: str) -> None:
        """Why a confirmed deletion did not happen (content/safety.yml `erasure_<refusal>`: a
        template of the safety texts, so the reply needs no response in the trained model)."""
        from clinic import load_profile
        from content.model import safety_text

        if message.output_channel is not None:
            language = erasure.language_in_this_message.get()
            text = safety_text(f"erasure_{refusal}", language=language,
                               **load_profile().as_slots(language))
            await message.output_channel.send_response(message.sender_id, {"text": text})

    async def handle_message_or_safe_reply(self: Agent, message: Any) -> Any:
        erasure.erased_in_this_message.set(None)
        erasure.refused_in_this_message.set(None)
        erasure.language_in_this_message.set("en")
        try:
            result = await handle_message(self, message)
        except errors as error:
            # The conversation cannot be read or saved: say so, with the numbers to call, rather
            # than answer without the patient's history. The message text is not logged. A
            # deletion that failed here is not confirmed.
            logger.error("Storage unavailable, sent the safe reply: %s: %s",
                         type(error).__name__, " ".join(str(error).split())[:300])
            await send_static(self, message, SAFE_REPLY, message_language(message))
            return None
        if erasure.erased_in_this_message.get() is not None:
            # The tracker store deleted the conversation instead of saving this message, and
            # committed, under the lock, which handle_message has released by now.
            await send_static(self, message, ERASURE_DONE,
                              erasure.language_in_this_message.get())
        elif erasure.refused_in_this_message.get() is not None:
            await send_refusal(message, erasure.refused_in_this_message.get())
        return result

    Agent.handle_message = handle_message_or_safe_reply


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
    can hold what a patient wrote only when a Rasa Pro plugin is installed (see the module
    docstring). Here those keys are always replaced, at every log level: a client that
    disconnects, for one, makes Rasa log the message text as an error."""
    import rasa.utils.log_utils as log_utils

    def redact(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
        for key in PATIENT_KEYS.intersection(event_dict):
            event_dict[key] = REDACTED
        return event_dict

    log_utils._anonymizer = redact


# --- handoff to a person ------------------------------------------------------------------------
def _carry_over_handoff() -> None:
    """Rasa's session start carries over every slot or none (`carry_over_slots_to_new_session`);
    the staff member who has the conversation must survive it, the rest must not (a new session
    starts with a new welcome and no escalation). So `handoff_by` alone is set again, right
    after `session_started`, when the previous session ended with it set."""
    from rasa.core.actions.action import ActionSessionStart
    from rasa.shared.core.events import SessionStarted, SlotSet

    from rasa_components.handoff import SLOT_HANDOFF

    run = ActionSessionStart.run

    async def run_keeping_handoff(self: ActionSessionStart, output_channel: Any, nlg: Any,
                                  tracker: Any, domain: Any) -> list:
        events = await run(self, output_channel, nlg, tracker, domain)
        holder = tracker.get_slot(SLOT_HANDOFF) if SLOT_HANDOFF in tracker.slots else None
        carried = any(isinstance(e, SlotSet) and e.key == SLOT_HANDOFF for e in events)
        if holder and not carried and events and isinstance(events[0], SessionStarted):
            events.insert(1, SlotSet(SLOT_HANDOFF, holder))
        return events

    ActionSessionStart.run = run_keeping_handoff


if __name__ == "__main__":
    # The fingerprints of the installed Rasa, to compare with (or paste into) FINGERPRINTS.
    import rasa

    print(f"Rasa {rasa.__version__}")
    for patch, targets in FINGERPRINTS.items():
        print(f"{patch}:")
        for target, expected in targets.items():
            found = fingerprint(resolve(target))
            print(f"  {target}: {found}{'' if found == expected else '  (differs)'}")
