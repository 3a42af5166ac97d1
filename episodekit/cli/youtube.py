"""The commands that talk to YouTube: upload, release, sync, diff, restore.

Each parses its arguments, calls the library, and prints. The Google client is
imported inside the commands, so the other commands start without it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ._app import EpisodePaths, confirm, echo, echo_err, echo_json, workspace


def upload(
    ctx: typer.Context,
    episode: Annotated[Path, typer.Argument(help="Episode file or slug")],
    video: Annotated[Optional[Path], typer.Option("--video", help="Video file (default: upload.video)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the requests and their quota; send nothing")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Upload without asking")] = False,
    restart: Annotated[bool, typer.Option("--restart", help="Start a new upload instead of resuming")] = False,
    public_now: Annotated[bool, typer.Option(
        "--public-now", help="Allow a public video without a future release time (public at once)")] = False,
) -> None:
    """Upload an episode as a private video scheduled for its release slot."""
    from ..pipeline.build import build_valid
    from ..publish.upload import check_local_files, plan_upload

    ws = workspace(ctx)
    plan = plan_upload(ws, build_valid(ws, ws.select([episode])[0]), video, public_now=public_now)
    if dry_run:
        _print_dry_run(plan)
        return
    check_local_files(plan)  # before the question, and before any request
    if plan.steps:
        confirm(yes, _question(plan))
    from ..youtube.uploader import upload_episode
    from .console import upload_progress

    with upload_progress() as progress:
        outcome = upload_episode(plan, ws, restart=restart, progress=progress, announce=_announcer(plan))
    _report_upload(plan, outcome)


def _question(plan: Any) -> str:
    if plan.video_id:
        steps = {"thumbnail": "set the thumbnail", "playlist": f"add it to playlist {plan.playlist}"}
        return f"Finish {plan.slug} (video {plan.video_id}): {' and '.join(steps[s] for s in plan.steps)}?"
    privacy = plan.body["status"]["privacyStatus"]
    if plan.publish_at:
        return f"Upload {plan.title!r} as a {privacy} video scheduled for {plan.publish_at:%Y-%m-%d %H:%M}Z?"
    if privacy == "public":
        return f"Upload {plan.title!r} as a PUBLIC video, visible to everyone as soon as it is up?"
    return f"Upload {plan.title!r} as a {privacy} video?"


def _print_dry_run(plan: Any) -> None:
    from ..youtube.requests import dry_run

    report = dry_run(plan)
    echo_json(report)
    quota = report["quota"]
    echo_err(f"dry run: nothing sent; quota: {quota['units']} units and {quota['upload_calls']} upload call(s)")
    for note in report["notes"]:
        echo_err(f"note: {note}")


def _announcer(plan: Any) -> Any:
    def announce(video_id: str) -> None:  # the moment the video is up, before the follow-up steps
        echo(f"uploaded {plan.slug}: https://youtu.be/{video_id}")

    return announce


def _report_upload(plan: Any, outcome: Any) -> None:
    for note in plan.dropped_notes:
        echo_err(f"note: {note}")
    done = {"thumbnail": "thumbnail set", "playlist": f"added to playlist {plan.playlist}"}
    for step in outcome.done:
        echo(f"{plan.slug}: {done[step]}")
    if outcome.resource is None:
        echo(f"finished {plan.slug}: https://youtu.be/{outcome.video_id}, nothing left to do")
    for warning in outcome.warnings:
        echo_err(f"warning: {warning}")


def release(
    ctx: typer.Context,
    apply: Annotated[bool, typer.Option("--apply", help="Really upload (default: a dry run)")] = False,
    out: Annotated[Optional[Path], typer.Option("--out", help="Render folder (default: build/)")] = None,
) -> None:
    """Weekly run: check, render, and upload the next due episode whose video file exists."""
    from ..publish.release import prepare_release

    ws = workspace(ctx)
    found = prepare_release(ws, out or ws.root / "build")
    for problem in found.problems:
        echo_err(str(problem))
    for reason in found.skipped:
        echo_err(f"skipped: {reason}")
    echo(f"rendered {len(found.rendered) // 3} episode(s)")
    if found.plan is None or found.due is None:
        echo("nothing is due: every upcoming episode is uploaded, invalid or without its video")
        return
    if not apply:
        from ..youtube.requests import dry_run

        echo(f"due next: {found.due.shown}; dry run (pass --apply to upload):")
        echo_json(dry_run(found.plan))
        return
    from ..youtube.uploader import upload_episode

    _report_upload(found.plan, upload_episode(found.plan, ws, announce=_announcer(found.plan)))


def sync(
    ctx: typer.Context,
    paths: EpisodePaths = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan; send nothing")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Apply without asking")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite fields edited in YouTube Studio")] = False,
    budget: Annotated[int, typer.Option("--budget", min=1, help="Quota units this run may spend")] = 10_000,
) -> None:
    """Update the published videos whose rendered title, description or tags changed."""
    from ..publish.sync import wanted_videos

    ws = workspace(ctx)
    wanted = wanted_videos(ws, paths)
    if not wanted:
        echo("no uploaded episodes in the ledger: nothing to sync")
        return
    from ..youtube.syncer import run_sync

    def show(plan: Any, live: bool) -> None:
        if as_json:
            echo_json({"videos": [v.as_json() for v in plan.videos], "quota_units": plan.units, "live": live})
            return
        from .console import print_sync_plan

        print_sync_plan(plan, live)

    def ask(plan: Any) -> None:
        confirm(yes, f"Update {len(plan.updates)} video(s), spending {plan.units} quota units?")

    result = run_sync(ws, wanted, dry_run=dry_run, force=force, budget=budget, show=show, confirm=ask)
    if result is None:
        return
    for video_id in result.updated:
        echo(f"updated https://youtu.be/{video_id}")
    if result.backup is not None:
        echo(f"backup of the videos before the update: {os.path.relpath(result.backup)}")
    left = result.work_left(budget)
    if left is not None:
        raise left


def diff(ctx: typer.Context, episode: Annotated[Path, typer.Argument(help="Episode file or slug")]) -> None:
    """Show how the live video differs from a fresh render (title, description, tags); writes nothing."""
    from ..youtube.syncer import live_diff

    change = live_diff(workspace(ctx), episode)
    for name, (live, new) in change.changes.items():
        if name != "description":
            echo(f"{name}: live {live!r}\n{' ' * len(name)}  new  {new!r}")
    echo(change.description_diff() or "the live description matches the render")


def restore(
    ctx: typer.Context,
    backup_dir: Annotated[Path, typer.Argument(help="A folder backups/<timestamp>/ written by sync")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the updates; send nothing")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Restore without asking")] = False,
) -> None:
    """Put videos back as a sync backup saved them, through the same safe update path."""
    from ..publish.quota import cost_of
    from ..youtube.restore import run_restore

    def show(bodies: list[Any]) -> None:
        echo_json([{"part": part, "body": body} for part, body in bodies])

    def ask(bodies: list[Any]) -> None:
        units = cost_of("videos.update").units * len(bodies)
        confirm(yes, f"Restore {len(bodies)} video(s), spending {units} quota units?")

    for video_id in run_restore(workspace(ctx), backup_dir, dry_run=dry_run, show=show, confirm=ask):
        echo(f"restored https://youtu.be/{video_id}")


def register(app: typer.Typer) -> None:
    for command in (upload, release, sync, diff, restore):
        app.command()(command)
