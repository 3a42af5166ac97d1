"""The fake YouTube server, driven by the real google-api-python-client."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timedelta, timezone

import google_auth_httplib2
import pytest
from google.auth.exceptions import RefreshError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build_from_document
from googleapiclient.discovery_cache import get_static_doc
from googleapiclient.errors import HttpError, ResumableUploadError
from googleapiclient.http import MediaFileUpload, MediaUpload, build_http

try:
    from fake_youtube import FakeYouTube
except ImportError:  # tests/ became a package
    from tests.fake_youtube import FakeYouTube

KIB = 1024
CHUNK = 256 * KIB * 4  # 1 MiB, a multiple of 256 KiB as the protocol wants
DOC = json.loads(get_static_doc("youtube", "v3"))


class OffsetFileUpload(MediaUpload):
    """Reads each chunk from the file at its offset, so a retried chunk is re-read whole."""

    def __init__(self, path, mimetype="video/mp4", chunksize=CHUNK):
        self._path, self._mimetype, self._chunksize = path, mimetype, chunksize
        self._size = os.path.getsize(path)

    def chunksize(self):
        return self._chunksize

    def mimetype(self):
        return self._mimetype

    def size(self):
        return self._size

    def resumable(self):
        return True

    def has_stream(self):
        return False

    def getbytes(self, begin, length):
        with open(self._path, "rb") as f:
            f.seek(begin)
            return f.read(length)


@pytest.fixture
def fake():
    with FakeYouTube() as server:
        yield server


@pytest.fixture
def video_file(tmp_path):
    path = tmp_path / "episode.mp4"
    block = hashlib.sha256(b"episodekit").digest() * (KIB // 32)
    path.write_bytes(b"".join(hashlib.sha256(block + bytes([i % 256])).digest() * 32
                              for i in range(3 * KIB + 77)))  # 3 MiB + 77 KiB
    return path


def sha256_of(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def client(fake, token=None, credentials=None):
    creds = credentials or Credentials(token=token or fake.access_token)
    http = google_auth_httplib2.AuthorizedHttp(creds, http=build_http())
    return build_from_document(fake.discovery(DOC), http=http)


def no_sleep(request):
    request._sleep = lambda seconds: None
    return request


def insert_request(yt, media, title="Episode 1", **extra):
    body = {"snippet": {"title": title, "description": "Notes", "tags": ["a", "b c"],
                        "categoryId": "27"}, "status": {"privacyStatus": "private"}}
    for part, fields in extra.items():
        body.setdefault(part, {}).update(fields)
    return no_sleep(yt.videos().insert(part="snippet,status", body=body, media_body=media))


def run_upload(request, num_retries=0):
    response = None
    while response is None:
        _, response = request.next_chunk(num_retries=num_retries)
    return response


def reasons(err: HttpError) -> list[str]:
    return [d["reason"] for d in err.error_details]


# ---- resumable uploads ------------------------------------------------------

def test_clean_resumable_upload_with_stock_media_file_upload(fake, video_file):
    yt = client(fake)
    media = MediaFileUpload(str(video_file), mimetype="video/mp4", chunksize=CHUNK, resumable=True)
    video = run_upload(insert_request(yt, media))

    assert list(fake.videos) == [video["id"]]
    assert fake.uploads[video["id"]].sha256 == sha256_of(video_file)
    assert fake.uploads[video["id"]].size == video_file.stat().st_size
    assert video["snippet"]["title"] == "Episode 1" and video["status"]["uploadStatus"] == "uploaded"
    assert set(video) == {"kind", "etag", "id", "snippet", "status"}
    chunks = fake.requests_for("videos.insert.chunk")
    assert len(chunks) == 4 and [c["status"] for c in chunks] == [308, 308, 308, 200]
    assert chunks[0]["range"] == f"bytes=0-{CHUNK - 1}"
    assert fake.upload_quota_used == 1 and fake.quota_used == 0
    init = fake.requests_for("videos.insert")[0]
    assert init["query"]["uploadType"] == "resumable" and init["body"]["snippet"]["categoryId"] == "27"


def test_503_on_middle_chunk_is_retried_and_bytes_stay_intact(fake, video_file):
    fake.fail_chunk(2, status=503)
    video = run_upload(insert_request(client(fake), OffsetFileUpload(video_file)), num_retries=3)

    assert len(fake.videos) == 1
    assert fake.uploads[video["id"]].sha256 == sha256_of(video_file)
    statuses = [c["status"] for c in fake.requests_for("videos.insert.chunk")]
    assert statuses == [308, 503, 308, 308, 200]
    assert fake.upload_quota_used == 1  # a retried chunk is not a second insert


def test_stock_stream_upload_resends_empty_slice_on_retry(fake, video_file):
    """Why the product needs an offset-reading MediaUpload: the fake sees the short body."""
    fake.read_timeout = 0.5  # how long the fake waits for a body that never comes
    fake.fail_chunk(2, status=503)
    media = MediaFileUpload(str(video_file), mimetype="video/mp4", chunksize=CHUNK, resumable=True)
    with pytest.raises(HttpError) as caught:
        run_upload(insert_request(client(fake), media), num_retries=1)
    assert caught.value.resp.status == 400 and fake.uploads == {}


def test_dropped_connection_then_status_query_and_resume(fake, video_file):
    fake.drop_connection_on_chunk(2, keep=256 * KIB)
    request = insert_request(client(fake), OffsetFileUpload(video_file))
    request.next_chunk()
    with pytest.raises(ConnectionError):
        request.next_chunk()
    video = run_upload(request)

    assert fake.uploads[video["id"]].sha256 == sha256_of(video_file)
    query = fake.requests_for("videos.insert.status")
    assert len(query) == 1 and query[0]["content_range"] == f"bytes */{video_file.stat().st_size}"
    assert query[0]["status"] == 308 and query[0]["range"] == f"bytes=0-{CHUNK + 256 * KIB - 1}"
    after = fake.requests.index(query[0]) + 1
    assert fake.requests[after]["content_range"].startswith(f"bytes {CHUNK + 256 * KIB}-")


def test_status_query_before_any_byte_has_no_range(fake, video_file):
    fake.drop_connection_on_chunk(1)
    request = insert_request(client(fake), OffsetFileUpload(video_file))
    with pytest.raises(ConnectionError):
        request.next_chunk()
    video = run_upload(request)
    query = fake.requests_for("videos.insert.status")[0]
    assert query["status"] == 308 and query["range"] is None
    assert fake.uploads[video["id"]].sha256 == sha256_of(video_file)


def test_chunk_off_the_acknowledged_offset_is_not_kept(fake):
    http = build_http()
    headers = {"Authorization": f"Bearer {fake.access_token}", "Content-Type": "application/json"}
    meta = json.dumps({"snippet": {"title": "Raw"}})
    resp, _ = http.request(fake.root_url + "upload/youtube/v3/videos?uploadType=resumable&part=snippet",
                           "POST", body=meta, headers={**headers, "X-Upload-Content-Length": "30"})
    session = resp["location"]
    resp, _ = http.request(session, "PUT", body=b"a" * 10, headers={"Content-Range": "bytes 0-9/30"})
    assert resp.status == 308 and resp["range"] == "bytes=0-9"
    resp, _ = http.request(session, "PUT", body=b"c" * 10, headers={"Content-Range": "bytes 20-29/30"})
    assert resp.status == 308 and resp["range"] == "bytes=0-9"
    resp, content = http.request(session, "PUT", body=b"b" * 20, headers={"Content-Range": "bytes 10-29/30"})
    assert resp.status == 200
    video_id = json.loads(content)["id"]
    assert fake.uploads[video_id].sha256 == hashlib.sha256(b"a" * 10 + b"b" * 20).hexdigest()
    resp, content = http.request(session, "PUT", headers={"Content-Range": "bytes */30"})
    assert resp.status == 200 and json.loads(content)["id"] == video_id  # finished session


def test_multipart_insert(fake, video_file):
    media = MediaFileUpload(str(video_file), mimetype="video/mp4", resumable=False)
    video = insert_request(client(fake), media).execute()
    assert fake.requests_for("videos.insert")[0]["query"]["uploadType"] == "multipart"
    assert fake.uploads[video["id"]].sha256 == sha256_of(video_file)
    assert fake.videos[video["id"]]["snippet"]["tags"] == ["a", "b c"]


# ---- metadata rules ---------------------------------------------------------

FUTURE = (datetime.now(timezone.utc) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("snippet, status, reason", [
    ({"title": ""}, {}, "invalidTitle"),
    ({"title": "x" * 101}, {}, "invalidTitle"),
    ({"title": "a <b>"}, {}, "invalidTitle"),
    ({"description": "é" * 2501}, {}, "invalidDescription"),  # 2501 chars, 5002 bytes
    ({"description": "1 > 0"}, {}, "invalidDescription"),
    ({"tags": ["ab cd"] * 72 + ["x"]}, {}, "invalidTags"),  # 72*7 + 72 commas + 1 = 577
    ({}, {"privacyStatus": "public", "publishAt": FUTURE}, "invalidPublishAt"),
    ({}, {"privacyStatus": "private", "publishAt": "2020-01-01T00:00:00Z"}, "invalidPublishAt"),
    ({}, {"privacyStatus": "private", "publishAt": "tomorrow"}, "invalidPublishAt"),
])
def test_insert_rejects_bad_metadata(fake, video_file, snippet, status, reason):
    request = insert_request(client(fake), OffsetFileUpload(video_file), snippet=snippet, status=status)
    with pytest.raises(ResumableUploadError) as caught:
        request.next_chunk()
    assert caught.value.resp.status == 400 and reasons(caught.value) == [reason]
    assert fake.videos == {} and fake.requests_for("videos.insert.*") == []


def test_insert_accepts_metadata_at_the_limits(fake, video_file):
    snippet = {"title": "t" * 100, "description": "é" * 2500, "tags": ["abcd"] * 100}  # 400 + 99
    status = {"privacyStatus": "private", "publishAt": FUTURE}
    video = run_upload(insert_request(client(fake), OffsetFileUpload(video_file),
                                      snippet=snippet, status=status))
    assert video["status"]["publishAt"] == FUTURE and len(video["snippet"]["tags"]) == 100


def test_unknown_part_and_upload_limit(fake, video_file):
    yt = client(fake)
    request = no_sleep(yt.videos().insert(part="snippet,bogus", body={"snippet": {"title": "T"}},
                                          media_body=OffsetFileUpload(video_file)))
    with pytest.raises(ResumableUploadError) as caught:
        request.next_chunk()
    assert reasons(caught.value) == ["unknownPart"]
    fake.fail_upload_limit()
    with pytest.raises(ResumableUploadError) as caught:
        insert_request(yt, OffsetFileUpload(video_file)).next_chunk()
    assert caught.value.resp.status == 400 and reasons(caught.value) == ["uploadLimitExceeded"]


# ---- quota --------------------------------------------------------------------

def test_quota_exceeded_mid_run_is_403_and_not_double_counted(fake):
    fake.quota_limit = 120
    yt = client(fake)
    video_id = fake.add_video(snippet={"title": "Old", "categoryId": "22"})
    body = {"id": video_id, "snippet": {"title": "New", "categoryId": "22"}}
    no_sleep(yt.videos().list(part="snippet", id=video_id)).execute()
    for _ in range(2):
        no_sleep(yt.videos().update(part="snippet", body=body)).execute(num_retries=3)
    assert fake.quota_used == 101
    with pytest.raises(HttpError) as caught:
        no_sleep(yt.videos().update(part="snippet", body=body)).execute(num_retries=3)
    err = caught.value
    assert err.resp.status == 403 and reasons(err) == ["quotaExceeded"]
    assert err.error_details[0]["domain"] == "youtube.quota"
    assert fake.quota_used == 101 and len(fake.requests_for("videos.update")) == 3  # no retry


def test_upload_bucket_runs_out_separately(fake, video_file):
    fake.upload_quota_limit = 1
    yt = client(fake)
    fake.fail_chunk(1, status=500)
    run_upload(insert_request(yt, OffsetFileUpload(video_file)), num_retries=2)
    with pytest.raises(ResumableUploadError) as caught:
        insert_request(yt, OffsetFileUpload(video_file)).next_chunk(num_retries=2)
    assert caught.value.resp.status == 403 and reasons(caught.value) == ["quotaExceeded"]
    assert fake.upload_quota_used == 1 and len(fake.videos) == 1
    no_sleep(yt.videos().list(part="id", id="x")).execute()  # the unit bucket is untouched
    fake.exhaust_quota()
    with pytest.raises(HttpError):
        no_sleep(yt.videos().list(part="id", id="x")).execute()


# ---- videos.update / list, thumbnails, playlists ------------------------------

def test_update_replaces_the_parts_sent_and_leaves_others(fake):
    video_id = fake.add_video(
        snippet={"title": "Old", "description": "Old notes", "tags": ["x", "y"], "categoryId": "27"},
        status={"privacyStatus": "unlisted", "embeddable": False, "license": "creativeCommon"})
    before = fake.videos[video_id]
    yt = client(fake)
    sent = {"id": video_id, "snippet": {"title": "New", "description": "New notes", "categoryId": "27",
                                        "channelId": "UCsomeoneElse", "publishedAt": "2001-01-01T00:00:00Z"}}
    reply = yt.videos().update(part="snippet", body=sent).execute()

    after = fake.videos[video_id]
    assert "tags" not in after["snippet"] and "status" not in reply
    assert after["snippet"]["title"] == "New" and after["snippet"]["description"] == "New notes"
    assert after["snippet"]["channelId"] == fake.channel_id  # read-only fields ignored
    assert after["snippet"]["publishedAt"] == before["snippet"]["publishedAt"]
    assert after["status"] == before["status"]

    with pytest.raises(HttpError) as caught:  # categoryId is required on update
        yt.videos().update(part="snippet", body={"id": video_id, "snippet": {"title": "T"}}).execute()
    assert caught.value.resp.status == 400 and reasons(caught.value) == ["invalidCategoryId"]
    assert fake.videos[video_id] == after

    yt.videos().update(part="status", body={"id": video_id, "status": {"embeddable": True}}).execute()
    assert fake.videos[video_id]["status"]["privacyStatus"] == "private"  # reverted to default
    assert fake.videos[video_id]["status"]["license"] == "youtube"
    assert fake.videos[video_id]["snippet"] == after["snippet"]
    with pytest.raises(HttpError) as caught:
        yt.videos().update(part="snippet", body={"id": "nope", "snippet": sent["snippet"]}).execute()
    assert caught.value.resp.status == 404 and reasons(caught.value) == ["videoNotFound"]
    foreign = fake.add_video(owned=False, snippet={"title": "Theirs"})
    with pytest.raises(HttpError) as caught:
        yt.videos().update(part="snippet", body={**sent, "id": foreign}).execute()
    assert caught.value.resp.status == 403 and reasons(caught.value) == ["forbidden"]


def test_list_in_batches_of_50(fake):
    ids = [fake.add_video(snippet={"title": f"Ep {i}"}) for i in range(120)]
    yt = client(fake)
    found = {}
    for start in range(0, len(ids), 50):
        batch = ids[start:start + 50] + (["missing1"] if start == 0 else [])
        reply = yt.videos().list(part="snippet,status", id=",".join(batch[:50]), maxResults=50).execute()
        found.update((item["id"], item["snippet"]["title"]) for item in reply["items"])
    assert found == {vid: f"Ep {i}" for i, vid in enumerate(ids)}
    assert fake.quota_used == 3
    reply = yt.videos().list(part="id", id=[ids[0], "missing1"]).execute()  # repeated id= params
    assert [i["id"] for i in reply["items"]] == [ids[0]] and set(reply["items"][0]) == {"kind", "etag", "id"}
    with pytest.raises(HttpError) as caught:
        yt.videos().list(part="id", id=",".join(ids[:51])).execute()
    assert caught.value.resp.status == 400


def test_the_uploads_playlist_pages_through_every_own_video_newest_first(fake):
    ids = [fake.add_video(snippet={"title": f"Ep {i}"}) for i in range(120)]
    fake.add_video(owned=False, snippet={"title": "someone else's"})
    yt = client(fake)
    channel = yt.channels().list(part="contentDetails", mine=True).execute()["items"][0]
    playlist = channel["contentDetails"]["relatedPlaylists"]["uploads"]
    seen, token, pages = [], None, []
    while True:
        page = yt.playlistItems().list(part="contentDetails", playlistId=playlist, maxResults=50,
                                       pageToken=token).execute()
        pages.append(len(page["items"]))
        seen += [item["contentDetails"]["videoId"] for item in page["items"]]
        assert page["pageInfo"]["totalResults"] == 120
        token = page.get("nextPageToken")
        if not token:
            break
    assert pages == [50, 50, 20] and seen == ids[::-1]
    assert fake.quota_used == 1 + 3 and [r["op"] for r in fake.requests][-1] == "playlistItems.list"
    for bad_query in ({"pageToken": "nonsense"}, {"maxResults": 51}):
        with pytest.raises(HttpError) as caught:
            yt.playlistItems().list(part="id", playlistId=playlist, **bad_query).execute()
        assert caught.value.resp.status == 400
    with pytest.raises(HttpError) as caught:
        yt.playlistItems().list(part="id", playlistId="PLnothing").execute()
    assert caught.value.resp.status == 404


def test_thumbnail_and_playlist_item(fake, tmp_path):
    video_id = fake.add_video(snippet={"title": "Ep"})
    playlist_id = fake.add_playlist("Season 1")
    image = tmp_path / "thumb.png"
    image.write_bytes(b"\x89PNG fake image" * 100)
    yt = client(fake)
    reply = yt.thumbnails().set(videoId=video_id, media_body=MediaFileUpload(str(image), mimetype="image/png")).execute()
    assert fake.thumbnails[video_id].sha256 == sha256_of(image) and "high" in reply["items"][0]
    item = yt.playlistItems().insert(part="snippet", body={"snippet": {
        "playlistId": playlist_id, "resourceId": {"kind": "youtube#video", "videoId": video_id}}}).execute()
    assert item["snippet"]["position"] == 0 and fake.playlist_items[0]["id"] == item["id"]
    assert fake.quota_used == 100
    with pytest.raises(HttpError) as caught:
        yt.playlistItems().insert(part="snippet", body={"snippet": {
            "playlistId": playlist_id, "resourceId": {"kind": "youtube#video", "videoId": "gone"}}}).execute()
    assert caught.value.resp.status == 404 and reasons(caught.value) == ["videoNotFound"]


def test_fail_next_is_retried_by_the_client(fake):
    fake.fail_next("videos.list", status=503, times=2)
    reply = no_sleep(client(fake).videos().list(part="id", id="x")).execute(num_retries=2)
    assert reply["items"] == []
    assert [r["status"] for r in fake.requests_for("videos.list")] == [503, 503, 200]
    assert fake.quota_used == 1  # injected failures cost nothing


# ---- auth ---------------------------------------------------------------------

def test_401_without_or_with_unknown_token(fake):
    bare = build_from_document(fake.discovery(DOC), http=build_http())
    with pytest.raises(HttpError) as caught:
        bare.videos().list(part="id", id="x").execute()
    assert caught.value.resp.status == 401 and reasons(caught.value) == ["required"]
    stolen = google_auth_httplib2.AuthorizedHttp(Credentials(token="stolen"), http=build_http(),
                                                 refresh_status_codes=())  # no refresh attempt
    with pytest.raises(HttpError) as caught:
        build_from_document(fake.discovery(DOC), http=stolen).videos().list(part="id", id="x").execute()
    assert caught.value.resp.status == 401 and reasons(caught.value) == ["authError"]
    body = json.loads(caught.value.content)["error"]
    assert body["status"] == "UNAUTHENTICATED" and body["errors"][0]["location"] == "Authorization"
    assert fake.quota_used == 0


def test_token_refresh_at_the_fake_token_endpoint(fake):
    creds = Credentials(token="expired", refresh_token=fake.refresh_token, token_uri=fake.token_uri,
                        client_id="cid.apps.googleusercontent.com", client_secret="secret")
    reply = client(fake, credentials=creds).videos().list(part="id", id="x").execute()
    assert reply["kind"] == "youtube#videoListResponse"
    token_calls = fake.requests_for("token")
    assert len(token_calls) == 1 and token_calls[0]["body"]["grant_type"] == "refresh_token"
    assert creds.token != "expired" and creds.token in fake.valid_tokens
    assert [r["status"] for r in fake.requests_for("videos.list")] == [401, 200]

    fake.refresh_tokens.clear()  # revoked
    fake.valid_tokens.discard(creds.token)
    with pytest.raises(RefreshError, match="invalid_grant"):
        client(fake, credentials=creds).videos().list(part="id", id="x").execute()


# ---- two Google accounts, each with its own channel ------------------------------------------------

def test_each_token_speaks_for_its_own_channel(fake, tmp_path):
    clinic = fake.add_account("Clinic", verified=False)
    mine = client(fake)
    theirs = client(fake, credentials=Credentials(token=clinic.access_token))
    assert mine.channels().list(part="id", mine=True).execute()["items"][0]["id"] == fake.channel_id
    answer = theirs.channels().list(part="snippet,contentDetails", mine=True).execute()["items"][0]
    assert (answer["id"], answer["snippet"]["title"]) == (clinic.channel_id, "Clinic")
    assert answer["contentDetails"]["relatedPlaylists"]["uploads"] == "UU" + clinic.channel_id[2:]
    assert len(clinic.channel_id) == len(fake.channel_id) == 24 and clinic.channel_id.startswith("UC")

    path = tmp_path / "v.mp4"
    path.write_bytes(os.urandom(3000))
    request = theirs.videos().insert(part="snippet,status", body={"snippet": {"title": "Clinic video"}},
                                     media_body=OffsetFileUpload(str(path)))
    _, video = request.next_chunk()
    assert fake.videos[video["id"]]["snippet"]["channelId"] == clinic.channel_id
    assert [r["channel"] for r in fake.requests_for("videos.insert")] == [clinic.channel_id]
    own = theirs.playlistItems().list(part="contentDetails", playlistId="UU" + clinic.channel_id[2:]).execute()
    assert [i["contentDetails"]["videoId"] for i in own["items"]] == [video["id"]]
    assert mine.playlistItems().list(part="id", playlistId=fake.uploads_playlist).execute()["items"] == []

    body = {"id": video["id"], "snippet": {"title": "Taken", "categoryId": "27"}}
    with pytest.raises(HttpError) as caught:  # another channel's video
        mine.videos().update(part="snippet", body=body).execute()
    assert caught.value.resp.status == 403 and reasons(caught.value) == ["forbidden"]
    with pytest.raises(HttpError) as caught:  # its own, but the channel is not verified for custom thumbnails
        theirs.thumbnails().set(videoId=video["id"], media_body=MediaFileUpload(str(path), mimetype="image/png")
                                ).execute()
    error = json.loads(caught.value.content)["error"]
    assert error["code"] == 403 and error["errors"][0]["domain"] == "youtube.thumbnail"
    assert "custom video thumbnails" in error["message"]


def test_a_renewed_or_redeemed_token_keeps_its_channel_and_a_testing_grant_ends_after_seven_days(fake):
    clinic = fake.add_account("Clinic")
    creds = Credentials(token="expired", refresh_token=clinic.refresh_token, token_uri=fake.token_uri,
                        client_id="cid.apps.googleusercontent.com", client_secret="secret")
    reply = client(fake, credentials=creds).channels().list(part="id", mine=True).execute()
    assert reply["items"][0]["id"] == clinic.channel_id and fake.token_channel[creds.token] == clinic.channel_id

    fake.testing_consent = True
    week = datetime.now(timezone.utc) + timedelta(days=7, seconds=1)
    fake.now = lambda: week
    fake.valid_tokens.discard(creds.token)
    with pytest.raises(RefreshError, match="invalid_grant"):
        client(fake, credentials=creds).channels().list(part="id", mine=True).execute()
