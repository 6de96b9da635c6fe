"""Protégé readiness (the OWL API's OWL 2 DL profile check) and classification with HermiT."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from rdflib.namespace import RDFS

from conftest import ARTIFACTS, owlapi_classpath
from gerokg.errors import ReasonerError
from gerokg.rdf.rdfio import expand_curie

pytestmark = pytest.mark.java

CHECKER = Path(__file__).parent / "owlapi" / "ProfileCheck.java"
RAPALOGS = {
    "CHEBI:9168": "sirolimus",
    "CHEBI:68478": "everolimus",
    "CHEBI:79699": "Temsirolimus",
    "CHEBI:82677": "ridaforolimus",
}
RAPALOG = "GEROKG:0000054"
MTORC1_INHIBITOR = "GEROKG:0000052"
MTOR_INHIBITOR = "GEROKG:0000053"
GEROSUPPRESSANT = "GEROKG:0000051"
GEROSUPPRESSOR = "GEROKG:0000050"
CANCER_PREVENTIVE = "GEROKG:0000055"
CALCINEURIN_INHIBITOR = "GEROKG:0000056"
TACROLIMUS = "CHEBI:61049"


def _profile_check(path: Path) -> tuple[int, str]:
    cp = owlapi_classpath()
    if cp is None:
        pytest.skip("the OWL API (Debian libowlapi-java) or Java is not installed")
    res = subprocess.run(["java", "-cp", cp, str(CHECKER), str(path)], capture_output=True, text=True, timeout=300)
    out = "\n".join(line for line in res.stdout.splitlines() if not line.startswith("SLF4J"))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"owlapi-{path.name}.txt").write_text(out + "\n" + res.stderr)
    return res.returncode, out


def test_gerokg_owl_loads_offline_through_the_catalog_and_is_owl2_dl(release: Path) -> None:
    code, out = _profile_check(release / "gerokg.owl")
    assert "LOAD_ERROR" not in out, out
    summary = out.splitlines()[-1]
    assert "ontology=https://w3id.org/gerokg/gerokg.owl" in summary
    assert "imports=9" in summary  # the eight modules and the bridge module
    assert "violations=0" in summary, out[:3000]
    assert code == 0


def test_gerokg_full_owl_is_owl2_dl(release: Path) -> None:
    code, out = _profile_check(release / "gerokg-full.owl")
    assert "violations=0" in out.splitlines()[-1], out[:3000]
    assert code == 0


def test_missing_import_is_an_error_not_a_download(release: Path, tmp_path: Path) -> None:
    (tmp_path / "gerokg.owl").write_bytes((release / "gerokg.owl").read_bytes())
    (tmp_path / "catalog-v001.xml").write_bytes((release / "catalog-v001.xml").read_bytes())
    code, out = _profile_check(tmp_path / "gerokg.owl")  # the imports/ folder is absent
    assert code == 2
    assert "LOAD_ERROR" in out


def test_hermit_finds_the_release_consistent(reasoning) -> None:
    assert reasoning.consistent
    assert reasoning.unsatisfiable == []


#: obsolete defined classes: they made the reasoner classify drugs beyond what the review says
OBSOLETE_DRUG_CLASSES = (MTORC1_INHIBITOR, MTOR_INHIBITOR, GEROSUPPRESSANT, GEROSUPPRESSOR, CANCER_PREVENTIVE,
                         CALCINEURIN_INHIBITOR)
MATERIAL_ENTITY = "BFO:0000040"


@pytest.mark.parametrize("curie", sorted(RAPALOGS), ids=list(RAPALOGS.values()))
def test_rapalogs_are_classified_by_the_reasoner(reasoning, curie: str) -> None:
    """Each drug is a rapalog because a claim says so (C0001-C0004), a chemical entity through ChEBI,
    and a material entity through RO's domains; no obsolete drug class is entailed."""
    for parent in (RAPALOG, "CHEBI:24431", MATERIAL_ENTITY):
        assert reasoning.is_a(curie, parent), f"{RAPALOGS[curie]} is not entailed to be {parent}"
    for parent in OBSOLETE_DRUG_CLASSES:
        assert not reasoning.is_a(curie, parent), f"{RAPALOGS[curie]} is entailed to be {parent}"


