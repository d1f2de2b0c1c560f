"""Deleting a patient's conversations from the staff console through the real Rasa server's
deletion endpoint (docs/data-rights.md, section 2), once on SQLite and once on PostgreSQL (the
shared `console` world of conftest.py; every test here writes conversations of its own, with
unique sender ids, and leaves the world's other conversations alone).

An admin's delete with a reason: gone from the list, the search, the conversation's page, the
exports, the attention queue and the dashboard; the events gone from the tracker store; no console
row left for the sender; the audit rows hold the reason, the channel and a keyed hash, never the
patient's words or the sender id. A reviewer's delete is refused and deletes nothing; with Rasa
unreachable the admin reads why and nothing is deleted. Retention through the endpoint is in
test_console.py (test_retention_deletes_only_old_conversations); the processing of one
`privacy_erasures` row twice and a conversation indexed while it is deleted are repeated here on
PostgreSQL (test_erasures.py has them on SQLite).
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import uuid

import pytest
import requests
import sqlalchemy as sa

from console import db
from devtools.servers import free_port
from privacy.identifiers import audit_hash
from tests.console.conftest import csrf_of, sign_in, start_console
from tests.console.erasure_fakes import LocalWorld
from tests.console.test_erasures import PATIENT, indexed_while_erased, seed_two_patients

pytestmark = pytest.mark.servers
# The patient's own words, unlikely anywhere else (the audit log is searched for them).
FEVER_WORDS = "the injection site is red and hot and I have a temperature of 101 Zebediah"
LATER_WORDS = "my neighbour Quillon asks whether I can drive home after the shot"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def listed(session: requests.Session, console, **params) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    response = session.get(f"{console['url']}/", params=params)
    assert response.status_code == 200, response.text[-2000:]
    page = response.text
    for cid, sender in re.findall(r'data-id="(\d+)" data-sender="([^"]*)"', page):
        found.setdefault(sender, []).append(int(cid))
    return found


def patient_with_two_conversations(console, session: requests.Session) -> tuple[str, list[int]]:
    """A patient whose first conversation raised a doctor-level escalation (the queue has it) and
    who came back in a new Rasa session; the conversations' ids, oldest first."""
    sender = unique("erase")
    servers = console["servers"]
    servers.send(sender, FEVER_WORDS)
    servers.send(sender, "/session_start")
    servers.send(sender, LATER_WORDS)
    deadline = time.time() + 30
    while len(listed(session, console).get(sender, [])) < 2:
        assert time.time() < deadline, "the patient's conversations were not indexed"
        time.sleep(0.5)
    return sender, sorted(listed(session, console)[sender])


def dashboard_totals(session: requests.Session, console) -> dict:
    page = session.get(f"{console['url']}/dashboard").text
    data = re.search(r'<script type="application/json" id="dashboard-data">(.*?)</script>',
                     page, re.S).group(1)
    return json.loads(data)["totals"]


def queued_conversations(session: requests.Session, console) -> set[int]:
    found = session.get(f"{console['url']}/attention.json").json()["escalations"]
    return {e["conversation_id"] for e in found}


def events_of(console, sender: str) -> int:
    with console["tracker"].connect() as conn:
        return conn.execute(sa.text("select count(*) from events where sender_id = :s"),
                            {"s": sender}).scalar()


def console_rows_of(console, sender: str, ids: list[int]) -> dict[str, int]:
    """Every console table's rows of the sender or of its conversations."""
    counts = {}
    with console["db"].connect() as conn:
        for table in (db.conversations, db.escalations, db.handoffs):
            counts[table.name] = conn.execute(sa.select(sa.func.count()).select_from(table)
                                              .where(table.c.sender_id == sender)).scalar()
        for table in db.PER_CONVERSATION:
            counts[table.name] = conn.execute(sa.select(sa.func.count()).select_from(table)
                                              .where(table.c.conversation_id.in_(ids))).scalar()
    return counts


def whole_audit_log(console) -> list[tuple]:
    with console["db"].connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(db.audit_log).order_by(
            db.audit_log.c.id))]


def erasure_rows_for(console, sender: str) -> list[tuple[str, str, dict]]:
    """(action, actor, detail) of the audit rows of the sender's deletion (by the keyed hash)."""
    found = []
    for _id, _at, actor, action, _cid, detail in whole_audit_log(console):
        if action in ("erasure", "erasure_request"):
            parsed = json.loads(detail)
            if parsed.get("sender") == audit_hash(sender):
                found.append((action, actor, parsed))
    return found


