"""Handoff to a person, the console's side (docs/handoff.md), against the real servers: the action
server, Rasa with the socket.io channel, the demo page with the chat widget, the console, and a
loopback webhook for the clinic's alerts.

In Chromium: a patient in the widget asks for a person, the request is in the queue and alerted,
a reviewer takes the conversation over in a second browser context, the patient's message arrives
live, the reply reaches the widget with the staff member's name, a warning sign during the handoff
gets the safety reply and is highlighted, "hand back" restores the assistant, and a reply that
Rasa cannot take stays in the box. Over HTTP: WhatsApp's 24-hour rule on conversations seeded
through Rasa's HTTP API with old timestamps, a message left outside opening hours, a new Rasa
session during a handoff, and who may do what. Screenshots go to test-artifacts/console/.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
import uuid

import pytest
import requests
import sqlalchemy as sa

from devtools.alert_receivers import Receivers, Webhook
from devtools.servers import ROOT, VENV_BIN, Servers, free_port, wait_until
from tests.console.conftest import BREATHING, QUESTION, console_world, csrf_of
from tests.console.conftest import sign_in as console_sign_in

pytestmark = pytest.mark.servers
ARTIFACTS = ROOT / "test-artifacts" / "console"
PASSWORD = {"ada": "ada-secret-password", "rex": "rex-secret-password"}
# A Monday morning in the clinic's time zone: within the profile's opening hours.
IN_HOURS = "2026-01-05T10:00"
ASK_FOR_PERSON = "can I talk to a real person please?"
WAIT = 30_000  # ms: a reply on a busy 2-core machine (expect() waits only 5 s unless told)
STAFF_REPLY = "Hello, this is Rex from the clinic. <b>How</b> can I help?"


def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    hook = Webhook(Receivers()).start()
    web_port = free_port()
    origin = f"http://127.0.0.1:{web_port}"
    web = None

    def reach_rasa(world: dict) -> None:
        world["env"].update(world["servers"].console_env())  # RASA_API_URL, RASA_API_TOKEN

    try:
        with console_world(tmp_path_factory.mktemp("handoff"), "sqlite", [], PASSWORD,
                           extra_env={"CLINIC_NOW": IN_HOURS,
                                      "CLINIC_ALERT_URLS": hook.url("/alert"),
                                      "CLINIC_ALERT_RETRY_SECONDS": "0.2"},
                           prepare=reach_rasa, cors_origins=[origin]) as world:
            log = world["workdir"] / "web.log"
            web = subprocess.Popen(
                [str(VENV_BIN / "python"), "-m", "web.server"], cwd=ROOT,
                env={**world["servers"].env, "WEB_HOST": "127.0.0.1", "WEB_PORT": str(web_port),
                     "RASA_PUBLIC_URL": world["servers"].url},
                stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
            wait_until(f"{origin}/health", web, log, timeout=60)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            yield {**world, "webhook": hook, "page_url": origin + "/"}
    finally:
        Servers._stop(web)
        hook.stop()


# --- helpers --------------------------------------------------------------------------------


def sign_in(world, name: str) -> requests.Session:
    return console_sign_in(world, name, passwords=PASSWORD)


def browser_sign_in(page, world, name: str, target: str) -> None:
    page.goto(world["url"] + target)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD[name])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(world["url"] + target)


def wait_for(what, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"still waiting after {timeout} s")


def conversations_of(world, sender: str) -> list[int]:
    """The sender's conversations as the console indexed them, oldest first."""
    with world["db"].connect() as conn:
        return list(conn.execute(sa.text(
            "select id from console_conversations where sender_id = :s order by id"),
            {"s": sender}).scalars())


def queue_items(world, sender: str) -> list[dict]:
    with world["db"].connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.text(
            "select * from console_escalations where sender_id = :s order by id"), {"s": sender})]


def actions_of(world, conversation_ids: list[int]) -> list[tuple[str, str]]:
    with world["db"].connect() as conn:
        rows = conn.execute(sa.text(
            "select actor, action, conversation_id from console_audit_log order by id")).all()
    return [(r.actor, r.action) for r in rows
            if r.conversation_id in conversation_ids and r.action != "view"]


