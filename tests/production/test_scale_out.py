"""Scale-out, for real on loopback: two Rasa replicas behind nginx (round robin) share one
PostgreSQL tracker store and one Redis lock store (tests/production/conftest.py starts them).

- one conversation hops replicas: consecutive messages go to different replicas;
- 50 concurrent conversations x 20 messages: both replicas serve every conversation, and every
  user message and every bot reply is stored exactly once, in order, in the right conversation;
- PostgreSQL or Redis stopped: the safe static reply (or a clear HTTP error), nothing processed or
  kept in memory, and service resumes when it is back, without restarting anything;
- a replica SIGKILLed under the same load: the conversations carry on through the other one, and
  no message is lost, duplicated or half stored (runs last: it leaves one replica dead);
- the clinic alerts of all those conversations: the console derives one escalation per escalation
  from the stored events, whichever replica wrote them, and sends one alert each to a loopback
  JSON webhook.

Which replica served a request is read from nginx's access log: each conversation's client
connects from its own loopback address (127.x.y.z), which the log records as $remote_addr, and a
conversation sends its next message only after the reply, so its log lines are its requests in
order. Each conversation starts at a different message of SCRIPT, so at any moment the
conversations ask different things and a reply delivered to the wrong one shows.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
import requests
import sqlalchemy as sa

from clinic import load_profile
from console import rasa_api
from content.model import response
from tests.production.conftest import TICKET_LOCK_LIFETIME, TOKEN

pytestmark = pytest.mark.servers

ROOT = Path(__file__).resolve().parents[2]
CLINIC = load_profile()
SAFE_REPLY = response("utter_safety_fallback").text.format(**CLINIC.as_slots())
WELCOME = response("utter_welcome").text.format(**CLINIC.as_slots())

# What patients ask, and a phrase the answer to each must contain. Questions, worries, two warning
# signs (one for the doctor, one for the emergency number) and small talk.
SCRIPT = [
    ("hello", "I can answer your questions"),
    ("what exactly is a trigger point injection", "shot of medicine"),
    ("which medicine do you put in the shot", "lidocaine"),
    ("do I need to do anything to get ready before my appointment", "before the shot"),
    ("does the needle hurt a lot", "crunch"),
    ("how long will the whole thing take", "few minutes"),
    ("is it ok to drive myself home afterwards", "drive you home"),
    ("when can I go back to lifting weights", "heavy lifting"),
    ("the injection site is red hot and swollen and I have a fever",
     f"contact your doctor or {CLINIC.name} today"),
    ("how many injections will I need", "more are not advised"),
    ("are there any side effects I should know about", "fairly safe"),
    ("could the needle hit my lung", "pneumothorax"),
    ("my shoulder is a bit sore where they injected", "Feeling sore"),
    ("how do I book an appointment", CLINIC.booking_url),
    ("what's the clinic's phone number", f"call {CLINIC.name} at {CLINIC.phone}"),
    ("are you a real person", "not a real person"),
    ("thank you so much", "You're welcome"),
    ("since the injection my face and lips are swelling up",
     f"Call {CLINIC.emergency_number} now"),
    ("will it fix my neck pain for good", "not work the same for everyone"),
    ("ok bye", "Goodbye"),
]
EXPECTED = dict(SCRIPT)
MESSAGES = [message for message, _ in SCRIPT]

CONVERSATIONS = 50
WEBHOOK = "/webhooks/rest/webhook"
# Generous: a conversation whose ticket lock a killed replica held waits up to
# TICKET_LOCK_LIFETIME, then its message takes a few seconds at most on a busy 2-core machine.
CLIENT_TIMEOUT = 3 * TICKET_LOCK_LIFETIME + 15


# --- clients -------------------------------------------------------------------------------------
@dataclass
class Turn:
    message: str
    status: int | None  # None: no HTTP answer at all (connection error, client timeout)
    replies: list | None  # the JSON body of a 200
    error: str
    started: float
    ended: float

    @property
    def ok(self) -> bool:
        return self.status == 200 and isinstance(self.replies, list) and not self.error

    @property
    def texts(self) -> list:
        return [reply.get("text") for reply in self.replies or []]


@dataclass
class Conversation:
    sender: str
    address: str  # the client's own loopback address, nginx's $remote_addr
    messages: list[str] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)


def conversation(group: int, index: int, messages: list[str] | None = None) -> Conversation:
    """Conversation `index` of test `group`; its address is unique across the module."""
    return Conversation(f"scale-{group}-{index:02d}-{uuid.uuid4().hex[:8]}",
                        f"127.{group}.{index // 250}.{index % 250 + 1}", list(messages or []))


def rotated(index: int) -> list[str]:
    return MESSAGES[index % len(MESSAGES):] + MESSAGES[:index % len(MESSAGES)]


async def post_message(session: aiohttp.ClientSession, url: str, sender: str,
                       message: str) -> tuple[int, list | None, str]:
    """One message through the REST webhook: (status, the JSON replies or None, an error)."""
    async with session.post(f"{url}{WEBHOOK}",
                            json={"sender": sender, "message": message}) as response:
        status, body = response.status, await response.text()
    try:
        return status, json.loads(body), ""
    except ValueError:
        return status, None, f"not JSON: {body[:200]!r}"


async def _talk(session_for: Callable[[str], aiohttp.ClientSession], url: str,
                talker: Conversation, messages: list[str],
                on_turn: Callable[[Turn], None]) -> None:
    async with session_for(talker.address) as session:
        for message in messages:
            started = time.monotonic()
            status, replies, error = None, None, ""
            try:
                status, replies, error = await post_message(session, url, talker.sender, message)
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                error = f"{type(exc).__name__}: {exc}"
            turn = Turn(message, status, replies, error, started, time.monotonic())
            talker.turns.append(turn)
            on_turn(turn)


def converse(url: str, talkers: list[Conversation], messages: list[list[str]] | None = None,
             on_turn: Callable[[Turn], None] = lambda turn: None) -> None:
    """All conversations at once, each sending its next message only after the reply to the
    previous one (or its failure). `messages`: what each sends now (default: its `messages`)."""

    def session_for(address: str) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(local_addr=(address, 0)),
            timeout=aiohttp.ClientTimeout(total=CLIENT_TIMEOUT))

    batches = messages or [talker.messages for talker in talkers]

    async def main() -> None:
        await asyncio.gather(*(_talk(session_for, url, talker, batch, on_turn)
                               for talker, batch in zip(talkers, batches, strict=True)))

    asyncio.run(main())


def send(url: str, talker: Conversation, *messages: str) -> list[Turn]:
    """One conversation, message after message; returns the new turns."""
    before = len(talker.turns)
    talker.messages.extend(messages)
    converse(url, [talker], [list(messages)])
    return talker.turns[before:]


# --- what nginx and PostgreSQL saw ---------------------------------------------------------------
LOG_LINE = re.compile(r'(?P<address>\S+) \[[^\]]*\] "(?P<method>\S+) (?P<uri>\S+)" '
                      r"(?P<status>\d{3}) (?P<upstream>.*) (?P<seconds>[\d.]+)$")


@dataclass
class Served:
    status: int
    replica: int | None  # index in stack.rasa of the replica that answered; None: none did
    tried: list[str]


def served(world, talkers: list[Conversation]) -> dict[str, list[Served]]:
    """sender -> its webhook requests as nginx logged them, in order. nginx writes a request's line
    just after sending the reply, so the line of the last reply may lag a moment behind it."""
    ports = {f"127.0.0.1:{process.port}": index for index, process in enumerate(world.stack.rasa)}
    log = world.stack.directory / "nginx" / "access.log"
    deadline = time.monotonic() + 10
    while True:
        by_address: dict[str, list[Served]] = {t.address: [] for t in talkers}
        for line in log.read_text().splitlines():
            match = LOG_LINE.match(line)
            assert match, f"unexpected access log line: {line!r}"
            if match["uri"] == WEBHOOK and match["address"] in by_address:
                tried = match["upstream"].split(", ")
                by_address[match["address"]].append(
                    Served(int(match["status"]), ports.get(tried[-1]), tried))
        if all(len(by_address[t.address]) >= len(t.turns) for t in talkers) \
                or time.monotonic() > deadline:
            return {t.sender: by_address[t.address] for t in talkers}
        time.sleep(0.1)


def logged_as(turn: Turn, logged: Served) -> bool:
    """The log line is this request's: the same status (499: the client gave up waiting)."""
    return logged.status == (499 if turn.status is None else turn.status)


