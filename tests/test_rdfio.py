"""Deterministic serialisation, safe parsing and atomic writes."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from gerokg.errors import RdfParseError
from gerokg.rdf.rdfio import atomic_write, compact_iri, expand_curie, new_graph, parse_rdf_file, serialize_graph

EX = "https://w3id.org/gerokg/GEROKG_"


def _sample() -> list[tuple]:
    triples = []
    for i in range(20):
        c = URIRef(f"{EX}{i:07d}")
        triples.append((c, RDF.type, OWL.Class))
        triples.append((c, RDFS.label, Literal(f"term {i}")))
        r = BNode()
        triples += [(c, RDFS.subClassOf, r), (r, RDF.type, OWL.Restriction),
                    (r, OWL.onProperty, URIRef("http://purl.obolibrary.org/obo/RO_0002212")),
                    (r, OWL.someValuesFrom, URIRef(f"{EX}{(i + 1) % 20:07d}"))]
        ax = BNode()  # a blank node shared by two subjects' descriptions
        triples += [(ax, RDF.type, OWL.Axiom), (ax, OWL.annotatedSource, c),
                    (ax, OWL.annotatedProperty, RDFS.subClassOf), (ax, OWL.annotatedTarget, r)]
    lst = [BNode() for _ in range(3)]
    eq = BNode()
    triples += [(URIRef(EX + "0000001"), OWL.equivalentClass, eq), (eq, RDF.type, OWL.Class),
                (eq, OWL.intersectionOf, lst[0])]
    for n, node in enumerate(lst):
        triples.append((node, RDF.first, URIRef(f"{EX}{n + 5:07d}")))
        triples.append((node, RDF.rest, lst[n + 1] if n + 1 < len(lst) else RDF.nil))
    return triples


def _graph(triples: list[tuple], seed: int) -> Graph:
    rnd = random.Random(seed)
    shuffled = list(triples)
    rnd.shuffle(shuffled)
    g = new_graph()
    for t in shuffled:
        g.add(t)
    return g


@pytest.mark.parametrize("fmt", ["turtle", "xml", "nt", "json-ld"])
def test_serialisation_is_independent_of_insertion_order(fmt: str) -> None:
    triples = _sample()
    outputs = {serialize_graph(_graph(triples, seed), fmt) for seed in range(5)}
    assert len(outputs) == 1
    data = outputs.pop()
    assert data.endswith(b"\n")
    back = Graph().parse(data=data, format={"json-ld": "json-ld", "xml": "xml", "nt": "nt", "turtle": "turtle"}[fmt])
    assert isomorphic(back, _graph(triples, 0))


def test_serialisation_is_independent_of_hash_seed(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import sys
        sys.path.insert(0, {here!r})
        from test_rdfio import _sample, _graph
        from gerokg.rdf.rdfio import serialize_graph
        sys.stdout.buffer.write(serialize_graph(_graph(_sample(), 1), "xml"))
        """).format(here=str(Path(__file__).parent))
    outs = set()
    for seed in ("0", "1", "12345"):
        env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
        res = subprocess.run([sys.executable, "-c", script], capture_output=True, env=env, check=True)
        outs.add(res.stdout)
    assert len(outs) == 1


def test_rdfxml_nests_lists_and_single_use_blank_nodes() -> None:
    text = serialize_graph(_graph(_sample(), 3), "xml").decode()
    assert 'rdf:parseType="Collection"' in text
    assert text.index("<owl:Class") < text.index("</rdf:RDF>")


def test_curie_round_trip() -> None:
    assert str(expand_curie("GO:0031929")) == "http://purl.obolibrary.org/obo/GO_0031929"
    assert compact_iri("http://identifiers.org/hgnc/3942") == "HGNC:3942"
    with pytest.raises(ValueError, match="known prefix"):
        expand_curie("NOPE:1")
    with pytest.raises(ValueError, match="illegal character"):
        expand_curie("GO:00 1>")


def test_turtle_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n")
    with pytest.raises(RdfParseError) as err:
        parse_rdf_file(bad)
    assert err.value.path == str(bad)
    assert err.value.line == 3
    assert "bad.ttl:3" in str(err.value)


def test_xml_entities_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.owl"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">'
        '<rdf:Description rdf:about="http://example.org/x"><rdfs:label>&b;</rdfs:label></rdf:Description></rdf:RDF>')
    with pytest.raises(RdfParseError, match="DTD or entities"):
        parse_rdf_file(bomb)


def test_remote_jsonld_context_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "remote.jsonld"
    doc.write_text(json.dumps({"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://example.org/x"}))
    with pytest.raises(RdfParseError, match="remote JSON-LD @context"):
        parse_rdf_file(doc)


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "data.csv"
    f.write_text("a,b\n")
    with pytest.raises(RdfParseError, match="unknown RDF file type"):
        parse_rdf_file(f)


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "x.ttl"
    atomic_write(target, b"one\n")
    atomic_write(target, b"two\n")
    assert target.read_bytes() == b"two\n"
    assert [p.name for p in target.parent.iterdir()] == ["x.ttl"]
    assert oct(target.stat().st_mode & 0o777) in ("0o644", "0o664", "0o666")
