"""The release build: artifacts, header, reproducibility and atomicity."""

from __future__ import annotations

import hashlib
import re
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


def test_full_release_formats_hold_the_same_graph(release: Path) -> None:
    from rdflib.compare import isomorphic

    ttl = parse_rdf_file(release / "gerokg-full.ttl")
    for name in ("gerokg-full.owl", "gerokg-full.jsonld", "gerokg-full.nt"):
        assert isomorphic(ttl, parse_rdf_file(release / name)), name
    assert not list(ttl.triples((None, OWL.imports, None)))


def test_build_is_byte_for_byte_reproducible(release: Path, tmp_path: Path) -> None:
    second = build_release(tmp_path / "again")
    for name, digest in second.files.items():
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest, name
    again = build_release(tmp_path / "again")
    assert again.changed == []


def test_failed_build_leaves_previous_artifacts(release: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_release(out)
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
    from rdflib.compare import isomorphic

    assert isinstance(g, Graph)
    assert isomorphic(g, parse_rdf_file(release / "gerokg-full.nt"))
