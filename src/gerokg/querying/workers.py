"""The query workers of ``gerokg serve``: sandboxed processes that run SPARQL on a read-only store.

Each worker, at start, cuts itself off the network (:mod:`gerokg.sandbox`), opens the store
read-only and is ready: it answers from the folder at once. When the folder is small enough
(:data:`MEMORY_COPY_LIMIT`) it then copies the store into memory in the background and answers
from the copy once it is complete (queries on Oxigraph's in-memory store run three to four times
faster than on its RocksDB files; the folder itself is never written), so a restart on a big
store answers its first query in about a second instead of after the copy. Its heap is capped at
its start-up size plus the per-query memory budget (plus room for the copy while it is made).

For each request it parses the text (:mod:`gerokg.sparql_check`: SERVICE, updates, length and
depth are refused before the engine sees the query; the pool remembers the verdict on a text any
of its workers accepted, so a text is parsed once per pool, not once per worker), runs it with
Oxigraph and serialises at most ``limit`` rows (or triples) in the negotiated format. SELECT
results are written by Oxigraph's own serialisers, in Rust, into a bounded buffer; only an answer
that may hold more rows than ``limit`` is read back to be cut.

A query that runs past the timeout is stopped by ending its worker; one that needs more memory
than the budget makes its worker abort; in both cases the pool starts a new worker and the
client gets a 503 that says which limit was hit. Other clients keep being served.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from gerokg.errors import QueryTimeout
from gerokg.querying.sparql_check import QueryLimits, QueryRefused, analyse

__all__ = ["GRAPH_FORMATS", "MEMORY_COPY_LIMIT", "SELECT_FORMATS", "QueryPool", "QueryResult", "QueryTimeout",
           "WorkerLimits"]

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


#: a store folder up to this many bytes is copied into each worker's memory (``in_memory=None``)
MEMORY_COPY_LIMIT = 1 << 30
#: a SELECT answer written natively may grow to this many bytes before the worker gives up on
#: the native writer and cuts the answer at the row limit itself
NATIVE_BYTES_LIMIT = 16 << 20


def row_bound(body: bytes, fmt: str) -> int:
    """At least as many as the rows of an answer Oxigraph wrote in ``fmt`` (JSON, XML or TSV),
    counted on the bytes: every JSON row is an object (the document, its head and its results are
    three more; a brace in a string only raises the bound), every XML row a ``<result>`` element
    (text escapes ``<``), every TSV row a line after the header."""
    if fmt == "xml":
        return body.count(b"<result>")
    if fmt == "tsv":
        return max(0, body.count(b"\n") - 1)
    return max(0, body.count(b"{") - 3)


@dataclass(frozen=True)
class WorkerLimits:
    """What one query may use."""

    query: QueryLimits = QueryLimits()
    #: heap a query may add to its worker, in MiB (0: no cap)
    memory_mb: int = 1024


@dataclass(frozen=True)
class QueryResult:
    """One answer of a worker."""

    status: int
    body: bytes
    content_type: str
    truncated: bool = False
    #: SELECT, ASK, CONSTRUCT or DESCRIBE ("" when the query was refused)
    form: str = ""


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
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]}}
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
            for v, t in zip(variables, row, strict=True):
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
        import pyoxigraph as ox

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        for row in rows:  # blank nodes as _:label, as SPARQL 1.1 CSV (and Oxigraph's writer) has them
            w.writerow(["" if t is None else f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value for t in row])
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


class _AnswerTooLarge(Exception):
    """The native writer passed :data:`NATIVE_BYTES_LIMIT`."""


class _BoundedBuffer:
    """A binary writer for Oxigraph's serialisers that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _AnswerTooLarge()
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return self.parts[0] if len(self.parts) == 1 else b"".join(self.parts)


