"""Large tables derived from pinned package data, kept on disk between starts.

The Spanish detector folds spaCy's Spanish lemma table and word frequencies (spacy-lookups-data,
about 1.5 million entries) at every start: 2.5-3 s of the 20 s a Rasa server takes to start, which
is how long a replica restarted after a crash keeps the other one carrying all the traffic. Read
back from a file, the same tables take about 0.3 s.

A table is stored under a name and the sha256 of everything it is computed from: the package's
data file, the source files of the code that computes it, and the Python version (marshal's format
is Python's own). Any change to one of them gives another file name, so a stale table is never
read; a file that cannot be read is computed again. The directory is `models/cache/` (ignored by
git, like the trained model), or TABLE_CACHE_DIR. When it cannot be written (a read-only image),
the table is computed at every start, as before: slower, never wrong.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

logger = logging.getLogger(__name__)

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "models" / "cache"


def cache_dir() -> Path:
    return Path(os.environ.get("TABLE_CACHE_DIR") or DEFAULT_DIR)


def _digest(inputs: Iterable[Path]) -> str:
    digest = hashlib.sha256(f"{sys.version_info[:2]} {marshal.version}".encode())
    for path in inputs:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def cached_table(name: str, inputs: Iterable[Path], compute: Callable[[], dict]) -> dict:
    """`compute()`, or the table it gave before from the same inputs."""
    directory = cache_dir()
    path = directory / f"{name}-{_digest(inputs)}.marshal"
    try:
        table = marshal.loads(path.read_bytes())
        if isinstance(table, dict):
            return table
    except (OSError, EOFError, ValueError, TypeError):
        pass
    table = compute()
    temporary = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        # written whole, then renamed: a server starting meanwhile reads the old file or none
        with tempfile.NamedTemporaryFile(dir=directory, prefix=f".{name}-", delete=False) as out:
            temporary = Path(out.name)
            out.write(marshal.dumps(table))
        os.replace(temporary, path)
        for older in directory.glob(f"{name}-*.marshal"):
            if older != path:
                older.unlink(missing_ok=True)
    except OSError as error:
        logger.info("table %s not kept on disk (%s): computed at every start", name, error)
        if temporary is not None:
            temporary.unlink(missing_ok=True)
    return table
