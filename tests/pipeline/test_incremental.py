"""An incremental ``render`` cannot be told from a full one: each input that matters, changed alone,
builds again the episodes it reaches (and only those), and ``render --no-cache`` writes the same bytes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from episodekit.pipeline import build, incremental, manifest
from testkit import copy_sample

WCD, DFL = "what-causes-depression", "depression-feedback-loop"  # DFL links to WCD and cites duman2015 too
BOTH = {WCD, DFL}
UNCITED = """\
unused2020:
  author: [{family: Nobody, given: A.}]
  title: A paper no episode cites
  container-title-short: J Unread
  issued: 2020
  DOI: 10.1000/unused
"""


@pytest.fixture
def sample(tmp_path, run_cli, monkeypatch):
    """The repository's sample channel in a folder of its own, rendered once (cold): ``sample.render()``
    renders again and returns the slugs built; ``sample.outputs()`` is what ``build/`` holds."""
    root = copy_sample(tmp_path / "sample")
    with open(root / "references.yaml", "a", encoding="utf-8") as handle:
        handle.write(UNCITED)
    built: list[str] = []
    real = build.build_one

    def counted(ws, path):
        built.append(path.stem)
        return real(ws, path)

    monkeypatch.setattr(build, "build_one", counted)

    class Sample:
        def __init__(self):
            self.root = root

        def render(self, *args: str, code: int = 0) -> set[str]:
            built.clear()
            result = run_cli("render", "-q", *args, cwd=self.root)
            assert result.code == code, result.err
            self.err = result.err
            return set(built)

        def outputs(self, folder: str = "build") -> dict[str, bytes]:
            base = self.root / folder
            return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}

        def matches_a_full_render(self) -> dict[str, bytes]:
            """The output of the last render, proven the same as ``render --no-cache``'s byte for byte."""
            warm = self.outputs()
            assert self.render("--no-cache", "--out", "full") == BOTH
            assert warm == self.outputs("full")
            shutil.rmtree(self.root / "full")
            return warm

        def edit(self, relative: str, old: str, new: str) -> None:
            path = self.root / relative
            text = path.read_text(encoding="utf-8")
            assert old in text
            path.write_text(text.replace(old, new, 1), encoding="utf-8")

        def manifest(self) -> Path:
            return manifest.manifest_path(self.root)

    helper = Sample()
    assert helper.render() == BOTH
    return helper


def test_a_warm_render_parses_and_builds_nothing_and_writes_the_same_bytes(sample, monkeypatch):
    before = sample.outputs()
    loads: list[Path] = []
    real = incremental.load_episode
    monkeypatch.setattr(incremental, "load_episode", lambda path, text=None: loads.append(path) or real(path, text))
    times = {p: p.stat().st_mtime_ns for p in (sample.root / "build").rglob("*") if p.is_file()}
    assert sample.render() == set()
    assert loads == []
    assert sample.outputs() == before
    assert {p: p.stat().st_mtime_ns for p in times} == times  # not one file written again
    assert sample.matches_a_full_render() == before


def test_an_edited_episode_is_built_again_and_so_is_the_episode_linking_to_it(sample):
    before = sample.outputs()
    sample.edit(f"episodes/{DFL}.yaml", "title: ", "title: Edited ")
    assert sample.render() == {DFL}
    after = sample.matches_a_full_render()
    assert after[f"{DFL}/script.md"] != before[f"{DFL}/script.md"]
    sample.edit(f"episodes/{WCD}.yaml", "title: ", "title: Renamed ")  # DFL shows WCD's title in its links
    assert sample.render() == BOTH
    assert "Renamed " in sample.matches_a_full_render()[f"{DFL}/description.txt"].decode()


def test_a_cited_reference_edit_builds_only_the_episodes_citing_it(sample):
    sample.edit("references.yaml", "A systematic review", "Changed: a systematic review")  # WCD alone cites it
    assert sample.render() == {WCD}
    assert "Changed: a systematic" in sample.matches_a_full_render()[f"{WCD}/references.txt"].decode()


def test_an_uncited_reference_edit_rewrites_nothing(sample):
    times = {p: p.stat().st_mtime_ns for p in (sample.root / "build").rglob("*") if p.is_file()}
    sample.edit("references.yaml", "A paper no episode cites", "Another paper no episode cites")
    assert sample.render() == set()
    assert {p: p.stat().st_mtime_ns for p in times} == times


def test_a_channel_edit_builds_every_episode(sample):
    sample.edit("channel.yaml", "disclaimer: >-\n  Disclaimer:", "disclaimer: >-\n  Notice:")
    assert sample.render() == BOTH
    assert "Notice:" in sample.matches_a_full_render()[f"{WCD}/description.txt"].decode()


def test_a_style_switch_builds_every_episode_in_the_new_style(sample):
    before = sample.outputs()
    sample.edit("channel.yaml", "citation_style: vancouver", "citation_style: apa")
    assert sample.render() == BOTH
    after = sample.matches_a_full_render()
    assert after[f"{WCD}/references.txt"] != before[f"{WCD}/references.txt"]


def test_a_channel_template_edit_builds_every_episode(sample):
    packaged = (manifest.PACKAGED_TEMPLATES / "description.txt.j2").read_text(encoding="utf-8")
    (sample.root / "templates").mkdir()
    (sample.root / "templates" / "description.txt.j2").write_text(packaged + "Made by hand.\n", encoding="utf-8")
    assert sample.render() == BOTH
    assert sample.matches_a_full_render()[f"{DFL}/description.txt"].decode().endswith("Made by hand.\n")
    (sample.root / "templates" / "description.txt.j2").write_text(packaged + "Made again.\n", encoding="utf-8")
    assert sample.render() == BOTH
    assert sample.matches_a_full_render()[f"{DFL}/description.txt"].decode().endswith("Made again.\n")


