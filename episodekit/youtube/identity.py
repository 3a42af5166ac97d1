"""Which YouTube channel a sign-in speaks for: ``channels.list mine=true`` (1 unit).

A Google sign-in is for one channel: the account's own, or the Brand Account picked on Google's
consent screen. Every command that writes to YouTube (and ``import``) asks once per run, before it
sends anything else, and refuses when the answer is not the channel the folder pins. The one
request is built here, for the check and for the dry run that describes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import RefusedError, YouTubeError, command_line
from ..retrying import RetryPolicy
from .retry import with_retries

CHANNEL_PARTS = "snippet,contentDetails"  # the title, and the uploads playlist `import` lists
BRAND_ACCOUNT_HINT = ("the channel is the account, or the Brand Account, picked on Google's consent screen: "
                      "for another channel of the same Google account, run {login} again and pick that one")
NO_CHANNEL = ("the Google account that signed in has no YouTube channel; run {login} again and pick, on Google's "
              "consent screen, the account or Brand Account that owns the channel (or create the channel first at "
              "https://www.youtube.com/create_channel)")


@dataclass(frozen=True)
class ChannelIdentity:
    """The channel a sign-in speaks for, as YouTube names it."""

    channel_id: str
    title: str
    uploads: str | None  # the id of its uploads playlist

    def __str__(self) -> str:
        return f"{self.title!r} ({self.channel_id})"

    def as_json(self) -> dict[str, str]:
        """The channel as the JSON documents of sync and restore name it."""
        return {"id": self.channel_id, "title": self.title}


def channel_request(service: Any) -> Any:
    """The ``channels.list mine=true`` request of the check (unsent)."""
    return service.channels().list(part=CHANNEL_PARTS, mine=True)


def read_channel(service: Any, retry: RetryPolicy) -> ChannelIdentity:
    """Ask YouTube which channel the sign-in speaks for; ``YouTubeError`` when the account has none."""
    items = with_retries(channel_request(service).execute, retry).get("items") or []
    if not items:
        raise YouTubeError(NO_CHANNEL.format(login=command_line("auth login")) + ".")
    item = items[0]
    uploads = ((item.get("contentDetails") or {}).get("relatedPlaylists") or {}).get("uploads")
    return ChannelIdentity(item["id"], str((item.get("snippet") or {}).get("title") or item["id"]), uploads)


def mismatch(pinned: str, found: ChannelIdentity, token: str, overridden: bool) -> RefusedError:
    """The refusal of a sign-in for another channel than the folder's: both channels, and what to do."""
    login = command_line("auth login")
    fix = (f"unset EPISODEKIT_TOKEN_FILE (or point it at that channel's token) or run {login} with it set"
           if overridden else f"run {login} in this folder and pick that channel on Google's consent screen "
           "(its Brand Account, if it has one)")
    return RefusedError(
        f"this folder publishes to YouTube channel {pinned} (youtube_channel in channel.yaml), but the sign-in in "
        f"{token} is for channel {found}; nothing was sent. To write to {pinned}, {fix}; if the folder now belongs "
        f"to {found.title!r}, change youtube_channel in channel.yaml to {found.channel_id}")
