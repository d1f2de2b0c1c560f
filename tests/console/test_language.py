"""The conversation's language in the staff console (the Rasa slot `language`, "en" or "es", set by
a `slot` event; docs/languages.md): the list's column and filter, the conversation's page, the
dashboard's card, the exports, and the migration of a console database indexed before the slot
existed. Once on SQLite and once on PostgreSQL.

The trackers are written by the project's own tracker store (serving/tracker_store.py, the rows
the Rasa server writes), from events made here: a switch in mid-conversation, a conversation from
before the Spanish assistant (no slot at all), a second Rasa session (slots are not carried over),
a slot emptied or reset, a value that is no language. No Rasa server or model is needed for that,
so the world is this module's own (like test_attention.py's): the console runs as in production
(`python -m console.app`) and is read over HTTP only.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from console import db
from devtools.postgres import PostgresServer
from devtools.servers import ROOT, free_port
from serving.tracker_store import StrictSQLTrackerStore
from tests.console.conftest import PASSWORD, run_cli, sign_in, start_console

# The two slots of domain/session.yml the console reads here.
DOMAIN = Domain.from_dict({"slots": {
    "language": {"type": "categorical", "values": ["en", "es"],
                 "influence_conversation": False,
                 "mappings": [{"type": "from_entity", "entity": "language"}]},
    "escalation_level": {"type": "categorical", "values": ["emergency", "doctor"],
                         "influence_conversation": False, "mappings": [{"type": "custom"}]},
}})
HOLA = "hola, buenos días"
SPANISH_QUESTION = "¿cuánto dura el entumecimiento después de la inyección?"
ENGLISH_QUESTION = "how long does the numbness last?"
SPANISH_FEVER = "tengo fiebre de 39 y la zona está roja y caliente"
HOSTILE = '<script>alert("hola")</script> <img src=x onerror="alert(2)"> ¿me duele la zona?'
NOT_A_LANGUAGE = '<b onmouseover="alert(3)">fr</b>'  # a slot value that is neither code
NAMES = {"en": "English", "es": "Español"}
# Every conversation of the world, oldest first, with the language the console must show.
EXPECTED = [
    ("legacy", "en"),  # written before the Spanish assistant: no `language` event at all
    ("english", "en"),
    ("spanish", "es"),
    ("to-spanish", "es"),  # en, then the patient switches: es
    ("to-english", "en"),  # es, then the patient switches: en
    ("twice", "es"),  # its first Rasa session
    ("twice", "en"),  # its second: no slot (not carried over to a new session)
    ("fever-es", "es"),  # escalated to a doctor
    ("hostile", "es"),  # then a value that is no language: it stays Spanish
    ("restarted", "en"),  # es, then Rasa's `restart` event empties every slot
    ("cleared", "en"),  # es, then the slot set to nothing
]
NEWEST_FIRST = EXPECTED[::-1]
ROW = re.compile(r'<tr class="conversation" data-id="(\d+)" data-sender="([^"]*)" '
                 r'data-language="([^"]*)">.*?<td class="language" lang="([^"]*)">([^<]*)</td>',
                 re.S)


# --- the trackers -----------------------------------------------------------------------------
class Script:
    """Events as the Rasa server stores them, one second apart (the list's order is the
    conversations' start)."""

    def __init__(self, start: float) -> None:
        self.seconds = count()
        self.start = start

    def at(self) -> float:
        return self.start + next(self.seconds)

    def session(self) -> list[Event]:
        return [ActionExecuted("action_session_start", timestamp=self.at()),
                SessionStarted(timestamp=self.at()),
                ActionExecuted("action_listen", timestamp=self.at())]

    def turn(self, text: str, intent: str, *slots: tuple[str, object]) -> list[Event]:
        """A patient's message, the slots Rasa fills from it (before the turn's first action),
        the assistant's reply."""
        return [UserUttered(text, intent={"name": intent, "confidence": 0.93},
                            input_channel="rest", timestamp=self.at()),
                *[SlotSet(name, value, timestamp=self.at()) for name, value in slots],
                ActionExecuted("utter_answer", timestamp=self.at()),
                BotUttered("…", timestamp=self.at()),
                ActionExecuted("action_listen", timestamp=self.at())]

    def restart(self) -> list[Event]:
        return [Restarted(timestamp=self.at())]


def world_trackers(script: Script) -> list[tuple[str, list[Event]]]:
    """EXPECTED's conversations, in its order."""
    s = script
    es, en = ("language", "es"), ("language", "en")
    return [
        ("legacy", [*s.session(), *s.turn(ENGLISH_QUESTION, "ask_numbness")]),
        ("english", [*s.session(), *s.turn("hello", "greet", en),
                     *s.turn("can I drive home after?", "ask_driving")]),
        ("spanish", [*s.session(), *s.turn(HOLA, "greet", es),
                     *s.turn(SPANISH_QUESTION, "ask_numbness")]),
        ("to-spanish", [*s.session(), *s.turn("hello", "greet", en),
                        *s.turn("en español, por favor", "switch_language", es),
                        *s.turn("¿puedo ducharme hoy?", "ask_shower")]),
        ("to-english", [*s.session(), *s.turn(HOLA, "greet", es),
                        *s.turn("in English please", "switch_language", en),
                        *s.turn("can I shower today?", "ask_shower")]),
        ("twice", [*s.session(), *s.turn(HOLA, "greet", es),
                   *s.session(), *s.turn(ENGLISH_QUESTION, "ask_numbness")]),
        ("fever-es", [*s.session(), *s.turn(SPANISH_FEVER, "report_symptom", es,
                                            ("escalation_level", "doctor"))]),
        ("hostile", [*s.session(), *s.turn(HOSTILE, "ask_pain", es),
                     *s.turn("ok", "affirm", ("language", NOT_A_LANGUAGE))]),
        ("restarted", [*s.session(), *s.turn(HOLA, "greet", es), *s.restart(),
                       *s.turn("ok", "affirm")]),
        ("cleared", [*s.session(), *s.turn(HOLA, "greet", es),
                     *s.turn("ok", "affirm", ("language", None))]),
    ]


def save(store: StrictSQLTrackerStore, sender: str, events: list[Event]) -> None:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    for event in events:
        tracker.update(event)
    asyncio.run(store.save(tracker))


@contextmanager
def databases(workdir: Path, backend: str) -> Iterator[tuple[StrictSQLTrackerStore, str, str]]:
    """The tracker store (its `events` table made by it, as Rasa makes it) and the URLs of the
    tracker and console databases: two SQLite files, or one PostgreSQL database for both (as in
    production)."""
    postgres = None
    store = None
    try:
        if backend == "sqlite":
            store = StrictSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(workdir / "tracker.db"))
            urls = (f"sqlite:///{workdir / 'tracker.db'}", f"sqlite:///{workdir / 'console.db'}")
        else:
            postgres = PostgresServer().start()
            url = postgres.create_database("clinic")
            store = StrictSQLTrackerStore(DOMAIN, dialect="postgresql", url="127.0.0.1",
                                          port=postgres.port, db="clinic", username="postgres")
            urls = (url, url)
        yield store, *urls
    finally:
        if store is not None:
            store.engine.dispose()
        if postgres:
            postgres.cleanup()


