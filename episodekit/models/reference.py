"""Bibliography entries with CSL-JSON field names, and the channel's reference library."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    RootModel,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from ..paths import LIBRARY_FILE
from .base import StrictModel, YesNo
from .text import (
    WEB_ADDRESS_PATTERN,
    Line,
    case_insensitive,
    check_web_address,
    pattern_schema,
)

KEY = r"[A-Za-z0-9][A-Za-z0-9_.:-]*"  # a citation key, as written after @ in [@key]
KEY_PATTERN = f"^{KEY}$"
_KEY = re.compile(KEY_PATTERN)
DEFAULT_TYPE = "article-journal"  # the CSL type of an entry that names none
MARKS = frozenset({"review", "misattribution"})  # notes for a person on an entry: never rendered or fingerprinted


def _citation_key(value: str) -> str:
    if not _KEY.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a citation key: use letters, digits and _ . : - "
            "(starting with a letter or digit), e.g. kang2012"
        )
    return value


CitationKey = Annotated[
    str,
    AfterValidator(_citation_key),
    WithJsonSchema(pattern_schema(
        KEY_PATTERN, "letters, digits and _ . : - (starting with a letter or digit)", examples=["kang2012"]
    )),
    Field(description="A key of references.yaml"),
]

_BARE_INITIALS = re.compile(r"[A-Z]{2,3}")  # "HJ": initials without dots, which a style reads as one name


def split_initials(given: str) -> str | None:
    """``"H. J."`` for bare initials ``"HJ"`` (which the styles would shorten to "H"); None for others."""
    return " ".join(f"{c}." for c in given) if _BARE_INITIALS.fullmatch(given) else None


def full_page_range(page: str) -> str | None:
    """``"1413-1417"`` for a range stored abbreviated (``"1413-7"``); None for any other text."""
    match = _PAGES.fullmatch(page.strip())
    if not match:
        return None
    first, last = match.groups()
    full = first[:len(first) - len(last)] + last if len(last) < len(first) else last
    return f"{first}-{full}" if int(last) < int(first) <= int(full) else None
DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)  # accepted before a DOI
_DOI = re.compile(r"10\.[0-9]+(?:\.[0-9]+)*/\S+")
DOI_PATTERN = (
    f"^(?:{case_insensitive('http')}[sS]?://(?:{case_insensitive('dx')}\\.)?"
    f"{case_insensitive('doi')}\\.{case_insensitive('org')}/|{case_insensitive('doi')}:\\s*)?"
    f"{_DOI.pattern}$"
)
_PAGES = re.compile(r"^([0-9]{1,9})\s*[-–]\s*([0-9]{1,9})$")  # page numbers: 9 digits at most
NumberOrText = Annotated[str, WithJsonSchema({"type": ["string", "integer"]})]  # volume: 18, issue: 8
PMID_PATTERN = "^[0-9]+$"
_PMID = re.compile(PMID_PATTERN)
_PMID_SCHEMA = {**pattern_schema(PMID_PATTERN, "a PubMed id (digits)"), "type": ["string", "integer"]}
_URL_SCHEMA = pattern_schema(WEB_ADDRESS_PATTERN, "a full web address, https://...")
_DOI_SCHEMA = pattern_schema(DOI_PATTERN, "a DOI like 10.1038/nm.2886, without spaces")


class Author(StrictModel):
    """A person (``family`` + ``given``) or an organisation (``literal``)."""

    model_config = ConfigDict(
        json_schema_extra={"anyOf": [{"required": ["family"]}, {"required": ["literal"]}]}
    )

    family: Line | None = Field(None, description="Family name, e.g. Kang")
    given: Line | None = Field(
        None, description="Given names in full ('Hyo Jung') or as initials with dots ('H. J.')"
    )
    suffix: Line | None = Field(None, description="What follows the name, e.g. Jr. (BibTeX's 'Smith, Jr., John')")
    literal: Line | None = Field(None, description="An organisation, used as written")

    @model_validator(mode="after")
    def _family_or_literal(self) -> Author:
        if not self.family and not self.literal:
            raise ValueError("an author needs 'family' (a person) or 'literal' (an organisation)")
        return self


ISSUED_RULE = "a year (2012), a date (2012-06-30) or {date-parts: [[2012, 6, 30]]}"
_WRITE_ISSUED = f"write {ISSUED_RULE}"
DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")  # what YAML 1.1 reads as a date, real or not
_DATE_PATTERN = r"^[0-9]{4}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12][0-9]|3[01])$"  # YAML 1.2 editors see text
_PART_SCHEMA = {"prefixItems": [{}, {"minimum": 1, "maximum": 12}, {"minimum": 1, "maximum": 31}]}


class DateParts(StrictModel):
    """CSL's form of a date, {date-parts: [[year, month, day]]}; the month and the day may be left out."""

    date_parts: list[
        Annotated[list[int], Field(min_length=1, max_length=3, json_schema_extra=_PART_SCHEMA)]
    ] = Field(alias="date-parts", min_length=1, max_length=1, description="[[year, month, day]]")

    @field_validator("date_parts")
    @classmethod
    def _real_date(cls, value: list[list[int]]) -> list[list[int]]:
        for year, *rest in value:
            month, day = (rest + [None, None])[:2]
            if month is not None and not 1 <= month <= 12:
                raise ValueError(f"the month is {month}, and a month is 1 to 12")
            if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
                raise ValueError(f"{year}-{month:02d} has no day {day}")
        return value

    @classmethod
    def of(cls, value: date) -> DateParts:
        """A date as CSL-JSON date parts."""
        return cls(date_parts=[[value.year, value.month, value.day]])


