"""A second render leaves alone what it would write the same, and build outputs are never fsynced.

A creator who renders again after fixing one reference sees only the episodes citing it change
(their editor, rsync and make see the same); the rest keep their bytes and their mtime.
"""

from __future__ import annotations

import os
from pathlib import Path

from episodekit.ledger import save_ledger
from episodekit.models.ledger import Ledger
from episodekit.pipeline.output import RENDERED_FILES

OLD = 1_000_000_000_000_000_000  # 2001-09-09, in ns: a time no render of today writes


def _files(root: Path) -> dict[str, Path]:
    return {str(p.relative_to(root)): p for p in sorted((root / "build").rglob("*")) if p.is_file()}


def _age_all(root: Path) -> None:
    for path in _files(root).values():
        os.utime(path, ns=(OLD, OLD))


def test_rendering_again_with_nothing_changed_rewrites_no_file(channel, run_cli):
    channel.episode("other", "title: Other\nsummary: [Other text.]\ncitations: [kang2012]\n")
    assert run_cli("render", cwd=channel.root).code == 0
    _age_all(channel.root)
    again = run_cli("render", cwd=channel.root)
    assert again.code == 0 and "rendered 2 episode(s)" in again.out
    files = _files(channel.root)
    assert len(files) == 2 * len(RENDERED_FILES)
    assert {name: p.stat().st_mtime_ns for name, p in files.items()} == {name: OLD for name in files}
    assert channel.leftovers() == []


def test_a_changed_reference_rewrites_only_the_episodes_citing_it(channel, run_cli):
    channel.episode("other", "title: Other\nsummary: [Other text.]\ncitations: [kang2012]\n")
    assert run_cli("render", cwd=channel.root).code == 0
    _age_all(channel.root)
    library = channel.root / "references.yaml"
    library.write_text(library.read_text().replace("Neuroplasticity and major", "Neuroplasticity in major"))
    assert run_cli("render", cwd=channel.root).code == 0
    changed = {name.split("/")[1] for name, p in _files(channel.root).items() if p.stat().st_mtime_ns != OLD}
    assert changed == {"test-episode"}  # "other" cites kang2012 only
    assert "Neuroplasticity in major" in (channel.root / "build/test-episode/references.txt").read_text()


def test_an_output_edited_by_hand_is_put_back(channel, run_cli):
    assert run_cli("render", cwd=channel.root).code == 0
    target = channel.root / "build/test-episode/description.txt"
    good = target.read_bytes()
    target.write_bytes(good.replace(b"First", b"Frist"))  # the same size, other bytes
    os.utime(target, ns=(OLD, OLD))
    assert run_cli("render", cwd=channel.root).code == 0
    assert target.read_bytes() == good and target.stat().st_mtime_ns != OLD


def test_a_link_in_place_of_an_output_is_replaced_by_a_file(channel, run_cli, tmp_path_factory):
    assert run_cli("render", cwd=channel.root).code == 0
    target = channel.root / "build/test-episode/script.md"
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "script.md"
    elsewhere.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(elsewhere)
    assert run_cli("render", cwd=channel.root).code == 0
    assert not target.is_symlink() and target.read_bytes() == elsewhere.read_bytes()


def test_render_never_fsyncs_while_the_ledger_still_does(channel, run_cli, monkeypatch):
    calls: list[int] = []
    real = os.fsync

    def counting(fd: int) -> None:
        calls.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", counting)
    assert run_cli("render", cwd=channel.root).code == 0
    assert len(_files(channel.root)) == len(RENDERED_FILES) and calls == []
    save_ledger(channel.root / "published.yaml", Ledger())  # the durable write, for contrast
    assert len(calls) >= 2  # the file, then its folder
