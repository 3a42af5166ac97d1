"""Looking up a paper by DOI or PMID, as `refs add` and `refs verify` do, against the fake doi.org and NCBI."""

from __future__ import annotations

import logging
import os
import re
import socket
import struct
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fake_services import Fault

from episodekit.errors import (
    ExitCode,
    MalformedRecordError,
    NoRecordError,
    ServiceError,
    ServiceUnreachable,
    UsageError,
)
from episodekit.references.lookup import Lookup, fetch_doi, fetch_pmid, pmid_of_doi
from episodekit.references.wire import Wire
from episodekit.retrying import LOOKUP_TRIES, RetryPolicy
from testkit import REPO

CSL = "application/vnd.citationstyles.csl+json"
PACKAGE_INIT = REPO / "episodekit" / "__init__.py"
__version__ = re.search(r'^__version__ = "([^"]+)"', PACKAGE_INIT.read_text(encoding="utf-8"), re.M).group(1)


def test_a_doi_gives_the_agency_s_record_through_doi_org_s_redirect(lookup_services):
    record = fetch_doi("10.1038/nm.2886", contact="host@example.org")
    assert record["title"].startswith("Decreased expression of synapse-related genes")
    assert len(record["author"]) == 12
    first, second = lookup_services.requests
    assert (first["service"], second["service"]) == ("doi", "crossref")  # doi.org, then the agency
    assert first["path"] == "/doi/10.1038/nm.2886"
    assert first["headers"]["Accept"] == second["headers"]["Accept"] == CSL  # kept across the redirect
    assert first["headers"]["User-Agent"] == f"episodekit/{__version__} (mailto:host@example.org)"


@pytest.mark.parametrize("written", ["https://doi.org/10.1038/nm.2886", "doi:10.1038/nm.2886", " 10.1038/NM.2886 "])
def test_a_doi_is_found_however_it_is_written(lookup_services, written):
    assert fetch_doi(written)["DOI"] == "10.1038/nm.2886"


def test_a_pmid_gives_the_ncbi_record(lookup_services):
    record = fetch_pmid("22885997")
    assert record["container-title-short"] == "Nat Med" and record["page"] == "1413-7"
    (request,) = lookup_services.requests
    assert request["path"] == "/ncbi/lit/ctxp/v1/pubmed/"
    assert request["query"] == {"format": ["csl"], "id": ["22885997"]}
    assert request["headers"]["User-Agent"] == f"episodekit/{__version__}"  # no contact known: no mailto


def test_the_second_lookup_makes_no_request(lookup_services):
    first = fetch_doi("10.1038/nm.2886")
    fetch_pmid("22885997")
    sent = lookup_services.count()
    assert fetch_doi("10.1038/NM.2886") == first  # DOIs are case-insensitive: the same record
    assert fetch_pmid("PMID: 22885997")["PMID"] == "22885997"
    assert lookup_services.count() == sent


def test_refresh_asks_again_and_keeps_the_new_answer(lookup_services):
    fetch_pmid("17074942")
    lookup_services.pmids["17074942"] = {**lookup_services.pmids["17074942"], "page": "1905-1917"}
    assert fetch_pmid("17074942")["page"] == "1905-17"  # from the cache
    assert fetch_pmid("17074942", refresh=True)["page"] == "1905-1917"
    assert fetch_pmid("17074942")["page"] == "1905-1917"
    assert lookup_services.count("pubmed") == 2


def test_the_cache_is_under_the_cache_folder_and_holds_only_records(lookup_services, tmp_path, monkeypatch):
    monkeypatch.setenv("EPISODEKIT_CACHE_DIR", str(tmp_path))
    fetch_doi("10.1038/nm.2886")
    with pytest.raises(NoRecordError):
        fetch_doi("10.9999/nothing")
    lookup_services.fail_next("pubmed", "html")
    with pytest.raises(MalformedRecordError):
        fetch_pmid("22885997")
    files = sorted(p.relative_to(tmp_path).parts[:2] for p in tmp_path.rglob("*") if p.is_file())
    assert files == [("records", "doi")]  # one record, no temporary file, nothing for the failures


def test_a_damaged_cache_file_is_asked_again(lookup_services):
    fetch_pmid("22885997")
    (kept,) = Path(os.environ["EPISODEKIT_CACHE_DIR"]).rglob("*.json")
    kept.write_text('{"id": "22885997", "rec')
    assert fetch_pmid("22885997")["PMID"] == "22885997"
    assert lookup_services.count("pubmed") == 2


