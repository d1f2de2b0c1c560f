"""Write domain/clinic_profile.yml: the clinic profile as Rasa slots with initial values.

The Rasa server renders responses itself (also when the action server is down), so the values
must be in the trained model. This file is generated, never edited: clinic/profile.yml stays the
only source.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from clinic.profile import load_profile

TARGET = Path(__file__).resolve().parent.parent / "domain" / "clinic_profile.yml"
HEADER = "# GENERATED from clinic/profile.yml by `make domain`: do not edit.\n"


def render(target: Path = TARGET) -> Path:
    slots = {
        name: {
            "type": "text",
            "initial_value": value,
            "influence_conversation": False,
            "mappings": [{"type": "custom"}],
        }
        for name, value in load_profile().as_domain_slots().items()
    }
    text = HEADER + yaml.safe_dump({"version": "3.1", "slots": slots}, sort_keys=False)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")  # unchanged content keeps its mtime for make
    return target


if __name__ == "__main__":
    print(f"wrote {render(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET)}")
