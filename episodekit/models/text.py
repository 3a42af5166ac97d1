"""What a text field may hold, checked by the models and described to editors by the JSON Schema.

A *line* (a title, a tag, a heading, a chapter title, a name) is one line of text; a
*paragraph* (a summary paragraph, a script body, a disclaimer) may span lines. Neither may
hold control characters (they arrive with pasted text and show as boxes, or not at all), and
neither may consist only of invisible characters such as U+200B ZERO WIDTH SPACE.

YouTube refuses ``<`` and ``>`` in what it publishes. ``check`` reports them on the rendered
title, description and tags (``pipeline.limits``), so the models accept them, and only the
schema of the published fields (the ``Public*`` types) marks them for editors.

A number in a text field is the text as written: ``files.load`` hands the model the words
that YAML 1.1 turned into numbers or yes/no values, so the schema allows numbers there too.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, WithJsonSchema

TITLE_MAX_CHARS = 100  # YouTube's limit for a video title
FORBIDDEN = "<>"  # YouTube refuses these in a title, a description and tags
FORBIDDEN_MESSAGE = "may not contain '<' or '>' (YouTube rejects them)"

# Letters that draw nothing, used to fake an empty title; the categories below catch the rest.
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
_NONCHARACTERS = frozenset("\ufffe\uffff")  # YAML readers refuse them in a file
_PARAGRAPH_BREAKS = frozenset("\t\n\r")

# The same rules as ECMAScript/Python regular expressions for the schema. Editors run them as
# JavaScript, so every class is spelled out (``\s`` differs between the two); the models strip
# the Unicode White_Space characters around a value first, so the schema allows them there.
_SCHEMA_SPACE = r"\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SCHEMA_CONTROLS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff"
_SCHEMA_LINE_CONTROLS = _SCHEMA_CONTROLS + r"\u0009\u000a\u000d\u2028\u2029"
_SCHEMA_INVISIBLE = _SCHEMA_SPACE + (
    r"\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\u2800\u3164\ufeff\uffa0"
)

_SCHEMA_BIDI = r"\u202a-\u202e\u2066-\u2069"  # refused in published lines (see public_line_problem)


def _character_name(char: str) -> str:
    names = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return"}
    return names.get(char) or f"the control character U+{ord(char):04X}"


def _visible(text: str) -> bool:
    return any(
        unicodedata.category(c) not in _INVISIBLE_CATEGORIES and c not in _FILLERS for c in text
    )


# Every character the loop below can object to (Cc, Cs, Zl, Zp, the noncharacters; tab and line
# breaks in a line): a text without any of them is judged by one regular-expression search.
_LINE_SUSPECTS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_PARAGRAPH_SUSPECTS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_ASCII_VISIBLE = re.compile("[!-~]")


def _text_problem(text: str, one_line: bool) -> str | None:
    """What is wrong with ``text`` as a line (``one_line``) or a paragraph; None when nothing."""
    if not text:
        return "may not be empty"
    if not (_ASCII_VISIBLE.search(text) or _visible(text)):
        return "has no visible characters (only spaces or invisible ones such as U+200B)"
    if not (_LINE_SUSPECTS if one_line else _PARAGRAPH_SUSPECTS).search(text):
        return None
    for char in text:
        category = unicodedata.category(char)
        if one_line and (char in "\n\r" or category in ("Zl", "Zp")):
            return "is one line of text but contains a line break; write it on one line"
        if one_line and char == "\t":
            return "contains a tab; use a space"
        if char in _PARAGRAPH_BREAKS:
            continue
        if category in ("Cc", "Cs") or char in _NONCHARACTERS:
            what = "an unpaired surrogate" if category == "Cs" else _character_name(char)
            return f"contains {what}; remove it (it often comes with pasted text)"
    return None


def line_problem(text: str) -> str | None:
    """Why ``text`` is not one line of visible text, or None."""
    return _text_problem(text, one_line=True)


BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def public_line_problem(text: str) -> str | None:
    """Why ``text`` cannot be a published line (a title, a tag, a name), or None.

    Besides :func:`line_problem`: no bidirectional embedding, override or isolate controls
    (they reorder what viewers see, so a title can show other words than it holds), and not
    combining marks alone (they draw on nothing, or on what stands before the title)."""
    problem = line_problem(text)
    if problem:
        return problem
    bidi = next((c for c in text if c in BIDI_CONTROLS), None)
    if bidi is not None:
        return (f"contains the bidirectional control U+{ord(bidi):04X} ({unicodedata.name(bidi).lower()}), which "
                "makes the text show in another order than it is written; remove it")
    if all(unicodedata.category(c).startswith("M") or not _visible(c) for c in text):
        return "consists only of combining marks, which need a letter to sit on; write the letters too"
    return None


def check_public_line(text: str) -> str:
    """``text`` when it can be a published line; ``ValueError`` saying why not otherwise."""
    return _unless(text, public_line_problem(text))


def paragraph_problem(text: str) -> str | None:
    """Why ``text`` is not a paragraph of visible text, or None."""
    return _text_problem(text, one_line=False)


def title_problems(title: str) -> list[str]:
    """What YouTube would refuse in ``title`` as a video title (length, ``<`` and ``>``)."""
    problems = []
    if len(title) > TITLE_MAX_CHARS:
        problems.append(f"is {len(title)} characters; YouTube allows {TITLE_MAX_CHARS}")
    if has_forbidden(title):
        problems.append(FORBIDDEN_MESSAGE)
    return problems


def has_forbidden(text: str) -> bool:
    """Whether ``text`` holds a character YouTube refuses in what it publishes (``<`` or ``>``)."""
    return any(c in text for c in FORBIDDEN)


def check_line(text: str) -> str:
    """``text`` when it is one line of visible text; ``ValueError`` saying why not otherwise."""
    return _unless(text, line_problem(text))


def check_paragraph(text: str) -> str:
    """``text`` when it is a paragraph of visible text; ``ValueError`` saying why not otherwise."""
    return _unless(text, paragraph_problem(text))


def _unless(text: str, problem: str | None) -> str:
    """``text``, or ``ValueError(problem)`` when there is a problem (how pydantic validators refuse)."""
    if problem:
        raise ValueError(problem)
    return text


def pattern_schema(pattern: str, says: str, **extra: Any) -> dict[str, Any]:
    """A string matching ``pattern``; editors show ``says`` (``patternErrorMessage``) when it does not."""
    return {"type": "string", "pattern": pattern, "patternErrorMessage": says, **extra}


def text_schema(one_line: bool, public: bool, **extra: Any) -> dict[str, Any]:
    """The JSON Schema of a line or paragraph; ``public`` text may not hold ``<`` or ``>``."""
    refused = (_SCHEMA_LINE_CONTROLS if one_line else _SCHEMA_CONTROLS) + ("<>" if public else "")
    refused += _SCHEMA_BIDI if public and one_line else ""
    says = "one line of visible text" if one_line else "visible text"
    says += ", without control characters" + (", '<' or '>'" if public else "")
    says += (" or bidirectional controls" if public and one_line else "")
    return {
        **pattern_schema(
            f"^[{_SCHEMA_SPACE}]*(?![{_SCHEMA_INVISIBLE}]*$)[^{refused}]*[{_SCHEMA_SPACE}]*$", says
        ),
        "type": ["string", "number"],
        "minLength": 1,
        **extra,
    }


Line = Annotated[str, AfterValidator(check_line), WithJsonSchema(text_schema(True, False))]
PublicLine = Annotated[str, AfterValidator(check_public_line), WithJsonSchema(text_schema(True, True))]
Paragraph = Annotated[str, AfterValidator(check_paragraph), WithJsonSchema(text_schema(False, False))]
PublicParagraph = Annotated[
    str, AfterValidator(check_paragraph), WithJsonSchema(text_schema(False, True))
]


LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"
_LANGUAGE = re.compile(LANGUAGE_PATTERN)


_NOT_LANGUAGES = frozenset({"und", "mul", "zxx", "mis"})  # registered tags that name no language of a text


# Tags answered without langcodes, whose registry takes ~50 ms to load: a two-letter language, alone or with
# a two-letter region, from these lists. Each such tag is valid and in its standard form (tests/models/test_language_tags.py
# holds every pair to langcodes); any other tag is asked of langcodes, so the answers and messages are the same.
_PLAIN_LANGUAGES = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el
en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu
ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na
nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so
sq sr ss st su sv sw ta te tg th ti tk tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())
_PLAIN_REGIONS = frozenset("""
AA AC AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW
BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CP CR CU CV CW CX CY CZ DE DG DJ DK DM DO DZ EA EC EE EG EH ER ES ET
EU EZ FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU IC ID IE IL
IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME
MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH
PK PL PM PN PR PS PT PW PY QA QM QN QO QP QQ QR QS QT QV QW QX QY QZ RE RO RS RU RW SA SB SC SD SE SG SH SI SJ
SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM UN US UY UZ VA
VC VE VG VI VN VU WF WS XA XB XC XD XE XF XG XH XI XJ XK XL XM XN XO XP XQ XR XS XT XU XV XW XX XY XZ YE YT ZA
ZM ZW ZZ
""".split())


def _plainly_valid(value: str) -> bool:
    language, _, region = value.partition("-")
    return language in _PLAIN_LANGUAGES and (not region or region in _PLAIN_REGIONS)


def language_problem(value: str) -> str | None:
    """Why ``value`` is not a BCP-47 tag as YouTube is given it (valid in the IANA registry, in its standard
    form: ``pt-BR``, not ``pt_br``; ``he``, not ``iw``), or None. The registry is ``langcodes``'."""
    return None if _plainly_valid(value) else registry_problem(value)