def console_env(tracker_url: str, console_url: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "CONSOLE_PORT": str(free_port()), "CONSOLE_INDEX_SECONDS": "1",
            "CONSOLE_RETENTION_HOURS": "0", "CONSOLE_TRACKER_URL": tracker_url,
            "CONSOLE_DB_URL": console_url}


@contextmanager
def running_console(env: dict[str, str], log: Path) -> Iterator[str]:
    process, url = start_console(env, log)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def language_world(workdir: Path, backend: str) -> Iterator[dict]:
    with databases(workdir, backend) as (store, tracker_url, console_url):
        for sender, events in world_trackers(Script(time.time() - 900)):
            save(store, sender, events)
        env = console_env(tracker_url, console_url)
        run_cli(env, "console.users", "add", "ada", "--role", "admin", stdin=PASSWORD["ada"])
        run_cli(env, "console.users", "add", "rex", "--role", "reviewer", stdin=PASSWORD["rex"])
        log = workdir / "console.log"
        with running_console(env, log) as url:
            yield {"url": url, "log": log, "tracker": store.engine,
                   "db": sa.create_engine(console_url, future=True)}


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def world(request, tmp_path_factory):
    with language_world(tmp_path_factory.mktemp(f"language-{request.param}"),
                        request.param) as world:
        yield world


