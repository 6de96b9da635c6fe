"""Import modules: coverage of every external term, and agreement with the source snapshots."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from gerokg.errors import ImportRefreshError
from gerokg.rdf.rdfio import compact_iri, parse_rdf_file
from gerokg.sources.imports import load_sources, read_term_list, refresh_imports

EXTERNAL = ("http://purl.obolibrary.org/obo/", "http://identifiers.org/hgnc/")


def _external_iris(graph) -> set[URIRef]:
    out = set()
    for triple in graph:
        for node in triple:
            if isinstance(node, URIRef) and str(node).startswith(EXTERNAL):
                out.add(node)
    return out


def test_every_external_iri_is_declared_with_a_label_in_a_module(sources, graphs) -> None:
    declared: dict[URIRef, str] = {}
    for module in sources.modules.values():
        for s, o in module.subject_objects(RDFS.label):
            declared[s] = str(o)
    used = _external_iris(graphs["ontology"]) | _external_iris(graphs["claims"])
    missing = sorted(compact_iri(str(i)) for i in used if i not in declared)
    assert missing == [], f"external terms used but absent from the import modules: {missing}"


def test_every_module_term_is_declared(sources) -> None:
    for name, module in sources.modules.items():
        labelled = set(module.subjects(RDFS.label))
        for s in labelled:
            assert any(module.triples((s, RDF.type, None))), f"{name}: {s} has a label but no declaration"


def test_term_lists_are_sorted_unique_and_labelled() -> None:
    for name, source in load_sources().items():
        seeds = read_term_list(source.terms_path)
        assert seeds, f"{name}_terms.txt is empty"
        assert all(s.label for s in seeds), f"{name}_terms.txt: every line needs '! label'"


def test_module_headers_record_the_snapshot() -> None:
    for name, source in load_sources().items():
        g = parse_rdf_file(source.module_path)
        onto = URIRef(f"https://w3id.org/gerokg/imports/{name}_import.owl")
        assert (onto, RDF.type, OWL.Ontology) in g
        text = source.module_path.read_text()
        assert source.sha256 in text
        assert str(g.value(onto, DCTERMS.source)) == source.snapshot


@pytest.mark.refdata
def test_committed_modules_match_the_snapshots(refdata: Path) -> None:
    differs = refresh_imports(refdata, check=True)
    assert not any(differs.values()), f"modules differ from a fresh extraction: {differs}"


@pytest.mark.refdata
def test_obsolete_secondary_and_mislabelled_seeds_are_refused(refdata: Path, tmp_path: Path, monkeypatch) -> None:
    from gerokg.sources import imports

    onto = tmp_path / "ontology"
    shutil.copytree(imports.ontology_dir(), onto)
    (onto / "imports" / "go_terms.txt").write_text(
        "GO:0031929 ! TOR signaling\n"
        "GO:0007050 ! cell cycle arrest\n"        # survives only as a secondary id
        "GO:0038202 ! TORC1 signalling\n"         # wrong label
        "GO:9999999 ! no such term\n")
    monkeypatch.setattr(imports, "ontology_dir", lambda: onto)
    with pytest.raises(ImportRefreshError) as err:
        refresh_imports(refdata, ["go"], check=True)
    text = str(err.value)
    assert "go_terms.txt:2: GO:0007050 is a secondary id of GO:0051726" in text
    assert "go_terms.txt:3: GO:0038202 is labelled 'TORC1 signaling' in the snapshot, not 'TORC1 signalling'" in text
    assert "go_terms.txt:4: GO:9999999 is not in go.json.gz" in text


@pytest.mark.refdata
def test_changed_snapshot_checksum_is_refused(refdata: Path, tmp_path: Path, monkeypatch) -> None:

    fake = tmp_path / "refdata"
    fake.mkdir()
    (fake / "eco.obo.gz").write_bytes(b"not the recorded snapshot")
    with pytest.raises(ImportRefreshError, match="sha256 .* differs"):
        refresh_imports(fake, ["eco"], check=True)


def test_exact_labels_of_key_terms(sources) -> None:
    labels = sources.terms.labels
    from gerokg.rdf.rdfio import expand_curie

    expected = {
        "CHEBI:9168": "sirolimus",
        "CHEBI:68478": "everolimus",
        "CHEBI:79699": "Temsirolimus",
        "CHEBI:82677": "ridaforolimus",
        "CHEBI:61049": "tacrolimus (anhydrous)",
        "CHEBI:4031": "cyclosporin A",
        "CHEBI:6801": "metformin",
        "CHEBI:68481": "mTOR inhibitor",
        "GO:0031931": "TORC1 complex",
        "GO:0038202": "TORC1 signaling",
        "GO:0090398": "cellular senescence",
        "MONDO:0004992": "cancer",
        "HGNC:3942": "MTOR",
        "HGNC:11998": "TP53",
        "NCBITaxon:10090": "Mus musculus",
        "RO:0012006": "is small molecule inhibitor of",
        "RO:0002215": "capable of",
        "ECO:0000304": "author statement supported by traceable reference used in manual assertion",
    }
    assert {c: labels.get(expand_curie(c)) for c in expected} == expected
