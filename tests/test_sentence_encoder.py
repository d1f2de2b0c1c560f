"""The sentence encoder (nlp/sentence_encoder.py) and its Rasa featurizer.

- The weights are refused unless their sha256 is the pinned one (a copy with one byte flipped).
- The embeddings are right: the values published for this model, a plain numpy forward pass of
  the same checkpoint, unit length, independent of batching; similar sentences are near.
- The featurizer adds a dense sentence feature that Rasa's classifiers read, and keeps the vector
  on the message for later components.
"""

from __future__ import annotations

import importlib.util
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from safetensors.numpy import load as load_safetensors
from scipy.special import erf

from nlp import encoder_weights, sentence_encoder
from nlp.encoder_weights import EncoderWeightsError
from nlp.sentence_encoder import DIMENSION, SentenceEncoder, shared_encoder
from rasa_components.intent_classifier import LogisticRegressionIntentClassifier, sentence_features
from rasa_components.sentence_encoder import EMBEDDING_KEY, SentenceEncoderFeaturizer

PINNED = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return shared_encoder()


@pytest.fixture(scope="module")
def files() -> encoder_weights.EncoderFiles:
    return encoder_weights.read_verified()


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


# --- the weights' hash ---------------------------------------------------------------------------

def test_the_pinned_hash_is_the_weights_hash(files):
    assert encoder_weights.WEIGHTS_SHA256 == PINNED
    assert encoder_weights.sha256_bytes(files.weights) == PINNED
    assert files.source == encoder_weights.model_zip_path()
    assert encoder_weights.installed_version() == encoder_weights.DISTRIBUTION_VERSION


