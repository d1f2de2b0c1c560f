"""The learned judge: a second opinion over a message's meaning, and how it joins the rules.

The judge is a logistic regression over the message's sentence embedding (the same encoding the
intent classifier uses), trained on the labelled corpus in `safety/corpus/` (see README.md, "The
learned judge"). It gives five probabilities: emergency, doctor, expected, question, other.

How it combines with the deterministic detector (the rules), in plain words:
- The rules always count. The judge can never lower, remove or silence anything the rules found.
- The judge can only ADD: it raises a message to `emergency` when it is very sure, and to `doctor`
  when it is sure and the rules did not already explain the sign words away (negated, a question,
  a figure of speech, history before the procedure, an expected effect within its window); where
  it would add `doctor` but finds an emergency more likely than the doctor level, it adds
  `emergency`.
- Where the rules read an emergency sign's words as plainly negated or as a figure of speech
  ("I'm not short of breath", "don't hold your breath"), the judge adds no emergency either:
  the rules' reading of those words is the clinician-readable decision, and a misreading is
  fixed in the rules. A question stays the judge's to overrule ("is it normal that her face
  droops?" is often a report the rules read as a question), and so does an emergency sign the
  rules never saw.
- The judge does not add `doctor` to a message the intent model is sure is a question about a
  topic of the clinic pages (an `ask_...` intent): such a message gets that topic's answer. An
  emergency the judge is very sure of is added whatever the intent (the Spanish judge must be
  surer of it there: TOPIC_QUESTION_EMERGENCY_THRESHOLD).
- What the judge added is recorded as its own finding (rule `learned_judge`), so staff can see
  that the rules did not find it.

Spanish has its own judge under the same rule (README.md, "The Spanish judge"): the same class over
a multilingual encoder, trained on `safety/corpus_es/`, with its own thresholds (THRESHOLDS).
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import yaml_io
from safety.assessment import Assessment, Finding
from safety.context import FIGURATIVE, HISTORY_BEFORE, HYPOTHETICAL, NEGATED
from safety.decide import BELOW_THRESHOLD
from safety.expected_effects import IMPROVING
from safety.judge_labels import JUDGE_SIGN, judge_label
from safety.levels import DOCTOR, EMERGENCY, EXPECTED, INFO

# The judge's classes: three levels, and two kinds of message that need no escalation.
QUESTION = "question"
LABELS = (EMERGENCY, DOCTOR, EXPECTED, QUESTION, "other")
CORPUS = Path(__file__).resolve().parent / "corpus"
# The Spanish judge's own corpus (README.md, "The Spanish judge").
CORPUS_ES = Path(__file__).resolve().parent / "corpus_es"

# How sure the judge must be to add an escalation (chosen by cross-validation on the corpus,
# `python -m scripts.judge_thresholds`; never on the frozen sets).
EMERGENCY_THRESHOLD = 0.80
DOCTOR_THRESHOLD = 0.80
# The Spanish judge's (`python -m scripts.judge_thresholds --language es`: an emergency threshold of
# 0.7 gained 1.6 points of emergency recall for 0.6 of false escalations over 0.8).
THRESHOLDS = {"en": (EMERGENCY_THRESHOLD, DOCTOR_THRESHOLD), "es": (0.70, 0.80)}
# Where the judge is sure of an escalation, the emergency it finds more likely than the doctor
# level must still be at least an even chance to be added.
MORE_LIKELY_EMERGENCY = 0.5
# How sure a judge must be to add an emergency to a message the intent model is sure is a topic
# question. The Spanish judge, trained on fewer questions, reads some topic questions as reports
# ("what is the air between the chest wall and the lung?"): it needs 0.9 there. The English judge
# keeps its one threshold.
TOPIC_QUESTION_EMERGENCY_THRESHOLD = {"en": EMERGENCY_THRESHOLD, "es": 0.90}
# A message the intent model puts in an `ask_...` topic with at least this confidence is a
# question about that topic: the judge adds no doctor level to it (the rules still decide).
TOPIC_QUESTION_PREFIX = "ask_"
TOPIC_QUESTION_CONFIDENCE = 0.80
# ... but the topics of what follows the injection are written the way reports are: a message the
# intent model puts there is no reason to ask more of the judge before it adds an emergency (a
# Spanish chest-pain report the model read as aftercare at 0.83 lost its emergency that way)
SYMPTOM_TOPICS = frozenset({"ask_aftercare", "ask_when_to_call_doctor"})
# What the rules read as explained away (negated, a question, a figure of speech, before the
# procedure, improving, a temperature below the threshold) or as an expected effect: the judge
# does not add a doctor-level escalation over it.
EXPLAINED_AWAY_RULES = frozenset({
    NEGATED, HYPOTHETICAL, FIGURATIVE, HISTORY_BEFORE, IMPROVING, BELOW_THRESHOLD,
})
CALM_LEVELS = frozenset({EXPECTED, INFO})
# The context rules whose reading of an emergency sign's words the judge does not overrule.
EMERGENCY_READINGS = frozenset({NEGATED, FIGURATIVE})


def load_corpus(folder: Path = CORPUS) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml_io.load(path.read_text(encoding="utf-8")) or {}
        for row in data.get("messages") or []:
            if row.get("level") in LABELS and str(row.get("text") or "").strip():
                texts.append(str(row["text"]))
                labels.append(row["level"])
    return texts, labels


# The blind development rounds the judge also learns from (config.yml, `development_rounds`):
# their levels are the judge's labels; a case that needs no escalation is labelled by its kind.
# An unknown kind is an error, so a new round's kinds are decided here, not guessed.
DEVELOPMENT_KIND_LABELS = {
    **dict.fromkeys(("risk_question", "general_question", "future_question", "future_self",
                     "conditional_plan", "personal_context", "what_if", "hypothetical",
                     "warning_list", "logistics", "other_topic"), QUESTION),
    **dict.fromkeys(("expected", "expected_effect", "expected_improving", "expected_resolved",
                     "improving", "resolved", "resolved_expected", "resolved_in_window",
                     "minor_bleeding", "expected_over", "resolved_or_expected"), EXPECTED),
    **dict.fromkeys(("before_procedure", "history", "history_before", "prior_history",
                     "before_or_history", "chat", "figurative", "idiom", "negated", "hearsay",
                     "someone_general", "other_past", "other_person_unrelated", "non_body",
                     "red_stain", "below_threshold", "normal_temperature", "figure_of_speech",
                     # stories from before the procedure told beside effects that are over
                     "before_or_over", "resolved_or_before"), "other"),
}


def load_development_round(path: Path) -> tuple[list[str], list[str]]:
    """A blind development round's messages and their judge labels (DEVELOPMENT_KIND_LABELS)."""
    data = yaml_io.load(path.read_text(encoding="utf-8")) or {}
    texts: list[str] = []
    labels: list[str] = []
    for case in data.get("cases") or data.get("messages") or []:
        level = case["level"]
        if level in (EMERGENCY, DOCTOR):
            label = level
        elif case.get("kind") in DEVELOPMENT_KIND_LABELS:
            label = DEVELOPMENT_KIND_LABELS[case["kind"]]
        else:
            raise ValueError(f"{path}: no judge label for the kind {case.get('kind')!r}")
        texts.append(str(case["text"]))
        labels.append(label)
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


