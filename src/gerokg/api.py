"""Top-level convenience functions re-exported by :mod:`gerokg`."""

from __future__ import annotations

from pathlib import Path

from typing import Any

from rdflib import Graph

__all__ = ["build", "load_graph", "validate"]


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
