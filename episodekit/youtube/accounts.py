"""``auth login``, ``auth status`` and ``auth logout`` for a channel folder and the token store.

``sign_in`` signs in (``auth.login``: the token is stored as the channel's it speaks for) and pins
a folder that names no channel yet to that channel. ``sign_in_report`` lists every stored sign-in
with the folders pinned to its channel (the index of ``tokens``, each folder checked to still pin
it), and which one this folder uses. ``sign_out`` deletes one token file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EpisodekitError, InputError, RefusedError, UsageError, YouTubeError, command_line
from ..models.channel import CHANNEL_ID
from ..paths import CHANNEL_FILE
from ..pipeline.channelpin import PinnedChannel, pin
from ..files.load import load_channel_source
from ..retrying import command_retry
from ..workspace import Workspace
from . import tokens
from .auth import ALL_SCOPES, load_credentials, login, logout, refresh_if_needed, status
from .client import build_service
from .connect import pinned_or_index, wire_errors
from .identity import ChannelIdentity, read_channel

PERMISSIONS_PAGE = "https://myaccount.google.com/permissions"


@dataclass(frozen=True)
class SignInReport:
    """What ``auth login`` did: the channel, where its token went, and the folder's pin.

    ``pin``: "pinned" (written now), "kept" (it named this channel already), "other" (it names
    ``pinned``, another channel, and stays so), "failed" (``why``) or "none" (no channel folder)."""

    channel: ChannelIdentity
    token_file: Path
    pin: str
    pinned: PinnedChannel | None = None
    why: str = ""


def sign_in(ws: Workspace | None, client_secrets: Path, open_browser: bool = True) -> SignInReport:
    """Sign in and store the token as its channel's; pin ``ws`` to that channel when it names none."""
    done = login(client_secrets, ALL_SCOPES, open_browser=open_browser)
    channel = done.channel
    if ws is None:
        return SignInReport(channel, done.token_file, "none")
    folder = pinned_or_index(ws)
    if folder is not None:
        same = folder.channel_id == channel.channel_id
        if same:
            tokens.remember(channel.channel_id, channel.title, ws.root)
        return SignInReport(channel, done.token_file, "kept" if same else "other", folder)
    try:
        pin(ws, channel.channel_id, channel.title)
    except (EpisodekitError, OSError) as exc:
        return SignInReport(channel, done.token_file, "failed", why=str(getattr(exc, "strerror", None) or exc))
    tokens.remember(channel.channel_id, channel.title, ws.root)
    return SignInReport(channel, done.token_file, "pinned")


def sign_in_report(ws: Workspace | None, online: bool = False) -> dict[str, Any]:
    """The sign-in this folder uses (its file's facts, as ``auth.status`` gives them), the channel it publishes
    to, and every stored sign-in with the folders pinned to its channel. ``YouTubeError`` when none is stored.

    ``online`` asks YouTube which channel the folder's sign-in is for (1 unit; not a check: nothing is refused).
    """
    folder = pinned_or_index(ws) if ws is not None else None
    report: dict[str, Any] = {"token_file": None, "channel": _folder_channel(folder), "problem": None}
    try:
        choice = tokens.choose(folder.channel_id if folder else None)
        report.update(status(choice.path))
    except EpisodekitError as exc:
        choice, report["problem"] = None, str(exc)
    report["tokens"] = _stored()
    if report["token_file"] is None and not report["tokens"]:
        raise YouTubeError(report["problem"] or "episodekit is not signed in to YouTube")
    if online and choice is not None and report["token_file"] is not None:
        credentials = refresh_if_needed(load_credentials(ALL_SCOPES, choice.path))
        with wire_errors():
            found = read_channel(build_service(credentials), command_retry())
        if choice.source == "legacy":
            tokens.adopt_legacy(found.channel_id)
        tokens.remember(found.channel_id, found.title)
        report["channels"] = [{"title": found.title, "id": found.channel_id}]
    return report


def _folder_channel(folder: PinnedChannel | None) -> dict[str, Any] | None:
    return None if folder is None else {"id": folder.channel_id, "title": folder.title}


def _stored() -> list[dict[str, Any]]:
    """Every stored sign-in: its channel, title, file facts and the folders pinned to its channel."""
    found: list[dict[str, Any]] = []
    if tokens.override() is not None:  # that one file is every folder's sign-in: the store is not looked at
        return found
    for channel_id in tokens.stored_channels():
        facts: dict[str, Any] = {"channel_id": channel_id, "title": tokens.title_of(channel_id)}
        try:
            facts.update(status(tokens.channel_token(channel_id)))
        except YouTubeError as exc:
            facts["problem"] = str(exc)
        facts["folders"] = [f for f in tokens.folders_of(channel_id) if _still_pins(Path(f), channel_id)]
        found.append(facts)
    if tokens.legacy_token().is_file():
        found.append({"channel_id": None, "title": None, **_facts(tokens.legacy_token()), "folders": []})
    return found


def _facts(path: Path) -> dict[str, Any]:
    try:
        return status(path)
    except YouTubeError as exc:
        return {"token_file": str(path), "problem": str(exc)}


def _still_pins(folder: Path, channel_id: str) -> bool:
    """Whether the folder's channel.yaml is there and still names ``channel_id`` (the index may be old)."""
    try:
        channel, _ = load_channel_source(folder / CHANNEL_FILE)
    except (InputError, OSError):
        return False
    return channel.youtube_channel == channel_id


def sign_out(ws: Workspace | None, channel_id: str | None = None) -> tuple[Path, bool]:
    """Delete the token of ``channel_id``, or (None) the one this folder uses; (its file, whether there was one).

    The grant itself stays listed at ``PERMISSIONS_PAGE`` until removed there.
    """
    if channel_id is not None:
        if not CHANNEL_ID.fullmatch(channel_id):
            raise UsageError(f"{channel_id!r} is not a YouTube channel id (UC and 22 letters, digits, - or _); "
                             f"{command_line('auth status')} lists the stored ones")
        target = tokens.channel_token(channel_id)
    else:
        folder = pinned_or_index(ws) if ws is not None else None
        try:
            target = tokens.choose(folder.channel_id if folder else None).path
        except RefusedError:  # several stored, and no folder's channel to tell which
            raise UsageError(f"name the channel whose sign-in to remove: {command_line('auth logout CHANNEL_ID')} "
                             f"(stored: {tokens.describe(tokens.stored_channels())})") from None
        except YouTubeError:  # nothing stored for it: nothing to remove
            forced = tokens.override()
            target = forced or (tokens.channel_token(folder.channel_id) if folder else tokens.tokens_folder())
            return target, False
    return target, logout(target)