def is_topic_question(intent: dict | None) -> bool:
    """The intent model is sure the message asks about one of the clinic pages' topics."""
    intent = intent or {}
    return (str(intent.get("name") or "").startswith(TOPIC_QUESTION_PREFIX)
            and float(intent.get("confidence") or 0.0) >= TOPIC_QUESTION_CONFIDENCE)


def judge_level(assessment: Assessment, probabilities: dict[str, float] | None,
                emergency_threshold: float = EMERGENCY_THRESHOLD,
                doctor_threshold: float = DOCTOR_THRESHOLD,
                topic_question: bool = False,
                topic_question_emergency_threshold: float = 0.0) -> str | None:
    """The level the judge adds on top of the rules, or None (see the module docstring)."""
    if not probabilities or assessment.level == EMERGENCY:
        return None
    if topic_question:
        emergency_threshold = max(emergency_threshold, topic_question_emergency_threshold)
    if probabilities[EMERGENCY] >= emergency_threshold and not rules_read_an_emergency_sign(
            assessment):
        return EMERGENCY
    explained = any(f.rule in EXPLAINED_AWAY_RULES or f.level in CALM_LEVELS
                    for f in assessment.findings)
    escalation = probabilities[EMERGENCY] + probabilities[DOCTOR]
    if (assessment.level != DOCTOR and not explained and not topic_question
            and escalation >= doctor_threshold):
        # Sure that the message needs an escalation, and an emergency more likely than the
        # doctor: the more urgent level (safety first; on the development sets every such
        # message was an emergency).
        if (probabilities[EMERGENCY] > probabilities[DOCTOR]
                and probabilities[EMERGENCY] >= MORE_LIKELY_EMERGENCY
                and not rules_read_an_emergency_sign(assessment)):
            return EMERGENCY
        return DOCTOR
    return None


def rules_read_an_emergency_sign(assessment: Assessment) -> bool:
    """The rules found an emergency sign's words and explained them away (see the docstring)."""
    return any(f.rule in EMERGENCY_READINGS and f.sign_level == EMERGENCY
               for f in assessment.findings)


def judge_finding(assessment: Assessment, probabilities: dict[str, float] | None,
                  intent: dict | None = None, language: str = "en") -> Finding | None:
    emergency_threshold, doctor_threshold = THRESHOLDS[language]
    symptom_topic = str((intent or {}).get("name") or "") in SYMPTOM_TOPICS
    level = judge_level(assessment, probabilities, emergency_threshold, doctor_threshold,
                        topic_question=is_topic_question(intent),
                        topic_question_emergency_threshold=0.0 if symptom_topic
                        else TOPIC_QUESTION_EMERGENCY_THRESHOLD[language])
    if level is None:
        return None
    text = assessment.text
    return Finding(JUDGE_SIGN[level], judge_label(JUDGE_SIGN[level], language), level, text, 0,
                   len(text), "learned_judge", level)
