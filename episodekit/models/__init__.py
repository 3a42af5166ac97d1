"""Typed models of the files a channel keeps (pydantic v2).

Every model forbids unknown keys so that a typo is reported, not dropped.
"""

from .channel import Channel, ReleaseSlot
from .episode import Chapter, Episode, ReferencedVideo, ScriptSection, UploadSettings
from .reference import Author, Reference, ReferenceLibrary

__all__ = [
    "Author",
    "Channel",
    "Chapter",
    "Episode",
    "Reference",
    "ReferenceLibrary",
    "ReferencedVideo",
    "ReleaseSlot",
    "ScriptSection",
    "UploadSettings",
]
