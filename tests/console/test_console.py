"""The staff console against conversations produced by the real assistant (see conftest.py),
once on SQLite and once on PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
import uuid

import pytest
import requests
import sqlalchemy as sa

from devtools.servers import ROOT, free_port
from privacy.identifiers import audit_hash
from tests.console.conftest import (
    BREATHING,
    FEVER,
    HOSTILE,
    PASSWORD,
    QUESTION,
    csrf_of,
    run_cli,
    sign_in,
)

pytestmark = pytest.mark.servers





def rows(html: str) -> list[str]:
    """The senders of the listed conversations, in order."""
    return re.findall(r'<tr class="conversation" data-id="\d+" data-sender="([^"]*)"', html)


def ids(html: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for cid, sender in re.findall(r'data-id="(\d+)" data-sender="([^"]*)"', html):
        found.setdefault(sender, []).append(int(cid))
    return found


def conversation_id(session: requests.Session, console, sender: str) -> int:
    return ids(session.get(f"{console['url']}/").text)[sender][0]


def audit_actions(console) -> list[tuple]:
    with console["db"].connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(
            "select actor, action, conversation_id from console_audit_log order by id"))]


def event_count(console) -> int:
    with console["tracker"].connect() as conn:
        return conn.execute(sa.text("select count(*) from events")).scalar()


def test_every_page_requires_a_session(console):
    url = console["url"]
    for path in ("/", "/conversation/1", "/audit", "/dashboard", "/?escalated=any"):
        response = requests.get(url + path, allow_redirects=False)
        assert response.status_code == 302 and response.headers["Location"].startswith("/signin")
    for path in ("/export/conversations.csv", "/export/conversations.json",
                 "/export/conversation/1/transcript.json",
                 "/export/conversation/1/transcript.csv"):
        assert requests.get(url + path, allow_redirects=False).status_code == 401
    for path in ("/conversation/1/review", "/conversation/1/note", "/conversation/1/tag",
                 "/signout"):
        response = requests.post(url + path, data={"text": "x", "tag": "x"},
                                 allow_redirects=False)
        assert response.status_code == 302 and response.headers["Location"].startswith("/signin")
    page = requests.get(url + "/signin")
    assert "script-src" not in page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert "<script" not in page.text


def test_session_cookie_flags_and_rotation_at_sign_in(console):
    session = requests.Session()
    page = session.get(f"{console['url']}/signin")
    cookie_header = page.headers["Set-Cookie"].lower()
    assert "httponly" in cookie_header and "samesite=lax" in cookie_header
    before = session.cookies["console_session"]
    session.post(f"{console['url']}/signin", data={
        "csrf": csrf_of(page.text), "name": "rex", "password": PASSWORD["rex"]})
    after = session.cookies["console_session"]
    assert after != before
    fixated = requests.get(f"{console['url']}/", cookies={"console_session": before},
                           allow_redirects=False)
    assert fixated.status_code == 302, "the pre-sign-in id is not a session any more"
    # An attacker-chosen cookie value is never adopted as a session id.
    planted = {"console_session": "attacker-chosen-value"}
    form = requests.get(f"{console['url']}/signin", cookies=planted)
    issued = form.cookies["console_session"]
    assert issued != "attacker-chosen-value"
    signed_in = requests.post(f"{console['url']}/signin", allow_redirects=False,
                              cookies={"console_session": issued}, data={
                                  "csrf": csrf_of(form.text), "name": "rex",
                                  "password": PASSWORD["rex"]})
    assert signed_in.status_code == 302
    assert signed_in.cookies["console_session"] not in (issued, "attacker-chosen-value")
    assert requests.get(f"{console['url']}/", allow_redirects=False,
                        cookies=planted).status_code == 302


def test_wrong_password_and_lockout(console):
    session = requests.Session()
    page = session.get(f"{console['url']}/signin")
    token = csrf_of(page.text)
    for _ in range(5):
        response = session.post(f"{console['url']}/signin", data={
            "csrf": token, "name": "locky", "password": "wrong-password-here"})
        assert response.status_code == 401 and "Wrong name or password" in response.text
    response = session.post(f"{console['url']}/signin", data={
        "csrf": token, "name": "locky", "password": PASSWORD["locky"]})
    assert response.status_code == 429, "locked even with the right password"
    assert ("locky", "signin_failed", None) in audit_actions(console)


def test_post_without_csrf_token_fails(console):
    session = requests.Session()
    page = session.get(f"{console['url']}/signin")
    response = session.post(f"{console['url']}/signin", data={
        "name": "rex", "password": PASSWORD["rex"]})
    assert response.status_code == 403
    assert csrf_of(page.text)
    session = sign_in(console, "rex")
    cid = conversation_id(session, console, "html")
    for path, data in ((f"/conversation/{cid}/review", {}),
                       (f"/conversation/{cid}/note", {"text": "x"}),
                       (f"/conversation/{cid}/tag", {"tag": "x"}),
                       ("/signout", {})):
        for extra in ({"csrf": "forged"}, {}):
            response = session.post(console["url"] + path, data={**data, **extra})
            assert response.status_code == 403, path
    assert not [a for a in audit_actions(console) if a[2] == cid and a[1] != "view"]


def test_reviewer_cannot_export_manage_users_or_see_the_audit_log(console):
    session = sign_in(console, "rex")
    cid = conversation_id(session, console, "breathing")
    assert session.get(f"{console['url']}/audit").status_code == 403
    for path in ("/export/conversations.csv", "/export/conversations.json",
                 f"/export/conversation/{cid}/transcript.csv",
                 f"/export/conversation/{cid}/transcript.json"):
        assert session.get(console["url"] + path).status_code == 403
    assert "Export" not in session.get(f"{console['url']}/").text
    assert "Export" not in session.get(f"{console['url']}/conversation/{cid}").text
    # Staff accounts are managed only from the command line: there is no web route for it.
    for path in ("/users", "/admin/users"):
        assert session.get(console["url"] + path).status_code == 404


def test_list_newest_first_with_badges_and_first_question(console):
    session = sign_in(console, "rex")
    page = session.get(f"{console['url']}/").text
    assert rows(page) == ["question", "twice", "twice", "unclear", "html", "fever", "breathing"]
    assert 'badge-emergency">emergency' in page and 'badge-doctor">doctor' in page
    assert QUESTION in page
    assert "(7)" in page


def test_each_rasa_session_is_its_own_conversation(console):
    session = sign_in(console, "rex")
    later, earlier = ids(session.get(f"{console['url']}/").text)["twice"]
    assert later > earlier
    first = session.get(f"{console['url']}/conversation/{earlier}").text
    second = session.get(f"{console['url']}/conversation/{later}").text
    assert "how long does the numbness last?" in first and "can I drive home" not in first
    assert "can I drive home after?" in second and "numbness last" not in second


def test_filters(console):
    session = sign_in(console, "rex")

    def listed(**params):
        return rows(session.get(f"{console['url']}/", params=params).text)

    assert listed(escalated="emergency") == ["breathing"]
    assert listed(escalated="doctor") == ["fever"]
    assert listed(escalated="any") == ["fever", "breathing"]
    assert listed(q="HURTS TO") == ["breathing"]
    assert listed(q="%") == [], "LIKE wildcards are searched literally"
    assert listed(q="_") == []
    assert listed(channel="rest") == listed()
    assert len(listed()) == 7
    assert listed(channel="telegram") == []
    by_intent = listed(intent="report_symptom")
    assert "breathing" in by_intent and "question" not in by_intent
    assert listed(intent="ask_what_is_tpi") == ["question"]
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert len(listed(**{"from": today, "to": today})) == 7
    assert listed(to="2001-01-01") == []
    assert listed(escalated="emergency", unreviewed="1") == ["breathing"]
    low = listed(lowconf="1")
    assert "unclear" in low and "question" not in low and "fever" not in low
    # Filters are in the URL: the same URL gives the same view to anyone signed in.
    shared = sign_in(console, "ada").get(f"{console['url']}/?escalated=any&channel=rest")
    assert rows(shared.text) == ["fever", "breathing"]
    assert 'value="any" selected' in shared.text


def test_sql_injection_strings_change_nothing(console):
    session = sign_in(console, "rex")
    before = event_count(console)
    for evil in ("' OR 1=1 --", "\" OR \"1\"=\"1", "x'); DROP TABLE events; --",
                 "%' UNION SELECT sender_id FROM events --", "1; DELETE FROM console_users"):
        for name in ("q", "intent", "channel", "tag", "from", "to", "escalated", "page"):
            response = session.get(f"{console['url']}/", params={name: evil})
            assert response.status_code == 200
            if name in ("q", "intent", "channel", "tag"):
                assert rows(response.text) == [], (name, evil)
        assert session.get(f"{console['url']}/conversation/{evil}").status_code == 404
        assert session.get(f"{console['url']}/dashboard", params={"from": evil}).status_code == 200
    assert event_count(console) == before
    assert len(rows(session.get(f"{console['url']}/").text)) == 7
    sign_in(console, "ada")


def test_transcript_shows_turns_findings_and_escapes_patient_html(console):
    session = sign_in(console, "rex")
    found = ids(session.get(f"{console['url']}/").text)
    page = session.get(f"{console['url']}/conversation/{found['breathing'][0]}").text
    assert page.index(">hi<") < page.index(BREATHING)
    assert "report_symptom" in page and "trouble breathing" in page
    assert "<code>history_recent</code>" in page
    assert 'class="turn escalation escalation-emergency"' in page
    assert "Call 911 now" in page
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", page)
    html_page = session.get(f"{console['url']}/conversation/{found['html'][0]}").text
    for raw in ("<script>alert(1)</script>", "<img src=x", '<a href="javascript:'):
        assert raw not in html_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_page
    assert "&lt;a href=&#34;javascript:alert(3)&#34;&gt;link&lt;/a&gt;" in html_page
    listing = session.get(f"{console['url']}/").text
    assert "<script>alert" not in listing and "&lt;img src=x" in listing
    assert session.get(f"{console['url']}/conversation/999999999").status_code == 404


def test_review_note_and_tag_are_shown_and_audited(console):
    session = sign_in(console, "rex")
    base = console["url"]
    cid = conversation_id(session, console, "fever")
    page = session.get(f"{base}/conversation/{cid}")
    assert FEVER in page.text
    token = csrf_of(page.text)
    session.post(f"{base}/conversation/{cid}/review", data={"csrf": token})
    session.post(f"{base}/conversation/{cid}/note",
                 data={"csrf": token, "text": "Called back <b>ok</b>"})
    final = session.post(f"{base}/conversation/{cid}/tag",
                         data={"csrf": token, "tag": "Follow-up"})
    assert final.status_code == 200
    assert "Reviewed by rex" in final.text
    assert "Called back &lt;b&gt;ok&lt;/b&gt;" in final.text
    assert '<span class="tag">follow-up</span>' in final.text
    assert session.post(f"{base}/conversation/{cid}/tag",
                        data={"csrf": token, "tag": "<b>"}).status_code == 400
    assert session.post(f"{base}/conversation/{cid}/note",
                        data={"csrf": token, "text": "x" * 4001}).status_code == 400
    actions = audit_actions(console)
    for action in ("view", "review", "note", "tag"):
        assert ("rex", action, cid) in actions
    listed = rows(session.get(f"{base}/", params={"unreviewed": "1"}).text)
    assert "fever" not in listed and "breathing" in listed
    assert rows(session.get(f"{base}/", params={"tag": "follow-up"}).text) == ["fever"]
    assert rows(session.get(f"{base}/", params={"tag": "Follow-Up"}).text) == ["fever"]


def test_admin_exports_csv_and_json_and_sees_the_audit_log(console):
    session = sign_in(console, "ada")
    base = console["url"]
    found = ids(session.get(f"{base}/").text)
    data = session.get(f"{base}/export/conversations.json", params={"escalated": "any"}).json()
    assert [c["sender_id"] for c in data["conversations"]] == ["fever", "breathing"]
    assert data["conversations"][1]["escalation"] == "emergency"
    assert data["filters"] == {"escalated": "any"}
    response = session.get(f"{base}/export/conversations.csv")
    assert response.headers["Content-Disposition"].startswith("attachment")
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["sender_id"] for r in table] == ["question", "twice", "twice", "unclear", "html",
                                              "fever", "breathing"]
    one = session.get(f"{base}/export/conversation/{found['breathing'][0]}/transcript.json"
                      ).json()
    user_turns = [t for t in one["turns"] if t["kind"] == "user"]
    assert user_turns[1]["text"] == BREATHING
    assert user_turns[1]["findings"][0]["rule"] == "history_recent"
    assert any(t["kind"] == "escalation" and t["escalation"] == "emergency"
               for t in one["turns"])
    one_csv = session.get(f"{base}/export/conversation/{found['html'][0]}/transcript.csv")
    assert one_csv.headers["Content-Type"].startswith("text/csv")
    assert list(csv.DictReader(io.StringIO(one_csv.text)))[0]["text"] == HOSTILE
    assert session.get(f"{base}/export/conversation/999999999/transcript.json"
                       ).status_code == 404
    audited = [a for a in audit_actions(console) if a[0] == "ada"]
    assert [a[1] for a in audited].count("export_list") == 2
    assert ("ada", "export_conversation", found["breathing"][0]) in audited
    assert ("ada", "export_conversation", found["html"][0]) in audited
    audit = session.get(f"{base}/audit")
    assert audit.status_code == 200 and "export_conversation" in audit.text
    assert "signin" in audit.text


def test_the_audit_log_is_append_only_from_the_app(console):
    session = sign_in(console, "ada")
    before = audit_actions(console)
    for method in ("post", "put", "delete", "patch"):
        response = getattr(session, method)(f"{console['url']}/audit",
                                            data={"csrf": csrf_of(session.get(
                                                f"{console['url']}/audit").text)})
        assert response.status_code == 405, method
    after = audit_actions(console)
    assert after[:len(before)] == before


def test_dashboard_counts_match_the_conversations(console):
    session = sign_in(console, "rex")
    response = session.get(f"{console['url']}/dashboard")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe" not in csp.split("script-src")[1]
    page = response.text
    data = re.search(r'<script type="application/json" id="dashboard-data">(.*?)</script>',
                     page, re.S).group(1)
    import json
    figures = json.loads(data)
    assert figures["totals"]["conversations"] == 7
    assert figures["totals"]["emergency"] == 1 and figures["totals"]["doctor"] == 1
    assert sum(d["conversations"] for d in figures["per_day"]) == 7
    assert figures["channels"] == [{"channel": "rest", "conversations": 7}]
    topics = {t["intent"] for t in figures["topics"]}
    assert "report_symptom" in topics and "nlu_fallback" not in topics
    assert figures["totals"]["fallback_turns"] >= 1
    assert '<script src="/static/vendor/chart.umd.js"></script>' in page
    chart = session.get(f"{console['url']}/static/vendor/chart.umd.js")
    assert chart.status_code == 200 and "Chart" in chart.text[:5000]
    empty = session.get(f"{console['url']}/dashboard", params={"from": "2001-01-01",
                                                              "to": "2001-01-31"})
    assert "No conversations in this range." in empty.text


def test_new_messages_appear_without_a_restart(console):
    """The index follows the tracker store: a conversation written now is listed now."""
    console["servers"].send("late", "can I shower after the injection?")
    session = sign_in(console, "rex")
    assert rows(session.get(f"{console['url']}/").text)[0] == "late"


def test_users_cli_disable_and_reset_password(console):
    env = console["env"]
    run_cli(env, "console.users", "add", "tmp-user", "--role", "reviewer",
            stdin="first-password-x")
    session = sign_in(console, "tmp-user", "first-password-x")
    run_cli(env, "console.users", "reset-password", "tmp-user", stdin="second-password-x")
    assert session.get(f"{console['url']}/", allow_redirects=False).status_code == 302
    sign_in(console, "tmp-user", "second-password-x")
    run_cli(env, "console.users", "disable", "tmp-user")
    page = requests.Session()
    token = csrf_of(page.get(f"{console['url']}/signin").text)
    response = page.post(f"{console['url']}/signin", data={
        "csrf": token, "name": "tmp-user", "password": "second-password-x"})
    assert response.status_code == 401
    with console["db"].connect() as conn:
        stored = conn.execute(sa.text(
            "select password_hash from console_users where name='ada'")).scalar()
    assert stored.startswith("$argon2id$")


def test_sign_out_ends_the_session(console):
    session = sign_in(console, "rex")
    cookie = session.cookies["console_session"]
    page = session.get(f"{console['url']}/")
    response = session.post(f"{console['url']}/signout", data={"csrf": csrf_of(page.text)},
                            allow_redirects=False)
    assert response.status_code == 302 and response.headers["Location"] == "/signin"
    assert requests.get(f"{console['url']}/", cookies={"console_session": cookie},
                        allow_redirects=False).status_code == 302
    assert ("rex", "signout", None) in audit_actions(console)


def append_events(console, sender: str, events: list[dict]) -> None:
    """Events stored through Rasa's HTTP API, as a channel would have (the way to give a
    conversation an old timestamp without waiting)."""
    servers = console["servers"]
    response = requests.post(f"{servers.url}/conversations/{sender}/tracker/events",
                             params={"token": servers.token}, json=events, timeout=30)
    response.raise_for_status()


def test_retention_deletes_only_old_conversations(console):
    """Retention through the Rasa server's deletion endpoint (docs/data-rights.md): a patient's
    conversation of 40 days ago goes (its events, index rows, note, review), their newer one stays
    whole; with Rasa unreachable it stops with exit status 2 and deletes nothing."""
    sender = f"retention-{uuid.uuid4().hex[:8]}"
    at = time.time() - 40 * 86400
    append_events(console, sender, [
        {"event": "action", "name": "action_session_start", "timestamp": at},
        {"event": "session_started", "timestamp": at},
        {"event": "action", "name": "action_listen", "timestamp": at},
        {"event": "user", "text": "how long does the numbness last?", "timestamp": at + 1,
         "input_channel": "rest",
         "parse_data": {"intent": {"name": "ask_numbness", "confidence": 0.9}, "entities": []}},
        {"event": "action", "name": "action_listen", "timestamp": at + 2},
    ])
    console["servers"].send(sender, "can I drive home after?")  # a new session: 40 days later
    session = sign_in(console, "rex")
    later, earlier = ids(session.get(f"{console['url']}/").text)[sender]
    with console["tracker"].connect() as conn:
        old_ids = [r[0] for r in conn.execute(sa.text(
            "select id from events where sender_id = :s and id < :later"),
            {"s": sender, "later": later})]
    assert old_ids and min(old_ids) == earlier
    total = event_count(console)
    with console["db"].begin() as conn:
        for cid in (earlier, later):
            conn.execute(sa.text("insert into console_notes (conversation_id, author, at, text)"
                                 " values (:cid, 'rex', 0, 'x')"), {"cid": cid})
        conn.execute(sa.text("insert into console_reviews values (:cid, 'rex', 0)"),
                     {"cid": earlier})
    env = console["env"]
    down = subprocess.run(
        [sys.executable, "-m", "console.retention", "--days", "30"], cwd=ROOT, text=True,
        env={**env, "RASA_API_URL": f"http://127.0.0.1:{free_port()}"}, capture_output=True,
        timeout=120)
    assert down.returncode == 2 and "nothing was deleted" in down.stderr, down.stderr
    assert event_count(console) == total
    dry = run_cli(env, "console.retention", "--days", "30", "--dry-run").stdout
    assert dry.startswith(f"would delete 1 conversations: {len(old_ids)} events, 1 notes")
    out = run_cli(env, "console.retention", "--days", "30").stdout
    assert out.startswith(f"deleted 1 conversations: {len(old_ids)} events, 1 notes")
    assert event_count(console) == total - len(old_ids)
    with console["tracker"].connect() as conn:
        kept = conn.execute(sa.text("select min(id) from events where sender_id = :s"),
                            {"s": sender})
        assert kept.scalar() == later, "the patient's newer conversation stays whole"
    with console["db"].connect() as conn:
        notes = [r[0] for r in conn.execute(sa.text(
            "select conversation_id from console_notes where conversation_id in (:a, :b)"),
            {"a": earlier, "b": later})]
        assert notes == [later]
        assert conn.execute(sa.text("select count(*) from console_reviews where "
                                    "conversation_id = :c"), {"c": earlier}).scalar() == 0
        assert conn.execute(sa.text("select count(*) from console_conversations where id = :c"),
                            {"c": earlier}).scalar() == 0
        runs = conn.execute(sa.text("select detail from console_audit_log"
                                    " where action = 'retention'")).all()
        deletions = conn.execute(sa.text("select actor, detail from console_audit_log"
                                         " where action = 'erasure'")).all()
    [run] = [json.loads(r.detail) for r in runs if json.loads(r.detail)["days"] == 30]
    assert run["conversations"] == 1 and run["events"] == len(old_ids)
    [deletion] = [(a, json.loads(d)) for a, d in deletions
                  if json.loads(d)["sender"] == audit_hash(sender)]
    assert deletion[0] == "retention" and deletion[1]["reason"] == "retention"
    assert deletion[1]["conversations"] == 1 and deletion[1]["events"] == len(old_ids)
    assert rows(session.get(f"{console['url']}/").text).count(sender) == 1
