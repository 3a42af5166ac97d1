"""Messages name a file of the channel relative to the channel folder (`episodes/x.yaml:3: ...`, `build`),
whatever the current folder and however the channel was found; a file outside the channel is absolute."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

BROKEN = "title: T\nsummary: [x]\ndisclaimer: [3]\n"  # an error at line 3


@pytest.fixture(params=["--channel from /", "EPISODEKIT_CHANNEL from /", "from episodes/", "from the channel"])
def where(request, channel, monkeypatch):
    """How a command is pointed at the channel: returns (arguments to add, current folder)."""
    (channel.root / "episodes" / "sub").mkdir()
    if request.param == "--channel from /":
        return ["--channel", str(channel.root)], Path("/")
    if request.param == "EPISODEKIT_CHANNEL from /":
        monkeypatch.setenv("EPISODEKIT_CHANNEL", str(channel.root))
        return [], Path("/")
    if request.param == "from episodes/":
        return [], channel.root / "episodes" / "sub"
    return [], channel.root


def _absolute_paths(text: str, channel) -> list[str]:
    return [line for line in text.splitlines() if str(channel.root) in line]


def test_check_names_the_episode_file_from_the_channel_folder(channel, run_cli, where):
    args, cwd = where
    channel.episode("broken", BROKEN)
    result = run_cli("check", *args, cwd=cwd)
    assert result.code == 1
    assert result.err.splitlines()[0].startswith("episodes/broken.yaml:3: disclaimer: ")
    assert _absolute_paths(result.out + result.err, channel) == []


def test_check_json_paths_are_from_the_channel_folder(channel, run_cli, where):
    args, cwd = where
    channel.episode("broken", BROKEN)
    channel.write("published.yaml", "episodes:\n  gone: {video_id: AAAAAAAAAAA}\n")  # an entry without a file
    result = run_cli("check", "--json", *args, cwd=cwd)
    assert result.code == 1
    assert {problem["path"] for problem in json.loads(result.out)} == {"episodes/broken.yaml", "published.yaml"}


def test_render_says_into_build(channel, run_cli, where):
    args, cwd = where
    result = run_cli("render", *args, cwd=cwd)
    assert result.code == 0, result.err
    assert result.out == "rendered 1 episode(s) into build: 5 files\n"
    assert (channel.root / "build" / "test-episode" / "script.md").is_file()


def test_status_rows_name_the_episode_file_from_the_channel_folder(channel, run_cli, where):
    args, cwd = where
    rows = run_cli("status", *args, cwd=cwd)
    assert rows.code == 0, rows.err
    assert rows.out.startswith("episodes/test-episode.yaml  ")
    as_json = run_cli("status", "--json", *args, cwd=cwd)
    assert [row["path"] for row in json.loads(as_json.out)] == ["episodes/test-episode.yaml"]


def test_new_and_schema_say_what_they_wrote_from_the_channel_folder(channel, run_cli, where):
    args, cwd = where
    created = run_cli("new", "Another Episode", *args, cwd=cwd)
    assert created.code == 0, created.err
    assert created.out.startswith("wrote episodes/another-episode.yaml: release ")
    schema = run_cli("schema", *args, cwd=cwd)
    assert schema.code == 0, schema.err
    assert schema.out.splitlines()[0].startswith("wrote schema/") and not _absolute_paths(schema.out, channel)


def test_a_file_outside_the_channel_is_refused_by_its_absolute_path(channel, run_cli, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "stray.yaml"
    elsewhere.write_text(BROKEN)
    result = run_cli("check", str(elsewhere), "--channel", str(channel.root), cwd=Path("/"))
    assert result.code == 2
    assert result.err.startswith(f"error: {elsewhere}: is not an episode file of this channel; ")


def test_a_render_folder_outside_the_channel_is_named_by_its_absolute_path(channel, run_cli, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = run_cli("render", "--out", str(out), cwd=channel.root / "episodes")
    assert result.code == 0, result.err
    assert result.out == f"rendered 1 episode(s) into {out}: 5 files\n"


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_sync_names_its_backup_from_the_channel_folder(fixed_reference, run_cli, fake, as_json):
    result = run_cli("sync", "--yes", "--channel", str(fixed_reference), *(["--json"] if as_json else []),
                     cwd=Path("/"))
    assert result.code == 0, result.err
    if as_json:
        backup = json.loads(result.out)["backup"]
    else:
        (line,) = [line for line in result.out.splitlines() if line.startswith("backup of the videos")]
        backup = line.removeprefix("backup of the videos before the update: ")
    assert backup.startswith("backups/") and (fixed_reference / backup).is_dir(), backup
