"""``issued`` is a year, a date or CSL's date-parts; anything else gets one message saying so."""

from __future__ import annotations

import pytest

RULE = "write a year (2012), a date (2012-06-30) or {date-parts: [[2012, 6, 30]]}"


def _issued(channel, value: str) -> None:
    path = channel.root / "references.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("issued: 2012", f"issued: {value}", 1), encoding="utf-8")


def test_an_unquoted_date_is_the_date_it_names(channel, run_cli):
    _issued(channel, "2012-06-30")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 0, result.err
    references = run_cli("preview", "test-episode", "--part", "references", cwd=channel.root).out
    assert "Nat Med. 2012 Jun 30;18(9):1413-7." in references


@pytest.mark.parametrize("value, said", [
    ("2000-01-01T10:00:00Z", "is a date and time"),
    ("soon", "'soon' is not a year or a date"),
    ("2000.5", "2000.5 is not a year or a date"),
    ("[2000]", "a list is not a year or a date"),
    ("{date-parts: [[2000, 13, 45]]}", "date-parts: the month is 13, and a month is 1 to 12"),
    ("{date-parts: [[2000, 2, 30]]}", "date-parts: 2000-02 has no day 30"),
    ("{date-parts: [[2001, 2, 29]]}", "date-parts: 2001-02 has no day 29"),
    ("{date-parts: [[2000, 0]]}", "date-parts: the month is 0, and a month is 1 to 12"),
])
def test_anything_else_is_one_message_saying_what_issued_may_be(channel, run_cli, value, said):
    _issued(channel, value)
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    problems = [line for line in result.err.splitlines() if "kang2012.issued" in line]
    assert problems == [f"references.yaml:8: kang2012.issued: {said}; {RULE}"]


@pytest.mark.parametrize("value", ["{date-parts: [[2000, 2, 29]]}", "{date-parts: [[2000, 12]]}", '"2012"'])
def test_a_leap_day_a_month_alone_and_a_quoted_year_are_taken(channel, run_cli, value):
    _issued(channel, value)
    result = run_cli("check", cwd=channel.root)
    assert result.code == 0, result.err
