"""The answers hold the facts patients ask about (devtools/answer_coverage.py): a content edit
that drops a fact a development question asks for fails here, before the end-to-end figures
drop."""

from __future__ import annotations

import pytest

from devtools.answer_coverage import main, uncovered
from devtools.servers import ROOT


def test_every_round_12_question_finds_its_words_in_its_topics_answer():
    checked, missing = uncovered(ROOT / "tests" / "dev_round12" / "questions.yml")
    assert checked >= 300
    assert not missing, missing


def test_the_spanish_answers_hold_the_words_of_the_first_spanish_round():
    checked, missing = uncovered(ROOT / "tests" / "dev_es_round1" / "questions.yml")
    assert checked >= 200
    # the two left: what the bandage is for (the procedure's answer says it) and when to worry
    # about pain, answered as "duele más" where the writer asked for "empeora"
    assert len(missing) <= 2, missing


def test_it_refuses_the_frozen_sets(capsys):
    with pytest.raises(SystemExit, match="frozen"):
        main([str(ROOT / "tests" / "frozen" / "questions_a_set.yml")])
    assert "?" not in capsys.readouterr().out  # no question of the set was printed
