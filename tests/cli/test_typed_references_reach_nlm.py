"""A creator brings in an old description whose references were typed by hand (one of them credited to
the wrong first author), into a channel with no library yet, with lookups: the episode renders back to the
description exactly, the library gets each journal's NLM abbreviation from NCBI (or keeps the typed one
where PubMed has no record), `refs verify` names the misattribution with both authors, and after `refs
verify --fix` every reference renders as PubMed cites the paper: the description changes in its
references block only, and `sync --dry-run` says so."""

from __future__ import annotations

from datetime import UTC, datetime

import yaml

# Written for this test in the shape of a hand-typed description like the sample's: two paragraphs of
# summary, one referenced video, six references typed in three shapes (the first credited to its second
# given name's initial and written "Journal (year), volume, pages", one with its title and journal run
# together, blank lines between some), a disclaimer, and a schedule sentence ending in a subscribe link.
DESCRIPTION = """\
For a long time the usual account was short: the brain runs low on serotonin, norepinephrine or dopamine, \
and a tablet tops the supply back up, either by making more of it or by letting it linger. The reuptake \
inhibitors were designed around that account.

A newer account begins a step earlier, with circuits that stop adapting and nerve cells that lose their \
connections; the low levels follow from that. This episode looks at what the change means for the drugs \
in development and for talking therapies, and at how much is still unknown.

Videos Referenced in this video
Depression That Does Not Respond https://youtu.be/2z5krS51pNg

References
André RB, Lopes M, Fregni F. A systematic review and meta-analysis of clinical studies on major depression \
and BDNF levels: implications for the role of neuroplasticity in depression, Int. Journal of \
Neuropsychopharmacology (2008), 11, 1169–1180.

Serafini G. Neuroplasticity and major depression, the role of modern antidepressant drugs. World J Psychiatry. 2012;2(3):49-57.
Duman CH, Duman RS. Spine synapse remodeling in the pathophysiology and treatment of depression. Neurosci Lett. 2015;601:20-9.

Kang HJ, Voleti B, Hajszan T, et al. Decreased expression of synapse-related genes and loss of synapses in \
major depressive disorder. Nat Med. 2012;18(9):1413-7.

Rush AJ, et al. Acute and Longer-Term Outcomes in Depressed Outpatients Requiring One or Several Treatment \
Steps: A STAR*D Report Am J Psychiatry. 2006;163:1905-1917.

Yang CC, Barrós-Loscertales A, Pinazo D, et al. State and training effects of mindfulness meditation on \
brain networks reflect neuronal mechanisms of its antidepressant effect. Neural Plast. 2016;2016:9504642.

Disclaimer: what you see here is general education, not advice about your own health, and an answer in \
the comments does not make me your doctor. Take what you learn to the doctor who knows you.

New episodes come out every Wednesday at 9am, now and then with an extra one. Subscribe and you will not \
miss the next one https://example.org/subscribe
"""
TITLE = "Depression Is More Than a Chemical Shortage"
SLUG = "depression-is-more-than-a-chemical-shortage"
# each paper as PubMed cites it, from the authors (the first six and "et al." where there are more, the
# ICMJE rule the channel's style keeps) to the pages; the rendered line ends with the DOI's link
AS_PUBMED_CITES = [
    "Brunoni AR, Lopes M, Fregni F. A systematic review and meta-analysis of clinical studies on major depression "
    "and BDNF levels: implications for the role of neuroplasticity in depression. Int J Neuropsychopharmacol. "
    "2008 Dec;11(8):1169-80.",
    "Serafini G. Neuroplasticity and major depression, the role of modern antidepressant drugs. World J Psychiatry. "
    "2012 Jun 22;2(3):49-57.",
    "Duman CH, Duman RS. Spine synapse remodeling in the pathophysiology and treatment of depression. Neurosci Lett. "
    "2015;601:20-9.",
    "Kang HJ, Voleti B, Hajszan T, Rajkowska G, Stockmeier CA, Licznerski P, et al. Decreased expression of "
    "synapse-related genes and loss of synapses in major depressive disorder. Nat Med. 2012 Sep;18(9):1413-7.",
    "Rush AJ, Trivedi MH, Wisniewski SR, Nierenberg AA, Stewart JW, Warden D, et al. Acute and longer-term "
    "outcomes in depressed outpatients requiring one or several treatment steps: a STAR*D report. "
    "Am J Psychiatry. 2006 Nov;163(11):1905-17.",
    "Yang CC, Barrós-Loscertales A, Pinazo D, Ventura-Campos N, Borchardt V, Bustamante JC, et al. State and "
    "Training Effects of Mindfulness Meditation on Brain Networks Reflect Neuronal Mechanisms of Its "
    "Antidepressant Effect. Neural Plast. 2016;2016:9504642.",
]


