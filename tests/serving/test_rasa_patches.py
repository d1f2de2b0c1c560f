"""serving/rasa_patches.py: each change keeps Rasa's behaviour and does what it is there for, and
none is applied to a Rasa it was not written for. (tests/conftest.py applies the patches for the
whole run; the action timeout, the model graph and the lock stores have their own files.)"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

from devtools.servers import ROOT
from serving import rasa_patches


def python(code: str, **env: str) -> subprocess.CompletedProcess:
    """`code` in a fresh interpreter (Rasa not yet patched), from the project's root."""
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={"PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3",
                                            "PATH": "/usr/bin:/bin", **env})


def test_the_patches_are_applied_for_every_test_file():
    assert rasa_patches.applied()


def remote_action() -> RemoteAction:
    return RemoteAction("action_x", EndpointConfig("http://127.0.0.1:9/webhook"))


def test_action_replies_are_validated_as_before():
    action = remote_action()
    assert action._validate_action_result({"events": [{"event": "slot", "name": "a",
                                                         "value": 1}], "responses": []})
    for bad in ({"events": "not a list"}, {"responses": [1]}, {"events": [{"event": 3}]}):
        with pytest.raises(ValidationError, match="Failed to validate Action server response"):
            action._validate_action_result(bad)


def test_validation_no_longer_checks_the_schema_every_time():
    from jsonschema import validate

    action, result = remote_action(), {"events": [], "responses": [{"text": "hi"}]}
    schema = RemoteAction.action_response_format_spec()

    def timed(call) -> float:
        start = time.perf_counter()
        for _ in range(20):
            call()
        return time.perf_counter() - start

    stock = timed(lambda: validate(result, schema))
    ours = timed(lambda: action._validate_action_result(result))
    assert ours * 10 < stock, (ours, stock)


def test_event_types_resolve_as_before():
    for cls in all_subclasses(Event):
        if getattr(cls, "type_name", None):
            assert Event.resolve_by_type(cls.type_name) is next(
                c for c in all_subclasses(Event) if c.type_name == cls.type_name)
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=InMemoryTrackerStore) \
        is InMemoryTrackerStore


def test_the_served_model_and_the_safety_layer_share_one_spacy_pipeline(agent):
    from rasa.nlu.utils.spacy_utils import SpacyNLP
    from rasa.shared.exceptions import RasaException

    from safety.language import detector_for

    nodes = [node._component for name, node in
             agent.processor.graph_runner._instantiated_nodes.items() if "SpacyNLP" in name]
    assert len(nodes) == 2  # the node that provides the model and the one that runs it
    models = {id(node.provide().model) for node in nodes}
    assert models == {id(detector_for("en").nlp)}
    doc = nodes[0].provide().model("It hurts to breathe since the injections")
    assert [t.lemma_ for t in doc][1:5] == ["hurt", "to", "breathe", "since"]
    # another model name still goes through Rasa's own loading and checks
    with pytest.raises(RasaException, match="available spaCy model"):
        SpacyNLP.load_model("no_such_spacy_model")


def test_the_tracker_store_is_not_wrapped_in_a_silent_fallback():
    store = InMemoryTrackerStore(Domain.empty())
    created = Agent._create_tracker_store(store, Domain.empty())
    assert created is store and not isinstance(created, FailSafeTrackerStore)


def test_the_strict_store_refuses_a_server_without_the_patches(tmp_path):
    run = python("from serving.tracker_store import StrictSQLTrackerStore\n"
                 f"StrictSQLTrackerStore(dialect='sqlite', db='{tmp_path}/t.db')\n")
    assert run.returncode != 0
    assert "python -m serving" in run.stderr


# --- the version and fingerprint guard -----------------------------------------------------------
def test_every_patch_has_its_fingerprints(monkeypatch):
    monkeypatch.delenv("RASA_ORDERED_GRAPH", raising=False)
    assert {*rasa_patches.patches(), "lock_waiters_never_stall"} == set(rasa_patches.FINGERPRINTS)
    for targets in rasa_patches.FINGERPRINTS.values():
        assert targets and all(len(sha) == 64 for sha in targets.values())


