"""One authorised conversation with YouTube for a channel folder: its own sign-in, its own channel.

``folder_service`` picks the folder's token (``tokens.choose``), renews it when needed, and, for
every command that writes to YouTube and for ``import``, first asks which channel the sign-in
speaks for (``identity``, 1 unit, once per run). A sign-in of another channel than the one
``channel.yaml`` pins is refused before anything else is sent. A folder that pins no channel yet
is pinned to the signed-in one on its first write that YouTube accepts (``Connection.wrote``).
Errors of the wire become ``YouTubeError``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from googleapiclient.errors import HttpError

from ..errors import EpisodekitError, YouTubeError, command_line
from ..pipeline.channelpin import PinnedChannel, pin, pinned
from ..retrying import command_retry
from ..workspace import Workspace
from . import tokens
from .auth import load_credentials, refresh_if_needed
from .client import SIGN_IN_ERRORS, api_root, build_service, youtube_error
from .identity import ChannelIdentity, mismatch, read_channel
from .retry import TRANSPORT_ERRORS

log = logging.getLogger(__name__)


@dataclass
class Connection:
    """A built client for one folder, and what is known of its channel."""

    service: Any
    ws: Workspace
    choice: tokens.TokenChoice
    channel: ChannelIdentity | None = None  # the signed-in channel, once checked
    pinned: PinnedChannel | None = None  # the channel channel.yaml names

    def wrote(self) -> None:
        """YouTube accepted a write: a folder that pins no channel yet is pinned to the signed-in one."""
        if self.channel is None or self.pinned is not None:
            return
        found = self.channel
        try:
            pin(self.ws, found.channel_id, found.title)
        except (EpisodekitError, OSError) as exc:  # the write is done; the next run pins it, or says why
            log.warning("could not record channel %s in channel.yaml: %s", found,
                        getattr(exc, "strerror", None) or exc)
            return
        self.pinned = PinnedChannel(found.channel_id, found.title)
        tokens.remember(found.channel_id, found.title, self.ws.root)
        log.info("channel.yaml now names YouTube channel %s (youtube_channel)", found)


def pinned_or_index(ws: Workspace) -> PinnedChannel | None:
    """The folder's pinned channel, its title from channel.yaml's comment or else from the index."""
    found = pinned(ws)
    if found is None or found.title:
        return found
    return PinnedChannel(found.channel_id, tokens.title_of(found.channel_id))


@contextmanager
def folder_service(ws: Workspace, scopes: Sequence[str], *, check: bool = True) -> Iterator[Connection]:
    """The folder's client, its sign-in renewed; with ``check``, its channel confirmed first (see the module)."""
    folder = pinned_or_index(ws)
    choice = tokens.choose(folder.channel_id if folder else None)
    credentials = refresh_if_needed(load_credentials(scopes, choice.path))
    log.debug("talking to the YouTube API at %s with the sign-in in %s", api_root(), choice.path)
    with wire_errors():
        connection = Connection(build_service(credentials), ws, choice, pinned=folder)
        if check:
            connection.channel = _checked(connection, credentials)
        yield connection


def _checked(connection: Connection, credentials: Any) -> ChannelIdentity:
    found = read_channel(connection.service, command_retry())
    if connection.choice.source == "legacy":  # the old single token: now it is known whose it is
        credentials.token_file = tokens.adopt_legacy(found.channel_id)
    folder = connection.pinned
    if folder is not None and folder.channel_id != found.channel_id:
        tokens.remember(found.channel_id, found.title)
        raise mismatch(str(folder), found, str(credentials.token_file or connection.choice.path),
                       overridden=connection.choice.source == "override")
    tokens.remember(found.channel_id, found.title, connection.ws.root if folder else None)
    log.info("signed in to YouTube channel %s", found)
    return found


def planned_channel(ws: Workspace) -> dict[str, Any]:
    """Which channel a run in ``ws`` would write to, and with which token, said without asking YouTube (a dry
    run's): ``id``, ``title``, ``pinned``, ``token_file`` and a ``note`` in words."""
    folder = pinned_or_index(ws)
    try:
        choice: tokens.TokenChoice | None = tokens.choose(folder.channel_id if folder else None)
        problem = None
    except EpisodekitError as exc:
        choice, problem = None, str(exc)
    channel_id = folder.channel_id if folder else (choice.channel_id if choice else None)
    title = (folder.title if folder else None) or tokens.title_of(channel_id)
    named = f"{title!r} ({channel_id})" if title else channel_id
    if choice is None or not choice.path.is_file():
        where = choice.path if choice else tokens.tokens_folder()
        note = problem or f"no sign-in at {where} yet: run {command_line('auth login')} first"
    elif folder is not None:
        note = (f"writes to channel {named}, which channel.yaml names; the run first asks YouTube which channel the "
                f"sign-in in {choice.path} is for (channels.list, 1 unit) and refuses any other")
    else:
        whose = f"channel {named}" if channel_id else "the channel YouTube names for it"
        note = (f"channel.yaml names no channel yet: writes to {whose}, signed in with {choice.path} (asked first: "
                "channels.list, 1 unit), and the first write YouTube accepts records it as youtube_channel")
    return {"id": channel_id, "title": title, "pinned": folder is not None,
            "token_file": str(choice.path) if choice else None, "note": note}


@contextmanager
def maybe_connection(ws: Workspace, scopes: Sequence[str], offline_ok: bool) -> Iterator[Connection | None]:
    """``folder_service``; when ``offline_ok`` and the folder has no sign-in, None."""
    if offline_ok:
        try:
            folder = pinned(ws)
            load_credentials(scopes, tokens.choose(folder.channel_id if folder else None).path)
        except YouTubeError:
            yield None
            return
    with folder_service(ws, scopes) as connection:
        yield connection


@contextmanager
def wire_errors() -> Iterator[None]:
    """YouTube's refusals, and a network that stays down after the retries, as ``YouTubeError``."""
    try:
        yield
    except (HttpError, *SIGN_IN_ERRORS) as exc:
        raise youtube_error(exc) from None
    except TRANSPORT_ERRORS as exc:  # still failing after the retries: the network, not a bug
        raise YouTubeError(f"YouTube could not be reached ({type(exc).__name__}); check the connection and "
                           "run the command again: what was done so far is recorded") from None