def test_an_admin_deletes_a_patients_conversations_at_their_request(console):
    base = console["url"]
    ada = sign_in(console, "ada")
    sender, (first, second) = patient_with_two_conversations(console, ada)
    # What staff added: a review, a note and a tag, each with the patient's details in it.
    token = csrf_of(ada.get(f"{base}/conversation/{first}").text)
    ada.post(f"{base}/conversation/{first}/review", data={"csrf": token})
    ada.post(f"{base}/conversation/{first}/note", data={"csrf": token,
                                                         "text": "called Zebediah back"})
    ada.post(f"{base}/conversation/{second}/tag", data={"csrf": token, "tag": "zebediah"})
    assert listed(ada, console, q="zebediah") == {sender: [first]}
    ada.get(f"{base}/export/conversations.csv", params={"q": "zebediah"})  # audited
    assert first in queued_conversations(ada, console)
    before = dashboard_totals(ada, console)
    assert sum(console_rows_of(console, sender, [first, second]).values()) > 5

    page = ada.get(f"{base}/conversation/{second}")
    assert "Delete at the patient's request" in page.text
    confirm = ada.get(f"{base}/conversation/{second}/delete")
    assert confirm.status_code == 200
    assert "All 2 conversations" in confirm.text and "channel rest" in confirm.text
    assert "<script" not in confirm.text
    assert "script-src" not in confirm.headers["Content-Security-Policy"]
    assert confirm.text.count('type="radio" name="asked"') == 5
    token = csrf_of(confirm.text)
    # No reason chosen, or an unknown one: refused, nothing deleted.
    for asked in ({}, {"asked": "because"}):
        refused = ada.post(f"{base}/conversation/{second}/delete",
                           data={"csrf": token, **asked}, allow_redirects=False)
        assert refused.status_code == 400 and "nothing was deleted" in refused.text
    assert ada.post(f"{base}/conversation/{second}/delete", data={"asked": "phone"},
                    allow_redirects=False).status_code == 403, "no CSRF token"
    assert events_of(console, sender) > 0

    done = ada.post(f"{base}/conversation/{second}/delete",
                    data={"csrf": token, "asked": "phone"}, allow_redirects=False)
    assert done.status_code == 302 and done.headers["Location"] == "/?deleted=2"
    after = ada.get(base + done.headers["Location"])
    assert "Deleted at the patient's request: 2 conversations" in after.text
    assert sender not in listed(ada, console)
    assert listed(ada, console, q="zebediah") == {}
    assert listed(ada, console, q="quillon") == {}
    for cid in (first, second):
        assert ada.get(f"{base}/conversation/{cid}").status_code == 404
        assert ada.get(f"{base}/conversation/{cid}/delete").status_code == 404
        for fmt in ("csv", "json"):
            assert ada.get(f"{base}/export/conversation/{cid}/transcript.{fmt}"
                           ).status_code == 404
    exported = ada.get(f"{base}/export/conversations.csv").text
    assert sender not in {r["sender_id"] for r in csv.DictReader(io.StringIO(exported))}
    assert "Zebediah" not in exported and "Quillon" not in exported
    as_json = ada.get(f"{base}/export/conversations.json").json()["conversations"]
    assert sender not in {c["sender_id"] for c in as_json}
    assert not {first, second} & queued_conversations(ada, console)
    totals = dashboard_totals(ada, console)
    assert totals["conversations"] == before["conversations"] - 2
    assert totals["doctor"] == before["doctor"] - 1

    assert events_of(console, sender) == 0, "the events are gone from the tracker store"
    left = console_rows_of(console, sender, [first, second])
    assert left == dict.fromkeys(left, 0), "no console row of the sender is left"
    with console["db"].connect() as conn:
        assert conn.execute(sa.text("select count(*) from console_alert_deliveries d where not "
                                    "exists (select 1 from console_escalations e where "
                                    "e.id = d.escalation_id)")).scalar() == 0
    with console["tracker"].connect() as conn:
        assert conn.execute(sa.text("select count(*) from privacy_erasures")).scalar() == 0

    audited = {action: (actor, detail) for action, actor, detail
               in erasure_rows_for(console, sender)}
    assert sorted(audited) == ["erasure", "erasure_request"]
    actor, erasure = audited["erasure"]
    assert actor == "ada" and erasure["reason"] == "staff_on_request"
    assert erasure["channel"] == "rest" and erasure["conversations"] == 2
    assert erasure["events"] > 0 and erasure["erasure"] and erasure["requested_at"]
    actor, request = audited["erasure_request"]
    assert actor == "ada" and request["asked"] == "phone"
    assert request["reason"] == "staff_on_request" and request["conversations"] == 2
    logged = "\n".join(" ".join(str(v) for v in row) for row in whole_audit_log(console))
    for secret in (sender, "Zebediah", "zebediah", "Quillon", "temperature of 101",
                   "drive home after the shot"):
        assert secret not in logged, secret


