"""Commands on a library read from the cache say what they said when they parsed it, and see each edit.

The first ``check`` parses ``references.yaml`` and keeps it; the next one loads it and prints the same
warnings at the same lines. An entry ``refs import`` adds, and an entry edited by hand, are seen by the
very next command, at their lines.
"""

from __future__ import annotations

import json

from episodekit.files import librarycache

LIBRARY = "references.yaml"


def _lines_of(text: str, key: str) -> int:
    return text.splitlines().index(f"{key}:") + 1


def test_check_says_the_same_from_the_cache_and_sees_every_change_of_the_library(channel, run_cli):
    path = channel.root / LIBRARY
    first = run_cli("check", cwd=channel.root)
    assert first.code == 0 and librarycache.cache_path(path).is_file()
    again = run_cli("check", cwd=channel.root)
    assert (again.code, again.out, again.err) == (first.code, first.out, first.err)

    channel.write("one.json", json.dumps([{"type": "article-journal", "title": "A paper nobody cites",
                                           "author": [{"family": "Roe", "given": "Ann"}],
                                           "issued": {"date-parts": [[2019]]}, "DOI": "10.1/uncited"}]))
    assert run_cli("refs", "import", "one.json", cwd=channel.root).code == 0
    added = next(line[:-1] for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("roe"))
    seen = run_cli("check", cwd=channel.root)
    line = _lines_of(path.read_text(encoding="utf-8"), added)
    assert f"{LIBRARY}:{line}: warning: {added}: no episode cites {added}" in seen.err + seen.out

    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("page: 1413-1417", "page: 1413-7"), encoding="utf-8")
    page = next(i for i, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "1413-7" in row)
    edited = run_cli("check", cwd=channel.root)
    assert f"{LIBRARY}:{page}: warning: kang2012.page: the page range 1413-7 is abbreviated" in edited.err + edited.out
    assert run_cli("check", cwd=channel.root).err == edited.err  # and from the cache, the same
