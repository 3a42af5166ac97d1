"""Editors check channel files against schema/*.json, so the schemas must agree with ``check``.

The schemas on disk are the models' export; every sample file is valid against its schema;
every input in ``REJECTED`` is refused by the schema *and* by ``check``, and every input in
``ACCEPTED`` is taken by both. One list each, tried both ways.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess

import jsonschema
import pytest
import yaml

from episodekit.models.schema import SCHEMAS, schema_text
from testkit import REPO

FILES = {"channel": "channel.yaml", "references": "references.yaml", "episode": "episodes/test-episode.yaml"}
SAMPLES = [("channel", "channel.yaml"), ("references", "references.yaml")] + [
    ("episode", str(p.relative_to(REPO))) for p in sorted((REPO / "episodes").glob("*.yaml"))
]
class _Drop:
    """As a value: remove the key (its repr names it, so test ids are the same in every process)."""

    def __repr__(self) -> str:
        return "DROP"


DROP = _Drop()


@pytest.mark.parametrize("filename", sorted(SCHEMAS))
def test_exported_schema_is_up_to_date(filename):
    exported = (REPO / "schema" / filename).read_text(encoding="utf-8")
    assert exported == schema_text(SCHEMAS[filename]), (
        f"schema/{filename} is stale: run `python publish.py schema`"
    )


@pytest.mark.parametrize(
    "path, schema",
    [("channel.yaml", "schema/channel.schema.json"), ("references.yaml", "schema/references.schema.json")]
    + [(str(p.relative_to(REPO)), "../schema/episode.schema.json") for p in sorted((REPO / "episodes").glob("*.yaml"))],
)
def test_sample_files_point_editors_at_their_schema(path, schema):
    first_line = (REPO / path).read_text(encoding="utf-8").splitlines()[0]
    assert first_line == f"# yaml-language-server: $schema={schema}"


@functools.cache
def validator(kind: str) -> jsonschema.Draft202012Validator:
    """The validator of ``schema/KIND.schema.json``, checked and built once per process (it keeps no state)."""
    schema = json.loads((REPO / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def schema_errors(kind: str, data: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(kind).iter_errors(data)]


@pytest.mark.parametrize("kind, path", SAMPLES)
def test_every_sample_file_is_valid_against_its_schema(kind, path):
    data = yaml.safe_load((REPO / path).read_text(encoding="utf-8"))
    assert schema_errors(kind, data) == []


# (file, path to the value inside it, the value or DROP, what `check` says: a "field:" or a phrase)
REJECTED = [
    ("episode", ("title",), "x" * 101, "title: is 101 characters"),
    ("episode", ("title",), "", "title:"),
    ("episode", ("title",), "\u200b\u200b", "title: has no visible characters"),
    ("episode", ("title",), "Line one\nline two", "title: is one line"),
    ("episode", ("title",), "Ring \u0007 ring", "title: contains the control character U+0007"),
    ("episode", ("title",), "Less <than> more", "title: may not contain '<'"),
    ("episode", ("title",), DROP, "title: is required"),
    ("episode", ("schedule",), "someday", "schedule:"),
    ("episode", ("schedule",), "2026-12-02", "schedule:"),
    ("episode", ("schedule",), "2026-13-02 09:00", "schedule:"),
    ("episode", ("schedule",), "2026-12-02 09:00+01:00", "schedule:"),
    ("episode", ("extra",), "sometimes", "extra:"),
    ("episode", ("summary",), [], "summary:"),
    ("episode", ("summary",), ["  "], "summary[0]:"),
    ("episode", ("summary",), ["x < y"], "'<' or '>'"),
    ("episode", ("summary",), ["Bell \u0007 in the text"], "summary[0]: contains the control character"),
    ("episode", ("tags",), ["fine", "a<b"], "'<' or '>'"),
    ("episode", ("tags",), ["fine", "two\nlines"], "tags[1]: is one line"),
    ("episode", ("script", 0, "heading"), "\u2060", "script[0].heading: has no visible"),
    ("episode", ("chapters",), [{"at": "1:5", "title": "Start"}], "chapters[0].at:"),
    ("episode", ("chapters",), [{"at": "one minute", "title": "Start"}], "chapters[0].at:"),
    ("episode", ("chapters",), [{"at": "0:00"}], "chapters[0].title: is required"),
    ("episode", ("videos",), [{"url": "https://vimeo.com/123456789", "title": "V"}], "videos[0].url:"),
    ("episode", ("videos",), [{"url": "https://youtu.be/short", "title": "V"}], "videos[0].url:"),
    ("episode", ("videos",), [{"url": "https://youtu.be/2z5krS51pNg"}], "needs a 'title'"),
    ("episode", ("videos",), [{"url": "2z5krS51pNg", "title": "V", "episode": "other"}], "not both"),
    ("episode", ("videos",), [{"episode": "Not A Slug"}], "videos[0].episode:"),
    ("episode", ("citations",), ["kang2012", "bad key"], "citations[1]:"),
    ("episode", ("citations",), [{"id": "x1", "title": "T", "DOI": "10.1038/nm 2886"}], "citations[0].DOI:"),
    ("episode", ("citations",), [{"id": "x1", "title": "T", "DOI": "nm.2886"}], "citations[0].DOI:"),
    ("episode", ("citations",), [{"id": "x1", "title": "T", "URL": "not a url"}], "citations[0].URL:"),
    ("episode", ("citations",), [{"id": "x1", "title": "T", "PMID": "PM123"}], "citations[0].PMID:"),
    ("episode", ("citations",), [{"id": "x1"}], "citations[0].title: is required"),
    ("episode", ("citations",), [{"title": "T"}], "citations[0].id: is required"),
    ("episode", ("disclaimer",), "Watch <this>", "'<' or '>'"),
    ("episode", ("upload", "privacy"), "secret", "upload.privacy:"),
    ("episode", ("upload", "category"), "education", "upload.category:"),
    ("episode", ("upload", "language"), "English", "upload.language:"),
    ("episode", ("tgas",), ["a"], "unknown key 'tgas'"),
    ("channel", ("name",), "", "name:"),
    ("channel", ("name",), "Tab\tname", "name: contains a tab"),
    ("channel", ("subscribe_url",), "not a url", "subscribe_url:"),
    ("channel", ("timezone",), "New York", "timezone:"),
    ("channel", ("slots",), [], "slots:"),
    ("channel", ("slots", 0, "weekday"), "someday", "slots[0].weekday:"),
    ("channel", ("slots", 0, "time"), "25:00", "slots[0].time:"),
    ("channel", ("slots", 0, "time"), "9", "slots[0].time:"),
    ("channel", ("schedule_line",), "New every {slot}", "schedule_line: unknown placeholder"),
    ("channel", ("schedule_line",), "New every {slots", "schedule_line: bad braces"),
    ("channel", ("tags",), ["a<b"], "'<' or '>'"),
    ("channel", ("citation_style",), "mla", "citation_style:"),
    ("channel", ("words_per_minute",), 1000, "words_per_minute:"),
    ("channel", ("upload",), {"privacy": "hidden"}, "upload.privacy:"),
    ("references", ("kang2012", "DOI"), "10.1038/nm 2886", "kang2012.DOI: "),
    ("references", ("kang2012", "URL"), "not a url", "kang2012.URL: "),
    ("references", ("kang2012", "URL"), "ftp://example.org/x", "kang2012.URL: "),
    ("references", ("kang2012", "PMID"), "12a", "kang2012.PMID: "),
    ("references", ("kang2012", "type"), "paper", "kang2012.type: "),
    ("references", ("kang2012", "title"), "", "kang2012.title: "),
    ("channel", ("description_overflow",), "cut", "description_overflow:"),
    ("channel", ("description_overflow",), "truncate-references", "needs full_references_url"),
    ("channel", ("full_references_url",), "example.org/{slug}", "full_references_url:"),
    ("channel", ("reference_identifier",), "isbn", "reference_identifier:"),
    ("references", ("kang2012", "author", 0), {"given": "H. J."}, "needs 'family'"),
    ("references", ("kang2012", "issued"), {"date-parts": []}, "kang2012.issued"),
    ("references", ("kang2012", "issued"), {"date-parts": [[2012, 13, 1]]}, "kang2012.issued: date-parts: the month"),
    ("references", ("kang2012", "issued"), "soon", "kang2012.issued: 'soon' is not a year or a date"),
    ("references", ("kang2012", "issued"), "2012-13-01", "kang2012.issued: 2012-13-01 is not a date"),
    ("references", ("bad key",), {"title": "T"}, "bad key"),
]

# inputs `check` takes (perhaps with warnings), so the schema must take them too
ACCEPTED = [
    ("references", ("kang2012", "author", 0, "given"), "HJ"),  # a warning: write "H. J."
    ("references", ("kang2012", "page"), "1413-7"),  # a warning: store the full range
    ("channel", ("full_references_url",), "https://example.org/refs/{slug}"),
    ("episode", ("title",), "x" * 100),
    ("episode", ("title",), 1984),
    ("episode", ("title",), "Brain 🧠‍🔬 and Straße: “quoted”"),
    ("episode", ("title",), "A title from a folded block\n"),
    ("episode", ("schedule",), "2026-12-02 09:00"),
    ("episode", ("schedule",), "2026-12-02T09:00:00"),
    ("episode", ("schedule",), None),
    ("episode", ("extra",), True),
    ("episode", ("extra",), "yes"),  # what an editor reading YAML 1.2 sees for `extra: yes`
    ("episode", ("upload",), {"made_for_kids": "No"}),
    ("episode", ("summary",), ["First line\nsecond line of the same paragraph.", "Tabs\tare fine here."]),
    ("episode", ("tags",), ["no", "on", "2024"]),
    ("episode", ("chapters",), [
        {"at": "0:00", "title": "Start"}, {"at": "0:30", "title": "Middle"}, {"at": "1:02:03", "title": "End"},
    ]),
    ("episode", ("videos",), [
        {"url": "https://www.youtube.com/watch?v=2z5krS51pNg&t=10s", "title": "A"},
        {"url": "2z5krS51pNg", "title": "B"},
        {"url": "https://youtube.com/shorts/2z5krS51pNg", "title": "C"},
    ]),
    ("episode", ("disclaimer",), "none"),
    ("episode", ("disclaimer",), "My own disclaimer for this one."),
    ("episode", ("citations",), ["kang2012", {
        "id": "inline1", "title": "T", "issued": 2020, "volume": 18, "issue": 9, "PMID": 22729102,
        "DOI": "https://doi.org/10.1038/nm.2886", "URL": "https://example.org/paper?id=1",
    }]),
    ("episode", ("upload",), {"privacy": "unlisted", "language": "en-US", "category": 27}),
    ("channel", ("slots", 0), {"weekday": "Wednesday", "time": "9:00"}),
    ("channel", ("schedule_line",), "Every {slots} on {channel} {{not a placeholder}}: {subscribe_url}"),
    ("channel", ("disclaimer",), None),
    ("references", ("kang2012", "volume"), 18),
    ("references", ("kang2012", "PMID"), 22729102),
    ("references", ("kang2012", "issued"), {"date-parts": [[2012, 6, 3]]}),
    ("references", ("kang2012", "issued"), "2012-06-30"),
    ("references", ("kang2012", "author"), [{"literal": "World Health Organization"}]),
]


def _ids(cases):
    return [f"{c[0]}:{'.'.join(map(str, c[1]))}={c[2]!r:.30}" for c in cases]


def _changed(channel, kind: str, where: tuple, value: object) -> dict:
    """The fixture channel's ``kind`` file with ``where`` set to ``value``, written back; its data."""
    path = channel.root / FILES[kind]
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    if kind == "episode":
        data.setdefault("script", [{"heading": "Start", "body": "Text."}])
    target = data
    for part in where[:-1]:
        target = target.setdefault(part, {}) if isinstance(part, str) else target[part]
    if value is DROP:
        del target[where[-1]]
    else:
        target[where[-1]] = value
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return yaml.load(text, Loader=yaml.CSafeLoader)


