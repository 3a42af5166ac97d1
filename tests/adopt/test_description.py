"""A creator's hand-typed description is read into the parts of an episode, by content."""

from __future__ import annotations

from episodekit.adopt.citation import full_page_range, parse_citation
from episodekit.adopt.description import heading_kind, parse_description, video_of

# Written for this test in the shape of a hand-typed post: summary, videos, references
# (one misattributed, blank lines between some), disclaimer, schedule line with a link.
TYPED = """\
Sleep loss and low mood feed each other. This video looks at what a short night does to the
circuits that handle reward, and why one bad week can make the next one harder.

Here I also go through what the studies say about catching up on sleep at the weekend.

Related videos:
Why We Dream - https://youtu.be/AAAAAAAAAAA
Insomnia treatment without pills https://www.youtube.com/watch?v=BBBBBBBBBBB&t=10s

Sources
André RB, Lopes M, Fregni F. A systematic review and meta-analysis of clinical studies on major depression and BDNF levels: implications for the role of neuroplasticity in depression, Int. Journal of Neuropsychopharmacology (2008), 11, 1169–1180.

Kang HJ, Voleti B, Hajszan T, et al. Decreased expression of synapse-related genes and loss of synapses in major depressive disorder. Nat Med. 2012;18(9):1413-7.
Duman CH, Duman RS. Spine synapse remodeling in the pathophysiology and treatment of depression. Neurosci Lett. 2015;601:20-9. doi:10.1016/j.neulet.2015.01.022

Disclaimer: these videos are for general education only and are not medical advice for you.

New videos every Tuesday at 6pm. Subscribe: https://example.org/sub

#sleep #depression
"""


def test_the_parts_of_a_typed_description_land_in_their_fields():
    parsed = parse_description(TYPED)
    assert len(parsed.summary) == 2 and parsed.summary[0].startswith("Sleep loss and low mood")
    assert parsed.summary[0].count("\n") == 1  # a paragraph keeps its line breaks, as typed
    assert [(video_of(v).title, video_of(v).video_id) for v in parsed.videos] == [
        ("Why We Dream", "AAAAAAAAAAA"), ("Insomnia treatment without pills", "BBBBBBBBBBB")]
    assert len(parsed.references) == 3
    assert parsed.references[0].typed.startswith("André RB") and parsed.references[2].typed.endswith("2015.01.022")
    assert [item.blank_line_after for item in parsed.references] == [True, False, False]  # as typed
    assert parsed.disclaimer.startswith("Disclaimer: these videos")
    assert parsed.schedule_line == "New videos every Tuesday at 6pm. Subscribe: https://example.org/sub"
    assert parsed.subscribe_url == "https://example.org/sub"
    assert parsed.hashtags == ["#sleep", "#depression"]
    assert [(p.kind, p.heading) for p in parsed.pieces] == [
        ("summary", None), ("summary", None), ("videos", "Related videos:"), ("references", "Sources"),
        ("disclaimer", None), ("schedule", None), ("text", None)]
    assert "\n".join(line for piece in parsed.pieces for line in [piece.heading or "", *piece.lines,
                                                                     *(i.typed for i in piece.items)]
                     if line).split("\n") == [line for line in TYPED.split("\n") if line]  # every line, in order


def test_headings_are_known_in_many_wordings_and_nothing_else_is_one():
    for line in ("Videos referenced in this video", "VIDEOS MENTIONED:", "Watch next", "Related videos"):
        assert heading_kind(line) == "videos", line
    for line in ("References", "Sources:", "Studies mentioned", "Bibliography"):
        assert heading_kind(line) == "references", line
    assert heading_kind("Timestamps") == "chapters"
    assert heading_kind("References to my earlier work are below") is None


def test_chapters_and_unknown_paragraphs_are_kept_not_dropped():
    parsed = parse_description(
        "Summary line.\n\n0:00 Intro\n1:05 - The science\n12:30 What to do\n\n"
        "References\nSmith J. A title. J Sleep. 2020;1:1-2.\n\nMerch: https://example.org/shop\n")
    assert [item.typed for item in parsed.chapters] == ["0:00 Intro", "1:05 - The science", "12:30 What to do"]
    assert parsed.summary == ["Summary line."]
    assert [(p.kind, p.text) for p in parsed.pieces][-1] == ("text", "Merch: https://example.org/shop")
    assert [(p.kind, p.gap) for p in parsed.pieces] == [("summary", 0), ("chapters", 1), ("references", 1), ("text", 1)]


def test_a_vancouver_citation_is_read_into_csl_fields():
    parsed = parse_citation(
        "Kang HJ, Voleti B, Hajszan T, et al. Decreased expression of synapse-related genes and loss of "
        "synapses in major depressive disorder. Nat Med. 2012 Sep;18(9):1413-7. doi: 10.1038/nm.2886")
    assert parsed.sure
    fields = parsed.fields
    assert [a["family"] for a in fields["author"]] == ["Kang", "Voleti", "Hajszan"]
    assert fields["author"][0]["given"] == "H. J." and fields["authors-incomplete"] is True
    assert fields["container-title"] == "Nat Med"
    assert fields["issued"] == {"date-parts": [[2012, 9]]}
    assert (fields["volume"], fields["issue"], fields["page"], fields["DOI"]) == ("18", "9", "1413-1417", "10.1038/nm.2886")


def test_a_journal_year_volume_pages_citation_is_read_too():
    parsed = parse_citation(
        "André RB, Lopes M, Fregni F. A systematic review of BDNF levels, Int. Journal of "
        "Neuropsychopharmacology (2008), 11, 1169–1180.")
    assert parsed.sure
    assert parsed.fields["author"][0] == {"family": "André", "given": "R. B."}
    assert parsed.fields["container-title"] == "Int. Journal of Neuropsychopharmacology"
    assert (parsed.fields["volume"], parsed.fields["page"]) == ("11", "1169-1180")


def test_an_unsure_reading_says_what_it_could_not_read():
    run_together = parse_citation(
        "Rush AJ, et al. Outcomes in depressed outpatients: a STAR*D report Am J Psychiatry. 2006;163:1905-1917.")
    assert not run_together.sure and "run together" in run_together.doubts[0]
    assert run_together.fields["issued"] == {"date-parts": [[2006]]}
    assert "container-title" not in run_together.fields
    prose = parse_citation("A report the ministry put out about sleep")
    assert len(prose.doubts) == 2 and prose.fields == {"title": "A report the ministry put out about sleep"}


def test_page_ranges_are_stored_in_full():
    assert full_page_range("1413-7") == "1413-1417"
    assert full_page_range("20–9") == "20-29"
    assert full_page_range("1905-1917") == "1905-1917"
    assert full_page_range("e1234") == "e1234"
