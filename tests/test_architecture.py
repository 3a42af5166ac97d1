"""The house rules, read from the source (ast, nothing is imported or run).

Floors, from the bottom: the shared modules (errors, atomic, paths, retrying) → models → files (the reading
floor: every file of a channel is read and parsed there) → ledger (the ledger on disk, and its lock)
→ workspace (the channel folder, read once) → pipeline (references/, adopt/ and views/ beside it;
only cli/ imports views/) → publish → youtube → cli. An import may point down or sideways, never up,
with no exception; publish/ plans, and never imports what writes (the ledger's store, atomic writes).
Only youtube/ imports the Google client, only cli/ imports typer or rich, and nothing imports cli/
but cli/ itself and ``__main__``; within cli/, the command modules never import each other
(``cli/__init__.py`` puts them together). There is no import cycle, counting the imports
made inside functions too, and no import the rules cannot see (``importlib.import_module``,
``__import__``) but the lazy API of ``episodekit/__init__.py``. Library modules (all but cli/ and
``__main__``) never talk to the terminal: no ``print``, ``input``, ``sys.exit``, ``sys.argv`` or
standard streams; the CLI does that.

Tests follow the floors: tests/ has a folder for each folder of the package (models, files,
pipeline, publish, youtube, cli), holding the tests of its modules, and a test there imports
nothing from a floor above it (a test of ``new`` that looked at the calendar would belong in
tests/publish). The top-level shared modules (errors, ledger, workspace) are tested in the lowest
folder whose behaviour shows them; tests/cli holds the tests that run the command line as a user
does, in-process or as real processes, and tests/reliability the faults, kills and hostile input
run through the whole program the same way. ``fake_youtube/`` is the fake API server, not tests.
"""

from __future__ import annotations

import ast
import functools
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "episodekit"

# floor of each top-level name in episodekit/, lowest first: a module imports from its own floor or lower
LAYERS = {
    "errors": 0, "atomic": 0, "paths": 0, "retrying": 0,  # shared by every floor, and importing nothing above them
    "models": 1,  # the data of the channel's files
    "files": 2,  # the reading floor: every file is read and parsed here
    "ledger": 3,  # the ledger on disk: read, written atomically, locked, changed by one writer at a time
    "workspace": 4,  # the channel folder, read once
    "pipeline": 5, "adopt": 5, "references": 5,
    "views": 5,  # beside pipeline: a post or a calendar made from its build
    "publish": 6, "youtube": 7, "cli": 8, "__main__": 8, "__init__": 8,
}
SHOWN_ONLY_BY_CLI = {"views"}  # beside the pipeline (they read it), and only the CLI imports them
# the plans are pure: they take the read-only Workspace and read the ledger's data (models.ledger), never
# the module that writes the ledger or a file
NEVER_WRITE = {"publish": {"episodekit.ledger", "episodekit.atomic"}}
# cli/ modules that are not commands: the app and the output helpers, which commands import
CLI_HELPERS = {"episodekit.cli", "episodekit.cli._app", "episodekit.cli.console"}
LAZY_API = "episodekit"  # episodekit/__init__.py imports its API on first use, with importlib
DYNAMIC_IMPORTS = {"import_module": "importlib.import_module", "__import__": "__import__"}
# what only the CLI may do: talk to the terminal and end the process
TERMINAL_CALLS = {"print", "input", "exit", "quit", "breakpoint"}
TERMINAL_SYS = {"argv", "exit", "stdin", "stdout", "stderr"}
# breaches known today, each with the reason it is still there; remove an entry once it is fixed
LIBRARY_TERMINAL_EXCEPTIONS = {
    # the lock holder's command line (and the program's name when no CLI set one): the CLI could hand it over
    # as it hands over the program name (errors.set_program_name); then this entry goes
    ("episodekit.ledger", "sys.argv"),
}
ONLY_IN = {  # third-party top-level module -> the only layer that may import it
    "googleapiclient": "youtube", "google": "youtube", "google_auth_httplib2": "youtube",
    "google_auth_oauthlib": "youtube", "httplib2": "youtube", "oauthlib": "youtube",
    "requests": "youtube", "typer": "cli", "rich": "cli", "click": "cli",
}
ALSO_IN = {"requests": {"references"}}  # the lookups of references/ (doi.org, NCBI) speak HTTP too
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


