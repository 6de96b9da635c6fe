"""The modelling-guide checks (gerokg.modelling): the release passes each, a fixture fails each."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from gerokg.checks.modelling import (
    check_circular_definitions,
    check_definition_genus,
    check_domain_range,
    check_imported_axioms,
    check_inferences_beyond_review,
    check_native_duplicates,
    check_non_assertive_steps,
    justified_inferences,
    load_relation_constraints,
    run_modelling_checks,
)
from gerokg.rdf.rdfio import expand_curie, parse_rdf_file

FIXTURES = Path(__file__).parent / "fixtures" / "modelling"
OBO = "http://purl.obolibrary.org/obo/"


def _load(name: str) -> Graph:
    return parse_rdf_file(FIXTURES / name)


def _entities(findings) -> set[str]:
    return {f.entity for f in findings}


def test_the_release_passes_every_modelling_check() -> None:
    findings, names = run_modelling_checks()
    assert names == ["domain_range", "imported_class_axiom", "native_duplicate", "circular_definition",
                     "definition_genus", "non_assertive_step"]
    assert findings == []


def test_domain_range_flags_a_drug_causally_upstream_of_a_process() -> None:
    found = check_domain_range(_load("domain_range.ttl"))
    assert _entities(found) == {"gkc:C9001"}
    assert "subject CHEBI:9168 is a material; the relation's domain is process" in found[0].value


def test_relation_table_agrees_with_ro() -> None:
    """Where RO states a domain or range (on the relation or a superproperty), the table's is no wider."""
    from rdflib.namespace import RDFS

    from gerokg.resources import ontology_dir

    ro = parse_rdf_file(ontology_dir() / "imports" / "ro_import.owl")
    table = load_relation_constraints()
    process = {URIRef(OBO + "BFO_0000015"), URIRef(OBO + "BFO_0000003")}
    for rel in (expand_curie(c) for c in ("RO:0002211", "RO:0002212", "RO:0002213", "RO:0002304", "RO:0002305")):
        todo, ranges = [URIRef(rel)], set()
        while todo:
            p = todo.pop()
            ranges |= set(ro.objects(p, RDFS.range)) | set(ro.objects(p, RDFS.domain))
            todo.extend(ro.objects(p, RDFS.subPropertyOf))
        assert ranges and ranges <= process, rel
        assert table[URIRef(rel)] == ({"process"}, {"process"})
    assert table[expand_curie("RO:0002215")] == ({"material"}, {"process"})


def test_imported_axioms_in_the_base_and_unsupported_bridge_axioms() -> None:
    imported = [URIRef(OBO + "CHEBI_9168"), URIRef(OBO + "CHEBI_68478")]
    base = check_imported_axioms(_load("imported_axiom_base.ttl"), Graph(), imported)
    assert _entities(base) == {"CHEBI:9168"}
    bridge = check_imported_axioms(Graph(), _load("imported_axiom_bridge.ttl"), imported)
    assert _entities(bridge) == {"CHEBI:68478"}


def test_native_duplicates_by_label_or_exact_synonym() -> None:
    found = check_native_duplicates(_load("native_duplicate.ttl"))
    assert _entities(found) == {"GEROKG:9000004", "GEROKG:9000005"}
    assert "GO:0090398" in found[0].value


def test_native_terms_are_no_duplicates_of_the_whole_snapshots() -> None:
    refdata = Path(__file__).resolve().parents[2] / "shared" / "refdata"
    if not (refdata / "go.json.gz").exists():
        pytest.skip("the reference snapshots are not beside the checkout")
    from gerokg.api import load_graph
    from gerokg.checks.modelling import snapshot_names

    names = snapshot_names(refdata)
    assert "cell cycle arrest" not in names  # GO merged it: the native term was a re-creation
    assert check_native_duplicates(load_graph(), names) == []


def test_circular_definitions() -> None:
    found = check_circular_definitions(_load("circular_definition.ttl"))
    assert _entities(found) == {"GEROKG:9000001", "GEROKG:9000002", "GEROKG:9000003"}
    assert any("the term's own name" in f.value for f in found if f.entity == "GEROKG:9000003")


def test_definition_genus_matches_the_parent() -> None:
    found = check_definition_genus(_load("definition_genus.ttl"))
    assert _entities(found) == {"GEROKG:9000010"}
    assert "'A cellular phenotype ...'" in found[0].value


def test_non_assertive_claims_are_no_steps() -> None:
    from gerokg.answers.explain import Step, _edges, to_networkx
    from gerokg.querying.canned import _load as load_query_file
    from gerokg.release.store import GerokgStore

    g = _load("non_assertive_step.ttl")
    store = GerokgStore()
    store.add_file(FIXTURES / "non_assertive_step.ttl")
    # the shipped finders pass
    assert check_non_assertive_steps(g, store) == []
    assert [s.claim for steps in _edges(g).values() for s in steps] == ["https://w3id.org/gerokg/claim/C9021"]
    assert to_networkx(g).number_of_edges() == 1
    assert to_networkx(g, include_non_assertive=True).number_of_edges() == 3

    # finders that ignore the kind of a claim fail
    def every_claim(graph):
        return {None: [Step("s", "o", str(graph.value(c, URIRef("https://w3id.org/gerokg/schema/predicate"))),
                            1, "claim", str(c)) for c in graph.subjects(URIRef("https://w3id.org/gerokg/schema/quote"), None)]}

    found = check_non_assertive_steps(g, store, edges=every_claim,
                                      networkx=lambda graph: to_networkx(graph, include_non_assertive=True),
                                      query=load_query_file(FIXTURES / "mechanism-chains-ignoring-kinds.rq"))
    assert _entities(found) == {"gkc:C9020", "gkc:C9022"}
    assert {f.value for f in found} == {"a step of explain()", "an edge of to_networkx()",
                                        "a step of the mechanism-chains query"}


class _Reasoning:
    def __init__(self, superclasses):
        self.superclasses = superclasses


def test_inferences_beyond_the_review_are_reported_unless_justified() -> None:
    g = _load("domain_range.ttl")
    sirolimus, chem = OBO + "CHEBI_9168", OBO + "CHEBI_24431"
    reasoning = _Reasoning({sirolimus: {chem, "https://w3id.org/gerokg/GEROKG_0000051"}})
    found = check_inferences_beyond_review(g, reasoning, justified={})
    assert [(f.entity, f.level, f.value.split(":")[0] + ":" + f.value.split(":")[1]) for f in found] == [
        ("CHEBI:9168", "ERROR", "GEROKG:0000051")]
    ok = check_inferences_beyond_review(g, reasoning, justified={("CHEBI:9168", "GEROKG:0000051"): "a reason"})
    assert [f.level for f in ok] == ["INFO"]


def test_the_guide_lists_its_justified_inferences() -> None:
    assert isinstance(justified_inferences(), dict)


@pytest.mark.java
def test_no_inference_beyond_the_review_in_the_release(reasoning) -> None:
    from gerokg.api import load_graph

    found = check_inferences_beyond_review(load_graph(), reasoning)
    assert [f for f in found if f.level == "ERROR"] == []
    # metformin is a gerosuppressant only if a claim says so: none does
    assert not reasoning.is_a("CHEBI:6801", "GEROKG:0000051")
    assert not reasoning.is_a("CHEBI:6801", "GEROKG:0000310")