def matched(talker: Conversation, log: list[Served]) -> list[tuple[Turn, Served]]:
    assert len(log) == len(talker.turns) and all(map(logged_as, talker.turns, log)), (
        f"{talker.sender}: nginx logged {[s.status for s in log]}, the client saw "
        f"{[t.status for t in talker.turns]}")
    return list(zip(talker.turns, log, strict=True))


@dataclass
class Event:
    id: int
    type: str
    action: str | None
    data: dict


def stored(world, sender: str) -> list[Event]:
    with world.db.connect() as connection:
        rows = connection.execute(sa.text(
            f'SELECT id, type_name, action_name, data FROM "{world.schema}".events '
            "WHERE sender_id = :sender ORDER BY id"), {"sender": sender})
        return [Event(row.id, row.type_name, row.action_name, json.loads(row.data))
                for row in rows]


def stored_turns(events: list[Event]) -> tuple[list[Event], list[tuple[str, list[Event]]]]:
    """The events before the first user message, and (user text, the events after it up to the
    next user message) for each user message."""
    prelude: list[Event] = []
    turns: list[tuple[str, list[Event]]] = []
    for event in events:
        if event.type == "user":
            turns.append((event.data.get("text"), []))
        elif turns:
            turns[-1][1].append(event)
        else:
            prelude.append(event)
    return prelude, turns


