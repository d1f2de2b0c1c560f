"""The staff console against conversations produced by the real assistant (both servers)."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest
import requests

from tests.servers import ROOT, Servers, free_port, wait_until

pytestmark = pytest.mark.servers
PASSWORD = {"ada": "ada-secret-password", "rex": "rex-secret-password",
            "locky": "locky-secret-password"}
BREATHING = "since the shot it hurts to breathe"
HTML = "<script>alert(1)</script>"


def run_cli(env: dict, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=60, check=True)


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("console")
    servers = Servers(workdir)
    try:
        servers.start_actions()
        servers.start_rasa()
        servers.send("breathing", "hi")
        servers.send("breathing", BREATHING)
        servers.send("fever", "the site is red and hot and I have a temperature of 101")
        servers.send("html", HTML)
        servers.send("question", "what is a trigger point injection?")
    finally:
        servers.stop()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3",
           "TRACKER_DB": str(workdir / "tracker.db"),
           "CONSOLE_DB_URL": f"sqlite:///{workdir / 'console.db'}",
           "CONSOLE_PORT": str(free_port())}
    run_cli(env, "console.users", "add", "ada", "--role", "admin", stdin=PASSWORD["ada"])
    run_cli(env, "console.users", "add", "rex", "--role", "reviewer", stdin=PASSWORD["rex"])
    run_cli(env, "console.users", "add", "locky", "--role", "reviewer", stdin=PASSWORD["locky"])
    log = workdir / "console.log"
    process = subprocess.Popen([sys.executable, "-m", "console.app"], cwd=ROOT, env=env,
                               stdout=log.open("ab"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{env['CONSOLE_PORT']}"
    try:
        wait_until(f"{url}/signin", process, log, timeout=60)
        yield {"url": url, "env": env, "workdir": workdir}
    finally:
        process.terminate()
        process.wait(timeout=20)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def sign_in(console, name: str, password: str | None = None) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{console['url']}/signin")
    response = session.post(f"{console['url']}/signin", data={
        "csrf": csrf_of(page.text), "name": name, "password": password or PASSWORD[name],
        "next": "/"})
    assert response.status_code == 200 and "Sign out" in response.text
    return session


def rows(html: str) -> list[str]:
    return re.findall(r'<tr class="conversation" data-sender="([^"]*)"', html)


def audit_actions(console) -> list[tuple]:
    db = sqlite3.connect(console["workdir"] / "console.db")
    try:
        return db.execute("select actor, action, sender_id from audit_log order by id").fetchall()
    finally:
        db.close()


def test_every_page_requires_a_session(console):
    url = console["url"]
    for path in ("/", "/conversation?sender=breathing", "/audit"):
        response = requests.get(url + path, allow_redirects=False)
        assert response.status_code == 302 and response.headers["Location"].startswith("/signin")
    for path in ("/export/conversations.csv", "/export/conversation.json?sender=breathing"):
        assert requests.get(url + path, allow_redirects=False).status_code == 401
    for path in ("/conversation/review", "/conversation/note", "/signout"):
        response = requests.post(url + path, data={"sender": "breathing"},
                                 allow_redirects=False)
        assert response.status_code == 302
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
    for path, data in (("/conversation/review", {"sender": "html"}),
                       ("/conversation/note", {"sender": "html", "text": "x"}),
                       ("/conversation/tag", {"sender": "html", "tag": "x"}),
                       ("/signout", {})):
        response = session.post(console["url"] + path, data={**data, "csrf": "forged"})
        assert response.status_code == 403, path
    assert ("rex", "review", "html") not in audit_actions(console)


def test_reviewer_cannot_export_or_see_the_audit_log(console):
    session = sign_in(console, "rex")
    assert session.get(f"{console['url']}/audit").status_code == 403
    for path in ("/export/conversations.csv", "/export/conversations.json",
                 "/export/conversation.csv?sender=breathing"):
        assert session.get(console["url"] + path).status_code == 403
    assert "Export" not in session.get(f"{console['url']}/").text


def test_list_newest_first_with_badges_and_first_question(console):
    session = sign_in(console, "rex")
    page = session.get(f"{console['url']}/").text
    assert rows(page) == ["question", "html", "fever", "breathing"]
    assert 'badge-emergency">emergency' in page and 'badge-doctor">doctor' in page
    assert "what is a trigger point injection?" in page


def test_filters(console):
    session = sign_in(console, "rex")

    def listed(**params):
        return rows(session.get(f"{console['url']}/", params=params).text)

    assert listed(escalated="emergency") == ["breathing"]
    assert listed(escalated="doctor") == ["fever"]
    assert listed(escalated="any") == ["fever", "breathing"]
    assert listed(q="HURTS TO") == ["breathing"]
    assert listed(q="%") == [], "LIKE wildcards are searched literally"
    assert listed(channel="rest") == ["question", "html", "fever", "breathing"]
    assert listed(channel="telegram") == []
    by_intent = listed(intent="report_symptom")
    assert "breathing" in by_intent and "question" not in by_intent
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert len(listed(**{"from": today, "to": today})) == 4
    assert listed(to="2001-01-01") == []
    assert listed(escalated="emergency", unreviewed="1") == ["breathing"]


def test_sql_injection_strings_change_nothing(console):
    session = sign_in(console, "rex")
    before = sqlite3.connect(console["workdir"] / "tracker.db").execute(
        "select count(*) from events").fetchone()[0]
    for evil in ("' OR 1=1 --", "\" OR \"1\"=\"1", "x'); DROP TABLE events; --",
                 "%' UNION SELECT sender_id FROM events --"):
        for name in ("q", "intent", "channel", "tag", "from", "escalated"):
            response = session.get(f"{console['url']}/", params={name: evil})
            assert response.status_code == 200
            if name in ("q", "intent", "channel", "tag"):
                assert rows(response.text) == [], (name, evil)
        assert session.get(f"{console['url']}/conversation",
                           params={"sender": evil}).status_code == 404
    after = sqlite3.connect(console["workdir"] / "tracker.db").execute(
        "select count(*) from events").fetchone()[0]
    assert after == before
    assert len(rows(session.get(f"{console['url']}/").text)) == 4


def test_transcript_shows_turns_findings_and_escapes_patient_html(console):
    session = sign_in(console, "rex")
    page = session.get(f"{console['url']}/conversation", params={"sender": "breathing"}).text
    assert page.index(">hi<") < page.index(BREATHING)
    assert "report_symptom" in page and "trouble breathing" in page
    assert "<code>history_recent</code>" in page
    assert 'class="turn escalation escalation-emergency"' in page
    assert "Call 911 now" in page
    html_page = session.get(f"{console['url']}/conversation", params={"sender": "html"}).text
    assert HTML not in html_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_page
    assert HTML not in session.get(f"{console['url']}/").text


def test_review_note_and_tag_are_shown_and_audited(console):
    session = sign_in(console, "rex")
    page = session.get(f"{console['url']}/conversation", params={"sender": "fever"})
    token = csrf_of(page.text)
    base = console["url"]
    session.post(f"{base}/conversation/review", data={"csrf": token, "sender": "fever"})
    session.post(f"{base}/conversation/note",
                 data={"csrf": token, "sender": "fever", "text": "Called back <b>ok</b>"})
    final = session.post(f"{base}/conversation/tag",
                         data={"csrf": token, "sender": "fever", "tag": "Follow-up"})
    assert final.status_code == 200
    assert "Reviewed by rex" in final.text
    assert "Called back &lt;b&gt;ok&lt;/b&gt;" in final.text
    assert '<span class="tag">follow-up</span>' in final.text
    actions = audit_actions(console)
    for action in ("review", "note", "tag"):
        assert ("rex", action, "fever") in actions
    listed = rows(session.get(f"{base}/", params={"unreviewed": "1"}).text)
    assert "fever" not in listed and "breathing" in listed
    assert rows(session.get(f"{base}/", params={"tag": "follow-up"}).text) == ["fever"]


def test_admin_exports_csv_and_json_and_sees_the_audit_log(console):
    session = sign_in(console, "ada")
    base = console["url"]
    data = session.get(f"{base}/export/conversations.json", params={"escalated": "any"}).json()
    assert [c["sender_id"] for c in data["conversations"]] == ["fever", "breathing"]
    assert data["conversations"][1]["escalation"] == "emergency"
    text = session.get(f"{base}/export/conversations.csv").text
    table = list(csv.DictReader(io.StringIO(text)))
    assert {r["sender_id"] for r in table} == {"question", "html", "fever", "breathing"}
    one = session.get(f"{base}/export/conversation.json", params={"sender": "breathing"}).json()
    user_turns = [t for t in one["turns"] if t["kind"] == "user"]
    assert user_turns[1]["text"] == BREATHING
    assert user_turns[1]["findings"][0]["rule"] == "history_recent"
    one_csv = session.get(f"{base}/export/conversation.csv", params={"sender": "html"})
    assert one_csv.headers["Content-Type"].startswith("text/csv") and HTML in one_csv.text
    actions = [a[1] for a in audit_actions(console) if a[0] == "ada"]
    assert actions.count("export_list") == 2 and actions.count("export_conversation") == 2
    audit = session.get(f"{base}/audit")
    assert audit.status_code == 200 and "export_conversation" in audit.text


def test_retention_deletes_only_old_conversations(console, tmp_path):
    tracker, console_db = tmp_path / "tracker.db", tmp_path / "console.db"
    shutil.copy(console["workdir"] / "tracker.db", tracker)
    shutil.copy(console["workdir"] / "console.db", console_db)
    db = sqlite3.connect(tracker)
    old = time.time() - 40 * 86400
    db.execute("insert into events (sender_id, type_name, timestamp, intent_name, action_name,"
               " data) select 'old-one', type_name, timestamp - ?, intent_name, action_name,"
               " data from events where sender_id = 'question'", (time.time() - old,))
    db.commit()
    kept = db.execute("select count(*) from events where sender_id != 'old-one'").fetchone()[0]
    db.close()
    notes = sqlite3.connect(console_db)
    notes.execute("insert into notes (sender_id, author, at, text) values ('old-one','rex',0,'x')")
    notes.commit()
    notes_before = notes.execute("select count(*) from notes").fetchone()[0]
    notes.close()
    env = {**console["env"], "TRACKER_DB": str(tracker),
           "CONSOLE_DB_URL": f"sqlite:///{console_db}"}
    out = run_cli(env, "console.retention", "--days", "30").stdout
    assert out.startswith("deleted 1 conversations:") and "1 notes" in out
    db = sqlite3.connect(tracker)
    assert db.execute("select count(*) from events where sender_id = 'old-one'").fetchone()[0] == 0
    assert db.execute("select count(*) from events").fetchone()[0] == kept
    notes = sqlite3.connect(console_db)
    assert notes.execute("select count(*) from notes").fetchone()[0] == notes_before - 1
    assert notes.execute("select count(*) from notes where sender_id='fever'").fetchone()[0] == 1


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
    stored = sqlite3.connect(console["workdir"] / "console.db").execute(
        "select password_hash from users where name='ada'").fetchone()[0]
    assert stored.startswith("$argon2id$")
