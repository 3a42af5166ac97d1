"""`render` stopped by Ctrl-C says how far it got in every phase and leaves no empty episode folder;
an empty `--out` is a usage error, never the current folder."""

from __future__ import annotations

import pytest

from episodekit.pipeline import build as build_module


def _files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_ctrl_c_while_checking_says_interrupted_and_that_nothing_was_written(five, run_cli, monkeypatch):
    real, seen = build_module.build_one, []

    def build_one(ws, path):  # noqa: ANN001 - Ctrl-C arrives while the third episode is checked
        seen.append(path)
        if len(seen) == 3:
            raise KeyboardInterrupt
        return real(ws, path)

    monkeypatch.setattr(build_module, "build_one", build_one)
    result = run_cli("render", cwd=five.root)
    assert result.code == 130
    assert result.err.splitlines() == ["interrupted while checking the episodes: 0 of 5 episodes written"]
    assert not (five.root / "build").exists()


def _library_kept(five, run_cli) -> None:
    """The library read once (and kept in the cache), so every file the render puts in place is an output."""
    assert run_cli("check", cwd=five.root).code == 0


def test_ctrl_c_while_writing_leaves_no_empty_episode_folders(five, run_cli, ctrl_c_at_replace):
    _library_kept(five, run_cli)
    ctrl_c_at_replace(7)  # the first file of the third episode
    result = run_cli("render", cwd=five.root)
    assert result.code == 130
    assert sorted(p.name for p in (five.root / "build").iterdir()) == ["alpha", "bravo"]


def test_ctrl_c_before_the_first_file_removes_the_folders_it_made_and_keeps_the_others(
        five, run_cli, ctrl_c_at_replace):
    (five.root / "build" / "mine").mkdir(parents=True)  # the user's own folder, empty
    _library_kept(five, run_cli)
    ctrl_c_at_replace(1)
    result = run_cli("render", "--out", "build/deep/er", cwd=five.root)
    assert result.code == 130
    assert result.err.splitlines() == ["interrupted: 0 of 5 episodes written"]
    assert _files(five.root / "build") == ["mine"]


@pytest.mark.parametrize("command", [["render"], ["schema"], ["release"]])
@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_out_is_a_usage_error_and_nothing_is_written(five, run_cli, command, value):
    before = _files(five.root)
    result = run_cli(*command, "--out", value, cwd=five.root)
    assert result.code == 2, result.err
    assert "--out" in result.err and "is empty" in result.err
    assert "Traceback" not in result.err
    assert _files(five.root) == before
