"""Results computed once and kept by the content hash of their inputs.

The release assembled from the package's sources, its SHACL report and the reasoner's
conclusions depend only on their inputs; recomputing them on every start or query costs seconds
(HermiT) to fractions of a second (assembling the release). They are kept under a key that hashes
every input byte (and the versions of the code and engines that produced them), so a changed
input simply misses the cache: a stale answer is never served.

The folder is ``$GEROKG_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/gerokg``, else
``~/.cache/gerokg``. ``GEROKG_CACHE_DIR=off`` (or an unwritable folder) turns caching off: every
result is then computed afresh, with the same answers.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from gerokg.rdf.rdfio import atomic_write

__all__ = ["cache_dir", "cached_bytes", "digest", "rdf_digest", "sources_digest", "tree_parts"]


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is turned off."""
    explicit = os.environ.get("GEROKG_CACHE_DIR")
    if explicit is not None:
        if explicit.strip().lower() in ("", "off", "0", "none"):
            return None
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "gerokg"


def digest(parts: Iterable[bytes | str]) -> str:
    """SHA-256 over the parts, each length-prefixed (so that no two part lists collide)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def tree_parts(root: Path, suffixes: tuple[str, ...] | None = None) -> list[bytes | str]:
    """The relative path and bytes of every file under ``root`` (of ``suffixes``), in order: what a
    hash of a folder is made of."""
    parts: list[bytes | str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        if suffixes and path.suffix not in suffixes:
            continue
        parts.append(str(path.relative_to(root)))
        parts.append(path.read_bytes())
    return parts


_SOURCES: str | None = None


def sources_digest() -> str:
    """A hash of everything the release is assembled from: the ontology sources, the shapes and
    the package's code (a change to the code that builds the graph must miss the cache too)."""
    global _SOURCES
    if _SOURCES is None:
        from gerokg._version import __version__
        from gerokg.resources import ontology_dir, shapes_dir

        parts: list[bytes | str] = [__version__]
        for root in (ontology_dir(), shapes_dir()):
            parts.append(f"[{root.name}]")
            parts.extend(tree_parts(root))
        parts.append("[code]")
        parts.extend(tree_parts(Path(__file__).resolve().parents[1], (".py",)))
        _SOURCES = digest(parts)
    return _SOURCES


def cached_bytes(kind: str, key: str, compute: Callable[[], bytes]) -> bytes:
    """The bytes kept for (kind, key), computing and keeping them on a miss.

    :param kind: a short name of what is kept (a file-name prefix), e.g. ``release-nt``
    :param key: the content hash of the inputs
    :param compute: makes the bytes on a miss
    """
    folder = cache_dir()
    target = folder / f"{kind}-{key[:32]}" if folder is not None else None
    if target is not None:
        try:
            return target.read_bytes()
        except OSError:
            pass
    data = compute()
    if target is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
            atomic_write(target, data)
        except OSError:
            pass  # a read-only home: the result is still right, only not kept
    return data


def rdf_digest(data: bytes | None = None, path: str | Path | None = None, fmt: str = "nt") -> str:
    """A hash of RDF content that does not depend on how it is written: the triples are
    canonicalised (RDFC-1.0, the W3C algorithm, in Oxigraph) and sorted, so the same triples in
    another order, another syntax or with other blank-node labels give the same hash.

    :param data: N-Triples (or ``fmt``) bytes
    :param path: a file to read instead, in ``fmt`` (``nt``, ``turtle``, ``nquads``, ``trig``)
    :raises SyntaxError: the data do not parse
    """
    import pyoxigraph as ox

    formats = {"nt": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE, "nquads": ox.RdfFormat.N_QUADS,
               "trig": ox.RdfFormat.TRIG}
    quads = ox.parse(data, format=formats[fmt]) if path is None else ox.parse(path=str(path), format=formats[fmt])
    dataset = ox.Dataset(quads)
    algorithm = "RDFC-1.0"
    try:
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    except Exception:  # a graph too tangled to canonicalise: its own labels (the same input still hits)
        algorithm = "as-written"
    return digest([algorithm, "\n".join(sorted(str(q) for q in dataset))])
