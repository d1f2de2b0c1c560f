"""The action server loads what its replies read while it starts, never on a patient's message
(actions/startup.py).

A reply that loaded a module or a file on first use kept every other reply of that action server
waiting while it did: the first Spanish warning-sign reply imported spaCy and TensorFlow (4 s
idle, over 10 s under load), and the replies behind it ran past ACTION_TIMEOUT_SECONDS, so their
patients got the static safe reply. Here the real `rasa run actions` runs with an audit hook
(Python's own `sys.addaudithook`, installed by a sitecustomize module) that writes down every file
opened (a Python module imported for the first time, by whatever means, is a file opened) and
every module an import statement loads for the first time; once /health answers, one reply of
every kind, in both languages, goes through its /webhook, and none may import or open anything.
"""

from __future__ import annotations

import time
import uuid

import pytest
import requests
from rasa.shared.core.domain import Domain

from clinic import load_profile
from devtools.servers import ROOT, Servers
from rasa_components.parse_keys import CLOSE_TOPICS_KEY
from safety.judge_labels import JUDGE_SIGN
from safety.levels import DOCTOR, EMERGENCY
from safety.reassurance import label_in
from safety.turn import JUDGE_ESCALATION_KEY

pytestmark = pytest.mark.servers

CLINIC = load_profile()
AUDIT_HOOK = '''
import os
import sys

_log = open(os.environ["ACTION_SERVER_LOADS"], "a", buffering=1, encoding="utf-8")


def _write_down(event, args):
    if event == "import" and args[0] not in sys.modules:
        _log.write(f"import {args[0]}\\n")
    elif event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _log.write(f"open {os.fsdecode(args[0])}\\n")


sys.addaudithook(_write_down)
'''


def finding(value: str, sign: str, label: str, level: str, *, entity: str = "warning_sign",
            rule: str = "present", language: str = "en") -> dict:
    return {"entity": entity, "value": value, "start": 0, "end": len(value), "sign": sign,
            "label": label, "level": level, "rule": rule, "language": language}


def call(action: str, text: str, intent: str, entities: list[dict], *, language: str | None = None,
         safety: dict | None = None, close_topics: list[str] | None = None) -> dict:
    """What a Rasa server posts to the action server's /webhook to run `action`, but the domain
    (added when it is sent: loading it takes 0.5 s, too long for every collection of the suite)."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities,
              "safety": {"level": None, "findings": [], **(safety or {})}}
    if close_topics is not None:
        latest[CLOSE_TOPICS_KEY] = close_topics
    return {
        "next_action": action,
        "sender_id": f"start-{uuid.uuid4().hex[:8]}",
        "version": "3.6.21",
        "tracker": {
            "sender_id": "patient", "slots": {"language": language}, "latest_message": latest,
            "events": [{"event": "user", "text": text, "parse_data": latest}],
            "paused": False, "followup_action": None, "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


SAFETY = "action_safety_response"
FEVER = finding("fever", "fever", "a fever", DOCTOR)
# One call per kind of reply, each path of actions/ once: levels, both languages, about someone
# else, a finding read in the other language (a sign's and a judge's), the general reassurance and
# the temperature below a fever, the catch-all, the warning-sign list, and the fallback answers.
CALLS = {
    "emergency": call(SAFETY, "it hurts to breathe", "report_symptom", [
        finding("hurts to breathe", "breathing_difficulty", "trouble breathing", EMERGENCY)]),
    "emergency, someone else": call(SAFETY, "my husband can't breathe", "report_symptom", [
        finding("can't breathe", "breathing_difficulty", "trouble breathing", EMERGENCY,
                rule="other_person")]),
    "doctor": call(SAFETY, "I have a fever", "report_symptom", [FEVER]),
    "doctor, Spanish conversation, English words": call(
        SAFETY, "I have a fever", "report_symptom", [FEVER], language="es"),
    "doctor, English conversation, Spanish words": call(SAFETY, "tengo fiebre", "report_symptom", [
        finding("fiebre", "fever", "fiebre", DOCTOR, language="es")]),
    "doctor, Spanish": call(SAFETY, "tengo fiebre", "report_symptom", [
        finding("fiebre", "fever", "fiebre", DOCTOR, language="es")], language="es"),
    "emergency, Spanish, someone else": call(SAFETY, "mi hija no puede respirar",
                                             "report_symptom", [
        finding("no puede respirar", "breathing_difficulty", "dificultad para respirar",
                EMERGENCY, rule="other_person", language="es")], language="es"),
    "emergency found by the judge, Spanish conversation, English words": call(
        SAFETY, "I feel awful", "report_symptom", [
            finding("I feel awful", JUDGE_SIGN[EMERGENCY], "symptoms that can be serious",
                    EMERGENCY)], language="es"),
    "expected effect": call(SAFETY, "a bit sore today", "report_symptom", [
        finding("sore", "site_soreness", "soreness at the injection site", "expected",
                entity="expected_effect", rule="expected")]),
    "expected effect, Spanish": call(SAFETY, "un poco adolorido", "report_symptom", [
        finding("adolorido", "site_soreness", "dolor", "expected", entity="expected_effect",
                rule="expected", language="es")], language="es"),
    "expected effect without its own words": call(SAFETY, "a bit odd", "report_symptom", [
        finding("odd", "no_such_sign", "something odd", "expected", entity="expected_effect",
                rule="expected")]),
    "temperature below a fever, Spanish": call(SAFETY, "tengo 37.2", "report_symptom", [
        finding("37.2", "fever", "una temperatura de 37.2 °C", "expected",
                entity="expected_effect", rule="below_threshold", language="es")], language="es"),
    "catch-all": call(SAFETY, "my elbow feels strange since the shot", "report_symptom", [],
                      safety={JUDGE_ESCALATION_KEY: 0.9}),
    "warning-sign question": call(SAFETY, "what if i get a fever?", "ask_aftercare", [
        finding("fever", "fever", "a fever", DOCTOR, entity="safety_info", rule="hypothetical")]),
    "two close topics": call("action_fallback_answer", "how long and aftercare", "nlu_fallback",
                             [], close_topics=["ask_duration", "ask_aftercare"]),
    "not sure": call("action_fallback_answer", "hmm", "nlu_fallback", [], close_topics=[]),
}


@pytest.fixture(scope="module")
def action_server(tmp_path_factory):
    hook = tmp_path_factory.mktemp("audit-hook")
    (hook / "sitecustomize.py").write_text(AUDIT_HOOK, encoding="utf-8")
    loads = hook / "loads.txt"
    servers = Servers(hook, extra_env={"PYTHONPATH": f"{hook}:{ROOT}",
                                       "ACTION_SERVER_LOADS": str(loads)})
    servers.start_actions()
    try:
        yield servers, loads
    finally:
        servers.stop()


def test_the_hook_sees_what_the_server_loads_while_it_starts(action_server):
    """The check below can fail: the hook did write down the start's imports and file reads."""
    _, loads = action_server
    seen = loads.read_text(encoding="utf-8").splitlines()
    assert "import actions.startup" in seen
    assert any(line.startswith("open ") and line.endswith("vocabulary_es.yml") for line in seen)


