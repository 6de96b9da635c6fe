"""The release build: artifacts, header, reproducibility and atomicity."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from gerokg import __version__
from gerokg.artefacts.build import ARTIFACTS, build_release
from gerokg.errors import CurationError
from gerokg.rdf.rdfio import parse_rdf_file
from gerokg.release.assemble import ONTOLOGY_IRI, release_date


def test_all_artifacts_are_written(release: Path) -> None:
    for name in ARTIFACTS:
        assert (release / name).is_file(), name
    for module in ("chebi", "go", "mondo", "hgnc", "ncbitaxon", "ro", "eco", "iao"):
        assert (release / "imports" / f"{module}_import.owl").is_file()
    manifest = (release / "MANIFEST.sha256").read_text().splitlines()
    for line in manifest:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest


def test_ontology_header(release: Path) -> None:
    g = parse_rdf_file(release / "gerokg.owl")
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    # a dated version IRI (OBO convention), the date from an input (here the last commit), not the clock
    assert g.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(f"https://w3id.org/gerokg/releases/{release_date()}/gerokg.owl")
    assert re.fullmatch(r"https://w3id.org/gerokg/releases/\d{4}-\d{2}-\d{2}/gerokg.owl", str(g.value(ONTOLOGY_IRI, OWL.versionIRI)))
    assert g.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal(__version__)
    assert str(g.value(ONTOLOGY_IRI, DCTERMS.title)).startswith("gerokg")
    assert g.value(ONTOLOGY_IRI, DCTERMS.description) is not None
    assert g.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    imports = {str(o) for o in g.objects(ONTOLOGY_IRI, OWL.imports)}
    assert imports == {f"https://w3id.org/gerokg/imports/{m}_import.owl"
                       for m in ("chebi", "eco", "go", "hgnc", "iao", "mondo", "ncbitaxon", "ro")} | {
        "https://w3id.org/gerokg/gerokg-bridge.owl"}
    # no bibliographic data is invented for the review
    for p in (DCTERMS.creator, DCTERMS.bibliographicCitation, DCTERMS.identifier):
        assert not list(g.triples((None, p, None)))


def test_axioms_on_imported_classes_live_only_in_the_bridge_module(release: Path) -> None:
    """gerokg.owl asserts nothing on an imported class; gerokg-bridge.owl holds those axioms, each
    with the claim that states it (sirolimus is a rapalog: C0001)."""
    base = parse_rdf_file(release / "gerokg.owl")
    bridge = parse_rdf_file(release / "gerokg-bridge.owl")
    sirolimus = URIRef("http://purl.obolibrary.org/obo/CHEBI_9168")
    rapalog = URIRef("https://w3id.org/gerokg/GEROKG_0000054")
    assert not any(s for s in base.subjects() if str(s).startswith("http://purl.obolibrary.org/obo/CHEBI_"))
    assert (sirolimus, RDFS.subClassOf, rapalog) in bridge
    ax = next(bridge.subjects(OWL.annotatedSource, sirolimus))
    assert URIRef("https://w3id.org/gerokg/claim/C0001") in set(bridge.objects(None, URIRef("https://w3id.org/gerokg/schema/supported_by")))
    assert ax is not None
    # the review's own names, each with its quote
    syn = URIRef("http://www.geneontology.org/formats/oboInOwl#hasExactSynonym")
    assert Literal("rapamycin") in set(bridge.objects(sirolimus, syn))
    assert Literal("deforolimus") in set(bridge.objects(URIRef("http://purl.obolibrary.org/obo/CHEBI_82677"), syn))


def test_catalog_maps_every_import_to_a_file_beside_it(release: Path) -> None:
    import xml.etree.ElementTree as ET

    root = ET.parse(release / "catalog-v001.xml").getroot()
    uris = {e.get("name"): e.get("uri") for e in root.iter("{urn:oasis:names:tc:entity:xmlns:xml:catalog}uri")}
    g = parse_rdf_file(release / "gerokg.owl")
    for imported in g.objects(ONTOLOGY_IRI, OWL.imports):
        assert (release / uris[str(imported)]).is_file()


def _canonical(data: bytes, fmt: str) -> set[str]:
    """The graph in ``data`` as RDFC-1.0 canonical N-Triples lines (pyoxigraph's parser and
    canonicaliser: independent of rdflib, which wrote the files, and linear where rdflib's
    isomorphism test took 50 s on these four files)."""
    import pyoxigraph as ox

    ds = ox.Dataset(ox.parse(data, format=ox.RdfFormat.from_extension(fmt)))
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in ds}


FORMATS = {"gerokg-full.ttl": "ttl", "gerokg-full.owl": "rdf", "gerokg-full.jsonld": "jsonld", "gerokg-full.nt": "nt"}


def test_full_release_formats_hold_the_same_graph(release: Path) -> None:
    graphs = {name: _canonical((release / name).read_bytes(), fmt) for name, fmt in FORMATS.items()}
    assert len(graphs["gerokg-full.ttl"]) > 9000
    for name, graph in graphs.items():
        assert graph == graphs["gerokg-full.ttl"], name
    assert not [t for t in graphs["gerokg-full.ttl"] if f"<{OWL.imports}>" in t]
    # the comparison sees a blank node's triple: without one restriction's filler, the graph differs
    lines = (release / "gerokg-full.nt").read_bytes().splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if line.startswith(b"_:") and b"someValuesFrom" in line)
    assert _canonical(b"".join(lines[:cut] + lines[cut + 1:]), "nt") != graphs["gerokg-full.ttl"]


def test_build_is_byte_for_byte_reproducible(release: Path, tmp_path: Path) -> None:
    """A build over the session's release (a copy of it) writes the same bytes and changes nothing."""
    again = tmp_path / "again"
    shutil.copytree(release, again)
    second = build_release(again)
    assert second.changed == []
    assert set(second.files) >= set(ARTIFACTS)
    for name, digest in second.files.items():
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest, name


def test_failed_build_leaves_previous_artifacts(release: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(release, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    bad = tmp_path / "claims.yaml"
    bad.write_text("sections: {}\nclaims:\n  - id: C0001\n    kind: guess\n")
    with pytest.raises(CurationError):
        build_release(out, claims_path=bad)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert not [p for p in out.iterdir() if p.name.startswith(".staging-")]


def test_load_graph_returns_the_full_release(release: Path) -> None:
    import gerokg

    g = gerokg.load_graph()
    assert isinstance(g, Graph)
    assert _canonical(g.serialize(format="nt", encoding="utf-8"), "nt") == _canonical(
        (release / "gerokg-full.nt").read_bytes(), "nt")
