"""Checks that enforce the modelling guide (``ontology/MODELLING.md``).

Each check takes rdflib graphs and returns findings (:class:`gerokg.checks.findings.CheckFinding`); ``gerokg
check`` runs them beside the SPARQL report checks. They are:

- ``domain_range``: every claim and class axiom uses its relation between terms of the BFO
  categories the relation allows (``ontology/relation-constraints.yaml``);
- ``imported_class_axiom``: the base ontology asserts nothing on an imported class; the bridge
  module asserts only axioms and synonyms that a claim or quote supports;
- ``native_duplicate``: no native term's label or exact synonym is the label or exact synonym of
  a live term of the import modules (or, given the reference snapshots, of the whole snapshot);
- ``circular_definition``: no native definition names its own term, and no two definitions name
  each other (directly or round a longer cycle);
- ``definition_genus``: a native definition starts with the label of an asserted parent
  (genus-differentia: "A <parent> that ...");
- ``non_assertive_step``: no claim of a non-assertive kind (hypothesis, question, refuted
  expectation, methodological statement) is a step of ``explain``, the ``mechanism-chains`` query
  or the networkx export's default graph;
- ``inference_beyond_review``: every named class the reasoner assigns to an imported drug or gene
  that no claim states directly must be listed, with its reason, in MODELLING.md.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from gerokg.rdf.rdfio import compact_iri, expand_curie
from gerokg.vocab import GKS, NATIVE

__all__ = [
    "CATEGORY_ROOTS",
    "JUSTIFIED_HEADING",
    "categories",
    "check_circular_definitions",
    "check_definition_genus",
    "check_domain_range",
    "check_imported_axioms",
    "check_inferences_beyond_review",
    "check_native_duplicates",
    "check_non_assertive_steps",
    "justified_inferences",
    "load_relation_constraints",
    "run_modelling_checks",
]

OBO = "http://purl.obolibrary.org/obo/"
IAO_DEFINITION = URIRef(OBO + "IAO_0000115")
EXACT = URIRef("http://www.geneontology.org/formats/oboInOwl#hasExactSynonym")
NAMESPACE = URIRef("http://www.geneontology.org/formats/oboInOwl#hasOBONamespace")
SUPPORTED_BY = URIRef(GKS + "supported_by")
QUOTE = URIRef(GKS + "quote")
LOGICAL = (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith)

#: the classes whose descendants fall into each BFO category (nearest root wins)
CATEGORY_ROOTS: dict[str, str] = {
    OBO + "BFO_0000015": "process",
    OBO + "BFO_0000003": "process",
    OBO + "GO_0008150": "process",
    OBO + "GO_0003674": "process",
    OBO + "GO_0005575": "material",
    OBO + "BFO_0000040": "material",
    OBO + "BFO_0000004": "material",
    OBO + "CHEBI_24431": "material",
    OBO + "CHEBI_50906": "role",
    OBO + "BFO_0000023": "role",
    OBO + "BFO_0000019": "quality",
    OBO + "BFO_0000016": "disposition",
    OBO + "MONDO_0000001": "disposition",
}
#: where a snapshot carries no upper-level parent: the category of a prefix or GO namespace
_PREFIX_CATEGORY = {
    "http://identifiers.org/hgnc/": "material",  # a gene stands for its product (MODELLING.md)
    OBO + "NCBITaxon_": "material",
    OBO + "MONDO_": "disposition",
}
_GO_NAMESPACE = {"biological_process": "process", "molecular_function": "process",
                 "cellular_component": "material"}
JUSTIFIED_HEADING = "## Inferences beyond the review"


def _finding(check: str, entity: Any, prop: Any, value: str, level: str = "ERROR") -> Any:
    from gerokg.checks.findings import CheckFinding

    def text(x: Any) -> str:
        return compact_iri(str(x)) if isinstance(x, URIRef) else str(x)

    return CheckFinding(check=check, level=level, entity=text(entity), property=text(prop), value=value)


def _curie_iri(curie: str) -> URIRef:
    if curie == "rdfs:subClassOf":
        return RDFS.subClassOf
    return URIRef(expand_curie(curie))


def load_relation_constraints(path: str | Path | None = None) -> dict[URIRef, tuple[set[str], set[str]]]:
    """The domain and range categories of each relation (``ontology/relation-constraints.yaml``)."""
    if path is None:
        from gerokg.resources import ontology_dir

        path = ontology_dir() / "relation-constraints.yaml"
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return {_curie_iri(k): (set(v["domain"]), set(v["range"])) for k, v in raw.items()}


def _named_parents(graph: Graph) -> dict[Any, set[Any]]:
    parents: dict[Any, set[Any]] = defaultdict(set)
    for s, o in graph.subject_objects(RDFS.subClassOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            parents[s].add(o)
    for s, o in graph.subject_objects(OWL.equivalentClass):
        if isinstance(s, URIRef) and isinstance(o, BNode):
            members = graph.value(o, OWL.intersectionOf)
            if members is not None:
                parents[s].update(m for m in graph.items(members) if isinstance(m, URIRef))
    return parents


def categories(graph: Graph) -> dict[URIRef, str]:
    """The BFO category of every class of the graph that has one (nearest categorised ancestor)."""
    parents = _named_parents(graph)
    terms = set(parents) | {s for s in graph.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    out: dict[URIRef, str] = {}
    for term in terms:
        cat = _category(term, parents, graph)
        if cat:
            out[term] = cat
    return out


def _category(term: URIRef, parents: dict[URIRef, set[URIRef]], graph: Graph) -> str | None:
    frontier, seen = [term], {term}
    while frontier:  # breadth first: the nearest root decides
        nxt = []
        for t in frontier:
            if str(t) in CATEGORY_ROOTS:
                return CATEGORY_ROOTS[str(t)]
            for p in sorted(parents.get(t, ())):
                if p not in seen:
                    seen.add(p)
                    nxt.append(p)
        frontier = nxt
    ns = graph.value(term, NAMESPACE)
    if ns is not None and str(ns) in _GO_NAMESPACE:
        return _GO_NAMESPACE[str(ns)]
    for prefix, cat in _PREFIX_CATEGORY.items():
        if str(term).startswith(prefix):
            return cat
    return None


def _fits(cat: str | None, allowed: set[str], other: str | None) -> bool:
    if cat is None or "any" in allowed:
        return True
    if "same" in allowed:
        return other is None or cat == other
    return cat in allowed


def check_domain_range(graph: Graph, constraints: dict[URIRef, tuple[set[str], set[str]]] | None = None) -> list[Any]:
    """Claims and class axioms whose subject or object is outside the relation's domain or range."""
    constraints = load_relation_constraints() if constraints is None else constraints
    cats = categories(graph)
    findings = []

    def test(entity: Any, s: Any, p: Any, o: Any) -> None:  # noqa: ANN401
        if p not in constraints:
            findings.append(_finding("domain_range", entity, p, "relation has no domain/range entry in "
                                     "relation-constraints.yaml"))
            return
        dom, rng = constraints[p]
        cs, co = cats.get(s), cats.get(o)
        if not _fits(cs, dom, co):
            findings.append(_finding("domain_range", entity, p, f"subject {compact_iri(str(s))} is a {cs}; "
                                     f"the relation's domain is {'/'.join(sorted(dom))}"))
        if not _fits(co, rng, cs):
            findings.append(_finding("domain_range", entity, p, f"object {compact_iri(str(o))} is a {co}; "
                                     f"the relation's range is {'/'.join(sorted(rng))}"))

    for claim in sorted(graph.subjects(RDF.type, URIRef(GKS + "Claim")), key=str):
        s, p, o = (graph.value(claim, URIRef(GKS + x)) for x in ("subject", "predicate", "object"))
        if s is not None and p is not None and o is not None:
            test(claim, s, p, o)
    axioms: list[tuple[Any, Any]] = [(c, t) for prop in (RDFS.subClassOf, OWL.equivalentClass)
                                     for c, t in graph.subject_objects(prop)]
    for c, target in sorted(axioms, key=lambda ct: (str(ct[0]), str(ct[1]))):
        if not isinstance(c, URIRef) or not isinstance(target, BNode):
            continue
        restrictions: list[Any] = [target]
        members = graph.value(target, OWL.intersectionOf)
        if members is not None:
            restrictions = list(graph.items(members))
        comp = graph.value(target, OWL.complementOf)
        if comp is not None:
            restrictions = [comp]
        for r in restrictions:
            p, d = graph.value(r, OWL.onProperty), graph.value(r, OWL.someValuesFrom)
            if isinstance(p, URIRef) and isinstance(d, URIRef):
                test(c, c, p, d)
    return findings