def registry_problem(value: str) -> str | None:
    """:func:`language_problem` as the IANA registry of ``langcodes`` answers it (loaded on first use)."""
    import langcodes

    valid = bool(_LANGUAGE.fullmatch(value)) and langcodes.tag_is_valid(value) and value.lower() not in _NOT_LANGUAGES
    if not valid:
        shown = langcodes.standardize_tag(value) if langcodes.tag_is_valid(value) else None
        hint = f"; did you mean {shown!r}?" if shown and shown != value and shown not in _NOT_LANGUAGES else ""
        return f"{value!r} is not a BCP-47 language code such as en, en-US or pt-BR{hint}"
    standard = langcodes.standardize_tag(value)
    if standard != value:
        return f"{value!r} is written {standard!r} in BCP-47's standard form; write {standard!r}"
    return None


def _language(value: str) -> str:
    return _unless(value, language_problem(value))


Language = Annotated[
    str,
    AfterValidator(_language),
    WithJsonSchema(pattern_schema(
        LANGUAGE_PATTERN, "a BCP-47 language code such as en, en-US or pt-BR", examples=["en", "pt-BR"]
    )),
]


WEB_ADDRESS_PATTERN = r"^[hH][tT][tT][pP][sS]?://[^\s/?#]+\S*$"  # a host, then anything but spaces
_WEB_ADDRESS = re.compile(WEB_ADDRESS_PATTERN)


def check_web_address(value: str) -> str:
    """``value`` when it is a full http(s) address without spaces; ``ValueError`` otherwise."""
    try:
        host = urlsplit(value).hostname if _WEB_ADDRESS.fullmatch(value) else None
    except ValueError:  # e.g. an unclosed [ of an IPv6 host
        host = None
    if not host:
        raise ValueError(
            f"{value!r} is not a web address; write it in full, e.g. https://example.org/page"
        )
    return value


def case_insensitive(word: str) -> str:
    """A regular expression matching ``word`` in any case (JSON Schema patterns have no flags)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word)
