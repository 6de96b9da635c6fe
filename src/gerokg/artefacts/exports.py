"""Claim exports written by the build: ``claims.tsv``, nanopublications and KGX tables.

- ``claims.tsv``: one row per claim, CURIEs and labels, references ``;``-separated.
- ``gerokg-nanopubs.trig``: one nanopublication per claim, with head, assertion, provenance and
  publication-info graphs. The assertion of a claim that asserts its relation is its triple; a
  negated claim, and a claim that does not assert (a hypothesis, a question, an expectation the
  review refutes, a methodological remark, a statistically insignificant effect), has a statement
  node carrying its polarity and kind instead, never the triple itself. The provenance graph
  carries every qualifier the release stores on the claim, with the release's own properties.
- ``kgx_nodes.tsv`` / ``kgx_edges.tsv``: the KGX TSV format with Biolink categories and predicates
  (``ontology/biolink-mapping.yaml``), for Translator tools. An edge is a claim that asserts its
  relation (``knowledge_assertion``) or a hypothesis (``prediction``); the other claims assert
  nothing a Translator edge could say and are left out. Qualifiers go into Biolink's context
  qualifier columns where Biolink has an exact one, and all of them into ``gerokg_`` columns.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from gerokg._version import __version__
from gerokg.rdf.rdfio import compact_iri, expand_curie
from gerokg.resources import ontology_dir
from gerokg.sources.claims import CONTEXT_FIELDS, GKC, GKS, REVIEW, Claim, claim_description

__all__ = ["CLAIMS_TSV_COLUMNS", "biolink_mapping", "export_all", "kgx_tables", "nanopubs_trig", "read_signing_key"]

NP = Namespace("http://www.nanopub.org/nschema#")
CLAIMS_TSV_COLUMNS = (
    "claim_id", "subject", "subject_label", "predicate", "predicate_label", "object", "object_label",
    "quote", "references", "section", "kind", "polarity", "evidence", "organism", "population",
    "comparator", "timing", "quantities", "year", "hedge", "axiom", "tension_with", "raised_by",
    "cell_state", "cell_type", "condition", "treated_with", "not_treated_with", "significance",
)
KGX_NODE_COLUMNS = ("id", "category", "name", "provided_by")
KGX_EDGE_COLUMNS = (
    "id", "subject", "predicate", "object", "category", "negated", "object_direction_qualifier",
    "original_predicate", "knowledge_level", "agent_type", "primary_knowledge_source", "has_evidence",
    "publications", "description", "species_context_qualifier", "anatomical_context_qualifier",
    "disease_context_qualifier",
    # the claim card's qualifiers, whole; not Biolink slots, hence the prefix
    "gerokg_kind", "gerokg_hedge", "gerokg_references", "gerokg_section", "gerokg_population",
    "gerokg_comparator", "gerokg_timing", "gerokg_quantities", "gerokg_year", "gerokg_cell_state",
    "gerokg_cell_type", "gerokg_condition", "gerokg_treated_with", "gerokg_not_treated_with",
)
#: KGX's delimiter for a multivalued cell
KGX_MULTI = "|"
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


def _quantities(c: Claim, sep: str = "; ") -> str:
    parts = []
    for q in c.quantities:
        qual = f"{q.qualifier.replace('_', ' ')} " if q.qualifier else ""
        parts.append(f"{qual}{q.value} {q.unit} {q.direction}")
    return sep.join(parts)


def _agent_columns(c: Claim) -> dict[str, str]:
    """What the claim's population did (treated_with) or did not (not_treated_with) receive."""
    out = {"treated_with": "", "not_treated_with": ""}
    if c.agent_status is not None:
        agent, treated = c.agent_status
        out["treated_with" if treated else "not_treated_with"] = _curie(agent)
    return out


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
            **{key: ";".join(_curie(t) for t in c.context.get(key, ())) for key in CONTEXT_FIELDS},
            **_agent_columns(c), "significance": c.significance or "",
        })
    return _tsv(CLAIMS_TSV_COLUMNS, rows)


