"""The intent classifier's faster scoring gives exactly the stock classifier's probabilities."""

from __future__ import annotations

import copy

import numpy as np
from rasa.core.channels.channel import UserMessage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.core.trackers import DialogueStateTracker

from devtools.nlu_data import ROOT, examples


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
        mine = ours.process(copy.deepcopy(messages))[0]
        if mine.get("intent")["name"] is None:
            assert not text.strip() or text == "🙂", text  # no features: no intent, no error
            continue
        theirs = stock.process(copy.deepcopy(messages))[0]
        assert mine.get("intent") == theirs.get("intent"), text
        assert mine.get("intent_ranking") == theirs.get("intent_ranking"), text
