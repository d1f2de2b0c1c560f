"""What the assistant says is plain, sourced and complete (issue 16; content/README.md)."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest

import yaml_io
from content.model import SOURCE_FILES, Message, Statement, all_messages, load_topics
from content.readability import grade, words
from content.render_domain import TARGET, render
from content.sources import problems
from devtools.servers import ROOT

MAX_GRADE = 8.0
MEDIAN_GRADE = 6.5  # the target (MedlinePlus asks for grade 6 to 7)
MAX_WORDS = 60  # one idea per message, one phone screen (the browser test measures the screen)
MESSAGES = all_messages()
DOMAIN = ROOT / "domain"


def _ids(messages: list[Message]) -> list[str]:
    return [m.response for m in messages]


def test_every_topic_intent_has_its_answer():
    faq = yaml_io.load((DOMAIN / "faq.yml").read_text())
    answered = {t.intent for t in load_topics() if t.intent}
    assert set(faq["intents"]) <= answered, set(faq["intents"]) - answered


def test_no_response_is_written_by_hand_in_the_domain():
    """content/ is the only source of what the assistant says."""
    for path in DOMAIN.glob("*.yml"):
        if path.name in {"responses.yml", "clinic_profile.yml"}:
            continue
        assert "responses" not in (yaml_io.load(path.read_text()) or {}), path.name


def test_every_response_the_dialogue_uses_exists():
    defined = set(_ids(MESSAGES))
    used = set()
    for path in [*(ROOT / "data").rglob("*.yml"), *(ROOT / "tests").glob("stories/*.yml")]:
        used |= set(re.findall(r"\b(utter_\w+)", path.read_text()))
    for folder in ("actions", "rasa_components", "serving"):
        for path in (ROOT / folder).glob("*.py"):
            used |= set(re.findall(r"\"(utter_\w+)\"", path.read_text()))
    assert used - {"utter_"} <= defined, sorted(used - defined)


def test_buttons_name_known_intents():
    intents = set()
    for path in DOMAIN.glob("*.yml"):
        intents |= set((yaml_io.load(path.read_text()) or {}).get("intents") or [])
    for message in MESSAGES:
        for button in message.buttons:
            assert button["title"].strip()
            assert button["payload"].lstrip("/") in intents, (message.response, button)


@pytest.mark.parametrize("message", MESSAGES, ids=_ids(MESSAGES))
def test_each_message_reads_at_grade_8_or_below(message):
    assert grade(message.text) <= MAX_GRADE, message.text
    assert words(message.text) <= MAX_WORDS, message.text


def test_the_median_message_reads_at_grade_6_5_or_below():
    assert statistics.median(grade(m.text) for m in MESSAGES) <= MEDIAN_GRADE


@pytest.mark.parametrize("message", MESSAGES, ids=_ids(MESSAGES))
def test_every_statement_has_a_source_that_says_it(message):
    bad = {s.say: problems(s) for s in message.statements if problems(s)}
    assert not bad, bad


def test_the_source_check_catches_a_made_up_quote():
    assert problems(Statement("Numbness lasts a few hours.", "reference", ("lasts a few hours",)))
    assert problems(Statement("Bruising is common.", "westcare", ()))
    assert problems(Statement("Call us.", "clinic-profile", ()))
    assert problems(Statement("x", "wikipedia", ()))
    sore = "Patients may feel sore in the injection site for a few days."
    assert not problems(Statement("Sore for a few days.", "westcare", (sore,)))
    assert set(SOURCE_FILES) >= {"westcare", "alimran", "reference"}


@pytest.mark.parametrize("message", MESSAGES, ids=_ids(MESSAGES))
def test_no_page_wording_and_bullets_are_sentences(message):
    assert not re.search(r"\bpages?\b", message.text, re.I), message.text
    for line in message.text.splitlines():
        if line.startswith("- "):
            assert line.rstrip()[-1] in ".!?", line


def test_bullets_are_lines_of_their_own():
    says = ("You need to:", "- Rest.", "- Drink.", "Call us.")
    message = Message("utter_x", tuple(Statement(say, "assistant") for say in says))
    assert message.text == "You need to:\n- Rest.\n- Drink.\n\nCall us."


def test_the_generated_responses_match_the_content(tmp_path: Path):
    fresh = render(tmp_path / "responses.yml")
    assert fresh.read_text() == TARGET.read_text(), "run `make domain`"
    responses = yaml_io.load(fresh.read_text())["responses"]
    assert set(responses) == set(_ids(MESSAGES))


def test_no_page_wording_in_the_safety_replies_or_reassurance():
    from content.model import load_safety
    from safety.vocabulary import default_vocabulary

    texts = [m.text for m in load_safety().messages]
    texts += [s.reassurance for s in default_vocabulary().signs if s.reassurance]
    assert len(texts) > 10
    assert not [t for t in texts if re.search(r"\bpages?\b", t, re.I)]
