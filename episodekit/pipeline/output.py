"""Writing rendered episodes to disk (all of them or none), and what ``preview`` reports."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from ..atomic import write_text_atomic
from .build import EpisodeBuild, require_valid
from .limits import (
    DESCRIPTION_MAX_BYTES,
    TAGS_MAX_CHARS,
    TITLE_MAX_CHARS,
    description_bytes,
    tags_length,
)
from .render import OUTPUT_FILES, format_duration

log = logging.getLogger(__name__)


def render_to(builds: Sequence[EpisodeBuild], out_dir: Path,
              progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Write ``builds`` into ``out_dir/<slug>/``; if any of them is invalid, write nothing.

    ``progress(done, total)`` is called after each episode is written.
    """
    require_valid(list(builds))
    written = []
    for done, build in enumerate(builds, 1):
        assert build.rendered is not None
        folder = out_dir / build.rendered.slug
        for part, filename in OUTPUT_FILES.items():
            target = folder / filename
            write_text_atomic(target, build.rendered.part(part))
            written.append(target)
        log.debug("wrote %s", folder)
        if progress is not None:
            progress(done, len(builds))
    return written


def summary_lines(build: EpisodeBuild) -> list[str]:
    """What ``preview`` tells on stderr: the limits used, the runtime, the warnings."""
    rendered = build.rendered
    assert rendered is not None
    lines = [
        f"description: {description_bytes(rendered.description)} of {DESCRIPTION_MAX_BYTES} bytes",
        f"title: {len(rendered.title)} of {TITLE_MAX_CHARS} characters",
        f"tags: {tags_length(rendered.tags)} of {TAGS_MAX_CHARS} characters ({len(rendered.tags)} tags)",
        f"script: {rendered.words} words, about {format_duration(rendered.runtime_seconds)}",
    ]
    if build.slot is not None:
        lines.append(
            f"release: {build.slot.local:%a %Y-%m-%d %H:%M %Z} ({build.slot.utc:%Y-%m-%dT%H:%M:%SZ})"
        )
    lines.extend(str(p) for p in build.problems if not p.is_error)
    return lines
