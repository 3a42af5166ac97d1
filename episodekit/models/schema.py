"""JSON Schemas of the channel's files, for editors (``# yaml-language-server: $schema=...``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import BaseModel

from ..atomic import write_failure, write_text_atomic
from ..errors import OutputError
from ..paths import SCHEMA_DIR, shown_path
from . import Channel, Episode, ReferenceLibrary

SCHEMAS: dict[str, type[BaseModel]] = {
    "channel.schema.json": Channel,
    "episode.schema.json": Episode,
    "references.schema.json": ReferenceLibrary,
}


def schema_text(model: type[BaseModel]) -> str:
    """The JSON Schema of ``model`` (draft 2020-12), as sorted, indented JSON."""
    schema = model.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def export_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder``; returns the files written.

    The folder is created and checked before the first file is written, so a folder that
    cannot hold them (a file in its place, no permission) is ``OutputError`` with nothing written.
    """
    targets = [folder / name for name in SCHEMAS]
    _prepare(folder, targets)
    written: list[Path] = []
    for target, model in zip(targets, SCHEMAS.values()):
        try:
            write_text_atomic(target, schema_text(model))
        except OSError as exc:
            where, why = write_failure(exc, target)
            raise OutputError(f"{shown_path(where)}: {why}; {len(written)} of {len(targets)} schemas written") from None
        written.append(target)
    return written


def _prepare(folder: Path, targets: list[Path]) -> None:
    """Create ``folder`` and make sure ``targets`` can be written in it; ``OutputError`` saying why not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        where, why = write_failure(exc, folder, folder=True)
        raise OutputError(f"{shown_path(where)}: {why}; nothing was written") from None
    for target in targets:
        if target.is_dir():
            raise OutputError(f"{shown_path(target)}: is a folder, not a file; nothing was written")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{shown_path(folder)}: no permission to write in this folder; nothing was written")
