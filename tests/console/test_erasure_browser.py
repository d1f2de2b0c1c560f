"""An admin deletes a patient's conversation at their request, in a real browser (Chromium driven
by Playwright) against the real Rasa server: the button on the conversation's page, the
confirmation that says what goes and will not submit without a reason, the list with its notice
and without the conversation. Screenshots go to test-artifacts/console/."""

from __future__ import annotations

import re
import time
import uuid

import pytest

from devtools.servers import ROOT
from tests.console.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.servers
ARTIFACTS = ROOT / "test-artifacts" / "console"
WORDS = "Ottoline here, can I take a bath the evening after the injection?"


def test_an_admin_deletes_a_conversation_in_a_real_browser(console, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = f"{console['backend']}-erasure"
    base = console["url"]
    sender = f"browser-{uuid.uuid4().hex[:10]}"
    console["servers"].send(sender, WORDS)
    http = sign_in(console, "ada")
    deadline = time.time() + 30
    while (found := re.search(rf'data-id="(\d+)" data-sender="{sender}"',
                              http.get(f"{base}/").text)) is None:
        assert time.time() < deadline, "the conversation was not indexed"
        time.sleep(0.5)
    cid = found.group(1)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: problems.append(f"dialog: {d.message}"))
    page.goto(f"{base}/conversation/{cid}")
    page.get_by_label("Name").fill("ada")
    page.get_by_label("Password").fill(PASSWORD["ada"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/conversation/{cid}")
    assert page.get_by_text(WORDS).is_visible()

    page.get_by_role("link", name="Delete at the patient's request").click()
    page.wait_for_url(f"{base}/conversation/{cid}/delete")
    assert page.get_by_text("The one conversation").is_visible()
    assert page.get_by_text("This cannot be undone.").is_visible()
    page.screenshot(path=str(ARTIFACTS / f"{shot}-1-confirm.png"), full_page=True)
    delete = page.get_by_role("button", name="Delete the conversation")
    delete.click()  # no reason chosen: the browser does not send the form
    page.wait_for_timeout(300)
    assert page.url == f"{base}/conversation/{cid}/delete"
    assert page.locator('input[name="asked"]').first.evaluate("e => e.validity.valueMissing")
    page.get_by_label("The patient asked by phone").check()
    delete.click()
    page.wait_for_url(f"{base}/?deleted=1")
    assert page.get_by_role("status").filter(
        has_text="Deleted at the patient's request: 1 conversation").is_visible()
    assert page.locator(f'tr.conversation[data-sender="{sender}"]').count() == 0
    page.screenshot(path=str(ARTIFACTS / f"{shot}-2-deleted.png"), full_page=True)
    assert problems == [], problems
    response = page.goto(f"{base}/conversation/{cid}")  # (the browser logs the 404 itself)
    assert response.status == 404 and page.get_by_text("No such conversation.").is_visible()
    context.close()
