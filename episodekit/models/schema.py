"""JSON Schemas of the channel's files, for editors (``# yaml-language-server: $schema=...``)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from ..atomic import write_text_atomic
from . import Channel, Episode, ReferenceLibrary

SCHEMA_DIR = "schema"
SCHEMAS: dict[str, type[BaseModel]] = {
    "channel.schema.json": Channel,
    "episode.schema.json": Episode,
    "references.schema.json": ReferenceLibrary,
}


def schema_text(model: type[BaseModel]) -> str:
    schema = model.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def export_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder``; returns the files written."""
    written = []
    for filename, model in SCHEMAS.items():
        target = folder / filename
        write_text_atomic(target, schema_text(model))
        written.append(target)
    return written
