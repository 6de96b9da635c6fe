"""Claim exports: claims.tsv, nanopublications, and KGX tables with valid Biolink names."""

from __future__ import annotations

import csv
from importlib import metadata
from pathlib import Path

import yaml
from rdflib import Dataset, URIRef

from gerokg.artefacts.exports import CLAIMS_TSV_COLUMNS, biolink_mapping


def _biolink_schema() -> dict:
    dist = metadata.distribution("biolink-model")
    path = Path(str(dist.locate_file("biolink_model/schema/biolink_model.yaml")))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_biolink_mapping_uses_real_biolink_names() -> None:
    schema = _biolink_schema()
    mapping = biolink_mapping()
    assert schema["version"] == mapping["biolink_version"]
    slots, classes = schema["slots"], schema["classes"]
    directions = schema["enums"]["DirectionQualifierEnum"]["permissible_values"]
    for key, spec in mapping["predicates"].items():
        assert spec["predicate"] in slots, key
        if "direction" in spec:
            assert spec["direction"] in directions, key
    assert mapping["default_predicate"] in slots
    cats = [a["category"] for a in mapping["anchors"]] + list(mapping["prefixes"].values()) + list(mapping["go_namespaces"].values())
    for c in cats:
        assert c in classes, c
    for level in ("knowledge_assertion", "prediction"):
        assert level in schema["enums"]["KnowledgeLevelEnum"]["permissible_values"]
    assert "manual_agent" in schema["enums"]["AgentTypeEnum"]["permissible_values"]


def test_claims_tsv(release: Path) -> None:
    with open(release / "claims.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) == 290
    assert set(CLAIMS_TSV_COLUMNS) >= {"claim_id", "subject", "predicate", "object", "quote", "references", "section", "kind"}
    fold = next(r for r in rows if "3.4-fold" in r["quote"])
    assert fold["references"] == "110" and fold["comparator"] == "GEROKG:0000074"
    assert fold["quantities"] == "3.4 fold decrease"
    ranged = next(r for r in rows if r["claim_id"] == "gkc:C0034")
    assert ranged["references"] == "1;2;3;4;5"
    # the qualifiers the graph stores are columns too
    by_id = {r["claim_id"]: r for r in rows}
    assert by_id["gkc:C0253"]["condition"] == "MONDO:0005111;MONDO:0015759"
    assert by_id["gkc:C0089"]["cell_state"] == "GO:0045786"
    assert by_id["gkc:C0248"]["not_treated_with"] == "CHEBI:9168" and by_id["gkc:C0248"]["treated_with"] == ""
    assert by_id["gkc:C0169"]["significance"] == "not_significant"


GKS = "https://w3id.org/gerokg/schema/"
GKC = "https://w3id.org/gerokg/claim/"


def test_nanopublications(release: Path, sources) -> None:
    ds = Dataset()
    ds.parse(release / "gerokg-nanopubs.trig", format="trig")
    np_type = URIRef("http://www.nanopub.org/nschema#Nanopublication")
    nps = {s for g in ds.graphs() for s in g.subjects(predicate=None, object=np_type)}
    assert len(nps) == len(sources.claims.claims) + 1  # one per claim and the index
    negated = URIRef("https://w3id.org/gerokg/claim/C0155/np/assertion")
    triples = list(ds.graph(negated))
    assert any(str(o) == "https://w3id.org/gerokg/schema/negated" for _, _, o in triples)
    # a negated claim never asserts its triple
    assert not any(str(p) == "http://purl.obolibrary.org/obo/RO_0012006" for _, p, _ in triples)


def test_a_nanopublication_asserts_only_what_its_claim_asserts(release: Path, sources) -> None:
    """An expectation the review refutes, a hypothesis, a question, a methodological remark or an
    insignificant effect is a statement node with its kind, never the bare triple."""
    ds = Dataset()
    ds.parse(release / "gerokg-nanopubs.trig", format="trig")
    bare = statement = 0
    for c in sources.claims.claims:
        graph = ds.graph(URIRef(f"{GKC}{c.id}/np/assertion"))
        holds = (c.subject, c.predicate, c.object) in graph
        st = URIRef(f"{GKC}{c.id}/statement")
        if c.asserts and c.polarity == "affirmed":
            assert holds and len(graph) == 1, c.id
            bare += 1
        else:
            assert not holds, c.id
            assert graph.value(st, URIRef(GKS + "kind")) == URIRef(GKS + c.kind), c.id
            assert graph.value(st, URIRef(GKS + "polarity")) == URIRef(GKS + c.polarity), c.id
            statement += 1
    assert (bare, statement) == (240, 50)  # 44 claims that do not assert, 6 negated
    refuted = ds.graph(URIRef(f"{GKC}C0041/np/assertion"))
    assert (URIRef(f"{GKC}C0041/statement"), URIRef(GKS + "kind"), URIRef(GKS + "refuted_expectation")) in refuted
    insignificant = ds.graph(URIRef(f"{GKC}C0169/np/assertion"))
    assert (URIRef(f"{GKC}C0169/statement"), URIRef(GKS + "significance"), URIRef(GKS + "not_significant")) in insignificant


def test_a_nanopublication_carries_every_qualifier_of_its_claim(release: Path, sources) -> None:
    """Each claim's provenance graph says of the assertion what the release says of the claim
    (bookkeeping aside), with the same properties, quantities included."""
    from rdflib import Graph
    from rdflib.namespace import DCTERMS, RDF, RDFS

    claims = Graph().parse(release / "gerokg-claims.ttl")
    ds = Dataset()
    ds.parse(release / "gerokg-nanopubs.trig", format="trig")
    bookkeeping = {RDF.type, RDFS.label, DCTERMS.source, *(URIRef(GKS + k) for k in ("curie", "subject", "predicate", "object"))}
    for c in sources.claims.claims:
        prov = ds.graph(URIRef(f"{GKC}{c.id}/np/provenance"))
        assertion = URIRef(f"{GKC}{c.id}/np/assertion")
        stored = {(p, o) for p, o in claims.predicate_objects(c.iri) if p not in bookkeeping}
        assert stored and stored <= set(prov.predicate_objects(assertion)), c.id
        for q in claims.objects(c.iri, URIRef(GKS + "quantity")):
            assert set(claims.predicate_objects(q)) == set(prov.predicate_objects(q)), (c.id, q)
    c0253 = ds.graph(URIRef(f"{GKC}C0253/np/provenance"))
    assert {str(o) for o in c0253.objects(URIRef(f"{GKC}C0253/np/assertion"), URIRef(GKS + "condition"))} == {
        "http://purl.obolibrary.org/obo/MONDO_0005111", "http://purl.obolibrary.org/obo/MONDO_0015759"}
    c0248 = ds.graph(URIRef(f"{GKC}C0248/np/provenance"))
    assert c0248.value(URIRef(f"{GKC}C0248/np/assertion"), URIRef(GKS + "not_treated_with")) == URIRef(
        "http://purl.obolibrary.org/obo/CHEBI_9168")
    c0167 = ds.graph(URIRef(f"{GKC}C0167/np/provenance"))
    assert [str(v) for v in c0167.objects(None, URIRef(GKS + "value"))] == ["3.4"]


def test_kgx_tables(release: Path, sources) -> None:
    with open(release / "kgx_edges.tsv", encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh, delimiter="\t"))
    with open(release / "kgx_nodes.tsv", encoding="utf-8") as fh:
        nodes = {r["id"]: r for r in csv.DictReader(fh, delimiter="\t")}
    # the claims that assert their relation, and the hypotheses as predictions; the 24 others
    # (questions, refuted expectations, methodological remarks, an insignificant effect) say
    # nothing an edge could
    kept = {f"gkc:{c.id}" for c in sources.claims.claims if c.asserts or c.kind == "hypothesis"}
    assert {e["id"] for e in edges} == kept and len(edges) == 266
    assert all(e["subject"] in nodes and e["object"] in nodes for e in edges)
    by_id = {e["id"]: e for e in edges}
    tac = by_id["gkc:C0155"]
    assert (tac["predicate"], tac["object_direction_qualifier"], tac["negated"]) == ("biolink:affects", "decreased", "true")
    assert "gkc:C0041" not in by_id and "gkc:C0169" not in by_id and "gkc:C0179" not in by_id
    assert (by_id["gkc:C0125"]["knowledge_level"], by_id["gkc:C0125"]["gerokg_hedge"]) == ("prediction", "may")
    assert by_id["gkc:C0132"]["knowledge_level"] == "knowledge_assertion"
    assert nodes["CHEBI:9168"]["category"] == "biolink:ChemicalEntity"
    assert nodes["MONDO:0004992"]["category"] == "biolink:Disease"
    assert nodes["CHEBI:35705"]["category"] == "biolink:ChemicalRole"


