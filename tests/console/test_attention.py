"""The escalation queue ("Needs attention"), live, over escalations the real assistant raised
through the REST channel: in Chromium (a new escalation appears without a reload, acknowledge,
close with an outcome and a note, the audit log, the dashboard's times) and over HTTP (sign-in,
CSRF, roles, invalid transitions, escaping). Once on SQLite and once on PostgreSQL.

The world here is its own (a module fixture built, like tests/console/conftest.py's `console`,
by `console_world`): these tests add conversations and escalations, which the shared world's
exact lists must not see. Alerts go to two loopback destinations, one that accepts
(devtools/alert_receivers.py's webhook) and one that is down, so the queue has real alert
outcomes to show. Screenshots go to test-artifacts/console/.
"""

from __future__ import annotations

import json
import re
import time
from datetime import date, timedelta

import pytest
import requests
import sqlalchemy as sa

from console import db, queries
from console.blueprints.attention import duration, short_age
from devtools.alert_receivers import Receivers, Webhook
from devtools.servers import ROOT, free_port
from tests.console.conftest import BREATHING, FEVER, console_world, csrf_of
from tests.console.conftest import sign_in as console_sign_in

ARTIFACTS = ROOT / "test-artifacts" / "console"
PASSWORD = {"ada": "ada-secret-password", "rex": "rex-secret-password",
            "vera": "vera-secret-password"}
HOSTILE_SIGN = '<script>alert("sign")</script><img src=x onerror=alert(2)>'
SEEDS = [("breathing", ["hi", BREATHING]), ("fever", [FEVER])]
WAIT_SECONDS = 30


def make_vera_a_viewer(world: dict) -> None:
    with world["db"].begin() as conn:  # a role that may look but not act (none exists yet)
        conn.execute(sa.text("update console_users set role = 'viewer' where name = 'vera'"))


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def world(request, tmp_path_factory):
    backend = request.param
    hook = Webhook(Receivers()).start()
    down = free_port()  # nothing listens here: that destination's alerts fail
    alerts = {"CLINIC_ALERT_URLS": f"{hook.url('/alert')} json://127.0.0.1:{down}/alert",
              "CLINIC_ALERT_RETRY_SECONDS": "0.2", "CLINIC_ALERT_MAX_ATTEMPTS": "2",
              "CLINIC_ALERT_TIMEOUT_SECONDS": "5"}
    try:
        with console_world(tmp_path_factory.mktemp(f"attention-{backend}"), backend, SEEDS,
                           PASSWORD, extra_env=alerts, prepare=make_vera_a_viewer) as world:
            yield {**world, "webhook": hook}
    finally:
        hook.stop()


# --- helpers --------------------------------------------------------------------------------


def sign_in(world, name: str) -> requests.Session:
    return console_sign_in(world, name, passwords=PASSWORD)


