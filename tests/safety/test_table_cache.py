"""The Spanish detector's lexicon tables are kept on disk between starts (safety/table_cache.py):
read back they are the tables computed from the package data; a changed input, a damaged file or
a directory that cannot be written never gives a wrong table."""

from __future__ import annotations

from pathlib import Path

import pytest

from safety import spanish
from safety.table_cache import cached_table


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TABLE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_spanish_tables_read_back_are_the_computed_ones(cache):
    for load, compute, name in (
        (spanish.load_lemma_lookup_es, spanish._fold_lemma_lookup, "es_lemma_lookup.json.gz"),
        (spanish.load_word_frequencies_es, spanish._fold_word_frequencies,
         "es_lexeme_prob.json.gz"),
    ):
        first = load.__wrapped__()  # computed and written (lru_cache bypassed)
        files = list(cache.glob("*.marshal"))
        second = load.__wrapped__()  # read back
        assert list(cache.glob("*.marshal")) == files
        assert second == first == compute(spanish._lookups_data(name))
        assert len(second) > 400_000
    assert len(list(cache.glob("*.marshal"))) == 2


def test_the_tables_key_covers_every_file_of_the_code_that_folds_them():
    """A change to the folding code gives new tables: every file it lives in is in the key."""
    folding = (spanish._fold_lemma_lookup, spanish._fold_word_frequencies, spanish.fold)
    assert {Path(f.__code__.co_filename) for f in folding} <= set(spanish.TABLE_CODE)


def test_computed_once_then_read_and_again_when_an_input_changes(cache, tmp_path):
    source = tmp_path / "source.txt"
    source.write_text("a b c")
    calls = []

    def compute():
        calls.append(1)
        return {word: len(calls) for word in source.read_text().split()}

    assert cached_table("words", [source], compute) == {"a": 1, "b": 1, "c": 1}
    assert cached_table("words", [source], compute) == {"a": 1, "b": 1, "c": 1}
    assert len(calls) == 1
    source.write_text("a b c d")
    assert cached_table("words", [source], compute) == {"a": 2, "b": 2, "c": 2, "d": 2}
    assert len(calls) == 2
    assert len(list(cache.glob("words-*.marshal"))) == 1  # the stale file is gone


def test_a_damaged_file_is_computed_again(cache, tmp_path):
    source = tmp_path / "source.txt"
    source.write_text("x")
    cached_table("t", [source], lambda: {"x": 1})
    (stored,) = cache.glob("t-*.marshal")
    stored.write_bytes(stored.read_bytes()[:3])
    assert cached_table("t", [source], lambda: {"x": 2}) == {"x": 2}
    stored.write_bytes(b"\x00garbage")
    assert cached_table("t", [source], lambda: {"x": 3}) == {"x": 3}


def test_a_cache_that_cannot_be_written_still_gives_the_table(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("TABLE_CACHE_DIR", str(blocker / "cache"))
    source = tmp_path / "source.txt"
    source.write_text("x")
    assert cached_table("t", [source], lambda: {"x": 1}) == {"x": 1}
    assert cached_table("t", [source], lambda: {"x": 2}) == {"x": 2}
