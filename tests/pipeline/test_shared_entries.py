"""A library entry cited by many episodes is looked at once per run, and still reported where it was written."""

from __future__ import annotations

from testkit import EPISODE_YAML, REFERENCES_YAML

from episodekit.pipeline.build import build_episodes
from episodekit.workspace import Workspace


def test_a_bracket_in_a_shared_entry_is_one_warning_at_its_line_in_the_library(channel, run_cli):
    channel.write("references.yaml", REFERENCES_YAML.replace("Neuroplasticity and", "Neuroplasticity <and>"))
    channel.episode("second", EPISODE_YAML.replace("A Test Episode", "A Second Episode"))
    result = run_cli("check", cwd=channel.root)
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if "'‹' or '›'" in line]
    assert len(warnings) == 1 and warnings[0].startswith("references.yaml:15: warning: serafini2012.title:")


def test_a_library_read_again_is_looked_at_again(channel):
    ws = Workspace.open(channel.root)
    first = build_episodes(ws, ws.episode_paths()).builds[0]
    assert not any("'‹'" in p.message for p in first.problems)
    channel.write("references.yaml", REFERENCES_YAML.replace("Neuroplasticity and", "Neuroplasticity <and>"))
    fresh = Workspace.open(channel.root)  # the library read again, into the workspace that looked before
    ws.library, ws.library_doc = fresh.library, fresh.library_doc
    again = build_episodes(ws, ws.episode_paths()).builds[0]
    assert any("'‹'" in p.message for p in again.problems)
