"""After an import the references stay as each video typed them, until the creator hands them to the
channel's citation style: `refs restyle` (no lookup) or `refs verify --fix` (each entry it confirmed)."""

from __future__ import annotations

import yaml

# Written for these tests: two videos citing the same two papers, each typed its own way.
FIRST = """\
Why short nights leave a mark.

Sources:
- Serafini G. Neuroplasticity and major depression. World J Psychiatry. 2012;2(3):49-57.
- Kang HJ, Voleti B. Decreased expression of synapse-related genes. Nat Med. 2012;18(9):1413-1417.
"""
SECOND = """\
The same two papers, typed another way.

References
[1] Serafini, G. (2012). Neuroplasticity and major depression. World Journal of Psychiatry, 2(3), 49-57.
[2] Kang, H. J., & Voleti, B. (2012). Decreased expression of synapse-related genes. Nature Medicine, 18(9), 1413-1417.
"""


def _import_both(run_cli, channel, *extra):
    (channel.root / "episodes" / "test-episode.yaml").unlink()
    for name, text in (("first", FIRST), ("second", SECOND)):
        channel.write(f"typed/{name}.txt", text)
        result = run_cli("import", "--from-file", f"typed/{name}.txt", "--title", name.title(), "--no-lookup",
                         *extra, cwd=channel.root)
        assert result.code == 0 and "round trip: exact" in result.out, result.out + result.err


def _episode(channel, slug):
    return yaml.safe_load((channel.root / "episodes" / f"{slug}.yaml").read_text(encoding="utf-8"))


def _description(run_cli, channel, slug):
    return run_cli("preview", slug, cwd=channel.root).out


def test_the_same_paper_typed_two_ways_is_one_entry_shown_as_each_video_typed_it(run_cli, channel):
    _import_both(run_cli, channel)

    first, second = _episode(channel, "first"), _episode(channel, "second")

    assert [c["key"] for c in first["citations"]] == [c["key"] for c in second["citations"]] == [
        "serafini2012", "kang2012"]  # the library's entries, by their titles and years
    assert _description(run_cli, channel, "first") == FIRST
    assert _description(run_cli, channel, "second") == SECOND


def test_restyle_shows_an_entry_in_the_channel_s_style_in_every_episode_citing_it(run_cli, channel):
    _import_both(run_cli, channel)
    before = {p: p.read_bytes() for p in (channel.root / "episodes").glob("*.yaml")}

    dry = run_cli("refs", "restyle", "kang2012", "--dry-run", cwd=channel.root)

    assert dry.code == 0, dry.err
    assert "-  - key: kang2012" in dry.out and "+  - kang2012" in dry.out  # the change, as a diff
    assert "would restyle: episodes/first.yaml: kang2012" in dry.out
    assert {p: p.read_bytes() for p in before} == before

    done = run_cli("refs", "restyle", "kang2012", cwd=channel.root)

    assert done.code == 0, done.err
    assert "restyled 2 reference(s) in 2 episode(s)" in done.out
    styled = ("2. Kang HJ, Voleti B. Decreased expression of synapse-related genes. Nat Med. 2012;18(9):1413-7. "
              "https://doi.org/10.1038/nm.2886")
    for slug, typed in (("first", FIRST), ("second", SECOND)):
        shown = _description(run_cli, channel, slug)
        assert styled in shown and typed.split("\n")[3] in shown  # Serafini still as this video typed it
    assert _episode(channel, "first")["citations"][1] == "kang2012"
    again = run_cli("refs", "restyle", "kang2012", cwd=channel.root)
    assert again.code == 0 and "no episode keeps kang2012 as typed" in again.out


def test_restyle_without_keys_takes_every_typed_reference_and_names_a_wrong_key(run_cli, channel):
    _import_both(run_cli, channel)

    wrong = run_cli("refs", "restyle", "kang2021", cwd=channel.root)
    assert wrong.code == 2 and "did you mean 'kang2012'?" in wrong.err

    channel.episode("broken", "title: [not a title\n")
    done = run_cli("refs", "restyle", cwd=channel.root)

    assert done.code == 0, done.err
    assert "restyled 4 reference(s) in 2 episode(s)" in done.out
    assert "warning: episodes/broken.yaml: not read" in done.err
    assert "typed:" not in (channel.root / "episodes" / "second.yaml").read_text(encoding="utf-8")


def test_import_restyle_writes_the_channel_s_style_at_once(run_cli, channel):
    (channel.root / "episodes" / "test-episode.yaml").unlink()
    channel.write("typed/first.txt", FIRST)

    result = run_cli("import", "--from-file", "typed/first.txt", "--title", "First", "--no-lookup", "--restyle",
                     cwd=channel.root)

    assert result.code == 0, result.err
    assert "[reference style]" in result.out and "kept as typed" not in result.out
    assert _episode(channel, "first")["citations"] == ["serafini2012", "kang2012"]


def test_verify_fix_restyles_each_entry_whose_record_it_applied_or_confirmed(run_cli, channel, lookup_services):
    _import_both(run_cli, channel)

    dry = run_cli("refs", "verify", "--fix", "--dry-run", cwd=channel.root)
    assert "would restyle: episodes/first.yaml: serafini2012, kang2012" in dry.out
    assert "typed:" in (channel.root / "episodes" / "first.yaml").read_text(encoding="utf-8")

    done = run_cli("refs", "verify", "--fix", cwd=channel.root)

    assert done.code == 0, done.out + done.err
    assert "restyled: episodes/first.yaml: serafini2012, kang2012" in done.out
    assert "restyled: episodes/second.yaml: serafini2012, kang2012" in done.out
    assert _episode(channel, "second")["citations"] == ["serafini2012", "kang2012"]
    shown = _description(run_cli, channel, "second")
    assert "1. Serafini G. Neuroplasticity and major depression" in shown and "[1] Serafini, G." not in shown
