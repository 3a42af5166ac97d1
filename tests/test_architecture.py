"""The house rules, read from the source (ast, nothing is imported or run).

Layers, from the bottom: the shared modules (errors, atomic, models, ledger,
workspace) → pipeline → publish → youtube → cli. An import may point down or
sideways, never up; only youtube/ imports the Google client, only cli/ imports
typer or rich, and nothing imports cli/ but cli/ itself and ``__main__``. There is no import
cycle, counting the imports made inside functions too.
"""

from __future__ import annotations

import ast
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "episodekit"

# layer of each top-level name in episodekit/, lowest first
LAYERS = {
    "errors": 0, "atomic": 0, "models": 0,
    "pipeline": 1, "ledger": 1, "workspace": 1,
    "publish": 2,
    "youtube": 3,
    "cli": 4, "__main__": 4, "__init__": 4,
}
# the shared ledger and workspace read files through the pipeline's first two stages
READING_STAGE = {"episodekit.pipeline.yamlsource", "episodekit.pipeline.load"}
ONLY_IN = {  # third-party top-level module -> the only layer that may import it
    "googleapiclient": "youtube", "google": "youtube", "google_auth_httplib2": "youtube",
    "google_auth_oauthlib": "youtube", "httplib2": "youtube", "oauthlib": "youtube",
    "requests": "youtube", "typer": "cli", "rich": "cli", "click": "cli",
}
ENTRY_POINTS = {"cli", "__main__"}  # python -m episodekit runs the CLI
MAX_MODULE_LINES = 400


@dataclass(frozen=True)
class Import:
    source: str  # dotted module that imports
    target: str  # dotted module imported (an episodekit module, or a third-party top-level name)
    line: int


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def imports_of(path: Path, root: Path, modules: set[str]) -> list[Import]:
    """Every import in ``path``, at any depth, as edges to modules of ``modules`` or third-party names."""
    module = module_name(path, root)
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [Import(module, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, is_package, node.level, node.module) if node.level else node.module or ""
            for alias in node.names:  # ``from pkg import submodule`` imports the submodule
                sub = f"{target}.{alias.name}"
                found.append(Import(module, sub if sub in modules else target, node.lineno))
    return found


def scan(root: Path) -> tuple[set[str], list[Import]]:
    files = sorted(root.rglob("*.py"))
    modules = {module_name(f, root) for f in files}
    edges = [edge for f in files for edge in imports_of(f, root, modules)]
    return modules, edges


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def violations(root: Path) -> list[str]:
    """Every breach of the layer rules in the package at ``root``, as readable lines."""
    modules, edges = scan(root)
    found = [f"{m}: not placed in a layer (add it to LAYERS)" for m in sorted(modules) if layer_of(m) not in LAYERS]
    for edge in edges:
        where = f"{edge.source}:{edge.line}"
        source_layer = layer_of(edge.source)
        if edge.target in modules or edge.target == root.name:
            target_layer = layer_of(edge.target)
            if target_layer == "cli" and source_layer not in ENTRY_POINTS:
                found.append(f"{where}: imports {edge.target}; only cli/ may import cli/")
            elif LAYERS.get(target_layer, 0) > LAYERS.get(source_layer, 0) and edge.target not in READING_STAGE:
                found.append(f"{where}: imports {edge.target}, a layer above {source_layer}")
            continue
        top = edge.target.split(".")[0]
        if top in ONLY_IN and source_layer != ONLY_IN[top]:
            found.append(f"{where}: imports {edge.target}; only {ONLY_IN[top]}/ may")
    return found + [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(modules, edges)]


def cycles(modules: set[str], edges: list[Import]) -> list[list[str]]:
    """The import cycles among ``modules`` (one per strongly connected group), found by depth-first search."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for edge in edges:
        if edge.target in modules and edge.target != edge.source:
            graph[edge.source].add(edge.target)
    found, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = "done"

    for module in sorted(modules):
        if module not in state:
            visit(module, [module])
    return found


def test_the_package_keeps_the_layer_rules():
    assert violations(PACKAGE) == []


def test_every_module_is_under_400_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_the_folders_are_the_layers():
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert folders == ["cli", "models", "pipeline", "publish", "templates", "youtube"]
    for folder in folders:
        if folder != "templates":
            assert (PACKAGE / folder / "__init__.py").is_file(), f"{folder}/ needs an __init__.py"


@pytest.fixture
def copy_of_package(tmp_path: Path) -> Path:
    target = tmp_path / "episodekit"
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def _add_line(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("from __future__ import annotations\n")
    path.write_text(f"{head}from __future__ import annotations\n{line}\n{rest}", encoding="utf-8")


@pytest.mark.parametrize("module, line, expected", [
    ("pipeline/render.py", "import typer", "only cli/ may"),
    ("publish/sync.py", "from googleapiclient.errors import HttpError", "only youtube/ may"),
    ("pipeline/build.py", "from ..publish import status", "a layer above pipeline"),
    ("youtube/client.py", "from ..cli import main", "only cli/ may import cli/"),
    ("pipeline/load.py", "from .build import EpisodeBuild", "import cycle"),
    ("cli/_app.py", "from . import offline", "import cycle"),
])
def test_a_breach_is_caught(copy_of_package, module, line, expected):
    """The checker is not vacuous: one added import in a copy of the package is reported."""
    assert violations(copy_of_package) == []
    _add_line(copy_of_package / module, line)
    found = violations(copy_of_package)
    assert any(expected in v for v in found), found


def test_a_cycle_through_a_lazy_import_is_caught(copy_of_package):
    path = copy_of_package / "pipeline" / "limits.py"
    path.write_text(path.read_text(encoding="utf-8") + "\n\ndef _late():\n    from .output import render_to\n")
    assert any("import cycle" in v and "episodekit.pipeline.limits" in v for v in violations(copy_of_package))
