"""Top-level convenience functions re-exported by :mod:`gerokg`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph

if TYPE_CHECKING:
    import networkx

    from gerokg.answers.explain import Chain
    from gerokg.answers.why import Justification
    from gerokg.checks.validate import ValidationReport
    from gerokg.querying.canned import QueryResult
    from gerokg.querying.dossier import Term
    from gerokg.release.reason import ReasoningResult
    from gerokg.release.store import GerokgStore

__all__ = ["build", "explain", "load_graph", "query", "reason", "sparql", "term", "to_networkx", "validate", "why"]


def build(out_dir: str | Path = "build", review: str | Path | None = None) -> Path:
    """Build the release into ``out_dir`` and return the path of ``gerokg-full.ttl``.

    :param out_dir: output folder
    :param review: the review's text, to check every quote, section and reference against
    :returns: the path of the merged Turtle release
    """
    from gerokg.artefacts.build import build_release

    result = build_release(out_dir, review=review)
    return result.out_dir / "gerokg-full.ttl"


def load_graph(path: str | Path | None = None) -> Graph:
    """Return the full release (ontology, imports and claims) as an rdflib graph.

    :param path: a release file to read; by default the release is assembled in memory from the
        package's sources (nothing is written)
    :returns: the graph, with the project's prefixes bound

    >>> g = load_graph()
    >>> len(g) > 1000
    True
    """
    from gerokg.release.assemble import load_graph as _load_graph

    return _load_graph(path)


def validate(data: Any = None, with_release: bool = True, engine: str = "turbo") -> ValidationReport:
    """Validate the release, or a graph or RDF files merged with it, against gerokg's shapes.

    :param data: an rdflib graph, a path, a list of paths, or None for the release itself
    :param with_release: merge ``data`` with the release (so it can refer to gerokg's terms)
    :param engine: ``turbo`` (pyshacl-turbo, the default) or ``pyshacl``; the same reports
    :returns: a :class:`gerokg.checks.validate.ValidationReport`
    """
    from gerokg.checks.validate import validate as _validate

    return _validate(data, with_release=with_release, engine=engine)


def query(name: str, endpoint: str | None = None, store: GerokgStore | None = None, **params: Any) -> QueryResult:
    """Run a canned query and return typed rows.

    The embedded store holds the asserted facts; pass a store opened with
    ``open_store(inferred=True)`` for the reasoner's conclusions too.

    :param name: the query's name (``gerokg query --list``), or the path of a ``.rq`` file
    :param endpoint: a remote SPARQL endpoint URL (SPARQLWrapper); default: the embedded store
    :param store: a :class:`gerokg.release.store.GerokgStore` to query instead of the release
    :param params: the query's parameters, e.g. ``organism="NCBITaxon:10090"``; a term may be
        named by CURIE, IRI, label or synonym (``term="rapamycin"``)
    :returns: a :class:`gerokg.querying.canned.QueryResult` (``.rows``: dicts of typed values;
        ``.inferred`` says whether the reasoner's conclusions were included)

    >>> rows = query("regulatory-events").rows
    >>> [(r["year"], r["drugLabel"]) for r in rows]
    [(1999, 'sirolimus'), (2010, 'everolimus')]
    """
    from gerokg.querying.canned import CannedQuery, load_query, run_query, sparql_query

    path = Path(name)
    q: CannedQuery = (sparql_query(path.read_text(encoding="utf-8"), path) if name.endswith((".rq", ".sparql"))
                      else load_query(name))
    if endpoint is not None:
        from gerokg.querying.remote import run_remote_query

        return run_remote_query(q, endpoint, params)
    return run_query(q, store, params)


def sparql(text: str, endpoint: str | None = None, store: GerokgStore | None = None) -> QueryResult:
    """Run SPARQL text of your own, with the release's prefixes (``CHEBI:``, ``gks:``, ...) predeclared.

    :param text: a SELECT, ASK, CONSTRUCT or DESCRIBE query
    :param endpoint: a remote SPARQL endpoint URL; default: the embedded store
    :param store: a :class:`gerokg.release.store.GerokgStore` to query instead of the release
    :returns: typed results
    :raises QuerySyntaxError: the text does not parse (one line, with line and column)

    >>> sparql("SELECT ?label WHERE { CHEBI:9168 rdfs:label ?label }").column("label")
    ['sirolimus']
    """
    from gerokg.querying.canned import run_query, sparql_query

    q = sparql_query(text)
    if endpoint is not None:
        from gerokg.querying.remote import run_remote_query

        return run_remote_query(q, endpoint, {})
    return run_query(q, store, {})


def term(name: str, store: GerokgStore | None = None) -> Term:
    """The term a CURIE, IRI, label or synonym names: label, synonyms, definition, parents,
    children, ancestors and the review's claims about it; see :func:`gerokg.querying.dossier.term`.

    >>> term("Rapamune").curie
    'CHEBI:9168'
    """
    from gerokg.querying.dossier import term as _term

    return _term(name, store)


def reason(*extra: Any) -> ReasoningResult:
    """Classify the release (plus files or rdflib graphs) with HermiT; see :mod:`gerokg.reason`."""
    from gerokg.querying.terms import resolve_term
    from gerokg.release.reason import reason as _reason

    result = _reason(extra=extra)
    result.resolve = lambda name: resolve_term(name, what="is_a")
    return result


def explain(subject: str, obj: str, max_steps: int = 4) -> list[Chain]:
    """Chains of the review's causal claims from ``subject`` to ``obj`` (CURIEs, IRIs, labels or
    synonyms); see :mod:`gerokg.explain`."""
    from gerokg.answers.explain import explain as _explain

    return _explain(subject, obj, max_steps=max_steps)


def to_networkx() -> networkx.MultiDiGraph:
    """The claims as a networkx MultiDiGraph; see :func:`gerokg.answers.explain.to_networkx`."""
    from gerokg.answers.explain import to_networkx as _to_networkx

    return _to_networkx()


def why(term: str, superclass: str, store: GerokgStore | None = None) -> Justification | None:
    """Why ``term`` falls under ``superclass`` (for example why everolimus is a gerosuppressant):
    the axioms and the review's claims that entail it; see :mod:`gerokg.why`.

    >>> j = why("CHEBI:79699", "GEROKG:0000054")
    >>> [s.kind for s in j.steps], j.claims
    (['is_a'], ['https://w3id.org/gerokg/claim/C0003'])
    """
    from gerokg.answers.why import why as _why

    return _why(term, superclass, store)
