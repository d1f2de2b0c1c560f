"""Regression over the Spanish development set (tests/dev_es_round1/safety.yml): the figures the
detector reached when it was built on this set by kind (`python -m safety.es_eval --misses`).
A development set measures nothing honest (it was tuned on); the frozen sets do that."""

from safety.es_eval import figures, run


def test_the_spanish_detector_keeps_its_development_figures(es):
    got = figures(run(detector=es))
    assert got["emergency_recall"] == 1.0, got
    assert got["doctor_recall"] == 1.0, got
    assert got["false_escalations"] <= 0.01, got  # 1 of 120 (of 116 since session 19)
    # one miss: 39 of 40, and 36 of 37 since three what-ifs written alike in an evaluation set
    # were taken out (devtools/decontaminate_rounds.py)
    assert got["what_ifs_as_questions"] >= 36 / 37, got
    assert got["what_ifs_escalated"] == 0.0, got
