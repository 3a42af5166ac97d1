"""Word times from the audio: forced alignment of the script to the speech, offline.

The audio (any file ffmpeg reads: a video, a WAV, an MP3) is decoded to 16 kHz mono 16-bit PCM by the
ffmpeg that ``imageio-ffmpeg`` bundles, and pocketsphinx (its US English model and CMUdict) aligns
the spoken words to it; words the dictionary lacks get a pronunciation from ``phones``. Both come
with the ``align`` extra (``pip install 'episodekit[align]'``) and are imported only here, when a
track is aligned.

A word the speaker skipped or changed still gets a place from a forced alignment, squeezed into the
least time the model allows (three 10 ms frames a sound) or matched badly. Such words are counted as
not aligned: ``captions`` times them by the estimate between their aligned neighbours and names them.
"""

from __future__ import annotations

import logging
import re
import statistics
import subprocess
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AlignmentError
from .phones import pronunciations
from .spoken import Word
from .timing import Span

log = logging.getLogger(__name__)
SAMPLE_RATE = 16000
FRAME = 0.01  # seconds: pocketsphinx counts in 10 ms frames
MIN_FRAMES_PER_PHONE = 3  # the model's least time for a sound: a word this short was squeezed in
SQUEEZE_SLACK = 1.25  # a word within 25% of its least time counts as squeezed
LONG_WORD_PHONES = 6  # a squeezed word of this many sounds was not said, even alone
BAD_SCORE_SPREAD = 6.0  # a word whose score a frame is this many spreads below the median matched badly
INSTALL_HINT = "pip install 'episodekit[align]' (pocketsphinx and imageio-ffmpeg)"
_PIECE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class Aligned:
    """What the aligner made of the audio: a time or None per spoken word, and how long the audio is."""

    spans: tuple[Span | None, ...]
    seconds: float


def extra_missing() -> str | None:
    """Why alignment cannot run here (the extra is not installed), or None."""
    try:
        import imageio_ffmpeg  # noqa: F401
        import pocketsphinx  # noqa: F401
    except ImportError as exc:
        return f"timing from the audio needs the align extra, which is not installed ({exc.name} is missing): {INSTALL_HINT}"
    return None


def align(words: Sequence[Word], audio: Path, shown: str) -> Aligned:
    """The time of each of ``words`` in ``audio`` (named ``shown`` in messages)."""
    if (missing := extra_missing()) is not None:
        raise AlignmentError(missing)
    pcm = decode(audio, shown)
    started = time.perf_counter()
    pieces = [_pieces(w.text) for w in words]
    segments = _segments(pcm, _sentences(words, pieces), shown)
    log.info("aligned %d words to %.1f s of %s in %.2f s", len(words), len(pcm) / 2 / SAMPLE_RATE, shown,
             time.perf_counter() - started)
    return Aligned(tuple(_word_spans(pieces, segments)), len(pcm) / 2 / SAMPLE_RATE)


def _sentences(words: Sequence[Word], pieces: list[list[str]]) -> list[list[str]]:
    """The dictionary words of the script, sentence by sentence (a section's end ends one too)."""
    sentences: list[list[str]] = [[]]
    for index, (word, group) in enumerate(zip(words, pieces)):
        sentences[-1].extend(group)
        last = index + 1 == len(words) or words[index + 1].section != word.section
        if (word.sentence_end or last) and sentences[-1]:
            sentences.append([])
    return [s for s in sentences if s]


def decode(audio: Path, shown: str) -> bytes:
    """``audio`` as 16 kHz mono signed 16-bit PCM, decoded by imageio-ffmpeg's ffmpeg."""
    import imageio_ffmpeg

    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(audio),
               "-vn", "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "s16le", "-"]
    try:
        done = subprocess.run(command, capture_output=True, check=False)
    except OSError as exc:
        raise AlignmentError(f"{shown}: cannot run ffmpeg to read the audio: {exc.strerror}") from None
    if done.returncode != 0 or not done.stdout:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[-1] if reason else "no audio in it"
        raise AlignmentError(f"{shown}: cannot read the audio ({detail}); give a video or audio file ffmpeg reads")
    return done.stdout


def _pieces(text: str) -> list[str]:
    """A caption word as the dictionary's words, in lower case ASCII (the grammar's tokens):
    ``Barrós-Loscertales`` is ``barros`` and ``loscertales``; a word with no ASCII letter has none."""
    folded = (unicodedata.normalize("NFKD", p.replace("’", "'")).encode("ascii", "ignore").decode().lower()
              for p in _PIECE.findall(text))
    return [p for p in folded if re.fullmatch(r"[a-z0-9]+(?:'[a-z0-9]+)*", p)]


