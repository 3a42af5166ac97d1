"""Signing in to YouTube: the saved OAuth token, and ``auth login`` / ``status`` / ``logout``.

Scopes, from the per-method ``scopes`` of the YouTube v3 discovery document bundled with
google-api-python-client (revision 20261104; same lists as the reference pages):
``videos.insert`` and ``thumbnails.set`` accept ``youtube.upload``, ``youtube``,
``youtube.force-ssl``, ``youtubepartner``; ``videos.list`` those but ``youtube.upload``,
plus ``youtube.readonly``; ``videos.update`` and ``playlistItems.insert`` only ``youtube``,
``youtube.force-ssl``, ``youtubepartner``.  So ``UPLOAD_SCOPES`` is ``youtube.upload`` (the
narrowest that uploads), ``MANAGE_SCOPES`` ``youtube.force-ssl``, and ``ALL_SCOPES`` (what
``auth login`` asks for) ``youtube.force-ssl`` alone, which already allows all that
``youtube.upload`` does.  A needed scope is met by itself or by a scope all those methods
accept in its place (``_MET_BY``), so a login token passes ``load_credentials(UPLOAD_SCOPES)``.

A token file is google-auth's authorized-user JSON, 0600, written atomically (``mkstemp``
creates the temporary file 0600, so no reader ever sees it open); there is one per channel
(``tokens``).  Its folder must be 0700: episodekit's own folders are created or tightened to
0700; a folder chosen with ``EPISODEKIT_TOKEN_FILE`` that others can enter is refused, not
changed (it may be a home or shared folder).  As in google-auth, the file's ``token_uri`` is
not trusted: refreshes go to Google unless the caller passes ``token_uri``, or
``EPISODEKIT_TOKEN_URI`` names another endpoint (a test's fake).  Messages never hold a token
or secret.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import webbrowser
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import google_auth_httplib2
import httplib2
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials

from ..atomic import write_failure, write_text_atomic
from ..errors import (
    InputError,
    MissingFileError,
    OutputError,
    Problem,
    RefusedError,
    YouTubeError,
    command_line,
)
from ..paths import shown_path
from ..pipeline.schedule import to_rfc3339_utc
from ..retrying import command_retry
from . import tokens
from .client import SIGN_IN_UNREACHABLE, TOKEN_FILE_ENV, auth_hint, build_service, youtube_error
from .identity import ChannelIdentity, read_channel

_ROOT = "https://www.googleapis.com/auth/"
UPLOAD, FORCE_SSL = _ROOT + "youtube.upload", _ROOT + "youtube.force-ssl"
UPLOAD_SCOPES: tuple[str, ...] = (UPLOAD,)
MANAGE_SCOPES: tuple[str, ...] = (FORCE_SSL,)
ALL_SCOPES: tuple[str, ...] = (FORCE_SSL,)
_BROAD = {FORCE_SSL, _ROOT + "youtube", _ROOT + "youtubepartner"}
_MET_BY = {UPLOAD: _BROAD | {UPLOAD}, FORCE_SSL: _BROAD}
TOKEN_URI_ENV = "EPISODEKIT_TOKEN_URI"  # where refreshes go instead of Google's token endpoint
_EXPIRED = "The saved YouTube sign-in has expired and cannot be renewed; {hint}."
_LOG = logging.getLogger(__name__)
_PROMPT = ("Open this address in a browser to let episodekit use your YouTube channel; on Google's screen, pick "
           "the account or Brand Account of the channel this folder publishes to:\n{url}")
_DONE = "episodekit is signed in to YouTube. You can close this tab and go back to the terminal."
_CLIENT_HELP = ("create an OAuth client ID of type \"Desktop app\" in the Google Cloud console "
                "(APIs & Services > Credentials), download its JSON, and name it in channel.yaml's "
                "`client_secrets` or with --client-secrets")


class SavedCredentials(Credentials):
    """Credentials that write their token file again after every refresh, wherever it
    happens: ``refresh_if_needed``, or ``AuthorizedHttp`` renewing an expired token or
    retrying a 401 in the middle of an upload.  ``token_file`` None: nothing is saved."""

    token_file: Path | None = None

    def refresh(self, request) -> None:
        """Renew the token, then save it (a failed save is logged; the old file still renews)."""
        super().refresh(request)
        if self.token_file is not None:
            _LOG.info("renewed the access token; saving the sign-in to %s", self.token_file)
            try:
                save_credentials(self, self.token_file)
            except (OSError, RefusedError, OutputError) as exc:  # the old file still refreshes next time
                _LOG.warning("could not save the renewed YouTube sign-in to %s: %s",
                             self.token_file, getattr(exc, "strerror", None) or exc)


def token_path(channel_id: str | None = None) -> Path:
    """``$EPISODEKIT_TOKEN_FILE``, else the token file of ``channel_id`` in the user config folder, else the
    single token file of earlier versions there (see ``tokens``)."""
    forced = tokens.override()
    if forced is not None:
        return forced
    return tokens.channel_token(channel_id) if channel_id else tokens.legacy_token()


def _target(path: Path | None) -> Path:
    """The token file to use: ``path`` when given, else :func:`token_path`."""
    return Path(path) if path is not None else token_path()


def _secure_folder(folder: Path) -> None:
    """Create ``folder`` 0700, or make sure it is (see the module docstring); ``OutputError`` when it cannot be."""
    try:
        _make_private(folder)
    except OSError as exc:
        where, why = write_failure(exc, folder, folder=True)
        raise OutputError(f"{where}: {why}; the YouTube token file is kept in {folder}, so nothing was saved "
                          f"(set {TOKEN_FILE_ENV} to a file in a folder that can be written)") from None


def _make_private(folder: Path) -> None:
    if folder.resolve() == tokens.tokens_folder().resolve():  # its parent holds the old token and the index
        _make_private(folder.parent)
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True)  # umask can only take bits away
        return os.chmod(folder, 0o700)
    mode = stat.S_IMODE(folder.stat().st_mode)
    if os.name == "nt" or not mode & 0o077:
        return
    if folder.resolve() in (tokens.config_folder().resolve(), tokens.tokens_folder().resolve()):
        return os.chmod(folder, 0o700)
    raise RefusedError(f"The folder of the YouTube token file, {folder}, is open to other users "
                     f"(mode {mode:03o}); run `chmod 700 {folder}` or set {TOKEN_FILE_ENV} to a "
                     "file in a private folder.")


def save_credentials(credentials, path: Path | None = None) -> Path:
    """Write ``credentials`` as authorized-user JSON, 0600 in a 0700 folder, atomically."""
    target = _target(path)
    _secure_folder(target.parent)
    try:
        write_text_atomic(target, credentials.to_json() + "\n", mode=0o600)
    except OSError as exc:
        where, why = write_failure(exc, target)
        raise OutputError(f"{where}: {why}; the YouTube sign-in was not saved") from None
    return target


def _read_json(path: Path) -> object:
    """The JSON in ``path``, or None when it is not JSON; ``OSError`` when it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError:  # not JSON, or not UTF-8; the content is never echoed
        return None


