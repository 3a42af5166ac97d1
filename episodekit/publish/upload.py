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
from typing import Any, get_args

from ..errors import MissingFileError, RefusedError, command_line
from ..models.channel import UploadDefaults
from ..models.episode import UploadSettings, video_url
from ..models.ledger import FollowUp
from ..paths import shown_path
from ..pipeline import schedule
from ..pipeline.build import EpisodeBuild, require_valid
from ..pipeline.ledgercheck import look_alike, move_command
from ..pipeline.limits import sent_description
from ..pipeline.places import channel_place, episode_place
from ..workspace import Workspace
from .captiontrack import TrackToSend, track_to_send, video_file, wants_track
from .fingerprint import input_fingerprints
from .localfiles import Origin, channel_file, check_thumbnail, check_video

FOLLOW_UPS: tuple[str, ...] = get_args(FollowUp)  # steps after the video, in order, as the ledger names them
GONE = {"captions": "the episode sends no caption track now (captions.upload is no, or it has no script)"}
VIDEO = "video"  # the first step of a fresh upload: videos.insert


@dataclass(frozen=True)
class StepWords:
    """How messages speak of one follow-up step (``{playlist}`` is the plan's playlist id)."""

    to_do: str  # in a question: "Finish x (video y): set the thumbnail?"
    done: str  # once it succeeded: "x: thumbnail set"
    failed: str  # once YouTube refused it: "the thumbnail was not set: ..."


STEP_WORDS: dict[str, StepWords] = {
    "thumbnail": StepWords("set the thumbnail", "thumbnail set", "the thumbnail was not set"),
    "playlist": StepWords("add it to playlist {playlist}", "added to playlist {playlist}",
                          "it was not added to playlist {playlist}"),
    "captions": StepWords("send the captions", "captions sent, {captions}", "the captions were not sent"),
}


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
    video_id: str | None = None  # already uploaded: only the pending follow-ups are left
    steps: list[str] = field(default_factory=list)  # what this run sends, in order: the video (unless it is
    # up already: then only the pending follow-ups that are still configured), then the follow-ups
    dropped: list[str] = field(default_factory=list)  # pending follow-ups whose setting was removed
    origins: dict[str, Origin] = field(default_factory=dict)  # where each local file's path was given
    captions: TrackToSend | None = None  # the caption track, when this run sends it

    @property
    def title(self) -> str:
        """The video's title."""
        return self.body["snippet"]["title"]

    @property
    def description(self) -> str:
        """The video's description."""
        return self.body["snippet"]["description"]

    @property
    def sent(self) -> dict[str, Any]:
        """The owned fields as sent: title, description and tags (and the localizations, when sent)."""
        sent = {"title": self.title, "description": self.description, "tags": self.tags}
        return {**sent, "localizations": self.body["localizations"]} if "localizations" in self.body else sent

    @property
    def parts(self) -> str:
        """The ``part`` of ``videos.insert``: the parts the body holds."""
        return ",".join(part for part in ("snippet", "status", "localizations") if part in self.body)

    @property
    def follow_ups(self) -> list[str]:
        """The follow-up steps this run sends, in order: all those configured for a fresh upload."""
        return [step for step in self.steps if step != VIDEO]

    def words(self, step: str) -> StepWords:
        """How messages speak of ``step`` of this plan (its playlist id filled in)."""
        words = STEP_WORDS[step]
        playlist, captions = self.playlist or "", self.captions.state() if self.captions else ""
        return StepWords(*(text.format(playlist=playlist, captions=captions)
                           for text in (words.to_do, words.done, words.failed)))

    @property
    def dropped_notes(self) -> list[str]:
        """One note per pending step dropped because its setting is gone."""
        return [f"{step} was still to do for video {self.video_id}, but {GONE.get(step, f'upload.{step} is no longer set')} "
                f"(in {self.episode_file} or channel.yaml): dropped, nothing is sent for it" for step in self.dropped]


