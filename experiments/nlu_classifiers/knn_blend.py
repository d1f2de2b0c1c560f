"""Would a nearest-neighbour vote over sentence embeddings help the intent model on new wording?

The served model (a logistic regression over n-grams and the sentence embedding) is asked for its
intent ranking on the development question sets; a k-nearest-neighbour vote over the training
examples' embeddings (all-MiniLM-L6-v2 for English, the multilingual encoder for messages read in
Spanish first) is blended in with weight w. Accuracy counts the intent that answers the question's
topic; below the fallback threshold the question gets the "not sure" reply (counted wrong).

    python -m experiments.nlu_classifiers.knn_blend --weights 0 0.2 0.35 0.5

Run after `make train`; nothing here is used by the product. Never point it at tests/frozen/.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

import yaml_io
from evaluation.frozen import topic_intents
from nlp.language_choice import reading_languages
from nlp.language_id import identify

DEV_SETS = {
    "heldout (en)": "tests/nlu/heldout.yml",
    # rounds 2-9's questions are training data since session 14 (data/nlu/patients/)
    "dev round 12 (en)": "tests/dev_round12/questions.yml",
    "dev round 1 (es)": "tests/dev_es_round1/questions.yml",
    "dev round 2 (es)": "tests/dev_es_round2q/questions.yml",
}
FALLBACK_THRESHOLD = 0.4
AMBIGUITY = 0.1  # the FallbackClassifier's default ambiguity threshold
IGNORED = {"nlu_fallback", "follow_up"}


def labelled_questions(path: str) -> list[tuple[str, tuple[str, ...]]]:
    """(text, intents that answer it) for an NLU-format set or a topic-labelled case set."""
    raw = yaml_io.load(Path(path).read_text(encoding="utf-8"))
    if "nlu" in raw:
        return [(line[2:].strip(), (block["intent"],))
                for block in raw["nlu"] for line in block["examples"].splitlines()
                if line.startswith("- ")]
    return [(case["text"], topic_intents(case["topic"])) for case in raw["cases"]]


def spanish_first(text: str) -> bool:
    return reading_languages(identify(text))[0] == "es"


class NeighbourVote:
    """Per intent, the mean cosine of the k closest training examples; softmax with temperature."""

    def __init__(self, texts: list[str], intents: list[str], k: int, temperature: float) -> None:
        from nlp.multilingual_encoder import shared_multilingual_encoder
        from nlp.sentence_encoder import shared_encoder
        self.k, self.temperature = k, temperature
        self.english, self.spanish = shared_encoder(), shared_multilingual_encoder()
        self.intents = sorted(set(intents))
        self.banks = {}
        for language, encoder in (("en", self.english), ("es", self.spanish)):
            chosen = [(t, i) for t, i in zip(texts, intents, strict=True)
                      if spanish_first(t) == (language == "es")]
            vectors = self._normalised(encoder.encode([t for t, _ in chosen]))
            self.banks[language] = (vectors, np.array([i for _, i in chosen]))

    @staticmethod
    def _normalised(vectors: np.ndarray) -> np.ndarray:
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)

    def probabilities(self, text: str) -> dict[str, float]:
        language = "es" if spanish_first(text) else "en"
        encoder = self.spanish if language == "es" else self.english
        vector = self._normalised(encoder.encode([text]))[0]
        bank, labels = self.banks[language]
        similarities = bank @ vector
        scores = []
        for intent in self.intents:
            mine = np.sort(similarities[labels == intent])[::-1][: self.k]
            scores.append(mine.mean() if len(mine) else -1.0)
        scores = np.array(scores) / self.temperature
        weights = np.exp(scores - scores.max())
        return dict(zip(self.intents, weights / weights.sum(), strict=True))


async def rankings(model: str, texts: list[str]) -> list[dict[str, float]]:
    from rasa.core.agent import Agent
    agent = Agent.load(model)
    found = []
    for text in texts:
        parsed = await agent.parse_message(text)
        found.append({entry["name"]: entry["confidence"] for entry in parsed["intent_ranking"]
                      if entry["name"] not in IGNORED})
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/current.tar.gz")
    parser.add_argument("--weights", type=float, nargs="+", default=[0.0, 0.2, 0.35, 0.5])
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--temperature", type=float, default=0.05)
    parser.add_argument("--join-two", type=float, default=None, metavar="MIN",
                        help="where the fallback's ambiguity margin would answer 'not sure', "
                             "answer both closest topics when each has at least MIN")
    parser.add_argument("--join-top", type=float, default=FALLBACK_THRESHOLD,
                        help="with --join-two: the closest topic needs at least this")
    args = parser.parse_args()

    from rasa.shared.nlu.training_data.loading import load_data
    training = [m for m in load_data("data/nlu").intent_examples if m.get("intent") not in IGNORED]
    vote = NeighbourVote([m.get("text") for m in training], [m.get("intent") for m in training],
                         args.k, args.temperature)
    sets = {name: labelled_questions(path)
            for name, path in DEV_SETS.items() if Path(path).exists()}
    for name, cases in sets.items():
        model_rankings = asyncio.run(rankings(args.model, [t for t, _ in cases]))
        votes = [vote.probabilities(t) for t, _ in cases]
        line = []
        for weight in args.weights:
            right, fallbacks = 0, 0
            for (_, answers), ranked, voted in zip(cases, model_rankings, votes, strict=True):
                blended = defaultdict(float)
                for intent, p in ranked.items():
                    blended[intent] += (1 - weight) * p
                for intent, p in voted.items():
                    blended[intent] += weight * p
                ordered = sorted(blended.items(), key=lambda item: -item[1]) + [("", 0.0)]
                (best, confidence), (_, second) = ordered[0], ordered[1]
                runner_up = ordered[1][0]
                both = (args.join_two is not None and confidence >= args.join_top
                        and (confidence < FALLBACK_THRESHOLD or confidence - second < AMBIGUITY)
                        and second >= args.join_two
                        and best.startswith("ask_") and runner_up.startswith("ask_"))
                if both:
                    right += best in answers or runner_up in answers
                elif confidence < FALLBACK_THRESHOLD or confidence - second < AMBIGUITY:
                    fallbacks += 1
                elif best in answers:
                    right += 1
            line.append(f"w={weight}: {right}/{len(cases)} ({fallbacks} not sure)")
        print(f"{name:18} " + " | ".join(line), flush=True)
    print(Counter(m.get("intent") for m in training).most_common(3))


if __name__ == "__main__":
    main()
