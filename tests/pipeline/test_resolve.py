"""Resolving an episode: numbered citations, links to other episodes, disclaimer, tags, schedule sentence."""

from __future__ import annotations

import pytest

from episodekit.files.load import load_episode
from episodekit.ledger import save_ledger
from episodekit.models import Channel
from episodekit.models.ledger import Ledger, LedgerEntry
from episodekit.pipeline.resolve import VideoLink, cited_keys, resolve_episode, schedule_line
from episodekit.workspace import Workspace
from tests.conftest import CHANNEL_YAML

VIDEO_ID = "abcdefghijk"
INLINE_DOE = """\
  - id: mine2020
    author: [{family: Doe, given: Jane}]
    title: A small study
    container-title-short: J Test
    issued: 2020
    PMID: "12345678"
"""
LINKING = """\
title: The Sequel
summary: [More.]
videos:
  - episode: test-episode
"""


@pytest.fixture
def here(channel, monkeypatch):
    """The channel folder is the current folder, so problems show ``episodes/<slug>.yaml``."""
    monkeypatch.chdir(channel.root)
    return channel


def resolve(channel, slug="test-episode", text=None):
    if text is not None:
        channel.episode(slug, text)
    ws = Workspace.open(channel.root)
    return resolve_episode(ws, ws.load(ws.episodes_dir / f"{slug}.yaml"))


def episode(body: str, citations: str = "") -> str:
    text = f'title: T\nsummary: [x]\nscript:\n  - heading: H\n    body: "{body}"\n'
    return text + (f"citations:\n{citations}" if citations else "")


def upload(channel, slug: str) -> None:
    entry = LedgerEntry(video_id=VIDEO_ID)
    save_ledger(channel.root / "published.yaml", Ledger(episodes={slug: entry}))


# --- citations ------------------------------------------------------------------------------------


def test_citations_are_numbered_in_order_of_first_use_in_the_script(here):
    resolved, problems = resolve(here)

    assert problems == []
    assert resolved.references.cues == {"serafini2012": "[1]", "kang2012": "[2]"}
    assert [e.id for e in resolved.references.entries] == ["serafini2012", "kang2012"]
    assert resolved.sections[0].body == "Synapses are lost [1] and genes change [2]."


def test_cited_keys_come_from_the_script_first_then_from_the_citations_list(here):
    path = here.episode("order", (
        "title: T\nsummary: [x]\nscript:\n"
        "  - {heading: A, body: 'First [@b2000].'}\n"
        "  - {heading: B, body: 'Then [@a2000] and again [@b2000].'}\n"
        "citations: [c2000, a2000]\n"
    ))

    assert cited_keys(load_episode(path)) == [
        ("b2000", ("script", 0, "body")),
        ("a2000", ("script", 1, "body")),
        ("c2000", ("citations", 0)),
    ]


def test_an_entry_only_listed_is_numbered_after_the_cited_ones(here):
    resolved, _ = resolve(here, text=episode("Only [@kang2012].", "  - serafini2012\n  - kang2012\n"))

    assert resolved.sections[0].body == "Only [1]."
    assert resolved.references.cues == {"kang2012": "[1]", "serafini2012": "[2]"}


def test_several_keys_in_one_marker_become_one_cue(here):
    resolved, _ = resolve(here, text=episode("Both [@kang2012; @serafini2012], or [@serafini2012, @kang2012]."))

    assert resolved.sections[0].body == "Both [1, 2], or [2, 1]."


def test_an_email_address_in_the_script_is_not_a_citation(here):
    path = here.episode("mail", episode("Write to me@example.org [sic]."))

    assert cited_keys(load_episode(path)) == []


def test_an_author_date_style_cites_in_parentheses(here):
    here.write("channel.yaml", CHANNEL_YAML + "citation_style: apa\n")

    resolved, _ = resolve(here, text=episode("Both [@kang2012; @serafini2012]."))

    assert resolved.sections[0].body == "Both (Kang et al., 2012; Serafini, 2012)."
    assert not resolved.references.numeric


def test_an_inline_entry_is_cited_next_to_library_keys(here):
    resolved, problems = resolve(here, text=episode("Mine [@mine2020], theirs [@kang2012].", INLINE_DOE))

    assert problems == []
    assert resolved.sections[0].body == "Mine [1], theirs [2]."
    first = resolved.references.entries[0]
    assert (first.id, first.label) == ("mine2020", "1.")
    assert first.text.startswith("Doe J. A small study. J Test.")


def test_an_inline_id_that_is_also_a_library_key_is_an_error_at_its_first_citation(here):
    clash = INLINE_DOE.replace("mine2020", "kang2012")

    resolved, problems = resolve(here, text=episode("See [@kang2012].", clash))

    assert resolved is None
    assert [str(p) for p in problems] == [
        "episodes/test-episode.yaml:5: script[0].body: id 'kang2012' is also a key of references.yaml; "
        "cite that entry or choose another id"
    ]


def test_a_misspelt_key_in_the_script_is_an_error_with_a_hint_at_the_body_line(here):
    resolved, problems = resolve(here, text=episode("See [@kang2021]."))

    assert resolved is None
    assert [str(p) for p in problems] == [
        "episodes/test-episode.yaml:5: script[0].body: unknown citation key 'kang2021'; did you mean 'kang2012'?"
    ]


def test_an_unknown_key_in_the_citations_list_is_reported_at_its_item(here):
    text = "title: T\nsummary: [x]\ncitations:\n  - serafini2012\n  - nobody1999\n"

    resolved, problems = resolve(here, text=text)

    assert resolved is None
    assert [str(p) for p in problems] == [
        "episodes/test-episode.yaml:5: citations[1]: unknown citation key 'nobody1999' "
        "(not in references.yaml or this episode)"
    ]


