"""Why is a term classified under a class? Readable justifications of the reasoner's conclusions.

HermiT says *that* everolimus is a gerosuppressant; users want to know *why*. ``why()`` rebuilds
the argument from the axioms in the store, the way a curator would explain it:

1. everolimus is a rapalog (claim C0002, with its quote);
2. rapalog SubClassOf *capable of* some *negative regulation of geroconversion* (claims ...);
3. gerosuppressant is defined as chemical entity and *capable of* some *negative regulation
   of geroconversion*; both parts hold, so everolimus is a gerosuppressant.

The search covers the axioms gerokg uses (named superclasses, existential restrictions,
intersections in equivalent-class definitions, sub-properties) and works on any store, ChEBI
included, by pattern lookups. It is not a general OWL justification engine: a conclusion reached
another way is reported as inferred with no structural explanation (``None``).

The store may hold the reasoner's conclusions in the named graph :data:`INFERRED_GRAPH` (as
``gerokg serve --inferred`` and :func:`gerokg.release.store.open_store` with ``inferred=True`` do);
those triples are never used as reasons, only as the list of what to explain.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from gerokg.errors import NotInStoreError
from gerokg.rdf.rdfio import compact_iri, term_iri
from gerokg.vocab import GKS, INFERRED_GRAPH

__all__ = ["INFERRED_GRAPH", "Classifier", "Justification", "Reason", "term_in_store", "why"]


_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_GKS = GKS

SUBCLASS = ox.NamedNode(_RDFS + "subClassOf")
SUBPROP = ox.NamedNode(_RDFS + "subPropertyOf")
DOMAIN = ox.NamedNode(_RDFS + "domain")
EQUIV = ox.NamedNode(_OWL + "equivalentClass")
INTERSECTION = ox.NamedNode(_OWL + "intersectionOf")
ON_PROPERTY = ox.NamedNode(_OWL + "onProperty")
SOME = ox.NamedNode(_OWL + "someValuesFrom")
FIRST = ox.NamedNode(_RDF + "first")
REST = ox.NamedNode(_RDF + "rest")
NIL = ox.NamedNode(_RDF + "nil")
ANN_SOURCE = ox.NamedNode(_OWL + "annotatedSource")
ANN_PROPERTY = ox.NamedNode(_OWL + "annotatedProperty")
ANN_TARGET = ox.NamedNode(_OWL + "annotatedTarget")
SUPPORTED_BY = ox.NamedNode(_GKS + "supported_by")
THING = _OWL + "Thing"


@dataclass(frozen=True)
class Reason:
    """One step of a justification.

    ``kind`` is ``is_a`` (a path of asserted superclasses: ``path`` holds the IRIs, ``claims``
    the claims that state any of its links), ``domain`` (the domain of property ``subject`` is
    ``filler``), ``restriction`` (``subject`` SubClassOf
    ``property`` some ``filler``, stated by ``claims``) or ``definition`` (``subject`` is
    defined as the intersection ``parts``; each part is an IRI or a (property, filler) pair).
    """

    kind: str
    subject: str
    path: tuple[str, ...] = ()
    property: str = ""
    filler: str = ""
    parts: tuple[Any, ...] = ()
    claims: tuple[str, ...] = ()

    def text(self, label: Any = compact_iri) -> str:
        """A one-line rendering, with terms named by ``label(iri)``."""
        if self.kind == "is_a":
            return " is a ".join(label(p) for p in self.path)
        if self.kind == "domain":
            return f"whatever is {label(self.subject)} something is a {label(self.filler)} (the domain of {label(self.subject)})"
        if self.kind == "restriction":
            return f"{label(self.subject)} SubClassOf {label(self.property)} some {label(self.filler)}"
        parts = [label(p) if isinstance(p, str) else f"({label(p[0])} some {label(p[1])})" for p in self.parts]
        return f"{label(self.subject)} EquivalentTo " + " and ".join(parts)


@dataclass
class Justification:
    """Why ``subject`` falls under ``superclass``: the steps, in reading order."""

    subject: str
    superclass: str
    steps: list[Reason] = field(default_factory=list)
    #: labels of the terms the steps name (filled by :func:`why` from the store)
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, iri: str) -> str:
        """The term's label, or its CURIE."""
        return self.labels.get(iri) or compact_iri(iri)

    def text(self) -> str:
        """A short readable justification: one line per step, with labels and the claims that
        state it; a long is-a path (a ChEBI structure chain) is folded to its ends.

        >>> print(why("everolimus", "rapalog").text())
        everolimus is a rapalog because
          1. everolimus is a rapalog [gkc:C0002]
        >>> print(why("everolimus", "chemical entity").text())
        everolimus is a chemical entity because
          1. everolimus is a … is a chemical entity (through 7 ChEBI structure classes)
        """
        lines = [f"{self.label(self.subject)} is a {self.label(self.superclass)} because"]
        for n, step in enumerate(self.steps, 1):
            if step.kind == "is_a" and len(step.path) > 3:
                inner = step.path[1:-1]
                chebi = all(compact_iri(p).startswith("CHEBI:") for p in inner)
                what = "ChEBI structure classes" if chebi else "classes"
                line = (f"{self.label(step.path[0])} is a \u2026 is a {self.label(step.path[-1])} "
                        f"(through {len(inner)} {what})")
            else:
                line = step.text(self.label)
            cited = ", ".join(compact_iri(c) for c in step.claims)
            lines.append(f"  {n}. {line}" + (f" [{cited}]" if cited else ""))
        return "\n".join(lines)

    @property
    def claims(self) -> list[str]:
        """Every claim cited by the steps, in order of first use."""
        out: list[str] = []
        for s in self.steps:
            for c in s.claims:
                if c not in out:
                    out.append(c)
        return out


