"""The documentation is true to the program: every command has a page (linked from the README) that shows
its current ``--help`` and documents each of its options; the pages build as a site with no broken link."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from episodekit.cli import app
from testkit import REPO, copy_sample

DOCS = REPO / "docs"
README = (REPO / "README.md").read_text(encoding="utf-8")
HELP_BLOCK = re.compile(r"<!-- help: (?P<name>[a-z ]*?) -->\n.*?<!-- end help -->", re.DOTALL)


def _commands():
    group = typer.main.get_command(app)
    for name, command in sorted(group.commands.items()):
        if getattr(command, "commands", None):  # a group such as `auth`
            for sub_name, sub in sorted(command.commands.items()):
                yield f"{name} {sub_name}", sub
        else:
            yield name, command


COMMANDS = list(_commands())
NAMES = [n for n, _ in COMMANDS]


def page_path(name: str) -> Path:
    return DOCS / "commands" / f"{name.replace(' ', '-')}.md"


def page(name: str) -> str:
    return page_path(name).read_text(encoding="utf-8")


def prose(text: str) -> str:
    """A page without its generated ``--help`` blocks: what was written by hand."""
    return HELP_BLOCK.sub("", text)


def section(text: str, heading: str) -> str:
    """The text under ``heading`` (a line such as ``## Layout of the code``) up to the next heading of its level."""
    level = heading.split(" ", 1)[0]
    return text.split(f"\n{heading}\n", 1)[1].split(f"\n{level} ", 1)[0]


INDEX = prose((DOCS / "commands" / "index.md").read_text(encoding="utf-8"))


def _options(command) -> set[str]:
    return {o for p in command.params for o in getattr(p, "opts", []) if o.startswith("--") and o != "--help"}


SHARED = set.intersection(*(_options(command) for _, command in COMMANDS))  # documented once, in the index


@pytest.mark.parametrize("name, command", COMMANDS, ids=NAMES)
def test_every_command_has_its_page(name, command):
    assert page_path(name).is_file(), f"document `{name}` in {page_path(name).relative_to(REPO)}"
    assert page(name).startswith(f"# `{name}`\n"), f"{page_path(name).name}: its title is the command's name"


@pytest.mark.parametrize("name, command", COMMANDS, ids=NAMES)
def test_every_option_of_the_command_is_documented(name, command):
    written = prose(page(name))
    for option in sorted(_options(command) - SHARED):
        assert option in written, f"`{name}` does not document {option}"


@pytest.mark.parametrize("name, command", COMMANDS, ids=NAMES)
def test_every_command_page_shows_its_help(name, command):
    assert [m["name"] for m in HELP_BLOCK.finditer(page(name))] == [name]


@pytest.mark.parametrize("name, command", COMMANDS, ids=NAMES)
def test_the_readme_leads_to_every_command_page_in_one_click(name, command):
    target = page_path(name).relative_to(REPO).as_posix()
    assert re.search(rf"^- \[`{re.escape(name)}`\]\({re.escape(target)}\): \S", README, re.MULTILINE), (
        f"the README's Commands list has no line for `{name}` linking to {target}")
    assert f"[`{name}`]({name.replace(' ', '-')}.md)" in INDEX, f"docs/commands/index.md does not list `{name}`"


def test_there_is_no_page_for_a_command_that_is_not_there():
    pages = {p.stem for p in (DOCS / "commands").glob("*.md")} - {"index"}
    assert pages == {name.replace(" ", "-") for name in NAMES}


def test_the_options_of_the_program_and_those_every_command_shares_are_documented_in_the_commands_index():
    program = _options(typer.main.get_command(app))
    assert {"--channel", "--quiet", "--verbose"} <= SHARED <= program
    assert {"--version", "--install-completion", "--show-completion"} <= program
    for option in sorted(program):
        assert f"`{option}" in INDEX, f"docs/commands/index.md does not document {option}"
    assert "EPISODEKIT_CHANNEL" in INDEX


def docs_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "scripts" / "docs.py"), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)


def test_every_help_block_is_what_the_program_prints_now():
    checked = docs_script("--check")
    assert checked.returncode == 0, checked.stderr


def test_the_help_check_fails_on_a_page_out_of_date_and_the_script_rewrites_it(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    stale = docs / "commands" / "render.md"
    stale.write_text(stale.read_text(encoding="utf-8").replace("  --out ", "  --output ", 1), encoding="utf-8")
    checked = docs_script("--check", "--docs", str(docs))
    assert checked.returncode == 1 and "commands/render.md: out of date" in checked.stderr
    assert docs_script("--docs", str(docs)).returncode == 0
    assert stale.read_text(encoding="utf-8") == page("render")
    assert docs_script("--check", "--docs", str(docs)).returncode == 0


def mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
                          capture_output=True, text=True, timeout=300, check=False)