def append_events(world, sender: str, events: list[dict]) -> None:
    """Events written through Rasa's HTTP API, as a channel or the policy would have stored them
    (the way to give a conversation an old timestamp without waiting)."""
    servers = world["servers"]
    # Rasa's Sanic routes do not unquote the id: ":" and "+" (Twilio's "whatsapp:+1...") go as
    # they are, as the channels' own ids do.
    response = requests.post(
        f"{servers.url}/conversations/{requests.utils.quote(sender, safe=':+')}/tracker/events",
        params={"token": servers.token}, json=events, timeout=30)
    response.raise_for_status()


def old_patient(world, sender: str, hours_ago: float, channel: str = "twilio_whatsapp",
                text: str = "is the clinic open on saturdays?") -> int:
    """A conversation whose patient last wrote `hours_ago` hours ago on `channel`; its id."""
    at = time.time() - hours_ago * 3600
    append_events(world, sender, [
        {"event": "action", "name": "action_session_start", "timestamp": at},
        {"event": "session_started", "timestamp": at},
        {"event": "action", "name": "action_listen", "timestamp": at},
        {"event": "user", "text": text, "timestamp": at + 1, "input_channel": channel,
         "parse_data": {"intent": {"name": "ask_contact", "confidence": 0.9}, "entities": []}},
        {"event": "action", "name": "action_listen", "timestamp": at + 2},
    ])
    return wait_for(lambda: conversations_of(world, sender))[-1]


def post(session: requests.Session, world, path: str, json_reply: bool = False, **data):
    headers = {"Accept": "application/json"} if json_reply else {}
    return session.post(world["url"] + path, data=data, headers=headers, allow_redirects=False)


class Patient:
    """The clinic page with the chat widget in its own browser context."""

    def __init__(self, world, browser) -> None:
        self.context = browser.new_context(viewport={"width": 1100, "height": 800})
        self.page = self.context.new_page()
        self.page.set_default_timeout(WAIT)
        self.labels = requests.get(world["page_url"] + "widget-config.json", timeout=10).json()[
            "labels"]
        self.page.goto(world["page_url"])
        self.page.locator(".rw-launcher").click()
        expect()(self.page.get_by_role("dialog", name=self.labels["dialog"])).to_be_visible()

    @property
    def replies(self):
        return self.page.locator(".rw-response")

    def send(self, text: str) -> None:
        box = self.page.get_by_role("textbox", name=self.labels["input"])
        box.fill(text)
        box.press("Enter")
        expect()(self.page.locator(".rw-client").last).to_have_text(text)

    def sender_id(self) -> str:
        stored = self.page.evaluate("() => sessionStorage.getItem('chat_session')")
        return json.loads(stored)["session_id"]