@pytest.mark.parametrize("curie", sorted(RAPALOGS), ids=list(RAPALOGS.values()))
def test_rapalog_membership_lives_in_the_bridge_module(graphs, curie: str) -> None:
    iri = expand_curie(curie)
    assert not list(graphs["ontology"].triples((iri, None, None)))
    assert (iri, RDFS.subClassOf, expand_curie(RAPALOG)) in graphs["bridge"]


def test_tacrolimus_is_not_an_mtor_inhibitor(reasoning, graphs) -> None:
    from rdflib.namespace import OWL

    for parent in (RAPALOG, *OBSOLETE_DRUG_CLASSES):
        assert not reasoning.is_a(TACROLIMUS, parent)
    negated = [o for o in graphs["bridge"].objects(expand_curie(TACROLIMUS), RDFS.subClassOf)
               if graphs["bridge"].value(o, OWL.complementOf) is not None]
    assert negated  # 'as it does not inhibit mTOR' (C0155), a bridge axiom


def test_obsolete_classes_have_no_logical_axioms(graphs) -> None:
    from rdflib.namespace import OWL

    for cls in OBSOLETE_DRUG_CLASSES:
        iri = expand_curie(cls)
        assert (iri, OWL.deprecated, None) in graphs["ontology"]
        assert not list(graphs["ontology"].triples((iri, RDFS.subClassOf, None)))
        assert not list(graphs["ontology"].triples((iri, OWL.equivalentClass, None)))


def test_inferred_axioms_come_as_rdf(reasoning) -> None:
    g = reasoning.graph
    assert (expand_curie("CHEBI:9168"), RDFS.subClassOf, expand_curie(MATERIAL_ENTITY)) in g


def test_missing_java_gives_a_clear_error(monkeypatch) -> None:
    import importlib

    reason_mod = importlib.import_module("gerokg.release.reason")  # the module, not gerokg.reason()

    monkeypatch.setattr(reason_mod.shutil, "which", lambda name: None)
    with pytest.raises(ReasonerError, match="no Java runtime found on PATH.*apt-get install default-jre-headless"):
        reason_mod.reason()


COMPARATORS = {
    # drug: (entailed classes, classes it must not fall under)
    "CHEBI:61049": (set(), {RAPALOG, *OBSOLETE_DRUG_CLASSES}),           # tacrolimus
    "CHEBI:4031": (set(), {RAPALOG, *OBSOLETE_DRUG_CLASSES}),            # cyclosporin A
    "CHEBI:2948": (set(), {RAPALOG, *OBSOLETE_DRUG_CLASSES}),            # azathioprine
    "CHEBI:50858": (set(), {RAPALOG, *OBSOLETE_DRUG_CLASSES}),           # corticosteroid
    # metformin: the review never calls it a gerosuppressant or an mTOR inhibitor (it was one by inference)
    "CHEBI:6801": (set(), {RAPALOG, *OBSOLETE_DRUG_CLASSES}),
    "CHEBI:45863": ({"GEROKG:0000057"}, {RAPALOG, *OBSOLETE_DRUG_CLASSES}),  # paclitaxel (C0236)
}


@pytest.mark.parametrize("curie", sorted(COMPARATORS))
def test_comparator_drugs_are_classified(reasoning, curie: str) -> None:
    """No comparator drug falls under a class the review does not give it."""
    must, must_not = COMPARATORS[curie]
    for cls in must:
        assert reasoning.is_a(curie, cls), (curie, cls)
    for cls in must_not:
        assert not reasoning.is_a(curie, cls), (curie, cls)