def _is_native(iri: Any) -> bool:
    return str(iri).startswith((NATIVE, GKS, "https://w3id.org/gerokg/"))


def check_imported_axioms(base: Graph, bridge: Graph, imported: Iterable[URIRef]) -> list[Any]:
    """Axioms (or any assertion) on imported classes in the base ontology; unsupported ones in the bridge."""
    imported = {i for i in imported if not _is_native(i)}
    findings = []
    for s, p, o in sorted(base, key=lambda t: tuple(str(x) for x in t)):
        if s in imported:
            findings.append(_finding("imported_class_axiom", s, p, f"asserted in the base ontology on an "
                                     f"imported class: {compact_iri(str(o)) if isinstance(o, URIRef) else str(o)[:60]} "
                                     "(move it to the bridge module with its claim, or drop it)"))
    annotated = set()
    for ax in bridge.subjects(RDF.type, OWL.Axiom):
        if (ax, SUPPORTED_BY, None) in bridge or (ax, QUOTE, None) in bridge:
            annotated.add((bridge.value(ax, OWL.annotatedSource), bridge.value(ax, OWL.annotatedProperty),
                           bridge.value(ax, OWL.annotatedTarget)))
    for s, p, o in sorted(bridge, key=lambda t: tuple(str(x) for x in t)):
        if s in imported and (p in LOGICAL or p == EXACT or str(p).startswith(
                "http://www.geneontology.org/formats/oboInOwl#has")) and (s, p, o) not in annotated:
            findings.append(_finding("imported_class_axiom", s, p, "bridge axiom without the claim or quote "
                                     "that states it (gks:supported_by / gks:quote on the axiom)"))
    return findings


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def _live(graph: Graph, s: Any) -> bool:
    return (s, OWL.deprecated, Literal(True)) not in graph and not any(
        str(o).lower() == "true" for o in graph.objects(s, OWL.deprecated))


