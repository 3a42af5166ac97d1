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
from episodekit.pipeline.output import RENDERED_FILES, render_to
from episodekit.pipeline.render import OUTPUT_FILES
from episodekit.workspace import Workspace
from testkit import REPO


GOLDEN = Path(__file__).parent / "golden"
SAMPLE_SLUGS = ["what-causes-depression", "depression-feedback-loop"]
FROZEN_NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# the sample channel's own style (vancouver) in golden/<slug>/ with the caption tracks, the others (whose
# captions are the same: a style changes no spoken word) in golden/<style>/<slug>/
OTHER_STYLES = ["ama", "apa"]


def _render_sample(out: Path, style: str | None = None) -> Path:
    ws = Workspace.open(REPO)
    if style is not None:
        ws.channel = ws.channel.model_copy(update={"citation_style": style})
    render_to(build_episodes(ws, ws.select(None), FROZEN_NOW).builds, out)
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _render_sample(tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="module")
def rendered_in(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {style: _render_sample(tmp_path_factory.mktemp(style), style) for style in OTHER_STYLES}


@pytest.mark.parametrize("slug", SAMPLE_SLUGS)
@pytest.mark.parametrize("filename", sorted(RENDERED_FILES))
def test_sample_output_matches_golden_file(slug, filename, rendered, request):
    _compare(rendered / slug / filename, GOLDEN / slug / filename, request)


# the sample's second language: what-causes-depression in Brazilian Portuguese, with its own script
LOCALIZED_FILES = [("what-causes-depression", name) for name in (
    "description.pt-BR.txt", "script.pt-BR.md", "captions.pt-BR.srt", "captions.pt-BR.vtt")]


@pytest.mark.parametrize(("slug", "filename"), LOCALIZED_FILES)
def test_sample_output_in_its_second_language_matches_golden_file(slug, filename, rendered, request):
    _compare(rendered / slug / filename, GOLDEN / slug / filename, request)


def test_render_writes_the_golden_files_and_no_others(rendered):
    expected = {(slug, name) for slug in SAMPLE_SLUGS for name in RENDERED_FILES} | set(LOCALIZED_FILES)
    assert {(path.parent.name, path.name) for path in rendered.glob("*/*")} == expected


@pytest.mark.parametrize("style", OTHER_STYLES)
@pytest.mark.parametrize("slug", SAMPLE_SLUGS)
@pytest.mark.parametrize("filename", sorted(OUTPUT_FILES.values()))
def test_sample_output_in_the_other_styles_matches_golden_file(style, slug, filename, rendered_in, request):
    _compare(rendered_in[style] / slug / filename, GOLDEN / style / slug / filename, request)


def _compare(output: Path, golden: Path, request: pytest.FixtureRequest) -> None:
    actual = output.read_text(encoding="utf-8")
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
        "6. Yang CC, Barrós-Loscertales A, Pinazo D, Ventura-Campos N, Borchardt V, Bustamante JC, et al.",
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
    assert "Kang HJ, Voleti B, Hajszan T, Rajkowska G, Stockmeier CA, Licznerski P, et al. " in lines[3]  # six, et al.
    assert "Nat Med. 2012 Sep;18(9):1413-7. " in lines[3]  # NLM: the month, a minimal range with a hyphen
    assert all("https://doi.org/10." in line for line in lines)


def test_script_cues_match_reference_numbers(rendered):
    script = (rendered / "what-causes-depression" / "script.md").read_text(encoding="utf-8")
    body, references = script.split("## References")
    assert [body.index(f"[{n}]") for n in range(1, 7)] == sorted(body.index(f"[{n}]") for n in range(1, 7))
    assert "4. Kang HJ" in references
    assert script.splitlines()[2].startswith(tuple("123456789"))  # word count line
    assert "words · about" in script.splitlines()[2]
