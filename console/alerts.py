"""Clinic alerts: each escalation goes, within seconds, to every destination of CLINIC_ALERT_URLS
(Apprise URLs: mailto://, msteams://, slack://, json://host/path, SMS gateways ...).

The indexer (console/indexer.py) records one escalation per escalation and one pending delivery
per destination in the transaction that reads the event; this module only sends what is due:
right after each indexing pass and at least every POLL_SECONDS. Each delivery is claimed first
(its attempt counted and its next attempt pushed past the send timeout, by a conditional UPDATE),
so two console processes never send the same delivery; then it is sent in a thread (Apprise is
blocking) with a timeout, one Apprise object per destination, so a destination that is down or
slow delays no other. A failure is retried after retry_seconds, twice that, ... (capped), and the
delivery is recorded failed after max_attempts attempts or give_up_minutes. The one gap: a crash
after a destination accepted an alert and before that was recorded sends it again when the lease
runs out; the alert id in every alert lets the receiver drop the repeat.

An alert says the level, the signs' plain labels, the channel, the time, the console link and the
alert id: never the patient's words, name, phone number or sender id (alert_message).
`python -m console.alerts` sends a test alert to every destination.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from urllib.parse import urlsplit

import sqlalchemy as sa

from clinic import load_profile
from console import db
from console.config import Settings
from console.escalations import FAILED, PENDING, PERSON, PERSON_LEVELS, RETRYING, SENT, AlertPlan
from safety.levels import EMERGENCY

log = logging.getLogger("console.alerts")
POLL_SECONDS = 1.0
RETRY_CAP_SECONDS = 300.0
LEASE_MARGIN_SECONDS = 30.0  # a claim outlives the send timeout by this much
PER_DESTINATION = 2  # sends in flight per destination: a slow one never holds the others' turn
DUE_BATCH = 50
# Schemes whose host part is a server's name; for all others (slack://, msteams://, twilio://,
# ...) Apprise's host part is a token, an account or a phone number, so it is not shown.
HOST_SCHEMES = {"mailto", "mailtos", "json", "jsons", "xml", "xmls", "form", "forms"}


def redact(url: str) -> str:
    """What staff may see of a destination: its scheme, and its host where that is a server's
    name; never credentials, tokens, addresses or numbers."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "(not a URL)"
    scheme = parts.scheme.lower() or "?"
    return f"{scheme}://{host}" if scheme in HOST_SCHEMES and host else f"{scheme}://"


def alert_plan(settings: Settings) -> AlertPlan:
    return AlertPlan(tuple((index, redact(url)) for index, url in enumerate(settings.alert_urls)),
                     settings.alert_give_up_minutes * 60)


def backoff(attempts: int, base: float) -> float:
    """Seconds before the next attempt after `attempts` failed ones: base, 2 base, 4 base ..."""
    return min(RETRY_CAP_SECONDS, base * 2 ** max(0, attempts - 1))


# --- what an alert says ---------------------------------------------------------------------
def clock(ts: float, zone: str = "") -> str:
    """The time in UTC, and in the clinic's time zone when the profile names one."""
    moment = datetime.fromtimestamp(ts, tz=timezone.utc)
    text = moment.strftime("%Y-%m-%d %H:%M UTC")
    if zone:
        try:
            from zoneinfo import ZoneInfo

            local = moment.astimezone(ZoneInfo(zone))
            text += f" ({local.strftime('%Y-%m-%d %H:%M')} {zone})"
        except (ImportError, KeyError, ValueError):
            pass
    return text


