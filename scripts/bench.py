"""Latency and throughput over the REST channel: this assistant vs the stock `rasa init` config.

Usage: python -m scripts.bench [--conversations 30]
Trains the stock configuration (experiments/nlu_pipelines/stock_rasa_init.yml plus the stock
policies) on the same NLU data and rules, starts each model in turn with the same action server,
and replays scripts/bench_messages.yml as whole conversations (fresh senders) at 1 and at 10
concurrent users. Prints a Markdown table. Both run in the same session, so compare the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
import yaml

from tests.servers import MODEL, ROOT, VENV_BIN, Servers

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


def stock_model(workdir: Path) -> Path:
    """The stock `rasa init` configuration trained on our NLU data and rules."""
    config = workdir / "stock_config.yml"
    pipeline = (ROOT / "experiments" / "nlu_pipelines" / "stock_rasa_init.yml").read_text()
    config.write_text(pipeline + STOCK_POLICIES)
    target = ROOT / "var" / "bench"
    target.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    subprocess.run(
        [str(VENV_BIN / "rasa"), "train", "--config", str(config), "--domain", "domain",
         "--data", "data/nlu", "data/rules", "--out", str(target), "--fixed-model-name", "stock",
         "--force"],
        cwd=ROOT, check=True, capture_output=True,
    )
    print(f"stock model trained in {time.monotonic() - start:.0f} s")
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
        await conversation(session, url, messages, [], [])  # warm-up, not measured
        start = time.perf_counter()
        await asyncio.gather(*(user(session) for _ in range(users)))
        elapsed = time.perf_counter() - start
    ordered = sorted(latencies)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"median": statistics.median(ordered), "p95": pick(0.95), "p99": pick(0.99),
            "throughput": len(ordered) / elapsed, "requests": len(ordered), "errors": len(errors)}


def measure(model: Path, workdir: Path, messages: list[str], conversations: int) -> dict:
    servers = Servers(workdir, model=model)
    try:
        servers.start_actions()
        servers.start_rasa()
        url = f"{servers.url}/webhooks/rest/webhook"
        result = {
            1: asyncio.run(load(url, messages, 1, max(3, conversations // 5))),
            10: asyncio.run(load(url, messages, 10, conversations)),
        }
        rss_kb = subprocess.run(["ps", "-o", "rss=", "-p", str(servers.rasa.pid)],
                                capture_output=True, text=True).stdout.strip()
        result["rss_mb"] = int(rss_kb or 0) / 1024  # after the load: the server's working size
        return result
    finally:
        servers.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=30)
    args = parser.parse_args()
    messages = yaml.safe_load((ROOT / "scripts" / "bench_messages.yml").read_text())["conversation"]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        stock = stock_model(workdir)
        results = {}
        for name, model in (("stock rasa init", stock), ("this assistant", MODEL)):
            run_dir = workdir / name.replace(" ", "_")
            run_dir.mkdir()
            results[name] = measure(model, run_dir, messages, args.conversations)
    print("\n| model | users | median ms | p95 ms | p99 ms | msg/s | errors | server RSS MB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, result in results.items():
        for users in (1, 10):
            r = result[users]
            print(f"| {name} | {users} | {r['median']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} "
                  f"| {r['throughput']:.1f} | {r['errors']} | {result['rss_mb']:.0f} |")
    ours, stock_r = results["this assistant"], results["stock rasa init"]
    for users in (1, 10):
        print(f"ratio ours/stock at {users} user(s): median "
              f"{ours[users]['median'] / stock_r[users]['median']:.2f}, throughput "
              f"{ours[users]['throughput'] / stock_r[users]['throughput']:.2f}")


if __name__ == "__main__":
    main()
