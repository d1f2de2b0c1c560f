"""How strongly should the intent model be regularised, and how should its feature blocks weigh?

The served intent model is a logistic regression (sklearn's default C = 1, which Rasa's stock
classifier keeps) over raw word 1-2-gram counts, raw character 2-5-gram counts and the sentence
embedding × 10. Neither C nor the weight of the count blocks was ever chosen on data. Here each
variant is scored the way `other_writers` scores a round: the blind writers' rounds of
data/nlu/patients/ are left out in folds (the rest of the training data kept), and a question
counts when the intent of its topic comes first and clears the fallback (0.4, margin 0.1); the
held-out set and development round 12 are scored by the model trained on everything.

    python -m experiments.nlu_classifiers.regularisation [--variants NAME ...]

Words are lower-cased tokens, not spaCy's lemmas, so the figures are a little below the served
model's. Nothing here is used by the product. Never point it at tests/frozen/.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from devtools.nlu_data import PATIENTS, examples
from experiments.nlu_classifiers.other_writers import answered_right, base_examples, test_sets

CACHE = Path("/tmp/regularisation_embeddings.npz")
# name: (C, how the count blocks are scaled, embedding scale)
VARIANTS = {
    "product": (1.0, "raw", 10.0),
    "C0.3": (0.3, "raw", 10.0),
    "C3": (3.0, "raw", 10.0),
    "C10": (10.0, "raw", 10.0),
    "l2-blocks": (1.0, "l2", 10.0),
    "l2-blocks-C3": (3.0, "l2", 10.0),
    "l2-blocks-C10": (10.0, "l2", 10.0),
    "binary": (1.0, "binary", 10.0),
    "sublinear": (1.0, "log", 10.0),
}
FOLDS = 4


def count_block(matrix, how: str):
    from sklearn.preprocessing import normalize

    matrix = matrix.astype(np.float64)
    if how == "binary":
        matrix.data[:] = 1.0
    elif how == "log":
        matrix.data = 1.0 + np.log(matrix.data)
    elif how == "l2":
        matrix = normalize(matrix) * 3.0  # a unit row would weigh little next to the × 10 embedding
    return matrix


def fit(train, embed, variant):
    """The model of `variant` trained on `train`, and a function from texts to its probabilities."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    c, how, scale = variant
    words = CountVectorizer(ngram_range=(1, 2))
    chars = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5))

    def features(batch, fit=False):
        w = words.fit_transform(batch) if fit else words.transform(batch)
        ch = chars.fit_transform(batch) if fit else chars.transform(batch)
        return hstack([count_block(w, how), count_block(ch, how),
                       csr_matrix(embed(batch) * scale)]).tocsr()

    model = LogisticRegression(C=c, max_iter=500, tol=0.01, class_weight="balanced")
    model.fit(features([t for t, _ in train], fit=True), [i for _, i in train])
    return model, lambda texts: model.predict_proba(features(texts))


def fit_and_score(train, tests, embed, variant) -> dict[str, int]:
    model, probabilities_of = fit(train, embed, variant)
    return {name: sum(answered_right(p, model.classes_, good) for p, (_, good) in
                      zip(probabilities_of([t for t, _ in cases]), cases, strict=True))
            for name, cases in tests.items()}


def embedder():
    cache: dict[str, np.ndarray] = {}
    if CACHE.exists():
        stored = np.load(CACHE, allow_pickle=False)
        cache.update(zip(stored["texts"].tolist(), stored["vectors"], strict=True))
    encoder = None

    def embed(batch: list[str]) -> np.ndarray:
        nonlocal encoder
        missing = [t for t in dict.fromkeys(batch) if t not in cache]
        if missing:
            if encoder is None:
                from nlp.sentence_encoder import shared_encoder
                encoder = shared_encoder()
            cache.update(zip(missing, encoder.encode(missing), strict=True))
            texts = list(cache)
            np.savez(CACHE, texts=np.array(texts), vectors=np.vstack([cache[t] for t in texts]))
        return np.vstack([cache[t] for t in batch])

    return embed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS))
    parser.add_argument("--also", type=Path, metavar="NPZ",
                        help="another encoder's vectors of the same texts (arrays `texts`, "
                             "`vectors`), put beside the MiniLM embedding")
    parser.add_argument("--only", action="store_true", help="with --also: instead of MiniLM")
    args = parser.parse_args()
    embed = embedder()
    if args.also:
        stored = np.load(args.also, allow_pickle=False)
        other = dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))
        minilm = embed

        def embed(batch: list[str]) -> np.ndarray:  # noqa: F811 (the chosen encoders)
            theirs = np.vstack([other[t] for t in batch])
            return theirs if args.only else np.hstack([minilm(batch), theirs])
    base = base_examples()
    rounds = [[(text, intent) for intent, text in examples(path)]
              for path in sorted(PATIENTS.glob("*.yml"))]
    folds = [[pair for r in rounds[k::FOLDS] for pair in r] for k in range(FOLDS)]
    fixed = test_sets()
    embed([t for t, _ in base] + [t for f in folds for t, _ in f]
          + [t for cases in fixed.values() for t, _ in cases])
    print(f"base {len(base)}; folds {[len(f) for f in folds]}; "
          f"tests {[len(c) for c in fixed.values()]}", flush=True)
    for name in args.variants:
        started = time.time()
        left_out = 0
        for k, fold in enumerate(folds):
            others = [pair for j, f in enumerate(folds) if j != k for pair in f]
            left_out += fit_and_score(base + others, {"fold": [(t, (i,)) for t, i in fold]},
                                      embed, VARIANTS[name])["fold"]
        whole = fit_and_score(base + [p for f in folds for p in f], fixed, embed, VARIANTS[name])
        print(f"{name:16} folds left out {left_out} of {sum(len(f) for f in folds)}; "
              f"{whole}; {time.time() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
