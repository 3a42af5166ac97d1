"""A fake YouTube Data API v3 on 127.0.0.1 for tests that drive the real client.

Point ``googleapiclient`` at it with ``build_from_document(fake.discovery(doc),
http=...)`` where ``doc`` is the client's bundled discovery document
(``json.loads(discovery_cache.get_static_doc("youtube", "v3"))``).  Use
``googleapiclient.http.build_http()`` underneath (it stops httplib2 treating
308 as a redirect), wrapped in ``google_auth_httplib2.AuthorizedHttp`` to send
``Authorization: Bearer``.  Start with ``with FakeYouTube() as fake:``.

Quota, as documented by Google (checked 2026; "Quota Calculator" page,
developers.google.com/youtube/v3/determine_quota_cost, and the method reference
pages "Videos: update", "Videos: list", "Thumbnails: set", "PlaylistItems: insert"):

* A project gets 10,000 units a day shared by every method except
  ``search.list`` and ``videos.insert``; those two now have their own daily
  buckets of 100 calls each, at 1 per call.  Older copies of the same page (and
  the ``videos.insert`` reference page) still say an upload costs 1,600 units
  of the shared 10,000; a third-party changelog of the revision history dates
  the cheaper upload charge to Dec 2025 and the split buckets to mid-2026.
* Costs from the shared bucket: ``videos.list`` 1, ``videos.update`` 50,
  ``videos.delete`` 50, ``thumbnails.set`` 50, ``playlistItems.insert`` 50,
  ``search.list`` 100.  The newest ``videos.update`` page speaks of 50 units
  *plus* per-part costs; this fake charges the flat 50.
* Caption tracks (``captions.py``): ``captions.insert`` 400, ``captions.update`` 450,
  ``captions.list`` 50, ``captions.delete`` 50, ``captions.download`` 200.
* ``channels.list`` and ``playlistItems.list`` cost 1 each; ``playlistItems.list``
  pages (``maxResults`` 0-50, default 5, ``nextPageToken``), and the channel's
  uploads playlist (``UU`` + the channel id after ``UC``) holds its own videos,
  newest first.
* Every request, even an invalid one, costs at least one unit; quotas reset at
  midnight Pacific time.  Exceeding it gives HTTP 403, reason ``quotaExceeded``,
  domain ``youtube.quota`` (real bodies observed in 2021 and 2024 carry no
  ``status`` key, so the fake leaves it out for that error only).

What the fake charges: ``videos.insert`` 1 call from ``upload_quota_used``
(limit ``upload_quota_limit``, default 100) when the session is opened; chunk
PUTs and status queries are free, so retries never count twice.  Other methods
charge ``COSTS`` from ``quota_used`` (limit ``quota_limit``, default 10,000)
once auth passed, whatever the outcome (400/404 included).  Requests refused
for quota, auth or an injected fault cost nothing.  A request that would take
the bucket past its limit is refused.

Resumable protocol (guide "Resumable Uploads", youtube/v3/guides/
using_resumable_upload_protocol): ``POST /upload/youtube/v3/videos?
uploadType=resumable&part=...`` with the metadata answers 200 and a
``Location`` holding ``upload_id``; ``PUT`` chunks with ``Content-Range: bytes
a-b/N`` answer 308 with ``Range: bytes=0-b`` until the last, which answers 200
and the video; ``PUT`` with ``Content-Range: bytes */N`` queries progress (308
without ``Range`` when nothing arrived, as the client library expects, PR #312).
A chunk that does not start at the acknowledged offset is not kept and gets
308 with the current range (a fake's choice; Google does not document it).
The session URL is the credential: chunk PUTs need no token.

Accounts (``accounts``): each token speaks for one channel, as each Google grant does for the
account or Brand Account picked on the consent screen; ``add_account`` makes a second channel with
tokens of its own, ``consent`` a one-time code for ``auth login`` (played by ``browser.FakeBrowser``).

Public API: ``FakeYouTube`` (see its methods), ``FakeAccount``, ``UploadRecord``, ``StoredCaption``,
``ApiError``, ``COSTS``.
"""

from .accounts import FakeAccount
from .captions import StoredCaption
from .errors import ApiError
from .server import COSTS, FakeYouTube
from .uploads import UploadRecord

__all__ = ["ApiError", "COSTS", "FakeAccount", "FakeYouTube", "StoredCaption", "UploadRecord"]