def plan_upload(
    ws: Workspace, build: EpisodeBuild, video: Path | None = None, now: datetime | None = None,
    resume: bool = False, public_now: bool = False,
) -> UploadPlan:
    """Decide what to send for ``build`` (a valid episode of ``ws``); refuse what must not be uploaded.

    An episode whose video is up but whose follow-ups failed gets a plan of those follow-ups only.
    ``public_now`` allows a public video without a future release time (public the moment it is up).
    """
    now = now or datetime.now(UTC)
    require_valid([build])
    rendered, loaded = build.rendered, build.loaded
    assert rendered is not None and loaded is not None
    entry = ws.ledger.episodes.get(build.slug)
    video_id = entry.video_id if entry is not None else None
    if video_id and not entry.pending and not resume:
        raise RefusedError(
            f"{build.shown}: already uploaded as video {video_id} ({video_url(video_id)}); "
            f"to change its description use {command_line('sync')}"
        )
    if entry is None:
        _refuse_look_alike(ws, build)
    if not video_id:
        _refuse_missing_links(ws, build)
    publish_at = build.slot.utc if build.slot is not None and build.slot.utc > now else None
    body = _body(ws, build, publish_at, public_now or bool(video_id))
    playlist = loaded.model.upload.playlist or ws.channel.upload.playlist
    wanted = {"thumbnail": loaded.model.upload.thumbnail, "playlist": playlist, "captions": wants_track(ws, build)}
    configured = [step for step in FOLLOW_UPS if wanted[step]]
    left = entry.pending if video_id and entry is not None else []
    pending = [step for step in left if step in configured]
    steps = pending if video_id else [VIDEO, *configured]
    files, origins = _local_files(ws, build, video, steps)
    track = track_to_send(ws, build, _audio(ws, build, files.get(VIDEO) or video)) if "captions" in steps else None
    return UploadPlan(
        slug=rendered.slug,
        episode_file=build.shown,
        body=body,
        tags=rendered.tags,
        video=files.get(VIDEO),
        thumbnail=files.get("thumbnail"),
        playlist=playlist if "playlist" in steps else None,
        publish_at=publish_at,
        notes=_notes(build, publish_at, video_id, pending) + _caption_notes(track),
        inputs=input_fingerprints(ws, build),
        video_id=video_id,
        steps=steps,
        dropped=[step for step in left if step not in configured],
        origins=origins,
        captions=track,
    )


def _audio(ws: Workspace, build: EpisodeBuild, video: Path | None) -> Path | None:
    """What a new caption track is timed from: the video this run uploads (or names), else ``upload.video``."""
    if video is not None:
        video = video.expanduser() if video.expanduser().is_absolute() else Path.cwd() / video
        return video if video.is_file() else None
    return video_file(ws, build)


def _caption_notes(track: TrackToSend | None) -> list[str]:
    if track is None:
        return []
    timed = "timed from the video" if track.timing == "audio" else "timed by the estimate"
    return [f"the caption track follows the video: {len(track.lines)} cues in {track.language}, {timed}, named "
            f"{track.name!r}, as {track.state()}", *track.notes]


def _notes(build: EpisodeBuild, publish_at: datetime | None, video_id: str | None, pending: list[str]) -> list[str]:
    notes = [] if publish_at or video_id else ["no future release time: the video is not scheduled"]
    if video_id:
        notes.append(f"the video is already uploaded as {video_id}; only the steps left are sent "
                     f"({', '.join(pending) or 'none'}), and no video file is needed")
    return notes + [str(p) for p in build.problems if not p.is_error]


def _body(ws: Workspace, build: EpisodeBuild, publish_at: datetime | None, public_now: bool) -> dict[str, Any]:
    """The ``videos.insert`` body: the rendered snippet, and the status the settings ask for."""
    assert build.rendered is not None and build.loaded is not None
    settings, defaults = build.loaded.model.upload, ws.channel.upload
    privacy = settings.privacy or defaults.privacy
    if publish_at is None and privacy == "public" and not public_now:
        raise _public_refusal(ws, build)
    status = _status(publish_at, privacy, _first(settings.made_for_kids, defaults.made_for_kids))
    body = {"snippet": {**build.rendered.as_sent(), **snippet_settings(settings, defaults)}, "status": status}
    localized = localized_as_sent(build)
    return {**body, "localizations": localized} if localized else body


def localized_as_sent(build: EpisodeBuild) -> dict[str, dict[str, str]]:
    """Language -> the title and description YouTube gets in ``localizations`` for each other language of
    ``build`` ({} for an episode without localizations)."""
    return {language: {"title": localized.rendered.title, "description": sent_description(localized.rendered.description)}
            for language, localized in build.languages.items() if localized.rendered is not None}


def sent_fields(build: EpisodeBuild) -> dict[str, Any]:
    """What YouTube shows of ``build``: title, description and tags as sent, and its localizations if any."""
    assert build.rendered is not None
    localized = localized_as_sent(build)
    return {**build.rendered.as_sent(), "localizations": localized} if localized else build.rendered.as_sent()


def snippet_settings(settings: UploadSettings, defaults: UploadDefaults | None) -> dict[str, str]:
    """The category and language of a video's snippet (``categoryId``, ``defaultLanguage``).

    An upload passes the channel's ``defaults``: the video gets the episode's setting, else the
    channel's. A sync passes None: it sends only what the episode file itself sets, so a category
    or language chosen in YouTube Studio (or the channel default it was uploaded with) stays until
    the episode says otherwise.
    """
    category = _first(settings.category, defaults.category if defaults else None)
    language = _first(settings.language, defaults.language if defaults else None)
    snippet = {"categoryId": None if category is None else str(category), "defaultLanguage": language}
    return {name: value for name, value in snippet.items() if value is not None}


