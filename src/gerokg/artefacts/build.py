"""Build the release: the ontology, its imports and the claims, as reproducible artifacts.

``build_release`` reads ``ontology/gerokg-edit.ttl``, the import modules and the curated claims,
and writes (all byte-for-byte reproducible, dated by an input, never by the clock):

- ``gerokg.owl``: the ontology (RDF/XML) with ``owl:imports`` of the modules, plus
  ``catalog-v001.xml`` and ``imports/*.owl`` beside it, so Protégé opens it offline; its version
  IRI is ``https://w3id.org/gerokg/releases/YYYY-MM-DD/gerokg.owl`` (:func:`release_date`);
- ``gerokg-full.owl`` / ``.ttl`` / ``.jsonld`` / ``.nt``: ontology, imports and claims merged;
- ``gerokg-full.nq`` / ``.trig``: the same with one named graph per part (:mod:`gerokg.quads`);
- ``gerokg-base.owl``, ``gerokg-simple.owl``, ``gerokg.obo``, ``gerokg.json``: the ODK-style
  artefacts (:mod:`gerokg.odk`);
- ``gerokg-claims.ttl``: the claims, the review and its sections;
- the claim exports of :mod:`gerokg.exports` (``claims.tsv``, nanopublications, KGX);
- ``gerokg.sssom.tsv`` (:mod:`gerokg.mappings`), ``ro-crate-metadata.json`` (:mod:`gerokg.crate`);
- ``gerokg-diff.txt`` / ``.json`` when the folder held an earlier release (:mod:`gerokg.diff`);
- ``MANIFEST.sha256``.

Outputs are staged in a temporary folder and moved into place under a lock, so an interrupted or
failed build leaves the previous artifacts intact and concurrent builds cannot interleave.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gerokg.artefacts.crate import CRATE_FILE
from gerokg.errors import BuildError
from gerokg.progress import stepper
from gerokg.rdf.rdfio import atomic_write, new_graph, serialize_graph
from gerokg.release.assemble import (
    BRIDGE_IRI,
    ONTOLOGY_IRI,
    SourceData,
    build_graphs,
    load_sources_data,
    release_date,
    version_iri,
)
from gerokg.resources import ontology_dir
from gerokg.sources.imports import load_sources

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "ARTIFACTS",
    "BuildResult",
    "build_release",
    "quality_gate",
]

#: every file a build writes, relative to the output folder
ARTIFACTS = (
    "gerokg.owl",
    "gerokg-bridge.owl",
    "catalog-v001.xml",
    "gerokg-full.owl",
    "gerokg-full.ttl",
    "gerokg-full.jsonld",
    "gerokg-full.nt",
    "gerokg-claims.ttl",
    "claims.tsv",
    "gerokg-nanopubs.trig",
    "kgx_nodes.tsv",
    "kgx_edges.tsv",
    "gerokg-queries.ttl",
    "gerokg-base.owl",
    "gerokg-simple.owl",
    "gerokg.obo",
    "gerokg.json",
    "gerokg-full.nq",
    "gerokg-full.trig",
    "gerokg.sssom.tsv",
    "ro-crate-metadata.json",
)


@dataclass
class BuildResult:
    """What a build wrote."""

    out_dir: Path
    files: dict[str, str] = field(default_factory=dict)  # relative path -> sha256
    triples: int = 0
    claims: int = 0
    changed: list[str] = field(default_factory=list)



def quality_gate(full: Graph, ntriples: bytes, progress: Callable[[str], None] | None = None) -> None:
    """Refuse to release a graph that fails gerokg's SHACL shapes or an ERROR-level QC query
    (``gerokg validate`` and ``gerokg check`` on the release): nothing is written then.

    A graph that passed is remembered by the hash of its N-Triples, the shapes, the queries and
    the code (:mod:`gerokg.rdf.cache`), so rebuilding the same release checks it once.

    :raises BuildError: naming the first problems and the command that lists them all
    """
    from gerokg.rdf.cache import cached_bytes, digest, sources_digest, tree_parts
    from gerokg.resources import queries_dir

    step = stepper(progress)
    key = digest([hashlib.sha256(ntriples).hexdigest(), sources_digest(), "[queries]", *tree_parts(queries_dir())])

    def check() -> bytes:
        import pyoxigraph as ox

        from gerokg.checks.check import run_checks
        from gerokg.checks.validate import validate
        from gerokg.release.store import GerokgStore

        step("validating the release against the shapes")
        report = validate(full, with_release=False)
        if not report.conforms:
            shown = "; ".join(f"{r.focus_node}: {r.message}" for r in report.violations[:3])
            raise BuildError(f"the release does not conform to the shapes ({len(report.violations)} violations; {shown}); "
                             "'gerokg validate' lists them all; nothing was written")
        step("running the quality-gate queries")
        store = GerokgStore()
        store.ox.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        errors = run_checks(store, modelling=False).errors
        if errors:
            shown = "; ".join(f"{f.check} {f.entity} {f.value}".strip() for f in errors[:3])
            raise BuildError(f"the release fails {len(errors)} ERROR-level quality checks ({shown}); "
                             "'gerokg check' lists them all; nothing was written")
        return b"passed"

    cached_bytes("quality-gate", key, check)



JOURNAL = ".gerokg-swap"


def _add_diff(out: Path, outputs: dict[str, bytes], step: Callable[[str], None]) -> None:
    """Add ``gerokg-diff.json``/``.txt`` against the release already in ``out``, if there is one.

    When the new release equals the old one (but for these files), the old diff files are kept,
    so rebuilding the same sources is byte-identical.
    """
    from gerokg.artefacts.diff import DIFF_FILES, diff_releases

    if not (out / "MANIFEST.sha256").is_file() or not (out / "claims.tsv").is_file():
        return
    old = {}
    for line in (out / "MANIFEST.sha256").read_text(encoding="utf-8").splitlines():
        _digest, _sep, name = line.partition("  ")
        if name and (out / name).is_file():
            old[name] = (out / name).read_bytes()
    skip = {*DIFF_FILES, CRATE_FILE}
    if {k: v for k, v in old.items() if k not in skip} == {k: v for k, v in outputs.items() if k not in skip}:
        for name in DIFF_FILES:
            if name in old:
                outputs[name] = old[name]
        return
    step("comparing with the previous release in the output folder (gerokg-diff.json, gerokg-diff.txt)")
    d = diff_releases(old, outputs)
    outputs["gerokg-diff.json"] = d.to_json()
    outputs["gerokg-diff.txt"] = d.to_text().encode("utf-8")


def _crate(data: SourceData, outputs: dict[str, bytes], date: str) -> bytes:
    from rdflib.namespace import DCTERMS

    from gerokg.artefacts.crate import ro_crate

    edit = data.edit
    modules = {name: (src.license, src.snapshot) for name, src in sorted(load_sources().items())}
    return ro_crate(
        {k: v for k, v in outputs.items() if k != CRATE_FILE},
        title=str(edit.value(ONTOLOGY_IRI, DCTERMS.title) or "gerokg"),
        description=str(edit.value(ONTOLOGY_IRI, DCTERMS.description) or ""),
        license_iri=str(edit.value(ONTOLOGY_IRI, DCTERMS.license) or "https://creativecommons.org/licenses/by/4.0/"),
        date=date, version_iri=str(version_iri(date)), modules=modules)


def _roll_forward(out: Path, staging: Path) -> None:
    """Move every staged file into place (manifest last), then drop the journal and staging."""
    files = sorted(p for p in staging.rglob("*") if p.is_file() and p.name != "MANIFEST.sha256")
    for src in files:
        dest = out / src.relative_to(staging)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dest)
    if (staging / "MANIFEST.sha256").exists():
        os.replace(staging / "MANIFEST.sha256", out / "MANIFEST.sha256")
    os.unlink(out / JOURNAL)
    shutil.rmtree(staging, ignore_errors=True)


def _recover(out: Path) -> None:
    """Finish a swap a killed build left half done; remove staging folders of killed builds."""
    journal = out / JOURNAL
    if journal.exists():
        staging = out / journal.read_text().strip()
        if staging.is_dir() and staging.name.startswith(".staging-"):
            _roll_forward(out, staging)
        else:
            journal.unlink()
    for stale in out.glob(".staging-*"):
        shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / ".gerokg-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build_release(
    out_dir: str | Path = "build",
    review: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
    claims_path: str | Path | None = None,
    inferred: bool = False,
    date: str | None = None,
    sign_key: str | Path | None = None,
) -> BuildResult:
    """Build every release artifact into ``out_dir``.

    :param out_dir: output folder (created if needed)
    :param review: the review's text, to check quotes, sections and references against
    :param progress: called with a short message before each step
    :param claims_path: a claims file to use instead of ``ontology/claims/review-claims.yaml``
    :param inferred: also classify with HermiT and write ``gerokg-inferred.ttl`` (needs Java)
    :param date: the release date ``YYYY-MM-DD`` (version IRI, nanopublications' ``dct:created``,
        mapping date); default from :func:`release_date`, never the clock
    :param sign_key: a file with an RSA private key to sign the nanopublications with
    :returns: what was written, with checksums
    :raises CurationError: the curated sources have problems (nothing is written)
    :raises BuildError: the build failed (the previous artifacts are left intact)
    """
    from gerokg.artefacts import exports

    step = stepper(progress)

    out = Path(out_dir)
    when = release_date(date)
    if when is None:
        raise BuildError("no release date: give --date YYYY-MM-DD or set SOURCE_DATE_EPOCH "
                         "(outside a git checkout there is no last commit to take it from)")
    key = exports.read_signing_key(sign_key) if sign_key is not None else None
    step("reading the ontology, imports and claims")
    data = load_sources_data(review, claims_path)
    step("assembling the release graphs")
    graphs = build_graphs(data, when)
    ntriples = serialize_graph(graphs["full"], "nt")
    quality_gate(graphs["full"], ntriples, step)
    outputs = _graph_files(data, graphs, step)
    outputs["gerokg-full.nt"] = ntriples
    step("writing claim exports (TSV, nanopublications, KGX) and the query catalogue")
    outputs.update(exports.export_all(data, graphs, when, key))
    from gerokg.querying.catalogue import catalogue_turtle

    outputs["gerokg-queries.ttl"] = catalogue_turtle()
    conclusions = None
    if inferred:
        step("classifying with HermiT (gerokg-inferred.ttl)")
        conclusions = _conclusions(graphs["full"])
        outputs["gerokg-inferred.ttl"] = serialize_graph(conclusions, "turtle")
    step("writing the ODK artefacts (base, simple, OBO, obographs)")
    outputs.update(_odk_files(data, graphs, when, conclusions))
    step("writing the named-graph dataset (gerokg-full.nq, gerokg-full.trig) and the mappings")
    outputs.update(_dataset_files(data, graphs, when, conclusions))
    step(f"writing {len(outputs)} files to {out}")
    result = BuildResult(out_dir=out, triples=len(graphs["full"]), claims=len(data.claims.claims))
    _write_release(out, outputs, data, when, step, result)
    return result


def _graph_files(data: SourceData, graphs: dict[str, Graph], step: Callable[[str], None]) -> dict[str, bytes]:
    """The ontology, its bridge and import modules, the catalog, the full release and the claims."""
    outputs: dict[str, bytes] = {}
    step("serialising gerokg.owl")
    outputs["gerokg.owl"] = serialize_graph(graphs["ontology"], "xml")
    outputs["gerokg-bridge.owl"] = serialize_graph(graphs["bridge"], "xml")
    outputs["catalog-v001.xml"] = (ontology_dir() / "catalog-v001.xml").read_bytes()
    for name, blob in data.module_bytes.items():
        outputs[f"imports/{name}_import.owl"] = blob
    step("serialising gerokg-full (owl, ttl, jsonld, nt)")
    outputs["gerokg-full.owl"] = serialize_graph(graphs["full"], "xml")
    outputs["gerokg-full.ttl"] = serialize_graph(graphs["full"], "turtle")
    outputs["gerokg-full.jsonld"] = serialize_graph(graphs["full"], "json-ld")
    outputs["gerokg-claims.ttl"] = serialize_graph(graphs["claims"], "turtle")
    return outputs


def _conclusions(full: Graph) -> Graph:
    """HermiT's conclusions on the full release; an inconsistent release is a ReasonerError."""
    from gerokg.errors import ReasonerError
    from gerokg.release.reason import reason

    classified = reason(graph=full)
    if not classified.consistent:
        raise ReasonerError(classified.explanation)
    return classified.graph


