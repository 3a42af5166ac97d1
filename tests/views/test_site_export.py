"""`export --site`: each episode becomes a web post that a static-site generator builds, with links that
resolve, written all at once or not at all, and left alone when nothing in it changed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

VIDEO_ID = "abcdefghijk"
LINK = re.compile(r"\]\(([^)\s]+)\)|<(https?://[^>]+)>|href=\"([^\"]+)\"")


@pytest.fixture
def sample(sample_channel):
    """A copy of the sample channel; the first episode is uploaded (its video id is in the ledger)."""
    root = sample_channel
    (root / "published.yaml").write_text(
        f"episodes:\n  what-causes-depression:\n    video_id: {VIDEO_ID}\n    publish_at: 2031-06-04T13:00:00Z\n")
    return root


def front_matter(path: Path) -> tuple[dict, str]:
    """The YAML between the first two ``---`` lines (read by a YAML parser), and the body after it."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), text[:40]
    head, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(head), body


def relative_links(path: Path) -> list[str]:
    found = [next(g for g in m.groups() if g) for m in LINK.finditer(path.read_text(encoding="utf-8"))]
    return [link for link in found if "://" not in link]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_each_episode_is_a_post_whose_front_matter_a_yaml_parser_reads(sample, run_cli, fmt):
    result = run_cli("export", "--site", "site", "--format", fmt, cwd=sample)
    assert result.code == 0, result.err
    assert "exported 3 post(s) into site: 3 written, 0 unchanged" in result.out  # one episode in two languages
    meta, _ = front_matter(sample / "site" / f"what-causes-depression.{fmt}")
    assert meta["title"] == "What Causes Depression? More Than a Chemical Imbalance"
    assert meta["slug"] == "what-causes-depression" and meta["video_id"] == VIDEO_ID
    assert meta["tags"][:3] == ["psychiatry", "mental health", "depression"]
    # RFC 3339 in the channel's zone: 09:00 in New York, EDT in June
    assert meta["date"] == datetime(2031, 6, 4, 9, 0, tzinfo=timezone(timedelta(hours=-4)))
    assert re.search(r"^date: 2031-06-04T09:00:00-04:00$", (sample / "site" / f"what-causes-depression.{fmt}")
                     .read_text(), re.MULTILINE)
    other, _ = front_matter(sample / "site" / f"depression-feedback-loop.{fmt}")
    assert "video_id" not in other and other["date"].utcoffset() in (timedelta(hours=-5), timedelta(hours=-4))
    assert "lang" not in other and meta["lang"] == "en" and meta["translationKey"] == "what-causes-depression"
    portuguese, body = front_matter(sample / "site" / f"what-causes-depression.pt-BR.{fmt}")
    assert portuguese["title"].startswith("O que causa a depressão?") and portuguese["lang"] == "pt-BR"
    assert portuguese["translations"] == {"en": f"what-causes-depression.{fmt}", "pt-BR": f"what-causes-depression.pt-BR.{fmt}"}
    assert "Capítulos" in body and "Referências" in body and portuguese["date"] == meta["date"]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_link_to_another_episode_goes_to_its_post_and_every_relative_link_resolves(sample, run_cli, fmt):
    assert run_cli("export", "--site", "out/posts", "--format", fmt, cwd=sample).code == 0
    site = sample / "out" / "posts"
    links = {post.name: relative_links(post) for post in site.iterdir()}
    assert links[f"depression-feedback-loop.{fmt}"] == [f"what-causes-depression.{fmt}"]
    for post, targets in links.items():
        for target in targets:
            assert (site / target).is_file(), f"{post} links to {target}, which was not written"


def test_the_posts_build_with_a_static_site_generator_that_checks_their_links(sample, run_cli, tmp_path):
    pytest.importorskip("mkdocs", reason="MkDocs (the test extra) builds the posts")
    assert run_cli("export", "--site", "docs", cwd=sample).code == 0
    built = mkdocs_build(sample)
    assert built.returncode == 0, built.stderr
    page = (sample / "public" / "depression-feedback-loop" / "index.html").read_text(encoding="utf-8")
    assert 'href="../what-causes-depression/"' in page  # the generator resolved the link to the other post
    assert "<title>The Feedback Loop That Keeps Depression Going" in page  # the title from the front matter
    first = (sample / "public" / "what-causes-depression" / "index.html").read_text(encoding="utf-8")
    assert f'src="https://www.youtube-nocookie.com/embed/{VIDEO_ID}"' in first
    assert f'href="https://youtu.be/{VIDEO_ID}?t=65"' in first  # chapter 1:05
    assert 'href="https://doi.org/10.1038/nm.2886"' in first


