"""A creator brings in a back catalogue whose descriptions were typed in many shapes: each one comes back
exactly as typed, so `status` and `sync` find nothing to do until the creator decides to change something."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import yaml

from episodekit.models.ledger import shown_text

START = datetime(2022, 3, 2, 14, 0, tzinfo=UTC)

# Every description below was written for these tests, each in a shape seen on real channels.
CHAPTERS_FIRST = """\
0:00 Intro
1:12 What a night of sleep does
4:40 - The memory test
9:05 | What to try tonight

Sleep is when the brain files the day away. This video goes through one well known experiment on it.

Sources:
1. Smith, J. A., & Lee, K. (2019). Sleep and memory consolidation. Journal of Sleep Research, 28(4), e12345.
2. Hublin, C., & Kaprio, J. (2003). Genetic aspects and genetic epidemiology of parasomnias. Sleep Medicine Reviews, 7(5), 413-421.

Thanks for watching!"""

HASHTAGS_AND_EMOJI = """\
#sleep #memory #neuroscience

Why you remember the last thing you read before bed better than the rest. 🌙

📚 Studies mentioned
📄 Walker M, Stickgold R. Sleep-dependent learning and memory consolidation. Neuron. 2004;44(1):121-33.
📄 Diekelmann S, Born J. The memory function of sleep. Nat Rev Neurosci. 2010;11(2):114-26.

✨ New videos every Friday. Join us: https://example.org/join

#sleep #memory"""

BRACES = """\
Templates look like {{ this }} and {% that %}, and none of it is filled in here: {slots} stays {slots}.

A second paragraph mentions {#- a comment -#} just to be sure.

Related videos:
Why We Dream: https://www.youtube.com/watch?v=AAAAAAAAAAA
Dreams, part two
https://youtu.be/BBBBBBBBBBB"""

EMPTY = ""

BARE_LINKS = """\
Three papers this time, links only.

Sources:
https://doi.org/10.1038/nm.2886
https://pubmed.ncbi.nlm.nih.gov/17074942/
https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4779536/"""

SPACED = "Long nights, short nights.  \r\n\r\n\r\nWhat the numbers say.\r\n\r\nSources:\r\n\r\n" \
         "Smith, J.A. and Lee, K. (2019) 'Sleep and memory consolidation', Journal of Sleep Research, 28(4), " \
         "pp. 100-110.\r\n\r\n\r\nSee you next time.   \r\n"

YEARLESS = """\
Eight books and papers I lean on, in no order.

Further reading
- Walker M. Why we sleep. Scribner.
- Dement W. The promise of sleep. Delacorte.
- Czeisler CA. Sleep and circadian rhythms. Harvard Health.
- Roenneberg T. Internal time. Harvard University Press.
- Foster R, Kreitzman L. Circadian rhythms. Oxford University Press.
- Kryger M, Roth T. Principles and practice of sleep medicine. Elsevier.
- Siegel JM. Sleep viewed as a state of adaptive inactivity. Nat Rev Neurosci.
- Tononi G, Cirelli C. Sleep and the price of plasticity. Neuron.

I upload every Wednesday at 9am. Subscribe so you never miss one: https://example.org/my-own-link"""

# seed 000's shape (written anew): summary, one referenced video, references with blank lines between
# some, its own disclaimer, its own schedule sentence and subscribe link
SEED_SHAPE = """\
Low mood is more than a shortage of one chemical. This video looks at how nerve cells lose their
connections under long stress, and at the treatments that help them grow back.

Videos Referenced in this video
When the first medicine does not work https://youtu.be/2z5krS51pNg

References
Serafini G. Neuroplasticity and major depression, the role of modern antidepressant drugs. World J Psychiatry. 2012;2(3):49-57.

Duman CH, Duman RS. Spine synapse remodeling in the pathophysiology and treatment of depression. Neurosci Lett. 2015;601:20-9.
Kang HJ, Voleti B, Hajszan T, et al. Decreased expression of synapse-related genes and loss of synapses in major depressive disorder. Nat Med. 2012;18(9):1413-7.

Disclaimer: what you see here is general education about the brain; it is not advice about your own health, and a reply to a comment does not make me your doctor.

I put out a video every Wednesday morning, now and then an extra one. Subscribe to hear about each: https://example.org/seed-subscribe"""

NO_REFERENCES = "Just a short update about the channel.\n\nMore soon."


def near_5000() -> str:
    paragraph = ("Sleep pressure builds through the day as adenosine collects, and the body clock decides "
                 "when it is released. ")
    summary = "\n\n".join(paragraph * 4 for _ in range(9))
    text = summary + "\n\nReferences\n" + "\n".join(
        f"{n}. Walker M, Stickgold R. Sleep-dependent learning and memory consolidation, part {n}. Neuron. "
        f"2004;44(1):121-33." for n in range(1, 9))
    return text


