"""The error tree and the exit codes, as documented, are the classes themselves."""

from __future__ import annotations

import importlib
import pkgutil
import re

import episodekit
from episodekit import errors
from episodekit.errors import EpisodekitError, ExitCode

TREE_LINE = re.compile(r"^(?P<branch>[│├└─ ]*)(?P<name>[A-Za-z]+)\s+exit (?P<code>\d+)\s+\S")


def _documented(text: str) -> list[tuple[int, str, int]]:
    """(depth, class name, exit code) of each line of a drawn tree."""
    rows = []
    for line in text.splitlines():
        match = TREE_LINE.match(line)
        if match:
            rows.append((len(match["branch"]) // 4, match["name"], int(match["code"])))
    return rows


def _walked() -> list[tuple[int, str, int]]:
    """The hierarchy under EpisodekitError, walked through ``__subclasses__`` in definition order."""
    rows: list[tuple[int, str, int]] = []

    def walk(cls: type, depth: int) -> None:
        rows.append((depth, cls.__name__, int(cls.exit_code)))
        for sub in cls.__subclasses__():
            walk(sub, depth + 1)

    walk(EpisodekitError, 0)
    return rows


def _import_every_module() -> None:
    for module in pkgutil.walk_packages(episodekit.__path__, "episodekit."):
        if module.name != "episodekit.__main__":  # it runs the CLI
            importlib.import_module(module.name)


def test_the_tree_in_the_module_docstring_is_the_class_hierarchy_with_its_exit_codes():
    _import_every_module()  # a subclass defined anywhere in the library must be in the documented tree
    block = [line[4:] for line in errors.__doc__.splitlines() if line.startswith("    ")]  # the indented tree
    assert _documented("\n".join(block)) == _walked()


def test_every_error_class_lives_in_the_errors_module():
    _import_every_module()
    stack, outside = [EpisodekitError], []
    while stack:
        cls = stack.pop()
        if cls.__module__ != "episodekit.errors":
            outside.append(f"{cls.__module__}.{cls.__qualname__}")
        stack.extend(cls.__subclasses__())
    assert outside == []


def test_the_rendered_tree_draws_the_same_hierarchy_and_ends_with_the_interrupt():
    tree = errors.error_tree()
    assert _documented(tree) == _walked()
    last = tree.splitlines()[-1]
    assert last.startswith("Interrupted") and "exit 130" in last
    assert "├── RefusedError" in tree and "│   └── NoRecordError" in tree  # NoRecordError is a RefusedError


def test_no_two_exit_codes_share_a_value():
    values = [member.value for member in ExitCode.__members__.values()]  # aliases are listed here, not in iteration
    assert len(values) == len(set(values)), ExitCode.__members__
    assert ExitCode(3).name == "SERVICE" and not hasattr(ExitCode, "YOUTUBE")


def test_youtube_and_the_bibliographic_services_exit_with_the_same_code():
    assert errors.YouTubeError.exit_code is ExitCode.SERVICE is errors.ServiceError.exit_code


def test_the_exit_code_table_has_one_row_per_code_naming_its_classes():
    rows = errors.exit_code_table().splitlines()[2:]
    assert [row.split(" | ")[0].strip("| ") for row in rows] == [str(int(code)) for code in ExitCode]
    service = next(row for row in rows if row.startswith("| 3 |"))
    assert "`YouTubeError`" in service and "`ServiceUnreachable`" in service and "YouTube" in service
    invalid = next(row for row in rows if row.startswith("| 1 |"))
    assert "`NoRecordError`" in invalid and "`UsageError`" not in invalid
    assert all(code.meaning for code in ExitCode)


def test_the_exit_codes_page_is_drawn_from_the_classes_and_a_stale_one_is_caught(tmp_path):
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    page = (repo / "docs" / "exit-codes.md").read_text(encoding="utf-8")
    assert errors.exit_code_table() in page and errors.error_tree() in page
    docs = tmp_path / "docs"
    shutil.copytree(repo / "docs", docs)
    stale = docs / "exit-codes.md"
    stale.write_text(page.replace("│   └── NoRecordError", "│   └── NoRecord", 1), encoding="utf-8")
    checked = subprocess.run([sys.executable, str(repo / "scripts" / "docs.py"), "--check", "--docs", str(docs)],
                             cwd=repo, capture_output=True, text=True, timeout=120, check=False)
    assert checked.returncode == 1 and "exit-codes.md: out of date" in checked.stderr
