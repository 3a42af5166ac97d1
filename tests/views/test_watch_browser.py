"""`preview --html` looked at in a real browser: the distribution's Chromium, driven by Playwright.

What a person sees: the collapsed description with "…more", the references after a click, links
that go where YouTube's would, no sideways scrolling on a phone, and an episode's text shown as
text. Screenshots of both layouts go to build/screenshots/ for a person to look at.

Chromium is the distribution's (/usr/bin/chromium; scripts/test.py installs it with apt-get when
it runs as root); Playwright never downloads a browser. Where Chromium cannot be had the tests are
skipped with one message, except in CI (env CI set), where that is a failure.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from episodekit.pipeline.build import build_episodes
from episodekit.views.watchpage import write_watch_page
from episodekit.workspace import Workspace
from testkit import REPO

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SHOTS = REPO / "build" / "screenshots"
VIDEO_ID = "AbCdEfGhIjK"


def _missing() -> str | None:
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing (install the distribution's package: apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install -e .[test])"
    return None


if (_why := _missing()) is not None:
    if os.environ.get("CI"):
        raise RuntimeError(f"browser tests cannot run in CI: {_why}")
    pytest.skip(f"browser tests skipped: {_why}", allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402 - only once the browser is known to be there


@pytest.fixture(scope="module")
def driver():
    with sync_playwright() as playwright:
        yield playwright


def _launch(driver, tmp_path_factory, **options):
    """The distribution's Chromium with a fresh profile (never a browser Playwright downloads)."""
    return driver.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True, args=ARGS,
        **options)


@pytest.fixture(scope="module")
def browser(driver, tmp_path_factory):
    """One Chromium for the tests of this module."""
    context = _launch(driver, tmp_path_factory)
    yield context
    context.close()


@pytest.fixture
def sample(sample_channel) -> Path:
    """A copy of the repository's sample channel, its first episode uploaded as VIDEO_ID."""
    root = sample_channel
    (root / "published.yaml").write_text(f"episodes:\n  what-causes-depression:\n    video_id: {VIDEO_ID}\n")
    return root


def _open(browser, channel_root: Path, slug: str, size: dict, run_cli=None) -> Page:
    """The page ``preview --html`` writes for ``slug``, opened at ``size``; every request it makes is kept."""
    if run_cli is not None:
        assert run_cli("preview", slug, "--html", cwd=channel_root).code == 0
    target = channel_root / "build" / slug / "watch.html"
    page = browser.new_page()
    page.set_viewport_size(size)
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(target.as_uri())
    return page


def _first_paragraph(root: Path) -> str:
    text = (root / "episodes/what-causes-depression.yaml").read_text(encoding="utf-8")
    return " ".join(text.split("summary:", 1)[1].split("- >-", 2)[1].split())


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_collapsed_the_page_shows_the_start_and_more_and_hides_the_references(browser, sample, run_cli, size):
    page = _open(browser, sample, "what-causes-depression", size, run_cli)
    shown = page.locator("#description").inner_text()
    first = _first_paragraph(sample)
    assert first[:150] in " ".join(shown.split())
    assert page.get_by_text("…more").is_visible()
    assert "Research now points" not in shown and "References" not in shown
    assert not page.get_by_role("link", name="https://doi.org/10.1038/nm.2886").is_visible()
    assert page.requests == [page.url]  # the page itself, and nothing else


def test_clicking_more_shows_the_whole_description_and_show_less_folds_it(browser, sample, run_cli):
    page = _open(browser, sample, "what-causes-depression", PHONE, run_cli)
    page.get_by_text("…more").click()
    shown = page.locator("#description").inner_text()
    assert "Research now points" in shown and "\nReferences\n1. André RB" in shown
    assert page.get_by_role("link", name="https://doi.org/10.1038/nm.2886").is_visible()
    assert not page.get_by_text("…more").is_visible()
    page.get_by_text("Show less").click()
    assert "References" not in page.locator("#description").inner_text()


def test_the_toggle_needs_no_javascript(driver, tmp_path_factory, sample, run_cli):
    no_script = _launch(driver, tmp_path_factory, java_script_enabled=False)
    try:
        page = _open(no_script, sample, "what-causes-depression", PHONE, run_cli)
        page.get_by_text("…more").click()
        assert "References" in page.locator("#description").inner_text()
    finally:
        no_script.close()


def test_timestamps_and_doi_links_lead_where_youtube_would(browser, sample, run_cli):
    page = _open(browser, sample, "what-causes-depression", DESKTOP, run_cli)
    page.get_by_text("…more").click()
    stamp = page.locator("#expanded a.timestamp", has_text="1:05")
    assert stamp.is_visible() and stamp.get_attribute("href") == f"https://youtu.be/{VIDEO_ID}?t=65"
    chapter = page.locator("#chapters a", has_text="3:20")
    assert chapter.get_attribute("href") == f"https://youtu.be/{VIDEO_ID}?t=200"
    doi = page.get_by_role("link", name="https://doi.org/10.1038/nm.2886")
    assert doi.is_visible() and doi.get_attribute("href") == "https://doi.org/10.1038/nm.2886"