def nodes_of(path: Path) -> tuple[ast.AST, ...]:
    """Every node of the file's syntax tree."""
    return _nodes(path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def _nodes(text: str) -> tuple[ast.AST, ...]:
    """Parsed once per text: the copies of the package in the tests below share all files but one."""
    return tuple(ast.walk(ast.parse(text)))


def imports_of(path: Path, root: Path, modules: set[str]) -> list[Import]:
    """Every import in ``path``, at any depth, as edges to modules of ``modules`` or third-party names."""
    module = module_name(path, root)
    is_package = path.name == "__init__.py"
    found = []
    for level, name, names, line in _import_statements(path.read_text(encoding="utf-8")):
        if level is None:  # ``import a, b``
            found += [Import(module, alias, line) for alias in names]
        else:
            target = _resolve(module, is_package, level, name) if level else name or ""
            for alias in names:  # ``from pkg import submodule`` imports the submodule
                sub = f"{target}.{alias}"
                found.append(Import(module, sub if sub in modules else target, line))
    return found


@functools.lru_cache(maxsize=None)
def _import_statements(text: str) -> tuple[tuple[int | None, str | None, tuple[str, ...], int], ...]:
    """(level, module, names, line) of each import in ``text`` (level None for ``import a``), found once
    per text: the copies of the package the breach tests check share all files but one."""
    return tuple(
        (None if isinstance(node, ast.Import) else node.level, getattr(node, "module", None),
         tuple(alias.name for alias in node.names), node.lineno)
        for node in _nodes(text) if isinstance(node, ast.Import | ast.ImportFrom))


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
    found += [breach for edge in edges if (breach := _edge_breach(edge, modules, root.name))]
    found += _unseen_imports_and_terminal_use(root)
    return found + [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(modules, edges)]


def _edge_breach(edge: Import, modules: set[str], package: str) -> str | None:
    where = f"{edge.source}:{edge.line}"
    source_layer = layer_of(edge.source)
    if edge.target in modules or edge.target == package:
        target_layer = layer_of(edge.target)
        if target_layer == "cli" and source_layer not in ENTRY_POINTS:
            return f"{where}: imports {edge.target}; only cli/ may import cli/"
        if (target_layer == "cli" and edge.target not in CLI_HELPERS and edge.source != "episodekit.cli"
                and edge.source != edge.target):
            return f"{where}: imports {edge.target}; cli command modules never import each other"
        if target_layer in SHOWN_ONLY_BY_CLI and source_layer not in (target_layer, *ENTRY_POINTS):
            return f"{where}: imports {edge.target}; only cli/ may import {target_layer}/"
        if edge.target in NEVER_WRITE.get(source_layer, ()):
            return f"{where}: imports {edge.target}; {source_layer}/ plans, it never writes"
        if LAYERS.get(target_layer, 0) > LAYERS.get(source_layer, 0):
            return f"{where}: imports {edge.target}, a layer above {source_layer}"
        return None
    top = edge.target.split(".")[0]
    if top in ONLY_IN and source_layer != ONLY_IN[top] and source_layer not in ALSO_IN.get(top, ()):
        return f"{where}: imports {edge.target}; only {ONLY_IN[top]}/ may"
    return None


def _unseen_imports_and_terminal_use(root: Path) -> list[str]:
    """Imports the rules cannot follow, and library modules that talk to the terminal."""
    found = []
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        library = layer_of(module) not in ENTRY_POINTS
        for line, what in _uses_in(path.read_text(encoding="utf-8")):
            if what in DYNAMIC_IMPORTS.values():
                if module != LAZY_API:
                    found.append(f"{module}:{line}: {what} is an import the layer rules cannot see; "
                                 "import the module by name")
            elif library and (module, what) not in LIBRARY_TERMINAL_EXCEPTIONS:
                found.append(f"{module}:{line}: {what} in a library module; only cli/ talks to the terminal")
    return found


@functools.lru_cache(maxsize=None)
def _uses_in(text: str) -> tuple[tuple[int, str], ...]:
    """:func:`_uses_of_interest` of the file ``text``, found once per text (as :func:`_import_statements`)."""
    return tuple(_uses_of_interest(_nodes(text)))


def _uses_of_interest(nodes: tuple[ast.AST, ...]) -> list[tuple[int, str]]:
    """(line, name) of each dynamic import, terminal call and use of ``sys.argv``, ``sys.exit`` or a stream."""
    found = []
    for node in nodes:
        if isinstance(node, ast.Attribute) and node.attr in DYNAMIC_IMPORTS:
            found.append((node.lineno, DYNAMIC_IMPORTS[node.attr]))
        elif isinstance(node, ast.Name) and node.id == "__import__":
            found.append((node.lineno, DYNAMIC_IMPORTS[node.id]))
        elif isinstance(node, ast.ImportFrom) and node.module in ("importlib", "builtins"):
            found += [(node.lineno, DYNAMIC_IMPORTS[a.name]) for a in node.names if a.name in DYNAMIC_IMPORTS]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in TERMINAL_CALLS:
            found.append((node.lineno, f"{node.func.id}()"))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "sys" \
                and node.attr in TERMINAL_SYS:
            found.append((node.lineno, f"sys.{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and node.module == "sys":
            found += [(node.lineno, f"sys.{a.name}") for a in node.names if a.name in TERMINAL_SYS]
    return found


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


TESTS = Path(__file__).resolve().parent
TEST_SUPPORT = {"fake_youtube", "fake_services", "speech"}  # the fake servers, and speech made by espeak-ng: not tests


def misplaced_tests(tests: Path, package: Path = PACKAGE) -> list[str]:
    """Test modules of a layer's folder (tests/pipeline, ...) that import from a layer above it."""
    modules, _ = scan(package)
    found = []
    for folder in sorted(p for p in tests.iterdir() if p.is_dir() and p.name in LAYERS and p.name != "cli"):
        for path in sorted(folder.rglob("*.py")):
            for edge in imports_of(path, tests, modules):
                target = edge.target if edge.target in modules else None
                if target and LAYERS[layer_of(target)] > LAYERS[folder.name]:
                    found.append(f"tests/{folder.name}/{path.name}:{edge.line}: imports {target}, a layer above "
                                 f"{folder.name}; the test belongs in tests/{layer_of(target)}/ (or tests/cli/)")
    return found


ACROSS_LAYERS = {"reliability"}  # faults, kills and hostile input, run through the whole program like tests/cli


def test_tests_follow_the_layers():
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}
    package_folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders - TEST_SUPPORT - ACROSS_LAYERS == package_folders  # a folder of tests for each folder of the package
    assert misplaced_tests(TESTS) == []


def test_a_test_in_the_wrong_layer_is_caught(tmp_path):
    (tmp_path / "pipeline").mkdir()
    text = (TESTS / "pipeline" / "test_load.py").read_text(encoding="utf-8")
    (tmp_path / "pipeline" / "test_load.py").write_text(text + "\nfrom episodekit.publish.agenda import calendar_rows\n")
    (found,) = misplaced_tests(tmp_path)
    assert "imports episodekit.publish.agenda, a layer above pipeline" in found


def test_only_main_py_runs_as_a_script():
    """``python -m episodekit`` runs ``__main__.py``; a ``__name__ == "__main__"`` block elsewhere is dead code."""
    blocks = [str(path.relative_to(PACKAGE)) for path in sorted(PACKAGE.rglob("*.py")) if path.name != "__main__.py"
              and any(isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id == "__name__"
                      for node in nodes_of(path))]
    assert blocks == []


def unused_cli_parameters(root: Path) -> list[str]:
    """Parameters of cli/ functions that their body never reads (an option read by its callback aside):
    a command takes what it uses, not a ``ctx`` only to pass it on."""
    found = []
    for path in sorted((root / "cli").glob("*.py")):
        for fn in nodes_of(path):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            read = {n.id for statement in fn.body for n in ast.walk(statement) if isinstance(n, ast.Name)}
            for arg in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]:
                by_callback = arg.annotation is not None and re.search(r"json_option\(|callback=",
                                                                         ast.unparse(arg.annotation))
                if arg.arg not in read and arg.arg not in ("self", "cls") and not by_callback:
                    found.append(f"cli/{path.name}:{fn.lineno}: {fn.name}() never uses its parameter {arg.arg}")
    return found


def test_cli_functions_use_every_parameter():
    assert unused_cli_parameters(PACKAGE) == []


def test_an_unused_parameter_of_a_command_is_caught(copy_of_package):
    path = copy_of_package / "cli" / "offline.py"
    path.write_text(path.read_text(encoding="utf-8").replace("def check(\n", "def check(\n    ctx: typer.Context,\n", 1))
    (found,) = unused_cli_parameters(copy_of_package)
    assert found.startswith("cli/offline.py:") and found.endswith(": check() never uses its parameter ctx")


WRITTEN_ONCE = {  # a wording -> the one module that may spell it (the others call what it offers)
    "set the thumbnail": "publish/upload.py", "thumbnail set": "publish/upload.py", "to playlist ": "publish/upload.py",
}


def restated_facts(root: Path) -> list[str]:
    """Modules that spell a follow-up step's wording themselves, or build a video's link by hand
    (``f"https://youtu.be/{...}"``) instead of calling ``models.episode.video_url``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        module = str(path.relative_to(root))
        for node in nodes_of(path):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found += [f"{module}:{node.lineno}: spells {text!r}; use what {home} offers"
                          for text, home in WRITTEN_ONCE.items() if text in node.value and module != home]
            elif isinstance(node, ast.JoinedStr) and module != "models/episode.py":
                pieces = list(node.values)
                found += [f"{module}:{node.lineno}: builds a video link by hand; call models.episode.video_url"
                          for piece, after in zip(pieces, pieces[1:]) if isinstance(piece, ast.Constant)
                          and str(piece.value).endswith("youtu.be/") and isinstance(after, ast.FormattedValue)]
    return found


def test_the_video_link_and_the_step_wording_are_written_once():
    assert restated_facts(PACKAGE) == []


@pytest.mark.parametrize("line, expected", [
    ("LINK = f'https://youtu.be/{1}'", "builds a video link by hand"),
    ("DONE = 'thumbnail set'", "spells 'thumbnail set'"),
])
def test_a_restated_fact_is_caught(copy_of_package, line, expected):
    _add_line(copy_of_package / "cli" / "youtube.py", line)
    assert any(expected in v for v in restated_facts(copy_of_package))


def test_every_module_is_under_400_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_the_folders_are_the_layers():
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert folders == ["adopt", "cli", "files", "models", "pipeline", "publish", "references", "templates", "views", "youtube"]
    for folder in folders:
        if folder != "templates":
            assert (PACKAGE / folder / "__init__.py").is_file(), f"{folder}/ needs an __init__.py"


@pytest.fixture
def copy_of_package(tmp_path: Path) -> Path:
    target = tmp_path / "episodekit"
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture(scope="module")
def breaches_of_a_copy(tmp_path_factory) -> list[str]:
    """What the checker reports on an unchanged copy of the package (nothing), found once for the tests
    below: each copy they change starts as this one."""
    target = tmp_path_factory.mktemp("pristine") / "episodekit"
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return violations(target)


def _add_line(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("from __future__ import annotations\n")
    path.write_text(f"{head}from __future__ import annotations\n{line}\n{rest}", encoding="utf-8")


@pytest.mark.parametrize("module, line, expected", [
    ("pipeline/render.py", "import typer", "only cli/ may"),
    ("publish/sync.py", "from googleapiclient.errors import HttpError", "only youtube/ may"),
    ("pipeline/cite.py", "import requests", "only youtube/ may"),
    ("references/wire.py", "from ..cli import main", "only cli/ may import cli/"),
    ("references/lookup.py", "from ..publish import status", "a layer above references"),
    ("pipeline/build.py", "from ..publish import status", "a layer above pipeline"),
    ("youtube/client.py", "from ..cli import main", "only cli/ may import cli/"),
    ("pipeline/schedule.py", "from .build import EpisodeBuild", "import cycle"),
    ("files/load.py", "from ..pipeline.build import EpisodeBuild", "a layer above files"),
    ("files/yamlsource.py", "from ..workspace import Workspace", "a layer above files"),
    ("models/slug.py", "from ..files.yamlsource import read_text", "a layer above models"),
    ("paths.py", "from .models.channel import Channel", "a layer above paths"),
    ("ledger.py", "from .workspace import Workspace", "a layer above ledger"),
    ("publish/status.py", "from ..ledger import LedgerStore", "publish/ plans, it never writes"),
    ("publish/upload.py", "from ..atomic import write_text_atomic", "publish/ plans, it never writes"),
    ("cli/_app.py", "from . import offline", "import cycle"),
    ("cli/youtube.py", "from . import offline", "cli command modules never import each other"),
    ("cli/console.py", "from .ledger import register", "cli command modules never import each other"),
    ("ledger.py", "from .pipeline import limits", "a layer above ledger"),
    ("workspace.py", "from .pipeline.limits import TITLE_MAX_CHARS", "a layer above workspace"),
    ("models/episode.py", "from ..files.load import shown_path", "a layer above models"),
    ("publish/status.py", "from ..views import watchpage", "only cli/ may import views/"),
    ("pipeline/output.py", "from ..views.watchtext import fold_at", "only cli/ may import views/"),
    ("views/watchpage.py", "from ..publish import status", "a layer above views"),
    ("pipeline/build.py", "from importlib import import_module", "importlib.import_module is an import"),
    ("publish/sync.py", "import importlib\nSTATUS = importlib.import_module('episodekit.publish.status')",
     "importlib.import_module is an import"),
    ("youtube/client.py", "CLI = __import__('episodekit.cli')", "__import__ is an import"),
    ("cli/offline.py", "import importlib\nLATER = importlib.import_module", "importlib.import_module is an import"),
    ("pipeline/render.py", "print('rendering')", "print() in a library module"),
    ("publish/status.py", "ANSWER = input('go on? ')", "input() in a library module"),
    ("youtube/retry.py", "import sys\nARGS = sys.argv[1:]", "sys.argv in a library module"),
    ("workspace.py", "from sys import exit", "sys.exit in a library module"),
    ("models/text.py", "import sys\nOUT = sys.stdout", "sys.stdout in a library module"),
    ("errors.py", "def stop():\n    exit(1)", "exit() in a library module"),
])
def test_a_breach_is_caught(copy_of_package, breaches_of_a_copy, module, line, expected):
    """The checker is not vacuous: one added import in a copy of the package is reported."""
    assert breaches_of_a_copy == []
    _add_line(copy_of_package / module, line)
    found = violations(copy_of_package)
    assert any(expected in v for v in found), found


@pytest.mark.parametrize("module, line", [
    ("cli/offline.py", "import sys\nARGS = sys.argv"),
    ("cli/youtube.py", "from . import console"),
    ("__main__.py", "print('starting')"),
    ("publish/status.py", "from ..paths import shown_path"),
    ("workspace.py", "from .files.load import load_episode"),
])
def test_what_the_rules_allow_is_not_reported(copy_of_package, module, line):
    _add_line(copy_of_package / module, line)
    assert violations(copy_of_package) == []


def test_a_cycle_through_a_lazy_import_is_caught(copy_of_package):
    path = copy_of_package / "pipeline" / "limits.py"
    path.write_text(path.read_text(encoding="utf-8") + "\n\ndef _late():\n    from .output import render_to\n")
    assert any("import cycle" in v and "episodekit.pipeline.limits" in v for v in violations(copy_of_package))
