"""The caption track of an episode: its spoken text in timed cues, as SubRip or WebVTT.

The text is the script's bodies as spoken (``spoken``: no citation markers, headings or stage
directions), the times come from the speaking rate and the chapters (``timing``) or from the audio
(``align``), and the cues follow caption practice (``cues``). ``render`` writes both files with the
estimate; ``captions`` writes one, aligned to the audio when there is some.

A track has one stable text form (``text_form``: a line per cue, its times and its lines), so what
was sent can be hashed and two tracks compared cue by cue (``cue_lines``). The files are written by
the ``srt`` and ``webvtt-py`` libraries, imported only when a file is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from .cues import Cue, build_cues, rule_breaks
from .resolve import ResolvedEpisode
from .spoken import Word, names_of, spoken_words
from .timing import Span, anchored, estimate, fill_between, section_anchors

CAPTION_FILES = {"srt": "captions.srt", "vtt": "captions.vtt"}  # format -> the file render writes
FORMATS = tuple(CAPTION_FILES)


@dataclass(frozen=True)
class Unaligned:
    """Words the audio did not confirm (skipped, changed or unclear), timed between their neighbours."""

    section: int
    heading: str
    words: str
    start: float
    end: float

    def __str__(self) -> str:
        return f"{clock(self.start)}-{clock(self.end)} in {self.heading!r}: {self.words!r}"


@dataclass(frozen=True)
class Timing:
    """How the cue times were made, for the report of ``captions``."""

    source: str  # "estimate", or the audio file as messages name it
    words_per_minute: int
    anchors: tuple[tuple[str, int | None], ...]  # each section's heading and the second it is anchored at
    words: int = 0
    aligned: int = 0  # words whose time was measured in the audio
    unaligned: tuple[Unaligned, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def share(self) -> float:
        """The fraction of the words timed from the audio."""
        return self.aligned / self.words if self.words else 0.0


@dataclass(frozen=True)
class CaptionTrack:
    slug: str
    language: str | None
    cues: tuple[Cue, ...]
    timing: Timing
    problems: tuple[str, ...] = field(default=())  # the cues that break a caption rule, and why

    def cue_lines(self) -> list[str]:
        """One line per cue: ``00:01:05.200 --> 00:01:08.000  first line / second line``."""
        return [_cue_line(c.start_ms, c.end_ms, c.lines) for c in self.cues]

    def spoken(self) -> str:
        """The words of the track, one space between each, whatever their times and cues."""
        return " ".join(word for cue in self.cues for line in cue.lines for word in line.split())

    def text_form(self) -> str:
        """The track's times and text in one stable form, to hash or compare."""
        return "".join(f"{line}\n" for line in self.cue_lines())

    def as_format(self, fmt: str) -> str:
        """The file's text in ``fmt`` (``srt`` or ``vtt``)."""
        return {"srt": to_srt, "vtt": to_vtt}[fmt](self)


@dataclass(frozen=True)
class Measured:
    """Word times found in the audio: one ``Span`` or None per spoken word, and the audio's length."""

    source: str
    spans: tuple[Span | None, ...]
    seconds: float
    notes: tuple[str, ...] = ()


def spoken_of(resolved: ResolvedEpisode) -> list[Word]:
    """The spoken words of an episode, with the names of its cited authors and its tags kept whole."""
    names = names_of(resolved.cited_authors, resolved.tags)
    return spoken_words([s.body for s in resolved.episode.model.script], names)


def caption_track(resolved: ResolvedEpisode, measured: Measured | None = None, notes: Sequence[str] = ()) -> CaptionTrack:
    """The caption track of ``resolved``: estimated and anchored to its chapters, or timed by ``measured``."""
    model = resolved.episode.model
    words = spoken_of(resolved)
    headings = [s.heading for s in model.script]
    anchors = section_anchors(headings, model.chapters)
    spans = anchored(words, estimate(words, resolved.words_per_minute), anchors)
    aligned, unaligned = 0, ()
    if measured is not None:
        spans = fill_between(spans, measured.spans, measured.seconds)
        aligned = sum(s is not None for s in measured.spans)
        unaligned = tuple(_unaligned(words, spans, measured.spans, headings))
        notes = (*notes, *measured.notes)
    cues = tuple(build_cues(words, spans))
    timing = Timing(measured.source if measured else "estimate", resolved.words_per_minute,
                    tuple(zip(headings, anchors)), len(words), aligned, unaligned, tuple(notes))
    return CaptionTrack(resolved.episode.slug, language_of(resolved), cues, timing, _problems(cues))


