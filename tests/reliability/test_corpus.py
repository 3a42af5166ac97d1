"""The bad-input corpus: every malformed file in corpus/ is one clear line, exit 1, and nothing written.

The cases and the message each must give are data, in corpus/cases.yaml; each case is a file put over
a valid channel (an episode, channel.yaml, references.yaml, the ledger or a template).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from invariants import changes, tree

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
# a problem line names its file and, when it has one, the line: `path:line: ...` (an empty or
# oversized file has no line to name); a template's problem is prefixed by `error: `
DEFAULT_COMMANDS = {"episodes": ["check", "render"], "templates": ["check", "render"]}
DEFAULT_COMMANDS.update(dict.fromkeys(["channel.yaml", "references.yaml", "published.yaml"], ["check"]))
PROBLEM = re.compile(r"^(error: )?(warning: )?[\w./-]+(:\d+)?: \S")


def put_case(channel, case: dict) -> None:
    data = (CORPUS / (case["case"] + Path(case["put"]).suffix)).read_bytes()
    if "pad_to" in case:
        data += b"# padding\n" * ((case["pad_to"] - len(data)) // 10 + 1)
    channel.write(case["put"], data)
    for relative, text in (case.get("also") or {}).items():
        channel.write(relative, text)


def test_the_corpus_has_every_kind_of_bad_input():
    assert len(CASES) >= 40
    assert len({c["case"] for c in CASES}) == len(CASES)
    kinds = {c["put"].split("/")[0] for c in CASES}
    assert kinds == {"episodes", "channel.yaml", "references.yaml", "published.yaml", "templates"}
    files = {p.name for p in CORPUS.iterdir()} - {"cases.yaml", ".gitattributes"}
    assert files == {c["case"] + Path(c["put"]).suffix for c in CASES}  # no file without its case


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_bad_input_is_one_clear_line_and_changes_nothing(case, channel, run_cli):
    put_case(channel, case)
    before = tree(channel.root)
    for command in case.get("commands") or DEFAULT_COMMANDS[case["put"].split("/")[0]]:
        result = run_cli(command, cwd=channel.root)
        assert result.code == 1, (command, result.err)
        assert case["expect"] in result.err, (command, result.err)
        assert "Traceback" not in result.err + result.out and "internal error" not in result.err
        lines = result.err.strip().splitlines()
        assert lines and all(PROBLEM.match(line) for line in lines), (command, lines)
        assert changes(before, tree(channel.root)) == [], command
    assert not (channel.root / "owned.txt").exists()  # no YAML tag ran a command
