"""A creator imports one hand-typed description saved as text: `import --from-file`."""

from __future__ import annotations

import json

import yaml

# Written for these tests in the shape of a hand-typed description of the sample channel's kind:
# two summary paragraphs, one referenced video, six references (the first one misattributed, blank
# lines between some), a disclaimer and the schedule sentence with the subscribe link.
DESCRIPTION = """\
Feeling low is not only about serotonin. In this video I walk through why the old idea of a
simple shortage of brain chemicals never explained who gets depressed, and what took its place.

Newer work points to nerve cells that lose connections under long stress, and to treatments that help them grow back.

Videos Referenced in this video
When Treatment Does Not Work https://youtu.be/2z5krS51pNg

References
André RB, Lopes M, Fregni F. A systematic review and meta-analysis of clinical studies on major depression and BDNF levels: implications for the role of neuroplasticity in depression, Int. Journal of Neuropsychopharmacology (2008), 11, 1169–1180.

Serafini G. Neuroplasticity and major depression, the role of modern antidepressant drugs. World J Psychiatry. 2012;2(3):49-57.
Duman CH, Duman RS. Spine synapse remodeling in the pathophysiology and treatment of depression. Neurosci Lett. 2015;601:20-9. doi:10.1016/j.neulet.2015.01.022

Kang HJ, Voleti B, Hajszan T, et al. Decreased expression of synapse-related genes and loss of synapses in major depressive disorder. Nat Med. 2012;18(9):1413-7.

Rush AJ, et al. Acute and longer-term outcomes in depressed outpatients requiring one or several treatment steps: a STAR*D report Am J Psychiatry. 2006;163:1905-1917.

Yang CC, Barrós-Loscertales A, Pinazo D, et al. State and training effects of mindfulness meditation on brain networks reflect neuronal mechanisms of its antidepressant effect. Neural Plast. 2016;2016:9504642.

Disclaimer: nothing on this channel is medical advice for you in particular, and a reply to a comment does not make me your doctor.

I post a new video every Wednesday at 9am. Subscribe so you do not miss one: https://example.org/subscribe
"""
TITLE = "What Causes Depression? More Than Chemistry"
SLUG = "what-causes-depression-more-than-chemistry"


def keys(episode) -> list[str]:
    """The library keys an episode cites, typed or not."""
    return [c["key"] if isinstance(c, dict) else c for c in episode["citations"]]


def _import(run_cli, channel, *extra):
    channel.write("typed/description.txt", DESCRIPTION)
    return run_cli("import", "--from-file", "typed/description.txt", "--title", TITLE, *extra, cwd=channel.root)


def test_a_typed_description_lands_in_the_episode_s_fields(run_cli, channel):
    result = _import(run_cli, channel, "--no-lookup")
    assert result.code == 0, result.err
    episode = yaml.safe_load((channel.root / "episodes" / f"{SLUG}.yaml").read_text(encoding="utf-8"))
    assert episode["title"] == TITLE and "schedule" not in episode  # no --schedule: no release time
    assert episode["summary"][0].startswith("Feeling low is not only about serotonin. In this video")
    assert episode["summary"][0].endswith("what took its place.") and len(episode["summary"]) == 2
    assert episode["videos"] == [{"title": "When Treatment Does Not Work", "url": "https://youtu.be/2z5krS51pNg"}]
    assert len(episode["citations"]) == 6
    assert episode["citations"][1]["typed"] == DESCRIPTION.split("\n")[11]  # each citation as typed
    assert episode["disclaimer"].startswith("Disclaimer: nothing on this channel")  # not the channel's: its own
    assert "schedule_line: 'I post a new video every Wednesday at 9am. Subscribe so you do not miss one: " \
           "{subscribe_url}'" in result.out  # proposed as the channel's, not written
    assert "{slots}" in (channel.root / "channel.yaml").read_text(encoding="utf-8")
    assert episode["layout"] == [  # its own headings and its own schedule sentence, in its order
        "summary", {"videos": "Videos Referenced in this video"}, {"references": "References"}, "disclaimer",
        {"schedule": "I post a new video every Wednesday at 9am. Subscribe so you do not miss one: "
                     "https://example.org/subscribe"}]
    assert "  round trip: exact" in result.out and "round trip: 1 of 1 exact (100%)" in result.out
    rendered = run_cli("preview", SLUG, cwd=channel.root)
    assert rendered.code == 0 and rendered.out == DESCRIPTION  # byte for byte


def test_unsure_references_keep_what_was_typed_and_check_lists_them(run_cli, channel):
    assert _import(run_cli, channel, "--no-lookup").code == 0
    library = yaml.safe_load((channel.root / "references.yaml").read_text(encoding="utf-8"))
    rush = library["rush2006"]
    assert "run together" in rush["review"] and "(typed: Rush AJ, et al. Acute and longer-term" in rush["review"]
    assert "review" not in library["duman2015"]  # read for sure: no mark
    check = run_cli("check", cwd=channel.root)
    assert check.code == 0
    marked = [line for line in check.err.splitlines() if "marked for review" in line]
    assert len(marked) == 1 and marked[0].startswith("references.yaml:") and "rush2006.review" in marked[0]