def _read(path: Path, token_uri: str | None = None) -> SavedCredentials:
    """The sign-in saved at ``path``; refresh fields it lacks become None."""
    try:
        info = _read_json(path)
    except FileNotFoundError:
        raise YouTubeError(f"episodekit is not signed in to YouTube (no {path}); {auth_hint()}.") from None
    except OSError as exc:
        raise YouTubeError(f"{path} cannot be read ({exc.strerror}); {auth_hint()}.") from None
    try:
        info = {"refresh_token": None, "client_id": None, "client_secret": None, **info}
        credentials = SavedCredentials.from_authorized_user_info(info)
    except (ValueError, TypeError, AttributeError):  # not an object, a malformed expiry ...
        raise YouTubeError(f"{path} is not a saved YouTube sign-in; {auth_hint()}.") from None
    token_uri = token_uri or os.environ.get(TOKEN_URI_ENV, "").strip() or None
    if token_uri:
        expiry = credentials.expiry  # with_token_uri's copy drops the expiry (google-auth 2.62)
        credentials = credentials.with_token_uri(token_uri)
        credentials.expiry = expiry
    return credentials


def _has_browser() -> bool:
    try:
        return bool(webbrowser.get())
    except webbrowser.Error:  # a machine without one: the printed address is enough
        return False


