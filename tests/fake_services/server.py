"""The HTTP side of the fake doi.org and NCBI exporter: records, routing, faults, the request log."""

from __future__ import annotations

import json
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

RECORDS = Path(__file__).resolve().parent / "records"
CSL_JSON = "application/vnd.citationstyles.csl+json"
DOI_PREFIX, CROSSREF_PREFIX, LANDING_PREFIX = "/doi/", "/crossref/v1/works/", "/landing/"
NCBI_PATH = "/ncbi/lit/ctxp/v1/pubmed/"
SEARCH_PATH = "/crossref-api/works"  # Crossref's REST API: works?query.bibliographic=…&rows=…
EUTILS_PREFIX = "/eutils/"  # NCBI's E-utilities: esearch.fcgi?db=pubmed&term=<DOI>[doi]&retmode=json


# how often the server's loop looks for a stop: a stop waits up to this long, once per test that starts one
POLL_SECONDS = 0.005


@dataclass
class Fault:
    """An answer given instead of the real one: ``status``, extra ``headers``, a ``body``."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    delay: float = 0.0  # seconds before answering (a service too slow to wait for)


MALFORMED = {  # bodies that are not CSL-JSON, by name
    "html": Fault(200, body=b"<!DOCTYPE html><html><body>Service temporarily unavailable</body></html>",
                  content_type="text/html; charset=utf-8"),
    "truncated": Fault(200, body=b'{"type": "article-journal", "title": "Decreased expr', content_type=CSL_JSON),
    "not-a-record": Fault(200, body=b'{"status": "error", "message": "internal"}', content_type="application/json"),
}


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:  # noqa: ANN001 - socketserver's signature
        """A client that closed its connection (a keep-alive one it dropped after an error answer, or a timeout
        test) is no fault of the fake: no traceback in the stderr the test is reading. A busy machine makes
        the server read the next request after the client's close; anything else is still printed."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class FakeServices:
    """doi.org (``doi_root``) and NCBI's exporter (``ncbi_root``) on 127.0.0.1, port 0, in a daemon thread."""

    def __init__(self, records: Path = RECORDS):
        self.dois = {rec["DOI"].lower(): rec for rec in _load(records / "doi")}
        self.pmids = {rec["PMID"]: rec for rec in _load(records / "pubmed")}
        self.requests: list[dict] = []
        self._faults: dict[str, list[Fault]] = {"doi": [], "pubmed": [], "search": [], "esearch": []}
        self.scores: dict[str, float] = {}  # DOI (lower case) -> the score its item gets, instead of the overlap
        self.indexed: dict[str, list[str]] = {}  # DOI (lower case) -> what esearch answers, instead of the records'
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def __enter__(self) -> FakeServices:
        self._server = _Server(("127.0.0.1", 0), type("Handler", (_Handler,), {"fake": self}))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(POLL_SECONDS,), name="fake-services", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        assert self._server is not None, "use FakeServices as a context manager"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def doi_root(self) -> str:
        return self.base + DOI_PREFIX

    @property
    def ncbi_root(self) -> str:
        return self.base + NCBI_PATH

    @property
    def eutils_root(self) -> str:
        return self.base + EUTILS_PREFIX

    @property
    def crossref_root(self) -> str:
        return self.base + SEARCH_PATH.removesuffix("works")

    def fail_next(self, service: str, status: int | Fault | str, times: int = 1, retry_after: str | None = None) -> None:
        """The next ``times`` requests to ``service`` ("doi", "pubmed", "search" or "esearch") get this answer: a status (with
        ``Retry-After`` if given), a :class:`Fault`, or the name of a :data:`MALFORMED` body."""
        if isinstance(status, str):
            fault = MALFORMED[status]
        elif isinstance(status, Fault):
            fault = status
        else:
            fault = Fault(status, {"Retry-After": retry_after} if retry_after is not None else {},
                          f"{status} from the fake".encode())
        with self._lock:
            self._faults[service] += [fault] * times

    def count(self, service: str | None = None) -> int:
        """How many requests reached ``service`` (doi.org's redirect target counts as "crossref"), or all."""
        return sum(1 for r in self.requests if service is None or r["service"] == service)

    def _next_fault(self, service: str) -> Fault | None:
        with self._lock:
            return self._faults[service].pop(0) if self._faults.get(service) else None

    def _log(self, service: str, handler: BaseHTTPRequestHandler, query: dict[str, list[str]]) -> None:
        with self._lock:
            self.requests.append({"service": service, "path": urlsplit(handler.path).path, "query": query,
                                  "headers": dict(handler.headers.items())})


def _load(folder: Path) -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))]