def test_no_reply_loads_a_module_or_a_file(action_server):
    servers, loads = action_server
    url = f"http://127.0.0.1:{servers.actions_port}/webhook"
    domain = Domain.load(str(ROOT / "domain")).as_dict()
    before = len(loads.read_text(encoding="utf-8").splitlines())
    replies, seconds = {}, {}
    for kind, payload in CALLS.items():
        started = time.monotonic()
        answer = requests.post(url, json={**payload, "domain": domain}, timeout=30)
        seconds[kind] = time.monotonic() - started
        assert answer.status_code == 200, (kind, answer.text[:300])
        replies[kind] = answer.json()["responses"]
    loaded = loads.read_text(encoding="utf-8").splitlines()[before:]
    print("\nfirst replies, seconds:", {kind: round(s, 3) for kind, s in seconds.items()})
    assert loaded == [], f"a reply loaded what the start should have: {loaded[:20]}"

    texts = {kind: " ".join(r.get("text") or r.get("response") or "" for r in got)
             for kind, got in replies.items()}
    assert all(texts.values()), texts
    assert texts["emergency"].startswith(f"🚨 Call {CLINIC.emergency_number} now.")
    assert "a fever" in texts["doctor"] and CLINIC.phone in texts["doctor"]
    # A Spanish conversation names a finding read in English by the sign's Spanish label.
    assert label_in("fever", "es") in texts["doctor, Spanish conversation, English words"]
    assert "a fever" not in texts["doctor, Spanish conversation, English words"]
    assert CLINIC.phone in texts["doctor, Spanish"]
    assert "a fever" in texts["doctor, English conversation, Spanish words"]
    assert ("síntomas que pueden ser graves"
            in texts["emergency found by the judge, Spanish conversation, English words"])
    assert texts["emergency, someone else"] != texts["emergency"]
    assert texts["expected effect, Spanish"] != texts["expected effect"]
    assert "a new or unexplained symptom" in texts["catch-all"]
    assert texts["two close topics"].startswith("utter_two_topics")
    assert texts["not sure"] == "utter_default"
