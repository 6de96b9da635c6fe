"""The served endpoint: SPARQL 1.1 Protocol, canned queries over HTTP, read-only, limits, timeouts."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from gerokg.querying.canned import list_queries, run_query
from gerokg.serving.server import EndpointConfig, start_server

from querytools import norm_rows

pytestmark = pytest.mark.server

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None,
         timeout: float = 60) -> tuple[int, Any, bytes]:
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with OPENER.open(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()  # case-insensitive, as HTTP field names are
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


@pytest.fixture(scope="module")
def endpoint(release: Path):
    cfg = EndpointConfig(host="127.0.0.1", port=0, timeout=3.0, max_rows=500, workers=2)
    handle = start_server(cfg, release=release / "gerokg-full.nt")
    yield handle.url
    handle.stop()


def test_health_and_catalogue(endpoint) -> None:
    status, _, body = http("GET", f"{endpoint}/health")
    assert status == 200 and json.loads(body)["triples"] > 9000
    status, _, body = http("GET", f"{endpoint}/queries")
    names = {q["name"] for q in json.loads(body)}
    assert names == {q.name for q in list_queries()}
    status, headers, body = http("GET", f"{endpoint}/catalogue.ttl")
    assert status == 200 and b"sh:SPARQLSelectExecutable" in body


def test_sparqlwrapper_select(endpoint) -> None:
    sw = SPARQLWrapper(f"{endpoint}/sparql")
    sw.setQuery("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                "SELECT ?l WHERE { <http://purl.obolibrary.org/obo/CHEBI_9168> rdfs:label ?l }")
    sw.setReturnFormat(JSON)
    doc = sw.query().convert()
    assert [b["l"]["value"] for b in doc["results"]["bindings"]] == ["sirolimus"]


@pytest.mark.parametrize(("accept", "needle"), [
    ("application/sparql-results+json", b'"bindings"'),
    ("application/sparql-results+xml", b"<sparql"),
    ("text/csv", b"l\r\nsirolimus"),
    ("text/tab-separated-values", b'?l\n"sirolimus"'),
])
def test_content_negotiation_select(endpoint, accept: str, needle: bytes) -> None:
    q = urllib.parse.quote("SELECT ?l WHERE { <http://purl.obolibrary.org/obo/CHEBI_9168> <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    status, headers, body = http("GET", f"{endpoint}/sparql?query={q}", headers={"Accept": accept})
    assert status == 200, body
    assert headers["Content-Type"].startswith(accept)
    assert needle in body


@pytest.mark.parametrize(("accept", "needle"), [
    ("text/turtle", b"sirolimus"),
    ("application/n-triples", b"<http://purl.obolibrary.org/obo/CHEBI_9168>"),
    ("application/ld+json", b"@id"),
])
def test_content_negotiation_construct(endpoint, accept: str, needle: bytes) -> None:
    text = ("CONSTRUCT { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE { "
            "BIND (<http://purl.obolibrary.org/obo/CHEBI_9168> AS ?s) ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    status, headers, body = http("POST", f"{endpoint}/sparql", text.encode(),
                                 {"Content-Type": "application/sparql-query", "Accept": accept})
    assert status == 200, body
    assert headers["Content-Type"].startswith(accept)
    assert needle in body


@pytest.mark.parametrize("query", [q for q in list_queries(include_qc=False) if q.form == "SELECT"],
                         ids=[q.name for q in list_queries(include_qc=False) if q.form == "SELECT"])
def test_every_canned_query_over_http_matches_the_embedded_store(endpoint, query, store) -> None:
    from gerokg.querying.remote import run_remote_query

    local = run_query(query, store)
    remote = run_remote_query(query, f"{endpoint}/sparql")
    assert remote.variables == local.variables
    assert norm_rows(local.variables, remote.rows) == norm_rows(local.variables, local.rows)


def test_canned_query_route_with_parameters(endpoint) -> None:
    status, headers, body = http("GET", f"{endpoint}/queries/quantitative-findings?organism=NCBITaxon:10090&format=csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = body.decode().strip().splitlines()
    assert len(rows) == 4 and "by more than 30%" in body.decode()  # '1 week after' is a timing, not a quantity
    status, _, body = http("GET", f"{endpoint}/queries/claims-citing-reference?ref=118", headers={"Accept": "application/json"})
    ids = [b["claim"]["value"].rsplit("/", 1)[1] for b in json.loads(body)["results"]["bindings"]]
    assert ids == ["C0199", "C0203", "C0204"]
    status, _, body = http("GET", f"{endpoint}/queries/term-participation?term=FOO:1")
    assert status == 400 and b"not a CURIE with a known prefix" in body
    status, _, body = http("GET", f"{endpoint}/queries/no-such-query")
    assert status == 404
    status, _, body = http("GET", f"{endpoint}/queries/gerosuppressants.rq")
    assert status == 200 and body.startswith(b"#+ id: gerosuppressants")


def test_read_only_on_every_route(endpoint) -> None:
    before = json.loads(http("GET", f"{endpoint}/health")[2])["triples"]
    update = b"INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    assert http("POST", f"{endpoint}/sparql", update, {"Content-Type": "application/sparql-update"})[0] == 403
    form = urllib.parse.urlencode({"update": update.decode()}).encode()
    assert http("POST", f"{endpoint}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    as_query = urllib.parse.urlencode({"query": update.decode()}).encode()
    assert http("POST", f"{endpoint}/sparql", as_query, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    for route in ("/store?default", "/data", "/sparql"):
        assert http("PUT", f"{endpoint}{route}", b"<a> <b> <c> .", {"Content-Type": "application/n-triples"})[0] in (403, 405)
    assert http("DELETE", f"{endpoint}/store?default")[0] == 403
    assert json.loads(http("GET", f"{endpoint}/health")[2])["triples"] == before


def test_service_is_refused(endpoint) -> None:
    q = urllib.parse.quote("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    status, _, body = http("GET", f"{endpoint}/sparql?query={q}")
    assert status == 400 and b"SERVICE" in body


def test_result_limit_is_announced(endpoint) -> None:
    q = urllib.parse.quote("SELECT ?s WHERE { ?s ?p ?o }")
    status, headers, body = http("GET", f"{endpoint}/sparql?query={q}&format=json")
    assert status == 200
    assert headers.get("X-Result-Truncated") == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 500


def test_runaway_query_times_out_while_others_are_served(endpoint) -> None:
    runaway = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    result: dict[str, object] = {}

    def slow() -> None:
        t = time.monotonic()
        result["status"], _, result["body"] = http("GET", f"{endpoint}/sparql?query={runaway}")
        result["seconds"] = time.monotonic() - t

    th = threading.Thread(target=slow)
    th.start()
    time.sleep(0.3)
    served = []
    q = urllib.parse.quote("ASK { <http://purl.obolibrary.org/obo/CHEBI_9168> ?p ?o }")
    for _ in range(5):
        status, _, body = http("GET", f"{endpoint}/sparql?query={q}", timeout=10)
        served.append((status, json.loads(body).get("boolean")))
    th.join(30)
    assert served == [(200, True)] * 5
    assert result["status"] == 503 and b"longer than 3 s" in result["body"]  # type: ignore[operator]
    assert 2.5 < result["seconds"] < 10  # type: ignore[operator]
    # the pool replaced the stopped worker: queries keep working
    assert http("GET", f"{endpoint}/sparql?query={q}")[0] == 200


def test_bad_requests(endpoint) -> None:
    # GET /sparql without a query is the service description now (it was a 400), see
    # test_service_description_and_void_describe_the_store
    assert http("GET", f"{endpoint}/sparql?format=nope")[0] == 400
    q = urllib.parse.quote("SELECT ?s WHERE { ?s ?p }")
    status, _, body = http("GET", f"{endpoint}/sparql?query={q}")
    assert status == 400 and b"syntax" in body.lower()
    big = b"x" * (2 << 20)
    assert http("POST", f"{endpoint}/sparql", big, {"Content-Type": "application/sparql-query"})[0] == 413
    assert http("GET", f"{endpoint}/nowhere")[0] == 404
    assert http("POST", f"{endpoint}/sparql", b"query", {"Content-Type": "text/plain"})[0] == 415


def test_unbounded_property_path_is_stopped(endpoint) -> None:
    # three chained closures: two finish in under 2 s on the workers' in-memory copy of the store
    q = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?a (!<http://example.org/none>)* ?b . "
                           "?b (!<http://example.org/none>)* ?c . ?c (!<http://example.org/none>)* ?d }")
    status, _, body = http("GET", f"{endpoint}/sparql?query={q}")
    assert status == 503 and b"longer than" in body


def test_random_sparql_text_gets_an_answer_or_a_400(endpoint) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(["SELECT", "*", "WHERE", "{", "}", "?s", "?p", "?o", ".", "FILTER", "(", ")",
                              "<http://example.org/a>", '"x"', "LIMIT", "10", "OPTIONAL", "UNION", "#", "\n",
                              "INSERT", "DATA", "SERVICE", "ASK", "CONSTRUCT", "'", "\\", "GRAPH", "VALUES"])

    @given(st.lists(pieces, max_size=25))
    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    def check(tokens: list[str]) -> None:
        text = " ".join(tokens)
        body = urllib.parse.urlencode({"query": text}).encode()
        status, _, payload = http("POST", f"{endpoint}/sparql", body,
                                  {"Content-Type": "application/x-www-form-urlencoded"})
        assert status in (200, 400, 403, 503), (text, status, payload[:200])
        if status != 200:
            assert json.loads(payload)["error"]

    check()


def test_service_description_and_void_describe_the_store(endpoint, release: Path) -> None:
    """GET /sparql without a query and /.well-known/void answer RDF that rdflib reads, in Turtle
    and JSON-LD, with counts that match the store."""
    from rdflib import Graph, Namespace
    from rdflib.namespace import RDF

    sd_ns, void_ns = Namespace("http://www.w3.org/ns/sparql-service-description#"), Namespace("http://rdfs.org/ns/void#")
    status, headers, body = http("GET", f"{endpoint}/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    sd = Graph().parse(data=body, format="turtle")
    service = next(sd.subjects(RDF.type, sd_ns.Service))
    assert str(sd.value(service, sd_ns.endpoint)) == f"{endpoint}/sparql"
    q = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    n = int(json.loads(http("GET", f"{endpoint}/sparql?query={q}")[2])["results"]["bindings"][0]["n"]["value"])
    assert n in {int(t) for t in sd.objects(None, void_ns.triples)}
    status, headers, body = http("GET", f"{endpoint}/.well-known/void", headers={"Accept": "application/ld+json"})
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    void = Graph().parse(data=body, format="json-ld")
    assert n in {int(t) for t in void.objects(None, void_ns.triples)}
    assert any(True for _ in void.subjects(RDF.type, void_ns.Dataset))


def test_cors_preflight_for_the_read_only_methods(endpoint) -> None:
    status, headers, _ = http("OPTIONS", f"{endpoint}/sparql", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()
    status, _, _ = http("OPTIONS", f"{endpoint}/sparql", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "PUT"})
    assert status == 400  # not a read-only method


@pytest.mark.parametrize(("path", "accept", "ctype", "fmt"), [
    ("/term/CHEBI:9168", "text/turtle", "text/turtle", "turtle"),
    ("/term/CHEBI:9168.ttl", "*/*", "text/turtle", "turtle"),
    ("/term/CHEBI:9168", "application/ld+json", "application/ld+json", "json-ld"),
    ("/term/CHEBI:9168.nt", "*/*", "application/n-triples", "nt"),
    ("/claim/C0197", "text/turtle", "text/turtle", "turtle"),
    ("/claim/C0197.jsonld", "*/*", "application/ld+json", "json-ld"),
])
def test_term_and_claim_iris_dereference_to_rdf(endpoint, path: str, accept: str, ctype: str, fmt: str) -> None:
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDFS

    status, headers, body = http("GET", f"{endpoint}{path}", headers={"Accept": accept})
    assert status == 200, body[:200]
    assert headers["Content-Type"].startswith(ctype)
    g = Graph().parse(data=body, format=fmt)
    if path.startswith("/term/"):
        assert str(g.value(URIRef("http://purl.obolibrary.org/obo/CHEBI_9168"), RDFS.label)) == "sirolimus"
    else:
        assert (URIRef("https://w3id.org/gerokg/claim/C0197"), None, None) in g


def test_native_iri_paths_and_missing_terms(endpoint) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())
    req = urllib.request.Request(f"{endpoint}/GEROKG_0000006", headers={"Accept": "text/turtle"})
    with pytest.raises(urllib.error.HTTPError) as err:
        opener.open(req, timeout=30)
    assert err.value.code == 303 and err.value.headers["Location"] == "/term/GEROKG:0000006.ttl"
    status, headers, body = http("GET", f"{endpoint}/GEROKG_0000006", headers={"Accept": "text/turtle"})
    assert status == 200 and b"GEROKG:0000006" in body
    status, _, body = http("GET", f"{endpoint}/term/CHEBI:0000000.ttl")
    assert status == 404 and json.loads(body)["status"] == 404


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None
