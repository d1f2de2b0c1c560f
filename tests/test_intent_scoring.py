"""The intent classifier's faster scoring gives exactly the stock classifier's probabilities,
and its stored form (arrays, not skops) loads back the same classifier."""

from __future__ import annotations

import copy
import tarfile
from pathlib import Path

import numpy as np
import pytest
from rasa.core.channels.channel import UserMessage
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix
from scipy.sparse import random as sparse_random

from devtools.nlu_data import ROOT, examples
from devtools.servers import MODEL
from rasa_components.intent_classifier import (
    ARRAYS,
    SETTINGS,
    DamagedModel,
    LogisticRegressionIntentClassifier,
)


def test_same_intents_and_probabilities_as_the_stock_classifier(agent):
    runner = agent.processor.graph_runner
    name = next(n for n in runner._instantiated_nodes if "IntentClassifier" in n)
    ours = runner._instantiated_nodes[name]._component
    assert ours.clf.coef_.flags["F_CONTIGUOUS"], "the weights are stored column-major"
    stock = LogisticRegressionClassifier(ours.config, "stock", None, None)
    stock.clf = copy.deepcopy(ours.clf)
    stock.clf.coef_ = np.ascontiguousarray(stock.clf.coef_)  # as sklearn stores them

    featurizer = runner._graph_schema.nodes[name].needs["messages"]
    # examples() yields (intent, text) pairs: score the questions, not the intent names.
    texts = [text for _, text in examples(ROOT / "tests" / "nlu" / "heldout.yml")] + ["", "🙂"]
    assert len(texts) > 100 and "ask_trigger_points" not in texts
    tracker = DialogueStateTracker.from_events("scoring", [], agent.domain.slots)
    for text in texts:
        featurized = runner.run(inputs={"__message__": [UserMessage(text)],
                                        "__tracker__": tracker}, targets=[featurizer])
        messages = featurized[featurizer]
        mine = ours.process(_fresh(messages))[0]
        if mine.get("intent")["name"] is None:
            assert not text.strip() or text == "🙂", text  # no features: no intent, no error
            continue
        theirs = stock.process(_fresh(messages))[0]
        assert mine.get("intent") == theirs.get("intent"), text
        assert mine.get("intent_ranking") == theirs.get("intent_ranking"), text


def _fresh(messages: list[Message]) -> list[Message]:
    """Each classifier its own messages to write its intent into: the same features, a copy of
    the data (a deep copy would also copy the spaCy vocabulary each message's doc holds, most of
    this test's time)."""
    return [Message(data=dict(m.data), output_properties=set(m.output_properties),
                    features=list(m.features)) for m in messages]


def _ours(agent):
    runner = agent.processor.graph_runner
    name = next(n for n in runner._instantiated_nodes if "IntentClassifier" in n)
    return runner._instantiated_nodes[name]._component


def _features(clf, rows: int = 50) -> csr_matrix:
    generator = np.random.default_rng(7)
    return sparse_random(rows, clf.coef_.shape[1], density=0.05, format="csr",
                         random_state=generator, dtype=np.float64)


def _load(storage, resource, config):
    return LogisticRegressionIntentClassifier.load(
        config, storage, resource, ExecutionContext(GraphSchema({}), node_name="intent"))


def test_the_trained_model_is_stored_as_arrays_and_loads_back_the_same(agent, tmp_path):
    """The model the servers load holds the classifier as arrays (no skops file), and what is
    stored and loaded back scores exactly as the classifier that was stored."""
    ours = _ours(agent)
    with tarfile.open(MODEL) as archive:
        stored = [Path(member.name) for member in archive.getmembers()
                  if "IntentClassifier" in member.name and member.isfile()]
    assert sorted(path.name for path in stored) == [SETTINGS, ARRAYS]
    storage, resource = LocalModelStorage(tmp_path), Resource("intent")
    again = LogisticRegressionIntentClassifier(ours.config, "intent", storage, resource)
    again.clf = copy.deepcopy(ours.clf)
    again.persist()
    loaded = _load(storage, resource, ours.config)
    X = _features(ours.clf)
    assert np.array_equal(loaded.clf.predict_proba(X), ours.clf.predict_proba(X))
    assert list(loaded.clf.classes_) == list(ours.clf.classes_)
    assert loaded.clf.get_params() == ours.clf.get_params()


def test_a_model_stored_by_skops_before_still_loads(agent, tmp_path):
    import skops.io

    ours = _ours(agent)
    storage, resource = LocalModelStorage(tmp_path), Resource("intent")
    with storage.write_to(resource) as directory:
        skops.io.dump(ours.clf, directory / "intent.skops")
    loaded = _load(storage, resource, ours.config)
    X = _features(ours.clf)
    assert np.array_equal(loaded.clf.predict_proba(X), ours.clf.predict_proba(X))


def test_a_damaged_stored_model_stops_the_load(agent, tmp_path):
    """Never a blank classifier in its place (the stock loader returns an untrained one when
    it finds nothing)."""
    ours = _ours(agent)
    storage, resource = LocalModelStorage(tmp_path), Resource("intent")
    again = LogisticRegressionIntentClassifier(ours.config, "intent", storage, resource)
    again.clf = ours.clf
    again.persist()
    with storage.write_to(resource) as directory:
        stored = directory / ARRAYS
        stored.write_bytes(stored.read_bytes()[:1000])
    with pytest.raises(DamagedModel):
        _load(storage, resource, ours.config)