# --- helpers ----------------------------------------------------------------------------------
def listing(html: str) -> list[tuple[str, str]]:
    """(sender, language name shown) of every listed conversation, in order; the row's code and
    the cell's `lang` agree with the name."""
    found = []
    for _cid, sender, code, lang, name in ROW.findall(html):
        assert code == lang and NAMES[code] == name, (sender, code, lang, name)
        found.append((sender, name))
    return found


def listed(session: requests.Session, world, **params) -> list[tuple[str, str]]:
    response = session.get(f"{world['url']}/", params=params)
    assert response.status_code == 200
    return listing(response.text)


def names(conversations: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(sender, NAMES[code]) for sender, code in conversations]


def conversation_ids(session: requests.Session, world) -> dict[str, list[int]]:
    """Every sender's conversation ids, newest first."""
    found: dict[str, list[int]] = {}
    for cid, sender, *_ in ROW.findall(session.get(f"{world['url']}/").text):
        found.setdefault(sender, []).append(int(cid))
    return found


def language_events(world, sender: str) -> list:
    """The values of the sender's `language` slot events in the tracker store, in order."""
    with world["tracker"].connect() as conn:
        rows = conn.execute(sa.text(
            "select data from events where sender_id = :s and type_name = 'slot' and "
            "action_name = 'language' order by id"), {"s": sender}).scalars().all()
    return [json.loads(row)["value"] for row in rows]


# --- the list ---------------------------------------------------------------------------------
def test_the_trackers_hold_the_language_events_as_rasa_stores_them(world):
    assert language_events(world, "legacy") == []
    assert language_events(world, "to-spanish") == ["en", "es"]
    assert language_events(world, "to-english") == ["es", "en"]
    assert language_events(world, "hostile") == ["es", NOT_A_LANGUAGE]
    assert language_events(world, "cleared") == ["es", None]
    with world["tracker"].connect() as conn:
        assert conn.execute(sa.text("select count(*) from events where sender_id = 'restarted'"
                                    " and type_name = 'restart'")).scalar() == 1


def test_the_list_shows_each_conversations_latest_language(world):
    session = sign_in(world, "rex")
    page = session.get(f"{world['url']}/").text
    assert "<th>Channel</th><th>Language</th><th>Messages</th>" in page
    assert listing(page) == names(NEWEST_FIRST)
    shown = dict(listing(page))  # the senders with one conversation
    assert shown["to-spanish"] == "Español" and shown["to-english"] == "English"
    assert shown["legacy"] == "English", "no slot: English"
    assert [name for sender, name in listing(page) if sender == "twice"] == [
        "English", "Español"], "each Rasa session has its own language"


def test_the_language_filter_alone_and_with_the_other_filters(world):
    session = sign_in(world, "rex")
    spanish = [c for c in names(NEWEST_FIRST) if c[1] == "Español"]
    english = [c for c in names(NEWEST_FIRST) if c[1] == "English"]
    assert spanish and english
    assert listed(session, world, language="es") == spanish
    assert listed(session, world, language="en") == english
    assert listed(session, world, language="") == names(NEWEST_FIRST)
    # Anything but a code is no filter (as the escalation filter), and changes nothing.
    for other in ("fr", "ES ", "' OR 1=1 --", "<script>"):
        assert listed(session, world, language=other) == names(NEWEST_FIRST), other
    assert listed(session, world, language="es", escalated="doctor") == [("fever-es", "Español")]
    assert listed(session, world, language="en", escalated="doctor") == []
    assert listed(session, world, language="es", q="entumecimiento") == [("spanish", "Español")]
    assert listed(session, world, language="en", q="numbness") == [("twice", "English"),
                                                                   ("legacy", "English")]
    assert listed(session, world, language="es", q="numbness") == []
    page = session.get(f"{world['url']}/", params={"language": "es", "escalated": "any"}).text
    assert '<select name="language">' in page
    assert '<option value="es" lang="es" selected>Español</option>' in page
    assert '<option value="en" lang="en" >English</option>' in page
    assert 'value="any" selected' in page, "the other filters are kept"
    unfiltered = session.get(f"{world['url']}/").text
    assert '<option value="es" lang="es" selected>' not in unfiltered
    assert '<option value="en" lang="en" selected>' not in unfiltered


