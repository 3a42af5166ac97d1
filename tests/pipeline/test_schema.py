"""Editors autocomplete from schema/*.json; these must match the models."""

from __future__ import annotations

from pathlib import Path

import pytest

from episodekit.models.schema import SCHEMAS, schema_text

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("filename", sorted(SCHEMAS))
def test_exported_schema_is_up_to_date(filename):
    exported = (REPO / "schema" / filename).read_text(encoding="utf-8")
    assert exported == schema_text(SCHEMAS[filename]), (
        f"schema/{filename} is stale: run `python publish.py schema`"
    )


@pytest.mark.parametrize(
    "path, schema",
    [("channel.yaml", "schema/channel.schema.json"), ("references.yaml", "schema/references.schema.json")]
    + [(str(p.relative_to(REPO)), "../schema/episode.schema.json") for p in sorted((REPO / "episodes").glob("*.yaml"))],
)
def test_sample_files_point_editors_at_their_schema(path, schema):
    first_line = (REPO / path).read_text(encoding="utf-8").splitlines()[0]
    assert first_line == f"# yaml-language-server: $schema={schema}"
