"""The embedded triple store: Oxigraph (pyoxigraph), in memory or on disk.

Oxigraph is gerokg's default store because it is a complete SPARQL 1.1 engine written in Rust:
on ChEBI-sized graphs it loads about 9 times faster than rdflib and answers property paths orders
of magnitude faster (see benchmarks/). rdflib stays the library for building and serialising.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from gerokg.errors import OntologyLoadError, RdfParseError
from gerokg.rdfio import format_for_path, parse_rdf_file

__all__ = ["GerokgStore", "open_store"]

_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


class GerokgStore:
    """A pyoxigraph store holding the release, plus any files the user adds."""

    def __init__(self, path: str | Path | None = None, read_only: bool = False) -> None:
        self.path = Path(path) if path else None
        try:
            if self.path is None:
                self.ox = ox.Store()
            elif read_only:
                self.ox = ox.Store.read_only(str(self.path))
            else:
                self.ox = ox.Store(str(self.path))
        except OSError as exc:
            raise OntologyLoadError(f"{path}: cannot open the store: {exc}") from None

    def __len__(self) -> int:
        return len(self.ox)

    def is_empty(self) -> bool:
        return len(self.ox) == 0

    def add_graph(self, graph: Graph, graph_name: str | None = None) -> None:
        """Bulk-load an rdflib graph (through N-Triples) into the default graph or a named one."""
        # sorted lines: the store then returns solutions (and GROUP_CONCAT lists) in the same
        # order in every process, whatever Python's hash seed
        data = b"\n".join(sorted(graph.serialize(format="nt", encoding="utf-8").splitlines())) + b"\n"
        target = ox.NamedNode(graph_name) if graph_name else ox.DefaultGraph()
        self.ox.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=target)

    def add_file(self, path: str | Path) -> None:
        """Load an RDF file into the default graph.

        Turtle, N-Triples, N-Quads and TriG go straight to Oxigraph's parser; RDF/XML and JSON-LD
        first pass gerokg's safe parser (no XML entities, no remote JSON-LD contexts).

        :raises RdfParseError: the file cannot be read or parsed, naming the file and line
        """
        fmt = format_for_path(path)
        if fmt in ("xml", "json-ld"):
            self.add_graph(parse_rdf_file(path, fmt=fmt))
            return
        try:
            self.ox.bulk_load(path=str(path), format=_OX_FORMATS[fmt],
                              to_graph=ox.DefaultGraph() if fmt in ("turtle", "nt", "xml") else None)
        except SyntaxError as exc:
            raise RdfParseError(str(path), f"not valid {fmt}: {exc}", getattr(exc, "lineno", None)) from None
        except OSError as exc:
            raise RdfParseError(str(path), f"cannot read: {exc}") from None

    def add_files(self, paths: Iterable[str | Path]) -> None:
        for p in paths:
            self.add_file(p)


def open_store(
    release: str | Path | None = None,
    extra: Iterable[str | Path] = (),
    location: str | Path | None = None,
    inferred: bool = False,
    progress: Callable[[str], None] | None = None,
) -> GerokgStore:
    """Open a store holding the gerokg release.

    :param release: a release file (e.g. ``build/gerokg-full.nt``); by default the release is
        assembled in memory from the package's sources
    :param extra: more RDF files to load beside the release
    :param location: a folder for a persistent on-disk store; when it already holds data, the
        release is not loaded again (a restart does not re-parse)
    :param inferred: also load the reasoner's inferences (see :mod:`gerokg.reason`)
    :param progress: called with a short message before each long step
    :returns: the store
    """
    def step(msg: str) -> None:
        if progress:
            progress(msg)

    store = GerokgStore(location)
    extra = list(extra)
    if store.is_empty():
        if release is not None:
            step(f"loading {release}")
            store.add_file(release)
        else:
            from gerokg.cache import release_ntriples

            step("assembling the release from the package's sources")
            store.ox.bulk_load(release_ntriples(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        if inferred:
            from gerokg.why import INFERRED_GRAPH

            # in the default graph, so plain queries see them, and in a named graph of their
            # own, so pages and gerokg.why can tell a conclusion from an assertion
            conclusions = inferred_conclusions(release, extra, progress)
            store.add_graph(conclusions)
            store.add_graph(conclusions, graph_name=INFERRED_GRAPH)
    for path in extra:
        step(f"loading {path}")
        store.add_file(path)
    return store


def inferred_conclusions(
    release: str | Path | None = None,
    extra: Iterable[str | Path] = (),
    progress: Callable[[str], None] | None = None,
) -> Graph:
    """The reasoner's conclusions over the release (a file, or the package's sources) plus the
    extra files, computed once: read from the build's ``gerokg-inferred.ttl`` when the build's
    MANIFEST.sha256 vouches that it was made from this very release file, else from the
    reasoner's results kept by content hash (:func:`gerokg.reason.reason`), else by running
    HermiT."""
    extra = list(extra)
    if release is not None and not extra:
        built = _built_conclusions(Path(release))
        if built is not None:
            if progress:
                progress(f"reading the build's conclusions ({built.name})")
            return parse_rdf_file(built)
    from gerokg.reason import reason

    return reason(extra=extra, release=release, progress=progress).graph


def _built_conclusions(release: Path) -> Path | None:
    from gerokg.rdfio import sha256_file

    manifest = release.parent / "MANIFEST.sha256"
    inferred = release.parent / "gerokg-inferred.ttl"
    if not (manifest.is_file() and inferred.is_file()):
        return None
    listed: dict[str, str] = {}
    for line in manifest.read_text(encoding="utf-8", errors="replace").splitlines():
        digest, sep, name = line.partition("  ")
        if sep:
            listed[name] = digest
    if listed.get(release.name) != sha256_file(release) or listed.get(inferred.name) != sha256_file(inferred):
        return None
    return inferred
