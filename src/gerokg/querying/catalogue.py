"""The query catalogue as RDF, in the style of SIB's sparql-examples.

Each canned query becomes a ``sh:SPARQLExecutable`` (``sh:SPARQLSelectExecutable``,
``sh:SPARQLConstructExecutable`` or ``sh:SPARQLAskExecutable``) with its text in ``sh:select`` /
``sh:construct`` / ``sh:ask``, its question as ``rdfs:comment``, its title as ``rdfs:label``, its
keywords as ``schema:keywords`` and its parameters as ``gks:parameter`` nodes, so the catalogue
itself can be loaded into a triple store and queried.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from gerokg import vocab
from gerokg.querying.canned import list_queries
from gerokg.rdf.rdfio import new_graph, serialize_graph

__all__ = ["QUERY_NS", "catalogue_graph", "catalogue_items", "catalogue_turtle"]

QUERY_NS = Namespace(vocab.QUERY)
SCHEMA = Namespace("https://schema.org/")
GKS = Namespace(vocab.GKS)
_FORMS = {"SELECT": (SH.SPARQLSelectExecutable, SH.select), "CONSTRUCT": (SH.SPARQLConstructExecutable, SH.construct),
          "ASK": (SH.SPARQLAskExecutable, SH.ask), "DESCRIBE": (SH.SPARQLExecutable, SH.select)}


def catalogue_graph() -> Graph:
    """The catalogue of canned queries as an RDF graph."""
    g = new_graph()
    g.bind("gkq", str(QUERY_NS))
    g.bind("schema", str(SCHEMA))
    for q in list_queries():
        node = QUERY_NS[q.name]
        cls, prop = _FORMS[q.form]
        g.add((node, RDF.type, SH.SPARQLExecutable))
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(q.title)))
        g.add((node, RDFS.comment, Literal(q.question, lang="en")))
        g.add((node, DCTERMS.description, Literal(q.description, lang="en")))
        g.add((node, prop, Literal(q.text)))
        g.add((node, SCHEMA.target, URIRef("https://w3id.org/gerokg/sparql")))
        for tag in q.tags:
            g.add((node, SCHEMA.keywords, Literal(tag)))
        if q.level:
            g.add((node, GKS.level, Literal(q.level)))
        for p in q.params:
            pn = URIRef(f"{QUERY_NS}{q.name}#{p.name}")
            g.add((node, GKS.parameter, pn))
            g.add((pn, RDFS.label, Literal(p.name)))
            g.add((pn, GKS.parameterType, Literal(p.type)))
            if p.default is not None:
                g.add((pn, GKS.defaultValue, Literal(str(p.default))))
            if p.description:
                g.add((pn, RDFS.comment, Literal(p.description, lang="en")))
    return g


def catalogue_turtle() -> bytes:
    """The catalogue serialised as deterministic Turtle."""
    return serialize_graph(catalogue_graph(), "turtle")


def catalogue_items() -> list[dict[str, Any]]:
    """The catalogue as plain data (what ``/queries`` answers in JSON): name, title, question,
    description, form, whether it returns claim cards, parameters with types and defaults."""
    return [{
        "name": q.name, "title": q.title, "question": q.question, "description": q.description,
        "form": q.form, "level": q.level, "url": f"/queries/{q.name}", "card": "claim" if q.card else None,
        "params": [{"name": p.name, "type": p.type, "default": p.default, "description": p.description,
                    "required": p.required} for p in q.params],
    } for q in list_queries()]
