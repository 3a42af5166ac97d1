"""Speech made at test time from a known text, with the time of every word: espeak-ng.

espeak-ng (the distribution's package; ``scripts/test.py`` installs it with apt-get when it runs as
root) speaks the text through its library, ``libespeak-ng.so.1``, driven by ctypes: the library
hands over the samples and, for each word, an event with the word's place in the text and its
position in the audio in milliseconds. Those positions are the ground truth the aligned cue times
are held against. The speech is written as a 16-bit mono WAV at espeak-ng's own rate (22,050 Hz).

``missing()`` says why speech cannot be made here; a test module skips with that reason, or fails
in CI (``CI`` set), as the browser tests do.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import wave
from dataclasses import dataclass
from pathlib import Path

import pytest

LIBRARY = "libespeak-ng.so.1"
_SYNCHRONOUS = 2  # AUDIO_OUTPUT_SYNCHRONOUS: samples come to the callback, nothing is played
_WORD_EVENT, _END_OF_LIST = 1, 0
_RATE = 1  # espeakRATE: words per minute
_POS_CHARACTER, _CHARS_UTF8 = 1, 1


class _Event(ctypes.Structure):  # espeak_EVENT of speak_lib.h
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_char * 8)]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


@dataclass(frozen=True)
class SpokenWord:
    text: str
    offset: int  # where the word starts in the text, in characters
    start: float  # seconds into the audio


@dataclass(frozen=True)
class Speech:
    path: Path
    words: list[SpokenWord]
    seconds: float

    def start_of(self, offset: int) -> float:
        """When the word at character ``offset`` of the text starts, as espeak-ng reports it."""
        return next(w.start for w in self.words if w.offset == offset)


def missing() -> str | None:
    """Why speech cannot be made here, or None."""
    if shutil.which("espeak-ng") is None:
        return "espeak-ng is missing (install the distribution's package: apt-get install -y espeak-ng)"
    try:
        ctypes.CDLL(LIBRARY)
    except OSError as exc:
        return f"{LIBRARY} cannot be loaded ({exc})"
    return None


def skip_unless_speech() -> None:
    """Skip the calling test module when speech cannot be made; in CI, fail instead."""
    why = missing()
    if why is None:
        return
    if os.environ.get("CI"):
        raise RuntimeError(f"speech tests cannot run in CI: {why}")
    pytest.skip(f"speech tests skipped: {why}", allow_module_level=True)


def speak(text: str, target: Path, words_per_minute: int = 160, voice: str = "en-us") -> Speech:
    """``text`` spoken into the WAV file ``target``, with the time espeak-ng says each word starts."""
    lib = ctypes.CDLL(LIBRARY)
    rate = lib.espeak_Initialize(_SYNCHRONOUS, 0, None, 0)
    samples = bytearray()
    events: list[tuple[int, int, int]] = []

    def receive(wav, count, event_list):  # noqa: ANN001 - ctypes hands these over
        if count > 0:
            samples.extend(ctypes.string_at(wav, count * 2))
        i = 0
        while event_list[i].type != _END_OF_LIST:
            event = event_list[i]
            if event.type == _WORD_EVENT:
                events.append((event.text_position, event.length, event.audio_position))
            i += 1
        return 0

    callback = _CALLBACK(receive)  # kept alive until the synthesis is done
    lib.espeak_SetSynthCallback(callback)
    lib.espeak_SetVoiceByName(voice.encode())
    lib.espeak_SetParameter(_RATE, words_per_minute, 0)
    data = text.encode("utf-8")
    lib.espeak_Synth(ctypes.create_string_buffer(data), len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
    lib.espeak_Synchronize()
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(samples))
    words = [SpokenWord(text[pos - 1:pos - 1 + length], pos - 1, ms / 1000) for pos, length, ms in events]
    return Speech(target, words, len(samples) / 2 / rate)
