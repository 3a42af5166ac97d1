"""`status`: which episodes are drafts, scheduled or published, and which live descriptions are stale, and why."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from episodekit.ledger import save_ledger
from episodekit.models.ledger import LedgerEntry
from episodekit.pipeline import render
from episodekit.pipeline.build import build_episodes
from episodekit.publish.fingerprint import input_fingerprints
from episodekit.publish.status import (
    NO_FINGERPRINTS,
    OUTPUT_CHANGED,
    EpisodeStatus,
    episode_statuses,
)
from episodekit.workspace import Workspace
from tests.conftest import CHANNEL_YAML, REFERENCES_YAML

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)  # a Monday; the next slot is Wed 2026-01-07 09:00 New York
NEXT_SLOT = datetime(2026, 1, 7, 14, 0, tzinfo=UTC)
VIDEO_IDS = {"test-episode": "AAAAAAAAAAA", "serafini-only": "BBBBBBBBBBB", "no-disclaimer": "CCCCCCCCCCC"}

SERAFINI_ONLY = """\
title: Only Serafini
schedule: "2026-01-14 09:00"
summary: [About plasticity.]
citations: [serafini2012]
"""
NO_DISCLAIMER = """\
title: No Disclaimer Here
schedule: "2026-01-21 09:00"
summary: [Plain.]
disclaimer: none
"""


def statuses(root: Path) -> dict[str, EpisodeStatus]:
    return {row.slug: row for row in episode_statuses(Workspace.open(root), NOW)}


def record_uploads(root: Path, *slugs: str, with_inputs: bool = True) -> None:
    """Write the ledger as an upload of ``slugs`` (in order) from the current render would."""
    for slug in slugs:
        ws = Workspace.open(root)
        build = build_episodes(ws, [ws.episodes_dir / f"{slug}.yaml"], NOW).builds[0]
        assert build.ok and build.rendered is not None, build.problems
        rendered = build.rendered
        entry = LedgerEntry(
            video_id=VIDEO_IDS[slug],
            publish_at=build.slot.utc if build.slot else None,
            uploaded_at=NOW,
            sent=rendered.sent_hashes(),
            inputs=input_fingerprints(ws, build) if with_inputs else {},
        )
        save_ledger(ws.ledger_path, ws.ledger.with_entry(slug, entry))


def uploaded_channel(channel) -> Path:  # noqa: ANN001
    channel.episode("serafini-only", SERAFINI_ONLY)
    channel.episode("no-disclaimer", NO_DISCLAIMER)
    record_uploads(channel.root, "test-episode", "serafini-only", "no-disclaimer")
    return channel.root


def test_a_fresh_channel_shows_scheduled_draft_and_invalid_episodes(channel):
    channel.episode("someday", "title: Someday\nsummary: [Not planned yet.]\n")
    channel.episode("broken", "title: Broken\nsummary: [x]\ncitations: [nobody2020]\n")

    rows = episode_statuses(Workspace.open(channel.root), NOW)

    by_slug = {row.slug: row for row in rows}
    assert by_slug["test-episode"].state == "scheduled"
    assert by_slug["test-episode"].release == NEXT_SLOT
    assert by_slug["someday"].state == "draft" and by_slug["someday"].release is None
    assert by_slug["broken"].state == "invalid"
    assert not any(row.stale or row.video_id for row in rows)
    assert [row.slug for row in rows][0] == "test-episode"  # dated episodes first, drafts last
    assert all(row.path.endswith(f"{row.slug}.yaml") for row in rows)


def test_episodes_uploaded_from_the_current_render_are_not_stale(channel):
    root = uploaded_channel(channel)

    rows = statuses(root)

    assert {slug: (row.video_id, row.stale, row.causes) for slug, row in rows.items()} == {
        slug: (VIDEO_IDS[slug], False, []) for slug in VIDEO_IDS
    }


def test_fixing_one_reference_makes_exactly_the_episodes_citing_it_stale(channel):
    root = uploaded_channel(channel)
    channel.write("references.yaml", REFERENCES_YAML.replace("page: 1413-1417", "page: 1413-1418"))

    rows = statuses(root)

    assert rows["test-episode"].stale
    assert rows["test-episode"].causes == ["reference kang2012"]
    assert not rows["serafini-only"].stale and rows["serafini-only"].causes == []
    assert not rows["no-disclaimer"].stale


def test_changing_the_disclaimer_makes_inheriting_episodes_stale_but_not_one_without_it(channel):
    root = uploaded_channel(channel)
    channel.write("channel.yaml", CHANNEL_YAML.replace("not medical advice", "not medical or legal advice"))

    rows = statuses(root)

    assert rows["test-episode"].causes == ["disclaimer"]
    assert rows["serafini-only"].causes == ["disclaimer"]
    assert not rows["no-disclaimer"].stale and rows["no-disclaimer"].causes == []


def test_moving_the_release_slot_changes_the_schedule_sentence_of_every_video(channel):
    root = uploaded_channel(channel)
    channel.write("channel.yaml", CHANNEL_YAML.replace("weekday: wednesday", "weekday: thursday"))

    rows = statuses(root)

    assert all(row.stale and row.causes == ["schedule sentence"] for row in rows.values())


def test_a_channel_override_of_the_description_template_is_named_as_the_cause(channel):
    root = uploaded_channel(channel)
    packaged = (Path(render.__file__).parent.parent / "templates" / "description.txt.j2").read_text(encoding="utf-8")
    channel.write("templates/description.txt.j2", packaged + "\nThanks for watching!\n")

    rows = statuses(root)

    assert all(row.stale and row.causes == ["template description.txt.j2"] for row in rows.values())


def test_editing_the_episode_file_itself_is_named_as_the_cause(channel):
    root = uploaded_channel(channel)
    path = root / "episodes" / "serafini-only.yaml"
    path.write_text(SERAFINI_ONLY.replace("About plasticity.", "About neuroplasticity."), encoding="utf-8")

    rows = statuses(root)

    assert rows["serafini-only"].causes == ["episode file"]
    assert not rows["test-episode"].stale


def test_retitling_a_linked_episode_makes_the_linking_description_stale(channel):
    linked = SERAFINI_ONLY.replace("2026-01-14", "2026-01-07")  # out before the episode that links to it
    channel.episode("serafini-only", linked)
    linking = (channel.root / "episodes" / "test-episode.yaml").read_text(encoding="utf-8")
    channel.episode("test-episode", linking + "videos:\n  - episode: serafini-only\n")
    record_uploads(channel.root, "serafini-only", "test-episode")
    channel.episode("serafini-only", linked.replace("Only Serafini", "Only Serafini, Revised"))

    rows = statuses(channel.root)

    assert rows["test-episode"].causes == ["linked episode serafini-only"]
    assert rows["serafini-only"].causes == ["episode file"]


@pytest.mark.parametrize(
    ("publish_at", "state"),
    [("2025-12-31T14:00:00Z", "published"), ("2026-01-14T14:00:00Z", "scheduled")],
)
def test_an_uploaded_video_is_published_once_its_release_time_has_passed(channel, publish_at, state):
    channel.write("published.yaml", f"""\
        episodes:
          test-episode:
            video_id: AAAAAAAAAAA
            publish_at: '{publish_at}'
            uploaded_at: '2025-12-20T10:00:00Z'
        """)

    row = statuses(channel.root)["test-episode"]

    assert (row.state, row.video_id) == (state, "AAAAAAAAAAA")
    assert row.release == datetime.fromisoformat(publish_at)


def test_an_upload_that_started_and_did_not_finish_is_uploading(channel):
    channel.write("published.yaml", """\
        episodes:
          test-episode:
            upload_started_at: '2026-01-05T11:00:00Z'
        """)

    row = statuses(channel.root)["test-episode"]

    assert (row.state, row.video_id, row.stale) == ("uploading", None, False)


def test_a_stale_video_without_recorded_fingerprints_has_an_unknown_cause(channel):
    record_uploads(channel.root, "test-episode", with_inputs=False)
    channel.write("references.yaml", REFERENCES_YAML.replace("volume: 18", "volume: 19"))

    row = statuses(channel.root)["test-episode"]

    assert row.stale and row.causes == [NO_FINGERPRINTS]


def test_a_stale_video_whose_inputs_did_not_change_blames_episodekits_output(channel):
    record_uploads(channel.root, "test-episode")
    ws = Workspace.open(channel.root)
    entry = ws.ledger.episodes["test-episode"]
    assert entry.sent is not None
    older = entry.model_copy(update={"sent": entry.sent.model_copy(update={"description": "0" * 64})})
    save_ledger(ws.ledger_path, ws.ledger.with_entry("test-episode", older))

    row = statuses(channel.root)["test-episode"]

    assert row.stale and row.causes == [OUTPUT_CHANGED]