def _release_modules(data: SourceData, graphs: dict[str, Graph]) -> list[Graph]:
    return [*data.modules.values(), graphs["bridge"]]  # gerokg.owl imports the bridge too


def _odk_files(data: SourceData, graphs: dict[str, Graph], when: str,
               conclusions: Graph | None) -> dict[str, bytes]:
    """The ODK artefacts: base, simple, OBO and obographs."""
    from gerokg.artefacts import odk

    modules = _release_modules(data, graphs)
    outputs = {
        "gerokg-base.owl": serialize_graph(odk.base_graph(graphs["ontology"], ONTOLOGY_IRI, when), "xml"),
        "gerokg-simple.owl": serialize_graph(
            odk.simple_graph(graphs["ontology"], modules, ONTOLOGY_IRI, when, conclusions), "xml"),
    }
    doc = odk.obo_document(graphs["ontology"], modules, when, conclusions)
    outputs["gerokg.obo"] = odk.obo_text(doc)
    outputs["gerokg.json"] = odk.obographs_json(doc, graphs["ontology"], modules, when)
    return outputs


def _dataset_files(data: SourceData, graphs: dict[str, Graph], when: str,
                   conclusions: Graph | None) -> dict[str, bytes]:
    """The named-graph dataset (N-Quads, TriG) and the SSSOM mappings."""
    from gerokg.artefacts import quads
    from gerokg.artefacts.mappings import release_sssom
    from gerokg.querying.catalogue import catalogue_graph

    named = quads.dataset_graphs(ONTOLOGY_IRI, graphs["ontology"], data.modules, graphs["claims"],
                                 catalogue_graph(), conclusions, bridge=(BRIDGE_IRI, graphs["bridge"]))
    merged = new_graph()
    for g in (graphs["ontology"], *_release_modules(data, graphs)):
        for t in g:
            merged.add(t)
    return {
        "gerokg-full.nq": quads.nquads(named),
        "gerokg-full.trig": quads.trig(named),
        "gerokg.sssom.tsv": release_sssom(merged, when, str(version_iri(when))),
    }


