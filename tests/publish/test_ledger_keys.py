"""The ledger is keyed by slug, the one rule for slugs: a key that is not one is an error at its line, and
`ledger move` takes only slugs."""

from __future__ import annotations

import pytest

LEDGER = "episodes:\n  test-episode:\n    video_id: abcdefghijk\n  {key}:\n    video_id: abcdefghijl\n"


@pytest.mark.parametrize("key, suggested", [("../x", "x"), ('"My Ep"', "my-ep"), ("UPPER", "upper"), ('".."', "episode")])
def test_a_ledger_key_that_is_not_a_slug_is_an_error_at_its_line(channel, run_cli, key, suggested):
    channel.write("published.yaml", LEDGER.format(key=key))
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    written = key.strip('"')
    assert (f"published.yaml:4: episodes: {written!r} is not a slug: a slug is lowercase letters a-z") in result.err
    assert f"rename it to that slug (such as {suggested!r})" in result.err
    assert "is gone" not in result.err and "internal error" not in result.err


def test_a_bad_key_and_a_bad_entry_are_reported_together(channel, run_cli):
    channel.write("published.yaml", LEDGER.format(key="../x") + "  other:\n    video_id: 12\n")
    result = run_cli("status", cwd=channel.root)
    assert result.code == 1
    assert "published.yaml:4: episodes: '../x' is not a slug" in result.err
    assert "published.yaml:7: episodes.other.video_id:" in result.err


@pytest.mark.parametrize("args, said", [
    (["../x", "test-episode"], "ledger move: OLD: '../x' is not a slug"),
    (["old-name", "../channel"], "ledger move: NEW: '../channel' is not a slug"),
    (["old-name", "My Ep"], "ledger move: NEW: 'My Ep' is not a slug"),
])
def test_ledger_move_refuses_what_is_not_a_slug_and_writes_nothing(channel, run_cli, args, said):
    ledger = "episodes:\n  old-name:\n    video_id: abcdefghijk\n"
    channel.write("published.yaml", ledger)
    (channel.root / "episodes" / "test-episode.yaml").rename(channel.root / "episodes" / "new-name.yaml")
    result = run_cli("ledger", "move", *args, cwd=channel.root)
    assert result.code == 2
    assert said in result.err and "internal error" not in result.err
    assert (channel.root / "published.yaml").read_text() == ledger
