"""Where a message's time goes, inside one Rasa server process (`make profile`).

Usage: python -m scripts.profile_turns [--conversations 20] [--without-patches]

Loads the trained model in this process with the default endpoints (SQLite tracker store, the
real action server started on a free port), replays scripts/bench_messages.yml as whole
conversations one after another, and splits the time per message into: each node of the model's
graph (the NLU components and the policy), the custom-action HTTP round trips, the tracker store
(load and save), and the rest (Rasa's message processing). `--without-patches` measures Rasa as
shipped (no serving/rasa_patches.py, Rasa's own SQL tracker store) for comparison; run both in one
session.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import logging
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import yaml_io
from devtools.servers import MODEL, ROOT, Servers

STOCK_STORE = {"type": "SQL", "dialect": "sqlite"}


def timed(owner: object, name: str, bucket: str, totals: collections.Counter) -> None:
    """Wrap `owner.name` (a function or coroutine function) to add its wall time to a bucket."""
    original = getattr(owner, name)
    if asyncio.iscoroutinefunction(original):
        async def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                totals[bucket] += time.perf_counter() - start
    else:
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                totals[bucket] += time.perf_counter() - start
    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--without-patches", action="store_true")
    args = parser.parse_args()
    if not args.without_patches:
        from serving import rasa_patches

        rasa_patches.apply()
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.tracker_store import TrackerStore
    from rasa.engine.graph import GraphNode
    from rasa.utils.endpoints import EndpointConfig, read_endpoint_config
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    logging.getLogger().setLevel(logging.WARNING)
    messages = yaml_io.load((ROOT / "scripts" / "bench_messages.yml").read_text())["conversation"]

    totals: collections.Counter = collections.Counter()
    node_call = GraphNode.__call__

    def timed_node(self, *inputs):
        start = time.perf_counter()
        try:
            return node_call(self, *inputs)
        finally:
            totals[f"model graph: {self._node_name}"] += time.perf_counter() - start

    GraphNode.__call__ = timed_node
    timed(EndpointConfig, "request", "custom actions: HTTP round trip", totals)

    with tempfile.TemporaryDirectory() as tmp:
        servers = Servers(Path(tmp))
        servers.start_actions()
        os.environ["ACTION_ENDPOINT_URL"] = servers.env["ACTION_ENDPOINT_URL"]
        os.environ["TRACKER_DB"] = str(Path(tmp) / "profile.db")
        try:
            store_config = read_endpoint_config(str(ROOT / "endpoints.yml"), "tracker_store")
            if args.without_patches:
                store_config = EndpointConfig(db=os.environ["TRACKER_DB"], **STOCK_STORE)
            action = read_endpoint_config(str(ROOT / "endpoints.yml"), "action_endpoint")
            store = TrackerStore.create(store_config)
            for method in ("retrieve", "save"):
                timed(store, method, f"tracker store: {method}", totals)
            agent = Agent.load(str(MODEL), action_endpoint=action, tracker_store=store)

            async def run() -> float:
                async def conversation() -> None:
                    sender = f"profile-{uuid.uuid4().hex[:8]}"
                    for text in messages:
                        await agent.handle_message(
                            UserMessage(text, CollectingOutputChannel(), sender))

                await conversation()  # warm-up
                totals.clear()
                start = time.perf_counter()
                for _ in range(args.conversations):
                    await conversation()
                return time.perf_counter() - start

            elapsed = asyncio.run(run())
        finally:
            servers.stop()

    count = args.conversations * len(messages)
    accounted = sum(totals.values())
    print(f"\n{'without' if args.without_patches else 'with'} serving/rasa_patches.py: "
          f"{elapsed * 1000 / count:.1f} ms per message ({count} messages, one at a time)\n")
    print("| part | ms per message | share |\n| --- | --- | --- |")
    rows = [*totals.most_common(), ("the rest (Rasa's message processing)", elapsed - accounted)]
    for name, seconds in rows:
        print(f"| {name} | {seconds * 1000 / count:.2f} | {100 * seconds / elapsed:.0f}% |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
