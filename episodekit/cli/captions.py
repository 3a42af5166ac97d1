"""The ``captions`` command: an episode's caption track as SubRip or WebVTT.

It parses its arguments, calls the library once (``pipeline.captions.make_captions``) and prints what
was written and how it was timed.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ._app import say, warn, workspace


class Format(str, Enum):
    srt = "srt"
    vtt = "vtt"


def captions(
    path: Annotated[Path, typer.Argument(readable=False, help="Episode file or slug")],
    fmt: Annotated[Optional[Format], typer.Option(
        "--format", help="srt (SubRip, what YouTube takes) or vtt (WebVTT); default: from --out's suffix, else srt")] = None,
    out: Annotated[Optional[Path], typer.Option(
        "--out", readable=False, help="The file to write (default: build/<slug>/captions.<format>)")] = None,
    audio: Annotated[Optional[Path], typer.Option(
        "--audio", readable=False, help="A video or audio file to time the cues from (default: upload.video)")] = None,
) -> None:
    """Write the episode's captions: the spoken script in timed cues, aligned to the audio where there is some."""
    from ..paths import shown_path
    from ..pipeline.build import build_valid
    from ..pipeline.captionfile import make_captions
    from ..pipeline.captions import report_lines

    chosen = _format(fmt, out)
    ws = workspace()
    build = build_valid(ws, ws.select([path])[0])
    target, track = make_captions(ws, build, chosen, out, audio)
    say(f"wrote {shown_path(target)}: {len(track.cues)} cues, {track.timing.words} words")
    for note in track.timing.notes:
        warn(note)
    for line in report_lines(track):
        say(line)
    for problem in track.problems:
        warn(problem)


def _format(fmt: Format | None, out: Path | None) -> str:
    """The format asked for, or the one ``--out`` names by its suffix; a folder or a clash is refused."""
    if out is not None and out.is_dir():
        raise UsageError(f"--out: {out} is a folder; give the file's name, such as {out / 'captions.srt'}")
    suffix = out.suffix.lower().lstrip(".") if out is not None else ""
    if fmt is None:
        return suffix if suffix in Format.__members__ else Format.srt.value
    if suffix in Format.__members__ and suffix != fmt.value:
        raise UsageError(f"--out {out} ends in .{suffix} but --format is {fmt.value}; make them agree")
    return fmt.value


def register(app: typer.Typer) -> None:
    """Add ``captions`` to ``app``."""
    app.command()(captions)
