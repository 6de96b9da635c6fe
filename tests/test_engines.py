"""The two SHACL engines agree: pyshacl-turbo (the default) and pySHACL (the reference) give the
same report (focus node, source shape, constraint, path, severity, value, message) on every shape
fixture and on a corpus of broken claims made from the release's own claims; and validating a
user's nodes against the release's kept report gives what validating everything gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from gerokg.checks.validate import ValidationReport, validate
from gerokg.rdf.rdfio import new_graph, parse_rdf_file
from gerokg.release.assemble import release_ntriples

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
SHAPE_FIXTURES = sorted(FIXTURES.glob("*.ttl"))
GKS = "https://w3id.org/gerokg/schema/"
OBO = "http://purl.obolibrary.org/obo/"
MUTANT = "http://example.org/mutant/"
REVIEW = "https://w3id.org/gerokg/review/"


def _with_release(path: Path) -> bool:
    return "# with-release: yes" in path.read_text()


def _normalised(report: ValidationReport) -> list[tuple]:
    """The report as comparable rows; a blank node's label is the engine's own, so it reads '_:'."""

    def bn(x: str | None) -> str | None:
        return "_:" if x is not None and x.startswith("_:") else x

    return sorted((bn(r.focus_node), bn(r.source_shape), r.constraint, bn(r.source_constraint), r.path, r.severity,
                   bn(r.value), r.message) for r in report.results)


def _claims() -> dict[str, list[tuple]]:
    """The release's claims: claim IRI -> its triples."""
    g = new_graph()
    g.parse(data=release_ntriples().decode("utf-8"), format="nt")
    out: dict[str, list[tuple]] = {}
    for claim in sorted(g.subjects(RDF.type, URIRef(GKS + "Claim"))):
        out[str(claim)] = sorted(g.triples((claim, None, None)))
    return out


def _mutations() -> list[tuple[str, object]]:
    """(name, function from a claim's triples to the mutant's triples)."""

    def drop(pred: str):
        return lambda ts: [t for t in ts if str(t[1]) != GKS + pred]

    def replace(pred: str, value: object):
        return lambda ts: [(s, p, value if str(p) == GKS + pred else o) for s, p, o in ts]

    def add(pred: str, value: object):
        return lambda ts: ts + [(ts[0][0], URIRef(GKS + pred), value)]

    return [
        ("no-subject", drop("subject")),
        ("no-predicate", drop("predicate")),
        ("no-object", drop("object")),
        ("no-kind", drop("kind")),
        ("no-quote", drop("quote")),
        ("no-source", lambda ts: [t for t in ts if str(t[1]) != "http://purl.org/dc/terms/source"]),
        ("two-sections", lambda ts: add("section", URIRef(REVIEW + "section-mtor-geroconversion"))(
            add("section", URIRef(REVIEW + "section-rapalogs-humans"))(ts))),
        ("no-evidence", drop("evidence")),
        ("no-polarity", drop("polarity")),
        ("subject-literal", replace("subject", Literal("sirolimus"))),
        ("object-unknown-chebi", replace("object", URIRef(OBO + "CHEBI_99999998"))),
        ("object-bad-curie", replace("object", URIRef(OBO + "CHEBI_notanumber"))),
        ("predicate-unknown", replace("predicate", URIRef(OBO + "RO_9999999"))),
        ("kind-outside-list", replace("kind", URIRef(GKS + "rumour"))),
        ("polarity-outside-list", replace("polarity", URIRef(GKS + "perhaps"))),
        ("evidence-not-eco", replace("evidence", URIRef(OBO + "GO_0031929"))),
        ("two-subjects", add("subject", URIRef(OBO + "CHEBI_68478"))),
        ("quote-empty", replace("quote", Literal(""))),
        ("year-as-string", add("year", Literal("nineteen ninety-nine"))),
        ("year-wrong-datatype", add("year", Literal("1999", datatype=XSD.string))),
        ("organism-not-taxon", add("organism", URIRef(OBO + "GO_0031929"))),
        ("section-literal", replace("section", Literal("section 3"))),
    ]


