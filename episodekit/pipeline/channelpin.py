"""The YouTube channel a channel folder publishes to: ``youtube_channel`` in ``channel.yaml``.

The id is the fact; the channel's title rides along as a comment on the same line, for people
and for messages (``youtube_channel: UC...  # Mind, Brain and Treatment``). It is written in
place through ruamel.yaml's round trip, as ``import --adopt-boilerplate`` writes its settings:
the file's comments, order and quoting stay, the text is validated as ``channel.yaml`` is read
everywhere before it is written, and the write is atomic.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from ..atomic import write_text_atomic
from ..errors import ChannelError, RefusedError
from ..files.load import validate
from ..files.yamlsource import parse_yaml
from ..models import Channel
from ..paths import CHANNEL_FILE, shown_path
from ..references.libraryfile import round_trip_yaml
from ..workspace import Workspace

KEY = "youtube_channel"
_TITLE_MAX = 100  # YouTube's own limit on a channel's name is shorter; a comment never needs more
_COMMENT = re.compile(rf"^\s*{KEY}\s*:\s*['\"]?[A-Za-z0-9_-]+['\"]?\s+#\s?(?P<title>.*?)\s*$")


@dataclass(frozen=True)
class PinnedChannel:
    """The channel of a folder: its id, and its title as the comment in channel.yaml says (None without one)."""

    channel_id: str
    title: str | None

    def __str__(self) -> str:
        return f"{self.title!r} ({self.channel_id})" if self.title else self.channel_id


def pinned(ws: Workspace) -> PinnedChannel | None:
    """The channel ``channel.yaml`` pins the folder to, or None when it names none yet."""
    channel_id = ws.channel.youtube_channel
    if channel_id is None:
        return None
    return PinnedChannel(channel_id, _title_comment(ws))


def _title_comment(ws: Workspace) -> str | None:
    line = ws.channel_doc.line_of((KEY,)) if ws.channel_doc is not None else None
    if not line:
        return None
    try:
        lines = (ws.root / CHANNEL_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):  # read a moment ago; gone now: the id alone still says it
        return None
    match = _COMMENT.match(lines[line - 1]) if line <= len(lines) else None
    return (match.group("title") or None) if match else None


def comment_text(title: str) -> str:
    """A channel's title as one line of comment: control characters become spaces, long ones are cut."""
    text = " ".join("".join(c if c.isprintable() else " " for c in title).split())
    return text if len(text) <= _TITLE_MAX else text[:_TITLE_MAX - 1].rstrip() + "…"


def pin(ws: Workspace, channel_id: str, title: str) -> bool:
    """Write ``youtube_channel: <channel_id>  # <title>`` into channel.yaml; whether it changed.

    ``RefusedError`` when the file (as it is on disk now) already pins another channel: the folder
    is never moved to another channel behind its owner's back.
    """
    path = ws.root / CHANNEL_FILE
    original = path.read_text(encoding="utf-8")
    writer = round_trip_yaml()
    doc: Any = writer.load(original)
    current = doc.get(KEY)
    if current == channel_id:
        return False
    if current:
        raise RefusedError(f"{shown_path(path)}: {KEY} is {current} now, not {channel_id}; it was left as it is")
    doc[KEY] = channel_id
    doc.yaml_add_eol_comment(f"# {comment_text(title)}", KEY, column=len(f"{KEY}: {channel_id}  "))
    out = io.StringIO()
    writer.dump(doc, out)
    text = out.getvalue()
    parsed = parse_yaml(text, shown_path(path))
    channel = validate(parsed, Channel, ChannelError)
    write_text_atomic(path, text, through_links=True)  # a linked channel.yaml stays a link
    ws.channel, ws.channel_doc = channel, parsed
    return True