def escalation_of(world, sender: str) -> dict:
    """The sender's (first) escalation as the console stored it, once the indexer has it."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        with world["db"].connect() as conn:
            row = conn.execute(sa.text(
                "select * from console_escalations where sender_id = :s order by id"),
                {"s": sender}).first()
        if row is not None:
            return dict(row._mapping)
        time.sleep(0.3)
    raise AssertionError(f"no escalation for {sender} after {WAIT_SECONDS} s")


def escalation(world, escalation_id: int) -> dict:
    with world["db"].connect() as conn:
        return dict(conn.execute(sa.text("select * from console_escalations where id = :i"),
                                 {"i": escalation_id}).one()._mapping)


def audit_of(world, escalation_id: int) -> list[tuple[str, str, int]]:
    """(actor, action, conversation) of every audit entry about the escalation, in order."""
    with world["db"].connect() as conn:
        rows = conn.execute(sa.text("select actor, action, conversation_id, detail from "
                                    "console_audit_log order by id")).all()
    return [(r.actor, r.action, r.conversation_id) for r in rows
            if r.detail and json.loads(r.detail).get("escalation_id") == escalation_id]


def raise_escalation(world, sender: str, message: str = FEVER) -> dict:
    world["servers"].send(sender, message)
    return escalation_of(world, sender)


def post(session: requests.Session, world, path: str, **data) -> requests.Response:
    return session.post(world["url"] + path, data=data, allow_redirects=False)


def insert_escalation(world, signs: list[str], level: str = "doctor") -> int:
    """An escalation row as the indexer writes it, for a label no real sign has."""
    breathing = escalation_of(world, "breathing")
    with world["db"].begin() as conn:
        conn.execute(sa.text(
            "insert into console_escalations (conversation_id, sender_id, event_id, channel, "
            "level, signs, raised_at, state) values (:c, 'breathing', :e, 'rest', :l, :s, :r, "
            "'open')"), {"c": breathing["conversation_id"], "e": 10**12 + int(time.time()),
                         "l": level, "s": json.dumps(signs), "r": time.time()})
        return conn.execute(sa.text("select max(id) from console_escalations")).scalar()


# --- in a real browser ----------------------------------------------------------------------
@pytest.mark.servers
def test_queue_live_acknowledge_close_audit_and_dashboard_in_a_real_browser(world, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = f"{world['backend']}-attention"
    base = world["url"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: problems.append(f"dialog: {d.message}"))
    breathing, fever = escalation_of(world, "breathing"), escalation_of(world, "fever")

    page.goto(f"{base}/attention")
    assert page.url.startswith(f"{base}/signin")
    page.get_by_label("Name").fill("rex")
    page.get_by_label("Password").fill(PASSWORD["rex"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/attention")
    page.wait_for_selector('#attention[data-polled="1"]')
    order = page.locator("tr.escalation-row").evaluate_all("rows => rows.map(r => r.dataset.id)")
    assert order.index(str(breathing["id"])) < order.index(str(fever["id"])), "emergency first"
    first = page.locator(f'tr.escalation-row[data-id="{breathing["id"]}"]')
    assert first.locator(".level-text").text_content() == "EMERGENCY", "the level in words"
    assert page.locator(f'tr.escalation-row[data-id="{fever["id"]}"] .level-text'
                        ).text_content() == "Doctor"
    assert first.locator(".signs").text_content() == ", ".join(json.loads(breathing["signs"]))
    assert first.locator(".channel").text_content() == "rest"
    assert re.fullmatch(r"just now|\d+ min", first.locator(".age").text_content())
    # Two destinations, one down: the alert's outcome reaches the open page by itself.
    first.locator(".alert", has_text="failed (sent to 1 of 2)").wait_for(timeout=20_000)
    assert page.get_by_role("link", name="Needs attention").is_visible()
    page.screenshot(path=str(ARTIFACTS / f"{shot}-1-queue.png"), full_page=True)

    page.evaluate("window.stillTheSamePage = true")
    started = time.monotonic()
    newcomer = raise_escalation(world, "newcomer", BREATHING)
    row = page.locator(f'tr.escalation-row[data-id="{newcomer["id"]}"]')
    row.wait_for(timeout=20_000)
    appeared = time.monotonic() - started
    assert page.evaluate("window.stillTheSamePage"), "no reload"
    assert row.get_attribute("data-state") == "open"
    assert "Emergency escalation" in page.locator("#attention-announce").text_content()
    order = page.locator("tr.escalation-row").evaluate_all("rows => rows.map(r => r.dataset.id)")
    assert order.index(str(breathing["id"])) < order.index(str(newcomer["id"])) < order.index(
        str(fever["id"])), "emergencies, oldest first, then doctor-level ones"
    print(f"the new escalation was on the open page {appeared:.1f} s after the patient's message")
    page.screenshot(path=str(ARTIFACTS / f"{shot}-2-new.png"), full_page=True)

    row.get_by_role("button", name="Acknowledge").click()
    page.wait_for_selector(f'tr.escalation-row[data-id="{newcomer["id"]}"]'
                           '[data-state="acknowledged"]')
    assert row.locator(".acknowledged").text_content().startswith("rex at ")
    assert escalation(world, newcomer["id"])["acknowledged_by"] == "rex"
    row.locator("summary").click()
    row.get_by_label("Outcome").select_option(label="Called back")
    row.get_by_label("Comment (optional)").fill("Rang back <b>at once</b>; on the way to A&E.")
    row.get_by_role("button", name="Close escalation").click()
    page.wait_for_selector(f'tr.escalation-row[data-id="{newcomer["id"]}"][data-state="closed"]')
    assert row.locator(".closed-info").text_content().startswith("Called back · by rex at ")
    assert row.locator(".note").text_content() == "Rang back <b>at once</b>; on the way to A&E."
    assert not row.locator("form.acknowledge").is_visible()
    assert not row.locator("details.close-details").is_visible()
    page.screenshot(path=str(ARTIFACTS / f"{shot}-3-closed.png"), full_page=True)
    stored = escalation(world, newcomer["id"])
    assert (stored["state"], stored["outcome"], stored["closed_by"]) == (
        "closed", "called_back", "rex")

    row.get_by_role("link", name=re.compile("Conversation")).click()
    page.wait_for_url(f"**/conversation/{newcomer['conversation_id']}")
    history = page.locator(f'.escalation-record[data-id="{newcomer["id"]}"]')
    assert "Acknowledged by rex at" in history.text_content()
    assert "Closed by rex at" in history.text_content() and "Called back" in history.text_content()
    assert history.locator(".note").text_content() == "Rang back <b>at once</b>; on the way to A&E."
    page.screenshot(path=str(ARTIFACTS / f"{shot}-4-history.png"), full_page=True)

    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_url("**/dashboard")
    assert re.fullmatch(r"\d+ s|\d+ min( \d+ s)?", page.locator("#ack-median").text_content())
    assert page.locator("#ack-p90").text_content().startswith("90th percentile ")
    with world["db"].connect() as conn:
        still_open = conn.execute(sa.text(
            "select count(*) from console_escalations where state = 'open'")).scalar()
    assert page.locator("#open-now").text_content() == str(still_open)
    assert still_open >= 2 and "oldest raised" in page.locator("#figure-open").text_content()
    page.screenshot(path=str(ARTIFACTS / f"{shot}-5-dashboard.png"), full_page=True)
    assert problems == [], problems
    context.close()

    admin = browser.new_context().new_page()
    admin.goto(f"{base}/audit")
    admin.get_by_label("Name").fill("ada")
    admin.get_by_label("Password").fill(PASSWORD["ada"])
    admin.get_by_role("button", name="Sign in").click()
    admin.wait_for_url(f"{base}/audit")
    entries = admin.locator("table.audit tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells).slice(1, 4).map(c => c.textContent.trim()))")
    conversation = str(newcomer["conversation_id"])
    assert ["rex", "acknowledge", conversation] in entries
    assert ["rex", "close", conversation] in entries
    assert audit_of(world, newcomer["id"]) == [
        ("rex", "acknowledge", newcomer["conversation_id"]),
        ("rex", "close", newcomer["conversation_id"])]
    admin.context.close()


@pytest.mark.servers
def test_a_label_that_arrives_live_is_shown_as_text(world, browser):
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{world['url']}/attention")
    page.get_by_label("Name").fill("ada")
    page.get_by_label("Password").fill(PASSWORD["ada"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector('#attention[data-polled="1"]')
    hostile = insert_escalation(world, [HOSTILE_SIGN], level="emergency")
    row = page.locator(f'tr.escalation-row[data-id="{hostile}"]')
    row.wait_for(timeout=20_000)  # built by the page's script from the JSON
    assert row.locator(".signs").text_content() == HOSTILE_SIGN
    assert page.locator("tbody script, tbody img").count() == 0
    page.wait_for_timeout(500)
    assert dialogs == []
    session = sign_in(world, "ada")
    token = csrf_of(session.get(f"{world['url']}/attention").text)
    post(session, world, f"/attention/{hostile}/close", csrf=token, outcome="no_action_needed")
    context.close()


# --- over HTTP ------------------------------------------------------------------------------
@pytest.mark.servers
def test_the_page_the_json_and_the_changes_need_a_signed_in_session(world):
    url = world["url"]
    fever = escalation_of(world, "fever")
    response = requests.get(f"{url}/attention", allow_redirects=False)
    assert response.status_code == 302 and response.headers["Location"].startswith("/signin")
    data = requests.get(f"{url}/attention.json", allow_redirects=False)
    assert data.status_code == 401 and data.json() == {"error": "sign in first"}
    for action, form in (("acknowledge", {}), ("close", {"outcome": "called_back"})):
        response = requests.post(f"{url}/attention/{fever['id']}/{action}", data=form,
                                 allow_redirects=False)
        assert response.status_code == 302 and response.headers["Location"].startswith("/signin")
    assert escalation(world, fever["id"]) == fever
    signed_in = sign_in(world, "rex").get(f"{url}/attention.json")
    assert signed_in.status_code == 200 and signed_in.json()["may_act"] is True
    assert any(e["id"] == fever["id"] for e in signed_in.json()["escalations"])
    page = sign_in(world, "rex").get(f"{url}/attention")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp and "unsafe" not in csp
    assert '<script src="/static/attention.js"></script>' in page.text
    assert len(re.findall(r"<script\b", page.text)) == 1, "no inline script"


@pytest.mark.servers
def test_a_change_without_the_csrf_token_is_refused(world):
    session = sign_in(world, "rex")
    target = raise_escalation(world, "no-token")
    for extra in ({}, {"csrf": "forged"}):
        for action, form in (("acknowledge", {}),
                             ("close", {"outcome": "called_back", "note": "x"})):
            response = post(session, world, f"/attention/{target['id']}/{action}",
                            **form, **extra)
            assert response.status_code == 403, (action, extra)
    assert escalation(world, target["id"]) == target
    assert audit_of(world, target["id"]) == []


@pytest.mark.servers
def test_reviewers_and_admins_act_on_the_queue_and_other_roles_only_look(world):
    target = raise_escalation(world, "roles")
    viewer = sign_in(world, "vera")
    page = viewer.get(f"{world['url']}/attention")
    assert page.status_code == 200 and f'data-id="{target["id"]}"' in page.text
    assert 'class="acknowledge"' not in page.text and "Close escalation" not in page.text
    assert viewer.get(f"{world['url']}/attention.json").json()["may_act"] is False
    token = csrf_of(page.text)
    for action, form in (("acknowledge", {}), ("close", {"outcome": "no_answer"})):
        response = post(viewer, world, f"/attention/{target['id']}/{action}", csrf=token, **form)
        assert response.status_code == 403
    assert escalation(world, target["id"]) == target
    reviewer = sign_in(world, "rex")
    token = csrf_of(reviewer.get(f"{world['url']}/attention").text)
    response = post(reviewer, world, f"/attention/{target['id']}/acknowledge", csrf=token,
                    next="https://elsewhere.example/")
    assert response.status_code == 302 and response.headers["Location"] == "/", "never off-site"
    admin = sign_in(world, "ada")
    token = csrf_of(admin.get(f"{world['url']}/conversation/{target['conversation_id']}").text)
    response = post(admin, world, f"/attention/{target['id']}/close", csrf=token,
                    outcome="answered_in_chat", next=f"/conversation/{target['conversation_id']}")
    assert response.headers["Location"] == f"/conversation/{target['conversation_id']}"
    done = escalation(world, target["id"])
    assert (done["acknowledged_by"], done["closed_by"], done["outcome"]) == (
        "rex", "ada", "answered_in_chat")
    assert [a[:2] for a in audit_of(world, target["id"])] == [("rex", "acknowledge"),
                                                              ("ada", "close")]


@pytest.mark.servers
def test_invalid_transitions_are_refused_and_change_nothing(world):
    session = sign_in(world, "rex")
    target = raise_escalation(world, "transitions")
    token = csrf_of(session.get(f"{world['url']}/attention").text)
    path = f"/attention/{target['id']}"
    for form in ({"outcome": "cured"}, {"outcome": ""}, {},
                 {"outcome": "called_back", "note": "x" * 1001}):
        response = post(session, world, f"{path}/close", csrf=token, **form)
        assert response.status_code == 400, form
        assert "outcome" in response.text or "1000 characters" in response.text
    assert escalation(world, target["id"]) == target
    assert post(session, world, f"{path}/acknowledge", csrf=token).status_code == 302
    acknowledged = escalation(world, target["id"])
    again = post(session, world, f"{path}/acknowledge", csrf=token)
    assert again.status_code == 409
    assert "acknowledged by rex" in again.text and "nothing was changed" in again.text
    assert escalation(world, target["id"]) == acknowledged
    closing = post(session, world, f"{path}/close", csrf=token, outcome="no_answer",
                   note="x" * 1000)
    assert closing.status_code == 302
    closed = escalation(world, target["id"])
    for action, form in (("close", {"outcome": "called_back"}), ("acknowledge", {})):
        response = post(session, world, f"{path}/{action}", csrf=token, **form)
        assert response.status_code == 409 and "closed by rex" in response.text
    assert escalation(world, target["id"]) == closed
    assert [a[1] for a in audit_of(world, target["id"])] == ["acknowledge", "close"]
    assert post(session, world, "/attention/999999999/acknowledge", csrf=token
                ).status_code == 404
    assert post(session, world, "/attention/999999999/close", csrf=token,
                outcome="called_back").status_code == 404


@pytest.mark.servers
def test_a_sign_label_is_escaped_in_the_page_and_data_in_the_json(world):
    hostile = insert_escalation(world, [HOSTILE_SIGN])
    session = sign_in(world, "rex")
    page = session.get(f"{world['url']}/attention").text
    assert HOSTILE_SIGN not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;sign&#34;)&lt;/script&gt;" in page
    data = session.get(f"{world['url']}/attention.json")
    assert data.headers["Content-Type"].startswith("application/json")
    found = {e["id"]: e for e in data.json()["escalations"]}
    assert found[hostile]["signs"] == [HOSTILE_SIGN], "data, for the script to set as text"
    conversation = session.get(f"{world['url']}/conversation/"
                               f"{escalation(world, hostile)['conversation_id']}").text
    assert HOSTILE_SIGN not in conversation and "&lt;img src=x" in conversation
    token = csrf_of(page)
    post(session, world, f"/attention/{hostile}/close", csrf=token, outcome="no_action_needed")


@pytest.mark.servers
def test_the_conversation_page_shows_the_history_and_the_alert_deliveries(world):
    session = sign_in(world, "rex")
    fever = escalation_of(world, "fever")
    page = session.get(f"{world['url']}/conversation/{fever['conversation_id']}").text
    record = page.split('class="escalation-record')[1]
    assert "Raised " in record and "Doctor" in record
    assert re.search(r"json://127\.0\.0\.1</code>: sent at", record)
    assert re.search(r"json://127\.0\.0\.1</code>: (failed|retrying|pending)", record)
    assert "onerror" not in record


# --- the dashboard's figures, exactly -------------------------------------------------------
@pytest.mark.servers
def test_time_to_acknowledge_median_and_90th_percentile(world, tmp_path):
    """queries.acknowledgement_figures on a database of its own with known waits: PostgreSQL's
    percentile_cont and the Python interpolation used on SQLite agree."""
    if world["backend"] == "sqlite":
        url = f"sqlite:///{tmp_path / 'figures.db'}"
    else:
        url = world["postgres"].create_database(f"figures_{int(time.time() * 1000)}")
    engine = db.connect(url)
    now = time.time()
    today = date.today()
    waits = [10, 20, 30, 40, 100]  # seconds to acknowledge
    rows = [{"raised_at": now - 7200 - i, "acknowledged_at": now - 7200 - i + wait,
             "state": "acknowledged" if i % 2 else "closed"} for i, wait in enumerate(waits)]
    rows += [{"raised_at": now - 600, "acknowledged_at": None, "state": "open"},
             {"raised_at": now - 60, "acknowledged_at": None, "state": "open"},
             # raised long before the period: not in its times, but still open now
             {"raised_at": now - 90 * 86400, "acknowledged_at": now - 90 * 86400 + 5,
              "state": "acknowledged"}]
    with engine.begin() as conn:
        conn.execute(db.escalations.insert(), [
            {"conversation_id": 1, "sender_id": "s", "event_id": n, "channel": "rest",
             "level": "doctor", "signs": "[]", **row} for n, row in enumerate(rows)])
    with engine.connect() as conn:
        figures = queries.acknowledgement_figures(conn, today - timedelta(days=29), today, now)
        empty = queries.acknowledgement_figures(conn, date(2001, 1, 1), date(2001, 1, 31), now)
    assert figures["raised"] == 7 and figures["acknowledged"] == 5
    assert figures["median_seconds"] == pytest.approx(30)
    assert figures["p90_seconds"] == pytest.approx(76)  # 40 + 0.6 * (100 - 40)
    assert figures["open"] == 2 and figures["oldest_open_seconds"] == pytest.approx(600)
    assert figures["acknowledged_not_closed"] == 3
    assert empty["median_seconds"] is None and empty["p90_seconds"] is None
    assert empty["open"] == 2, "open now, whatever the period"
    engine.dispose()


# --- formatting -----------------------------------------------------------------------------
def test_ages_and_durations_read_as_staff_say_them():
    assert [short_age(s) for s in (0, 59, 60, 240, 3599, 3600, 3 * 3600 + 300, 2 * 86400 + 7200)
            ] == ["just now", "just now", "1 min", "4 min", "59 min", "1 h 0 min", "3 h 5 min",
                  "2 d 2 h"]
    assert [duration(s) for s in (None, 0, 45, 60, 250, 3600, 3900)] == [
        "—", "0 s", "45 s", "1 min", "4 min 10 s", "1 h 0 min", "1 h 5 min"]
    assert queries.percentile([], 0.5) is None
    assert queries.percentile([7.0], 0.9) == 7.0
    assert queries.percentile([1.0, 2.0, 3.0, 4.0], 0.5) == pytest.approx(2.5)
