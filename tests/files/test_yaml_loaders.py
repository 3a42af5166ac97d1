"""libyaml and the pure-Python parser read every file alike: the same values, the same lines, the same
problems at the same lines (episodekit reads through libyaml when PyYAML has it, for speed).

The files: every YAML file of the bad-input corpus (tests/reliability/corpus), the sample channel,
and a generated channel's (benchmarks/channelgen.py), read as ``read_yaml`` reads them.
"""

from __future__ import annotations

import sys

import pytest
import yaml

from episodekit.errors import InputError
from episodekit.files import yamlsource
from testkit import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

from channelgen import episode, reference  # noqa: E402

CORPUS = sorted((REPO / "tests" / "reliability" / "corpus").glob("*.yaml"))
SAMPLE = [REPO / "channel.yaml", REPO / "references.yaml", *sorted((REPO / "episodes").glob("*.yaml"))]
GENERATED = {"generated-library": "".join(reference(i) for i in range(12)),
             "generated-episode": episode(3, ["ref001", "ref004", "ref009"])}


def _read(text: str, loader: type, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(yamlsource, "_Loader", loader)
    try:
        doc = yamlsource.parse_yaml(text, "f.yaml")
    except InputError as exc:
        return "problems", [(p.line, p.message) for p in exc.problems]
    return "document", (doc.data, doc.lines, doc.written)


def _texts() -> list[tuple[str, str]]:
    found = [(p.name, p.read_bytes().decode("utf-8-sig", errors="replace")) for p in CORPUS + SAMPLE]
    return found + sorted(GENERATED.items())


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML was built without libyaml")
@pytest.mark.parametrize(("name", "text"), _texts(), ids=[name for name, _ in _texts()])
def test_libyaml_and_the_python_parser_give_the_same_values_lines_and_problems(name, text, monkeypatch):
    fast = _read(text, yaml.CSafeLoader, monkeypatch)
    slow = _read(text, yaml.SafeLoader, monkeypatch)
    if name == "episode-lone-surrogate.yaml":  # libyaml refuses "\ud800" at its line; Python's parser reads
        # it, and the text rules then refuse the unpaired surrogate (tests/reliability/test_corpus.py)
        assert fast[0] == "problems" and "YAML syntax error" in fast[1][0][1] and fast[1][0][0] is not None
        assert slow[0] == "document" and slow[1][0]["title"] == chr(0xD800)
    elif fast[0] == slow[0] == "problems" and "YAML syntax error" in fast[1][0][1]:
        assert [line for line, _ in fast[1]] == [line for line, _ in slow[1]]  # the parsers word it apart
    else:
        assert fast == slow


def test_the_files_compared_include_the_hostile_ones():
    names = {p.name for p in CORPUS}
    assert len(CORPUS) >= 40
    assert {"channel-alias-bomb.yaml"} <= names
