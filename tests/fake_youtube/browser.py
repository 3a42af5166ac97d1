"""The user's browser on Google's consent screen: it reads the state from the authorization address and
follows Google's redirect back to the local server of ``auth login`` with the answer (a code or an error).

Which account the user picks (a Google account or one of its Brand Accounts) is the code's: the test
registers the code with ``FakeYouTube.consent(code, scopes, channel_id)`` first.
"""

from __future__ import annotations

import http.client
import threading
from urllib.parse import parse_qs, urlencode, urlsplit


class FakeBrowser:
    """Stands in for ``webbrowser``'s browser: ``open`` visits the redirect with ``answer``."""

    def __init__(self, **answer):
        self.answer, self.urls, self.replies = answer, [], []

    def open(self, url, new=0, autoraise=True):
        self.urls.append(url)
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        redirect = urlsplit(query["redirect_uri"])
        target = redirect.path + "?" + urlencode({**self.answer, "state": query["state"]})
        threading.Thread(target=self._visit, args=(redirect.hostname, redirect.port, target)).start()
        return True

    def _visit(self, host, port, target):
        connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.request("GET", target)
        self.replies.append(connection.getresponse().read().decode())
