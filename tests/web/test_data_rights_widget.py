"""Patients' data rights in the website chat widget (docs/data-rights.md), in a real browser
against the real action and Rasa servers, and the privacy notice as web/server.py serves it.

The welcome links the privacy notice and says how long messages are kept; "what do you keep about
me?" is answered with the clinic profile's retention_days; "delete my conversation" asks for a
confirmation with two buttons; "Yes, delete it" deletes every event of the widget's session id
from the tracker database (checked in the database itself) and confirms it; the next message
starts a new conversation with the welcome. The expected replies are asked of the same Rasa
server over REST (as tests/web/test_widget.py does). Screenshots go to test-artifacts/web/.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
import uuid
from pathlib import Path

import pytest
import requests

from clinic import load_profile
from content.model import fill, response
from tests.web.conftest import WebStack
from tests.web.test_widget import QUESTION, TIMEOUT, VIEWPORTS, Visit, expect, paragraphs

pytestmark = pytest.mark.servers

DATA_KEPT = "what do you keep about me?"
ERASE = "delete my conversation"
YES, NO = "/confirm_erasure", "/deny_erasure"


def said(name: str, statement: int = 0) -> str:
    """A statement of a response as the patient reads it (the clinic's details filled in)."""
    return fill(response(name).statements[statement].say, **load_profile().as_slots())


def button_titles(name: str) -> dict[str, str]:
    """payload -> title of a response's buttons (content/)."""
    return {b["payload"]: b["title"] for b in response(name).buttons}


# --- what the widget shows ------------------------------------------------------------------------
def as_shown(line: str) -> str:
    """A line of Markdown as the widget shows it: a link's text, no emphasis markers."""
    line = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line)
    return re.sub(r"\*\*|__", "", line).strip()


def expect_shown(visit: Visit, messages: list[dict]) -> None:
    """Each line of each paragraph of these REST replies is on screen (links as their text)."""
    for part in paragraphs(messages):
        for line in part.splitlines():
            text = as_shown(line.removeprefix("- "))
            if text:
                expect()(visit.log).to_contain_text(text, timeout=TIMEOUT)


def probe(stack: WebStack, *messages: str) -> list[dict]:
    """The replies to the last of `messages` in a new conversation over REST."""
    sender = f"probe-{uuid.uuid4().hex[:8]}"
    for message in messages[:-1]:
        stack.servers.send(sender, message)
    return stack.servers.send(sender, messages[-1])


# --- what the tracker database holds --------------------------------------------------------------
def tracker_db(stack: WebStack) -> Path:
    return Path(stack.servers.env["TRACKER_DB"])


def stored_events(stack: WebStack, sender: str) -> list[tuple[str, str]]:
    """(type, data) of every row of the sender in Rasa's tracker database, oldest first."""
    with sqlite3.connect(tracker_db(stack), timeout=10) as db:
        return db.execute("SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id",
                          (sender,)).fetchall()


def user_texts(stack: WebStack, sender: str) -> list[str]:
    return [json.loads(data).get("text") for kind, data in stored_events(stack, sender)
            if kind == "user"]


def erasure_records(stack: WebStack, sender: str) -> list[tuple]:
    """The sender's privacy_erasures rows (no console runs here to process them)."""
    with sqlite3.connect(tracker_db(stack), timeout=10) as db:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                          "AND name = 'privacy_erasures'").fetchall():
            return []
        return db.execute("SELECT reason, actor, channel, events FROM privacy_erasures "
                          "WHERE sender_id = ?", (sender,)).fetchall()


