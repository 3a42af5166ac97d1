"""A real Zotero library in, and the channel still works: limits checked before writing, never after.

2,500 items (the size whose import once wrote a library every later command refused) imported from
Zotero's CSL JSON and from its BibTeX give the same library, and every later command runs on it. A
library that would pass its limit is not written, and the message names no line of a file that was
never written. Changing one entry of a big library rewrites that entry only; a library whose entries
cannot be cut out alone (an alias, one flow mapping) is edited whole, and right.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from episodekit.files import yamlsource
from testkit import REPO

LIBRARY = "references.yaml"


@pytest.fixture(scope="module")
def zotero(tmp_path_factory) -> tuple[Path, Path]:
    """A Zotero library of 2,500 items as CSL JSON and as BibTeX (benchmarks/librarygen.py)."""
    folder = tmp_path_factory.mktemp("zotero")
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "librarygen.py"), str(folder), "--items", "2500"],
                   check=True, capture_output=True)
    return folder / "library.json", folder / "library.bib"


def text(channel) -> str:
    return (channel.root / LIBRARY).read_text(encoding="utf-8")


def test_2500_zotero_items_give_one_library_from_either_format_and_every_command_still_works(
        channel, run_cli, zotero, lookup_services, tmp_path_factory):
    csl, bib = zotero
    (channel.root / LIBRARY).unlink()
    imported = run_cli("refs", "import", str(csl), cwd=channel.root)
    assert imported.code == 0, imported.err
    assert "wrote: references.yaml: 2500 new" in imported.err + imported.out
    from_json = text(channel)
    (channel.root / LIBRARY).unlink()
    assert run_cli("refs", "import", str(bib), cwd=channel.root).code == 0
    assert text(channel) == from_json  # the same works, the same entries, byte for byte
    assert len(from_json.encode()) > 512 * 1024  # past the old limit of every file, which refused it

    key = next(iter(yaml.load(from_json, Loader=yaml.CSafeLoader)))  # libyaml: the pure-Python parser took 5 s
    channel.episode("test-episode", f"title: T\nschedule: next\nsummary: [Text.]\ncitations: [{key}]\n")
    for command in (["check"], ["render"], ["preview", "test-episode"], ["status"], ["calendar", "--ics", "cal.ics"],
                    ["export", "--site", "site"], ["refs", "add", "10.1038/nm.2886"]):
        done = run_cli(*command, cwd=channel.root)
        assert done.code == 0, (command, done.err)
        assert "Traceback" not in done.err
    added = done.out.split("new: ", 1)[1].split(":", 1)[0]  # the key refs add gave the paper
    assert run_cli("refs", "verify", added, cwd=channel.root).code == 0
    again = run_cli("refs", "import", str(csl), cwd=channel.root)
    assert again.code == 0 and "0 new, 0 enriched, 0 with conflicts, 2500 already there" in again.err + again.out
    channel.write("typed.txt", "Summary.\n\nReferences\nRoe R. A typed paper about mood. J Things. 2019;3:1-9.\n")
    adopted = run_cli("import", "--from-file", "typed.txt", "--title", "Typed", "--no-lookup", cwd=channel.root)
    assert adopted.code == 0, adopted.err
    assert run_cli("check", cwd=channel.root).code == 0


def test_an_import_that_would_pass_the_library_limit_writes_nothing_and_names_no_unwritten_line(
        channel, run_cli, zotero, monkeypatch):
    csl, _ = zotero
    before = text(channel)
    monkeypatch.setattr(yamlsource, "MAX_LIBRARY_BYTES", 200_000)
    result = run_cli("refs", "import", str(csl), cwd=channel.root)
    assert result.code == 1 and text(channel) == before and channel.leftovers() == []
    (line,) = result.err.strip().splitlines()
    assert line.startswith("references.yaml: with 2,500 new entries the library would be ")
    assert line.endswith("over its limit of 200,000 bytes (about 40,000 entries); nothing was written")


def test_a_library_of_too_many_values_is_refused_before_it_is_written_at_the_record_it_would_hold(
        channel, run_cli, monkeypatch):
    before = text(channel)
    items = [{"title": f"Paper {n}", "author": [{"family": f"Roe{n}", "given": "R."}] * 5, "issued": {"date-parts": [[2001]]}}
             for n in range(60)]
    channel.write("many.json", json.dumps(items, indent=1))
    monkeypatch.setattr(yamlsource, "MAX_LIBRARY_NODES", 1_000)
    result = run_cli("refs", "import", "many.json", cwd=channel.root)
    assert result.code == 1 and text(channel) == before
    (line,) = result.err.strip().splitlines()
    assert line.startswith("many.json:") and "the library would not be valid with it: " in line
    assert "expands to more than 1,000 values" in line


def test_enriching_one_entry_of_a_big_library_rewrites_that_entry_alone(channel, run_cli, zotero):
    csl, _ = zotero
    (channel.root / LIBRARY).unlink()
    assert run_cli("refs", "import", str(csl), cwd=channel.root).code == 0
    before = text(channel).splitlines(keepends=True)
    item = json.loads(csl.read_text(encoding="utf-8"))[1234]
    item = {name: item[name] for name in ("type", "title", "author", "issued", "DOI") if name in item}
    channel.write("one.json", json.dumps([{**item, "PMID": "39999999", "DOI": item.get("DOI", "10.1/x")}]))
    result = run_cli("refs", "import", "one.json", cwd=channel.root)
    assert result.code == 0 and "PMID: added '39999999'" in result.out, result.err
    after = text(channel).splitlines(keepends=True)
    known = set(before)  # 50,000 lines: a list would make this check quadratic
    changed = [line for line in after if line not in known]
    assert changed == ["  PMID: 39999999\n"] and len(after) == len(before) + 1


@pytest.mark.parametrize("library", [
    "base: &b\n  title: Shared\n  issued: 2001\n  DOI: 10.1/shared\nalias: *b\n",  # an entry that is an alias
    "{one: {title: First paper, issued: 2001, DOI: 10.1/one}, two: {title: Second, DOI: 10.1/two}}\n",  # flow
])
def test_a_library_whose_entries_cannot_be_cut_out_alone_is_edited_whole(channel, run_cli, library):
    channel.write(LIBRARY, library)
    channel.episode("test-episode", "title: T\nschedule: next\nsummary: [Text.]\n")
    first = next(iter(yaml.safe_load(library)))
    doi = yaml.safe_load(library)[first]["DOI"]
    channel.write("one.json", json.dumps([{"title": "x", "DOI": doi, "PMID": "123"}]))
    assert run_cli("refs", "import", "one.json", cwd=channel.root).code == 1  # the title is a conflict, kept
    assert yaml.safe_load(text(channel))[first]["PMID"] == 123
    assert run_cli("check", cwd=channel.root).code == 0
