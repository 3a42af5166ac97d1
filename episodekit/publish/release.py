"""The weekly release: check, render, then upload the next episode that is due.

Meant for cron or CI (``scripts/weekly-release``). Every episode is built once;
the same builds are rendered and planned. It only looks; the upload happens
with ``apply=True`` (in ``episodekit.youtube.uploader``), otherwise it is a dry run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import EpisodekitError, Problem, command_line
from ..pipeline.build import BuildReport, EpisodeBuild, build_episodes
from ..pipeline.output import render_to
from ..workspace import Workspace
from .localfiles import Origin, channel_file
from .upload import UploadPlan, plan_upload


@dataclass
class ReleaseCheck:
    """What the weekly run found: the episode due next (if any) and the channel's problems."""

    due: EpisodeBuild | None
    plan: UploadPlan | None
    problems: list[Problem] = field(default_factory=list)
    rendered: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # why earlier episodes were passed over

    def as_json(self, dry_run: dict[str, Any] | None = None, uploaded: dict[str, Any] | None = None) -> dict[str, Any]:
        """The document of ``release --json``: what was found, with the dry run's requests
        (``episodekit.youtube.requests.dry_run``) or the upload (``episodekit.youtube.uploader.upload_document``)."""
        return {"problems": [p.as_dict() for p in self.problems], "skipped": list(self.skipped),
                "rendered": sorted({str(path.parent.name) for path in self.rendered}),
                "due": self.due.shown if self.due is not None and self.plan is not None else None,
                "dry_run": dry_run, "uploaded": uploaded}


def prepare_release(ws: Workspace, out_dir: Path, now: datetime | None = None,
                    progress: Callable[[int, int], None] | None = None) -> ReleaseCheck:
    """Check every episode, render the valid ones, and plan the upload of the next one due.

    ``progress(done, total)`` is called after each episode is checked.
    """
    now = now or datetime.now(UTC)
    report = build_episodes(ws, ws.episode_paths(), now, progress=progress)
    rendered = render_to(report.valid, out_dir)
    due, skipped = next_due(ws, report, now)
    plan = plan_upload(ws, due, now=now) if due is not None else None
    return ReleaseCheck(due, plan, report.problems, rendered, skipped)


def next_due(ws: Workspace, report: BuildReport, now: datetime) -> tuple[EpisodeBuild | None, list[str]]:
    """The earliest future episode not uploaded yet that is valid and has its video file."""
    skipped = []
    upcoming = sorted(
        (b for b in report.builds if b.slot is not None and b.slot.utc > now), key=lambda b: b.slot.utc
    )
    for build in upcoming:
        entry = ws.ledger.episodes.get(build.slug)
        if entry is not None and entry.video_id:
            if entry.pending:
                skipped.append(f"{build.shown}: uploaded, but {', '.join(entry.pending)} still to do; "
                               f"run {command_line('upload ' + build.slug)} to finish")
            continue
        if not build.ok or build.loaded is None:
            skipped.append(f"{build.shown}: not valid; run {command_line(f'check {build.shown}')}")
            continue
        reason = _why_no_video(ws, build)
        if reason is not None:
            skipped.append(reason)
            continue
        return build, skipped
    return None, skipped


def _why_no_video(ws: Workspace, build: EpisodeBuild) -> str | None:
    """Why the episode's ``upload.video`` cannot be sent (None: it can): not set, not there yet, or a path
    that ``upload`` refuses (outside the channel folder, also through a link)."""
    assert build.loaded is not None
    video = build.loaded.model.upload.video
    if not video:
        return f"{build.shown}: no video file yet (upload.video is not set)"
    origin = Origin("upload.video", build.shown, build.loaded.line_of("upload", "video"))
    hint = f"or upload it with {command_line(f'upload {build.slug} --video FILE')}"
    try:
        path = channel_file(ws.root, video, origin, hint)
    except EpisodekitError as exc:
        return str(exc)
    return None if path.is_file() else f"{build.shown}: no video file yet ({video})"
