"""Shared test fixtures: a small channel built inline, a copy of the sample channel, an episode ready to
upload, Ctrl-C at the n-th file put in place, and a way to run the CLI in-process.

Names a test module imports (``REPO``, ``copy_sample``, ``PNG``) live in tests/testkit.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fake_services import FakeServices
from fake_youtube import FakeYouTube

from testkit import CHANNEL_YAML, EPISODE_YAML, PNG, REFERENCES_YAML, REPO, copy_sample, upload_sample

from episodekit.cli import main

def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite tests/golden/ from the current output"
    )
    parser.addoption(
        "--soak", action="store_true", help="Run the long rounds of tests/reliability (or EPISODEKIT_SOAK=1)"
    )


# The modules holding the slowest tests (README, "Testing"), slowest first. They are started first, so that
# the workers of a parallel run (scripts/test.py) finish together instead of one ending the run alone.
SLOW_FIRST = (
    "tests/references/test_big_library.py",
    "tests/cli/test_packaging.py",
    "tests/cli/test_benchmarks.py",
    "tests/cli/test_private_clone.py",
    "tests/reliability/test_import_kills.py",
    "tests/reliability/test_kills.py",
    "tests/views/test_watch_browser.py",
    "tests/pipeline/test_align.py",
    "tests/cli/test_import_youtube.py",
    "tests/cli/test_typed_references_reach_nlm.py",
    "tests/adopt/test_import_file.py",
    "tests/cli/test_ledger_lock.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The modules of ``SLOW_FIRST`` go first, whole and in their own order; the rest keep theirs."""
    rank = {module: n for n, module in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


def _build_the_command_line_once() -> None:
    """The click command typer makes of episodekit's app is made once per test process for each app the CLI
    runs (the whole app, or the app of one command, ``cli.app_for``), not at every in-process run: typer
    remakes it on each call (from every command function's signature), which was half the time of a
    ``run_cli("check")``. A program run makes it once too; the processes the tests start still make their own.
    An app of one command is a copy of the app sharing its registered commands, so it is known by those."""
    import typer.main

    from episodekit.cli._app import app

    make, made = typer.main.get_command, {}

    def get_command(typer_instance):  # noqa: ANN001, ANN202 - typer's own signature
        if typer_instance.info is not app.info:  # another Typer than episodekit's app or a copy of it
            return make(typer_instance)
        key = (tuple(map(id, typer_instance.registered_commands)), tuple(map(id, typer_instance.registered_groups)))
        if key not in made:
            made[key] = make(typer_instance)
        return made[key]

    typer.main.get_command = get_command


_build_the_command_line_once()


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def citation_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Each test has its own, empty citation cache (never the user's), through EPISODEKIT_CACHE_DIR."""
    from episodekit.pipeline import citecache

    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("EPISODEKIT_CACHE_DIR", str(folder))
    monkeypatch.delenv("EPISODEKIT_NO_CACHE", raising=False)
    yield folder
    citecache.forget()


@pytest.fixture(autouse=True)
def user_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Each test has its own, empty user config folder (where the sign-ins are kept), never the user's."""
    folder = tmp_path_factory.mktemp("user-config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    monkeypatch.delenv("EPISODEKIT_TOKEN_FILE", raising=False)
    monkeypatch.delenv("EPISODEKIT_TOKEN_URI", raising=False)
    return folder / "episodekit"


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run ``publish.py ARGS`` in-process from folder ``cwd``; returns exit code, stdout, stderr."""

    def run(*args: str, cwd: Path) -> Result:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(int(code), captured.out, captured.err)

    return run


@pytest.fixture
def channel(tmp_path: Path):
    """A channel folder with one valid episode; returns a helper to write more files."""

    class Channel:
        root = tmp_path

        def write(self, relative: str, text: str | bytes) -> Path:
            path = tmp_path / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
            return path

        def episode(self, slug: str, text: str | bytes) -> Path:
            return self.write(f"episodes/{slug}.yaml", text)

        def ready_to_upload(self, size: int = 100_000, *, thumbnail: bool = False, playlist: str | None = None):
            """The test episode as it is, with ``upload:`` naming a ``size``-byte video of random bytes
            (and ``thumb.png``, a playlist id); returns this channel."""
            (tmp_path / "video.mp4").write_bytes(os.urandom(size))
            fields = "video: video.mp4"
            if thumbnail:
                (tmp_path / "thumb.png").write_bytes(PNG)
                fields += ", thumbnail: thumb.png"
            if playlist is not None:
                fields += f", playlist: {playlist}"
            text = (tmp_path / "episodes" / "test-episode.yaml").read_text(encoding="utf-8")
            self.episode("test-episode", text + f"upload: {{{fields}}}\n")
            return self

        def leftovers(self) -> list[str]:
            """Temporary files (``*.tmp``) left anywhere in the channel folder."""
            return sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.tmp"))

    helper = Channel()
    helper.write("channel.yaml", CHANNEL_YAML)
    helper.write("references.yaml", REFERENCES_YAML)
    helper.episode("test-episode", EPISODE_YAML)
    return helper


@pytest.fixture
def video_size() -> int:
    """The size of ``upload_ready``'s video; a module that needs another size overrides this fixture."""
    return 100_000


@pytest.fixture
def upload_ready(channel, video_size):
    """The channel with its test episode ready to upload: ``upload: {video: video.mp4}``, a video of
    ``video_size`` random bytes."""
    return channel.ready_to_upload(video_size)


@pytest.fixture
def sample_channel(tmp_path: Path) -> Path:
    """A copy of the repository's sample channel with its ledger, in ``tmp_path / "sample"``."""
    return copy_sample(tmp_path / "sample")


@pytest.fixture
def ctrl_c_at_replace(monkeypatch: pytest.MonkeyPatch):
    """``ctrl_c_at_replace(n)``: Ctrl-C (KeyboardInterrupt) arrives as the ``n``-th file is put in place
    (``os.replace``, how episodekit.atomic finishes every write); returns the targets asked for so far,
    the interrupted one last."""

    def arm(n: int) -> list:
        renamed, real_replace = [], os.replace

        def replace(source, target):  # noqa: ANN001
            renamed.append(target)
            if len(renamed) == n:
                raise KeyboardInterrupt
            return real_replace(source, target)

        monkeypatch.setattr(os, "replace", replace)
        return renamed

    return arm


FIVE_SLUGS = ["alpha", "bravo", "charlie", "delta", "echo"]


@pytest.fixture
def five(channel):
    """The channel with five small valid episodes instead of its one, named ``FIVE_SLUGS`` in order."""
    (channel.root / "episodes" / "test-episode.yaml").unlink()
    for slug in FIVE_SLUGS:
        channel.episode(slug, f"title: Episode {slug}\nsummary: [Text of {slug}.]\n")
    return channel


NOBODY = 65534  # the unprivileged user of Debian and most Linux systems
# what lets root pass file permissions: CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER (linux/capability.h)
PERMISSION_CAPABILITIES = (1, 2, 3)
PR_CAPBSET_DROP = 24


def _without_permission_capabilities() -> None:
    """In the child before it runs Python: root, but held to file permissions like any user. Dropped from
    the bounding set, the capabilities are gone from the program it runs (its permitted set is that set)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in PERMISSION_CAPABILITIES:
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) refused")


_AS_A_USER: list[str] = []  # what the probe found, once per process: "" when the program runs as such a user


def _cannot_run_as_a_user(run, python, folder: Path) -> str:
    """Why the program cannot run as a user whom file permissions apply to ("" when it can): it must start,
    and a file of mode 0 must be refused to it. The machine decides this, so it is probed once per process."""
    if not _AS_A_USER:
        probe = folder / "unreadable"
        probe.write_text("x")
        probe.chmod(0)
        try:
            started, held = run("--version"), python("-c", f"open({str(probe)!r})")
        except (OSError, subprocess.SubprocessError) as exc:  # prctl refused (a container without CAP_SETPCAP)
            started = held = Result(1, "", str(exc))
        probe.unlink()
        ok = started.code == 0 and "PermissionError" in held.err
        _AS_A_USER.append("" if ok else (started.err or held.err or "the permissions did not hold").strip()[-200:])
    return _AS_A_USER[0]


@pytest.fixture
def as_a_user(channel):
    """Run ``publish.py`` as a user whom file permissions apply to.

    Run as root, the program is root without the capabilities that pass file permissions (Linux), so it
    runs from wherever the clone is, a private folder such as /root included (``nobody`` could not even
    read the Python there). Returns ``(run, root)``: ``run(*args)`` runs the program in a copy of the
    channel at ``root`` and gives its exit code, stdout and stderr.
    """
    if os.name != "posix":
        pytest.skip("file permissions as POSIX has them")
    as_root = os.geteuid() == 0
    if as_root and not sys.platform.startswith("linux"):
        pytest.skip("run as root: dropping the capabilities that pass file permissions needs Linux")
    root = Path(tempfile.mkdtemp(prefix="episodekit-user-")) / "channel"
    shutil.copytree(channel.root, root)

    def python(*args: str) -> Result:
        done = subprocess.run(
            [sys.executable, *args], cwd=root, capture_output=True, text=True, timeout=120,
            env={**os.environ, "HOME": str(root.parent)},
            preexec_fn=_without_permission_capabilities if as_root else None,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    def run(*args: str) -> Result:
        return python(str(REPO / "publish.py"), *args)

    refused = _cannot_run_as_a_user(run, python, root.parent)
    if refused:
        shutil.rmtree(root.parent, ignore_errors=True)
        pytest.skip(f"cannot run the program as a user whom file permissions apply to: {refused}")
    yield run, root
    shutil.rmtree(root.parent, ignore_errors=True)


@pytest.fixture
def fake():
    """A fake YouTube Data API on 127.0.0.1 (see tests/fake_youtube)."""
    with FakeYouTube() as server:
        yield server


@pytest.fixture
def youtube_env(fake, tmp_path_factory, monkeypatch):
    """Signed in to the fake through EPISODEKIT_API_ROOT and EPISODEKIT_TOKEN_FILE, as the README says."""
    folder = tmp_path_factory.mktemp("config")
    token = folder / "token.json"
    token.write_text(json.dumps({
        "token": fake.access_token, "refresh_token": fake.refresh_token, "token_uri": fake.token_uri,
        "client_id": "test-client", "client_secret": "test-secret",
        "scopes": ["https://www.googleapis.com/auth/youtube.force-ssl"],
        "expiry": (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }))
    token.chmod(0o600)
    monkeypatch.setenv("EPISODEKIT_API_ROOT", fake.root_url)
    monkeypatch.setenv("EPISODEKIT_TOKEN_FILE", str(token))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
    return token


@pytest.fixture
def google_sign_in(fake, tmp_path_factory, monkeypatch):
    """`auth login` as a user does it, against the fake: ``login(run_cli, folder, channel_id, code)`` runs the
    command while the user's browser (``fake_youtube.browser``) picks the account of ``channel_id`` on Google's
    consent screen. The YouTube API and the renewals of the sign-in (EPISODEKIT_TOKEN_URI) go to the fake; the
    token goes to the test's own user config folder, as without EPISODEKIT_TOKEN_FILE."""
    import webbrowser

    from fake_youtube.browser import FakeBrowser

    monkeypatch.setenv("EPISODEKIT_API_ROOT", fake.root_url)
    monkeypatch.setenv("EPISODEKIT_TOKEN_URI", fake.token_uri)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake's token endpoint is plain http
    client = tmp_path_factory.mktemp("client") / "client_secret.json"
    client.write_text(json.dumps({"installed": {
        "client_id": "test-client.apps.googleusercontent.com", "client_secret": "test-secret",
        "auth_uri": "https://accounts.example.invalid/o/oauth2/auth", "token_uri": fake.token_uri,
        "redirect_uris": ["http://localhost"]}}))
    browser: dict = {}
    monkeypatch.setattr(webbrowser, "get", lambda using=None: browser["now"])
    scope = "https://www.googleapis.com/auth/youtube.force-ssl"

    def login(run_cli, folder: Path, channel_id: str, code: str) -> Result:
        fake.consent(code, scope, channel_id)
        browser["now"] = FakeBrowser(code=code, scope=scope)
        return run_cli("auth", "login", "--client-secrets", str(client), cwd=folder)

    return login


@pytest.fixture
def published(tmp_path, fake, youtube_env):
    """A copy of the sample channel whose two episodes are on the fake YouTube; signed in through the env."""
    from episodekit.pipeline.channelpin import pin
    from episodekit.workspace import Workspace

    root = upload_sample(copy_sample(tmp_path / "published-channel"), fake)
    pin(Workspace.open(root), fake.channel_id, fake.channel_title)  # as the first upload of `upload` records it
    return root


@pytest.fixture
def fixed_reference(published):
    """The correction the README's sync workflow starts from, an author's name in references.yaml;
    it changes the description of the first sample episode only."""
    path = published / "references.yaml"
    path.write_text(path.read_text().replace("{family: André, given: R. B.}", "{family: Brunoni, given: A. R.}"))
    return published


@pytest.fixture
def lookup_services(tmp_path_factory, monkeypatch):
    """A fake doi.org, NCBI exporter, E-utilities and Crossref search on 127.0.0.1 (see tests/fake_services),
    with EPISODEKIT_DOI_ROOT, EPISODEKIT_NCBI_ROOT, EPISODEKIT_EUTILS_ROOT, EPISODEKIT_CROSSREF_ROOT and an
    empty EPISODEKIT_CACHE_DIR pointing at it; no API key in the environment."""
    with FakeServices() as services:
        monkeypatch.setenv("EPISODEKIT_DOI_ROOT", services.doi_root)
        monkeypatch.setenv("EPISODEKIT_NCBI_ROOT", services.ncbi_root)
        monkeypatch.setenv("EPISODEKIT_EUTILS_ROOT", services.eutils_root)
        monkeypatch.setenv("EPISODEKIT_CROSSREF_ROOT", services.crossref_root)
        monkeypatch.setenv("EPISODEKIT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        monkeypatch.delenv("EPISODEKIT_NCBI_API_KEY", raising=False)
        yield services
