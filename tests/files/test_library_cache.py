"""The parsed library kept between runs is used only for the same text, and nothing shows it was used.

A library read a second time, unchanged, is loaded from the cache without being parsed, and gives the
same models and the same line of every part; an edited library (even one of the same size) is read
anew; a cache file that is truncated, altered, for another text or not a library at all is ignored and
written again; a library with a problem is never kept, so its problem is reported at its line each
time; lowered limits refuse a library that was kept under the old ones; ``EPISODEKIT_NO_CACHE`` and a
cache that cannot be written change nothing but speed.
"""

from __future__ import annotations

import pickle
from collections import Counter
from pathlib import Path

import pytest

from episodekit.errors import InputError
from episodekit.files import librarycache, yamlsource
from episodekit.files.load import load_library_source
from testkit import count_parses

LIBRARY = """\
kang2012:
  author:
    - {family: Kang, given: HJ}
    - {family: Voleti, given: B.}
  title: Decreased expression of synapse-related genes
  issued: 2012
  page: 1413-7
  DOI: 10.1038/nm.2886

serafini2012:
  author: [{family: Serafini, given: G.}]
  title: Neuroplasticity and major depression
  volume: 3.10
  issued: 2012
  DOI: 10.5498/wjp.v2.i3.49
"""


@pytest.fixture
def library(tmp_path: Path) -> Path:
    (tmp_path / "channel.yaml").write_text("title: T\n", encoding="utf-8")  # messages name the file inside it
    path = tmp_path / "references.yaml"
    path.write_text(LIBRARY, encoding="utf-8")
    return path


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each file was parsed as YAML."""
    return count_parses(monkeypatch)


def _seen(path: Path) -> tuple[object, ...]:
    """Everything a command learns from reading the library: the models, where each entry and each part is."""
    library, doc = load_library_source(path)
    assert doc is not None
    return (library.model_dump(), library.where("kang2012"), library.where("serafini2012"), doc.path, doc.lines,
            doc.line_of(("kang2012", "page")), doc.line_of(("kang2012", "author", 0, "given")))


def test_an_unchanged_library_is_loaded_without_parsing_and_gives_what_parsing_gave(library, parsed):
    first = _seen(library)
    assert parsed["references.yaml"] == 1 and librarycache.cache_path(library).is_file()
    again = _seen(library)
    assert parsed["references.yaml"] == 1  # not parsed again
    assert again == first
    assert first[1:3] == (("references.yaml", 1), ("references.yaml", 10))
    assert first[5:] == (7, 3)
    assert first[0]["serafini2012"]["volume"] == "3.10"  # the words as written, from the cache too


def test_an_edited_library_is_read_anew_even_at_the_same_size(library, parsed):
    before = _seen(library)
    same_size = LIBRARY.replace("issued: 2012\n  page", "issued: 2013\n  page")
    assert len(same_size) == len(LIBRARY)
    library.write_text(same_size, encoding="utf-8")
    after = _seen(library)
    assert parsed["references.yaml"] == 2
    assert after[0]["kang2012"]["issued"] != before[0]["kang2012"]["issued"]
    assert after[0]["serafini2012"] == before[0]["serafini2012"]
    library.write_text(LIBRARY.replace("  page: 1413-7\n", "  page: 1413-7\n  volume: 18\n"), encoding="utf-8")
    grown, doc = load_library_source(library)
    assert grown.root["kang2012"].volume == "18" and doc is not None and doc.line_of(("kang2012", "volume")) == 8
    assert grown.where("serafini2012") == ("references.yaml", 11)
    assert parsed["references.yaml"] == 3


@pytest.mark.parametrize("damage", ["truncated", "garbage", "payload changed", "for another text", "not a library"])
def test_a_cache_file_that_is_not_right_is_ignored_and_written_again(library, parsed, damage):
    expected = _seen(library)
    kept = librarycache.cache_path(library)
    data = kept.read_bytes()
    first, payload = data.split(b"\n", 1)
    words = first.split()
    if damage == "truncated":
        kept.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        kept.write_bytes(b"\x00\xff" * 100)
    elif damage == "payload changed":
        kept.write_bytes(first + b"\n" + payload[:-20] + bytes(20))
    elif damage == "for another text":
        words[2] = b"0" * len(words[2])
        kept.write_bytes(b" ".join(words) + b"\n" + payload)
    else:  # a well-formed file whose pickle is something else
        other = pickle.dumps(({"kang2012": "not a model"}, {}))
        words[4] = librarycache._digest(other).encode()
        kept.write_bytes(b" ".join(words) + b"\n" + other)
    assert _seen(library) == expected
    assert parsed["references.yaml"] == 2
    assert kept.read_bytes() == data  # made again, as it was
    assert _seen(library) == expected and parsed["references.yaml"] == 2


def _problem(path: Path) -> tuple[str, int | None, str]:
    with pytest.raises(InputError) as caught:
        load_library_source(path)
    (problem,) = caught.value.problems
    return problem.path, problem.line, problem.message


def test_a_library_with_a_problem_is_never_kept_and_its_problem_is_said_each_time(library, parsed):
    _seen(library)
    library.write_text(LIBRARY + "kang2012:\n  title: Again\n", encoding="utf-8")
    said = _problem(library)
    assert said == ("references.yaml", 16, "duplicate key 'kang2012' (first at line 1); remove one")
    assert _problem(library) == said and parsed["references.yaml"] == 3
    library.write_text(LIBRARY, encoding="utf-8")  # fixed: the text kept before, loaded again
    _seen(library)
    assert parsed["references.yaml"] == 3


@pytest.mark.parametrize("limit, value, message", [
    ("MAX_LIBRARY_NODES", 10, "the document expands to more than 10 values (an alias bomb?)"),
    ("MAX_LIBRARY_BYTES", 100, "the file is 355 bytes; the limit is 100 bytes"),
])
def test_lower_limits_refuse_a_library_kept_under_the_old_ones(library, monkeypatch, limit, value, message):
    _seen(library)
    _seen(library)
    monkeypatch.setattr(yamlsource, limit, value)
    assert _problem(library)[2] == message


def test_without_the_cache_nothing_is_kept(library, parsed, monkeypatch):
    monkeypatch.setenv("EPISODEKIT_NO_CACHE", "1")
    first = _seen(library)
    assert _seen(library) == first and parsed["references.yaml"] == 2
    assert not librarycache.cache_path(library).exists()


def test_a_cache_folder_that_cannot_be_written_changes_nothing(library, parsed, monkeypatch, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be\n", encoding="utf-8")
    monkeypatch.setenv("EPISODEKIT_CACHE_DIR", str(blocked))
    first = _seen(library)
    assert _seen(library) == first and parsed["references.yaml"] == 2
