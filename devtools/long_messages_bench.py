"""How the English detector's time grows with a message's length: each text's first 1,000
characters against its whole 10,000, best of a few runs, printed as milliseconds and as a ratio
to linear growth (1.0 is linear). The suite asserts the ratio for six texts
(tests/safety/test_detector.py); these add the shapes of the later rules rounds, whose checks
must be read once per sentence, not once per sign.

    PYTHONPATH=. .venv/bin/python -m devtools.long_messages_bench

Run it in two checkouts in the same session to compare (the machines are noisy)."""

from __future__ import annotations

import time

from safety.language import detector_for

TEXTS = {
    "one long sentence": "it hurts to breathe and my arm is red and swollen and ",
    "what-ifs answered": ("what if the redness spreads and the swelling doesn't go away, "
                          "it hasn't, "),
    "the page's words": 'the leaflet says "fever" and "pus" and swelling are rare, how rare, ',
    "things and echoes": ("the toast is burning and so is my site and my car is wheezing and "
                          "so am I "),
    "old stories": "years ago at the dentist my heart raced after the numbing shot and ",
    "plans with times": "is a fever likely if I have the shot and swim three days later and ",
}
RUNS = 3


def best_of(detector, text: str) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        detector.assess(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    detector = detector_for("en")
    for name, unit in TEXTS.items():
        text = (unit * 400)[:10000]
        short, long = best_of(detector, text[:1000]), best_of(detector, text)
        print(f"{name:20} 1,000 chars {short * 1000:6.1f} ms   10,000 chars {long * 1000:7.1f} ms"
              f"   ratio to linear {long / (short * 10):.2f}")


if __name__ == "__main__":
    main()
