"""Rendering: the description, script and references a creator reads, and what YouTube receives."""

from __future__ import annotations

import hashlib

import pytest

from episodekit.errors import TemplateError
from episodekit.paths import shown_path
from episodekit.pipeline.render import (
    RenderedEpisode,
    count_words,
    format_duration,
    render_episode,
    tidy_text,
)
from episodekit.pipeline.resolve import resolve_episode
from episodekit.workspace import Workspace
from tests.conftest import CHANNEL_YAML

SERAFINI = "1. Serafini G. Neuroplasticity and major depression. World J Psychiatry. 2012;2(3):49-57. https://doi.org/10.5498/wjp.v2.i3.49"
KANG = (
    "2. Kang HJ, Voleti B, et al. Decreased expression of synapse-related genes. "
    "Nat Med. 2012;18(9):1413-7. https://doi.org/10.1038/nm.2886"
)
DESCRIPTION = (
    "First paragraph.\n\n"
    f"References\n{SERAFINI}\n{KANG}\n\n"
    "Education only, not medical advice.\n\n"
    "New every Wednesday at 9am. Subscribe: https://example.org/subscribe\n"
)


def render(channel, slug: str = "test-episode", text: str | None = None) -> RenderedEpisode:
    if text is not None:
        channel.episode(slug, text)
    ws = Workspace.open(channel.root)
    resolved, problems = resolve_episode(ws, ws.load(ws.episodes_dir / f"{slug}.yaml"))
    assert resolved is not None, problems
    return render_episode(resolved, ws.templates_dir)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the three outputs ----------------------------------------------------------------------------


def test_the_description_has_summary_references_disclaimer_and_schedule_line(channel):
    assert render(channel).description == DESCRIPTION


def test_the_references_block_has_one_numbered_line_per_entry(channel):
    assert render(channel).references == f"{SERAFINI}\n{KANG}\n"


def test_the_script_has_title_runtime_sections_with_cues_and_references(channel):
    script = render(channel).script

    assert script == (
        "# A Test Episode\n\n"
        "6 words · about 0:02 at 150 words per minute\n\n"
        "## Start\n\n"
        "Synapses are lost [1] and genes change [2].\n\n"
        f"## References\n\n{SERAFINI}\n{KANG}\n"
    )


def test_word_count_and_runtime_follow_the_channels_speaking_rate(channel):
    channel.write("channel.yaml", CHANNEL_YAML + "words_per_minute: 60\n")
    body = " ".join(["word"] * 90)

    rendered = render(channel, text=f"title: T\nsummary: [x]\nscript:\n  - {{heading: H, body: {body}}}\n")

    assert (rendered.words, rendered.runtime_seconds) == (90, 90)
    assert "90 words · about 1:30 at 60 words per minute" in rendered.script


def test_chapters_and_linked_videos_appear_in_the_description(channel):
    text = (
        "title: T\nsummary: [Intro.]\ndisclaimer: none\n"
        "chapters:\n  - {at: '0:00', title: Start}\n  - {at: '1:30', title: Middle}\n"
        "videos:\n  - {url: 'https://youtu.be/dQw4w9WgXcQ', title: Elsewhere}\n"
    )

    description = render(channel, text=text).description

    assert description == (
        "Intro.\n\nChapters\n0:00 Start\n1:30 Middle\n\n"
        "Videos referenced in this video\nElsewhere https://youtu.be/dQw4w9WgXcQ\n\n"
        "New every Wednesday at 9am. Subscribe: https://example.org/subscribe\n"
    )


def test_episode_text_with_braces_is_printed_as_written_not_run_as_a_template(channel):
    rendered = render(channel, text="title: T\nsummary: ['Use {{ channel.name }} and {% raw %}']\n")

    assert rendered.description.startswith("Use {{ channel.name }} and {% raw %}\n")


# --- what YouTube receives ------------------------------------------------------------------------


def test_as_sent_gives_the_description_without_its_final_newline(channel):
    sent = render(channel).as_sent()

    assert sent == {"title": "A Test Episode", "description": DESCRIPTION[:-1], "tags": ["science"]}


