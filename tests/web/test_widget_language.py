"""The website chat widget in English and Spanish (docs/web-widget.md, "Languages"), in a real
browser against the real servers, and the clinic page in Spanish at /es/.

The widget's texts come from web/site/widget-texts.json; its language from data-lang, else the
page's <html lang>, else English; the toggle "English | Español" in its header switches it. What
the widget sends is read off the browser's Socket.IO traffic to the Rasa server (long-polling
and WebSocket), so these tests check the widget, never the language of the assistant's replies.
Screenshots go to test-artifacts/web/.
"""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser

import pytest
import requests

from clinic import hours, load_profile
from content.model import response
from content.readability_es import MIN_EASE, fernandez_huerta
from tests.web.conftest import WebStack
from tests.web.test_privacy_notice import profile_file, read
from tests.web.test_widget import COLOURS_JS, TIMEOUT, VIEWPORTS, Visit, _contrast, expect
from web.server import SITE_DIR, fill_widget_text, render_privacy_notice, render_spanish_page

pytestmark = pytest.mark.servers

SWITCH_TO = {"es": "en español, por favor", "en": "in English, please"}
START = {"es": "Hola", "en": "/greet"}
MARKUP = '<img src="x" onerror="window.__injected = 1"><b>negrita</b> & <script>x()</script>'


def widget_texts(stack: WebStack, language: str) -> dict:
    """The widget's texts in `language` as the patient reads them (the clinic's details in)."""
    clinic = load_profile()
    raw = requests.get(stack.page_url + "widget-texts.json", timeout=10).json()[language]
    values = {"clinic": clinic.name, "emergency": clinic.emergency_number}
    texts = {key: fill_widget_text(raw[key], values)
             for key in ("title", "subtitle", "inputHint", "connecting")}
    texts["labels"] = {key: fill_widget_text(text, values) for key, text in raw["labels"].items()}
    return texts


class SocketTraffic:
    """The Socket.IO packets the page sends to the Rasa server, by either transport."""

    def __init__(self, page) -> None:
        self.payloads: list[str] = []
        page.on("websocket", lambda ws: ws.on("framesent", self._frame))
        page.on("request", self._request)

    def _frame(self, payload) -> None:
        if isinstance(payload, str):
            self.payloads.append(payload)

    def _request(self, request) -> None:
        if "/socket.io/" in request.url and request.method == "POST":
            self.payloads.append(request.post_data or "")

    def messages(self) -> list[dict]:
        """The `user_uttered` events: {"message": ..., "customData": ..., "session_id": ...}."""
        sent = []
        for payload in self.payloads:
            for packet in payload.split("\x1e"):  # Engine.IO 4 joins polled packets with \x1e
                if packet.startswith("42"):
                    event, *args = json.loads(packet[2:])
                    if event == "user_uttered":
                        sent.append(args[0])
        return sent

    def texts(self) -> list[str]:
        return [message["message"] for message in self.messages()]

    def wait_for(self, page, text: str, times: int = 1) -> dict:
        """The `times`-th message `text` sent, waiting for it as long as a reply may take."""
        deadline = TIMEOUT
        while deadline > 0:
            found = [m for m in self.messages() if m["message"] == text]
            if len(found) >= times:
                return found[times - 1]
            page.wait_for_timeout(100)
            deadline -= 100
        raise AssertionError(f"{text!r} was never sent; sent: {self.texts()}")