def test_before_the_upload_a_timestamp_is_not_a_link(browser, sample, run_cli):
    (sample / "published.yaml").write_text("episodes: {}\n")
    page = _open(browser, sample, "what-causes-depression", DESKTOP, run_cli)
    page.get_by_text("…more").click()
    assert page.locator("#expanded .timestamp", has_text="1:05").evaluate("e => e.tagName") == "SPAN"
    assert page.locator("a.timestamp").count() == 0


LONG = "https://example.org/" + "a-very-long-path-without-any-space" * 4


@pytest.mark.parametrize("expanded", [False, True], ids=["collapsed", "expanded"])
@pytest.mark.parametrize("slug", ["what-causes-depression", "long-words"])
def test_a_phone_never_scrolls_sideways(browser, sample, run_cli, expanded, slug):
    (sample / "episodes/long-words.yaml").write_text(
        f"title: {'Pneumonoultramicroscopicsilicovolcanoconiosis' * 2}\n"
        f"summary: [\"See {LONG} first\"]\ntags: [{'x' * 80}]\n", encoding="utf-8")
    page = _open(browser, sample, slug, PHONE, run_cli)
    if expanded:
        page.get_by_text("…more").click()
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] == PHONE["width"]


def test_the_desktop_puts_the_panels_beside_the_video_and_the_phone_below_it(browser, sample, run_cli):
    page = _open(browser, sample, "what-causes-depression", DESKTOP, run_cli)
    video, panels = page.locator(".player").bounding_box(), page.locator("aside").bounding_box()
    assert panels["x"] >= video["x"] + video["width"]
    page.set_viewport_size(PHONE)
    video, panels = page.locator(".player").bounding_box(), page.locator("aside").bounding_box()
    assert panels["y"] >= video["y"] + video["height"] and video["width"] == PHONE["width"]


def test_a_script_in_a_title_is_shown_as_text_and_never_runs(browser, channel):
    title = "</title><script>window.ran = 1</script><img src=x onerror='window.ran = 2'>"
    channel.episode("evil", f"title: \"{title}\"\nsummary: [\"<script>window.ran = 3</script>\"]\n")
    ws = Workspace.open(channel.root)
    (build,) = build_episodes(ws, [channel.root / "episodes/evil.yaml"]).builds  # check refuses it; the page shows why
    write_watch_page(ws, build)
    page = _open(browser, channel.root, "evil", DESKTOP)
    assert page.locator("h1").inner_text() == title
    assert page.title().startswith("</title><script>")
    assert page.evaluate("window.ran") is None
    assert page.locator("script, img").count() == 0
    assert page.requests == [page.url]


def test_screenshots_of_both_layouts_are_kept_for_a_person(browser, sample, run_cli):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page = _open(browser, sample, "what-causes-depression", size, run_cli)
        page.screenshot(path=SHOTS / f"watch-{name}.png", full_page=True)
        page.get_by_text("…more").click()
        page.screenshot(path=SHOTS / f"watch-{name}-expanded.png", full_page=True)
        page.close()
    for shot in SHOTS.glob("watch-*.png"):
        assert shot.read_bytes().startswith(b"\x89PNG")


def test_the_captions_are_listed_and_played_with_the_episodes_own_video(browser, sample, run_cli):
    page = _open(browser, sample, "what-causes-depression", DESKTOP, run_cli)
    assert page.locator("video").count() == 0  # no video file: the cues are listed only
    first = page.locator("#captions li").first
    assert first.inner_text().split("\n") == ["0:00.0", "Maybe you were told that depression"]
    assert page.locator("#captions a.timestamp").first.get_attribute("href") == f"https://youtu.be/{VIDEO_ID}?t=0"
    import imageio_ffmpeg

    (sample / "video").mkdir()
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                    "color=c=black:s=160x90:d=4", "-c:v", "libvpx", str(sample / "video/x.webm")], check=True)
    episode = sample / "episodes/what-causes-depression.yaml"
    episode.write_text(episode.read_text(encoding="utf-8") + "upload: {video: video/x.webm}\n", encoding="utf-8")
    page = _open(browser, sample, "what-causes-depression", DESKTOP, run_cli)
    tracks = "document.querySelector('video').textTracks[0]"
    _until(page, f"{tracks}.cues && {tracks}.cues.length > 0")
    assert page.evaluate(f"[{tracks}.mode, {tracks}.cues.length]") == ["showing", page.locator("#captions li").count()]
    page.evaluate("document.querySelector('video').currentTime = 2")
    _until(page, f"{tracks}.activeCues.length > 0")
    assert page.evaluate(f"{tracks}.activeCues[0].text") == "Maybe you were told that depression"
    assert page.requests[0] == page.url and all(url.startswith(("file:", "data:")) for url in page.requests)


def _until(page: Page, condition: str, seconds: float = 10) -> None:
    """Wait until ``condition`` holds in the page, asked from outside it (the page's CSP forbids the
    eval that Playwright's wait_for_function polls with)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(condition):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {condition}")