@dataclass(frozen=True)
class _Segment:
    start: int  # frames
    end: int
    phones: int
    score: float  # acoustic score a frame


def _segments(pcm: bytes, sentences: list[list[str]], shown: str) -> list[_Segment | None]:
    """One segment per dictionary word, in order; None for the words of a sentence not found in the audio.

    The search is a grammar of the script's sentences in order, each of them optional, so a sentence
    the speaker skipped (or changed) is left out instead of being forced into the audio around it."""
    from pocketsphinx import Decoder

    decoder = Decoder(samprate=SAMPLE_RATE, bestpath=False, beam=1e-200, wbeam=1e-150, pbeam=1e-200, lw=1.0,
                      loglevel="FATAL")
    _add_missing_words(decoder, {w for s in sentences for w in s})
    try:
        decoder.add_jsgf_string("script", _grammar(sentences))
        decoder.activate_search("script")
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
    except RuntimeError as exc:
        raise AlignmentError(f"{shown}: pocketsphinx could not align the script: {exc}") from None
    found = [] if decoder.hyp() is None else [s for s in decoder.seg() if not s.word.startswith(("<", "[", "("))]
    phones = {w: len((decoder.lookup_word(w) or "AH").split()) for s in sentences for w in s}
    return _match(sentences, [(re.sub(r"\(\d+\)$", "", s.word), s) for s in found], phones)


def _grammar(sentences: list[list[str]]) -> str:
    """A JSGF grammar: the sentences in their order, any of them left out."""
    rules = "".join(f"<s{n}> = {' '.join(words)};\n" for n, words in enumerate(sentences))
    script = " ".join(f"[<s{n}>]" for n in range(len(sentences)))
    return f"#JSGF V1.0;\ngrammar script;\n{rules}public <script> = {script};\n"


def _match(sentences: list[list[str]], found: list[tuple[str, Any]], phones: dict[str, int]) -> list[_Segment | None]:
    """The recognised words laid on the script: each sentence is there whole, in order, or not at all."""
    segments: list[_Segment | None] = []
    at = 0
    for words in sentences:
        said = [name for name, _ in found[at:at + len(words)]]
        if said != words:
            segments.extend([None] * len(words))
            continue
        for word, (_, seg) in zip(words, found[at:at + len(words)]):
            frames = max(1, seg.end_frame - seg.start_frame + 1)
            segments.append(_Segment(seg.start_frame, seg.end_frame, phones[word], seg.ascore / frames))
        at += len(words)
    return segments


def _add_missing_words(decoder: Any, words: set[str]) -> None:
    """Add each of ``words`` the dictionary lacks, with a made pronunciation."""
    unknown = sorted(w for w in words if decoder.lookup_word(w) is None)
    for word, phones in pronunciations(unknown).items():
        decoder.add_word(word, phones, False)
    if unknown:
        log.info("pronounced %d word(s) not in the dictionary: %s", len(unknown), ", ".join(unknown))


def _word_spans(pieces: list[list[str]], segments: list[_Segment | None]) -> list[Span | None]:
    """A span for each caption word whose pieces all aligned well; None for the others."""
    good = _trusted(segments)
    spans: list[Span | None] = []
    at = 0
    for group in pieces:
        mine = range(at, at + len(group))
        at += len(group)
        if not group or not all(good[k] for k in mine):
            spans.append(None)
            continue
        first, last = segments[mine[0]], segments[mine[-1]]
        assert first is not None and last is not None
        spans.append(Span(first.start * FRAME, (last.end + 1) * FRAME))
    return spans


def _trusted(segments: list[_Segment | None]) -> list[bool]:
    """Which segments look like speech of that word: not matched badly, and not squeezed to the least
    time the model allows, which a short word may be when said fast but a run of words or a long one
    is only when it was not said."""
    scores = [s.score for s in segments if s is not None]
    if not scores:
        return [False] * len(segments)
    median = statistics.median(scores)
    spread = statistics.median(abs(x - median) for x in scores) or 1.0
    squeezed = [s is not None and (s.end - s.start + 1) <= MIN_FRAMES_PER_PHONE * s.phones * SQUEEZE_SLACK
                for s in segments]
    trusted = []
    for k, segment in enumerate(segments):
        if segment is None:
            trusted.append(False)
            continue
        in_a_run = (k > 0 and squeezed[k - 1]) or (k + 1 < len(segments) and squeezed[k + 1])
        doubtful = squeezed[k] and (segment.phones >= LONG_WORD_PHONES or in_a_run)
        trusted.append(not doubtful and segment.score >= median - BAD_SCORE_SPREAD * spread)
    return trusted
