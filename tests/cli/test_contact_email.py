"""`contact_email` in channel.yaml: the address doi.org and NCBI see in the User-Agent of each lookup."""

from __future__ import annotations

import pytest

from episodekit.models.channel import Channel


def test_a_channel_with_a_contact_email_passes_check(channel, run_cli):
    channel.write("channel.yaml", _channel_yaml(channel) + "contact_email: host@example.org\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 0, result.err


@pytest.mark.parametrize("value", ["host at example.org", "host@example", "'a b@example.org'", "'<host@example.org>'"])
def test_a_contact_email_that_is_not_an_address_is_one_line_at_its_line(channel, run_cli, value):
    base = _channel_yaml(channel)
    channel.write("channel.yaml", base + f"contact_email: {value}\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    line = base.count("\n") + 1
    assert f"channel.yaml:{line}: contact_email: " in result.err
    assert "is not an e-mail address such as you@example.org" in result.err
    assert "Traceback" not in result.err


def test_the_contact_email_is_optional_and_trimmed():
    base = dict(name="C", subscribe_url="https://example.org", timezone="UTC",
                slots=[{"weekday": "monday", "time": "09:00"}], schedule_line="x")
    assert Channel.model_validate(base).contact_email is None
    assert Channel.model_validate({**base, "contact_email": " me@example.org "}).contact_email == "me@example.org"


def _channel_yaml(channel) -> str:
    """The test channel's own channel.yaml, before a test adds to it."""
    return (channel.root / "channel.yaml").read_text(encoding="utf-8")
