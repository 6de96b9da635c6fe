"""The quality gate: ROBOT report checks as SPARQL, on the release and on failing fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from gerokg.checks.check import run_checks
from gerokg.querying.canned import list_queries, run_query
from gerokg.rdf.rdfio import expand_curie
from gerokg.release.store import GerokgStore

FIXTURES = Path(__file__).parent / "fixtures" / "qc"
QC = [q for q in list_queries() if q.is_qc]


def test_release_passes_the_quality_gate(store) -> None:
    report = run_checks(store)
    assert [f for f in report.errors] == []
    assert set(report.counts) >= {
        "missing_label", "multiple_labels", "duplicate_label", "missing_definition",
        "multiple_definitions", "missing_ontology_title", "missing_ontology_description",
        "missing_ontology_license", "deprecated_class_reference", "label_whitespace", "invalid_xref",
        "undeclared_entity", "illegal_punning",
        # the modelling-guide checks (gerokg.modelling, ontology/MODELLING.md)
        "domain_range", "imported_class_axiom", "native_duplicate", "circular_definition",
        "definition_genus", "non_assertive_step",
    }
    assert all(report.counts[c] == ("ERROR", 0) for c in ("domain_range", "imported_class_axiom",
                                                          "native_duplicate", "circular_definition"))


def test_cli_check_reports_the_modelling_checks() -> None:
    from click.testing import CliRunner

    from gerokg.cli import main

    res = CliRunner().invoke(main, ["check", "--no-reasoner"])
    assert res.exit_code == 0, res.output
    for name in ("domain_range", "imported_class_axiom", "native_duplicate", "circular_definition",
                 "definition_genus", "non_assertive_step"):
        assert any(line.split()[1:] == [name, "0"] for line in res.output.splitlines()), name


def test_robot_levels_are_kept() -> None:
    levels = {q.check: q.level for q in QC}
    assert levels["missing_label"] == "ERROR"
    assert levels["duplicate_label"] == "ERROR"
    assert levels["missing_definition"] == "WARN"
    assert levels["invalid_xref"] == "WARN"


def test_every_qc_query_has_a_failing_fixture() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.ttl")) == sorted(q.name for q in QC)


@pytest.mark.parametrize("query", QC, ids=[q.name for q in QC])
def test_qc_query_flags_its_fixture(query) -> None:
    fixture = FIXTURES / f"{query.name}.ttl"
    expected = fixture.read_text().splitlines()[0].removeprefix("# expect: ").strip()
    iri = expected if expected.startswith("http") else str(expand_curie(expected)) if expected.split(":")[0].isupper() else expected
    if expected.startswith("ex:"):
        iri = "http://example.org/" + expected[3:]
    s = GerokgStore()
    s.add_file(fixture)
    rows = run_query(query, s).rows
    assert iri in {str(r["entity"]) for r in rows}, f"{query.name} did not flag {expected}: {rows}"