def _public_refusal(ws: Workspace, build: EpisodeBuild) -> RefusedError:
    """A public video without a future release time, refused at the line that makes it public."""
    assert build.loaded is not None
    own = build.loaded.model.upload.privacy is not None
    place = (episode_place(build.loaded, "", "upload", "privacy") if own
             else channel_place(ws, "", "upload", "privacy"))
    whose = "" if own else f" (the channel's default, which {build.shown} does not override)"
    line = build.loaded.line_of("schedule")
    when = f"{build.shown} has no schedule" if build.slot is None else \
        f"its release time ({build.shown}:{line}: schedule) {build.slot.utc:%Y-%m-%d %H:%M}Z has passed"
    return RefusedError(str(place.problem(
        f"is public{whose} and {when}, so the video would be public to everyone the moment it is uploaded; "
        "pass --public-now to do that, or give it a future schedule (it then goes up private and YouTube "
        "makes it public at that time)"
    )))


def _status(publish_at: datetime | None, privacy: str, for_kids: bool) -> dict[str, Any]:
    """The ``status`` part: private and scheduled for a future slot, else the privacy asked for."""
    status: dict[str, Any] = {"privacyStatus": "private" if publish_at else privacy,
                              "selfDeclaredMadeForKids": for_kids}
    if publish_at is not None:
        status["publishAt"] = schedule.to_rfc3339_utc(publish_at)
    return status


def _first(value: Any, default: Any) -> Any:
    return default if value is None else value


def _local_files(ws: Workspace, build: EpisodeBuild, video: Path | None, steps: list[str]
                 ) -> tuple[dict[str, Path], dict[str, Origin]]:
    """The paths of the files that ``steps`` send (video, thumbnail), and where each was given."""
    assert build.loaded is not None
    settings = build.loaded.model.upload
    files: dict[str, Path] = {}
    origins: dict[str, Origin] = {}
    if VIDEO in steps and video is not None:  # from the command line: may be anywhere
        origins[VIDEO] = Origin("--video")
        files[VIDEO] = video.expanduser() if video.expanduser().is_absolute() else Path.cwd() / video
    wanted = {VIDEO: settings.video if VIDEO in steps and video is None else None,
              "thumbnail": settings.thumbnail if "thumbnail" in steps else None}
    hints = {VIDEO: "or give it with --video, which may name a file anywhere",
             "thumbnail": "or copy the image into the channel folder"}
    for key, given in wanted.items():
        if given:
            origins[key] = Origin(f"upload.{key}", build.shown, build.loaded.line_of("upload", key))
            files[key] = channel_file(ws.root, given, origins[key], hints[key])
    return files, origins


def _refuse_missing_links(ws: Workspace, build: EpisodeBuild) -> None:
    assert build.loaded is not None
    for video in build.loaded.model.videos:
        if video.episode and not ws.ledger.video_id(video.episode):
            raise RefusedError(
                f"{build.shown}: links to episode {video.episode!r}, which has no video yet; upload it first"
            )


def check_local_files(plan: UploadPlan, *, allow_missing: bool = False) -> list[str]:
    """Check every local file this run sends, before any request: refuse what cannot be sent.

    With ``allow_missing`` (a dry run), a file that is not there yet becomes a note instead.
    """
    notes = []
    for step, path, check in ((VIDEO, plan.video, check_video), ("thumbnail", plan.thumbnail, check_thumbnail)):
        if step not in plan.steps:
            continue
        try:
            if path is None:
                raise _no_video(plan)
            check(path, plan.origins.get(step, Origin(f"upload.{step}")))
        except MissingFileError as exc:
            if not allow_missing:
                raise
            notes.append(f"{exc}; the real run needs it")
    return notes


def _refuse_look_alike(ws: Workspace, build: EpisodeBuild) -> None:
    """A renamed episode file must not become a second video of the same episode."""
    assert build.rendered is not None
    found = look_alike(ws, build.rendered)
    if found is not None:
        raise RefusedError(
            f"{build.shown}: has the same {' and '.join(found.same)} as episode {found.slug!r}, uploaded as video "
            f"{found.entry.video_id}, whose file is gone. If you renamed it, run "
            f"{move_command(found.slug, build.slug)} so the episode keeps its video instead of getting a second one; if this "
            f"is another episode, give it its own title and description (or delete the entry of {found.slug!r} "
            f"from {shown_path(ws.ledger_path)})"
        )


def _no_video(plan: UploadPlan) -> MissingFileError:
    return MissingFileError(f"{plan.episode_file}: no video file: pass --video FILE or set upload.video")