def test_sent_hashes_are_sha256_of_what_is_sent(channel):
    hashes = render(channel, text="title: T\nsummary: [x]\ntags: [brain, mood]\n").sent_hashes()

    assert hashes.title == sha256("T")
    assert hashes.tags == sha256("science\nbrain\nmood")
    assert hashes.description == sha256(render(channel).description.rstrip("\n"))


def test_each_part_is_reachable_by_its_name(channel):
    rendered = render(channel)

    assert [rendered.part(n) for n in ("script", "description", "references")] == [
        rendered.script, rendered.description, rendered.references,
    ]


# --- count_words, format_duration, tidy_text ------------------------------------------------------


@pytest.mark.parametrize("text, words", [
    ("Synapses are lost [1] and genes change [2, 3].", 6),
    ("A range [1–3] and a list [4,5] are silent.", 7),
    ("Don't split well-known words.", 4),
    ("", 0),
])
def test_citation_cues_are_not_counted_as_spoken_words(text, words):
    assert count_words(text) == words


@pytest.mark.parametrize("seconds, shown", [
    (0, "0:00"), (59, "0:59"), (61, "1:01"), (3599, "59:59"), (3600, "1:00:00"), (3725, "1:02:05"),
])
def test_durations_show_hours_only_when_there_are_some(seconds, shown):
    assert format_duration(seconds) == shown


def test_tidy_text_drops_trailing_spaces_extra_blank_lines_and_ends_with_one_newline():
    assert tidy_text("\n\nTitle   \n\n\n\nBody\t\n\n\n") == "Title\n\nBody\n"


def test_tidy_text_keeps_single_blank_lines_and_indentation():
    assert tidy_text("a\n\n  b\nc") == "a\n\n  b\nc\n"


# --- channel templates ----------------------------------------------------------------------------


def test_a_channel_template_overrides_the_packaged_one_for_that_part_only(channel):
    channel.write("templates/description.txt.j2", "{{ episode.title }} by {{ channel.name }}\n")

    rendered = render(channel)

    assert rendered.description == "A Test Episode by Test Channel\n"
    assert rendered.script.startswith("# A Test Episode\n")
    assert rendered.references == f"{SERAFINI}\n{KANG}\n"


def test_a_channel_references_template_also_changes_the_block_in_the_description(channel):
    channel.write("templates/references.txt.j2", "{% for e in references %}* {{ e.text }}\n{% endfor %}")

    rendered = render(channel)

    assert rendered.references == f"* {SERAFINI[3:]}\n* {KANG[3:]}\n"
    assert f"References\n* {SERAFINI[3:]}\n* {KANG[3:]}\n\n" in rendered.description


def test_a_template_added_after_a_first_render_is_used_next_time(channel):
    before = render(channel)
    channel.write("templates/description.txt.j2", "Only the title: {{ episode.title }}\n")

    after = render(channel)

    assert before.description == DESCRIPTION
    assert after.description == "Only the title: A Test Episode\n"


def test_a_missing_value_in_a_template_is_an_error_at_its_file_and_line(channel):
    path = channel.write("templates/description.txt.j2", "{{ episode.title }}\n{{ episode.subtitle }}\n")

    with pytest.raises(TemplateError) as caught:
        render(channel)

    message = str(caught.value)
    assert message.startswith(f"{shown_path(path)}:2: ")
    assert "subtitle" in message


def test_a_template_syntax_error_names_the_template_and_line(channel):
    channel.write("templates/script.md.j2", "# {{ episode.title }}\n\n{% if %}\n")

    with pytest.raises(TemplateError) as caught:
        render(channel)

    assert ":3: template syntax error: " in str(caught.value)
    assert "script.md.j2" in str(caught.value)


def test_author_date_cues_are_not_counted_as_spoken_words(channel, run_cli):
    channel.write("channel.yaml", (channel.root / "channel.yaml").read_text() + "citation_style: apa\n")
    channel.episode("test-episode", """\
        title: A Test Episode
        summary: [First paragraph.]
        script:
          - heading: Start
            body: Both [@kang2012; @serafini2012] and mine.
        """)
    result = run_cli("preview", "test-episode", "--part", "script", cwd=channel.root)
    assert result.code == 0, result.err
    assert "(Kang et al., 2012; Serafini, 2012)" in result.out
    assert "script: 3 words" in result.err