def test_hostile_text_and_a_value_that_is_no_language_reach_no_page(world):
    session = sign_in(world, "rex")
    page = session.get(f"{world['url']}/", params={"language": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" not in page
    assert "<script>alert(&#34;hola&#34;)" not in page and '<script>alert("hola")' not in page
    assert "&lt;script&gt;alert(&#34;hola&#34;)&lt;/script&gt;" in page
    cid = conversation_ids(session, world)["hostile"][0]
    transcript = session.get(f"{world['url']}/conversation/{cid}").text
    assert '<script>alert("hola")' not in transcript and "<img src=x" not in transcript
    assert "&lt;script&gt;alert(&#34;hola&#34;)&lt;/script&gt;" in transcript
    for page_text in (page, transcript):
        assert "onmouseover" not in page_text, "the slot's other value is shown nowhere"


# --- the conversation's page --------------------------------------------------------------------
def test_the_conversation_page_shows_the_language_with_its_metadata(world):
    session = sign_in(world, "rex")
    ids = conversation_ids(session, world)
    cases = [(ids["spanish"][0], "es"), (ids["legacy"][0], "en"), (ids["to-spanish"][0], "es"),
             (ids["to-english"][0], "en"), (ids["twice"][0], "en"), (ids["twice"][1], "es")]
    for cid, code in cases:
        page = session.get(f"{world['url']}/conversation/{cid}").text
        meta = re.search(r'<p class="meta">Sender .*?</p>', page, re.S).group(0)
        assert (f'<span class="language">language <b lang="{code}">{NAMES[code]}</b></span>'
                in meta), (cid, meta)


# --- the dashboard ------------------------------------------------------------------------------
def test_the_dashboard_counts_conversations_per_language(world):
    session = sign_in(world, "rex")
    page = session.get(f"{world['url']}/dashboard").text
    data = re.search(r'<script type="application/json" id="dashboard-data">(.*?)</script>',
                     page, re.S).group(1)
    figures = json.loads(data)
    spanish = sum(1 for _, code in EXPECTED if code == "es")
    english = len(EXPECTED) - spanish
    assert figures["languages"] == [
        {"language": "en", "name": "English", "conversations": english},
        {"language": "es", "name": "Español", "conversations": spanish}]
    assert figures["totals"]["conversations"] == len(EXPECTED)
    card = re.search(r'<li class="figure figure-languages" id="figure-languages">.*?</li>',
                     page, re.S).group(0)
    assert "Conversations by language" in card
    assert (f'<tr data-language="en"><th scope="row" lang="en">English</th>'
            f'<td class="num">{english}</td>') in card
    assert (f'<tr data-language="es"><th scope="row" lang="es">Español</th>'
            f'<td class="num">{spanish}</td>') in card
    # The dashboard's period: none of these conversations in January 2001.
    empty = session.get(f"{world['url']}/dashboard", params={"from": "2001-01-01",
                                                              "to": "2001-01-31"}).text
    card = re.search(r'<li class="figure figure-languages".*?</li>', empty, re.S).group(0)
    for code, name in NAMES.items():
        assert (f'<tr data-language="{code}"><th scope="row" lang="{code}">{name}</th>'
                '<td class="num">0</td>') in card


# --- the exports --------------------------------------------------------------------------------
def test_the_exports_carry_the_language(world):
    session = sign_in(world, "ada")
    base = world["url"]
    data = session.get(f"{base}/export/conversations.json").json()
    assert [(c["sender_id"], c["language"]) for c in data["conversations"]] == NEWEST_FIRST
    only = session.get(f"{base}/export/conversations.json", params={"language": "es"}).json()
    assert only["filters"] == {"language": "es"}
    assert [(c["sender_id"], c["language"]) for c in only["conversations"]] == [
        c for c in NEWEST_FIRST if c[1] == "es"]
    response = session.get(f"{base}/export/conversations.csv", params={"language": "en"})
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["sender_id"], r["language"]) for r in table] == [
        c for c in NEWEST_FIRST if c[1] == "en"]
    none = session.get(f"{base}/export/conversations.csv",
                       params={"language": "es", "q": "numbness"}).text
    assert next(csv.reader(io.StringIO(none)))[:7] == [
        "conversation_id", "sender_id", "started", "last", "channel", "language", "messages"]
    page = session.get(f"{base}/", params={"language": "es"}).text
    assert 'href="/export/conversations.csv?language=es"' in page
    ids = conversation_ids(session, world)
    for sender, code in (("to-spanish", "es"), ("to-english", "en"), ("legacy", "en")):
        one = session.get(f"{base}/export/conversation/{ids[sender][0]}/transcript.json").json()
        assert one["language"] == code, sender