def _write_release(out: Path, outputs: dict[str, bytes], data: SourceData, when: str,
                   step: Callable[[str], None], result: BuildResult) -> None:
    """Add the diff and the RO-Crate, then swap the release into ``out`` under its lock.

    Fills ``result.changed`` and ``result.files`` (the manifest's checksums).
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"{out}: cannot create the output folder: {exc.strerror or exc}") from None
    with _locked(out):
        _recover(out)
        _add_diff(out, outputs, step)
        outputs[CRATE_FILE] = _crate(data, outputs, when)
        manifest = "".join(
            f"{hashlib.sha256(blob).hexdigest()}  {name}\n" for name, blob in sorted(outputs.items())
        )
        _stage_and_swap(out, outputs, manifest, result)
    for line in manifest.splitlines():
        digest, name = line.split("  ", 1)
        result.files[name] = digest


def _stage_and_swap(out: Path, outputs: dict[str, bytes], manifest: str, result: BuildResult) -> None:
    """Write every file to a staging folder, note what changed, and move them into ``out``."""
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        for name, blob in outputs.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blob)
        (staging / "MANIFEST.sha256").write_bytes(manifest.encode())
        for name, blob in sorted(outputs.items()):
            final = out / name
            old = final.read_bytes() if final.exists() else None
            if old != blob:
                result.changed.append(name)
        # the journal names the complete staged release: if this process dies while moving
        # files, the next build (or load) finishes the move before anything else
        atomic_write(out / JOURNAL, staging.name.encode())
        _roll_forward(out, staging)
    except OSError as exc:
        raise BuildError(f"{out}: could not write the release: {exc}") from exc
    finally:
        if not (out / JOURNAL).exists():
            shutil.rmtree(staging, ignore_errors=True)
