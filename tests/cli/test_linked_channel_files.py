"""A channel file kept elsewhere behind a symbolic link stays a link: it is written through, atomically there.

Two channels sharing one `references.yaml` (a link to it in each) both see what either imports; the
same holds for `channel.yaml` (`import --adopt-boilerplate`) and `published.yaml` (`ledger move`). The
file the link names is replaced by a rename in its own folder, with its mode, and no temporary file
is left on either side. A build output is not such a file: a link there is replaced (see
tests/pipeline/test_output_unchanged.py).
"""

from __future__ import annotations

import json
import os
import shutil
import stat

import pytest

from testkit import CHANNEL_YAML

LIBRARY = "references.yaml"
PAPER = {"type": "article-journal", "title": "Sleep and mood", "DOI": "10.5555/shared.1",
         "author": [{"family": "Roe", "given": "R."}], "issued": {"date-parts": [[2019]]}}


@pytest.fixture
def shared(channel, tmp_path_factory):
    """The channel's references.yaml moved to a shared folder, a relative link left in its place."""
    folder = tmp_path_factory.mktemp("shared")
    target = folder / LIBRARY
    shutil.move(channel.root / LIBRARY, target)
    target.chmod(0o640)
    (channel.root / LIBRARY).symlink_to(os.path.relpath(target, channel.root))
    return target


def temps(*folders) -> list[str]:
    return sorted(p.name for folder in folders for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_an_import_into_a_linked_library_updates_the_shared_file_and_keeps_the_link(channel, run_cli, shared):
    channel.write("paper.json", json.dumps([PAPER]))
    assert run_cli("refs", "import", "paper.json", cwd=channel.root).code == 0
    link = channel.root / LIBRARY
    assert link.is_symlink() and link.resolve() == shared.resolve()
    assert "roe2019:" in shared.read_text(encoding="utf-8")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640 and temps(channel.root, shared.parent) == []


def test_two_channels_sharing_a_library_each_see_what_the_other_imports(channel, run_cli, shared, tmp_path_factory):
    other = tmp_path_factory.mktemp("other")
    (other / "channel.yaml").write_text(CHANNEL_YAML)
    (other / LIBRARY).symlink_to(shared)  # an absolute link, this time
    other.joinpath("paper.json").write_text(json.dumps([PAPER]))
    assert run_cli("refs", "import", "paper.json", cwd=other).code == 0
    again = run_cli("refs", "import", str(other / "paper.json"), cwd=channel.root)
    assert again.code == 0 and "1 already there" in again.out + again.err  # the first channel sees it


def test_a_chain_of_links_is_followed_to_the_file(channel, run_cli, shared, tmp_path_factory):
    hop = tmp_path_factory.mktemp("hop") / "library.yaml"
    hop.symlink_to(shared)
    (channel.root / LIBRARY).unlink()
    (channel.root / LIBRARY).symlink_to(hop)
    channel.write("paper.json", json.dumps([PAPER]))
    assert run_cli("refs", "import", "paper.json", cwd=channel.root).code == 0
    assert hop.is_symlink() and (channel.root / LIBRARY).is_symlink() and "roe2019:" in shared.read_text()


def test_a_linked_channel_yaml_stays_a_link_when_the_boilerplate_is_adopted(channel, run_cli, tmp_path_factory):
    kept = tmp_path_factory.mktemp("kept") / "channel.yaml"
    shutil.move(channel.root / "channel.yaml", kept)
    (channel.root / "channel.yaml").symlink_to(kept)
    channel.write("typed.txt", "Summary.\n\nDisclaimer: talk to your doctor.\n")
    result = run_cli("import", "--from-file", "typed.txt", "--title", "Typed", "--no-lookup", "--adopt-boilerplate",
                     cwd=channel.root)
    assert result.code == 0, result.err
    assert (channel.root / "channel.yaml").is_symlink() and "talk to your doctor" in kept.read_text()
    assert temps(channel.root, kept.parent) == []


def test_a_linked_ledger_stays_a_link_when_it_is_written(channel, run_cli, tmp_path_factory):
    kept = tmp_path_factory.mktemp("kept") / "published.yaml"
    kept.write_text("episodes:\n  test-episode:\n    video_id: AAAAAAAAAAA\n    publish_at: '2031-01-01T14:00:00Z'\n")
    (channel.root / "published.yaml").symlink_to(kept)
    shutil.move(channel.root / "episodes" / "test-episode.yaml", channel.root / "episodes" / "renamed.yaml")
    result = run_cli("ledger", "move", "test-episode", "renamed", cwd=channel.root)
    assert result.code == 0, result.err
    assert (channel.root / "published.yaml").is_symlink() and "renamed:" in kept.read_text()
    assert temps(channel.root, kept.parent) == []
