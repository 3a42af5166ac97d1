"""``auth login``, ``auth status`` and ``auth logout``: the YouTube sign-ins, one per channel."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ..errors import MissingFileError, command_line
from ._app import echo, emit_json, json_option, say, warn, workspace_if_any


def login(
    client_secrets: Annotated[
        Optional[Path],
        typer.Option("--client-secrets", readable=False, help="OAuth client file (default: channel.yaml's)"),
    ] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Print the sign-in address instead")] = False,
) -> None:
    """Sign in with Google in the browser and save the token as its channel's (mode 0600)."""
    from ..youtube.accounts import sign_in

    ws = workspace_if_any()
    if client_secrets is None:
        channel_secrets = ws.channel.client_secrets if ws is not None else None
        if not channel_secrets:
            raise MissingFileError("no OAuth client file: pass --client-secrets or set client_secrets in channel.yaml")
        client_secrets = Path(channel_secrets).expanduser()
    done = sign_in(ws, client_secrets, open_browser=not no_browser)
    say(f"signed in to YouTube channel {done.channel}: the account or Brand Account picked on Google's consent "
        f"screen (for another channel of the same Google account, run {command_line('auth login')} again and "
        "pick that one there)")
    say(f"saved the token to {done.token_file}")
    if done.pin == "pinned":
        say(f"channel.yaml: youtube_channel is now {done.channel.channel_id}; this folder publishes to that channel")
    elif done.pin == "other":
        warn(f"this folder publishes to channel {done.pinned} (youtube_channel in channel.yaml) and keeps doing so; "
             f"the sign-in of {done.channel} is kept for the folders of that channel")
    elif done.pin == "failed":
        warn(f"could not write youtube_channel in channel.yaml ({done.why}); the first upload records it")


def status(
    online: Annotated[bool, typer.Option("--online", help="Also ask YouTube which channel (1 quota unit)")] = False,
    as_json: Annotated[bool, json_option("Print the token's facts (and channels) as JSON")] = False,
) -> None:
    """Show this folder's token (its scopes and expiry, never the token), its channel, and every stored sign-in."""
    from ..youtube.accounts import sign_in_report

    facts = sign_in_report(workspace_if_any(), online=online)
    if as_json:
        emit_json(facts)
        return
    if facts["token_file"] is not None:
        for key in ("token_file", "scopes", "expiry", "expired", "can_refresh"):
            value = facts[key]
            echo(f"{key.replace('_', ' ')}: {', '.join(value) if isinstance(value, list) else value}")
    if facts["problem"]:
        echo(f"this folder: {facts['problem']}")
    channel = facts["channel"]
    echo(f"this folder publishes to: {_named(channel['title'], channel['id'])} (youtube_channel in channel.yaml)"
         if channel else "this folder publishes to: no channel named yet (auth login here, or the first upload, "
                         "records it)")
    for token in facts["tokens"]:
        echo(_token_line(token))
    for found in facts.get("channels", []):
        echo(f"channel: {found['title']} ({found['id']})")


def _named(title: str | None, channel_id: str) -> str:
    return f"{title!r} ({channel_id})" if title else str(channel_id)


def _token_line(token: dict[str, Any]) -> str:
    """One stored sign-in: its channel, file, state and folders."""
    who = _named(token["title"], token["channel_id"]) if token["channel_id"] else \
        "channel not known yet (adopted as its channel's at the next command that asks YouTube)"
    state = token.get("problem") or ("renewable" if token.get("can_refresh") else "not renewable")
    folders = ", ".join(token["folders"]) or "no folder recorded"
    return f"stored sign-in: {who}: {token['token_file']}, {state}; folders: {folders}"


def logout(
    channel_id: Annotated[Optional[str], typer.Argument(
        help="The channel id (UC...) whose sign-in to remove (default: the one this folder uses)")] = None,
) -> None:
    """Delete one saved token: this folder's, or the channel's given."""
    from ..youtube.accounts import PERMISSIONS_PAGE, sign_out

    target, removed = sign_out(workspace_if_any(), channel_id)
    if removed:
        say(f"removed {target}; Google still lists the grant at {PERMISSIONS_PAGE} until you remove it there")
    else:
        say(f"no token at {target}")


def register(app: typer.Typer) -> None:
    """Add the ``auth`` group (``login``, ``status``, ``logout``) to ``app``."""
    group = typer.Typer(help="Sign in to YouTube, see the saved tokens, or sign out.", no_args_is_help=True)
    for name, command in (("login", login), ("status", status), ("logout", logout)):
        group.command(name)(command)
    app.add_typer(group, name="auth")