def wait_for_user_messages(stack: WebStack, sender: str, timeout: float = 30) -> list[dict]:
    """The patient's messages the Rasa server has stored for `sender` (socket.io messages are
    handled after the browser sent them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        events = stack.servers.tracker(sender)["events"]
        said = [event for event in events if event["event"] == "user"]
        if said:
            return said
        time.sleep(0.2)
    raise AssertionError(f"the Rasa server stored no message of {sender} within {timeout} s")


class LanguageVisit(Visit):
    """A Visit (tests/web/test_widget.py) that knows the widget's texts in either language."""

    def __init__(self, stack: WebStack, name: str, viewport: dict, language: str = "en") -> None:
        super().__init__(stack, name, viewport)
        self.traffic = SocketTraffic(self.page)
        self.expect_language(language)

    def expect_language(self, language: str) -> None:
        self.language = language
        self.texts = widget_texts(self.stack, language)
        self.labels = self.texts["labels"]

    def goto(self, path: str) -> None:
        self.page.goto(self.stack.page_url + path.lstrip("/"))
        expect()(self.launcher).to_be_visible(timeout=TIMEOUT)

    def goto_other_site(self, name: str, html: str) -> None:
        """A page made by the test on the other site of tests/web/conftest.py (an origin the
        Rasa server allows), with the snippet that loads the widget from the chat server."""
        folder = self.stack.logs[0].parent / "other-site"  # conftest.py: other_site()
        assert folder.is_dir(), folder
        (folder / f"{name}.html").write_text(
            html.replace("WIDGET_URL", self.stack.page_url), encoding="utf-8")
        self.page.goto(f"{self.stack.other_site_url}{name}.html")
        expect()(self.launcher).to_be_visible(timeout=TIMEOUT)

    def check_no_third_party_requests_or_errors(self) -> None:
        other_site = self.stack.other_site_url.rstrip("/")  # the test's own pages
        self.requests = [u for u in self.requests if not u.startswith(other_site)]
        super().check_no_third_party_requests_or_errors()

    def wait_until_connected(self) -> None:
        box = self.page.get_by_role("textbox", name=self.labels["input"])
        expect()(box).to_be_enabled(timeout=TIMEOUT)

    def toggle(self, name: str):
        """A button of the language toggle (the same element in either language)."""
        return self.page.locator(".clinic-chat-lang").get_by_role("button", name=name,
                                                                  exact=True)

    def check_texts(self) -> None:
        """Every text and accessible name of the open widget in the expected language."""
        page, texts, labels = self.page, self.texts, self.labels
        dialog = page.get_by_role("dialog", name=labels["dialog"])
        expect()(dialog).to_be_visible()
        expect()(page.locator(".clinic-chat")).to_have_attribute("lang", self.language)
        expect()(page.locator(".rw-header .rw-title")).to_have_text(texts["title"])
        expect()(page.locator(".rw-header span")).to_have_text(texts["subtitle"])
        box = page.get_by_role("textbox", name=labels["input"])
        expect()(box).to_have_attribute("placeholder", texts["inputHint"])
        expect()(page.get_by_role("button", name=labels["send"])).to_have_count(1)
        expect()(page.get_by_role("log", name=labels["log"])).to_have_count(1)
        if page.viewport_size["width"] >= 800:  # on a phone the chat hides the launcher
            expect()(page.get_by_role("button", name=labels["launcherClose"])).to_have_attribute(
                "aria-expanded", "true")
        expect()(page.get_by_role("group", name=labels["language"])).to_have_count(1)
        names = {"en": "English", "es": "Español"}
        for language, name in names.items():
            button = self.toggle(name)
            expect()(button).to_have_attribute(
                "aria-pressed", "true" if language == self.language else "false")
            expect()(button).to_have_attribute("lang", language)


def page_with_widget(html_lang: str | None, attributes: str = "", container: str = "") -> str:
    lang = f' lang="{html_lang}"' if html_lang is not None else ""
    return f"""<!doctype html><html{lang}><head><meta charset="utf-8">
<title>A page</title><link rel="icon" href="data:,"></head><body><h1>A page</h1>{container}
<script src="WIDGET_URLwidget-init.js" defer{attributes}></script>
</body></html>"""


