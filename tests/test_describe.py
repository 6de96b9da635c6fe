"""Service Description, VoID and resource descriptions (gerokg.describe), checked against the store."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from gerokg.artefacts.describe import SD, VOID, describe_resource, service_description, void_description
from gerokg.rdf.rdfio import serialize_graph

ENDPOINT = "http://127.0.0.1:8000/sparql"
VOID_URL = "http://127.0.0.1:8000/.well-known/void"
CLAIMS = "https://w3id.org/gerokg/claims"
SCHEMA = "https://schema.org/"


@pytest.fixture(scope="module")
def served(full_graph, graphs):
    """A store as the endpoint holds it: the release in the default graph, the claims also named."""
    from gerokg.release.store import GerokgStore

    s = GerokgStore()
    s.add_graph(full_graph)
    s.add_graph(graphs["claims"], graph_name=CLAIMS)
    return s


def _reparse(g: Graph, fmt: str) -> Graph:
    out = Graph()
    out.parse(data=serialize_graph(g, fmt), format={"turtle": "turtle", "json-ld": "json-ld"}[fmt])
    return out


@pytest.mark.parametrize("fmt", ["turtle", "json-ld"])
def test_service_description_counts_match_the_store(served, full_graph, graphs, sources, fmt) -> None:
    sd = _reparse(service_description(served, ENDPOINT), fmt)
    service = URIRef(ENDPOINT)
    assert (service, RDF.type, SD.Service) in sd
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in sd
    default = sd.value(sd.value(service, SD.defaultDataset), SD.defaultGraph)
    assert int(sd.value(default, VOID.triples)) == len(full_graph)
    classes = {sd.value(p, VOID["class"]): int(sd.value(p, VOID.entities)) for p in sd.objects(default, VOID.classPartition)}
    expected_claims = len(set(full_graph.subjects(RDF.type, URIRef("https://w3id.org/gerokg/schema/Claim"))))
    assert classes[URIRef("https://w3id.org/gerokg/schema/Claim")] == expected_claims == len(sources.claims.claims)
    assert int(sd.value(default, VOID.classes)) == len(classes)
    props = {sd.value(p, VOID.property): int(sd.value(p, VOID.triples)) for p in sd.objects(default, VOID.propertyPartition)}
    assert props[RDFS.label] == len(list(full_graph.triples((None, RDFS.label, None))))
    assert sum(props.values()) == len(full_graph)
    named = {sd.value(ng, SD.name): int(sd.value(sd.value(ng, SD.graph), VOID.triples))
             for ng in sd.objects(sd.value(service, SD.defaultDataset), SD.namedGraph)}
    assert named == {URIRef(CLAIMS): len(graphs["claims"])}


def test_void_links_endpoint_dumps_and_examples(served, full_graph) -> None:
    v = _reparse(void_description(served, ENDPOINT, VOID_URL, dumps=["http://127.0.0.1:8000/gerokg-full.nq"]), "turtle")
    ds = URIRef("https://w3id.org/gerokg/")
    assert v.value(ds, VOID.sparqlEndpoint) == URIRef(ENDPOINT)
    assert int(v.value(ds, VOID.triples)) == len(full_graph)
    assert v.value(ds, VOID.dataDump) == URIRef("http://127.0.0.1:8000/gerokg-full.nq")
    subsets = {v.value(s, SD.name): int(v.value(s, VOID.triples)) for s in v.objects(ds, VOID.subset)}
    assert list(subsets) == [URIRef(CLAIMS)]
    # the canned queries, as sparql-llm reads them: executable, question, text, target endpoint
    examples = set(v.subjects(RDF.type, SH.SPARQLSelectExecutable))
    from gerokg.querying.canned import list_queries

    assert len(examples) == sum(1 for q in list_queries() if q.form == "SELECT")
    drugs = URIRef("https://w3id.org/gerokg/query/drugs-by-role")
    assert drugs in examples
    assert v.value(drugs, URIRef(SCHEMA + "target")) == URIRef(ENDPOINT)
    assert "SELECT" in str(v.value(drugs, SH.select))
    assert (ds, URIRef(SCHEMA + "subjectOf"), drugs) in v


def test_term_description(served) -> None:
    sirolimus = "http://purl.obolibrary.org/obo/CHEBI_9168"
    d = describe_resource(served, sirolimus)
    assert d is not None
    s = URIRef(sirolimus)
    assert d.value(s, RDFS.label) == Literal("sirolimus")
    # blank nodes are followed: a restriction on sirolimus comes with its property and filler
    restrictions = [o for o in d.objects(s, RDFS.subClassOf) if isinstance(o, BNode)]
    assert restrictions and all(d.value(r, OWL.onProperty) is not None for r in restrictions)
    # labels of the terms it mentions
    parents = [o for o in d.objects(s, RDFS.subClassOf) if isinstance(o, URIRef)]
    assert parents and all(d.value(p, RDFS.label) is not None for p in parents)
    # only statements about it (and its blank nodes), and labels
    assert {x for x in d.subjects() if isinstance(x, URIRef)} == {s} | {p for p in d.subjects(RDFS.label, None)}


def test_claim_description(served) -> None:
    claim = URIRef("https://w3id.org/gerokg/claim/C0155")
    d = describe_resource(served, str(claim))
    assert d is not None
    gks = "https://w3id.org/gerokg/schema/"
    assert d.value(claim, URIRef(gks + "polarity")) == URIRef(gks + "negated")
    subject = d.value(claim, URIRef(gks + "subject"))
    assert d.value(subject, RDFS.label) is not None
    assert str(d.value(claim, URIRef(gks + "quote")))


def test_unknown_iri_has_no_description(served) -> None:
    assert describe_resource(served, "https://w3id.org/gerokg/GEROKG_9999999") is None