def _can_refresh(credentials) -> bool:
    return bool(credentials.refresh_token and credentials.client_id
                and credentials.client_secret and credentials.token_uri)


def _missing(needed: Sequence[str], granted: Sequence[str] | str | None) -> list[str]:
    granted = set(granted.split() if isinstance(granted, str) else granted or ())
    return [scope for scope in needed if not _MET_BY.get(scope, {scope}) & granted]


def load_credentials(scopes: Sequence[str], path: Path | None = None,
                     token_uri: str | None = None) -> SavedCredentials:
    """The saved sign-in, which re-saves itself on refresh; ``YouTubeError`` (run ``auth login``)
    when missing, unreadable, short of a needed scope, or expired with no way to renew."""
    target = _target(path)
    credentials = _read(target, token_uri)
    missing = _missing(scopes, credentials.scopes)
    if missing:
        raise YouTubeError(f"The saved YouTube sign-in does not allow what this needs "
                           f"({', '.join(missing)}); {auth_hint()}.")
    if not credentials.valid and not _can_refresh(credentials):
        raise YouTubeError(_EXPIRED.format(hint=auth_hint()))
    credentials.token_file = target
    _LOG.debug("read the YouTube sign-in from %s", target)
    return credentials


def refresh_if_needed(credentials, path: Path | None = None, http=None):
    """Renew an expired access token and save the file.  A refused refresh (revoked or
    expired grant) is one line of ``YouTubeError`` saying to run ``auth login``, no secret."""
    if credentials.valid:
        return credentials
    if not _can_refresh(credentials):
        raise YouTubeError(_EXPIRED.format(hint=auth_hint()))
    target = Path(path) if path is not None else _target(getattr(credentials, "token_file", None))
    try:
        credentials.refresh(google_auth_httplib2.Request(http or httplib2.Http()))
    except RefreshError as exc:
        raise youtube_error(exc) from None
    except TransportError:
        raise YouTubeError(SIGN_IN_UNREACHABLE) from None
    if getattr(credentials, "token_file", None) != target:  # SavedCredentials saved itself
        save_credentials(credentials, target)
    return credentials


def _client_config(path: Path) -> dict:
    """The ``installed`` section of an OAuth client file; its content is never echoed."""
    shown = shown_path(path)
    try:
        data = _read_json(path)
    except FileNotFoundError:
        raise MissingFileError(f"{shown}: no such OAuth client file; {_CLIENT_HELP}") from None
    except OSError as exc:
        raise InputError([Problem(shown, None, "", f"the OAuth client file cannot be read ({exc.strerror})")]) \
            from None
    app = data.get("installed") if isinstance(data, dict) else None
    needed = ("client_id", "client_secret", "auth_uri", "token_uri")
    if not isinstance(app, dict) or not all(isinstance(app.get(k), str) and app[k] for k in needed):
        raise InputError([Problem(shown, None, "", (
            f"is not the OAuth client file of a desktop app (an \"installed\" section with {', '.join(needed)}); "
            f"{_CLIENT_HELP}"))])
    return {"installed": app}


@dataclass(frozen=True)
class SignedIn:
    """A sign-in just made: the channel it speaks for, and the file its token was saved to."""

    channel: ChannelIdentity
    token_file: Path


