"""Clinic alerts (console/alerts.py, console/escalations.py), with real parts on loopback: a real
SMTP server (aiosmtpd), a JSON webhook, one that fails twice per alert before accepting, and one
that accepts connections and never answers (devtools/alert_receivers.py).

The first tests need nothing but SQLite and loopback sockets: the escalations the indexer derives
from hand-made events, and the sender's retries. The others talk to the real assistant through
the REST channel (the session's `servers`) with the real console on top of its tracker store:
exactly one alert per escalation at each destination, none for a question, none for a repeated
sign, one more for a rise to emergency; nothing the patient wrote in any alert; a restart of the
console sends nothing twice; a destination that stays down is recorded failed while the
patient's replies take as long as without it. They run in file order (the later ones continue
the earlier ones' world).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from clinic import load_profile
from console import alerts, db, escalations
from console.alerts import Sender, alert_message, backoff, redact
from console.config import Settings
from console.escalations import AlertPlan
from console.indexer import Indexer
from console.tracker import TrackerReader, events, metadata
from devtools.alert_receivers import Mailbox, Receivers, Silent, Webhook
from devtools.servers import ROOT, free_port, wait_until
from safety.vocabulary import default_vocabulary

CLINIC = load_profile()
PUBLIC = "https://console.clinic.test"
PASSWORD = "nurse-secret-password"
EMERGENCY_TEXT = "since the shot it hurts to breathe"
DOCTOR_TEXT = "the site is red and hot and I have a temperature of 101"
QUESTION = "what is a trigger point injection?"
SETTLED_SECONDS = 60


# --- without Rasa: the escalations the indexer derives, and the sender ---------------------------
def event(id_: int, sender: str, kind: str, **data) -> dict:
    return {"id": id_, "sender_id": sender, "type_name": kind, "timestamp": time.time(),
            "intent_name": None, "action_name": data.get("name"), "data": json.dumps(data)}


def turn(first_id: int, sender: str, text: str, level: str | None = None,
         signs: list | None = None) -> list[dict]:
    rows = [event(first_id, sender, "user", text=text, input_channel="telegram",
                  parse_data={"intent": {"name": "report_symptom", "confidence": 0.9}})]
    if level:
        rows += [event(first_id + 1, sender, "slot", name="escalation_level", value=level),
                 event(first_id + 2, sender, "slot", name="warning_signs", value=signs or [])]
    return rows


def local_world(tmp_path: Path, urls: tuple[str, ...] = ()):
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    tracker = sa.create_engine(tracker_url, future=True)
    metadata.create_all(tracker)
    console_url = f"sqlite:///{tmp_path / 'console.db'}"
    settings = Settings.from_env({"CONSOLE_TRACKER_URL": tracker_url,
                                  "CONSOLE_DB_URL": console_url, "CONSOLE_PUBLIC_URL": PUBLIC,
                                  "CLINIC_ALERT_URLS": " ".join(urls),
                                  "CLINIC_ALERT_RETRY_SECONDS": "0.1",
                                  "CLINIC_ALERT_MAX_ATTEMPTS": "3",
                                  "CLINIC_ALERT_TIMEOUT_SECONDS": "3"})
    console = db.connect(console_url)
    plan = AlertPlan(tuple((i, redact(u)) for i, u in enumerate(urls)), 1800)
    return settings, tracker, console, Indexer(TrackerReader(tracker_url), console, plan)


def sending(found: list[dict]) -> bool:
    """Some alert of these escalations is not sent or failed yet."""
    return any(d["status"] in ("pending", "retrying")
               for e in found for d in e["alert"]["deliveries"])


def stored(console) -> list[dict]:
    with console.connect() as conn:
        rows = escalations.listing(conn, escalations.STATES)
        outcome = escalations.alert_outcome(conn, [r["id"] for r in rows])
    return sorted(({**r, "alert": outcome[r["id"]]} for r in rows), key=lambda r: r["id"])


def test_the_migration_makes_exactly_the_escalation_tables_the_code_uses(tmp_path):
    engine = db.connect(f"sqlite:///{tmp_path / 'console.db'}")
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
    ours = ("console_escalations", "console_alert_deliveries")
    assert [d for d in differences if any(name in repr(d) for name in ours)] == []


def test_one_escalation_per_escalation_with_plain_labels_and_one_delivery_per_destination(
        tmp_path):
    _, tracker, console, indexer = local_world(tmp_path, ("json://hooks.example.org/a",
                                                          "slack://T0/B0/secret-token"))
    with tracker.begin() as conn:
        conn.execute(events.insert(), [
            event(1, "p", "action", name="action_session_start"),
            *turn(2, "p", "my temperature is 101", "doctor", ["fever"]),
            *turn(5, "p", "still 101 and shivering", "doctor", ["fever", "chills"]),
            *turn(8, "p", "and now I can hardly breathe", "emergency",
                  ["breathing_difficulty", "I can hardly breathe"]),
            *turn(11, "p", "the fever is back", "doctor", ["fever", "site_redness"]),
            *turn(14, "q", "what is a trigger point injection?"),
        ])
    indexer.catch_up()
    found = stored(console)
    assert [(e["level"], e["event_id"], e["channel"]) for e in found] == [
        ("doctor", 3, "telegram"), ("emergency", 9, "telegram")]
    # Repeats add their new signs to the escalation still open at the same or a higher level;
    # a sign id the vocabulary does not know is never shown as what the slot held.
    label = {sign: default_vocabulary().sign(sign).label
             for sign in ("fever", "chills", "breathing_difficulty", "site_redness")}
    assert found[0]["signs"] == [label["fever"], label["chills"]]
    assert found[1]["signs"] == [label["breathing_difficulty"], "a warning sign", label["fever"],
                                 label["site_redness"]]
    deliveries = [d for e in found for d in e["alert"]["deliveries"]]
    assert [(d["escalation_id"], d["destination"], d["status"]) for d in deliveries] == [
        (1, "json://hooks.example.org", "pending"), (1, "slack://", "pending"),
        (2, "json://hooks.example.org", "pending"), (2, "slack://", "pending")]

    # Indexing again adds nothing; closing one lets the next doctor-level sign raise a new one.
    indexer.catch_up()
    assert len(stored(console)) == 2
    with console.begin() as conn:
        assert escalations.acknowledge(conn, 1, "nurse")
        assert not escalations.acknowledge(conn, 1, "other")  # someone was first
        with pytest.raises(ValueError):
            escalations.close(conn, 2, "nurse", "went_shopping", "")
        assert escalations.close(conn, 2, "nurse", "sent_to_emergency_care", "ambulance")
        assert escalations.close(conn, 1, "nurse", "called_back", "")
        assert not escalations.close(conn, 1, "nurse", "called_back", "")
    with tracker.begin() as conn:
        conn.execute(events.insert(), turn(17, "p", "fever again", "doctor", ["fever"]))
    indexer.catch_up()
    found = stored(console)
    assert [(e["level"], e["state"], e["outcome"]) for e in found] == [
        ("doctor", "closed", "called_back"), ("emergency", "closed", "sent_to_emergency_care"),
        ("doctor", "open", None)]
    assert found[1]["acknowledged_by"] == "nurse", "closing an open one acknowledges it too"
    with console.connect() as conn:
        audit = conn.execute(sa.select(db.audit_log.c.action, db.audit_log.c.detail)
                             .order_by(db.audit_log.c.id)).all()
    assert [(a, json.loads(d)["escalation_id"]) for a, d in audit] == [
        ("acknowledge", 1), ("close", 2), ("close", 1)]


def test_an_old_escalation_indexed_late_is_recorded_but_pages_nobody(tmp_path):
    _, tracker, console, indexer = local_world(tmp_path, ("json://hooks.example.org/a",))
    old = turn(1, "p", "cannot breathe", "emergency", ["breathing_difficulty"])
    for row in old:
        row["timestamp"] = time.time() - 3 * 3600
    with tracker.begin() as conn:
        conn.execute(events.insert(), old)
    indexer.catch_up()
    [found] = stored(console)
    assert found["alert"] == {"status": "none", "text": "no alert", "deliveries": []}


def test_the_sender_retries_with_backoff_and_records_each_destinations_outcome(tmp_path):
    receivers = Receivers()
    hook = Webhook(receivers, fail_first={"/flaky": 2}).start()
    silent = Silent()
    urls = (hook.url("/ok"), hook.url("/flaky"), silent.url(), "json://127.0.0.1:1/closed")
    settings, tracker, console, indexer = local_world(tmp_path, urls)
    with tracker.begin() as conn:
        conn.execute(events.insert(), turn(1, "p", DOCTOR_TEXT, "doctor", ["fever"]))
    indexer.catch_up()

    async def run() -> float:
        sender = Sender(settings, console)
        task = asyncio.ensure_future(sender.run_forever())
        started = time.monotonic()
        while sending(stored(console)):
            assert time.monotonic() - started < 30, stored(console)
            await asyncio.sleep(0.05)
        task.cancel()
        await sender.stop()
        return time.monotonic() - started

    try:
        seconds = asyncio.run(run())
    finally:
        hook.stop()
        silent.stop()
    [found] = stored(console)
    outcome = {d["destination_index"]: d for d in found["alert"]["deliveries"]}
    assert (outcome[0]["status"], outcome[0]["attempts"]) == ("sent", 1)
    assert (outcome[1]["status"], outcome[1]["attempts"]) == ("sent", 3)
    for dead in (2, 3):
        assert (outcome[dead]["status"], outcome[dead]["attempts"]) == ("failed", 3)
        assert outcome[dead]["last_error"] and "127.0.0.1:" not in outcome[dead]["last_error"]
    assert found["alert"]["status"] == "failed" and found["alert"]["text"] == (
        "failed (sent to 2 of 4)")
    assert [r.accepted for r in receivers.all() if r.destination == "/flaky"] == [
        False, False, True]
    assert len(receivers.accepted("/ok")) == 1
    # Backoff 0.1 s then 0.2 s; the silent one costs its 1 s read timeout at each attempt.
    assert seconds < 10, seconds
    assert [backoff(n, 2) for n in range(1, 11)] == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]


def test_an_alert_names_the_level_the_signs_and_the_link_and_nothing_else():
    raised = 1_767_225_600.0  # 2026-01-01 00:00 UTC
    escalation = {"id": 42, "level": "emergency", "signs": ["trouble breathing"],
                  "channel": "telegram", "raised_at": raised, "conversation_id": 1234}
    title, body = alert_message("Westcare Clinic", escalation, PUBLIC, "America/New_York")
    assert title == "Westcare Clinic: EMERGENCY escalation"
    for expected in ("Level: emergency", "Warning signs: trouble breathing",
                     "Channel: telegram", "2026-01-01 00:00 UTC",
                     "(2025-12-31 19:00 America/New_York)",
                     f"{PUBLIC}/conversation/1234", "Alert id: 42"):
        assert expected in body
    title, _ = alert_message("Westcare Clinic", {**escalation, "level": "doctor"}, PUBLIC)
    assert title == "Westcare Clinic: doctor-level escalation"
    assert redact("mailto://user:pa55@mail.example.org:587/?to=nurse@example.org") == (
        "mailto://mail.example.org")
    assert redact("msteams://team/tokenA/tokenB/tokenC") == "msteams://"
    assert redact("twilio://AC123:token@15551234567/15557654321") == "twilio://"


def test_the_test_alert_command_reaches_every_destination(monkeypatch, capsys):
    receivers = Receivers()
    hook = Webhook(receivers).start()
    monkeypatch.setenv("CLINIC_ALERT_URLS", f"{hook.url('/ok')} json://127.0.0.1:1/closed")
    try:
        assert alerts.main([]) == 1  # one destination is down
    finally:
        hook.stop()
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "json://127.0.0.1: sent" and printed[1].startswith(
        "json://127.0.0.1: FAILED: ")
    [received] = receivers.all()
    assert received.title == f"{CLINIC.name}: test alert"
    monkeypatch.setenv("CLINIC_ALERT_URLS", "")
    assert alerts.main([]) == 1
    assert "not configured" in capsys.readouterr().out


# --- the real assistant, the real console ------------------------------------------------------
@dataclass
class World:
    servers: object
    env: dict
    workdir: Path
    receivers: Receivers
    db: sa.engine.Engine
    healthy: list[str]
    silent: Silent
    console: subprocess.Popen | None = None
    senders: dict[str, list[str]] = field(default_factory=dict)  # sender -> what it said
    replied: dict[str, float] = field(default_factory=dict)  # sender -> its first reply's time
    timings: dict[str, list[float]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.env['CONSOLE_PORT']}"

    def start_console(self, urls: list[str]) -> None:
        self.env["CLINIC_ALERT_URLS"] = " ".join(urls)
        log = self.workdir / "console.log"
        self.console = subprocess.Popen([sys.executable, "-m", "console.app"], cwd=ROOT,
                                        env=self.env, stdout=log.open("ab"),
                                        stderr=subprocess.STDOUT)
        wait_until(f"{self.url}/signin", self.console, log, timeout=60)

    def stop_console(self) -> None:
        if self.console and self.console.poll() is None:
            self.console.terminate()
            self.console.wait(timeout=30)

    def say(self, sender: str, text: str) -> float:
        """One message through the REST channel; its round trip in seconds."""
        started = time.monotonic()
        replies = self.servers.send(sender, text)
        seconds = time.monotonic() - started
        assert replies, f"no reply to {text!r}"
        self.senders.setdefault(sender, []).append(text)
        self.replied.setdefault(sender, time.time())
        return seconds


@pytest.fixture(scope="module")
def alert_world(servers, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("alerts")
    receivers = Receivers()
    hook = Webhook(receivers, fail_first={"/flaky": 2}).start()
    mail = Mailbox(receivers).start()
    silent = Silent()
    console_db = f"sqlite:///{workdir / 'console.db'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3",
           "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "CONSOLE_PORT": str(free_port()),
           "TRACKER_DB": servers.env["TRACKER_DB"], "CONSOLE_DB_URL": console_db,
           "CONSOLE_PUBLIC_URL": PUBLIC, "CONSOLE_INDEX_SECONDS": "1",
           "CLINIC_ALERT_RETRY_SECONDS": "0.2", "CLINIC_ALERT_MAX_ATTEMPTS": "3",
           "CLINIC_ALERT_TIMEOUT_SECONDS": "3"}
    for name in ("CONSOLE_TRACKER_URL", "TRACKER_DIALECT", "CLINIC_ALERT_URLS"):
        env.pop(name, None)
    subprocess.run([sys.executable, "-m", "console.users", "add", "nurse", "--role", "reviewer"],
                   cwd=ROOT, env=env, input=PASSWORD, text=True, capture_output=True,
                   timeout=120, check=True)
    world = World(servers, env, workdir, receivers, sa.create_engine(console_db, future=True),
                  [hook.url("/ok"), hook.url("/flaky"), mail.url()], silent)
    try:
        world.start_console(world.healthy)
        yield world
    finally:
        world.stop_console()
        hook.stop()
        mail.stop()
        silent.stop()


def new_sender(kind: str) -> str:
    return f"alerts-{kind}-{uuid.uuid4().hex[:8]}"


def escalations_of(world: World, senders) -> list[dict]:
    esc = db.escalations
    with world.db.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(
            sa.select(esc).where(esc.c.sender_id.in_(list(senders))).order_by(esc.c.id))]
        outcome = escalations.alert_outcome(conn, [r["id"] for r in rows])
    return [{**r, "signs": json.loads(r["signs"]), "alert": outcome[r["id"]]} for r in rows]


def settle(world: World, senders) -> list[dict]:
    """Wait until the console has indexed everything the senders said and no alert of theirs
    is still being sent; their escalations."""
    started = time.monotonic()
    while True:
        with world.db.connect() as conn:
            watermark = conn.execute(sa.select(db.index_state.c.watermark)).scalar()
        newest = newest_event(world, senders)
        found = escalations_of(world, senders)
        if watermark >= newest and not sending(found):
            return found
        assert time.monotonic() - started < SETTLED_SECONDS, found
        time.sleep(0.2)


def newest_event(world: World, senders) -> int:
    engine = sa.create_engine(f"sqlite:///{world.env['TRACKER_DB']}", future=True)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.select(sa.func.max(events.c.id)).where(
                events.c.sender_id.in_(list(senders)))).scalar() or 0
    finally:
        engine.dispose()


def accepted_ids(world: World, destination: str) -> list[int]:
    return sorted(r.alert_id for r in world.receivers.accepted(destination))


def sign_in(world: World) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{world.url}/signin").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    response = session.post(f"{world.url}/signin", data={
        "csrf": csrf, "name": "nurse", "password": PASSWORD, "next": "/"})
    assert response.status_code == 200 and "Sign out" in response.text
    return session


def script(world: World) -> tuple[dict[str, str], list[float]]:
    """An emergency, a doctor-level sign and a question, each from a new patient: the same in
    every phase, so their reply times compare."""
    senders = {"emergency": new_sender("e"), "doctor": new_sender("d"),
               "question": new_sender("q")}
    times = [world.say(senders["emergency"], EMERGENCY_TEXT),
             world.say(senders["doctor"], DOCTOR_TEXT),
             world.say(senders["question"], QUESTION)]
    return senders, times


def no_patient_words_in_any_alert(world: World) -> None:
    for received in world.receivers.all():
        for sender, texts in world.senders.items():
            assert sender not in received.raw
            for text in texts:
                assert text not in received.raw and text.lower() not in received.raw.lower()
        for fragment in ("hurts to breathe", "temperature of 101", "trigger point injection"):
            assert fragment not in received.raw.lower()


def test_each_escalation_raises_exactly_one_alert_at_each_destination(alert_world):
    world = alert_world
    senders, times = script(world)
    world.timings["without a dead destination"] = times
    # The same sign again in the same conversation, then a rise from doctor to emergency, then
    # doctor-level again: one more escalation (the rise), no more.
    world.say(senders["emergency"], EMERGENCY_TEXT)
    world.say(senders["doctor"], EMERGENCY_TEXT)
    world.say(senders["doctor"], DOCTOR_TEXT)
    found = settle(world, senders.values())

    by_sender = {}
    for escalation in found:
        by_sender.setdefault(escalation["sender_id"], []).append(escalation["level"])
    assert by_sender == {senders["emergency"]: ["emergency"],
                         senders["doctor"]: ["doctor", "emergency"]}
    ids = sorted(e["id"] for e in found)
    for destination in ("/ok", "/flaky", "smtp"):
        assert [i for i in accepted_ids(world, destination) if i in ids] == ids, destination
    rejected = [r.alert_id for r in world.receivers.all()
                if r.destination == "/flaky" and not r.accepted]
    assert sorted(i for i in rejected if i in ids) == sorted(ids * 2), "twice each, then sent"
    for escalation in found:
        outcome = {d["destination_index"]: (d["status"], d["attempts"])
                   for d in escalation["alert"]["deliveries"]}
        assert outcome == {0: ("sent", 1), 1: ("sent", 3), 2: ("sent", 1)}

    # What an alert says, and how soon it came.
    for escalation in found:
        [alert] = [r for r in world.receivers.accepted("/ok") if r.alert_id == escalation["id"]]
        [mail] = [r for r in world.receivers.accepted("smtp") if r.alert_id == escalation["id"]]
        heading = ("EMERGENCY escalation" if escalation["level"] == "emergency"
                   else "doctor-level escalation")
        assert alert.title == mail.title == f"{CLINIC.name}: {heading}"
        link = f"{PUBLIC}/conversation/{escalation['conversation_id']}"
        for text in (alert.body, mail.body):
            assert link in text and f"Alert id: {escalation['id']}" in text
            assert "Channel: rest" in text and " UTC" in text
            assert all(sign in text for sign in escalation["signs"])
    assert default_vocabulary().sign("breathing_difficulty").label in found[0]["signs"]
    first = min(r.at for r in world.receivers.accepted("/ok") if r.alert_id == found[0]["id"])
    print(f"\nthe emergency's alert came {first - world.replied[senders['emergency']]:.1f} s "
          "after the patient's reply")
    no_patient_words_in_any_alert(world)

    # The conversation's page shows each escalation's alert outcome.
    page = sign_in(world).get(f"{world.url}/conversation/{found[-1]['conversation_id']}").text
    assert "json://127.0.0.1" in page and "mailto://127.0.0.1" in page
    assert "(3 attempts)" in page and ">sent<" in page
    assert "Alerts are not configured" not in page


def test_a_console_restart_sends_nothing_twice(alert_world):
    world = alert_world
    sender = new_sender("restart")
    world.say(sender, EMERGENCY_TEXT)
    world.stop_console()  # at once: its alert may be unsent, half sent or sent
    # Back with one more destination, which stays down (the next test's).
    world.start_console([*world.healthy, world.silent.url()])
    [escalation] = settle(world, [sender])
    for destination in ("/ok", "/flaky", "smtp"):
        assert accepted_ids(world, destination).count(escalation["id"]) == 1, destination
    # Nothing sent before the restart went out again after it.
    for destination in ("/ok", "/flaky", "smtp"):
        ids = accepted_ids(world, destination)
        assert len(ids) == len(set(ids)), f"{destination} got an alert twice: {ids}"
    no_patient_words_in_any_alert(world)


def test_a_destination_that_stays_down_is_recorded_failed_and_replies_are_not_slower(
        alert_world):
    world = alert_world
    senders, times = script(world)
    world.timings["with a dead destination"] = times
    found = settle(world, senders.values())
    assert [e["level"] for e in found] == ["emergency", "doctor"]
    for escalation in found:
        outcome = {d["destination_index"]: d for d in escalation["alert"]["deliveries"]}
        dead = outcome[3]
        assert (dead["status"], dead["attempts"]) == ("failed", 3)
        assert dead["destination"] == "json://127.0.0.1" and dead["last_error"]
        # The other destinations got theirs, each once, whatever the dead one did.
        assert [outcome[i]["status"] for i in (0, 1, 2)] == ["sent"] * 3
        for destination in ("/ok", "/flaky", "smtp"):
            assert accepted_ids(world, destination).count(escalation["id"]) == 1
        assert escalation["alert"]["status"] == "failed"
    fast = sum(world.timings["without a dead destination"])
    slow = sum(times)
    print(f"\nreply times: {fast:.2f} s without, {slow:.2f} s with a dead destination")
    assert slow <= 1.5 * fast + 0.5, (fast, slow)
    page = sign_in(world).get(f"{world.url}/conversation/{found[0]['conversation_id']}").text
    assert "failed" in page and "(3 attempts)" in page
    no_patient_words_in_any_alert(world)