def alert_message(clinic_name: str, escalation: dict, console_url: str,
                  zone: str = "") -> tuple[str, str]:
    """(title, body) of the alert for one escalation: only what staff need to act, and nothing
    the patient wrote or that identifies them."""
    if escalation["level"] in PERSON_LEVELS:
        return person_message(clinic_name, escalation, console_url, zone)
    emergency = escalation["level"] == EMERGENCY
    what = "EMERGENCY escalation" if emergency else "doctor-level escalation"
    level = ("emergency (told to call the emergency number now)" if emergency
             else "doctor (told to contact the doctor or clinic today)")
    signs = ", ".join(escalation["signs"]) or "not recorded"
    title = f"{clinic_name}: {what}"
    body = "\n".join([
        f"{clinic_name}: a patient's message raised "
        f"{'an emergency' if emergency else 'a doctor-level'} escalation.",
        "",
        f"Level: {level}",
        f"Warning signs: {signs}",
        f"Channel: {escalation['channel'] or 'unknown'}",
        f"Time: {clock(escalation['raised_at'], zone)}",
        f"Conversation: {console_url}/conversation/{escalation['conversation_id']}",
        f"Alert id: {escalation['id']}",
        "",
        "The patient's messages are in the staff console only.",
    ])
    return title, body


def person_message(clinic_name: str, request: dict, console_url: str,
                   zone: str = "") -> tuple[str, str]:
    """(title, body) of the alert for a patient who asked for a person: in opening hours (they
    wait in the chat for an answer) or outside them (a message left). The same rules as
    alert_message: nothing the patient wrote, nothing that identifies them."""
    in_hours = request["level"] == PERSON
    what = ("a patient asked to talk to a person" if in_hours
            else "a patient left a message outside opening hours")
    todo = ("Take over the conversation in the console and answer in the chat." if in_hours
            else "Read the message in the console and answer when the clinic opens.")
    body = "\n".join([
        f"{clinic_name}: {what}.",
        "",
        todo,
        f"Channel: {request['channel'] or 'unknown'}",
        f"Time: {clock(request['raised_at'], zone)}",
        f"Conversation: {console_url}/conversation/{request['conversation_id']}",
        f"Alert id: {request['id']}",
        "",
        "The patient's messages are in the staff console only.",
    ])
    asked = "a patient asked for a person" if in_hours else "a patient left a message"
    return f"{clinic_name}: {asked}", body


