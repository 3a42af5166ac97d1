"""`preview --html`: the watch page of an episode, read as HTML (the browser tests look at it as a person)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from episodekit.pipeline.build import build_episodes
from episodekit.views.watchpage import watch_page
from episodekit.views.watchtext import FOLD_CHARS, FOLD_LINES, SNIPPET_CHARS, fold_at
from episodekit.workspace import Workspace
from testkit import REPO

VIDEO_ID = "AbCdEfGhIjK"
LINKED = """\
    title: Sleep and Mood
    schedule: next
    summary:
      - "Why a short night changes the next day. More at https://example.org/sleep. #Sleep #Mood"
      - At 1:05 the study itself; see also https://example.org/a_(b). (Or https://example.org/c.)
    chapters:
      - {at: "0:00", title: Start}
      - {at: "1:05", title: The study}
      - {at: "3:20", title: What to do}
    citations: [kang2012]
    """


class Page(HTMLParser):
    """The page's elements: for each, its tag, attributes and the text inside it (children included)."""

    VOID = {"meta", "input", "br", "img", "link", "hr"}

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[dict] = []
        self._open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        while self._open:
            element = self._open.pop()
            element["end"] = len(self.elements)
            if element["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data

    def by_id(self, id_: str) -> dict:
        (element,) = [e for e in self.elements if e["attrs"].get("id") == id_]
        return element

    def all(self, tag: str, cls: str | None = None, inside: str | None = None) -> list[dict]:
        """Elements ``tag`` (of class ``cls``), in the element of id ``inside`` when given."""
        elements = self.elements
        if inside is not None:
            outer = self.by_id(inside)
            elements = elements[elements.index(outer) + 1:outer["end"]]
        return [e for e in elements if e["tag"] == tag and (cls is None or cls in e["attrs"].get("class", "").split())]


def _page(run_cli, channel, slug: str = "test-episode", *args: str) -> tuple[Page, str]:
    result = run_cli("preview", slug, "--html", *args, cwd=channel.root)
    assert result.code == 0, result.err
    html = (channel.root / "build" / slug / "watch.html").read_text(encoding="utf-8")
    return Page(html), html


def test_preview_html_writes_the_watch_page_beside_the_rendered_files(channel, run_cli):
    result = run_cli("preview", "test-episode", "--html", cwd=channel.root)
    assert result.code == 0
    assert result.out == "wrote build/test-episode/watch.html\n"
    assert "description: " in result.err  # the counts still go to stderr, as with the text preview
    page = Page((channel.root / "build/test-episode/watch.html").read_text(encoding="utf-8"))
    assert page.by_id("title")["text"] == "A Test Episode"
    assert "First paragraph." in page.by_id("expanded")["text"]


def test_the_page_loads_nothing_and_runs_no_script(channel, run_cli):
    page, html = _page(run_cli, channel)
    assert not page.all("script") and not page.all("link") and not page.all("iframe") and not page.all("img")
    assert not [e for e in page.elements if "src" in e["attrs"]]
    assert "url(" not in html and "@import" not in html
    (policy,) = [e for e in page.all("meta") if e["attrs"].get("http-equiv") == "Content-Security-Policy"]
    assert policy["attrs"]["content"].startswith("default-src 'none';")


def test_links_hashtags_and_timestamps_are_made_clickable_as_youtube_does(channel, run_cli):
    channel.episode("sleep", LINKED)
    page, _ = _page(run_cli, channel, "sleep")
    links = {a["text"]: a["attrs"]["href"] for a in page.all("a")}
    assert links["https://example.org/sleep"] == "https://example.org/sleep"  # the full stop is not the link's
    assert links["https://example.org/a_(b)"] == "https://example.org/a_(b)"
    assert links["https://example.org/c"] == "https://example.org/c"  # nor the bracket around it
    assert links["#Sleep"] == "https://www.youtube.com/hashtag/sleep"
    assert links["https://doi.org/10.1038/nm.2886"] == "https://doi.org/10.1038/nm.2886"
    # before the upload a timestamp is text that says so, not a link that goes nowhere
    assert "1:05" not in links and "1:05" in [s["text"] for s in page.all("span", "timestamp")]


def test_once_uploaded_timestamps_link_to_that_second_of_the_video(channel, run_cli):
    channel.episode("sleep", LINKED)
    channel.write("published.yaml", f"episodes:\n  sleep:\n    video_id: {VIDEO_ID}\n")
    page, _ = _page(run_cli, channel, "sleep")
    in_description = [(a["text"], a["attrs"]["href"]) for a in page.all("a", "timestamp", inside="expanded")]
    assert ("1:05", f"https://youtu.be/{VIDEO_ID}?t=65") in in_description  # in the text and in its Chapters
    chapters = [(a["text"], a["attrs"]["href"]) for a in page.all("a", "timestamp", inside="chapters")]
    assert chapters == [("0:00", f"https://youtu.be/{VIDEO_ID}?t=0"), ("1:05", f"https://youtu.be/{VIDEO_ID}?t=65"),
                        ("3:20", f"https://youtu.be/{VIDEO_ID}?t=200")]


def test_chapters_are_listed_with_how_long_each_lasts(channel, run_cli):
    channel.episode("sleep", LINKED)
    page, _ = _page(run_cli, channel, "sleep")
    rows = [[span["text"] for span in page.elements[page.elements.index(li) + 1:li["end"]]]
            for li in page.all("li", inside="chapters")]
    assert rows == [["0:00", "Start", "1:05"], ["1:05", "The study", "2:15"], ["3:20", "What to do", "to the end"]]


def test_collapsed_the_description_stops_at_the_fold_and_offers_more(channel, run_cli):
    channel.episode("sleep", LINKED)
    page, _ = _page(run_cli, channel, "sleep")
    description = run_cli("preview", "sleep", cwd=channel.root).out.rstrip("\n")
    collapsed = page.by_id("collapsed")["text"]
    assert collapsed.endswith("…more")
    shown = collapsed.removesuffix("…more")
    assert shown == description[:fold_at(description)] and description.startswith(shown)
    assert "References" not in shown and "References" in page.by_id("expanded")["text"]
    assert page.by_id("expanded")["text"].removesuffix("Show less") == description
    assert page.by_id("more")["attrs"]["type"] == "checkbox"  # the toggle needs no script


def test_a_description_that_fits_above_the_fold_has_no_toggle(channel, run_cli):
    channel.write("channel.yaml", channel.root.joinpath("channel.yaml").read_text().replace(
        'disclaimer: "Education only, not medical advice."\n', ""))
    channel.episode("short", "title: Short\nsummary: [Just this.]\n")
    page, _ = _page(run_cli, channel, "short")
    assert not page.all("input") and not [e for e in page.elements if e["attrs"].get("id") == "collapsed"]


@pytest.mark.parametrize("text, fold", [
    ("one line", len("one line")),
    ("a\nb\nc", len("a\nb\nc")),
    ("a\n\nb\nc", len("a\n\nb")),  # a blank line is a line, as on the watch page
    ("word " * 100, FOLD_CHARS - 1),  # cut before the word the fold would split, at its space
    ("x" * 300, FOLD_CHARS),  # nowhere to cut but the limit
])
def test_the_fold_is_three_lines_or_200_characters_at_a_space(text, fold):
    assert (FOLD_LINES, FOLD_CHARS) == (3, 200)
    assert fold_at(text) == fold


def test_the_first_150_characters_are_marked_as_what_search_and_shares_show(channel, run_cli):
    channel.episode("sleep", LINKED)
    page, _ = _page(run_cli, channel, "sleep")
    description = run_cli("preview", "sleep", cwd=channel.root).out
    marked = "".join(m["text"] for m in page.all("mark", "snippet", inside="expanded"))
    assert SNIPPET_CHARS == 150
    assert marked.startswith(description[:140]) and description.startswith(marked)  # a link is marked whole
    assert page.by_id("search")["text"].count(description[:60]) == 1


def test_the_counts_are_those_of_check_and_warnings_are_shown(channel, run_cli):
    channel.episode("sleep", LINKED.replace("Why a short night", "TODO Why a short night"))
    page, _ = _page(run_cli, channel, "sleep")
    err = run_cli("preview", "sleep", cwd=channel.root).err.splitlines()
    counts = [" ".join(li["text"].split()) for li in page.all("li", inside="checks")]
    for field in ("description", "title", "tags"):
        (line,) = [line for line in err if line.startswith(f"{field}: ")]
        figure = line.removeprefix(f"{field}: ").split(" (")[0]  # "17 of 500 characters"
        assert any(c.startswith(field) and c.endswith(figure) for c in counts), (figure, counts)
    (warning,) = [li["text"] for li in page.all("li", "warning")]
    assert "still says TODO" in warning and warning in err


def test_episode_text_is_always_text_never_markup(channel):
    channel.episode("evil", """\
        title: "</title><script>alert(1)</script>"
        summary: ["Fish & chips <b>bold</b> https://example.org/?q=\\"x\\"onmouseover=alert(1)"]
        tags: ["<i>tag</i>"]
        """)
    ws = Workspace.open(channel.root)
    (build,) = build_episodes(ws, [channel.root / "episodes/evil.yaml"]).builds
    html = watch_page(ws, build)  # check refuses this episode; the page shows its errors, as text
    page = Page(html)
    assert not page.all("script") and not page.all("b", inside="description") and not page.all("i")
    assert "Fish & chips <b>bold</b>" in page.by_id("expanded")["text"]
    assert page.by_id("title")["text"] == "</title><script>alert(1)</script>"
    assert not [e for e in page.elements if "onmouseover" in e["attrs"]]
    assert any("may not contain '<' or '>'" in li["text"] for li in page.all("li", "error"))


def test_a_channel_can_override_the_page_template_and_it_still_escapes(channel, run_cli):
    channel.episode("fish", "title: Fish & Chips\nsummary: [x]\n")
    channel.write("templates/watch.html.j2", "<h1 id=title>{{ page.title }}</h1>{{ page.counts[0].used }}\n")
    result = run_cli("preview", "fish", "--html", cwd=channel.root)
    assert result.code == 0
    html = (channel.root / "build/fish/watch.html").read_text(encoding="utf-8")
    assert html.startswith("<h1 id=title>Fish &amp; Chips</h1>")


def test_a_mistake_in_the_page_template_is_one_line_and_nothing_is_written(channel, run_cli):
    channel.write("templates/watch.html.j2", "<h1>{{ page.title }}</h1>\n{{ page.sponsor }}\n")
    result = run_cli("preview", "test-episode", "--html", cwd=channel.root)
    assert result.code == 1
    assert result.err.startswith("error: templates/watch.html.j2:2: ") and "sponsor" in result.err
    assert "Traceback" not in result.err and not (channel.root / "build").exists()


def test_out_names_the_file_and_open_shows_it_in_a_browser(channel, run_cli, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    result = run_cli("preview", "test-episode", "--html", "--out", "site/page.html", "--open", cwd=channel.root)
    assert result.code == 0, result.err
    target = channel.root / "site/page.html"
    assert result.out == "wrote site/page.html\n" and target.is_file()
    assert opened == [target.resolve().as_uri()]


def test_when_no_browser_can_be_started_the_page_is_still_written_and_its_address_given(channel, run_cli, monkeypatch):
    monkeypatch.setattr("webbrowser.open", lambda url: False)
    result = run_cli("preview", "test-episode", "--html", "--open", cwd=channel.root)
    assert result.code == 0
    assert f"open {(channel.root / 'build/test-episode/watch.html').resolve().as_uri()} yourself" in result.err


@pytest.mark.parametrize("args, message", [
    (["--out", "page.html"], "--out goes with --html"),
    (["--open"], "--open goes with --html"),
    (["--html", "--out", "episodes"], "--out: episodes is a folder; give the page's file name"),
])
def test_options_that_do_not_fit_are_a_usage_error(channel, run_cli, args, message):
    result = run_cli("preview", "test-episode", *args, cwd=channel.root)
    assert result.code == 2 and message in result.err
    assert not (channel.root / "build").exists() and not (channel.root / "page.html").exists()


def test_an_invalid_episode_gets_its_errors_and_no_page(channel, run_cli):
    channel.episode("bad", "title: Bad <title>\nsummary: [x]\n")
    result = run_cli("preview", "bad", "--html", cwd=channel.root)
    assert result.code == 1 and "episodes/bad.yaml:1: title: may not contain" in result.err
    assert not (channel.root / "build").exists()


def test_the_sample_episode_has_a_page(tmp_path, run_cli):
    """The repository's own sample channel, as the README shows it."""
    import shutil

    root = tmp_path / "sample"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".git", ".venv", "build", "__pycache__", "tests"))
    result = run_cli("preview", "what-causes-depression", "--html", cwd=root)
    assert result.code == 0
    page = Page((root / "build/what-causes-depression/watch.html").read_text(encoding="utf-8"))
    assert page.by_id("title")["text"] == "What Causes Depression? More Than a Chemical Imbalance"
    assert len(page.all("a", "link")) >= 6  # the referenced video and the DOI of each reference