def imported(channel, run_cli):
    (channel.root / "references.yaml").unlink()  # an empty library: every paper comes from the lookups
    (channel.root / "episodes" / "test-episode.yaml").unlink()
    channel.write("typed/old-video.txt", DESCRIPTION)
    result = run_cli("import", "--from-file", "typed/old-video.txt", "--title", TITLE,
                     "--published-at", "2019-05-08T13:00:00Z", cwd=channel.root)
    assert result.code == 0, result.err
    return result


def library(channel) -> dict:
    return yaml.safe_load((channel.root / "references.yaml").read_text(encoding="utf-8"))


def test_the_library_holds_nlm_s_abbreviations_never_a_publisher_s(channel, run_cli, lookup_services):
    imported(channel, run_cli)
    short = {key: entry.get("container-title-short") for key, entry in library(channel).items()}
    assert short == {"andre2008": None, "serafini2012": "World J Psychiatry", "duman2015": "Neurosci Lett",
                     "kang2012": "Nat Med", "rush2006": "Am J Psychiatry", "yang2016": "Neural Plast"}
    text = (channel.root / "references.yaml").read_text(encoding="utf-8")
    for publisher_s in ("WJP", "AJP", "Int. J. Neuropsychopharm.", "container-title-short: Neuroscience Letters",
                        "container-title-short: Neural Plasticity"):
        assert publisher_s not in text
    pmids = {key: entry.get("PMID") for key, entry in library(channel).items()}
    assert pmids == {"andre2008": None, "serafini2012": None, "duman2015": None,  # not applied; not in PubMed here
                     "kang2012": 22885997, "rush2006": 17074942, "yang2016": 26998365}


def imported_from_youtube(channel, run_cli, fake) -> None:
    """DESCRIPTION as the live description of a video of 2019, imported from the fake YouTube with lookups."""
    (channel.root / "references.yaml").unlink()
    (channel.root / "episodes" / "test-episode.yaml").unlink()
    fake.now = lambda: datetime(2019, 5, 8, 13, 0, tzinfo=UTC)
    video_id = fake.add_video(snippet={"title": TITLE, "description": DESCRIPTION, "tags": ["science"]},
                              status={"privacyStatus": "public"})
    fake.now = lambda: datetime.now(UTC)
    result = run_cli("import", "--video", video_id, cwd=channel.root)
    assert result.code == 0, result.err
    assert "  round trip: exact\n" in result.out


def blocks_around_the_references(description: str) -> tuple[str, str]:
    """The text before the references block (its heading included) and from the disclaimer on."""
    before, rest = description.split("\nReferences\n", 1)
    return before, rest[rest.index("\n\nDisclaimer: "):]


