"""Video resource rules: ``part`` parsing, metadata checks, replace-on-update.

Limits follow the ``video`` resource reference: title at most 100 characters,
description at most 5000 *bytes* (UTF-8), neither may contain ``<`` or ``>``;
tags at most 500 characters counted the way YouTube counts them (a comma
between tags counts, and a tag containing a space counts its two surrounding
quotes); ``status.publishAt`` only with ``privacyStatus: private`` and in the
future.  ``videos.update`` with the ``snippet`` part must carry ``title`` and
``categoryId``.  ``localizations`` (language -> title and description, under the same limits)
is replaced whole by an update that names the part, and needs ``snippet.defaultLanguage``
(``defaultLanguageNotSet``).  The reason for a missing ``categoryId`` (``invalidCategoryId``)
is this fake's choice; the docs only say both fields are required.
"""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import datetime, timezone

from .errors import ApiError, bad

VIDEO_PARTS = frozenset({
    "id", "snippet", "status", "contentDetails", "fileDetails", "liveStreamingDetails",
    "localizations", "player", "processingDetails", "recordingDetails", "statistics",
    "suggestions", "topicDetails", "paidProductPlacementDetails",
})
SNIPPET_MUTABLE = ("title", "description", "tags", "categoryId", "defaultLanguage", "defaultAudioLanguage")
STATUS_MUTABLE = ("privacyStatus", "embeddable", "license", "publicStatsViewable", "publishAt",
                  "selfDeclaredMadeForKids", "containsSyntheticMedia")
# What a status field reverts to when an update's status part omits it.
STATUS_DEFAULTS = {"privacyStatus": "private", "embeddable": True, "license": "youtube",
                   "publicStatsViewable": True}
WHOLE_PARTS = ("localizations", "recordingDetails")  # replaced as one object
CATEGORY_IDS = frozenset({"1", "2", "10", "15", "17", "19", "20", "22", "23", "24", "25", "26",
                          "27", "28", "29"})
MAX_TITLE_CHARS = 100
MAX_DESCRIPTION_BYTES = 5000
MAX_TAGS_CHARS = 500


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def etag(resource: dict) -> str:
    return hashlib.sha256(json.dumps(resource, sort_keys=True).encode()).hexdigest()[:27]


def parse_parts(value: str | None, allowed: frozenset[str] = VIDEO_PARTS) -> list[str]:
    if not value:
        raise ApiError(400, "missingRequiredParameter", "No filter selected. Expected one of: part",
                       domain="youtube.parameter", location="part", location_type="parameter")
    parts = [p.strip() for p in value.split(",") if p.strip()]
    for part in parts:
        if part not in allowed:
            raise ApiError(400, "unknownPart", repr(part), domain="youtube.part",
                           location="part", location_type="parameter")
    return parts


def tags_length(tags: list[str]) -> int:
    """Length of a tag list as YouTube counts it against the 500-character limit."""
    quoted = sum(len(t) + (2 if " " in t else 0) for t in tags)
    return quoted + max(len(tags) - 1, 0)


def check_snippet(snippet: object, *, updating: bool) -> None:
    if not isinstance(snippet, dict):
        snippet = {}
    title = snippet.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE_CHARS \
            or "<" in title or ">" in title:
        raise bad("invalidTitle", "The request metadata specifies an invalid or empty video title.",
                  "body.snippet.title")
    description = snippet.get("description", "")
    if not isinstance(description, str) or "<" in description or ">" in description \
            or len(description.encode("utf-8")) > MAX_DESCRIPTION_BYTES:
        raise bad("invalidDescription", "The request metadata specifies an invalid video description.",
                  "body.snippet.description")
    tags = snippet.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags) \
            or tags_length(tags) > MAX_TAGS_CHARS:
        raise bad("invalidTags", "The request metadata specifies invalid video keywords.",
                  "body.snippet.tags")
    category = snippet.get("categoryId")
    if (category is None and updating) or (category is not None and str(category) not in CATEGORY_IDS):
        raise bad("invalidCategoryId", "The snippet.categoryId property specifies an invalid category ID.",
                  "body.snippet.categoryId")


def check_status(status: object, now: datetime) -> None:
    if not isinstance(status, dict):
        status = {}
    privacy = status.get("privacyStatus", STATUS_DEFAULTS["privacyStatus"])
    if privacy not in ("private", "public", "unlisted") \
            or status.get("license", "youtube") not in ("youtube", "creativeCommon"):
        raise bad("invalidVideoMetadata", "The request metadata is invalid.", "body.status")
    if "publishAt" not in status:
        return
    message = "The request metadata specifies an invalid scheduled publishing time."
    try:
        when = datetime.fromisoformat(str(status["publishAt"]).replace("Z", "+00:00"))
    except ValueError:
        raise bad("invalidPublishAt", message, "body.status.publishAt") from None
    if privacy != "private" or when.tzinfo is None or when <= now:
        raise bad("invalidPublishAt", message, "body.status.publishAt")


