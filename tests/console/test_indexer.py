"""The conversation index on its own, over a hand-made events table (SQLite): sessions, late
commits below the watermark, idempotence."""

from __future__ import annotations

import json
import time

import sqlalchemy as sa

from console import db
from console.indexer import Indexer
from console.tracker import TrackerReader, events, metadata


def event(id_: int, sender: str, kind: str, **data) -> dict:
    name = data.get("name")
    intent = (data.get("parse_data") or {}).get("intent", {}).get("name")
    return {"id": id_, "sender_id": sender, "type_name": kind, "timestamp": time.time(),
            "intent_name": intent, "action_name": name, "data": json.dumps(data)}


def user(id_: int, sender: str, text: str, intent: str = "greet", confidence: float = 0.9):
    return event(id_, sender, "user", text=text, input_channel="rest",
                 parse_data={"intent": {"name": intent, "confidence": confidence}})


def start(id_: int, sender: str) -> dict:
    return event(id_, sender, "action", name="action_session_start")


def test_sessions_late_commits_and_idempotence(tmp_path):
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = sa.create_engine(tracker_url, future=True)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(events.insert(), [
            start(1, "a"), user(2, "a", "Hello"), event(3, "a", "bot", text="hi"),
            event(4, "a", "slot", name="escalation_level", value="doctor"),
            user(5, "a", "Is it safe?", "ask_risks"), user(6, "a", "and later?", "ask_risks"),
            start(7, "a"), user(8, "a", "purple", "nlu_fallback", 0.4),
            # id 9 is not committed yet (a concurrent transaction)
            start(10, "b"), user(11, "b", "Can I SHOWER?", "ask_shower", 0.55),
        ])
    console = db.connect(f"sqlite:///{tmp_path / 'console.db'}")
    indexer = Indexer(TrackerReader(tracker_url), console)
    assert indexer.catch_up() == 10
    with engine.begin() as conn:
        conn.execute(events.insert(), [
            event(9, "c", "user", text="late one", input_channel="telegram",
                  parse_data={"intent": {"name": "greet", "confidence": 1.0}}),
            user(12, "b", "and swim?", "ask_swim", 0.95)])
    assert indexer.catch_up() == 2, "the late id 9 is picked up, and 12"
    assert indexer.catch_up() == 0 and indexer.behind() == 0
    with console.connect() as conn:
        rows = {r.id: r for r in conn.execute(sa.select(db.conversations))}
        texts = dict(conn.execute(sa.select(db.conversation_text)).all())
        intents = sorted(conn.execute(sa.select(db.conversation_intents)).all())
    assert sorted(rows) == [1, 7, 9, 10]
    assert (rows[1].level, rows[1].messages, rows[1].first_question) == (1, 4, "Is it safe?")
    assert (rows[7].level, rows[7].fallback_turns, rows[7].min_confidence) == (0, 1, 0.4)
    assert rows[10].user_messages == 2 and rows[10].min_confidence == 0.55
    assert rows[9].channel == "telegram" and rows[9].sender_id == "c"
    assert texts[10] == "can i shower?\nand swim?"
    assert (10, "ask_shower", 1) in intents and (10, "ask_swim", 1) in intents