# === without a browser ============================================================================
def test_every_text_of_the_widget_is_in_english_and_spanish(web_stack: WebStack):
    reply = requests.get(web_stack.page_url + "widget-texts.json", timeout=10)
    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("application/json")
    assert reply.headers["Access-Control-Allow-Origin"] == "*"  # a clinic's own site loads it
    table = reply.json()
    assert set(table) == {"en", "es"}
    en, es = table["en"], table["es"]
    assert set(en) == set(es) and set(en["labels"]) == set(es["labels"])
    shown = ["title", "subtitle", "inputHint", "connecting", "languageName"]
    for key in shown:
        assert en[key] and es[key] and en[key] != es[key], key
    for key in en["labels"]:
        assert en["labels"][key] and es["labels"][key] != en["labels"][key], key
    assert (en["start"], es["start"]) == (START["en"], START["es"])
    assert (en["switchRequest"], es["switchRequest"]) == (SWITCH_TO["en"], SWITCH_TO["es"])
    assert (en["languageName"], es["languageName"]) == ("English", "Español")

    # the clinic's details are filled in from the profile, never written in the table
    clinic = load_profile()
    for value in (clinic.name, clinic.phone, clinic.emergency_number):
        assert value not in reply.text
    spanish = widget_texts(web_stack, "es")
    assert spanish["title"] == f"Asistente de {clinic.name}"
    assert spanish["subtitle"].endswith(f"¿Emergencia? Llame al {clinic.emergency_number}")
    assert spanish["labels"]["launcherOpen"] == f"Abrir el chat con el asistente de {clinic.name}"

    # widget-config.json's English texts are the table's English row, filled in
    config = requests.get(web_stack.page_url + "widget-config.json", timeout=10).json()
    english = widget_texts(web_stack, "en")
    assert config["title"] == english["title"] and config["subtitle"] == english["subtitle"]
    assert config["labels"] == english["labels"]
    assert config["inputTextFieldHint"] == english["inputHint"]
    assert (config["clinicName"], config["emergencyNumber"]) == (clinic.name,
                                                                 clinic.emergency_number)


def test_the_unknown_parts_of_a_text_are_left_out():
    assert fill_widget_text("[{clinic} ]assistant", {"clinic": ""}) == "Assistant"
    assert fill_widget_text("Asistente[ de {clinic}]", {}) == "Asistente"
    assert fill_widget_text("Asistente[ de {clinic}]", {"clinic": "{emergency}"}) == (
        "Asistente de {emergency}")  # a value is never read as a placeholder


