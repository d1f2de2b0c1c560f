"""NLU quality on held-out patient questions that are not in the training data."""

from collections import Counter, defaultdict

from rapidfuzz import fuzz, process

import yaml_io
from devtools.nlu_data import HELDOUT_FILE, examples, normalised, training_examples
from devtools.servers import ROOT

# Set from measurement (README, "NLU quality"): the current model scores above this on the set.
MIN_HELDOUT_ACCURACY = 0.95
MIN_TRAINING_EXAMPLES = 20


def test_every_intent_has_enough_varied_training_examples():
    counts = Counter(intent for intent, _ in training_examples())
    domain_intents = {
        intent
        for path in (ROOT / "domain").glob("*.yml")
        for intent in (yaml_io.load(path.read_text()).get("intents") or [])
    }
    assert domain_intents <= set(counts), domain_intents - set(counts)
    assert min(counts[i] for i in domain_intents) >= MIN_TRAINING_EXAMPLES, counts
    texts = [normalised(t) for _, t in training_examples()]
    assert len(texts) == len(set(texts)), "duplicate training examples"


def test_heldout_set_is_separate_from_training_data():
    training = [normalised(t) for _, t in training_examples()]
    heldout = examples(HELDOUT_FILE)
    assert len(heldout) >= 150
    too_close = [
        (text, match)
        for _, text in heldout
        for match, score, _ in [process.extractOne(normalised(text), training, scorer=fuzz.ratio)]
        if score >= 90
    ]
    assert not too_close, too_close[:10]


def test_heldout_accuracy(parse):
    heldout = examples(HELDOUT_FILE)
    errors = defaultdict(list)
    for intent, text in heldout:
        predicted = parse(text)["intent"]["name"]
        if predicted != intent:
            errors[intent].append((text, predicted))
    wrong = sum(len(v) for v in errors.values())
    accuracy = 1 - wrong / len(heldout)
    print(f"held-out accuracy {accuracy:.3f} ({len(heldout) - wrong}/{len(heldout)})")
    for intent, misses in sorted(errors.items()):
        for text, predicted in misses:
            print(f"  {intent:24} -> {predicted:24} {text}")
    assert accuracy >= MIN_HELDOUT_ACCURACY
