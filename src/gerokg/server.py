"""``gerokg serve``: a read-only SPARQL 1.1 Protocol endpoint over the release.

Design:

- The release (plus ``--with`` files, plus inferences with ``--inferred``) lives in an on-disk
  Oxigraph store; a restart with the same ``--store`` folder does not re-parse anything.
- Queries run in worker processes that open the store read-only. A query that exceeds the
  timeout is stopped by ending its worker, which is replaced; other clients keep being served.
- Results are serialised by gerokg with a row limit (``X-Result-Truncated: true`` when cut),
  in the format chosen by content negotiation (or ``?format=``).
- Read-only on every route: SPARQL Update, Graph Store writes and form posts of updates get 403;
  ``SERVICE`` (federation, outbound requests) is refused with 400.

API routes: ``/sparql`` (GET, POST form or ``application/sparql-query``), ``/queries`` (catalogue
as JSON), ``/queries/NAME`` (run a canned query; parameters as query-string fields; ``download=1``
adds Content-Disposition), ``/queries/NAME.rq`` (its text), ``/catalogue.ttl`` (the catalogue as
SHACL SPARQL executables), ``/health``.

Web pages (:mod:`gerokg.web`): ``/`` (start page), ``/search?q=``, ``/term/CURIE``, ``/claim/ID``,
``/query`` and ``/query/NAME`` (forms with result tables and CSV download), ``/sparql`` opened by a
browser (the SPARQL box), ``/pathway`` (Figure 1 drawn from the graph; ``/pathway.svg``,
``/pathway.png``) and ``/diagram/CURIE.svg|png``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import multiprocessing as mp
import queue
import re
import shutil
import signal
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from gerokg import __version__
from gerokg.errors import GerokgError, ParameterError, QueryNotFoundError
from gerokg.query import blank_non_code

__all__ = ["EndpointConfig", "GerokgHTTPServer", "QueryPool", "prepare_store", "serve"]

SELECT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
_ACCEPT_ALIASES = {
    "application/json": "json", "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
    "text/plain": "ntriples", "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml",
}
_SERVICE = re.compile(r"\bSERVICE\b", re.I)


class RequestError(GerokgError):
    """A request that gets an HTTP error status, with a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class EndpointConfig:
    """Limits and options of the endpoint."""

    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 30.0          # seconds per query
    max_rows: int = 10000          # result rows (or triples) per answer
    max_request_bytes: int = 1 << 20
    workers: int = 2
    allow_service: bool = False
    #: the path the site is published under behind a reverse proxy (e.g. "/gerokg"), for the links
    #: of the web pages; the proxy strips it from requests
    root_path: str = ""


