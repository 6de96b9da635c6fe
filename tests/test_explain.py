"""Graph reasoning from Python: explained mechanism chains, the networkx export, user additions."""

from __future__ import annotations

from pathlib import Path

import pytest

import gerokg
from gerokg.answers.explain import UnknownTermError, explain, to_networkx

FIXTURES = Path(__file__).parent / "fixtures"


def _chain(chains, claims):
    return next(c for c in chains if c.claims == claims)


def test_caloric_restriction_slows_geroconversion_through_mtor(full_graph) -> None:
    chains = explain("GEROKG:0000071", "GEROKG:0000001", graph=full_graph)
    c = _chain(chains, ["https://w3id.org/gerokg/claim/C0134", "https://w3id.org/gerokg/claim/C0111"])
    assert c.effect_text == "decreases"  # inhibits (-) an activator (+) of geroconversion
    assert [s.sign for s in c.steps] == [-1, 1]
    assert c.steps[0].quote == "both metformin and caloric restriction, 2 interventions that inhibit mTOR signaling"
    assert c.steps[0].references == (83, 84, 85, 86)


def test_caloric_restriction_slows_ageing_only_as_the_review_says(full_graph) -> None:
    """'geroconversion, a fundamental process involved in aging' (C0025) is read weakly, 'causally
    upstream of or within' with no direction, and the review states the link itself only as a
    hypothesis ('If the mTOR-driven geroconversion constituted a cellular basis of organismal
    aging', C0128): so the only chain is the direct statement (C0067)."""
    chains = explain("GEROKG:0000071", "GEROKG:0000007", graph=full_graph)
    assert [c.claims for c in chains] == [["https://w3id.org/gerokg/claim/C0067"]]
    assert chains[0].effect == -1


def test_sirolimus_slows_geroconversion_as_a_gerosuppressant(full_graph) -> None:
    chains = explain("CHEBI:9168", "GEROKG:0000001", graph=full_graph)
    c = next(c for c in chains if [s.via for s in c.steps] == ["claim", "definition"])
    assert c.steps[0].target_label == "negative regulation of geroconversion"
    assert c.steps[1].relation_label == "negatively regulates"
    assert c.effect_text == "decreases"
    assert "gerosuppressant" in c.steps[0].quote


def test_sirolimus_slows_ageing_through_the_inhibition_of_tor(full_graph) -> None:
    chains = explain("CHEBI:9168", "GEROKG:0000007", graph=full_graph)
    assert chains[0].claims == ["https://w3id.org/gerokg/claim/C0202"] and chains[0].effect == -1
    via_tor = next(c for c in chains if "https://w3id.org/gerokg/claim/C0130" in c.claims)
    assert via_tor.effect_text == "decreases"
    assert via_tor.steps[-1].quote == "The inhibition of TOR slows aging and prolongs lifespan in diverse species."


def test_sirolimus_prevents_oncogenesis_directly_and_through_mtor(full_graph) -> None:
    chains = explain("CHEBI:9168", "GEROKG:0000006", graph=full_graph)
    assert chains[0].length == 1
    assert all(c.effect == -1 for c in chains if c.length == 1)
    # sirolimus inhibits mTORC1 (C0193); TORC1 signaling is a TOR signaling, which tumorigenesis needs
    via_mtor = next(c for c in chains if c.length == 2 and c.steps[0].target_label == "TORC1 signaling")
    assert via_mtor.effect_text == "decreases"
    assert via_mtor.claims == ["https://w3id.org/gerokg/claim/C0193", "https://w3id.org/gerokg/claim/C0263"]
    assert "almost obligatory for tumorigenesis" in via_mtor.steps[2].quote
    # a step inherited from a class: sirolimus is a rapalog, and rapalogs prevent cancer
    inherited = next(c for c in chains if c.steps[0].via == "is a" and c.steps[0].target_label == "rapalog")
    assert inherited.length == 1


def test_open_questions_and_negations_are_not_steps(full_graph) -> None:
    for c in explain("GEROKG:0000054", "GEROKG:0000006", graph=full_graph):
        assert all(s.kind != "open_question" for s in c.steps)


NON_ASSERTIVE = {"hypothesis", "open_question", "refuted_expectation", "rhetorical_question", "methodological_statement"}


def test_no_chain_says_sirolimus_increases_cancer(full_graph) -> None:
    """'It was expected that rapamycin would increase the risk ... to develop cancer' (C0157) is an
    expectation the review refutes in the next sentence; it is never a causal route."""
    chains = explain("CHEBI:9168", "MONDO:0004992", graph=full_graph)
    assert chains and all(c.effect_text == "decreases" for c in chains)
    steps = [s for c in chains for s in c.steps]
    assert all(s.kind not in NON_ASSERTIVE for s in steps)
    assert "https://w3id.org/gerokg/claim/C0157" not in {s.claim for s in steps}
    # rapalogs 'were expected to increase the incidence of cancer' (C0041): not a step either
    assert all("https://w3id.org/gerokg/claim/C0041" not in c.claims
               for c in explain("GEROKG:0000054", "MONDO:0004992", graph=full_graph))


def test_hypotheses_are_not_steps(full_graph) -> None:
    # 'p53 may exert anti-aging effects' (C0125) is a hypothesis
    chains = explain("HGNC:11998", "GEROKG:0000007", graph=full_graph)
    assert all("https://w3id.org/gerokg/claim/C0125" not in c.claims for c in chains)