# --- in a real browser ----------------------------------------------------------------------
def test_a_patient_in_the_widget_gets_a_person_and_back(world, browser):
    shot = "handoff-widget"
    patient = Patient(world, browser)
    patient.send(ASK_FOR_PERSON)
    expect()(patient.replies.last).to_contain_text("Please keep this chat open", timeout=WAIT)
    sender = patient.sender_id()

    # The request is a queue item of its own kind, and alerted without the patient's words.
    item = wait_for(lambda: queue_items(world, sender))[0]
    assert (item["level"], item["channel"], item["state"]) == ("person", "socketio", "open")
    alert = wait_for(lambda: world["webhook"].receivers.accepted("/alert"))[-1]
    assert "a patient asked to talk to a person" in alert.body
    assert "Channel: socketio" in alert.body and f"Alert id: {item['id']}" in alert.body
    assert f"/conversation/{item['conversation_id']}" in alert.body
    assert ASK_FOR_PERSON not in alert.body and sender not in alert.body

    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    staff.set_default_timeout(WAIT)
    problems: list[str] = []
    staff.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    staff.on("pageerror", lambda e: problems.append(str(e)))
    browser_sign_in(staff, world, "rex", "/attention")
    row = staff.locator(f'tr.escalation-row[data-id="{item["id"]}"]')
    expect()(row.locator(".level-text")).to_have_text("Person")
    expect()(row.locator(".signs")).to_have_text("asked to talk to a person")
    staff.screenshot(path=str(ARTIFACTS / f"{shot}-1-queue.png"), full_page=True)
    row.get_by_role("link", name=re.compile("Conversation")).click()
    staff.wait_for_url(f"**/conversation/{item['conversation_id']}")
    expect()(staff.locator("#handoff-who")).to_contain_text("The assistant is answering")
    expect()(staff.locator("#channel-rule")).to_contain_text("Website chat")

    staff.get_by_role("button", name="Take over").click()
    expect()(staff.locator("#handoff-who")).to_contain_text("You are answering")
    expect()(staff.locator("#handoff-who")).to_contain_text(
        "the assistant is silent except for safety replies")
    staff.wait_for_selector("#live[data-polled]")
    staff.evaluate("window.stillTheSamePage = true")

    # The patient's message arrives live; the assistant says nothing.
    bubbles = patient.replies.count()
    patient.send("hello, are you there?")
    arrived = staff.locator("#transcript li.turn.user", has_text="hello, are you there?")
    expect()(arrived).to_be_visible(timeout=WAIT)
    assert patient.replies.count() == bubbles, "the assistant is silent during the handoff"

    staff.get_by_label(re.compile("Your reply to the patient")).fill(STAFF_REPLY)
    staff.get_by_role("button", name="Send reply").click()
    expect()(patient.replies.last).to_contain_text(STAFF_REPLY, timeout=WAIT)
    expect()(patient.replies.last).to_contain_text("rex (Westcare Clinic)", timeout=WAIT)
    mine = staff.locator("#transcript li.turn.staff-reply", has_text=STAFF_REPLY)
    expect()(mine.locator(".staff-name")).to_have_text("rex")
    expect()(staff.get_by_label(re.compile("Your reply to the patient"))).to_have_value("")
    assert staff.locator("#transcript b", has_text="How").count() == 0, "shown as text"
    staff.screenshot(path=str(ARTIFACTS / f"{shot}-2-replies.png"), full_page=True)
    patient.page.screenshot(path=str(ARTIFACTS / f"{shot}-3-patient.png"))

    # Safety does not sleep: the warning sign gets the safety reply and is highlighted.
    patient.send(BREATHING)
    expect()(patient.replies.last).to_contain_text("911", timeout=WAIT)
    banner = staff.locator("#handoff-warning")
    expect()(banner).to_be_visible(timeout=WAIT)
    expect()(banner).to_contain_text("EMERGENCY", timeout=WAIT)
    expect()(banner).to_contain_text("trouble breathing", timeout=WAIT)
    expect()(staff.locator("#transcript li.turn.escalation-emergency")).to_be_visible(timeout=WAIT)
    safety = staff.locator("#transcript li.turn.safety-reply").last
    expect()(safety).to_contain_text("911", timeout=WAIT)
    background = safety.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), "highlighted"
    assert staff.evaluate("window.stillTheSamePage"), "all of it without a reload"
    staff.screenshot(path=str(ARTIFACTS / f"{shot}-4-warning.png"), full_page=True)

    staff.get_by_role("button", name="Hand back to the assistant").click()
    expect()(staff.locator("#handoff-who")).to_contain_text("The assistant is answering")
    bubbles = patient.replies.count()
    patient.send(QUESTION)
    expect()(patient.replies).not_to_have_count(bubbles, timeout=WAIT)
    expect()(patient.replies.last).not_to_contain_text("rex", timeout=WAIT)
    patient.page.screenshot(path=str(ARTIFACTS / f"{shot}-5-assistant-again.png"))
    assert actions_of(world, [item["conversation_id"]]) == [
        ("rex", "take_over"), ("rex", "staff_reply"), ("rex", "hand_back")]
    assert problems == [], problems
    staff.context.close()
    patient.context.close()


# --- over HTTP ------------------------------------------------------------------------------
def staff_replies(world, sender: str) -> list[dict]:
    return [e for e in world["servers"].tracker(sender)["events"]
            if e["event"] == "bot" and (e.get("metadata") or {}).get("staff")]