def bot_texts(events: list[Event]) -> list:
    """The bot's texts as the REST channel sends them: Rasa's output channel sends each paragraph
    ("\n\n") of a text without buttons as a message of its own, a text with buttons whole."""
    texts = []
    for event in (e for e in events if e.type == "bot"):
        text = event.data.get("text")
        whole = not text or (event.data.get("data") or {}).get("buttons")
        texts += [text] if whole else text.strip().split("\n\n")
    return texts


def complete(events: list[Event]) -> bool:
    """A whole turn: the bot said something and then listened again."""
    return bool(bot_texts(events)) and events[-1].type == "action" \
        and events[-1].action == "action_listen"


def storage_problems(talker: Conversation, events: list[Event]) -> list[str]:
    """Every answered message stored exactly once, in order, with exactly the replies the client
    received; a failed one stored whole or not at all; nothing else stored."""
    who = talker.sender
    prelude, turns = stored_turns(events)
    problems = []
    if bot_texts(prelude):
        problems.append(f"{who}: bot messages before the first user message: {bot_texts(prelude)}")
    users = [text for text, _ in turns]
    sent = [turn.message for turn in talker.turns]
    if len(set(users)) != len(users):
        problems.append(f"{who}: duplicated user messages: "
                        f"{[t for t, n in Counter(users).items() if n > 1]}")
    if users != [message for message in sent if message in set(users)]:
        problems.append(f"{who}: stored user messages {users} are not the sent ones {sent} "
                        "(in order, each once)")
    after = dict(turns)
    for turn in talker.turns:
        if turn.ok and turn.message not in after:
            problems.append(f"{who}: answered message {turn.message!r} not stored")
        elif turn.ok and bot_texts(after[turn.message]) != turn.texts:
            problems.append(f"{who}: after {turn.message!r} stored {bot_texts(after[turn.message])}"
                            f" but the client received {turn.texts}")
    for text, following in turns:
        if not complete(following):
            problems.append(f"{who}: half-stored turn for {text!r}: "
                            f"{[(e.type, e.action, e.data.get('text')) for e in following]}")
    return problems


def content_problems(talker: Conversation) -> list[str]:
    """Each answer is the answer to that conversation's own message."""
    problems = []
    for turn in talker.turns:
        if turn.ok and EXPECTED[turn.message] not in " ".join(map(str, turn.texts)):
            problems.append(f"{talker.sender}: {turn.message!r} was answered {turn.texts}")
    return problems


def tracker(world, sender: str) -> requests.Response:
    return requests.get(f"{world.stack.url}/conversations/{sender}/tracker",
                        params={"token": TOKEN}, timeout=30)


def user_texts(tracker_json: dict) -> list[str]:
    return [e.get("text") for e in tracker_json["events"] if e["event"] == "user"]


def process_ids(world) -> dict[str, int]:
    stack = world.stack
    pids = {process.name: process.popen.pid for process in [*stack.rasa, *stack.actions]
            if process.alive()}
    if stack.nginx.process and stack.nginx.process.poll() is None:
        pids["nginx"] = stack.nginx.process.pid
    return pids


