"""Descriptions of the endpoint and of its resources, as RDF graphs for the web layer to serve.

- :func:`service_description`: a SPARQL 1.1 Service Description of the endpoint, whose default
  dataset is described with VoID (triples, classes and properties with their counts, one entry
  per named graph);
- :func:`void_description`: the VoID description of the dataset (the same statistics, the data
  dumps, the vocabularies) with the canned queries as SIB-style ``sh:SPARQLExecutable`` examples
  targeting the endpoint (what sparql-llm and similar tools read);
- :func:`describe_resource`: what a term or claim IRI dereferences to: its statements (blank nodes
  followed, as in a Concise Bounded Description), the OWL axiom annotations on them, and the
  labels of the IRIs they mention.

Each function takes a :class:`gerokg.release.store.GerokgStore` (or a ``pyoxigraph.Store``) and returns a
new ``rdflib.Graph``; serialising it (Turtle, JSON-LD, N-Triples) is the caller's business.
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, XSD

from gerokg import vocab
from gerokg._version import __version__
from gerokg.rdf.rdfio import new_graph

__all__ = ["SD", "VOID", "describe_resource", "service_description", "void_description"]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
SCHEMA = Namespace("https://schema.org/")
DATASET = URIRef(vocab.DATASET)
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD")
VOCABULARIES = ("http://purl.obolibrary.org/obo/", "https://w3id.org/gerokg/schema/", str(OWL), str(RDFS),
                str(DCTERMS), "http://www.w3.org/ns/prov#", "http://www.geneontology.org/formats/oboInOwl#")


def _ox(store: Any) -> Any:
    return getattr(store, "ox", store)


def _rows(store: Any, query: str) -> list[Any]:
    return list(_ox(store).query(query))


def _to_rdflib(term: Any) -> Any:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)  # as rdflib reads a plain literal
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _count(value: Any) -> Literal:
    return Literal(int(value.value), datatype=XSD.integer)


def _statistics(store: Any, g: Graph, node: URIRef, base: str) -> None:
    """VoID statistics of the store's default graph, on ``node``."""
    total = _rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    g.add((node, VOID.triples, _count(total)))
    for key, query in (
        ("distinctSubjects", "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        ("distinctObjects", "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
        ("entities", "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER isIRI(?s) }"),
    ):
        g.add((node, VOID[key], _count(_rows(store, query)[0]["n"])))
    classes = _rows(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER isIRI(?c) } GROUP BY ?c ORDER BY ?c")
    g.add((node, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    for i, row in enumerate(classes):
        part = URIRef(f"{base}#class-{i}")
        g.add((node, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(row["c"].value)))
        g.add((part, VOID.entities, _count(row["n"])))
    props = _rows(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p")
    g.add((node, VOID.properties, Literal(len(props), datatype=XSD.integer)))
    for i, row in enumerate(props):
        part = URIRef(f"{base}#property-{i}")
        g.add((node, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(row["p"].value)))
        g.add((part, VOID.triples, _count(row["n"])))


def _named_graphs(store: Any) -> list[tuple[str, Any]]:
    rows = _rows(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    return [(r["g"].value, r["n"]) for r in rows]


def service_description(store: Any, endpoint: str) -> Graph:
    """The SPARQL 1.1 Service Description of the read-only endpoint at ``endpoint``.

    :param store: the endpoint's store
    :param endpoint: the endpoint's absolute URL (e.g. ``http://127.0.0.1:8000/sparql``)
    :returns: a graph with one ``sd:Service``; its default dataset's default graph carries the
        VoID statistics and each named graph its triple count
    """
    g = new_graph()
    g.bind("sd", str(SD))
    g.bind("void", str(VOID))
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for fmt in RESULT_FORMATS:
        g.add((service, SD.resultFormat, FORMATS[fmt]))
    dataset = URIRef(f"{endpoint}#dataset")
    default = URIRef(f"{endpoint}#default-graph")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, RDF.type, VOID.Dataset))
    _statistics(store, g, default, f"{endpoint}#default")
    for i, (name, n) in enumerate(_named_graphs(store)):
        ng, desc = URIRef(f"{endpoint}#named-graph-{i}"), URIRef(f"{endpoint}#named-graph-{i}-graph")
        g.add((dataset, SD.namedGraph, ng))
        g.add((ng, RDF.type, SD.NamedGraph))
        g.add((ng, SD.name, URIRef(name)))
        g.add((ng, SD.graph, desc))
        g.add((desc, RDF.type, SD.Graph))
        g.add((desc, VOID.triples, _count(n)))
    return g


def void_description(store: Any, endpoint: str | None, void_url: str, dumps: list[str] | None = None) -> Graph:
    """The VoID description of the dataset served at ``endpoint``, with the canned queries as
    examples: what ``/.well-known/void`` serves and the MCP server's ``gerokg://void.ttl``.

    :param store: the endpoint's store
    :param endpoint: the SPARQL endpoint's absolute URL (None: the dataset is not served over
        SPARQL here, as for the MCP server)
    :param void_url: where this description is served (``.../.well-known/void``), its partitions'
        base IRI
    :param dumps: URLs of data dumps (e.g. the release's ``gerokg-full.nq``)
    """
    from gerokg.querying.catalogue import catalogue_graph

    g = new_graph()
    g.bind("void", str(VOID))
    g.bind("schema", str(SCHEMA))
    node = DATASET
    g.add((node, RDF.type, VOID.Dataset))
    g.add((node, DCTERMS.title, Literal("gerokg: the geroconversion ontology and the claims of its source review")))
    g.add((node, DCTERMS.description, Literal(
        "An OWL ontology aligned to ChEBI, GO, MONDO, HGNC, NCBITaxon and RO, and every claim of one review "
        "article as RDF with its provenance (verbatim quote, cited reference numbers, epistemic status).")))
    g.add((node, DCTERMS.hasVersion, Literal(__version__)))
    g.add((node, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    if endpoint is not None:
        g.add((node, VOID.sparqlEndpoint, URIRef(endpoint)))
    for example in ("http://purl.obolibrary.org/obo/CHEBI_9168", vocab.NATIVE + "0000054"):
        g.add((node, VOID.exampleResource, URIRef(example)))
    g.add((node, VOID.uriSpace, Literal("https://w3id.org/gerokg/")))
    g.add((node, VOID.rootResource, URIRef("https://w3id.org/gerokg/gerokg.owl")))
    for used in VOCABULARIES:
        g.add((node, VOID.vocabulary, URIRef(used)))
    for url in dumps or []:
        g.add((node, VOID.dataDump, URIRef(url)))
    _statistics(store, g, node, void_url)
    for i, (name, n) in enumerate(_named_graphs(store)):
        sub = URIRef(f"{void_url}#graph-{i}")
        g.add((node, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, SD.name, URIRef(name)))
        g.add((sub, VOID.triples, _count(n)))
    catalogue = catalogue_graph()
    for s, p, o in catalogue:
        if p == SCHEMA.target and endpoint is not None:
            o = URIRef(endpoint)
        g.add((s, p, o))
    for q in sorted(catalogue.subjects(RDF.type, SH.SPARQLExecutable), key=str):
        g.add((node, SCHEMA.subjectOf, q))
    return g


def describe_resource(store: Any, iri: str) -> Graph | None:
    """What ``iri`` dereferences to: its statements (blank nodes followed), axiom annotations, labels.

    Statements are read from the store's default graph. Blank-node objects are followed to their
    own statements (restrictions, lists), OWL axiom annotations whose ``owl:annotatedSource`` is
    ``iri`` are included with their statements, and every IRI mentioned gets its ``rdfs:label``.

    :param store: the store
    :param iri: a term or claim IRI
    :returns: the description, or None when the store says nothing about ``iri``
    """
    import pyoxigraph as ox

    st = _ox(store)
    g = new_graph()
    subject = ox.NamedNode(iri)
    seen: set[str] = set()

    def follow(node: Any) -> None:
        for q in st.quads_for_pattern(node, None, None, ox.DefaultGraph()):
            g.add((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object)))
            if isinstance(q.object, ox.BlankNode) and q.object.value not in seen:
                seen.add(q.object.value)
                follow(q.object)

    follow(subject)
    if not len(g):
        return None
    for q in st.quads_for_pattern(None, ox.NamedNode(str(OWL.annotatedSource)), subject, ox.DefaultGraph()):
        if isinstance(q.subject, ox.BlankNode) and q.subject.value not in seen:
            seen.add(q.subject.value)
            follow(q.subject)
    mentioned = {x for t in g for x in t if isinstance(x, URIRef) and str(x) != iri}
    label = ox.NamedNode(str(RDFS.label))
    for ref in sorted(mentioned):
        for q in st.quads_for_pattern(ox.NamedNode(str(ref)), label, None, ox.DefaultGraph()):
            g.add((ref, RDFS.label, _to_rdflib(q.object)))
    return g
