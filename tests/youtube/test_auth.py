"""episodekit.youtube.auth: the token file, refreshes and the installed-app login, with real
google-auth and google-auth-oauthlib against the fake YouTube on 127.0.0.1 only."""

from __future__ import annotations

import json
import os
import socket
import stat
import webbrowser
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httplib2
import pytest
from google.oauth2.credentials import Credentials

from episodekit import atomic
from episodekit.errors import InputError, MissingFileError, OutputError, RefusedError, YouTubeError
from episodekit.youtube.auth import (
    ALL_SCOPES,
    MANAGE_SCOPES,
    UPLOAD_SCOPES,
    load_credentials,
    login,
    logout,
    refresh_if_needed,
    save_credentials,
    status,
    token_path,
)
from episodekit.youtube.client import TOKEN_FILE_ENV, build_service

try:
    from fake_youtube import FakeYouTube
    from fake_youtube.browser import FakeBrowser
except ImportError:  # run from the repository root
    from tests.fake_youtube import FakeYouTube
    from tests.fake_youtube.browser import FakeBrowser

ACCESS, REFRESH = "ya29.fake-access-token-77", "1//fake-refresh-token-77"
CLIENT_ID, CLIENT_SECRET = "1234-test.apps.googleusercontent.com", "GOCSPX-test-client-secret-77"
SECRETS = (ACCESS, REFRESH, CLIENT_SECRET)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Any connection to a host other than 127.0.0.1 fails the test."""
    real_connect = socket.socket.connect

    def connect(sock, address):
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1"):
            raise AssertionError(f"a test tried to reach {address[0]}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake():
    with FakeYouTube(access_token=ACCESS, refresh_token=REFRESH) as server:
        yield server


@pytest.fixture
def token_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "config" / "episodekit" / "token.json"
    monkeypatch.setenv(TOKEN_FILE_ENV, str(path))
    return path


def creds(fake, *, token=ACCESS, expires_in=3600, scopes=ALL_SCOPES, refresh_token=REFRESH):
    expiry = datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(seconds=expires_in)
    return Credentials(token=token, refresh_token=refresh_token, token_uri=fake.token_uri,
                       client_id=CLIENT_ID, client_secret=CLIENT_SECRET, scopes=list(scopes),
                       expiry=expiry)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_one_clean_line(text: str) -> None:
    assert "\n" not in text
    for secret in SECRETS:
        assert secret not in text and secret[:12] not in text


# ---- the token file ---------------------------------------------------------

def test_token_path_is_the_env_override_else_the_user_config_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(TOKEN_FILE_ENV, str(tmp_path / "elsewhere.json"))
    assert token_path() == tmp_path / "elsewhere.json"
    monkeypatch.delenv(TOKEN_FILE_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert token_path() == tmp_path / "xdg" / "episodekit" / "token.json"


def test_saved_token_is_0600_in_a_0700_folder_and_never_readable_by_others(fake, token_file,
                                                                          monkeypatch):
    seen = []  # (operation, mode of the temporary file at that moment)
    real_chmod, real_replace = os.chmod, os.replace

    def chmod(path, new_mode):
        if Path(path).name.startswith(".token.json."):
            seen.append(("chmod", mode(Path(path))))
        real_chmod(path, new_mode)

    def replace(source, target):
        seen.append(("replace", mode(Path(source))))
        real_replace(source, target)

    monkeypatch.setattr(atomic.os, "chmod", chmod)
    monkeypatch.setattr(atomic.os, "replace", replace)
    assert save_credentials(creds(fake)) == token_file
    assert mode(token_file) == 0o600 and mode(token_file.parent) == 0o700
    assert seen == [("chmod", 0o600), ("replace", 0o600)]  # mkstemp made it 0600 already
    assert json.loads(token_file.read_text())["token"] == ACCESS


def test_a_looser_existing_file_is_replaced_by_a_0600_one(fake, token_file):
    token_file.parent.mkdir(parents=True, mode=0o700)
    token_file.write_text("{}")
    token_file.chmod(0o644)
    save_credentials(creds(fake))
    assert mode(token_file) == 0o600


def test_the_default_folder_is_tightened_a_chosen_folder_is_refused(fake, tmp_path, monkeypatch):
    monkeypatch.delenv(TOKEN_FILE_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    default = tmp_path / "xdg" / "episodekit"
    default.mkdir(parents=True)
    default.chmod(0o755)
    assert save_credentials(creds(fake)) == default / "token.json"
    assert mode(default) == 0o700 and mode(default / "token.json") == 0o600

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    monkeypatch.setenv(TOKEN_FILE_ENV, str(shared / "token.json"))
    with pytest.raises(RefusedError, match="chmod 700") as info:
        save_credentials(creds(fake))
    assert mode(shared) == 0o755 and not (shared / "token.json").exists()
    assert_one_clean_line(str(info.value))


def test_round_trip_save_then_load(fake, token_file):
    save_credentials(creds(fake))
    loaded = load_credentials(UPLOAD_SCOPES + MANAGE_SCOPES, token_uri=fake.token_uri)
    assert (loaded.token, loaded.refresh_token, loaded.client_id, loaded.client_secret) == \
        (ACCESS, REFRESH, CLIENT_ID, CLIENT_SECRET)
    assert list(loaded.scopes) == list(ALL_SCOPES) and loaded.valid
    assert loaded.token_uri == fake.token_uri


def test_the_file_token_uri_is_not_trusted_without_the_argument(fake, token_file):
    save_credentials(creds(fake))
    assert load_credentials(UPLOAD_SCOPES).token_uri == "https://oauth2.googleapis.com/token"


def test_scopes_the_choice_and_what_meets_them():
    assert UPLOAD_SCOPES == ("https://www.googleapis.com/auth/youtube.upload",)
    assert MANAGE_SCOPES == ALL_SCOPES == ("https://www.googleapis.com/auth/youtube.force-ssl",)


def test_load_with_a_missing_scope_says_auth_login(fake, token_file):
    save_credentials(creds(fake, scopes=UPLOAD_SCOPES))
    assert load_credentials(UPLOAD_SCOPES).token == ACCESS  # upload-only token still uploads
    with pytest.raises(YouTubeError, match="auth login") as info:
        load_credentials(MANAGE_SCOPES)
    assert "youtube.force-ssl" in str(info.value)
    assert_one_clean_line(str(info.value))


@pytest.mark.parametrize("content", [None, "not json {", '["a list"]', '{"token": "x", "expiry": "soon"}'])
def test_missing_or_broken_token_file_says_auth_login(token_file, content):
    if content is not None:
        token_file.parent.mkdir(parents=True)
        token_file.write_text(content)
    with pytest.raises(YouTubeError, match="auth login") as info:
        load_credentials(UPLOAD_SCOPES)
    assert "\n" not in str(info.value) and "soon" not in str(info.value)


def test_expired_without_a_refresh_token_says_auth_login(fake, token_file):
    save_credentials(creds(fake, expires_in=-60, refresh_token=None))
    with pytest.raises(YouTubeError, match="expired.*auth login"):
        load_credentials(UPLOAD_SCOPES)
    save_credentials(creds(fake, refresh_token=None))  # still valid: usable until it expires
    assert load_credentials(UPLOAD_SCOPES).valid


# ---- refresh ----------------------------------------------------------------

def test_expired_token_refreshes_at_the_fake_and_the_file_is_resaved(fake, token_file):
    save_credentials(creds(fake, token="ya29.expired-token", expires_in=-60))
    loaded = load_credentials(UPLOAD_SCOPES, token_uri=fake.token_uri)
    assert not loaded.valid
    assert refresh_if_needed(loaded) is loaded and loaded.valid
    assert [r["body"]["grant_type"] for r in fake.requests_for("token")] == ["refresh_token"]
    saved = json.loads(token_file.read_text())
    assert saved["token"] == loaded.token != "ya29.expired-token" and loaded.token in fake.valid_tokens
    expiry = datetime.strptime(saved["expiry"].rstrip("Z").split(".")[0], "%Y-%m-%dT%H:%M:%S")
    assert expiry > datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(minutes=50)
    assert mode(token_file) == 0o600
    refresh_if_needed(loaded)  # valid now: no second call
    assert len(fake.requests_for("token")) == 1


def test_plain_credentials_are_saved_to_the_given_path_after_refresh(fake, tmp_path):
    target = tmp_path / "private" / "token.json"
    plain = creds(fake, token="ya29.expired-token", expires_in=-60)
    refresh_if_needed(plain, target, http=httplib2.Http())
    assert json.loads(target.read_text())["token"] == plain.token in fake.valid_tokens


def test_a_refresh_inside_an_api_call_also_resaves_the_file(fake, token_file):
    """AuthorizedHttp renews an expired token, and retries a 401 after renewing it."""
    video = fake.add_video(snippet={"title": "T"})
    for stale in ("expired", "unknown"):
        expires_in = -60 if stale == "expired" else 3600
        save_credentials(creds(fake, token=f"ya29.{stale}-token", expires_in=expires_in))
        loaded = load_credentials(MANAGE_SCOPES, token_uri=fake.token_uri)
        answer = build_service(loaded, fake.root_url).videos().list(part="id", id=video).execute()
        assert answer["items"][0]["id"] == video
        assert json.loads(token_file.read_text())["token"] == loaded.token in fake.valid_tokens
    assert len(fake.requests_for("token")) == 2


def test_revoked_refresh_token_gives_one_line_saying_auth_login(fake, token_file):
    save_credentials(creds(fake, expires_in=-60))
    loaded = load_credentials(UPLOAD_SCOPES, token_uri=fake.token_uri)
    fake.refresh_tokens.clear()  # revoked
    with pytest.raises(YouTubeError, match="auth login") as info:
        refresh_if_needed(loaded)
    assert_one_clean_line(str(info.value))
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert json.loads(token_file.read_text())["token"] == ACCESS  # file untouched


# ---- status and logout --------------------------------------------------------

def test_status_shows_file_scopes_expiry_and_no_secret(fake, token_file):
    save_credentials(creds(fake, expires_in=-60))
    report = status()
    assert report["token_file"] == str(token_file)
    assert report["scopes"] == list(ALL_SCOPES)
    assert report["expired"] is True and report["can_refresh"] is True
    expiry = datetime.strptime(report["expiry"], "%Y-%m-%dT%H:%M:%SZ")
    assert expiry < datetime.now(timezone.utc).replace(tzinfo=None)
    text = json.dumps(report)
    for secret in SECRETS:
        assert secret not in text and secret[:12] not in text
    save_credentials(creds(fake, refresh_token=None))
    assert status()["expired"] is False and status()["can_refresh"] is False


def test_status_without_a_token_says_auth_login(token_file):
    with pytest.raises(YouTubeError, match="auth login"):
        status()


def test_logout_removes_the_file(fake, token_file):
    save_credentials(creds(fake))
    assert logout() is True and not token_file.exists()
    assert logout() is False


# ---- login ----------------------------------------------------------------------

def client_file(tmp_path, fake, **changes) -> Path:
    app = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "project_id": "test",
           "auth_uri": "https://accounts.example.invalid/o/oauth2/auth", "token_uri": fake.token_uri,
           "redirect_uris": ["http://localhost"], **changes}
    path = tmp_path / "client_secret.json"
    path.write_text(json.dumps({"installed": app}))
    return path


@pytest.fixture
def browser(monkeypatch, fake):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake's /token is plain http
    monkeypatch.setenv("EPISODEKIT_API_ROOT", fake.root_url)  # login asks YouTube which channel it signed in to
    holder = {}
    monkeypatch.setattr(webbrowser, "get", lambda using=None: holder["browser"])
    return holder


def test_login_end_to_end_through_the_loopback_redirect(fake, token_file, tmp_path, browser, capsys):
    fake.auth_codes["code-4/xyz"] = " ".join(ALL_SCOPES)
    browser["browser"] = FakeBrowser(code="code-4/xyz", scope=" ".join(ALL_SCOPES))
    done = login(client_file(tmp_path, fake))
    assert done.token_file == token_file
    assert (done.channel.channel_id, done.channel.title) == (fake.channel_id, "Fake Channel")
    assert [r["op"] for r in fake.requests] == ["token", "channels.list"]
    query = parse_qs(urlsplit(browser["browser"].urls[0]).query)
    assert query["redirect_uri"][0].startswith("http://127.0.0.1:")
    assert query["scope"] == [" ".join(ALL_SCOPES)] and "code_challenge" in query
    assert CLIENT_SECRET not in browser["browser"].urls[0]
    assert "signed in" in browser["browser"].replies[0]
    saved = json.loads(token_file.read_text())
    assert saved["token"] in fake.valid_tokens and saved["token"].startswith("ya29.fake-")
    assert saved["refresh_token"] in fake.refresh_tokens and saved["scopes"] == list(ALL_SCOPES)
    assert mode(token_file) == 0o600 and mode(token_file.parent) == 0o700
    exchange = fake.requests_for("token")[0]["body"]
    assert exchange["grant_type"] == "authorization_code" and exchange["code_verifier"]
    assert load_credentials(UPLOAD_SCOPES + MANAGE_SCOPES).token == saved["token"]
    assert "OAUTHLIB_RELAX_TOKEN_SCOPE" not in os.environ
    assert saved["token"] not in capsys.readouterr().out


def test_login_without_a_browser_prints_the_address(fake, token_file, tmp_path, browser, capsys,
                                                    monkeypatch):
    """open_browser=False: the flow prints the address; here the test plays the user."""
    import google_auth_oauthlib.flow as oauth_flow

    fake.auth_codes["code-no-browser"] = " ".join(ALL_SCOPES)
    user = FakeBrowser(code="code-no-browser")

    def print_and_visit(*args, **kwargs):  # printed before the local server waits
        print(*args, **kwargs)
        user.open(str(args[0]).splitlines()[-1])

    monkeypatch.setattr(oauth_flow, "print", print_and_visit, raising=False)
    assert login(client_file(tmp_path, fake), open_browser=False).token_file == token_file
    printed = capsys.readouterr().out
    assert "Open this address" in printed and "Brand Account" in printed
    assert json.loads(token_file.read_text())["token"] in fake.valid_tokens


def test_login_refused_or_partial_grant_is_one_line_and_saves_nothing(fake, token_file, tmp_path, browser):
    browser["browser"] = FakeBrowser(error="access_denied")
    with pytest.raises(YouTubeError, match="access_denied.*auth login"):
        login(client_file(tmp_path, fake))
    fake.auth_codes["partial"] = " ".join(UPLOAD_SCOPES)
    browser["browser"] = FakeBrowser(code="partial")
    with pytest.raises(YouTubeError, match="youtube.force-ssl.*auth login") as info:
        login(client_file(tmp_path, fake))
    assert_one_clean_line(str(info.value))
    assert not token_file.exists()


def test_missing_or_invalid_client_file_is_one_clear_line(fake, token_file, tmp_path):
    """A client file that is missing or malformed is a file problem (exit 1), not wrong usage."""
    with pytest.raises(MissingFileError, match="no such OAuth client file.*Desktop app") as info:
        login(tmp_path / "nowhere.json")
    assert info.value.exit_code == 1
    assert "nowhere.json" in str(info.value) and "Traceback" not in str(info.value)
    for bad in ({"web": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}}, "garbage"):
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(bad) if isinstance(bad, dict) else bad)
        with pytest.raises(InputError, match="not the OAuth client file of a desktop app") as info:
            login(path)
        assert info.value.exit_code == 1 and info.value.problems[0].path.endswith("bad.json")
        assert_one_clean_line(str(info.value))
    assert not fake.requests and not token_file.exists()


def test_a_token_folder_that_cannot_be_made_stops_login_before_the_browser_opens(fake, tmp_path, browser,
                                                                                 monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the token's folder should be\n")
    monkeypatch.setenv(TOKEN_FILE_ENV, str(blocker / "episodekit" / "token.json"))
    fake.auth_codes["code-blocked"] = " ".join(ALL_SCOPES)
    browser["browser"] = FakeBrowser(code="code-blocked")
    with pytest.raises(OutputError, match=f"^{blocker}: is a file, not a folder; .*{TOKEN_FILE_ENV}") as info:
        login(client_file(tmp_path, fake))
    assert info.value.exit_code == 1 and browser["browser"].urls == []
    assert_one_clean_line(str(info.value))


def test_saving_a_token_where_no_folder_can_be_made_is_an_output_error(fake, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        save_credentials(creds(fake), blocker / "token.json")
