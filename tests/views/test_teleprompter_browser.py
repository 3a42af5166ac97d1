"""`preview --teleprompter` in a real browser (the distribution's Chromium, driven by Playwright, as
tests/views/test_watch_browser.py does): its one script runs under the page's CSP, the keys move it,
the mirror works with and without scripts, and a phone never scrolls sideways."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_watch_browser import _missing
from testkit import copy_sample

if _missing() is not None:
    pytest.skip(f"browser tests skipped: {_missing()}", allow_module_level=True)

# the same Chromium, started the same way, as the watch page's browser tests
from test_watch_browser import DESKTOP, PHONE, SHOTS, _launch, browser, driver  # noqa: E402, F401


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("sample"), ledger=False)
    from episodekit.pipeline.build import build_valid
    from episodekit.views.teleprompter import write_teleprompter
    from episodekit.workspace import Workspace

    ws = Workspace.open(root)
    return write_teleprompter(ws, build_valid(ws, ws.episodes_dir / "what-causes-depression.yaml"))


def _open(browser, page_file: Path, size: dict):
    page = browser.new_page()
    page.set_viewport_size(size)
    page.errors, page.requests = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(page_file.as_uri())
    return page


def _state(page):
    return page.evaluate("window.teleprompter.state()")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_script_runs_under_its_csp_and_the_keys_move_it(browser, page_file, size):
    page = _open(browser, page_file, size)
    assert _state(page) == {"at": 0, "wpm": 150, "playing": False, "section": 0}
    page.keyboard.press("PageDown")
    assert _state(page)["section"] == 1 and page.locator("#status .now").inner_text() == "Circuits, not just chemicals"
    top = page.evaluate("window.scrollY")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("window.scrollY") > top
    page.keyboard.press("+")
    page.keyboard.press("+")
    page.keyboard.press("-")
    assert _state(page)["wpm"] == 160 and "160 wpm" in page.locator("#status").inner_text()
    page.keyboard.press(" ")
    page.wait_for_timeout(600)
    page.keyboard.press(" ")
    moved = _state(page)
    assert not moved["playing"] and moved["at"] > 32  # it scrolled on by itself while playing
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1]
    assert page.errors == [] and page.requests == [page.url]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"teleprompter-{'phone' if size == PHONE else 'desktop'}.png")


def test_the_remaining_time_counts_down_for_the_current_section(browser, page_file):
    page = _open(browser, page_file, DESKTOP)
    before = page.locator("#status .left").inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert before == "0:27 left" and page.locator("#status .left").inner_text() == "0:17 left"


def test_citation_cues_are_small_and_an_inline_script_of_its_own_would_not_run(browser, page_file):
    page = _open(browser, page_file, DESKTOP)
    cite = page.locator(".cite").first
    assert cite.inner_text() == "[1]"
    sizes = page.evaluate("[getComputedStyle(document.querySelector('.cite')).fontSize, "
                          "getComputedStyle(document.querySelector('.section p')).fontSize].map(parseFloat)")
    assert sizes[0] < sizes[1] / 2
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; "
                  "document.body.appendChild(s); }")
    assert page.evaluate("window.ran") is None  # only the hashed script may run


def test_the_mirror_toggle_works_with_the_key_and_without_scripts(browser, driver, tmp_path_factory, page_file):
    page = _open(browser, page_file, DESKTOP)
    transform = "getComputedStyle(document.querySelector('.script')).transform"
    page.keyboard.press("m")
    assert page.evaluate(transform).startswith("matrix(-1")
    no_script = _launch(driver, tmp_path_factory, java_script_enabled=False)
    try:
        plain = _open(no_script, page_file, PHONE)
        assert plain.evaluate(transform) == "none"
        plain.locator("label[for=mirror]").click()
        assert plain.evaluate(transform).startswith("matrix(-1")
        assert "Maybe you were told" in plain.locator("#script").inner_text()
    finally:
        no_script.close()