def test_unknown_and_unconnected_terms(full_graph) -> None:
    with pytest.raises(UnknownTermError, match="not a CURIE with a known prefix"):
        explain("FOO:1", "GEROKG:0000006", graph=full_graph)
    with pytest.raises(UnknownTermError, match="CHEBI:99999999 is not a term of the graph"):
        explain("CHEBI:99999999", "GEROKG:0000006", graph=full_graph)
    assert explain("GEROKG:0000040", "CHEBI:9168", graph=full_graph) == []


def test_cycles_terminate(full_graph) -> None:
    # TOR signaling and geroconversion feed each other through several claims; the search ends
    chains = explain("GO:0031929", "GO:0031929", graph=full_graph)
    assert chains == []


def test_networkx_export() -> None:
    g = to_networkx()
    # 290 claims, 44 of which do not assert their relation (hypotheses, questions, refuted
    # expectations, methodological statements, the statistically insignificant C0169)
    assert g.number_of_edges() == 246
    assert to_networkx(include_non_assertive=True).number_of_edges() == 290
    assert all(d["kind"] not in NON_ASSERTIVE for _s, _o, d in g.edges(data=True))
    data = g.get_edge_data("http://purl.obolibrary.org/obo/CHEBI_61049", "http://purl.obolibrary.org/obo/GO_0031929")
    edge = data["gkc:C0155"]
    assert edge["polarity"] == "negated" and edge["kind"] == "negative_statement" and edge["sign"] == -1
    assert g.nodes["http://purl.obolibrary.org/obo/CHEBI_9168"]["label"] == "sirolimus"


@pytest.mark.java
def test_a_user_added_drug_and_process_are_classified() -> None:
    r = gerokg.reason(FIXTURES / "new-drug.ttl")
    drug = "http://example.org/drugs/NewRapalog"
    assert r.consistent
    # a drug that inhibits TORC1 signaling is a material entity (RO's domain), but no drug class
    # follows from a mechanism: it is a gerosuppressant only if someone says so (has role)
    assert r.is_a(drug, "BFO:0000040")
    for cls in ("GEROKG:0000054", "GEROKG:0000310", "GEROKG:0000051", "GEROKG:0000053"):
        assert not r.is_a(drug, cls), cls
    # a process that negatively regulates geroconversion is, by definition, a negative regulation of it
    assert r.is_a("http://example.org/drugs/NewProcess", "GEROKG:0000002")


@pytest.mark.java
def test_contradicting_the_review_makes_tacrolimus_unsatisfiable() -> None:
    r = gerokg.reason(FIXTURES / "tacrolimus-inhibits-mtor.ttl")
    assert "http://purl.obolibrary.org/obo/CHEBI_61049" in r.unsatisfiable


@pytest.mark.java
def test_inferred_store_answers_with_the_reasoner_conclusions() -> None:
    from gerokg.querying.canned import run_query
    from gerokg.release.store import open_store

    store = open_store(inferred=True)
    subs = run_query("subclasses", store, {"class": "BFO:0000040"})
    names = set(subs.column("label"))
    assert {"sirolimus", "everolimus", "Temsirolimus", "ridaforolimus"} <= names  # material entities by RO's domains
    plain = run_query("subclasses", open_store(), {"class": "BFO:0000040"})
    assert "sirolimus" not in set(plain.column("label"))
    # metformin is no gerosuppressant, with or without the reasoner
    assert "metformin" not in set(run_query("subclasses", store, {"class": "GEROKG:0000051"}).column("label"))


def test_explain_reads_names(full_graph) -> None:
    by_name = explain("rapamycin", "oncogenesis", graph=full_graph)
    by_curie = explain("CHEBI:9168", "GEROKG:0000006", graph=full_graph)
    assert [[s.claim for s in c.steps] for c in by_name] == [[s.claim for s in c.steps] for c in by_curie]
    assert by_name and by_name[0].effect_text == "decreases"


def test_mechanism_chains_follow_explains_steps(store, full_graph) -> None:
    """One definition of a valid step: the query's relations are explain's SIGNS, and every
    chain the query finds is a chain explain finds (the same claims, in the same order)."""
    import re

    from gerokg.answers.explain import SIGNS
    from gerokg.querying.canned import load_query, run_query
    from gerokg.rdf.rdfio import prefixes

    text = load_query("mechanism-chains").text
    lists = re.findall(r"\?p1 IN \(([^)]*)\)", text)
    assert len(lists) == 1
    # the later steps' relations (tested in the branches that bind them) are the same list
    later = re.findall(r"\?p[23] IN \(([^)]*)\)", text)
    assert len(later) == 3 and set(later) == set(lists)
    relations = {t.strip() for t in lists[0].split(",")}
    expanded = {prefixes()["obo"] + t[4:] if t.startswith("obo:") else t.strip("<>") for t in relations}
    assert expanded == set(SIGNS)
    rows = run_query("mechanism-chains", store, {"start": "GEROKG:0000071", "target": "GEROKG:0000007"}).rows
    chains = {tuple(str(row[c]) for c in ("claim1", "claim2", "claim3") if row[c] is not None) for row in rows}
    found = {tuple(s.claim for s in c.steps if s.claim) for c in explain(
        "GEROKG:0000071", "GEROKG:0000007", max_steps=3, graph=full_graph, limit=10000)}
    assert chains and chains <= found