def test_a_cache_that_cannot_be_written_costs_a_request_not_the_lookup(lookup_services, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("EPISODEKIT_CACHE_DIR", str(blocker))
    assert fetch_pmid("22885997")["PMID"] == "22885997"
    assert fetch_pmid("22885997")["PMID"] == "22885997"
    assert lookup_services.count("pubmed") == 2


def test_an_unknown_doi_is_no_record(lookup_services):
    with pytest.raises(NoRecordError) as caught:
        fetch_doi("10.9999/does-not-exist")
    assert str(caught.value) == ("no record for DOI 10.9999/does-not-exist at 127.0.0.1 (404 Not Found); "
                                 "check the identifier")
    assert caught.value.exit_code == ExitCode.INVALID


def test_an_unknown_pmid_is_no_record(lookup_services):
    with pytest.raises(NoRecordError, match=r"^no record for PMID 1 at 127\.0\.0\.1 \(404 Not Found\)"):
        fetch_pmid("1")


@pytest.mark.parametrize("text", ["nm.2886", "10.1038", "11.1038/nm.2886", "10.1038/nm 2886", ""])
def test_a_text_that_is_not_a_doi_is_a_usage_error_and_nothing_is_sent(lookup_services, text):
    with pytest.raises(UsageError, match="is not a DOI"):
        fetch_doi(text)
    assert lookup_services.count() == 0


@pytest.mark.parametrize("text", ["abc", "12a", "0", "-5", "１２３"])
def test_a_text_that_is_not_a_pmid_is_a_usage_error(lookup_services, text):
    with pytest.raises(UsageError, match="is not a PubMed id"):
        fetch_pmid(text)
    assert lookup_services.count() == 0


@pytest.mark.parametrize("contact", ["not an address", "me@example.org\r\nX-Evil: 1", "me@localhost"])
def test_a_contact_that_is_not_an_e_mail_address_is_refused_before_sending(lookup_services, contact):
    with pytest.raises(UsageError, match="is not an e-mail address"):
        fetch_doi("10.1038/nm.2886", contact=contact)
    assert lookup_services.count() == 0


@pytest.mark.parametrize("body", ["html", "truncated", "not-a-record"])
@pytest.mark.parametrize("service", ["doi", "pubmed"])
def test_a_malformed_answer_is_named_and_not_kept(lookup_services, service, body):
    lookup_services.fail_next(service, body)
    fetch = (lambda: fetch_doi("10.1038/nm.2886")) if service == "doi" else (lambda: fetch_pmid("22885997"))
    with pytest.raises(MalformedRecordError) as caught:
        fetch()
    assert "answered something that is not CSL-JSON" in str(caught.value)
    assert caught.value.exit_code == 3
    assert fetch()["DOI"] == "10.1038/nm.2886"  # nothing bad was cached: the next lookup asks and gets it


def test_a_429_is_retried_after_the_wait_it_asks_for(lookup_services):
    waits: list[float] = []
    lookup = Lookup(sleep=waits.append)
    lookup_services.fail_next("pubmed", 429, times=2, retry_after="7")
    assert fetch_pmid("22885997", lookup=lookup)["PMID"] == "22885997"
    assert waits == [7.0, 7.0]
    assert lookup_services.count("pubmed") == 3


def test_a_retry_after_date_is_honoured(lookup_services):
    waits: list[float] = []
    lookup_services.fail_next("doi", 503, retry_after="Wed, 21 Oct 2015 07:28:00 GMT")  # in the past: go on
    assert fetch_doi("10.1038/nm.2886", lookup=Lookup(sleep=waits.append))["DOI"] == "10.1038/nm.2886"
    assert len(waits) == 1 and 0.5 <= waits[0] <= 1.0  # the backoff alone
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    lookup_services.fail_next("pubmed", 503, retry_after="Mon, 23 Nov 2026 12:00:42 GMT")
    retry = RetryPolicy(attempts=LOOKUP_TRIES, sleep=waits.append, clock=lambda: now)
    assert fetch_pmid("22885997", lookup=Lookup(wire=Wire(retry=retry)))["PMID"] == "22885997"
    assert waits[1:] == [42.0]


@pytest.mark.parametrize("value", ["1.5", "-3", "Wed, 21 Oct 2015 07:28:00 +0200", "soon"])
def test_a_retry_after_outside_rfc_9110_is_ignored(lookup_services, value):
    waits: list[float] = []
    lookup_services.fail_next("doi", 503, retry_after=value)
    assert fetch_doi("10.1038/nm.2886", lookup=Lookup(sleep=waits.append))["DOI"] == "10.1038/nm.2886"
    assert len(waits) == 1 and 0.5 <= waits[0] <= 1.0  # the backoff alone


def test_a_429_that_does_not_stop_ends_with_a_clear_error_after_a_bounded_number_of_tries(lookup_services):
    waits: list[float] = []
    lookup_services.fail_next("doi", 429, times=10, retry_after="2")
    with pytest.raises(ServiceError) as caught:
        fetch_doi("10.1038/nm.2886", lookup=Lookup(sleep=waits.append))
    assert str(caught.value) == ("127.0.0.1 is busy (429 Too Many Requests) after 4 tries for DOI 10.1038/nm.2886; "
                                 "try again in a minute")
    assert caught.value.exit_code == 3
    assert waits[:2] == [2.0, 2.0] and 2.0 <= waits[2] <= 4.0  # Retry-After is a floor under the backoff
    assert lookup_services.count("doi") == 4


def test_a_service_asking_to_wait_an_hour_is_not_waited_for(lookup_services):
    waits: list[float] = []
    lookup_services.fail_next("pubmed", 429, retry_after="3600")
    with pytest.raises(ServiceError, match="asks to wait more than 60 s; try again later"):
        fetch_pmid("22885997", lookup=Lookup(sleep=waits.append))
    assert waits == [] and lookup_services.count("pubmed") == 1


def test_a_server_error_is_retried_with_backoff(lookup_services):
    waits: list[float] = []
    lookup_services.fail_next("pubmed", 502, times=2)
    assert fetch_pmid("22885997", lookup=Lookup(sleep=waits.append))["PMID"] == "22885997"
    assert len(waits) == 2 and 0.5 <= waits[0] <= 1.0 and 1.0 <= waits[1] <= 2.0  # with jitter


def test_another_refusal_is_not_retried(lookup_services):
    lookup_services.fail_next("doi", 403)
    with pytest.raises(ServiceError, match=r"^127\.0\.0\.1 refused the request for DOI 10.1038/nm.2886 \(403 Forbidden\)$"):
        fetch_doi("10.1038/nm.2886", lookup=Lookup(sleep=lambda s: None))
    assert lookup_services.count("doi") == 1


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("fetch", [lambda: fetch_doi("10.1038/nm.2886"), lambda: fetch_pmid("22885997", api_key="s3cret-key")])
def test_offline_is_one_line_and_exit_3(lookup_services, monkeypatch, fetch, caplog):
    root = f"http://127.0.0.1:{closed_port()}/"
    monkeypatch.setenv("EPISODEKIT_DOI_ROOT", root)
    monkeypatch.setenv("EPISODEKIT_NCBI_ROOT", root)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ServiceUnreachable) as caught:
        fetch()
    assert str(caught.value) == "cannot reach 127.0.0.1 (connection refused); check the connection"
    assert caught.value.exit_code == 3
    assert "s3cret" not in caplog.text


