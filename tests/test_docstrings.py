"""Every public function and method of the library says what it does in a docstring."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "episodekit"


def missing_docstrings(root: Path) -> list[str]:
    """``path:line: name`` of each public function, and public method of a public class, without a docstring
    (public: its name, and its class's, do not start with ``_``; functions inside functions are not counted)."""
    found = []

    def visit(path: Path, body: list[ast.stmt], owner: str) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
                if ast.get_docstring(node) is None:
                    found.append(f"{path.relative_to(root)}:{node.lineno}: {owner}{node.name}")
            elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                visit(path, node.body, f"{owner}{node.name}.")

    for path in sorted(root.rglob("*.py")):
        visit(path, ast.parse(path.read_text(encoding="utf-8")).body, "")
    return found


def test_every_public_function_and_method_has_a_docstring():
    assert missing_docstrings(PACKAGE) == []


def test_a_public_function_or_method_without_one_is_found(tmp_path):
    (tmp_path / "mod.py").write_text(
        'def shown():\n    """Said."""\n\n\ndef bare():\n    pass\n\n\ndef _private():\n    pass\n\n\n'
        "class Plan:\n    def units(self):\n        return 1\n\n    def _helper(self):\n        pass\n\n\n"
        "class _Hidden:\n    def method(self):\n        pass\n", encoding="utf-8")
    assert missing_docstrings(tmp_path) == ["mod.py:5: bare", "mod.py:14: Plan.units"]
