"""``auth login``, ``auth status`` and ``auth logout``: the saved YouTube sign-in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import MissingFileError
from ._app import echo, emit_json, json_option, say, workspace


def login(
    client_secrets: Annotated[
        Optional[Path],
        typer.Option("--client-secrets", readable=False, help="OAuth client file (default: channel.yaml's)"),
    ] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Print the sign-in address instead")] = False,
) -> None:
    """Sign in with Google in the browser and save the token (mode 0600)."""
    from ..youtube.auth import login as sign_in

    if client_secrets is None:
        channel_secrets = workspace().channel.client_secrets
        if not channel_secrets:
            raise MissingFileError("no OAuth client file: pass --client-secrets or set client_secrets in channel.yaml")
        client_secrets = Path(channel_secrets).expanduser()
    say(f"saved the token to {sign_in(client_secrets, open_browser=not no_browser)}")


def status(
    online: Annotated[bool, typer.Option("--online", help="Also ask YouTube which channel (1 quota unit)")] = False,
    as_json: Annotated[bool, json_option("Print the token's facts (and channels) as JSON")] = False,
) -> None:
    """Show the token file, its scopes and expiry (never the token itself), and with --online the channel."""
    from ..youtube.auth import status as token_status

    facts = token_status()
    if as_json:
        emit_json(facts)
    else:
        for key, value in facts.items():
            shown = ", ".join(value) if isinstance(value, list) else value
            echo(f"{key.replace('_', ' ')}: {shown}")
    if online:
        from ..youtube.connect import signed_in_channels

        channels = signed_in_channels()
        facts["channels"] = [{"title": title, "id": channel_id} for title, channel_id in channels]
        if as_json:
            return
        for title, channel_id in channels:
            echo(f"channel: {title} ({channel_id})")
        if not channels:
            echo("channel: this Google account has no YouTube channel")


def logout() -> None:
    """Delete the saved token."""
    from ..youtube.auth import logout as sign_out
    from ..youtube.auth import token_path

    removed = sign_out()
    say(f"removed {token_path()}" if removed else f"no token at {token_path()}")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Sign in to YouTube, see the saved token, or sign out.", no_args_is_help=True)
    for name, command in (("login", login), ("status", status), ("logout", logout)):
        group.command(name)(command)
    app.add_typer(group, name="auth")
