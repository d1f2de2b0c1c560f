"""One home per idea: tests and scripts share code only through devtools/.

A test never imports a script and a script never imports a test; what both need (starting the
servers, a throwaway PostgreSQL, NLU data, seeded conversations, the safety sets' figures) lives in
devtools/, which, like evaluation/, imports neither. Every file is parsed, not imported, so an
import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each folder, and the top-level packages its files must never import.
FORBIDDEN = {
    "tests": {"scripts"},
    "scripts": {"tests"},
    "devtools": {"tests", "scripts"},
    "evaluation": {"tests", "scripts"},
}
# The frozen evaluation sets are data, read only by evaluation/ (never by the test suite).
SKIPPED = {ROOT / "tests" / "frozen"}


def python_files(folder: str) -> list[Path]:
    return sorted(path for path in (ROOT / folder).rglob("*.py")
                  if not any(skipped in path.parents for skipped in SKIPPED))


def imported_packages(path: Path) -> set[str]:
    """The top-level package of every absolute import in the file, and of every
    importlib.import_module / __import__ call with a literal name."""
    packages = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            packages |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            packages.add(node.module.split(".")[0])
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                   or (isinstance(node.func, ast.Name)
                       and node.func.id in ("__import__", "import_module")))):
            packages.add(node.args[0].value.split(".")[0])
    return packages


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_no_import_across_tests_and_scripts(folder):
    files = python_files(folder)
    assert files, f"no Python files under {folder}/"
    offenders = [
        f"{path.relative_to(ROOT)} imports {package}"
        for path in files
        for package in sorted(imported_packages(path) & FORBIDDEN[folder])
    ]
    assert not offenders, offenders


def test_the_check_sees_every_kind_of_import(tmp_path):
    source = tmp_path / "example.py"
    source.write_text(
        "import scripts.bench\n"
        "from tests import servers\n"
        "def later():\n"
        "    from scripts.eval_safety import report\n"
        "    import importlib\n"
        "    importlib.import_module('tests.pg')\n"
        "from . import sibling\n",
        encoding="utf-8",
    )
    assert imported_packages(source) == {"scripts", "tests", "importlib"}
