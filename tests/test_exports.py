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


def test_kgx_tables(release: Path) -> None:
    with open(release / "kgx_edges.tsv", encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh, delimiter="\t"))
    with open(release / "kgx_nodes.tsv", encoding="utf-8") as fh:
        nodes = {r["id"]: r for r in csv.DictReader(fh, delimiter="\t")}
    assert len(edges) == 290
    assert all(e["subject"] in nodes and e["object"] in nodes for e in edges)
    tac = next(e for e in edges if e["id"] == "gkc:C0155")
    assert (tac["predicate"], tac["object_direction_qualifier"], tac["negated"]) == ("biolink:affects", "decreased", "true")
    assert nodes["CHEBI:9168"]["category"] == "biolink:ChemicalEntity"
    assert nodes["MONDO:0004992"]["category"] == "biolink:Disease"
    assert nodes["CHEBI:35705"]["category"] == "biolink:ChemicalRole"
