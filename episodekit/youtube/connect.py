"""One authorised conversation with YouTube: credentials in, creator-readable errors out."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any, ContextManager

from googleapiclient.errors import HttpError

from ..errors import YouTubeError
from .auth import MANAGE_SCOPES, load_credentials, refresh_if_needed
from .client import SIGN_IN_ERRORS, api_root, build_service, youtube_error
from .retry import TRANSPORT_ERRORS

log = logging.getLogger(__name__)


@contextmanager
def youtube_service(scopes: Sequence[str]) -> Iterator[Any]:
    """A client with the saved token (re-saved on every refresh); errors become ``YouTubeError``."""
    credentials = refresh_if_needed(load_credentials(scopes))
    log.debug("talking to the YouTube API at %s", api_root())
    try:
        yield build_service(credentials)
    except (HttpError, *SIGN_IN_ERRORS) as exc:
        raise youtube_error(exc) from None
    except TRANSPORT_ERRORS as exc:  # still failing after the retries: the network, not a bug
        raise YouTubeError(f"YouTube could not be reached ({type(exc).__name__}); check the connection and "
                           "run the command again: what was done so far is recorded") from None


def maybe_service(scopes: Sequence[str], offline_ok: bool) -> ContextManager[Any]:
    """``youtube_service``; when ``offline_ok`` and nobody is signed in, a context yielding None."""
    if offline_ok:
        try:
            load_credentials(scopes)
        except YouTubeError:
            return nullcontext(None)
    return youtube_service(scopes)


def signed_in_channels() -> list[tuple[str, str]]:
    """(title, id) of each channel the saved sign-in manages (``channels.list mine=true``, 1 unit)."""
    with youtube_service(MANAGE_SCOPES) as service:
        items = service.channels().list(part="snippet", mine=True).execute().get("items", [])
    return [(item["snippet"]["title"], item["id"]) for item in items]
