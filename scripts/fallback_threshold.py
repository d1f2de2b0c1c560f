"""Choose the FallbackClassifier threshold from measurements on the held-out set.

Usage: python -m scripts.fallback_threshold
Parses tests/nlu/heldout.yml with the trained model and, for each threshold, shows how many
questions would get a wrong answer (confident but wrong intent) and how many would fall back to
"Sorry, I'm not sure" with topic buttons (an answerable question not answered). For a medical FAQ
a wrong answer is worse than a fallback, so the threshold is the lowest one that keeps wrong
answers near their floor without pushing fallbacks up.
"""

from __future__ import annotations

import asyncio

from rasa.core.agent import Agent

from devtools.nlu_data import HELDOUT_FILE, examples
from devtools.servers import MODEL

THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def main() -> None:
    agent = Agent.load(str(MODEL))
    loop = asyncio.new_event_loop()
    scored = []
    for intent, text in examples(HELDOUT_FILE):
        ranking = loop.run_until_complete(agent.parse_message(text))["intent_ranking"]
        top = next(r for r in ranking if r["name"] != "nlu_fallback")  # the model's own best
        scored.append((top["confidence"], top["name"] == intent))
    total = len(scored)
    print("| threshold | right answer | wrong answer | fallback |")
    print("| --- | --- | --- | --- |")
    for threshold in THRESHOLDS:
        right = sum(ok and conf >= threshold for conf, ok in scored)
        wrong = sum(not ok and conf >= threshold for conf, ok in scored)
        print(f"| {threshold:.1f} | {right / total:.3f} | {wrong / total:.3f} "
              f"| {(total - right - wrong) / total:.3f} |")


if __name__ == "__main__":
    main()
