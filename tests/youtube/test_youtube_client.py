"""episodekit.youtube against the fake YouTube server, driven by the real google-api-python-client."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import google_auth_httplib2
import httplib2
import pytest
from google.auth.exceptions import RefreshError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build_from_document
from googleapiclient.errors import HttpError, ResumableUploadError
from googleapiclient.http import build_http

from episodekit.errors import ExitCode, YouTubeError
from episodekit.publish import quota
from episodekit.youtube.client import (
    API_ROOT_ENV,
    YOUTUBE_ROOT,
    api_root,
    build_service,
    discovery_document,
    youtube_error,
)
from episodekit.youtube.media import OffsetFileUpload
from testkit import REPO

try:
    from fake_youtube import COSTS, FakeYouTube
except ImportError:  # tests/ became a package
    from tests.fake_youtube import COSTS, FakeYouTube

KIB = 1024
MIB = 1024 * KIB
BAD_TOKEN = "ya29.not-a-valid-token-0123456789"
ACCESS_TOKEN, REFRESH_TOKEN = "ya29.fake-access-token-42", "1//fake-refresh-token-42"
SECRETS = (BAD_TOKEN, ACCESS_TOKEN, REFRESH_TOKEN, "s3cret-client", "my-secret-x", "ya29.")


@pytest.fixture
def fake():
    with FakeYouTube(access_token=ACCESS_TOKEN, refresh_token=REFRESH_TOKEN) as server:
        yield server


def write_file(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that differ from chunk to chunk (written in 1 MiB pieces)."""
    with open(path, "wb") as f:
        for n in range(0, size, MIB):
            seed = hashlib.sha256(n.to_bytes(8, "big")).digest()
            f.write((seed * (MIB // 32))[:min(MIB, size - n)])
    return path


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def insert_request(yt, media, title="Episode 1"):
    body = {"snippet": {"title": title, "description": "Notes", "categoryId": "27"},
            "status": {"privacyStatus": "private"}}
    request = yt.videos().insert(part="snippet,status", body=body, media_body=media)
    request._sleep = lambda seconds: None  # no back-off waits in tests
    return request


def run_upload(request, num_retries=3):
    response = None
    while response is None:
        _, response = request.next_chunk(num_retries=num_retries)
    return response


# ---- building the service ---------------------------------------------------

def test_build_service_lists_a_seeded_video(fake):
    video_id = fake.add_video(snippet={"title": "Seeded episode"})
    yt = build_service(Credentials(token=fake.access_token), fake.root_url)
    reply = yt.videos().list(part="snippet", id=video_id).execute()
    assert [item["snippet"]["title"] for item in reply["items"]] == ["Seeded episode"]
    assert fake.quota_used == 1


def test_discovery_document_root_is_replaced_and_normalized(monkeypatch):
    plain = discovery_document()
    assert plain["rootUrl"] == YOUTUBE_ROOT and "videos" in plain["resources"]
    moved = discovery_document("http://127.0.0.1:9")
    assert moved["rootUrl"] == moved["mtlsRootUrl"] == "http://127.0.0.1:9/"
    monkeypatch.delenv(API_ROOT_ENV, raising=False)
    assert api_root() == YOUTUBE_ROOT
    monkeypatch.setenv(API_ROOT_ENV, "http://env.example")
    assert api_root() == "http://env.example/"
    assert api_root("http://given.example/") == "http://given.example/"  # an argument wins


def test_env_var_moves_every_call_uploads_included(fake, monkeypatch, tmp_path):
    monkeypatch.setenv(API_ROOT_ENV, fake.root_url.rstrip("/"))
    video = write_file(tmp_path / "ep.mp4", 600 * KIB)
    yt = build_service(Credentials(token=fake.access_token))
    run_upload(insert_request(yt, OffsetFileUpload(video, chunksize=256 * KIB)))
    yt.videos().list(part="id", id="x").execute()
    ops = [r["op"] for r in fake.requests]
    assert ops == ["videos.insert"] + ["videos.insert.chunk"] * 3 + ["videos.list"]
    assert len(fake.uploads) == 1


# ---- resumable uploads ------------------------------------------------------

def test_upload_survives_a_503_on_chunk_3_and_bytes_stay_intact(fake, tmp_path):
    video = write_file(tmp_path / "episode.mp4", 3 * MIB + 77 * KIB)
    fake.fail_chunk(3, status=503)
    yt = build_service(Credentials(token=fake.access_token), fake.root_url)
    reply = run_upload(insert_request(yt, OffsetFileUpload(video, chunksize=256 * KIB)))

    assert list(fake.videos) == [reply["id"]]
    assert fake.uploads[reply["id"]].sha256 == sha256_of(video)
    assert fake.uploads[reply["id"]].size == video.stat().st_size
    statuses = [c["status"] for c in fake.requests_for("videos.insert.chunk")]
    assert statuses[:4] == [308, 308, 503, 308] and statuses[-1] == 200
    assert len(statuses) == 13 + 1  # 13 chunks (the last one short) plus the retry
    assert fake.upload_quota_used == 1 and fake.quota_used == 0
    assert fake.requests_for("videos.insert")[0]["query"]["uploadType"] == "resumable"


MEMORY_SCRIPT = """
import json, sys, tracemalloc
from google.oauth2.credentials import Credentials
from episodekit.youtube.client import build_service
from episodekit.youtube.media import OffsetFileUpload
root, token, path = sys.argv[1:4]
yt = build_service(Credentials(token=token), root)
body = {"snippet": {"title": "Big", "categoryId": "27"}, "status": {"privacyStatus": "private"}}
request = yt.videos().insert(part="snippet,status", body=body,
                             media_body=OffsetFileUpload(path, chunksize=256 * 1024))
request._sleep = lambda seconds: None
tracemalloc.start()
response = None
while response is None:
    _, response = request.next_chunk(num_retries=3)
print(json.dumps({"id": response["id"], "peak": tracemalloc.get_traced_memory()[1]}))
"""


def test_memory_stays_flat_during_a_16_mib_upload(fake, tmp_path):
    """Measured in a child process: the fake, in this process, keeps every byte it receives."""
    video = write_file(tmp_path / "big.mp4", 16 * MIB)
    fake.fail_chunk(5, status=503)  # a retry on the way must not cost memory either
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, fake.root_url, fake.access_token, str(video)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert fake.uploads[result["id"]].sha256 == sha256_of(video)
    assert 256 * KIB <= result["peak"] < 4 * MIB  # at least one chunk was seen, far from the file


def test_offset_file_upload_shape(tmp_path):
    video = write_file(tmp_path / "clip.mp4", MIB + 10)
    media = OffsetFileUpload(video)
    assert media.chunksize() == 8 * MIB and media.size() == MIB + 10
    assert media.resumable() and not media.has_stream() and media.mimetype() == "video/mp4"
    assert media.getbytes(MIB, 256 * KIB) == video.read_bytes()[MIB:]  # short read at the end
    assert media.getbytes(5, 7) == video.read_bytes()[5:12]
    assert OffsetFileUpload(write_file(tmp_path / "clip.zzunknown", 10)).mimetype() == "video/*"
    assert OffsetFileUpload(video, mimetype="video/quicktime").mimetype() == "video/quicktime"


@pytest.mark.parametrize("chunksize", [100_000, 256 * KIB + 1, 0, -256 * KIB, 1.5 * 256 * KIB, True])
def test_offset_file_upload_rejects_chunks_off_256_kib(tmp_path, chunksize):
    with pytest.raises(ValueError, match="multiple of 256 KiB"):
        OffsetFileUpload(write_file(tmp_path / "a.mp4", 10), chunksize=chunksize)


# ---- errors worded for a creator --------------------------------------------

def worded(exc, **kwargs) -> str:
    """The message for ``exc``: one line, and no token or secret in it, ever."""
    error = youtube_error(exc, **kwargs)
    assert isinstance(error, YouTubeError) and error.exit_code == ExitCode.SERVICE
    message = str(error)
    assert message and "\n" not in message
    assert not [secret for secret in SECRETS if secret in message], message
    return message


def test_quota_exceeded_names_the_bucket(fake, tmp_path):
    yt = build_service(Credentials(token=fake.access_token), fake.root_url)
    fake.exhaust_quota()
    with pytest.raises(HttpError) as caught:
        yt.videos().list(part="id", id="x").execute()
    message = worded(caught.value)
    assert "10,000 units" in message and "midnight Pacific" in message and "nothing was lost" in message
    assert "upload quota" not in message
    with pytest.raises(ResumableUploadError) as caught:
        insert_request(yt, OffsetFileUpload(write_file(tmp_path / "a.mp4", 10))).next_chunk()
    message = worded(caught.value)
    assert "upload quota" in message and "100 uploads" in message and "midnight Pacific" in message
    frozen = datetime(2026, 1, 15, 12, tzinfo=timezone.utc)
    assert "(08:00 UTC)" in worded(caught.value, now=frozen)  # midnight PST


def test_401_with_an_unknown_token_says_how_to_sign_in(fake):
    http = google_auth_httplib2.AuthorizedHttp(Credentials(token=BAD_TOKEN), http=build_http(),
                                               refresh_status_codes=())
    yt = build_from_document(discovery_document(fake.root_url), http=http)
    with pytest.raises(HttpError) as caught:
        yt.videos().list(part="id", id="x").execute()
    assert caught.value.resp.status == 401
    message = worded(caught.value)
    assert "`episodekit auth login`" in message and "401" in message  # a script sees the package name


def test_401_that_cannot_be_refreshed_says_how_to_sign_in(fake):
    creds = Credentials(token=BAD_TOKEN, refresh_token=fake.refresh_token, token_uri=fake.token_uri,
                        client_id="cid.apps.googleusercontent.com", client_secret="s3cret-client")
    fake.refresh_tokens.clear()  # revoked
    with pytest.raises(RefreshError) as caught:
        build_service(creds, fake.root_url).videos().list(part="id", id="x").execute()
    assert "`episodekit auth login`" in worded(caught.value)


def test_rejected_fields_name_the_field_and_the_rule(fake, tmp_path):
    yt = build_service(Credentials(token=fake.access_token), fake.root_url)
    media = OffsetFileUpload(write_file(tmp_path / "a.mp4", 10))
    with pytest.raises(ResumableUploadError) as caught:
        insert_request(yt, media, title="a <b>").next_chunk()
    message = worded(caught.value)
    assert "title" in message and "100 characters" in message and "'<'" in message
    video_id = fake.add_video(snippet={"title": "Old", "categoryId": "27"})
    with pytest.raises(HttpError) as caught:  # categoryId is required on update
        yt.videos().update(part="snippet", body={"id": video_id, "snippet": {"title": "T"}}).execute()
    assert "category" in worded(caught.value)
    with pytest.raises(HttpError) as caught:
        yt.videos().update(part="snippet", body={"id": "gone", "snippet": {"title": "T", "categoryId": "27"}}
                           ).execute()
    assert "404 videoNotFound" in worded(caught.value)
    foreign = fake.add_video(owned=False, snippet={"title": "Theirs"})
    with pytest.raises(HttpError) as caught:
        yt.videos().update(part="snippet", body={"id": foreign, "snippet": {"title": "T", "categoryId": "27"}}
                           ).execute()
    assert "does not belong" in worded(caught.value)


def test_upload_limit_and_unknown_errors(fake, tmp_path):
    yt = build_service(Credentials(token=fake.access_token), fake.root_url)
    fake.fail_upload_limit()
    with pytest.raises(ResumableUploadError) as caught:
        insert_request(yt, OffsetFileUpload(write_file(tmp_path / "a.mp4", 10))).next_chunk()
    message = worded(caught.value)
    assert "limit of uploads in 24 hours" in message and "not the API project's quota" in message
    assert "nothing was uploaded" in message and "youtube.com/verify" in message and "\n" not in message
    fake.fail_next("videos.list", status=500)
    with pytest.raises(HttpError) as caught:
        yt.videos().list(part="id", id="x").execute()
    assert worded(caught.value).startswith("YouTube answered 500 backendError: Injected 500")


def http_error(status: int, content: bytes) -> HttpError:
    return HttpError(httplib2.Response({"status": status}), content,
                     uri=f"https://youtube.googleapis.com/upload/youtube/v3/videos?upload_id={BAD_TOKEN}")


def test_non_json_and_echoing_bodies_are_worded_safely():
    html = worded(http_error(502, b"<html><body><h1>502 Bad Gateway</h1>\n<p>Try later</p></body></html>"))
    assert html == "YouTube answered 502: 502 Bad Gateway Try later"
    assert worded(http_error(503, b"")).startswith("YouTube answered 503: ")
    assert worded(http_error(400, b'{"error": "invalid_grant", "error_description": "Bad"}')) \
        == "YouTube answered 400 invalid_grant: Bad"
    echo = json.dumps({"error": {"code": 400, "message": f"Bad header Bearer {BAD_TOKEN} or my-secret-x",
                                 "errors": [{"reason": "badRequest"}]}}).encode()
    message = worded(http_error(400, echo), secrets=["my-secret-x"])
    assert message.startswith("YouTube answered 400 badRequest: Bad header") and "my-secret" not in message
    assert "upload quota" in worded(http_error(403, b'{"error": {"errors": [{"reason": "quotaExceeded"}]}}'))


# ---- quota ------------------------------------------------------------------

def test_cost_table_matches_the_fake_and_adds_up():
    for method, units in COSTS.items():
        assert quota.cost_of(method) == quota.Cost(units=units, uploads=0)
    assert quota.cost_of("videos.insert") == quota.Cost(units=0, uploads=1)
    plan = quota.cost_of("videos.insert") + quota.cost_of("thumbnails.set") + quota.cost_of("videos.list")
    assert plan == quota.Cost(units=51, uploads=1)
    assert sum([plan, plan]) == quota.Cost(102, 2)
    assert quota.DAILY_UNITS == 10_000
    with pytest.raises(ValueError, match="search.list"):
        quota.cost_of("search.list")


LA = ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize("now, reset", [
    # spring forward on Sun 2026-03-08: that midnight is still PST (08:00Z), the next one PDT (07:00Z)
    (datetime(2026, 3, 7, 20, 0, tzinfo=LA), datetime(2026, 3, 8, 8, 0)),
    (datetime(2026, 3, 8, 1, 59, tzinfo=LA), datetime(2026, 3, 9, 7, 0)),
    (datetime(2026, 3, 8, 3, 0, tzinfo=LA), datetime(2026, 3, 9, 7, 0)),
    # fall back on Sun 2026-11-01: 07:00Z (PDT) that day, 08:00Z (PST) the next
    (datetime(2026, 10, 31, 12, 0, tzinfo=timezone.utc), datetime(2026, 11, 1, 7, 0)),
    (datetime(2026, 11, 1, 8, 30, tzinfo=timezone.utc), datetime(2026, 11, 2, 8, 0)),  # 01:30 PDT
    (datetime(2026, 11, 1, 9, 30, tzinfo=timezone.utc), datetime(2026, 11, 2, 8, 0)),  # 01:30 PST
    (datetime(2026, 7, 1, 0, 0, tzinfo=LA), datetime(2026, 7, 2, 7, 0)),  # at midnight: the next one
    (datetime(2026, 7, 1, 8, 0, tzinfo=ZoneInfo("Europe/Berlin")), datetime(2026, 7, 1, 7, 0)),  # 23:00 PDT
])
def test_next_reset_is_the_next_pacific_midnight_across_dst(now, reset):
    result = quota.next_reset(now)
    assert result == reset.replace(tzinfo=timezone.utc) and result.tzinfo == timezone.utc
    assert result > now and result.astimezone(LA).time().isoformat() == "00:00:00"


def test_next_reset_refuses_a_naive_time():
    with pytest.raises(ValueError, match="timezone-aware"):
        quota.next_reset(datetime(2026, 1, 1))


# ---- layering ---------------------------------------------------------------

def test_importing_episodekit_does_not_import_the_youtube_modules():
    code = ("import sys, episodekit, episodekit.cli; "
            "print([m for m in sys.modules if m.startswith('episodekit.youtube')])")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
