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

:func:`gerokg.querying.dossier.term` returns a term's label, synonyms, definition, parents,
children, ancestors and the review's claims about it.
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from typing import Any

import pyoxigraph as ox

from gerokg.errors import TermResolutionError
from gerokg.rdf.rdfio import compact_iri
from gerokg.resources import prefixes
from gerokg.vocab import CLAIM

__all__ = [
    "TermResolver",
    "curie_or_iri",
    "fold",
    "looks_like_curie",
    "resolve_term",
    "resolver_for",
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
        from gerokg.release.release import default_store

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