def test_with_the_boilerplate_adopted_the_episode_takes_the_channel_s(run_cli, channel):
    result = _import(run_cli, channel, "--no-lookup", "--adopt-boilerplate")
    assert result.code == 0, result.err
    assert "  round trip: exact" in result.out
    written = yaml.safe_load((channel.root / "channel.yaml").read_text(encoding="utf-8"))
    assert written["schedule_line"] == ("I post a new video every Wednesday at 9am. Subscribe so you do not miss "
                                        "one: {subscribe_url}")
    assert written["disclaimer"].startswith("Disclaimer: nothing on this channel") and written["tags"] == ["science"]
    episode = yaml.safe_load((channel.root / "episodes" / f"{SLUG}.yaml").read_text(encoding="utf-8"))
    assert "disclaimer" not in episode  # now the channel's: inherited
    assert episode["layout"][-2:] == ["disclaimer", "schedule"]  # the channel's, which are now its own
    assert run_cli("check", cwd=channel.root).code == 0


def test_a_dry_run_writes_nothing_and_says_what_it_would(run_cli, channel):
    before = {p: p.read_bytes() for p in channel.root.rglob("*") if p.is_file()}
    result = _import(run_cli, channel, "--no-lookup", "--dry-run", "--adopt-boilerplate")
    assert result.code == 0, result.err
    assert f"would create: episodes/{SLUG}.yaml" in result.out and "+rush2006:" in result.out
    after = {p: p.read_bytes() for p in channel.root.rglob("*") if p.is_file() and p.name != "description.txt"}
    assert after == {p: b for p, b in before.items() if p.name != "description.txt"}


def test_a_second_import_skips_the_existing_file_and_leaves_the_library(run_cli, channel):
    assert _import(run_cli, channel, "--no-lookup").code == 0
    episode = channel.root / "episodes" / f"{SLUG}.yaml"
    episode.write_text(episode.read_text(encoding="utf-8") + "tags: [mine]\n", encoding="utf-8")
    library = (channel.root / "references.yaml").read_bytes()
    again = _import(run_cli, channel, "--no-lookup")
    assert again.code == 0, again.err
    assert f"skipped: episodes/{SLUG}.yaml: episodes/{SLUG}.yaml exists; not overwriting it" in again.out
    assert episode.read_text(encoding="utf-8").endswith("tags: [mine]\n")
    assert (channel.root / "references.yaml").read_bytes() == library


def test_a_link_to_a_video_of_the_channel_becomes_an_episode_link(run_cli, channel):
    channel.write("published.yaml", "episodes:\n  test-episode:\n    video_id: 2z5krS51pNg\n")
    assert _import(run_cli, channel, "--no-lookup").code == 0
    episode = yaml.safe_load((channel.root / "episodes" / f"{SLUG}.yaml").read_text(encoding="utf-8"))
    assert episode["videos"] == [{"episode": "test-episode", "title": "When Treatment Does Not Work"}]


def test_a_missing_file_and_a_missing_title_are_told_plainly(run_cli, channel):
    missing = run_cli("import", "--from-file", "nowhere.txt", "--title", "X", cwd=channel.root)
    assert missing.code == 1 and "nowhere.txt: no such file" in missing.err and "Traceback" not in missing.err
    untitled = run_cli("import", "--from-file", "nowhere.txt", cwd=channel.root)
    assert untitled.code == 2 and "--title" in untitled.err


def test_with_lookup_references_get_their_records_and_the_misattribution_is_named(run_cli, channel, lookup_services):
    result = _import(run_cli, channel)
    assert result.code == 0, result.err
    assert "  round trip: exact" in result.out  # the records are the library's; the description stays as typed
    assert run_cli("preview", SLUG, cwd=channel.root).out == DESCRIPTION
    assert ("note: typed/description.txt: likely misattributed: typed as 'André RB' (2008), but the record of this "
            "title is 'Brunoni AR' (2008), doi 10.1017/S1461145708009309") in result.out
    library = yaml.safe_load((channel.root / "references.yaml").read_text(encoding="utf-8"))
    andre = library["andre2008"]
    assert andre["author"][0]["family"] == "André" and "PMID" not in andre  # not applied
    assert andre["DOI"] == "10.1017/S1461145708009309"  # kept, so that `refs verify --fix andre2008` can take it
    assert andre["misattribution"] == ("typed as 'André RB' (2008), but DOI 10.1017/S1461145708009309 is the "
                                       "record of 'Brunoni AR' (2008)")
    assert "  reference andre2008: likely misattributed, kept as typed (its DOI kept, not applied: " \
           "`episodekit refs verify --fix andre2008` takes the record)" in result.out
    episode = yaml.safe_load((channel.root / "episodes" / f"{SLUG}.yaml").read_text(encoding="utf-8"))
    cited = keys(episode)
    assert len(cited) == 6 and "kang2012" in cited and "serafini2012" in cited  # the library's own entries
    assert library["duman2015"]["DOI"] == "10.1016/j.neulet.2015.01.022"  # by its typed DOI
    rush = library[cited[4]]
    assert rush["DOI"] == "10.1176/ajp.2006.163.11.1905" and "review" not in rush  # Crossref's match
    assert rush["container-title"] == "American Journal of Psychiatry" and len(rush["author"]) > 1
    assert lookup_services.count("search") == 5  # every citation without a DOI, once