def test_whatsapp_allows_replies_only_within_24_hours(world):
    session = sign_in(world, "rex")
    base = world["url"]
    stale_sender, fresh_sender = "whatsapp:+15550100", "whatsapp:+15550101"
    stale = old_patient(world, stale_sender, 25)
    fresh = old_patient(world, fresh_sender, 23)
    token = csrf_of(session.get(f"{base}/conversation/{stale}").text)
    for cid in (stale, fresh):
        before = session.get(f"{base}/conversation/{cid}").text
        assert 'id="channel-rule"' in before, "the rule is shown before taking over"
        assert post(session, world, f"/conversation/{cid}/take-over", csrf=token
                    ).status_code == 302

    page = session.get(f"{base}/conversation/{stale}").text
    assert "WhatsApp allows free-form replies only within 24 hours" in page
    assert "The last one came 25 h 0 min ago" in page
    assert re.search(r'<textarea id="reply-text"[^>]*disabled', page)
    assert re.search(r'<button type="submit" id="reply-send" disabled', page)
    refused = post(session, world, f"/conversation/{stale}/reply", csrf=token,
                   text="Can we call you tomorrow?")
    assert refused.status_code == 409 and "Not sent: WhatsApp allows" in refused.text
    assert re.search(r'<textarea id="reply-text"[^>]*>Can we call you tomorrow\?</textarea>',
                     refused.text), "the typed reply stays in the box"
    assert staff_replies(world, stale_sender) == []

    page = session.get(f"{base}/conversation/{fresh}").text
    assert re.search(r"WhatsApp: you can reply here for (59 min|1 h 0 min) more", page)
    assert not re.search(r'<textarea id="reply-text"[^>]*disabled', page)
    live = session.get(f"{base}/conversation/{fresh}/live.json").json()
    assert live["channel"]["can_reply"] is True and 3500 < live["channel"]["seconds_left"] <= 3600

    # A message left outside opening hours (the slot event the policy stores) is a queue item of
    # its own kind, alerted as such.
    append_events(world, fresh_sender,
                  [{"event": "slot", "name": "person_requested", "value": "message"}])
    item = wait_for(lambda: queue_items(world, fresh_sender))[0]
    assert (item["level"], item["channel"]) == ("message", "twilio_whatsapp")
    alert = wait_for(lambda: [a for a in world["webhook"].receivers.accepted("/alert")
                              if f"Alert id: {item['id']}" in a.body])[0]
    assert "left a message" in alert.body and "+15550101" not in alert.body
    queue = session.get(f"{base}/attention.json").json()["escalations"]
    assert [e["signs"] for e in queue if e["id"] == item["id"]] == [
        ["left a message for the clinic"]]
    for cid in (stale, fresh):
        assert post(session, world, f"/conversation/{cid}/hand-back", csrf=token
                    ).status_code == 302


def test_a_new_rasa_session_keeps_the_handoff(world):
    session = sign_in(world, "rex")
    base = world["url"]
    sender = f"expiry-{uuid.uuid4().hex[:8]}"
    # The patient last wrote two hours ago: their next message begins a new Rasa session (the
    # domain's session_expiration_time is 60 minutes).
    first = old_patient(world, sender, 2, channel="rest", text=QUESTION)
    token = csrf_of(session.get(f"{base}/conversation/{first}").text)
    assert post(session, world, f"/conversation/{first}/take-over", csrf=token
                ).status_code == 302
    assert world["servers"].send(sender, "how long does the numbness last?") == [], \
        "still silent in the new session"
    assert world["servers"].tracker(sender)["slots"]["handoff_by"] == "rex"
    second = wait_for(lambda: [c for c in conversations_of(world, sender) if c != first])[-1]

    listing = session.get(f"{base}/?handoff=1").text
    assert f'data-id="{second}"' in listing and f'data-id="{first}"' not in listing
    assert "rex answering" in listing
    page = session.get(f"{base}/conversation/{second}").text
    assert "You are answering" in page and "how long does the numbness last?" in page
    older = session.get(f"{base}/conversation/{first}").text
    assert f'continues in\n    <a href="/conversation/{second}">' in older
    assert "where rex is answering" in older

    assert post(session, world, f"/conversation/{second}/hand-back", csrf=token
                ).status_code == 302
    assert world["servers"].send(sender, QUESTION), "the assistant answers again"
    wait_for(lambda: f'data-id="{second}"' not in session.get(f"{base}/?handoff=1").text)
    assert actions_of(world, [first, second]) == [("rex", "take_over"), ("rex", "hand_back")]