def test_a_patch_refuses_a_rasa_function_it_was_not_written_for():
    """The checker, pointed at another Rasa function than the one recorded, refuses, naming the
    patch, the object, and the expected and found fingerprints."""
    other = Event.from_parameters
    expected = rasa_patches.FINGERPRINTS["table_of_event_types"][
        "rasa.shared.core.events:Event.resolve_by_type"]
    with pytest.raises(rasa_patches.PatchMismatch) as refused:
        rasa_patches.check("table_of_event_types", resolve=lambda target: other)
    message = str(refused.value)
    assert "patch 'table_of_event_types'" in message
    assert "rasa.shared.core.events:Event.resolve_by_type" in message
    assert f"expected sha256 {expected}" in message
    assert f"found {rasa_patches.fingerprint(other)}" in message


def test_a_patch_refuses_another_rasa_version():
    with pytest.raises(rasa_patches.PatchMismatch,
                       match=r"patch 'run_graphs_in_order': written for Rasa 3\.6\.21, "
                             r"found Rasa 3\.6\.22"):
        rasa_patches.check("run_graphs_in_order", rasa_version="3.6.22")


@pytest.mark.slow  # a fresh interpreter that imports Rasa (~5 s)
def test_the_installed_rasa_matches_every_fingerprint():
    """In a fresh interpreter, before anything is patched: Rasa as installed."""
    run = python("from serving import rasa_patches\nrasa_patches.check_all()\nprint('matches')\n")
    assert run.returncode == 0 and "matches" in run.stdout, run.stderr[-3000:]


@pytest.mark.slow  # a fresh interpreter that imports Rasa (~5 s)
def test_the_server_refuses_to_start_on_a_mismatch():
    """`python -m serving` exits with the message, before Rasa's command runs."""
    run = python("import runpy\n"
                 "from serving import rasa_patches\n"
                 "rasa_patches.FINGERPRINTS['no_silent_store_fallback']"
                 "['rasa.core.agent:Agent.handle_message'] = 'f' * 64\n"
                 "runpy.run_module('serving', run_name='__main__')\n")
    assert run.returncode == 1, run.stderr[-3000:]
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("The Rasa server did not start: serving/rasa_patches.py, patch "
                           "'no_silent_store_fallback': Rasa's "
                           "rasa.core.agent:Agent.handle_message")
    assert f"expected sha256 {'f' * 64}, found " in last
    assert "Traceback" not in run.stderr


# --- settings ------------------------------------------------------------------------------------
@pytest.mark.slow  # two fresh interpreters that import Rasa (~10 s)
def test_rasa_ordered_graph_0_keeps_rasas_dask_runner():
    code = ("from serving import rasa_patches\nrasa_patches.apply()\n"
            "from rasa.core import processor\n"
            "from rasa.engine.runner import dask\n"
            "print(processor.DaskGraphRunner is dask.DaskGraphRunner)\n")
    off, on = python(code, RASA_ORDERED_GRAPH="0"), python(code)
    assert off.stdout.split()[-1:] == ["True"], off.stderr[-3000:]
    assert on.stdout.split()[-1:] == ["False"], on.stderr[-3000:]


def test_a_malformed_ordered_graph_setting_is_refused(monkeypatch):
    monkeypatch.setenv("RASA_ORDERED_GRAPH", "no")
    with pytest.raises(rasa_patches.StartupRefused, match="RASA_ORDERED_GRAPH must be 0 or 1"):
        rasa_patches.ordered_graph()


# --- logs ----------------------------------------------------------------------------------------
@pytest.mark.slow  # a fresh interpreter that imports Rasa (~5 s)
def test_rasa_log_lines_carry_no_patient_text():
    run = python("""
import logging, structlog
from serving import rasa_patches
rasa_patches.apply()
from rasa.utils.log_utils import configure_structlog
configure_structlog(logging.INFO)
structlog.get_logger().error("rest.message.received.timeout", text="my secret symptom")
structlog.get_logger().info("processor.slots", slot_values={"level": "secret slot"})
""")
    output = run.stdout + run.stderr
    assert "rest.message.received.timeout" in output and "processor.slots" in output
    assert "secret" not in output
    assert rasa_patches.REDACTED in output