def test_a_hint_can_point_at_an_inline_entry(here):
    _, problems = resolve(here, text=episode("See [@mine2002].", INLINE_DOE))

    assert problems[0].message == "unknown citation key 'mine2002'; did you mean 'mine2020'?"


# --- links to videos and episodes -----------------------------------------------------------------


def test_a_video_given_by_url_links_to_its_short_url(here):
    text = "title: T\nsummary: [x]\nvideos:\n  - {url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ', title: Elsewhere}\n"

    resolved, problems = resolve(here, text=text)

    assert problems == []
    assert resolved.videos == [VideoLink("Elsewhere", "https://youtu.be/dQw4w9WgXcQ")]


def test_a_link_to_an_uploaded_episode_has_its_title_and_url(here):
    upload(here, "test-episode")

    resolved, problems = resolve(here, "sequel", LINKING)

    assert problems == []
    assert resolved.videos == [VideoLink("A Test Episode", f"https://youtu.be/{VIDEO_ID}")]


def test_a_link_to_an_episode_not_uploaded_yet_has_no_url_and_warns(here):
    resolved, problems = resolve(here, "sequel", LINKING)

    assert resolved.videos == [VideoLink("A Test Episode", None)]
    assert [str(p) for p in problems] == [
        "episodes/sequel.yaml:4: warning: videos[0].episode: episode 'test-episode' is not uploaded yet, "
        "so its link is left out until it is"
    ]


def test_a_title_given_with_the_link_wins_over_the_episodes_title(here):
    upload(here, "test-episode")

    resolved, _ = resolve(here, "sequel", LINKING + "    title: Part one\n")

    assert resolved.videos == [VideoLink("Part one", f"https://youtu.be/{VIDEO_ID}")]


def test_an_episode_cannot_link_to_itself(here):
    text = "title: T\nsummary: [x]\nvideos:\n  - episode: test-episode\n"

    resolved, problems = resolve(here, text=text)

    assert resolved is None
    assert [str(p) for p in problems] == [
        "episodes/test-episode.yaml:4: videos[0]: an episode cannot reference itself"
    ]


def test_a_link_to_a_missing_episode_is_an_error(here):
    resolved, problems = resolve(here, "sequel", LINKING.replace("test-episode", "no-such-episode"))

    assert resolved is None
    assert [str(p) for p in problems] == [
        "episodes/sequel.yaml:4: videos[0].episode: no episode 'no-such-episode' in episodes/"
    ]


def test_citation_and_link_problems_are_reported_together(here):
    text = episode("See [@nobody].") + "videos:\n  - episode: test-episode\n"

    _, problems = resolve(here, text=text)

    assert [p.field for p in problems] == ["script[0].body", "videos[0]"]


# --- disclaimer, tags, schedule sentence ----------------------------------------------------------


@pytest.mark.parametrize("setting, expected", [
    ("inherit", "Education only, not medical advice."),
    ("none", None),
    ("'Talk to your doctor.'", "Talk to your doctor."),
])
def test_the_disclaimer_is_inherited_left_out_or_replaced(here, setting, expected):
    resolved, _ = resolve(here, text=f"title: T\nsummary: [x]\ndisclaimer: {setting}\n")

    assert resolved.disclaimer == expected


def test_inheriting_from_a_channel_without_a_disclaimer_gives_none(here):
    here.write("channel.yaml", CHANNEL_YAML.replace('disclaimer: "Education only, not medical advice."\n', ""))

    resolved, _ = resolve(here)

    assert resolved.disclaimer is None


def test_tags_start_with_the_channels_and_drop_duplicates_ignoring_case(here):
    text = "title: T\nsummary: [x]\ntags: [Science, brain, BRAIN, Depression]\n"

    resolved, _ = resolve(here, text=text)

    assert resolved.tags == ["science", "brain", "Depression"]


def test_the_schedule_sentence_names_the_slot_and_subscribe_link(here):
    resolved, _ = resolve(here)

    assert resolved.schedule_line == "New every Wednesday at 9am. Subscribe: https://example.org/subscribe"


def channel_with(slots: list[dict[str, str]], line: str) -> Channel:
    return Channel.model_validate({
        "name": "Brain Club", "subscribe_url": "https://example.org/s", "timezone": "UTC",
        "slots": slots, "schedule_line": line,
    })


def test_the_schedule_sentence_lists_slots_by_weekday_and_time():
    channel = channel_with(
        [{"weekday": "thursday", "time": "17:30"}, {"weekday": "Monday", "time": "12:00"},
         {"weekday": "monday", "time": "00:00"}],
        "{channel}: new videos {slots}. {subscribe_url}",
    )

    assert schedule_line(channel) == (
        "Brain Club: new videos Monday at midnight, Monday at noon and Thursday at 5:30pm. https://example.org/s"
    )


def test_a_slot_listed_twice_is_named_once():
    channel = channel_with([{"weekday": "friday", "time": "9:05"}] * 2, "Every {slots}")

    assert schedule_line(channel) == "Every Friday at 9:05am"


def test_two_inline_entries_with_one_id_are_an_error_at_the_second(channel, run_cli):
    channel.episode("test-episode", """\
        title: A Test Episode
        summary: [First paragraph.]
        script:
          - heading: Start
            body: A study [@mine2020].
        citations:
          - {id: mine2020, title: First study}
          - {id: mine2020, title: Second study}
        """)
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert "episodes/test-episode.yaml:8: citations[1].id: id 'mine2020' is already used" in result.err
