"""The JSON documents of the commands come from the library: a script calling it gets what `--json` prints."""

from __future__ import annotations

import json

import episodekit
from episodekit.youtube.requests import dry_run


def _printed(run_cli, *args, cwd):
    result = run_cli(*args, "--json", cwd=cwd)
    assert result.code == 0, result.err
    return json.loads(result.out)


def _no_confirmation(*_):
    raise AssertionError("a dry run asks nothing")


def test_sync_dry_run_json_is_the_library_sync_document(fixed_reference, run_cli, fake):
    ws = episodekit.Workspace.open(fixed_reference)
    shown = []
    episodekit.run_sync(ws, episodekit.wanted_videos(ws, None), dry_run=True, force=False, budget=10_000,
                        show=lambda plan, channel: shown.append(episodekit.sync_document(plan, channel, dry_run=True)),
                        confirm=_no_confirmation)
    (document,) = shown
    assert document["videos"] and document["live"] is True  # a plan worth comparing
    assert _printed(run_cli, "sync", "--dry-run", cwd=fixed_reference) == document


def test_restore_dry_run_json_is_the_library_restore_document(fixed_reference, run_cli, fake):
    assert run_cli("sync", "--yes", cwd=fixed_reference).code == 0
    (backup,) = (fixed_reference / "backups").iterdir()
    ws = episodekit.Workspace.open(fixed_reference)
    shown = []
    restored = episodekit.run_restore(ws, backup, dry_run=True, confirm=_no_confirmation,
                                      show=lambda bodies, channel: shown.append((bodies, channel)))
    document = episodekit.restore_document(*shown[0], dry_run=True, restored=restored)
    assert document["updates"] and document["channel"]["id"] == fake.channel_id
    assert _printed(run_cli, "restore", str(backup), "--dry-run", cwd=fixed_reference) == document


def test_release_json_is_the_library_release_check_with_its_dry_run(channel, run_cli):
    channel.ready_to_upload(1000)
    printed = _printed(run_cli, "release", cwd=channel.root)
    ws = episodekit.Workspace.open(channel.root)
    found = episodekit.prepare_release(ws, channel.root / "build")
    assert found.plan is not None  # the episode is due: the document holds a dry run
    assert printed == found.as_json(dry_run=dry_run(found.plan, ws))
