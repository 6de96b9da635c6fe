"""Claims read back from RDF: one typed :class:`Claim` for every reader.

The claims are written once (:mod:`gerokg.sources.claims` compiles the curated YAML into RDF);
this module is the one place that reads them back, from an rdflib graph or a pyoxigraph store
alike, for the web pages, the diagrams, the causal chains of ``explain`` and the networkx export.
Every field the schema stores is read, so no interface drops a qualifier the graph holds.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
... @prefix gks: <https://w3id.org/gerokg/schema/> .
... <https://w3id.org/gerokg/claim/C0001> a gks:Claim ; gks:kind gks:hypothesis ;
...     gks:polarity gks:affirmed ; gks:quote "a quote" ; gks:reference 12, 3 ;
...     gks:subject <http://example.org/a> ; gks:predicate <http://example.org/p> ;
...     gks:object <http://example.org/b> .
... gks:hypothesis gks:asserts_relation false .''', format="turtle")
>>> c = read_claims(g)[0]
>>> c.id, c.kind, c.references, c.asserts
('C0001', 'hypothesis', (3, 12), False)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from gerokg.vocab import CLAIM, GKS, RDF, RDFS

__all__ = ["Claim", "Quantity", "read_claim", "read_claims"]

_CONTEXT = ("cell_state", "cell_type", "condition")


@dataclass(frozen=True)
class Quantity:
    """A number a claim's sentence states: its text, value and the IRIs of its unit, direction
    and qualifier (empty when not stated)."""

    text: str = ""
    value: str = ""
    unit: str = ""
    direction: str = ""
    qualifier: str = ""


@dataclass(frozen=True)
class Claim:
    """One claim of the review as the graph states it. IRIs are strings; ``kind``,
    ``polarity`` and ``significance`` are the local names of their schema individuals."""

    iri: str
    subject: str | None = None
    predicate: str | None = None
    object: str | None = None
    kind: str = ""
    polarity: str = ""
    quote: str | None = None
    fragments: tuple[str, ...] = ()
    comment: str | None = None
    section: str | None = None
    references: tuple[int, ...] = ()
    evidence: str | None = None
    organism: tuple[str, ...] = ()
    population: tuple[str, ...] = ()
    comparator: tuple[str, ...] = ()
    #: structured context: cell_state, cell_type and condition IRIs, by field
    context: dict[str, tuple[str, ...]] = field(default_factory=dict)
    timing: str | None = None
    year: str | None = None
    hedges: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    significance: str | None = None
    #: (agent IRI, True for treated with / False for not treated with)
    agent_status: tuple[tuple[str, bool], ...] = ()
    tensions: tuple[str, ...] = ()
    raised_by: tuple[str, ...] = ()
    supports_axiom: bool = False
    #: whether the claim asserts its relation: its kind does (``gks:asserts_relation true``; a
    #: kind without the flag does not) and its result is not reported as statistically insignificant
    asserts: bool = True

    @property
    def id(self) -> str:
        """The short id (``C0197``)."""
        return self.iri[len(CLAIM):] if self.iri.startswith(CLAIM) else self.iri


class _Triples(Protocol):
    def objects(self, s: str, p: str) -> list[Any]: ...
    def subjects(self, p: str, o: str) -> list[str]: ...


class _RdflibTriples:
    def __init__(self, graph: Any) -> None:
        from rdflib import BNode, URIRef

        self.g, self.uri, self.bnode = graph, URIRef, BNode

    def objects(self, s: str, p: str) -> list[Any]:
        subject = self.bnode(s[2:]) if s.startswith("_:") else self.uri(s)
        return list(self.g.objects(subject, self.uri(p)))

    def subjects(self, p: str, o: str) -> list[str]:
        from rdflib import URIRef

        return [str(s) for s in self.g.subjects(self.uri(p), self.uri(o)) if isinstance(s, URIRef)]


class _OxTriples:
    def __init__(self, store: Any) -> None:
        import pyoxigraph as ox

        self.st, self.ox = store, ox

    def objects(self, s: str, p: str) -> list[Any]:
        try:
            subject = self.ox.BlankNode(s[2:]) if s.startswith("_:") else self.ox.NamedNode(s)
        except ValueError:  # a literal or a malformed IRI where a node was expected: nothing
            return []
        return [q.object for q in self.st.quads_for_pattern(subject, self.ox.NamedNode(p), None, self.ox.DefaultGraph())]

    def subjects(self, p: str, o: str) -> list[str]:
        return [q.subject.value for q in self.st.quads_for_pattern(None, self.ox.NamedNode(p), self.ox.NamedNode(o),
                                                                    self.ox.DefaultGraph())
                if isinstance(q.subject, self.ox.NamedNode)]


def _source(data: Any) -> _Triples:
    """An rdflib graph, a pyoxigraph store or a gerokg store, read alike."""
    store = getattr(data, "ox", data)
    if hasattr(store, "quads_for_pattern"):
        return _OxTriples(store)
    return _RdflibTriples(data)


def _text(term: Any) -> str:
    """The IRI, blank-node label or lexical form of an rdflib or pyoxigraph term."""
    value = getattr(term, "value", None)
    if isinstance(value, str):
        return f"_:{value}" if type(term).__name__ == "BlankNode" else value
    text = str(term)
    return f"_:{text}" if type(term).__name__ == "BNode" else text


def _is_iri(term: Any) -> bool:
    return type(term).__name__ in ("URIRef", "NamedNode")


def _local(text: str | None) -> str:
    return (text or "").removeprefix(GKS)


class _Reader:
    def __init__(self, data: Any) -> None:
        self.src = _source(data)
        self._asserting: dict[str, bool] = {}

    def texts(self, s: str, local: str) -> list[str]:
        return sorted(_text(o) for o in self.src.objects(s, GKS + local))

    def one(self, s: str, local: str) -> str | None:
        values = self.texts(s, local)
        return values[0] if values else None

    def iris(self, s: str, local: str) -> tuple[str, ...]:
        return tuple(sorted(_text(o) for o in self.src.objects(s, GKS + local) if _is_iri(o)))

    def kind_asserts(self, kind: str) -> bool:
        if not kind:
            return False
        if kind not in self._asserting:
            flags = [_text(o).lower() for o in self.src.objects(kind, GKS + "asserts_relation")]
            # the weaker reading: only a kind the schema says asserts its relation does
            self._asserting[kind] = bool(flags) and all(f in ("true", "1") for f in flags)
        return self._asserting[kind]

    def quantity(self, node: str) -> Quantity:
        return Quantity(text=self.one(node, "quantity_text") or "", value=self.one(node, "value") or "",
                        unit=self.one(node, "unit") or "", direction=self.one(node, "direction") or "",
                        qualifier=self.one(node, "qualifier") or "")

    def claim(self, iri: str) -> Claim | None:
        quote = self.one(iri, "quote")
        if quote is None and not self.src.objects(iri, GKS + "subject"):
            return None
        kind_iri = self.one(iri, "kind")
        significance = self.one(iri, "significance")
        references = []
        for r in self.texts(iri, "reference"):
            try:
                references.append(int(r))
            except ValueError:
                continue
        agents = tuple(sorted([(a, True) for a in self.iris(iri, "treated_with")]
                              + [(a, False) for a in self.iris(iri, "not_treated_with")]))
        comments = sorted(_text(o) for o in self.src.objects(iri, RDFS + "comment"))
        sections = self.iris(iri, "section")
        return Claim(
            iri=iri, subject=self.one(iri, "subject"), predicate=self.one(iri, "predicate"),
            object=self.one(iri, "object"), kind=_local(kind_iri), polarity=_local(self.one(iri, "polarity")),
            quote=quote, fragments=tuple(self.texts(iri, "quote_fragment")), comment=comments[0] if comments else None,
            section=sections[0] if sections else None, references=tuple(sorted(set(references))),
            evidence=self.one(iri, "evidence"), organism=self.iris(iri, "organism"),
            population=self.iris(iri, "population"), comparator=self.iris(iri, "comparator"),
            context={f: values for f in _CONTEXT if (values := self.iris(iri, f))},
            timing=self.one(iri, "timing"), year=self.one(iri, "year"), hedges=tuple(self.texts(iri, "hedge")),
            quantities=tuple(sorted((self.quantity(q) for q in self.texts(iri, "quantity")), key=lambda q: q.text)),
            significance=_local(significance) or None, agent_status=agents,
            tensions=self.iris(iri, "in_tension_with"), raised_by=self.iris(iri, "raised_by"),
            supports_axiom=bool(self.src.objects(iri, GKS + "supports_axiom")),
            asserts=self.kind_asserts(kind_iri or "") and _local(significance) != "not_significant",
        )


def read_claim(data: Any, iri: str) -> Claim | None:
    """The claim ``iri`` as ``data`` (an rdflib graph, a pyoxigraph or gerokg store) states it;
    None when it holds no such claim."""
    return _Reader(data).claim(iri)


def read_claims(data: Any, iris: Iterable[str] | None = None) -> list[Claim]:
    """Every claim (``rdf:type gks:Claim``) of ``data``, or those of ``iris``, sorted by IRI."""
    reader = _Reader(data)
    wanted = sorted(set(iris)) if iris is not None else sorted(set(reader.src.subjects(RDF + "type", GKS + "Claim")))
    return [c for c in _claims(reader, wanted) if c is not None]


def _claims(reader: _Reader, iris: list[str]) -> Iterator[Claim | None]:
    for iri in iris:
        yield reader.claim(iri)
