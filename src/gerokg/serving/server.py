"""``gerokg serve``: a read-only SPARQL 1.1 Protocol endpoint and the web pages, over the release.

The layers, outside in:

- **HTTP**: uvicorn (with httptools, i.e. llhttp) serves an ASGI application built with
  Starlette. Framing, keep-alive and the backlog are uvicorn's; :mod:`gerokg.httpproto` adds
  head timeouts, head size limits, a connection cap and JSON errors for what is refused before
  the application sees it.
- **Routes** (this module): the SPARQL protocol at ``/sparql`` (GET, POST form or
  ``application/sparql-query``), the catalogue at ``/queries`` (JSON), ``/queries/NAME`` (a
  canned query; parameters as query-string fields; ``download=1`` adds Content-Disposition),
  ``/queries/NAME.rq`` (its text), ``/catalogue.ttl``, ``/health``; and the web pages of
  :mod:`gerokg.web` (``/``, ``/search``, ``/term/CURIE``, ``/claim/ID``, ``/query``,
  ``/query/NAME``, the SPARQL box at ``/sparql`` for browsers, ``/pathway``, ``/diagram/...``,
  ``/docs/``). Every API error is JSON ``{"error", "status"}``; every failed page is an HTML page
  with the Content-Security-Policy.
- **Queries** run in sandboxed worker processes (:mod:`gerokg.workers`): parsed first
  (:mod:`gerokg.sparql_check`: updates 403, SERVICE 400, length and depth limits), then run by
  Oxigraph on a read-only store, with a timeout, a memory budget and a row limit
  (``X-Result-Truncated: true`` when cut). The workers have no network.
- **The store** (:func:`prepare_store`): the release (plus inferences, plus ``--with`` files, each
  in a named graph keyed by its content hash and replaced when the file changes) in an on-disk
  Oxigraph store; a restart with the same ``--store`` folder re-parses nothing, and a lock keeps
  a second process out.

Read-only on every route: SPARQL Update, Graph Store writes and any ``update`` parameter get 403.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import signal
import socket
import tempfile
import threading
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gerokg._version import __version__
from gerokg.errors import GerokgError, ParameterError, QueryNotFoundError, RequestError
from gerokg.querying.sparql_check import QueryLimits
from gerokg.querying.workers import QueryPool, QueryResult, QueryTimeout, WorkerLimits
from gerokg.serving.httpproto import ConnectionLimits
from gerokg.serving.negotiation import cors as _cors
from gerokg.serving.negotiation import negotiate, wants_html
from gerokg.vocab import CATALOGUE_GRAPH

__all__ = ["EndpointConfig", "QueryPool", "ServerHandle", "prepare_store", "serve", "start_server"]

_READ_ONLY_ROUTES = ("/store", "/data", "/update", "/sparql-graph-crud", "/sparql-graph-crud-auth")
#: request bodies up to this size are read and discarded after a 413, so the client sees the
#: answer; a larger announced body closes the connection at once
_DRAIN_LIMIT = 16 << 20


@dataclass
class EndpointConfig:
    """Limits and options of the endpoint (defaults are in SECURITY.md)."""

    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 30.0          # seconds per query
    max_rows: int = 10000          # result rows (or triples) per answer
    max_request_bytes: int = 1 << 20
    workers: int = 2
    #: the path the site is published under behind a reverse proxy (e.g. "/gerokg"), for the links
    #: of the web pages; the proxy strips it from requests
    root_path: str = ""
    max_query_length: int = 100_000   # characters
    max_query_depth: int = 64         # nesting levels of groups, sub-queries, expressions, paths
    max_query_memory_mb: int = 1024   # heap one query may add to its worker
    head_timeout: float = 10.0        # seconds for a request head to arrive
    body_timeout: float = 30.0        # seconds for a request body to arrive
    keep_alive_timeout: int = 5       # seconds an idle keep-alive connection is kept
    max_connections: int = 4096
    max_head_bytes: int = 65_536
    backlog: int = 2048

    def worker_limits(self) -> WorkerLimits:
        return WorkerLimits(QueryLimits(self.max_query_length, self.max_query_depth), self.max_query_memory_mb)

    def connection_limits(self) -> ConnectionLimits:
        return ConnectionLimits(head_timeout=self.head_timeout, max_url_bytes=self.max_head_bytes,
                                max_head_bytes=self.max_head_bytes, max_connections=self.max_connections)


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

    :returns: (store folder, whether it is temporary, number of triples in the default graph)
    """
    import pyoxigraph as ox

    from gerokg.release.store import open_store

    temporary = location is None
    path = Path(tempfile.mkdtemp(prefix="gerokg-store-")) if temporary else Path(location)  # type: ignore[arg-type]
    st = open_store(release, extra=extra, location=path, inferred=inferred, progress=progress)
    catalogue = ox.NamedNode(CATALOGUE_GRAPH)
    if next(iter(st.ox.quads_for_pattern(None, None, None, catalogue)), None) is None:
        from gerokg.querying.catalogue import catalogue_graph

        data = catalogue_graph().serialize(format="nt", encoding="utf-8")
        st.ox.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=catalogue)
    n = st.remembered_size()
    st.ox.flush()
    del st
    return path, temporary, n