def wait_for(condition, what: str, timeout: float = 30):
    """The first true value of condition(), polled (socket.io messages are handled after the
    browser sent them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} within {timeout} s")


# === the privacy notice ===========================================================================
def test_the_privacy_notice_is_served_with_the_pages_headers(web_stack: WebStack):
    clinic = load_profile()
    url = web_stack.page_url + "privacy"
    page = requests.get(url, timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    home = requests.get(web_stack.page_url, timeout=10)
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                   "X-Frame-Options", "Permissions-Policy", "Cross-Origin-Opener-Policy"):
        assert page.headers[header] == home.headers[header], header
    assert "script-src 'self';" in page.headers["Content-Security-Policy"]
    assert "<script" not in page.text and "$" not in page.text
    assert f"{clinic.retention_days} days</strong> after its" in page.text
    assert clinic.as_slots()["privacy_contact"] in page.text
    assert clinic.emergency_number in page.text and clinic.name in page.text

    head = requests.head(url, timeout=10)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["ETag"] == page.headers["ETag"]
    assert requests.get(url, headers={"If-None-Match": page.headers["ETag"]},
                        timeout=10).status_code == 304
    # the address the profile gives patients (the welcome links it) is this page's path
    assert clinic.privacy_notice_url.endswith("/privacy")


def test_the_footer_links_the_notice_and_it_shows_without_errors(web_stack: WebStack):
    clinic = load_profile()
    visit = Visit(web_stack, "privacy-notice", VIEWPORTS["phone"])
    try:
        visit.open_page()
        visit.page.locator(".site-footer").get_by_role(
            "link", name=re.compile("^Privacy")).click()
        expect()(visit.page).to_have_url(web_stack.page_url + "privacy")
        expect()(visit.page.get_by_role("heading", level=1)).to_have_text(
            "Your privacy in the chat")
        expect()(visit.page.locator("#retention-days")).to_have_text(
            f"{clinic.retention_days} days")
        width = visit.page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= VIEWPORTS["phone"]["width"], "the notice scrolls sideways on a phone"
        visit.shot("notice")
        visit.check_no_third_party_requests_or_errors()  # a CSP violation is a console error
    finally:
        visit.close()


# === the chat =====================================================================================
def test_a_patient_asks_what_is_kept_and_deletes_the_conversation(web_stack: WebStack):
    clinic = load_profile()
    days = str(clinic.retention_days)
    titles = button_titles("utter_ask_erasure_confirmation")
    assert set(titles) == {YES, NO}, titles
    visit = Visit(web_stack, "erasure", VIEWPORTS["desktop"])
    page = visit.page
    welcome = page.locator(".rw-response", has_text=said("utter_welcome"))
    notice_link = page.locator(f'.rw-response a[href="{clinic.privacy_notice_url}"]')
    try:
        visit.open_page()
        visit.open_widget()

        # The welcome (initPayload /greet) says how long messages are kept and links the notice.
        greeting = probe(web_stack, "/greet")
        greeting_text = " ".join(paragraphs(greeting))
        assert days in greeting_text and clinic.privacy_notice_url in greeting_text, greeting
        expect_shown(visit, greeting)
        expect()(welcome).to_have_count(1)
        expect()(notice_link.first).to_be_visible()
        visit.shot("welcome-links-the-notice")
        session_id = visit.session_id()

        # What is kept: the clinic profile's retention_days.
        answer = probe(web_stack, "/greet", DATA_KEPT)
        assert days in " ".join(paragraphs(answer)), answer
        visit.send(DATA_KEPT)
        expect_shown(visit, answer)
        visit.shot("what-is-kept")

        # "delete my conversation": a question with the two buttons.
        visit.send(ERASE)
        for title in titles.values():
            expect()(page.get_by_role("button", name=title)).to_be_visible(timeout=TIMEOUT)
        visit.shot("asks-to-confirm")
        stored = wait_for(lambda: ERASE in user_texts(web_stack, session_id) and
                          stored_events(web_stack, session_id), "the question was not stored")
        assert {"user", "bot"} <= {kind for kind, _ in stored}

        # "Yes, delete it": the confirmation, and nothing of this session id is left.
        done = probe(web_stack, "/greet", ERASE, YES)
        assert said("utter_erasure_done") in " ".join(paragraphs(done)), done
        page.get_by_role("button", name=titles[YES]).click()
        expect()(page.locator(".rw-client").last).to_have_text(titles[YES])
        expect_shown(visit, done)
        visit.shot("deleted")
        assert stored_events(web_stack, session_id) == []  # confirmed after the commit
        [(reason, actor, channel, events)] = erasure_records(web_stack, session_id)
        assert (reason, actor, channel) == ("patient_request", "patient", "socketio")
        assert events >= len(stored)

        # Writing again starts a new conversation: the welcome again, then the answer.
        visit.send(QUESTION)
        expect()(welcome).to_have_count(2, timeout=TIMEOUT)
        expect_shown(visit, probe(web_stack, "/greet", QUESTION))
        visit.shot("new-conversation")
        assert visit.session_id() == session_id  # the same tab keeps its id: a new conversation
        assert wait_for(lambda: user_texts(web_stack, session_id),
                        "the new message was not stored") == [QUESTION]
        visit.check_no_third_party_requests_or_errors()
    finally:
        visit.close()


def test_no_keeps_the_conversation(web_stack: WebStack):
    """ "No, keep it": the texts say so, every event stays, and the conversation goes on."""
    titles = button_titles("utter_ask_erasure_confirmation")
    visit = Visit(web_stack, "erasure-declined", VIEWPORTS["desktop"])
    page = visit.page
    try:
        visit.open_page()
        visit.open_widget()
        expect()(page.locator(".rw-response", has_text=said("utter_welcome"))).to_have_count(
            1, timeout=TIMEOUT)
        session_id = visit.session_id()
        visit.send(ERASE)
        page.get_by_role("button", name=titles[NO]).click()
        expect()(page.locator(".rw-client").last).to_have_text(titles[NO])
        kept = probe(web_stack, "/greet", ERASE, NO)
        assert said("utter_erasure_kept") in " ".join(paragraphs(kept)), kept
        expect_shown(visit, kept)
        visit.shot("kept")
        wait_for(lambda: user_texts(web_stack, session_id)[-1:] == [NO],
                 "the answer was not stored")
        assert ERASE in user_texts(web_stack, session_id)
        assert erasure_records(web_stack, session_id) == []
        # the conversation goes on: no second welcome
        visit.send(QUESTION)
        expect_shown(visit, probe(web_stack, "/greet", QUESTION))
        expect()(page.locator(".rw-response", has_text=said("utter_welcome"))).to_have_count(1)
        visit.check_no_third_party_requests_or_errors()
    finally:
        visit.close()