SHAPES = {
    "chapters first": CHAPTERS_FIRST, "hashtags and emoji": HASHTAGS_AND_EMOJI, "braces": BRACES,
    "empty": EMPTY, "bare links": BARE_LINKS, "spaced": SPACED, "year-less": YEARLESS, "seed shape": SEED_SHAPE,
    "no references": NO_REFERENCES, "near 5000 bytes": near_5000(),
}


def seed(fake) -> dict[str, str]:
    """One public weekly video per shape; video id -> shape."""
    videos = {}
    for week, (shape, description) in enumerate(SHAPES.items()):
        fake.now = lambda week=week: START + timedelta(weeks=week)
        video_id = fake.add_video(snippet={"title": f"Sleep {week}: {shape}", "description": description,
                                           "tags": ["science"]}, status={"privacyStatus": "public"})
        videos[video_id] = shape
    fake.now = lambda: datetime.now(UTC)
    return videos


def episodes(channel) -> dict[str, dict]:
    ledger = yaml.safe_load((channel.root / "published.yaml").read_text())["episodes"]
    return {entry["video_id"]: yaml.safe_load((channel.root / "episodes" / f"{slug}.yaml").read_text())
            for slug, entry in ledger.items()}


def test_every_shape_renders_back_exactly_and_sync_plans_nothing(channel, fake, youtube_env, run_cli):
    assert 4000 < len(near_5000().encode()) < 5000
    videos = seed(fake)

    result = run_cli("import", "--channel-uploads", "--no-lookup", cwd=channel.root)

    assert result.code == 0, result.err
    assert f"round trip: {len(SHAPES)} of {len(SHAPES)} exact (100%)" in result.out
    assert "kept as one text" not in result.out  # each one read into its parts
    rendered = run_cli("render", cwd=channel.root)
    assert rendered.code == 0, rendered.err
    ledger = yaml.safe_load((channel.root / "published.yaml").read_text())["episodes"]
    for slug, entry in ledger.items():
        written = (channel.root / "build" / slug / "description.txt").read_text(encoding="utf-8")
        typed = fake.videos[entry["video_id"]]["snippet"]["description"]
        assert written == shown_text(typed) + "\n", videos[entry["video_id"]]
    synced = run_cli("sync", "--dry-run", cwd=channel.root)
    assert synced.code == 0, synced.err
    assert f"videos: 0 update, {len(SHAPES)} unchanged, 0 drift, 0 missing" in synced.out
    status = run_cli("status", cwd=channel.root)
    assert status.out.count("up to date") == len(SHAPES), status.out
    assert run_cli("check", cwd=channel.root).code == 0


def test_each_shape_keeps_its_own_parts(channel, fake, youtube_env, run_cli):
    videos = {shape: video_id for video_id, shape in seed(fake).items()}
    assert run_cli("import", "--channel-uploads", "--no-lookup", cwd=channel.root).code == 0
    found = episodes(channel)
    library = yaml.safe_load((channel.root / "references.yaml").read_text())

    seed_shape = found[videos["seed shape"]]
    assert seed_shape["layout"][-1] == {"schedule": SEED_SHAPE.rsplit("\n", 1)[1]}  # its own sentence and link
    assert "https://example.org/seed-subscribe" in seed_shape["layout"][-1]["schedule"]
    assert seed_shape["disclaimer"].startswith("Disclaimer: what you see here")
    assert [c.get("blank_line_after", False) for c in seed_shape["citations"]] == [True, False, False]

    apa = found[videos["chapters first"]]
    assert apa["layout"][:3] == [{"chapters": ""}, "summary", {"references": "Sources:"}]
    assert apa["layout"][-1] == {"text": "Thanks for watching!"}
    smith = library[apa["citations"][0]["key"]]
    assert (smith["title"], smith["container-title"]) == ("Sleep and memory consolidation", "Journal of Sleep Research")
    assert apa["citations"][0]["typed"] == CHAPTERS_FIRST.split("\n")[8]

    yearless = found[videos["year-less"]]
    assert len(yearless["citations"]) == 8 and len({c["key"] for c in yearless["citations"]}) == 8
    assert yearless["layout"][-1]["schedule"].endswith("https://example.org/my-own-link")

    bare = found[videos["bare links"]]
    assert [c["typed"] for c in bare["citations"]] == BARE_LINKS.split("\n")[-3:]  # references, not summary
    assert [str(library[c["key"]].get(field)) for c, field in zip(bare["citations"], ("DOI", "PMID", "URL"))] == [
        "10.1038/nm.2886", "17074942", "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4779536/"]

    emoji = found[videos["hashtags and emoji"]]
    assert emoji["layout"][1] == {"references": "📚 Studies mentioned"} and len(emoji["citations"]) == 2
    assert emoji["layout"][-1] == {"text": "#sleep #memory"}  # the closing hashtags stay where they were
    assert library[emoji["citations"][1]["key"]]["container-title"] == "Nat Rev Neurosci"

    assert found[videos["empty"]]["layout"] == []
    assert "layout" in found[videos["no references"]] and "citations" not in found[videos["no references"]]
    assert {"blank lines": 2} in found[videos["spaced"]]["layout"]
    assert found[videos["braces"]]["summary"][0].startswith("Templates look like {{ this }}")


