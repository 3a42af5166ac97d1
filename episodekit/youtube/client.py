"""Build the YouTube Data API client, and word its errors for a creator.

``build_service`` builds from the client's bundled discovery document with the
root URL replaced: that is what moves every call, uploads included, to another
server (a test fake).  ``client_options={"api_endpoint": ...}`` does not move
uploads.  ``EPISODEKIT_API_ROOT`` sets that root from the environment.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from datetime import datetime, timezone

import google_auth_httplib2
from google.auth.exceptions import RefreshError, TransportError
from googleapiclient.discovery import build_from_document
from googleapiclient.discovery_cache import get_static_doc
from googleapiclient.errors import HttpError, ResumableUploadError
from googleapiclient.http import build_http

from ..errors import YouTubeError, command_line
from ..models.text import TITLE_MAX_CHARS
from ..pipeline.limits import DESCRIPTION_MAX_BYTES, TAGS_MAX_CHARS
from ..publish.quota import DAILY_UNITS, DAILY_UPLOADS, cost_of, next_reset

# a renewal of the sign-in that failed: Google refused it, or its sign-in server could not be reached
SIGN_IN_ERRORS = (RefreshError, TransportError)
SIGN_IN_UNREACHABLE = ("Google's sign-in server could not be reached to renew the YouTube sign-in; "
                       "check the connection and try again.")

API_ROOT_ENV = "EPISODEKIT_API_ROOT"
TOKEN_FILE_ENV = "EPISODEKIT_TOKEN_FILE"
YOUTUBE_ROOT = "https://youtube.googleapis.com/"
QUOTA_EXCEEDED = "quotaExceeded"  # the reason of a 403 for a daily quota that ran out
AUDIT_FORM = "https://support.google.com/youtube/contact/yt_api_form"  # YouTube API Services audit and quota form
INVALID_GRANT = ("Google refused to renew the saved YouTube sign-in (invalid_grant: it expired or was revoked). "
                 "If the OAuth consent screen of your Google Cloud project is in \"Testing\", Google ends its "
                 "sign-ins 7 days after consent: publish the app (Google Cloud console > Google Auth Platform > "
                 "Audience, or APIs & Services > OAuth consent screen: \"Publish app\") so they last, or sign in "
                 "again each week. Now {hint}: a rerun continues where this run stopped.")


def auth_hint() -> str:
    """What to run to sign in again."""
    return f"run {command_line('auth login')} and try again"

FIELD_RULES = {  # 400 reason -> (field, the rule YouTube applies)
    "invalidTitle": ("title", f"it must be 1 to {TITLE_MAX_CHARS} characters, without '<' or '>'"),
    "invalidDescription": ("description",
                           f"it must be at most {DESCRIPTION_MAX_BYTES} bytes (UTF-8), without '<' or '>'"),
    "invalidTags": ("tags", f"together they may be at most {TAGS_MAX_CHARS} characters, counting a comma "
                            "between tags and quotes around a tag that has a space"),
    "invalidPublishAt": ("release time (status.publishAt)",
                         "it must be in the future, and the video must stay private until then"),
    "invalidCategoryId": ("category (snippet.categoryId)",
                          "it must be a valid YouTube category id such as 27 (Education)"),
}
_SECRET_PATTERNS = [
    re.compile(r"ya29\.[\w.\-]+"),  # Google OAuth access tokens
    re.compile(r"1//[\w.\-]+"),  # Google refresh tokens
    re.compile(r"(?i)bearer\s+\S+"),
    re.compile(r"(?i)(access_token|refresh_token|client_secret|upload_id|key)=[^&\s]+"),
]


def _normalize_root(root_url: str) -> str:
    return root_url if root_url.endswith("/") else root_url + "/"


def discovery_document(root_url: str | None = None) -> dict:
    """The bundled YouTube v3 discovery document, pointed at ``root_url`` when given."""
    doc = json.loads(get_static_doc("youtube", "v3"))
    if root_url:
        doc["rootUrl"] = doc["mtlsRootUrl"] = _normalize_root(root_url)
    return doc


def api_root(root_url: str | None = None) -> str:
    """``root_url``, else ``$EPISODEKIT_API_ROOT``, else YouTube's own root; ends with "/"."""
    return _normalize_root(root_url or os.environ.get(API_ROOT_ENV, "").strip() or YOUTUBE_ROOT)


def build_service(credentials, root_url: str | None = None):
    """A ``youtube`` v3 service sending ``credentials``' bearer token to ``root_url``.

    ``build_http()`` keeps httplib2 from following the resumable protocol's 308
    as a redirect.
    """
    http = build_http()
    if credentials is not None:  # None: a dry run, which builds requests but never sends them
        http = google_auth_httplib2.AuthorizedHttp(credentials, http=http)
    return build_from_document(discovery_document(api_root(root_url)), http=http)


def _error_json(content: object) -> dict:
    """The ``error`` object of a Google JSON error body, or {} for anything else."""
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    try:
        data = json.loads(content) if isinstance(content, str) else None
    except ValueError:
        return {}
    if isinstance(data, list) and data:
        data = data[0]
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, str):  # OAuth style: {"error": "invalid_grant", "error_description": ...}
        return {"message": str(data.get("error_description") or error), "status": error}
    return error if isinstance(error, dict) else {}


def _reason(error: dict) -> str:
    details = error.get("errors")
    if isinstance(details, list):
        for detail in details:
            if isinstance(detail, dict) and detail.get("reason"):
                return str(detail["reason"])
    return str(error.get("status") or "")