class _Structure(HTMLParser):
    """The tags of a page with their ids and classes (no text), and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, str, str]] = []
        self.attrs: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.attrs.append((tag, attributes))
        if tag not in ("link", "meta"):
            self.tags.append((tag, attributes.get("id") or "", attributes.get("class") or ""))


def structure(page: str) -> _Structure:
    parser = _Structure()
    parser.feed(page)
    return parser


@pytest.mark.parametrize(("english", "spanish"), [("", "es/"), ("privacy", "es/privacy")])
def test_the_spanish_pages_mirror_the_english_ones(web_stack: WebStack, english: str,
                                                  spanish: str):
    clinic = load_profile()
    en = requests.get(web_stack.page_url + english, timeout=10)
    es = requests.get(web_stack.page_url + spanish, timeout=10)
    assert es.status_code == 200 and es.headers["Content-Type"].startswith("text/html")
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                   "X-Frame-Options", "Permissions-Policy", "Cross-Origin-Opener-Policy"):
        assert es.headers[header] == en.headers[header], header
    assert "$" not in es.text  # every placeholder filled
    en_page, es_page = structure(en.text), structure(es.text)
    assert ("html", {"lang": "es"}) in es_page.attrs and ("html", {"lang": "en"}) in en_page.attrs
    assert es_page.tags == en_page.tags  # the same sections, in the same order
    scripts = [attrs for tag, attrs in es_page.attrs if tag == "script"]
    assert scripts == [attrs for tag, attrs in en_page.attrs if tag == "script"]
    # the clinic's details, from the profile
    assert clinic.name in es.text and clinic.phone in es.text
    assert clinic.emergency_number in es.text
    # each links the other
    links = {attrs.get("href") for tag, attrs in es_page.attrs if tag == "a"}
    back = {attrs.get("href") for tag, attrs in en_page.attrs if tag == "a"}
    assert "/" + english in links and "/" + spanish in back


def test_the_spanish_clinic_page(web_stack: WebStack):
    clinic = load_profile()
    page = requests.get(web_stack.page_url + "es/", timeout=10).text
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert f"({hours.describe(clinic.weekly_hours, 'es')})" in text  # the hours in Spanish
    assert f"Llame al {clinic.phone}" in text
    assert f"¿Emergencia médica? Llame al {clinic.emergency_number} ahora." in text
    assert clinic.booking_url in page
    footer = page[page.index('<footer class="site-footer">'):page.index("</footer>")]
    assert '<a href="/es/privacy">' in footer
    redirect = requests.get(web_stack.page_url + "es", allow_redirects=False, timeout=10)
    assert redirect.status_code in (301, 308) and redirect.headers["Location"] == "/es/"
    for name in ("index.html", "privacy.html"):  # the templates hold no clinic details
        template = (SITE_DIR / "es" / name).read_text(encoding="utf-8")
        for value in (clinic.name, clinic.phone, clinic.booking_url, str(clinic.retention_days)):
            assert value not in template, (name, value)


def test_the_spanish_privacy_notice(web_stack: WebStack):
    clinic = load_profile()
    page = requests.get(web_stack.page_url + "es/privacy", timeout=10).text
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert f"{clinic.retention_days} días después de su último mensaje" in text
    assert f"Pregunte a {clinic.as_slots('es')['privacy_contact']}." in text  # as the assistant
    assert "En WhatsApp es su número de teléfono" in text
    # the button the assistant shows in Spanish (content/conversation.yml)
    ask = response("utter_ask_erasure_confirmation")
    titles = dict(zip((b["payload"] for b in ask.buttons), ask.button_titles_es, strict=True))
    assert f"Elija “{titles['/confirm_erasure']}”." in text
    assert "<script" not in page


def test_under_sender_id_hashing_the_spanish_notice_says_a_code_is_kept(monkeypatch):
    """docs/data-rights.md, section 5, as tests/web/test_privacy_notice.py checks in English."""
    monkeypatch.setenv("SENDER_ID_HASHING", "0")
    plain = render_privacy_notice(load_profile(), language="es")
    monkeypatch.setenv("SENDER_ID_HASHING", "1")
    hashed = render_privacy_notice(load_profile(), language="es")
    assert "En WhatsApp es su número de teléfono" in plain
    assert "En WhatsApp es su número de teléfono" not in hashed
    assert "Un código hecho con el identificador que le da su app de chat" in hashed


SPANISH_PAGES = {"page": render_spanish_page,
                 "privacy": lambda clinic: render_privacy_notice(clinic, language="es")}


@pytest.mark.parametrize("name", list(SPANISH_PAGES))
def test_the_spanish_pages_are_plain_spanish(name: str):
    text, _ = read(SPANISH_PAGES[name](load_profile()))
    sentences = [s for line in text.splitlines()
                 for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]
    assert not [s for s in sentences if len(s.split()) > 22]
    ease = fernandez_huerta(text)
    assert ease >= MIN_EASE, f"Fernández-Huerta {ease:.0f}"  # at least "bastante fácil"


@pytest.mark.parametrize("name", list(SPANISH_PAGES))
@pytest.mark.parametrize("field", ["name", "privacy_contact", "phone", "emergency_number"])
def test_hostile_profile_values_are_escaped_on_the_spanish_pages(tmp_path, name: str, field: str):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    page = SPANISH_PAGES[name](profile_file(tmp_path, **{field: f"{hostile} Clinic"}))
    assert "<img" not in page and page.count("<script") == page.count('<script src="/widget')
    if not (name == "page" and field == "privacy_contact"):  # the page has no privacy contact
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


# === in the browser ===============================================================================
def test_spanish_on_the_spanish_page_and_the_start_is_hola(web_stack: WebStack):
    visit = LanguageVisit(web_stack, "lang-es-page", VIEWPORTS["desktop"], "es")
    try:
        visit.goto("es/")
        launcher = visit.page.get_by_role("button", name=visit.labels["launcherOpen"])
        expect()(launcher).to_have_attribute("aria-expanded", "false")
        visit.open_widget()
        visit.check_texts()
        visit.check_header()
        sent = visit.traffic.wait_for(visit.page, "Hola")
        assert sent["customData"] == {"language": "es"}
        assert visit.traffic.texts() == ["Hola"]  # the start, and no English /greet
        # and the Rasa server got it: the conversation's first message
        said = wait_for_user_messages(web_stack, visit.session_id())
        assert said[0]["text"] == "Hola" and said[0]["metadata"]["language"] == "es"
        assert "/greet" not in [event["text"] for event in said]
        # a Spanish emergency (issue 17): the alarm in Spanish, the emergency number first
        visit.send("desde el piquete no puedo respirar bien y se me hinchan los labios")
        alarm = visit.page.locator(".rw-response", has_text="🚨").last
        expect()(alarm).to_contain_text(f"Llame al {load_profile().emergency_number} ahora",
                                        timeout=TIMEOUT)
        assert alarm.inner_text().strip().startswith("🚨")
        visit.shot("spanish")
        visit.check_no_third_party_requests_or_errors()
    finally:
        visit.close()


def test_english_by_default(web_stack: WebStack):
    visit = LanguageVisit(web_stack, "lang-en-page", VIEWPORTS["desktop"], "en")
    try:
        visit.goto("/")
        visit.open_widget()
        visit.check_texts()
        sent = visit.traffic.wait_for(visit.page, "/greet")
        assert sent["customData"] == {"language": "en"}
        visit.shot("english")
        visit.check_no_third_party_requests_or_errors()
    finally:
        visit.close()


@pytest.mark.parametrize(("case", "html", "language"), [
    ("data-lang", page_with_widget("en", ' data-lang="es"'), "es"),
    ("container", page_with_widget("en", container='<div id="clinic-chat" data-lang="es">'
                                                   "</div>"), "es"),
    ("html-lang-region", page_with_widget("es-MX"), "es"),
    ("data-lang-over-html", page_with_widget("es", ' data-lang="en"'), "en"),
    ("unknown-language", page_with_widget("fr"), "en"),
    ("no-lang", page_with_widget(None), "en"),
])
def test_the_language_comes_from_data_lang_then_the_page(web_stack: WebStack, case: str,
                                                         html: str, language: str):
    visit = LanguageVisit(web_stack, f"lang-{case}", VIEWPORTS["desktop"], language)
    try:
        visit.goto_other_site(f"lang-{case}", html)
        launcher = visit.page.get_by_role("button", name=visit.labels["launcherOpen"])
        expect()(launcher).to_be_visible()
        visit.open_widget()
        visit.check_texts()
        assert visit.traffic.wait_for(visit.page, START[language])["customData"] == {
            "language": language}
        visit.check_no_third_party_requests_or_errors()
    finally:
        visit.close()


def test_the_toggle_switches_the_labels_and_asks_the_assistant_to_switch(web_stack: WebStack):
    visit = LanguageVisit(web_stack, "lang-toggle", VIEWPORTS["desktop"], "en")
    page = visit.page
    try:
        visit.goto("/")
        visit.open_widget()
        visit.wait_until_connected()
        visit.traffic.wait_for(page, "/greet")  # the conversation has started in English

        visit.toggle("Español").click()
        visit.expect_language("es")
        visit.check_texts()  # at once, without a reload
        expect()(page.locator(".rw-client").last).to_have_text(SWITCH_TO["es"])
        assert visit.traffic.wait_for(page, SWITCH_TO["es"])["customData"] == {"language": "es"}
        visit.shot("switched-to-spanish")

        # what the patient writes next goes with the widget's language
        visit.send("¿cuánto dura la inyección?")
        sent = visit.traffic.wait_for(page, "¿cuánto dura la inyección?")
        assert sent["customData"] == {"language": "es"}

        visit.toggle("English").click()
        visit.expect_language("en")
        visit.check_texts()
        expect()(page.locator(".rw-client").last).to_have_text(SWITCH_TO["en"])
        assert visit.traffic.wait_for(page, SWITCH_TO["en"])["customData"] == {"language": "en"}
        # once each, nothing else: the conversation was not started again
        assert visit.traffic.texts() == ["/greet", SWITCH_TO["es"], "¿cuánto dura la inyección?",
                                         SWITCH_TO["en"]]
        # the choice holds for this tab: after a reload the widget stays Spanish, sends nothing
        visit.toggle("Español").click()
        visit.expect_language("es")
        # the second switch to Spanish, not the first one (already sent): counting before it has
        # gone out would count it after the reload
        visit.traffic.wait_for(page, SWITCH_TO["es"], times=2)
        sent_before = len(visit.traffic.texts())
        page.reload()
        expect()(visit.launcher.or_(page.get_by_role("dialog")).first).to_be_visible()
        if not page.get_by_role("dialog").is_visible():
            visit.open_widget()
        visit.check_texts()
        expect()(visit.log).to_contain_text(SWITCH_TO["es"])
        page.wait_for_timeout(500)
        assert len(visit.traffic.texts()) == sent_before
        visit.check_no_third_party_requests_or_errors()
    finally:
        visit.close()


def test_the_chosen_language_starts_the_next_conversation(web_stack: WebStack):
    visit = LanguageVisit(web_stack, "lang-next-start", VIEWPORTS["desktop"], "en")
    page = visit.page
    try:
        visit.goto("/")
        visit.open_widget()
        visit.wait_until_connected()
        visit.traffic.wait_for(page, "/greet")
        visit.toggle("Español").click()
        visit.expect_language("es")
        visit.traffic.wait_for(page, SWITCH_TO["es"])
        old_session = visit.session_id()

        # The conversation ends (its session forgotten); the language chosen stays for the tab.
        page.evaluate("() => sessionStorage.removeItem('chat_session')")
        visit.traffic.payloads.clear()
        page.reload()
        expect()(page.get_by_role("button", name=visit.labels["launcherOpen"])).to_be_visible(
            timeout=TIMEOUT)
        visit.open_widget()
        visit.check_texts()
        sent = visit.traffic.wait_for(page, "Hola")
        assert sent["customData"] == {"language": "es"} and sent["session_id"] != old_session
        assert "/greet" not in visit.traffic.texts()
        visit.shot("next-start-in-spanish")
        visit.check_no_third_party_requests_or_errors()
    finally:
        visit.close()


def test_the_toggle_with_the_keyboard(web_stack: WebStack):
    visit = LanguageVisit(web_stack, "lang-keyboard", VIEWPORTS["desktop"], "es")
    page = visit.page
    try:
        visit.goto("es/")
        for _ in range(30):
            if page.evaluate("() => document.activeElement.matches('.rw-launcher')"):
                break
            page.keyboard.press("Tab")
        else:
            pytest.fail("Tab never reached the chat launcher")
        page.keyboard.press("Enter")
        box = page.get_by_role("textbox", name=visit.labels["input"])
        expect()(box).to_be_focused()
        visit.wait_until_connected()
        visit.traffic.wait_for(page, "Hola")

        # Shift+Tab from the input reaches the toggle; Enter chooses English, focus stays on it.
        english = visit.toggle("English")
        for _ in range(10):
            page.keyboard.press("Shift+Tab")
            if page.evaluate("() => document.activeElement.textContent") == "English":
                break
        else:
            pytest.fail("Shift+Tab never reached the language toggle")
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline == "solid", "no focus ring on the toggle"
        page.keyboard.press("Enter")
        visit.expect_language("en")
        visit.check_texts()
        expect()(english).to_be_focused()
        expect()(page.locator(".rw-client").last).to_have_text(SWITCH_TO["en"])
        visit.shot("keyboard-english")

        # Tab to Español, Space chooses it.
        page.keyboard.press("Tab")
        spanish = visit.toggle("Español")
        expect()(spanish).to_be_focused()
        page.keyboard.press(" ")
        visit.expect_language("es")
        visit.check_texts()
        expect()(spanish).to_be_focused()
        expect()(page.locator(".rw-client").last).to_have_text(SWITCH_TO["es"])

        # The toggle's text on the header's colour: WCAG AA.
        for selector in ('.clinic-chat-lang button[aria-pressed="true"]',
                         '.clinic-chat-lang button[aria-pressed="false"]'):
            colours = page.evaluate(COLOURS_JS, [selector, None])
            assert colours and _contrast(*colours) >= 4.5, (selector, colours)

        # Escape closes the chat; focus back on the launcher, named in Spanish.
        box.focus()
        page.keyboard.press("Escape")
        expect()(page.get_by_role("button", name=visit.labels["launcherOpen"])).to_be_focused()
        visit.check_no_third_party_requests_or_errors()
    finally:
        visit.close()


def test_the_header_with_the_toggle_fits_a_phone(web_stack: WebStack):
    visit = LanguageVisit(web_stack, "lang-phone", VIEWPORTS["phone"], "es")
    page = visit.page
    try:
        visit.goto("es/")
        visit.open_widget()
        visit.check_texts()
        visit.check_header()
        header = page.locator(".rw-header").bounding_box()
        subtitle = page.locator(".rw-header span").bounding_box()
        toggle = page.locator(".clinic-chat-lang").bounding_box()
        close = page.get_by_role("button", name=visit.labels["close"]).bounding_box()
        assert subtitle["y"] + subtitle["height"] <= toggle["y"] + 1
        assert toggle["y"] + toggle["height"] <= header["y"] + header["height"] + 1
        assert toggle["x"] + toggle["width"] <= close["x"] or toggle["y"] >= (
            close["y"] + close["height"])  # not under the close button
        for name in ("English", "Español"):
            assert visit.toggle(name).bounding_box()["height"] >= 24  # WCAG 2.5.8
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= VIEWPORTS["phone"]["width"], "the page scrolls sideways on a phone"
        page.wait_for_timeout(1000)  # the chat's opening animation, for the screenshot
        visit.shot("phone-header")
        visit.check_no_third_party_requests_or_errors()
    finally:
        visit.close()


def test_patient_text_and_page_texts_are_shown_as_text(web_stack: WebStack):
    """What the patient types, and a text given by the page, are shown as text, never as HTML."""
    visit = LanguageVisit(web_stack, "lang-markup", VIEWPORTS["desktop"], "es")
    page = visit.page
    title = '<img src="x" onerror="window.__injected = 2">Asistente'
    try:
        html = page_with_widget("es", f' data-title-es="{title.replace(chr(34), "&quot;")}"')
        visit.goto_other_site("lang-markup", html)
        visit.open_widget()
        expect()(page.locator(".rw-header .rw-title")).to_have_text(title)
        visit.wait_until_connected()
        visit.send(MARKUP)
        bubble = page.locator(".rw-client").last
        expect()(bubble).to_have_text(MARKUP)
        assert visit.traffic.wait_for(page, MARKUP)["customData"] == {"language": "es"}
        visit.toggle("English").click()  # the widget drawn again with the other texts
        expect()(page.locator(".rw-client").filter(has_text=MARKUP)).to_have_count(1)
        assert page.locator(".clinic-chat img[src='x'], .clinic-chat b, "
                            ".clinic-chat .rw-messages-container script").count() == 0
        assert page.evaluate("() => window.__injected") is None
        visit.shot("markup-as-text")
        visit.check_no_third_party_requests_or_errors()
    finally:
        visit.close()
