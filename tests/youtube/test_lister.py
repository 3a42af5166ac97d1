"""Reading the signed-in channel's videos from YouTube: every upload, page by page, or some by id."""

from __future__ import annotations

import pytest
from google.oauth2.credentials import Credentials

from episodekit.errors import RefusedError
from episodekit.publish.quota import LISTING_FORMULA, listing_cost
from episodekit.retrying import RetryPolicy
from episodekit.youtube.client import build_service
from episodekit.youtube.lister import list_uploads, videos_by_id

FAST = RetryPolicy(base=0.001)


def service_for(fake):
    return build_service(Credentials(token=fake.access_token), fake.root_url)


def add_videos(fake, count):
    return [fake.add_video(snippet={"title": f"Episode {i}", "description": f"About {i}.", "tags": ["t"]},
                           status={"privacyStatus": "public"}) for i in range(count)]


@pytest.mark.parametrize("videos, units", [(0, 1), (1, 3), (50, 3), (51, 5), (120, 7)])
def test_the_listing_costs_one_unit_for_the_channel_and_two_per_fifty_videos(videos, units):
    assert listing_cost(videos).units == units and "ceil(N/50)" in LISTING_FORMULA


def test_120_uploads_are_read_in_three_pages_and_three_lookups(fake):
    ids = add_videos(fake, 120)
    told = []
    listing = list_uploads(service_for(fake), limit=None, retry=FAST, on_total=told.append)
    assert [v.video_id for v in listing.videos] == ids[::-1]  # newest first, as YouTube lists uploads
    assert told == [120]
    assert len(fake.requests_for("channels.list")) == 1
    assert len(fake.requests_for("playlistItems.list")) == 3 and len(fake.requests_for("videos.list")) == 3
    assert fake.quota_used == listing.spent.units == listing_cost(120).units == 7
    first = listing.videos[-1]
    assert (first.title, first.description, first.tags, first.privacy) == ("Episode 0", "About 0.", ("t",), "public")
    assert first.release == first.published_at and first.release.tzinfo is not None


def test_a_limit_reads_only_the_newest_videos_and_the_pages_they_need(fake):
    ids = add_videos(fake, 120)
    told = []
    listing = list_uploads(service_for(fake), limit=60, retry=FAST, on_total=told.append)
    assert [v.video_id for v in listing.videos] == ids[::-1][:60] and told == [60]
    assert fake.quota_used == listing_cost(60).units == 5


def test_a_page_that_fails_once_is_asked_again(fake):
    add_videos(fake, 60)
    fake.fail_next("playlistItems.list", 503)
    assert len(list_uploads(service_for(fake), limit=None, retry=FAST).videos) == 60


def test_videos_by_id_refuses_an_unknown_id_or_another_channels_video_before_anything(fake):
    mine = add_videos(fake, 2)
    theirs = fake.add_video(owned=False, snippet={"title": "Not mine"})
    fake.videos[theirs]["snippet"]["channelId"] = "UCsomeoneElse00000000000"
    service = service_for(fake)
    assert [v.video_id for v in videos_by_id(service, [mine[1], mine[0], mine[1]], FAST).videos] == [mine[1], mine[0]]
    with pytest.raises(RefusedError, match="video nosuchvideo: YouTube has no such video.*nothing was imported"):
        videos_by_id(service, [mine[0], "nosuchvideo"], FAST)
    with pytest.raises(RefusedError, match="'Not mine'.*belongs to another channel"):
        videos_by_id(service, [theirs], FAST)
