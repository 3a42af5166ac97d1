"""The channel's boilerplate found in its descriptions: the disclaimer, the schedule sentence, the subscribe link.

A text that more than half of the imported descriptions share (every one, for a single description)
is proposed as the channel's default. It is written to channel.yaml only when asked (``import
--adopt-boilerplate``), through ruamel.yaml's round trip, so the file's comments and order stay.
The schedule sentence is kept as typed, the subscribe link in it becoming ``{subscribe_url}``.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..atomic import write_text_atomic
from ..errors import ChannelError
from ..files.load import validate
from ..files.yamlsource import parse_yaml
from ..models import Channel
from ..paths import CHANNEL_FILE, shown_path
from ..references.libraryfile import round_trip_yaml
from ..workspace import Workspace
from .description import ParsedDescription


@dataclass(frozen=True)
class Proposal:
    """One channel setting proposed from the descriptions: its value and how many of them share it."""

    key: str  # disclaimer, schedule_line, subscribe_url
    value: str
    shared_by: int
    out_of: int

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 100 else self.value[:97] + "..."
        return f"{self.key}: {shown!r} (in {self.shared_by} of {self.out_of} descriptions)"


def propose(parsed: Sequence[ParsedDescription]) -> list[Proposal]:
    """The settings more than half of ``parsed`` share, as :class:`Proposal`."""
    found = []
    for key, values in (("disclaimer", [p.disclaimer for p in parsed]),
                        ("schedule_line", [_template(p) for p in parsed]),
                        ("subscribe_url", [p.subscribe_url for p in parsed])):
        counted = Counter(value for value in values if value)
        if counted:
            value, shared = counted.most_common(1)[0]
            if shared * 2 > len(parsed):
                found.append(Proposal(key, value, shared, len(parsed)))
    return found


def _template(parsed: ParsedDescription) -> str | None:
    """The typed schedule sentence as a channel's ``schedule_line``: braces doubled, the link a placeholder."""
    if not parsed.schedule_line:
        return None
    line = parsed.schedule_line.replace("{", "{{").replace("}", "}}")
    return line.replace(parsed.subscribe_url, "{subscribe_url}") if parsed.subscribe_url else line


def adopted(channel: Channel, proposals: Sequence[Proposal]) -> Channel:
    """``channel`` with the proposals taken."""
    return Channel.model_validate({**channel.model_dump(mode="json"), **{p.key: p.value for p in proposals}})


def write_channel(ws: Workspace, proposals: Sequence[Proposal]) -> bool:
    """Write the proposals into channel.yaml (comments kept, checked first, atomic); whether it changed."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    path = ws.root / CHANNEL_FILE
    original = path.read_text(encoding="utf-8")
    writer = round_trip_yaml()
    doc: Any = writer.load(original)
    for proposal in proposals:
        value = proposal.value
        doc[proposal.key] = LiteralScalarString(value) if "\n" in value else value
    out = io.StringIO()
    writer.dump(doc, out)
    text = out.getvalue()
    if text == original:
        return False
    validate(parse_yaml(text, shown_path(path)), Channel, ChannelError)
    write_text_atomic(path, text, through_links=True)  # a linked channel.yaml stays a link
    return True