def issued_value(value: Any) -> Any:
    """What ``issued`` was given, as a year or :class:`DateParts`; one ``ValueError`` saying what it may be."""
    if value is None or isinstance(value, DateParts):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        if len(digits := value.strip()) > 4:  # also keeps int() from refusing a number of thousands of digits
            raise ValueError(f"{digits if len(digits) <= 12 else digits[:12] + '...'} is not a year; {_WRITE_ISSUED}")
        return int(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return DateParts.of(value)
    if isinstance(value, str) and DATE_SHAPE.fullmatch(value.strip()):
        try:
            return DateParts.of(date.fromisoformat(value.strip()))
        except ValueError:
            raise ValueError(f"{value.strip()} is not a date that exists; {_WRITE_ISSUED}") from None
    if isinstance(value, dict):
        try:
            return DateParts.model_validate(value)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            said = first["msg"].removeprefix("Value error, ")
            raise ValueError(f"{where}: {said}; {_WRITE_ISSUED}") from None
    if isinstance(value, datetime):
        raise ValueError(f"is a date and time; {_WRITE_ISSUED}")
    shown = {bool: "a yes/no value", list: "a list"}.get(type(value), repr(value))
    raise ValueError(f"{shown} is not a year or a date; {_WRITE_ISSUED}")


def _date_as_text(schema: dict[str, Any]) -> None:
    """The schema of ``issued`` takes a date as text as well: an editor reading YAML 1.2 sees one so."""
    schema["anyOf"].insert(1, pattern_schema(_DATE_PATTERN, f"{ISSUED_RULE}; a month is 1 to 12"))


class Reference(StrictModel):
    """One work that an episode cites (CSL-JSON names; full page ranges)."""

    id: CitationKey | None = Field(None, description="Required for entries written inside an episode")
    type: Literal[
        "article-journal", "book", "chapter", "report", "webpage", "article", "thesis", "dataset"
    ] = DEFAULT_TYPE
    author: list[Author] = Field(default_factory=list, description="Authors in order")
    authors_incomplete: YesNo = Field(
        False,
        alias="authors-incomplete",
        description="Only the first authors are listed; the rendering adds 'et al.'",
    )
    title: Line
    container_title: Line | None = Field(None, alias="container-title", description="Journal or book")
    container_title_short: Line | None = Field(None, alias="container-title-short")
    publisher: Line | None = None
    issued: int | DateParts | None = Field(
        None, description=f"The year or date of publication: {ISSUED_RULE}", examples=[2012],
        json_schema_extra=_date_as_text,
    )
    volume: NumberOrText | None = None
    issue: NumberOrText | None = None
    page: NumberOrText | None = Field(None, description="The full page range, e.g. 1413-1417")
    DOI: Annotated[str, WithJsonSchema(_DOI_SCHEMA)] | None = Field(
        None, description="e.g. 10.1038/nm.2886 (a doi.org link is accepted)", examples=["10.1038/nm.2886"]
    )
    PMID: Annotated[str, WithJsonSchema(_PMID_SCHEMA)] | None = Field(
        None, description="PubMed id (digits)", examples=["22729102"]
    )
    URL: Annotated[str, WithJsonSchema(_URL_SCHEMA)] | None = Field(
        None, description="Web address of the work, e.g. https://example.org/report"
    )
    review: Line | None = Field(
        None, description="Why this entry needs a look (import writes it when a typed citation was read "
        "unsure); check the entry against the paper, then delete this line"
    )
    misattribution: Line | None = Field(
        None, description="A suspected misattribution (import writes it): the record of this DOI names another "
        "first author or year than the citation as typed, and was not applied; `refs verify --fix KEY` takes "
        "the record (and removes this line), or delete DOI and this line if the typed citation is right"
    )

    @field_validator("volume", "issue", "page", "PMID", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("issued", mode="before")
    @classmethod
    def _year_or_date(cls, value: Any) -> Any:
        return issued_value(value)

    @field_validator("DOI")
    @classmethod
    def _bare_doi(cls, value: str | None) -> str | None:
        if value is None:
            return None
        doi = DOI_PREFIX.sub("", value).strip()
        if any(c.isspace() for c in doi):
            raise ValueError(f"{value!r} is not a DOI: a DOI has no spaces")
        if not _DOI.fullmatch(doi):
            raise ValueError(f"{value!r} is not a DOI (it starts with '10.' and has a '/')")
        return doi

    @field_validator("PMID")
    @classmethod
    def _digits(cls, value: str | None) -> str | None:
        if value is not None and not _PMID.fullmatch(value):
            raise ValueError(f"{value!r} is not a PubMed id (digits only)")
        return value

    @field_validator("URL")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        return None if value is None else check_web_address(value)

    @field_validator("page")
    @classmethod
    def _range_forwards(cls, value: str | None) -> str | None:
        """A range that ends before it starts, even read as abbreviated (1419-5), is a mistake; an
        abbreviated one (1413-7) is read in full, and ``check`` warns (see ``pipeline.reflint``)."""
        text = (value or "").strip()
        if re.search(r"[0-9]{10}", text):
            raise ValueError(f"{text[:20]}…: a page number has at most 9 digits")
        match = _PAGES.fullmatch(text)
        if match and int(match.group(2)) < int(match.group(1)) and full_page_range(value or "") is None:
            raise ValueError(f"the page range {value} ends before it starts; write the full range, e.g. 1413-1417")
        return value

    def to_csl(self, key: str) -> dict[str, Any]:
        """This entry as a CSL-JSON item with id ``key``."""
        data = self.model_dump(by_alias=True, exclude_none=True, exclude={"id", *MARKS})
        data["id"] = key
        if isinstance(self.issued, int):
            data["issued"] = {"date-parts": [[self.issued]]}
        if not self.authors_incomplete:
            data.pop("authors-incomplete", None)
        return data


class ReferenceLibrary(RootModel):  # type: ignore[type-arg]  # unparametrized: RootModel[...] builds at import
    """``references.yaml``: citation key -> entry, shared by every episode."""

    model_config = ConfigDict(
        json_schema_extra={"additionalProperties": False, "propertyNames": {"pattern": KEY_PATTERN}},
        defer_build=True,  # built when a library is first read, as the other models
    )

    root: dict[CitationKey, Reference] = Field(default_factory=dict)
    _path: str = PrivateAttr(LIBRARY_FILE)
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)

    def located(self, path: str, lines: dict[str, int]) -> ReferenceLibrary:
        """This library, knowing the file it was read from and the line of each key."""
        self._path, self._lines = path, dict(lines)
        return self

    def lines(self) -> dict[str, int]:
        """The line of each entry's key, as :meth:`located` was told it."""
        return self._lines

    def where(self, key: str) -> tuple[str, int | None]:
        """The file and line where entry ``key`` is written."""
        return self._path, self._lines.get(key)
