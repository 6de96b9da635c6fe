"""SHACL shapes: the release conforms, every shape catches its fixture, users validate their files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from gerokg.checks.validate import load_shapes, validate
from gerokg.cli import main
from gerokg.rdf.rdfio import compact_iri, new_graph, parse_rdf_file

FIXTURES = Path(__file__).parent / "fixtures"
SHAPE_FIXTURES = sorted((FIXTURES / "shapes").glob("*.ttl"))
GKSH = "https://w3id.org/gerokg/shapes/"


def _meta(path: Path) -> dict[str, str]:
    meta = {}
    for line in path.read_text().splitlines():
        if line.startswith("# expect-") or line.startswith("# with-"):
            key, _, value = line[2:].partition(": ")
            meta[key] = value.strip()
    return meta


def _focus(path: Path, text: str) -> str:
    if text.startswith("ex:"):
        return f"http://example.org/{path.stem}/{text[3:]}"
    if text.startswith("<"):
        return text[1:-1]
    return text


def test_release_conforms() -> None:
    report = validate()
    assert report.conforms, report.text()
    assert report.results == []
    assert report.triples > 9000


def test_shapes_parse_and_every_named_shape_has_a_fixture() -> None:
    shapes = load_shapes()
    named = {str(s)[len(GKSH):] for s in shapes.subjects() if isinstance(s, URIRef) and str(s).startswith(GKSH)}
    named.discard("")
    covered = {_meta(p).get("expect-shape") for p in SHAPE_FIXTURES}
    assert named - covered == set(), f"shapes without a failing fixture: {sorted(named - covered)}"


@pytest.fixture(scope="module")
def batch_report():
    """The release plus every with-release fixture, validated once (focus nodes do not overlap)."""
    g = new_graph()
    for p in SHAPE_FIXTURES:
        if _meta(p)["with-release"] == "yes":
            parse_rdf_file(p, g)
    return validate(g)


def _subjects(path: Path) -> set[str]:
    g = parse_rdf_file(path)
    return {compact_iri(str(s)) for s in g.subjects() if isinstance(s, URIRef)}


@pytest.mark.parametrize("fixture", SHAPE_FIXTURES, ids=[p.stem for p in SHAPE_FIXTURES])
def test_each_fixture_triggers_exactly_its_violation(fixture: Path, batch_report) -> None:
    meta = _meta(fixture)
    shape = meta["expect-shape"]
    focus = _focus(fixture, meta["expect-focus"]) if shape else ""
    if meta["with-release"] == "yes":
        report = batch_report
        mine = _subjects(fixture) | ({compact_iri(focus)} if focus else set())
        found = {(r.source_constraint or r.source_shape, r.focus_node) for r in report.results
                 if r.focus_node in mine
                 or (focus.startswith("_:") and r.focus_node.startswith("_:") and r.source_shape == f"gksh:{shape}")}
    else:
        report = validate(fixture, with_release=False)
        found = {(r.source_constraint or r.source_shape, r.focus_node) for r in report.results}
    if not shape:
        assert found == set()
        return
    expected_focus = focus if focus.startswith("_:") else compact_iri(focus)
    found = {(s, expected_focus if f.startswith("_:") and expected_focus.startswith("_:") else f) for s, f in found}
    assert found == {(f"gksh:{shape}", expected_focus)}, fixture.read_text()


def test_results_carry_message_value_and_path(batch_report) -> None:
    r = next(r for r in batch_report.results if r.source_shape == "gksh:ClaimEvidence")
    assert r.path == "gks:evidence"
    assert r.value == "GO:0031929"
    assert "ECO term" in r.message
    assert r.severity == "Violation"


def test_correct_user_claim_from_another_paper_validates() -> None:
    report = validate(FIXTURES / "shapes" / "valid-user-claim.ttl")
    assert report.conforms, report.text()


def test_unknown_chebi_id_fails_with_a_clear_message() -> None:
    report = validate(FIXTURES / "user-claim-unknown-chebi.ttl")
    assert not report.conforms
    by = {(r.source_shape, r.focus_node) for r in report.violations}
    assert ("gksh:KnownTermLabel", "CHEBI:99999999") in by
    text = report.text()
    assert "CHEBI:99999999" in text
    assert "check the ID, or add the term to ontology/imports/<source>_terms.txt" in text


def test_validate_accepts_every_rdf_format(tmp_path: Path) -> None:
    g = parse_rdf_file(FIXTURES / "shapes" / "valid-user-claim.ttl")
    for fmt, suffix in (("xml", ".owl"), ("json-ld", ".jsonld"), ("nt", ".nt")):
        path = tmp_path / f"claim{suffix}"
        path.write_bytes(g.serialize(format=fmt, encoding="utf-8"))
        assert validate(path).conforms, fmt


def test_cli_exit_codes_and_formats(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", str(FIXTURES / "shapes" / "valid-user-claim.ttl")])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("conforms: yes")
    bad = runner.invoke(main, ["validate", str(FIXTURES / "user-claim-unknown-chebi.ttl"), "--format", "json"])
    assert bad.exit_code == 1
    data = json.loads(bad.output)
    assert data["conforms"] is False
    assert {"focus_node": "CHEBI:99999999", "source_shape": "gksh:KnownTermLabel"}.items() <= next(
        r for r in data["results"] if r["source_shape"] == "gksh:KnownTermLabel").items()
    ttl = runner.invoke(main, ["validate", str(FIXTURES / "user-claim-unknown-chebi.ttl"), "--format", "turtle"])
    assert ttl.exit_code == 1 and "sh:ValidationReport" in ttl.output
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n")
    unreadable = runner.invoke(main, ["validate", str(broken)])
    assert unreadable.exit_code == 2
    assert "broken.ttl:3" in unreadable.output
    missing = runner.invoke(main, ["validate", str(tmp_path / "nope.ttl")])
    assert missing.exit_code == 2 and "nope.ttl" in missing.output


def test_grouped_text_report(batch_report) -> None:
    text = batch_report.text()
    assert "\nhttp://example.org/ClaimKind/claim\n" in text or "\nex" in text or "ClaimKind" in text
    grouped = batch_report.by_focus_node()
    assert all(len({r.focus_node for r in rs}) == 1 for rs in grouped.values())


def test_a_file_validated_alone_is_not_held_to_the_release_header(tmp_path: Path) -> None:
    f = tmp_path / "paper.ttl"
    f.write_text('@prefix obo: <http://purl.obolibrary.org/obo/> .\n'
                 '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                 '@prefix dcterms: <http://purl.org/dc/terms/> .\n'
                 '<http://example.org/paper> a obo:IAO_0000310 ; rdfs:label "A paper" .\n'
                 '<http://example.org/paper#results> a obo:IAO_0000314 ; rdfs:label "Results" ;\n'
                 '    dcterms:isPartOf <http://example.org/paper> .\n')
    report = validate(f, with_release=False)
    assert report.conforms, report.text()
