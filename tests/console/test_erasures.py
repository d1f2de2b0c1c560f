"""The console's side of a deletion (docs/data-rights.md, 2.3) in one process, over hand-made
events on SQLite, with a loopback stand-in for the Rasa server's deletion endpoint: what goes and
what stays, the audit row and what it never holds, a repeat after a crash, a conversation indexed
while it is being deleted, the HTTP client, retention and the console's daily run of it. The same
against the real Rasa server, on SQLite and PostgreSQL, is in test_erasure_console.py."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from console import db, erasures, rasa_api, retention
from console.app import retain_forever
from console.blueprints.conversations import record_note, record_tag
from console.blueprints.exports import audited_filters
from console.config import Settings
from console.indexer import Indexer
from console.queries import Filters
from console.tracker import TrackerReader
from privacy.identifiers import audit_hash
from tests.console.erasure_fakes import (
    TOKEN,
    LocalWorld,
    StandInEndpoint,
    escalated,
    handed_over,
    said,
    start,
)

PATIENT = "whatsapp:+15550100"  # a sender id as Twilio's WhatsApp gives it: a phone number
OTHER = "whatsapp:+15550199"
CHEST = "my chest hurts since the injection, I'm Jane Roe"
SECOND = "second visit: can I shower?"
OLD = time.time() - 40 * 86400


@pytest.fixture
def world(tmp_path):
    made = LocalWorld(f"sqlite:///{tmp_path / 'tracker.db'}",
                      f"sqlite:///{tmp_path / 'console.db'}")
    yield made
    made.dispose()


def per_conversation_rows(world: LocalWorld, ids: list[int]) -> dict[str, int]:
    counts = {table.name: world.count(table, table.c.conversation_id.in_(ids))
              for table in db.PER_CONVERSATION}
    counts["deliveries"] = world.count(db.alert_deliveries)
    return counts


def everything_audited(world: LocalWorld) -> str:
    return "\n".join(f"{r.actor} {r.action} {r.conversation_id} {r.detail}"
                     for r in world.audit())


def seed_two_patients(world: LocalWorld) -> None:
    """PATIENT: an escalated conversation with a handoff, then a second one; OTHER: one."""
    world.add(start(1, PATIENT), said(2, PATIENT, CHEST), escalated(3, PATIENT),
              handed_over(5, PATIENT, "rex"), start(6, OTHER), said(7, OTHER, "other words"),
              start(8, PATIENT), handed_over(9, PATIENT, "rex"), said(10, PATIENT, SECOND))
    world.indexer.catch_up()
    with world.console.begin() as conn:
        for cid in (1, 8):
            record_note(conn, cid, "rex", f"called {CHEST[:12]} back")
            record_tag(conn, cid, "rex", "jane roe")
        record_tag(conn, 6, "rex", "jane roe")
    with world.console.begin() as conn:
        conn.execute(db.reviews.insert().values(conversation_id=1, reviewed_by="rex",
                                                reviewed_at=time.time()))


def test_a_deletion_removes_every_trace_and_audits_it_without_text(world):
    seed_two_patients(world)
    assert world.conversations(PATIENT) == [1, 8]
    assert world.count(db.alert_deliveries) == 1 and world.count(db.handoffs) == 1
    erased = world.erase(PATIENT, actor="ada")
    assert erased.events == 8 and erased.channel == "telegram"
    [row] = world.erasure_rows()
    world.indexer.catch_up()  # the indexer acts on it after its pass

    assert world.conversations(PATIENT) == [] and world.conversations(OTHER) == [6]
    assert per_conversation_rows(world, [1, 8]) == {
        **{table.name: 0 for table in db.PER_CONVERSATION}, "deliveries": 0}
    assert world.count(db.escalations) == 0 and world.count(db.handoffs) == 0
    assert world.count(db.tags, db.tags.c.conversation_id == 6) == 1, "the other patient's stay"
    assert world.erasure_rows() == []
    [audit] = world.audit("erasure")
    assert (audit.actor, audit.conversation_id) == ("ada", None)
    assert json.loads(audit.detail) == {
        "reason": "staff_on_request", "channel": "telegram", "sender": audit_hash(PATIENT),
        "conversations": 2, "events": 8, "requested_at": erasures.requested_at(row.at),
        "erasure": row.id}
    # The whole audit log: no patient text, no sender id, no tag text (notes and tags are
    # audited by id, docs in console/blueprints/conversations.py).
    logged = everything_audited(world)
    for secret in (PATIENT, PATIENT.removeprefix("whatsapp:"), "15550100", "chest hurts",
                   "Jane", "jane roe", "shower", "called"):
        assert secret.lower() not in logged.lower(), secret
    assert world.indexer.catch_up() == 0 and len(world.audit("erasure")) == 1


def test_retention_keeps_the_newer_conversation_and_its_handoff(world):
    world.add(start(1, PATIENT, OLD), said(2, PATIENT, CHEST, OLD),
              handed_over(3, PATIENT, "rex", OLD),
              start(4, PATIENT), handed_over(5, PATIENT, "rex"), said(6, PATIENT, SECOND))
    world.indexer.catch_up()
    world.erase(PATIENT, reason="retention", actor="retention", up_to=3)
    world.indexer.catch_up()
    assert world.conversations(PATIENT) == [4]
    with world.console.connect() as conn:
        kept = conn.execute(sa.select(db.handoffs)).one()
        text = conn.execute(sa.select(db.conversation_text.c.text)).scalar()
    assert (kept.staff, kept.event_id) == ("rex", 5), "rex still has the newer conversation"
    assert text == SECOND.lower()
    [audit] = world.audit("erasure")
    assert json.loads(audit.detail)["conversations"] == 1 and audit.actor == "retention"


def test_nothing_to_do_while_rasa_has_no_erasures_table(world):
    world.add(start(1, PATIENT), said(2, PATIENT, CHEST))
    assert world.indexer.catch_up() == 2
    assert not world.tracker.has_erasures()
    assert erasures.process(world.tracker, world.console) == []
    assert world.conversations() == [1]


def test_a_row_processed_twice_is_audited_once(world):
    """A crash after the console's transaction and before the row was deleted: the repeat
    deletes nothing more and writes no second audit row."""
    seed_two_patients(world)
    world.erase(PATIENT)
    [row] = world.erasure_rows()
    [first] = world.indexer.apply_erasures()
    assert (first.conversations, first.audited) == (2, True)
    with world.tracker_engine.begin() as conn:  # as if its deletion had not happened
        conn.execute(erasures.erasure_rows.insert().values(**row._mapping))
    [again] = world.indexer.apply_erasures()
    assert (again.erasure_id, again.conversations, again.audited) == (row.id, 0, False)
    assert len(world.audit("erasure")) == 1 and world.erasure_rows() == []


def test_an_id_given_again_is_a_new_deletion(world):
    """A table without AUTOINCREMENT on SQLite gives a deleted row's id to the next row (Rasa's
    store makes it with AUTOINCREMENT; a table made otherwise may not have it): the audit row's
    request time tells the two deletions apart."""
    world.add(start(1, PATIENT), said(2, PATIENT, CHEST))
    world.indexer.catch_up()
    world.erase(PATIENT)
    [first] = world.indexer.apply_erasures()
    world.add(start(3, PATIENT), said(4, PATIENT, SECOND))  # the patient writes again
    world.indexer.catch_up()
    world.erase(PATIENT)
    with world.tracker_engine.begin() as conn:  # the same id again
        conn.execute(erasures.erasure_rows.update().values(id=first.erasure_id))
    [second] = world.indexer.apply_erasures()
    assert second.erasure_id == first.erasure_id
    assert second.audited and second.conversations == 1
    assert len(world.audit("erasure")) == 2 and world.conversations() == []


def indexed_while_erased(world: LocalWorld, sender: str, first_id: int) -> None:
    """An index pass reads the patient's events, Rasa deletes them and another process acts on the
    deletion while the pass has not committed: the conversation still ends up deleted."""
    world.add(start(first_id, sender), said(first_id + 1, sender, CHEST))
    read, go = threading.Event(), threading.Event()
    racing = Indexer(world.tracker, world.console, world.plan)
    applying = racing._apply

    def slow_apply(conn, rows):
        read.set()
        assert go.wait(20)
        return applying(conn, rows)

    racing._apply = slow_apply
    other_process = TrackerReader(world.tracker_url)  # its own connections, as another process
    done: dict[str, object] = {}
    indexing = threading.Thread(target=lambda: done.setdefault("indexed", racing.catch_up()))
    indexing.start()
    assert read.wait(20), "the index pass read the events"
    world.erase(sender)
    erasing = threading.Thread(target=lambda: done.setdefault(
        "erased", erasures.process(other_process, world.console)))
    erasing.start()
    erasing.join(1.0)
    assert erasing.is_alive(), "the erasure waits for the index pass"
    go.set()
    indexing.join(30)
    erasing.join(30)
    assert not indexing.is_alive() and not erasing.is_alive()
    assert world.conversations(sender) == []
    assert [json.loads(r.detail)["sender"] for r in world.audit("erasure")].count(
        audit_hash(sender)) == 1
    other_process.engine.dispose()


def test_a_conversation_indexed_while_it_is_deleted_ends_up_deleted(world):
    world.indexer.catch_up()
    indexed_while_erased(world, PATIENT, 1)


# --- the HTTP client -----------------------------------------------------------------------------
def test_the_client_sends_the_token_as_bearer_and_reads_the_answer(world, monkeypatch):
    world.add(start(1, PATIENT), said(2, PATIENT, CHEST))
    with StandInEndpoint(world.tracker_url) as endpoint:
        done = rasa_api.erase(endpoint.url, TOKEN, PATIENT, "staff_on_request", " ada ")
        assert done == rasa_api.Erasure(PATIENT, 2, 2, "telegram")
        [(body, header)] = endpoint.calls
        assert header == f"Bearer {TOKEN}"
        assert body == {"sender_id": PATIENT, "reason": "staff_on_request", "actor": "ada",
                        "up_to_event_id": None}
        with pytest.raises(rasa_api.RasaAPIError) as refused:
            rasa_api.erase(endpoint.url, "wrong-token", PATIENT, "retention", "retention")
        assert refused.value.status == 401 and "wrong-token" not in str(refused.value)
        endpoint.unavailable = True
        with pytest.raises(rasa_api.RasaAPIError) as unavailable:
            rasa_api.erase(endpoint.url, TOKEN, PATIENT, "retention", "retention", 5)
        assert unavailable.value.status == 503
        with pytest.raises(ValueError):
            rasa_api.erase(endpoint.url, TOKEN, PATIENT, "patient_request", "patient")
        endpoint.unavailable, endpoint.delay = False, 1.0
        monkeypatch.setattr(rasa_api, "ERASE_TIMEOUT", (3.0, 0.2))
        with pytest.raises(rasa_api.NoAnswer) as late:  # it may still have deleted
            rasa_api.erase(endpoint.url, TOKEN, PATIENT, "retention", "retention")
        assert late.value.status is None and "in time" in str(late.value)
        closed = endpoint.url
    with pytest.raises(rasa_api.RasaAPIError) as down:
        rasa_api.erase(closed, TOKEN, PATIENT, "retention", "retention")
    assert down.value.status is None and "not reachable" in str(down.value)
    assert TOKEN not in str(down.value) and PATIENT not in str(down.value)


# --- retention -----------------------------------------------------------------------------------
def settings_for(world: LocalWorld, endpoint_url: str, **extra: str) -> Settings:
    return Settings.from_env({"CONSOLE_TRACKER_URL": world.tracker_url,
                              "CONSOLE_DB_URL": str(world.console.url),
                              "RASA_API_URL": endpoint_url, "RASA_API_TOKEN": TOKEN, **extra})


def seed_old_and_new(world: LocalWorld) -> None:
    """PATIENT: an old conversation (40 days) and a newer one; OTHER: only an old one; "new": only
    a recent one."""
    world.add(start(1, PATIENT, OLD), said(2, PATIENT, CHEST, OLD),
              start(3, OTHER, OLD), said(4, OTHER, "old words", OLD),
              start(5, PATIENT), said(6, PATIENT, SECOND), start(7, "new"), said(8, "new", "hi"))
    world.indexer.catch_up()
    with world.console.begin() as conn:
        record_note(conn, 1, "rex", "an old note")
        record_note(conn, 5, "rex", "a new note")


def tracker_ids(world: LocalWorld) -> list[int]:
    with world.tracker_engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.text("select id from events order by id"))]


def test_retention_deletes_old_conversations_through_the_endpoint(world):
    seed_old_and_new(world)
    with StandInEndpoint(world.tracker_url) as endpoint:
        settings = settings_for(world, endpoint.url)
        dry = retention.apply_retention(settings, 30, dry_run=True, indexer=world.indexer)
        assert dry == {"conversations": 2, "events": 4, "notes": 1}
        assert endpoint.calls == [] and tracker_ids(world) == [1, 2, 3, 4, 5, 6, 7, 8]
        counts = retention.apply_retention(settings, 30, indexer=world.indexer)
        assert counts == {"conversations": 2, "events": 4, "notes": 1, "patients": 2}
        assert sorted((b["sender_id"], b["up_to_event_id"], b["reason"], b["actor"])
                      for b, _ in endpoint.calls) == [
            (PATIENT, 2, "retention", "retention"), (OTHER, 4, "retention", "retention")]
    assert tracker_ids(world) == [5, 6, 7, 8], "only the old conversations' events went"
    assert world.conversations() == [5, 7]
    assert world.count(db.notes) == 1 and world.count(db.conversation_text) == 2
    [summary] = world.audit("retention")
    assert json.loads(summary.detail) == {"days": 30, "conversations": 2, "events": 4,
                                          "notes": 1, "patients": 2}
    rows = world.audit("erasure")
    assert sorted(json.loads(r.detail)["sender"] for r in rows) == sorted(
        [audit_hash(PATIENT), audit_hash(OTHER)])
    assert {(r.actor, json.loads(r.detail)["reason"]) for r in rows} == {
        ("retention", "retention")}


def test_retention_with_rasa_down_deletes_nothing_and_exits_2(world, monkeypatch, capsys):
    seed_old_and_new(world)
    with StandInEndpoint(world.tracker_url) as endpoint:
        endpoint.unavailable = True
        with pytest.raises(retention.RetentionStopped) as stopped:
            retention.apply_retention(settings_for(world, endpoint.url), 30,
                                      indexer=world.indexer)
        assert stopped.value.error.status == 503
        closed = endpoint.url
    assert stopped.value.counts["conversations"] == 0
    for name, value in (("CONSOLE_TRACKER_URL", world.tracker_url),
                        ("CONSOLE_DB_URL", str(world.console.url)),
                        ("RASA_API_URL", closed), ("RASA_API_TOKEN", TOKEN)):
        monkeypatch.setenv(name, value)
    assert retention.main(["--days", "30"]) == 2
    message = capsys.readouterr().err
    assert "nothing was deleted" in message and "not reachable" in message
    assert TOKEN not in message and PATIENT not in message
    assert tracker_ids(world) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert world.conversations() == [1, 3, 5, 7] and world.audit("erasure") == []
    assert len(world.audit("retention_failed")) == 2 and world.audit("retention") == []


def test_retention_defaults_to_the_clinic_profiles_days(world, monkeypatch, capsys):
    seed_old_and_new(world)
    with StandInEndpoint(world.tracker_url) as endpoint:
        for name, value in (("CONSOLE_TRACKER_URL", world.tracker_url),
                            ("CONSOLE_DB_URL", str(world.console.url)),
                            ("RASA_API_URL", endpoint.url), ("RASA_API_TOKEN", TOKEN)):
            monkeypatch.setenv(name, value)
        assert retention.default_days() == 365
        assert retention.main([]) == 0
        assert capsys.readouterr().out.startswith("deleted 0 conversations")
        assert endpoint.calls == []
    assert json.loads(world.audit("retention")[0].detail)["days"] == 365


def test_the_console_runs_retention_once_a_day(world, monkeypatch):
    seed_old_and_new(world)
    assert retention.seconds_until_due(None, 24, 1000.0) == 0
    assert retention.seconds_until_due(1000.0, 24, 1000.0 + 3600) == 23 * 3600
    monkeypatch.setattr(retention, "default_days", lambda: 30)

    async def run(app) -> None:
        with pytest.raises(asyncio.TimeoutError):  # it waits a day for the next run
            await asyncio.wait_for(retain_forever(app, start_seconds=0), timeout=2)

    with StandInEndpoint(world.tracker_url) as endpoint:
        app = SimpleNamespace(ctx=SimpleNamespace(
            settings=settings_for(world, endpoint.url), console=world.console,
            indexer=world.indexer))
        asyncio.run(run(app))
        assert len(endpoint.calls) == 2
        asyncio.run(run(app))  # a restart: the last run is in the audit log
        assert len(endpoint.calls) == 2
    assert world.conversations() == [5, 7] and len(world.audit("retention")) == 1
    off = SimpleNamespace(ctx=SimpleNamespace(
        settings=settings_for(world, "http://127.0.0.1:9", CONSOLE_RETENTION_HOURS="0")))
    assert off.ctx.settings.retention_hours == 0
    asyncio.run(asyncio.wait_for(retain_forever(off, start_seconds=0), timeout=1))


# --- what the audit log keeps of typed text ------------------------------------------------------
def test_the_audit_log_keeps_no_typed_search_or_tag_text():
    filters = Filters.from_args({"q": "Jane Roe chest", "tag": "jane", "escalated": "any"})
    assert audited_filters(filters) == {"escalated": "any", "q": "(14 characters)",
                                        "tag": "(4 characters)"}
