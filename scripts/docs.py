#!/usr/bin/env python3
"""Keep the pages true to the program: each command's help block is what ``--help`` prints, and the exit codes
and the error tree are what ``episodekit.errors`` defines.

A page marks the block with two comments, ``<!-- help: NAME -->`` and ``<!-- end help -->``. Between them
this script writes ``$ episodekit NAME --help`` and what the command prints for it, in click's plain layout
(``TYPER_USE_RICH=0``, without rich's panels) at 80 columns, so the text does not depend on the terminal.
Likewise ``<!-- errors: exit codes -->`` (the table of ``errors.exit_code_table()``) and ``<!-- errors: tree -->``
(the tree of ``errors.error_tree()``), each closed by ``<!-- end errors -->``.

    python3 scripts/docs.py           rewrite the blocks that are out of date
    python3 scripts/docs.py --check   write nothing; exit 1 naming each page that is out of date

The test suite runs ``--check`` (tests/cli/test_docs.py), so a changed option or help text fails the suite
until this script is run and the change is committed with the page.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import os
import re
import subprocess
import sys
from pathlib import Path

from bootstrap import ROOT, ensure_venv

DOCS = ROOT / "docs"
PROGRAM = "episodekit"
BLOCK = re.compile(r"(?P<open><!-- help: (?P<name>[a-z ]*?) -->\n)(?P<text>.*?)(?P<close><!-- end help -->)", re.DOTALL)
ERRORS = re.compile(r"(?P<open><!-- errors: (?P<name>exit codes|tree) -->\n)(?P<text>.*?)(?P<close><!-- end errors -->)",
                    re.DOTALL)
PLAIN = {"TYPER_USE_RICH": "0", "COLUMNS": "80", "NO_COLOR": "1"}  # read when typer is imported


def help_text(name: str) -> str:
    """What ``episodekit NAME --help`` prints (``NAME`` empty: the program's own help), lines right-trimmed."""
    from episodekit.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main([*name.split(), "--help"])
    if code != 0:
        raise SystemExit(f"`{PROGRAM} {name} --help` exited {code}")
    return "".join(line.rstrip() + "\n" for line in out.getvalue().strip("\n").splitlines())


def block(name: str) -> str:
    """The Markdown between the two comments: the command line and its help, fenced."""
    command = " ".join([PROGRAM, *name.split(), "--help"])
    return f"```text\n$ {command}\n{help_text(name)}```\n"


def errors_block(name: str) -> str:
    """The Markdown of an errors block: the exit-code table, or the error tree fenced as text."""
    from episodekit import errors

    return f"{errors.exit_code_table()}\n" if name == "exit codes" else f"```text\n{errors.error_tree()}\n```\n"


def updated(page: str) -> str:
    """The page with each of its help and errors blocks as the program has them now."""
    page = BLOCK.sub(lambda m: m["open"] + block(m["name"]) + m["close"], page)
    return ERRORS.sub(lambda m: m["open"] + errors_block(m["name"]) + m["close"], page)


def pages(docs: Path) -> list[Path]:
    """The Markdown pages that hold at least one help or errors block."""
    return [path for path in sorted(docs.rglob("*.md"))
            if BLOCK.search(text := path.read_text(encoding="utf-8")) or ERRORS.search(text)]


def run(docs: Path, check: bool) -> int:
    """Rewrite (or, with ``check``, only compare) every page's help blocks; 1 when a page was out of date."""
    stale = []
    for path in pages(docs):
        text = path.read_text(encoding="utf-8")
        new = updated(text)
        if new != text:
            stale.append(path)
            if not check:
                path.write_text(new, encoding="utf-8")
    for path in stale:
        shown = path.relative_to(docs.parent) if docs.parent in path.parents else path
        print(f"{shown}: {'out of date' if check else 'rewritten'}", file=sys.stderr)
    if check and stale:
        print("run: python3 scripts/docs.py, then commit the pages", file=sys.stderr)
    return 1 if check and stale else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a page is out of date")
    parser.add_argument("--docs", type=Path, default=DOCS, help="the folder of the pages (default: docs/)")
    args = parser.parse_args()
    ready = importlib.util.find_spec("episodekit") is not None and importlib.util.find_spec("typer") is not None
    if not ready or any(os.environ.get(k) != v for k, v in PLAIN.items()):  # plain help, from the .venv if need be
        python = sys.executable if ready else str(ensure_venv())
        env = {**os.environ, **PLAIN}
        return subprocess.run([python, __file__, *sys.argv[1:]], env=env, check=False).returncode
    return run(args.docs.resolve(), args.check)


if __name__ == "__main__":
    sys.exit(main())
