"""vocabulary_es.yml is keyed by the sign ids of vocabulary.yml, the one source of the signs."""

from pathlib import Path

import pytest
import yaml

import yaml_io
from safety.levels import ESCALATING, EXPECTED
from safety.vocabulary import VOCABULARY_FILE, VocabularyError, default_vocabulary
from safety.vocabulary_es import VOCABULARY_ES_FILE, load_vocabulary_es

ENGLISH = yaml_io.load(VOCABULARY_FILE.read_text(encoding="utf-8"))
SPANISH = yaml_io.load(VOCABULARY_ES_FILE.read_text(encoding="utf-8"))
IDS = {raw["id"]: raw for raw in ENGLISH["signs"]}


def test_no_sign_exists_only_in_spanish():
    assert set(SPANISH["signs"]) <= set(IDS)


ESCALATING_IDS = sorted(i for i, raw in IDS.items() if raw["level"] in ESCALATING)


@pytest.mark.parametrize("sign_id", ESCALATING_IDS)
def test_every_escalating_sign_has_spanish_patterns_and_label(sign_id):
    entry = SPANISH["signs"].get(sign_id) or {}
    assert entry.get("patterns"), f"{sign_id}: no Spanish patterns"
    assert entry.get("label") and entry["label"] != IDS[sign_id]["label"], f"{sign_id}: no label"


def test_levels_and_meaning_come_from_the_english_file():
    spanish, english = load_vocabulary_es(), default_vocabulary()
    assert [s.id for s in spanish.signs] == [s.id for s in english.signs]
    for es_sign, en_sign in zip(spanish.signs, english.signs, strict=True):
        assert (es_sign.level, es_sign.why, es_sign.window_hours, es_sign.mild_form,
                es_sign.still_escalates) == (en_sign.level, en_sign.why, en_sign.window_hours,
                                             en_sign.mild_form, en_sign.still_escalates)
    assert spanish.combinations == english.combinations


def test_spanish_reassurances_exist_where_english_has_one_and_await_review():
    for sign_id, raw in IDS.items():
        entry = SPANISH["signs"].get(sign_id) or {}
        if raw.get("reassurance"):
            assert entry.get("reassurance"), sign_id
            assert entry.get("reassurance_review") == "pending", sign_id
        else:
            assert not entry.get("reassurance"), f"{sign_id}: English has no reassurance"
    for sign in load_vocabulary_es().signs:
        if sign.level == EXPECTED:
            assert sign.label and sign.escalated_label or sign.id == "twitch_during_injection"


def test_an_id_only_in_spanish_is_refused(tmp_path: Path):
    broken = dict(SPANISH)
    broken["signs"] = {**SPANISH["signs"], "made_up_sign": {"label": "x", "patterns": ["x"]}}
    path = tmp_path / "vocabulary_es.yml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(VocabularyError, match="made_up_sign"):
        load_vocabulary_es(spanish_file=path)


def test_no_development_message_was_copied_into_the_spanish_files():
    """Tuned by kind on tests/dev_es_round1/safety.yml: none of its messages (six words or
    more) is in the Spanish vocabulary, the cues or these tests' own cases."""
    from rapidfuzz import fuzz, process

    from safety.vocabulary_es import CONTEXT_CUES_ES_FILE, fold

    root = Path(__file__).resolve().parents[3]
    dev = yaml_io.load((root / "tests/dev_es_round1/safety.yml").read_text(encoding="utf-8"))
    messages = [fold(c["text"]) for c in dev["cases"] if len(c["text"].split()) >= 6]
    ours = []
    for path in (VOCABULARY_ES_FILE, CONTEXT_CUES_ES_FILE, *Path(__file__).parent.glob("*.py")):
        ours += [fold(line.strip(" -\"'")) for line in path.read_text(encoding="utf-8").splitlines()
                 if len(line.split()) >= 6]
    close = [m for m in messages
             for _, score, _ in [process.extractOne(m, ours, scorer=fuzz.ratio)] if score >= 85]
    assert not close, close[:3]
