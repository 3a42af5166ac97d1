"""``channel.yaml``: the settings every episode of a channel shares."""

from __future__ import annotations

import string
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, HttpUrl, field_validator

from .base import StrictModel
from .slot import WEEKDAYS, WeeklySlot, parse_hhmm, parse_slot

SCHEDULE_PLACEHOLDERS = {"slots", "subscribe_url", "channel"}


class ReleaseSlot(StrictModel):
    """A weekly release time: a weekday and a local wall-clock time."""

    weekday: Literal[WEEKDAYS]  # type: ignore[valid-type]  # Literal[("a", "b")] is Literal["a", "b"]
    time: str = Field(description="Local time, 24-hour 'HH:MM'")

    @field_validator("weekday", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("time", mode="before")
    @classmethod
    def _hhmm(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            # YAML 1.1 reads an unquoted 09:00 as the sexagesimal number 540
            value = f"{value // 60:02d}:{value % 60:02d}"
        return f"{parse_hhmm(value):%H:%M}"

    @property
    def weekly(self) -> WeeklySlot:
        return parse_slot(self.weekday, self.time)


class UploadDefaults(StrictModel):
    """What an episode gets unless its ``upload`` section says otherwise."""

    privacy: Literal["private", "unlisted", "public"] = "private"
    category: int = Field(27, description="YouTube category id; 27 is Education")
    made_for_kids: bool = False
    language: str = Field("en", description="BCP-47 language of titles and descriptions")
    playlist: str | None = None


class Channel(StrictModel):
    """Channel-wide settings, found as ``channel.yaml`` in the channel folder."""

    name: str = Field(min_length=1)
    subscribe_url: HttpUrl
    timezone: str = Field(description="IANA time zone of the release slots, e.g. America/New_York")
    slots: list[ReleaseSlot] = Field(min_length=1, description="Weekly release slots")
    schedule_line: str = Field(
        description="Closing sentence of every description; may use {slots}, {subscribe_url}, {channel}"
    )
    disclaimer: str | None = Field(None, description="Default disclaimer paragraph")
    tags: list[str] = Field(default_factory=list, description="Tags every video gets")
    upload: UploadDefaults = Field(default_factory=UploadDefaults)
    citation_style: Literal["vancouver", "ama", "apa"] = "vancouver"
    words_per_minute: int = Field(150, ge=60, le=400, description="Speaking rate for runtime estimates")
    client_secrets: str | None = Field(
        None, description="Path of the OAuth client file (never commit it)"
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone such as 'America/New_York'") from None
        return value

    @field_validator("schedule_line")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        try:
            fields = [(n, spec, conv) for _, n, spec, conv in string.Formatter().parse(value) if n is not None]
        except ValueError as exc:
            raise ValueError(f"bad braces: {exc}; write {{{{ and }}}} for literal braces") from None
        for name, spec, conversion in fields:
            if spec or conversion:  # "{slots:{channel}}" would format with the channel's name as a spec
                written = f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
                raise ValueError(
                    f"{written}: a placeholder takes no format or conversion; write {{slots}}, "
                    f"{{subscribe_url}} or {{channel}} as they are, and {{{{ }}}} for literal braces"
                )
        names = {name for name, _, _ in fields}
        unknown = names - SCHEDULE_PLACEHOLDERS
        if unknown:
            raise ValueError(
                f"unknown placeholder {{{sorted(unknown)[0]}}}; use {{slots}}, {{subscribe_url}} or {{channel}}"
            )
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def weekly_slots(self) -> list[WeeklySlot]:
        """The release slots as values the schedule computes with."""
        return [slot.weekly for slot in self.slots]
