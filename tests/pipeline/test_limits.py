"""YouTube's limits, counted the way YouTube counts them."""

from __future__ import annotations

from episodekit.pipeline.limits import description_bytes, tags_length


def test_tags_count_commas_between_them():
    assert tags_length(["abc", "de"]) == 3 + 1 + 2


def test_a_tag_with_a_space_counts_two_more_as_if_quoted():
    assert tags_length(["mental health"]) == len("mental health") + 2
    assert tags_length(["mental health", "x"]) == 15 + 1 + 1


def test_no_tags_is_zero():
    assert tags_length([]) == 0


def test_description_is_counted_in_utf8_bytes_not_characters():
    assert description_bytes("é" * 10) == 20
    assert description_bytes("—") == 3


def test_the_final_newline_of_the_file_is_not_sent():
    assert description_bytes("abc\n") == 3


def _episode(channel, **fields):
    lines = ["title: " + fields.pop("title", "T"), "summary: [" + fields.pop("summary", "One.") + "]"]
    lines += [f"{k}: {v}" for k, v in fields.items()]
    channel.episode("limit", "\n".join(lines) + "\n")


def test_title_over_100_characters_fails(channel, run_cli):
    _episode(channel, title="x" * 101)
    result = run_cli("check", "episodes/limit.yaml", cwd=channel.root)
    assert result.code == 1
    assert "episodes/limit.yaml:1: title: is 101 characters; YouTube allows 100" in result.err


def test_title_of_exactly_100_characters_passes(channel, run_cli):
    _episode(channel, title="x" * 100)
    assert run_cli("check", "episodes/limit.yaml", cwd=channel.root).code == 0


def test_angle_brackets_in_title_fail(channel, run_cli):
    _episode(channel, title='"a <b> c"')
    result = run_cli("check", "episodes/limit.yaml", cwd=channel.root)
    assert result.code == 1
    assert "may not contain '<' or '>'" in result.err


def test_angle_brackets_in_summary_fail(channel, run_cli):
    _episode(channel, summary='"x < y"')
    result = run_cli("check", "episodes/limit.yaml", cwd=channel.root)
    assert result.code == 1
    assert "'<' or '>'" in result.err


def test_description_over_5000_bytes_fails_counting_bytes(channel, run_cli):
    _episode(channel, summary='"' + "é" * 2600 + '"')  # 2600 characters, 5200 bytes
    result = run_cli("check", "episodes/limit.yaml", cwd=channel.root)
    assert result.code == 1
    assert "bytes (UTF-8); YouTube allows 5000" in result.err


def test_tags_over_500_fails(channel, run_cli):
    tags = ", ".join(f"tag number {i:03d}" for i in range(40))  # 40 * (14 + 2) + 39 > 500
    _episode(channel, tags=f"[{tags}]")
    result = run_cli("check", "episodes/limit.yaml", cwd=channel.root)
    assert result.code == 1
    assert "tags:" in result.err and "the limit is 500" in result.err


def _chapters(channel, run_cli, *stamps):
    items = ", ".join(f'{{at: "{s}", title: C{i}}}' for i, s in enumerate(stamps))
    _episode(channel, chapters=f"[{items}]")
    return run_cli("check", "--json", "episodes/limit.yaml", cwd=channel.root)


def test_chapters_must_start_at_zero(channel, run_cli):
    result = _chapters(channel, run_cli, "0:05", "1:00", "2:00")
    assert result.code == 1 and "the first chapter must start at 0:00" in result.out


def test_chapters_need_at_least_three(channel, run_cli):
    result = _chapters(channel, run_cli, "0:00", "1:00")
    assert result.code == 1 and "at least 3 chapters" in result.out


def test_chapters_must_ascend(channel, run_cli):
    result = _chapters(channel, run_cli, "0:00", "2:00", "1:00")
    assert result.code == 1 and "is not after the chapter before it" in result.out


def test_chapters_must_last_ten_seconds(channel, run_cli):
    result = _chapters(channel, run_cli, "0:00", "0:09", "1:00")
    assert result.code == 1 and "lasts 9 s" in result.out


def test_valid_chapters_pass(channel, run_cli):
    assert _chapters(channel, run_cli, "0:00", "0:10", "1:02:03").code == 0
