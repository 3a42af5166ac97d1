"""Weekly release slots and the publish time of every episode.

An episode asks for an explicit local wall time or for ``next`` (the first free
weekly slot); :func:`resolve_schedule` turns the requests into instants and
reports what is wrong as :class:`Problem` records.  Everything is pure: the clock
comes in as ``now``.
Ranges are half-open ``(start, end]``.  A slot rule keeps working across DST (a
nonexistent slot time is skipped that date, a doubled one means its first
occurrence), while :func:`localize`, for times a person wrote, never guesses.
Instants are compared in UTC: datetimes sharing a tzinfo compare by wall time and
ignore ``fold``, which is wrong inside a fall-back overlap.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ..errors import Problem, ScheduleError
from ..models.slot import WEEKDAYS, WeeklySlot
from .linkorder import link_cycles, link_order

_UTC = timezone.utc
_SEARCH_WEEKS = 53  # how far ``next`` looks for a slot before giving up


def _require_naive(value: datetime, name: str) -> None:
    if not isinstance(value, datetime) or value.tzinfo is not None:
        raise ValueError(f"{name} must be a naive local datetime, not {value!r}")


def _require_aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, not {value!r}")


def _classify(local: datetime, tz: ZoneInfo) -> tuple[str, datetime, datetime]:
    """("ok" | "gap" | "overlap", fold=0 reading, fold=1 reading) of a naive wall time in tz.

    fold=0 uses the offset from before a transition and fold=1 the one after; they
    differ only near a transition.  A wall time that survives the round trip
    through UTC in both readings happens twice, otherwise it does not exist.
    """
    early = local.replace(tzinfo=tz, fold=0)
    late = local.replace(tzinfo=tz, fold=1)
    if early.utcoffset() == late.utcoffset():
        return "ok", early, late
    naive = local.replace(fold=0)

    def round_trips(aware: datetime) -> bool:
        return aware.astimezone(_UTC).astimezone(tz).replace(tzinfo=None, fold=0) == naive

    kind = "overlap" if round_trips(early) and round_trips(late) else "gap"
    return kind, early, late


def _transition_walls(
    local: datetime, tz: ZoneInfo, early: datetime, late: datetime
) -> tuple[datetime, datetime]:
    """Wall clock just before and just after the transition around ``local`` (e.g. 02:00, 03:00).

    The transition instant u lies in local - max(offsets) < u <= local - min(offsets);
    bisect that window to the second.
    """
    before, after = early.utcoffset(), late.utcoffset()
    assert before is not None and after is not None
    low = local.replace(fold=0) - max(before, after)
    low_s, high_s = 0, int((max(before, after) - min(before, after)).total_seconds())
    while high_s - low_s > 1:
        mid = (low_s + high_s) // 2
        probe = (low + timedelta(seconds=mid)).replace(tzinfo=_UTC)
        if probe.astimezone(tz).utcoffset() == after:
            high_s = mid
        else:
            low_s = mid
    instant = low + timedelta(seconds=high_s)
    return instant + before, instant + after


def localize(local: datetime, tz: ZoneInfo) -> datetime:
    """Naive local wall time -> aware datetime in tz.

    Raises ScheduleError if the wall time does not exist (spring-forward gap) or
    happens twice (fall-back overlap) in tz; it never shifts the time silently.
    """
    _require_naive(local, "local")
    kind, early, late = _classify(local, tz)
    if kind == "ok":
        return early
    start, stop = _transition_walls(local, tz, early, late)
    fmt = "%H:%M" if start.date() == stop.date() == local.date() else "%Y-%m-%d %H:%M"
    was, becomes = f"{start:{fmt}} {early.tzname()}", f"{stop:{fmt}} {late.tzname()}"
    written = f"{local:%Y-%m-%d %H:%M} in {tz}"
    if kind == "gap":
        raise ScheduleError(
            f"{written} does not exist: clocks jump from {was} to {becomes}; "
            f"pick a time before {start:{fmt}} or from {stop:{fmt}} on"
        )
    raise ScheduleError(
        f"{written} happens twice: clocks go back from {was} to {becomes}, so it could be "
        f"{_show(early, tz)} or {_show(late, tz)}; pick a time before {stop:{fmt}} or from {start:{fmt}} on"
    )


def to_rfc3339_utc(instant: datetime) -> str:
    """Aware datetime -> ``2026-01-07T14:00:00Z`` (UTC, whole seconds; fractions are dropped)."""
    _require_aware(instant, "instant")
    return instant.astimezone(_UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _show(instant: datetime, tz: ZoneInfo) -> str:
    """``2026-01-07 09:00 EST (2026-01-07T14:00:00Z)``: how problems show an instant."""
    local = instant.astimezone(tz)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()} ({to_rfc3339_utc(instant)})"


def _slot_on(day: date, time: _dt.time, tz: ZoneInfo) -> datetime | None:
    """The slot's instant on ``day``: None if that wall time does not exist, the first if it is doubled."""
    kind, early, _ = _classify(datetime.combine(day, time), tz)
    return None if kind == "gap" else early