def test_a_service_too_slow_to_answer_is_a_timeout(lookup_services):
    lookup_services.fail_next("pubmed", Fault(200, body=b"{}", delay=1.0))
    slow = Lookup(wire=Wire(timeout=(2.0, 0.2)))
    with pytest.raises(ServiceUnreachable, match=r"^cannot reach 127\.0\.0\.1 \(no answer within 0\.2 s\)"):
        fetch_pmid("22885997", lookup=slow)


def test_the_api_key_is_sent_to_ncbi_and_never_shown(lookup_services, monkeypatch, caplog):
    monkeypatch.setenv("EPISODEKIT_NCBI_API_KEY", "s3cret-key")
    caplog.set_level(logging.DEBUG)
    fetch_pmid("22885997")
    (request,) = lookup_services.requests
    assert request["query"]["api_key"] == ["s3cret-key"]
    lookup_services.fail_next("pubmed", 404)
    with pytest.raises(NoRecordError) as caught:
        fetch_pmid("17074942")
    assert "s3cret" not in str(caught.value) and "s3cret" not in caplog.text
    assert "GET 127.0.0.1 PMID 22885997: 200" in caplog.text  # what was sent is logged, the key is not


def test_the_api_key_goes_only_to_ncbi(lookup_services, monkeypatch):
    monkeypatch.setenv("EPISODEKIT_NCBI_API_KEY", "s3cret-key")
    fetch_doi("10.1038/nm.2886")
    assert all("s3cret" not in str(r) for r in lookup_services.requests)


