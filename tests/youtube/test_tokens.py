"""episodekit.youtube.tokens: one sign-in per channel in the user config folder, and which one a folder uses."""

from __future__ import annotations

import json
import stat

import pytest

from episodekit.errors import RefusedError, YouTubeError
from episodekit.youtube import tokens

MAIN, CLINIC = "UCmainmainmainmainmain00", "UCclinicclinicclinic0000"


def store(user_config, *channel_ids: str, legacy: bool = False) -> None:
    folder = user_config / "tokens"
    folder.mkdir(parents=True, mode=0o700, exist_ok=True)
    for channel_id in channel_ids:
        (folder / f"{channel_id}.json").write_text("{}")
    if legacy:
        (user_config / "token.json").write_text("{}")


def test_the_store_is_in_the_user_config_folder(user_config):
    assert tokens.config_folder() == user_config
    assert tokens.channel_token(MAIN) == user_config / "tokens" / f"{MAIN}.json"
    assert tokens.legacy_token() == user_config / "token.json"


def test_a_pinned_folder_uses_its_channels_token_whatever_else_is_stored(user_config):
    store(user_config, MAIN, CLINIC, legacy=True)
    assert tokens.choose(CLINIC) == tokens.TokenChoice(user_config / "tokens" / f"{CLINIC}.json", CLINIC, "channel")


def test_a_pinned_folder_without_its_token_tries_the_old_one_else_says_auth_login(user_config):
    store(user_config, CLINIC, legacy=True)
    assert tokens.choose(MAIN).source == "legacy"
    (user_config / "token.json").unlink()
    with pytest.raises(YouTubeError, match=f"not signed in to this folder's YouTube channel {MAIN} "
                                           f"\\(sign-ins are stored for {CLINIC} only\\).*auth login"):
        tokens.choose(MAIN)


def test_a_folder_that_pins_nothing_uses_the_only_sign_in_and_refuses_to_guess_between_two(user_config):
    with pytest.raises(YouTubeError, match="not signed in"):
        tokens.choose(None)
    store(user_config, MAIN)
    assert tokens.choose(None).channel_id == MAIN
    store(user_config, legacy=True)
    with pytest.raises(RefusedError, match="sign-ins for 2 channels are stored .* an older one of unknown channel"):
        tokens.choose(None)


def test_the_environment_override_is_every_folders_token_and_hides_the_index(user_config, tmp_path, monkeypatch):
    store(user_config, MAIN)
    tokens.remember(MAIN, "Main", tmp_path)
    monkeypatch.setenv("EPISODEKIT_TOKEN_FILE", str(tmp_path / "ci-token.json"))
    assert tokens.choose(MAIN) == tokens.TokenChoice(tmp_path / "ci-token.json", None, "override")
    assert tokens.read_index() == {"channels": {}, "folders": {}}
    tokens.remember(CLINIC, "Clinic", tmp_path)  # nothing is written beside the one file it was given
    monkeypatch.delenv("EPISODEKIT_TOKEN_FILE")
    assert tokens.title_of(CLINIC) is None and tokens.title_of(MAIN) == "Main"


def test_the_index_keeps_titles_and_folders_and_a_broken_one_is_only_a_warning(user_config, tmp_path, caplog):
    tokens.remember(MAIN, "Main", tmp_path / "a")
    tokens.remember(MAIN, None, tmp_path / "b")
    tokens.remember(CLINIC, "Clinic")
    assert tokens.folders_of(MAIN) == [str(tmp_path / "a"), str(tmp_path / "b")]
    assert tokens.describe([MAIN, CLINIC]) == f"'Main' ({MAIN}), 'Clinic' ({CLINIC})"
    assert stat.S_IMODE(user_config.stat().st_mode) == 0o700
    (user_config / "channels.json").write_text("not json")
    assert tokens.read_index() == {"channels": {}, "folders": {}} and "cannot be read" in caplog.text
    tokens.remember(MAIN, "Main again")  # written anew
    assert json.loads((user_config / "channels.json").read_text())["channels"] == {MAIN: {"title": "Main again"}}


def test_the_old_token_is_moved_under_its_channel_and_dropped_when_that_channel_has_one(user_config):
    user_config.mkdir(mode=0o700)
    (user_config / "token.json").write_text('{"token": "old"}')
    (user_config / "token.json").chmod(0o600)
    moved = tokens.adopt_legacy(MAIN)
    assert moved == user_config / "tokens" / f"{MAIN}.json" and moved.read_text() == '{"token": "old"}'
    assert stat.S_IMODE(moved.stat().st_mode) == 0o600 and stat.S_IMODE(moved.parent.stat().st_mode) == 0o700
    (user_config / "token.json").write_text('{"token": "older"}')
    assert tokens.adopt_legacy(MAIN) == moved and moved.read_text() == '{"token": "old"}'
    assert not (user_config / "token.json").exists()


def test_only_files_named_by_a_channel_id_are_sign_ins(user_config):
    store(user_config, MAIN)
    (user_config / "tokens" / "notes.json").write_text("{}")
    assert tokens.stored_channels() == [MAIN]
