"""Top-level convenience functions re-exported by :mod:`gerokg`."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

__all__ = ["build", "load_graph"]


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
