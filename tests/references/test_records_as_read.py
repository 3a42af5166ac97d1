"""A record from doi.org or Crossref is taken as it reads, not as it is typed in its markup.

HTML entities and tags in a deposit (`Sleep &amp; mood`, `&lt;i&gt;Drosophila&lt;/i&gt;`) are decoded
and mapped when the record is read, so the description says `Sleep & mood` and the HTML post `&amp;`
once; a record body is read up to a cap, whatever it says its size is; a date a record has wrong
(month 13) is kept as far as it is right, and said, by `refs add` and by `import` alike.
"""

from __future__ import annotations

import json

import yaml

from fake_services.server import CSL_JSON, Fault

from episodekit.references.wire import MAX_RECORD_BYTES

LIBRARY = "references.yaml"
DOI = "10.5555/sleep.mood"
RECORD = {
    "type": "journal-article", "DOI": DOI, "URL": f"https://doi.org/{DOI}",
    "title": "Sleep &amp; mood in &lt;i&gt;Drosophila&lt;/i&gt;: the <scp>CLOCK</scp> gene&#8217;s part",
    "container-title": "Journal of Sleep &amp; Rhythm", "author": [{"family": "Roe", "given": "Rick &amp; Co"}],
    "issued": {"date-parts": [[2019, 4]]}, "volume": "3", "page": "1-9",
}


def serve(lookup_services, record: dict) -> None:
    lookup_services.dois[record["DOI"].lower()] = record


def entry(channel, key: str) -> dict:
    return yaml.safe_load((channel.root / LIBRARY).read_text(encoding="utf-8"))[key]


def test_entities_and_tags_of_a_deposit_are_decoded_when_it_is_read(channel, run_cli, lookup_services):
    serve(lookup_services, RECORD)
    assert run_cli("refs", "add", DOI, cwd=channel.root).code == 0
    added = entry(channel, "roe2019")
    assert added["title"] == "Sleep & mood in <i>Drosophila</i>: the CLOCK gene’s part"
    assert added["container-title"] == "Journal of Sleep & Rhythm" and added["author"][0]["given"] == "Rick & Co"


def test_the_description_and_the_html_post_print_the_text_once_escaped(channel, run_cli, lookup_services):
    serve(lookup_services, RECORD)
    assert run_cli("refs", "add", DOI, cwd=channel.root).code == 0
    channel.episode("test-episode", "title: T\nschedule: next\nsummary: [Text.]\ncitations: [roe2019]\n")
    assert run_cli("render", cwd=channel.root).code == 0
    description = (channel.root / "build" / "test-episode" / "description.txt").read_text(encoding="utf-8")
    assert "Sleep & mood in Drosophila: the CLOCK gene’s part" in description
    assert "&amp;" not in description and "<i>" not in description and "&lt;" not in description
    assert run_cli("export", "--site", "site", "--format", "html", cwd=channel.root).code == 0
    html = (channel.root / "site" / "test-episode.html").read_text(encoding="utf-8")
    assert "Sleep &amp; mood in Drosophila" in html and "&amp;amp;" not in html


def test_a_record_body_over_the_cap_is_refused_whatever_its_length_says(channel, run_cli, lookup_services):
    before = (channel.root / LIBRARY).read_bytes()
    serve(lookup_services, RECORD)
    huge = json.dumps({**RECORD, "abstract": "x" * (MAX_RECORD_BYTES + 10)}).encode()
    lookup_services.fail_next("doi", Fault(200, body=huge, content_type=CSL_JSON))
    result = run_cli("refs", "add", DOI, cwd=channel.root)
    assert result.code == 3 and f"more than {MAX_RECORD_BYTES:,} bytes" in result.err, result.err
    assert (channel.root / LIBRARY).read_bytes() == before and "Traceback" not in result.err


def test_a_record_nested_thousands_deep_is_a_malformed_record(channel, run_cli, lookup_services):
    lookup_services.fail_next("doi", Fault(200, body=b"[" * 100_000 + b"]" * 100_000, content_type=CSL_JSON))
    result = run_cli("refs", "add", DOI, cwd=channel.root)
    assert result.code == 3 and "not CSL-JSON" in result.err and "Traceback" not in result.err


def test_a_month_13_is_left_out_and_said_by_refs_add(channel, run_cli, lookup_services):
    serve(lookup_services, {**RECORD, "issued": {"date-parts": [[2019, 13]]}})
    result = run_cli("refs", "add", DOI, cwd=channel.root)
    assert result.code == 0, result.err
    assert f"note: doi.org's record of {DOI}: issued: the record's date 2019-13 does not exist; only 2019 is kept" \
        in result.out
    assert entry(channel, "roe2019")["issued"] == 2019


def test_a_month_13_is_left_out_and_marked_for_review_by_import(channel, run_cli, lookup_services):
    serve(lookup_services, {**RECORD, "author": [], "title": "Month thirteen", "issued": {"date-parts": [[2019, 13]]}})
    channel.write("typed.txt", f"Summary.\n\nReferences\nMonth thirteen. J Sleep. 2019. doi:{DOI}\n")
    result = run_cli("import", "--from-file", "typed.txt", "--title", "Typed", cwd=channel.root)
    assert result.code == 0, result.err
    found = yaml.safe_load((channel.root / LIBRARY).read_text(encoding="utf-8"))
    (key,) = [key for key, fields in found.items() if fields.get("DOI") == DOI]
    assert key == "month2019" and found[key]["issued"] in (2019, {"date-parts": [[2019]]})  # keyed with its year
    assert "2019-13 does not exist" in found[key]["review"]
    assert "review" in run_cli("check", cwd=channel.root).err  # check says so until someone has looked