def test_a_copy_with_one_byte_flipped_is_refused(files, tmp_path):
    copy = tmp_path / "model.safetensors"
    copy.write_bytes(files.weights)
    encoder_weights.verify_file(copy)  # the intact copy passes
    with open(copy, "r+b") as handle:
        handle.seek(len(files.weights) // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0x01]))
    with pytest.raises(EncoderWeightsError, match="does not match the pinned"):
        encoder_weights.verify_file(copy)


def _write_zip(path: Path, files: encoder_weights.EncoderFiles, weights: bytes | None = None,
               tokenizer: bytes | None = None) -> None:
    """A model.zip like the package's (members stored, not compressed: quick to write)."""
    with zipfile.ZipFile(files.source) as original:
        config = original.read(encoder_weights.CONFIG)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(encoder_weights.CONFIG, config)
        archive.writestr(encoder_weights.TOKENIZER, tokenizer or files.tokenizer_json.encode())
        archive.writestr(encoder_weights.WEIGHTS, weights or files.weights)


def _flipped(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x80
    return bytes(changed)


@pytest.fixture(scope="module")
def tampered_zip(files, tmp_path_factory) -> Path:
    """The package's model.zip with one byte of the weights flipped (a valid zip otherwise, so
    only the sha256 check can catch it)."""
    path = tmp_path_factory.mktemp("tampered") / "model.zip"
    _write_zip(path, files, weights=_flipped(files.weights, len(files.weights) // 3))
    return path


def test_tampered_weights_are_refused_by_the_loader_and_the_encoder(tampered_zip):
    with pytest.raises(EncoderWeightsError, match="model.safetensors: sha256"):
        encoder_weights.read_verified(tampered_zip)
    with pytest.raises(EncoderWeightsError):
        SentenceEncoder(zip_path=tampered_zip)
    with pytest.raises(EncoderWeightsError):
        shared_encoder(zip_path=tampered_zip)


def test_an_archive_without_the_files_is_refused(files, tmp_path):
    path = tmp_path / "model.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(encoder_weights.CONFIG, b"{}")
    with pytest.raises(EncoderWeightsError):
        encoder_weights.read_verified(path)
    # An edited tokenizer is refused as well as edited weights.
    _write_zip(path, files, tokenizer=files.tokenizer_json.encode() + b" ")
    with pytest.raises(EncoderWeightsError, match="tokenizer.json"):
        encoder_weights.read_verified(path)


def test_a_missing_package_is_reported(monkeypatch):
    monkeypatch.setattr(encoder_weights, "PACKAGE", "no_such_package_here")
    with pytest.raises(EncoderWeightsError, match="requirements-encoder.txt"):
        encoder_weights.model_zip_path()


def test_offline_and_without_torch(encoder):
    # Nothing is fetched at run time, and the weights package came without its dependencies
    # (sentence-transformers would have brought torch).
    import transformers.utils.hub  # imported by the encoder, after it set the variables

    assert os.environ["HF_HUB_OFFLINE"] == os.environ["TRANSFORMERS_OFFLINE"] == "1"
    assert transformers.utils.hub._is_offline_mode
    assert importlib.util.find_spec("torch") is None
    assert importlib.util.find_spec("sentence_transformers") is None


# --- the embeddings ------------------------------------------------------------------------------

def test_shape_type_and_unit_length(encoder):
    texts = ["hello", "Is it normal to feel dizzy after the injection?", "ok", "🙂"]
    vectors = encoder.encode(texts)
    assert vectors.shape == (4, DIMENSION) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.all(np.isfinite(vectors))
    assert len({v.tobytes() for v in vectors}) == 4
    assert encoder.encode([]).shape == (0, DIMENSION)
    assert encoder.encode_one("hello").shape == (DIMENSION,)
    with pytest.raises(TypeError):
        encoder.encode("a single string is not a list of texts")


def test_the_published_values_for_this_model(encoder):
    # qdrant/fastembed, tests/test_text_onnx_embeddings.py: the first five dimensions of
    # all-MiniLM-L6-v2's normalised mean-pooled embedding of "hello world".
    published = np.array([-0.034478, 0.03102, 0.00673, 0.02611, -0.039362])
    np.testing.assert_allclose(encoder.encode(["hello world"])[0, :5], published, atol=1e-5)


def test_batching_and_order_do_not_change_the_result(encoder):
    texts = ["my arm is numb", "can I drive home after the appointment or should someone come",
             "fever", "what should I wear"]
    together = encoder.encode(texts)
    alone = np.stack([encoder.encode([text])[0] for text in texts])
    reverse = encoder.encode(texts[::-1])[::-1]
    np.testing.assert_allclose(together, alone, atol=1e-5)
    np.testing.assert_allclose(together, reverse, atol=1e-5)
    np.testing.assert_allclose(encoder.encode(texts, batch_size=3), together, atol=1e-5)


def test_similar_sentences_are_near_and_unrelated_ones_far(encoder):
    breathe, short, parking, chest, pain = encoder.encode([
        "I can't breathe", "short of breath", "how much does parking cost",
        "my chest hurts", "chest pain"])
    assert _cosine(breathe, short) > 0.5
    assert _cosine(breathe, parking) < 0.2
    assert _cosine(chest, pain) > 0.6
    assert _cosine(chest, pain) > _cosine(chest, parking) + 0.4


def test_texts_are_cut_at_max_tokens(encoder):
    long_text = "the injection site is sore " * 60
    ids = encoder.token_ids([long_text])[0]
    assert len(ids) == encoder.max_tokens == 128
    assert ids[0] == 101 and ids[-1] == 102  # [CLS] ... [SEP]
    a, b = encoder.encode([long_text, long_text + " and also something else entirely"])
    np.testing.assert_allclose(a, b, atol=1e-6)  # words past the cut are not seen


def _numpy_bert_embeddings(state: dict[str, np.ndarray], ids: list[list[int]]) -> np.ndarray:
    """The forward pass of the checkpoint written out in numpy (float64), mean-pooled and
    normalised: an independent check of transformers' TF model and the loading of the weights."""
    heads, eps = 12, 1e-12
    width = max(len(row) for row in ids)
    tokens = np.array([row + [0] * (width - len(row)) for row in ids])
    mask = np.array([[1] * len(row) + [0] * (width - len(row)) for row in ids], dtype=np.float64)
    w = {name: value.astype(np.float64) for name, value in state.items()
         if value.dtype == np.float32}

    def norm(x, prefix):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + eps) * w[prefix + ".weight"] + w[prefix + ".bias"]

    def dense(x, prefix):
        return x @ w[prefix + ".weight"].T + w[prefix + ".bias"]

    x = (w["embeddings.word_embeddings.weight"][tokens]
         + w["embeddings.position_embeddings.weight"][:width]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = norm(x, "embeddings.LayerNorm")
    batch, size = x.shape[0], x.shape[-1]
    step = size // heads
    blocked = (1.0 - mask)[:, None, None, :] * -1e9
    for layer in range(6):
        p = f"encoder.layer.{layer}."

        def split(t):
            return t.reshape(batch, width, heads, step).transpose(0, 2, 1, 3)

        q, k, v = (split(dense(x, p + f"attention.self.{n}")) for n in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(step) + blocked
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        context = (scores / scores.sum(-1, keepdims=True)) @ v
        context = context.transpose(0, 2, 1, 3).reshape(batch, width, size)
        x = norm(dense(context, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
        hidden = dense(x, p + "intermediate.dense")
        hidden = 0.5 * hidden * (1.0 + erf(hidden / np.sqrt(2.0)))  # exact GELU
        x = norm(dense(hidden, p + "output.dense") + x, p + "output.LayerNorm")
    pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def test_same_as_a_plain_numpy_forward_pass(encoder, files):
    texts = ["hello world", "I've had a headache since the injection yesterday, is that normal?",
             "Swelling!!", "can't sleep", "the spot where the needle went in is red and warm"]
    reference = _numpy_bert_embeddings(load_safetensors(files.weights), encoder.token_ids(texts))
    difference = np.abs(encoder.encode(texts) - reference).max()
    assert difference < 1e-4, difference


# --- the Rasa featurizer -------------------------------------------------------------------------

@pytest.fixture()
def rasa_context(tmp_path):
    storage = LocalModelStorage(tmp_path)
    return storage, ExecutionContext(GraphSchema({}), "test"), tmp_path


def _featurizer(rasa_context) -> SentenceEncoderFeaturizer:
    storage, context, _ = rasa_context
    return SentenceEncoderFeaturizer.create(
        SentenceEncoderFeaturizer.get_default_config(), storage, Resource("encoder"), context)


def test_the_featurizer_adds_a_dense_sentence_feature_and_keeps_the_vector(rasa_context, encoder):
    featurizer = _featurizer(rasa_context)
    message, blank = Message(data={TEXT: "my face feels numb"}), Message(data={TEXT: "  "})
    featurizer.process([message, blank])

    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence is None
    assert sentence.features.shape == (1, DIMENSION) and sentence.is_dense()
    vector = message.get(EMBEDDING_KEY)
    np.testing.assert_array_equal(sentence.features[0], vector)
    np.testing.assert_allclose(vector, encoder.encode(["my face feels numb"])[0], atol=1e-5)
    # What the project's intent classifier reads: the same vector.
    np.testing.assert_array_equal(sentence_features(message).toarray()[0], vector)
    # Kept for later components, not part of the parse result.
    assert EMBEDDING_KEY not in message.as_dict(only_output_properties=True)
    # A blank text stays featureless (the fallback answers it, as before).
    assert blank.get(EMBEDDING_KEY) is None and not blank.features


def test_scale_multiplies_the_feature_but_not_the_kept_vector(rasa_context):
    storage, context, _ = rasa_context
    config = {**SentenceEncoderFeaturizer.get_default_config(), "scale": 3.0}
    featurizer = SentenceEncoderFeaturizer.create(config, storage, Resource("scaled"), context)
    message = featurizer.process([Message(data={TEXT: "my face feels numb"})])[0]
    vector = message.get(EMBEDDING_KEY)
    assert abs(np.linalg.norm(vector) - 1.0) < 1e-5
    np.testing.assert_allclose(message.get_dense_features(TEXT)[1].features[0], 3.0 * vector,
                               rtol=1e-6)
    for bad in ({"scale": 0}, {"scale": "3"}, {"max_tokens": 1000}):
        with pytest.raises(InvalidConfigException):
            SentenceEncoderFeaturizer.create({**config, **bad}, storage, Resource("x"), context)


def test_training_data_is_featurized_in_batches_like_single_messages(rasa_context):
    featurizer = _featurizer(rasa_context)
    texts = ["is bruising normal", "when can I shower", "I feel faint", "how long does it last"]
    data = TrainingData([Message(data={TEXT: t, INTENT: "x"}) for t in texts])
    featurizer.process_training_data(data)
    for text, message in zip(texts, data.training_examples, strict=True):
        single = featurizer.process([Message(data={TEXT: text})])[0]
        np.testing.assert_allclose(message.get_dense_features(TEXT)[1].features,
                                   single.get_dense_features(TEXT)[1].features, atol=1e-5)
    assert data.fingerprint()  # Rasa can still fingerprint the featurized data (training cache)


@pytest.mark.slow  # training, and TensorFlow traces the encoder for new batch sizes (~6 s)
def test_a_classifier_trained_on_the_feature_alone_understands_paraphrases(rasa_context):
    storage, context, _ = rasa_context
    featurizer = _featurizer(rasa_context)
    train = {
        "breathing": ["I can't breathe", "I'm struggling to breathe", "my breathing is hard"],
        "parking": ["where do I park", "is there a car park", "how much is parking"],
        "pain": ["it hurts a lot", "the pain is bad", "it is really painful"],
    }
    data = TrainingData([Message(data={TEXT: t, INTENT: intent})
                         for intent, texts in train.items() for t in texts])
    featurizer.process_training_data(data)
    classifier = LogisticRegressionIntentClassifier.create(
        LogisticRegressionIntentClassifier.get_default_config(), storage, Resource("clf"), context)
    classifier.train(data)
    assert classifier.clf.coef_.shape[1] == DIMENSION  # it learnt from the dense feature only
    unseen = {"short of breath": "breathing", "parking fees": "parking",
              "it aches terribly": "pain"}
    messages = featurizer.process([Message(data={TEXT: t}) for t in unseen])
    classifier.process(messages)
    assert [m.get(INTENT)["name"] for m in messages] == list(unseen.values())


def test_the_featurizer_refuses_tampered_weights(rasa_context, tampered_zip, monkeypatch):
    monkeypatch.setattr(encoder_weights, "model_zip_path", lambda: tampered_zip)
    with pytest.raises(EncoderWeightsError):
        _featurizer(rasa_context)


def test_the_featurizer_rereads_a_changed_package(rasa_context, files, tmp_path, monkeypatch):
    # The encoder is loaded once per process and file, and reused only while the file is
    # unchanged: weights swapped for tampered ones after a first load are still refused.
    # (The stand-in encoder only reads and checks the files, which is the part under test.)
    class CheckingOnly:
        def __init__(self, max_tokens: int, zip_path: Path) -> None:
            encoder_weights.read_verified(zip_path)
            self.source = zip_path

    copy = tmp_path / "model.zip"
    _write_zip(copy, files)
    monkeypatch.setattr(encoder_weights, "model_zip_path", lambda: copy)
    monkeypatch.setattr(sentence_encoder, "SentenceEncoder", CheckingOnly)
    monkeypatch.setattr(sentence_encoder, "_shared", {})
    first = _featurizer(rasa_context)._encoder
    assert isinstance(first, CheckingOnly) and first.source == copy
    assert _featurizer(rasa_context)._encoder is first  # same file: loaded once
    _write_zip(copy, files, weights=_flipped(files.weights, 1000))
    with pytest.raises(EncoderWeightsError):
        _featurizer(rasa_context)


def test_the_weights_are_part_of_the_training_fingerprint():
    addon = SentenceEncoderFeaturizer.fingerprint_addon({})
    assert PINNED in addon and encoder_weights.DISTRIBUTION_VERSION in addon