def slot_instants(
    slots: Sequence[WeeklySlot], tz: ZoneInfo, start: datetime, end: datetime
) -> list[datetime]:
    """Every slot occurrence t with start < t <= end, aware in tz, sorted, without duplicates.

    start and end are aware (any zone).  A slot skipped by DST on a date is left
    out for that date; a doubled one counts once, at its first (fold=0) occurrence.
    """
    _require_aware(start, "start")
    _require_aware(end, "end")
    low, high = start.astimezone(_UTC), end.astimezone(_UTC)
    times: dict[int, set[_dt.time]] = {}
    for slot in slots:
        times.setdefault(slot.weekday, set()).add(slot.time)
    found: dict[datetime, datetime] = {}
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    while times and low < high and day <= last:
        for time in times.get(day.weekday(), ()):
            instant = _slot_on(day, time, tz)
            if instant is not None and low < instant.astimezone(_UTC) <= high:
                found[instant.astimezone(_UTC)] = instant
        day += timedelta(days=1)
    return [found[key] for key in sorted(found)]


def is_slot(instant: datetime, slots: Sequence[WeeklySlot], tz: ZoneInfo) -> bool:
    """True if the aware ``instant`` is exactly an occurrence that :func:`slot_instants` yields."""
    _require_aware(instant, "instant")
    local = instant.astimezone(tz)
    for slot in slots:
        if slot.weekday == local.weekday() and slot.time == local.time():
            occurrence = _slot_on(local.date(), slot.time, tz)
            if occurrence is not None and occurrence.astimezone(_UTC) == instant.astimezone(_UTC):
                return True
    return False


class _SlotStream:
    """The channel's slot instants from ``start`` on, generated a year at a time as they are asked for."""

    def __init__(self, slots: Sequence[WeeklySlot], tz: ZoneInfo, start: datetime):
        self._slots, self._tz, self._until = slots, tz, start.astimezone(_UTC)
        self._local: list[datetime] = []
        self._utc: list[datetime] = []
        self._resume: dict[datetime, int] = {}  # floor -> where its last search stopped

    def _extend(self, floor: datetime) -> bool:
        """Generate up to ``_SEARCH_WEEKS`` weeks past ``floor``; False if that holds no slot after it."""
        end = max(self._until, floor) + timedelta(weeks=_SEARCH_WEEKS)
        found = slot_instants(self._slots, self._tz, self._until, end)
        self._local.extend(found)
        self._utc.extend(instant.astimezone(_UTC) for instant in found)
        self._until = end
        return any(instant.astimezone(_UTC) > floor for instant in found)

    def first_free(self, floor: datetime, taken: set[datetime]) -> datetime | None:
        """The first slot after ``floor`` whose instant (UTC) is not in ``taken``; None if no slot comes.

        ``taken`` only grows between the calls on one stream (each caller adds what it placed), so a
        search from a ``floor`` searched before resumes where that one stopped: every slot before it
        was taken then and still is. Placing N ``next`` episodes costs N steps, not N squared.
        """
        floor = floor.astimezone(_UTC)
        index = max(bisect.bisect_right(self._utc, floor), self._resume.get(floor, 0))
        while True:
            if index == len(self._utc):
                if not self._extend(floor):
                    return None
                index = max(bisect.bisect_right(self._utc, floor), index)  # it grew at its end only
                continue
            if self._utc[index] not in taken:
                self._resume[floor] = index
                return self._local[index]
            index += 1


