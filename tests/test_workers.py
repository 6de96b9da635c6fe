"""The query workers' own code paths: Oxigraph's native result writers against the row-by-row
serialiser, the row limit on both, the in-memory copy of the store (made in the background), the pool's parse verdicts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from gerokg.querying.canned import bind_params, bind_query_text, list_queries
from gerokg.querying.sparql_check import QueryLimits
from gerokg.querying.workers import QueryPool, _execute, native_solutions, open_worker_store

SELECTS = [q for q in list_queries(include_qc=False) if q.form == "SELECT"]
FORMATS = ["json", "xml", "csv", "tsv"]


@pytest.fixture(scope="module")
def ox_store(release: Path):
    import pyoxigraph as ox

    st = ox.Store()
    st.bulk_load(path=str(release / "gerokg-full.nt"), format=ox.RdfFormat.N_TRIPLES)
    return st


@pytest.fixture(scope="module")
def store_folder(release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gerokg.serving.server import prepare_store

    path, _temporary, _n = prepare_store(tmp_path_factory.mktemp("worker-store") / "store",
                                         release / "gerokg-full.nt")
    return path


def rows_of(body: bytes, fmt: str) -> tuple[list[str], list[list[str | None]]]:
    """Variables and rows of an answer, every term in N-Triples syntax (CSV: its plain values)."""
    import pyoxigraph as ox

    if fmt == "csv":
        table = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        return table[0], [[v or None for v in row] for row in table[1:]]
    if fmt == "json":
        doc = json.loads(body)
        variables = doc["head"]["vars"]
        return variables, [[json.dumps(b[v], sort_keys=True) if v in b else None for v in variables]
                           for b in doc["results"]["bindings"]]
    parsed = ox.parse_query_results(body, format={"xml": ox.QueryResultsFormat.XML,
                                                  "tsv": ox.QueryResultsFormat.TSV}[fmt])
    variables = [v.value for v in parsed.variables]
    return variables, [[None if sol[v] is None else str(sol[v]) for v in variables] for sol in parsed]


def canned_text(q) -> str:  # type: ignore[no-untyped-def]
    return bind_query_text(q, bind_params(q, {}))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("query", SELECTS, ids=[q.name for q in SELECTS])
def test_native_writer_gives_the_rows_of_the_row_by_row_serialiser(ox_store, query, fmt: str) -> None:
    text = canned_text(query)
    native = _execute(ox_store, text, fmt, None, 10_000, QueryLimits())
    rowwise = _execute(ox_store, text, fmt, None, 10_000, QueryLimits(), native=False)
    assert native.status == rowwise.status == 200
    assert native.content_type == rowwise.content_type
    assert not native.truncated and not rowwise.truncated
    variables, rows = rows_of(native.body, fmt)
    assert (variables, rows) == rows_of(rowwise.body, fmt)
    assert rows, f"{query.name} answers no rows on the release"


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_the_row_bound_never_undercounts(ox_store, fmt: str) -> None:
    import pyoxigraph as ox

    from gerokg.querying.workers import _results_format, row_bound

    texts = [canned_text(q) for q in SELECTS] + [
        'SELECT ?x WHERE { VALUES ?x { "a{b}{" "<result>" "x\\ny" } }',  # braces, tags and a newline in literals
        "SELECT * WHERE { }", "SELECT ?x WHERE { FILTER (false) }"]
    for text in texts:
        body = ox_store.query(text).serialize(format=_results_format(fmt))
        rows = sum(1 for _ in ox.parse_query_results(body, format=_results_format(fmt)))
        bound = row_bound(body, fmt)
        assert bound >= rows, text
        if fmt != "json":
            assert bound == rows, text  # exact on XML and TSV


@pytest.mark.parametrize("fmt", FORMATS)
def test_row_limit_applies_to_native_answers(ox_store, fmt: str) -> None:
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    full = _execute(ox_store, text, fmt, None, 100_000, QueryLimits())
    cut = _execute(ox_store, text, fmt, None, 25, QueryLimits())
    assert not full.truncated and cut.truncated
    variables, rows = rows_of(cut.body, fmt)
    assert variables == ["s", "p", "o"] and len(rows) == 25
    assert rows == rows_of(full.body, fmt)[1][:25]
    if fmt == "json":
        assert json.loads(cut.body)["head"]["link"] == ["urn:gerokg:result-truncated"]
    # exactly at the limit: not cut
    n = len(rows_of(full.body, fmt)[1])
    assert not _execute(ox_store, text, fmt, None, n, QueryLimits()).truncated
    assert _execute(ox_store, text, fmt, None, n - 1, QueryLimits()).truncated


def test_an_answer_past_the_native_buffer_is_cut_row_by_row(ox_store) -> None:
    text = "SELECT ?s WHERE { ?s ?p ?o }"
    assert native_solutions(ox_store.query(text), "json", 10, max_bytes=1000) is None
    # the worker then runs the query again and cuts it itself
    from gerokg.querying import workers

    old = workers.NATIVE_BYTES_LIMIT
    workers.NATIVE_BYTES_LIMIT = 1000
    try:
        res = _execute(ox_store, text, "json", None, 10, QueryLimits())
    finally:
        workers.NATIVE_BYTES_LIMIT = old
    assert res.truncated and len(json.loads(res.body)["results"]["bindings"]) == 10


def test_in_memory_copy_holds_the_folder_s_quads_with_their_blank_nodes(store_folder: Path) -> None:
    import pyoxigraph as ox

    mem, copied = open_worker_store(str(store_folder), in_memory=True)
    disk, on_disk = open_worker_store(str(store_folder), in_memory=False)
    assert copied and not on_disk
    assert len(mem) == len(disk) > 9000
    assert {str(q) for q in mem} == {str(q) for q in disk}
    assert any(isinstance(q.subject, ox.BlankNode) for q in mem)  # the release's restrictions
    assert open_worker_store(str(store_folder))[1]  # a release-sized folder is copied by default


def test_a_worker_answers_from_the_folder_until_its_copy_is_made(store_folder: Path) -> None:
    import threading

    import pyoxigraph as ox

    from gerokg.querying.workers import _StoreHolder

    disk = ox.Store.read_only(str(store_folder))
    holder = _StoreHolder(disk)
    assert holder.store is disk and not holder.copied
    done, recapped = threading.Event(), []
    holder.copy_in_background(done, lambda: recapped.append(True)).join(120)
    assert done.is_set() and holder.copied and recapped == [True]
    assert holder.store is not disk
    assert {str(q) for q in holder.store} == {str(q) for q in disk}  # blank node labels included


@pytest.mark.parametrize("in_memory", [True, False])
def test_pool_reports_when_its_workers_answer_from_the_store_they_keep(store_folder: Path, in_memory: bool) -> None:
    text = ("SELECT ?label WHERE { <http://purl.obolibrary.org/obo/CHEBI_9168> "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")
    pool = QueryPool(store_folder, workers=2, in_memory=in_memory)
    try:
        first = pool.run(text, "json", None, 10, 30)  # ready: answered, copied or not yet
        assert pool.wait_settled(120)
        assert pool.settled() == (2, 2)
        again = pool.run(text, "json", None, 10, 30)
        assert json.loads(first.body) == json.loads(again.body)
        assert [b["label"]["value"] for b in json.loads(again.body)["results"]["bindings"]] == ["sirolimus"]
    finally:
        pool.close()


def test_pool_remembers_accepted_texts_only(store_folder: Path) -> None:
    pool = QueryPool(store_folder, workers=2)
    try:
        text = "ASK { <http://purl.obolibrary.org/obo/CHEBI_9168> ?p ?o }"
        answers = [pool.run(text, "json", None, 10, 30) for _ in range(3)]  # both workers, then one again
        assert [json.loads(a.body)["boolean"] for a in answers] == [True] * 3
        assert pool._verdicts == {text: "ASK"}
        update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
        service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
        for _ in range(2):  # refused by whichever worker gets it, every time
            assert pool.run(update, "json", None, 10, 30).status == 403
            assert pool.run(service, "json", None, 10, 30).status == 400
        assert set(pool._verdicts) == {text}
    finally:
        pool.close()


def test_connections_have_tcp_nodelay_and_keep_alive_answers_come_at_once(release: Path) -> None:
    """uvicorn writes an answer's head and body apart: without TCP_NODELAY the body of every
    keep-alive answer after the first waits for the client's delayed ACK."""
    import http.client
    import socket

    from gerokg.serving.server import EndpointConfig, start_server

    handle = start_server(EndpointConfig(port=0, workers=1), release=release / "gerokg-full.nt", web=False)
    try:
        host, port = handle.url.rsplit("//", 1)[1].rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        for _ in range(3):  # the same connection each time
            conn.request("GET", "/health")
            resp = conn.getresponse()
            assert resp.status == 200 and json.loads(resp.read())["status"] == "ok"
        open_sockets = [p.transport.get_extra_info("socket") for p in handle.server.server_state.connections]
        assert open_sockets
        assert all(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in open_sockets)
        conn.close()
    finally:
        handle.stop()


def test_the_server_loop_is_uvloop_when_installed() -> None:
    from gerokg.serving.httpproto import new_event_loop

    loop = new_event_loop()
    try:
        try:
            import uvloop
        except ImportError:
            assert type(loop).__module__.startswith("asyncio")
        else:
            assert isinstance(loop, uvloop.Loop)
    finally:
        loop.close()
