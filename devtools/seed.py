"""Seed Rasa's `events` table with realistic synthetic conversations, for the console benchmark.

Every conversation is one Rasa session as the assistant writes it: action_session_start,
session_started, the welcome slot and action_listen, then patient turns (user event with
parse data, the answer's action and bot event, action_listen), with escalation slots on about
one conversation in ten. 20 events per conversation on average; some patients come back for a
second session. PostgreSQL only (COPY); the table is the one Rasa's SQLTrackerStore creates.
"""

from __future__ import annotations

import csv
import io
import json
import random
import time

import sqlalchemy as sa

from safety.levels import DOCTOR, EMERGENCY

CHANNELS = ["socketio"] * 5 + ["twilio_whatsapp"] * 2 + ["meta_whatsapp"] * 2 + ["telegram"]
QUESTIONS = [
    ("ask_what_is_tpi", "what is a trigger point injection?"),
    ("ask_preparation", "how should I prepare for my injection"),
    ("ask_side_effects", "what are the side effects of the shots"),
    ("ask_shower", "can I shower after the injection"),
    ("ask_driving", "am I allowed to drive home afterwards"),
    ("ask_duration", "how long does the procedure take"),
    ("ask_pain_during", "does it hurt when they put the needle in"),
    ("ask_effectiveness", "how long until the injection starts working"),
    ("ask_medicines", "what medicine is in the shot"),
    ("ask_activity_after", "can I go back to the gym the next day"),
    ("greet", "hello"),
    ("thank", "thanks that helps"),
]
SIGNS = [(EMERGENCY, "trouble_breathing", "I can't catch my breath since the shot"),
         (DOCTOR, "fever", "I have a fever of 101 after the injection"),
         (DOCTOR, "infection_signs", "the spot is red hot and swollen")]
UNCLEAR = "purple monkey dishwasher"
ANSWER = ("After a trigger point injection you may feel sore for a day or two. " * 3).strip()


def _user(ts: float, text: str, intent: str, confidence: float, channel: str,
          findings: list) -> dict:
    ranking = [{"name": intent, "confidence": confidence}] + [
        {"name": name, "confidence": round((1 - confidence) / 4, 4)}
        for name, _ in random.sample(QUESTIONS, 4)]
    return {"event": "user", "timestamp": ts, "metadata": {}, "text": text,
            "input_channel": channel, "message_id": f"{random.getrandbits(64):016x}",
            "parse_data": {"intent": {"name": intent, "confidence": confidence},
                           "entities": [], "text": text, "intent_ranking": ranking,
                           "safety": {"level": findings[0]["level"] if findings else None,
                                      "findings": findings}}}


def conversation(sender: str, start: float) -> list[tuple]:
    """The events of one session as (sender, type, timestamp, intent, action, data) rows."""
    channel = random.choice(CHANNELS)
    rows: list[tuple] = []
    clock = [start]

    def add(kind: str, data: dict, intent: str | None = None, action: str | None = None):
        clock[0] += random.uniform(0.01, 20)
        data = {"timestamp": clock[0], **data}
        rows.append((sender, kind, clock[0], intent, action, json.dumps(data)))

    add("action", {"event": "action", "name": "action_session_start"},
        action="action_session_start")
    add("session_started", {"event": "session_started"})
    # The welcome's bookkeeping slot (the policy sets it when it welcomes the first message).
    add("slot", {"event": "slot", "name": "welcome_due", "value": False}, action="welcome_due")
    add("action", {"event": "action", "name": "action_listen"}, action="action_listen")
    roll = random.random()
    for turn in range(4):
        findings: list = []
        if turn == 1 and roll < 0.11:
            level, sign, text = SIGNS[0] if roll < 0.03 else random.choice(SIGNS[1:])
            intent, confidence = "report_symptom", 0.9
            findings = [{"sign": sign, "level": level, "text": text[:20], "rule": "match"}]
        elif random.random() < 0.05:
            intent, text, confidence = "nlu_fallback", UNCLEAR, 0.4
        else:
            intent, text = random.choice(QUESTIONS)
            confidence = round(random.uniform(0.45, 0.99), 3)
        add("user", _user(clock[0], text, intent, confidence, channel, findings), intent=intent)
        if findings:
            add("slot", {"event": "slot", "name": "escalation_level",
                         "value": findings[0]["level"]}, action="escalation_level")
            add("slot", {"event": "slot", "name": "warning_signs",
                         "value": [findings[0]["sign"]]}, action="warning_signs")
        else:
            add("action", {"event": "action", "name": f"utter_{intent}"},
                action=f"utter_{intent}")
            add("bot", {"event": "bot", "text": ANSWER, "data": {"buttons": []}})
        add("action", {"event": "action", "name": "action_listen"}, action="action_listen")
    return rows


def seed(engine: sa.engine.Engine, conversations: int, days: int = 365, seed_value: int = 7,
         progress=print) -> int:
    """Append `conversations` sessions spread over the last `days` days; events written."""
    random.seed(seed_value)
    now = time.time()
    written = 0
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        batch = io.StringIO()
        writer = csv.writer(batch)
        for number in range(conversations):
            # About one patient in six comes back for a second session.
            patient = number if random.random() > 0.17 else random.randrange(max(number, 1))
            start = now - random.uniform(0, days * 86400)
            for row in conversation(f"patient-{patient:07d}", start):
                writer.writerow(row)
                written += 1
            if number % 5000 == 4999 or number == conversations - 1:
                batch.seek(0)
                cursor.copy_expert(
                    "COPY events (sender_id, type_name, timestamp, intent_name, action_name,"
                    " data) FROM STDIN WITH (FORMAT csv)", batch)
                raw.commit()
                batch = io.StringIO()
                writer = csv.writer(batch)
                progress(f"  {number + 1} conversations, {written} events")
    finally:
        raw.close()
    return written
