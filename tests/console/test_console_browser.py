"""The staff console in a real browser (Debian's chromium driven by Playwright): sign in, filter
the escalated conversations, open one, see the escalation highlighted, mark it reviewed, add a
note, export CSV as an admin, look at the dashboard's charts, sign out. Screenshots go to
test-artifacts/console/."""

from __future__ import annotations

import pytest

from devtools.servers import ROOT
from tests.console.conftest import BREATHING, PASSWORD

pytestmark = pytest.mark.servers
ARTIFACTS = ROOT / "test-artifacts" / "console"


def test_review_flow_in_a_real_browser(console, browser, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = f"{console['backend']}"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: problems.append(f"dialog: {d.message}"))
    base = console["url"]

    page.goto(f"{base}/?escalated=any")
    assert page.url.startswith(f"{base}/signin")
    page.get_by_label("Name").fill("ada")
    page.get_by_label("Password").fill(PASSWORD["ada"])
    page.screenshot(path=str(ARTIFACTS / f"{shot}-1-signin.png"))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/?escalated=any")  # back where the link pointed

    page.goto(f"{base}/")
    page.get_by_label("Escalated").select_option("any")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/?escalated=any*")
    listed = page.locator("tr.conversation")
    senders = [listed.nth(i).get_attribute("data-sender") for i in range(listed.count())]
    assert set(senders) == {"breathing", "fever"}
    assert page.locator("tr.conversation .badge-emergency").count() == 1
    page.screenshot(path=str(ARTIFACTS / f"{shot}-2-escalated.png"), full_page=True)

    page.locator('tr.conversation[data-sender="breathing"] a').click()
    page.wait_for_url("**/conversation/*")
    escalation = page.locator("li.turn.escalation-emergency")
    assert escalation.is_visible()
    background = escalation.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), "highlighted"
    assert page.get_by_text(BREATHING).is_visible()
    page.screenshot(path=str(ARTIFACTS / f"{shot}-3-transcript.png"), full_page=True)

    page.get_by_role("button", name="Mark reviewed").click()
    assert page.get_by_text("Reviewed by ada").is_visible()
    page.get_by_label("Note").fill("Called the patient back; <b>fine</b> now.")
    page.get_by_role("button", name="Add note").click()
    assert page.get_by_text("Called the patient back; <b>fine</b> now.").is_visible()
    page.screenshot(path=str(ARTIFACTS / f"{shot}-4-reviewed.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    saved = tmp_path / "conversation.csv"
    download.value.save_as(saved)
    exported = saved.read_text()
    assert exported.startswith("time,kind,text") and BREATHING in exported

    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_selector('#dashboard-charts[data-ready="1"]')
    for chart in ("chart-per-day", "chart-topics", "chart-fallback", "chart-channels"):
        assert page.locator(f"#{chart}").bounding_box()["height"] > 50
    page.screenshot(path=str(ARTIFACTS / f"{shot}-5-dashboard.png"), full_page=True)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/signin")
    page.goto(f"{base}/")
    assert page.url.startswith(f"{base}/signin"), "signed out for real"
    page.screenshot(path=str(ARTIFACTS / f"{shot}-6-signed-out.png"))
    assert problems == [], problems
    context.close()
