"""The API methods, one per op; ``FakeYouTube._route`` calls them after auth and quota."""

from __future__ import annotations

import base64

from .errors import ApiError, bad, json_response, not_found
from .videos import apply_update, check_writable, etag, parse_parts, project, rfc3339

CHANNEL_PARTS = frozenset({"id", "snippet", "contentDetails", "statistics", "status", "brandingSettings"})
PLAYLIST_ITEM_PARTS = frozenset({"id", "snippet", "contentDetails", "status"})


def _page_token(offset: int) -> str:
    """An opaque page token (the fake's own form: the offset, base64url)."""
    return base64.urlsafe_b64encode(f"fake-page:{offset}".encode()).decode().rstrip("=")


def _page_start(token: str | None, total: int) -> int:
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        offset = int(text.removeprefix("fake-page:")) if text.startswith("fake-page:") else -1
    except ValueError:
        offset = -1
    if not 0 <= offset <= total:  # reason chosen by the fake
        raise bad("invalidPageToken", "The request specifies an invalid page token.", "pageToken",
                  domain="youtube.parameter")
    return offset


def _upload_item(video: dict, playlist_id: str, position: int) -> dict:
    """The playlist item of one video in the channel's uploads playlist."""
    snippet, video_id = video["snippet"], video["id"]
    return {"kind": "youtube#playlistItem", "id": "UU" + video_id, "snippet": {
        "publishedAt": snippet["publishedAt"], "channelId": snippet["channelId"], "title": snippet["title"],
        "description": snippet["description"], "channelTitle": snippet["channelTitle"],
        "playlistId": playlist_id, "position": position, "resourceId": {"kind": "youtube#video", "videoId": video_id}},
        "contentDetails": {"videoId": video_id, "videoPublishedAt": snippet["publishedAt"]},
        "status": {"privacyStatus": video["status"].get("privacyStatus", "private")}}