def test_the_docs_build_as_a_site_with_mkdocs_strict(tmp_path):
    built = mkdocs_build(REPO / "mkdocs.yml", tmp_path / "site")
    assert built.returncode == 0, built.stderr
    check = (tmp_path / "site" / "commands" / "check" / "index.html").read_text(encoding="utf-8")
    assert "Usage: episodekit check [OPTIONS]" in check
    assert 'href="../../files/ledger/"' in check  # the README's "see X" made a link the site resolves


@pytest.mark.parametrize("breakage", ["a page", "a heading", "the nav"])
def test_the_strict_build_fails_on_a_broken_link_or_a_page_left_out_of_the_nav(tmp_path, breakage):
    shutil.copytree(DOCS, tmp_path / "docs")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    index = tmp_path / "docs" / "index.md"
    if breakage == "a page":
        index.write_text(index.read_text(encoding="utf-8") + "\n[gone](no-such-page.md)\n", encoding="utf-8")
    elif breakage == "a heading":
        index.write_text(index.read_text(encoding="utf-8") + "\n[gone](exit-codes.md#no-such-heading)\n",
                         encoding="utf-8")
    else:
        (tmp_path / "docs" / "orphan.md").write_text("# Not in the nav\n", encoding="utf-8")
    built = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert built.returncode != 0, breakage


def test_every_relative_link_of_the_readme_leads_to_a_file():
    links = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", README)
    assert len(links) > 30
    for link in links:
        assert (REPO / link).is_file(), link


def test_the_quick_start_has_exactly_two_commands():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = quick.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["python3 scripts/demo.py", "python3 scripts/test.py"]


def test_the_readme_keeps_a_short_testing_section_and_says_where_the_docs_are():
    assert "python3 scripts/test.py" in section(README, "## Testing")
    assert "docs/index.md" in section(README, "## Documentation")


def test_ci_runs_the_readme_test_command_and_the_strict_docs_build():
    ci = (REPO / ".ci" / "run").read_text()
    assert "python3 scripts/test.py" in ci
    assert re.search(r"^\.venv/bin/mkdocs build --strict\b", ci, re.MULTILINE)


def test_the_example_episode_in_the_readme_passes_check_on_the_sample_channel(tmp_path, run_cli):
    block = section(README, "## An example episode").split("```yaml\n", 1)[1].split("```", 1)[0]
    slug = re.search(r"`episodes/([a-z0-9-]+)\.yaml`", section(README, "## An example episode")).group(1)
    channel = copy_sample(tmp_path / "channel")
    (channel / "episodes" / f"{slug}.yaml").write_text(block, encoding="utf-8")
    checked = run_cli("check", slug, cwd=channel)
    assert checked.code == 0, checked.err
    assert run_cli("render", slug, cwd=channel).code == 0
    description = (channel / "build" / slug / "description.txt").read_text(encoding="utf-8")
    assert "Decreased expression of synapse-related genes" in description  # [@kang2012], from the library


ARCHITECTURE = (DOCS / "architecture.md").read_text(encoding="utf-8")


def test_the_library_example_in_the_docs_runs_on_the_sample_channel(tmp_path, capsys):
    code = section(ARCHITECTURE, "## Using the library from a script").split("```python", 1)[1].split("```", 1)[0]
    channel = tmp_path / "my-channel"
    shutil.copytree(REPO, channel, ignore=shutil.ignore_patterns(".git", ".venv", "build", "__pycache__"))
    exec(compile(code.replace('Path("my-channel")', f"Path({str(channel)!r})"), "architecture.md", "exec"), {})
    out = capsys.readouterr().out
    assert "What Causes Depression?" in out and "0 quota units to sync" in out
    assert (channel / "build" / "what-causes-depression" / "description.txt").is_file()


LAYOUT = section(ARCHITECTURE, "## Layout of the code")


def test_the_layout_of_the_code_names_every_folder_and_module_once_per_folder_line():
    package = REPO / "episodekit"
    lines = [line for line in LAYOUT.splitlines() if line.startswith("- `")]
    for folder in sorted(p for p in package.iterdir() if p.is_dir() and p.name != "__pycache__"):
        (line,) = [line for line in lines if line.startswith(f"- `episodekit/{folder.name}/`")]
        files = [p.stem for p in folder.glob("*.py") if p.stem != "__init__"] + [p.name for p in folder.glob("*.j2")]
        for name in sorted(files):
            assert f"`{name}`" in line or f"`{name}.py`" in line, (folder.name, name)
    top = " ".join(line for line in lines if line.startswith("- `episodekit/") and "/`" not in line.split(":")[0])
    for module in sorted(p.name for p in package.glob("*.py") if p.stem not in ("__init__", "__main__")):
        assert f"`{module}`" in top or f"`episodekit/{module}`" in top, module
    tests = next(line for line in lines if line.startswith("- `tests/`"))
    for folder in sorted(p.name for p in (REPO / "tests").iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        assert f"`{folder}/`" in tests, folder
