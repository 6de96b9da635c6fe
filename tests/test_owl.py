"""Protégé readiness (the OWL API's OWL 2 DL profile check) and classification with HermiT."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDFS

from conftest import ARTIFACTS, owlapi_classpath
from gerokg.errors import ReasonerError
from gerokg.rdfio import expand_curie

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
    assert "imports=8" in summary
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


@pytest.mark.parametrize("curie", sorted(RAPALOGS), ids=list(RAPALOGS.values()))
def test_rapalogs_are_classified_by_the_reasoner(reasoning, curie: str) -> None:
    for parent in (RAPALOG, MTORC1_INHIBITOR, MTOR_INHIBITOR, GEROSUPPRESSANT, GEROSUPPRESSOR, CANCER_PREVENTIVE):
        assert reasoning.is_a(curie, parent), f"{RAPALOGS[curie]} is not entailed to be {parent}"


@pytest.mark.parametrize("curie", sorted(RAPALOGS), ids=list(RAPALOGS.values()))
def test_rapalog_classification_is_inferred_not_asserted(graphs, curie: str) -> None:
    onto = graphs["ontology"]
    iri = expand_curie(curie)
    for parent in (MTORC1_INHIBITOR, GEROSUPPRESSANT, CANCER_PREVENTIVE):
        assert (iri, RDFS.subClassOf, expand_curie(parent)) not in onto


def test_tacrolimus_is_a_calcineurin_inhibitor_but_not_an_mtor_inhibitor(reasoning) -> None:
    assert reasoning.is_a(TACROLIMUS, CALCINEURIN_INHIBITOR)
    for parent in (MTORC1_INHIBITOR, MTOR_INHIBITOR, GEROSUPPRESSANT, RAPALOG):
        assert not reasoning.is_a(TACROLIMUS, parent)


def test_defined_classes_nest(reasoning) -> None:
    assert reasoning.is_a(MTORC1_INHIBITOR, MTOR_INHIBITOR)
    assert reasoning.is_a(MTOR_INHIBITOR, GEROSUPPRESSANT)
    assert reasoning.is_a(GEROSUPPRESSANT, GEROSUPPRESSOR)


def test_inferred_axioms_come_as_rdf(reasoning) -> None:
    g = reasoning.graph
    assert (expand_curie("CHEBI:9168"), RDFS.subClassOf, expand_curie(GEROSUPPRESSANT)) in g


def test_missing_java_gives_a_clear_error(monkeypatch) -> None:
    import importlib

    reason_mod = importlib.import_module("gerokg.reason")  # the module, not gerokg.reason()

    monkeypatch.setattr(reason_mod.shutil, "which", lambda name: None)
    with pytest.raises(ReasonerError, match="no Java runtime found on PATH.*apt-get install default-jre-headless"):
        reason_mod.reason()


COMPARATORS = {
    # drug: (entailed classes, classes it must not fall under)
    "CHEBI:61049": ({CALCINEURIN_INHIBITOR}, {MTOR_INHIBITOR, GEROSUPPRESSANT, RAPALOG}),          # tacrolimus
    "CHEBI:4031": (set(), {CALCINEURIN_INHIBITOR, MTOR_INHIBITOR, GEROSUPPRESSANT, RAPALOG}),      # cyclosporin A
    "CHEBI:2948": (set(), {MTOR_INHIBITOR, GEROSUPPRESSANT, CANCER_PREVENTIVE, RAPALOG}),          # azathioprine
    "CHEBI:50858": (set(), {MTOR_INHIBITOR, GEROSUPPRESSANT, CANCER_PREVENTIVE, RAPALOG}),         # corticosteroid
    "CHEBI:6801": ({MTOR_INHIBITOR, GEROSUPPRESSANT, GEROSUPPRESSOR}, {MTORC1_INHIBITOR, RAPALOG}),  # metformin
    "CHEBI:45863": ({"GEROKG:0000057"}, {MTOR_INHIBITOR, GEROSUPPRESSANT, RAPALOG}),               # paclitaxel
}


@pytest.mark.parametrize("curie", sorted(COMPARATORS))
def test_comparator_drugs_are_classified(reasoning, curie: str) -> None:
    """Cyclosporin A is a calcineurin inhibitor in pharmacology, but the review never says so: not entailed."""
    must, must_not = COMPARATORS[curie]
    for cls in must:
        assert reasoning.is_a(curie, cls), (curie, cls)
    for cls in must_not:
        assert not reasoning.is_a(curie, cls), (curie, cls)