def test_verify_names_the_misattribution_with_both_authors_and_fix_makes_every_reference_nlm_exact(
        channel, run_cli, lookup_services, fake, youtube_env):
    imported_from_youtube(channel, run_cli, fake)
    assert run_cli("preview", SLUG, cwd=channel.root).out == DESCRIPTION  # exactly as typed, André RB and all
    assert "videos: 0 update, 1 unchanged" in run_cli("sync", "--dry-run", cwd=channel.root).out

    verified = run_cli("refs", "verify", cwd=channel.root)
    assert verified.code == 1
    differing = [line for line in verified.out.splitlines() if line.startswith("references.yaml:")]
    assert all(": andre2008: " in line for line in differing)  # the other five are their records already
    assert any("andre2008: misattribution: suspected, the record not applied: typed as 'André RB' (2008), but DOI "
               "10.1017/S1461145708009309 is the record of 'Brunoni AR' (2008)" in line for line in differing)
    assert any("andre2008: author: differs: André, R. B.; Lopes, M.; Fregni, F. -> Brunoni, André Russowsky; "
               "Lopes, Mariana; Fregni, Felipe (record: doi.org)" in line for line in differing)
    assert "`episodekit refs verify --fix andre2008`" in verified.err
    restyled = run_cli("refs", "restyle", "andre2008", cwd=channel.root)  # suspected: it stays as typed
    assert restyled.code == 0 and "kept as typed: andre2008: marked as a suspected misattribution" in restyled.out
    assert run_cli("preview", SLUG, cwd=channel.root).out == DESCRIPTION

    fixed = run_cli("refs", "verify", "--fix", cwd=channel.root)
    assert fixed.code == 0, fixed.out + fixed.err
    assert "fixed: andre2008:" in fixed.out and "misattribution line removed" in fixed.out
    assert f"restyled: episodes/{SLUG}.yaml: andre2008, serafini2012, duman2015, kang2012, rush2006, yang2016" \
        in fixed.out  # every entry it applied or confirmed now renders in the channel's style
    andre = library(channel)["andre2008"]  # the key stays: the episode still cites it
    assert andre["author"][0] == {"family": "Brunoni", "given": "André Russowsky"} and "misattribution" not in andre
    assert run_cli("refs", "verify", cwd=channel.root).code == 0
    assert run_cli("check", cwd=channel.root).code == 0

    now = run_cli("preview", SLUG, cwd=channel.root).out
    assert now != DESCRIPTION and blocks_around_the_references(now) == blocks_around_the_references(DESCRIPTION)
    assert "stale: reference andre2008, citation style" in run_cli("status", cwd=channel.root).out
    synced = run_cli("sync", "--dry-run", cwd=channel.root)
    assert "videos: 1 update, 0 unchanged" in synced.out
    assert "the description changes only in its references block: the references, in the channel's citation " \
           "style (vancouver)" in synced.out
    shown = run_cli("preview", f"episodes/{SLUG}.yaml", "--part", "references", cwd=channel.root)
    assert shown.code == 0, shown.err
    rendered = [line.split(". ", 1)[1] for line in shown.out.splitlines() if line[:1].isdigit()]
    assert len(rendered) == 6
    for line, cited in zip(rendered, AS_PUBMED_CITES, strict=True):
        assert line.startswith(cited + " https://doi.org/10."), line


def test_another_description_typed_the_same_way_cites_the_fixed_entry_and_marks_nothing(
        channel, run_cli, lookup_services):
    imported(channel, run_cli)
    assert run_cli("refs", "verify", "--fix", cwd=channel.root).code == 0
    fixed = (channel.root / "references.yaml").read_text(encoding="utf-8")
    channel.write("typed/another.txt", DESCRIPTION.replace("This episode looks", "This one looks"))
    again = run_cli("import", "--from-file", "typed/another.txt", "--title", "The Same Papers Again", cwd=channel.root)
    assert again.code == 0, again.err
    assert (channel.root / "references.yaml").read_text(encoding="utf-8") == fixed  # no mark, no second entry
    second = yaml.safe_load((channel.root / "episodes" / "the-same-papers-again.yaml").read_text(encoding="utf-8"))
    assert second["citations"][0]["key"] == "andre2008"  # the fixed entry, shown as this description typed it
    assert second["citations"][0]["typed"].startswith("André RB, Lopes M, Fregni F. ")
