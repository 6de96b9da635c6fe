"""The reasoner runs once per input: its conclusions are kept by content hash and reused by the
store (serve, query --inferred, the pages); a release file is reasoned over as it is, with the
files added beside it; a changed input is reasoned over afresh."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest
from rdflib.namespace import RDFS

from gerokg.rdf.cache import cache_dir
from gerokg.release.assemble import release_ntriples
from gerokg.release.store import open_store
from gerokg.vocab import INFERRED_GRAPH

reason_mod = importlib.import_module("gerokg.release.reason")  # the module, not gerokg.reason()
FIXTURES = Path(__file__).parent / "fixtures"
OBO = "http://purl.obolibrary.org/obo/"
# since the re-curation (gerosuppressant is a role asserted on drugs, no longer a defined class),
# HermiT's conclusions that nothing asserts are BFO categories: a drug is a material entity
MATERIAL_ENTITY = "http://purl.obolibrary.org/obo/BFO_0000040"
NEW_DRUG = "http://example.org/drugs/NewRapalog"

pytestmark = pytest.mark.java


@pytest.fixture(autouse=True)
def _needs_java() -> None:
    if reason_mod.java_version() is None:
        pytest.skip("no Java runtime: HermiT cannot run")


def _no_hermit(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []

    def refuse(*_a: object, **_k: object) -> None:
        calls.append(1)
        raise AssertionError("HermiT ran although its conclusions were kept")

    monkeypatch.setattr(reason_mod, "_run_hermit", refuse)
    return calls


def _subclass_pairs(store) -> set[tuple[str, str]]:
    import pyoxigraph as ox

    return {(q.subject.value, q.object.value) for q in store.ox.quads_for_pattern(
        None, ox.NamedNode(str(RDFS.subClassOf)), None, ox.NamedNode(INFERRED_GRAPH))}


def test_conclusions_are_computed_once_and_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    first = reason_mod.reason()
    assert first.consistent
    assert MATERIAL_ENTITY in first.superclasses[OBO + "CHEBI_68478"]  # everolimus
    calls = _no_hermit(monkeypatch)
    again = reason_mod.reason()
    assert calls == []
    assert again.superclasses == first.superclasses and again.inferred == first.inferred
    assert set(again.graph) == set(first.graph)
    # the same triples, however they come, share one entry: a graph in memory, a release file
    store = open_store(inferred=True)
    assert (OBO + "CHEBI_68478", MATERIAL_ENTITY) in _subclass_pairs(store)


def test_a_release_file_is_reasoned_over_with_its_extra_files(tmp_path: Path) -> None:
    release = tmp_path / "release.nt"
    release.write_bytes(release_ntriples())
    store = open_store(release=release, extra=[FIXTURES / "new-drug.ttl"], inferred=True)
    assert (NEW_DRUG, MATERIAL_ENTITY) in _subclass_pairs(store)
    # the release file itself, not the package's sources: a drug added to it is classified
    merged = tmp_path / "with-drug.nt"
    from gerokg.rdf.rdfio import parse_rdf_file

    g = parse_rdf_file(release)
    parse_rdf_file(FIXTURES / "new-drug.ttl", g)
    merged.write_bytes(g.serialize(format="nt", encoding="utf-8"))
    assert (NEW_DRUG, MATERIAL_ENTITY) in _subclass_pairs(open_store(release=merged, inferred=True))
    assert (NEW_DRUG, MATERIAL_ENTITY) not in _subclass_pairs(open_store(release=release, inferred=True))


TINY = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
ex:A a owl:Class . ex:B a owl:Class . ex:C a owl:Class ; owl:equivalentClass ex:B .
"""


def _tiny():
    from gerokg.rdf.rdfio import new_graph

    g = new_graph()
    g.parse(data=TINY, format="turtle")
    return g


def test_a_changed_input_is_reasoned_over_afresh(tmp_path: Path) -> None:
    f = tmp_path / "more.ttl"
    f.write_text("<http://example.org/A> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <http://example.org/C> .\n")
    assert reason_mod.reason(extra=[f], graph=_tiny()).is_a("http://example.org/A", "http://example.org/B")
    f.write_text("<http://example.org/A> <http://www.w3.org/2000/01/rdf-schema#label> \"A\" .\n")
    assert not reason_mod.reason(extra=[f], graph=_tiny()).is_a("http://example.org/A", "http://example.org/B")


