"""The commands that talk to YouTube: auth, upload, release, sync, diff, restore.

Registered on the app of ``episodekit.cli``; like every command, each one
parses its arguments, calls the library, and prints. The Google client is
imported inside the commands, so the other commands start without it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli import EpisodePaths, _confirm, _echo_err, _workspace, app, auth_app
from .errors import EpisodekitError


@app.command()
def upload(
    episode: Annotated[Path, typer.Argument(help="Episode file or slug")],
    video: Annotated[Optional[Path], typer.Option("--video", help="Video file (default: upload.video)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the requests and their quota; send nothing")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Upload without asking")] = False,
    restart: Annotated[bool, typer.Option("--restart", help="Start a new upload instead of resuming")] = False,
) -> None:
    """Upload an episode as a private video scheduled for its release slot."""
    from .upload import CHUNK_BYTES, dry_run as describe_requests, plan_upload, upload_episode

    ws = _workspace()
    plan = plan_upload(ws, ws.select([episode])[0], video)
    if dry_run:
        report = describe_requests(plan, CHUNK_BYTES)
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
        quota = report["quota"]
        _echo_err(f"dry run: nothing sent; quota: {quota['units']} units and {quota['upload_calls']} upload call(s)")
        for note in report["notes"]:
            _echo_err(f"note: {note}")
        return
    when = f" scheduled for {plan.publish_at:%Y-%m-%d %H:%M}Z" if plan.publish_at else ""
    _confirm(yes, f"Upload {plan.title!r} as a {plan.body['status']['privacyStatus']} video{when}?")
    from .console import upload_progress

    with upload_progress() as progress:
        outcome = upload_episode(plan, ws, restart=restart, progress=progress)
    typer.echo(f"uploaded {plan.slug}: https://youtu.be/{outcome.video_id}")
    for warning in outcome.warnings:
        _echo_err(f"warning: {warning}")


@app.command()
def release(
    apply: Annotated[bool, typer.Option("--apply", help="Really upload (default: a dry run)")] = False,
    out: Annotated[Optional[Path], typer.Option("--out", help="Render folder (default: build/)")] = None,
) -> None:
    """Weekly run: check, render, and upload the next due episode whose video file exists."""
    from .release import prepare_release

    ws = _workspace()
    found = prepare_release(ws, out or ws.root / "build")
    for problem in found.problems:
        _echo_err(str(problem))
    for reason in found.skipped:
        _echo_err(f"skipped: {reason}")
    typer.echo(f"rendered {len(found.rendered) // 3} episode(s)")
    if found.plan is None:
        typer.echo("nothing is due: every upcoming episode is uploaded, invalid or without its video")
        return
    if not apply:
        typer.echo(f"due next: {found.due.shown}; dry run (pass --apply to upload):")
        from .upload import CHUNK_BYTES, dry_run as describe_requests

        typer.echo(json.dumps(describe_requests(found.plan, CHUNK_BYTES), indent=2, ensure_ascii=False))
        return
    from .upload import upload_episode

    outcome = upload_episode(found.plan, ws)
    typer.echo(f"uploaded {found.plan.slug}: https://youtu.be/{outcome.video_id}")
    for warning in outcome.warnings:
        _echo_err(f"warning: {warning}")


@app.command()
def sync(
    paths: EpisodePaths = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan; send nothing")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Apply without asking")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite fields edited in YouTube Studio")] = False,
    budget: Annotated[int, typer.Option("--budget", min=1, help="Quota units this run may spend")] = 10_000,
) -> None:
    """Update the published videos whose rendered title, description or tags changed."""
    from .sync import plan_from_ledger, wanted_videos

    ws = _workspace()
    wanted = wanted_videos(ws, paths)
    if not wanted:
        typer.echo("no uploaded episodes in the ledger: nothing to sync")
        return
    from .youtube.syncer import apply_sync, plan_with_live
    from .youtube.uploader import RetryPolicy

    retry = RetryPolicy(attempts=2)  # a 5xx is retried once, with backoff
    with _maybe_service(offline_ok=dry_run) as service:
        plan = plan_from_ledger(wanted) if service is None else plan_with_live(service, wanted, force, retry)
        _show_plan(plan, as_json, live=service is not None)
        if dry_run:
            return
        if plan.updates:
            _confirm(yes, f"Update {len(plan.updates)} video(s), spending {plan.units} quota units?")
        result = apply_sync(ws, service, plan, budget=budget, retry=retry)  # also brings the ledger up to date
    _report_sync(result, budget)


def _show_plan(plan, as_json: bool, live: bool) -> None:  # noqa: ANN001
    if as_json:
        typer.echo(json.dumps({"videos": [v.as_json() for v in plan.videos], "quota_units": plan.units,
                               "live": live}, indent=2, ensure_ascii=False))
        return
    from .console import print_sync_plan

    print_sync_plan(plan, live)


def _report_sync(result, budget: int) -> None:  # noqa: ANN001
    for video_id in result.updated:
        typer.echo(f"updated https://youtu.be/{video_id}")
    if result.backup is not None:
        typer.echo(f"backup of the videos before the update: {os.path.relpath(result.backup)}")
    if result.deferred:
        from datetime import UTC, datetime

        from .youtube.quota import next_reset

        reset = next_reset(datetime.now(UTC))
        reason = result.stopped or f"this run's budget of {budget} units is spent"
        raise EpisodekitError(
            f"{reason}; {len(result.deferred)} video(s) left for the next run after the quota resets "
            f"({reset:%Y-%m-%d %H:%M}Z); the ledger keeps what was done"
        )


def _maybe_service(offline_ok: bool):  # noqa: ANN202
    """A YouTube client; for a dry run without a token, None (the plan then uses the ledger only)."""
    from contextlib import nullcontext

    from .errors import YouTubeError
    from .youtube.auth import MANAGE_SCOPES, load_credentials
    from .youtube.connect import youtube_service

    if offline_ok:
        try:
            load_credentials(MANAGE_SCOPES)
        except YouTubeError:
            return nullcontext(None)
    return youtube_service(MANAGE_SCOPES)


@app.command()
def diff(episode: Annotated[Path, typer.Argument(help="Episode file or slug")]) -> None:
    """Show how the live video differs from a fresh render (title, description, tags); writes nothing."""
    from .sync import wanted_videos
    from .youtube.auth import MANAGE_SCOPES
    from .youtube.connect import youtube_service
    from .youtube.syncer import plan_with_live
    from .youtube.uploader import RetryPolicy

    ws = _workspace()
    wanted = wanted_videos(ws, [episode])
    with youtube_service(MANAGE_SCOPES) as service:
        change = plan_with_live(service, wanted, True, RetryPolicy(attempts=2)).videos[0]
    if change.action == "missing":
        raise EpisodekitError(f"video {change.video_id} is not on YouTube (deleted, or another channel's)")
    for name, (live, new) in change.changes.items():
        if name != "description":
            typer.echo(f"{name}: live {live!r}\n{' ' * len(name)}  new  {new!r}")
    typer.echo(change.description_diff() or "the live description matches the render")


@app.command()
def restore(
    backup_dir: Annotated[Path, typer.Argument(help="A folder backups/<timestamp>/ written by sync")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the updates; send nothing")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Restore without asking")] = False,
) -> None:
    """Put videos back as a sync backup saved them, through the same safe update path."""
    from .youtube.auth import MANAGE_SCOPES
    from .youtube.connect import youtube_service
    from .youtube.syncer import record_restored, restore_bodies, send_restore
    from .youtube.uploader import RetryPolicy

    ws = _workspace()
    if not backup_dir.is_dir():
        raise EpisodekitError(f"{backup_dir}: no such backup folder (sync writes them under backups/)")
    retry = RetryPolicy(attempts=2)
    with youtube_service(MANAGE_SCOPES) as service:
        bodies = restore_bodies(service, backup_dir, retry)
        typer.echo(json.dumps([{"part": p, "body": b} for p, b in bodies], indent=2, ensure_ascii=False))
        if dry_run:
            return
        _confirm(yes, f"Restore {len(bodies)} video(s), spending {50 * len(bodies)} quota units?")
        for video_id in send_restore(service, bodies, retry):
            typer.echo(f"restored https://youtu.be/{video_id}")
    record_restored(ws, bodies)


@auth_app.command("login")
def auth_login(
    client_secrets: Annotated[
        Optional[Path], typer.Option("--client-secrets", help="OAuth client file (default: channel.yaml's)")
    ] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Print the sign-in address instead")] = False,
) -> None:
    """Sign in with Google in the browser and save the token (mode 0600)."""
    from .youtube.auth import login

    if client_secrets is None:
        channel_secrets = _workspace().channel.client_secrets
        if not channel_secrets:
            raise EpisodekitError("no OAuth client file: pass --client-secrets or set client_secrets in channel.yaml")
        client_secrets = Path(channel_secrets).expanduser()
    typer.echo(f"saved the token to {login(client_secrets, open_browser=not no_browser)}")


@auth_app.command("status")
def auth_status(
    online: Annotated[bool, typer.Option("--online", help="Also ask YouTube which channel (1 quota unit)")] = False,
) -> None:
    """Show the token file, its scopes and expiry (never the token itself), and with --online the channel."""
    from .youtube.auth import status

    for key, value in status().items():
        shown = ", ".join(value) if isinstance(value, list) else value
        typer.echo(f"{key.replace('_', ' ')}: {shown}")
    if online:
        from .youtube.auth import MANAGE_SCOPES
        from .youtube.connect import youtube_service

        with youtube_service(MANAGE_SCOPES) as service:
            items = service.channels().list(part="snippet", mine=True).execute().get("items", [])
        for item in items:
            typer.echo(f"channel: {item['snippet']['title']} ({item['id']})")
        if not items:
            typer.echo("channel: this Google account has no YouTube channel")


@auth_app.command("logout")
def auth_logout() -> None:
    """Delete the saved token."""
    from .youtube.auth import logout, token_path

    removed = logout()
    typer.echo(f"removed {token_path()}" if removed else f"no token at {token_path()}")