@pytest.fixture(scope="module")
def mutants():
    """One mutant per mutation and per claim of a spread of the release's claims, each under its
    own IRI (so that a violation names its mutant)."""
    claims = _claims()
    names = list(claims)
    picked = names[:: max(1, len(names) // 6)][:6]
    g = new_graph()
    expected: set[str] = set()
    for i, claim in enumerate(picked):
        for name, mutate in _mutations():
            iri = URIRef(f"{MUTANT}{name}/{i}")
            ts = [(iri, p, o) for s, p, o in claims[claim] if str(p) != GKS + "curie"]
            for t in mutate(ts):  # type: ignore[operator]
                g.add(t)
            expected.add(str(iri))
    return g, expected


@pytest.fixture(scope="module")
def batch():
    """The release, every with-release fixture and the mutants, as one graph (none of their
    focus nodes overlap)."""
    g = new_graph()
    for p in SHAPE_FIXTURES:
        if _with_release(p):
            parse_rdf_file(p, g)
    return g


def test_every_mutant_is_caught(mutants) -> None:
    """Each mutant draws a violation on itself or on a term it names (an unknown CHEBI ID is the
    term's fault, not the claim's)."""
    from gerokg.rdf.rdfio import compact_iri

    g, expected = mutants
    caught = {r.focus_node for r in validate(g).violations}
    missed = set()
    for m in expected:
        mine = {compact_iri(m)} | {compact_iri(str(o)) for o in g.objects(URIRef(m), None) if isinstance(o, URIRef)}
        if not mine & caught:
            missed.add(m.removeprefix(MUTANT).split("/")[0])
    assert not missed, f"mutations no shape catches: {sorted(missed)}"


def test_engines_agree_on_fixtures_and_mutants(batch, mutants) -> None:
    g = new_graph()
    for t in batch:
        g.add(t)
    for t in mutants[0]:
        g.add(t)
    turbo = validate(g, engine="turbo", full=True)
    reference = validate(g, engine="pyshacl", full=True)
    assert turbo.conforms == reference.conforms is False
    assert len(turbo.results) > len(mutants[1])
    assert _normalised(turbo) == _normalised(reference)


@pytest.mark.parametrize("fixture", [p for p in SHAPE_FIXTURES if not _with_release(p)],
                         ids=lambda p: p.stem)
def test_engines_agree_on_fixtures_validated_alone(fixture: Path) -> None:
    turbo = validate(fixture, with_release=False, engine="turbo")
    reference = validate(fixture, with_release=False, engine="pyshacl")
    assert turbo.conforms == reference.conforms
    assert _normalised(turbo) == _normalised(reference)


def test_engines_agree_on_the_release() -> None:
    turbo = validate(engine="turbo", full=True)
    reference = validate(engine="pyshacl", full=True)
    assert turbo.conforms and reference.conforms
    assert _normalised(turbo) == _normalised(reference) == []


@pytest.mark.parametrize("engine", ["turbo", "pyshacl"])
def test_a_users_nodes_against_the_release_give_the_full_report(mutants, engine: str) -> None:
    g = new_graph()
    for s, p, o in mutants[0]:
        if "/subject-literal/" not in str(s):  # a literal focus node: validated in full (below)
            g.add((s, p, o))
    focused = validate(g, engine=engine)
    assert focused.focus_nodes is not None and focused.focus_nodes < len(g)  # not the whole release
    full = validate(g, engine=engine, full=True)
    assert full.focus_nodes is None
    assert _normalised(focused) == _normalised(full)
    assert focused.conforms == full.conforms is False


def test_a_file_with_blank_nodes_is_validated_in_full(tmp_path: Path) -> None:
    f = tmp_path / "drug.ttl"
    f.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                 "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                 "@prefix obo: <http://purl.obolibrary.org/obo/> .\n"
                 "<http://example.org/drug> a owl:Class ; rdfs:label \"a drug\" ;\n"
                 "  rdfs:subClassOf [ a owl:Restriction ; owl:onProperty obo:RO_0000087 ;"
                 " owl:someValuesFrom obo:CHEBI_99999997 ] .\n")
    report = validate(f)
    assert report.focus_nodes is None
    assert ("gksh:AxiomFillerShape", "CHEBI:99999997") in {(r.source_shape, r.focus_node) for r in report.violations}
    assert _normalised(report) == _normalised(validate(f, engine="pyshacl"))


def test_a_literal_where_a_term_belongs_is_validated_in_full(mutants) -> None:
    g = new_graph()
    for s, p, o in mutants[0]:
        if "/subject-literal/" in str(s):
            g.add((s, p, o))
    report = validate(g)
    assert report.focus_nodes is None
    assert {("gksh:KnownTermShape", "sirolimus"), ("gksh:KnownTermLabel", "sirolimus")} <= {
        (r.source_shape, r.focus_node) for r in report.violations}
    assert _normalised(report) == _normalised(validate(g, engine="pyshacl", full=True))


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown SHACL engine 'jena'"):
        validate(engine="jena")