def test_a_store_restart_does_not_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    location = tmp_path / "store"
    n = len(open_store(location=location, inferred=True).ox)
    monkeypatch.setenv("GEROKG_CACHE_DIR", "off")  # nothing kept to fall back on
    calls = _no_hermit(monkeypatch)
    again = open_store(location=location, inferred=True)
    assert calls == [] and len(again.ox) == n


def test_the_builds_conclusions_are_read_when_its_manifest_vouches(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from gerokg.artefacts.build import build_release

    out = tmp_path / "release"
    build_release(out, inferred=True)
    release = out / "gerokg-full.nt"
    monkeypatch.setenv("GEROKG_CACHE_DIR", "off")
    calls = _no_hermit(monkeypatch)
    store = open_store(release=release, inferred=True)
    assert calls == [] and (OBO + "CHEBI_68478", MATERIAL_ENTITY) in _subclass_pairs(store)
    # a release changed after the build is not vouched for: the reasoner is asked again
    with open(release, "a", encoding="utf-8") as fh:
        fh.write("<http://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> \"x\" .\n")
    with pytest.raises(AssertionError, match="HermiT ran"):
        open_store(release=release, inferred=True)
    assert calls == [1]


def test_the_cache_folder_follows_xdg_and_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEROKG_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "gerokg"
    reason_mod.reason(graph=_tiny())
    assert any(p.name.startswith("hermit-") for p in (tmp_path / "xdg" / "gerokg").iterdir())
    monkeypatch.setenv("GEROKG_CACHE_DIR", "off")
    assert cache_dir() is None
    before = sorted(os.listdir(tmp_path / "xdg" / "gerokg"))
    reason_mod.reason(graph=_tiny(), extra=[FIXTURES / "new-drug.ttl"])
    assert sorted(os.listdir(tmp_path / "xdg" / "gerokg")) == before


def test_serve_release_inferred_reasons_over_that_release(tmp_path: Path) -> None:
    """``serve --release X --inferred`` answers with HermiT's conclusions over X, not over the
    package's sources, and its /docs/ documents X: a drug that only X holds is classified and
    documented."""
    import json
    import urllib.parse
    import urllib.request

    from gerokg.rdf.rdfio import parse_rdf_file
    from gerokg.serving.server import EndpointConfig, start_server

    release = tmp_path / "with-drug.nt"
    graph = parse_rdf_file(FIXTURES / "new-drug.ttl")
    package = tmp_path / "package.nt"
    package.write_bytes(release_ntriples())
    parse_rdf_file(package, graph)
    # and a native class only X has, for its documentation
    graph.parse(data="""@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/gerokg/GEROKG_9999999> a owl:Class ; rdfs:label "class only this release has" ;
            rdfs:subClassOf <https://w3id.org/gerokg/GEROKG_0000001> .""", format="turtle")
    release.write_bytes(graph.serialize(format="nt", encoding="utf-8"))
    handle = start_server(EndpointConfig(port=0, workers=1), release=release, inferred=True)
    try:
        q = f"ASK {{ GRAPH <{INFERRED_GRAPH}> {{ <{NEW_DRUG}> <{RDFS.subClassOf}> <{MATERIAL_ENTITY}> }} }}"
        req = urllib.request.Request(handle.url + "/sparql?" + urllib.parse.urlencode({"query": q}),
                                     headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            assert resp.headers["X-Gerokg-Inferred"] == "true"
            assert json.load(resp)["boolean"] is True
        with urllib.request.urlopen(handle.url + "/docs/index.html", timeout=300) as resp:
            assert "class only this release has" in resp.read().decode("utf-8")
    finally:
        handle.stop()


def test_a_store_folder_remembers_its_size_until_it_is_written(tmp_path: Path) -> None:
    location = tmp_path / "store"
    store = open_store(location=location)
    counted = store.default_graph_size()
    assert store.remembered_size() == counted > 9000
    del store
    again = open_store(location=location)
    assert again.default_graph_size() == counted  # the remembered size is not in the default graph
    extra = tmp_path / "extra.nt"
    extra.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n", encoding="utf-8")
    again.sync_with_files([extra])  # a write forgets the size; the next count is the new one
    assert again.remembered_size() == counted + 1
    again.sync_with_files([])
    assert again.remembered_size() == counted