def login(client_secrets: Path, scopes: Sequence[str] = ALL_SCOPES, open_browser: bool = True,
          port: int = 0) -> SignedIn:
    """Sign in through Google's installed-app flow (loopback redirect to 127.0.0.1:``port``),
    ask YouTube which channel the sign-in is for (``channels.list``, 1 unit) and save the token
    as that channel's.  The address to open is printed too, so a machine without a browser
    works.  A partial grant, or an account without a channel, is refused and not saved."""
    from google_auth_oauthlib.flow import (
        InstalledAppFlow,  # imported late: pulls in requests
    )
    from oauthlib.oauth2.rfc6749.errors import OAuth2Error
    from requests import RequestException

    flow = InstalledAppFlow.from_client_config(_client_config(Path(client_secrets)), scopes=list(scopes))
    forced = tokens.override()  # a token that could not be saved: say so before the browser opens
    _secure_folder(forced.parent if forced is not None else tokens.tokens_folder())
    try:
        with _environment(OAUTHLIB_RELAX_TOKEN_SCOPE="1"):  # partial grant: worded below
            credentials = flow.run_local_server(
                host="127.0.0.1", port=port, open_browser=open_browser and _has_browser(),
                authorization_prompt_message=_PROMPT, success_message=_DONE)
    except OAuth2Error as exc:  # access_denied, mismatching_state, invalid_grant ...
        raise YouTubeError(f"Google did not complete the sign-in ({exc.error}); "
                           f"run {command_line('auth login')} again.") from None
    except RequestException:
        raise YouTubeError("Google's sign-in server could not be reached; check the connection "
                           f"and run {command_line('auth login')} again.") from None
    missing = _missing(scopes, credentials.granted_scopes or credentials.scopes)
    if missing:
        raise YouTubeError(f"Google granted only part of the access asked for (missing "
                           f"{', '.join(missing)}); run {command_line('auth login')} again and allow "
                           "every permission on the consent screen.")
    channel = _channel_of(credentials)
    target = save_credentials(credentials, token_path(channel.channel_id))
    tokens.remember(channel.channel_id, channel.title)
    return SignedIn(channel, target)


def _channel_of(credentials) -> ChannelIdentity:
    """The channel a fresh sign-in speaks for; a refusal is one line, and nothing is saved."""
    from googleapiclient.errors import HttpError

    from .retry import TRANSPORT_ERRORS

    try:
        return read_channel(build_service(credentials), command_retry())
    except (HttpError, *TRANSPORT_ERRORS) as exc:
        error = youtube_error(exc, method="channels.list") if isinstance(exc, HttpError) else \
            f"YouTube could not be reached ({type(exc).__name__})"
        raise YouTubeError(f"{str(error).rstrip('.')}; the sign-in was not saved, because YouTube did not say "
                           f"which channel it is for: run {command_line('auth login')} again.") from None


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    """Set environment variables for the duration of a ``with`` block, then put back what was there."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def status(path: Path | None = None) -> dict[str, object]:
    """File, scopes, access-token expiry (UTC), whether it can be renewed; never a secret.
    A missing or unreadable file raises ``YouTubeError``."""
    target = _target(path)
    credentials = _read(target)
    expiry = credentials.expiry
    return {"token_file": str(target), "scopes": list(credentials.scopes or ()),
            "expiry": to_rfc3339_utc(expiry.replace(tzinfo=UTC)) if expiry else None,  # google-auth: naive UTC
            "expired": credentials.token is None or credentials.expired,
            "can_refresh": _can_refresh(credentials)}


def logout(path: Path | None = None) -> bool:
    """Delete the token file; True if there was one.  The grant itself stays listed at
    https://myaccount.google.com/permissions until removed there."""
    target = _target(path)
    try:
        target.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        why = "is a folder, not a file" if target.is_dir() else f"cannot delete it: {exc.strerror or exc}"
        raise OutputError(f"{target}: {why}; the YouTube sign-in was not removed") from None
    return True
