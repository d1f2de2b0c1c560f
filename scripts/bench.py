"""Latency, throughput and memory over the REST channel: this assistant vs the stock `rasa init`
configuration, measured in the same run (the machines are noisy: compare the ratios).

Usage: python -m scripts.bench [--conversations 30]   (`make bench`)

Three set-ups answer scripts/bench_messages.yml, replayed as whole conversations (fresh senders)
by 1 and by 10 concurrent users who each send the next message as soon as the reply arrives:

- stock: the `rasa init` pipeline and policies (experiments/nlu_pipelines/stock_rasa_init.yml and
  STOCK_POLICIES) trained on the same NLU data and rules, served by plain `rasa run` with Rasa's
  SQL tracker store on SQLite and our action server;
- ours, one process: the default profile (`make run`): `python -m serving run`, SQLite;
- ours, whole machine: the production profile on this machine (production/stack.py): nginx in
  front of RASA_REPLICAS Rasa servers and one action server, PostgreSQL and Redis (Debian's,
  started here with their default durability settings).

Memory is the resident size of a Rasa server process after the load (the largest replica's).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import aiohttp

import yaml_io
from devtools.servers import MODEL, ROOT, VENV_BIN, Servers
from production.net import free_port
from production.postgres import PostgresServer
from production.redis import RedisServer
from production.stack import Stack, read_settings

STOCK_POLICIES = """
policies:
  - name: MemoizationPolicy
  - name: RulePolicy
  - name: UnexpecTEDIntentPolicy
    max_history: 5
    epochs: 100
  - name: TEDPolicy
    max_history: 5
    epochs: 100
    constrain_similarities: true
"""

# Rasa's own SQL tracker store, as a stock project would configure it.
STOCK_ENDPOINTS = """
action_endpoint:
  url: ${ACTION_ENDPOINT_URL}
tracker_store:
  type: SQL
  dialect: sqlite
  db: ${TRACKER_DB}
