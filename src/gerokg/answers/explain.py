"""Mechanism explanations: chains of stated causal and regulatory relations between two terms.

The review's argument is a chain: mTOR drives geroconversion, geroconversion underlies ageing,
ageing breeds cancer, so an mTOR inhibitor prevents cancer. ``explain`` makes such chains
computable. Steps come from three sources, each traceable:

- **claims** of the review whose relation is causal or regulatory (each step cites the claim,
  its quote and references);
- **definitions**: the logical definitions of the ontology (``negative regulation of
  geroconversion`` is defined as a process that negatively regulates geroconversion);
- **is a**: a term inherits what is stated of its superclasses (sirolimus is a rapalog).

Each relation has a sign (+ increases, - decreases) and a chain's effect is the product of its
signs: inhibiting an activator is a negative effect.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDFS

from gerokg.errors import GerokgError, UnknownTermError
from gerokg.rdf.claimread import read_claim, read_claims
from gerokg.rdf.rdfio import compact_iri, term_iri
from gerokg.vocab import NATIVE

__all__ = ["Chain", "Step", "UnknownTermError", "asserts", "explain", "SIGNS", "to_networkx"]

OBO = "http://purl.obolibrary.org/obo/"

#: the sign of each causal or regulatory relation: +1 increases, -1 decreases
SIGNS: dict[str, int] = {
    OBO + "RO_0002212": -1,  # negatively regulates
    OBO + "RO_0002213": +1,  # positively regulates
    OBO + "RO_0002305": -1,  # causally upstream of, negative effect
    OBO + "RO_0002304": +1,  # causally upstream of, positive effect
    OBO + "RO_0012006": -1,  # is small molecule inhibitor of
    OBO + "RO_0012005": +1,  # is small molecule activator of
    OBO + "RO_0002215": +1,  # capable of (carries out the process)
    OBO + "RO_0002598": +1,  # capable of positively regulating
    OBO + "RO_0002597": -1,  # capable of negatively regulating
    OBO + "RO_0004034": +1,  # acts upstream of, positive effect
    OBO + "RO_0004035": -1,  # acts upstream of, negative effect
    OBO + "RO_0002599": -1,  # capable of inhibiting or preventing pathological process
    OBO + "RO_0003304": +1,  # contributes to condition
    OBO + "RO_0003303": +1,  # causes condition
    OBO + "RO_0003307": -1,  # ameliorates condition
    OBO + "RO_0002606": -1,  # is substance that treats
    NATIVE + "0000202": -1,  # decreases incidence of
    NATIVE + "0000203": +1,  # increases incidence of
}


@dataclass(frozen=True)
class Step:
    """One step of a chain."""

    source: str           # IRI
    target: str           # IRI
    relation: str         # IRI of the relation, or rdfs:subClassOf
    sign: int             # +1, -1 (0 for is-a steps, which carry the sign through)
    via: str              # "claim", "definition" or "is a"
    claim: str | None = None
    quote: str | None = None
    references: tuple[int, ...] = ()
    source_label: str = ""
    target_label: str = ""
    relation_label: str = ""
    kind: str | None = None

    def text(self) -> str:
        arrow = {1: "+", -1: "-", 0: "is a"}[self.sign]
        what = f"{self.relation_label} [{arrow}]" if self.sign else "is a"
        kind = f"{self.kind}, " if self.kind and self.kind != "mechanism" else ""
        where = f" ({kind}{compact_iri(self.claim)}: \"{self.quote}\" refs {list(self.references)})" if self.claim else (
            f" ({self.via})" if self.via != "is a" else "")
        return f"{self.source_label} --{what}--> {self.target_label}{where}"


@dataclass
class Chain:
    """A chain of steps from the start to the end term, with its net effect."""

    steps: list[Step] = field(default_factory=list)

    @property
    def effect(self) -> int:
        sign = 1
        for s in self.steps:
            if s.sign:
                sign *= s.sign
        return sign

    @property
    def effect_text(self) -> str:
        return "increases" if self.effect > 0 else "decreases"

    @property
    def claims(self) -> list[str]:
        return [s.claim for s in self.steps if s.claim]

    @property
    def length(self) -> int:
        """Number of causal steps (is-a steps do not count)."""
        return sum(1 for s in self.steps if s.sign)

    def text(self) -> str:
        return "\n".join(f"  {n}. {s.text()}" for n, s in enumerate(self.steps, 1))


def asserts(graph: Graph, claim: Any) -> bool:
    """True when the claim asserts its relation: its kind does (``gks:asserts_relation true``; a
    hypothesis, question, refuted expectation or methodological statement does not) and its result
    is not reported as statistically insignificant (:attr:`gerokg.rdf.claimread.Claim.asserts`)."""
    c = read_claim(graph, str(claim))
    return c is not None and c.asserts


def _resolve(term: str, graph: Graph) -> URIRef:
    from gerokg.querying.terms import curie_or_iri, looks_like_curie, resolve_term

    try:
        iri = URIRef(term_iri(term) if curie_or_iri(term) or looks_like_curie(term) else resolve_term(term, what="explain"))
    except ValueError as exc:
        if isinstance(exc, GerokgError):
            raise
        raise UnknownTermError(f"{term!r}: {exc}") from None
    if (iri, None, None) not in graph and (None, None, iri) not in graph:
        raise UnknownTermError(f"{term} is not a term of the graph; check the CURIE (see 'gerokg term NAME')")
    return iri


def _edges(graph: Graph) -> dict[URIRef, list[Step]]:
    labels = {s: str(o) for s, o in graph.subject_objects(RDFS.label)}
    out: dict[URIRef, list[Step]] = defaultdict(list)

    def lab(x: Any) -> str:
        return labels.get(x, compact_iri(str(x)))

    for c in read_claims(graph):
        if c.polarity != "affirmed" or not c.asserts:
            continue  # a negated claim, a hypothesis, question, refuted expectation, ... asserts no step
        if c.predicate not in SIGNS or c.subject is None or c.object is None:
            continue
        s, o = URIRef(c.subject), URIRef(c.object)
        out[s].append(Step(c.subject, c.object, c.predicate, SIGNS[c.predicate], "claim", c.iri,
                           str(c.quote), c.references, lab(s), lab(o), lab(URIRef(c.predicate)), c.kind or None))
    # logical definitions and class axioms: C subClassOf/equivalentClass (P some D), P causal
    for cls, rel in ((c, r) for prop in (RDFS.subClassOf, OWL.equivalentClass) for c, r in graph.subject_objects(prop)):
        if not isinstance(cls, URIRef) or not isinstance(rel, BNode):
            continue
        restrictions: list[Any] = [rel]
        members = graph.value(rel, OWL.intersectionOf)
        if members is not None:
            restrictions = list(graph.items(members))
        for r in restrictions:
            p, d = graph.value(r, OWL.onProperty), graph.value(r, OWL.someValuesFrom)
            if str(p) in SIGNS and isinstance(d, URIRef) and not any(
                    e.target == str(d) and e.relation == str(p) for e in out[cls]):
                out[cls].append(Step(str(cls), str(d), str(p), SIGNS[str(p)], "definition", None, None, (),
                                     lab(cls), lab(d), lab(p)))
    for sub, parent in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(parent, URIRef):
            out[sub].append(Step(str(sub), str(parent), str(RDFS.subClassOf), 0, "is a", None, None, (),
                                 lab(sub), lab(parent), "is a"))
    return out


def explain(
    subject: str,
    obj: str,
    max_steps: int = 4,
    graph: Graph | None = None,
    limit: int = 50,
) -> list[Chain]:
    """Find chains of stated causal and regulatory relations from ``subject`` to ``obj``.

    :param subject: start term (CURIE, IRI, label or synonym), e.g. ``CHEBI:9168`` or ``rapamycin``
    :param obj: end term, e.g. ``GEROKG:0000006`` (oncogenesis)
    :param max_steps: the most causal steps a chain may take (is-a steps are free)
    :param graph: the graph to search (default: the release)
    :param limit: the most chains to return
    :returns: chains, shortest first (then fewest is-a steps, then by claim ids); empty when
        the terms are not connected within ``max_steps``
    :raises UnknownTermError: a term is not in the graph
    :raises TermResolutionError: a name fits no term, or several

    >>> chains = explain("CHEBI:9168", "GEROKG:0000006")
    >>> chains[0].effect_text
    'decreases'
    """
    if graph is None:
        from gerokg.release.release import default_release

        graph = default_release().graph()
    start, end = _resolve(subject, graph), _resolve(obj, graph)
    edges = _edges(graph)
    found: list[Chain] = []
    # depth-first over simple paths (no node twice: cycles are cut), bounded by max_steps
    stack: list[tuple[URIRef, list[Step], set[str], int]] = [(start, [], {str(start)}, 0)]
    max_isa = 6
    while stack:
        node, path, seen, causal = stack.pop()
        for e in edges.get(node, []):
            if e.target in seen:
                continue
            steps = causal + (1 if e.sign else 0)
            if steps > max_steps or (not e.sign and sum(1 for s in path if not s.sign) >= max_isa):
                continue
            new_path = [*path, e]
            if e.target == str(end):
                if steps > 0:
                    found.append(Chain(new_path))
                continue
            stack.append((URIRef(e.target), new_path, seen | {e.target}, steps))
    found.sort(key=lambda c: (c.length, len(c.steps), c.claims))
    unique: list[Chain] = []
    keys: set[tuple[tuple[str, str, str], ...]] = set()
    for c in found:
        key = tuple((s.source, s.relation, s.target) for s in c.steps)
        if key not in keys:
            keys.add(key)
            unique.append(c)
    return unique[:limit]


def to_networkx(graph: Graph | None = None, include_non_assertive: bool = False) -> Any:
    """The claims as a ``networkx.MultiDiGraph``: one edge per claim, typed and attributed.

    By default only claims that assert their relation are edges (see :func:`asserts`): a
    hypothesis, question, refuted expectation or methodological statement is left out unless
    ``include_non_assertive`` is true.

    Nodes are term IRIs with ``label`` and ``curie``; each edge (subject -> object, key = claim
    id) carries ``predicate``, ``predicate_label``, ``kind``, ``polarity``, ``sign`` (for causal
    relations), ``quote``, ``references``, ``section``, ``organism``, ``population`` and
    ``comparator``.
    """
    import networkx as nx

    if graph is None:
        from gerokg.release.release import default_release

        graph = default_release().graph()
    labels = {str(s): str(o) for s, o in graph.subject_objects(RDFS.label)}
    g = nx.MultiDiGraph()
    for c in read_claims(graph):
        if not include_non_assertive and not c.asserts:
            continue
        s, p, o = str(c.subject), str(c.predicate), str(c.object)
        for node in (s, o):
            g.add_node(node, label=labels.get(node, ""), curie=compact_iri(node))
        g.add_edge(s, o, key=compact_iri(c.iri),
                   claim=c.iri, predicate=p, predicate_label=labels.get(p, "subClassOf"),
                   kind=c.kind, polarity=c.polarity, sign=SIGNS.get(p, 0), quote=c.quote,
                   references=list(c.references), section=c.section,
                   organism=c.organism[0] if c.organism else None,
                   population=c.population[0] if c.population else None,
                   comparator=c.comparator[0] if c.comparator else None,
                   # the other qualifiers the graph stores, so the export drops none
                   evidence=c.evidence, timing=c.timing, year=c.year, significance=c.significance,
                   hedges=list(c.hedges), context={k: list(v) for k, v in c.context.items()},
                   quantities=[q.text for q in c.quantities], asserts=c.asserts)
    return g