def test_the_json_document_tells_each_video_s_result(channel, fake, youtube_env, run_cli):
    seed(fake)

    dry = run_cli("import", "--channel-uploads", "--no-lookup", "--dry-run", "--json", cwd=channel.root)

    assert dry.code == 0, dry.err
    document = json.loads(dry.out)
    assert document["dry_run"] is True and document["videos_read"] == len(SHAPES) and document["quota_units"] == 3
    assert document["round_trips"] == {"exact": len(SHAPES), "of": len(SHAPES)}
    assert [e["written"] for e in document["episodes"]] == [False] * len(SHAPES)
    seed_shape = next(e for e in document["episodes"] if e["title"].endswith("seed shape"))
    assert [(r["how"], r["as_typed"]) for r in seed_shape["references"]] == [("parsed", True)] * 3
    assert seed_shape["round_trip"] == {"exact": True, "kept_whole": False, "differences": []}
    assert {d["key"] for d in document["channel_defaults"]} <= {"disclaimer", "schedule_line", "subscribe_url"}
    assert document["library"]["diff"].startswith("---") and document["ledger"]["recorded"] == []
    assert not (channel.root / "published.yaml").exists()

    done = run_cli("import", "--channel-uploads", "--no-lookup", "--json", cwd=channel.root)
    document = json.loads(done.out)
    assert done.code == 0 and document["dry_run"] is False and document["library"]["written"] is True
    assert all(e["written"] for e in document["episodes"]) and len(document["ledger"]["recorded"]) == len(SHAPES)
    assert "round trip: 10 of 10 exact" in done.err  # the lines for people go to stderr


@pytest.mark.parametrize("named", [True, False], ids=["files naming their video", "files of an earlier release"])
def test_an_import_stopped_before_its_ledger_is_completed_in_every_shape(channel, fake, youtube_env, run_cli, named):
    seed(fake)  # the ten shapes, and one whose chapters YouTube would not read: kept as text, marked for review
    fake.add_video(snippet={"title": "Sleep 10: a chapter too far", "description": "Timed.\n\n0:00 Start\n"
                            "99:99 Finish\n\nSources:\n" + CHAPTERS_FIRST.split("\n")[8], "tags": ["science"]},
                   status={"privacyStatus": "public"})
    assert run_cli("import", "--channel-uploads", "--no-lookup", cwd=channel.root).code == 0
    ledger = (channel.root / "published.yaml").read_text(encoding="utf-8")
    files = {path: path.read_bytes() for path in (channel.root / "episodes").glob("*.yaml")}
    texts = [data.decode() for path, data in files.items() if path.stem != "test-episode"]  # the channel's own
    assert all("\n# imported from YouTube: https://youtu.be/" in text for text in texts)
    assert sum("layout:" in text for text in texts) == 11 and sum("typed:" in text for text in texts) >= 6
    assert sum("review:" in text for text in texts) == 1
    for path in files if not named else ():  # as an import that did not name the video wrote them
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith("# imported from YouTube")))
        files[path] = path.read_bytes()
    (channel.root / "published.yaml").unlink()  # as if killed between the episode files and the ledger

    rerun = run_cli("import", "--channel-uploads", "--no-lookup", "--json", cwd=channel.root)

    assert rerun.code == 0, rerun.err
    document = json.loads(rerun.out)
    assert len(document["completed"]) == 11 and document["not_imported"] == []
    assert not any(episode["written"] for episode in document["episodes"])  # an unnamed file: planned, found there
    assert sorted(document["ledger"]["recorded"]) == sorted(c["episode"] for c in document["completed"])
    assert (channel.root / "published.yaml").read_text(encoding="utf-8") == ledger  # the same entries and hashes
    assert {path: path.read_bytes() for path in (channel.root / "episodes").glob("*.yaml")} == files
    assert run_cli("status", cwd=channel.root).out.count("up to date") == 11
    assert "videos: 0 update, 11 unchanged" in run_cli("sync", "--dry-run", cwd=channel.root).out