def test_the_generator_check_fails_on_a_link_to_no_post(sample, run_cli):
    """The check above can fail: a post linking to a file that is not there stops MkDocs' strict build."""
    pytest.importorskip("mkdocs", reason="MkDocs (the test extra) builds the posts")
    assert run_cli("export", "--site", "docs", cwd=sample).code == 0
    post = sample / "docs" / "depression-feedback-loop.md"
    post.write_text(post.read_text().replace("(what-causes-depression.md)", "(what-causes.md)"))
    built = mkdocs_build(sample)
    assert built.returncode != 0 and "what-causes.md" in built.stderr


def mkdocs_build(root: Path) -> subprocess.CompletedProcess[str]:
    (root / "mkdocs.yml").write_text("site_name: Sample\ndocs_dir: docs\nsite_dir: public\nstrict: true\n")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root,
                          capture_output=True, text=True, timeout=120)


def test_an_uploaded_episode_embeds_its_video_and_links_its_chapters(sample, run_cli):
    assert run_cli("export", "--site", "site", cwd=sample).code == 0
    _, body = front_matter(sample / "site" / "what-causes-depression.md")
    assert f'<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/{VIDEO_ID}"' in body
    assert f"- [1:05](https://youtu.be/{VIDEO_ID}?t=65) Neuroplasticity: circuits, not just chemicals" in body
    assert "<https://doi.org/10.1038/nm.2886>" in body  # the reference's DOI is a link


def test_an_episode_not_uploaded_has_a_placeholder_and_plain_chapter_times(channel, run_cli):
    channel.episode("test-episode", "title: A Test Episode\nschedule: next\nsummary: [First.]\n"
                    "chapters:\n  - {at: '0:00', title: Intro}\n  - {at: '0:30', title: Middle}\n"
                    "  - {at: '1:00', title: End}\n")
    assert run_cli("export", "--site", "site", cwd=channel.root).code == 0
    meta, body = front_matter(channel.root / "site" / "test-episode.md")
    assert "<iframe" not in body and "youtube-nocookie" not in body
    assert "*The video is not on YouTube yet; it comes out on " in body
    assert "- 0:30 Middle" in body and "youtu.be" not in body
    assert "video_id" not in meta


def test_a_draft_without_a_release_time_is_marked_draft(channel, run_cli):
    channel.episode("test-episode", "title: A Draft\nsummary: [Not yet planned.]\n")
    assert run_cli("export", "--site", "site", cwd=channel.root).code == 0
    meta, _ = front_matter(channel.root / "site" / "test-episode.md")
    assert meta["draft"] is True and "date" not in meta


def test_references_link_their_doi_and_pubmed(channel, run_cli):
    channel.episode("test-episode", """\
        title: A Test Episode
        schedule: next
        summary: [First paragraph.]
        citations:
          - kang2012
          - id: smith2020
            author: [{family: Smith, given: A.}]
            title: A study found only in PubMed
            container-title-short: J Test
            issued: 2020
            PMID: "31234567"
        """)
    for fmt in ("md", "html"):
        assert run_cli("export", "--site", "site", "--format", fmt, cwd=channel.root).code == 0
    md = (channel.root / "site" / "test-episode.md").read_text()
    assert "<https://doi.org/10.1038/nm.2886>" in md
    assert "[PubMed](https://pubmed.ncbi.nlm.nih.gov/31234567/)" in md
    html = (channel.root / "site" / "test-episode.html").read_text()
    assert '<a href="https://doi.org/10.1038/nm.2886">https://doi.org/10.1038/nm.2886</a>' in html
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/31234567/">PubMed</a>' in html


