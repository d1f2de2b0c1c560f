"""The detector's phrase lookup (safety/match.py, PhraseTable) finds exactly what spaCy's
PhraseMatcher, which it replaced, finds: every (phrase, start, end), overlapping ones included,
for every phrase of the English and the Spanish vocabulary on the regression and development
messages of each language."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

import yaml_io
from safety.language import detector_for
from safety.match import PhraseTable

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = {
    "en": ["tests/safety/eval_set.yml", "tests/safety/validation_set.yml"],
    "es": [f"tests/dev_es_round{n}/safety.yml" for n in range(1, 6)],
}


def _texts(paths: list[str]) -> list[str]:
    texts = []
    for path in paths:
        data = yaml_io.load((ROOT / path).read_text(encoding="utf-8"))
        texts += [case["text"] for case in data["cases"]]
    return texts


def _phrase_matcher(table_phrases, vocab) -> PhraseMatcher:
    """spaCy's PhraseMatcher on LEMMA, given the same phrases as keys (the former lookup)."""
    matcher = PhraseMatcher(vocab, attr="LEMMA")
    for phrase_id, keys in table_phrases:
        matcher.add(str(phrase_id), [Doc(vocab, words=list(keys), lemmas=list(keys))])
    return matcher


@pytest.mark.parametrize("code", ["en", "es"])
def test_the_table_finds_what_spacys_phrase_matcher_finds(code):
    detector = detector_for(code)
    table = detector.matcher.phrases
    phrases = list(table.items())
    assert len(phrases) > 2000  # every phrase of the vocabulary, not a sample
    vocab = detector.nlp.vocab
    matcher = _phrase_matcher(phrases, vocab)
    texts = _texts(MESSAGES[code])
    assert len(texts) > 300
    found_any = 0
    for text in texts:
        _, tokens = detector._normalise(text)
        keys = [t.key for t in tokens]
        shadow = Doc(vocab, words=[t.lower or "_" for t in tokens],
                     lemmas=[key or "_" for key in keys])
        expected = sorted((int(vocab.strings[m]), s, e) for m, s, e in matcher(shadow))
        assert sorted(table(keys)) == expected, text
        found_any += bool(expected)
    assert found_any > len(texts) // 2


def test_overlapping_and_nested_phrases_are_all_found():
    table = PhraseTable()
    table.add(1, ("chest", "pain"))
    table.add(2, ("pain",))
    table.add(3, ("chest", "pain", "bad"))
    table.add(4, ("pain",))
    assert sorted(table(["my", "chest", "pain", "bad", "pain"])) == [
        (1, 1, 3), (2, 2, 3), (2, 4, 5), (3, 1, 4), (4, 2, 3), (4, 4, 5)]
    assert table([]) == []
    assert sorted(table.items()) == [(1, ("chest", "pain")), (2, ("pain",)),
                                     (3, ("chest", "pain", "bad")), (4, ("pain",))]
    assert table(["chest"]) == []
