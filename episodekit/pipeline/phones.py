"""Pronunciations (ARPAbet, as CMUdict writes them) for words the aligner's dictionary lacks.

Medical terms and authors' names (``norepinephrine``, ``BDNF``, ``Barrós-Loscertales``) are exactly
the words CMUdict does not have. Where ``espeak-ng`` is installed it says how to pronounce them (its
IPA, mapped to ARPAbet); elsewhere a small set of English spelling rules does, and a word in capitals
of up to five letters is spelled out (``B IY D IY EH N EH F``). Alignment needs only roughly the right
sounds: the words around a guessed one hold it in place.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Sequence

log = logging.getLogger(__name__)
ESPEAK = "espeak-ng"

_IPA = {  # longest first when matched
    "aɪ": "AY", "aʊ": "AW", "eɪ": "EY", "oʊ": "OW", "ɔɪ": "OY", "tʃ": "CH", "dʒ": "JH", "ɑːɹ": "AA R",
    "oːɹ": "AO R", "ɔːɹ": "AO R", "ɛɹ": "EH R", "ɪɹ": "IH R", "ʊɹ": "UH R", "ɜː": "ER", "ɚ": "ER", "ɝ": "ER",
    "iː": "IY", "uː": "UW", "ɑː": "AA", "ɔː": "AO", "oː": "AO", "i": "IY", "u": "UW", "ɪ": "IH", "ᵻ": "IH",
    "ɛ": "EH", "e": "EH", "æ": "AE", "a": "AE", "ʌ": "AH", "ə": "AH", "ɐ": "AH", "ʊ": "UH", "ɑ": "AA", "ɒ": "AA",
    "ɔ": "AO", "o": "OW", "p": "P", "b": "B", "t": "T", "d": "D", "ɾ": "D", "k": "K", "g": "G", "ɡ": "G", "f": "F",
    "v": "V", "θ": "TH", "ð": "DH", "s": "S", "z": "Z", "ʃ": "SH", "ʒ": "ZH", "h": "HH", "x": "HH", "ç": "HH",
    "m": "M", "n": "N", "ŋ": "NG", "l": "L", "ɫ": "L", "ɹ": "R", "r": "R", "j": "Y", "w": "W", "ʔ": "",
}
_IPA_KEYS = sorted(_IPA, key=len, reverse=True)
_IPA_IGNORED = "ˈˌ‍͡ː̩-. "

_LETTER_NAMES = {
    "a": "EY", "b": "B IY", "c": "S IY", "d": "D IY", "e": "IY", "f": "EH F", "g": "JH IY", "h": "EY CH",
    "i": "AY", "j": "JH EY", "k": "K EY", "l": "EH L", "m": "EH M", "n": "EH N", "o": "OW", "p": "P IY",
    "q": "K Y UW", "r": "AA R", "s": "EH S", "t": "T IY", "u": "Y UW", "v": "V IY", "w": "D AH B AH L Y UW",
    "x": "EH K S", "y": "W AY", "z": "Z IY",
}
_DIGITS = ["Z IH R OW", "W AH N", "T UW", "TH R IY", "F AO R", "F AY V", "S IH K S", "S EH V AH N", "EY T", "N AY N"]
_SPELLING = [  # (letters, phones), longest first within the scan
    ("tion", "SH AH N"), ("sion", "ZH AH N"), ("ough", "AO"), ("igh", "AY"), ("tch", "CH"), ("sch", "S K"),
    ("ph", "F"), ("sh", "SH"), ("ch", "CH"), ("th", "TH"), ("ng", "NG"), ("ck", "K"), ("qu", "K W"), ("wh", "W"),
    ("gh", "G"), ("kn", "N"), ("wr", "R"), ("ee", "IY"), ("ea", "IY"), ("oo", "UW"), ("ou", "AW"), ("ow", "OW"),
    ("oi", "OY"), ("oy", "OY"), ("ai", "EY"), ("ay", "EY"), ("au", "AO"), ("aw", "AO"), ("ie", "IY"),
    ("ei", "EY"), ("ey", "IY"), ("ue", "UW"), ("er", "ER"), ("ir", "ER"), ("ur", "ER"), ("ar", "AA R"),
    ("or", "AO R"), ("a", "AE"), ("e", "EH"), ("i", "IH"), ("o", "AA"), ("u", "AH"), ("y", "IY"), ("b", "B"),
    ("c", "K"), ("d", "D"), ("f", "F"), ("g", "G"), ("h", "HH"), ("j", "JH"), ("k", "K"), ("l", "L"), ("m", "M"),
    ("n", "N"), ("p", "P"), ("q", "K"), ("r", "R"), ("s", "S"), ("t", "T"), ("v", "V"), ("w", "W"), ("x", "K S"),
    ("z", "Z"),
]
_SOFT = {"c": "S", "g": "JH"}  # before e, i, y
ACRONYM_LETTERS = 5


def pronunciations(words: Sequence[str]) -> dict[str, str]:
    """ARPAbet phones for each of ``words`` (as written: ``BDNF`` is spelled out), keyed in lower case
    as the dictionary keys them."""
    spoken = _espeak(words) if shutil.which(ESPEAK) else {}
    return {w.lower(): spoken.get(w) or by_rules(w) for w in words}


def _espeak(words: Sequence[str]) -> dict[str, str]:
    """espeak-ng's pronunciation of each word, one a line, mapped to ARPAbet; empty when it fails."""
    plain = list(dict.fromkeys(words))
    if not plain:
        return {}
    try:
        done = subprocess.run([ESPEAK, "-q", "-v", "en-us", "--ipa"], input="\n".join(plain) + "\n",
                              capture_output=True, text=True, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("espeak-ng gave no pronunciations (%s); spelling rules instead", exc)
        return {}
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    if len(lines) != len(plain):
        return {}
    return {word: arpabet_of_ipa(ipa) for word, ipa in zip(plain, lines) if arpabet_of_ipa(ipa)}


def arpabet_of_ipa(ipa: str) -> str:
    """espeak-ng's IPA for one word in ARPAbet; symbols without an ARPAbet sound are left out."""
    phones: list[str] = []
    i = 0
    while i < len(ipa):
        key = next((k for k in _IPA_KEYS if ipa.startswith(k, i)), None)
        if key is None:
            i += 1  # stress, length, ties, a sound English lacks
            continue
        phones.extend(_IPA[key].split())
        i += len(key)
    return " ".join(phones)


def by_rules(word: str) -> str:
    """A rough pronunciation from English spelling: letters named for an acronym, digits by name."""
    letters = "".join(c for c in unicodedata.normalize("NFKD", word) if c.isascii() and (c.isalnum() or c == "'"))
    if not letters:
        return "AH"
    plural = len(letters) > 2 and letters.endswith("s") and letters[:-1].isupper()  # SSRIs
    if plural:
        return f"{by_rules(letters[:-1])} Z"
    if word.isupper() and len(letters) <= ACRONYM_LETTERS or re.fullmatch(r"[bcdfghjklmnpqrstvwxz]+", letters):
        return " ".join(_LETTER_NAMES.get(c, _DIGITS[int(c)] if c.isdigit() else "") for c in letters.lower()).strip()
    return _spell(re.sub(r"([b-df-hj-np-tv-z])\1", r"\1", letters.lower()))  # a double consonant is one sound


def _spell(text: str) -> str:
    phones: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isdigit():
            phones.append(_DIGITS[int(char)])
            i += 1
            continue
        if char in _SOFT and text[i + 1:i + 2] in ("e", "i", "y"):
            phones.append(_SOFT[char])
            i += 1
            continue
        if char == "e" and i == len(text) - 1 and i > 1:  # a silent final e
            break
        match = next(((letters, sound) for letters, sound in _SPELLING if text.startswith(letters, i)), None)
        if match is None:
            i += 1
            continue
        phones.append(match[1])
        i += len(match[0])
    return " ".join(phones) or "AH"
