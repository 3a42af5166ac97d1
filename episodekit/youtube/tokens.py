"""Where the YouTube sign-ins are kept: one token per channel, and which one a channel folder uses.

In the user config folder (``~/.config/episodekit`` on Linux), 0700::

    tokens/<channel id>.json   one sign-in per YouTube channel: google-auth's authorized-user JSON, 0600
    channels.json              the index: each channel's title, and the channel folders pinned to it
    token.json                 the single sign-in of earlier versions, whose channel is not known; the
                               first command that asks YouTube which channel it is moves it to tokens/

A folder uses the token of the channel its ``channel.yaml`` pins (``youtube_channel``); a folder
that pins none uses the only sign-in stored, and refuses to guess among several. With
``EPISODEKIT_TOKEN_FILE`` set, that file is the sign-in of every folder, and no other file of the
config folder is read or written (no index: a CI job keeps to the one file it was given).

The index only informs ``auth status``; a failure to read or write it is logged, never fatal. Its
writes take a file lock, so two runs at once both keep what they recorded.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from ..atomic import write_text_atomic
from ..errors import RefusedError, YouTubeError, command_line
from ..models.channel import CHANNEL_ID
from .client import TOKEN_FILE_ENV, auth_hint

TOKENS_DIR = "tokens"
LEGACY_NAME = "token.json"
INDEX_NAME = "channels.json"
_LOCK_WAIT = 10.0  # seconds; the index is written in a moment, so this is only a stuck process
log = logging.getLogger(__name__)


def config_folder() -> Path:
    """episodekit's folder in the user config folder."""
    return Path(platformdirs.user_config_dir("episodekit"))


def override() -> Path | None:
    """``$EPISODEKIT_TOKEN_FILE``, when set."""
    value = os.environ.get(TOKEN_FILE_ENV, "").strip()
    return Path(value).expanduser() if value else None


def tokens_folder() -> Path:
    """The folder of the stored sign-ins."""
    return config_folder() / TOKENS_DIR


def channel_token(channel_id: str) -> Path:
    """The token file of one channel (whether or not it exists)."""
    return tokens_folder() / f"{channel_id}.json"


def legacy_token() -> Path:
    """Where earlier versions kept their one sign-in."""
    return config_folder() / LEGACY_NAME


def stored_channels() -> list[str]:
    """The channel ids that have a token file, sorted."""
    try:
        names = sorted(p.stem for p in tokens_folder().glob("*.json") if p.is_file())
    except OSError:
        return []
    return [name for name in names if CHANNEL_ID.fullmatch(name)]


@dataclass(frozen=True)
class TokenChoice:
    """The token file a folder uses; ``channel_id`` the channel it is stored for (None: only YouTube can say,
    for ``EPISODEKIT_TOKEN_FILE`` and the old single token); ``source`` "override", "channel" or "legacy"."""

    path: Path
    channel_id: str | None
    source: str


def choose(pinned: str | None) -> TokenChoice:
    """The sign-in of a folder that pins ``pinned`` (None: pins no channel yet); see the module docstring.

    ``YouTubeError`` (run ``auth login``) when there is none for it; ``RefusedError`` when the folder pins
    no channel and more than one sign-in is stored, so which one is meant cannot be told.
    """
    forced = override()
    if forced is not None:
        return TokenChoice(forced, None, "override")
    stored = stored_channels()
    legacy = legacy_token() if legacy_token().is_file() else None
    if pinned is not None:
        if pinned in stored:
            return TokenChoice(channel_token(pinned), pinned, "channel")
        if legacy is not None:  # perhaps this channel's: asking YouTube tells, and files it under its channel
            return TokenChoice(legacy, None, "legacy")
        others = f" (sign-ins are stored for {describe(stored)} only)" if stored else ""
        raise YouTubeError(f"episodekit is not signed in to this folder's YouTube channel {pinned}{others}; run "
                           f"{command_line('auth login')} in this folder and pick that channel on Google's "
                           "consent screen, then try again.")
    choices = [TokenChoice(channel_token(c), c, "channel") for c in stored]
    choices += [TokenChoice(legacy, None, "legacy")] if legacy is not None else []
    if len(choices) == 1:
        return choices[0]
    if not choices:
        raise YouTubeError(f"episodekit is not signed in to YouTube (no token in {tokens_folder()}); {auth_hint()}.")
    raise RefusedError(
        f"channel.yaml names no YouTube channel (youtube_channel) and sign-ins for {len(choices)} channels are "
        f"stored ({describe(stored)}{' and an older one of unknown channel' if legacy else ''}), so which one this "
        f"folder publishes to cannot be told; nothing was sent. Run {command_line('auth login')} in this folder and "
        "pick its channel, or write its id as youtube_channel in channel.yaml")


