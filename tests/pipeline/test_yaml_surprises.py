"""YAML 1.1 reads some unquoted words as something else; in a text field the words are kept as written.

``no``/``on``/``yes``/``off`` are yes/no values, ``1:05`` is the number 65, ``3.10`` is 3.1 and
``2024-01-01`` a date. A creator who writes them in a title, a tag or a chapter means the text.
"""

from __future__ import annotations

from episodekit.pipeline.build import build_valid
from episodekit.workspace import Workspace

WORDS = """\
title: 1984
summary:
  - yes
  - 3.10
script:
  - heading: on
    body: Off we go [@kang2012].
  - heading: 2024-01-01
    body: 0x1F
tags: [no, on, Yes, OFF, true, 2024, 1_000, 3.10]
chapters:
  - {at: 0:00, title: no}
  - {at: 1:05, title: 3.10}
  - {at: 1:02:03, title: off}
videos:
  - {url: https://youtu.be/2z5krS51pNg, title: 1:05}
"""


def test_yes_no_on_off_and_numbers_in_text_fields_are_the_words_as_written(channel, run_cli):
    channel.episode("words", WORDS)
    result = run_cli("check", "episodes/words.yaml", cwd=channel.root)
    assert result.code == 0, result.err
    description = run_cli("preview", "words", cwd=channel.root).out
    assert description.startswith("yes\n\n3.10\n")
    assert "0:00 no\n1:05 3.10\n1:02:03 off\n" in description
    assert "1:05 https://youtu.be/2z5krS51pNg" in description
    script = run_cli("preview", "words", "--part", "script", cwd=channel.root).out
    assert script.startswith("# 1984\n")
    assert "## on" in script.splitlines() and "## 2024-01-01" in script.splitlines()
    assert "0x1F" in script


def test_tags_no_and_on_are_sent_as_the_words(channel):
    channel.episode("words", WORDS)
    ws = Workspace.open(channel.root)
    rendered = build_valid(ws, channel.root / "episodes" / "words.yaml").rendered
    assert rendered.tags == ["science", "no", "on", "Yes", "OFF", "true", "2024", "1_000", "3.10"]


def test_an_unquoted_release_time_is_read_as_written(channel, run_cli):
    channel.write("channel.yaml", (channel.root / "channel.yaml").read_text().replace('"09:00"', "09:00"))
    assert run_cli("check", cwd=channel.root).code == 0
    release = run_cli("preview", "test-episode", cwd=channel.root).err
    assert "release: Wed " in release and " 09:00 " in release


def test_a_number_that_is_not_a_time_is_refused_not_turned_into_one(channel, run_cli):
    # 900 was once read as 900 minutes past midnight, 15:00
    channel.write("channel.yaml", (channel.root / "channel.yaml").read_text().replace('"09:00"', "900"))
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert "channel.yaml:6: slots[0].time: '900' is not a 24-hour time like '09:00'" in result.err


