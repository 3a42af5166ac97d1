"""The commands that talk to YouTube: upload, release, sync, diff, restore.

Each parses its arguments, calls the library, and prints. The Google client is
imported inside the commands, so the other commands start without it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from ..paths import BUILD_DIR
from ._app import (
    EpisodePaths,
    confirm,
    current_run,
    echo,
    echo_err,
    echo_json,
    emit_json,
    json_option,
    ledger_store,
    out_option,
    say,
    warn,
    workspace,
)

if TYPE_CHECKING:
    from ..publish.release import ReleaseCheck
    from ..publish.sync import SyncPlan
    from ..publish.upload import UploadPlan
    from ..workspace import Workspace
    from ..youtube.identity import ChannelIdentity
    from ..youtube.restore import Update
    from ..youtube.uploader import Announce, UploadOutcome


def upload(
    episode: Annotated[Path, typer.Argument(readable=False, help="Episode file or slug")],
    video: Annotated[Optional[Path], typer.Option("--video", readable=False, help="Video file (default: upload.video)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the requests and their quota; send nothing")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Upload without asking")] = False,
    restart: Annotated[bool, typer.Option("--restart", help="Start a new upload instead of resuming")] = False,
    public_now: Annotated[bool, typer.Option(
        "--public-now", help="Allow a public video without a future release time (public at once)")] = False,
    as_json: Annotated[bool, json_option("Print the dry run, or the uploaded video, as JSON")] = False,
) -> None:
    """Upload an episode as a private video scheduled for its release slot."""
    from ..pipeline.build import build_valid
    from ..publish.upload import check_local_files, plan_upload

    ws = workspace()
    plan = plan_upload(ws, build_valid(ws, ws.select([episode])[0]), video, public_now=public_now)
    if dry_run:
        _print_dry_run(plan, ws)
        return
    check_local_files(plan)  # before the question, and before any request
    if plan.steps:
        confirm(yes, _question(plan))
    _report_upload(plan, _send(plan, ws, emit_json, restart=restart))


def _question(plan: UploadPlan) -> str:
    if plan.video_id:
        steps = " and ".join(plan.words(step).to_do for step in plan.steps)
        return f"Finish {plan.slug} (video {plan.video_id}): {steps}?"
    privacy = plan.body["status"]["privacyStatus"]
    if plan.publish_at:
        return f"Upload {plan.title!r} as a {privacy} video scheduled for {plan.publish_at:%Y-%m-%d %H:%M}Z?"
    if privacy == "public":
        return f"Upload {plan.title!r} as a PUBLIC video, visible to everyone as soon as it is up?"
    return f"Upload {plan.title!r} as a {privacy} video?"


def _print_dry_run(plan: UploadPlan, ws: Workspace) -> None:
    from ..youtube.requests import dry_run

    report = dry_run(plan, ws)
    if current_run().json:
        emit_json(report)
        return
    echo_json(report)
    quota = report["quota"]
    echo_err(f"dry run: nothing sent; quota: {quota['units']} units and {quota['upload_calls']} upload call(s)")
    for note in report["notes"]:
        echo_err(f"note: {note}")


def _announcer(plan: UploadPlan) -> Announce:
    from ..models.episode import video_url

    def announce(video_id: str) -> None:  # the moment the video is up, before the follow-up steps
        if not current_run().json:
            say(f"uploaded {plan.slug}: {video_url(video_id)}")

    return announce


def _send(plan: UploadPlan, ws: Workspace, on_failed: Callable[[dict[str, Any]], None],
          restart: bool = False) -> UploadOutcome:
    """Upload ``plan``; a failed follow-up step still hands ``on_failed`` the upload's document (the video,
    done and pending steps), for the run's JSON document beside the error."""
    from ..errors import FollowUpFailed
    from ..youtube.uploader import upload_document, upload_episode
    from .console import upload_progress

    try:
        with upload_progress(f"uploading {plan.slug}") as progress:
            return upload_episode(plan, ws, progress=progress, announce=_announcer(plan), restart=restart,
                                  ledger=ledger_store(ws))
    except FollowUpFailed as failed:
        on_failed(upload_document(plan, failed))
        raise


def _report_upload(plan: UploadPlan, outcome: UploadOutcome) -> None:
    from ..models.episode import video_url
    from ..youtube.uploader import upload_document

    if current_run().json:
        emit_json(upload_document(plan, outcome))
        return
    for note in plan.dropped_notes:
        warn(note)
    for step in outcome.done:
        say(f"{plan.slug}: {plan.words(step).done}")
    if outcome.resource is None:
        say(f"finished {plan.slug}: {video_url(outcome.video_id)}, nothing left to do")
    for warning in outcome.warnings:
        warn(warning)


def release(
    apply: Annotated[bool, typer.Option("--apply", help="Really upload (default: a dry run)")] = False,
    out: Annotated[Optional[Path], out_option("Render folder (default: build/)")] = None,
    as_json: Annotated[bool, json_option("Print what was found and done as one JSON document")] = False,
) -> None:
    """Weekly run: check, render, and upload the next due episode whose video file exists."""
    from ..publish.release import prepare_release
    from .console import progress_bars

    ws = workspace()
    with progress_bars() as bars:
        found = prepare_release(ws, out or ws.root / BUILD_DIR, progress=bars("checking"))
    emit_json(found.as_json())  # printed in JSON mode only, at the end: what is done below, or the error, joins it
    if not as_json:
        _print_release(found)
    if found.plan is None or found.due is None:
        say("nothing is due: every upcoming episode is uploaded, invalid or without its video")
        return
    if not apply:
        from ..youtube.requests import dry_run

        report = dry_run(found.plan, ws)
        emit_json(found.as_json(dry_run=report))
        if not as_json:
            say(f"due next: {found.due.shown}; dry run (pass --apply to upload):")
            echo_json(report)
        return
    from ..youtube.uploader import upload_document

    plan = found.plan
    outcome = _send(plan, ws, lambda uploaded: emit_json(found.as_json(uploaded=uploaded)))
    emit_json(found.as_json(uploaded=upload_document(plan, outcome)))
    if not as_json:
        _report_upload(found.plan, outcome)