def describe(channel_ids: list[str]) -> str:
    """Channel ids with their titles from the index: ``'Main' (UC...), 'Clinic' (UC...)``."""
    titles = read_index()["channels"]
    return ", ".join(f"{titles[c]['title']!r} ({c})" if titles.get(c, {}).get("title") else c
                     for c in channel_ids)


def title_of(channel_id: str | None) -> str | None:
    """The title the index has for ``channel_id``."""
    return read_index()["channels"].get(channel_id or "", {}).get("title") if channel_id else None


def adopt_legacy(channel_id: str) -> Path:
    """Move the old single token to the token file of ``channel_id``, the channel YouTube said it is for.

    When that channel has a token already, the old one is only removed: both sign in to the same channel.
    """
    target = channel_token(channel_id)
    try:
        if target.exists():
            legacy_token().unlink(missing_ok=True)
        else:
            target.parent.mkdir(mode=0o700, exist_ok=True)  # beside the old token, in its (0700) folder
            os.chmod(target.parent, 0o700)
            os.replace(legacy_token(), target)  # one file system: a rename, and the file stays 0600
    except OSError as exc:  # it still signs in from where it is; the next run tries again
        log.warning("could not move %s to %s: %s", legacy_token(), target, exc.strerror or exc)
        return legacy_token()
    log.info("the sign-in of %s is now kept as %s (one token per channel)", channel_id, target)
    return target


def read_index() -> dict[str, dict]:
    """``{"channels": {id: {"title": ...}}, "folders": {path: id}}``; empty when there is none (or with
    ``EPISODEKIT_TOKEN_FILE`` set) or it cannot be read."""
    empty: dict[str, dict] = {"channels": {}, "folders": {}}
    if override() is not None:
        return empty
    path = config_folder() / INDEX_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return empty
    except (OSError, ValueError) as exc:
        log.warning("%s cannot be read (%s); auth status lists no folders until it is written again", path,
                    getattr(exc, "strerror", None) or type(exc).__name__)
        return empty
    if not isinstance(data, dict):
        return empty
    return {key: data[key] if isinstance(data.get(key), dict) else {} for key in empty}


def remember(channel_id: str, title: str | None, folder: Path | None = None) -> None:
    """Record the title of ``channel_id`` and, given, that ``folder`` is pinned to it (nothing with the
    ``EPISODEKIT_TOKEN_FILE`` override)."""
    if override() is not None:
        return
    from filelock import FileLock, Timeout

    path = config_folder() / INDEX_NAME
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with FileLock(str(path) + ".lock", timeout=_LOCK_WAIT):
            index = read_index()
            before = json.dumps(index, sort_keys=True)
            if title:
                index["channels"][channel_id] = {"title": title}
            if folder is not None:
                index["folders"][str(Path(os.path.abspath(folder)))] = channel_id
            if json.dumps(index, sort_keys=True) != before:
                write_text_atomic(path, json.dumps(index, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    except (OSError, Timeout) as exc:
        log.warning("could not record channel %s in %s (%s); only auth status misses it", channel_id, path,
                    getattr(exc, "strerror", None) or type(exc).__name__)


def folders_of(channel_id: str) -> list[str]:
    """The folders the index has for ``channel_id``, sorted."""
    return sorted(folder for folder, channel in read_index()["folders"].items() if channel == channel_id)