# --- a DOI's PMID, from E-utilities' esearch ---------------------------------------------------------------

def test_pubmed_is_asked_which_record_has_a_doi_with_tool_and_email(lookup_services):
    assert pmid_of_doi("https://doi.org/10.1017/S1461145708009309", contact="host@example.org") == "18752720"
    (request,) = lookup_services.requests
    assert request["path"] == "/eutils/esearch.fcgi"
    assert request["query"] == {"db": ["pubmed"], "term": ["10.1017/s1461145708009309[doi]"], "retmode": ["json"],
                                "tool": ["episodekit"], "email": ["host@example.org"]}
    assert request["headers"]["User-Agent"] == f"episodekit/{__version__} (mailto:host@example.org)"


def test_a_doi_pubmed_does_not_have_has_no_pmid_and_asking_again_sends_nothing(lookup_services):
    assert pmid_of_doi("10.5498/wjp.v2.i3.49") is None  # the record of World J Psychiatry's paper is not in PubMed here
    assert pmid_of_doi("10.5498/WJP.V2.I3.49") is None
    assert lookup_services.count("esearch") == 1  # the empty answer is kept too
    assert pmid_of_doi("10.5498/wjp.v2.i3.49", refresh=True) is None and lookup_services.count("esearch") == 2


def test_a_doi_pubmed_has_twice_gives_no_pmid_rather_than_a_guess(lookup_services):
    lookup_services.indexed["10.1038/nm.2886"] = ["22885997", "11111111"]
    assert pmid_of_doi("10.1038/nm.2886") is None


@pytest.mark.parametrize("body", [
    b'{"esearchresult": {"ERROR": "Invalid query"}}',
    b'{"esearchresult": {"idlist": ["22885997", "not a number"]}}',
    b'{"header": {}}',
    b'[1, 2, 3]',
])
def test_an_answer_that_is_not_a_search_result_is_named_and_not_kept(lookup_services, body):
    lookup_services.fail_next("esearch", Fault(200, body=body, content_type="application/json"))
    with pytest.raises(MalformedRecordError) as caught:
        pmid_of_doi("10.1038/nm.2886")
    assert caught.value.exit_code == 3 and "10.1038/nm.2886" in str(caught.value)
    assert pmid_of_doi("10.1038/nm.2886") == "22885997"  # asked again: the bad answer was not kept


def test_a_busy_e_utilities_is_asked_again_after_the_wait(lookup_services):
    waits = []
    lookup_services.fail_next("esearch", 429, retry_after="2")
    assert pmid_of_doi("10.1038/nm.2886", lookup=Lookup(sleep=waits.append)) == "22885997"
    assert waits == [2.0] and lookup_services.count("esearch") == 2


def test_the_api_key_goes_to_e_utilities_too_and_is_never_shown(lookup_services, monkeypatch, caplog):
    monkeypatch.setenv("EPISODEKIT_NCBI_API_KEY", "s3cret-key")
    caplog.set_level(logging.DEBUG)
    lookup_services.fail_next("esearch", 500, times=4)
    with pytest.raises(ServiceError) as caught:
        pmid_of_doi("10.1038/nm.2886", lookup=Lookup(sleep=lambda s: None))
    assert pmid_of_doi("10.1038/nm.2886") == "22885997"
    assert all(r["query"]["api_key"] == ["s3cret-key"] for r in lookup_services.requests)
    assert "s3cret" not in str(caught.value) and "s3cret" not in caplog.text


def test_a_client_that_resets_its_kept_alive_connection_leaves_no_traceback_in_the_test_s_stderr(
        lookup_services, capsys):
    # a keep-alive connection the client drops with a reset (unread bytes, as on a busy machine after an
    # error answer): the fake's next read fails, which is the client's doing, not a fault to print
    host, port = lookup_services.base.removeprefix("http://").split(":")
    serving = {t for t in threading.enumerate() if t.name.endswith("(process_request_thread)")}  # earlier tests'
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(b"GET /doi/10.1/none HTTP/1.1\r\nHost: fake\r\n\r\n")
        answer = b""
        while b"DOI Not Found</body></html>" not in answer:
            answer += conn.recv(4096)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = reset
    deadline = time.monotonic() + 10
    while any(t.name.endswith("(process_request_thread)") and t not in serving for t in threading.enumerate()):
        assert time.monotonic() < deadline, "the fake never noticed the reset"
        time.sleep(0.01)
    assert "Traceback" not in capsys.readouterr().err
    assert fetch_pmid("22885997")["PMID"] == "22885997"  # and it goes on answering