# --------------------------------------------------------------------------------------------
# The application
# --------------------------------------------------------------------------------------------


def _first(params: dict[str, list[str]], name: str) -> str | None:
    """The first value of a request parameter, None when it is not given."""
    values = params.get(name)
    return values[0] if values else None


class Endpoint:
    """The routes, bound to one store, worker pool and (optionally) web site."""

    def __init__(self, config: EndpointConfig, pool: QueryPool, triples: int, site: Any = None,
                 inferred: bool = False) -> None:
        self.config = config
        self.pool = pool
        self.triples = triples
        self.site = site
        #: whether the store holds the reasoner's conclusions (every answer says so)
        self.inferred = inferred
        self._store: Any = None  # the read-only store for descriptions, opened on first use

    # -- helpers
    @staticmethod
    def _params(request: Any) -> dict[str, list[str]]:
        return urllib.parse.parse_qs(request.url.query, keep_blank_values=True)

    def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> Any:
        from starlette.responses import Response

        return Response(json.dumps(payload).encode(), status, headers=_cors(headers), media_type="application/json")

    def error(self, status: int, message: str, headers: dict[str, str] | None = None) -> Any:
        return self._json(status, {"error": message, "status": status}, headers)

    def page(self, page: Any) -> Any:
        from starlette.responses import Response

        return Response(page.body, page.status, headers=_cors(dict(page.headers)), media_type=page.content_type)

    async def _body(self, request: Any) -> bytes:
        cfg = self.config
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > cfg.max_request_bytes:
            if int(length) <= _DRAIN_LIMIT:
                # read and drop it first: a client that sends its whole body before reading (most
                # do) then gets the 413 instead of a broken pipe
                async def drain() -> None:
                    async for _chunk in request.stream():
                        pass

                with contextlib.suppress(Exception):
                    await asyncio.wait_for(drain(), cfg.body_timeout)
            raise RequestError(413, f"request body larger than {cfg.max_request_bytes} bytes")
        chunks: list[bytes] = []
        size = 0

        async def collect() -> None:
            nonlocal size
            async for chunk in request.stream():
                size += len(chunk)
                if size > cfg.max_request_bytes:
                    raise RequestError(413, f"request body larger than {cfg.max_request_bytes} bytes")
                chunks.append(chunk)

        try:
            await asyncio.wait_for(collect(), cfg.body_timeout)
        except asyncio.TimeoutError:
            raise RequestError(408, f"the request body did not arrive within {cfg.body_timeout:g} s") from None
        return b"".join(chunks)

    async def run_query(self, text: str, select_fmt: str | None, graph_fmt: str | None) -> QueryResult:
        from starlette.concurrency import run_in_threadpool

        cfg = self.config
        try:
            return await run_in_threadpool(self.pool.run, text, select_fmt, graph_fmt, cfg.max_rows, cfg.timeout)
        except QueryTimeout as exc:
            raise RequestError(503, str(exc)) from None

    async def _answer(self, text: str, select_fmt: str | None, graph_fmt: str | None,
                      extra_headers: dict[str, str] | None = None) -> Any:
        from starlette.responses import Response

        res = await self.run_query(text, select_fmt, graph_fmt)
        if res.status != 200:
            return self.error(res.status, res.body.decode("utf-8", "replace"))
        headers = {"X-Result-Truncated": "true"} if res.truncated else {}
        headers["X-Gerokg-Inferred"] = "true" if self.inferred else "false"
        headers.update(extra_headers or {})
        ctype = res.content_type if "charset" in res.content_type else f"{res.content_type}; charset=utf-8"
        return Response(res.body, 200, headers=_cors(headers), media_type=ctype)

    # -- API routes
    async def sparql(self, request: Any) -> Any:
        params = self._params(request)
        if "update" in params:
            raise RequestError(403, "read-only endpoint: SPARQL Update is refused")
        method = request.method
        if method in ("GET", "HEAD"):
            if self.site is not None and wants_html(request.headers.get("accept"), _first(params, "format")):
                return await self._page(lambda: self.site.sparql_page(_first(params, "query")))
            if "query" not in params:
                # no query: the SPARQL 1.1 Service Description (what federation engines read first)
                return await self.description(request, "sd")
            text = params["query"][0]
        elif method == "POST":
            ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
            body = await self._body(request)
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
            raise RequestError(405, f"{method} is not allowed on /sparql (read-only endpoint)")
        accept, explicit = request.headers.get("accept"), _first(params, "format")
        return await self._answer(text, negotiate(accept, explicit, False), negotiate(accept, explicit, True))

    async def catalogue_json(self, request: Any) -> Any:
        from starlette.responses import Response

        from gerokg.querying.catalogue import catalogue_items

        return Response(json.dumps(catalogue_items(), indent=1).encode(), 200, headers=_cors(), media_type="application/json")

    async def catalogue_turtle(self, request: Any) -> Any:
        from starlette.responses import Response

        from gerokg.querying.catalogue import catalogue_turtle

        return Response(catalogue_turtle(), 200, headers=_cors(), media_type="text/turtle; charset=utf-8")

    async def canned(self, request: Any) -> Any:
        from starlette.responses import Response

        from gerokg.querying.canned import bind_params, bind_query_text, load_query

        name = request.path_params["name"]
        params = self._params(request)
        if "update" in params:
            raise RequestError(403, "read-only endpoint: SPARQL Update is refused")
        if name.endswith(".rq"):
            q = load_query(name[:-3])
            return Response(q.text.encode(), 200, headers=_cors(), media_type="application/sparql-query; charset=utf-8")
        q = load_query(name)
        download = (params.get("download") or [""])[0] not in ("", "0", "false")
        values = {k: v[0] for k, v in params.items() if k not in ("format", "download")}
        # names resolve against the served store (its --with files included)
        text = bind_query_text(q, bind_params(q, values, self._describe_store()))
        graph = q.form in ("CONSTRUCT", "DESCRIBE")
        fmt = negotiate(request.headers.get("accept"), _first(params, "format"), graph)
        extension = {"csv": "csv", "tsv": "tsv", "xml": "srx", "turtle": "ttl", "ntriples": "nt",
                     "jsonld": "jsonld", "rdfxml": "rdf"}.get(fmt or "", "ttl" if graph else "json")
        headers = {"Content-Disposition": f'attachment; filename="{q.name}.{extension}"'} if download else None
        return await self._answer(text, None if graph else fmt, fmt if graph else None, headers)

    # -- descriptions and dereferencing
    _RDF_SUFFIXES = {".ttl": "turtle", ".jsonld": "jsonld", ".nt": "ntriples"}
    _RDFLIB = {"turtle": ("turtle", "text/turtle; charset=utf-8"), "jsonld": ("json-ld", "application/ld+json"),
               "ntriples": ("nt", "application/n-triples"), "rdfxml": ("xml", "application/rdf+xml")}

    def _graph_format(self, request: Any, explicit: str | None = None) -> str:
        params = self._params(request)
        fmt = explicit or negotiate(request.headers.get("accept"), _first(params, "format"), True)
        return fmt if fmt in self._RDFLIB else "turtle"

    def _rdf(self, graph: Any, fmt: str, status: int = 200) -> Any:
        from starlette.responses import Response

        from gerokg.rdf.rdfio import serialize_graph

        name, ctype = self._RDFLIB[fmt]
        body = serialize_graph(graph, name)
        return Response(body, status, headers=_cors({"Vary": "Accept"}), media_type=ctype)

    def _base(self, request: Any) -> str:
        return f"{request.url.scheme}://{request.url.netloc}{self.config.root_path}"

    async def description(self, request: Any, which: str) -> Any:
        """The Service Description (``sd``) or the VoID description (``void``) of the endpoint."""
        from starlette.concurrency import run_in_threadpool

        from gerokg.artefacts.describe import service_description, void_description

        store = self._describe_store()
        base = self._base(request)
        if which == "sd":
            graph = await run_in_threadpool(service_description, store, f"{base}/sparql")
        else:
            graph = await run_in_threadpool(void_description, store, f"{base}/sparql", f"{base}/.well-known/void")
        return self._rdf(graph, self._graph_format(request))

    async def void(self, request: Any) -> Any:
        return await self.description(request, "void")

    def _describe_store(self) -> Any:
        """The served store, read-only (the pages' handle, or one opened once for the API)."""
        if self.site is not None:
            return self.site.store
        if self._store is None:
            import pyoxigraph as ox

            self._store = ox.Store.read_only(str(self.pool.store_path))
        return self._store

    async def resource(self, request: Any, iri: str, fmt: str) -> Any:
        """What a term or claim IRI dereferences to, as RDF."""
        from starlette.concurrency import run_in_threadpool

        from gerokg.artefacts.describe import describe_resource

        graph = await run_in_threadpool(describe_resource, self._describe_store(), iri)
        if graph is None or len(graph) == 0:
            raise RequestError(404, f"the store says nothing about <{iri}>")
        return self._rdf(graph, fmt)

    def wants_rdf(self, request: Any) -> str | None:
        """The RDF format a client asks a term or claim page for (``format=``, or an Accept header
        that prefers an RDF type to HTML), else None."""
        params = self._params(request)
        explicit = _first(params, "format")
        if explicit:
            return explicit.lower() if explicit.lower() in self._RDFLIB else None
        accept = request.headers.get("accept")
        if not accept or wants_html(accept, None):
            return None
        fmt = negotiate(accept, None, True)
        return fmt if fmt in self._RDFLIB else None

    async def health(self, request: Any) -> Any:
        settled, workers = self.pool.settled()
        return self._json(200, {"status": "ok", "triples": self.triples, "version": __version__,
                                "inferred": self.inferred, "workers": workers,
                                # workers still copying the store into memory (they answer from
                                # the folder meanwhile)
                                "workers_copying": workers - settled,
                                "network_isolation": self.pool.confinement.describe() if self.pool.confinement else "unknown"})

    async def read_only(self, request: Any) -> Any:
        raise RequestError(403, "read-only endpoint: graph store and update routes are refused")

    # -- web pages
    async def _page(self, make: Callable[[], Any]) -> Any:
        from starlette.concurrency import run_in_threadpool

        from gerokg.pages.web import NotFound

        site = self.site
        try:
            page = await run_in_threadpool(make)
        except (NotFound, LookupError) as exc:  # LookupError: a term the store does not hold
            page = site.error_page(404, str(exc))
        except RequestError as exc:
            page = site.error_page(exc.status, exc.message)
        except GerokgError as exc:
            page = site.error_page(400, str(exc))
        except Exception as exc:  # noqa: BLE001 - never a traceback to the client
            page = site.error_page(500, f"internal error: {type(exc).__name__}")
        return self.page(page)

    def pages(self) -> list[Any]:
        """The web pages' routes (GET and HEAD): :class:`gerokg.serving.pagerouter.PageRouter`."""
        from gerokg.serving.pagerouter import PageRouter

        return PageRouter(self).routes()

    # -- the application
    def app(self) -> Any:
        from starlette.applications import Starlette
        from starlette.exceptions import HTTPException
        from starlette.routing import Route

        api: list[Any] = [
            Route("/sparql", self.sparql, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
            Route("/queries", self.catalogue_json, methods=["GET"]),
            Route("/queries/{name:path}", self.canned, methods=["GET"]),
            Route("/catalogue.ttl", self.catalogue_turtle, methods=["GET"]),
            Route("/health", self.health, methods=["GET"]),
            Route("/.well-known/void", self.void, methods=["GET"]),
        ]
        api += [Route(p, self.read_only, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]) for p in _READ_ONLY_ROUTES]
        routes = (self.pages() if self.site is not None else []) + api

        async def http_error(request: Any, exc: Exception) -> Any:
            status = getattr(exc, "status_code", 500)
            if status == 404:
                message = f"no route {request.url.path!r}; see / for what this endpoint serves"
                if self.site is not None and wants_html(request.headers.get("accept"), None):
                    return self.page(self.site.error_page(404, message))
            elif status == 405:
                message = f"{request.method} is not allowed on {request.url.path} (read-only endpoint)"
            else:
                message = str(getattr(exc, "detail", "")) or "error"
            return self.error(status, message)

        async def gerokg_error(request: Any, exc: Exception) -> Any:
            return _error_response(self, exc, request.scope)

        from starlette.middleware import Middleware
        from starlette.middleware.cors import CORSMiddleware

        # CORS for the read-only methods, preflight included, so browser SPARQL clients can POST
        cors = Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                          allow_headers=["Accept", "Content-Type"], expose_headers=["X-Result-Truncated", "X-Gerokg-Inferred"],
                          max_age=86400)
        app = Starlette(routes=routes, middleware=[cors], exception_handlers={
            HTTPException: http_error, GerokgError: gerokg_error, Exception: gerokg_error})
        app.router.redirect_slashes = False
        return _Guard(app, self)


