"""Shared model configuration."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, WithJsonSchema

# YAML 1.1 (what episodekit reads) calls these yes/no values; an editor reading YAML 1.2 sees text
_YES_NO_WORDS = [w for word in ("yes", "no", "on", "off") for w in (word, word.title(), word.upper())]
YesNo = Annotated[bool, WithJsonSchema({"anyOf": [{"type": "boolean"}, {"enum": _YES_NO_WORDS}]})]
Privacy = Literal["private", "unlisted", "public"]  # a video's privacy on YouTube


class StrictModel(BaseModel):
    """A model whose files may not carry unknown keys and whose values are frozen."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        str_strip_whitespace=True,
        defer_build=True,  # a model's validator is built when first used: what a command never reads costs nothing
    )
