"""An episode's layout: its description's blocks in its own order, with its own headings, text and spacing,
and the items it keeps as typed; an episode without one renders as every episode always has."""

from __future__ import annotations

import pytest

from episodekit.errors import EpisodeError
from episodekit.pipeline.build import build_episodes
from episodekit.files.load import load_episode
from episodekit.pipeline.render import render_episode
from episodekit.pipeline.resolve import resolve_episode
from episodekit.workspace import Workspace

SERAFINI = "Serafini G. Neuroplasticity and major depression. World J Psychiatry. 2012;2(3):49-57. " \
           "https://doi.org/10.5498/wjp.v2.i3.49"
KANG = "Kang HJ, Voleti B, et al. Decreased expression of synapse-related genes. Nat Med. 2012;18(9):1413-7. " \
       "https://doi.org/10.1038/nm.2886"
SHAPED = """\
title: Shaped
summary: [First paragraph., Second paragraph.]
chapters:
  - {at: "0:00", title: Intro, typed: "00:00 - Intro", blank_line_after: true}
  - {at: "1:00", title: Middle}
  - {at: "2:00", title: End}
videos:
  - {title: Older one, url: "https://youtu.be/2z5krS51pNg", typed: "Older one: https://www.youtube.com/watch?v=2z5krS51pNg"}
citations:
  - {key: serafini2012, typed: "• Serafini (2012), typed {{ by hand }}", blank_line_after: true}
  - kang2012
layout:
  - chapters: ""
  - summary
  - blank lines: 2
  - references: "Sources:"
  - videos
  - text: "Thanks for watching!\\n\\n\\nBye."
  - blank lines: 0
  - schedule: "My own sentence {slots}: https://example.org/mine"
"""


def description(channel, text: str, slug: str = "test-episode") -> str:
    channel.episode(slug, text)
    ws = Workspace.open(channel.root)
    resolved, problems = resolve_episode(ws, ws.load(ws.episodes_dir / f"{slug}.yaml"))
    assert resolved is not None, problems
    return render_episode(resolved, ws.templates_dir).description


def test_a_layout_lays_the_blocks_out_in_its_order_as_typed(channel):
    assert description(channel, SHAPED) == (
        "00:00 - Intro\n\n1:00 Middle\n2:00 End\n\n"
        "First paragraph.\n\nSecond paragraph.\n\n\n"
        f"Sources:\n• Serafini (2012), typed {{{{ by hand }}}}\n\n2. {KANG}\n\n"
        "Videos referenced in this video\nOlder one: https://www.youtube.com/watch?v=2z5krS51pNg\n\n"
        "Thanks for watching!\n\n\nBye.\nMy own sentence {slots}: https://example.org/mine\n"
    )  # no disclaimer: the layout has none; typed text is never a template


def test_without_a_layout_the_channel_s_order_and_headings(channel):
    plain = SHAPED.split("layout:")[0].replace("typed: \"00:00 - Intro\", blank_line_after: true", "")
    shown = description(channel, plain)
    assert shown.startswith("First paragraph.\n\nSecond paragraph.\n\nChapters\n0:00 Intro\n1:00 Middle\n")
    assert shown.endswith("Education only, not medical advice.\n\nNew every Wednesday at 9am. Subscribe: "
                          "https://example.org/subscribe\n")


def test_a_block_with_nothing_to_show_leaves_no_heading_and_no_gap(channel):
    shown = description(channel, "title: T\nsummary: [Only.]\nlayout: [chapters, summary, {videos: Watch}, "
                                 "references, {text: End.}]\n")
    assert shown == "Only.\n\nEnd.\n"


def test_while_a_reference_is_typed_the_block_keeps_the_typed_order_in_apa(channel):
    channel.write("channel.yaml", (channel.root / "channel.yaml").read_text() + "citation_style: apa\n")
    typed = "title: T\nsummary: [S.]\nlayout: [references]\ncitations:\n" \
            "  - {key: serafini2012, typed: Serafini first and typed}\n  - kang2012\n"
    assert description(channel, typed).split("\n")[1:3] == ["Serafini first and typed", KANG.replace(
        "Kang HJ, Voleti B, et al. Decreased expression of synapse-related genes. Nat Med. 2012;18(9):1413-7.",
        "Kang, H. J., Voleti, B., et al. (2012). Decreased expression of synapse-related genes. Nat Med, 18(9), "
        "1413–1417.")]
    restyled = description(channel, typed.replace("{key: serafini2012, typed: Serafini first and typed}",
                                                  "serafini2012"))
    assert restyled.split("\n")[1].startswith("Kang, H. J.")  # APA's own order once none is typed


@pytest.mark.parametrize("layout, message", [
    ("[summary, sumary]", "layout[1]: 'sumary' is not a block of a description; did you mean 'summary'?"),
    ("[summary, summary]", "layout: summary is in the layout twice"),
    ("[{text: a, videos: b}]", "layout[0]: a layout item is a block's name, or a mapping of one key"),
    ("[{referencs: Sources}]", "layout[0]: unknown key 'referencs'; did you mean 'references'?"),
    ("[{blank lines: -1}]", "layout[0].blank lines: Input should be greater than or equal to 0"),
])
def test_a_wrong_layout_is_told_at_its_line(channel, layout, message):
    path = channel.episode("draft", f"title: T\nsummary: [S.]\nlayout: {layout}\n")
    with pytest.raises(EpisodeError) as caught:
        load_episode(path)
    assert any(message in str(problem) for problem in caught.value.problems), caught.value.problems
    assert all(str(problem).startswith("episodes/draft.yaml:3: ") for problem in caught.value.problems)


def test_a_forbidden_character_in_typed_text_is_reported_where_it_is_typed(channel):
    channel.episode("test-episode", "title: T\nsummary: [S.]\nlayout: [summary, references]\ncitations:\n"
                                    "  - key: kang2012\n    typed: Kang <b>typed</b>\n")
    report = build_episodes(Workspace.open(channel.root), [channel.root / "episodes" / "test-episode.yaml"])
    assert [str(p) for p in report.problems if p.is_error] == [
        "episodes/test-episode.yaml:6: citations[0].typed: may not contain '<' or '>' (YouTube rejects them)"]
