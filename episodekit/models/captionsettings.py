"""``captions:`` in channel.yaml and in an episode: how the caption track made from the script goes to YouTube."""

from __future__ import annotations

from pydantic import Field, field_validator

from .base import StrictModel, YesNo
from .text import PublicLine

CAPTION_NAME_MAX_CHARS = 150  # YouTube refuses a longer snippet.name (nameTooLong)
DEFAULT_CAPTION_NAME = "From the script"  # shown beside the language in the player's captions menu


class CaptionSettings(StrictModel):
    """How the track goes to YouTube; in an episode, what it leaves out comes from channel.yaml."""

    upload: YesNo | None = Field(None, description="Send the track after the video, and keep it in sync (default yes)")
    draft: YesNo | None = Field(
        None, description="Upload a new track as a draft, to review and publish in YouTube Studio (default yes)")
    name: PublicLine | None = Field(
        None, description=f"The track's name beside its language (default {DEFAULT_CAPTION_NAME!r}); at most "
        f"{CAPTION_NAME_MAX_CHARS} characters", json_schema_extra={"maxLength": CAPTION_NAME_MAX_CHARS})

    @field_validator("name")
    @classmethod
    def _short(cls, value: str | None) -> str | None:
        if value is not None and len(value) > CAPTION_NAME_MAX_CHARS:
            raise ValueError(f"is {len(value)} characters; YouTube takes a caption track name of at most "
                             f"{CAPTION_NAME_MAX_CHARS} (it refuses a longer one as nameTooLong)")
        return value


def caption_setting(episode: CaptionSettings, channel: CaptionSettings, name: str) -> object:
    """The episode's value of ``name``, else the channel's, else the default (upload and draft: yes)."""
    for settings in (episode, channel):
        value = getattr(settings, name)
        if value is not None:
            return value
    return DEFAULT_CAPTION_NAME if name == "name" else True
