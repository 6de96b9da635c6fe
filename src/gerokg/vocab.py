"""gerokg's namespaces and well-known IRIs, written once (layer 0: no dependency).

Plain strings, so that any layer can use them whatever its RDF library: wrap them in
``rdflib.Namespace``/``URIRef`` or ``pyoxigraph.NamedNode`` where needed. The prefixes a user sees
(CURIE expansion) come from ``ontology/prefixes``; these are the IRIs the code itself mints.

>>> CLAIM + "C0001"
'https://w3id.org/gerokg/claim/C0001'
"""

from __future__ import annotations

__all__ = [
    "BASE", "BRIDGE_IRI", "CATALOGUE_GRAPH", "CLAIM", "CLAIMS_GRAPH", "DATASET", "FIGURE_SECTION", "GKS",
    "IMPORTS", "INFERRED_GRAPH", "NATIVE", "ONTOLOGY_IRI", "QUERY", "RELEASES", "REVIEW", "SHAPES", "WITH_GRAPHS",
    "IAO_DEFINITION", "OIO", "OWL", "RDF", "RDFS", "SKOS", "XSD",
]

#: everything gerokg mints lives under this base
BASE = "https://w3id.org/gerokg/"
#: native ontology terms: GEROKG_0000001 ...
NATIVE = BASE + "GEROKG_"
#: the schema of claims (gks:)
GKS = BASE + "schema/"
#: claims: claim/C0001 ...
CLAIM = BASE + "claim/"
#: the review's sections and references
REVIEW = BASE + "review/"
#: the canned queries as SHACL SPARQL executables
QUERY = BASE + "query/"
#: the SHACL shapes
SHAPES = BASE + "shapes/"
#: the import modules' ontology IRIs
IMPORTS = BASE + "imports/"
#: the dated releases' version IRIs
RELEASES = BASE + "releases/"
#: the ontology, and its bridge module (axioms on imported classes)
ONTOLOGY_IRI = BASE + "gerokg.owl"
BRIDGE_IRI = BASE + "gerokg-bridge.owl"
#: the dataset (VoID, RO-Crate)
DATASET = BASE
#: named graphs: the claims, the reasoner's conclusions, the query catalogue, ``--with`` files
CLAIMS_GRAPH = BASE + "claims"
INFERRED_GRAPH = BASE + "inferred"
CATALOGUE_GRAPH = BASE + "queries"
WITH_GRAPHS = BASE + "with"
#: the review's Figure 1 (the pathway diagram)
FIGURE_SECTION = REVIEW + "section-figure-1"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
IAO_DEFINITION = "http://purl.obolibrary.org/obo/IAO_0000115"
