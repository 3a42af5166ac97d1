"""`[@key]` in a place published as written (a script heading, a chapter title, the episode's or a
video's title) never becomes a cue: `check` warns at the line where it was written."""

from __future__ import annotations

import json

EPISODE = """\
title: Genes [@kang2012] and mood
summary: [First paragraph.]
script:
  - heading: Synapses [@serafini2012]
    body: Synapses are lost [@serafini2012].
chapters:
  - {at: "0:00", title: Intro}
  - {at: "0:30", title: "Genes [@kang2012]"}
  - {at: "1:00", title: End}
videos:
  - {title: "A talk [@kang2012]", url: https://youtu.be/2z5krS51pNg}
citations: [kang2012]
"""


def test_markers_in_headings_and_titles_are_warned_at_their_lines(channel, run_cli):
    channel.episode("test-episode", EPISODE)
    result = run_cli("check", "--json", cwd=channel.root)
    assert result.code == 0, result.err  # warnings only
    found = {(p["line"], p["field"]) for p in json.loads(result.out)
             if p["severity"] == "warning" and "stays as written here" in p["message"]}
    assert found == {(1, "title"), (4, "script[0].heading"), (8, "chapters[1].title"), (11, "videos[0].title")}
    shown = run_cli("check", cwd=channel.root).err
    assert ("episodes/test-episode.yaml:4: warning: script[0].heading: '[@serafini2012]' stays as written here"
            in shown)


def test_a_marker_in_a_body_is_not_warned(channel, run_cli):
    result = run_cli("check", "--json", cwd=channel.root)
    assert result.code == 0
    assert not [p for p in json.loads(result.out) if "stays as written here" in p["message"]]
