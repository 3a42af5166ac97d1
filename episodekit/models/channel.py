"""``channel.yaml``: the settings every episode of a channel shares."""

from __future__ import annotations

import re
import string
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ConfigDict, Field, HttpUrl, ValidationInfo, WithJsonSchema, field_validator

from .base import Privacy, StrictModel, YesNo
from .captionsettings import CaptionSettings
from .slot import HHMM, WEEKDAYS, WeeklySlot, parse_hhmm, parse_slot
from .text import (
    WEB_ADDRESS_PATTERN,
    Language,
    PublicLine,
    case_insensitive,
    check_paragraph,
    check_web_address,
    pattern_schema,
    text_schema,
)

_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
EMAIL_PATTERN = rf'^[^@\s<>()\[\]\\,;:"]+@{_LABEL}(?:\.{_LABEL})+$'  # one line: it goes into a request header
EMAIL = re.compile(EMAIL_PATTERN)
SCHEDULE_PLACEHOLDERS = ("slots", "subscribe_url", "channel")  # what schedule_line may fill in
CHANNEL_ID_PATTERN = r"^UC[A-Za-z0-9_-]{22}$"  # a YouTube channel id: UC and 22 more characters
CHANNEL_ID = re.compile(CHANNEL_ID_PATTERN)


def placeholders(last_word: str = "") -> str:
    """The placeholders as a message lists them: ``{slots}, {subscribe_url} or {channel}`` (commas only
    without ``last_word``)."""
    names = [f"{{{name}}}" for name in SCHEDULE_PLACEHOLDERS]
    return f"{', '.join(names[:-1])} {last_word} {names[-1]}" if last_word else ", ".join(names)


_PLACEHOLDER = rf"\{{(?:{'|'.join(sorted(SCHEDULE_PLACEHOLDERS))})(?:![rsa])?(?::[^{{}}]*)?\}}"
SCHEDULE_LINE_SCHEMA = {
    **text_schema(one_line=False, public=True),
    "allOf": [{
        "pattern": rf"^(?:[^{{}}]|\{{\{{|\}}\}}|{_PLACEHOLDER})*$",
        "patternErrorMessage": f"the placeholders are {placeholders('and')}; write {{{{ and }}}} for braces",
    }],
    "examples": ["A new video every {slots}. Subscribe: {subscribe_url}"],
}
def check_schedule_line(value: str) -> str:
    """``value`` when it is a schedule sentence whose placeholders are known and take no format;
    ``ValueError`` saying what is wrong otherwise."""
    check_paragraph(value)
    try:
        fields = [(n, spec, conv) for _, n, spec, conv in string.Formatter().parse(value) if n is not None]
    except ValueError as exc:
        raise ValueError(f"bad braces: {exc}; write {{{{ and }}}} for literal braces") from None
    for name, spec, conversion in fields:
        if spec or conversion:  # "{slots:{channel}}" would format with the channel's name as a spec
            written = f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
            raise ValueError(
                f"{written}: a placeholder takes no format or conversion; write {placeholders('or')} "
                "as they are, and {{ }} for literal braces"
            )
    unknown = {name for name, _, _ in fields} - set(SCHEDULE_PLACEHOLDERS)
    if unknown:
        raise ValueError(f"unknown placeholder {{{sorted(unknown)[0]}}}; use {placeholders('or')}")
    return value


DEFAULT_HEADINGS = {"chapters": "Chapters", "videos": "Videos referenced in this video", "references": "References"}


class Headings(StrictModel):
    """The headings of a description's blocks; one left out is the default language's (the packaged
    English ones unless the channel's ``headings`` say otherwise)."""

    chapters: PublicLine | None = Field(None, examples=[DEFAULT_HEADINGS["chapters"]])
    videos: PublicLine | None = Field(None, examples=[DEFAULT_HEADINGS["videos"]])
    references: PublicLine | None = Field(None, examples=[DEFAULT_HEADINGS["references"]])


class ChannelLanguage(StrictModel):
    """The channel's text in one more language; what is left out is shown in the default language
    (``check`` warns)."""

    disclaimer: str | bool | None = Field(
        None, description="The disclaimer in this language; false for none",
        json_schema_extra={"anyOf": [text_schema(one_line=False, public=True), {"const": False}]},
    )
    schedule_line: str | None = Field(
        None, description=f"The closing sentence in this language; may use {placeholders()}",
        json_schema_extra=SCHEDULE_LINE_SCHEMA,
    )
    headings: Headings = Field(default_factory=Headings)

    @field_validator("disclaimer")
    @classmethod
    def _disclaimer_text(cls, value: str | bool | None) -> str | bool | None:
        if value is True:
            raise ValueError("write the disclaimer's text in this language; false for none")
        return check_paragraph(value) if isinstance(value, str) else value

    _schedule_line = field_validator("schedule_line")(check_schedule_line)


