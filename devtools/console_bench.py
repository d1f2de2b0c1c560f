"""The staff console on a clinic's history: the benchmark of `make bench-console`
(scripts/bench_console.py) and of tests/console/test_console_speed.py, at any size.

`run(conversations)` starts a throwaway PostgreSQL (Debian's server, as the tests do), lets Rasa's
SQLTrackerStore create its `events` table, seeds the conversations (devtools/seed.py), applies the
console's migrations (its tables and its indexes on `events`), indexes the conversations, adds
reviews and tags, starts the console and times, over HTTP as a signed-in admin, the list with
each filter on its own, transcripts and the dashboard. It prints a table and says whether every
median is within the budget (300 ms).
"""

from __future__ import annotations

import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests
import sqlalchemy as sa

from console import db
from console.indexer import Indexer
from console.tracker import TrackerReader, upgrade_tracker
from devtools.postgres import PostgresServer
from devtools.seed import seed
from devtools.servers import free_port, wait_until

ROOT = Path(__file__).resolve().parents[1]
BUDGET_MS = 300
REPEAT = 15
PASSWORD = "benchmark-password"


def create_rasa_events_table(url: str) -> None:
    """The table exactly as Rasa 3.6 creates it (with its own index on sender_id)."""
    from rasa.core.tracker_store import SQLTrackerStore

    engine = sa.create_engine(url)
    port, name = engine.url.port, engine.url.database
    engine.dispose()
    SQLTrackerStore(dialect="postgresql", host="127.0.0.1", port=port, db=name,
                    username="postgres")


def sign_in(url: str) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{url}/signin").text
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    response = session.post(f"{url}/signin", data={"csrf": token, "name": "bench",
                                                   "password": PASSWORD})
    response.raise_for_status()
    return session


def timed(session: requests.Session, url: str, params: dict | None = None) -> list[float]:
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = session.get(url, params=params)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times


def measure(url: str, conversation_ids: list[int]) -> list[tuple[str, list[float], str]]:
    session = sign_in(url)
    today = time.strftime("%Y-%m-%d", time.gmtime())
    month_ago = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 30 * 86400))
    views = [
        ("list, no filter", {}), ("list, page 200", {"page": "200"}),
        ("escalated: any", {"escalated": "any"}),
        ("escalated: emergency", {"escalated": "emergency"}),
        ("escalated: doctor", {"escalated": "doctor"}),
        ("channel: telegram", {"channel": "telegram"}),
        ("date range: last 30 days", {"from": month_ago, "to": today}),
        ("text: common word (shower)", {"q": "shower"}),
        ("text: rare phrase", {"q": "catch my breath"}),
        ("text: no match", {"q": "zebra crossing"}),
        ("intent: ask_driving", {"intent": "ask_driving"}),
        ("fallback or low confidence", {"lowconf": "1"}),
        ("not yet reviewed", {"unreviewed": "1"}),
        ("tag: follow-up", {"tag": "follow-up"}),
    ]
    results = []
    for label, params in views:
        page = session.get(f"{url}/", params=params)
        count = re.search(r"<small>\(([\d+]+)\)</small>", page.text).group(1)
        results.append((label, timed(session, f"{url}/", params), f"{count} conversations"))
    transcript_times = []
    for cid in conversation_ids:
        transcript_times += timed(session, f"{url}/conversation/{cid}")[:3]
    results.append(("transcript (20 conversations)", transcript_times, ""))
    results.append(("dashboard, 30 days", timed(session, f"{url}/dashboard"), ""))
    results.append(("dashboard, 365 days", timed(session, f"{url}/dashboard", {
        "from": time.strftime("%Y-%m-%d", time.gmtime(time.time() - 364 * 86400)),
        "to": today}), ""))
    return results


def run(conversations: int, out=print) -> bool:
    with PostgresServer() as postgres:
        url = postgres.create_database("clinic")
        create_rasa_events_table(url)
        started = time.perf_counter()
        events = seed(sa.create_engine(url), conversations, progress=lambda line: None)
        out(f"seeded {conversations} conversations, {events} events in "
            f"{time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        upgrade_tracker(url)
        console = db.connect(url)
        out(f"migrations (console tables, index on events) in "
            f"{time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        indexed = Indexer(TrackerReader(url), console).catch_up()
        out(f"indexed {indexed} events in {time.perf_counter() - started:.0f} s")
        with console.begin() as conn:
            ids = [r[0] for r in conn.execute(sa.select(db.conversations.c.id))]
            random.seed(3)
            conn.execute(db.reviews.insert(), [
                {"conversation_id": i, "reviewed_by": "bench", "reviewed_at": time.time()}
                for i in ids if random.random() < 0.3])
            conn.execute(db.tags.insert(), [
                {"conversation_id": i, "tag": "follow-up", "author": "bench", "at": time.time()}
                for i in ids if random.random() < 0.05])
            conn.execute(sa.text("ANALYZE"))
        env = {**os.environ, "PYTHONPATH": str(ROOT), "CONSOLE_PORT": str(free_port()),
               "CONSOLE_TRACKER_URL": url, "CONSOLE_DB_URL": url}
        subprocess.run([sys.executable, "-m", "console.users", "add", "bench", "--role",
                        "admin"], input=PASSWORD, text=True, env=env, cwd=ROOT, check=True,
                       capture_output=True)
        log = Path(postgres.base_dir) / "console.log"
        process = subprocess.Popen([sys.executable, "-m", "console.app"], cwd=ROOT, env=env,
                                   stdout=log.open("ab"), stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{env['CONSOLE_PORT']}"
            wait_until(f"{base}/signin", process, log, timeout=60)
            results = measure(base, random.sample(ids, 20))
        finally:
            process.terminate()
            process.wait(timeout=20)
    out(f"\n| view ({REPEAT} requests each) | median ms | p95 ms | max ms | matches |")
    out("| --- | ---: | ---: | ---: | --- |")
    ok = True
    for label, times, note in results:
        times.sort()
        median = statistics.median(times)
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        ok &= median <= BUDGET_MS
        out(f"| {label} | {median:.0f} | {p95:.0f} | {times[-1]:.0f} | {note} |")
    out(f"\nevery median within {BUDGET_MS} ms: {'yes' if ok else 'NO'}")
    return ok
