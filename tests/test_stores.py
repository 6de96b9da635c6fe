"""The canned queries on real triple stores (Oxigraph server, Virtuoso) loaded with gerokg publish.

Virtuoso is loaded twice: with gerokg-full.nt into one graph, and with gerokg-full.nq graph by
graph (:func:`gerokg.remote.publish_dataset`), queried with the release's graphs as the default
graph (their merge: the ontology, each import module, the claims).

Each store is started on 127.0.0.1 by the test, loaded through the SPARQL 1.1 Graph Store HTTP
Protocol with :func:`gerokg.remote.publish_release` (what ``gerokg publish`` does), queried with
SPARQLWrapper (what ``gerokg query --endpoint`` does), and stopped. Results must agree with the
embedded store, except for the differences listed, with their explanation, in KNOWN_DIFFERENCES.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from gerokg.query import list_queries, run_query
from gerokg.quads import CATALOGUE_GRAPH
from gerokg.remote import publish_dataset, publish_release, run_remote_query
from querytools import norm_rows
from servers import oxigraph_available, oxigraph_server, virtuoso_available, virtuoso_server

pytestmark = pytest.mark.server

QUERIES = [q for q in list_queries() if q.form == "SELECT"]
CONSTRUCTS = [q for q in list_queries() if q.form == "CONSTRUCT"]

#: (store, query) -> why its answer differs from the embedded store's
KNOWN_DIFFERENCES: dict[tuple[str, str], str] = {
}
#: queries on which Virtuoso, given the release's named graphs as several default-graph-uri
#: (their merge is the query's default graph), returns only part of the answer
PARTIAL_WITH_SEVERAL_DEFAULT_GRAPHS: dict[str, str] = {
    name: ("Virtuoso 7.2.5 loses rows of rdfs:subClassOf* paths when the default graph is the merge "
           "of several graphs (default-graph-uri given once per graph); the same data in one graph "
           "answers in full (the 'virtuoso' case); every row it returns is correct, and how many it "
           "loses varies between runs")
    for name in ("cancer-in-transplant-recipients", "mechanism-chains")
}


#: answers on Virtuoso 7.2.5 that differ since the re-curation and are not yet explained: each is an
#: open item (see the closing note of that release), not an accepted difference
NOT_YET_AGREEING: dict[str, str] = {
}
#: the same, only with the release as several default graphs (the N-Quads loaded graph by graph)
NOT_YET_AGREEING_NQ: dict[str, str] = {
}


@dataclasses.dataclass
class Loaded:
    """A started store, loaded, and the default graph(s) to query it with."""

    name: str
    query_url: str
    graph: str | list[str] | None
    variant: str
    server: Any


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso", "virtuoso-nq"])
def remote(request, release: Path, tmp_path_factory):
    name = request.param
    reason = oxigraph_available() if name == "oxigraph" else virtuoso_available()
    if reason:
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp(name)
    ctx = oxigraph_server(tmp) if name == "oxigraph" else virtuoso_server(tmp)
    with ctx as server:
        sent: list[tuple[int, int]] = []
        if name == "virtuoso-nq":
            statuses = publish_dataset(
                server.gsp_url, release / "gerokg-full.nq", user=server.user, password=server.password,
                auth=server.auth or "basic", graph_param="graph-uri",
                progress=lambda done, total: sent.append((done, total)))
            graphs = sorted(g for g in statuses if g != CATALOGUE_GRAPH)
            # one upload per named graph: ontology, bridge module, eight import modules, claims, catalogue
            assert len(statuses) == 12 and "https://w3id.org/gerokg/imports/go_import.owl" in graphs
            assert "https://w3id.org/gerokg/gerokg-bridge.owl" in graphs
            assert set(statuses.values()) <= {200, 201, 204}
            assert [d for d, _ in sent] == sorted(d for d, _ in sent)
            yield Loaded(server.name, server.query_url, graphs, name, server)
            return
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
        yield Loaded(server.name, server.query_url, server.graph, name, server)


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_query_agrees_with_the_embedded_store(remote, query, store) -> None:
    key = (remote.name, query.name)
    local = run_query(query, store)
    try:
        answer = run_remote_query(query, remote.query_url, default_graph=remote.graph)
    except Exception:
        if remote.name == "virtuoso" and query.name in NOT_YET_AGREEING:
            pytest.xfail(NOT_YET_AGREEING[query.name])
        raise
    if remote.variant == "virtuoso-nq" and query.name in PARTIAL_WITH_SEVERAL_DEFAULT_GRAPHS:
        got, full = set(norm_rows(local.variables, answer.rows)), set(norm_rows(local.variables, local.rows))
        assert got <= full  # never a wrong row; some runs answer in full
        if got != full:
            pytest.xfail(PARTIAL_WITH_SEVERAL_DEFAULT_GRAPHS[query.name])
    if key in KNOWN_DIFFERENCES:
        assert set(norm_rows(local.variables, local.rows)) <= set(norm_rows(local.variables, answer.rows))
        pytest.xfail(KNOWN_DIFFERENCES[key])
    if remote.name == "virtuoso" and query.name in NOT_YET_AGREEING and (
            norm_rows(local.variables, answer.rows) != norm_rows(local.variables, local.rows)):
        pytest.xfail(NOT_YET_AGREEING[query.name])
    if remote.variant == "virtuoso-nq" and query.name in NOT_YET_AGREEING_NQ and (
            norm_rows(local.variables, answer.rows) != norm_rows(local.variables, local.rows)):
        pytest.xfail(NOT_YET_AGREEING_NQ[query.name])
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


def test_nquads_land_in_their_named_graphs(remote, release: Path) -> None:
    """Each graph of gerokg-full.nq holds, in the store, exactly the triples the file gives it."""
    if remote.variant != "virtuoso-nq":
        pytest.skip("loaded from N-Triples into one graph")
    from gerokg.quads import split_nquads
    from servers import select_bindings

    expected = {g: len(b.splitlines()) for g, b in split_nquads(release / "gerokg-full.nq").items()}
    rows = select_bindings(
        remote.server,
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER (STRSTARTS(STR(?g), 'https://w3id.org/gerokg/')) } GROUP BY ?g")
    got = {r["g"]["value"]: int(r["n"]["value"]) for r in rows}
    assert got == expected


def test_a_release_with_named_graphs_serves_their_union(release, tmp_path) -> None:
    """gerokg-full.nq keeps the release's parts apart; served, its default graph is their union
    (without the query catalogue), the same triples as gerokg-full.nt."""
    from gerokg.store import open_store

    nq = open_store(release / "gerokg-full.nq", location=tmp_path / "nq")
    nt = open_store(release / "gerokg-full.nt", location=tmp_path / "nt")
    assert nq.default_graph_size() == nt.default_graph_size() > 9000
    ask = "ASK { <http://purl.obolibrary.org/obo/CHEBI_9168> <http://www.w3.org/2000/01/rdf-schema#label> 'sirolimus' }"
    assert bool(nq.ox.query(ask))
