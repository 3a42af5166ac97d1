"""One authorised conversation with YouTube: credentials in, creator-readable errors out."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from google.auth.exceptions import RefreshError
from googleapiclient.errors import HttpError

from .auth import load_credentials, refresh_if_needed
from .client import build_service, youtube_error


@contextmanager
def youtube_service(scopes: Sequence[str]) -> Iterator[Any]:
    """A client with the saved token (re-saved on every refresh); errors become ``YouTubeError``."""
    credentials = refresh_if_needed(load_credentials(scopes))
    try:
        yield build_service(credentials)
    except (HttpError, RefreshError) as exc:
        raise youtube_error(exc) from None
