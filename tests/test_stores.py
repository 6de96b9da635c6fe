"""The canned queries on real triple stores (Oxigraph server, Virtuoso) loaded with gerokg publish.

Each store is started on 127.0.0.1 by the test, loaded through the SPARQL 1.1 Graph Store HTTP
Protocol with :func:`gerokg.remote.publish_release` (what ``gerokg publish`` does), queried with
SPARQLWrapper (what ``gerokg query --endpoint`` does), and stopped. Results must agree with the
embedded store, except for the differences listed, with their explanation, in KNOWN_DIFFERENCES.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gerokg.query import list_queries, run_query
from gerokg.remote import publish_release, run_remote_query
from querytools import norm_rows
from servers import oxigraph_available, oxigraph_server, virtuoso_available, virtuoso_server

pytestmark = pytest.mark.server

QUERIES = [q for q in list_queries() if q.form == "SELECT"]
CONSTRUCTS = [q for q in list_queries() if q.form == "CONSTRUCT"]

#: (store, query) -> why its answer differs from the embedded store's
KNOWN_DIFFERENCES: dict[tuple[str, str], str] = {
    ("virtuoso", "alignment-table"): (
        "Virtuoso 7.2.5 ignores FILTER (STRSTARTS(STR(?term), ...)) when ?term starts a "
        "rdfs:subClassOf* path, and so also lists HGNC and ChEBI classes under native parents; "
        "the answer holds every correct row plus those (a BIND/UNION rewrite did not avoid it)"),
}


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def remote(request, release: Path, tmp_path_factory):
    name = request.param
    reason = oxigraph_available() if name == "oxigraph" else virtuoso_available()
    if reason:
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp(name)
    ctx = oxigraph_server(tmp) if name == "oxigraph" else virtuoso_server(tmp)
    with ctx as server:
        sent: list[tuple[int, int]] = []
        status = publish_release(
            server.gsp_url, release / "gerokg-full.nt", graph=server.graph, user=server.user,
            password=server.password, auth=server.auth or "basic",
            graph_param="graph-uri" if name == "virtuoso" else "graph",
            progress=lambda done, total: sent.append((done, total)))
        assert status in (200, 201, 204)
        # the upload reported its progress, chunk by chunk, up to the whole file
        size = (release / "gerokg-full.nt").stat().st_size
        assert len(sent) > 10 and sent[-1] == (size, size)
        assert [d for d, _ in sent] == sorted(d for d, _ in sent)
        yield server


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_query_agrees_with_the_embedded_store(remote, query, store) -> None:
    key = (remote.name, query.name)
    local = run_query(query, store)
    answer = run_remote_query(query, remote.query_url, default_graph=remote.graph)
    if key in KNOWN_DIFFERENCES:
        assert set(norm_rows(local.variables, local.rows)) <= set(norm_rows(local.variables, answer.rows))
        pytest.xfail(KNOWN_DIFFERENCES[key])
    assert answer.variables == local.variables
    assert norm_rows(local.variables, answer.rows) == norm_rows(local.variables, local.rows)


@pytest.mark.parametrize("query", CONSTRUCTS, ids=[q.name for q in CONSTRUCTS])
def test_construct_agrees(remote, query, store) -> None:
    local = run_query(query, store)
    answer = run_remote_query(query, remote.query_url, default_graph=remote.graph)
    def key(t):
        return tuple(getattr(x, "value", str(x)) for x in t)
    assert sorted(str(key(t)) for t in answer.triples) == sorted(str(key(t)) for t in local.triples)


def test_parameterised_query_on_the_store(remote) -> None:
    mice = run_remote_query("quantitative-findings", remote.query_url, {"organism": "NCBITaxon:10090"},
                            default_graph=remote.graph)
    # '1 week after' is a timing, not a quantity (ontology/MODELLING.md, section 8)
    assert sorted(mice.column("quantityText")) == ["10-fold", "by 90%", "by more than 30%"]
