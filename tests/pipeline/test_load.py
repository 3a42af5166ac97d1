"""Loading a channel's files: every problem of a file at once, each at its line, with a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from episodekit.errors import ChannelError, EpisodeError, InputError
from episodekit.files.load import (
    load_channel_source,
    load_episode,
    load_library_source,
    validate,
)
from episodekit.files.yamlsource import MAX_EPISODE_BYTES, read_yaml
from episodekit.models import Episode
from episodekit.paths import find_channel_file
from episodekit.workspace import Workspace


@pytest.fixture
def here(channel, monkeypatch):
    """The channel folder is the current folder, so messages show paths like ``episodes/x.yaml``."""
    monkeypatch.chdir(channel.root)
    return channel


def episode_problems(here, text: str, slug: str = "draft") -> list[str]:
    path = here.episode(slug, text)
    with pytest.raises(EpisodeError) as caught:
        load_episode(path)
    return [str(p) for p in caught.value.problems]


# --- read_yaml: the line of every key and list item ----------------------------------------------

NESTED = """\
title: T
summary:
  - first
  - second
script:
  - heading: H
    body: B
"""


def test_read_yaml_keeps_the_line_of_nested_keys_and_list_items(here):
    doc = read_yaml(here.write("nested.yaml", NESTED), "nested.yaml")

    assert doc.data["summary"] == ["first", "second"]
    assert doc.lines[("title",)] == 1
    assert doc.lines[("summary",)] == 2
    assert doc.lines[("summary", 0)] == 3
    assert doc.lines[("summary", 1)] == 4
    assert doc.lines[("script", 0)] == 6
    assert doc.lines[("script", 0, "body")] == 7


def test_a_missing_key_is_located_at_its_nearest_enclosing_key(here):
    doc = read_yaml(here.write("nested.yaml", NESTED), "nested.yaml")

    assert doc.line_of(("script", 0, "chapters")) == 6
    assert doc.line_of(("nowhere",)) == 1


def test_a_duplicate_key_is_reported_at_its_second_line_naming_the_first(here):
    problems = episode_problems(here, "title: A\nsummary: [x]\ntitle: B\n")

    assert problems == ["episodes/draft.yaml:3: duplicate key 'title' (first at line 1); remove one"]


def test_an_empty_episode_file_is_an_episode_error(here):
    problems = episode_problems(here, "# nothing yet\n")

    assert problems == ["episodes/draft.yaml: the file is empty; expected a mapping of keys to values"]


def test_an_episode_larger_than_the_limit_is_refused_with_its_size(here):
    path = here.episode("huge", b"title: x\n" + b"#" * MAX_EPISODE_BYTES)

    with pytest.raises(EpisodeError) as caught:
        load_episode(path)

    assert f"the file is {MAX_EPISODE_BYTES + 9:,} bytes; the limit is {MAX_EPISODE_BYTES:,} bytes" in str(caught.value)


# --- load_episode ---------------------------------------------------------------------------------


def test_a_valid_episode_loads_with_its_slug_shown_path_and_lines(here):
    loaded = load_episode(here.root / "episodes" / "test-episode.yaml")

    assert loaded.slug == "test-episode"
    assert loaded.shown == "episodes/test-episode.yaml"
    assert loaded.model.title == "A Test Episode"
    assert loaded.model.citations == ["kang2012", "serafini2012"]
    assert loaded.line_of("script", 0, "body") == 7


def test_a_problem_of_a_loaded_episode_names_the_field_and_its_line(here):
    loaded = load_episode(here.root / "episodes" / "test-episode.yaml")

    problem = loaded.problem("too loud", "script", 0, "body", severity="warning")

    assert str(problem) == "episodes/test-episode.yaml:7: warning: script[0].body: too loud"


def test_an_episode_file_must_end_in_yaml(here):
    path = here.write("episodes/notes.txt", "title: T\nsummary: [x]\n")

    with pytest.raises(EpisodeError) as caught:
        load_episode(path)

    assert str(caught.value) == "episodes/notes.txt: an episode file ends in .yaml"


def test_a_misspelt_key_gets_a_did_you_mean_hint_and_the_real_key_is_missing(here):
    problems = episode_problems(here, "titel: T\nsummary: [x]\n")

    assert problems == [
        "episodes/draft.yaml:1: unknown key 'titel'; did you mean 'title'?",
        "episodes/draft.yaml:1: title: is required but missing",
    ]


def test_an_unknown_key_with_no_close_match_lists_the_allowed_keys(here):
    problems = episode_problems(here, "title: T\nsummary: [x]\nzzz: 1\n")

    assert problems == [
        "episodes/draft.yaml:3: unknown key 'zzz'; allowed here: captions, chapters, citations, disclaimer, "
        "extra, layout, localizations, review, schedule, script, summary, tags, title, upload, videos, words_per_minute"
    ]


def test_a_misspelt_key_inside_a_script_section_is_named_with_its_section(here):
    problems = episode_problems(here, "title: T\nsummary: [x]\nscript:\n  - heading: H\n    bdy: B\n")

    assert problems == [
        "episodes/draft.yaml:4: script[0].body: is required but missing",
        "episodes/draft.yaml:5: script[0]: unknown key 'bdy'; did you mean 'body'?",
    ]


def test_a_misspelt_key_of_an_inline_reference_gets_a_hint_from_the_reference_fields(here):
    problems = episode_problems(here, "title: T\nsummary: [x]\ncitations:\n  - id: x1\n    titel: T\n")

    assert "episodes/draft.yaml:5: citations[0]: unknown key 'titel'; did you mean 'title'?" in problems


def test_a_misspelt_upload_setting_gets_a_hint(here):
    problems = episode_problems(here, "title: T\nsummary: [x]\nupload: {privcy: public}\n")

    assert problems == ["episodes/draft.yaml:3: upload: unknown key 'privcy'; did you mean 'privacy'?"]


def test_type_errors_name_what_was_given_each_at_its_own_line(here):
    problems = episode_problems(here, "title: [a]\nsummary: hello\nextra: [1]\n")

    assert problems == [
        "episodes/draft.yaml:1: title: Input should be a valid string (got a list)",
        "episodes/draft.yaml:2: summary: Input should be a valid list (got str 'hello')",
        "episodes/draft.yaml:3: extra: Input should be a valid boolean (got a list)",
    ]


def test_a_value_error_is_shown_without_pydantics_prefix(here):
    problems = episode_problems(here, "title: T\nsummary: [x]\nschedule: 2026-01-07\n")

    assert problems == [
        "episodes/draft.yaml:3: schedule: give a time as well as a date, e.g. '2026-12-02 09:00'"
    ]


def test_every_problem_of_a_file_is_reported_at_once_in_line_order(here):
    text = (
        "title: T\n"
        "summary: [x]\n"
        "videos:\n"
        "  - {url: 'https://youtu.be/dQw4w9WgXcQ'}\n"
        "chapters:\n"
        "  - {at: '1:2:3:4', title: x}\n"
        "tags: [ok, ' ']\n"
    )
    problems = episode_problems(here, text)

    assert [p.split(": ", 2)[:2] for p in problems] == [
        ["episodes/draft.yaml:4", "videos[0]"],
        ["episodes/draft.yaml:6", "chapters[0].at"],
        ["episodes/draft.yaml:7", "tags[1]"],
    ]
    assert problems[0].endswith("a video given by 'url' needs a 'title'")


def test_validate_raises_the_error_class_it_is_given(here):
    doc = read_yaml(here.write("x.yaml", "title: T\n"), "x.yaml")

    with pytest.raises(ChannelError) as caught:
        validate(doc, Episode, ChannelError)

    assert [str(p) for p in caught.value.problems] == ["x.yaml:1: summary: is required but missing"]


# --- load_channel_source and load_library_source -------------------------------------------------


def test_a_valid_channel_loads_its_slots_and_zone(here):
    channel = load_channel_source(here.root / "channel.yaml")[0]

    assert channel.name == "Test Channel"
    assert channel.timezone == "America/New_York"
    assert [(s.weekday, s.time) for s in channel.slots] == [("wednesday", "09:00")]
    assert channel.upload.category == 27


def test_a_channel_file_missing_its_keys_lists_each_one(here):
    path = here.write("channel.yaml", "name: C\n")

    with pytest.raises(ChannelError) as caught:
        load_channel_source(path)[0]

    assert [p.field for p in caught.value.problems] == ["schedule_line", "slots", "subscribe_url", "timezone"]
    assert {p.message for p in caught.value.problems} == {"is required but missing"}


def test_channel_problems_point_at_the_bad_slot_and_zone(here):
    path = here.write("channel.yaml", (
        "name: C\nsubscribe_url: https://x.org\ntimezone: Mars/Olympus\n"
        "slots:\n  - {weekday: monday, time: '25:00', extra: 1}\nschedule_line: '{slot}'\n"
    ))

    with pytest.raises(ChannelError) as caught:
        load_channel_source(path)[0]

    assert [str(p) for p in caught.value.problems] == [
        "channel.yaml:3: timezone: 'Mars/Olympus' is not an IANA time zone such as 'America/New_York'",
        "channel.yaml:5: slots[0]: unknown key 'extra'; allowed here: time, weekday",
        "channel.yaml:5: slots[0].time: '25:00' is not a 24-hour time like '09:00'",
        "channel.yaml:6: schedule_line: unknown placeholder {slot}; use {slots}, {subscribe_url} or {channel}",
    ]


def test_a_channel_without_references_yaml_has_an_empty_library(here):
    (here.root / "references.yaml").unlink()

    assert load_library_source(here.root / "references.yaml")[0].root == {}


def test_the_library_loads_every_entry_by_key(here):
    library = load_library_source(here.root / "references.yaml")[0]

    assert sorted(library.root) == ["kang2012", "serafini2012"]
    assert library.root["kang2012"].DOI == "10.1038/nm.2886"
    assert library.root["kang2012"].authors_incomplete is True


def test_a_misspelt_reference_field_is_hinted_with_its_csl_name(here):
    path = here.write("references.yaml", (
        "k:\n  title: Y\n  containertitle: J\n  author:\n    - {family: X, given: AB}\n    - {famly: Y}\n"
    ))

    with pytest.raises(ChannelError) as caught:
        load_library_source(path)[0]

    assert [str(p) for p in caught.value.problems] == [
        "references.yaml:3: k: unknown key 'containertitle'; did you mean 'container-title'?",
        "references.yaml:6: k.author[1]: unknown key 'famly'; did you mean 'family'?",
    ]


def test_opening_a_workspace_reports_channel_and_library_problems_together(here):
    here.write("channel.yaml", "name: C\n")
    here.write("references.yaml", "k:\n  titel: Y\n")

    with pytest.raises(InputError) as caught:
        Workspace.open(here.root)

    paths = {p.path for p in caught.value.problems}
    assert paths == {"channel.yaml", "references.yaml"}
    assert "references.yaml:2: k: unknown key 'titel'; did you mean 'title'?" in str(caught.value)


# --- find_channel_file ----------------------------------------------------------------------------


def test_the_channel_file_is_found_from_a_subfolder(channel):
    deep = channel.root / "episodes" / "drafts"
    deep.mkdir(parents=True)

    assert find_channel_file(deep) == (channel.root / "channel.yaml").resolve()


def test_channel_given_as_a_folder_or_a_file_is_used(channel, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    expected = (channel.root / "channel.yaml").resolve()

    assert find_channel_file(elsewhere, channel.root) == expected
    assert find_channel_file(elsewhere, channel.root / "channel.yaml") == expected


def test_a_channel_option_without_channel_yaml_is_refused(channel, tmp_path_factory):
    empty = tmp_path_factory.mktemp("empty")

    with pytest.raises(ChannelError) as caught:
        find_channel_file(channel.root, empty)

    assert str(caught.value) == f"{empty}: no channel.yaml there"


def test_no_channel_file_anywhere_says_to_use_the_channel_option(tmp_path_factory):
    lonely = tmp_path_factory.mktemp("lonely")

    with pytest.raises(ChannelError) as caught:
        find_channel_file(lonely)

    assert str(caught.value) == f"{lonely}: no channel.yaml here or in any parent folder; use --channel"


def test_a_relative_start_folder_is_resolved(here):
    assert find_channel_file(Path("episodes")) == (here.root / "channel.yaml").resolve()


def test_keys_named_key_or_entry_are_reported_like_any_other(channel, run_cli):
    channel.episode("test-episode", "title: T\nsummary: [x]\nkey: 1\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert "episodes/test-episode.yaml:3: unknown key 'key'" in result.err
    channel.episode("test-episode", "title: T\nsummary: [x]\nupload: {entry: x}\n")
    result = run_cli("check", cwd=channel.root)
    assert "episodes/test-episode.yaml:3: upload: unknown key 'entry'" in result.err


def test_a_library_entry_whose_key_is_entry_is_located_at_its_own_line(channel, run_cli):
    channel.write("references.yaml", "kang2012:\n  title: A\nentry:\n  titel: X\n")
    result = run_cli("check", cwd=channel.root)
    assert "references.yaml:4: entry: unknown key 'titel'; did you mean 'title'?" in result.err