def first_free_slot(
    slots: Sequence[WeeklySlot], tz: ZoneInfo, now: datetime, taken: Iterable[datetime],
    skip: Callable[[datetime], bool] | None = None,
) -> datetime | None:
    """The first slot after ``now`` that no instant of ``taken`` occupies (and ``skip`` does not refuse)."""
    _require_aware(now, "now")
    busy = {instant.astimezone(_UTC) for instant in taken}
    stream = _SlotStream(slots, tz, now)
    while (found := stream.first_free(now, busy)) is not None and skip is not None and skip(found):
        busy.add(found.astimezone(_UTC))
    return found


def _spoken_time(time: _dt.time) -> str:
    if time.minute == 0 and time.hour in (0, 12):
        return "midnight" if time.hour == 0 else "noon"
    hour = time.hour % 12 or 12
    suffix = "am" if time.hour < 12 else "pm"
    return f"{hour}{suffix}" if time.minute == 0 else f"{hour}:{time.minute:02d}{suffix}"


def _join(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def describe_slots(slots: Sequence[WeeklySlot]) -> str:
    """``"Monday at 9am and Thursday at 5:30pm"``: sorted by weekday and time, duplicates dropped.

    12:00 is "noon" and 00:00 "midnight"; "every" is left to the channel's wording.
    """
    if not slots:
        raise ValueError("there are no release slots to describe")
    words = [f"{WEEKDAYS[slot.weekday].capitalize()} at {_spoken_time(slot.time)}" for slot in sorted(set(slots))]
    return _join(words)


@dataclass(frozen=True)
class ScheduleRequest:
    """What one episode file asks for; ``when`` None means ``next``."""

    slug: str
    path: str
    line: int | None
    when: datetime | None
    extra: bool = False
    links: tuple[str, ...] = ()
    published: bool = False
    shown: str = ""  # how other episodes' problems name this one; its path when empty

    @property
    def name(self) -> str:
        """The episode as messages name it."""
        return self.shown or self.path


@dataclass(frozen=True)
class ResolvedSlot:
    """When one episode comes out: ``local`` aware in the channel's zone, ``utc`` the same instant."""

    slug: str
    local: datetime
    utc: datetime
    from_next: bool


def _problem(request: ScheduleRequest, message: str, severity: str = "error") -> Problem:
    return Problem(request.path, request.line, "schedule", message, severity)


def _resolved(slug: str, local: datetime, from_next: bool) -> ResolvedSlot:
    return ResolvedSlot(slug, local, local.astimezone(_UTC), from_next)


def _resolve_next(
    ordered: Sequence[ScheduleRequest], slots: Sequence[WeeklySlot], tz: ZoneInfo, now: datetime,
    resolved: dict[str, ResolvedSlot], problems: list[Problem],
) -> None:
    """Give each ``next`` episode, in link order, the first free slot after now and after what it links to.

    Slots already taken (by a written date-time, or by a ``next`` episode placed
    earlier in the order) are left alone, so an episode never pushes another one.
    """
    pending = {req.slug: req for req in ordered if req.when is None}
    for members in link_cycles({slug: req.links for slug, req in pending.items()}):
        files = _join([pending[slug].path for slug in members])
        for slug in members:
            problems.append(_problem(pending.pop(slug), (
                f"the 'next' episodes {files} link to each other in a cycle, so none of them can come out "
                "first; remove one of those links or give one of them a date-time"
            )))
    start = now.astimezone(_UTC)
    taken = {slot.utc for slot in resolved.values()}
    stream = _SlotStream(slots, tz, start)
    for slug in link_order({slug: req.links for slug, req in pending.items()}):
        linked = [resolved[link].utc for link in pending[slug].links if link in resolved and link != slug]
        floor = max([start, *linked])
        instant = stream.first_free(floor, taken)
        if instant is None:
            problems.append(_problem(pending[slug], (
                f"no release slot after {_show(floor, tz)} within {_SEARCH_WEEKS} weeks for 'next'; "
                "add a slot to channel.yaml or write a date-time"
            )))
            continue
        resolved[slug] = _resolved(slug, instant, from_next=True)
        taken.add(instant.astimezone(_UTC))


def _collisions(
    resolved: Mapping[str, ResolvedSlot], by_slug: Mapping[str, ScheduleRequest], tz: ZoneInfo, now: datetime
) -> Iterable[Problem]:
    """An error on each planned episode that comes out at the same instant as another; videos already out
    at one instant are history no file can move: a warning on each of them."""
    groups: dict[datetime, list[str]] = {}
    for slug, slot in resolved.items():
        groups.setdefault(slot.utc, []).append(slug)
    for instant, slugs in ((i, s) for i, s in groups.items() if len(s) > 1):
        out = {slug for slug in slugs if by_slug[slug].published and instant <= now.astimezone(_UTC)}
        for slug in slugs:
            others = f"{_join(sorted(by_slug[o].name for o in slugs if o != slug))} ({_show(instant, tz)})"
            if slug not in out:
                yield _problem(by_slug[slug], f"comes out at the same time as {others}; move "
                               + ("this episode to another time" if out else "one of them to another time"))
            elif out == set(slugs):
                yield _problem(by_slug[slug], f"came out at the same time as {others}; both are published, so "
                               "nothing is moved: only planned episodes may not share a time", "warning")


def _explicit_findings(
    request: ScheduleRequest, slot: ResolvedSlot, slots: Sequence[WeeklySlot], tz: ZoneInfo, now: datetime,
) -> Iterable[Problem]:
    """Warnings for a time written in the file: off-slot (unless extra), past (unless published)."""
    when = _show(slot.utc, tz)
    if not request.extra and not is_slot(slot.utc, slots, tz):
        wording = f"the slots are {describe_slots(slots)}" if slots else "the channel has no slots"
        yield _problem(request, (
            f"{when} is not a release slot ({wording}); move it to a slot, "
            "or set 'extra: true' if it is an extra episode"
        ), "warning")
    if not request.published and slot.utc < now.astimezone(_UTC):
        yield _problem(request, (
            f"{when} is in the past (now {_show(now, tz)}) and the episode is not published; "
            "write a future time or 'next'"
        ), "warning")


def _late_links(
    request: ScheduleRequest, resolved: Mapping[str, ResolvedSlot], tz: ZoneInfo
) -> Iterable[Problem]:
    """Errors for links to episodes that come out after this one."""
    own = resolved[request.slug]
    for link in sorted(set(request.links) - {request.slug}):
        target = resolved.get(link)
        if target is not None and target.utc > own.utc:
            yield _problem(request, (
                f"links to {link}, which comes out at {_show(target.utc, tz)}, after this episode "
                f"({_show(own.utc, tz)}), so the link would not work yet; "
                f"schedule {link} first or remove the link"
            ))


def resolve_schedule(
    requests: Sequence[ScheduleRequest], slots: Sequence[WeeklySlot], tz: ZoneInfo, now: datetime,
) -> tuple[dict[str, ResolvedSlot], list[Problem]]:
    """Resolve every episode's publish time and report what is wrong.

    Returns the resolved episodes (ordered by instant, then slug; an episode with
    an error in its own time or in a link cycle is left out) and the problems,
    sorted.  The result does not depend on the order of ``requests``.  Slugs must
    be unique (ValueError otherwise); ``now`` must be aware.
    """
    _require_aware(now, "now")
    by_slug = {req.slug: req for req in requests}
    if len(by_slug) != len(requests):
        raise ValueError("every schedule request needs its own slug")
    ordered = [by_slug[slug] for slug in sorted(by_slug)]
    problems: list[Problem] = []
    resolved: dict[str, ResolvedSlot] = {}
    for req in ordered:
        if req.when is not None:
            try:
                resolved[req.slug] = _resolved(req.slug, localize(req.when, tz), from_next=False)
            except ScheduleError as exc:
                problems.append(_problem(req, str(exc)))
    _resolve_next(ordered, slots, tz, now, resolved, problems)
    problems.extend(_collisions(resolved, by_slug, tz, now))
    for req in ordered:
        if req.slug in resolved:
            if req.when is not None:
                problems.extend(_explicit_findings(req, resolved[req.slug], slots, tz, now))
            problems.extend(_late_links(req, resolved, tz))
    result = dict(sorted(resolved.items(), key=lambda item: (item[1].utc, item[0])))
    return result, sorted(problems)
