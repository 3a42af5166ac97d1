"""The command that shows the channel another way: ``export --site`` (each episode as a web post).

It parses its arguments, calls the library (``episodekit.views``), and prints. Library modules are
imported inside the command, so ``--help`` and the other commands start fast.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from ._app import say, workspace


class PostFormat(str, Enum):
    md = "md"
    html = "html"


def export(
    site: Annotated[Path, typer.Option("--site", readable=False, help="Folder of the posts (created when missing)")],
    fmt: Annotated[PostFormat, typer.Option("--format", help="Markdown or HTML, each with YAML front matter")]
    = PostFormat.md,
) -> None:
    """Write each episode as a web post with front matter (all or nothing; unchanged posts are left alone)."""
    from ..pipeline.build import build_episodes
    from ..views.site import describe, export_site

    if site.exists() and not site.is_dir():
        raise UsageError(f"--site: {site} is a file, not a folder; give a folder (it is created when missing)")
    ws = workspace()
    done = export_site(ws, build_episodes(ws, ws.episode_paths()).builds, site, fmt.value)
    say(describe(done, site))


def register(app: typer.Typer) -> None:
    """Add ``export`` to ``app``."""
    app.command()(export)
