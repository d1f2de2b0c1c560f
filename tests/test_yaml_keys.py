"""No YAML file of the project repeats a key in one mapping.

PyYAML (and so Rasa) keeps the last of two equal keys without a word: a second `say_es:` in an
answer, or a second `utter_...:` in the domain, would silently replace the first. Every tracked
YAML file is read with a loader that refuses a repeated key.
"""

from __future__ import annotations

import subprocess

import pytest
import yaml

import yaml_io
from devtools.servers import ROOT


class UniqueKeyLoader(yaml_io.Loader):  # the C parser: these are the project's largest files
    pass


MERGE = "tag:yaml.org,2002:merge"


def _mapping(loader: UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set = set()
    for key_node, _ in node.value:
        if key_node.tag == MERGE:  # "<<: *defaults": merged keys may be overridden on purpose
            continue
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "in a mapping", node.start_mark, f"the key {key!r} is repeated",
                key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)

FILES = sorted(
    path for path in subprocess.run(
        ["git", "ls-files", "*.yml", "*.yaml"], cwd=ROOT, capture_output=True, text=True,
        check=True).stdout.split()
)


def test_the_project_has_yaml_files():
    assert len(FILES) > 100
    assert "domain/responses.yml" in FILES or any(f.startswith("domain/") for f in FILES)


@pytest.mark.parametrize("name", FILES)
def test_no_key_is_repeated(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    for _ in yaml.load_all(text, Loader=UniqueKeyLoader):
        pass


def test_a_repeated_key_is_refused_and_a_merge_is_not():
    with pytest.raises(yaml.constructor.ConstructorError, match="repeated"):
        yaml.load("say: one\nsay: two\n", Loader=UniqueKeyLoader)
    merged = yaml.load("a: &d {x: 1, y: 2}\nb: {<<: *d, y: 3}\n", Loader=UniqueKeyLoader)
    assert merged["b"] == {"x": 1, "y": 3}
