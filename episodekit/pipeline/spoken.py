"""The spoken text of a script: what a caption shows and what the speaker says.

A section's body without its citation markers (``[@key]``) and stage directions (any other text in
square brackets, such as ``[B-roll: a synapse]`` or ``[pause]``), split into words that keep their
punctuation. Each word knows whether a sentence or a clause ends with it, and whether it is glued to
the next one: a caption never breaks between two glued words, so a name is never split.

What counts as a name (glued word to word):

- a run of capitalised words (``Major Depressive Disorder``, ``André Lopes``), with the particles of
  names between them (``Ludwig van Beethoven``); punctuation ends a run (``BDNF, a``);
- the author names of the reference library and of the episode's own entries, as written there
  (``Barrós-Loscertales``, ``van der Kolk``), and ``<name> et al.``;
- the episode's and the channel's tags of more than one word (``chemical imbalance``);
- a number with the word before it when that is capitalised (``Figure 3``) and with a short unit
  after it (``20 mg``, ``5 %``).

A single word (``BDNF``, ``neuroplasticity``) is never split anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

ABBREVIATIONS = frozenset({
    "dr.", "mr.", "mrs.", "ms.", "prof.", "st.", "vs.", "e.g.", "i.e.", "al.", "cf.", "approx.", "no.", "fig.",
})
PARTICLES = frozenset({"van", "von", "der", "den", "de", "da", "del", "della", "di", "du", "dos", "la", "le", "bin", "al"})
_BRACKETED = re.compile(r"\s*\[[^\[\]]*\]")  # citation markers and stage directions alike
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_CLAUSE_END = re.compile(r"[,;:—–-][\"'”’)\]]*$")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*%?$")
_INITIAL = re.compile(r"^[A-Z]\.$")
_LETTERS = re.compile(r"[^\W\d_]")
SHORT_UNIT = 3  # characters: a unit after a number (mg, %, ml, kg) stays with it


@dataclass(frozen=True)
class Word:
    """One spoken word as a caption shows it, with the punctuation written after it."""

    text: str
    section: int
    sentence_end: bool = False
    clause_end: bool = False
    glued: bool = False  # never break between this word and the next

    @property
    def bare(self) -> str:
        """The word without the punctuation around it, for comparing with names."""
        return self.text.strip("\"'“”‘’()[],;:.!?…")


def spoken_text(body: str) -> str:
    """A script body as it is spoken: no citation markers, no stage directions, single spaces."""
    return " ".join(_BRACKETED.sub("", body).split())


def stage_directions(body: str) -> list[str]:
    """The stage directions of a body, in order: bracketed text that is not a citation marker."""
    return [m.strip()[1:-1].strip() for m in _BRACKETED.findall(body) if "@" not in m]


def spoken_words(bodies: Iterable[str], names: NameBook) -> list[Word]:
    """The words of each body in turn, numbered by section, with their breaks and glue."""
    words: list[Word] = []
    for section, body in enumerate(bodies):
        pieces = _join_dashes(spoken_text(body).split())
        glued = names.glue(pieces)
        for index, piece in enumerate(pieces):
            words.append(Word(piece, section, _ends_sentence(piece), bool(_CLAUSE_END.search(piece)),
                              index in glued))
    return words


def _join_dashes(pieces: list[str]) -> list[str]:
    """A dash standing alone (``this — that``) belongs to the word before it, as a clause end."""
    joined: list[str] = []
    for piece in pieces:
        if joined and not _LETTERS.search(piece) and not _NUMBER.match(piece):
            joined[-1] += " " + piece
        else:
            joined.append(piece)
    return joined


def _ends_sentence(piece: str) -> bool:
    if not _SENTENCE_END.search(piece):
        return False
    return piece.lower() not in ABBREVIATIONS and not _INITIAL.match(piece)


class NameBook:
    """The names and terms a caption keeps whole: author names and tags of several words."""

    def __init__(self, phrases: Iterable[str] = ()):
        self.phrases = sorted({tuple(p.casefold().split()) for p in phrases if len(p.split()) > 1},
                              key=len, reverse=True)
        self._by_first: dict[str, list[tuple[str, ...]]] = {}  # the phrases by their first word, in order
        for phrase in self.phrases:
            self._by_first.setdefault(phrase[0], []).append(phrase)

    def glue(self, pieces: list[str]) -> set[int]:
        """Indexes ``i`` of ``pieces`` that must stay with ``pieces[i + 1]``."""
        bare = [p.strip("\"'“”‘’()[],;:.!?…").casefold() for p in pieces]
        glued = {i for i in range(len(pieces) - 1) if self._pair(pieces, i)}
        for start in range(len(pieces)):
            for phrase in self._by_first.get(bare[start], ()):
                end = start + len(phrase)
                if tuple(bare[start:end]) == phrase and not any(_CLAUSE_END.search(p) for p in pieces[start:end - 1]):
                    glued.update(range(start, end - 1))
                    break
        return glued

    @staticmethod
    def _pair(pieces: list[str], i: int) -> bool:
        """Whether ``pieces[i]`` and the next piece belong together by their shape."""
        here, after = pieces[i], pieces[i + 1]
        if _CLAUSE_END.search(here) or _ends_sentence(here):
            return False
        if _capital(here):  # a run of capitalised words, a name's particle, a number, "et al."
            return _capital(after) or _number(after) or after.casefold() == "et" or (
                after.casefold() in PARTICLES and i + 2 < len(pieces) and _capital(pieces[i + 2]))
        if here.casefold() in PARTICLES:
            return i > 0 and _capital(pieces[i - 1]) and _capital(after)
        if here.casefold() == "et":
            return after.casefold().startswith("al")
        return _number(here) and len(after.strip(".,;:!?")) <= SHORT_UNIT and not after[:1].isdigit()


def _number(piece: str) -> bool:
    return bool(_NUMBER.match(piece.split()[0].strip(".,;:!?")))


def _capital(piece: str) -> bool:
    letters = _LETTERS.findall(piece)
    return bool(letters) and letters[0].isupper()


def names_of(authors: Iterable[tuple[str, str]], tags: Iterable[str]) -> NameBook:
    """A name book from authors (family name, full name) and tags: the full name, the family name and
    ``<family> et al.``."""
    phrases: list[str] = list(tags)
    for family, full in authors:
        phrases += [full, family, f"{family} et al."]
    return NameBook(phrases)