def test_a_packaged_template_change_builds_every_episode(sample, tmp_path, monkeypatch):
    copy = tmp_path / "packaged"
    shutil.copytree(manifest.PACKAGED_TEMPLATES, copy)
    monkeypatch.setattr(manifest, "PACKAGED_TEMPLATES", copy)
    assert sample.render() == set()  # the same files
    with open(copy / "script.md.j2", "a", encoding="utf-8") as handle:
        handle.write("{# a new version of the default #}\n")
    assert sample.render() == BOTH


def test_a_new_version_of_episodekit_builds_every_episode(sample, monkeypatch):
    monkeypatch.setattr(manifest, "package_version", lambda: "99.0")
    assert sample.render() == BOTH
    assert sample.render() == set()


def test_a_video_id_of_a_linked_episode_builds_the_episode_showing_it(sample):
    before = sample.outputs()
    (sample.root / "published.yaml").write_text(f"episodes:\n  {WCD}:\n    video_id: abcdefghijk\n", encoding="utf-8")
    assert sample.render() == BOTH  # WCD's own entry, and the link DFL shows
    after = sample.matches_a_full_render()
    assert "abcdefghijk" in after[f"{DFL}/description.txt"].decode()
    assert after[f"{DFL}/description.txt"] != before[f"{DFL}/description.txt"]


def test_a_release_time_in_the_ledger_builds_the_episode_again(sample):
    (sample.root / "published.yaml").write_text(f"episodes:\n  {WCD}:\n    video_id: abcdefghijk\n", encoding="utf-8")
    sample.render()
    with open(sample.root / "published.yaml", "a", encoding="utf-8") as handle:
        handle.write("    publish_at: 2031-06-04T13:00:00Z\n")
    assert WCD in sample.render()
    sample.matches_a_full_render()


def test_a_deleted_or_edited_output_file_is_written_again(sample):
    before = sample.outputs()
    (sample.root / "build" / WCD / "description.txt").unlink()
    (sample.root / "build" / DFL / "script.md").write_text("changed by hand\n", encoding="utf-8")
    assert sample.render() == BOTH
    assert sample.outputs() == before


def test_another_output_folder_is_written_whole(sample):
    assert sample.render("--out", "elsewhere") == BOTH
    assert sample.outputs("elsewhere") == sample.outputs()


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],  # truncated
    lambda text: "\x00garbage",
    lambda text: json.dumps({**json.loads(text), "episodes": {WCD: {"file": 1, "summary": {"slug": 3}}, DFL: []}}),
    lambda text: json.dumps({**json.loads(text), "format": 0}),
])
def test_a_damaged_manifest_is_ignored_and_written_anew(sample, damage):
    before = sample.outputs()
    path = sample.manifest()
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert sample.render() == BOTH
    assert sample.outputs() == before
    assert sample.render() == set()


def test_the_manifest_of_another_channel_is_ignored(sample, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(sample.root, other)  # the same files, build/ too
    manifest.manifest_path(other).write_bytes(sample.manifest().read_bytes())  # as if both had one name
    before, sample.root = sample.outputs(), other
    assert sample.render() == BOTH  # it names the other folder
    assert sample.outputs() == before
    assert sample.render() == set()
    sample.edit(f"episodes/{WCD}.yaml", "title: ", "title: Other ")
    assert sample.render() == BOTH
    assert "# Other " in sample.matches_a_full_render()[f"{WCD}/script.md"].decode()


def test_a_broken_episode_is_reported_on_every_run(sample):
    sample.edit(f"episodes/{WCD}.yaml", "title: ", "title: [")
    sample.render(code=1)
    first = sample.err
    assert f"episodes/{WCD}.yaml" in first
    sample.render(code=1)
    assert sample.err == first


def test_a_link_to_an_episode_that_is_gone_is_reported_on_every_run(sample):
    (sample.root / "episodes" / f"{WCD}.yaml").unlink()
    for _ in range(2):
        assert sample.render(code=1) == {DFL}
        assert f"no episode '{WCD}'" in sample.err


def test_no_cache_reads_and_writes_no_manifest(sample):
    sample.manifest().unlink()
    assert sample.render("--no-cache") == BOTH
    assert not sample.manifest().exists()
    assert os.environ.get("EPISODEKIT_NO_CACHE") is None  # as it was before the run


@pytest.mark.parametrize("umask, mode", [(0o077, 0o600), (0o022, 0o644)])
def test_the_manifest_follows_the_umask(sample, umask, mode):
    sample.manifest().unlink()
    was = os.umask(umask)
    try:
        sample.render()
    finally:
        os.umask(was)
    assert sample.manifest().stat().st_mode & 0o777 == mode


def test_the_manifest_names_the_styles_and_templates_the_pipeline_uses():
    from episodekit.pipeline import cite, render

    assert manifest.STYLE_FILES == cite.STYLES
    assert manifest.PACKAGED_TEMPLATES == render._PACKAGED
    assert len({manifest.style_files_digest(style) for style in cite.STYLES}) == len(cite.STYLES)


def test_an_output_rewritten_with_its_size_and_modification_time_kept_is_written_again(sample, monkeypatch):
    monkeypatch.setattr(incremental, "SETTLED_NS", 0)  # each file's times are trusted at once
    sample.render()
    sample.render()  # the times recorded
    before = sample.outputs()
    target = sample.root / "build" / WCD / "description.txt"
    info = target.stat()
    text = target.read_bytes()
    target.write_bytes(text.replace(b"a", b"b", 1))  # the same size
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))  # and the same modification time
    assert sample.render() == {WCD}
    assert sample.outputs() == before
