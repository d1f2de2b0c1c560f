"""The privacy notice at /privacy (docs/data-rights.md, sections 1 and 3), without a server:
made from the clinic profile, escaped, plain, and saying what section 1 says.

The page as served (headers, HEAD, the footer link in a browser) is checked with the widget in
tests/web/test_data_rights_widget.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import textstat
import yaml

import yaml_io
from clinic import load_profile
from devtools.servers import ROOT
from web.server import SITE_DIR, render_page, render_privacy_notice

PROFILE = {
    "name": "Lakeside Pain Clinic", "phone": "+1 (555) 010-0000",
    "booking_url": "https://lakeside.example/book", "emergency_number": "112",
    "timezone": "Europe/London", "opening_hours": {"monday": "09:00-17:00"},
}


def profile_file(tmp_path, **details) -> object:
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump({**PROFILE, **details}), encoding="utf-8")
    return load_profile(path)


class _Text(HTMLParser):
    """The text a reader sees (no head, no comments), and the page's tags."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("head", "script", "style"):
            self._skip += 1
        if tag in ("p", "li", "h1", "h2", "section", "footer", "header"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style"):
            self._skip -= 1
        if tag in ("p", "li", "h1", "h2"):
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def read(page: str) -> tuple[str, list[tuple[str, dict]]]:
    parser = _Text()
    parser.feed(page)
    return re.sub(r" *\n[\s]*", "\n", "".join(parser.parts)).strip(), parser.tags


def plain(page: str) -> str:
    return " ".join(read(page)[0].split())


def test_the_notice_is_made_from_the_profile(tmp_path):
    clinic = profile_file(tmp_path, retention_days=30,
                          privacy_contact="our privacy officer, privacy@lakeside.example")
    text = plain(render_privacy_notice(clinic))
    assert "30 days after its last message" in text
    assert "365" not in text
    assert "Ask our privacy officer, privacy@lakeside.example." in text
    assert "Lakeside Pain Clinic" in text and "+1 (555) 010-0000" in text
    assert "call 112" in text and "Call 112 now" in text
    assert 'href="tel:+15550100000"' in render_privacy_notice(clinic)


def test_the_contact_defaults_to_the_clinics_name_and_phone(tmp_path):
    text = plain(render_privacy_notice(profile_file(tmp_path)))
    assert "365 days after its last message" in text  # the profile's default retention
    assert "Ask Lakeside Pain Clinic at +1 (555) 010-0000." in text


def test_the_default_profile_renders_and_every_placeholder_is_filled():
    clinic = load_profile()
    page = render_privacy_notice(clinic)
    assert "$" not in page
    text = plain(page)
    assert f"{clinic.retention_days} days after its last message" in text
    assert clinic.as_slots()["privacy_contact"] in text


def test_it_says_what_is_kept_where_for_how_long_who_reads_it_and_how_to_delete_it(tmp_path):
    text = plain(render_privacy_notice(profile_file(tmp_path, retention_days=90))).lower()
    facts = {
        "what": ["the messages you write", "the answers you get",
                 "on whatsapp it is your phone number", "on telegram it is your chat id",
                 "on our website it is a random id", "when each message was sent",
                 "what the assistant understood", "warning sign"],
        "where": ["in the computer system of lakeside pain clinic"],
        "how long": ["90 days after its last message. then we delete it."],
        "who": ["only the staff of lakeside pain clinic who have an account",
                "nobody else", "meta or twilio for whatsapp, and telegram",
                "under their own terms"],
        "delete": ["write “delete my conversation” in the chat", "choose “yes, delete it”",
                   "our staff can delete it for you", "a new chat starts"],
        "emergency": ["not for emergencies", "not medical advice",
                      "in an emergency, call 112"],
    }
    missing = {what: [f for f in said if f not in text] for what, said in facts.items()}
    assert not any(missing.values()), missing


@pytest.mark.parametrize("field", ["name", "privacy_contact", "phone", "emergency_number"])
def test_hostile_profile_values_are_escaped(tmp_path, field):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    clinic = profile_file(tmp_path, **{field: f"{hostile} Clinic"})
    page = render_privacy_notice(clinic)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert f"{hostile} Clinic" in plain(page)  # shown as text


def test_no_script_no_inline_handlers_and_only_this_sites_links():
    page = render_privacy_notice(load_profile())
    _, tags = read(page)
    assert not [tag for tag, _ in tags if tag in ("script", "iframe", "object", "form")]
    assert not [attrs for _, attrs in tags for name in attrs if name.startswith("on")]
    assert "style=" not in page and "<style" not in page  # styles come from /site.css
    links = [attrs["href"] for tag, attrs in tags if tag in ("a", "link") and "href" in attrs]
    assert all(re.match(r"(/|#|tel:\+?\d+$|data:,$)", href) for href in links), links
    assert ("html", {"lang": "en"}) in tags
    assert [tag for tag, _ in tags].count("h1") == 1


def test_the_text_is_plain_short_sentences_and_a_low_reading_grade():
    text, _ = read(render_privacy_notice(load_profile()))
    sentences = [s for line in text.splitlines()
                 for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]
    long = [s for s in sentences if len(s.split()) > 22]
    assert not long, long
    grade = textstat.flesch_kincaid_grade(" ".join(text.split()))
    assert grade <= 8, f"reading grade {grade}"


def test_the_clinic_page_links_the_notice_in_its_footer():
    page = render_page(load_profile())
    footer = page[page.index('<footer class="site-footer">'):page.index("</footer>")]
    assert '<a href="/privacy">' in footer


def test_the_template_holds_no_clinic_details():
    """Everything about the clinic comes from the profile (tests/test_clinic_profile.py checks
    web/site/* for copies too)."""
    template = (SITE_DIR / "privacy.html").read_text(encoding="utf-8")
    clinic = load_profile()
    for value in (clinic.name, clinic.phone, str(clinic.retention_days), "911"):
        assert value not in template, value
    assert {"$retention_days", "$privacy_contact", "$clinic_name", "$emergency_number"} <= set(
        re.findall(r"\$\w+", template))


def test_the_notice_uses_the_chats_own_words_for_deletion():
    """The notice tells patients what to write and which button to choose: the words the
    assistant knows (data/nlu/privacy.yml) and the button it shows (content/conversation.yml)."""
    from content.model import response

    text = plain(render_privacy_notice(load_profile()))
    buttons = {b["payload"]: b["title"] for b in response("utter_ask_erasure_confirmation").buttons}
    assert f"Choose “{buttons['/confirm_erasure']}”." in text
    nlu = yaml_io.load((ROOT / "data" / "nlu" / "privacy.yml").read_text(encoding="utf-8"))
    [erasure] = [item for item in nlu["nlu"] if item.get("intent") == "request_erasure"]
    examples = [line.strip()[2:].strip() for line in erasure["examples"].splitlines()
                if line.strip().startswith("- ")]
    assert "delete my conversation" in [e.lower() for e in examples]
    assert "Write “delete my conversation” in the chat." in text


def test_under_sender_id_hashing_the_notice_says_a_code_is_kept(monkeypatch):
    """docs/data-rights.md, section 5: with SENDER_ID_HASHING=1 the phone number or chat id is
    not what is stored, and the notice must not say it is."""
    monkeypatch.setenv("SENDER_ID_HASHING", "0")
    plain = render_privacy_notice(load_profile())
    monkeypatch.setenv("SENDER_ID_HASHING", "1")
    hashed = render_privacy_notice(load_profile())
    assert "On WhatsApp it is your phone number" in plain
    assert "On WhatsApp it is your phone number" not in hashed
    assert "A code made from the id your chat app gives us" in hashed
