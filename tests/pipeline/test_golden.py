"""The sample channel's rendered outputs match the reviewed golden files.

Regenerate after an intended change with:
    python3 scripts/test.py tests/pipeline/test_golden.py --update-golden
and review the diff before committing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from episodekit.pipeline.build import build_episodes
from episodekit.pipeline.output import render_to
from episodekit.pipeline.render import OUTPUT_FILES
from episodekit.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]

GOLDEN = Path(__file__).parent / "golden"
SAMPLE_SLUGS = ["what-causes-depression", "depression-feedback-loop"]
FROZEN_NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    ws = Workspace.open(REPO)
    render_to(build_episodes(ws, ws.select(None), FROZEN_NOW).builds, out)
    return out


@pytest.mark.parametrize("slug", SAMPLE_SLUGS)
@pytest.mark.parametrize("filename", sorted(OUTPUT_FILES.values()))
def test_sample_output_matches_golden_file(slug, filename, rendered, request):
    actual = (rendered / slug / filename).read_text(encoding="utf-8")
    golden = GOLDEN / slug / filename
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"missing {golden}; run with --update-golden"
    assert actual == golden.read_text(encoding="utf-8")


def test_seed_description_has_its_sections_in_the_seed_order(rendered):
    text = (rendered / "what-causes-depression" / "description.txt").read_text(encoding="utf-8")
    markers = [
        "For decades depression was explained",  # summary, first paragraph
        "Research now points one level deeper",  # summary, second paragraph
        "Videos referenced in this video",
        "Treatment Resistant Depression https://youtu.be/2z5krS51pNg",
        "References",
        "1. André RB, Lopes M, Fregni F.",
        "6. Yang CC, Barrós-Loscertales A, Pinazo D, et al.",
        "Disclaimer:",
        "every Wednesday at 9am",
        "https://goo.gl/DFfT33",
    ]
    positions = [text.index(marker) for marker in markers]
    assert positions == sorted(positions)
    assert len(text.rstrip("\n").encode("utf-8")) <= 5000
    assert "<" not in text and ">" not in text


def test_six_references_in_nlm_style_with_doi_links(rendered):
    block = (rendered / "what-causes-depression" / "references.txt").read_text(encoding="utf-8")
    lines = block.splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert "Kang HJ, Voleti B, Hajszan T, et al. " in lines[3]
    assert "Nat Med. 2012;18(9):1413" in lines[3]
    assert all("https://doi.org/10." in line for line in lines)


def test_script_cues_match_reference_numbers(rendered):
    script = (rendered / "what-causes-depression" / "script.md").read_text(encoding="utf-8")
    body, references = script.split("## References")
    assert [body.index(f"[{n}]") for n in range(1, 7)] == sorted(body.index(f"[{n}]") for n in range(1, 7))
    assert "4. Kang HJ" in references
    assert script.splitlines()[2].startswith(tuple("123456789"))  # word count line
    assert "words · about" in script.splitlines()[2]