# --- tests ---------------------------------------------------------------------------------------
def test_consecutive_messages_of_a_conversation_go_to_different_replicas(world):
    """Alone on the load balancer, one conversation alternates between the replicas at every
    message, and still reads as one conversation: each replica sees what the other stored."""
    talker = conversation(12, 0)
    send(world.stack.url, talker, *MESSAGES[:10])
    assert all(turn.ok for turn in talker.turns), [(t.status, t.error) for t in talker.turns]
    log = served(world, [talker])[talker.sender]
    assert [s.status for s in log] == [200] * 10
    replicas = [s.replica for s in log]
    assert set(replicas) == {0, 1}
    assert all(a != b for a, b in zip(replicas, replicas[1:], strict=False)), replicas
    assert content_problems(talker) == []
    assert WELCOME in talker.turns[0].texts
    assert not any(WELCOME in turn.texts for turn in talker.turns[1:]), "a second session started"
    assert storage_problems(talker, stored(world, talker.sender)) == []


def test_fifty_concurrent_conversations_are_served_by_both_replicas_and_stored_exactly_once(
        world):
    talkers = [conversation(10, index, rotated(index)) for index in range(CONVERSATIONS)]
    started = time.monotonic()
    converse(world.stack.url, talkers)
    seconds = time.monotonic() - started
    turns = [turn for talker in talkers for turn in talker.turns]
    assert len(turns) == CONVERSATIONS * len(MESSAGES)
    failed = [(t.message, t.status, t.error) for t in turns if not t.ok or not t.replies]
    assert failed == [], f"{len(failed)} requests failed or got no reply: {failed[:5]}"

    # Which replica served what: every request logged once, in order, with the client's status.
    log = served(world, talkers)
    switches = pairs = 0
    for talker in talkers:
        replicas = [where.replica for _, where in matched(talker, log[talker.sender])]
        assert set(replicas) == {0, 1}, f"{talker.sender} was served only by {set(replicas)}"
        switches += sum(a != b for a, b in zip(replicas, replicas[1:], strict=False))
        pairs += len(replicas) - 1
    share = Counter(s.replica for seen in log.values() for s in seen)
    # Round robin: the two replicas take turns over all requests.
    assert abs(share[0] - share[1]) <= 2, share
    waits = sorted(t.ended - t.started for t in turns)
    print(f"\n{len(turns)} messages in {seconds:.1f} s; {switches}/{pairs} consecutive pairs "
          f"changed replica; per replica {dict(share)}; reply time median "
          f"{waits[len(waits) // 2]:.2f} s, 95th percentile {waits[len(waits) * 95 // 100]:.2f} s, "
          f"slowest {waits[-1]:.2f} s")
    # Replica changes inside a conversation depend on how the 50 interleave: about half.
    assert switches >= pairs // 4, (switches, pairs)

    # PostgreSQL holds exactly what was said, and each reply belongs to its conversation.
    problems = [p for talker in talkers
                for p in storage_problems(talker, stored(world, talker.sender))]
    assert problems == [], "\n".join(problems[:20])
    problems = [p for talker in talkers for p in content_problems(talker)]
    assert problems == [], "\n".join(problems[:20])
    for talker in talkers:
        assert WELCOME in talker.turns[0].texts, talker.sender
        assert not any(WELCOME in t.texts for t in talker.turns[1:]), talker.sender
    # The same messages in the same order get the same replies, whichever replica served them.
    by_script: dict[tuple, list] = {}
    for talker in talkers:
        by_script.setdefault(tuple(talker.messages), []).append([t.texts for t in talker.turns])
    for script, answers in by_script.items():
        assert all(a == answers[0] for a in answers), f"different replies to {script[0]!r}..."


ALERT_LEVELS = {"doctor": 1, "emergency": 2}


def expected_escalations(events: list[Event]) -> int:
    """How many escalations the console makes of one conversation's stored escalation_level
    events: one at the first, then one more at each rise (repeats join the open one)."""
    count, highest = 0, 0
    for event in events:
        level = ALERT_LEVELS.get(event.data.get("value"), 0) if (
            event.type == "slot" and event.action == "escalation_level") else 0
        if level > highest:
            count, highest = count + 1, level
    return count


def console_alerts_settled(world, senders: list[str]) -> tuple[list, list]:
    """The console's escalations of these senders and their deliveries, once it has indexed
    every stored event and sent every alert (or after 90 s)."""
    schema = f'"{world.schema}"'
    deadline = time.monotonic() + 90
    while True:
        with world.db.connect() as connection:
            newest = connection.execute(sa.text(f"SELECT max(id) FROM {schema}.events")).scalar()
            watermark = connection.execute(sa.text(
                f"SELECT watermark FROM {schema}.console_index_state")).scalar()
            found = connection.execute(sa.text(
                f"SELECT id, sender_id, level FROM {schema}.console_escalations "
                "WHERE sender_id = ANY(:senders) ORDER BY id"), {"senders": senders}).all()
            deliveries = connection.execute(sa.text(
                f"SELECT d.escalation_id, d.status, d.attempts FROM "
                f"{schema}.console_alert_deliveries d JOIN {schema}.console_escalations e "
                "ON e.id = d.escalation_id WHERE e.sender_id = ANY(:senders)"),
                {"senders": senders}).all()
        done = watermark >= newest and all(d.status in ("sent", "failed") for d in deliveries)
        if done or time.monotonic() > deadline:
            return found, deliveries
        time.sleep(0.3)


