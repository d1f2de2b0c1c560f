"""YAML read with PyYAML's C loader (libyaml, in PyYAML's wheels): the same safe subset as
`yaml.safe_load`, about ten times faster on the project's large files (the safety corpora, the
development and frozen case sets, the NLU data), which the evaluation, the training of the
judges and the tests read many times."""

from __future__ import annotations

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(stream):
    """`yaml.safe_load`, faster."""
    return yaml.load(stream, Loader=Loader)