# --------------------------------------------------------------------------------------------
# SPARQL text checks
# --------------------------------------------------------------------------------------------


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE (anything with an update keyword)."""
    code = blank_non_code(text).upper()
    if re.search(r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b", code) and not re.search(
            r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", code):
        return "UPDATE"
    m = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", code)
    return m.group(1) if m else "UNKNOWN"


def uses_service(text: str) -> bool:
    return bool(_SERVICE.search(blank_non_code(text)))


# --------------------------------------------------------------------------------------------
# Result serialisation (with a row limit)
# --------------------------------------------------------------------------------------------


def _nt(term: Any) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)  # pyoxigraph renders literals in N-Triples syntax


def _json_term(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def serialize_solutions(variables: list[str], rows: list[list[Any]], fmt: str, truncated: bool) -> bytes:
    if fmt == "json":
        doc: dict[str, Any] = {"head": {"vars": variables}, "results": {"bindings": [
            {v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]}}
        if truncated:
            doc["head"]["link"] = ["urn:gerokg:result-truncated"]
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        import pyoxigraph as ox

        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts.append("</head>\n<results>")
        for row in rows:
            parts.append("<result>")
            for v, t in zip(variables, row):
                if t is None:
                    continue
                if isinstance(t, ox.NamedNode):
                    val = f"<uri>{escape(t.value)}</uri>"
                elif isinstance(t, ox.BlankNode):
                    val = f"<bnode>{escape(t.value)}</bnode>"
                elif t.language:
                    val = f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
                elif t.datatype and t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                    val = f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
                else:
                    val = f"<literal>{escape(t.value)}</literal>"
                parts.append(f"<binding name={quoteattr(v)}>{val}</binding>")
            parts.append("</result>")
        parts.append("</results>\n</sparql>\n")
        return "".join(parts).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        for row in rows:
            w.writerow(["" if t is None else t.value for t in row])
        return buf.getvalue().encode("utf-8")
    # tsv: terms in N-Triples/Turtle syntax, as SPARQL 1.1 TSV requires
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        lines.append("\t".join("" if t is None else _nt(t) for t in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    if fmt in ("csv", "tsv"):
        return (("true" if value else "false") + "\n").encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


# --------------------------------------------------------------------------------------------
# Worker processes
# --------------------------------------------------------------------------------------------


def _worker_main(conn: Any, store_path: str) -> None:
    """Run queries sent over ``conn`` on a read-only store until told to stop."""
    import pyoxigraph as ox

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store = ox.Store.read_only(store_path)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        text, fmt, limit = msg
        try:
            conn.send(_execute(store, text, fmt, limit))
        except Exception as exc:  # noqa: BLE001 - every engine error becomes an HTTP answer
            conn.send((400, f"query failed: {exc}".encode(), "text/plain; charset=utf-8", False))


def _execute(store: Any, text: str, fmt: str | None, limit: int) -> tuple[int, bytes, str, bool]:
    import pyoxigraph as ox

    try:
        res = store.query(text)
    except SyntaxError as exc:
        return 400, f"SPARQL syntax error: {exc}".encode(), "text/plain; charset=utf-8", False
    if isinstance(res, ox.QueryBoolean):
        f = fmt if fmt in SELECT_FORMATS else "json"
        return 200, serialize_boolean(bool(res), f), SELECT_FORMATS[f], False
    if isinstance(res, ox.QuerySolutions):
        f = fmt if fmt in SELECT_FORMATS else "json"
        variables = [v.value for v in res.variables]
        rows, truncated = [], False
        for sol in res:
            if len(rows) >= limit:
                truncated = True
                break
            rows.append([sol[v] for v in variables])
        return 200, serialize_solutions(variables, rows, f, truncated), SELECT_FORMATS[f], truncated
    f = fmt if fmt in GRAPH_FORMATS else "turtle"
    triples, truncated = [], False
    for t in res:
        if len(triples) >= limit:
            truncated = True
            break
        triples.append(t)
    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                  "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}[f]
    body = ox.serialize(triples, format=rdf_format)
    return 200, body or b"", GRAPH_FORMATS[f], truncated


class QueryTimeout(Exception):
    pass


class _Worker:
    def __init__(self, ctx: Any, store_path: str) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, store_path), daemon=True)
        self.proc.start()
        child.close()

    def stop(self, force: bool = False) -> None:
        if not force:
            with contextlib.suppress(OSError, BrokenPipeError):
                self.conn.send(None)
            self.proc.join(2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self.conn.close()


class QueryPool:
    """Worker processes that run queries with a timeout; a timed-out worker is replaced."""

    def __init__(self, store_path: str | Path, workers: int = 2) -> None:
        self.store_path = str(store_path)
        self.ctx = mp.get_context("spawn")
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.size = max(1, workers)
        self._closed = False
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        for _ in range(self.size):
            self._add()

    def _add(self) -> None:
        w = _Worker(self.ctx, self.store_path)
        with self._lock:
            self._all.add(w)
        self.idle.put(w)

    def run(self, text: str, fmt: str | None, limit: int, timeout: float) -> tuple[int, bytes, str, bool]:
        deadline = time.monotonic() + timeout
        try:
            w = self.idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(f"all {self.size} query workers stayed busy for {timeout:g} s") from None
        try:
            w.conn.send((text, fmt, limit))
            if not w.conn.poll(max(0.0, deadline - time.monotonic())):
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            result: tuple[int, bytes, str, bool] = w.conn.recv()
        except QueryTimeout:
            self._replace(w)
            raise
        except (EOFError, OSError):
            self._replace(w)
            raise QueryTimeout("the query worker died; it was replaced") from None
        self.idle.put(w)
        return result

    def _replace(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.stop(force=True)
        if not self._closed:
            self._add()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()


# --------------------------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------------------------


def prepare_store(
    location: str | Path | None,
    release: str | Path | None = None,
    extra: Iterable[str | Path] = (),
    inferred: bool = False,
    progress: Callable[[str], None] | None = None,
) -> tuple[Path, bool, int]:
    """Make the on-disk store the endpoint serves.

    :returns: (store folder, whether it is temporary, number of triples)
    """
    import pyoxigraph as ox

    from gerokg.store import open_store

    temporary = location is None
    path = Path(tempfile.mkdtemp(prefix="gerokg-store-")) if temporary else Path(location)  # type: ignore[arg-type]
    st = open_store(release, extra=extra, location=path, inferred=inferred, progress=progress)
    catalogue = ox.NamedNode(CATALOGUE_GRAPH)
    if next(iter(st.ox.quads_for_pattern(None, None, None, catalogue)), None) is None:
        from gerokg.catalogue import catalogue_graph

        data = catalogue_graph().serialize(format="nt", encoding="utf-8")
        st.ox.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=catalogue)
    st.ox.flush()
    n = len(st.ox)
    del st
    return path, temporary, n


CATALOGUE_GRAPH = "https://w3id.org/gerokg/queries"


# --------------------------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------------------------


def accept_choices(accept: str | None) -> list[tuple[float, str]]:
    """(q, media type) of each entry of an Accept header, in the header's order."""
    choices = []
    for part in (accept or "").split(","):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(b[2:])
        choices.append((q, bits[0].lower()))
    return choices