def test_each_escalation_sends_exactly_one_alert_whichever_replica_served_it(world):
    """The conversations of the tests above (one hopping replicas at every message; fifty at
    once, each with a doctor-level and an emergency sign in one order or the other): one
    escalation per escalation in the console, and exactly one alert each at the webhook, never
    one per replica."""
    with world.db.connect() as connection:
        senders = list(connection.execute(sa.text(
            f'SELECT DISTINCT sender_id FROM "{world.schema}".events '
            "WHERE sender_id LIKE 'scale-1%' AND action_name = 'escalation_level'")).scalars())
    assert len(senders) >= CONVERSATIONS, "the conversations above escalated"
    started = time.monotonic()
    found, deliveries = console_alerts_settled(world, senders)
    expected = {sender: expected_escalations(stored(world, sender)) for sender in senders}
    made = Counter(row.sender_id for row in found)
    assert {s: made[s] for s in senders} == expected
    assert sorted(d.escalation_id for d in deliveries) == sorted(row.id for row in found)
    assert {(d.status, d.attempts) for d in deliveries} == {("sent", 1)}
    received = world.alerts.accepted("/alerts")
    ids = sorted(r.alert_id for r in received if r.alert_id in {row.id for row in found})
    assert ids == sorted(row.id for row in found), "exactly one alert per escalation"
    for alert in received:
        assert not any(sender in alert.raw for sender in senders)
        assert not any(message in alert.raw for message in MESSAGES)
    print(f"\n{len(found)} escalations of {len(senders)} conversations, {len(received)} alerts "
          f"(all sent {time.monotonic() - started:.1f} s after this test began)")


def wait_stored(base: str, sender_id: str, text: str, timeout: float = 15.0) -> None:
    """Until the tracker store has the patient's message as the conversation's latest."""
    deadline = time.monotonic() + timeout
    while True:
        state = requests.get(f"{base}/conversations/{sender_id}/tracker",
                             params={"token": TOKEN, "include_events": "NONE"}, timeout=10).json()
        if (state.get("latest_message") or {}).get("text") == text:
            return
        assert time.monotonic() < deadline, f"{sender_id}: {text!r} not stored in {timeout} s"
        time.sleep(0.2)


async def widget_receives_staff_replies(world, session_id: str, staff: str) -> list[str]:
    """A socket.io client (the widget's protocol) through nginx, which pins its socket to one
    replica; staff replies sent through each replica's API and through nginx. What it received."""
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    received: asyncio.Queue = asyncio.Queue()
    confirmed = asyncio.Event()
    client.on("bot_uttered", lambda data: received.put_nowait(data.get("text", "")))
    client.on("session_confirm", lambda _: confirmed.set())
    # Long-polling: this engineio client's WebSocket needs a newer aiohttp than Rasa pins.
    await client.connect(world.stack.url, transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), 10)
        await client.emit("user_uttered", {"message": "hello", "session_id": session_id})
        await asyncio.wait_for(received.get(), 30)  # the welcome: the socket is in its room
        # The welcome is sent while the turn runs; the conversation is stored at the turn's end,
        # and a take-over of a conversation Rasa has not stored yet is refused (404).
        await asyncio.to_thread(wait_stored, world.stack.url, session_id, "hello")
        await asyncio.to_thread(rasa_api.take_over, world.stack.url, TOKEN, session_id, staff)
        bases = [f"http://127.0.0.1:{p.port}" for p in world.stack.rasa] + [world.stack.url]
        texts = []
        for index, base in enumerate(bases):
            words = f"Staff reply {index + 1} of {len(bases)}."
            await asyncio.to_thread(rasa_api.send_staff_reply, base, TOKEN, session_id, staff,
                                    words)
            while not texts or words not in texts[-1]:
                texts.append(await asyncio.wait_for(received.get(), 10))
        return texts
    finally:
        # Closed without waiting for the pending long-poll, which the server ends only at its
        # next ping (25 s).
        await client.eio.disconnect(abort=True)


