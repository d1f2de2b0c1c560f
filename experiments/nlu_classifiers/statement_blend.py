"""Would the answers' own statements help the intent model pick the topic of a new question?

The served model ranks intents; each topic's answer (content/answers/*.yml: the statements said
and the source sentences they quote) is encoded too, and a question's closeness to a topic is the
best cosine between the question and that topic's statements. The closeness, as a softmax with
temperature T over the topics, is blended with weight w into the probability mass the model gave
the topics (the other intents keep theirs). Accuracy counts the intent that answers the question's
topic; the fallback rules (and the two-close-topics answer) are applied as served.

    python -m experiments.nlu_classifiers.statement_blend --weights 0 0.2 0.35 0.5

Run after `make train`; nothing here is used by the product. Never point it at tests/frozen/.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import numpy as np

from content.model import load_topics
from experiments.nlu_classifiers.knn_blend import (
    AMBIGUITY,
    DEV_SETS,
    FALLBACK_THRESHOLD,
    labelled_questions,
    rankings,
    spanish_first,
)

EXTRA_SETS = {"dev round 12 (en)": "tests/dev_round12/questions.yml"}
JOIN_TOP, JOIN_TWO = 0.25, 0.15  # the served two-close-topics thresholds


def topic_statements(language: str, with_quotes: bool) -> dict[str, list[str]]:
    """Each topic intent's sentences: what the answer says (without bullets or placeholders)."""
    found: dict[str, list[str]] = {}
    for topic in load_topics():
        if not topic.intent:
            continue
        for message in topic.messages:
            for statement in message.statements:
                if statement.source in ("clinic-profile",):
                    continue
                text = statement.say_es if language == "es" else statement.say
                if text:
                    found.setdefault(topic.intent, []).append(text.removeprefix("- "))
                if with_quotes and language == "en":
                    found[topic.intent].extend(statement.quotes)
    return found


class StatementCloseness:
    def __init__(self, with_quotes: bool, temperature: float, top: int) -> None:
        from nlp.multilingual_encoder import shared_multilingual_encoder
        from nlp.sentence_encoder import shared_encoder
        self.temperature, self.top = temperature, top
        self.encoders = {"en": shared_encoder(), "es": shared_multilingual_encoder()}
        self.banks = {}
        for language, encoder in self.encoders.items():
            statements = topic_statements(language, with_quotes)
            self.banks[language] = {intent: encoder.encode(texts)
                                    for intent, texts in statements.items()}

    def similarities(self, text: str) -> dict[str, float]:
        language = "es" if spanish_first(text) else "en"
        vector = self.encoders[language].encode([text])[0]
        vector = vector / max(np.linalg.norm(vector), 1e-9)
        found = {}
        for intent, bank in self.banks[language].items():
            norms = np.maximum(np.linalg.norm(bank, axis=1), 1e-9)
            best = np.sort(bank @ vector / norms)[::-1][: self.top]
            found[intent] = float(best.mean())
        return found

    def probabilities(self, similarities: dict[str, float]) -> dict[str, float]:
        intents = list(similarities)
        scores = np.array([similarities[i] for i in intents]) / self.temperature
        weights = np.exp(scores - scores.max())
        return dict(zip(intents, weights / weights.sum(), strict=True))


def decide(blended: dict[str, float]) -> tuple[str, ...]:
    """The intents answered as served: one, two close topics, or none ("not sure")."""
    ordered = sorted(blended.items(), key=lambda item: -item[1]) + [("", 0.0)] * 2
    (best, confidence), (runner_up, second) = ordered[0], ordered[1]
    hesitant = confidence < FALLBACK_THRESHOLD or confidence - second < AMBIGUITY
    if not hesitant:
        return (best,)
    if (confidence >= JOIN_TOP and second >= JOIN_TWO and best.startswith("ask_")
            and runner_up.startswith("ask_")):
        return (best, runner_up)
    return ()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/current.tar.gz")
    parser.add_argument("--weights", type=float, nargs="+", default=[0.0, 0.2, 0.35, 0.5])
    parser.add_argument("--temperature", type=float, default=0.05)
    parser.add_argument("--top", type=int, default=1, help="mean of the best N statements")
    parser.add_argument("--quotes", action="store_true", help="also the quoted source sentences")
    parser.add_argument("--sets", nargs="*", default=None, help="only these set names")
    args = parser.parse_args()

    closeness = StatementCloseness(args.quotes, args.temperature, args.top)
    sets = {**DEV_SETS, **EXTRA_SETS}
    for name, path in sets.items():
        if not Path(path).exists() or (args.sets and name not in args.sets):
            continue
        cases = labelled_questions(path)
        model_rankings = asyncio.run(rankings(args.model, [t for t, _ in cases]))
        closeness_probabilities = [closeness.probabilities(closeness.similarities(t))
                                   for t, _ in cases]
        line = []
        for weight in args.weights:
            right, unsure = 0, 0
            for (_, answers), ranked, close in zip(cases, model_rankings,
                                                   closeness_probabilities, strict=True):
                mass = sum(p for intent, p in ranked.items() if intent in close)
                blended = {intent: (1 - weight) * p if intent in close else p
                           for intent, p in ranked.items()}
                for intent, p in close.items():
                    blended[intent] = blended.get(intent, 0.0) + weight * mass * p
                chosen = decide(blended)
                unsure += not chosen
                right += any(intent in answers for intent in chosen)
            line.append(f"w={weight}: {right}/{len(cases)} ({unsure} not sure)")
        print(f"{name:18} " + " | ".join(line), flush=True)


if __name__ == "__main__":
    main()