NPX = Namespace("http://purl.org/nanopub/x/")
CREATOR = URIRef("https://w3id.org/gerokg")
NP_HEADER = "# gerokg nanopublications: one per claim (head, assertion, provenance, pubinfo graphs) and an index."


def read_signing_key(path: str | Path) -> str:
    """Read an RSA private key for signing nanopublications: PEM (PKCS#8) or its bare base64 body.

    :raises BuildError: the file cannot be read or holds no key (names the file)
    """
    from gerokg.errors import BuildError

    try:
        text = Path(path).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(f"{path}: cannot read the signing key: {exc}") from None
    body = "".join(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("-----"))
    if not body or not all(c.isalnum() or c in "+/=" for c in body):
        raise BuildError(f"{path}: not an RSA private key (PEM or base64 PKCS#8)")
    return body


def _nanopub(ds: Dataset, base: str, assertion_triples: list[tuple[Any, Any, Any]],
             prov_triples: list[tuple[Any, Any, Any]], pubinfo_triples: list[tuple[Any, Any, Any]]) -> URIRef:
    np_, head, assertion, prov, pubinfo = (URIRef(base), URIRef(base + "Head"), URIRef(base + "assertion"),
                                           URIRef(base + "provenance"), URIRef(base + "pubinfo"))
    h = ds.graph(head)
    h.add((np_, RDF.type, NP.Nanopublication))
    h.add((np_, NP.hasAssertion, assertion))
    h.add((np_, NP.hasProvenance, prov))
    h.add((np_, NP.hasPublicationInfo, pubinfo))
    a = ds.graph(assertion)
    for t in assertion_triples:
        a.add(t)
    p = ds.graph(prov)
    for t in prov_triples:
        p.add(t)
    pi = ds.graph(pubinfo)
    for t in pubinfo_triples:
        pi.add(t)
    return np_


def _sign(ds: Dataset, key: str | None) -> tuple[list[str], str]:
    """Sign one nanopublication held in ``ds``; its N-Quads lines and (trusty) IRI."""
    import pyoxigraph as ox

    text = ds.serialize(format="nquads")
    np_iri = str(next(s for g in ds.graphs() for s in g.subjects(RDF.type, NP.Nanopublication)))
    if key is None:
        return sorted({line for line in text.splitlines() if line.strip()}), np_iri
    from nanopub_sign import Nanopub, NpProfile

    trig = "\n".join(f"<{g.identifier}> {{\n{g.serialize(format='nt')}}}" for g in ds.graphs() if len(g))
    signed = Nanopub(trig).sign(NpProfile(key, None, None, None))
    quads = ox.parse(signed.rdf().encode("utf-8"), format=ox.RdfFormat.TRIG)
    lines = sorted({f"{q.subject} {q.predicate} {q.object} {q.graph_name} ." for q in quads})
    return lines, str(signed.info()["uri"]["value"])


def _new_dataset() -> Dataset:
    ds = Dataset()
    ds.default_union = False
    return ds


def nanopubs_trig(data: Any, date: str | None = None, key: str | None = None) -> bytes:
    """The claims as nanopublications, plus an index nanopublication listing them all.

    :param data: the build's sources
    :param date: the release date, for ``dct:created`` (midnight UTC)
    :param key: an RSA private key (base64 PKCS#8); with it every nanopublication gets a trusty
        URI and a signature (nanopub-sign), without it they are written unsigned
    """
    created = Literal(f"{date or '1970-01-01'}T00:00:00Z", datatype=XSD.dateTime)
    all_lines: set[str] = set()
    members: list[str] = []
    for c in sorted(data.claims.claims, key=lambda c: c.id):
        ds = _new_dataset()
        _nanopub(ds, f"{GKC}{c.id}/np/", *_claim_nanopub(c, created))
        lines, iri = _sign(ds, key)
        all_lines.update(lines)
        members.append(iri)
    lines, _ = _sign(_index_nanopub(members, created, date), key)
    all_lines.update(lines)
    return _trig_text(all_lines, signed=bool(key))


_Triples = list[tuple[Any, Any, Any]]


