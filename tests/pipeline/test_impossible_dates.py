"""YAML 1.1 reads an unquoted ``2026-02-30`` as a date, and a date that does not exist crashed every
command. Such a value is the text as written: a text field takes it, a date field says what is wrong."""

from __future__ import annotations

import pytest

LEDGER = "episodes:\n  test-episode:\n    video_id: abcdefghijk\n    publish_at: {when}\n"


def _replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("title", ["2026-02-30", "2026-02-03T25:00:00Z", "2000-13-45"])
def test_a_title_that_looks_like_an_impossible_date_is_the_text_as_written(channel, run_cli, title):
    _replace(channel.root / "episodes" / "test-episode.yaml", "title: A Test Episode", f"title: {title}")
    assert run_cli("check", cwd=channel.root).code == 0
    script = run_cli("preview", "test-episode", "--part", "script", cwd=channel.root)
    assert script.code == 0, script.err
    assert script.out.startswith(f"# {title}\n")


def test_a_channel_name_that_looks_like_an_impossible_date_is_the_text_as_written(channel, run_cli):
    _replace(channel.root / "channel.yaml", "name: Test Channel", "name: 2026-02-30")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 0, result.err
    assert "internal error" not in result.err


@pytest.mark.parametrize("when", ["2026-02-30 09:00", "2026-02-03 25:00"])
def test_a_release_time_that_does_not_exist_is_a_clear_problem(channel, run_cli, when):
    _replace(channel.root / "episodes" / "test-episode.yaml", "schedule: next", f"schedule: {when}")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert (
        f"episodes/test-episode.yaml:2: schedule: '{when}' is not a date and time that exists; "
        "check the month (1-12)"
    ) in result.err


@pytest.mark.parametrize("when", ["2026-02-30T14:00:00Z", "2026-02-03T25:00:00Z"])
def test_a_publish_time_in_the_ledger_that_does_not_exist_is_a_clear_problem(channel, run_cli, when):
    channel.write("published.yaml", LEDGER.format(when=when))
    result = run_cli("status", cwd=channel.root)
    assert result.code == 1
    assert (
        f"published.yaml:4: episodes.test-episode.publish_at: '{when}' is not a real date and time; "
        "write a UTC instant like 2026-12-02T14:00:00Z"
    ) in result.err
    assert "internal error" not in result.err


def test_a_publish_time_written_by_episodekit_still_reads(channel, run_cli):
    channel.write("published.yaml", LEDGER.format(when="'2026-02-28T14:00:00Z'"))
    result = run_cli("status", cwd=channel.root)
    assert result.code == 0, result.err


@pytest.mark.parametrize("issued, said", [
    ("2000-13-45", "2000-13-45 is not a date that exists"),
    ("2000-02-30", "2000-02-30 is not a date that exists"),
])
def test_an_impossible_issued_date_is_a_clear_problem(channel, run_cli, issued, said):
    _replace(channel.root / "references.yaml", "issued: 2012", f"issued: {issued}")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert f"references.yaml:8: kang2012.issued: {said}; write a year (2012), a date" in result.err
    assert "internal error" not in result.err


def test_an_impossible_date_as_a_key_is_the_key_as_written(channel, run_cli):
    channel.write("references.yaml", (channel.root / "references.yaml").read_text() + (
        "2026-02-30:\n  title: A report named by a date\n  issued: 2020\n"
    ))
    result = run_cli("check", cwd=channel.root)
    assert result.code == 0, result.err
