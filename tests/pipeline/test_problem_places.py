"""A '<' or '>' that YouTube would reject is reported once, at the file and line where it was written."""

from __future__ import annotations

import json

import pytest

from episodekit.models.text import FORBIDDEN_MESSAGE

FIXTURE_EPISODE = "episodes/test-episode.yaml"


def _check(run_cli, channel, *paths):
    result = run_cli("check", "--json", *paths, cwd=channel.root)
    return result.code, [(p["path"], p["line"], p["field"], p["severity"]) for p in json.loads(result.out)
                         if "'<'" in p["message"] or "‹" in p["message"]]


def _replace(channel, relative, old, new):
    path = channel.root / relative
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


EPISODE = """\
title: Places
summary:
  - First paragraph.
  - Second paragraph.
script:
  - heading: Start
    body: Some words [@kang2012].
videos:
  - title: Another video
    url: https://youtu.be/2z5krS51pNg
  - episode: test-episode
chapters:
  - at: "0:00"
    title: Intro
  - at: "0:30"
    title: Middle part
  - at: "1:00"
    title: End
tags:
  - sleep
  - mood
"""


@pytest.fixture
def places(channel):
    channel.episode("places", EPISODE)
    return channel


@pytest.mark.parametrize("old, new, line, field", [
    ("title: Another video", "title: Another <video>", 9, "videos[0].title"),
    ("title: Middle part", "title: Middle -> part", 16, "chapters[1].title"),
    ("  - Second paragraph.", "  - Second > first.", 4, "summary[1]"),
    ("  - mood", "  - mood<3", 21, "tags[1]"),
    ("tags:\n", "disclaimer: Not <advice>.\ntags:\n", 19, "disclaimer"),
])
def test_episode_text_is_reported_at_its_own_line(old, new, line, field, places, run_cli):
    _replace(places, "episodes/places.yaml", old, new)
    code, found = _check(run_cli, places, "episodes/places.yaml")
    assert code == 1
    assert found == [("episodes/places.yaml", line, field, "error")]


def test_a_linked_episodes_title_is_reported_in_that_episodes_file(places, run_cli):
    _replace(places, FIXTURE_EPISODE, "title: A Test Episode", "title: A <Test> Episode")
    code, found = _check(run_cli, places, "episodes/places.yaml")
    assert code == 1
    assert found == [(FIXTURE_EPISODE, 1, "title", "error")]


@pytest.mark.parametrize("old, new, line, field", [
    ('disclaimer: "Education only, not medical advice."', 'disclaimer: "Education only, <not> advice."',
     8, "disclaimer"),
    ("Subscribe: {subscribe_url}", "Subscribe -> {subscribe_url}", 7, "schedule_line"),
    ("tags: [science]", "tags:\n  - science\n  - <3 science", 11, "tags[1]"),
])
def test_channel_text_is_reported_once_at_channel_yaml(old, new, line, field, places, run_cli):
    _replace(places, "channel.yaml", old, new)
    result = run_cli("check", cwd=places.root)
    assert result.code == 1
    reported = [line for line in result.err.splitlines() if "'<' or '>'" in line]
    assert reported == [f"channel.yaml:{line}: {field}: {FORBIDDEN_MESSAGE}"], result.err
    assert run_cli("render", cwd=places.root).code == 1  # and nothing is sendable


def test_the_channel_name_is_reported_where_the_schedule_line_uses_it(places, run_cli):
    _replace(places, "channel.yaml", "name: Test Channel", "name: Test <Channel>")
    _replace(places, "channel.yaml", "Subscribe: {subscribe_url}", "{channel}: {subscribe_url}")
    code, found = _check(run_cli, places)
    assert code == 1 and found == [("channel.yaml", 1, "name", "error")]


def test_an_episode_with_its_own_disclaimer_is_not_blamed_for_the_channels(places, run_cli):
    _replace(places, "channel.yaml", "Education only, not medical advice.", "Education <only>.")
    places.episode("own", "title: Own\nsummary: [One.]\ndisclaimer: My own words.\n")
    assert _check(run_cli, places, "episodes/own.yaml") == (0, [])


def test_a_reference_title_in_the_library_is_a_warning_at_its_line_and_stays_safe(places, run_cli):
    _replace(places, "references.yaml", "title: Decreased expression", "title: Fewer <than> expected, decreased expression")
    code, found = _check(run_cli, places)
    assert code == 0
    assert found == [("references.yaml", 6, "kang2012.title", "warning")]
    preview = run_cli("preview", "places", "--part", "references", cwd=places.root)
    assert "Fewer ‹than› expected" in preview.out and "<" not in preview.out


def test_an_author_name_in_the_library_is_reported_at_its_line(places, run_cli):
    _replace(places, "references.yaml", "- {family: Voleti, given: B.}", "- {family: Vo>leti, given: B.}")
    code, found = _check(run_cli, places, "episodes/places.yaml")
    assert found == [("references.yaml", 4, "kang2012.author[1].family", "warning")]


def test_an_inline_reference_is_reported_in_the_episode(places, run_cli):
    places.episode("inline", "title: Inline\nsummary: [One.]\ncitations:\n  - id: x2020\n"
                   "    title: Why a < b\n    issued: 2020\n")
    code, found = _check(run_cli, places, "episodes/inline.yaml")
    assert found == [("episodes/inline.yaml", 5, "citations[0].title", "warning")]


def test_csl_markup_in_a_reference_title_is_not_reported(places, run_cli):
    _replace(places, "references.yaml", "title: Decreased expression", "title: <i>Decreased</i> expression")
    assert _check(run_cli, places) == (0, [])


def test_a_template_of_the_channel_is_reported_at_its_line(places, run_cli):
    places.write("templates/description.txt.j2", "{% for p in episode.summary %}\n{{ p }}\n{% endfor %}\n"
                 "{% if 1 < 2 %}\n--> {{ schedule_line }}\n{% endif %}\n")
    code, found = _check(run_cli, places, "episodes/places.yaml")
    assert code == 1
    assert found == [("templates/description.txt.j2", 5, "", "error")]