def negotiate(accept: str | None, explicit: str | None, graph: bool) -> str | None:
    """The output format key from ``?format=`` or the Accept header (None: the default)."""
    allowed = GRAPH_FORMATS if graph else SELECT_FORMATS
    if explicit:
        key = explicit.lower()
        if key not in allowed and key not in SELECT_FORMATS and key not in GRAPH_FORMATS:
            raise RequestError(400, f"unknown format {explicit!r}; use one of {', '.join(list(SELECT_FORMATS) + list(GRAPH_FORMATS))}")
        return key
    if not accept:
        return None
    for _q, mime in sorted(accept_choices(accept), key=lambda c: -c[0]):
        key = _ACCEPT_ALIASES.get(mime)
        if key and (key in allowed):
            return key
    return None


class GerokgHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, config: EndpointConfig, pool: QueryPool, triples: int, site: Any = None) -> None:
        self.config = config
        self.pool = pool
        self.triples = triples
        self.site = site
        super().__init__((config.host, config.port), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: GerokgHTTPServer
    server_version = f"gerokg/{__version__}"
    protocol_version = "HTTP/1.1"
    # headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK hold each small answer on a keep-alive connection for ~40 ms
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return

    # -- helpers
    def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        body = json.dumps({"error": message, "status": status}).encode()
        self._send(status, body, "application/json")

    def _body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raise RequestError(411, "chunked request bodies are not accepted; send Content-Length")
        try:
            n = int(length or 0)
        except ValueError:
            raise RequestError(400, "bad Content-Length") from None
        if n < 0:
            raise RequestError(400, "bad Content-Length")
        if n > self.server.config.max_request_bytes:
            # drain (up to 16 MiB, discarded) so the client can read the 413 instead of a broken
            # pipe, then close the connection
            left = min(n, 16 << 20)
            while left > 0:
                chunk = self.rfile.read(min(left, 1 << 16))
                if not chunk:
                    break
                left -= len(chunk)
            self.close_connection = True
            raise RequestError(413, f"request body larger than {self.server.config.max_request_bytes} bytes")
        return self.rfile.read(n) if n else b""

    def _run(self, text: str, fmt_key: str | None, extra_headers: dict[str, str] | None = None) -> None:
        cfg = self.server.config
        form = query_form(text)
        if form == "UPDATE":
            raise RequestError(403, "read-only endpoint: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) is refused")
        if not cfg.allow_service and uses_service(text):
            raise RequestError(400, "SERVICE (federated query) is refused by this endpoint: it makes no outbound requests")
        try:
            status, body, ctype, truncated = self.server.pool.run(text, fmt_key, cfg.max_rows, cfg.timeout)
        except QueryTimeout as exc:
            raise RequestError(503, str(exc)) from None
        headers = {"X-Result-Truncated": "true"} if truncated else {}
        headers.update(extra_headers or {})
        if status != 200:
            self._send(status, json.dumps({"error": body.decode("utf-8", "replace"), "status": status}).encode(),
                       "application/json")
            return
        self._send(200, body, ctype if "charset" in ctype else f"{ctype}; charset=utf-8", headers)

    # -- routing
    def _dispatch(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if len(self.path) > 65536:
            raise RequestError(414, "request URI too long")
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        path = url.path.rstrip("/") or "/"
        if self.command in ("GET", "HEAD") and self._page(path, params):
            return
        if path == "/sparql":
            self._sparql(params)
        elif path == "/queries" and self.command in ("GET", "HEAD"):
            self._catalogue_json()
        elif path == "/catalogue.ttl" and self.command in ("GET", "HEAD"):
            from gerokg.catalogue import catalogue_turtle

            self._send(200, catalogue_turtle(), "text/turtle; charset=utf-8")
        elif path.startswith("/queries/") and self.command in ("GET", "HEAD"):
            self._canned(path[len("/queries/"):], params)
        elif path == "/health" and self.command in ("GET", "HEAD"):
            self._send(200, json.dumps({"status": "ok", "triples": self.server.triples, "version": __version__}).encode(),
                       "application/json")
        elif path in ("/store", "/data", "/update", "/sparql-graph-crud", "/sparql-graph-crud-auth"):
            raise RequestError(403, "read-only endpoint: graph store and update routes are refused")
        else:
            raise RequestError(404, f"no route {url.path!r}; see / for what this endpoint serves")

    def _sparql(self, params: dict[str, list[str]]) -> None:
        if self.command in ("GET", "HEAD"):
            if "update" in params:
                raise RequestError(403, "read-only endpoint: SPARQL Update is refused")
            if "query" not in params:
                raise RequestError(400, "missing 'query' parameter")
            text = params["query"][0]
        elif self.command == "POST":
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            body = self._body()
            if ctype == "application/sparql-update":
                raise RequestError(403, "read-only endpoint: SPARQL Update is refused")
            if ctype == "application/sparql-query":
                text = body.decode("utf-8", "replace")
            elif ctype == "application/x-www-form-urlencoded":
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                if "update" in form:
                    raise RequestError(403, "read-only endpoint: SPARQL Update is refused")
                if "query" not in form:
                    raise RequestError(400, "missing 'query' field")
                text = form["query"][0]
                params = {**params, **form}
            else:
                raise RequestError(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded")
        else:
            raise RequestError(405, f"{self.command} is not allowed on /sparql (read-only endpoint)")
        graph = query_form(text) in ("CONSTRUCT", "DESCRIBE")
        fmt = negotiate(self.headers.get("Accept"), (params.get("format") or [None])[0], graph)
        self._run(text, fmt)

    def _catalogue_json(self) -> None:
        from gerokg.query import list_queries

        items = [{
            "name": q.name, "title": q.title, "question": q.question, "description": q.description,
            "form": q.form, "level": q.level, "url": f"/queries/{q.name}",
            "params": [{"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                       for p in q.params],
        } for q in list_queries()]
        self._send(200, json.dumps(items, indent=1).encode(), "application/json")

    def _canned(self, name: str, params: dict[str, list[str]]) -> None:
        from gerokg.query import bind_params, bind_query_text, load_query

        if name.endswith(".rq"):
            q = load_query(name[:-3])
            self._send(200, q.text.encode(), "application/sparql-query; charset=utf-8")
            return
        q = load_query(name)
        download = (params.get("download") or [""])[0] not in ("", "0", "false")
        values = {k: v[0] for k, v in params.items() if k not in ("format", "download")}
        text = bind_query_text(q, bind_params(q, values))
        fmt = negotiate(self.headers.get("Accept"), (params.get("format") or [None])[0], q.form in ("CONSTRUCT", "DESCRIBE"))
        extension = {"csv": "csv", "tsv": "tsv", "xml": "srx", "turtle": "ttl", "ntriples": "nt",
                     "jsonld": "jsonld", "rdfxml": "rdf"}.get(fmt or "", "json")
        self._run(text, fmt, {"Content-Disposition": f'attachment; filename="{q.name}.{extension}"'} if download else None)

    # -- web pages
    def _wants_html(self, params: dict[str, list[str]]) -> bool:
        """``format=html``, or no format asked and the Accept header prefers text/html to every
        result format it lists (browsers list text/html first)."""
        explicit = (params.get("format") or [None])[0]
        if explicit:
            return explicit.lower() == "html"
        best_html, best_other = -1.0, -1.0
        for q, mime in accept_choices(self.headers.get("Accept")):
            if mime in ("text/html", "application/xhtml+xml"):
                best_html = max(best_html, q)
            elif mime in _ACCEPT_ALIASES:
                best_other = max(best_other, q)
        # a tie goes to the data: a SPARQL client that also accepts HTML wants results
        return best_html > 0 and best_html > best_other

    def _send_page(self, page: Any) -> None:
        headers = dict(page.headers)
        self._send(page.status, page.body, page.content_type, headers)

    def _page(self, path: str, params: dict[str, list[str]]) -> bool:
        """Serve a web page when ``path`` is one; False when it is an API route."""
        site = self.server.site
        if site is None:
            return False
        from gerokg.web import NotFound

        try:
            if path == "/":
                page = site.home()
            elif path == "/search":
                page = site.search(params)
            elif path.startswith("/term/"):
                page = site.term(path[len("/term/"):])
            elif path.startswith("/claim/"):
                page = site.claim_page(path[len("/claim/"):])
            elif path == "/query":
                page = site.queries_page()
            elif path.startswith("/query/"):
                page = site.query_page(path[len("/query/"):], params)
            elif path == "/sparql" and self._wants_html(params):
                page = site.sparql_page((params.get("query") or [None])[0])
            elif path == "/pathway":
                page = site.pathway_page()
            elif path == "/docs" or path.startswith("/docs/"):
                if path == "/docs" and not self.path.split("?")[0].endswith("/"):
                    # relative links in the documentation need the trailing slash
                    self._send(301, b"", "text/plain", {"Location": self.server.config.root_path + "/docs/"})
                    return True
                page = site.docs(path[len("/docs/"):])
            elif path in ("/pathway.svg", "/pathway.png") or (
                    path.startswith("/diagram/") and path.endswith((".svg", ".png"))):
                fmt = path.rsplit(".", 1)[1]
                term = None
                if path.startswith("/diagram/"):
                    from gerokg.web import resolve_term

                    term = resolve_term(urllib.parse.unquote(path[len("/diagram/"):-4]))
                data = site.diagram_bytes(term, fmt)
                self._send(200, data, "image/svg+xml" if fmt == "svg" else "image/png",
                           {"Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff",
                            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})
                return True
            elif path == "/static/gerokg.css":
                from importlib.resources import files

                css = files("gerokg").joinpath("static/gerokg.css").read_bytes()
                self._send(200, css, "text/css; charset=utf-8", {"Cache-Control": "max-age=3600"})
                return True
            else:
                return False
        except (NotFound, LookupError) as exc:  # LookupError: a term the store does not hold
            page = site.error_page(404, str(exc))
        except RequestError as exc:
            page = site.error_page(exc.status, exc.message)
        except GerokgError as exc:
            page = site.error_page(400, str(exc))
        self._send_page(page)
        return True

    def _handle(self) -> None:
        try:
            self._dispatch()
        except RequestError as exc:
            self._error(exc.status, exc.message)
        except (ParameterError, QueryNotFoundError) as exc:
            self._error(404 if isinstance(exc, QueryNotFoundError) else 400, str(exc))
        except GerokgError as exc:
            self._error(400, str(exc))
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as exc:  # noqa: BLE001 - never a traceback to the client
            self._error(500, f"internal error: {type(exc).__name__}")

    do_GET = _handle
    do_HEAD = _handle
    do_POST = _handle
    do_PUT = _handle
    do_DELETE = _handle
    do_PATCH = _handle


@dataclass
class ServerHandle:
    """A running endpoint (for tests and embedding)."""

    httpd: GerokgHTTPServer
    thread: threading.Thread
    store_path: Path
    temporary: bool
    url: str
    stopped: bool = field(default=False)

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        self.httpd.shutdown()
        self.httpd.server_close()
        self.httpd.pool.close()
        self.httpd.site = None
        self.thread.join(10)
        if self.temporary:
            shutil.rmtree(self.store_path, ignore_errors=True)


def start_server(
    config: EndpointConfig,
    release: str | Path | None = None,
    extra: Iterable[str | Path] = (),
    location: str | Path | None = None,
    inferred: bool = False,
    web: bool = True,
    progress: Callable[[str], None] | None = None,
) -> ServerHandle:
    """Start the endpoint in a background thread and return a handle to stop it.

    :param web: also serve the web pages (search, term pages, query forms, SPARQL box, pathway)
    """
    path, temporary, n = prepare_store(location, release, extra, inferred, progress)
    if progress:
        progress(f"starting {config.workers} query worker(s)")
    pool = QueryPool(path, config.workers)
    site = None
    if web:
        import pyoxigraph as ox

        from gerokg.web import Site

        site = Site(ox.Store.read_only(str(path)), pool.run, timeout=config.timeout, max_rows=config.max_rows,
                    triples=n, root_path=config.root_path)
    try:
        httpd = GerokgHTTPServer(config, pool, n, site)
    except OSError:
        pool.close()
        raise
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    return ServerHandle(httpd, thread, path, temporary, f"http://{host}:{port}")


def serve(
    config: EndpointConfig,
    release: str | Path | None = None,
    extra: Iterable[str | Path] = (),
    location: str | Path | None = None,
    inferred: bool = False,
    announce: Any = print,
    progress: Any = None,
) -> None:
    """Run the endpoint until SIGTERM or Ctrl-C; stop cleanly (workers ended, temp store removed)."""
    handle = start_server(config, release, extra, location, inferred, progress=progress)
    if progress is not None and hasattr(progress, "close"):
        progress.close()
    stop = threading.Event()

    def _signal(_sig: int, _frame: Any) -> None:
        stop.set()

    old_term = signal.signal(signal.SIGTERM, _signal)
    old_int = signal.signal(signal.SIGINT, _signal)
    try:
        announce(f"gerokg on {handle.url}/ : open it in a browser to search, browse and query "
                 f"(SPARQL endpoint: {handle.url}/sparql; {handle.httpd.triples} triples, read-only, "
                 f"timeout {config.timeout:g} s, at most {config.max_rows} rows); Ctrl-C to stop")
        while not stop.wait(0.5):
            pass
    finally:
        handle.stop()
        signal.signal(signal.SIGTERM, old_term)
        signal.signal(signal.SIGINT, old_int)
        announce("gerokg endpoint stopped")