def check_native_duplicates(graph: Graph, snapshot_names: dict[str, set[str]] | None = None) -> list[Any]:
    """Native terms whose label or exact synonym names a live external term.

    :param graph: the release (native terms and the import modules)
    :param snapshot_names: optional further names (normalised label or exact synonym -> CURIEs),
        e.g. from the reference snapshots, see :func:`snapshot_names`
    """
    names: dict[str, set[str]] = defaultdict(set)
    for prop in (RDFS.label, EXACT):
        for s, o in graph.subject_objects(prop):
            if isinstance(s, URIRef) and not _is_native(s) and _live(graph, s) and (
                    s, RDF.type, OWL.Class) in graph:
                names[_norm(str(o))].add(compact_iri(str(s)))
    for name, curies in (snapshot_names or {}).items():
        names[name].update(curies)
    findings = []
    for s in sorted(set(graph.subjects(RDF.type, OWL.Class)), key=str):
        if not str(s).startswith(NATIVE) or not _live(graph, s):
            continue
        for prop in (RDFS.label, EXACT):
            for o in graph.objects(s, prop):
                hits = names.get(_norm(str(o)))
                if hits:
                    findings.append(_finding("native_duplicate", s, prop, f"{str(o)!r} also names "
                                             f"{', '.join(sorted(hits))}; reuse it (obsolete the native term)"))
    return findings


