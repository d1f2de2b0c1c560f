"""The learned judge: a second opinion over a message's meaning, and how it joins the rules.

The judge is a logistic regression over the message's sentence embedding (the same encoding the
intent classifier uses), trained on the labelled corpus in `safety/corpus/` (see README.md, "The
learned judge"). It gives five probabilities: emergency, doctor, expected, question, other.

How it combines with the deterministic detector (the rules), in plain words:
- The rules always count. The judge can never lower, remove or silence anything the rules found.
- The judge can only ADD: it raises a message to `emergency` when it is very sure, and to `doctor`
  when it is sure and the rules did not already explain the sign words away (negated, a question,
  a figure of speech, history before the procedure, an expected effect within its window).
- What the judge added is recorded as its own finding (rule `learned_judge`), so staff can see
  that the rules did not find it.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from safety import context, detector, expected
from safety.assessment import Assessment, Finding

LABELS = ("emergency", "doctor", "expected", "question", "other")
CORPUS = Path(__file__).resolve().parent / "corpus"

# How sure the judge must be to add an escalation (chosen by cross-validation on the corpus,
# `python -m scripts.judge_thresholds`; never on the frozen sets).
EMERGENCY_THRESHOLD = 0.80
DOCTOR_THRESHOLD = 0.80
# What the rules read as explained away (negated, a question, a figure of speech, before the
# procedure, improving, a temperature below the threshold) or as an expected effect: the judge
# does not add a doctor-level escalation over it.
EXPLAINED_AWAY_RULES = frozenset({
    context.NEGATED, context.HYPOTHETICAL, context.FIGURATIVE, context.HISTORY_BEFORE,
    expected.IMPROVING, detector.BELOW_THRESHOLD,
})
CALM_LEVELS = frozenset({"expected", "info"})

JUDGE_SIGN = {"emergency": "judge_emergency", "doctor": "judge_doctor"}
JUDGE_LABEL = {
    "emergency": "symptoms that can be serious",
    "doctor": "a change that your care team should check",
}


def load_corpus(folder: Path = CORPUS) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for row in data.get("messages") or []:
            if row.get("level") in LABELS and str(row.get("text") or "").strip():
                texts.append(str(row["text"]))
                labels.append(row["level"])
    return texts, labels


@dataclass
class Judge:
    """Logistic regression over the sentence embedding plus word and character n-grams.

    The embedding carries meaning ("my lungs won't fill" is near "can't breathe"); the n-grams
    carry the exact words and spelling slips. Together they measured better than either alone
    (README.md, "The learned judge").
    """

    words: object        # sklearn TfidfVectorizer, word uni- and bigrams
    characters: object   # sklearn TfidfVectorizer, character 2- to 5-grams
    classifier: object   # sklearn LogisticRegression over LABELS

    EMBEDDING_WEIGHT = 2.0  # the embedding's scale next to the n-grams' (unit-length rows each)

    @classmethod
    def train(cls, texts: Sequence[str], embeddings: np.ndarray, labels: Sequence[str],
              c: float = 8.0) -> Judge:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        characters = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                     sublinear_tf=True)
        words.fit(texts)
        characters.fit(texts)
        judge = cls(words, characters, LogisticRegression(
            C=c, max_iter=3000, class_weight="balanced"))
        judge.classifier.fit(judge.features(texts, embeddings), list(labels))
        return judge

    def features(self, texts: Sequence[str], embeddings: np.ndarray):
        from scipy.sparse import csr_matrix, hstack

        return hstack([csr_matrix(np.atleast_2d(embeddings) * self.EMBEDDING_WEIGHT),
                       self.words.transform(texts), self.characters.transform(texts)]).tocsr()

    def probabilities(self, texts: Sequence[str], embeddings: np.ndarray) -> list[dict[str, float]]:
        rows = self.classifier.predict_proba(self.features(texts, embeddings))
        classes = list(self.classifier.classes_)
        return [{label: float(row[classes.index(label)]) if label in classes else 0.0
                 for label in LABELS} for row in rows]

    def save(self, path: Path) -> None:
        path.write_bytes(pickle.dumps((self.words, self.characters, self.classifier)))

    @classmethod
    def load(cls, path: Path) -> Judge:
        return cls(*pickle.loads(path.read_bytes()))  # noqa: S301 - our own model file


def judge_level(assessment: Assessment, probabilities: dict[str, float] | None,
                emergency_threshold: float = EMERGENCY_THRESHOLD,
                doctor_threshold: float = DOCTOR_THRESHOLD) -> str | None:
    """The level the judge adds on top of the rules, or None (see the module docstring)."""
    if not probabilities or assessment.level == "emergency":
        return None
    if probabilities["emergency"] >= emergency_threshold:
        return "emergency"
    explained = any(f.rule in EXPLAINED_AWAY_RULES or f.level in CALM_LEVELS
                    for f in assessment.findings)
    escalation = probabilities["emergency"] + probabilities["doctor"]
    if assessment.level != "doctor" and not explained and escalation >= doctor_threshold:
        return "doctor"
    return None


def judge_finding(assessment: Assessment, probabilities: dict[str, float] | None) -> Finding | None:
    level = judge_level(assessment, probabilities)
    if level is None:
        return None
    text = assessment.text
    return Finding(JUDGE_SIGN[level], JUDGE_LABEL[level], level, text, 0, len(text),
                   "learned_judge", level)