def error_reason(exc: BaseException) -> str:
    """The reason Google gave for ``exc`` (``quotaExceeded``, ``rateLimitExceeded``, ``invalid_grant`` ...),
    from any shape of its JSON error body; "" when there is none."""
    return _reason(_error_json(getattr(exc, "content", b"")))


def is_quota(exc: BaseException) -> bool:
    """A daily quota of the project ran out: nothing helps until it resets, so no retry, no next step."""
    return isinstance(exc, HttpError) and error_reason(exc) == QUOTA_EXCEEDED


def _clean(text: str, secrets: Iterable[str] = (), limit: int = 200) -> str:
    """One line of plain text: no HTML, no token-like strings, at most ``limit`` characters."""
    text = re.sub(r"<[^>]*>", "", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub("[redacted]", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _refresh_reason(exc: RefreshError) -> str:
    """The OAuth error code of a refused renewal (``invalid_grant`` ...); google-auth passes the answer's JSON second."""
    body = exc.args[1] if len(exc.args) > 1 else None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return body["error"]
    text = str(exc.args[0]) if exc.args else ""
    return text.split(":", 1)[0].strip() if text.startswith("invalid_") else ""


def _is_upload(exc: HttpError, method: str | None) -> bool | None:
    """Whether the failed call was an upload (``videos.insert``); None when it cannot tell."""
    if method:
        return method == "videos.insert"
    if exc.uri:
        return "/upload/youtube/v3/videos" in str(exc.uri)
    return True if isinstance(exc, ResumableUploadError) else None


def _quota_message(upload: bool | None, now: datetime | None) -> str:
    reset = next_reset(now or datetime.now(timezone.utc)).strftime("%H:%M UTC")
    when = (f"it resets at midnight Pacific time ({reset}); nothing was lost, run the command again then (more "
            f"quota for the project: {AUDIT_FORM})")
    if upload:
        return (f"YouTube's daily upload quota for this project is used up ({DAILY_UPLOADS} "
                f"uploads a day, counted apart from the {DAILY_UNITS:,} API units); {when}.")
    if upload is False:
        return (f"YouTube's daily API quota for this project is used up ({DAILY_UNITS:,} units "
                f"a day; an update costs {cost_of('videos.update').units}, a lookup "
                f"{cost_of('videos.list').units}); {when}.")
    return (f"A daily YouTube quota of this project is used up ({DAILY_UNITS:,} API units, or "
            f"{DAILY_UPLOADS} uploads); {when}.")


def youtube_error(exc: HttpError | RefreshError | TransportError, *, method: str | None = None,
                  secrets: Iterable[str] = (), now: datetime | None = None) -> YouTubeError:
    """One line a creator understands for YouTube's refusal ``exc``; never holds a token.

    ``method`` (``"videos.insert"``) tells which quota ran out when the URL
    cannot; ``secrets`` are strings to blank out should the API echo them.  A
    ``RefreshError`` (a 401 whose token could not be renewed) gets the 401 advice.
    """
    if isinstance(exc, TransportError):  # a 401 made the client renew the sign-in, and Google was not there
        return YouTubeError(SIGN_IN_UNREACHABLE)
    if isinstance(exc, RefreshError):
        if _refresh_reason(exc) == "invalid_grant":
            return YouTubeError(INVALID_GRANT.format(hint=auth_hint()))
        return YouTubeError("The saved YouTube sign-in could not be renewed (expired, revoked "
                            f"or refused); {auth_hint()}.")
    status = getattr(getattr(exc, "resp", None), "status", 0) or 0
    error = _error_json(getattr(exc, "content", b""))
    reason = _clean(_reason(error), secrets, limit=60)
    if reason == QUOTA_EXCEEDED:
        return YouTubeError(_quota_message(_is_upload(exc, method), now))
    if reason == "uploadLimitExceeded":
        return YouTubeError("The channel has reached YouTube's limit of uploads in 24 hours (uploadLimitExceeded: "
                            "the channel's own limit, not the API project's quota); nothing was uploaded and "
                            "nothing is lost: run the same command again in 24 hours (a channel verified at "
                            "https://www.youtube.com/verify may upload more).")
    if status == 401:
        return YouTubeError(f"YouTube did not accept the saved sign-in (401 {reason or 'unauthorized'}); "
                            f"{auth_hint()}.")
    if status == 400 and reason in FIELD_RULES:
        field, rule = FIELD_RULES[reason]
        return YouTubeError(f"YouTube rejected the video's {field} ({reason}): {rule}.")
    if status == 403 and reason == "forbidden":
        return YouTubeError("YouTube refused (403 forbidden): that video or channel does not belong "
                            "to the signed-in account; check the video id, or sign in as the "
                            f"channel's owner with {command_line('auth login')}.")
    if status == 404 and reason == "videoNotFound":
        return YouTubeError("YouTube has no video with that id (404 videoNotFound); it may have "
                            "been deleted, so check the video id you recorded for it.")
    return YouTubeError(_generic(exc, status, reason, error, secrets))


def _generic(exc: HttpError, status: int, reason: str, error: dict, secrets: Iterable[str]) -> str:
    message = error.get("message")
    if not isinstance(message, str) or not message.strip():
        raw = getattr(exc, "content", b"")
        message = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")
    if not message.strip():
        message = str(getattr(getattr(exc, "resp", None), "reason", "") or "no message")
    label = " ".join(part for part in (str(status or "?"), reason) if part)
    return f"YouTube answered {label}: {_clean(message, secrets)}"