def test_a_reviewer_cannot_delete(console):
    base = console["url"]
    rex = sign_in(console, "rex")
    sender = unique("keep")
    console["servers"].send(sender, "can I shower after the injection?")
    deadline = time.time() + 30
    while sender not in listed(rex, console):
        assert time.time() < deadline
        time.sleep(0.5)
    [cid] = listed(rex, console)[sender]
    page = rex.get(f"{base}/conversation/{cid}")
    assert "Delete at the patient" not in page.text and "/delete" not in page.text
    assert rex.get(f"{base}/conversation/{cid}/delete").status_code == 403
    refused = rex.post(f"{base}/conversation/{cid}/delete",
                       data={"csrf": csrf_of(page.text), "asked": "phone"},
                       allow_redirects=False)
    assert refused.status_code == 403 and "admins only" in refused.text
    assert events_of(console, sender) > 0 and listed(rex, console)[sender] == [cid]
    assert erasure_rows_for(console, sender) == []
    # The console audits no refused request (only sign-ins are audited when they fail).


def test_with_rasa_unreachable_nothing_is_deleted(console, tmp_path):
    """A second console on the same databases, pointed at a closed port for Rasa."""
    sender = unique("unreachable")
    console["servers"].send(sender, "is the clinic open on saturdays?")
    env = {**console["env"], "CONSOLE_PORT": str(free_port()),
           "RASA_API_URL": f"http://127.0.0.1:{free_port()}", "CONSOLE_RETENTION_HOURS": "0"}
    process, url = start_console(env, tmp_path / "console.log")
    try:
        other = {**console, "url": url}
        ada = sign_in(other, "ada")
        deadline = time.time() + 30
        while sender not in listed(ada, other):
            assert time.time() < deadline
            time.sleep(0.5)
        [cid] = listed(ada, other)[sender]
        confirm = ada.get(f"{url}/conversation/{cid}/delete")
        failed = ada.post(f"{url}/conversation/{cid}/delete",
                          data={"csrf": csrf_of(confirm.text), "asked": "in_writing"},
                          allow_redirects=False)
        assert failed.status_code == 502
        assert "not reachable, so nothing was deleted" in failed.text
        assert 'value="in_writing" required checked' in failed.text, "the choice stays"
        assert "Traceback" not in failed.text
        assert listed(ada, other)[sender] == [cid] and events_of(console, sender) > 0
        assert erasure_rows_for(console, sender) == []
        assert ada.get(f"{url}/conversation/{cid}").status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=20)


# --- the console's side on this world's database (PostgreSQL: the lock is a row lock there) -------
@pytest.fixture
def local(console, tmp_path):
    if console["backend"] == "sqlite":
        tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
        console_url = f"sqlite:///{tmp_path / 'console.db'}"
    else:
        tracker_url = console_url = console["postgres"].create_database(
            f"erasure_{uuid.uuid4().hex[:10]}")
    made = LocalWorld(tracker_url, console_url)
    yield made
    made.dispose()


def test_a_row_processed_twice_is_audited_once_here_too(local):
    seed_two_patients(local)
    local.erase(PATIENT)
    [row] = local.erasure_rows()
    assert local.indexer.apply_erasures()[0].audited
    with local.tracker_engine.begin() as conn:
        conn.execute(sa.text("insert into privacy_erasures (id, sender_id, up_to_event_id, at, "
                             "reason, actor, channel, events) values (:id, :sender_id, "
                             ":up_to_event_id, :at, :reason, :actor, :channel, :events)"),
                     dict(row._mapping))
    [again] = local.indexer.apply_erasures()
    assert (again.conversations, again.audited) == (0, False)
    assert len(local.audit("erasure")) == 1 and local.erasure_rows() == []


def test_a_conversation_indexed_while_it_is_deleted_ends_up_deleted_here_too(local):
    local.indexer.catch_up()
    indexed_while_erased(local, PATIENT, 1)
