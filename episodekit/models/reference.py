"""Bibliography entries with CSL-JSON field names, and the channel's reference library."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, RootModel, field_validator, model_validator

from .base import StrictModel

KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"
CitationKey = Annotated[str, Field(pattern=KEY_PATTERN, description="A key of references.yaml")]

_BARE_INITIALS = re.compile(r"^[A-Z]{2,3}$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_PAGES = re.compile(r"^(\d+)\s*[-–]\s*(\d+)$")


class Author(StrictModel):
    """A person (``family`` + ``given``) or an organisation (``literal``)."""

    family: str | None = Field(None, description="Family name, e.g. Kang")
    given: str | None = Field(
        None, description="Given names in full ('Hyo Jung') or as initials with dots ('H. J.')"
    )
    literal: str | None = Field(None, description="An organisation, used as written")

    @model_validator(mode="after")
    def _family_or_literal(self) -> Author:
        if not self.family and not self.literal:
            raise ValueError("an author needs 'family' (a person) or 'literal' (an organisation)")
        if self.given and _BARE_INITIALS.fullmatch(self.given):
            spaced = " ".join(f"{c}." for c in self.given)
            raise ValueError(
                f"given name {self.given!r} looks like bare initials, which the style cannot split; "
                f"write the full given names or {spaced!r}"
            )
        return self


class DateParts(StrictModel):
    date_parts: list[list[int]] = Field(alias="date-parts", min_length=1, max_length=1)


class Reference(StrictModel):
    """One work that an episode cites (CSL-JSON names; full page ranges)."""

    id: CitationKey | None = Field(None, description="Required for entries written inside an episode")
    type: Literal[
        "article-journal", "book", "chapter", "report", "webpage", "article", "thesis", "dataset"
    ] = "article-journal"
    author: list[Author] = Field(default_factory=list, description="Authors in order")
    authors_incomplete: bool = Field(
        False,
        alias="authors-incomplete",
        description="Only the first authors are listed; the rendering adds 'et al.'",
    )
    title: str = Field(min_length=1)
    container_title: str | None = Field(None, alias="container-title", description="Journal or book")
    container_title_short: str | None = Field(None, alias="container-title-short")
    publisher: str | None = None
    issued: int | DateParts | None = Field(None, description="Year, or CSL {date-parts: [[y, m, d]]}")
    volume: str | None = None
    issue: str | None = None
    page: str | None = Field(None, description="The full page range, e.g. 1413-1417")
    DOI: str | None = Field(None, description="e.g. 10.1038/nm.2886 (a doi.org link is accepted)")
    PMID: str | None = None
    URL: str | None = None

    @field_validator("volume", "issue", "PMID", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("DOI")
    @classmethod
    def _bare_doi(cls, value: str | None) -> str | None:
        if value is None:
            return None
        doi = _DOI_PREFIX.sub("", value).strip()
        if not doi.startswith("10.") or "/" not in doi:
            raise ValueError(f"{value!r} is not a DOI (it starts with '10.' and has a '/')")
        return doi

    @field_validator("PMID")
    @classmethod
    def _digits(cls, value: str | None) -> str | None:
        if value is not None and not value.isdigit():
            raise ValueError(f"{value!r} is not a PubMed id (digits only)")
        return value

    @field_validator("page")
    @classmethod
    def _full_range(cls, value: str | None) -> str | None:
        match = _PAGES.fullmatch(value or "")
        if match and int(match.group(2)) < int(match.group(1)):
            raise ValueError(
                f"store the full page range (e.g. 1413-1417, not {value}); the style abbreviates it"
            )
        return value

    def to_csl(self, key: str) -> dict[str, Any]:
        """This entry as a CSL-JSON item with id ``key``."""
        data = self.model_dump(by_alias=True, exclude_none=True, exclude={"id"})
        data["id"] = key
        if isinstance(self.issued, int):
            data["issued"] = {"date-parts": [[self.issued]]}
        if not self.authors_incomplete:
            data.pop("authors-incomplete", None)
        return data


class ReferenceLibrary(RootModel[dict[CitationKey, Reference]]):
    """``references.yaml``: citation key -> entry, shared by every episode."""

    root: dict[CitationKey, Reference] = Field(default_factory=dict)
