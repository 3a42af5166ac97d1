"""A creator imports descriptions with parts that would not pass `check`, and with ones that cannot pass
it at all. One rule: an episode is written only when `check` would accept it. A block that can stay text
(referenced videos with a link that has no title, chapters YouTube would not read) stays as typed text
where it was, in the episode's layout, and the episode is marked for review; an episode that still fails is not imported, counted in
the summary line, with exit 1; and only the citations of written episodes reach the library."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import yaml

from episodekit.pipeline.build import build_valid
from episodekit.workspace import Workspace

CITED = "Smith J, Lee K. Sleep and memory consolidation. J Sleep Res. 2019;28(4):112-120."
OTHER = "Smith J, Park H. Naps and learning in adults. J Sleep Res. 2019;28(6):201-209."


def imported(run_cli, channel, description: str, title: str = "An Old Video", *extra: str):
    channel.write("typed/old.txt", description)
    return run_cli("import", "--from-file", "typed/old.txt", "--title", title, "--no-lookup", *extra, cwd=channel.root)


def episode(channel, slug: str) -> dict:
    return yaml.safe_load((channel.root / "episodes" / f"{slug}.yaml").read_text(encoding="utf-8"))


def layout_texts(channel, slug: str) -> list[str]:
    return [item["text"] for item in episode(channel, slug).get("layout", []) if isinstance(item, dict) and "text" in item]


# --- parts that stay text: the rest is imported, the episode is marked for review ---------------------

@pytest.mark.parametrize("block, why", [
    ("Videos referenced in this video\nhttps://youtu.be/2z5krS51pNg\nA titled one https://youtu.be/NZNar-LNIBm",
     "videos[0].title: may not be empty"),
    ("Related videos\nFirst one https://youtu.be/2z5krS51pNg\nhttps://www.youtube.com/watch?v=NZNar-LNIBm",
     "videos[1].title: may not be empty"),
    ("0:00 Intro\n1:30 The idea\n99:99 The end", "chapters[2].at: '99:99' is not a timestamp"),
    ("Chapters\n0:05 Intro\n1:30 The idea\n4:00 The end", "chapters[0].at: the first chapter must start at 0:00"),
    ("0:00 Intro\n0:04 Too soon\n2:00 The end", "each chapter needs at least 10 s"),
])
def test_a_block_check_would_refuse_stays_typed_where_it_was_and_is_marked(run_cli, channel, block, why):
    description = f"What this one is about.\n\n{block}\n\nReferences\n{CITED}\n"
    result = imported(run_cli, channel, description)
    assert result.code == 0, result.err
    assert "create: episodes/an-old-video.yaml" in result.out and "  marked for review: " in result.out
    assert "  round trip: exact\n" in result.out
    data = episode(channel, "an-old-video")
    assert layout_texts(channel, "an-old-video") == [block]  # every line as it was typed, where it was
    assert data["summary"] == ["What this one is about."]
    assert "videos" not in data and "chapters" not in data and why in data["review"]
    assert len(data["citations"]) == 1  # the rest came in
    check = run_cli("check", cwd=channel.root)
    assert check.code == 0 and "episodes/an-old-video.yaml:" in check.err and "marked for review" in check.err
    rendered = build_valid(Workspace.open(channel.root), channel.root / "episodes" / "an-old-video.yaml")
    assert rendered.rendered.description == description  # shown where it was, as it was: the round trip is exact


def test_importing_again_leaves_the_marked_episode_alone(run_cli, channel):
    description = "About it.\n\n0:00 Intro\n99:99 The end\n1:00:00 After\n\nReferences\n" + CITED + "\n"
    assert imported(run_cli, channel, description).code == 0
    before = (channel.root / "episodes" / "an-old-video.yaml").read_bytes()
    again = imported(run_cli, channel, description)
    assert again.code == 0 and "skipped: episodes/an-old-video.yaml" in again.out
    assert (channel.root / "episodes" / "an-old-video.yaml").read_bytes() == before


# --- what cannot pass check: not imported, no orphan, one summary line, exit 1 -------------------------

@pytest.mark.parametrize("title, description, said", [
    ("A title of a hundred and twenty characters, typed by hand into a form that did not count them, "
     "which is far too long now", "One paragraph.\n", "title: is 120 characters; YouTube allows 100"),
    ("Too Long", "A paragraph that goes on. " * 360 + "\n", "YouTube allows 5000"),
    ("Angles", "Dose <5 mg> a day.\n", "may not contain '<' or '>'"),
    ("Angles In A Link", "One paragraph.\n\nVideos referenced in this video\nA -> B https://youtu.be/2z5krS51pNg\n",
     "may not contain '<' or '>'"),  # kept as text first, and text cannot have it either
])
def test_an_episode_check_would_refuse_is_not_written_and_says_why(run_cli, channel, title, description, said):
    library = (channel.root / "references.yaml").read_bytes()
    result = imported(run_cli, channel, description + f"\nReferences\n{CITED}\n", title)
    assert result.code == 1 and "Traceback" not in result.err
    (line,) = [line for line in result.out.splitlines() if line.startswith("not imported: ")]
    assert "(from typed/old.txt): it would fail check (" in line and said in line
    assert "0 episode(s) written, 0 skipped, 1 not imported (they would fail check)" in result.out + result.err
    assert "typed/old.txt: not imported: its episode would fail check" in result.err
    assert sorted(p.name for p in (channel.root / "episodes").iterdir()) == ["test-episode.yaml"]
    assert (channel.root / "references.yaml").read_bytes() == library  # no orphan entry
    assert run_cli("check", cwd=channel.root).code == 0


def test_a_dry_run_says_the_same_and_writes_nothing(run_cli, channel):
    before = (channel.root / "references.yaml").read_bytes()
    result = imported(run_cli, channel, f"Dose <5 mg>.\n\nReferences\n{CITED}\n", "Angles", "--dry-run")
    assert result.code == 1 and "not imported: episodes/angles.yaml" in result.out
    assert "0 episode(s), 1 not imported" in result.out + result.err
    assert (channel.root / "references.yaml").read_bytes() == before


# --- from YouTube: the same rule, video by video --------------------------------------------------------

FIRST = datetime(2022, 3, 2, 14, 0, tzinfo=UTC)


def channel_rendering(channel) -> str:
    """How the test channel renders an episode whose summary is SUMMARY and which cites nothing."""
    channel.episode("template", "title: Template\nsummary: [SUMMARY]\n")
    rendered = build_valid(Workspace.open(channel.root), channel.root / "episodes" / "template.yaml").rendered
    (channel.root / "episodes" / "template.yaml").unlink()
    (channel.root / "episodes" / "test-episode.yaml").unlink()
    return rendered.as_sent()["description"]


@pytest.fixture
def mixed_uploads(channel, fake, youtube_env):
    """Five public videos: two fine (one citing OTHER), one with an untitled link, one with a 99:99 chapter,
    and one with angle brackets and CITED (YouTube's own check would refuse it; the fake holds it)."""
    around = channel_rendering(channel)
    summaries = {
        "Fine One": "It is fine.",
        "Fine Two": f"Also fine.\n\nReferences\n{OTHER}",
        "Untitled Link": "Look at this.\n\nVideos referenced in this video\nhttps://youtu.be/2z5krS51pNg",
        "Bad Chapter": "Timed.\n\n0:00 Start\n1:00 Middle\n99:99 Finish",
        "Angles": f"Dose <5 mg> a day.\n\nReferences\n{CITED}",
    }
    for week, (title, summary) in enumerate(summaries.items()):
        fake.now = lambda week=week: FIRST + timedelta(weeks=week)
        fake.add_video(snippet={"title": title, "description": around.replace("SUMMARY", summary),
                                "tags": ["science"]}, status={"privacyStatus": "public"})
    fake.now = lambda: datetime.now(UTC)
    return channel


def test_each_video_is_imported_or_named_and_the_library_takes_only_what_was_written(mixed_uploads, run_cli):
    root = mixed_uploads.root
    result = run_cli("import", "--channel-uploads", "--no-lookup", cwd=root)
    assert result.code == 1
    assert "4 episode(s) written, 0 skipped, 1 not imported (they would fail check)" in result.out + result.err
    assert "not imported: episodes/angles.yaml" in result.out
    assert sorted(p.stem for p in (root / "episodes").glob("*.yaml")) == [
        "bad-chapter", "fine-one", "fine-two", "untitled-link"]
    assert "review" in episode(mixed_uploads, "untitled-link") and "review" in episode(mixed_uploads, "bad-chapter")
    ledger = yaml.safe_load((root / "published.yaml").read_text(encoding="utf-8"))["episodes"]
    assert sorted(ledger) == ["bad-chapter", "fine-one", "fine-two", "untitled-link"]
    library = yaml.safe_load((root / "references.yaml").read_text(encoding="utf-8"))
    (cited,) = episode(mixed_uploads, "fine-two")["citations"]  # kept as typed
    assert cited["key"] == "smith2019"  # the key as if Angles were not there
    assert library["smith2019"]["title"] == "Naps and learning in adults" and "smith2019b" not in library
    assert run_cli("check", cwd=root).code == 0
    rows = {line.split()[0]: line for line in run_cli("status", cwd=root).out.splitlines()}
    for kept in ("untitled-link", "bad-chapter"):  # the text kept as typed renders as YouTube shows it
        assert rows[f"episodes/{kept}.yaml"].endswith("up to date"), rows


def test_the_video_not_imported_is_named_again_on_every_rerun_and_nothing_changes(mixed_uploads, run_cli):
    root = mixed_uploads.root
    assert run_cli("import", "--channel-uploads", "--no-lookup", cwd=root).code == 1
    files = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
    again = run_cli("import", "--channel-uploads", "--no-lookup", cwd=root)
    assert again.code == 1 and again.out.count("already in the ledger") == 4
    assert "not imported: episodes/angles.yaml" in again.out
    assert {path: path.read_bytes() for path in root.rglob("*") if path.is_file()} == files


def test_the_json_document_names_what_is_not_imported_and_what_is_kept_as_text(mixed_uploads, run_cli):
    result = run_cli("import", "--channel-uploads", "--no-lookup", "--dry-run", "--json", cwd=mixed_uploads.root)

    assert result.code == 1
    document = json.loads(result.out)  # the one document, which names what is not imported
    assert document["not_imported"] == ["episodes/angles.yaml"]
    by_title = {episode["title"]: episode for episode in document["episodes"]}
    assert by_title["Angles"]["failed"].startswith("it would fail check (") and by_title["Angles"]["references"] == []
    assert "the list of referenced videos is kept as typed text" in by_title["Untitled Link"]["reviews"][0]
    assert "the chapter list is kept as typed text" in by_title["Bad Chapter"]["reviews"][0]
    assert by_title["Fine One"]["failed"] is None and by_title["Fine One"]["reviews"] == []
    assert all(by_title[title]["round_trip"]["exact"] for title in by_title if title != "Angles")
