"""The fake YouTube's caption tracks, driven by the real google-api-python-client as YouTube would be."""

from __future__ import annotations

import json

import google_auth_httplib2
import pytest
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build_from_document
from googleapiclient.discovery_cache import get_static_doc
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaInMemoryUpload, build_http

DOC = json.loads(get_static_doc("youtube", "v3"))
SRT = b"1\n00:00:00,000 --> 00:00:02,500\nHello there.\n\n2\n00:00:02,500 --> 00:00:05,000\nBDNF and you.\n"
EDITED = SRT.replace(b"Hello there.", b"Hello, there.")


@pytest.fixture
def youtube(fake):
    http = google_auth_httplib2.AuthorizedHttp(Credentials(token=fake.access_token), http=build_http())
    return build_from_document(fake.discovery(DOC), http=http)


@pytest.fixture
def video(fake):
    return fake.add_video(snippet={"title": "A video", "categoryId": "27"}, status={"privacyStatus": "private"})


def _media(data: bytes = SRT) -> MediaInMemoryUpload:
    return MediaInMemoryUpload(data, mimetype="application/octet-stream", resumable=False)


def _insert(youtube, video, name="From the script", language="en", data=SRT, draft=True):
    body = {"snippet": {"videoId": video, "language": language, "name": name, "isDraft": draft}}
    return youtube.captions().insert(part="snippet", body=body, media_body=_media(data)).execute()


def _reason(error: HttpError) -> tuple[int, str]:
    return error.resp.status, json.loads(error.content)["error"]["errors"][0]["reason"]


def test_a_track_uploaded_as_multipart_is_listed_without_its_text_and_downloaded_as_sent(fake, youtube, video):
    made = _insert(youtube, video)
    assert made["snippet"]["isDraft"] is True and made["snippet"]["status"] == "serving"
    assert fake.requests_for("captions.insert")[0]["query"]["uploadType"] == "multipart"
    listed = youtube.captions().list(part="snippet", videoId=video).execute()["items"]
    assert [(t["id"], t["snippet"]["language"], t["snippet"]["name"]) for t in listed] == \
        [(made["id"], "en", "From the script")]
    assert "content" not in json.dumps(listed)
    assert youtube.captions().download_media(id=made["id"], tfmt="srt").execute() == SRT
    vtt = youtube.captions().download_media(id=made["id"], tfmt="vtt").execute().decode()
    assert vtt.startswith("WEBVTT") and "00:00:02.500 --> 00:00:05.000\nBDNF and you." in vtt
    assert fake.quota_used == 400 + 50 + 200 + 200


def test_an_update_replaces_the_file_keeps_the_draft_state_with_part_id_and_changes_last_updated(fake, youtube, video):
    made = _insert(youtube, video)
    fake.edit_caption(made["id"], draft=False)  # published in YouTube Studio
    before = fake.captions[made["id"]].snippet["lastUpdated"]
    youtube.captions().update(part="id", body={"id": made["id"]}, media_body=_media(EDITED)).execute()
    stored = fake.captions[made["id"]]
    assert stored.content == EDITED and stored.snippet["isDraft"] is False and stored.snippet["lastUpdated"] > before
    youtube.captions().update(part="snippet", body={"id": made["id"], "snippet": {"isDraft": True}}).execute()
    assert stored.snippet["isDraft"] is True and stored.content == EDITED
    assert fake.quota_used == 400 + 450 + 450


def test_the_errors_youtube_documents(fake, youtube, video):
    other = fake.add_video(owned=False, snippet={"title": "Theirs", "categoryId": "27"})
    cases = [
        (lambda: _insert(youtube, video, name="x" * 151), (400, "nameTooLong")),
        (lambda: _insert(youtube, video, language=""), (400, "invalidMetadata")),
        (lambda: _insert(youtube, video, data=b""), (400, "contentRequired")),
        (lambda: _insert(youtube, "nosuchvideo"), (404, "videoNotFound")),
        (lambda: _insert(youtube, other), (403, "forbidden")),
        (lambda: youtube.captions().list(part="snippet", videoId=other).execute(), (403, "forbidden")),
        (lambda: youtube.captions().update(part="id", body={"id": "nope"}, media_body=_media()).execute(),
         (404, "captionNotFound")),
        (lambda: youtube.captions().download_media(id="nope").execute(), (404, "captionNotFound")),
        (lambda: youtube.captions().delete(id="nope").execute(), (404, "captionNotFound")),
    ]
    for call, expected in cases:
        with pytest.raises(HttpError) as caught:
            call()
        assert _reason(caught.value) == expected
    assert fake.captions == {}


def test_one_name_per_language_on_a_video_and_a_track_in_another_name_is_fine(fake, youtube, video):
    _insert(youtube, video)
    with pytest.raises(HttpError) as caught:
        _insert(youtube, video)
    assert _reason(caught.value) == (409, "captionExists")
    _insert(youtube, video, name="Studio")
    _insert(youtube, video, language="de")
    assert len(fake.captions_of(video)) == 3


def test_a_file_without_cue_times_fails_to_process_as_youtube_does_with_no_sync(fake, youtube, video):
    made = _insert(youtube, video, data=b"Just a transcript, no times.\n")
    assert made["snippet"]["status"] == "failed" and made["snippet"]["failureReason"] == "unknownFormat"


def test_a_track_is_deleted_and_quota_runs_out_like_every_other_call(fake, youtube, video):
    made = _insert(youtube, video)
    youtube.captions().delete(id=made["id"]).execute()
    assert fake.captions == {}
    fake.quota_limit = fake.quota_used + 399
    with pytest.raises(HttpError) as caught:
        _insert(youtube, video)
    assert _reason(caught.value) == (403, "quotaExceeded") and fake.captions == {}


def test_studio_tracks_and_automatic_captions_are_seeded_and_listed(fake, youtube, video):
    studio = fake.add_caption(video, name="Hand made", content=SRT)
    fake.add_caption(video, name="", kind="asr")
    listed = youtube.captions().list(part="snippet", videoId=video, id=studio).execute()["items"]
    assert [t["snippet"]["trackKind"] for t in listed] == ["standard"]
    assert {t["snippet"]["trackKind"] for t in youtube.captions().list(part="snippet", videoId=video)
            .execute()["items"]} == {"standard", "asr"}


def test_another_channels_sign_in_cannot_read_or_write_the_tracks_of_this_channels_video(fake, youtube, video):
    made = _insert(youtube, video)
    clinic = fake.add_account("Clinic")
    http = google_auth_httplib2.AuthorizedHttp(Credentials(token=clinic.access_token), http=build_http())
    theirs = build_from_document(fake.discovery(DOC), http=http)
    cases = [
        lambda: _insert(theirs, video, name="Theirs"),
        lambda: theirs.captions().list(part="snippet", videoId=video).execute(),
        lambda: theirs.captions().update(part="id", body={"id": made["id"]}, media_body=_media(EDITED)).execute(),
        lambda: theirs.captions().download_media(id=made["id"]).execute(),
        lambda: theirs.captions().delete(id=made["id"]).execute(),
    ]
    for call in cases:
        with pytest.raises(HttpError) as caught:
            call()
        assert _reason(caught.value) == (403, "forbidden")
    assert list(fake.captions) == [made["id"]] and fake.captions[made["id"]].content == SRT
    assert [r["channel"] for r in fake.requests_for("captions.*")] == [fake.channel_id] + [clinic.channel_id] * 5
