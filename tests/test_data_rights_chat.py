"""Patients' data rights on the Rasa server (docs/data-rights.md, 2.1 and 2.2): what the chat says
is kept, the deletion a patient asks for and confirms in the chat, and the deletion endpoint the
console and retention call.

The chat tests talk to the real servers through the REST channel (the session's `servers`) and
read the tracker store's SQLite file directly. The first tests need no server: the policy's
steps, the endpoint's checks, and the server's confirmation after the commit, in-process.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from clinic import load_profile
from console import rasa_api
from content.model import fill, response, safety_text
from devtools.servers import ROOT
from privacy import rasa_endpoint
from privacy.erasure import AFTER_WARNING_SIGN, ERASURE_SLOT, NOT_FROM_HERE
from rasa_components import data_rights

CLINIC = load_profile()
ERASE = "/webhooks/privacy/erase"


def text(name: str) -> str:
    return fill(response(name).text, **CLINIC.as_slots())


WELCOME = text("utter_welcome")
DATA_KEPT = text("utter_data_kept")
QUESTION = text("utter_ask_erasure_confirmation")
DONE = text("utter_erasure_done")
KEPT = text("utter_erasure_kept")
SAFE_REPLY = text("utter_safety_fallback")
THROAT = "yes delete it, my throat is swelling shut"


def new_sender(what: str) -> str:
    return f"rights-{what}-{uuid.uuid4().hex[:8]}"


def texts(replies: list[dict]) -> list[str]:
    return [reply.get("text", "") for reply in replies]


# --- no server: the policy's steps ---------------------------------------------------------------
def user(intent: str) -> UserUttered:
    return UserUttered(f"/{intent}", {"name": intent, "confidence": 1.0})


def asked() -> list:
    """A session in which the assistant has just asked the confirmation question."""
    return [SessionStarted(), ActionExecuted(ACTION_LISTEN_NAME), user("request_erasure"),
            ActionExecuted(data_rights.UTTER_ASK_CONFIRMATION),
            BotUttered(QUESTION), ActionExecuted(ACTION_LISTEN_NAME)]


def test_a_yes_right_after_the_question_and_only_then_confirms():
    confirmed = (ACTION_LISTEN_NAME, [SlotSet(ERASURE_SLOT, True)])
    for intent in ("confirm_erasure", "affirm", "request_erasure"):
        assert data_rights.step(intent, [*asked(), user(intent)], False) == confirmed, intent
    # A warning sign in the yes: the safety reply was given; nothing deleted, nothing more said.
    assert data_rights.step("confirm_erasure", [*asked(), user("confirm_erasure")], True) == (
        ACTION_LISTEN_NAME, [])
    for intent in ("deny_erasure", "deny"):
        assert data_rights.step(intent, [*asked(), user(intent)], False) == (
            data_rights.UTTER_KEPT, [])
    # Another question after it: answered as usual, the question lapses.
    assert data_rights.step("ask_procedure", [*asked(), user("ask_procedure")], False) is None

    between = {
        "another message": [user("ask_procedure"), ActionExecuted("utter_ask_procedure"),
                            ActionExecuted(ACTION_LISTEN_NAME)],
        "a new session": [ActionExecuted("action_session_start"), SessionStarted(),
                          ActionExecuted(ACTION_LISTEN_NAME)],
        "a staff reply": [BotUttered("Ada (Clinic): hello", metadata={"staff": "Ada"})],
        "a take-over": [SlotSet("handoff_by", "Ada")],
    }
    for what, events in between.items():
        history = [*asked(), *events, user("confirm_erasure")]
        assert data_rights.step("confirm_erasure", history, False) == (
            data_rights.UTTER_ASK_CONFIRMATION, []), what
        assert data_rights.step("affirm", [*asked(), *events, user("affirm")], False) is None, what
    # Without the question: a request or a yes-delete gets the question, never a deletion.
    for intent in ("request_erasure", "confirm_erasure"):
        assert data_rights.step(intent, [SessionStarted(), user(intent)], False) == (
            data_rights.UTTER_ASK_CONFIRMATION, [])
    assert data_rights.step("deny_erasure", [user("deny_erasure")], False) == (
        data_rights.UTTER_KEPT, [])
    assert data_rights.step("affirm", [user("affirm")], False) is None  # the rules answer it


# --- no server: the endpoint's checks ------------------------------------------------------------
def test_the_endpoint_reads_the_servers_own_token_first(monkeypatch, tmp_path):
    monkeypatch.setenv("RASA_API_TOKEN", "from-env")
    token_file = tmp_path / "api_token"
    token_file.write_text("from-file\n")
    monkeypatch.setattr(rasa_endpoint, "API_TOKEN_FILE", token_file)
    argv = ["rasa", "run", "--enable-api", "--auth-token", "from-argv", "--port", "1"]
    assert rasa_endpoint.api_token(argv) == "from-argv"
    assert rasa_endpoint.api_token(["rasa", "run", "--auth-token=eq"]) == "eq"
    assert rasa_endpoint.api_token(["rasa", "run"]) == "from-env"
    monkeypatch.delenv("RASA_API_TOKEN")
    assert rasa_endpoint.api_token(["rasa", "run"]) == "from-file"
    monkeypatch.setattr(rasa_endpoint, "API_TOKEN_FILE", tmp_path / "none")
    assert rasa_endpoint.api_token(["rasa", "run"]) == ""


@pytest.mark.parametrize("body, problem", [
    ([], "JSON object"),
    ({"reason": "retention", "actor": "retention"}, "sender_id"),
    ({"sender_id": " ", "reason": "retention", "actor": "retention"}, "sender_id"),
    ({"sender_id": "x" * 256, "reason": "retention", "actor": "retention"}, "sender_id"),
    ({"sender_id": "s", "reason": "patient_request", "actor": "ada"}, "reason"),
    ({"sender_id": "s", "reason": "because", "actor": "ada"}, "reason"),
    ({"sender_id": "s", "reason": "retention", "actor": ""}, "actor"),
    ({"sender_id": "s", "reason": "retention", "actor": "a" * 81}, "actor"),
    ({"sender_id": "s", "reason": "retention", "actor": "ada", "up_to_event_id": "9"},
     "up_to_event_id"),
    ({"sender_id": "s", "reason": "retention", "actor": "ada", "up_to_event_id": True},
     "up_to_event_id"),
    ({"sender_id": "s", "reason": "retention", "actor": "ada", "up_to_event_id": 0},
     "up_to_event_id"),
])
def test_the_endpoint_refuses_a_bad_body(body, problem):
    with pytest.raises(rasa_endpoint.BadRequest, match=problem):
        rasa_endpoint.parse_body(body)


def test_the_endpoint_accepts_the_consoles_and_retentions_bodies():
    assert rasa_endpoint.parse_body({"sender_id": "s", "reason": "staff_on_request",
                                     "actor": " ada ", "up_to_event_id": None}) == (
        "s", "staff_on_request", "ada", None)
    assert rasa_endpoint.parse_body({"sender_id": "s", "reason": "retention",
                                     "actor": "retention", "up_to_event_id": 12}) == (
        "s", "retention", "retention", 12)


# --- no server: the confirmation is sent after the commit, never after a failure ----------------
class ConfirmingProcessor:
    """Stands in for Rasa's MessageProcessor in the turn that confirms: loads the tracker,
    appends what the policy decides (the slot, listen) and saves it, as the processor does."""

    def __init__(self, store) -> None:
        self.store = store

    async def handle_message(self, message: UserMessage):
        tracker = await self.store.retrieve(message.sender_id)
        for event in [user("confirm_erasure"), SlotSet(ERASURE_SLOT, True),
                      ActionExecuted(ACTION_LISTEN_NAME)]:
            tracker.update(event)
        await self.store.save(tracker)
        return message.output_channel.messages


def test_the_server_confirms_a_committed_deletion_only(tmp_path):
    from serving.lock_stores import NonStallingInMemoryLockStore
    from serving.tracker_store import StrictSQLTrackerStore

    domain = Domain.load(str(ROOT / "domain"))
    db = tmp_path / "tracker.db"
    store = StrictSQLTrackerStore(domain, dialect="sqlite", db=str(db))
    agent = Agent(domain=domain, tracker_store=store, lock_store=NonStallingInMemoryLockStore())
    agent.processor = ConfirmingProcessor(store)

    async def turn(sender: str) -> list[str]:
        tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
        for event in asked():
            tracker.update(event)
        await store.save(tracker)
        output = CollectingOutputChannel()
        await agent.handle_message(UserMessage("/confirm_erasure", output, sender))
        return texts(output.messages)

    assert asyncio.run(turn("kept-then-deleted")) == [DONE]
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM events WHERE sender_id = ?",
                                  ("kept-then-deleted",)).fetchone() == (0,)
        connection.execute("CREATE TRIGGER no_delete BEFORE DELETE ON events "
                           "BEGIN SELECT RAISE(ABORT, 'the disk is gone'); END")
    assert asyncio.run(turn("not-deleted")) == [SAFE_REPLY], "no 'deleted' after a failure"


# --- the real servers: the chat ------------------------------------------------------------------
def tracker_db(servers) -> Path:
    return servers.workdir / "tracker.db"


def query(servers, sql: str, *params) -> list[tuple]:
    connection = sqlite3.connect(tracker_db(servers), timeout=10)
    try:
        rows = connection.execute(sql, params).fetchall()
        connection.commit()
        return rows
    finally:
        connection.close()


def events_of(servers, sender: str) -> list[tuple[int, str, str | None]]:
    return query(servers, "SELECT id, type_name, action_name FROM events WHERE sender_id = ? "
                 "ORDER BY id", sender)


def erasures_of(servers, sender: str) -> list[tuple]:
    return query(servers, "SELECT reason, actor, channel, events, up_to_event_id "
                 "FROM privacy_erasures WHERE sender_id = ? ORDER BY id", sender)


def ask_to_delete(servers, sender: str) -> list[dict]:
    replies = servers.send(sender, "please delete my conversation")
    question = next(r for r in replies if r.get("text") == QUESTION)
    assert [(b["title"], b["payload"]) for b in question["buttons"]] == [
        ("Yes, delete it", "/confirm_erasure"), ("No, keep it", "/deny_erasure")]
    assert "cannot be undone" in QUESTION and "all your messages" in QUESTION
    return replies


def test_the_welcome_and_the_answer_say_how_long_messages_are_kept(servers):
    sender = new_sender("kept")
    replies = texts(servers.send(sender, "what do you keep about me?"))
    assert replies[0] == WELCOME
    assert f"{CLINIC.retention_days} days" in WELCOME and CLINIC.privacy_notice_url in WELCOME
    assert DATA_KEPT in replies
    assert f"{CLINIC.retention_days} days" in DATA_KEPT
    assert CLINIC.privacy_notice_url in DATA_KEPT and CLINIC.name in DATA_KEPT
    asked_again = texts(servers.send(sender, "who can read my messages here?"))
    assert asked_again == [DATA_KEPT]


def test_no_keeps_everything(servers):
    sender = new_sender("deny")
    servers.send(sender, "what is a trigger point injection?")
    ask_to_delete(servers, sender)
    before = events_of(servers, sender)
    assert texts(servers.send(sender, "/deny_erasure")) == [KEPT]
    after = events_of(servers, sender)
    assert after[:len(before)] == before and len(after) > len(before), "the no is stored too"
    assert erasures_of(servers, sender) == []
    # A typed no right after the question keeps it as well.
    ask_to_delete(servers, sender)
    assert texts(servers.send(sender, "no")) == [KEPT]
    assert erasures_of(servers, sender) == []


def test_yes_deletes_every_session_and_the_next_message_starts_afresh(servers):
    sender = new_sender("confirm")
    servers.send(sender, "what is a trigger point injection?")
    servers.send(sender, "/session_start")
    second = texts(servers.send(sender, "does the needle hurt?"))
    assert second[0] == WELCOME, "a second session"
    ask_to_delete(servers, sender)
    before = events_of(servers, sender)
    assert sum(kind == "session_started" for _, kind, _ in before) == 2

    assert texts(servers.send(sender, "/confirm_erasure")) == [DONE]
    assert events_of(servers, sender) == []
    assert erasures_of(servers, sender) == [
        ("patient_request", "patient", "rest", len(before), before[-1][0])]

    fresh = texts(servers.send(sender, "hello"))
    assert fresh[0] == WELCOME and CLINIC.privacy_notice_url in fresh[0]
    now = events_of(servers, sender)
    assert sum(kind == "session_started" for _, kind, _ in now) == 1
    assert all(event_id > before[-1][0] for event_id, _, _ in now)
    assert query(servers, "SELECT count(*) FROM events WHERE sender_id = ? AND type_name = 'user'",
                 sender) == [(1,)]


def test_a_typed_yes_right_after_the_question_deletes(servers):
    sender = new_sender("typed-yes")
    ask_to_delete(servers, sender)
    assert texts(servers.send(sender, "yes")) == [DONE]
    assert events_of(servers, sender) == []
    assert len(erasures_of(servers, sender)) == 1


def test_a_yes_without_the_question_only_asks_it(servers):
    sender = new_sender("no-question")
    replies = servers.send(sender, "/confirm_erasure")
    assert texts(replies) == [WELCOME, QUESTION]
    assert events_of(servers, sender) and erasures_of(servers, sender) == []


def test_a_yes_with_a_warning_sign_escalates_and_deletes_nothing(servers):
    sender = new_sender("sign")
    ask_to_delete(servers, sender)
    replies = " ".join(texts(servers.send(sender, THROAT)))
    assert f"Call {CLINIC.emergency_number} now" in replies
    assert DONE not in replies and QUESTION not in replies
    assert erasures_of(servers, sender) == []
    stored = query(servers, "SELECT type_name, action_name, data FROM events WHERE sender_id = ? "
                   "ORDER BY id", sender)
    assert any(kind == "user" and "throat is swelling" in data for kind, _, data in stored)
    assert any(kind == "slot" and name == "escalation_level" and '"emergency"' in data
               for kind, name, data in stored)


def refusal_text(name: str) -> str:
    return safety_text(f"erasure_{name}", **CLINIC.as_slots())


def test_after_a_warning_sign_the_chat_keeps_the_conversation_for_the_clinic(servers):
    """A sign reported lately (here: earlier in the same chat) must reach the clinic: its
    escalation and alerts would go with the conversation. The patient is told why and whom to
    ask; staff can still delete it through the endpoint."""
    sender = new_sender("after-sign")
    servers.send(sender, "since the shot I have a fever of 102")
    ask_to_delete(servers, sender)
    before = events_of(servers, sender)
    replies = texts(servers.send(sender, "/confirm_erasure"))
    assert replies == [refusal_text(AFTER_WARNING_SIGN)]
    assert CLINIC.as_slots()["privacy_contact"] in replies[0] and DONE not in replies
    after = events_of(servers, sender)
    assert after[:len(before)] == before and len(after) > len(before)
    assert erasures_of(servers, sender) == []
    answer = erase(servers, servers.token, sender_id=sender, reason="staff_on_request",
                   actor="ada")
    assert answer.status_code == 200 and events_of(servers, sender) == []


def test_a_deletion_confirmed_on_another_channel_than_the_patients_is_refused(servers):
    """A sender id (a phone number) can be known to others, and the REST channel does not prove
    who writes: it must not delete what came in on another channel."""
    sender = new_sender("other-channel")
    seeded = requests.post(
        f"{servers.url}/conversations/{sender}/tracker/events",
        params={"token": servers.token},
        json=[{"event": "user", "text": "hello", "timestamp": time.time(),
               "input_channel": "telegram", "parse_data": {"intent": {"name": "greet"}}}],
        timeout=30)
    assert seeded.status_code == 200, seeded.text
    ask_to_delete(servers, sender)
    before = events_of(servers, sender)
    assert texts(servers.send(sender, "/confirm_erasure")) == [refusal_text(NOT_FROM_HERE)]
    assert len(events_of(servers, sender)) > len(before) and erasures_of(servers, sender) == []
    stored = query(servers, "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'",
                   sender)
    assert any('"telegram"' in data for (data,) in stored), "the other channel's message stays"


def test_during_a_handoff_the_assistant_stays_silent(servers):
    sender = new_sender("handoff")
    servers.send(sender, "hello")
    rasa_api.take_over(servers.url, servers.token, sender, "Ada Nurse")
    try:
        assert servers.send(sender, "please delete my conversation") == []
        assert servers.send(sender, "/confirm_erasure") == []
        assert events_of(servers, sender) and erasures_of(servers, sender) == []
    finally:
        rasa_api.hand_back(servers.url, servers.token, sender, "Ada Nurse")


def test_a_database_failure_during_the_deletion_gives_the_safe_reply(servers):
    sender = new_sender("db-fails")
    ask_to_delete(servers, sender)
    before = events_of(servers, sender)
    trigger = f"refuse_{uuid.uuid4().hex[:8]}"
    # The database refuses to delete this patient's events, and nobody else's.
    query(servers, f"CREATE TRIGGER {trigger} BEFORE DELETE ON events WHEN old.sender_id = "
          f"'{sender}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
    try:
        replies = texts(servers.send(sender, "/confirm_erasure"))
    finally:
        query(servers, f"DROP TRIGGER {trigger}")
    assert replies == [SAFE_REPLY] and DONE not in replies
    assert events_of(servers, sender) == before and erasures_of(servers, sender) == []
    # The failure is logged without its parameters: neither the sender id nor any text.
    log = (servers.workdir / "rasa.log").read_text(errors="replace")
    assert "Storage unavailable" in log and sender not in log
    # The question is still the latest thing said: confirming again now deletes.
    assert texts(servers.send(sender, "/confirm_erasure")) == [DONE]
    assert events_of(servers, sender) == []


# --- the real servers: the endpoint ---------------------------------------------------------------
def erase(servers, token: str | None = None, **body) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return requests.post(f"{servers.url}{ERASE}", json=body, headers=headers, timeout=60)


def test_the_endpoint_needs_the_token_and_a_good_body(servers):
    sender = new_sender("endpoint-refused")
    servers.send(sender, "hello")
    before = events_of(servers, sender)
    body = {"sender_id": sender, "reason": "staff_on_request", "actor": "ada"}
    assert erase(servers, **body).status_code == 401
    assert erase(servers, "wrong-token", **body).status_code == 401
    assert requests.post(f"{servers.url}{ERASE}", json=body, timeout=30,
                         headers={"Authorization": servers.token}).status_code == 401
    assert erase(servers, servers.token, **{**body, "reason": "patient_request"}).status_code \
        == 400
    assert erase(servers, servers.token, **{**body, "up_to_event_id": "all"}).status_code == 400
    not_json = requests.post(f"{servers.url}{ERASE}", data="sender_id=x", timeout=30,
                             headers={"Authorization": f"Bearer {servers.token}",
                                      "Content-Type": "application/json"})
    assert not_json.status_code == 400
    assert requests.get(f"{servers.url}{ERASE}", timeout=30).status_code in (404, 405)
    assert events_of(servers, sender) == before and erasures_of(servers, sender) == []


def test_the_endpoint_deletes_up_to_an_event_or_everything(servers):
    sender = new_sender("endpoint")
    servers.send(sender, "hello")
    first = events_of(servers, sender)
    servers.send(sender, "how long does it take?")
    up_to = first[-1][0]
    partly = erase(servers, servers.token, sender_id=sender, reason="retention",
                   actor="retention", up_to_event_id=up_to)
    assert partly.status_code == 200
    assert partly.json() == {"sender_id": sender, "events": len(first), "up_to_event_id": up_to,
                             "channel": "rest"}
    rest = events_of(servers, sender)
    assert rest and all(event_id > up_to for event_id, _, _ in rest)
    everything = erase(servers, servers.token, sender_id=sender, reason="staff_on_request",
                       actor="ada")
    assert everything.status_code == 200
    assert everything.json()["events"] == len(rest)
    assert events_of(servers, sender) == []
    assert [row[:2] for row in erasures_of(servers, sender)] == [
        ("retention", "retention"), ("staff_on_request", "ada")]
    nothing = erase(servers, servers.token, sender_id=sender, reason="retention",
                    actor="retention")
    assert nothing.status_code == 200 and nothing.json()["events"] == 0
    assert len(erasures_of(servers, sender)) == 2
    assert sender not in (servers.workdir / "rasa.log").read_text(errors="replace")


def test_a_deletion_waits_for_the_message_in_flight_and_deletes_it_too(servers):
    sender = new_sender("in-flight")
    servers.send(sender, "hello")
    servers.send(sender, "what is a trigger point injection?")
    before = events_of(servers, sender)
    answered: list = []
    message = threading.Thread(target=lambda: answered.append(
        servers.send(sender, "what should I do to get ready for the injection?")))
    message.start()
    time.sleep(0.03)
    erased = erase(servers, servers.token, sender_id=sender, reason="staff_on_request",
                   actor="ada")
    message.join(timeout=60)
    assert answered and texts(answered[0]), "the message in flight was answered"
    assert erased.status_code == 200
    assert erased.json()["events"] > len(before), "it waited for the message's events"
    assert events_of(servers, sender) == []


# --- the trained model: the new intents stand apart from their neighbours -----------------------
@pytest.mark.parametrize("message, intent", [
    ("is anything I type here stored somewhere?", "ask_data_kept"),
    ("can other people read my chat with you", "ask_data_kept"),
    ("who at the clinic can see this conversation", "ask_data_kept"),
    ("how long do you keep what i write here", "ask_data_kept"),
    ("i want everything i wrote here erased", "request_erasure"),
    ("please remove this whole chat from your system", "request_erasure"),
    ("i don't want you to keep this chat", "request_erasure"),
    ("what number do i call to reach the clinic", "ask_contact"),
    ("could a member of staff chat with me", "request_human"),
    ("what's the weather like tomorrow", "out_of_scope"),
    ("yes please do", "affirm"),
    ("nah not really", "deny"),
])
def test_the_model_tells_the_data_rights_intents_from_their_neighbours(parse, message, intent):
    assert parse(message)["intent"]["name"] == intent
