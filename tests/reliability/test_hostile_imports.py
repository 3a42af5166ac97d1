"""Issue 20's classes of bad input, new instances every run (seeded: ``EPISODEKIT_SEED`` replays one).

Each generated BibTeX or CSL-JSON file goes through `refs import` as a user runs it: the answer is exit 0
or 1, never a traceback; a refused file writes nothing; every line named is a line of the file it names;
and whatever was written leaves `check` without an error in references.yaml. Each generated summary
paragraph stays its own text in a Markdown post, as CommonMark and Python-Markdown render it, and each
channel name comes back from the calendar file as it was. Each test prints how many cases it ran.
"""

from __future__ import annotations

import html
import re

import markdown
from hostile import bibtex_file, channel_name, csl_json_file, markdown_paragraph
from invariants import no_crash
from markdown_it import MarkdownIt

LIBRARY = "references.yaml"
LOCATED = re.compile(r"^(?P<path>[^:\n]+?)(?::(?P<line>\d+))?: ")


def _lines(text: str) -> int:
    return text.count("\n") + 1


def _imported_as_a_user_would(channel, run_cli, name: str, text: str) -> None:
    channel.write(name, text.encode("utf-8", "surrogatepass"))
    before = (channel.root / LIBRARY).read_bytes()
    result = run_cli("refs", "import", name, cwd=channel.root)
    no_crash(result)
    assert result.code in (0, 1), result.err
    conflicts_only = "differ from the library and were kept" in result.err
    if result.code == 1 and not conflicts_only:
        assert (channel.root / LIBRARY).read_bytes() == before, result.err  # refused: nothing written
        assert channel.leftovers() == []
    written = (channel.root / LIBRARY).read_text(encoding="utf-8")
    for line in result.err.splitlines():
        found = LOCATED.match(line)
        if found and found["line"]:
            assert found["path"] in (name, LIBRARY), line
            assert int(found["line"]) <= _lines(text if found["path"] == name else written), line
    checked = run_cli("check", cwd=channel.root)
    no_crash(checked)
    library_errors = [line for line in checked.err.splitlines() if line.startswith(LIBRARY) and "warning:" not in line]
    assert library_errors == [], library_errors  # what was written leaves the channel able to run check
    (channel.root / LIBRARY).write_bytes(before)


def test_generated_bibtex_files_are_imported_or_refused_line_by_line(channel, run_cli, rng, rounds):
    cases = rounds(25, 600)
    for _ in range(cases):
        _imported_as_a_user_would(channel, run_cli, "papers.bib", bibtex_file(rng))
    print(f"hostile BibTeX: {cases} files, none crashed")


def test_generated_csl_json_files_are_imported_or_refused_line_by_line(channel, run_cli, rng, rounds):
    cases = rounds(25, 600)
    for _ in range(cases):
        _imported_as_a_user_would(channel, run_cli, "export.json", csl_json_file(rng))
    print(f"hostile CSL-JSON: {cases} files, none crashed")


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_generated_summary_paragraphs_stay_text_in_every_markdown(channel, run_cli, rng, rounds):
    cases, posted = rounds(20, 400), 0
    renderers = [MarkdownIt("commonmark").enable("table").enable("strikethrough").render,
                 lambda text: markdown.markdown(text, extensions=["fenced_code", "tables"])]
    for _ in range(cases):
        paragraph = markdown_paragraph(rng)
        quoted = paragraph.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        channel.episode("test-episode", f'title: T\nschedule: next\nsummary:\n  - "{quoted}"\n  - After it.\n')
        result = run_cli("export", "--site", "site", cwd=channel.root)
        no_crash(result)
        if result.code:
            continue  # an episode check refuses (a rule of YouTube's) is no post
        posted += 1
        body = (channel.root / "site" / "test-episode.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
        for render in renderers:
            page = render(body)
            assert "<p>After it.</p>" in page, (paragraph, page)
            region = page.split("<p>After it.</p>")[0].split("</em></p>", 1)[-1]
            assert not re.search(r"<(pre|code|table|del|s|blockquote|ol|ul|h\d|hr|em|strong|a)\b", region), (paragraph, region)
            assert _plain(region) == " ".join(paragraph.split()), (paragraph, region)
    print(f"Markdown summaries: {cases} paragraphs, {posted} posted, none became markup")


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT unescaped: \\\\ \\; \\, \\n."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_generated_channel_names_come_back_from_the_calendar_as_they_were(channel, run_cli, rng, rounds):
    cases = rounds(10, 200)
    original = (channel.root / "channel.yaml").read_text(encoding="utf-8")
    for _ in range(cases):
        name = channel_name(rng)
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        channel.write("channel.yaml", original.replace("name: Test Channel", f'name: "{quoted}"'))
        result = run_cli("calendar", "--ics", "cal.ics", cwd=channel.root)
        no_crash(result)
        if result.code:
            continue
        raw = (channel.root / "cal.ics").read_text(encoding="utf-8").replace("\r\n ", "")  # unfolded
        value = next(line for line in raw.splitlines() if line.startswith("X-WR-CALNAME:"))[len("X-WR-CALNAME:"):]
        assert _ics_text(value) == f"{name}: releases", (name, value)
        assert not re.search(r"(?<!\\)[,;]", value.replace("\\\\", "")), value  # every , and ; escaped
    print(f"calendar names: {cases} names, each read back as written")