"""


def stock_model(workdir: Path) -> Path:
    """The stock `rasa init` configuration trained on our NLU data and rules (Rasa skips the
    training when the configuration, data and domain are those of the model already there)."""
    config = workdir / "stock_config.yml"
    pipeline = (ROOT / "experiments" / "nlu_pipelines" / "stock_rasa_init.yml").read_text()
    config.write_text(pipeline + STOCK_POLICIES)
    target = ROOT / "var" / "bench"
    target.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    subprocess.run(
        [str(VENV_BIN / "rasa"), "train", "--config", str(config), "--domain", "domain",
         "--data", "data/nlu", "data/rules", "--out", str(target), "--fixed-model-name", "stock"],
        cwd=ROOT, check=True, capture_output=True,
    )
    print(f"stock model trained in {time.monotonic() - start:.0f} s", flush=True)
    return target / "stock.tar.gz"


async def conversation(session: aiohttp.ClientSession, url: str, messages: list[str],
                       latencies: list[float], errors: list[str]) -> None:
    sender = f"bench-{uuid.uuid4().hex[:10]}"
    for text in messages:
        start = time.perf_counter()
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            body = await response.json(content_type=None)
            if response.status != 200 or not body:
                errors.append(f"{response.status} {text}")
        latencies.append((time.perf_counter() - start) * 1000)


async def load(url: str, messages: list[str], users: int, conversations: int) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    queue = list(range(conversations))

    async def user(session):
        while queue:
            queue.pop()
            await conversation(session, url, messages, latencies, errors)

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        for _ in range(users):  # warm-up, not measured
            await conversation(session, url, messages, [], [])
        start = time.perf_counter()
        await asyncio.gather(*(user(session) for _ in range(users)))
        elapsed = time.perf_counter() - start
    ordered = sorted(latencies)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"median": statistics.median(ordered), "p95": pick(0.95), "p99": pick(0.99),
            "throughput": len(ordered) / elapsed, "requests": len(ordered), "errors": len(errors)}


def rss_mb(pid: int) -> float:
    out = subprocess.run(["ps", "-o", "rss=", "-p", str(pid)], capture_output=True, text=True)
    return int(out.stdout.strip() or 0) / 1024


@contextlib.contextmanager
def single_process(workdir: Path, model: Path, stock: bool) -> Iterator[tuple[str, list[int]]]:
    endpoints = None
    if stock:
        endpoints = workdir / "stock_endpoints.yml"
        endpoints.write_text(STOCK_ENDPOINTS)
    servers = Servers(workdir, model=model, endpoints=endpoints,
                      rasa_command=[str(VENV_BIN / "rasa")] if stock else None)
    try:
        servers.start_actions()
        servers.start_rasa()
        yield f"{servers.url}/webhooks/rest/webhook", [servers.rasa.pid]
    finally:
        servers.stop()


@contextlib.contextmanager
def whole_machine(workdir: Path, replicas: int) -> Iterator[tuple[str, list[int]]]:
    with PostgresServer() as postgres, RedisServer() as redis:
        postgres.create_database("rasa")
        settings = read_settings(env={})
        settings.update(DB_PORT=str(postgres.port), DB_USER="postgres", DB_PASSWORD="",
                        REDIS_PORT=str(redis.port), RASA_PORT=str(free_port()),
                        ACTIONS_PORT=str(free_port()), RASA_REPLICAS=str(replicas),
                        ACTION_REPLICAS="1")
        del settings["ACTION_ENDPOINT_URL"]  # derived from ACTIONS_PORT
        stack = Stack(settings, workdir, token="bench", with_console=False)
        try:
            stack.start()
            yield f"{stack.url}/webhooks/rest/webhook", [p.popen.pid for p in stack.rasa]
        finally:
            stack.stop()


def measure(setup: contextlib.AbstractContextManager, messages: list[str],
            conversations: int) -> dict:
    with setup as (url, pids):
        result = {
            1: asyncio.run(load(url, messages, 1, max(3, conversations // 5))),
            10: asyncio.run(load(url, messages, 10, conversations)),
        }
        result["rss_mb"] = max(rss_mb(pid) for pid in pids)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=30)
    parser.add_argument("--replicas", type=int, default=2,
                        help="Rasa servers in the whole-machine set-up (2 cores here)")
    args = parser.parse_args()
    messages = yaml_io.load((ROOT / "scripts" / "bench_messages.yml").read_text())["conversation"]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        stock = stock_model(workdir)
        setups = {
            "stock rasa init, 1 process": lambda d: single_process(d, stock, stock=True),
            "ours, 1 process (make run)": lambda d: single_process(d, MODEL, stock=False),
            f"ours, whole machine ({args.replicas} Rasa replicas)":
                lambda d: whole_machine(d, args.replicas),
        }
        results = {}
        for name, setup in setups.items():
            run_dir = workdir / f"run{len(results)}"
            run_dir.mkdir()
            results[name] = measure(setup(run_dir), messages, args.conversations)
            print(f"measured: {name}", flush=True)
    print("\n| set-up | users | median ms | p95 ms | p99 ms | msg/s | errors | Rasa RSS MB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, result in results.items():
        for users in (1, 10):
            r = result[users]
            print(f"| {name} | {users} | {r['median']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} "
                  f"| {r['throughput']:.1f} | {r['errors']} | {result['rss_mb']:.0f} |")
    stock_r = results["stock rasa init, 1 process"]
    print("\nratios to stock (latency: lower is better; throughput: higher is better):")
    for name, r in list(results.items())[1:]:
        print(f"- {name}: 1 user median {r[1]['median'] / stock_r[1]['median']:.2f}; "
              f"10 users p95 {r[10]['p95'] / stock_r[10]['p95']:.2f}; throughput (10 users) "
              f"{r[10]['throughput'] / stock_r[10]['throughput']:.2f}; Rasa RSS "
              f"{r['rss_mb'] / stock_r['rss_mb']:.2f}")


if __name__ == "__main__":
    main()
