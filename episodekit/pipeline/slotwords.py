"""The release slots in words, in the language of a description: ``{slots}`` of a schedule sentence.

English is ``schedule.describe_slots`` ("Wednesday at 9am"). For other languages a small table gives
the weekday names, how a time of day is said after them and the word that joins two slots, as a
native speaker writes them in running text (Portuguese "quarta-feira às 9h", Spanish "miércoles a las
9:00", French "mercredi à 9 h", German "Mittwoch um 9 Uhr", Italian "mercoledì alle 9:00"). A language
is found by its primary subtag, so pt-BR and pt-PT share one table. A language without a table has no
``{slots}``: its schedule sentence writes the days and times itself (``check`` says so).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..models.slot import WeeklySlot
from . import schedule


@dataclass(frozen=True)
class SlotWords:
    """How one language says "every Wednesday at 9:00"."""

    weekdays: tuple[str, ...]  # Monday first, as written inside a sentence
    at: Callable[[_dt.time], str]  # a time of day after a weekday: "às 9h"
    joined_by: str  # between the last two slots: "e"
    noon: str | None = None  # 12:00 and 00:00 in words where the language says them so: "ao meio-dia"
    midnight: str | None = None

    def time(self, time: _dt.time) -> str:
        """A time of day in words (noon and midnight by name)."""
        special = {_dt.time(12): self.noon, _dt.time(0): self.midnight}.get(time)
        return special or self.at(time)


def _portuguese(time: _dt.time) -> str:
    hour = f"{time.hour}h" + (f"{time.minute:02d}" if time.minute else "")
    return f"{'à' if time.hour == 1 else 'às'} {hour}"


def _spanish(time: _dt.time) -> str:
    return f"{'a la' if time.hour == 1 else 'a las'} {time.hour}:{time.minute:02d}"


def _french(time: _dt.time) -> str:
    return f"à {time.hour} h" + (f" {time.minute:02d}" if time.minute else "")


def _german(time: _dt.time) -> str:
    return f"um {time.hour}" + (f":{time.minute:02d}" if time.minute else "") + " Uhr"


def _italian(time: _dt.time) -> str:
    return f"{'all’' if time.hour in (1, 8, 11) else 'alle '}{time.hour}:{time.minute:02d}"


TABLES: dict[str, SlotWords] = {
    "pt": SlotWords(("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado",
                     "domingo"), _portuguese, "e", "ao meio-dia", "à meia-noite"),
    "es": SlotWords(("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"), _spanish, "y",
                    "a mediodía", "a medianoche"),
    "fr": SlotWords(("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"), _french, "et",
                    "à midi", "à minuit"),
    "de": SlotWords(("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"), _german, "und"),
    "it": SlotWords(("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"), _italian, "e",
                    "a mezzogiorno", "a mezzanotte"),
}
KNOWN = ("en", *TABLES)  # the languages whose schedule sentence may use {slots}


def primary(language: str) -> str:
    """The language subtag of a BCP-47 code: ``pt`` of ``pt-BR``."""
    return language.split("-", 1)[0].lower()


def has_slot_words(language: str) -> bool:
    """Whether ``language`` (by its primary subtag) has a table of slot words, so ``{slots}`` works in it."""
    return primary(language) in KNOWN


def describe_slots_in(language: str, slots: Sequence[WeeklySlot]) -> str:
    """The slots in words in ``language`` (sorted by weekday and time, duplicates dropped); ``KeyError``
    for a language without a table (see :func:`has_slot_words`)."""
    code = primary(language)
    if code == "en":
        return schedule.describe_slots(slots)
    words = TABLES[code]
    said = [f"{words.weekdays[slot.weekday]} {words.time(slot.time)}" for slot in sorted(set(slots))]
    return said[0] if len(said) == 1 else f"{', '.join(said[:-1])} {words.joined_by} {said[-1]}"