# --- sending one --------------------------------------------------------------------------
class _ThreadLog(logging.Handler):
    """Apprise's warnings from one sending thread (Apprise logs why a send failed)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


def _scrubbed(message: str, url: str) -> str:
    """An error message without any piece of the destination URL but its scheme and host."""
    parts = urlsplit(url)
    secrets = [url, parts.netloc, parts.path, parts.query, parts.username or "",
               parts.password or "", *parts.path.split("/"), *parts.query.split("&")]
    for secret in sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True):
        if secret != (parts.hostname or ""):
            message = message.replace(secret, "***")
    return " ".join(message.split())[:500]


def send_one(url: str, title: str, body: str, emergency: bool) -> str | None:
    """Send one alert to one destination (blocking); None when it was accepted, else why not."""
    import apprise

    handler = _ThreadLog()
    apprise_log = logging.getLogger("apprise")
    apprise_log.addHandler(handler)
    try:
        notifier = apprise.Apprise()
        if not notifier.add(url):
            return "not a valid Apprise URL"
        ok = notifier.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT,
                             notify_type=apprise.NotifyType.FAILURE if emergency
                             else apprise.NotifyType.WARNING)
    except Exception as error:  # noqa: BLE001 - a plugin's bug must not stop the sender
        return _scrubbed(f"{type(error).__name__}: {error}", url)
    finally:
        apprise_log.removeHandler(handler)
    if ok:
        return None
    return _scrubbed("; ".join(handler.messages[-3:]) or "the destination did not accept it",
                     url)


# --- the sender -----------------------------------------------------------------------------
class Sender:
    """Sends the due deliveries of the console database (console.escalations' tables)."""

    def __init__(self, settings: Settings, console: sa.engine.Engine) -> None:
        self.settings = settings
        self.console = console
        self.plan = alert_plan(settings)
        self.profile = load_profile()
        self.wake = asyncio.Event()
        self.in_flight: dict[int, int] = {}  # destination index -> sends running
        self.tasks: set[asyncio.Task] = set()
        # Room for sends given up on (timed out) whose thread still waits for Apprise's own
        # socket timeout, so a new send never queues behind them.
        self.pool = ThreadPoolExecutor(
            max_workers=2 + 2 * PER_DESTINATION * len(self.plan.destinations),
            thread_name_prefix="alert")

    @property
    def configured(self) -> bool:
        return bool(self.settings.alert_urls)

    async def run_forever(self) -> None:
        if not self.configured:
            log.warning("alerts are not configured (CLINIC_ALERT_URLS is empty): escalations "
                        "are recorded and shown in the console, nobody is alerted")
            return
        while True:
            wait = POLL_SECONDS
            try:
                wait = min(wait, await self.send_due())
            except sa.exc.SQLAlchemyError as error:  # a database restarting: next round
                log.warning("alert sending failed (%s); retrying", type(error).__name__)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.wake.wait(), max(0.01, wait))
            self.wake.clear()

    async def send_due(self) -> float:
        """Claim what is due and start sending it; seconds until the next retry is due."""
        loop = asyncio.get_running_loop()
        claimed, next_due = await loop.run_in_executor(None, self._claim_due,
                                                       dict(self.in_flight))
        for delivery in claimed:
            index = delivery["destination_index"]
            self.in_flight[index] = self.in_flight.get(index, 0) + 1
            task = asyncio.ensure_future(self._send(delivery))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
        return next_due - time.time()

    async def stop(self, grace_seconds: float = 5.0) -> None:
        """Let the sends in flight finish and record their outcome (a send cut off here is
        sent again once its claim runs out), then stop."""
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=grace_seconds)
        for task in list(self.tasks):
            task.cancel()
        self.pool.shutdown(wait=False, cancel_futures=True)

    def _claim_due(self, in_flight: dict[int, int]) -> tuple[list[dict], float]:
        now = time.time()
        lease = self.settings.alert_timeout_seconds + LEASE_MARGIN_SECONDS
        deliveries, escalations = db.alert_deliveries, db.escalations
        busy = [i for i, n in in_flight.items() if n >= PER_DESTINATION]
        query = (sa.select(deliveries, escalations.c.conversation_id, escalations.c.level,
                           escalations.c.signs, escalations.c.channel, escalations.c.raised_at)
                 .join(escalations, escalations.c.id == deliveries.c.escalation_id)
                 .where(deliveries.c.status.in_([PENDING, RETRYING]),
                        deliveries.c.next_attempt_at <= now)
                 .order_by(deliveries.c.next_attempt_at, deliveries.c.id).limit(DUE_BATCH))
        if busy:
            query = query.where(deliveries.c.destination_index.not_in(busy))
        claimed, taken = [], in_flight
        with self.console.begin() as conn:
            for row in conn.execute(query).all():
                index = row.destination_index
                if taken.get(index, 0) >= PER_DESTINATION:
                    continue
                # Only the process whose UPDATE changes the row sends it.
                done = conn.execute(deliveries.update().where(
                    deliveries.c.id == row.id, deliveries.c.attempts == row.attempts,
                    deliveries.c.status.in_([PENDING, RETRYING])).values(
                    attempts=row.attempts + 1, next_attempt_at=now + lease))
                if done.rowcount == 1:
                    taken[index] = taken.get(index, 0) + 1
                    claimed.append({**row._mapping, "attempts": row.attempts + 1})
            # When the next retry is due, to be on time for it (a backoff of a fraction of
            # a second is not rounded up to the poll).
            # A destination with all its turns taken is woken by the end of one of its sends.
            full = [i for i, n in taken.items() if n >= PER_DESTINATION]
            next_due = conn.execute(sa.select(sa.func.min(deliveries.c.next_attempt_at)).where(
                deliveries.c.status.in_([PENDING, RETRYING]),
                deliveries.c.destination_index.not_in(full))).scalar()
        return claimed, next_due if next_due is not None else now + POLL_SECONDS

    async def _send(self, delivery: dict) -> None:
        index = delivery["destination_index"]
        try:
            error = await self._attempt(delivery)
            await self._record_soon(delivery, error)
        finally:
            self.in_flight[index] -= 1
            self.wake.set()  # a free turn for this destination: look again at once

    async def _record_soon(self, delivery: dict, error: str | None) -> None:
        """Record the outcome, retrying through a short database outage while the claim holds:
        a send recorded late is not sent again."""
        deadline = time.monotonic() + LEASE_MARGIN_SECONDS
        while True:
            try:
                await asyncio.get_running_loop().run_in_executor(None, self._record, delivery,
                                                                 error)
                return
            except sa.exc.SQLAlchemyError as problem:
                if time.monotonic() > deadline:
                    log.error("alert %s to %s: outcome not recorded (%s); it will be sent "
                              "again", delivery["escalation_id"], delivery["destination"],
                              type(problem).__name__)
                    return
                await asyncio.sleep(1)

    async def _attempt(self, delivery: dict) -> str | None:
        urls = self.settings.alert_urls
        index = delivery["destination_index"]
        if index >= len(urls) or redact(urls[index]) != delivery["destination"]:
            return "this destination is no longer in CLINIC_ALERT_URLS"
        escalation = {"id": delivery["escalation_id"], "level": delivery["level"],
                      "signs": json.loads(delivery["signs"] or "[]"),
                      "channel": delivery["channel"], "raised_at": delivery["raised_at"],
                      "conversation_id": delivery["conversation_id"]}
        title, body = alert_message(self.profile.name, escalation, self.settings.public_url,
                                    getattr(self.profile, "timezone", ""))
        future = asyncio.get_running_loop().run_in_executor(
            self.pool, send_one, urls[index], title, body, delivery["level"] == EMERGENCY)
        try:
            return await asyncio.wait_for(future, self.settings.alert_timeout_seconds)
        except asyncio.TimeoutError:
            return f"no answer within {self.settings.alert_timeout_seconds:g} s"

    def _record(self, delivery: dict, error: str | None) -> None:
        now = time.time()
        attempts = delivery["attempts"]
        if error is None:
            values = {"status": SENT, "sent_at": now, "last_error": None}
        elif (attempts >= self.settings.alert_max_attempts
              or now - delivery["raised_at"] >= self.settings.alert_give_up_minutes * 60):
            values = {"status": FAILED, "last_error": error}
        else:
            values = {"status": RETRYING, "last_error": error,
                      "next_attempt_at": now + backoff(attempts,
                                                       self.settings.alert_retry_seconds)}
        deliveries = db.alert_deliveries
        with self.console.begin() as conn:
            # Only this claim's outcome: not if the lease ran out and another claim took over.
            conn.execute(deliveries.update().where(deliveries.c.id == delivery["id"],
                                                   deliveries.c.attempts == attempts)
                         .values(**values))
        if error is None:
            log.info("alert %s sent to %s", delivery["escalation_id"], delivery["destination"])
        else:
            log.warning("alert %s to %s: attempt %d failed: %s", delivery["escalation_id"],
                        delivery["destination"], attempts, error)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.alerts", description=(
        "Send a test alert (no patient, no escalation) to every destination of "
        "CLINIC_ALERT_URLS and print what each one said."))
    parser.parse_args(argv)
    settings = Settings.from_env()
    if not settings.alert_urls:
        print("alerts are not configured: CLINIC_ALERT_URLS is empty")
        return 1
    name = load_profile().name
    title = f"{name}: test alert"
    body = (f"{name}: a test of the clinic's escalation alerts from the staff console "
            f"({settings.public_url}). No patient is waiting.")
    failed = 0
    for url in settings.alert_urls:
        error = send_one(url, title, body, emergency=False)
        failed += error is not None
        print(f"{redact(url)}: {'sent' if error is None else 'FAILED: ' + error}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