def _iri(term: Any) -> str | None:
    return term.value if isinstance(term, ox.NamedNode) else None


def term_in_store(store: ox.Store, iri: str) -> bool:
    """True when some triple of the store has ``iri`` as subject or object."""
    node = ox.NamedNode(iri)
    return (next(iter(store.quads_for_pattern(node, None, None)), None) is not None
            or next(iter(store.quads_for_pattern(None, None, node)), None) is not None)


class Classifier:
    """Structural explanations over a pyoxigraph store (see the module docstring)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._inferred_graph = ox.NamedNode(INFERRED_GRAPH)
        self._parents: dict[str, tuple[str, ...]] = {}
        self._restrictions: dict[str, list[tuple[str, str, Any]]] = {}
        self._definitions: dict[str, list[tuple[Any, ...]]] = {}
        self._superprops: dict[str, set[str]] = {}

    # -- the axioms, by pattern lookup (default graph only; the inferred graph is not a reason)
    def _objects(self, s: Any, p: ox.NamedNode) -> list[Any]:
        return [q.object for q in self.store.quads_for_pattern(s, p, None, ox.DefaultGraph())]

    def parents(self, iri: str) -> tuple[str, ...]:
        """Asserted named superclasses (and named equivalents) of a class."""
        if iri not in self._parents:
            node = ox.NamedNode(iri)
            found = {x for o in self._objects(node, SUBCLASS) if (x := _iri(o))}
            found |= {x for o in self._objects(node, EQUIV) if (x := _iri(o))}
            found |= {x for q in self.store.quads_for_pattern(None, EQUIV, node, ox.DefaultGraph())
                      if (x := _iri(q.subject))}
            inferred = {x for q in self.store.quads_for_pattern(node, SUBCLASS, None, self._inferred_graph)
                        if (x := _iri(q.object))}
            self._parents[iri] = tuple(sorted(found - inferred - {iri, THING}))
        return self._parents[iri]

    def inferred_superclasses(self, iri: str) -> list[str]:
        """The superclasses the reasoner added (the named graph :data:`INFERRED_GRAPH`)."""
        node = ox.NamedNode(iri)
        return sorted({x for q in self.store.quads_for_pattern(node, SUBCLASS, None, self._inferred_graph)
                       if (x := _iri(q.object))})

    def _list(self, head: Any) -> list[Any]:
        out, node, seen = [], head, set()
        while node is not None and node != NIL and str(node) not in seen:
            seen.add(str(node))
            first = self._objects(node, FIRST)
            if first:
                out.append(first[0])
            rest = self._objects(node, REST)
            node = rest[0] if rest else None
        return out

    def _restriction(self, node: Any) -> tuple[str, str] | None:
        if isinstance(node, ox.NamedNode):
            return None
        props, fillers = self._objects(node, ON_PROPERTY), self._objects(node, SOME)
        if len(props) == 1 and len(fillers) == 1 and _iri(props[0]) and _iri(fillers[0]):
            return props[0].value, fillers[0].value
        return None

    def claims_for(self, source: str, prop: ox.NamedNode, target: Any) -> tuple[str, ...]:
        """Claims (``gks:supported_by``) annotating the axiom ``source prop target``."""
        out: set[str] = set()
        for q in self.store.quads_for_pattern(None, ANN_SOURCE, ox.NamedNode(source), ox.DefaultGraph()):
            ax = q.subject
            if (self._objects(ax, ANN_PROPERTY) == [prop]
                    and target in self._objects(ax, ANN_TARGET)):
                out |= {x for o in self._objects(ax, SUPPORTED_BY) if (x := _iri(o))}
        return tuple(sorted(out))

    def restrictions(self, iri: str) -> list[tuple[str, str, Any]]:
        """(property, filler, axiom target node) of the asserted ``iri SubClassOf p some f``,
        including those implied by the parts of an equivalent-class intersection."""
        if iri not in self._restrictions:
            node = ox.NamedNode(iri)
            out = []
            for o in self._objects(node, SUBCLASS):
                r = self._restriction(o)
                if r:
                    out.append((r[0], r[1], o))
            for parts in self.definitions(iri):
                out += [(p[0], p[1], None) for p in parts if isinstance(p, tuple)]
            out.sort(key=lambda r: (r[0], r[1]))
            self._restrictions[iri] = out
        return self._restrictions[iri]

    def definitions(self, iri: str) -> list[tuple[Any, ...]]:
        """Equivalent-class intersections: tuples of named IRIs and (property, filler) pairs."""
        if iri not in self._definitions:
            defs = []
            for e in self._objects(ox.NamedNode(iri), EQUIV):
                if isinstance(e, ox.NamedNode):
                    continue
                for head in self._objects(e, INTERSECTION):
                    parts: list[Any] = []
                    for member in self._list(head):
                        if (x := _iri(member)):
                            parts.append(x)
                        elif (r := self._restriction(member)):
                            parts.append(r)
                        else:
                            parts = []
                            break
                    if parts:
                        defs.append(tuple(parts))
            self._definitions[iri] = defs
        return self._definitions[iri]

    def superproperties(self, iri: str) -> set[str]:
        """The property and its asserted super-properties, transitively."""
        if iri not in self._superprops:
            seen, todo = {iri}, [iri]
            while todo:
                p = todo.pop()
                for o in self._objects(ox.NamedNode(p), SUBPROP):
                    if (x := _iri(o)) and x not in seen:
                        seen.add(x)
                        todo.append(x)
            self._superprops[iri] = seen
        return self._superprops[iri]

    # -- the search
    def _isa_path(self, sub: str, sup: str) -> list[str] | None:
        """Shortest chain of asserted superclasses from ``sub`` to ``sup``."""
        if sub == sup:
            return [sub]
        prev: dict[str, str] = {sub: sub}
        todo = deque([sub])
        while todo:
            c = todo.popleft()
            for p in self.parents(c):
                if p in prev:
                    continue
                prev[p] = c
                if p == sup:
                    path = [p]
                    while path[-1] != sub:
                        path.append(prev[path[-1]])
                    return path[::-1]
                todo.append(p)
        return None

    def _ancestors(self, iri: str) -> list[str]:
        """``iri`` and its asserted ancestors, nearest first."""
        order, seen, todo = [], {iri}, deque([iri])
        while todo:
            c = todo.popleft()
            order.append(c)
            for p in self.parents(c):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        return order

    def _isa_reason(self, path: list[str]) -> list[Reason]:
        if len(path) < 2:
            return []
        claims: set[str] = set()
        for a, b in itertools.pairwise(path):
            claims |= set(self.claims_for(a, SUBCLASS, ox.NamedNode(b)))
        return [Reason("is_a", path[0], path=tuple(path), claims=tuple(sorted(claims)))]

    def prove(self, sub: str, sup: str, depth: int = 0, active: frozenset[tuple[str, str]] = frozenset()) -> list[Reason] | None:
        """Steps showing ``sub`` SubClassOf ``sup`` from asserted axioms, or None."""
        if sub == sup:
            return []
        if depth > 6 or (sub, sup) in active:
            return None
        active = active | {(sub, sup)}
        path = self._isa_path(sub, sup)
        if path:
            return self._isa_reason(path)
        domain_steps = self._prove_by_domain(sub, sup)
        if domain_steps is not None:
            return domain_steps
        for parts in self.definitions(sup):
            steps: list[Reason] = []
            for part in parts:
                got = (self.prove(sub, part, depth + 1, active) if isinstance(part, str)
                       else self.prove_some(sub, part[0], part[1], depth + 1, active))
                if got is None:
                    break
                steps += [s for s in got if s not in steps]
            else:
                return steps + [Reason("definition", sup, parts=parts)]
        # through a defined (or otherwise provable) class that is an asserted subclass of sup
        for mid in self._defined_below(sup):
            got = self.prove(sub, mid, depth + 1, active)
            if got is not None:
                tail = self._isa_path(mid, sup) or [mid, sup]
                return got + [s for s in self._isa_reason(tail) if s not in got]
        return None

    def _prove_by_domain(self, sub: str, sup: str) -> list[Reason] | None:
        """sub SubClassOf p some f, and the domain of p (or a super-property) is sup or below it."""
        for anc in self._ancestors(sub):
            for p, f, node in self.restrictions(anc):
                for sp in sorted(self.superproperties(p)):
                    for d in self._objects(ox.NamedNode(sp), DOMAIN):
                        dom = _iri(d)
                        tail = self._isa_path(dom, sup) if dom else None
                        if not tail:
                            continue
                        return (self._isa_reason(self._isa_path(sub, anc) or [sub])
                                + [self._restriction_step(anc, p, f, node),
                                   Reason("domain", sp, filler=dom or "")]
                                + self._isa_reason(tail))
        return None

    def _descendants(self, iri: str, limit: int) -> set[str]:
        """``iri`` and its asserted descendants, breadth first, stopping near ``limit`` classes."""
        seen, todo = {iri}, deque([iri])
        while todo and len(seen) < limit:
            c = todo.popleft()
            for q in self.store.quads_for_pattern(None, SUBCLASS, ox.NamedNode(c), ox.DefaultGraph()):
                x = _iri(q.subject)
                if x and x not in seen:
                    seen.add(x)
                    todo.append(x)
        return seen

    def _defined_below(self, sup: str, limit: int = 200) -> list[str]:
        """Classes with an equivalent-class definition among the asserted descendants of sup."""
        return sorted(x for x in self._descendants(sup, limit) - {sup} if self.definitions(x))

    def _restriction_step(self, holder: str, prop: str, filler: str, node: Any) -> Reason:
        """``holder SubClassOf prop some filler``, with the claims of its axiom (none for a part
        of a definition, ``node`` None)."""
        claims = self.claims_for(holder, SUBCLASS, node) if node is not None else ()
        return Reason("restriction", holder, property=prop, filler=filler, claims=claims)

    def prove_some(self, sub: str, prop: str, filler: str, depth: int = 0,
                   active: frozenset[tuple[str, str]] = frozenset()) -> list[Reason] | None:
        """Steps showing ``sub`` SubClassOf ``prop`` some ``filler``, or None."""
        for anc in self._ancestors(sub):
            for p, f, node in self.restrictions(anc):
                if prop not in self.superproperties(p):
                    continue
                filler_steps = self.prove(f, filler, depth + 1, active) if f != filler else []
                if filler_steps is None:
                    continue
                up = self._isa_reason(self._isa_path(sub, anc) or [sub])
                return up + [self._restriction_step(anc, p, f, node)] + filler_steps
        # the restriction is stated on a class sub falls under by a definition (metformin inhibits
        # mTOR signaling, so it is an mTOR signaling inhibitor, which is capable of ...)
        ancestors = set(self._ancestors(sub))
        for holder in self._restriction_holders(prop, filler):
            if holder in ancestors:
                continue
            via = self.prove(sub, holder, depth + 1, active)
            if via is None:
                continue
            for p, f, node in self.restrictions(holder):
                if prop in self.superproperties(p) and (f == filler or self._isa_path(f, filler)):
                    tail = self._isa_reason(self._isa_path(f, filler) or [f])
                    return via + [self._restriction_step(holder, p, f, node)] + tail
        return None

    def _restriction_holders(self, prop: str, filler: str, limit: int = 50) -> list[str]:
        """Named classes with an asserted ``SubClassOf p some f`` where p is ``prop`` or below it
        and f is ``filler`` or one of its asserted subclasses (a bounded search)."""
        holders: set[str] = set()
        for f in self._descendants(filler, limit):
            for q in self.store.quads_for_pattern(None, SOME, ox.NamedNode(f), ox.DefaultGraph()):
                r = q.subject
                props = [x for o in self._objects(r, ON_PROPERTY) if (x := _iri(o))]
                if not props or prop not in self.superproperties(props[0]):
                    continue
                for h in self.store.quads_for_pattern(None, SUBCLASS, r, ox.DefaultGraph()):
                    if (x := _iri(h.subject)):
                        holders.add(x)
        return sorted(holders)

    def why(self, sub: str, sup: str) -> Justification | None:
        """A justification of ``sub`` SubClassOf ``sup`` (IRIs), or None if none is found."""
        steps = self.prove(sub, sup)
        if steps is None:
            return None
        return Justification(sub, sup, steps)


def why(term: str, superclass: str, store: Any = None) -> Justification | None:
    """Why ``term`` falls under ``superclass`` (CURIEs, IRIs, labels or synonyms), from the release's axioms.

    :param store: a :class:`gerokg.release.store.GerokgStore` or pyoxigraph Store; by default the release
    :returns: the steps with the claims that state them, or None when no structural explanation
        exists (the pair may still be entailed in ways this search does not follow)
    :raises NotInStoreError: a term is not in the store
    :raises TermResolutionError: a name fits no term, or several

    >>> j = why("CHEBI:68478", "GEROKG:0000054")   # everolimus, rapalog
    >>> j.claims
    ['https://w3id.org/gerokg/claim/C0002']
    """
    if store is None:
        from gerokg.release.release import default_store

        store = default_store()
    from gerokg.querying.terms import curie_or_iri, looks_like_curie, resolve_term

    ox_store = getattr(store, "ox", store)
    iris = []
    for t in (term, superclass):
        iri = term_iri(t) if curie_or_iri(t) or looks_like_curie(t) else resolve_term(t, store, what="why")
        if not term_in_store(ox_store, iri):
            raise NotInStoreError(f"{t}: no such term in the store")
        iris.append(iri)
    found = Classifier(ox_store).why(iris[0], iris[1])
    if found is not None:
        named = {iris[0], iris[1]}
        for step in found.steps:
            named.update(step.path)
            named.update(x for x in (step.subject, step.property, step.filler) if x)
            for part in step.parts:
                named.update([part] if isinstance(part, str) else part)
        from gerokg.querying.terms import resolver_for

        resolver = resolver_for(store)
        found.labels = {iri: label for iri in named if (label := resolver.label(iri))}
    return found