class _Guard:
    """Outermost ASGI layer: a trailing slash is ignored (but for ``/docs/``), and every error
    raised by a route becomes the API's JSON error; nothing reaches the client as a traceback."""

    def __init__(self, app: Any, endpoint: Endpoint) -> None:
        self.app = app
        self.endpoint = endpoint

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[Any]],
                       send: Callable[[Any], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            return
        path = scope["path"]
        if len(path) > 1 and path.endswith("/") and not path.startswith("/docs/"):
            scope = {**scope, "path": path.rstrip("/") or "/"}
        started = False

        async def tracking_send(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # noqa: BLE001 - answered (once) and never shown as a traceback
            if not started:
                await _error_response(self.endpoint, exc, scope)(scope, receive, send)


def _error_response(ep: Endpoint, exc: Exception, scope: dict[str, Any]) -> Any:
    """The JSON error answer for an exception raised by a route."""
    if isinstance(exc, RequestError):
        headers = {"Connection": "close"} if exc.status == 413 and _large_body(scope) else None
        return ep.error(exc.status, exc.message, headers)
    if isinstance(exc, QueryNotFoundError):
        return ep.error(404, str(exc))
    if isinstance(exc, (ParameterError, GerokgError)):
        return ep.error(400, str(exc))
    return ep.error(500, f"internal error: {type(exc).__name__}")


def _large_body(scope: dict[str, Any]) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return not value.isdigit() or int(value) > _DRAIN_LIMIT
    return True


# --------------------------------------------------------------------------------------------
# Running it
# --------------------------------------------------------------------------------------------


@dataclass
class ServerHandle:
    """A running endpoint (for tests and embedding)."""

    server: Any
    thread: threading.Thread
    pool: QueryPool
    store_path: Path
    temporary: bool
    url: str
    endpoint: Endpoint
    lock: Any = None
    stopped: bool = field(default=False)

    @property
    def triples(self) -> int:
        return self.endpoint.triples

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        self.server.should_exit = True
        self.thread.join(15)
        self.pool.close()
        self.endpoint.site = None
        if self.lock is not None:
            self.lock.release()
        if self.temporary:
            shutil.rmtree(self.store_path, ignore_errors=True)


def bind_socket(config: EndpointConfig) -> socket.socket:
    """Bind the listening socket first, so a busy port is reported before any expensive work."""
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((config.host, config.port))
    except OSError as exc:
        sock.close()
        raise GerokgError(f"cannot listen on {config.host}:{config.port}: {exc.strerror or exc}") from None
    sock.listen(config.backlog)
    sock.setblocking(False)
    return sock


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
    :raises GerokgError: the port is busy, or the store is in use by another process
    """
    from gerokg.release.store import StoreLock

    sock = bind_socket(config)
    lock = None
    try:
        if location is not None:
            lock = StoreLock(location)
        path, temporary, n = prepare_store(location, release, extra, inferred, progress)
        if progress:
            progress(f"starting {config.workers} query worker(s)")
        pool = QueryPool(path, config.workers, config.worker_limits())
    except BaseException:
        sock.close()
        if lock is not None:
            lock.release()
        raise
    site = None
    if web:
        import pyoxigraph as ox

        from gerokg.pages.web import Site
        from gerokg.release.release import Release

        site = Site(ox.Store.read_only(str(path)), pool.run, timeout=config.timeout, max_rows=config.max_rows,
                    triples=n, root_path=config.root_path, release=Release(release, extra, inferred, path))
    endpoint = Endpoint(config, pool, n, site, inferred)
    server, thread = _run_uvicorn(endpoint, config, sock)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return ServerHandle(server, thread, pool, path, temporary, f"http://{shown}:{port}", endpoint, lock)


def _run_uvicorn(endpoint: Endpoint, config: EndpointConfig, sock: socket.socket) -> tuple[Any, threading.Thread]:
    """uvicorn serving the endpoint on the bound socket, in a thread of its own; returns once it
    accepts connections (or has failed to start)."""
    import uvicorn

    from gerokg.serving.httpproto import protocol_for

    uv_config = uvicorn.Config(
        endpoint.app(), http=protocol_for(config.connection_limits()), lifespan="off", access_log=False,
        log_level="warning", timeout_keep_alive=config.keep_alive_timeout, backlog=config.backlog,
        server_header=False, headers=[("server", f"gerokg/{__version__}")], ws="none", interface="asgi3")
    server = uvicorn.Server(uv_config)
    ready = threading.Event()

    def run() -> None:
        from gerokg.serving.httpproto import new_event_loop

        loop = new_event_loop()
        asyncio.set_event_loop(loop)

        async def main() -> None:
            serving = asyncio.ensure_future(server.serve(sockets=[sock]))
            while not server.started and not serving.done():
                await asyncio.sleep(0.01)
            ready.set()
            await serving

        try:
            loop.run_until_complete(main())
        finally:
            ready.set()
            loop.close()

    thread = threading.Thread(target=run, name="gerokg-http", daemon=True)
    thread.start()
    ready.wait(30)
    return server, thread


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
        isolation = handle.pool.confinement.describe() if handle.pool.confinement else "unknown"
        basis = ("asserted facts and the reasoner's conclusions" if inferred
                 else "asserted facts only (--inferred adds the reasoner's conclusions)")
        announce(f"gerokg on {handle.url}/ : open it in a browser to search, browse and query "
                 f"(SPARQL endpoint: {handle.url}/sparql; {handle.triples} triples, read-only, {basis}; "
                 f"timeout {config.timeout:g} s, at most {config.max_rows} rows; query workers' network "
                 f"isolation: {isolation}); Ctrl-C to stop")
        while not stop.wait(0.5):
            pass
    finally:
        handle.stop()
        signal.signal(signal.SIGTERM, old_term)
        signal.signal(signal.SIGINT, old_int)
        announce("gerokg endpoint stopped")
