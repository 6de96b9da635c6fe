"""Names of terms: one resolver, and a term object for library users.

:func:`resolve_term` turns what a person types into the IRI of one term. It accepts, in this
order: an IRI, a CURIE with one of the release's prefixes (the prefix case-insensitively, so
``chebi:9168`` works), then a label, an exact synonym, and a related, narrow or broad synonym or
``skos:altLabel`` of a term in the store (case-insensitive, spaces normalised). The first rule
that finds anything decides; when it finds several terms the name is ambiguous and
:class:`~gerokg.errors.TermResolutionError` lists the candidates. Synonyms are read from the graph
generically, so the review's own names for imported terms (``rapamycin``, ``Rapamune``,
``deforolimus``, annotated in ``ontology/gerokg-edit.ttl``) resolve like any other synonym.

The CLI, :func:`gerokg.query`, query parameter binding (hence the HTTP API and the web forms),
:func:`gerokg.explain`, :func:`gerokg.why` and :meth:`gerokg.release.reason.ReasonerResult.is_a` all
resolve names through this module.

:func:`term` returns a :class:`Term`: label, synonyms, definition, parents, children,
ancestors and the review's claims about it (as :class:`ClaimCard` objects).
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from gerokg.errors import TermResolutionError
from gerokg.rdf.rdfio import compact_iri
from gerokg.resources import prefixes
from gerokg.vocab import CLAIM, GKS

__all__ = [
    "ClaimCard",
    "Synonym",
    "Term",
    "TermRef",
    "TermResolver",
    "curie_or_iri",
    "fold",
    "looks_like_curie",
    "resolve_term",
    "resolver_for",
    "term",
]

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
CLAIM_NS = CLAIM
DEFINITION = "http://purl.obolibrary.org/obo/IAO_0000115"

#: the properties a name is read from, with the rank of the rule they belong to (label first)
NAME_PROPERTIES: dict[str, tuple[int, str]] = {
    RDFS + "label": (0, "label"),
    OIO + "hasExactSynonym": (1, "exact"),
    OIO + "hasRelatedSynonym": (2, "related"),
    OIO + "hasNarrowSynonym": (2, "narrow"),
    OIO + "hasBroadSynonym": (2, "broad"),
    SKOS + "altLabel": (2, "alternative"),
}
_RULES = ("label", "exact synonym", "related, narrow or broad synonym")
_IRI = re.compile(r"^<?(https?|urn):[^\s<>\"{}|^`\\]+>?$", re.I)
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_.]*):([A-Za-z0-9_][A-Za-z0-9_.\-]*)$")
_MARKS = str.maketrans("", "", "®™©")


def fold(text: str) -> str:
    """The form names are compared in: NFKC, case-folded, trade marks dropped, spaces normalised.

    >>> fold("  Rapamune® ")
    'rapamune'
    """
    return " ".join(unicodedata.normalize("NFKC", text).translate(_MARKS).casefold().split())


def curie_or_iri(text: str) -> str | None:
    """The IRI a CURIE or IRI stands for, or None when ``text`` is neither (a name, perhaps).

    >>> curie_or_iri("chebi:9168")
    'http://purl.obolibrary.org/obo/CHEBI_9168'
    >>> curie_or_iri("rapamycin") is None
    True
    """
    text = text.strip()
    if _IRI.match(text):
        return text.strip("<>")
    m = _CURIE.match(text)
    if not m:
        return None
    known = prefixes()
    prefix = m.group(1)
    if prefix not in known:
        by_case = {p.casefold(): p for p in known}
        prefix = by_case.get(prefix.casefold(), "")
        if not prefix:
            return None
    return known[prefix] + m.group(2)


def looks_like_curie(text: str) -> bool:
    """True for ``PREFIX:local`` text (known prefix or not), which is read as a CURIE, not a name.

    >>> looks_like_curie("FOO:1"), looks_like_curie("rapamycin")
    (True, False)
    """
    return bool(_CURIE.match(text.strip()))


class TermResolver:
    """Names (labels and synonyms) of the terms of one store, folded, for exact look-ups.

    :param store: a pyoxigraph Store or a :class:`gerokg.release.store.GerokgStore`
    """

    def __init__(self, store: Any) -> None:
        oxs: ox.Store = getattr(store, "ox", store)
        self.store = oxs
        names: dict[str, dict[str, int]] = {}
        labels: dict[str, str] = {}
        deprecated = {q.subject.value for q in oxs.quads_for_pattern(
            None, ox.NamedNode(OWL + "deprecated"), None) if isinstance(q.subject, ox.NamedNode)
            and isinstance(q.object, ox.Literal) and q.object.value in ("true", "1")}
        for prop, (rank, _scope) in NAME_PROPERTIES.items():
            for q in oxs.quads_for_pattern(None, ox.NamedNode(prop), None, ox.DefaultGraph()):
                s, o = q.subject, q.object
                if not isinstance(s, ox.NamedNode) or not isinstance(o, ox.Literal):
                    continue
                if s.value.startswith(CLAIM_NS) or s.value in deprecated:
                    continue
                key = fold(o.value)
                if not key:
                    continue
                per = names.setdefault(key, {})
                per[s.value] = min(rank, per.get(s.value, rank))
                if rank == 0:
                    old = labels.get(s.value)
                    labels[s.value] = o.value if old is None else min(old, o.value)
        self._names = names
        self._labels = labels
        self._sorted = sorted(names)

    def label(self, iri: str) -> str:
        """The term's label ('' when it has none)."""
        return self._labels.get(iri, "")

    def candidates(self, name: str) -> list[tuple[str, int]]:
        """Every term that has ``name`` as a label or synonym, with the rank of the rule (0 label,
        1 exact synonym, 2 other synonym), best first."""
        found = self._names.get(fold(name), {})
        return sorted(found.items(), key=lambda kv: (kv[1], compact_iri(kv[0])))

    def _starting(self, stem: str, cap: int = 20000) -> list[str]:
        i = bisect.bisect_left(self._sorted, stem)
        out: list[str] = []
        while i < len(self._sorted) and self._sorted[i].startswith(stem) and len(out) < cap:
            out.append(self._sorted[i])
            i += 1
        return out

    def close_names(self, name: str, n: int = 5) -> list[str]:
        """Names close to ``name``: those it begins, else spelled alike (a typo) among the names
        that share its first letters, for a hint and for typo-tolerant search."""
        import difflib

        key = fold(name)
        if not key:
            return []
        begun = self._starting(key, cap=n)
        if begun:
            return begun
        for stem in (key[:3], key[:2], key[:1]):
            pool = self._starting(stem)
            close = difflib.get_close_matches(key, pool, n=n, cutoff=0.75)
            if close:
                return close
        return []

    def resolve(self, name: str, what: str = "") -> str:
        """The IRI of the one term ``name`` stands for.

        :param name: an IRI, a CURIE, a label or a synonym
        :param what: where the name was given (e.g. ``parameter 'term'``), for the message
        :raises TermResolutionError: no term, or several, have that name
        """
        iri = curie_or_iri(name)
        if iri is not None:
            return iri
        found = self.candidates(name)
        if not found:
            hints = []
            for text in self.close_names(name):
                for cand, _rank in sorted(self._names[text].items(), key=lambda kv: (kv[1], compact_iri(kv[0])))[:3]:
                    hints.append((compact_iri(cand), text))
            raise TermResolutionError(name, hints, ambiguous=False, what=what)
        best = found[0][1]
        top = [iri for iri, rank in found if rank == best]
        if len(top) > 1:
            raise TermResolutionError(name, [(compact_iri(i), self.label(i)) for i in top], ambiguous=True,
                                      what=what, rule=_RULES[best])
        return top[0]