def _print_release(found: ReleaseCheck) -> None:
    quiet = current_run().quiet
    for problem in found.problems:
        if problem.is_error or not quiet:
            echo_err(str(problem))
    for reason in found.skipped:
        warn(f"skipped: {reason}")
    say(f"rendered {len({path.parent for path in found.rendered})} episode(s)")


def sync(
    paths: EpisodePaths = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan; send nothing")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Apply without asking")] = False,
    as_json: Annotated[bool, json_option("Print the plan and what was done as one JSON document")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite fields edited in YouTube Studio")] = False,
    budget: Annotated[int, typer.Option("--budget", min=1, help="Quota units this run may spend")] = 10_000,
) -> None:
    """Update the published videos whose rendered title, description, tags or caption track changed."""
    from ..publish.sync import wanted_videos
    from ..youtube.syncer import sync_document

    ws = workspace()
    wanted = wanted_videos(ws, paths)
    if not wanted:
        emit_json(sync_document(None, None, dry_run=dry_run))
        say("no uploaded episodes in the ledger: nothing to sync")
        return
    from ..youtube.syncer import run_sync
    from .console import progress_bars

    shown: list[tuple[SyncPlan, ChannelIdentity | None]] = []

    def show(plan: SyncPlan, channel: ChannelIdentity | None) -> None:
        shown.append((plan, channel))
        # printed in JSON mode only, at the end: what is done below, or the error, joins it
        emit_json(sync_document(plan, channel, dry_run=dry_run))
        if not as_json:
            from .console import print_sync_plan

            _say_channel(channel)
            print_sync_plan(plan, channel is not None)

    def ask(plan: SyncPlan) -> None:
        tracks = sum(1 for change in plan.captions if change.write)
        also = f" and send {tracks} caption track(s)" if tracks else ""
        confirm(yes, f"Update {len(plan.updates)} video(s){also}, spending {plan.units} quota units?")

    with progress_bars() as bars:
        result = run_sync(ws, wanted, dry_run=dry_run, force=force, budget=budget, show=show, confirm=ask,
                          progress=bars("updating"), ledger=ledger_store(ws))
    if result is None:
        return
    from ..models.episode import video_url

    document = sync_document(*shown[-1], dry_run=dry_run, result=result)
    emit_json(document)
    backup = document["backup"]
    for video_id in result.updated:
        say(f"updated {video_url(video_id)}")
    for video_id in result.captions.sent:
        say(f"caption track sent to {video_url(video_id)}")
    if backup is not None:
        say(f"backup of the videos before the update: {backup}")
    left = result.work_left(budget)
    if left is not None:
        raise left


def diff(
    episode: Annotated[Path, typer.Argument(readable=False, help="Episode file or slug")],
    as_json: Annotated[bool, json_option("Print the differences as JSON")] = False,
) -> None:
    """Show how the live video differs from a fresh render (title, description, tags); writes nothing."""
    from ..youtube.syncer import live_diff

    change = live_diff(workspace(), episode)
    if as_json:
        emit_json(change.as_json())
        return
    if not change.changes:
        echo("the live video matches a fresh render: nothing differs")
        return
    for name, (live, new) in change.changes.items():
        if name != "description":
            echo(f"{name}: live {live!r}\n{' ' * len(name)}  new  {new!r}")
    description = change.description_diff()
    from .console import print_diff

    if description:
        print_diff(description)
    else:
        echo("the live description matches the render")
    for diff in change.localized_diffs().values():
        print_diff(diff)


def restore(
    backup_dir: Annotated[Path, typer.Argument(readable=False, help="A folder backups/<timestamp>/ written by sync")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the updates; send nothing")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Restore without asking")] = False,
    as_json: Annotated[bool, json_option("Print the updates and what was restored as one JSON document")] = False,
) -> None:
    """Put videos back as a sync backup saved them, through the same safe update path."""
    from ..models.episode import video_url
    from ..youtube.restore import restore_document, restore_units, run_restore

    shown: list[tuple[list[Update], ChannelIdentity | None]] = []

    def show(bodies: list[Update], channel: ChannelIdentity | None) -> None:
        shown.append((bodies, channel))
        document = restore_document(bodies, channel, dry_run=dry_run)
        emit_json(document)  # printed in JSON mode only, at the end
        if not as_json:
            echo_json(document["updates"])
            if not current_run().quiet:  # beside the updates, which stdout keeps as one JSON list
                echo_err(f"quota: {document['quota_units']} units for {len(bodies)} update(s) to channel {channel}")

    def ask(bodies: list[Update]) -> None:
        confirm(yes, f"Restore {len(bodies)} video(s), spending {restore_units(bodies)} quota units?")

    ws = workspace()
    restored = run_restore(ws, backup_dir, dry_run=dry_run, show=show, confirm=ask, ledger=ledger_store(ws))
    emit_json(restore_document(*shown[-1], dry_run=dry_run, restored=restored))
    for video_id in restored:
        say(f"restored {video_url(video_id)}")


def _say_channel(channel: ChannelIdentity | None) -> None:
    if channel is not None:
        say(f"signed in to YouTube channel {channel}")


def register(app: typer.Typer) -> None:
    """Add the commands that talk to YouTube to ``app``."""
    for command in (upload, release, sync, diff, restore):
        app.command()(command)