def test_a_staff_reply_reaches_the_widget_whichever_replica_holds_its_socket(world):
    """Handoff (docs/handoff.md): the patient's socket lives on one replica; a staff reply sent
    through the other replica's API reaches it through Redis (channels/socketio.py)."""
    session_id, staff = uuid.uuid4().hex, "Ada Nurse"
    texts = asyncio.run(widget_receives_staff_replies(world, session_id, staff))
    staff_texts = [t for t in texts if t.startswith(f"{staff} ({CLINIC.name}): ")]
    assert [t.split(": ", 1)[1] for t in staff_texts] == [
        f"Staff reply {i} of 3." for i in (1, 2, 3)], texts
    bots = [e for e in tracker(world, session_id).json()["events"] if e["event"] == "bot"
            and (e.get("metadata") or {}).get("staff") == staff]
    assert [e["text"] for e in bots] == staff_texts, "each stored once, with the staff name"
    rasa_api.hand_back(world.stack.url, TOKEN, session_id, staff)


def safe_or_error(turn: Turn, sender: str) -> bool:
    """The safe static reply, and only it, or a clear HTTP error: never a normal answer."""
    if turn.status == 200:
        return turn.replies == [{"recipient_id": sender, "text": SAFE_REPLY}]
    return turn.status is not None and turn.status >= 500


@pytest.mark.parametrize("name", ["postgresql", "redis"])
def test_a_storage_outage_gives_the_safe_reply_and_nothing_is_kept_in_memory(world, name):
    url, pids = world.stack.url, process_ids(world)
    service = world.postgres if name == "postgresql" else world.redis
    group = 13 if name == "postgresql" else 14
    patient, newcomer = conversation(group, 0), conversation(group, 1)
    before = ["hello", "what exactly is a trigger point injection",
              "which medicine do you put in the shot"]
    during = ["the injection site is red hot and swollen and I have a fever",
              "how long will the whole thing take", "how many injections will I need",
              "could the needle hit my lung"]
    after = ["what's the clinic's phone number", "are you a real person"]
    assert all(turn.ok for turn in send(url, patient, *before))
    history = stored(world, patient.sender)
    assert [text for text, _ in stored_turns(history)[1]] == before

    service.stop()
    try:
        outage = send(url, patient, *during) + send(url, newcomer, "hello", "ok bye")
        during_tracker = tracker(world, patient.sender)
    finally:
        service.start_again()
    print(f"\n{name} down: {[(t.status, t.texts[:1] and t.texts[0][:30]) for t in outage]}; "
          f"tracker API {during_tracker.status_code}")
    assert all(safe_or_error(t, s) for t, s in zip(
        outage, [patient.sender] * len(during) + [newcomer.sender] * 2, strict=True)), \
        [(t.message, t.status, t.replies, t.error) for t in outage]
    log = served(world, [patient])[patient.sender]
    assert {s.replica for s in log[len(before):]} == {0, 1}, "both replicas met the outage"
    # No conversation started or continued in memory: the API shows the stored history, or fails.
    if during_tracker.status_code == 200:
        assert user_texts(during_tracker.json()) == before
    else:
        assert during_tracker.status_code >= 500
    # Nothing was processed: not a row more for the patient, none for the newcomer.
    assert stored(world, patient.sender) == history
    assert stored(world, newcomer.sender) == []

    # Back, without restarting anything: both replicas answer normally and remember the history.
    resumed = send(url, patient, *after)
    assert all(t.ok for t in resumed), [(t.status, t.replies, t.error) for t in resumed]
    assert {s.replica for s in served(world, [patient])[patient.sender][-2:]} == {0, 1}
    assert content_problems(Conversation(patient.sender, patient.address, after, resumed)) == []
    assert not any(WELCOME in t.texts or SAFE_REPLY in t.texts for t in resumed)
    events = stored(world, patient.sender)
    assert events[:len(history)] == history
    assert [text for text, _ in stored_turns(events)[1]] == before + after
    assert sum(e.type == "session_started" for e in events) == 1
    answered = Conversation(patient.sender, patient.address, before + after,
                            [t for t in patient.turns if t.message in before + after])
    assert storage_problems(answered, events) == []
    for _ in world.stack.rasa:  # round robin: each replica's view
        view = tracker(world, patient.sender)
        assert view.status_code == 200
        assert user_texts(view.json()) == before + after
        assert sum(e["event"] == "session_started" for e in view.json()["events"]) == 1
    # The newcomer's messages during the outage left no session behind: it starts afresh now.
    first = send(url, newcomer, "does the needle hurt a lot")[0]
    assert first.ok and WELCOME in first.texts and EXPECTED[first.message] in " ".join(first.texts)
    assert [text for text, _ in stored_turns(stored(world, newcomer.sender))[1]] == [first.message]
    assert process_ids(world) == pids and len(pids) == 5


