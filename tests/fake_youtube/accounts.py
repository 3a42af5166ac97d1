"""Google accounts and their YouTube channels: which channel a token speaks for.

YouTube ties every OAuth grant to one channel: the account, or the Brand Account, picked on
Google's consent screen.  The fake does the same.  Its first channel (``channel_id``,
``channel_title``) owns ``access_token`` and ``refresh_token``; ``add_account`` makes another,
with tokens of its own.  Each access token, refresh token and one-time code maps to its channel
(``token_channel``, ``refresh_channel``, ``code_channel``); one not mapped is the first
channel's.  A token renewed from a refresh token, or redeemed from a code, belongs to the
channel of that grant.

What a channel's account changes: ``channels.list mine=true`` answers its channel; an upload
lands on it; a write to a video (``videos.update``, ``videos.delete``, ``thumbnails.set``)
of another channel is ``403 forbidden``, and a playlist item added to another channel's playlist
is ``403 playlistItemsNotAccessible``; its uploads playlist (``UU`` + the id after ``UC``) holds
only its own videos.  ``unverified`` channels get the ``403 forbidden`` of ``thumbnails.set``
that YouTube answers a channel not verified for custom thumbnails (body as Google sends it,
domain ``youtube.thumbnail``, location the Authorization header).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from .errors import ApiError

THUMBNAIL_REFUSED = "The authenticated user doesn't have permissions to upload and set custom video thumbnails."


@dataclass(frozen=True)
class FakeAccount:
    """A signed-in Google account: its channel, and the tokens a test puts in a token file."""

    channel_id: str
    title: str
    access_token: str
    refresh_token: str


def channel_id_for(title: str) -> str:
    """A channel id as YouTube shapes them (``UC`` and 22 characters), made from ``title``."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(title.encode()).digest()).decode()
    return "UC" + digest[:22]


class AccountsMixin:
    """The accounts half of ``FakeYouTube`` (uses its lock, tokens and ``now``)."""

    def add_account(self, title: str, *, channel_id: str | None = None, verified: bool = True) -> FakeAccount:
        """Another Google account with a channel ``title``; returns its channel id and fresh tokens."""
        with self._lock:
            channel_id = channel_id or channel_id_for(title)
            self.channel_titles[channel_id] = title
            if not verified:
                self.unverified.add(channel_id)
            access = "ya29.fake-" + self._new_id("token", 24)
            refresh = "1//fake-" + self._new_id("refresh", 32)
            self.valid_tokens.add(access)
            self.refresh_tokens.add(refresh)
            self.token_channel[access] = self.refresh_channel[refresh] = channel_id
            self.refresh_issued[refresh] = self.now()
            return FakeAccount(channel_id, title, access, refresh)

    def consent(self, code: str, scopes: str, channel_id: str | None = None) -> None:
        """A one-time code as Google's consent screen gives it, for the account of ``channel_id``."""
        with self._lock:
            self.auth_codes[code] = scopes
            self.code_channel[code] = channel_id or self.channel_id

    def uploads_playlist_of(self, channel_id: str) -> str:
        return "UU" + channel_id[2:]

    def _channel_of(self, access_token: str) -> str:
        return self.token_channel.get(access_token, self.channel_id)

    def _title_of(self, channel_id: str) -> str:
        return self.channel_titles.get(channel_id, self.channel_title if channel_id == self.channel_id else channel_id)

    def _owns(self, channel_id: str | None, video: dict) -> bool:
        return video["id"] not in self.not_owned and video["snippet"].get("channelId") == channel_id

    def _check_thumbnail_allowed(self, channel_id: str | None) -> None:
        if channel_id in self.unverified:
            raise ApiError(403, "forbidden", THUMBNAIL_REFUSED, domain="youtube.thumbnail",
                           location="Authorization", location_type="header")
