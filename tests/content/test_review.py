"""The clinician sign-off document (`python -m content.review`, content/review.py): every message
as the patient sees it with its grade, the passages its statements come from, the questions that
lead to it; every text escaped; the PDF printed by Debian's chromium."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import escape

from content import review
from content.model import Message, Statement, Topic, load_file, load_topics
from content.readability import grade
from devtools.nlu_data import training_examples
from devtools.servers import ROOT


def run_review(out: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """The command a clinic runs (`make content-review` runs it without --no-pdf)."""
    return subprocess.run(
        [sys.executable, "-m", "content.review", "--out", str(out), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )


@pytest.fixture(scope="module")
def document(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("review")
    done = run_review(out, "--no-pdf")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (out / review.PDF_NAME).exists()
    return (out / review.HTML_NAME).read_text(encoding="utf-8")


def test_the_document_shows_every_message_with_its_grade(document):
    messages = [m for topic in load_topics() for m in topic.messages]
    assert messages, "no content: content/answers/*.yml"
    for message in messages:
        shown = rf"<code>{re.escape(message.response)}</code> ·\s*reading grade <span[^>]*>" \
                rf"{grade(message.text):.1f}</span>"
        assert re.search(shown, document), f"{message.response} or its grade is not shown"
    for topic in load_topics():
        assert str(escape(topic.title)) in document


def test_the_document_quotes_the_sources_and_shows_example_questions(document):
    quotes = [q for topic in load_topics() for m in topic.messages for s in m.statements
              for q in s.quotes]
    assert quotes, "no statement quotes a source"
    missing = [q for q in quotes if f"“{escape(q)}”" not in document]
    assert not missing, f"quotes not in the document: {missing[:3]}"
    assert "assistant&#39;s own words, no medical claim" in document
    by_intent: dict[str, set[str]] = {}
    for intent, text in training_examples():
        by_intent.setdefault(intent, set()).add(text)
    for topic in load_topics():
        if topic.intent and topic.messages and by_intent.get(topic.intent):
            assert any(f"<li>{escape(t)}</li>" in document for t in by_intent[topic.intent]), (
                f"no example question for {topic.intent}")
    assert "Clinician sign-off" in document and "Signature" in document


def crafted_topic() -> Topic:
    return Topic(
        name="crafted", title="<b>Crafted</b> & co", intent="ask_crafted",
        messages=(Message(
            response="utter_ask_crafted",
            statements=(
                Statement("Hi <script>alert('x')</script> there.", "assistant"),
                Statement("- Call {clinic_phone}.", "clinic-profile"),
                Statement("- Rest a bit.", "westcare",
                          ("<img src=x onerror=alert(1)> not on the page",)),
            ),
            buttons=({"title": "<i>More</i>", "payload": "/ask_more"},),
        ),),
    )


def test_every_text_is_escaped_and_a_sourcing_problem_is_highlighted():
    examples = {"ask_crafted": ["what about <script>steal()</script>?"]}
    built = review.build_review([crafted_topic()], examples, version="<v1>")
    page = review.render_html(built)
    assert "<script" not in page.lower() and "<img" not in page and "<i>More" not in page
    assert "Hi &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; there." in page
    assert "what about &lt;script&gt;steal()&lt;/script&gt;?" in page
    assert "&lt;b&gt;Crafted&lt;/b&gt; &amp; co" in page and "&lt;v1&gt;" in page
    # the bullets as a list, the clinic's phone filled in
    phone = review.load_profile().phone
    assert f"<li>Call {escape(phone)}.</li><li>Rest a bit.</li>" in page
    assert '<tr class="problem">' in page and "quote not in westcare" in page
    assert built.totals.unsourced == 1 and not built.totals.ready
    assert "Not ready for sign-off" in page


def test_a_malformed_answer_file_is_named(tmp_path, monkeypatch):
    (tmp_path / "good.yml").write_text("intent: ask_good\nmessages: []\n", encoding="utf-8")
    bad = tmp_path / "half_done.yml"
    bad.write_text("intent: ask_x\nmessages:\n  - response: utter_x\n    statements:\n"
                   "      - say: no source here\n", encoding="utf-8")
    monkeypatch.setattr(review, "ANSWERS", tmp_path)
    monkeypatch.setattr(review, "CONVERSATION", tmp_path / "absent.yml")
    monkeypatch.setattr(review.model, "load_topics",
                        lambda: tuple(load_file(p) for p in sorted(tmp_path.glob("*.yml"))))
    with pytest.raises(review.ReviewError, match="half_done.yml is malformed.*`say` and `source`"):
        review.load_content()


def test_without_chromium_the_html_is_written_and_the_pdf_asks_for_make_browser(tmp_path):
    done = run_review(tmp_path, CHROMIUM=str(tmp_path / "no-chromium"))
    assert done.returncode != 0
    assert "make browser" in done.stderr
    assert (tmp_path / review.HTML_NAME).exists() and not (tmp_path / review.PDF_NAME).exists()


@pytest.mark.browser
def test_the_pdf_is_printed_by_chromium(tmp_path):
    done = run_review(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    pdf = (tmp_path / review.PDF_NAME).read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))
    assert pages >= 2, f"{pages} page(s)"


# --- Spanish (issue 17) -------------------------------------------------------------------------
def test_the_document_shows_the_spanish_beside_the_english(document):
    """Each statement's Spanish in its row, next to the English and the passage, and each
    message in Spanish with its reading ease, for the medical reviewer to read together."""
    from content.model import load_safety
    from content.readability_es import as_sent_es, ease

    messages = [m for topic in load_topics() for m in topic.messages if m.has_spanish]
    assert messages, "no Spanish: say_es in content/answers/*.yml"
    statements = [s for m in [*messages, *load_safety().messages] for s in m.statements]
    missing = [s.say_es for s in statements
               if f'<td lang="es">{escape(as_sent_es(s.say_es))}</td>' not in document]
    assert not missing, missing[:3]
    for message in messages:
        # the first reading ease after the message's heading is its own
        shown = rf"<code>{re.escape(message.response)}</code>.*?reading ease <span[^>]*>" \
                rf"{ease(message.text_es):.1f}</span>"
        assert re.search(shown, document, re.S), f"{message.response}: its Spanish is not shown"
    assert "Messages with their Spanish text" in document


def test_a_spanish_text_below_the_bar_is_highlighted():
    hard = "Electroencefalografía intraoperatoria contraindicada."
    topic = Topic(name="es", title="Spanish", intent="ask_es", messages=(Message(
        response="utter_ask_es",
        statements=(Statement("Call {clinic_phone}.", "clinic-profile",
                              say_es="Llame al {clinic_phone}."),
                    Statement("Rest.", "assistant", say_es=hard)),
        buttons=({"title": "<i>More</i>", "payload": "/ask_more"},),
        button_titles_es=("<i>Más</i>",),
    ),))
    built = review.build_review([topic], {}, version="v1")
    page = review.render_html(built)
    assert built.totals.spanish_messages == 1 and built.totals.below_ease_es == 1
    assert not built.totals.ready and "Not ready for sign-off" in page
    assert f'<td lang="es">Llame al {escape(review.load_profile().phone)}.</td>' in page
    assert f'<td lang="es">{hard}</td>' in page and "&lt;i&gt;Más&lt;/i&gt;" in page
    assert re.search(r'reading ease <span class="grade-high">-?\d', page)