@pytest.mark.parametrize("kind, where, value, said", REJECTED, ids=_ids(REJECTED))
def test_the_schema_rejects_what_check_rejects(kind, where, value, said, channel):
    data = _changed(channel, kind, where, value)
    assert schema_errors(kind, data), f"the schema accepts {value!r} at {where}"


@pytest.mark.parametrize("kind, where, value, said", REJECTED, ids=_ids(REJECTED))
def test_check_rejects_what_the_schema_rejects(kind, where, value, said, channel, run_cli):
    _changed(channel, kind, where, value)
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1, result.err
    assert said in result.err
    assert "Traceback" not in result.err and "internal error" not in result.err


@pytest.mark.parametrize("kind, where, value", ACCEPTED, ids=_ids(ACCEPTED))
def test_the_schema_accepts_what_check_accepts(kind, where, value, channel, run_cli):
    data = _changed(channel, kind, where, value)
    result = run_cli("check", cwd=channel.root)
    assert result.code == 0, result.err
    assert schema_errors(kind, data) == []


def _patterns(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern":
                yield value
            elif key == "patternProperties":
                yield from value
                yield from _patterns(list(value.values()))
            else:
                yield from _patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from _patterns(item)


def _probes() -> list[str]:
    """Strings to try every pattern on: the values of both lists, and every character in text."""
    values = [v for _, _, v, *_ in REJECTED + ACCEPTED if isinstance(v, str)]
    values += [" 09:00 ", "wEdNeSdAy", "doi: 10.1/x", "HTTPS://DOI.ORG/10.1/x", "a\nb", "{{", "}}"]
    characters = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    return values + characters + [f"a{c}b" for c in characters] + [f"{c}ab{c}" for c in characters]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the patterns as editors do")
def test_every_pattern_means_the_same_in_javascript_as_editors_run_it():
    patterns = sorted({p for name in SCHEMAS for p in _patterns(json.loads(schema_text(SCHEMAS[name])))})
    probes = _probes()
    script = (
        "const {patterns, probes} = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(patterns.map(p => {"
        "  const re = new RegExp(p, 'u'); return probes.map(s => re.test(s) ? '1' : '0').join('');"
        "})));"
    )
    result = subprocess.run(
        ["node", "-e", script], input=json.dumps({"patterns": patterns, "probes": probes}),
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    for pattern, in_javascript in zip(patterns, json.loads(result.stdout), strict=True):
        compiled = re.compile(pattern)
        in_python = "".join("1" if compiled.search(s) else "0" for s in probes)
        differ = [repr(probes[i]) for i, (a, b) in enumerate(zip(in_python, in_javascript)) if a != b]
        assert differ[:5] == [], pattern


# --- one rule for text, in the models and in the schema ---------------------------------------

def _holders():
    from episodekit.models.base import StrictModel
    from episodekit.models.text import Line, Paragraph

    class LineHolder(StrictModel):  # strips the whitespace around a value, as every file's model does
        text: Line

    class ParagraphHolder(StrictModel):
        text: Paragraph

    return {True: LineHolder, False: ParagraphHolder}


HOLDERS = _holders()


def _model_takes(one_line: bool, text: str) -> bool:
    try:
        HOLDERS[one_line](text=text)
    except ValueError:
        return False
    return True


def _every_character():
    return (chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF)  # JSON cannot carry surrogates


def _disagreements(one_line: bool, text_of) -> tuple[list[str], list[str]]:
    """Characters where only the model, or only the schema, takes ``text_of(character)``."""
    from episodekit.models.text import text_schema

    pattern = re.compile(text_schema(one_line, public=False)["pattern"])
    only_model, only_schema = [], []
    for c in _every_character():
        text = text_of(c)
        model, schema = _model_takes(one_line, text), bool(pattern.search(text))
        if model != schema:
            (only_model if model else only_schema).append(f"U+{ord(c):04X}")
    return only_model, only_schema


@pytest.mark.parametrize("one_line", [True, False], ids=["line", "paragraph"])
def test_the_schema_and_the_models_agree_on_every_character_inside_text(one_line):
    assert _disagreements(one_line, lambda c: f"a{c}b") == ([], [])


@pytest.mark.parametrize("one_line", [True, False], ids=["line", "paragraph"])
def test_the_schema_and_the_models_agree_on_every_character_around_text(one_line):
    assert _disagreements(one_line, lambda c: f"{c}ab{c}") == ([], [])


@pytest.mark.parametrize("one_line", [True, False], ids=["line", "paragraph"])
def test_the_schema_never_marks_a_lone_character_the_models_take(one_line):
    only_model, _ = _disagreements(one_line, lambda c: c)
    assert only_model == []