ERASE = "/webhooks/privacy/erase"
ERASURE_DONE = response("utter_erasure_done").text.format(**CLINIC.as_slots())
ERASURE_QUESTION = response("utter_ask_erasure_confirmation").text.format(**CLINIC.as_slots())


def erase_through(url: str, sender: str) -> requests.Response:
    """The console's deletion (docs/data-rights.md, 2.2), as console/rasa_api.py sends it."""
    return requests.post(f"{url}{ERASE}", json={"sender_id": sender, "reason": "staff_on_request",
                                                "actor": "ada"},
                         headers={"Authorization": f"Bearer {TOKEN}"}, timeout=CLIENT_TIMEOUT)


def erasures_served(world, at_least: int = 1) -> list[Served]:
    """The deletion requests as nginx logged them, in order. nginx writes a request's line just
    after sending the reply, so the caller's last one may lag a moment behind: wait for
    `at_least` lines (up to 10 s)."""
    ports = {f"127.0.0.1:{process.port}": index for index, process in enumerate(world.stack.rasa)}
    log = world.stack.directory / "nginx" / "access.log"
    deadline = time.monotonic() + 10
    while True:
        found = []
        for line in log.read_text().splitlines():
            match = LOG_LINE.match(line)
            if match and match["uri"] == ERASE:
                tried = match["upstream"].split(", ")
                found.append(Served(int(match["status"]), ports.get(tried[-1]), tried))
        if len(found) >= at_least or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_a_deletion_through_nginx_waits_for_a_message_in_flight_on_the_other_replica(world):
    """Data rights (docs/data-rights.md, 2): a message is being handled by one replica when the
    console's deletion reaches the other one through nginx. The deletion waits for the
    conversation's lock (Redis), then deletes the message's events too: nothing is left."""
    talker = conversation(20, 0)
    assert all(t.ok for t in send(world.stack.url, talker, "hello",
                                  "what exactly is a trigger point injection"))
    before = stored(world, talker.sender)
    # Round robin: nginx sends the next request to the replica that did not serve the last one.
    last = served(world, [talker])[talker.sender][-1].replica
    replica = world.stack.rasa[last]
    answered: list[requests.Response] = []
    message = threading.Thread(target=lambda: answered.append(requests.post(
        f"http://127.0.0.1:{replica.port}{WEBHOOK}",
        json={"sender": talker.sender, "message": "which medicine do you put in the shot"},
        timeout=CLIENT_TIMEOUT)))
    logged_before = len(erasures_served(world, at_least=0))
    message.start()
    time.sleep(0.03)
    erased = erase_through(world.stack.url, talker.sender)
    message.join(timeout=CLIENT_TIMEOUT)
    assert answered and answered[0].status_code == 200 and answered[0].json(), \
        "the message in flight was answered"
    assert erased.status_code == 200, erased.text
    assert erasures_served(world, logged_before + 1)[-1].replica == 1 - last, \
        "the other replica deleted"
    assert erased.json()["events"] > len(before), "the deletion waited for the message"
    assert stored(world, talker.sender) == []


def test_a_patient_deletes_the_conversation_in_the_chat_through_nginx(world):
    """The request, the question and the confirmation reach different replicas; every session
    is deleted in PostgreSQL; the next message starts a new conversation with the welcome."""
    talker = conversation(20, 1)
    turns = send(world.stack.url, talker, "hello", "/session_start", "does the needle hurt a lot",
                 "please delete my conversation")
    assert all(t.ok for t in turns), [(t.status, t.error) for t in turns]
    assert WELCOME in turns[2].texts, "a second session"
    assert ERASURE_QUESTION in turns[3].texts
    before = stored(world, talker.sender)
    assert sum(e.type == "session_started" for e in before) == 2

    confirmed = send(world.stack.url, talker, "/confirm_erasure")[0]
    assert confirmed.ok and confirmed.texts == [ERASURE_DONE], confirmed.replies
    assert stored(world, talker.sender) == []
    replicas = [s.replica for s in served(world, [talker])[talker.sender]]
    assert set(replicas[-3:]) == {0, 1}, replicas
    with world.db.connect() as connection:
        # The console may already have processed (and removed) the deletion's record.
        records = connection.execute(sa.text(
            f'SELECT reason, actor, events FROM "{world.schema}".privacy_erasures '
            "WHERE sender_id = :sender"), {"sender": talker.sender}).all()
    assert all(tuple(r) == ("patient_request", "patient", len(before)) for r in records), records

    again = send(world.stack.url, talker, "how long will the whole thing take")[0]
    assert again.ok and WELCOME in again.texts and EXPECTED[again.message] in " ".join(
        map(str, again.texts))
    events = stored(world, talker.sender)
    assert sum(e.type == "session_started" for e in events) == 1
    assert [text for text, _ in stored_turns(events)[1]] == [again.message]
    assert min(e.id for e in events) > max(e.id for e in before)


