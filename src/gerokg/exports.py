"""Claim exports written by the build: ``claims.tsv``, nanopublications and KGX tables.

- ``claims.tsv``: one row per claim, CURIEs and labels, references ``;``-separated.
- ``gerokg-nanopubs.trig``: one nanopublication per claim, with head, assertion, provenance and
  publication-info graphs. The assertion of an affirmed claim is its triple; a negated claim
  asserts a statement node marked ``gks:polarity gks:negated``, never the triple itself.
- ``kgx_nodes.tsv`` / ``kgx_edges.tsv``: the KGX TSV format with Biolink categories and predicates
  (``ontology/biolink-mapping.yaml``), for Translator tools.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from typing import Any

import yaml
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from gerokg import __version__
from gerokg.claims import GKC, GKS, REVIEW, Claim
from gerokg.rdfio import compact_iri, expand_curie
from gerokg.resources import ontology_dir

__all__ = ["CLAIMS_TSV_COLUMNS", "biolink_mapping", "export_all", "kgx_tables"]

NP = Namespace("http://www.nanopub.org/nschema#")
CLAIMS_TSV_COLUMNS = (
    "claim_id", "subject", "subject_label", "predicate", "predicate_label", "object", "object_label",
    "quote", "references", "section", "kind", "polarity", "evidence", "organism", "population",
    "comparator", "timing", "quantities", "year", "hedge", "axiom", "tension_with", "raised_by",
)
KGX_NODE_COLUMNS = ("id", "category", "name", "provided_by")
KGX_EDGE_COLUMNS = (
    "id", "subject", "predicate", "object", "category", "negated", "object_direction_qualifier",
    "original_predicate", "knowledge_level", "agent_type", "primary_knowledge_source", "has_evidence",
    "publications", "description",
)
BIOLINK = "biolink:"
SOURCE = "infores:gerokg"


@lru_cache(maxsize=1)
def biolink_mapping() -> dict[str, Any]:
    """The Biolink mapping table (``ontology/biolink-mapping.yaml``)."""
    with open(ontology_dir() / "biolink-mapping.yaml", encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def _tsv(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, delimiter="\t", lineterminator="\n",
                       quoting=csv.QUOTE_MINIMAL, extrasaction="raise")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r[k]) for k in columns})
    return buf.getvalue().encode("utf-8")


def _curie(iri: Any) -> str:
    if iri == RDFS.subClassOf:
        return "rdfs:subClassOf"
    return compact_iri(str(iri))


def _quantities(c: Claim) -> str:
    parts = []
    for q in c.quantities:
        qual = f"{q.qualifier.replace('_', ' ')} " if q.qualifier else ""
        parts.append(f"{qual}{q.value} {q.unit} {q.direction}")
    return "; ".join(parts)


def claims_tsv(data: Any) -> bytes:
    labels = data.terms.labels
    rows = []
    for c in sorted(data.claims.claims, key=lambda c: c.id):
        def lab(iri: Any) -> str:
            return "subClassOf" if iri == RDFS.subClassOf else labels.get(iri, "")

        rows.append({
            "claim_id": f"gkc:{c.id}", "subject": _curie(c.subject), "subject_label": lab(c.subject),
            "predicate": _curie(c.predicate), "predicate_label": lab(c.predicate),
            "object": _curie(c.object), "object_label": lab(c.object), "quote": c.quote_text,
            "references": ";".join(str(r) for r in c.references), "section": c.section,
            "kind": c.kind, "polarity": c.polarity, "evidence": _curie(c.evidence),
            "organism": _curie(c.organism) if c.organism else "",
            "population": _curie(c.population) if c.population else "",
            "comparator": _curie(c.comparator) if c.comparator else "",
            "timing": c.timing or "", "quantities": _quantities(c), "year": c.year or "",
            "hedge": c.hedged or "", "axiom": "true" if c.axiom else "false",
            "tension_with": ";".join(f"gkc:{x}" for x in c.tension_with),
            "raised_by": ";".join(f"gkc:{x}" for x in c.raised_by),
        })
    return _tsv(CLAIMS_TSV_COLUMNS, rows)


def nanopubs_trig(data: Any) -> bytes:
    ds = Dataset()
    for prefix, ns in (("np", str(NP)), ("gks", GKS), ("gkc", GKC), ("prov", str(PROV)),
                       ("dcterms", str(DCTERMS)), ("obo", "http://purl.obolibrary.org/obo/"),
                       ("hgnc", "http://identifiers.org/hgnc/"), ("gerokg", "https://w3id.org/gerokg/GEROKG_"),
                       ("gkr", "https://w3id.org/gerokg/review/")):
        ds.bind(prefix, ns, override=True, replace=True)
    g_ = GKS
    for c in sorted(data.claims.claims, key=lambda c: c.id):
        base = f"{GKC}{c.id}/np"
        np_, head, assertion, prov, pubinfo = (URIRef(base), URIRef(base + "#head"), URIRef(base + "#assertion"),
                                               URIRef(base + "#provenance"), URIRef(base + "#pubinfo"))
        h = ds.graph(head)
        h.add((np_, RDF.type, NP.Nanopublication))
        h.add((np_, NP.hasAssertion, assertion))
        h.add((np_, NP.hasProvenance, prov))
        h.add((np_, NP.hasPublicationInfo, pubinfo))
        a = ds.graph(assertion)
        if c.polarity == "affirmed":
            a.add((c.subject, c.predicate, c.object))
        else:
            st = URIRef(f"{GKC}{c.id}/statement")
            a.add((st, RDF.type, RDF.Statement))
            a.add((st, RDF.subject, c.subject))
            a.add((st, RDF.predicate, c.predicate))
            a.add((st, RDF.object, c.object))
            a.add((st, URIRef(g_ + "polarity"), URIRef(g_ + "negated")))
        p = ds.graph(prov)
        p.add((assertion, PROV.wasDerivedFrom, REVIEW))
        p.add((assertion, URIRef(g_ + "quote"), Literal(c.quote_text)))
        p.add((assertion, URIRef(g_ + "section"), URIRef(f"https://w3id.org/gerokg/review/section-{c.section}")))
        p.add((assertion, URIRef(g_ + "evidence"), c.evidence))
        p.add((assertion, URIRef(g_ + "kind"), URIRef(g_ + c.kind)))
        for r in c.references:
            p.add((assertion, URIRef(g_ + "reference"), Literal(r, datatype=XSD.integer)))
        for key in ("organism", "population", "comparator"):
            if getattr(c, key) is not None:
                p.add((assertion, URIRef(g_ + key), getattr(c, key)))
        if c.hedged:
            p.add((assertion, URIRef(g_ + "hedge"), Literal(c.hedged)))
        pi = ds.graph(pubinfo)
        pi.add((np_, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
        pi.add((np_, PROV.wasDerivedFrom, URIRef(GKC + c.id)))
        pi.add((np_, DCTERMS.source, REVIEW))
        pi.add((np_, PROV.wasGeneratedBy, Literal(f"gerokg {__version__}")))
    lines = sorted({line for line in ds.serialize(format="nquads").splitlines() if line.strip()})
    # TriG from sorted quads: deterministic and readable enough for diffs; one block per graph
    by_graph: dict[str, list[str]] = {}
    for line in lines:
        body, graph = line.rsplit(" ", 2)[0], line.rsplit(" ", 2)[1]
        by_graph.setdefault(graph, []).append(body + " .")
    out = ["# gerokg nanopublications: one per claim (head, assertion, provenance, pubinfo graphs)."]
    for graph in sorted(by_graph):
        out.append(f"{graph} {{")
        out.extend(f"  {t}" for t in by_graph[graph])
        out.append("}")
    return ("\n".join(out) + "\n").encode("utf-8")


def _category(iri: URIRef, full: Graph, namespaces: dict[str, str]) -> str:
    m = biolink_mapping()
    curie = compact_iri(str(iri))
    prefix = curie.split(":", 1)[0]
    ancestors: set[str] = set()
    todo = [iri]
    while todo:
        node = todo.pop()
        for parent in full.objects(node, RDFS.subClassOf):
            if isinstance(parent, URIRef) and str(parent) not in ancestors:
                ancestors.add(str(parent))
                todo.append(parent)
    ancestors.add(str(iri))
    if prefix == "GO":
        return m["go_namespaces"].get(namespaces.get(str(iri), ""), m["prefixes"]["GO"])
    if prefix in ("HGNC", "MONDO", "NCBITaxon"):
        return str(m["prefixes"][prefix])
    for anchor in m["anchors"]:
        if str(expand_curie(anchor["class"])) in ancestors:
            return str(anchor["category"])
    return str(m["prefixes"].get(prefix, "named thing"))


def _biolink_class(name: str) -> str:
    return BIOLINK + "".join(w[:1].upper() + w[1:] for w in name.split())


def _biolink_slot(name: str) -> str:
    return BIOLINK + name.replace(" ", "_")


def kgx_tables(data: Any, full: Graph) -> tuple[bytes, bytes]:
    """The KGX node and edge tables of the claims."""
    m = biolink_mapping()
    labels = data.terms.labels
    namespaces = {str(s): str(o) for s, o in full.subject_objects(URIRef("http://www.geneontology.org/formats/oboInOwl#hasOBONamespace"))}
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for c in sorted(data.claims.claims, key=lambda c: c.id):
        for term in (c.subject, c.object):
            cur = compact_iri(str(term))
            if cur not in nodes:
                nodes[cur] = {"id": cur, "category": _biolink_class(_category(term, full, namespaces)),
                              "name": labels.get(term, ""), "provided_by": SOURCE}
        key = "rdfs:subClassOf" if c.predicate == RDFS.subClassOf else compact_iri(str(c.predicate))
        spec = m["predicates"].get(key, {"predicate": m["default_predicate"]})
        edges.append({
            "id": f"gkc:{c.id}", "subject": compact_iri(str(c.subject)), "predicate": _biolink_slot(spec["predicate"]),
            "object": compact_iri(str(c.object)), "category": "biolink:Association",
            "negated": "true" if c.polarity == "negated" else "false",
            "object_direction_qualifier": spec.get("direction", ""), "original_predicate": key,
            "knowledge_level": "prediction" if c.kind in ("hypothesis", "open_question") else "knowledge_assertion",
            "agent_type": "manual_agent", "primary_knowledge_source": SOURCE,
            "has_evidence": compact_iri(str(c.evidence)), "publications": "", "description": c.quote_text,
        })
    node_rows = [nodes[k] for k in sorted(nodes)]
    return _tsv(KGX_NODE_COLUMNS, node_rows), _tsv(KGX_EDGE_COLUMNS, edges)


def export_all(data: Any, graphs: dict[str, Graph]) -> dict[str, bytes]:
    """Every export file, name to bytes."""
    nodes, edges = kgx_tables(data, graphs["full"])
    return {
        "claims.tsv": claims_tsv(data),
        "gerokg-nanopubs.trig": nanopubs_trig(data),
        "kgx_nodes.tsv": nodes,
        "kgx_edges.tsv": edges,
    }