def test_episode_text_reads_as_written_never_as_markup(channel, run_cli):
    channel.episode("test-episode", """\
        title: 'Salt & "Pepper": *really*?'
        schedule: next
        summary:
          - "A [bracket](x) and *stars* & an ampersand."
          - "# not a heading"
        tags: ['a "quoted" tag']
        """)
    for fmt in ("md", "html"):
        assert run_cli("export", "--site", "site", "--format", fmt, cwd=channel.root).code == 0
    meta, body = front_matter(channel.root / "site" / "test-episode.md")
    assert meta["title"] == 'Salt & "Pepper": *really*?' and meta["tags"][-1] == 'a "quoted" tag'
    assert r"A \[bracket\](x) and \*stars\* & an ampersand." in body and "\n\\# not a heading\n" in body
    html_meta, html = front_matter(channel.root / "site" / "test-episode.html")
    assert html_meta["title"] == 'Salt & "Pepper": *really*?'
    assert "<p>A [bracket](x) and *stars* &amp; an ampersand.</p>" in html


def test_unchanged_posts_are_not_written_again(sample, run_cli):
    assert run_cli("export", "--site", "site", cwd=sample).code == 0
    posts = {p.name: p for p in (sample / "site").iterdir()}
    old = 1_600_000_000_000_000_000
    for post in posts.values():
        os.utime(post, ns=(old, old))
    again = run_cli("export", "--site", "site", cwd=sample)
    assert again.code == 0 and "3 unchanged" in again.out
    assert all(p.stat().st_mtime_ns == old for p in posts.values())
    episode = sample / "episodes" / "depression-feedback-loop.yaml"
    episode.write_text(episode.read_text().replace("Depression is rarely", "Depression is seldom"))
    third = run_cli("export", "--site", "site", cwd=sample)
    assert "1 written, 2 unchanged" in third.out
    assert posts["depression-feedback-loop.md"].stat().st_mtime_ns != old
    assert posts["what-causes-depression.md"].stat().st_mtime_ns == old
    assert "Depression is seldom" in posts["depression-feedback-loop.md"].read_text()


def test_an_invalid_episode_means_no_post_is_written(sample, run_cli):
    (sample / "episodes" / "broken.yaml").write_text("title: Broken\nsummary: [x]\ncitations: [nowhere2020]\n")
    result = run_cli("export", "--site", "site", cwd=sample)
    assert result.code == 1 and "episodes/broken.yaml:3: citations[0]" in result.err
    assert not (sample / "site").exists()


def test_a_post_that_cannot_be_written_stops_before_any_is(sample, run_cli):
    (sample / "site" / "what-causes-depression.md").mkdir(parents=True)
    result = run_cli("export", "--site", "site", cwd=sample)
    assert result.code == 1
    [line] = result.err.splitlines()
    assert line.startswith("error: site/what-causes-depression.md: is a folder") and "nothing was written" in line
    assert sorted(p.name for p in (sample / "site").iterdir()) == ["what-causes-depression.md"]


def test_site_naming_a_file_is_one_usage_line(sample, run_cli):
    (sample / "notes.txt").write_text("mine\n")
    result = run_cli("export", "--site", "notes.txt", cwd=sample)
    assert result.code == 2 and "--site: notes.txt is a file, not a folder" in result.err
    assert (sample / "notes.txt").read_text() == "mine\n"


def test_a_channel_template_overrides_the_post_and_is_escaped_too(channel, run_cli):
    channel.episode("test-episode", "title: Fish & Chips\nschedule: next\nsummary: [First.]\n")
    channel.write("templates/post.html.j2", "---\ntitle: {{ post.title | yaml }}\n---\n<h1>{{ post.title }}</h1>\n")
    assert run_cli("export", "--site", "site", "--format", "html", cwd=channel.root).code == 0
    assert (channel.root / "site" / "test-episode.html").read_text() == (
        '---\ntitle: "Fish & Chips"\n---\n<h1>Fish &amp; Chips</h1>\n')


def test_a_mistake_in_a_post_template_is_one_line_and_nothing_is_written(channel, run_cli):
    channel.write("templates/post.md.j2", "---\ntitle: {{ post.title }}\n---\n{{ post.no_such_value }}\n")
    result = run_cli("export", "--site", "site", cwd=channel.root)
    assert result.code == 1
    assert result.err.startswith("error: templates/post.md.j2:4: ") and "no_such_value" in result.err
    assert not (channel.root / "site").exists()
