"""A weekly release slot as a value: a weekday and a local wall-clock time.

The one place that knows the weekday names and the ``HH:MM`` form; both the
``channel.yaml`` model and the schedule use it.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

WEEKDAYS: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HHMM = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


@dataclass(frozen=True, order=True)
class WeeklySlot:
    """A weekly release time: weekday (0 = Monday) and a naive local wall time."""

    weekday: int
    time: _dt.time

    def __post_init__(self) -> None:
        if isinstance(self.weekday, bool) or not isinstance(self.weekday, int) or not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday!r}")
        if not isinstance(self.time, _dt.time) or self.time.tzinfo is not None:
            raise ValueError(f"slot time must be a datetime.time without tzinfo, not {self.time!r}")
        if self.time.second or self.time.microsecond:
            raise ValueError(f"slot time must be whole minutes, not {self.time.isoformat()}")


def parse_hhmm(hhmm: object) -> _dt.time:
    """``"9:00"`` -> ``time(9, 0)``; ValueError unless it is a 24-hour ``H:MM`` or ``HH:MM``."""
    match = HHMM.fullmatch(hhmm.strip()) if isinstance(hhmm, str) else None
    if match is None:
        raise ValueError(f"{hhmm!r} is not a 24-hour time like '09:00'")
    return _dt.time(int(match[1]), int(match[2]))


def parse_slot(weekday: str, hhmm: str) -> WeeklySlot:
    """``("Wednesday", "9:00")`` -> ``WeeklySlot(2, time(9, 0))``; ValueError if either is malformed."""
    day = weekday.strip().lower() if isinstance(weekday, str) else None
    if day not in WEEKDAYS:
        raise ValueError(f"{weekday!r} is not a weekday; write one of {', '.join(WEEKDAYS)}")
    return WeeklySlot(WEEKDAYS.index(day), parse_hhmm(hhmm))
