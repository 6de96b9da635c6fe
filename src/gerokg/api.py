"""Top-level convenience functions re-exported by :mod:`gerokg`."""

from __future__ import annotations

from pathlib import Path

from typing import Any

from rdflib import Graph

__all__ = ["build", "explain", "load_graph", "query", "reason", "to_networkx", "validate", "why"]


def build(out_dir: str | Path = "build", review: str | Path | None = None) -> Path:
    """Build the release into ``out_dir`` and return the path of ``gerokg-full.ttl``.

    :param out_dir: output folder
    :param review: the review's text, to check every quote, section and reference against
    :returns: the path of the merged Turtle release
    """
    from gerokg.build import build_release

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
    if path is not None:
        from gerokg.rdfio import parse_rdf_file

        return parse_rdf_file(path)
    from gerokg.build import build_graphs, load_sources_data

    return build_graphs(load_sources_data())["full"]


def validate(data: Any = None, with_release: bool = True) -> Any:
    """Validate the release, or a graph or RDF files merged with it, against gerokg's shapes.

    :param data: an rdflib graph, a path, a list of paths, or None for the release itself
    :param with_release: merge ``data`` with the release (so it can refer to gerokg's terms)
    :returns: a :class:`gerokg.validate.ValidationReport`
    """
    from gerokg.validate import validate as _validate

    return _validate(data, with_release=with_release)


def query(name: str, endpoint: str | None = None, store: Any = None, **params: Any) -> Any:
    """Run a canned query and return typed rows.

    :param name: the query's name (``gerokg query --list``)
    :param endpoint: a remote SPARQL endpoint URL (SPARQLWrapper); default: the embedded store
    :param store: a :class:`gerokg.store.GerokgStore` to query instead of the release
    :param params: the query's parameters, e.g. ``organism="NCBITaxon:10090"``
    :returns: a :class:`gerokg.query.QueryResult` (``.rows``: dicts of typed values)

    >>> rows = query("regulatory-events").rows
    >>> [(r["year"], r["drugLabel"]) for r in rows]
    [(1999, 'sirolimus'), (2010, 'everolimus')]
    """
    if endpoint is not None:
        from gerokg.remote import run_remote_query

        return run_remote_query(name, endpoint, params)
    from gerokg.query import run_query

    return run_query(name, store, params)


def reason(*extra: Any) -> Any:
    """Classify the release (plus files or rdflib graphs) with HermiT; see :mod:`gerokg.reason`."""
    from gerokg.reason import reason as _reason

    return _reason(extra=extra)


def explain(subject: str, obj: str, max_steps: int = 4) -> Any:
    """Chains of the review's causal claims from ``subject`` to ``obj``; see :mod:`gerokg.explain`."""
    from gerokg.explain import explain as _explain

    return _explain(subject, obj, max_steps=max_steps)


def to_networkx() -> Any:
    """The claims as a networkx MultiDiGraph; see :func:`gerokg.explain.to_networkx`."""
    from gerokg.explain import to_networkx as _to_networkx

    return _to_networkx()


def why(term: str, superclass: str, store: Any = None) -> Any:
    """Why ``term`` falls under ``superclass`` (for example why temsirolimus is a rapalog):
    the axioms and the review's claims that entail it; see :mod:`gerokg.why`.

    >>> j = why("CHEBI:79699", "GEROKG:0000054")
    >>> [s.kind for s in j.steps], j.claims
    (['is_a'], ['https://w3id.org/gerokg/claim/C0003'])
    """
    from gerokg.why import why as _why

    return _why(term, superclass, store)
