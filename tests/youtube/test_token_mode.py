"""The saved sign-in stays 0600 whatever the umask, while every other file follows the umask."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta

import pytest
from google.oauth2.credentials import Credentials

from episodekit.youtube.auth import refresh_if_needed, save_credentials


@pytest.fixture
def open_umask():
    previous = os.umask(0o000)  # the loosest a user could have
    yield
    os.umask(previous)


def test_a_token_renewed_and_saved_under_a_loose_umask_is_0600(fake, tmp_path, open_umask):
    target = tmp_path / "private" / "token.json"
    expired = Credentials(
        token="ya29.expired", refresh_token=fake.refresh_token, token_uri=fake.token_uri,
        client_id="test-client", client_secret="test-secret",
        expiry=(datetime.now(UTC) - timedelta(minutes=5)).replace(tzinfo=None),
    )
    save_credentials(expired, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    refresh_if_needed(expired, target)
    assert json.loads(target.read_text())["token"] in fake.valid_tokens
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