def test_kgx_edges_carry_the_qualifiers(release: Path) -> None:
    with open(release / "kgx_edges.tsv", encoding="utf-8") as fh:
        by_id = {e["id"]: e for e in csv.DictReader(fh, delimiter="\t")}
    # Biolink's own context qualifiers where one says exactly the same
    assert by_id["gkc:C0248"]["species_context_qualifier"] == "NCBITaxon:9606"
    assert by_id["gkc:C0246"]["disease_context_qualifier"] == "MONDO:0005109"
    assert by_id["gkc:C0214"]["anatomical_context_qualifier"] == "GEROKG:0000034"
    # two conditions: disease_context_qualifier takes one, so only the gerokg column has them
    assert by_id["gkc:C0253"]["disease_context_qualifier"] == ""
    assert by_id["gkc:C0253"]["gerokg_condition"] == "MONDO:0005111|MONDO:0015759"
    assert by_id["gkc:C0089"]["gerokg_cell_state"] == "GO:0045786"
    assert by_id["gkc:C0248"]["gerokg_not_treated_with"] == "CHEBI:9168"
    assert by_id["gkc:C0200"]["gerokg_quantities"] == "90 percent decrease|10 fold decrease"
    assert by_id["gkc:C0200"]["gerokg_timing"] == "1 week after the administration of tobacco-specific carcinogens"
    assert by_id["gkc:C0034"]["gerokg_references"] == "1|2|3|4|5"


def test_kgx_columns_are_biolink_slots_or_gerokg_own() -> None:
    from gerokg.artefacts.exports import KGX_EDGE_COLUMNS, KGX_NODE_COLUMNS

    slots = _biolink_schema()["slots"]
    for column in (*KGX_NODE_COLUMNS, *KGX_EDGE_COLUMNS):
        assert column.startswith("gerokg_") or column.replace("_", " ") in slots or column == "id", column