class ApiMixin:
    """videos.insert/list/update/delete, thumbnails.set, channels.list, playlistItems.insert/list."""

    def _videos_insert(self, entry, headers, body):
        parse_parts(entry["query"].get("part"))
        if self.upload_limit_reached:
            raise bad("uploadLimitExceeded", "The user has exceeded the number of videos they may upload.")
        metadata = (entry["body"] or {}) if entry["query"].get("uploadType") == "resumable" else {}
        if entry["query"].get("uploadType") != "multipart":  # multipart is checked once split
            self._check_metadata("videos.insert", entry["query"], metadata, entry["channel"])
        return self._start_upload("videos.insert", entry, headers, body, metadata)

    def _thumbnails_set(self, entry, headers, body):
        video_id = entry["query"].get("videoId")
        if video_id not in self.videos:
            raise not_found("videoNotFound", "The video that you are trying to set a thumbnail for cannot be found.")
        self._check_thumbnail_allowed(entry["channel"])
        if not self._owns(entry["channel"], self.videos[video_id]):
            raise ApiError(403, "forbidden", "The thumbnail can't be set for the specified video. The request "
                           "might not be properly authorized.", domain="youtube.thumbnail")
        return self._start_upload("thumbnails.set", entry, headers, body, {})

    def _videos_list(self, entry, headers, body):
        parts = parse_parts(entry["query"].get("part"))
        ids = [i for i in entry["query"].get("id", "").split(",") if i]
        if len(ids) > 50:  # reason chosen by the fake
            raise bad("invalidParameter", "At most 50 ids per request.", "id", domain="global")
        items = [self._with_caption_flag(project(self.videos[i], parts), parts) for i in ids if i in self.videos]
        page = {"totalResults": len(items), "resultsPerPage": len(items)}
        return json_response(200, {"kind": "youtube#videoListResponse", "etag": etag({"i": items}),
                           "items": items, "pageInfo": page})

    def _channels_list(self, entry, headers, body):
        """Only ``mine=true``: the channel of the token, with the parts asked for (``snippet``,
        ``contentDetails`` with ``relatedPlaylists.uploads``)."""
        parts = parse_parts(entry["query"].get("part"), CHANNEL_PARTS)
        if entry["query"].get("mine") != "true":
            raise bad("invalidParameter", "This fake answers only mine=true.", "mine", domain="global")
        channel = entry["channel"]
        item = project({"kind": "youtube#channel", "id": channel,
                        "snippet": {"title": self._title_of(channel), "description": ""},
                        "contentDetails": {"relatedPlaylists": {"likes": "LL",
                                                                "uploads": self.uploads_playlist_of(channel)}}},
                       parts)
        return json_response(200, {"kind": "youtube#channelListResponse", "etag": etag({"i": [item]}),
                                   "items": [item], "pageInfo": {"totalResults": 1, "resultsPerPage": 1}})

    def _playlistItems_list(self, entry, headers, body):
        """``playlistId`` with ``maxResults`` (0-50, default 5) and ``pageToken``: one page, and
        ``nextPageToken`` while more follow. The uploads playlist holds the channel's own videos, newest first."""
        query = entry["query"]
        parts = parse_parts(query.get("part"), PLAYLIST_ITEM_PARTS)
        size = int(query.get("maxResults") or 5)
        if not 0 <= size <= 50:  # reason chosen by the fake
            raise bad("invalidParameter", "maxResults must be between 0 and 50.", "maxResults", domain="global")
        items = self._playlist_contents(query.get("playlistId"))
        if query.get("videoId"):  # as YouTube: only the items of that video
            items = [i for i in items if i.get("snippet", {}).get("resourceId", {}).get("videoId") == query["videoId"]]
        start = _page_start(query.get("pageToken"), len(items))
        page = {"kind": "youtube#playlistItemListResponse",
                "items": [project(i, parts) for i in items[start:start + size]],
                "pageInfo": {"totalResults": len(items), "resultsPerPage": size}}
        if start + size < len(items):
            page["nextPageToken"] = _page_token(start + size)
        if start:
            page["prevPageToken"] = _page_token(max(0, start - size))
        page["etag"] = etag(page)
        return json_response(200, page)

    def _playlist_contents(self, playlist_id: str | None) -> list[dict]:
        if not playlist_id:
            raise bad("playlistIdRequired", "The request does not specify a value for the required "
                      "playlistId property.", domain="youtube.playlistItem")
        if playlist_id in self.playlists:
            return sorted((i for i in self.playlist_items if i["snippet"]["playlistId"] == playlist_id),
                          key=lambda i: i["snippet"]["position"])
        channel = next((c for c in {self.channel_id, *self.channel_titles} if self.uploads_playlist_of(c) == playlist_id),
                       None)
        if channel is None:
            raise not_found("playlistNotFound", "The playlist identified with the request's playlistId "
                            "parameter cannot be found.", domain="youtube.playlistItem")
        own = [v for v in reversed(list(self.videos.values())) if self._owns(channel, v)]
        own.sort(key=lambda v: v["snippet"]["publishedAt"], reverse=True)  # stable: the later upload first on a tie
        return [_upload_item(v, playlist_id, position) for position, v in enumerate(own)]

    def _video_for_write(self, video_id: str | None, channel: str | None) -> dict:
        if video_id not in self.videos:
            raise not_found("videoNotFound", "The video that you are trying to update cannot be found. "
                            "Check the value of the id field in the request body to ensure that it is correct.")
        if not self._owns(channel, self.videos[video_id]):
            raise ApiError(403, "forbidden", "The video that you are trying to update cannot be updated.")
        return self.videos[video_id]

    def _videos_update(self, entry, headers, body):
        parts = parse_parts(entry["query"].get("part"))
        sent = entry["body"] or {}
        video = self._video_for_write(sent.get("id"), entry["channel"])
        check_writable(sent, parts, self.now(), updating=True, stored=video)
        self.videos[video["id"]] = apply_update(video, sent, parts)
        return json_response(200, project(self.videos[video["id"]], parts))

    def _videos_delete(self, entry, headers, body):
        self._video_for_write(entry["query"].get("id"), entry["channel"])
        del self.videos[entry["query"]["id"]]
        return 204, {}, b""

    def _playlistItems_delete(self, entry, headers, body):
        item_id = entry["query"].get("id")
        kept = [i for i in self.playlist_items if i["id"] != item_id]
        if len(kept) == len(self.playlist_items):
            raise not_found("playlistItemNotFound", "The playlist item cannot be found.", domain="youtube.playlistItem")
        self.playlist_items[:] = kept
        return 204, {}, b""

    def _playlistItems_insert(self, entry, headers, body):
        parts = parse_parts(entry["query"].get("part"), frozenset({"id", "snippet", "contentDetails", "status"}))
        snippet = (entry["body"] or {}).get("snippet") or {}
        playlist_id = snippet.get("playlistId")
        if not playlist_id:
            raise bad("playlistIdRequired", "The request does not specify a value for the required playlistId property.",
                      domain="youtube.playlistItem")
        if playlist_id not in self.playlists:
            raise not_found("playlistNotFound", "The playlist cannot be found.", domain="youtube.playlistItem")
        if self.playlists[playlist_id].get("channelId", self.channel_id) != entry["channel"]:
            raise ApiError(403, "playlistItemsNotAccessible", "The request is not properly authorized to insert "
                           "the specified playlist item.", domain="youtube.playlistItem")
        video_id = (snippet.get("resourceId") or {}).get("videoId")
        if video_id not in self.videos:
            raise not_found("videoNotFound", "The video that you are trying to add cannot be found.",
                            domain="youtube.playlistItem")
        siblings = [i for i in self.playlist_items if i["snippet"]["playlistId"] == playlist_id]
        position = min(int(snippet.get("position", len(siblings))), len(siblings))
        video = self.videos[video_id]["snippet"]
        item = {"kind": "youtube#playlistItem", "id": self._new_id("item", 40), "snippet": {
            "publishedAt": rfc3339(self.now()), "channelId": entry["channel"], "title": video["title"],
            "description": video["description"], "channelTitle": self._title_of(entry["channel"]),
            "playlistId": playlist_id, "position": position,
            "resourceId": {"kind": "youtube#video", "videoId": video_id}},
            "contentDetails": {"videoId": video_id}, "status": {"privacyStatus": "public"}}
        for other in siblings:
            if other["snippet"]["position"] >= position:
                other["snippet"]["position"] += 1
        self.playlist_items.append(item)
        return json_response(200, project(item, parts))