def _status(sent: dict, keep: dict) -> dict:
    """Mutable status fields from ``sent`` (or defaults), read-only ones from ``keep``."""
    status = {k: v for k, v in keep.items() if k not in STATUS_MUTABLE}
    for key in STATUS_MUTABLE:
        if key in sent:
            status[key] = copy.deepcopy(sent[key])
        elif key in STATUS_DEFAULTS:
            status[key] = STATUS_DEFAULTS[key]
    if "selfDeclaredMadeForKids" in sent:
        status["madeForKids"] = bool(sent["selfDeclaredMadeForKids"])
    return status


def _snippet(sent: dict, keep: dict) -> dict:
    snippet = {k: v for k, v in keep.items() if k not in SNIPPET_MUTABLE}
    for key in SNIPPET_MUTABLE:
        if key in sent:
            snippet[key] = copy.deepcopy(sent[key])
    snippet.setdefault("title", "")
    snippet.setdefault("description", "")
    if "categoryId" in snippet:
        snippet["categoryId"] = str(snippet["categoryId"])
    if not snippet.get("tags"):
        snippet.pop("tags", None)  # YouTube omits an empty tag list
    snippet["localized"] = {"title": snippet["title"], "description": snippet["description"]}
    return snippet


def new_video(video_id: str, meta: dict, *, channel_id: str, channel_title: str, now: datetime,
              thumbnail_root: str) -> dict:
    """A full stored resource for a freshly uploaded video (all parts)."""
    sent = meta.get("snippet") or {}
    read_only = {
        "publishedAt": rfc3339(now), "channelId": channel_id, "channelTitle": channel_title,
        "liveBroadcastContent": "none",
        "thumbnails": {"default": {"url": f"{thumbnail_root}vi/{video_id}/default.jpg",
                                   "width": 120, "height": 90}},
    }
    snippet = _snippet(sent, read_only)
    snippet.setdefault("categoryId", "22")  # People & Blogs, YouTube's default
    video = {
        "kind": "youtube#video", "id": video_id,
        "snippet": snippet,
        "status": _status(meta.get("status") or {},
                          {"uploadStatus": "uploaded", "madeForKids": False}),
        "statistics": {"viewCount": "0", "likeCount": "0", "favoriteCount": "0", "commentCount": "0"},
        "processingDetails": {"processingStatus": "processing"},
    }
    for part in WHOLE_PARTS:
        if part in meta:
            video[part] = copy.deepcopy(meta[part])
    return video


def check_writable(meta: dict, parts: list[str], now: datetime, *, updating: bool,
                   stored: dict | None = None) -> None:
    """The parts of an insert or an update (``stored``: the video being updated)."""
    if "snippet" in parts:
        check_snippet(meta.get("snippet"), updating=updating)
    if "status" in parts:
        check_status(meta.get("status"), now)
    if "localizations" in parts:
        snippet = meta.get("snippet") if "snippet" in parts else (stored or {}).get("snippet")
        check_localizations(meta.get("localizations"), (snippet or {}).get("defaultLanguage"))


def check_localizations(localizations: object, default_language: object) -> None:
    """``localizations``: language -> ``{title, description}``, each under the snippet's limits; a video with
    localizations must say its own language (``snippet.defaultLanguage``: of this request when it sends
    the snippet, else the video's), or YouTube answers ``defaultLanguageNotSet``. The reasons for a bad
    localized title or description (``invalidTitle``/``invalidDescription`` at the localization) are this
    fake's choice."""
    if not localizations:
        return
    if not isinstance(localizations, dict):
        raise bad("invalidVideoMetadata", "The request metadata is invalid.", "body.localizations")
    if not default_language:
        raise bad("defaultLanguageNotSet", "The request is trying to add localized video details without "
                  "specifying the default language of the video details.", "body.snippet.defaultLanguage")
    for language, text in localizations.items():
        text = text if isinstance(text, dict) else {}
        title, description = text.get("title"), text.get("description", "")
        if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE_CHARS \
                or "<" in title or ">" in title:
            raise bad("invalidTitle", "The request metadata specifies an invalid or empty video title.",
                      f"body.localizations.{language}.title")
        if not isinstance(description, str) or "<" in description or ">" in description \
                or len(description.encode("utf-8")) > MAX_DESCRIPTION_BYTES:
            raise bad("invalidDescription", "The request metadata specifies an invalid video description.",
                      f"body.localizations.{language}.description")


def apply_update(video: dict, body: dict, parts: list[str]) -> dict:
    """Replace every mutable field of each part in ``parts``; leave other parts alone."""
    updated = copy.deepcopy(video)
    if "snippet" in parts:
        updated["snippet"] = _snippet(body.get("snippet") or {}, video["snippet"])
    if "status" in parts:
        updated["status"] = _status(body.get("status") or {}, video["status"])
    for part in WHOLE_PARTS:
        if part in parts:
            if body.get(part):
                updated[part] = copy.deepcopy(body[part])
            else:
                updated.pop(part, None)
    return updated


def project(resource: dict, parts: list[str]) -> dict:
    """What the API returns: kind, etag, id and only the requested parts."""
    out = {"kind": resource["kind"], "etag": etag(resource), "id": resource["id"]}
    for part in parts:
        if part in resource and part != "id":
            out[part] = copy.deepcopy(resource[part])
    return out