def test_the_same_paper_in_two_descriptions_is_one_entry(run_cli, channel, lookup_services):
    assert _import(run_cli, channel).code == 0
    entries = (channel.root / "references.yaml").read_text(encoding="utf-8")
    channel.write("typed/other.txt", "A short one.\n\nSources\n" + DESCRIPTION.split("References\n")[1])
    second = run_cli("import", "--from-file", "typed/other.txt", "--title", "Another Look", cwd=channel.root)
    assert second.code == 0, second.err
    assert (channel.root / "references.yaml").read_text(encoding="utf-8") == entries
    first = yaml.safe_load((channel.root / "episodes" / f"{SLUG}.yaml").read_text(encoding="utf-8"))
    other = yaml.safe_load((channel.root / "episodes" / "another-look.yaml").read_text(encoding="utf-8"))
    assert keys(other) == keys(first)


def test_after_the_import_refs_verify_runs_over_every_imported_reference(run_cli, channel, lookup_services):
    assert _import(run_cli, channel).code == 0
    episode = yaml.safe_load((channel.root / "episodes" / f"{SLUG}.yaml").read_text(encoding="utf-8"))
    library = yaml.safe_load((channel.root / "references.yaml").read_text(encoding="utf-8"))
    verified = run_cli("refs", "verify", "--json", cwd=channel.root)
    report = json.loads(verified.out)
    seen = {entry["key"]: entry["status"] for entry in report["entries"]}
    assert set(keys(episode)) <= set(seen) and set(seen) == set(library)
    assert seen["andre2008"] == "differs"  # kept as typed with the record's DOI: verify names the difference
    assert all(seen[key] in ("match", "differs") for key in keys(episode) if library[key].get("DOI"))


def test_with_restyle_a_likely_misattribution_stays_as_typed_until_its_record_is_taken(
        run_cli, channel, lookup_services):
    result = _import(run_cli, channel, "--restyle")

    assert result.code == 0, result.err
    assert "  reference andre2008: likely misattributed, kept as typed (its DOI kept, not applied: " in result.out
    episode = yaml.safe_load((channel.root / "episodes" / f"{SLUG}.yaml").read_text(encoding="utf-8"))
    typed = [c["key"] for c in episode["citations"] if isinstance(c, dict)]
    assert typed == ["andre2008"] and len(episode["citations"]) == 6  # the other five in the channel's style
    assert run_cli("refs", "verify", "--fix", "andre2008", cwd=channel.root).code == 0
    episode = yaml.safe_load((channel.root / "episodes" / f"{SLUG}.yaml").read_text(encoding="utf-8"))
    assert all(isinstance(c, str) for c in episode["citations"])  # fixed, then restyled


def test_a_description_whose_parts_do_not_render_back_is_kept_whole(run_cli, channel):
    twice = DESCRIPTION.replace("Kang HJ, Voleti B, Hajszan T, et al.", "Serafini G.", 1).replace(
        "Decreased expression of synapse-related genes and loss of synapses in major depressive disorder. Nat Med. "
        "2012;18(9):1413-7.", "Neuroplasticity and major depression, the role of modern antidepressant drugs. "
        "World J Psychiatry. 2012;2(3):49-57.")  # the same paper typed twice: one entry cannot be shown twice
    channel.write("typed/twice.txt", twice)

    result = run_cli("import", "--from-file", "typed/twice.txt", "--title", TITLE, "--no-lookup", cwd=channel.root)

    assert result.code == 0, result.err
    assert "round trip: exact (kept as one text: its parts did not render back)" in result.out
    episode = yaml.safe_load((channel.root / "episodes" / f"{SLUG}.yaml").read_text(encoding="utf-8"))
    assert episode["layout"] == [{"text": twice.rstrip("\n")}] and len(episode["citations"]) == 5
    assert run_cli("preview", SLUG, cwd=channel.root).out == twice
    assert run_cli("check", cwd=channel.root).code == 0