class _Handler(BaseHTTPRequestHandler):
    fake: FakeServices
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        url = urlsplit(self.path)
        for prefix, route in ROUTES:
            if url.path.startswith(prefix):
                return route(self, unquote(url.path[len(prefix):]), parse_qs(url.query))
        return self._send(404, b"no such route in the fake", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            for name, value in {"Content-Type": content_type, "Content-Length": str(len(body)),
                                **(headers or {})}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting (a timeout test)
            self.close_connection = True

    def _fault(self, service: str) -> bool:
        fault = self.fake._next_fault(service)
        if fault is not None:
            time.sleep(fault.delay)
            self._send(fault.status, fault.body, fault.content_type, fault.headers)
        return fault is not None

    def doi(self, doi: str, query: dict) -> None:
        self.fake._log("doi", self, query)
        if self._fault("doi"):
            return
        if doi.lower() not in self.fake.dois:
            return self._send(404, b"<html><body>DOI Not Found</body></html>", "text/html; charset=utf-8")
        wants_csl = CSL_JSON in self.headers.get("Accept", "")
        target = (CROSSREF_PREFIX + quote(doi, safe="/") + "/transform") if wants_csl else LANDING_PREFIX + quote(doi)
        self._send(302, b"", "text/plain", {"Location": self.fake.base + target})

    def crossref(self, rest: str, query: dict) -> None:
        self.fake._log("crossref", self, query)
        record = self.fake.dois.get(rest.removesuffix("/transform").lower())
        if record is None or CSL_JSON not in self.headers.get("Accept", ""):
            return self._send(404 if record is None else 406, b"Resource not found.", "text/plain")
        self._send(200, json.dumps(record, ensure_ascii=False).encode(), CSL_JSON)

    def landing(self, doi: str, query: dict) -> None:
        self.fake._log("landing", self, query)
        self._send(200, f"<html><body>The article {doi}</body></html>".encode(), "text/html; charset=utf-8")

    def pubmed(self, rest: str, query: dict) -> None:
        self.fake._log("pubmed", self, query)
        if self._fault("pubmed"):
            return
        if query.get("format") != ["csl"]:
            return self._send(400, b'{"error": "unsupported format"}', "application/json")
        record = self.fake.pmids.get((query.get("id") or [""])[0])
        if record is None:
            return self._send(404, b'{"status": "error", "message": "id not found"}', "application/json")
        self._send(200, json.dumps(record, ensure_ascii=False).encode(), "application/json")

    def esearch(self, rest: str, query: dict) -> None:
        """E-utilities' esearch of PubMed by DOI (``term=<DOI>[doi]``): the PMIDs of the NCBI records whose DOI
        it is, in E-utilities' JSON shape (``esearchresult.idlist``; an unknown DOI has an empty list and an
        ``errorlist`` naming the phrase not found). Another database, ``retmode`` or term is a 400."""
        self.fake._log("esearch", self, query)
        if self._fault("esearch"):
            return
        term = (query.get("term") or [""])[0]
        if (rest != "esearch.fcgi" or query.get("db") != ["pubmed"] or query.get("retmode") != ["json"]
                or not term.lower().endswith("[doi]")):
            return self._send(400, b'{"error": "invalid request"}', "application/json")
        doi = term[: -len("[doi]")].strip().lower()
        ids = self.fake.indexed.get(doi) or sorted(
            pmid for pmid, record in self.fake.pmids.items() if str(record.get("DOI", "")).lower() == doi)
        result = {"count": str(len(ids)), "retmax": str(len(ids)), "retstart": "0", "idlist": ids,
                  "translationset": [], "querytranslation": term}
        if not ids:
            result["errorlist"] = {"phrasesnotfound": [term], "fieldsnotfound": []}
            result["warninglist"] = {"phrasesignored": [], "quotedphrasesnotfound": [],
                                     "outputmessages": ["No items found."]}
        body = {"header": {"type": "esearch", "version": "0.3"}, "esearchresult": result}
        self._send(200, json.dumps(body).encode(), "application/json; charset=UTF-8")

    def search(self, rest: str, query: dict) -> None:
        """Crossref's bibliographic search over the records: each record whose title shares words with the
        query, scored by the share of its title's words in the query (x 120, as Crossref's scores run), best
        first, in the shape of Crossref's work list (title and container-title as lists)."""
        self.fake._log("search", self, query)
        if self._fault("search"):
            return
        text = (query.get("query.bibliographic") or [""])[0]
        if rest or not text:
            return self._send(400, b'{"status": "failed", "message": "bad query"}', "application/json")
        rows = int((query.get("rows") or ["20"])[0])
        said = set(_words(text))
        scored = []
        for record in self.fake.dois.values():
            words = _words(record["title"])
            share = sum(1 for word in words if word in said) / max(len(words), 1)
            score = self.fake.scores.get(record["DOI"].lower(), round(120 * share, 3))
            if share > 0.15:
                scored.append((score, _work_item(record, score)))
        items = [item for _, item in sorted(scored, key=lambda pair: -pair[0])][:rows]
        body = {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                "message": {"total-results": len(items), "items": items, "items-per-page": rows,
                            "query": {"start-index": 0, "search-terms": None}}}
        self._send(200, json.dumps(body, ensure_ascii=False).encode(), "application/json")


def _words(text: str) -> list[str]:
    return [word for word in "".join(c if c.isalnum() else " " for c in text.lower()).split() if len(word) > 2]


def _work_item(record: dict, score: float) -> dict:
    """A CSL record as an item of Crossref's work list."""
    item = {"DOI": record["DOI"], "score": score, "type": "journal-article", "title": [record["title"]],
            "author": [{**person, "sequence": "first" if n == 0 else "additional", "affiliation": []}
                       for n, person in enumerate(record.get("author", []))],
            "container-title": [record.get("container-title", "")], "issued": record.get("issued", {}),
            "published-print": record.get("issued", {})}
    for name in ("volume", "issue", "page"):
        if name in record:
            item[name] = record[name]
    return item


ROUTES = [  # path prefix -> handler; longest first where prefixes overlap
    (DOI_PREFIX, _Handler.doi), (CROSSREF_PREFIX, _Handler.crossref), (LANDING_PREFIX, _Handler.landing),
    (NCBI_PATH, _Handler.pubmed), (SEARCH_PATH, _Handler.search), (EUTILS_PREFIX, _Handler.esearch),
]