def test_a_chapter_time_that_is_not_a_timestamp_says_so_as_written(channel, run_cli):
    channel.episode("test-episode", "title: T\nsummary: [x]\nchapters:\n  - {at: 65, title: Start}\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert "episodes/test-episode.yaml:4: chapters[0].at: '65' is not a timestamp like 0:00" in result.err


def test_a_norwegian_language_code_is_not_false(channel, run_cli):
    channel.episode("test-episode", "title: T\nsummary: [x]\nupload: {language: no}\n")
    assert run_cli("check", cwd=channel.root).code == 0
    ws = Workspace.open(channel.root)
    assert ws.load(channel.root / "episodes" / "test-episode.yaml").model.upload.language == "no"


def test_a_numeric_citation_key_is_a_key(channel, run_cli):
    channel.write("references.yaml", (channel.root / "references.yaml").read_text().replace("kang2012:", "2012:"))
    channel.episode("test-episode", "title: T\nsummary: [x]\nscript: [{heading: H, body: 'Cited [@2012].'}]\n"
                    "citations: [2012]\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 0, result.err


def test_disclaimer_no_means_none_and_yes_the_channels(channel, run_cli):
    channel.episode("test-episode", "title: T\nsummary: [x]\ndisclaimer: no\n")
    assert "Education only" not in run_cli("preview", "test-episode", cwd=channel.root).out
    channel.episode("test-episode", "title: T\nsummary: [x]\ndisclaimer: yes\n")
    assert "Education only, not medical advice." in run_cli("preview", "test-episode", cwd=channel.root).out


def test_a_channel_disclaimer_false_means_none(channel, run_cli):
    text = (channel.root / "channel.yaml").read_text()
    channel.write("channel.yaml", text.replace('disclaimer: "Education only, not medical advice."', "disclaimer: off"))
    result = run_cli("preview", "test-episode", cwd=channel.root)
    assert result.code == 0, result.err
    assert "Education only" not in result.out and "off" not in result.out.split()


def test_quoted_values_are_never_touched(channel, run_cli):
    channel.episode("test-episode", "title: 'no'\nsummary: ['3.10']\nextra: 'no'\n")
    assert run_cli("check", cwd=channel.root).code == 0
    episode = Workspace.open(channel.root).load(channel.root / "episodes" / "test-episode.yaml").model
    assert (episode.title, episode.summary, episode.extra) == ("no", ["3.10"], False)


def test_yes_no_still_work_where_a_yes_no_value_is_wanted(channel, run_cli):
    channel.episode("test-episode", "title: T\nsummary: [x]\nextra: yes\nupload: {made_for_kids: no}\n")
    assert run_cli("check", cwd=channel.root).code == 0
    episode = Workspace.open(channel.root).load(channel.root / "episodes" / "test-episode.yaml").model
    assert episode.extra is True and episode.upload.made_for_kids is False


# --- text that cannot be published as it is -------------------------------------------------

BAD_TEXT = {
    "zero-width only title": (
        'title: "\\u200b\\u200b"', "title: has no visible characters"),
    "hangul filler title": ('title: "\\u3164"', "title: has no visible characters"),
    "title with a line break": ("title: |\n  One\n  Two", "title: is one line of text but contains a line break"),
    "title with a control character": ('title: "Ring \\a ring"', "title: contains the control character U+0007"),
    "title with a tab": ('title: "Tab\\there"', "title: contains a tab; use a space"),
    "tag with a line break": ('title: T\ntags: ["a\\nb"]', "tags[0]: is one line"),
    "chapter title of a blank braille pattern": (
        "title: T\nchapters:\n  - {at: '0:00', title: \"\\u2800\"}", "chapters[0].title: has no visible"),
    "heading of no-break spaces": (
        'title: T\nscript: [{heading: "\\u00a0\\u00a0", body: x}]', "script[0].heading: may not be empty"),
    "summary with a control character": ('title: T\nsummary: ["x\\x1b[31m red"]', "summary[0]: contains the control character U+001B"),
}


def test_text_that_cannot_be_published_is_an_error_at_its_line(channel, run_cli):
    for case, (yaml_text, expected) in BAD_TEXT.items():
        body = yaml_text if "summary" in yaml_text else yaml_text + "\nsummary: [x]"
        channel.episode("bad", body + "\n")
        result = run_cli("check", "episodes/bad.yaml", cwd=channel.root)
        assert result.code == 1, case
        assert "episodes/bad.yaml:" in result.err and expected in result.err, (case, result.err)
        assert "Traceback" not in result.err, case


def test_a_doi_with_a_space_is_an_error(channel, run_cli):
    channel.write("references.yaml", (channel.root / "references.yaml").read_text().replace(
        "DOI: 10.1038/nm.2886", "DOI: 10.1038/nm 2886"))
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert "references.yaml:12: kang2012.DOI: '10.1038/nm 2886' is not a DOI: a DOI has no spaces" in result.err


def test_a_url_that_is_not_a_web_address_is_an_error(channel, run_cli):
    channel.write("references.yaml", (channel.root / "references.yaml").read_text().replace(
        "DOI: 10.1038/nm.2886", "URL: not a url"))
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert "references.yaml:12: kang2012.URL: 'not a url' is not a web address" in result.err


def test_an_empty_text_field_says_it_is_empty(channel, run_cli):
    channel.episode("test-episode", "title:\nsummary: [x]\ntags: [a, ~]\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert "episodes/test-episode.yaml:1: title: is empty (nothing, ~ and null mean no value)" in result.err
    assert "episodes/test-episode.yaml:3: tags[1]: is empty" in result.err
    assert "NoneType" not in result.err