WEEKDAY_SCHEMA = {
    "anyOf": [
        {"enum": list(WEEKDAYS)},
        {"type": "string", "pattern": rf"^\s*(?:{'|'.join(case_insensitive(d) for d in WEEKDAYS)})\s*$"},
    ]
}


class ReleaseSlot(StrictModel):
    """A weekly release time: a weekday and a local wall-clock time."""

    weekday: Annotated[Literal[WEEKDAYS], WithJsonSchema(WEEKDAY_SCHEMA)]  # type: ignore[valid-type]
    time: str = Field(
        description="Local time, 24-hour 'HH:MM'",
        examples=["09:00", "17:30"],
        json_schema_extra=pattern_schema(rf"^\s*{HHMM.pattern}\s*$", "a 24-hour time like 09:00"),
    )

    @field_validator("weekday", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("time")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        # an unquoted 09:00 (the YAML 1.1 number 540) arrives as written: see files.load
        return f"{parse_hhmm(value):%H:%M}"

    @property
    def weekly(self) -> WeeklySlot:
        """The slot as a weekday and a time."""
        return parse_slot(self.weekday, self.time)


class UploadDefaults(StrictModel):
    """What an episode gets unless its ``upload`` section says otherwise."""

    privacy: Privacy = "private"
    category: int = Field(27, description="YouTube category id; 27 is Education")
    made_for_kids: YesNo = False
    language: Language = Field("en", description="BCP-47 language of titles and descriptions")
    playlist: str | None = None


class Channel(StrictModel):
    """Channel-wide settings, found as ``channel.yaml`` in the channel folder."""

    model_config = ConfigDict(**StrictModel.model_config, json_schema_extra={  # truncating needs the full list's page
        "if": {"required": ["description_overflow"],
               "properties": {"description_overflow": {"const": "truncate-references"}}},
        "then": {"required": ["full_references_url"]},
    })

    name: PublicLine
    subscribe_url: HttpUrl = Field(
        json_schema_extra=pattern_schema(WEB_ADDRESS_PATTERN, "a full web address, https://...")
    )
    timezone: str = Field(
        description="IANA time zone of the release slots, e.g. America/New_York",
        examples=["America/New_York", "Europe/Berlin", "UTC"],
        json_schema_extra=pattern_schema(
            r"^[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*$", "an IANA time zone such as America/New_York"
        ),
    )
    slots: list[ReleaseSlot] = Field(min_length=1, description="Weekly release slots")
    schedule_line: str = Field(
        description=f"Closing sentence of every description; may use {placeholders()}",
        json_schema_extra=SCHEDULE_LINE_SCHEMA,
    )
    disclaimer: str | None = Field(
        None,
        description="Default disclaimer paragraph; leave it out (or write false) for none",
        json_schema_extra={
            "anyOf": [text_schema(one_line=False, public=True), {"type": "null"}, {"const": False}]
        },
    )
    tags: list[PublicLine] = Field(default_factory=list, description="Tags every video gets")
    upload: UploadDefaults = Field(default_factory=UploadDefaults)
    headings: Headings = Field(default_factory=Headings, description="The description's headings")
    languages: dict[Language, ChannelLanguage] = Field(
        default_factory=dict, description="The disclaimer, schedule line and headings in other languages, by "
        "BCP-47 code (pt-BR), for episodes with localizations"
    )
    citation_style: Literal["vancouver", "ama", "apa"] = "vancouver"
    reference_identifier: Literal["doi-url", "doi", "pmid", "none"] = Field(
        "doi-url",
        description="How each reference ends: doi-url (https://doi.org/..., else PMID), doi (doi: 10...., "
        "else PMID), pmid (PMID: n, else the doi.org link) or none",
    )
    full_references_url: str | None = Field(
        None,
        description="Page with an episode's full reference list, {slug} filled in; needed by truncate-references",
        examples=["https://example.org/references/{slug}"],
        json_schema_extra=pattern_schema(
            r"^[hH][tT][tT][pP][sS]?://[^\s/?#<>]+[^\s<>]*$", "a full web address, https://..."
        ),
    )
    description_overflow: Literal["error", "truncate-references"] = Field(
        "error",
        description="A description over YouTube's 5000 bytes: error (refuse it) or truncate-references "
        "(keep the references that fit, then a line with full_references_url)",
    )
    words_per_minute: int = Field(150, ge=60, le=400, description="Speaking rate for runtime estimates")
    captions: CaptionSettings = Field(default_factory=CaptionSettings, description="How caption tracks go to YouTube")
    client_secrets: str | None = Field(
        None, description="Path of the OAuth client file (never commit it)"
    )
    contact_email: str | None = Field(
        None, description="Your e-mail address, sent to doi.org and NCBI with each lookup (their polite use)",
        examples=["you@example.org"], json_schema_extra=pattern_schema(EMAIL_PATTERN, "an e-mail address, you@example.org"),
    )

    youtube_channel: str | None = Field(
        None, description="The id of the YouTube channel this folder publishes to (UC...); written by "
        "`auth login` or the first upload, with the channel's title as a comment. Every command that writes to "
        "YouTube refuses a sign-in of another channel",
        examples=["UCxxxxxxxxxxxxxxxxxxxxxx"],
        json_schema_extra=pattern_schema(CHANNEL_ID_PATTERN, "a YouTube channel id: UC and 22 letters, digits, - or _"),
    )

    @field_validator("youtube_channel")
    @classmethod
    def _channel_id(cls, value: str | None) -> str | None:
        if value is not None and not CHANNEL_ID.fullmatch(value.strip()):
            raise ValueError(f"{value!r} is not a YouTube channel id (UC and 22 letters, digits, - or _, as in "
                             "youtube.com/channel/UC...); `auth login` in this folder writes it")
        return None if value is None else value.strip()

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL.fullmatch(value.strip()):
            raise ValueError(f"{value!r} is not an e-mail address such as you@example.org")
        return None if value is None else value.strip()

    @field_validator("full_references_url")
    @classmethod
    def _references_page(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            fields = [part[1:] for part in string.Formatter().parse(value) if part[1] is not None]
            filled = value.format(slug="slug") if all(f == ("slug", "", None) for f in fields) else ""
        except (ValueError, KeyError, IndexError):
            filled = ""
        if not filled:
            raise ValueError(
                f"{value!r}: the one placeholder is {{slug}}, the episode's slug (write {{{{ and }}}} for braces)"
            )
        if any(c in filled for c in "<>"):
            raise ValueError(f"{value!r} has '<' or '>', which YouTube rejects in a description")
        try:
            check_web_address(filled)
        except ValueError:
            raise ValueError(f"{value!r} is not a web address; write it in full, e.g. "
                             "https://example.org/references/{slug}") from None
        return value

    @field_validator("description_overflow")
    @classmethod
    def _truncate_needs_a_page(cls, value: str, info: ValidationInfo) -> str:
        known = info.data.get("full_references_url", "")  # absent from data when it failed its own check
        if value == "truncate-references" and known is None:
            raise ValueError(
                "description_overflow: truncate-references needs full_references_url, the page with the full "
                "list, e.g. full_references_url: \"https://example.org/references/{slug}\""
            )
        return value

    def references_page(self, slug: str) -> str | None:
        """The address of an episode's full reference list, when the channel has one."""
        return self.full_references_url.format(slug=slug) if self.full_references_url else None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone such as 'America/New_York'") from None
        return value

    @field_validator("disclaimer", mode="before")
    @classmethod
    def _no_disclaimer(cls, value: object) -> object:
        if value is True:
            raise ValueError("write the disclaimer's text; leave it out (or write false) for none")
        return None if value is False else value

    @field_validator("disclaimer")
    @classmethod
    def _disclaimer_text(cls, value: str | None) -> str | None:
        return None if value is None else check_paragraph(value)

    _schedule_line = field_validator("schedule_line")(check_schedule_line)

    @field_validator("languages")
    @classmethod
    def _not_the_default(cls, value: dict[str, ChannelLanguage], info: ValidationInfo) -> dict[str, ChannelLanguage]:
        upload = info.data.get("upload")
        default = upload.language if isinstance(upload, UploadDefaults) else None
        if default in value:
            raise ValueError(
                f"{default} is the channel's upload.language: its text is the channel's own disclaimer, "
                f"schedule_line and headings (at the top of this file), so leave {default} out of languages"
            )
        return value

    @property
    def default_headings(self) -> dict[str, str]:
        """The headings of the default language's descriptions: the channel's ``headings``, else English."""
        return {name: getattr(self.headings, name) or text for name, text in DEFAULT_HEADINGS.items()}

    @property
    def zone(self) -> ZoneInfo:
        """The channel's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def weekly_slots(self) -> list[WeeklySlot]:
        """The release slots as values the schedule computes with."""
        return [slot.weekly for slot in self.slots]