def test_who_may_see_and_change_a_handoff(world):
    base = world["url"]
    sender = f"who-{uuid.uuid4().hex[:8]}"
    world["servers"].send(sender, QUESTION)
    cid = wait_for(lambda: conversations_of(world, sender))[-1]
    assert requests.get(f"{base}/conversation/{cid}/live.json").status_code == 401
    for action in ("take-over", "hand-back", "reply"):
        response = requests.post(f"{base}/conversation/{cid}/{action}", data={"text": "x"},
                                 allow_redirects=False)
        assert response.status_code == 302 and response.headers["Location"].startswith("/signin")
    rex, ada = sign_in(world, "rex"), sign_in(world, "ada")
    assert post(rex, world, f"/conversation/{cid}/take-over").status_code == 403, "no CSRF"
    assert world["servers"].tracker(sender)["slots"].get("handoff_by") is None
    plain = rex.get(f"{base}/conversation/{cid}")
    assert "<script" not in plain.text and "script-src" not in plain.headers[
        "Content-Security-Policy"], "no script without a handoff"
    token = csrf_of(plain.text)
    assert post(rex, world, f"/conversation/{cid}/take-over", csrf=token).status_code == 302
    assert world["servers"].tracker(sender)["slots"]["handoff_by"] == "rex"

    page = ada.get(f"{base}/conversation/{cid}")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp and "unsafe" not in csp
    assert re.findall(r"<script\b[^>]*>", page.text) == ['<script src="/static/handoff.js">']
    assert "rex is answering" in page.text and "Take over from rex" in page.text
    ada_token = csrf_of(page.text)
    refused = post(ada, world, f"/conversation/{cid}/reply", json_reply=True, csrf=ada_token,
                   text="hello")
    assert refused.status_code == 409 and "rex has taken this conversation over" in refused.json(
        )["error"]
    live = ada.get(f"{base}/conversation/{cid}/live.json?after=0").json()
    assert live["handoff"] == {"by": "rex", "mine": False}
    assert [t["text"] for t in live["turns"] if t["kind"] == "user"] == [QUESTION]
    assert post(ada, world, f"/conversation/{cid}/hand-back", csrf=ada_token).status_code == 302
    assert world["servers"].tracker(sender)["slots"].get("handoff_by") is None
    with world["db"].connect() as conn:
        detail = conn.execute(sa.text(
            "select detail from console_audit_log where action = 'hand_back' and "
            "conversation_id = :c"), {"c": cid}).scalar()
    assert json.loads(detail) == {"from": "rex"}, "ada handed back rex's conversation"


def test_a_reply_rasa_cannot_take_stays_in_the_box(world, browser):
    """Run last: it stops the Rasa server."""
    sender = "whatsapp:+15550102"
    cid = old_patient(world, sender, 1)
    other = old_patient(world, "whatsapp:+15550103", 1)
    staff = browser.new_context().new_page()
    staff.set_default_timeout(WAIT)
    browser_sign_in(staff, world, "rex", f"/conversation/{cid}")
    staff.get_by_role("button", name="Take over").click()
    box = staff.get_by_label(re.compile("Your reply to the patient"))
    expect()(box).to_be_enabled()
    world["servers"].stop()

    box.fill("We will call you at 3 pm.")
    staff.get_by_role("button", name="Send reply").click()
    status = staff.locator("#reply-status")
    expect()(status).to_contain_text("Not sent: The assistant's server (Rasa) is not reachable")
    expect()(status).to_contain_text("Your reply is still in the box")
    expect()(box).to_have_value("We will call you at 3 pm.")
    staff.screenshot(path=str(ARTIFACTS / "handoff-rasa-down.png"), full_page=True)

    session = sign_in(world, "rex")
    token = csrf_of(session.get(f"{world['url']}/conversation/{other}").text)
    refused = post(session, world, f"/conversation/{other}/take-over", csrf=token)
    assert refused.status_code == 502
    assert "Not taken over: The assistant&#39;s server (Rasa) is not reachable" in refused.text
    staff.context.close()
