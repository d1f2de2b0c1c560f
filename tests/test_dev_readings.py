"""devtools/dev_readings.py: which messages it reads, and which way it counts a change."""

from __future__ import annotations

import json

import pytest

from devtools import dev_readings
from devtools.dev_readings import compare, messages


@pytest.mark.slow  # reads every YAML file of the development sets and the NLU data (10 s)
def test_it_reads_every_kind_of_development_message_and_never_the_frozen_sets():
    found = messages()
    files = {key.split("|")[0] for key, *_ in found}
    assert any(f.startswith("tests/dev_round") for f in files)
    assert any(f.startswith("tests/dev_es_round") for f in files)
    assert any(f.startswith("safety/corpus/") for f in files)
    assert any(f.startswith("data/nlu/") for f in files)
    assert not any("frozen" in f for f in files)
    labels = {label for *_, label in found}
    assert {"emergency", "doctor", "none", None} <= labels
    languages = {language for _, language, _, label in found if label is not None}
    assert languages == {"en", "es"}
    # a follow-up conversation gives every turn; a Spanish round is read as Spanish
    assert any(key[-2:] == "|1" for key, *_ in found if "followups" in key)
    assert all(language == "es" for key, language, *_ in found if "dev_es_round" in key)


def test_a_change_counts_as_good_only_when_it_moves_towards_the_label(capsys):
    def reading(label, level):
        return {"lang": "en", "text": "t", "label": label, "level": level}

    old = {"a": reading("none", "doctor"), "b": reading("emergency", "emergency"),
           "c": reading(None, None), "d": reading("doctor", "info")}
    new = {"a": reading("none", "info"), "b": reading("emergency", "doctor"),
           "c": reading(None, "doctor"), "d": reading("doctor", "doctor")}
    compare(old, new, show=True)
    out = capsys.readouterr().out
    assert "en: 4 of 4 changed escalation (GOOD 2, BAD 1, unlabelled 1)" in out
    assert "BAD        b  emergency: emergency -> doctor" in out


def test_save_and_compare_through_the_command(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(dev_readings, "readings", lambda: {
        "x": {"lang": "es", "text": "t", "label": "none", "level": "doctor"}})
    monkeypatch.setattr("sys.argv", ["dev_readings", "save", str(tmp_path / "a.json")])
    dev_readings.main()
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert data["x"]["level"] == "doctor"
    monkeypatch.setattr("sys.argv", ["dev_readings", "wrong", str(tmp_path / "a.json")])
    dev_readings.main()
    assert "false alarm x  none -> doctor" in capsys.readouterr().out


def _checkout_reading_all_as(root, level: str):
    """A checkout whose rules read every message at one level: its own `trace` prints so."""
    (root / "devtools").mkdir(parents=True)
    (root / "devtools" / "__init__.py").write_text("", encoding="utf-8")
    (root / "devtools" / "dev_readings.py").write_text(
        "import sys\n"
        "for text in [a for a in sys.argv[2:] if not a.startswith('--')]:\n"
        f"    print({level!r} + '  ' + repr(text))\n"
        "    print('    finding lines are indented')\n", encoding="utf-8")
    return root


@pytest.mark.slow  # loads this checkout's detector (10 s)
def test_versus_prints_what_this_checkout_reads_lower_or_higher(tmp_path, capsys):
    messages_file = tmp_path / "review.txt"
    messages_file.write_text("# a reviewer's file\n"
                             "my throat is closing up and I cannot breathe\n\n"
                             "how long does the soreness last after the injection?\n",
                             encoding="utf-8")
    doctor_everywhere = _checkout_reading_all_as(tmp_path / "old", "doctor")
    moved = dev_readings.versus(doctor_everywhere, messages_file, "en")
    out = capsys.readouterr().out
    assert moved == {"HIGHER": 1, "LOWER": 1}
    assert "HIGHER             doctor -> emergency 'my throat is closing" in out
    assert "LOWER              doctor -> " in out and "'how long does the soreness" in out
    assert "2 messages: LOWER 1, HIGHER 1, same escalation 0, unchanged 0" in out
