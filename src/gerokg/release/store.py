"""The embedded triple store: Oxigraph (pyoxigraph), in memory or on disk.

Oxigraph is gerokg's default store because it is a complete SPARQL 1.1 engine written in Rust:
on ChEBI-sized graphs it loads about 9 times faster than rdflib and answers property paths orders
of magnitude faster (see benchmarks/). rdflib stays the library for building and serialising.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from gerokg.errors import OntologyLoadError, RdfParseError, StoreInUseError
from gerokg.progress import stepper
from gerokg.rdf.rdfio import format_for_path, open_regular, parse_rdf_file
from gerokg.vocab import GKS, WITH_GRAPHS, XSD

__all__ = ["WITH_GRAPHS", "GerokgStore", "StoreLock", "open_store"]

#: the graph recording which ``--with`` files a store holds (by SHA-256); each file's triples
#: are in the named graph ``WITH_GRAPHS + "/" + sha256``, and the triples it added to the
#: default graph in ``... + "/added"``
_SHA256 = ox.NamedNode(GKS + "sha256")
_SOURCE = ox.NamedNode(GKS + "sourceFile")
#: a store folder remembers its default graph's size (counting 1.2 M triples takes half a
#: second), in the graph of the ``--with`` files; any write through this class forgets it
_SIZE = ox.NamedNode(GKS + "defaultGraphTriples")
_SIZE_NODE = ox.NamedNode(WITH_GRAPHS + "/default-graph")


class StoreLock:
    """An exclusive lock on a store folder, held while a process serves it.

    The lock is ``flock`` on ``gerokg.lock`` in the folder: the kernel drops it when the process
    ends, however it ends (kill -9 included), so a stale lock never blocks a restart.

    :raises StoreInUseError: another process holds the store
    """

    def __init__(self, location: str | Path) -> None:
        import fcntl

        folder = Path(location)
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "gerokg.lock"
        self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = ""
            with contextlib.suppress(OSError, ValueError):
                holder = f" (process {int(os.pread(self._fd, 32, 0).decode().strip())})"
            os.close(self._fd)
            self._fd = None
            raise StoreInUseError(f"{folder}: store in use by another gerokg process{holder}; "
                                  "stop it, or serve another --store folder") from None
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, f"{os.getpid()}\n".encode(), 0)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

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
        return next(iter(self.ox.quads_for_pattern(None, None, None, None)), None) is None

    def default_graph_size(self) -> int:
        """Triples in the default graph: what a plain SPARQL query sees."""
        for sol in self.ox.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"):  # type: ignore[union-attr]
            return int(sol["n"].value)
        return 0

    def forget_size(self) -> None:
        """Drop the remembered default graph size (after a write)."""
        meta = ox.NamedNode(WITH_GRAPHS)
        for q in list(self.ox.quads_for_pattern(_SIZE_NODE, _SIZE, None, meta)):
            self.ox.remove(q)

    def remembered_size(self) -> int:
        """The default graph's size, remembered in the folder from an earlier count (counted and
        remembered now when it is not)."""
        meta = ox.NamedNode(WITH_GRAPHS)
        for q in self.ox.quads_for_pattern(_SIZE_NODE, _SIZE, None, meta):
            if isinstance(q.object, ox.Literal) and q.object.value.isdigit():
                return int(q.object.value)
        n = self.default_graph_size()
        self.forget_size()
        self.ox.add(ox.Quad(_SIZE_NODE, _SIZE, ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer")), meta))
        return n

    def sync_with_files(self, paths: Iterable[str | Path], progress: Callable[[str], None] | None = None) -> None:
        """Make the store hold exactly these ``--with`` files, each once.

        A file is known by the SHA-256 of its bytes: a file the store already holds is not
        loaded again (a restart appends nothing), a file no longer given (or changed) is taken
        out, with the triples it had added to the default graph.
        """
        wanted: dict[str, Path] = {}
        for p in paths:
            wanted.setdefault(_sha256(p), Path(p))
        meta = ox.NamedNode(WITH_GRAPHS)
        held: dict[str, ox.NamedNode] = {
            q.object.value: q.subject for q in self.ox.quads_for_pattern(None, _SHA256, None, meta)
            if isinstance(q.object, ox.Literal) and isinstance(q.subject, ox.NamedNode)}
        if set(held) == set(wanted):
            return
        self.forget_size()
        for digest in sorted(set(held) - set(wanted)):
            graph = held[digest]
            added = ox.NamedNode(graph.value + "/added")
            for q in list(self.ox.quads_for_pattern(None, None, None, added)):
                self.ox.remove(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()))
            for g in (graph, added):
                with contextlib.suppress(Exception):
                    self.ox.remove_graph(g)
            for q in list(self.ox.quads_for_pattern(graph, None, None, meta)):
                self.ox.remove(q)
        # a triple two files shared may have gone with the one removed: put it back
        for digest in sorted(set(held) & set(wanted)):
            self._merge_into_default(held[digest])
        for digest in sorted(set(wanted) - set(held)):
            path = wanted[digest]
            if progress:
                progress(f"loading {path}")
            graph = ox.NamedNode(f"{WITH_GRAPHS}/{digest}")
            self.add_file(path, graph_name=graph.value)
            self._merge_into_default(graph)
            self.ox.add(ox.Quad(graph, _SHA256, ox.Literal(digest), meta))
            self.ox.add(ox.Quad(graph, _SOURCE, ox.Literal(str(path)), meta))

    def _merge_into_default(self, graph: ox.NamedNode) -> None:
        added = ox.NamedNode(graph.value + "/added")
        new = []
        for q in self.ox.quads_for_pattern(None, None, None, graph):
            triple = ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
            if triple not in self.ox:
                new.append(triple)
        self.ox.extend(new)
        self.ox.extend(ox.Quad(q.subject, q.predicate, q.object, added) for q in new)

    def add_graph(self, graph: Graph, graph_name: str | None = None) -> None:  # noqa: D102
        """Bulk-load an rdflib graph (through N-Triples) into the default graph or a named one."""
        # sorted lines: the store then returns solutions (and GROUP_CONCAT lists) in the same
        # order in every process, whatever Python's hash seed
        data = b"\n".join(sorted(graph.serialize(format="nt", encoding="utf-8").splitlines())) + b"\n"
        target = ox.NamedNode(graph_name) if graph_name else ox.DefaultGraph()
        self.forget_size()
        self.ox.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=target)

    def add_file(self, path: str | Path, graph_name: str | None = None) -> None:
        """Load an RDF file into the default graph (or the named graph ``graph_name``).

        Turtle, N-Triples, N-Quads and TriG go straight to Oxigraph's parser; RDF/XML and JSON-LD
        first pass gerokg's safe parser (no XML entities, no remote JSON-LD contexts). Only
        regular files are read.

        :raises RdfParseError: the file cannot be read or parsed, naming the file and line
        """
        fmt = format_for_path(path)
        if fmt in ("xml", "json-ld"):
            self.add_graph(parse_rdf_file(path, fmt=fmt), graph_name)
            return
        target = ox.NamedNode(graph_name) if graph_name else ox.DefaultGraph()
        self.forget_size()
        # an in-memory store takes a file in one transaction (``load``): on it the bulk loader,
        # made for the on-disk files, measured slower and with a higher peak memory
        # (benchmarks/RESULTS.md, section 1); a failed load leaves nothing behind either way
        insert = self.ox.bulk_load if self.path is not None else self.ox.load
        with open_regular(path) as fh:
            try:
                insert(fh, format=_OX_FORMATS[fmt],
                       to_graph=target if fmt in ("turtle", "nt", "xml") or graph_name else None)
            except SyntaxError as exc:
                raise RdfParseError(str(path), f"not valid {fmt}: {_short(exc)}", getattr(exc, "lineno", None)) from None
            except OSError as exc:
                raise RdfParseError(str(path), f"cannot read: {exc.strerror or exc}") from None

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
    step = stepper(progress)

    store = GerokgStore(location)
    extra = list(extra)
    if store.is_empty():
        if release is not None:
            step(f"loading {release}")
            store.add_file(release)
            if format_for_path(release) in ("nquads", "trig"):
                # a release with named graphs (gerokg-full.nq): the default graph is their union,
                # as in a single-graph release, but for the query catalogue, which stays apart
                store.ox.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
                                "FILTER (?g != <https://w3id.org/gerokg/queries>) }")
        else:
            from gerokg.release.assemble import release_ntriples

            step("assembling the release from the package's sources")
            store.forget_size()
            store.ox.bulk_load(release_ntriples(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        if inferred:
            from gerokg.vocab import INFERRED_GRAPH

            # in the default graph, so plain queries see them, and in a named graph of their
            # own, so pages and gerokg.why can tell a conclusion from an assertion
            conclusions = inferred_conclusions(release, extra, progress)
            store.add_graph(conclusions)
            store.add_graph(conclusions, graph_name=INFERRED_GRAPH)
    if location is None:
        for path in extra:
            step(f"loading {path}")
            store.add_file(path)
    else:
        store.sync_with_files(extra, progress=step)
    return store


def _sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open_regular(path) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _short(exc: Exception) -> str:
    """An engine's parse error as one short line (never a long echo of the input)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "…"


def inferred_conclusions(
    release: str | Path | None = None,
    extra: Iterable[str | Path] = (),
    progress: Callable[[str], None] | None = None,
) -> Graph:
    """The reasoner's conclusions over the release (a file, or the package's sources) plus the
    extra files, computed once: read from the build's ``gerokg-inferred.ttl`` when the build's
    MANIFEST.sha256 vouches that it was made from this very release file, else from the
    reasoner's results kept by content hash (:func:`gerokg.release.reason.reason`), else by running
    HermiT."""
    extra = list(extra)
    if release is not None and not extra:
        built = _built_conclusions(Path(release))
        if built is not None:
            if progress:
                progress(f"reading the build's conclusions ({built.name})")
            return parse_rdf_file(built)
    from gerokg.release.reason import reason

    return reason(extra=extra, release=release, progress=progress).graph


def _built_conclusions(release: Path) -> Path | None:
    from gerokg.rdf.rdfio import sha256_file

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