def language_of(resolved: ResolvedEpisode) -> str | None:
    """The episode's language: its ``upload.language``, else the channel's."""
    return resolved.episode.model.upload.language or resolved.channel.upload.language


def _unaligned(words: Sequence[Word], spans: Sequence[Span], measured: Sequence[Span | None],
               headings: Sequence[str]) -> list[Unaligned]:
    runs: list[Unaligned] = []
    i = 0
    while i < len(words):
        if measured[i] is not None:
            i += 1
            continue
        j = i
        while j < len(words) and measured[j] is None and words[j].section == words[i].section:
            j += 1
        section = words[i].section
        runs.append(Unaligned(section, headings[section], " ".join(w.text for w in words[i:j]),
                              spans[i].start, spans[j - 1].end))
        i = j
    return runs


def _problems(cues: Sequence[Cue]) -> tuple[str, ...]:
    return tuple(f"cue {n} at {clock(c.start_ms / 1000)} ({' / '.join(c.lines)!r}): {', '.join(broken)}"
                 for n, c in enumerate(cues, 1) if (broken := rule_breaks(c)))


def clock(seconds: float) -> str:
    """``m:ss.s``, as the report shows a moment of the video."""
    minutes, secs = divmod(max(seconds, 0.0), 60)
    return f"{int(minutes)}:{secs:04.1f}"


def _cue_line(start_ms: int, end_ms: int, lines: Sequence[str]) -> str:
    return f"{_stamp(start_ms, '.')} --> {_stamp(end_ms, '.')}  {' / '.join(lines)}"


def srt_cue_lines(text: str) -> list[str] | None:
    """The cues of a SubRip file in the form of ``CaptionTrack.cue_lines``, parsed by ``srt``; None when
    the text is not SubRip. What was sent and what YouTube gives back are compared in this form."""
    import srt

    try:
        cues = list(srt.parse(text))
    except (srt.SRTParseError, ValueError):
        return None
    return [_cue_line(c.start // timedelta(milliseconds=1), c.end // timedelta(milliseconds=1),
                      c.content.splitlines()) for c in cues]


def _stamp(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}{separator}{rest % 1000:03d}"


def to_srt(track: CaptionTrack) -> str:
    """The track as SubRip, composed by ``srt``. SubRip has no escapes and players read ``<b>`` as
    markup, so ``<`` and ``>`` are shown as ``‹`` and ``›``."""
    import srt

    return srt.compose([
        srt.Subtitle(n, timedelta(milliseconds=c.start_ms), timedelta(milliseconds=c.end_ms),
                     c.text.replace("<", "‹").replace(">", "›"))
        for n, c in enumerate(track.cues, 1)
    ])


def to_vtt(track: CaptionTrack) -> str:
    """The track as WebVTT, written by ``webvtt-py``; ``&``, ``<`` and ``>`` escaped as WebVTT wants."""
    import webvtt

    captions = [webvtt.Caption(_stamp(c.start_ms, "."), _stamp(c.end_ms, "."), [_vtt_text(line) for line in c.lines])
                for c in track.cues]
    header = f"Language: {track.language}" if track.language else None
    return webvtt.WebVTT(captions=captions, metadata=[header] if header else None).content


def _vtt_text(line: str) -> str:
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def report_lines(track: CaptionTrack) -> list[str]:
    """What ``captions`` says about a track: how it was timed, how much of it the audio confirmed, and
    each span it did not."""
    timing = track.timing
    if timing.source == "estimate":
        placed = [f"{heading!r} at {_at(at)}" if at is not None else f"{heading!r} after the one before"
                  for heading, at in timing.anchors]
        lines = [f"timing: estimated at {timing.words_per_minute} words per minute; sections: {', '.join(placed)}"]
    else:
        lines = [f"timing: aligned to {timing.source}: {timing.aligned} of {timing.words} words "
                 f"({timing.share:.1%}) found in the audio"]
        lines += [f"not found in the audio, timed between its neighbours: {span}" for span in timing.unaligned]
    return lines


def _at(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d}"
