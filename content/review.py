"""`python -m content.review [--out DIR] [--no-pdf]`: the document a clinician signs off.

Writes DIR/content-review.html (default var/content-review/): one self-contained page with every
message exactly as a patient sees it (clinic details filled in), its reading grade, and for each
statement the source and the passage it is copied from; then the safety replies and the
reassurance texts; then a sign-off block. Where a message has its Spanish text (`say_es`, issue
17), the Spanish is shown beside the English: the message as a Spanish-speaking patient sees it
with its reading ease (Fernández-Huerta, content/readability_es.py), and each statement's Spanish
in its row, next to the English and the passage, for the medical reviewer to check together.
DIR/content-review.pdf is printed from it by Debian's chromium through Playwright
(`make browser`); --no-pdf writes the HTML only.

Exit status: 0 written; 1 the PDF could not be printed (chromium or playwright missing; the HTML
is written all the same); 2 a content file is malformed (the file is named).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import re
import statistics
import subprocess
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import yaml

import yaml_io
from clinic import load_profile
from content import model, readability_es
from content.model import (
    ANSWERS,
    CONTENT,
    CONVERSATION,
    PLACEHOLDER,
    Message,
    Statement,
    Topic,
)
from content.readability import as_sent, grade, words
from content.sources import problems
from devtools.nlu_data import TRAINING_FILES, examples

ROOT = CONTENT.parent
DEFAULT_OUT = ROOT / "var" / "content-review"
TEMPLATE = "review.html.j2"
SAFETY = CONTENT / "safety.yml"
VOCABULARY = ROOT / "safety" / "vocabulary.yml"
HTML_NAME, PDF_NAME = "content-review.html", "content-review.pdf"
MAX_EXAMPLES = 8
MAX_GRADE, MAX_MEDIAN = 8.0, 6.5
MIN_EASE_ES = readability_es.MIN_EASE  # Spanish: Fernández-Huerta, higher is easier

# Debian's chromium, driven as the browser tests drive it (tests/web/conftest.py): without the
# background-networking flags it stalls on a machine without internet access.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# How the document names each source, and what it shows instead of a quote for the two that take
# none (content/README.md, "The format of an answer file").
SOURCE_NAMES = {
    "westcare": "Westcare Clinic patient page",
    "alimran": "Alimran Medical Center patient page",
    "reference": "Clinical reference (warning signs)",
    "clinic-profile": "Clinic details",
    "assistant": "The assistant",
}
NO_QUOTE = {
    "clinic-profile": "clinic details",
    "assistant": "assistant's own words, no medical claim",
}
# The sign a safety reply's template is shown with, by level (the first sign of that level in
# safety/vocabulary.yml when it has one), and for a temperature below the fever threshold.
EXAMPLE_LEVELS = ("emergency", "doctor", "expected")
FALLBACK_LABELS = {"emergency": "trouble breathing", "doctor": "a fever",
                   "expected": "soreness where you had the injection"}
EXAMPLE_TEMPERATURE = "a temperature of 99.5 °F"
# The same in Spanish: the Spanish label of the example sign (safety/vocabulary_es.yml), else these.
VOCABULARY_ES = ROOT / "safety" / "vocabulary_es.yml"
FALLBACK_LABELS_ES = {"emergency": "dificultad para respirar", "doctor": "fiebre",
                      "expected": "dolor donde le pusieron la inyección"}
EXAMPLE_TEMPERATURE_ES = "una temperatura de 99.5 °F"
SIGN_PLACEHOLDERS = {"signs", "sign", "labels", "label"}  # what the safety layer fills in


class ReviewError(Exception):
    """A content file the document cannot be built from (the message names the file)."""


class BrowserMissing(Exception):
    """The PDF cannot be printed here: chromium or playwright is missing."""


# --------------------------------------------------------------------------- what is shown
@dataclass
class Quote:
    text: str
    found: bool  # copied from the source (content.sources.problems has nothing to say about it)


@dataclass
class StatementRow:
    text: str  # as the patient sees it
    source: str
    source_name: str
    source_file: str
    quotes: list[Quote]
    note: str  # instead of a quote: "clinic details", "assistant's own words, ..."
    problems: list[str]
    text_es: str | None = None  # the Spanish (say_es) as the patient sees it; None: none yet


@dataclass
class Block:
    kind: str  # "p" (a paragraph) or "ul" (bullets)
    items: list[str]


@dataclass
class Segment:
    text: str
    kind: str = ""  # "" as written, "slot" a {placeholder} filled in when it is sent


@dataclass
class MessageView:
    response: str
    blocks: list[Block]
    buttons: list[str]
    grade: float
    words: int
    rows: list[StatementRow]
    examples: list[str] = field(default_factory=list)  # conversation texts: per message
    template: list[Segment] = field(default_factory=list)  # safety replies: the raw template
    # Spanish (issue 17): the message as a Spanish-speaking patient sees it; None: no Spanish yet
    blocks_es: list[Block] | None = None
    buttons_es: list[str] = field(default_factory=list)
    ease_es: float | None = None  # Fernández-Huerta
    words_es: int | None = None

    @property
    def problem_count(self) -> int:
        return sum(bool(row.problems) for row in self.rows)

    @property
    def has_spanish(self) -> bool:
        return self.blocks_es is not None


@dataclass
class TopicView:
    name: str
    title: str
    intent: str | None
    path: str
    examples: list[str]
    example_total: int
    messages: list[MessageView]
    notes: list[str]  # what is missing: no messages yet, no intent, no training examples

    @property
    def anchor(self) -> str:
        return "topic-" + re.sub(r"[^a-z0-9]+", "-", self.name.lower())


@dataclass
class ReassuranceRow:
    sign: str
    label: str
    level: str
    text: str
    grade: float
    source: str
    source_name: str
    source_file: str
    quotes: list[Quote]
    problems: list[str]
    text_es: str | None = None  # the Spanish of safety/vocabulary_es.yml, when it has one
    ease_es: float | None = None


@dataclass
class Totals:
    topics: int
    messages: int
    statements: int
    median_grade: float | None
    above_max: int
    unsourced: int  # statements of the answers and conversation texts with a sourcing problem
    safety_problems: int  # safety replies and reassurance texts with a sourcing problem
    # Spanish, over the messages (answers, conversation texts, safety replies) that have it
    spanish_messages: int = 0
    all_messages: int = 0  # the messages that could have it (answers, conversation, safety)
    median_ease_es: float | None = None
    below_ease_es: int = 0  # Spanish messages below MIN_EASE_ES

    @property
    def ready(self) -> bool:
        """Ready for sign-off: the English complete and sound, and any Spanish text as plain as
        the bar (Spanish still missing from some files does not hold the English back)."""
        return (self.messages > 0 and not self.above_max and not self.unsourced
                and not self.safety_problems and self.median_grade is not None
                and self.median_grade <= MAX_MEDIAN and not self.below_ease_es)


@dataclass
class Review:
    clinic: dict[str, str]
    generated: str
    version: str
    topics: list[TopicView]
    safety: list[MessageView] | None  # None: content/safety.yml is not there (yet)
    safety_examples: dict[str, str]
    reassurances: list[ReassuranceRow]
    totals: Totals
    max_grade: float = MAX_GRADE
    max_median: float = MAX_MEDIAN
    min_ease_es: float = MIN_EASE_ES
    safety_examples_es: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- loading
def load_content() -> tuple[Topic, ...]:
    """content.model.load_topics(), or a ReviewError naming the malformed file."""
    try:
        return model.load_topics()
    except Exception as error:
        files = [*sorted(ANSWERS.glob("*.yml")), *([CONVERSATION] if CONVERSATION.exists() else [])]
        for path in files:
            try:
                model.load_file(path)
            except Exception as file_error:
                raise ReviewError(f"{_relative(path)} is malformed: {file_error}") from file_error
        raise ReviewError(f"the content files could not be loaded: {error}") from error


def load_safety_content() -> tuple[Topic, ...] | None:
    """The safety replies of content/safety.yml through content.model.load_safety(), when both
    are there; None when either is not (yet)."""
    loader = getattr(model, "load_safety", None)
    if loader is None or not SAFETY.exists():
        return None
    try:
        loaded = loader()
    except Exception as error:
        raise ReviewError(f"{_relative(SAFETY)} is malformed: {error}") from error
    return tuple(loaded) if isinstance(loaded, list | tuple) else (loaded,)


def intent_examples(files: Sequence[Path] = TRAINING_FILES) -> dict[str, list[str]]:
    """The NLU training examples of each intent (data/nlu/*.yml), in file order."""
    out: dict[str, list[str]] = defaultdict(list)
    for path in files:
        try:
            pairs = examples(path)
        except Exception as error:
            raise ReviewError(f"{_relative(path)} is malformed: {error}") from error
        for intent, text in pairs:
            out[intent].append(text)
    return dict(out)


def pick(items: Sequence[str], count: int = MAX_EXAMPLES) -> list[str]:
    """`count` items spread evenly over the list (its first and its variety, not its first few)."""
    if len(items) <= count:
        return list(items)
    return [items[round(i * (len(items) - 1) / (count - 1))] for i in range(count)]


def vocabulary_signs(path: Path = VOCABULARY) -> list[dict]:
    """The signs of safety/vocabulary.yml as written (the file is read, not compiled)."""
    if not path.exists():
        return []
    try:
        data = yaml_io.load(path.read_text(encoding="utf-8")) or {}
        signs = [sign for sign in data.get("signs") or [] if isinstance(sign, dict)]
    except Exception as error:
        raise ReviewError(f"{_relative(path)} is malformed: {error}") from error
    return signs


def git_version() -> str:
    """The commit the document shows, and whether the texts differ from it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
    try:
        commit = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--", "content", "safety/vocabulary.yml",
                      "clinic/profile.yml")
    except (OSError, subprocess.SubprocessError):
        return "not available (not a git checkout)"
    return commit + (" (with uncommitted changes to the texts)" if changed else "")


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- views
def patient_blocks(text: str) -> list[Block]:
    """A message as the patient reads it: paragraphs, and bullets as a list."""
    blocks: list[Block] = []
    for line in (line.strip() for line in text.splitlines()):
        if not line:
            continue
        kind = "ul" if line.startswith(model.BULLET) else "p"
        item = line[len(model.BULLET):] if kind == "ul" else line
        if kind == "ul" and blocks and blocks[-1].kind == "ul":
            blocks[-1].items.append(item)
        else:
            blocks.append(Block(kind, [item]))
    return blocks


def quotes_of(statement: Statement) -> list[Quote]:
    return [Quote(q, not problems(Statement(statement.say, statement.source, (q,))))
            for q in statement.quotes]


def source_file(source: str) -> str:
    if source == "clinic-profile":
        return "clinic/profile.yml"
    name = model.SOURCE_FILES.get(source)
    return f"content/sources/{name}" if name else ""


def statement_row(statement: Statement, fill_es=readability_es.as_sent_es) -> StatementRow:
    return StatementRow(
        text=as_sent(statement.say),
        source=statement.source,
        source_name=SOURCE_NAMES.get(statement.source, f"unknown source {statement.source!r}"),
        source_file=source_file(statement.source),
        quotes=quotes_of(statement),
        note=NO_QUOTE.get(statement.source, ""),
        problems=problems(statement),
        text_es=None if statement.say_es is None else fill_es(statement.say_es),
    )


def message_view(message: Message, fill=as_sent, examples: Sequence[str] = (),
                 fill_es=readability_es.as_sent_es) -> MessageView:
    sent = fill(message.text)
    view = MessageView(
        response=message.response,
        blocks=patient_blocks(sent),
        buttons=[as_sent(str(button.get("title", ""))) for button in message.buttons
                 if isinstance(button, dict)],
        grade=round(grade(sent), 1),
        words=words(sent),
        rows=[statement_row(statement) for statement in message.statements],
        examples=list(examples),
    )
    if message.has_spanish:
        sent_es = fill_es(message.text_es)
        view.blocks_es = patient_blocks(sent_es)
        view.buttons_es = [fill_es(str(button.get("title", "")))
                           for button in message.buttons_in("es") if isinstance(button, dict)]
        view.ease_es = round(readability_es.fernandez_huerta(sent_es), 1)
        view.words_es = len(readability_es.tokens(sent_es))
    return view


def topic_view(topic: Topic, examples_by_intent: dict[str, list[str]]) -> TopicView:
    found = examples_by_intent.get(topic.intent or "", [])
    messages = []
    for message in topic.messages:
        # Conversation texts answer one intent each: utter_greet answers greet.
        own = [] if topic.intent else pick(
            examples_by_intent.get(message.response.removeprefix("utter_"), []), 4)
        messages.append(message_view(message, examples=own))
    notes = []
    if not topic.messages:
        notes.append("No messages yet: this topic has nothing a patient would see.")
    if topic.intent and not found:
        notes.append(f"No NLU training examples for the intent {topic.intent} (data/nlu/).")
    return TopicView(
        name=topic.name, title=topic.title, intent=topic.intent,
        path=_relative(topic.path) if topic.path else "",
        examples=pick(found), example_total=len(found), messages=messages, notes=notes,
    )


def example_signs(signs: Sequence[dict]) -> dict[str, str]:
    """The label of one sign of each level, to show the safety replies with."""
    out = {}
    for level in EXAMPLE_LEVELS:
        first = next((s for s in signs if s.get("level") == level and s.get("label")), None)
        out[level] = str(first["label"]) if first else FALLBACK_LABELS[level]
    return {**out, "temperature": EXAMPLE_TEMPERATURE}


def spanish_signs(key: str, path: Path = VOCABULARY_ES) -> dict[str, str]:
    """The Spanish `key` (label, reassurance) of each sign id of safety/vocabulary_es.yml (read,
    not compiled); empty when the file is not there or cannot be read."""
    try:
        data = yaml_io.load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    signs = data.get("signs") if isinstance(data, dict) else None
    if not isinstance(signs, dict):  # keyed by the sign ids of safety/vocabulary.yml
        return {}
    return {str(sign_id): str(sign[key]).strip() for sign_id, sign in signs.items()
            if isinstance(sign, dict) and sign.get(key)}


def example_signs_es(signs: Sequence[dict], labels_es: dict[str, str]) -> dict[str, str]:
    """The Spanish label of the same example signs as example_signs."""
    out = {}
    for level in EXAMPLE_LEVELS:
        first = next((s for s in signs if s.get("level") == level and s.get("label")), None)
        label = labels_es.get(str(first.get("id", ""))) if first else None
        out[level] = label or FALLBACK_LABELS_ES[level]
    return {**out, "temperature": EXAMPLE_TEMPERATURE_ES}


def _level_of(response: str) -> str:
    for level in ("temperature", "emergency", "expected", "reassurance", "doctor"):
        if level in response:
            return "expected" if level == "reassurance" else level
    return "emergency"


def with_example(text: str, label: str) -> str:
    """A safety template as sent: the clinic's details filled in, the sign placeholder
    ({signs}) with the example sign's label; any other placeholder stays as written."""
    return model.fill(text, **{name: label for name in SIGN_PLACEHOLDERS},
                **load_profile().as_slots())


def with_example_es(text: str, label: str) -> str:
    """with_example in Spanish: the Spanish label, the opening hours in Spanish."""
    return model.fill(text, **{name: label for name in SIGN_PLACEHOLDERS},
                      **readability_es.slots_es())


def safety_views(topics: Sequence[Topic], signs: Sequence[dict]
                 ) -> tuple[list[MessageView], dict[str, str]]:
    examples = example_signs(signs)
    examples_es = example_signs_es(signs, spanish_signs("label"))
    views = []
    for topic in topics:
        for message in topic.messages:
            level = _level_of(message.response)
            label, label_es = examples[level], examples_es[level]
            view = message_view(
                message, fill=lambda text, label=label: with_example(text, label),
                fill_es=lambda text, label=label_es: with_example_es(text, label))
            view.template = (_raw_template(message.text) if PLACEHOLDER.search(message.text)
                             else [])
            views.append(view)
    return views, examples


def _raw_template(text: str) -> list[Segment]:
    """The template as written, its {placeholders} marked."""
    out, position = [], 0
    for match in PLACEHOLDER.finditer(text):
        out += [Segment(text[position:match.start()]), Segment(match.group(0), "slot")]
        position = match.end()
    out.append(Segment(text[position:]))
    return [segment for segment in out if segment.text]


def reassurance_rows(signs: Sequence[dict]) -> list[ReassuranceRow]:
    rows = []
    spanish = spanish_signs("reassurance")
    for sign in signs:
        text = sign.get("reassurance")
        if not text:
            continue
        source = str(sign.get("reassurance_source") or "")
        quote = sign.get("reassurance_quote") or ()
        statement = Statement(str(text).strip(), source,
                              (quote,) if isinstance(quote, str) else tuple(quote))
        found = problems(statement) if source else ["no source given (reassurance_source)"]
        rows.append(ReassuranceRow(
            sign=str(sign.get("id", "")), label=str(sign.get("label", "")),
            level=str(sign.get("level", "")), text=statement.say,
            grade=round(grade(statement.say), 1), source=source,
            source_name=SOURCE_NAMES.get(source, source or "none"),
            source_file=source_file(source),
            quotes=quotes_of(statement) if source else [], problems=found,
        ))
        text_es = spanish.get(str(sign.get("id", "")))
        if text_es:
            rows[-1].text_es = text_es
            rows[-1].ease_es = round(readability_es.ease(text_es), 1)
    return rows


# --------------------------------------------------------------------------- the document
def build_review(
    topics: Sequence[Topic],
    examples_by_intent: dict[str, list[str]],
    safety: Sequence[Topic] | None = None,
    signs: Sequence[dict] = (),
    today: dt.date | None = None,
    version: str = "",
) -> Review:
    views = [topic_view(topic, examples_by_intent) for topic in topics]
    messages = [m for view in views for m in view.messages]
    grades = [m.grade for m in messages]
    safety_messages, safety_examples = (safety_views(safety, signs) if safety is not None
                                        else (None, {}))
    reassurances = reassurance_rows(signs)
    every = [*messages, *(safety_messages or ())]
    eases = [m.ease_es for m in every if m.ease_es is not None]
    totals = Totals(
        topics=len(views),
        messages=len(messages),
        statements=sum(len(m.rows) for m in messages),
        median_grade=round(statistics.median(grades), 2) if grades else None,
        above_max=sum(g > MAX_GRADE for g in grades),
        unsourced=sum(m.problem_count for m in messages),
        safety_problems=sum(m.problem_count for m in safety_messages or ())
        + sum(bool(row.problems) for row in reassurances),
        spanish_messages=len(eases),
        all_messages=len(every),
        median_ease_es=round(statistics.median(eases), 1) if eases else None,
        below_ease_es=sum(e < MIN_EASE_ES for e in eases),
    )
    profile = load_profile()
    return Review(
        clinic={"name": profile.name, "phone": profile.phone, "hours": profile.opening_hours,
                "booking": profile.booking_url, "emergency": profile.emergency_number},
        generated=(today or dt.date.today()).isoformat(),
        version=version,
        topics=views,
        safety=safety_messages,
        safety_examples=safety_examples,
        reassurances=reassurances,
        totals=totals,
        safety_examples_es=(example_signs_es(signs, spanish_signs("label"))
                            if safety is not None else {}),
    )


def render_html(review: Review) -> str:
    """The document: every text escaped by the template's autoescape."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(CONTENT)), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    return environment.get_template(TEMPLATE).render(review=review)


def write_pdf(html_path: Path, pdf_path: Path, footer: str) -> None:
    """Print the HTML with Debian's chromium through Playwright (A4, page numbers)."""
    if not CHROMIUM.exists():
        raise BrowserMissing(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise BrowserMissing("the playwright package is missing (make install)") from error
    footer_html = (
        '<div style="font-size:8px;width:100%;padding:0 12mm;color:#555;display:flex;'
        'justify-content:space-between"><span>' + html.escape(footer) + "</span>"
        '<span>page <span class="pageNumber"></span> of <span class="totalPages"></span>'
        "</span></div>"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(html_path.resolve().as_uri(), wait_until="load")
            page.pdf(path=str(pdf_path), format="A4", print_background=True,
                     display_header_footer=True, header_template="<span></span>",
                     footer_template=footer_html,
                     margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"})
        finally:
            browser.close()


def collect(version: str | None = None) -> Review:
    """The review of the content files as they are now."""
    topics = load_content()
    return build_review(
        topics, intent_examples(), safety=load_safety_content(), signs=vocabulary_signs(),
        version=git_version() if version is None else version,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m content.review", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder to write content-review.html and .pdf to "
                             f"(default {_relative(DEFAULT_OUT)})")
    parser.add_argument("--no-pdf", action="store_true", help="write the HTML only")
    args = parser.parse_args(argv)
    try:
        review = collect()
    except ReviewError as error:
        print(f"content review: {error}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    html_path, pdf_path = args.out / HTML_NAME, args.out / PDF_NAME
    pdf_path.unlink(missing_ok=True)  # a PDF of older texts must never pass for this one
    html_path.write_text(render_html(review), encoding="utf-8")
    print(f"wrote {html_path}")
    t = review.totals
    median = "n/a" if t.median_grade is None else f"{t.median_grade:.2f}"
    print(f"{t.topics} topics, {t.messages} messages, median grade {median}, above grade "
          f"{MAX_GRADE:g}: {t.above_max}, statements without a valid source: {t.unsourced}, "
          f"safety texts with a sourcing problem: {t.safety_problems}")
    median_es = "n/a" if t.median_ease_es is None else f"{t.median_ease_es:.1f}"
    print(f"Spanish: {t.spanish_messages} of {t.all_messages} messages, median Fernández-Huerta "
          f"{median_es}, below {MIN_EASE_ES:g}: {t.below_ease_es}")
    if not t.ready:
        print("NOT READY for sign-off: the document highlights what to fix first")
    if args.no_pdf:
        return 0
    footer = (f"{review.clinic['name']}: patient texts for sign-off, {review.generated}, "
              f"version {review.version}")
    try:
        write_pdf(html_path, pdf_path, footer)
    except BrowserMissing as error:
        print(f"content review: no PDF: {error}. The PDF needs `make browser` (Debian's "
              f"chromium); the HTML is written. Use --no-pdf to write the HTML only.",
              file=sys.stderr)
        return 1
    print(f"wrote {pdf_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
