"""Random YAML documents and random Unicode in every text field: `check` and `render` answer 0 or 1,
never a traceback or an internal error (exit 70), and they agree on whether the episode is valid."""

from __future__ import annotations

import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = 400 if os.environ.get("EPISODEKIT_SOAK") == "1" else 20
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# any character a UTF-8 file can hold (no lone surrogates), control characters and all
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=60)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT | st.dates() | st.datetimes()
KEYS = st.sampled_from(["title", "summary", "script", "videos", "citations", "schedule", "tags", "chapters",
                        "upload", "disclaimer", "extra", "heading", "body", "at", "url", "episode", "id",
                        "privacy", "video", "thumbnail", "issued", "author"]) | TEXT
DOCUMENTS = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(KEYS, inner, max_size=5), max_leaves=20)


def episode_with(text: dict[str, str]) -> dict:
    """A valid episode whose every text field is ``text[field]`` (or a fixed valid text)."""
    t = {"title": "A title", "summary": "A summary.", "heading": "A heading", "body": "A body [@kang2012].",
         "video": "A clip", "disclaimer": "A disclaimer.", "tag": "tag", "chapter": "Intro", "schedule": "next",
         "cited": "A cited work", **text}
    return {
        "title": t["title"], "schedule": t["schedule"], "summary": [t["summary"], t["summary"]],
        "script": [{"heading": t["heading"], "body": t["body"]}],
        "videos": [{"title": t["video"], "url": "https://youtu.be/2z5krS51pNg"}],
        "citations": ["kang2012", {"id": "inline1", "title": t["cited"], "issued": 2001}],
        "disclaimer": t["disclaimer"], "tags": [t["tag"]],
        "chapters": [{"at": "0:00", "title": t["chapter"]}, {"at": "0:10", "title": "Two"},
                     {"at": "0:20", "title": "Three"}],
    }


FIELDS = ["title", "summary", "heading", "body", "video", "disclaimer", "tag", "chapter", "schedule", "cited"]


def check_and_render(channel, run_cli, raw: bytes) -> None:
    channel.write("episodes/random.yaml", raw)
    results = [run_cli(command, cwd=channel.root) for command in ("check", "render")]
    for result in results:
        assert result.code in (0, 1), result.err
        assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    assert results[0].code == results[1].code, [r.err for r in results]


@SETTINGS
@given(document=DOCUMENTS)
def test_a_random_yaml_document_is_never_an_internal_error(document, channel, run_cli):
    raw = yaml.safe_dump(document, allow_unicode=True).encode("utf-8")
    check_and_render(channel, run_cli, raw)


@SETTINGS
@given(text=st.text(max_size=300))
def test_random_text_as_an_episode_file_is_never_an_internal_error(text, channel, run_cli):
    check_and_render(channel, run_cli, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(text=st.dictionaries(st.sampled_from(FIELDS), TEXT, min_size=1))
def test_random_unicode_in_every_text_field_is_never_an_internal_error(text, channel, run_cli):
    raw = yaml.safe_dump(episode_with(text), allow_unicode=True).encode("utf-8")
    check_and_render(channel, run_cli, raw)


@pytest.mark.parametrize("quoting", ["plain", "quoted"])
def test_the_valid_episode_the_random_texts_start_from_passes(quoting, channel, run_cli):
    raw = yaml.safe_dump(episode_with({}), allow_unicode=True, default_style=None if quoting == "plain" else '"')
    channel.write("episodes/random.yaml", raw)
    assert run_cli("check", cwd=channel.root).code == 0
