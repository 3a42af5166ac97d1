"""The upload plan: what uploading an episode will send, decided before any network call.

``plan_upload`` turns a checked episode into the body of ``videos.insert`` and
the follow-up steps (thumbnail, playlist), and refuses what must not be
uploaded. It is pure: the requests themselves are built from the plan by
``episodekit.youtube.requests``, the same objects for a dry run and a real run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import MissingFileError, RefusedError, command_line
from ..pipeline import schedule
from ..pipeline.build import EpisodeBuild, require_valid
from ..workspace import Workspace
from .fingerprint import input_fingerprints

FOLLOW_UPS = ("thumbnail", "playlist")  # steps after the video, in order, as the ledger names them


@dataclass(frozen=True)
class UploadPlan:
    """Everything one upload sends, decided before any network call."""

    slug: str
    episode_file: str
    body: dict[str, Any]
    tags: list[str]
    video: Path | None
    thumbnail: Path | None
    playlist: str | None
    publish_at: datetime | None
    notes: list[str] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)  # fingerprints, for `status` to name causes

    @property
    def title(self) -> str:
        return self.body["snippet"]["title"]

    @property
    def description(self) -> str:
        return self.body["snippet"]["description"]

    @property
    def sent(self) -> dict[str, Any]:
        """The owned fields as sent: title, description and tags."""
        return {"title": self.title, "description": self.description, "tags": self.tags}

    @property
    def follow_ups(self) -> list[str]:
        """The steps this plan asks for once the video is up."""
        wanted = {"thumbnail": self.thumbnail, "playlist": self.playlist}
        return [step for step in FOLLOW_UPS if wanted[step]]


def plan_upload(
    ws: Workspace, build: EpisodeBuild, video: Path | None = None, now: datetime | None = None,
    resume: bool = False,
) -> UploadPlan:
    """Decide what to send for ``build`` (a valid episode of ``ws``); refuse what must not be uploaded."""
    now = now or datetime.now(UTC)
    require_valid([build])
    rendered, loaded = build.rendered, build.loaded
    assert rendered is not None and loaded is not None
    entry = ws.ledger.episodes.get(build.slug)
    if entry is not None and entry.video_id and not entry.pending and not resume:
        raise RefusedError(
            f"{build.shown}: already uploaded as video {entry.video_id} (https://youtu.be/{entry.video_id}); "
            f"to change its description use {command_line('sync')}"
        )
    _refuse_missing_links(ws, build)
    settings, defaults = loaded.model.upload, ws.channel.upload
    publish_at = build.slot.utc if build.slot is not None and build.slot.utc > now else None
    status: dict[str, Any] = {
        "privacyStatus": "private" if publish_at else (settings.privacy or defaults.privacy),
        "selfDeclaredMadeForKids": _first(settings.made_for_kids, defaults.made_for_kids),
    }
    if publish_at is not None:
        status["publishAt"] = schedule.to_rfc3339_utc(publish_at)
    snippet = {
        **rendered.as_sent(),
        "categoryId": str(_first(settings.category, defaults.category)),
        "defaultLanguage": settings.language or defaults.language,
    }
    notes = [] if publish_at else ["no future release time: the video is not scheduled"]
    return UploadPlan(
        slug=rendered.slug,
        episode_file=build.shown,
        body={"snippet": snippet, "status": status},
        tags=rendered.tags,
        video=_channel_path(ws, video or settings.video),
        thumbnail=_channel_path(ws, settings.thumbnail),
        playlist=settings.playlist or defaults.playlist,
        publish_at=publish_at,
        notes=notes + [str(p) for p in build.problems if not p.is_error],
        inputs=input_fingerprints(ws, build),
    )


def _first(value: Any, default: Any) -> Any:
    return default if value is None else value


def _channel_path(ws: Workspace, value: str | Path | None) -> Path | None:
    if value is None:
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else (Path.cwd() / path if isinstance(value, Path) else ws.root / path)


def _refuse_missing_links(ws: Workspace, build: EpisodeBuild) -> None:
    assert build.loaded is not None
    for video in build.loaded.model.videos:
        if video.episode and not ws.ledger.video_id(video.episode):
            raise RefusedError(
                f"{build.shown}: links to episode {video.episode!r}, which has no video yet; upload it first"
            )


def require_video(plan: UploadPlan) -> Path:
    """The plan's video file; ``MissingFileError`` saying how to give one when it is not there."""
    if plan.video is None:
        raise MissingFileError(f"{plan.episode_file}: no video file: pass --video FILE or set upload.video")
    if not plan.video.is_file():
        raise MissingFileError(f"{plan.video}: no such video file")
    return plan.video


def require_thumbnail(plan: UploadPlan) -> Path | None:
    """The plan's thumbnail, if it has one; ``MissingFileError`` when the file is not there."""
    if plan.thumbnail is not None and not plan.thumbnail.is_file():
        raise MissingFileError(f"{plan.thumbnail}: no such thumbnail file")
    return plan.thumbnail