def test_a_replica_killed_under_load_loses_no_message_and_the_other_carries_on(world):
    """SIGKILL one replica (its process group) while 50 conversations talk; each goes on with
    its next message whatever happened to the last one. A message that finds the conversation's
    ticket lock still held by the dead replica waits for that ticket to expire
    (TICKET_LOCK_LIFETIME), then must be served. Runs last: it leaves the replica dead."""
    talkers = [conversation(11, index, rotated(index + 7)) for index in range(CONVERSATIONS)]
    victim = world.stack.rasa[1]
    total, kill_after = CONVERSATIONS * len(MESSAGES), CONVERSATIONS * len(MESSAGES) * 3 // 10
    done = 0
    killed_at: list[float] = []

    def on_turn(turn: Turn) -> None:
        nonlocal done
        done += 1
        if done == kill_after:
            victim.signal(signal.SIGKILL)
            victim.popen.wait(timeout=10)
            killed_at.append(time.monotonic())

    converse(world.stack.url, talkers, on_turn=on_turn)
    assert killed_at and not victim.alive()
    kill = killed_at[0]
    turns = [turn for talker in talkers for turn in talker.turns]
    assert len(turns) == total, "every conversation sent every message"
    log = served(world, talkers)

    failed, late = [], []
    previous: dict[int, Turn | None] = {}  # id(turn) -> the conversation's turn before it
    for talker in talkers:
        for index, (turn, where) in enumerate(matched(talker, log[talker.sender])):
            previous[id(turn)] = talker.turns[index - 1] if index else None
            if not turn.ok:
                failed.append((talker.sender, turn, where))
            if turn.started > kill:
                late.append((talker.sender, turn, where))

    def before(turn: Turn) -> str:
        last = previous[id(turn)]
        return f"after {last.message!r} got {last.status}" if last else "first message"

    after_kill = [turn for _, turn, _ in late]
    print(f"\nkilled {victim.name} after {kill_after} of {total} messages; "
          f"{len(failed)} failed: {Counter((t.status, t.error[:40]) for _, t, _ in failed)}; "
          f"slowest reply after the kill "
          f"{max((t.ended - t.started for t in after_kill), default=0):.1f} s")
    # The kill hit messages in flight; only those failed, and everything sent after it was
    # answered by the surviving replica. Each check adds what it found, so that one run shows all.
    assert failed, "the kill interrupted no message: it did not test anything"
    assert len(after_kill) >= total // 2, "too little traffic after the kill to tell anything"
    problems = [f"{sender}: {turn.message!r}, sent after the kill ({before(turn)}), not "
                f"answered: {turn.status} {turn.error} after {turn.ended - turn.started:.1f} s "
                f"(nginx tried {where.tried})"
                for sender, turn, where in late if not (turn.ok and turn.replies)]
    problems += [f"{sender}: {turn.message!r}, sent after the kill, went to the killed replica"
                 for sender, turn, where in late if where.replica == 1]
    problems += [f"{sender}: {turn.message!r} failed on the surviving replica: {turn.status} "
                 f"{turn.error} ({where.tried})"
                 for sender, turn, where in failed if turn.started < kill and where.replica != 1]
    # No gap, no duplicate, nothing half stored; a failed message stored whole or not at all.
    problems += [p for talker in talkers
                 for p in storage_problems(talker, stored(world, talker.sender))]
    problems += [p for talker in talkers for p in content_problems(talker)]
    lost = sum(t.message not in {text for text, _ in stored_turns(stored(world, s))[1]}
               for s, t, _ in failed)
    print(f"of the failed messages, {lost} left nothing stored and "
          f"{len(failed) - lost} were stored whole")
    assert problems == [], "\n".join(problems[:30])
