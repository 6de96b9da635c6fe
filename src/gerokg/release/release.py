"""The release being served or queried, as one object passed down.

A :class:`Release` says where the release comes from (a release file such as
``build/gerokg-full.nt``, or the package's sources), which ``--with`` files are added, whether the
reasoner's conclusions are loaded, and where its store lives. Everything that answers from a release
(the store, its rdflib graph, its conclusions, its version) is read from this object, so the
endpoint, its pages, the documentation it serves, the reasoner and the explanations all work on the
release actually loaded, never on a rebuild of the package's sources.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gerokg._version import __version__
from gerokg.vocab import ONTOLOGY_IRI, OWL

if TYPE_CHECKING:
    from rdflib import Graph

    from gerokg.release.store import GerokgStore

__all__ = ["Release", "default_release", "default_store"]


class Release:
    """A release: its source files, its store, its graph and its inferences.

    :param file: the release file (any RDF format gerokg reads); None: assembled from the
        package's sources
    :param extra: RDF files added beside the release (``--with``)
    :param inferred: load the reasoner's conclusions into the store
    :param location: a folder for the on-disk store; None: in memory
    """

    def __init__(self, file: str | Path | None = None, extra: Iterable[str | Path] = (), inferred: bool = False,
                 location: str | Path | None = None) -> None:
        self.file = Path(file) if file is not None else None
        self.extra = tuple(Path(p) for p in extra)
        self.inferred = inferred
        self.location = Path(location) if location is not None else None
        self._store: GerokgStore | None = None
        self._graph: Graph | None = None
        self._merged: Graph | None = None
        self._conclusions: Graph | None = None
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return (f"Release({self.source!r}, extra={[str(p) for p in self.extra]!r}, inferred={self.inferred!r}, "
                f"location={str(self.location) if self.location else None!r})")

    @property
    def source(self) -> str:
        """Where the release comes from: its file, or the package's sources."""
        return str(self.file) if self.file is not None else "the package's sources"

    def store(self, progress: Callable[[str], None] | None = None) -> GerokgStore:
        """The store holding the release, the ``--with`` files and (if asked) the conclusions,
        opened once."""
        with self._lock:
            if self._store is None:
                from gerokg.release.store import open_store

                self._store = open_store(self.file, extra=self.extra, location=self.location,
                                         inferred=self.inferred, progress=progress)
            return self._store

    def graph(self, with_extra: bool = False) -> Graph:
        """The release as an rdflib graph, read once: by itself (what the documentation
        documents), or with the ``--with`` files merged (what explanations walk).

        :raises RdfParseError: a file cannot be read
        """
        with self._lock:
            if self._graph is None:
                from gerokg.release.assemble import load_graph

                self._graph = load_graph(self.file)
            if not with_extra or not self.extra:
                return self._graph
            if self._merged is None:
                from gerokg.rdf.rdfio import new_graph, parse_rdf_file

                merged = new_graph()
                merged += self._graph
                for path in self.extra:
                    merged += parse_rdf_file(path)
                self._merged = merged
            return self._merged

    def conclusions(self, progress: Callable[[str], None] | None = None) -> Graph:
        """The reasoner's conclusions over this release and its ``--with`` files (kept by content
        hash, or the build's own when its manifest vouches for them)."""
        with self._lock:
            if self._conclusions is None:
                from gerokg.release.store import inferred_conclusions

                self._conclusions = inferred_conclusions(self.file, self.extra, progress)
            return self._conclusions

    def version(self) -> str:
        """The release's ``owl:versionIRI`` as its store holds it (the package version when the
        release has none)."""
        oxs: Any = self.store().ox
        query = f"SELECT ?v WHERE {{ <{ONTOLOGY_IRI}> <{OWL}versionIRI> ?v }} LIMIT 1"
        for sol in oxs.query(query):
            return str(sol["v"].value)
        return __version__


_DEFAULT: Release | None = None
_DEFAULT_LOCK = threading.Lock()


def default_release() -> Release:
    """The release assembled in memory from the package's sources, one per process."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Release()
    return _DEFAULT


def default_store() -> GerokgStore:
    """The store of :func:`default_release`, opened once per process."""
    return default_release().store()