def _claim_nanopub(c: Any, created: Literal) -> tuple[_Triples, _Triples, _Triples]:
    """A claim's assertion (a statement node when the claim is negated or does not assert),
    provenance (every qualifier the release stores on the claim) and publication info."""
    g_ = GKS
    base = f"{GKC}{c.id}/np/"
    assertion = URIRef(base + "assertion")
    np_ = URIRef(base)
    a: _Triples
    if c.polarity == "affirmed" and c.asserts:
        a = [(c.subject, c.predicate, c.object)]
    else:
        st = URIRef(f"{GKC}{c.id}/statement")
        a = [(st, RDF.type, RDF.Statement), (st, RDF.subject, c.subject), (st, RDF.predicate, c.predicate),
             (st, RDF.object, c.object), (st, URIRef(g_ + "polarity"), URIRef(g_ + c.polarity)),
             (st, URIRef(g_ + "kind"), URIRef(g_ + c.kind))]
        if c.significance:
            a.append((st, URIRef(g_ + "significance"), URIRef(g_ + c.significance)))
    p: _Triples = [(assertion, PROV.wasDerivedFrom, REVIEW), *_provenance(c, assertion)]
    pi: _Triples = [
        (np_, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")),
        (np_, PROV.wasDerivedFrom, URIRef(GKC + c.id)), (np_, DCTERMS.source, REVIEW),
        (np_, DCTERMS.created, created), (np_, DCTERMS.creator, CREATOR),
        (np_, NPX.hasNanopubType, URIRef(g_ + "Claim")),
        (np_, RDFS.label, Literal(f"gerokg claim {c.id}")),
        (np_, PROV.wasGeneratedBy, Literal(f"gerokg {__version__}"))]
    return a, p, pi


#: the claim's own bookkeeping in the release, which a nanopublication says in its head and
#: assertion instead
_NOT_PROVENANCE = frozenset({RDF.type, RDFS.label, DCTERMS.source, *(URIRef(GKS + k) for k in (
    "curie", "subject", "predicate", "object"))})


def _provenance(c: Claim, assertion: URIRef) -> _Triples:
    """The claim's qualifiers as the release states them, said of the assertion graph; its
    quantities keep their own nodes."""
    described = claim_description(c)
    out: _Triples = [(assertion, p, o) for p, o in described.predicate_objects(c.iri) if p not in _NOT_PROVENANCE]
    for q in described.objects(c.iri, URIRef(GKS + "quantity")):
        out.extend((q, p, o) for p, o in described.predicate_objects(q))
    return out


def _index_nanopub(members: list[str], created: Literal, date: str | None) -> Dataset:
    """The index nanopublication that lists every claim's."""
    base = "https://w3id.org/gerokg/nanopubs/index/"
    idx = URIRef(base)
    ds = _new_dataset()
    _nanopub(ds, base, [(idx, NPX.includesElement, URIRef(m)) for m in members],
             [(URIRef(base + "assertion"), PROV.wasDerivedFrom, REVIEW)],
             [(idx, RDF.type, NPX.NanopubIndex), (idx, DCTERMS.created, created), (idx, DCTERMS.creator, CREATOR),
              (idx, RDFS.label, Literal(f"gerokg claims, release {date or __version__}")),
              (idx, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/"))])
    return ds


def _trig_text(all_lines: set[str], signed: bool) -> bytes:
    """The N-Quads lines as TriG, one block per graph, sorted."""
    by_graph: dict[str, list[str]] = {}
    for line in sorted(all_lines):
        body, graph = line.rsplit(" ", 2)[0], line.rsplit(" ", 2)[1]
        by_graph.setdefault(graph, []).append(body + " .")
    note = "signed with nanopub-sign (trusty URIs)" if signed else "unsigned (build with --sign-key to sign)"
    out = [NP_HEADER, f"# {note}."]
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
    """The KGX node and edge tables of the claims that assert their relation, and of the
    hypotheses (as predictions)."""
    labels = data.terms.labels
    namespaces = {str(s): str(o) for s, o in full.subject_objects(URIRef("http://www.geneontology.org/formats/oboInOwl#hasOBONamespace"))}
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for c in sorted(data.claims.claims, key=lambda c: c.id):
        if not (c.asserts or c.kind == "hypothesis"):
            continue
        for term in (c.subject, c.object):
            cur = compact_iri(str(term))
            if cur not in nodes:
                nodes[cur] = {"id": cur, "category": _biolink_class(_category(term, full, namespaces)),
                              "name": labels.get(term, ""), "provided_by": SOURCE}
        edges.append({**_kgx_edge(c), **_kgx_context(c, full, namespaces)})
    node_rows = [nodes[k] for k in sorted(nodes)]
    return _tsv(KGX_NODE_COLUMNS, node_rows), _tsv(KGX_EDGE_COLUMNS, edges)


def _kgx_edge(c: Claim) -> dict[str, str]:
    """The edge's core columns: the relation, its polarity, direction and knowledge level."""
    m = biolink_mapping()
    key = "rdfs:subClassOf" if c.predicate == RDFS.subClassOf else compact_iri(str(c.predicate))
    spec = m["predicates"].get(key, {"predicate": m["default_predicate"]})
    return {
        "id": f"gkc:{c.id}", "subject": compact_iri(str(c.subject)), "predicate": _biolink_slot(spec["predicate"]),
        "object": compact_iri(str(c.object)), "category": "biolink:Association",
        "negated": "true" if c.polarity == "negated" else "false",
        "object_direction_qualifier": spec.get("direction", ""), "original_predicate": key,
        "knowledge_level": "knowledge_assertion" if c.asserts else "prediction",
        "agent_type": "manual_agent", "primary_knowledge_source": SOURCE,
        "has_evidence": compact_iri(str(c.evidence)), "publications": "", "description": c.quote_text,
    }


def _kgx_context(c: Claim, full: Graph, namespaces: dict[str, str]) -> dict[str, str]:
    """The claim's qualifiers: Biolink's context qualifiers where one says exactly the same (a
    single disease for ``disease_context_qualifier``, which takes one), and every qualifier in the
    ``gerokg_`` columns, lists ``|``-separated."""
    def many(terms: Any) -> str:
        return KGX_MULTI.join(_curie(t) for t in terms)

    conditions = c.context.get("condition", ())
    diseases = [t for t in conditions if _category(t, full, namespaces) == "disease"]
    agent = _agent_columns(c)
    return {
        "species_context_qualifier": _curie(c.organism) if c.organism else "",
        "anatomical_context_qualifier": many(c.context.get("cell_type", ())),
        "disease_context_qualifier": _curie(diseases[0]) if len(conditions) == len(diseases) == 1 else "",
        "gerokg_kind": c.kind, "gerokg_hedge": c.hedged or "",
        "gerokg_references": KGX_MULTI.join(str(r) for r in c.references), "gerokg_section": c.section,
        "gerokg_population": _curie(c.population) if c.population else "",
        "gerokg_comparator": _curie(c.comparator) if c.comparator else "",
        "gerokg_timing": c.timing or "", "gerokg_quantities": _quantities(c, KGX_MULTI),
        "gerokg_year": str(c.year or ""), "gerokg_cell_state": many(c.context.get("cell_state", ())),
        "gerokg_cell_type": many(c.context.get("cell_type", ())), "gerokg_condition": many(conditions),
        "gerokg_treated_with": agent["treated_with"], "gerokg_not_treated_with": agent["not_treated_with"],
    }


def export_all(data: Any, graphs: dict[str, Graph], date: str | None = None, key: str | None = None) -> dict[str, bytes]:
    """Every export file, name to bytes.

    :param date: the release date (nanopublications' ``dct:created``)
    :param key: the nanopublications' signing key (see :func:`nanopubs_trig`)
    """
    nodes, edges = kgx_tables(data, graphs["full"])
    return {
        "claims.tsv": claims_tsv(data),
        "gerokg-nanopubs.trig": nanopubs_trig(data, date, key),
        "kgx_nodes.tsv": nodes,
        "kgx_edges.tsv": edges,
    }
