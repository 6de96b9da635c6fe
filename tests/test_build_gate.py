"""``build`` refuses to release a graph that fails the SHACL shapes or an ERROR-level QC query,
and writes nothing then; a graph that passed is not checked again."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from gerokg.artefacts import build as build_mod
from gerokg.artefacts.build import build_release, quality_gate
from gerokg.errors import BuildError
from gerokg.rdf.rdfio import new_graph, serialize_graph

NEW = URIRef("https://w3id.org/gerokg/GEROKG_9999998")
SIROLIMUS = URIRef("http://purl.obolibrary.org/obo/CHEBI_9168")


def _with(full_graph, *triples):
    g = new_graph()
    for t in full_graph:
        g.add(t)
    for t in triples:
        g.add(t)
    return g


def test_the_release_passes(full_graph) -> None:
    quality_gate(full_graph, serialize_graph(full_graph, "nt"))


def test_a_shape_violation_is_refused(full_graph) -> None:
    # a native class without label or definition: the shapes' NativeLabel / NativeDefinition
    g = _with(full_graph, (NEW, RDF.type, OWL.Class), (NEW, RDFS.subClassOf, URIRef("https://w3id.org/gerokg/GEROKG_0000001")))
    with pytest.raises(BuildError, match="does not conform to the shapes.*GEROKG:9999998: a native term has exactly one rdfs:label.*gerokg validate"):
        quality_gate(g, serialize_graph(g, "nt"))


def test_an_error_level_qc_finding_is_refused(full_graph) -> None:
    label = str(full_graph.value(SIROLIMUS, RDFS.label))
    g = _with(full_graph, (URIRef("http://example.org/other"), RDFS.label, Literal(label.upper())))
    with pytest.raises(BuildError, match="ERROR-level quality checks.*duplicate_label.*gerokg check"):
        quality_gate(g, serialize_graph(g, "nt"))


def test_build_writes_nothing_when_the_gate_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = build_mod.build_graphs

    def with_duplicate_label(data, date=None):
        graphs = real(data, date)
        graphs["full"].add((URIRef("http://example.org/other"), RDFS.label, Literal("sirolimus")))
        return graphs

    monkeypatch.setattr(build_mod, "build_graphs", with_duplicate_label)
    out = tmp_path / "out"
    with pytest.raises(BuildError, match="duplicate_label"):
        build_release(out, date="2026-12-01")
    assert not out.exists() or not any(out.iterdir())