_CACHE: dict[int, tuple[Any, int, TermResolver]] = {}
_CACHE_LOCK = threading.Lock()


def resolver_for(store: Any = None) -> TermResolver:
    """The resolver of a store (built once per store and size; default: the release in memory)."""
    if store is None:
        from gerokg.querying.canned import default_store

        store = default_store()
    oxs = getattr(store, "ox", store)
    size = len(oxs)
    with _CACHE_LOCK:
        hit = _CACHE.get(id(oxs))
        if hit is not None and hit[0] is oxs and hit[1] == size:
            return hit[2]
    resolver = TermResolver(oxs)
    with _CACHE_LOCK:
        if len(_CACHE) >= 4:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[id(oxs)] = (oxs, size, resolver)
    return resolver


def resolve_term(name: str, store: Any = None, what: str = "") -> str:
    """The IRI of the term a CURIE, IRI, label or synonym names.

    :param name: e.g. ``CHEBI:9168``, ``sirolimus``, ``Rapamune`` or ``deforolimus``
    :param store: the store whose labels and synonyms count (default: the release)
    :param what: where the name was given, for the error message
    :raises TermResolutionError: no term, or several, have that name

    >>> compact_iri(resolve_term("Rapamune"))
    'CHEBI:9168'
    """
    iri = curie_or_iri(name)
    if iri is not None:
        return iri
    return resolver_for(store).resolve(name, what=what)


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
    from gerokg.querying.canned import default_store, run_query

    st = store if store is not None else default_store()
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
