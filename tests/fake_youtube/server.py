"""The HTTP side of the fake: lifecycle, routing, auth, quota, fault injection."""

from __future__ import annotations

import base64
import copy
import fnmatch
import hashlib
import json
import socket
import sys
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import errors
from .accounts import AccountsMixin
from .api import ApiMixin
from .captions import CAPTION_COSTS, CaptionsMixin, caption_op
from .errors import ApiError, bad, json_response, not_found
from .oauth import TokenMixin
from .uploads import DROP, Session, UploadRecord, UploadsMixin
from .videos import new_video

# Units charged to the shared daily bucket; videos.insert is charged 1 *call*
# to its own bucket instead (see the package docstring).
COSTS = {"videos.list": 1, "channels.list": 1, "videos.update": 50, "videos.delete": 50, "thumbnails.set": 50,
         "playlistItems.insert": 50, "playlistItems.list": 1, "playlistItems.delete": 50, **CAPTION_COSTS}


# how often the server's loop looks for a stop: a stop waits up to this long, once per test that starts one
POLL_SECONDS = 0.005


class FakeYouTube(UploadsMixin, ApiMixin, CaptionsMixin, TokenMixin, AccountsMixin):
    """An in-memory YouTube Data API v3 on 127.0.0.1 (port 0), served from a daemon thread.

    State, all public and editable by tests: ``videos`` (id -> full resource),
    ``uploads`` / ``thumbnails`` (video id -> ``UploadRecord``), ``playlists``,
    ``playlist_items``, ``captions`` (caption id -> ``StoredCaption``, see ``CaptionsMixin``),
    ``requests`` (log: op, method, path, query, body, size,
    content_range, status, range), ``quota_used`` / ``quota_limit`` (units),
    ``upload_quota_used`` / ``upload_quota_limit`` (videos.insert calls),
    ``valid_tokens``, ``refresh_tokens``, ``auth_codes`` (one-time code -> scopes,
    see ``TokenMixin``), ``not_owned`` (ids that answer 403 on write), ``upload_limit_reached``, ``read_timeout`` and ``now`` (a callable).
    Accounts (``AccountsMixin``): ``channel_titles``, ``token_channel``, ``refresh_channel``, ``code_channel``,
    ``unverified`` (channels refused custom thumbnails); each logged request also has ``channel``, the
    channel its token speaks for (None before auth).  ``unaudited``: uploads are locked private, as for an
    API project Google has not audited.  ``testing_consent``: refresh tokens expire 7 days after consent,
    as for an OAuth app whose publishing status is "Testing" (``refresh_issued`` holds when each was given).
    """

    def __init__(self, *, access_token: str = "fake-access-token",
                 refresh_token: str = "fake-refresh-token", quota_limit: int = 10_000,
                 upload_quota_limit: int = 100, channel_id: str = "UCfakeChannel000000000AA",
                 read_timeout: float = 10.0):
        self.access_token, self.refresh_token = access_token, refresh_token
        self.valid_tokens: set[str] = {access_token}
        self.refresh_tokens: set[str] = {refresh_token}
        self.auth_codes: dict[str, str] = {}  # one-time code -> scopes it grants
        self.quota_limit, self.upload_quota_limit = quota_limit, upload_quota_limit
        self.quota_used = self.upload_quota_used = 0
        self.channel_id, self.channel_title = channel_id, "Fake Channel"
        self.read_timeout = read_timeout
        self.now = lambda: datetime.now(timezone.utc)
        self.channel_titles: dict[str, str] = {}
        self.token_channel: dict[str, str] = {}
        self.refresh_channel: dict[str, str] = {}
        self.code_channel: dict[str, str] = {}
        self.refresh_issued: dict[str, datetime] = {refresh_token: self.now()}
        self.unverified: set[str] = set()
        self.unaudited = False
        self.testing_consent = False
        self.videos: dict[str, dict] = {}
        self.uploads: dict[str, UploadRecord] = {}
        self.thumbnails: dict[str, UploadRecord] = {}
        self.playlists: dict[str, dict] = {}
        self.playlist_items: list[dict] = []
        self.captions: dict = {}  # caption id -> StoredCaption (captions.py)
        self.requests: list[dict] = []
        self.upload_limit_reached = False
        self.token_unreachable = False  # True: the token endpoint closes every connection unanswered
        self.not_owned: set[str] = set()
        self._sessions: dict[str, Session] = {}
        self._fail_next: list[list] = []  # [pattern, status, times_left, reason, retry_after]
        self._chunk_fail: dict[int, int] = {}
        self._stall_from: int | None = None
        self._chunk_drop: dict[int, int] = {}
        self._drop_next: list[list] = []  # [pattern, times_left, after]
        self._chunks_seen = 0
        self._counter = 0
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle -------------------------------------------------------
    def start(self) -> "FakeYouTube":
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = _Server(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(POLL_SECONDS,),
                                        name="fake-youtube", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = self._thread = None

    def __enter__(self) -> "FakeYouTube":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeYouTube is not running; call start() or use it as a context manager")
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    @property
    def token_uri(self) -> str:
        return self.root_url + "token"

    def discovery(self, doc: dict) -> dict:
        """A copy of a discovery document (``get_static_doc``, parsed) pointed at this fake."""
        doc = copy.deepcopy(doc)
        doc["rootUrl"] = doc["mtlsRootUrl"] = self.root_url
        return doc

    # ---- seeding and inspection -----------------------------------------
    def _new_id(self, kind: str, length: int = 11) -> str:
        self._counter += 1
        digest = hashlib.sha256(f"{kind}:{self._counter}".encode()).digest()
        return base64.urlsafe_b64encode(digest).decode()[:length]

    def add_video(self, *, owned: bool = True, channel_id: str | None = None, **meta) -> str:
        """Store a video as if uploaded earlier to ``channel_id`` (default: the first channel);
        ``meta`` is ``snippet=..., status=...``."""
        with self._lock:
            video_id = self._new_id("video")
            channel = channel_id or self.channel_id
            self.videos[video_id] = new_video(video_id, meta, channel_id=channel, channel_title=self._title_of(channel),
                                              now=self.now(), thumbnail_root=self.root_url)
            if not owned:
                self.not_owned.add(video_id)
            return video_id

    def add_playlist(self, title: str = "Fake playlist", channel_id: str | None = None) -> str:
        with self._lock:
            playlist_id = "PL" + self._new_id("playlist", 32)
            self.playlists[playlist_id] = {"title": title, "channelId": channel_id or self.channel_id}
            return playlist_id

    @property
    def uploads_playlist(self) -> str:
        """The id of the channel's uploads playlist, as YouTube derives it: ``UU`` + the channel id after ``UC``."""
        return self.uploads_playlist_of(self.channel_id)

    def requests_for(self, op_pattern: str) -> list[dict]:
        """Logged requests whose ``op`` matches a glob such as ``videos.insert*``."""
        return [r for r in self.requests if fnmatch.fnmatchcase(r["op"], op_pattern)]

    # ---- fault injection --------------------------------------------------
    def fail_next(self, pattern: str, status: int = 503, times: int = 1, reason: str | None = None,
                  retry_after: int | None = None):
        """Answer the next ``times`` requests whose op (``videos.update``, ``videos.insert.chunk``
        ...) or ``"METHOD /path"`` matches the glob ``pattern`` with a YouTube-shaped error;
        ``retry_after`` (seconds) adds a ``Retry-After`` header, as Google sends with a 429."""
        with self._lock:
            self._fail_next.append([pattern, status, times, reason, retry_after])

    def fail_chunk(self, n: int, status: int = 503, times: int = 1) -> None:
        """Answer data-chunk PUTs number n .. n+times-1 (1-based, over the fake's life,
        status queries not counted) with ``status``; their bytes are not kept."""
        with self._lock:
            for i in range(n, n + times):
                self._chunk_fail[i] = status

    def stall_chunks(self, n: int = 1) -> None:
        """From data-chunk PUT number n on, keep nothing and answer 308 with the range already
        held: an upload that never makes progress."""
        with self._lock:
            self._stall_from = n

    def drop_connection_on_chunk(self, n: int, keep: int = 0, times: int = 2) -> None:
        """Read chunk PUT number n, keep its first ``keep`` bytes, close the socket unanswered.
        ``times=2`` also drops httplib2's own silent replay, so the caller sees the error."""
        with self._lock:
            for i in range(n, n + times):
                self._chunk_drop[i] = keep if i == n else 0

    def drop_next(self, pattern: str, times: int = 2, after: bool = False) -> None:
        """Close the socket unanswered on the next ``times`` requests whose op matches the glob
        ``pattern``; with ``after`` the request takes effect first (an answer lost on the way back).
        ``times=2`` also drops httplib2's own silent replay, so the caller sees the error."""
        with self._lock:
            self._drop_next.append([pattern, times, after])

    def _take_drop(self, op: str) -> str | None:
        for rule in self._drop_next:
            if rule[1] > 0 and fnmatch.fnmatchcase(op, rule[0]):
                rule[1] -= 1
                return "after" if rule[2] else "before"
        return None

    def exhaust_quota(self, units: bool = True, uploads: bool = True) -> None:
        with self._lock:
            if units:
                self.quota_used = self.quota_limit
            if uploads:
                self.upload_quota_used = self.upload_quota_limit

    def fail_upload_limit(self) -> None:
        """From now on videos.insert answers 400 uploadLimitExceeded."""
        self.upload_limit_reached = True

    # ---- request handling -------------------------------------------------
    def _handle_request(self, method: str, target: str, headers, body: bytes):
        url = urlsplit(target)
        query = {k: ",".join(v) for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        with self._lock:
            entry = {"method": method, "path": url.path, "query": query, "size": len(body),
                     "content_range": headers.get("Content-Range"), "body": None, "channel": None}
            if body and "json" in (headers.get("Content-Type") or ""):
                try:
                    entry["body"] = json.loads(body)
                except ValueError:
                    pass  # handlers treat it as an empty resource
            elif body and "form-urlencoded" in (headers.get("Content-Type") or ""):
                entry["body"] = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            entry["op"] = self._classify(method, url.path, query, entry["content_range"], body)
            self.requests.append(entry)
            drop = self._take_drop(entry["op"])
            try:
                result = DROP if drop == "before" else self._route(entry, headers, body)
            except ApiError as err:
                result = json_response(err.code, err.body(), err.headers)
            except Exception as exc:  # a bug in the fake: answer 500, keep it visible in the log
                entry["error"] = repr(exc)
                result = json_response(500, ApiError(500, "backendError", repr(exc), domain="global").body())
            result = DROP if drop == "after" else result
            entry["status"] = None if result is DROP else result[0]
            entry["range"] = None if result is DROP else result[1].get("Range")
            return result

    def _classify(self, method, path, query, content_range, body) -> str:
        if "upload_id" in query:
            session = self._sessions.get(query["upload_id"])
            is_status = (content_range or "").replace(" ", "").startswith("bytes*/") or \
                (not content_range and not body)
            return (session.op if session else "upload") + (".status" if is_status else ".chunk")
        name = path.rstrip("/").removeprefix("/resumable").removeprefix("/upload")
        return {("POST", "/token"): "token",
                ("POST", "/youtube/v3/videos"): "videos.insert",
                ("GET", "/youtube/v3/videos"): "videos.list",
                ("GET", "/youtube/v3/channels"): "channels.list",
                ("PUT", "/youtube/v3/videos"): "videos.update",
                ("DELETE", "/youtube/v3/videos"): "videos.delete",
                ("POST", "/youtube/v3/thumbnails/set"): "thumbnails.set",
                ("POST", "/youtube/v3/playlistItems"): "playlistItems.insert",
                ("GET", "/youtube/v3/playlistItems"): "playlistItems.list",
                ("DELETE", "/youtube/v3/playlistItems"): "playlistItems.delete",
                }.get((method, name)) or caption_op(method, name)

    def _route(self, entry: dict, headers, body: bytes):
        op = entry["op"]
        for rule in self._fail_next:
            if rule[2] > 0 and (fnmatch.fnmatchcase(op, rule[0]) or
                                fnmatch.fnmatchcase(f"{entry['method']} {entry['path']}", rule[0])):
                rule[2] -= 1
                raise errors.injected(rule[1], rule[3], retry_after=rule[4])
        if op == "token":
            return DROP if self.token_unreachable else self._token(entry["body"] or {})
        if op.endswith((".chunk", ".status")):
            return self._upload_put(entry, headers, body)
        if op == "unknown":
            raise not_found("notFound", "Not Found", domain="global")
        token = (headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        if not headers.get("Authorization"):
            raise errors.login_required()
        if token not in self.valid_tokens:
            raise errors.invalid_credentials()
        entry["channel"] = self._channel_of(token)
        self._charge(op)
        return getattr(self, "_" + op.replace(".", "_"))(entry, headers, body)

    def _charge(self, op: str) -> None:
        if op == "videos.insert":
            if self.upload_quota_used + 1 > self.upload_quota_limit:
                raise errors.quota_exceeded()
            self.upload_quota_used += 1
        elif op in COSTS:
            if self.quota_used + COSTS[op] > self.quota_limit:
                raise errors.quota_exceeded()
            self.quota_used += COSTS[op]


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A client that went away mid-request (killed, or gave up) is the client's story: no traceback."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like googleapis.com
    fake: FakeYouTube

    def setup(self) -> None:
        self.timeout = self.fake.read_timeout  # socket timeout while reading a request
        super().setup()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = self.rfile.read(length) if length else b""
        except (socket.timeout, TimeoutError):
            body = None
        if body is None or len(body) < length:  # e.g. a retried, already-drained stream slice
            self.close_connection = True
            status, headers, payload = json_response(400, bad("badContent", "Request body shorter than "
                                             "Content-Length.", domain="global").body())
        else:
            result = self.fake._handle_request(self.command, self.path, self.headers, body)
            if result is DROP:
                self.close_connection = True
                return
            status, headers, payload = result
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, format, *args) -> None:  # keep pytest output clean
        pass