def _results_format(fmt: str) -> Any:
    import pyoxigraph as ox

    return {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
            "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[fmt]


def native_solutions(solutions: Any, fmt: str, limit: int, max_bytes: int = NATIVE_BYTES_LIMIT
                     ) -> tuple[bytes, bool] | None:
    """SELECT ``solutions`` (a pyoxigraph ``QuerySolutions``) written by Oxigraph in ``fmt``,
    cut at ``limit`` rows: (body, truncated), or None when the answer passed ``max_bytes`` (the
    solutions are then spent; the caller runs the query again row by row).

    CSV cannot be read back (it drops datatypes and languages), so it is written as JSON first and
    converted by Oxigraph once the row count is known.
    """
    import pyoxigraph as ox

    carrier = "json" if fmt == "csv" else fmt
    variables = [v.value for v in solutions.variables]
    out = _BoundedBuffer(max_bytes)
    try:
        solutions.serialize(out, format=_results_format(carrier))
    except _AnswerTooLarge:
        return None
    except OSError as exc:  # the writer's exception, as Oxigraph reports it
        if isinstance(exc.__cause__ or exc.__context__, _AnswerTooLarge) or out.size > out.limit:
            return None
        raise
    body = out.getvalue()
    def parsed() -> Any:
        return ox.parse_query_results(body, format=_results_format(carrier))

    # rows are counted by parsing the answer back only when the bytes cannot rule out a cut
    cut = row_bound(body, carrier) > limit and sum(1 for _ in itertools.islice(parsed(), limit + 1)) > limit
    if cut:
        rows = [[sol[v] for v in variables] for sol in itertools.islice(parsed(), limit)]
        return serialize_solutions(variables, rows, fmt, True), True
    if carrier != fmt:
        body = parsed().serialize(format=_results_format(fmt)) or b""
    return body, False


# --------------------------------------------------------------------------------------------
# The worker process
# --------------------------------------------------------------------------------------------


def _folder_size(path: str) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.path.getsize(os.path.join(root, name))
    return total


def wants_copy(folder_bytes: int, in_memory: bool | None = None) -> bool:
    """Whether a worker copies a store folder of ``folder_bytes`` into memory: ``in_memory``, or
    when it is None, whether the folder is at most :data:`MEMORY_COPY_LIMIT` bytes."""
    return folder_bytes <= MEMORY_COPY_LIMIT if in_memory is None else in_memory


#: quads the in-memory copy takes at a time: between two batches the copying thread lets the
#: worker's query thread run (one batch holds the interpreter for a few milliseconds)
COPY_BATCH = 2000


def memory_copy(disk: Any) -> Any:
    """An in-memory store holding the quads of ``disk``, blank nodes kept as they are in the
    folder (quad by quad: a parser would give them new labels), copied in batches of
    :data:`COPY_BATCH` so that a query waits for one batch at most, not for the whole copy."""
    import pyoxigraph as ox

    mem = ox.Store()
    quads = iter(disk)
    while True:
        batch = list(itertools.islice(quads, COPY_BATCH))
        if not batch:
            return mem
        mem.extend(batch)
        time.sleep(0)  # give the interpreter to a waiting query


def open_worker_store(store_path: str, in_memory: bool | None = None) -> tuple[Any, bool]:
    """The store a worker queries in the end: the folder opened read-only, or (see
    :func:`wants_copy`) an in-memory copy of it. Returns (store, whether it is the copy)."""
    import pyoxigraph as ox

    disk = ox.Store.read_only(store_path)
    if not wants_copy(_folder_size(store_path), in_memory):
        return disk, False
    return memory_copy(disk), True


class _StoreHolder:
    """The store a worker answers from: the folder until the in-memory copy is complete."""

    def __init__(self, disk: Any) -> None:
        self.store = disk
        self.copied = False

    def copy_in_background(self, done: Any, recap: Any) -> threading.Thread:
        def run() -> None:
            try:
                mem = memory_copy(self.store)
            except MemoryError:  # no room for the copy: the worker keeps answering from the folder
                pass
            else:
                self.store, self.copied = mem, True  # one assignment: the next query uses the copy
            recap()
            done.set()

        thread = threading.Thread(target=run, name="gerokg-memory-copy", daemon=True)
        thread.start()
        return thread


def _worker_main(conn: Any, store_path: str, limits: WorkerLimits, in_memory: bool | None = None,
                 copied: Any = None) -> None:
    """Confine this process, open the store read-only, start its in-memory copy (when wanted; the
    worker answers from the folder meanwhile and sets ``copied``, an event, once it answers from
    the store it keeps: the copy, or the folder when there was no room for one), then run queries
    sent over ``conn``."""
    import pyoxigraph as ox

    from gerokg.querying.sandbox import confine_network, limit_memory

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    confinement = confine_network()
    holder = _StoreHolder(ox.Store.read_only(store_path))
    folder_bytes = _folder_size(store_path)
    copy = wants_copy(folder_bytes, in_memory)
    # warm the parser and the engine before the cap, so the budget is all the query's
    with contextlib.suppress(Exception):
        analyse("ASK { ?s ?p ?o }", limits.query)
        holder.store.query("ASK { ?s ?p ?o }")
    budget = limits.memory_mb << 20
    # while the copy is made, the cap leaves room for it too (an in-memory store takes a few
    # times its folder's size); once it is made, the cap is the heap then plus the budget
    cap = limit_memory(budget + (max(16 * folder_bytes, 512 << 20) if copy and budget else 0))
    conn.send(("ready", confinement, cap))
    if copy:
        holder.copy_in_background(copied if copied is not None else threading.Event(),
                                  lambda: limit_memory(budget))
    elif copied is not None:
        copied.set()  # nothing to copy: the worker answers from what it will keep
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        text, select_fmt, graph_fmt, limit, form = msg
        store = holder.store
        try:
            conn.send(_execute(store, text, select_fmt, graph_fmt, limit, limits.query, form))
        except MemoryError:
            # Python's side ran out (serialising a huge answer): say so, then end this worker
            with contextlib.suppress(Exception):
                conn.send(QueryResult(503, _memory_message(limits).encode(), "text/plain; charset=utf-8"))
            return
        except Exception as exc:  # noqa: BLE001 - every engine error becomes an HTTP answer
            conn.send(QueryResult(400, f"query failed: {exc}".encode(), "text/plain; charset=utf-8"))


def _memory_message(limits: WorkerLimits) -> str:
    return (f"the query needed more than {limits.memory_mb} MB of memory (the endpoint's limit per "
            "query) and was stopped; its worker was replaced")


def _execute(store: Any, text: str, select_fmt: str | None, graph_fmt: str | None, limit: int,
             query_limits: QueryLimits, form: str | None = None, native: bool = True) -> QueryResult:
    """Run one query. ``form``: the parse check's verdict when the pool already has it for this
    text (else the text is checked here); ``native``: SELECT answers written by Oxigraph."""
    import pyoxigraph as ox

    if form is None:
        try:
            form = analyse(text, query_limits)
        except QueryRefused as exc:
            return QueryResult(exc.status, exc.message.encode(), "text/plain; charset=utf-8")
    try:
        res = store.query(text)
    except SyntaxError as exc:
        return QueryResult(400, f"SPARQL syntax error: {exc}".encode(), "text/plain; charset=utf-8")
    if isinstance(res, ox.QueryBoolean):
        f = select_fmt if select_fmt in SELECT_FORMATS else "json"
        return QueryResult(200, serialize_boolean(bool(res), f), SELECT_FORMATS[f], False, form)
    if isinstance(res, ox.QuerySolutions):
        f = select_fmt if select_fmt in SELECT_FORMATS else "json"
        if native:
            answer = native_solutions(res, f, limit)
            if answer is not None:
                return QueryResult(200, answer[0], SELECT_FORMATS[f], answer[1], form)
            res = store.query(text)  # a very large answer: cut it row by row instead
        variables = [v.value for v in res.variables]
        rows: list[list[Any]] = []
        truncated = False
        for sol in res:
            if len(rows) >= limit:
                truncated = True
                break
            rows.append([sol[v] for v in variables])
        return QueryResult(200, serialize_solutions(variables, rows, f, truncated), SELECT_FORMATS[f], truncated, form)
    f = graph_fmt if graph_fmt in GRAPH_FORMATS else "turtle"
    triples: list[Any] = []
    truncated = False
    for t in res:
        if len(triples) >= limit:
            truncated = True
            break
        triples.append(t)
    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                  "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}[f]
    body = ox.serialize(triples, format=rdf_format)
    return QueryResult(200, body or b"", GRAPH_FORMATS[f], truncated, form)


# --------------------------------------------------------------------------------------------
# The pool
# --------------------------------------------------------------------------------------------


class _Worker:
    def __init__(self, ctx: Any, store_path: str, limits: WorkerLimits, in_memory: bool | None = None) -> None:
        self.conn, child = ctx.Pipe()
        #: set by the worker once it answers from the store it keeps (its in-memory copy, or the
        #: folder when it makes none)
        self.settled = ctx.Event()
        self.proc = ctx.Process(target=_worker_main, args=(child, store_path, limits, in_memory, self.settled),
                                daemon=True, name="gerokg-query-worker")
        self.proc.start()
        child.close()
        self.confinement: Any = None
        self.ready = False

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        if not self.conn.poll(timeout):
            raise QueryTimeout(f"a query worker did not start within {timeout:g} s")
        try:
            _tag, self.confinement, _cap = self.conn.recv()
        except (EOFError, OSError):
            raise QueryTimeout(f"a query worker failed to start (exit code {self.proc.exitcode})") from None
        self.ready = True

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
    """Worker processes that run queries with a timeout and a memory budget; a worker stopped by
    a limit is replaced.

    :param in_memory: each worker queries an in-memory copy of the store (True), the folder
        itself (False), or a copy when the folder is at most :data:`MEMORY_COPY_LIMIT` bytes (None);
        a worker is ready as soon as the folder is open and answers from it until its copy is
        made (:meth:`settled`, :meth:`wait_settled`)
    """

    #: verdicts of the parse check the pool remembers (text -> query form)
    VERDICTS = 1024

    def __init__(self, store_path: str | Path, workers: int = 2, limits: WorkerLimits | None = None,
                 in_memory: bool | None = None) -> None:
        self.store_path = str(store_path)
        self.limits = limits or WorkerLimits()
        self.in_memory = in_memory
        #: texts a worker of this pool accepted, with their form: sent along so that no other
        #: worker parses them again (the workers are this process's own children)
        self._verdicts: dict[str, str] = {}
        self.ctx = mp.get_context("spawn")
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.size = max(1, workers)
        self._closed = False
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self.replaced = 0
        started = [self._add() for _ in range(self.size)]
        for w in started:
            w.wait_ready(120)
        self.confinement = started[0].confinement

    def _add(self) -> _Worker:
        w = _Worker(self.ctx, self.store_path, self.limits, self.in_memory)
        with self._lock:
            self._all.add(w)
        self.idle.put(w)
        return w

    def run(self, text: str, select_fmt: str | None, graph_fmt: str | None, limit: int,
            timeout: float) -> QueryResult:
        """Run ``text`` on an idle worker; raises :class:`QueryTimeout` when a limit stops it."""
        deadline = time.monotonic() + timeout
        try:
            w = self.idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(f"all {self.size} query workers stayed busy for {timeout:g} s") from None
        try:
            w.wait_ready(max(0.1, deadline - time.monotonic()))
            w.conn.send((text, select_fmt, graph_fmt, limit, self._verdicts.get(text)))
            if not w.conn.poll(max(0.0, deadline - time.monotonic())):
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            result: QueryResult = w.conn.recv()
        except QueryTimeout:
            self._replace(w)
            raise
        except (EOFError, OSError):
            w.proc.join(5)
            code = w.proc.exitcode
            self._replace(w)
            if code == -signal.SIGABRT and self.limits.memory_mb:
                raise QueryTimeout(_memory_message(self.limits)) from None
            raise QueryTimeout(f"the query worker died (exit code {code}); it was replaced") from None
        if result.status == 503:  # the worker ran out of memory and is ending
            self._replace(w)
            return result
        self.idle.put(w)
        if result.form and text not in self._verdicts:
            with self._lock:
                if len(self._verdicts) >= self.VERDICTS:
                    self._verdicts.pop(next(iter(self._verdicts)))
                self._verdicts[text] = result.form
        return result

    def _replace(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.stop(force=True)
        self.replaced += 1
        if not self._closed:
            self._add()

    def settled(self) -> tuple[int, int]:
        """(workers answering from the store they keep, workers): the first is smaller while
        in-memory copies are being made."""
        with self._lock:
            workers = list(self._all)
        return sum(1 for w in workers if w.settled.is_set()), len(workers)

    def wait_settled(self, timeout: float) -> bool:
        """Wait until every worker answers from the store it keeps; False after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            done, total = self.settled()
            if done == total:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()