def snapshot_names(refdata: str | Path) -> dict[str, set[str]]:
    """Labels of the live terms of the GO, MONDO and ChEBI reference snapshots (normalised)."""
    import gzip
    import json

    out: dict[str, set[str]] = defaultdict(set)
    root = Path(refdata)
    for fname, prefix in (("go.json.gz", ""), ("mondo.json.gz", "MONDO:"), ("chebi.json.gz", "")):
        path = root / fname
        if not path.exists():
            continue
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for entry in json.load(fh):
                out[_norm(entry["name"])].add(prefix + entry["id"])
    return out


def _native_definitions(graph: Graph) -> dict[Any, str]:
    return {s: str(o) for s, o in graph.subject_objects(IAO_DEFINITION)
            if str(s).startswith(NATIVE) and (s, RDF.type, OWL.Class) in graph and _live(graph, s)}


def _mentions(text: str, name: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(name.lower()) + r"(?![\w-])", text.lower()) is not None


def check_circular_definitions(graph: Graph) -> list[Any]:
    """Definitions that use their own term, or that define two or more terms by each other."""
    defs = _native_definitions(graph)
    names = {s: [str(o) for p in (RDFS.label, EXACT) for o in graph.objects(s, p)] for s in defs}
    uses: dict[Any, set[Any]] = defaultdict(set)
    findings = []
    for s, text in sorted(defs.items()):
        for other, other_names in names.items():
            if any(_mentions(text, n) for n in other_names):
                if other == s:
                    findings.append(_finding("circular_definition", s, IAO_DEFINITION,
                                             "the definition uses the term's own name"))
                else:
                    uses[s].add(other)
    # cycles between terms: strongly connected components of the "definition names" graph
    index: dict[Any, int] = {}
    low: dict[Any, int] = {}
    stack: list[Any] = []
    on: set[Any] = set()
    comps: list[list[Any]] = []

    def strong(v: Any) -> None:  # noqa: ANN401  # Tarjan, iterative enough for a few hundred terms
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(uses.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    for v in sorted(defs):
        if v not in index:
            strong(v)
    for comp in comps:
        cycle = " <-> ".join(compact_iri(str(c)) for c in comp)
        for c in comp:
            findings.append(_finding("circular_definition", c, IAO_DEFINITION,
                                     f"definitions name each other: {cycle}"))
    return findings


def check_definition_genus(graph: Graph) -> list[Any]:
    """Native definitions whose genus (the opening noun phrase, up to 'that', 'which', 'in which',
    a comma ...) does not contain the name of an asserted parent ("A nutritional intervention that"
    has the genus "intervention")."""
    findings = []
    for s, text in sorted(_native_definitions(graph).items()):
        parents = [p for p in graph.objects(s, RDFS.subClassOf) if isinstance(p, URIRef)]
        names = [str(o) for p in parents for prop in (RDFS.label, EXACT) for o in graph.objects(p, prop)]
        body = re.sub(r"^(a|an|any|the)\s+", "", text.strip(), flags=re.I).lower()
        genus = re.split(r"\s(?:that|which|whose|who|in which|by which|where|when)\s|[,;(]", body, maxsplit=1)[0]
        genus = re.sub(r"\bthe\s+", "", genus)
        if not any(_mentions(genus, n) or body.startswith(n.lower()) for n in names):
            wanted = " or ".join(repr(str(graph.value(p, RDFS.label) or compact_iri(str(p)))) for p in parents)
            findings.append(_finding("definition_genus", s, IAO_DEFINITION,
                                     f"the definition should open with its parent: 'A {wanted[1:-1] if len(parents) == 1 else wanted} ...'"
                                     f" (it opens {text[:50]!r})"))
    return findings


def _non_assertive(graph: Graph) -> set[Any]:
    """Claims whose kind does not assert its relation, or whose result was not significant."""
    kinds = {k for k in graph.subjects(URIRef(GKS + "asserts_relation"), None)
             if str(graph.value(k, URIRef(GKS + "asserts_relation"))).lower() == "false"}
    out = set()
    for claim in graph.subjects(RDF.type, URIRef(GKS + "Claim")):
        if graph.value(claim, URIRef(GKS + "kind")) in kinds or graph.value(
                claim, URIRef(GKS + "significance")) == URIRef(GKS + "not_significant"):
            out.add(claim)
    return out


def check_non_assertive_steps(graph: Graph, store: Any = None, edges: Any = None, networkx: Any = None,
                              query: Any = "mechanism-chains") -> list[Any]:
    """Claims that should not be steps but are: in explain, mechanism-chains or to_networkx().

    :param graph: the release
    :param store: a store holding it, to run the chain query on (skipped when None)
    :param edges: the step finder (default: explain's); ``networkx``: the export (default:
        :func:`gerokg.answers.explain.to_networkx`); ``query``: the chain query (a name or a
        :class:`gerokg.querying.canned.CannedQuery`) -- replaceable so that a finder that ignores claim kinds
        can be shown to fail
    """
    from gerokg.answers.explain import _edges, to_networkx

    edges = _edges if edges is None else edges
    networkx = to_networkx if networkx is None else networkx
    bad = _non_assertive(graph)
    findings = []
    for steps in edges(graph).values():
        for step in steps:
            if step.claim and URIRef(step.claim) in bad:
                findings.append(_finding("non_assertive_step", URIRef(step.claim), URIRef(step.relation),
                                         "a step of explain()"))
    nx_graph = networkx(graph)
    for _s, _o, data in nx_graph.edges(data=True):
        if URIRef(data["claim"]) in bad:
            findings.append(_finding("non_assertive_step", URIRef(data["claim"]), URIRef(data["predicate"]),
                                     "an edge of to_networkx()"))
    if store is not None:
        from gerokg.querying.canned import run_query

        pairs = sorted({(graph.value(c, URIRef(GKS + "subject")), graph.value(c, URIRef(GKS + "object")))
                        for c in bad})
        for s, o in pairs:
            if s is None or o is None or s == o:
                continue
            rows = run_query(query, store, {"start": str(s), "target": str(o)}).rows
            for row in rows:
                for key in ("claim1", "claim2", "claim3"):
                    value = row.get(key)
                    if value is not None and URIRef(str(value)) in bad:
                        findings.append(_finding("non_assertive_step", URIRef(str(value)), key,
                                                 "a step of the mechanism-chains query"))
    return sorted(set(findings), key=lambda f: (f.entity, f.value))


def justified_inferences(path: str | Path | None = None) -> dict[tuple[str, str], str]:
    """The inferences beyond the review that MODELLING.md justifies: (term, class) -> reason.

    They are the rows ``| CURIE | CURIE | reason |`` of the table under the heading
    ``## Inferences beyond the review``.
    """
    if path is None:
        from gerokg.resources import ontology_dir

        path = ontology_dir() / "MODELLING.md"
    text = Path(path).read_text(encoding="utf-8")
    out: dict[tuple[str, str], str] = {}
    section = text.split(JUSTIFIED_HEADING, 1)[1].split("\n## ", 1)[0] if JUSTIFIED_HEADING in text else ""
    for line in section.splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and re.fullmatch(r"[A-Za-z]+:\w+", cells[0]) and re.fullmatch(r"[A-Za-z]+:\w+", cells[1]):
            out[(cells[0], cells[1])] = cells[2]
    return out


def _asserted_closure(graph: Graph, start: Any) -> set[Any]:
    seen: set[Any] = set()
    todo = [o for o in graph.objects(start, RDFS.subClassOf) if isinstance(o, URIRef)]
    while todo:
        c = todo.pop()
        if c not in seen:
            seen.add(c)
            todo.extend(o for o in graph.objects(c, RDFS.subClassOf) if isinstance(o, URIRef))
    return seen


def check_inferences_beyond_review(graph: Graph, reasoning: Any,
                                   justified: dict[tuple[str, str], str] | None = None) -> list[Any]:
    """Classes the reasoner assigns to an imported drug or gene that no claim states directly.

    A class is stated directly when a claim says ``term rdfs:subClassOf class`` (or the class is an
    asserted ancestor of such a class, or of the term in its own source). BFO's upper-level
    categories, which the reasoner derives from RO's domains and ranges (sirolimus has a role, so
    it is an independent continuant), are not reported. Justified entries are reported as INFO;
    the others as ERROR.
    """
    justified = justified_inferences() if justified is None else justified
    stated: dict[Any, set[Any]] = defaultdict(set)
    for claim in graph.subjects(RDF.type, URIRef(GKS + "Claim")):
        if graph.value(claim, URIRef(GKS + "predicate")) == RDFS.subClassOf and claim not in _non_assertive(graph):
            s, o = graph.value(claim, URIRef(GKS + "subject")), graph.value(claim, URIRef(GKS + "object"))
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                stated[s].add(o)
    findings = []
    for term, supers in sorted(reasoning.superclasses.items()):
        iri = URIRef(term)
        if not str(iri).startswith((OBO + "CHEBI_", "http://identifiers.org/hgnc/")):
            continue
        allowed = set(_asserted_closure(graph, iri))
        for c in stated.get(iri, ()):
            allowed |= {c} | _asserted_closure(graph, c)
        for cls in sorted(supers):
            if URIRef(cls) in allowed or cls == str(OWL.Thing) or cls.startswith(OBO + "BFO_"):
                continue  # BFO categories follow from RO's domains and ranges (MODELLING.md, section 5)
            key = (compact_iri(term), compact_iri(cls))
            reason = justified.get(key)
            findings.append(_finding("inference_beyond_review", iri, RDFS.subClassOf,
                                     f"{key[1]}: " + (f"justified: {reason}" if reason else
                                                      "no claim states it; justify it in MODELLING.md or remove its cause"),
                                     level="INFO" if reason else "ERROR"))
    return findings


def run_modelling_checks(graphs: dict[str, Graph] | None = None, store: Any = None, reasoning: Any = None,
                         refdata: str | Path | None = None) -> tuple[list[Any], list[str]]:
    """Run every modelling check on the release graphs (default: built from the sources).

    :param graphs: ``build_graphs`` output (``ontology``, ``bridge``, ``full``)
    :param store: a store to run the mechanism-chains query on (optional)
    :param reasoning: a :class:`gerokg.release.reason.ReasoningResult` for the inferences report (optional)
    :param refdata: the reference snapshots folder, to look for duplicates in whole snapshots
    :returns: (findings, names of the checks run)
    """
    if graphs is None:
        from gerokg.release.assemble import build_graphs, load_sources_data

        data = load_sources_data()
        graphs = build_graphs(data)
        imported = {s for m in data.modules.values() for s in m.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    else:
        imported = {s for s in graphs["full"].subjects(RDF.type, OWL.Class)
                    if isinstance(s, URIRef) and not _is_native(s)}
    full = graphs["full"]
    findings = [
        *check_domain_range(full),
        *check_imported_axioms(graphs["ontology"], graphs["bridge"], imported),
        *check_native_duplicates(full, snapshot_names(refdata) if refdata else None),
        *check_circular_definitions(full),
        *check_definition_genus(full),
        *check_non_assertive_steps(full, store),
    ]
    names = ["domain_range", "imported_class_axiom", "native_duplicate", "circular_definition",
             "definition_genus", "non_assertive_step"]
    if reasoning is not None:
        findings.extend(check_inferences_beyond_review(full, reasoning))
        names.append("inference_beyond_review")
    return findings, names
