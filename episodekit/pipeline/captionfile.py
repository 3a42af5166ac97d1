"""``captions``: one caption track written to a file, timed from the audio where there is some.

The audio is ``--audio``, else the episode's ``upload.video`` when that file is there. Alignment
needs the ``align`` extra and a model for the episode's language (pocketsphinx ships US English);
without them the track is timed by the estimate and the notes say why. A missing ``--audio`` file is
an error; a missing ``upload.video`` is only a note (the video may not be made yet).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import MissingFileError
from ..paths import BUILD_DIR, shown_path
from ..workspace import Workspace
from .build import EpisodeBuild
from .captions import CAPTION_FILES, CaptionTrack, Measured, caption_track, language_of, spoken_of
from .output import write_page


def make_captions(ws: Workspace, build: EpisodeBuild, fmt: str, target: Path | None = None,
                  audio: Path | None = None) -> tuple[Path, CaptionTrack]:
    """``captions``: the track of ``build`` written as ``fmt`` to ``target`` (default
    ``build/<slug>/captions.<fmt>``), timed from ``audio``, else from the episode's ``upload.video``
    when that file is there, else by the estimate. Returns where it was written, and the track."""
    assert build.resolved is not None
    measured, notes = _measure(ws, build, audio)
    track = caption_track(build.resolved, measured, notes)
    target = target or ws.root / BUILD_DIR / build.slug / CAPTION_FILES[fmt]
    return write_page(target, track.as_format(fmt)), track


def _measure(ws: Workspace, build: EpisodeBuild, audio: Path | None) -> tuple[Measured | None, list[str]]:
    """The word times in the audio, if there is audio to align and a model for the language; else
    None, with the reason among the notes."""
    assert build.resolved is not None
    from . import align

    video = build.resolved.episode.model.upload.video
    if audio is None and video:
        audio = ws.root / video
        if not audio.is_file():
            return None, [f"upload.video {video} is not there yet; the times are estimated"]
        if (missing := align.extra_missing()) is not None:
            return None, [f"{missing}; the times are estimated"]
    elif audio is not None and not audio.is_file():
        raise MissingFileError(f"--audio: {audio} is not a file; give the video or an audio file of the episode")
    if audio is None:
        return None, []
    return measure(build, audio)


def measure(build: EpisodeBuild, audio: Path) -> tuple[Measured | None, list[str]]:
    """The word times of ``build``'s script in ``audio`` (a file that is there), or None with the reason
    (a language without a model, speech where the script was not found). ``AlignmentError`` when the
    ``align`` extra is missing or ffmpeg cannot read the audio."""
    assert build.resolved is not None
    from . import align

    language = language_of(build.resolved)
    if language and not language.lower().startswith("en"):
        return None, [f"no speech model for the language {language!r} (pocketsphinx's wheel has US English only); "
                      "the times are estimated"]
    shown = shown_path(audio)
    found = align.align(spoken_of(build.resolved), audio, shown)
    if not any(found.spans):
        return None, [f"no alignment of the script was found in {shown}; the times are estimated"]
    return Measured(shown, found.spans, found.seconds), []
