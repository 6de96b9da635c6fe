"""ODK-style release artefacts: ``gerokg-base.owl``, ``gerokg-simple.owl``, ``gerokg.obo``, ``gerokg.json``.

Following the Ontology Development Kit's release conventions:

- **base** (``gerokg-base.owl``): the ontology header and every axiom whose subject is a native term
  (``GEROKG:`` classes and properties, the ``gks:`` schema), with the anonymous class expressions
  and axiom annotations hanging off them; no imports and no axiom about an imported class. Axioms
  that the claims add on imported classes (e.g. a ChEBI drug under a native class) are left out of
  base; they stay in ``gerokg.owl`` and the full release.
- **simple** (``gerokg-simple.owl``): as the OBO Academy's release-artefact reference defines it
  (``reason``, ``relax``, ``remove --axioms equivalent``, ``filter``, ``reduce``): the ontology with
  its imports merged, whose only logical axioms are ``A SubClassOf B`` and ``A SubClassOf R some
  B`` between named classes — asserted, relaxed from equivalence definitions (their named genus
  and their existential parts), and inferred when the reasoner ran — with the named hierarchy
  transitively reduced; no equivalence, disjointness or other anonymous expression; labels,
  definitions, synonyms and other annotations kept.
- **OBO** (``gerokg.obo``): the ontology with its imports in OBO 1.4, written through the
  ``fastobo`` syntax tree (so quoting and escaping are fastobo's); ``is_a`` from simple's
  hierarchy, ``relationship`` from existential restrictions, ``intersection_of`` from equivalence
  definitions, ``[Typedef]`` frames for every relation used.
- **obographs** (``gerokg.json``): fastobo-graphs' conversion of the OBO document, with the
  graph's id and version set to the release's and the logical definitions (``intersection_of``),
  which that converter drops, added as ``logicalDefinitionAxioms``.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from gerokg.rdf.rdfio import compact_iri, new_graph
from gerokg.sources.claims import GKS
from gerokg.vocab import RELEASES

__all__ = ["NATIVE_PREFIXES", "base_graph", "is_native", "obo_document", "obographs_json", "simple_graph"]

#: IRI prefixes of the terms gerokg defines itself
NATIVE_PREFIXES = ("https://w3id.org/gerokg/GEROKG_", GKS)
OIO = "http://www.geneontology.org/formats/oboInOwl#"
IAO_DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
IAO_REPLACED_BY = URIRef("http://purl.obolibrary.org/obo/IAO_0100001")
SYNONYMS = {URIRef(OIO + "hasExactSynonym"): "EXACT", URIRef(OIO + "hasRelatedSynonym"): "RELATED",
            URIRef(OIO + "hasBroadSynonym"): "BROAD", URIRef(OIO + "hasNarrowSynonym"): "NARROW"}
#: OBO id spaces that are not OBO PURLs
IDSPACES = {"GEROKG": ("https://w3id.org/gerokg/GEROKG_", "gerokg native terms"),
            "HGNC": ("http://identifiers.org/hgnc/", "HGNC gene symbols")}


def is_native(node: Any) -> bool:
    """Whether ``node`` is an IRI gerokg mints (a ``GEROKG:`` term or the ``gks:`` schema).

    >>> is_native(URIRef("https://w3id.org/gerokg/GEROKG_0000001"))
    True
    >>> is_native(URIRef("http://purl.obolibrary.org/obo/GO_0009987"))
    False
    """
    return isinstance(node, URIRef) and str(node).startswith(NATIVE_PREFIXES)


def _closure(graph: Graph, node: Any, out: Graph, seen: set[Any]) -> None:
    """Copy the triples of the blank node ``node`` (and of blank nodes below it) into ``out``."""
    if not isinstance(node, BNode) or node in seen:
        return
    seen.add(node)
    for p, o in graph.predicate_objects(node):
        out.add((node, p, o))
        _closure(graph, o, out, seen)


def _header(onto: Graph, ontology_iri: URIRef, artefact: str, date: str, out: Graph) -> None:
    iri = URIRef(f"https://w3id.org/gerokg/{artefact}")
    for p, o in onto.predicate_objects(ontology_iri):
        if p in (OWL.imports, OWL.versionIRI):
            continue
        if not isinstance(o, BNode):
            out.add((iri, p, o))
    out.add((iri, OWL.versionIRI, URIRef(f"{RELEASES}{date}/{artefact}")))


def base_graph(onto: Graph, ontology_iri: URIRef, date: str) -> Graph:
    """The base artefact: the header and the axioms about native terms only.

    :param onto: the ontology graph (``gerokg.owl``: edit file plus the claims' axioms)
    :param ontology_iri: the ontology's IRI, whose header is copied
    :param date: the release date, for the version IRI
    :returns: a new graph, ontology IRI ``https://w3id.org/gerokg/gerokg-base.owl``
    """
    out = new_graph()
    _header(onto, ontology_iri, "gerokg-base.owl", date, out)
    seen: set[Any] = set()
    for s, p, o in onto:
        if is_native(s):
            out.add((s, p, o))
            _closure(onto, o, out, seen)
        elif isinstance(s, BNode) and (s, RDF.type, OWL.Axiom) in onto and is_native(onto.value(s, OWL.annotatedSource)):
            _closure(onto, s, out, seen)
    return out


def _named_classes(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}


def _properties(graph: Graph) -> set[URIRef]:
    found: set[URIRef] = set()
    for kind in (OWL.ObjectProperty, OWL.AnnotationProperty, OWL.DatatypeProperty, OWL.TransitiveProperty):
        found |= {s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    return found


def _intersections(graph: Graph, cls: URIRef) -> Iterator[list[Any]]:
    """The intersections ``cls`` is equivalent to, in a stable order."""
    found = []
    for eq in graph.objects(cls, OWL.equivalentClass):
        members = graph.value(eq, OWL.intersectionOf) if isinstance(eq, BNode) else None
        if members is not None:
            items = list(Collection(graph, members))
            key = [str(m) if isinstance(m, URIRef) else repr(_existential(graph, m)) for m in items]
            found.append((key, items))
    for _key, items in sorted(found, key=lambda f: f[0]):
        yield items


def _existential(graph: Graph, node: Any) -> tuple[URIRef, URIRef] | None:
    if not isinstance(node, BNode) or (node, RDF.type, OWL.Restriction) not in graph:
        return None
    prop, filler = graph.value(node, OWL.onProperty), graph.value(node, OWL.someValuesFrom)
    if isinstance(prop, URIRef) and isinstance(filler, URIRef):
        return prop, filler
    return None


def named_parents(merged: Graph, inferred: Graph | None = None) -> dict[URIRef, set[URIRef]]:
    """Named superclasses of each named class: asserted, relaxed from equivalences, inferred; reduced."""
    import networkx as nx

    classes = _named_classes(merged)
    edges: set[tuple[URIRef, URIRef]] = set()
    for sources in (merged, inferred) if inferred is not None else (merged,):
        for s, o in sources.subject_objects(RDFS.subClassOf):
            if isinstance(s, URIRef) and isinstance(o, URIRef) and s != o and o != OWL.Thing:
                edges.add((s, o))
    for cls in classes:
        for members in _intersections(merged, cls):
            edges |= {(cls, m) for m in members if isinstance(m, URIRef) and m != cls}
        for eq in merged.objects(cls, OWL.equivalentClass):
            if isinstance(eq, URIRef) and eq != cls:
                edges.add((cls, eq))
    dg = nx.DiGraph()
    dg.add_edges_from(edges)
    if nx.is_directed_acyclic_graph(dg):
        dg = nx.transitive_reduction(dg)
    parents: dict[URIRef, set[URIRef]] = {}
    for s, o in dg.edges():
        parents.setdefault(s, set()).add(o)
    return parents


def _merged(onto: Graph, modules: Iterable[Graph]) -> Graph:
    merged = new_graph()
    for g in (onto, *modules):
        for t in g:
            merged.add(t)
    return merged


def simple_graph(onto: Graph, modules: Iterable[Graph], ontology_iri: URIRef, date: str,
                 inferred: Graph | None = None) -> Graph:
    """The simple artefact: named classes with imports, only named-class subClassOf, reduced.

    :param onto: the ontology graph
    :param modules: the import modules' graphs
    :param ontology_iri: the ontology's IRI
    :param date: the release date
    :param inferred: the reasoner's conclusions (their named subClassOf are added), if it ran
    """
    merged = _merged(onto, modules)
    out = new_graph()
    _header(onto, ontology_iri, "gerokg-simple.owl", date, out)
    ontologies = set(merged.subjects(RDF.type, OWL.Ontology))
    annotation_props = set(merged.subjects(RDF.type, OWL.AnnotationProperty))
    for s, p, o in merged:
        if not isinstance(s, URIRef) or s in ontologies or isinstance(o, BNode):
            continue
        if p in (RDFS.subClassOf, OWL.equivalentClass):
            continue  # from named_parents below
        if isinstance(o, Literal) or p == RDF.type or p == RDFS.subPropertyOf or p in annotation_props:
            out.add((s, p, o))
    for cls, parents in named_parents(merged, inferred).items():
        for parent in parents:
            out.add((cls, RDFS.subClassOf, parent))
    for cls, (prop, filler) in sorted(_existential_parents(merged), key=str):
        r = BNode()
        out.add((cls, RDFS.subClassOf, r))
        out.add((r, RDF.type, OWL.Restriction))
        out.add((r, OWL.onProperty, prop))
        out.add((r, OWL.someValuesFrom, filler))
    return out


def _existential_parents(merged: Graph) -> set[tuple[URIRef, tuple[URIRef, URIRef]]]:
    """``(A, (R, B))`` for each ``A SubClassOf R some B``, asserted or relaxed from an equivalence."""
    found: set[tuple[URIRef, tuple[URIRef, URIRef]]] = set()
    for cls in _named_classes(merged):
        for sup in merged.objects(cls, RDFS.subClassOf):
            ex = _existential(merged, sup)
            if ex:
                found.add((cls, ex))
        for members in _intersections(merged, cls):
            for m in members:
                ex = _existential(merged, m)
                if ex:
                    found.add((cls, ex))
    return found


# --------------------------------------------------------------------------------------------
# OBO and obographs


def _curie(node: Any) -> str | None:
    if not isinstance(node, URIRef):
        return None
    c = compact_iri(str(node))
    if c == str(node) or c.startswith(("gks:", "gkc:", "gkr:", "owl:", "rdfs:", "rdf:")):
        return None
    return c


def _defs(merged: Graph, cls: URIRef) -> list[str]:
    return sorted(str(d) for d in merged.objects(cls, IAO_DEFINITION))


def obo_document(onto: Graph, modules: Iterable[Graph], date: str, inferred: Graph | None = None) -> Any:
    """The ontology with its imports as a ``fastobo.doc.OboDoc`` (OBO 1.4).

    :returns: the document; ``str(doc)`` is the OBO text
    """
    import fastobo

    merged = _merged(onto, modules)
    parents = named_parents(merged, inferred)
    used_relations: set[URIRef] = set()
    frames: list[Any] = []
    for cls in sorted(_named_classes(merged), key=str):
        cid = _curie(cls)
        if cid is not None:
            frames.append(_term_frame(merged, cls, cid, parents, used_relations))
    props = {p for p in merged.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef)} | used_relations
    typedefs: list[Any] = []
    for prop in sorted(props, key=str):
        rid = _curie(prop)
        if rid is not None:
            typedefs.append(_typedef_frame(merged, prop, rid))
    return fastobo.doc.OboDoc(_obo_header(merged, date), frames + typedefs)


def _term_frame(merged: Graph, cls: URIRef, cid: str, parents: dict[URIRef, set[URIRef]],
                used_relations: set[URIRef]) -> Any:
    """A class's OBO term frame; the relations its frame uses are added to ``used_relations``."""
    import fastobo
    from fastobo import term as ft
    from fastobo.id import parse as pid
    from fastobo.syn import Synonym
    from fastobo.xref import XrefList

    clauses: list[Any] = []
    label = merged.value(cls, RDFS.label)
    if label is not None:
        clauses.append(ft.NameClause(str(label)))
    for d in _defs(merged, cls)[:1]:
        clauses.append(ft.DefClause(d, XrefList()))
    for c in sorted(str(x) for x in merged.objects(cls, RDFS.comment)):
        clauses.append(ft.CommentClause(c))
    for p, scope in SYNONYMS.items():
        for syn in sorted(str(x) for x in merged.objects(cls, p)):
            clauses.append(ft.SynonymClause(Synonym(syn, scope)))
    for xref in sorted(str(x) for x in merged.objects(cls, URIRef(OIO + "hasDbXref"))):
        if ":" in xref and " " not in xref:
            clauses.append(ft.XrefClause(fastobo.xref.Xref(pid(xref))))
    for parent in sorted(parents.get(cls, ()), key=str):
        pc = _curie(parent)
        if pc:
            clauses.append(ft.IsAClause(pid(pc)))
    rels: set[tuple[str, str]] = set()
    for sup in merged.objects(cls, RDFS.subClassOf):
        ex = _existential(merged, sup)
        if ex and _curie(ex[0]) and _curie(ex[1]):
            used_relations.add(ex[0])
            rels.add((str(_curie(ex[0])), str(_curie(ex[1]))))
    clauses.extend(ft.RelationshipClause(pid(r), pid(f)) for r, f in sorted(rels))
    clauses.extend(_intersection_clauses(merged, cls, used_relations))
    if (cls, OWL.deprecated, Literal(True)) in merged:
        clauses.append(ft.IsObsoleteClause(True))
    return ft.TermFrame(pid(cid), clauses)


def _intersection_clauses(merged: Graph, cls: URIRef, used_relations: set[URIRef]) -> list[Any]:
    """The ``intersection_of`` clauses of the class's first equivalence, or none when OBO cannot
    express it (e.g. a union)."""
    from fastobo import term as ft
    from fastobo.id import parse as pid

    parts: list[Any] = []
    for members in list(_intersections(merged, cls))[:1]:
        for m in members:
            ex = _existential(merged, m)
            if isinstance(m, URIRef) and _curie(m):
                parts.append(ft.IntersectionOfClause(None, pid(_curie(m))))
            elif ex and _curie(ex[0]) and _curie(ex[1]):
                used_relations.add(ex[0])
                parts.append(ft.IntersectionOfClause(pid(_curie(ex[0])), pid(_curie(ex[1]))))
            else:
                parts = []  # not expressible in OBO (e.g. a union): leave the definition out
                break
    return parts


def _typedef_frame(merged: Graph, prop: URIRef, rid: str) -> Any:
    """An object property's OBO typedef frame."""
    from fastobo import typedef as ftd
    from fastobo.id import parse as pid
    from fastobo.xref import XrefList

    clauses: list[Any] = []
    label = merged.value(prop, RDFS.label)
    if label is not None:
        clauses.append(ftd.NameClause(str(label)))
    for d in _defs(merged, prop)[:1]:
        clauses.append(ftd.DefClause(d, XrefList()))
    for sup in sorted(merged.objects(prop, RDFS.subPropertyOf), key=str):
        if _curie(sup):
            clauses.append(ftd.IsAClause(pid(_curie(sup))))
    for inv in sorted(merged.objects(prop, OWL.inverseOf), key=str):
        if _curie(inv):
            clauses.append(ftd.InverseOfClause(pid(_curie(inv))))
    if (prop, RDF.type, OWL.TransitiveProperty) in merged:
        clauses.append(ftd.IsTransitiveClause(True))
    return ftd.TypedefFrame(pid(rid), clauses)


def _obo_header(merged: Graph, date: str) -> Any:
    """The OBO header frame: format and data version, id spaces, title and licence."""
    import fastobo
    from fastobo import header as fh

    head = [fh.FormatVersionClause("1.4"), fh.DataVersionClause(f"releases/{date}"), fh.OntologyClause("gerokg")]
    for prefix, (url, desc) in IDSPACES.items():
        head.append(fh.IdspaceClause(prefix, fastobo.id.Url(url), desc))
    header = URIRef("https://w3id.org/gerokg/gerokg.owl")
    title = merged.value(header, URIRef("http://purl.org/dc/terms/title"))
    if title is not None:
        head.append(fh.RemarkClause(str(title)))
    licence = merged.value(header, URIRef("http://purl.org/dc/terms/license"))
    if isinstance(licence, URIRef):
        from fastobo.pv import ResourcePropertyValue

        head.append(fh.PropertyValueClause(ResourcePropertyValue(
            fastobo.id.Url("http://purl.org/dc/terms/license"), fastobo.id.Url(str(licence)))))
    return fh.HeaderFrame(head)


def obo_text(doc: Any) -> bytes:
    """The OBO document as UTF-8 text ending in a newline."""
    text = str(doc)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def obographs_json(doc: Any, onto: Graph, modules: Iterable[Graph], date: str) -> bytes:
    """The OBO document as an obographs JSON document (``gerokg.json``)."""
    import fastobo

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gerokg.json"
        fastobo.dump_graph(doc, str(path))
        data = json.loads(path.read_text(encoding="utf-8"))
    graph = data["graphs"][0]
    graph["id"] = "https://w3id.org/gerokg/gerokg.json"
    graph.setdefault("meta", {})["version"] = f"{RELEASES}{date}/gerokg.json"
    merged = _merged(onto, modules)
    logical = []
    for cls in sorted(_named_classes(merged), key=str):
        for members in list(_intersections(merged, cls))[:1]:
            genus = [str(m) for m in members if isinstance(m, URIRef)]
            restrictions = []
            for m in members:
                ex = _existential(merged, m)
                if ex:
                    restrictions.append({"propertyId": str(ex[0]), "fillerId": str(ex[1])})
            if len(genus) + len(restrictions) == len(members):
                logical.append({"definedClassId": str(cls), "genusIds": genus, "restrictions": restrictions})
    graph["logicalDefinitionAxioms"] = logical
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
