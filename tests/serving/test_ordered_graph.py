"""The ordered graph runner (serving/rasa_patches.py, `_run_graphs_in_order`) gives exactly what
Rasa's dask runner gives, on every user message of the test stories (whole conversations, so the
follow-up resolver sees its context) and on every held-out question.

The trained model is loaded in-process and the messages go through Rasa's own message processor
(`Agent.handle_message`: NLU, the policy's prediction loop, the custom action on a loopback action
server running actions/). Every time the processor runs the model's graph, the graph is run by
both runners on the same loaded nodes and inputs: the NLU output (intent, entities, ranking and
every other output property) and every policy prediction (probabilities, so the predicted action,
policy, events) must be equal."""

from __future__ import annotations

import asyncio
import copy
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import yaml_io
from devtools.nlu_data import HELDOUT_FILE, examples
from devtools.servers import ROOT
from serving import rasa_patches
from tests.serving.loopback import project_action_server

STORY_FILES = sorted(Path(ROOT, "tests", "stories").glob("*.yml"))
ANNOTATION = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")


def story_conversations() -> list[tuple[str, list[str]]]:
    """(story name, its user messages in order), entity annotations reduced to their text."""
    conversations = []
    for path in STORY_FILES:
        for story in yaml_io.load(path.read_text(encoding="utf-8"))["stories"]:
            texts = [ANNOTATION.sub(r"\1", step["user"].strip())
                     for step in story["steps"] if "user" in step]
            conversations.append((f"{path.name}: {story['story']}", texts))
    return conversations


def comparable(value: Any) -> Any:
    """A graph target's output in a form `==` compares fully: NLU messages as the processor reads
    them (`as_dict(only_output_properties=True)`), policy predictions as they are."""
    if isinstance(value, list):
        return [m.as_dict(only_output_properties=True) for m in value]
    assert isinstance(value, PolicyPrediction), type(value)
    return value


class ComparingRunner:
    """Runs every graph call with the ordered runner and with Rasa's dask runner (the same
    instantiated nodes), records any difference, and hands the ordered runner's result on."""

    def __init__(self, ordered: Any) -> None:
        self.ordered = ordered
        self.where = ""
        self.runs: Counter = Counter()
        self.differences: list[tuple[str, Any, Any]] = []

    def run(self, inputs: dict | None = None, targets: list | None = None) -> dict:
        ours = self.ordered.run(inputs=inputs, targets=targets)
        theirs = DaskGraphRunner.run(self.ordered, inputs=inputs, targets=targets)
        kind = "nlu" if "__message__" in (inputs or {}) else "policy"
        self.runs[kind] += 1
        if ours.keys() != theirs.keys() or any(
                comparable(ours[t]) != comparable(theirs[t]) for t in ours):
            self.differences.append((f"{self.where} ({kind})", ours, theirs))
        return ours


@pytest.fixture
def comparing(agent):
    processor = agent.processor
    if not rasa_patches.ordered_graph():
        pytest.skip("RASA_ORDERED_GRAPH=0: Rasa's dask runner is in use")
    assert type(processor.graph_runner).__name__ == "OrderedGraphRunner"
    runner = ComparingRunner(processor.graph_runner)
    saved = processor.graph_runner, processor.action_endpoint
    with project_action_server() as actions:
        processor.graph_runner = runner
        processor.action_endpoint = EndpointConfig(actions.url)
        try:
            yield runner
        finally:
            processor.graph_runner, processor.action_endpoint = saved
        assert actions.requests, "no message needed the custom action: the test lost its reach"


def converse(agent, runner: ComparingRunner, conversations: list[tuple[str, list[str]]]) -> int:
    async def run() -> int:
        sent = 0
        for number, (name, texts) in enumerate(conversations):
            sender = f"graph-{number}"
            for text in texts:
                runner.where = f"{name}: {text!r}"
                await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender))
                sent += 1
        return sent

    return asyncio.run(run())


def assert_same(runner: ComparingRunner, sent: int) -> None:
    assert not runner.differences, "\n".join(
        f"{where}:\n  ordered {ours}\n  dask    {theirs}"
        for where, ours, theirs in runner.differences[:5])
    assert runner.runs["nlu"] == sent, runner.runs
    assert runner.runs["policy"] > 2 * sent, runner.runs  # several predictions per message


def test_every_test_story_message(agent, comparing):
    conversations = story_conversations()
    sent = converse(agent, comparing, conversations)
    assert sent == sum(len(texts) for _, texts in conversations) >= 100
    assert_same(comparing, sent)


def test_every_heldout_question(agent, comparing):
    questions = [(f"heldout {intent}", [text]) for intent, text in examples(HELDOUT_FILE)]
    sent = converse(agent, comparing, questions)
    assert sent == len(questions) >= 200
    assert_same(comparing, sent)


def test_the_comparison_sees_a_difference(agent):
    """The check is not blind: a runner whose NLU output differs in one field is caught."""
    if not rasa_patches.ordered_graph():
        pytest.skip("RASA_ORDERED_GRAPH=0: Rasa's dask runner is in use")
    ordered = agent.processor.graph_runner

    class Skewed(type(ordered)):
        def run(self, inputs=None, targets=None):
            results = super().run(inputs=inputs, targets=targets)
            for message in results[nlu]:
                message.data["intent"] = {**message.data["intent"], "confidence": 0.5}
            return results

    skewed = copy.copy(ordered)
    skewed.__class__ = Skewed
    runner = ComparingRunner(skewed)
    nlu = agent.processor.model_metadata.nlu_target
    tracker = DialogueStateTracker.from_events("skewed", [], agent.domain.slots)
    runner.run(inputs={"__message__": [UserMessage("what is a trigger point")],
                       "__tracker__": tracker}, targets=[nlu])
    assert len(runner.differences) == 1
