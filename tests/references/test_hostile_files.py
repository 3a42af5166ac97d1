"""A careless or hostile file given to `refs import` or `import --from-file`: one clear line per problem, exit 1.

Nested JSON a hundred thousand levels deep, numbers of thousands of digits, a device or a FIFO in place
of the file, files over the size limit, whatever their size says: never a traceback, never a hang,
never a byte written; and every problem of a CSL-JSON file at once, each at the line of its field.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from episodekit.files.yamlsource import MAX_DESCRIPTION_BYTES
from episodekit.references.sources import MAX_IMPORT_BYTES
from testkit import REPO

LIBRARY = "references.yaml"


def refused(channel, run_cli, *args: str) -> list[str]:
    before = (channel.root / LIBRARY).read_bytes()
    result = run_cli(*args, cwd=channel.root)
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    assert (channel.root / LIBRARY).read_bytes() == before and channel.leftovers() == []
    assert not (channel.root / "episodes" / "from-zero.yaml").exists()
    return result.err.strip().splitlines()


@pytest.mark.parametrize("levels", [1_000, 100_000])
def test_json_nested_thousands_of_levels_deep_is_one_line(channel, run_cli, levels):
    channel.write("deep.json", "[\n" + "[" * levels + "]" * levels + "\n]\n")
    lines = refused(channel, run_cli, "refs", "import", "deep.json")
    assert len(lines) == 1 and lines[0].startswith("deep.json:2: ")
    assert "nested too deeply" in lines[0] or "expected an item" in lines[0]


def test_a_number_of_thousands_of_digits_is_not_a_year(channel, run_cli):
    channel.write("big.json", '[\n {"title": "T",\n  "issued": {"date-parts": [[' + "9" * 5000 + "]]}}\n]\n")
    assert refused(channel, run_cli, "refs", "import", "big.json") == [
        "big.json:3: issued: 999999999999… is not a year (a year is 1000 to 9999)"]


def test_every_problem_of_a_csl_json_file_is_listed_at_once_each_at_its_field(channel, run_cli):
    items = [{"title": "A", "issued": {"date-parts": [[99999]]}}, "not an item",
             {"title": "B", "PMID": "x1"}, {"title": "C", "issued": {"date-parts": [[2012, 13]]}},
             {"title": "D", "DOI": "nm.2886"}, {"title": "E"}]
    channel.write("many.json", json.dumps(items, indent=2))
    assert refused(channel, run_cli, "refs", "import", "many.json") == [
        "many.json:4: issued: 99999 is not a year (a year is 1000 to 9999)",
        "many.json:12: expected an item ({\"title\": ...}), found str",
        "many.json:15: PMID: 'x1' is not a PubMed id (digits only)",
        "many.json:19: issued: 13 is not a month (1 to 12)",
        "many.json:30: DOI: 'nm.2886' is not a DOI (it starts with '10.' and has a '/')",
    ]


@pytest.mark.parametrize("text, expected", [
    ('[{"title": "A"}, {"title": "B"},]', "x.json:1: not valid JSON: a ',' before ']'"),
    ('[{"title": "A"} {"title": "B"}]', "x.json:1: not valid JSON: expected ',' or ']' after an item"),
    ('[{"title": "A"}', "x.json:1: not valid JSON: the list is not closed with ']'"),
    ('[{"title": "A"}] trailing', "x.json:1: not valid JSON: more text after the list ends"),
    ('[]', "x.json:1: the file has no items"),
    ('{"title": "A"}{"title": "B"}', "x.json:1: not valid JSON: more text after the item ends"),
])
def test_a_list_that_is_not_json_says_where(channel, run_cli, text, expected):
    channel.write("x.json", text)
    assert refused(channel, run_cli, "refs", "import", "x.json")[0].startswith(expected)


@pytest.mark.parametrize("command", [["refs", "import"], ["import", "--title", "From zero", "--no-lookup", "--from-file"]])
def test_a_device_is_refused_without_being_read(channel, run_cli, command):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    lines = refused(channel, run_cli, *command, "/dev/zero")
    assert lines[-1].endswith("/dev/zero: is a device, not a CSL-JSON or BibTeX file; save the data to a regular "
                              "file and give that") or "/dev/zero: is a device, not a description saved as text" in lines[-1]


@pytest.mark.parametrize("command", [["refs", "import"], ["import", "--title", "From zero", "--no-lookup", "--from-file"]])
def test_a_fifo_is_refused_at_once_not_waited_on(channel, command):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = channel.root / "pipe.bib"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, str(REPO / "publish.py"), *command, str(fifo)], cwd=channel.root,
                          capture_output=True, text=True, timeout=60)  # a read would wait for a writer for ever
    assert done.returncode == 1 and "is a named pipe (FIFO), not" in done.stderr and "Traceback" not in done.stderr


def test_an_import_file_over_the_limit_is_refused_by_what_is_read_not_by_what_it_says(channel, run_cli):
    big = channel.root / "big.json"
    with big.open("wb") as handle:
        handle.truncate(MAX_IMPORT_BYTES + 1)  # sparse: costs no disk
    assert refused(channel, run_cli, "refs", "import", "big.json") == [
        f"big.json: the file is {MAX_IMPORT_BYTES + 1:,} bytes; the limit is {MAX_IMPORT_BYTES:,} bytes"]


def test_a_description_file_has_a_size_limit_too(channel, run_cli):
    channel.write("desc.txt", "x" * (MAX_DESCRIPTION_BYTES + 1))
    lines = refused(channel, run_cli, "import", "--title", "From zero", "--no-lookup", "--from-file", "desc.txt")
    assert lines[-1].endswith(f"the file is {MAX_DESCRIPTION_BYTES + 1:,} bytes; the limit is "
                              f"{MAX_DESCRIPTION_BYTES:,} bytes")