def test_nothing_the_patients_wrote_is_logged(world):
    """Last: the console's log after every page, filter and export above."""
    session = sign_in(world, "rex")
    session.get(f"{world['url']}/", params={"language": "es", "q": "entumecimiento"})
    log = world["log"].read_text(errors="replace")
    for text in (HOLA, SPANISH_QUESTION, SPANISH_FEVER, "entumecimiento", "me duele",
                 NOT_A_LANGUAGE):
        assert text not in log


# --- the migration ------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["sqlite",
                                     pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_the_migration_upgrades_an_existing_database(backend, tmp_path):
    """A console database at 0003 (before the language) whose index already holds a conversation;
    the console's own upgrade at start makes it English and indexes the next ones' languages."""
    script = Script(time.time() - 900)
    with databases(tmp_path, backend) as (store, tracker_url, console_url):
        save(store, "indexed-before", [*script.session(),
                                       *script.turn(ENGLISH_QUESTION, "ask_numbness")])
        config = db.alembic_config(console_url)
        command.upgrade(config, "0003")
        console = sa.create_engine(console_url, future=True)
        with store.engine.connect() as conn:
            first, last = conn.execute(sa.text(
                "select min(id), max(id) from events where sender_id = 'indexed-before'")).one()
        with console.begin() as conn:  # the index as the console before this change left it
            columns = {c["name"] for c in sa.inspect(conn).get_columns("console_conversations")}
            assert "language" not in columns
            conn.execute(sa.text(
                "insert into console_conversations (id, sender_id, started, last, last_event_id,"
                " messages, user_messages, channel, first_question, has_question, level,"
                " fallback_turns, min_confidence) values (:id, 'indexed-before', :t, :t, :last,"
                " 2, 1, 'rest', :q, :yes, 0, 0, 0.93)"),
                {"id": first, "last": last, "t": script.start, "q": ENGLISH_QUESTION,
                 "yes": True})
            conn.execute(sa.text("update console_index_state set watermark = :w"), {"w": last})
        env = console_env(tracker_url, console_url)
        run_cli(env, "console.users", "add", "ada", "--role", "admin", stdin=PASSWORD["ada"])
        with running_console(env, tmp_path / "console.log") as url:
            world = {"url": url}
            session = sign_in(world, "ada")
            assert listed(session, world) == [("indexed-before", "English")]
            save(store, "nuevo", [*script.session(),
                                  *script.turn(HOLA, "greet", ("language", "es"))])
            deadline = time.monotonic() + 30
            while len(listed(session, world)) < 2:
                assert time.monotonic() < deadline, "the new conversation was not indexed"
                time.sleep(0.3)
            assert listed(session, world) == [("nuevo", "Español"), ("indexed-before", "English")]
            assert listed(session, world, language="en") == [("indexed-before", "English")]
            assert listed(session, world, language="es") == [("nuevo", "Español")]
        with console.connect() as conn:
            inspector = sa.inspect(conn)
            assert "ix_console_conversations_language" in {
                i["name"] for i in inspector.get_indexes("console_conversations")}
            head = ScriptDirectory.from_config(config).get_current_head()
            assert conn.execute(sa.text(f"select version_num from {db.VERSION_TABLE}")
                                ).scalar() == head
        # And back: 0003's table again, its rows kept; up again, they read English.
        command.downgrade(config, "0003")
        with console.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("console_conversations")}
            assert "language" not in columns
            assert conn.execute(sa.text("select count(*) from console_conversations")
                                ).scalar() == 2
        command.upgrade(config, "head")
        with console.connect() as conn:
            assert sorted(conn.execute(sa.text(
                "select sender_id, language from console_conversations")).all()) == [
                ("indexed-before", "en"), ("nuevo", "en")]
        console.dispose()
