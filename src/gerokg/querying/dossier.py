"""A term's dossier for library users: :func:`term` returns a :class:`Term` with its label,
synonyms, definition, parents, children, ancestors and the review's claims about it (as
:class:`ClaimCard` objects, the claim card every interface returns).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from gerokg.errors import TermResolutionError
from gerokg.querying.canned import run_query
from gerokg.querying.terms import DEFINITION, NAME_PROPERTIES, RDFS, TermResolver, resolver_for
from gerokg.rdf.rdfio import compact_iri
from gerokg.vocab import CLAIM

__all__ = ["ClaimCard", "Synonym", "Term", "TermRef", "term"]

CLAIM_NS = CLAIM

# --------------------------------------------------------------------------------------------
# The term object
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermRef:
    """A term named by CURIE and label."""

    curie: str
    label: str

    def __str__(self) -> str:
        return f"{self.curie} {self.label}".strip()


@dataclass(frozen=True)
class Synonym:
    """A synonym and its scope (exact, related, narrow, broad, alternative)."""

    text: str
    scope: str


@dataclass(frozen=True)
class ClaimCard:
    """One claim with its qualifiers: the columns of the claim card every claim query returns."""

    curie: str
    subject: TermRef
    predicate: TermRef
    object: TermRef
    polarity: str
    kind: str
    quote: str
    section: str = ""
    hedge: str = ""
    references: str = ""
    organism: str = ""
    population: str = ""
    comparator: str = ""
    context: str = ""
    quantities: str = ""
    role: str = ""
    #: the subclass or regulating class of the dossier's term that the claim names, if not the term
    via: TermRef | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ClaimCard:
        """A card from a result row of a claim query (see ``queries/fragments/claim-card.rq``)."""

        def ref(key: str) -> TermRef:
            v = row.get(key)
            return TermRef(compact_iri(str(v)) if v is not None else "", str(row.get(key + "Label") or ""))

        def text(key: str) -> str:
            v = row.get(key)
            return "" if v is None else str(v)

        return cls(curie=compact_iri(str(row["claim"])), subject=ref("subject"), predicate=ref("predicate"),
                   object=ref("object"), polarity=text("polarity"), kind=text("kind"), quote=text("quote"),
                   section=text("section"), hedge=text("hedge"), references=text("references"),
                   organism=text("organismLabel"), population=text("populationLabel"),
                   comparator=text("comparatorLabel"), context=text("context"), quantities=text("quantities"),
                   role=text("role"), via=ref("via") if row.get("via") is not None else None)

    def text(self) -> str:
        """One line: the statement with its polarity and qualifiers, then the quote."""
        neg = "NOT " if self.polarity == "negated" else ""
        quals = [f"{k}: {v}" for k, v in (("kind", self.kind), ("hedge", self.hedge),
                                          ("organism", self.organism), ("population", self.population),
                                          ("comparator", self.comparator), ("context", self.context),
                                          ("quantities", self.quantities), ("refs", self.references)) if v]
        via = f" (via {self.via.label or self.via.curie})" if self.via else ""
        return (f"{self.curie}{via}: {self.subject.label} {neg}{self.predicate.label} {self.object.label} "
                f"[{'; '.join(quals)}]\n    \u201c{self.quote}\u201d")


@dataclass(frozen=True)
class Term:
    """A term of the graph, as ontology libraries present one (pronto, oaklib)."""

    iri: str
    curie: str
    label: str
    synonyms: tuple[Synonym, ...]
    definition: str
    parents: tuple[TermRef, ...]
    children: tuple[TermRef, ...]
    ancestors: tuple[TermRef, ...]
    claims: tuple[ClaimCard, ...]

    def __str__(self) -> str:
        return f"{self.curie} {self.label}"

    def text(self) -> str:
        """A readable summary: label, synonyms, definition, parents, children, claims by role."""
        lines = [f"{self.curie}  {self.label}"]
        if self.synonyms:
            lines.append("synonyms: " + "; ".join(f"{s.text} ({s.scope})" for s in self.synonyms))
        if self.definition:
            lines.append(f"definition: {self.definition}")
        for name, refs in (("parents", self.parents), ("children", self.children)):
            if refs:
                lines.append(f"{name}: " + "; ".join(str(r) for r in refs))
        if self.ancestors:
            lines.append(f"ancestors: {len(self.ancestors)} (" + "; ".join(r.label or r.curie
                                                                         for r in self.ancestors[:12])
                         + ("; …" if len(self.ancestors) > 12 else "") + ")")
        role = None
        lines.append(f"claims: {len(self.claims)}")
        for c in self.claims:
            if c.role != role:
                role = c.role
                lines.append(f"  as {role}:")
            lines.append("    " + c.text().replace("\n", "\n    "))
        return "\n".join(lines)


def _refs(store: ox.Store, text: str, resolver: TermResolver) -> tuple[TermRef, ...]:
    out = {}
    solutions = store.query(text)
    assert isinstance(solutions, ox.QuerySolutions)
    for sol in solutions:
        v = sol["t"]
        if isinstance(v, ox.NamedNode):
            out[v.value] = TermRef(compact_iri(v.value), resolver.label(v.value))
    return tuple(sorted(out.values(), key=lambda r: (r.label.casefold(), r.curie)))


def term(name: str, store: Any = None) -> Term:
    """The term a CURIE, IRI, label or synonym names, with what the graph says of it.

    :param name: e.g. ``rapamycin``, ``Rapamune``, ``CHEBI:9168``
    :param store: a :class:`gerokg.release.store.GerokgStore` (default: the release, in memory)
    :returns: its label, synonyms, definition, parents, children, ancestors (asserted, and the
        reasoner's conclusions when the store holds them) and the claims of its dossier
    :raises TermResolutionError: the name fits no term or several

    >>> term("Rapamune").curie
    'CHEBI:9168'
    """
    from gerokg.release.release import default_store

    st: Any = store if store is not None else default_store()
    oxs: ox.Store = getattr(st, "ox", st)
    resolver = resolver_for(st)
    iri = resolver.resolve(name, what="term")
    node = ox.NamedNode(iri)
    if not any(True for _ in oxs.quads_for_pattern(node, None, None)) and \
            not any(True for _ in oxs.quads_for_pattern(None, None, node)):
        raise TermResolutionError(name, [], ambiguous=False, what="term (not in this graph)")
    synonyms = []
    for prop, (rank, scope) in NAME_PROPERTIES.items():
        if rank == 0:
            continue
        for q in oxs.quads_for_pattern(node, ox.NamedNode(prop), None, ox.DefaultGraph()):
            if isinstance(q.object, ox.Literal):
                synonyms.append(Synonym(q.object.value, scope))
    definitions = sorted(q.object.value for q in oxs.quads_for_pattern(node, ox.NamedNode(DEFINITION), None,
                                                                        ox.DefaultGraph())
                         if isinstance(q.object, ox.Literal))
    sub = f"<{RDFS}subClassOf>"
    parents = _refs(oxs, f"SELECT DISTINCT ?t WHERE {{ <{iri}> {sub} ?t FILTER isIRI(?t) }}", resolver)
    children = _refs(oxs, f"SELECT DISTINCT ?t WHERE {{ ?t {sub} <{iri}> FILTER isIRI(?t) }}", resolver)
    ancestors = _refs(oxs, f"SELECT DISTINCT ?t WHERE {{ <{iri}> {sub}+ ?t FILTER (isIRI(?t) && ?t != <{iri}>) }}",
                      resolver)
    rows = run_query("term-dossier", st, {"term": iri}).rows
    claims = tuple(ClaimCard.from_row(r) for r in rows)
    return Term(iri=iri, curie=compact_iri(iri), label=resolver.label(iri),
                synonyms=tuple(sorted(set(synonyms), key=lambda s: (s.scope != "exact", s.text.casefold()))),
                definition=definitions[0] if definitions else "", parents=parents, children=children,
                ancestors=ancestors, claims=claims)
