"""Writing rendered episodes to disk (all of them or none), and what ``preview`` reports."""

from __future__ import annotations

from collections.abc import Sequence
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


def render_to(builds: Sequence[EpisodeBuild], out_dir: Path) -> list[Path]:
    """Write ``builds`` into ``out_dir/<slug>/``; if any of them is invalid, write nothing."""
    require_valid(list(builds))
    written = []
    for build in builds:
        assert build.rendered is not None
        folder = out_dir / build.rendered.slug
        for part, filename in OUTPUT_FILES.items():
            target = folder / filename
            write_text_atomic(target, build.rendered.part(part))
            written.append(target)
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
