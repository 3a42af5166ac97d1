"""Shared model configuration."""

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """A model whose files may not carry unknown keys and whose values are frozen."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        str_strip_whitespace=True,
    )
