"""ODK-style artefacts, the named-graph dataset, SSSOM, signed nanopublications, the release diff, RO-Crate."""

from __future__ import annotations

import hashlib
import json
import shutil
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from gerokg.artefacts.build import build_release
from gerokg.errors import BuildError
from gerokg.rdf.rdfio import parse_rdf_file
from gerokg.release.assemble import ONTOLOGY_IRI, release_date

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = ROOT / "ontology" / "claims" / "review-claims.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
N = "https://w3id.org/gerokg/GEROKG_"
OBO = "http://purl.obolibrary.org/obo/"
NP = "http://www.nanopub.org/nschema#"
NPX = "http://purl.org/nanopub/x/"


# ------------------------------------------------------------------------------------------
# the release date


def test_release_date_comes_from_an_input(monkeypatch: pytest.MonkeyPatch) -> None:
    assert release_date("2026-12-01") == "2026-12-01"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")  # 2025-12-01T00:00:00Z
    assert release_date() == "2025-12-01"
    for bad in ("2026-13-01", "yesterday", "2026-1-1"):
        with pytest.raises(BuildError, match="--date"):
            release_date(bad)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(BuildError, match="SOURCE_DATE_EPOCH"):
        release_date()


def test_no_date_input_is_an_error_not_the_clock(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no git: no last commit to read
    assert release_date() is None
    with pytest.raises(BuildError, match="no release date"):
        build_release(tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_cli_date_sets_the_version_iri(tmp_path: Path) -> None:
    from gerokg.cli import main

    res = CliRunner().invoke(main, ["-q", "build", "--no-review", "--out", str(tmp_path / "b"), "--date", "2026-02-03"])
    assert res.exit_code == 0, res.output
    g = parse_rdf_file(tmp_path / "b" / "gerokg.owl")
    assert g.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef("https://w3id.org/gerokg/releases/2026-02-03/gerokg.owl")
    res = CliRunner().invoke(main, ["-q", "build", "--no-review", "--out", str(tmp_path / "c"), "--date", "2026-02-30"])
    assert res.exit_code == 2 and "not a calendar date" in res.output
    assert not (tmp_path / "c" / "gerokg.owl").exists()


# ------------------------------------------------------------------------------------------
# base, simple, OBO, obographs


def test_base_holds_native_axioms_only(release: Path) -> None:
    base = parse_rdf_file(release / "gerokg-base.owl")
    onto = parse_rdf_file(release / "gerokg.owl")
    iri = URIRef("https://w3id.org/gerokg/gerokg-base.owl")
    assert (iri, RDF.type, OWL.Ontology) in base
    assert base.value(iri, OWL.versionIRI) == URIRef(f"https://w3id.org/gerokg/releases/{release_date()}/gerokg-base.owl")
    assert not list(base.objects(iri, OWL.imports))
    named_subjects = {s for s in base.subjects() if isinstance(s, URIRef)}
    assert named_subjects and all(str(s).startswith("https://w3id.org/gerokg/") for s in named_subjects)
    # the main ontology has axioms on imported classes (from claims); base has none of them
    sirolimus = URIRef(OBO + "CHEBI_9168")
    external = {s for s in onto.subjects() if isinstance(s, URIRef) and not str(s).startswith("https://w3id.org/gerokg/")}
    assert external and not external & named_subjects
    geroconversion = URIRef(N + "0000001")
    assert base.value(geroconversion, RDFS.label) == Literal("geroconversion")
    # the restriction under geroconversion comes with it
    restriction = next(o for o in base.objects(geroconversion, RDFS.subClassOf) if isinstance(o, BNode))
    assert base.value(restriction, OWL.someValuesFrom) == URIRef(OBO + "GO_0090398")
    assert (sirolimus, None, None) not in base


def _restrictions(g: Graph, cls: URIRef) -> set[tuple]:
    return {(g.value(o, OWL.onProperty), g.value(o, OWL.someValuesFrom))
            for o in g.objects(cls, RDFS.subClassOf) if isinstance(o, BNode)}


def test_simple_is_named_subclass_and_simple_existentials_only(release: Path) -> None:
    simple = parse_rdf_file(release / "gerokg-simple.owl")
    assert not list(simple.triples((None, OWL.equivalentClass, None)))
    assert not list(simple.triples((None, OWL.intersectionOf, None)))
    # every blank node is a restriction 'R some B' with a named R and B, under a named class
    for node in {x for t in simple for x in t if isinstance(x, BNode)}:
        assert set(simple.predicates(node)) == {RDF.type, OWL.onProperty, OWL.someValuesFrom}
        assert isinstance(simple.value(node, OWL.someValuesFrom), URIRef)
        assert all(isinstance(s, URIRef) for s in simple.subjects(RDFS.subClassOf, node))
    # asserted: geroconversion SubClassOf part of some cellular senescence
    assert _restrictions(simple, URIRef(N + "0000001")) == {(URIRef(OBO + "BFO_0000050"), URIRef(OBO + "GO_0090398"))}
    neg = URIRef(N + "0000002")  # negative regulation of geroconversion: process and RO:0002212 some ...
    # asserted GO parent, plus the genus of its equivalence definition (relaxed)
    named = {o for o in simple.objects(neg, RDFS.subClassOf) if isinstance(o, URIRef)}
    assert named == {URIRef(OBO + "GO_0048519"), URIRef(OBO + "BFO_0000015")}
    # ... and the existential part of that definition
    assert _restrictions(simple, neg) == {(URIRef(OBO + "RO_0002212"), URIRef(N + "0000001"))}
    # imports are merged: GO classes with their labels and parents
    assert simple.value(URIRef(OBO + "GO_0048519"), RDFS.label) == Literal("negative regulation of biological process")
    # transitively reduced: no class has a parent that is also a grandparent
    parents: dict = {}
    for s, o in simple.subject_objects(RDFS.subClassOf):
        if isinstance(o, URIRef):
            parents.setdefault(s, set()).add(o)
    for cls, ps in parents.items():
        for p in ps:
            assert not ps & parents.get(p, set()), (cls, p)


def _quiet_pronto(path: Path):
    import pronto

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pronto.Ontology(str(path))


def test_obo_loads_in_pronto(release: Path) -> None:
    onto = _quiet_pronto(release / "gerokg.obo")
    t = onto["GEROKG:0000001"]
    assert t.name == "geroconversion"
    assert {s.id for s in t.superclasses(distance=1, with_self=False)} == {"GO:0009987"}
    assert {(r.id, tuple(sorted(x.id for x in v))) for r, v in t.relationships.items()} == {("BFO:0000050", ("GO:0090398",))}
    neg = onto["GEROKG:0000002"]
    assert {x.id if not isinstance(x, tuple) else (x[0].id, x[1].id) for x in neg.intersection_of} == {
        "BFO:0000015", ("RO:0002212", "GEROKG:0000001")}
    # every relation used has a [Typedef] (pronto failed on the OWL for want of RO:0000053)
    assert onto.get_relationship("RO:0000053").name == "has characteristic"
    aging = onto["GEROKG:0000007"]
    assert aging.name == "organismal aging" and "aging" in {s.description for s in aging.synonyms}
    text = (release / "gerokg.obo").read_text(encoding="utf-8")
    assert f"data-version: releases/{release_date()}\n" in text
    assert "idspace: GEROKG https://w3id.org/gerokg/GEROKG_" in text
    assert "property_value: http://purl.org/dc/terms/license https://creativecommons.org/licenses/by/4.0/\n" in text


def test_obographs_json_loads_in_pronto(release: Path) -> None:
    onto = _quiet_pronto(release / "gerokg.json")
    # obographs identifies terms by IRI; pronto shortens OBO PURLs only
    assert onto[N + "0000001"].name == "geroconversion"
    assert onto["GO:0009987"].name == "cellular process"
    doc = json.loads((release / "gerokg.json").read_text(encoding="utf-8"))
    graph = doc["graphs"][0]
    assert graph["id"] == "https://w3id.org/gerokg/gerokg.json"
    assert graph["meta"]["version"] == f"https://w3id.org/gerokg/releases/{release_date()}/gerokg.json"
    assert {"definedClassId": N + "0000002", "genusIds": [OBO + "BFO_0000015"],
            "restrictions": [{"propertyId": OBO + "RO_0002212", "fillerId": N + "0000001"}]} in graph["logicalDefinitionAxioms"]


def test_obo_and_json_load_in_oaklib(release: Path) -> None:
    from oaklib import get_adapter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for spec in (f"simpleobo:{release / 'gerokg.obo'}", f"pronto:{release / 'gerokg.obo'}"):
            a = get_adapter(spec)
            assert a.label("GEROKG:0000001") == "geroconversion", spec
            assert set(a.outgoing_relationships("GEROKG:0000001")) == {
                ("rdfs:subClassOf", "GO:0009987"), ("BFO:0000050", "GO:0090398")}, spec
        a = get_adapter(f"obograph:{release / 'gerokg.json'}")
        assert a.label(N + "0000001") == "geroconversion"
        assert ("rdfs:subClassOf", "GO:0009987") in set(a.outgoing_relationships(N + "0000001"))


# ------------------------------------------------------------------------------------------
# N-Quads and TriG


def _ground(g: Graph) -> set:
    return {t for t in g if not any(isinstance(x, BNode) for x in t)}


def test_nquads_keep_the_parts_apart(release: Path) -> None:
    ds = Dataset()
    ds.parse(release / "gerokg-full.nq", format="nquads")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    modules = {f"https://w3id.org/gerokg/imports/{m}_import.owl"
               for m in ("chebi", "eco", "go", "hgnc", "iao", "mondo", "ncbitaxon", "ro")}
    assert names == {"https://w3id.org/gerokg/gerokg.owl", "https://w3id.org/gerokg/gerokg-bridge.owl",
                     "https://w3id.org/gerokg/claims", "https://w3id.org/gerokg/queries"} | modules
    onto = ds.graph(URIRef("https://w3id.org/gerokg/gerokg.owl"))
    assert (URIRef(N + "0000001"), RDFS.label, Literal("geroconversion")) in onto
    assert not list(onto.triples((None, OWL.imports, None)))
    go = ds.graph(URIRef("https://w3id.org/gerokg/imports/go_import.owl"))
    assert (URIRef(OBO + "GO_0009987"), RDFS.label, Literal("cellular process")) in go
    assert (URIRef(N + "0000001"), None, None) not in go
    # ontology + modules + claims hold what gerokg-full.nt holds
    union = Graph()
    for g in ds.graphs():
        if str(g.identifier) != "https://w3id.org/gerokg/queries":
            for t in g:
                union.add(t)
    full = parse_rdf_file(release / "gerokg-full.nt")
    assert _ground(union) == _ground(full)
    # no blank node is shared between two graphs
    seen: dict = {}
    for g in ds.graphs():
        for t in g:
            for x in t:
                if isinstance(x, BNode):
                    assert seen.setdefault(x, g.identifier) == g.identifier


def test_trig_holds_the_same_quads(release: Path) -> None:
    import pyoxigraph as ox

    nq = set(ox.parse((release / "gerokg-full.nq").read_bytes(), format=ox.RdfFormat.N_QUADS))
    trig = set(ox.parse((release / "gerokg-full.trig").read_bytes(), format=ox.RdfFormat.TRIG))
    assert len(nq) > 9000 and nq == trig


def test_split_nquads_per_graph(release: Path) -> None:
    from gerokg.artefacts.quads import split_nquads

    parts = split_nquads(release / "gerokg-full.nq")
    assert "https://w3id.org/gerokg/claims" in parts and "" not in parts
    total = sum(len(p.splitlines()) for p in parts.values())
    assert total == len((release / "gerokg-full.nq").read_bytes().splitlines())
    with pytest.raises(ValueError, match="N-Quads"):
        split_nquads(b"<a> <b> .\n")


# ------------------------------------------------------------------------------------------
# SSSOM


def _sssom_problems(path: Path) -> list:
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        msdf = parse_sssom_table(str(path))
        report = validate(msdf, fail_on_error=False)
    return [r for rep in report.values() for r in rep.results]


def test_curated_mappings_validate() -> None:
    path = ROOT / "mappings" / "gerokg.sssom.tsv"
    assert _sssom_problems(path) == []


def test_release_mappings_validate_and_hold_the_three_kinds(release: Path) -> None:
    from gerokg.artefacts.mappings import read_sssom

    assert _sssom_problems(release / "gerokg.sssom.tsv") == []
    meta, rows = read_sssom(release / "gerokg.sssom.tsv")
    assert meta["mapping_set_version"] == f"https://w3id.org/gerokg/releases/{release_date()}/gerokg.owl"
    assert str(meta["mapping_date"]) == release_date()
    triples = {(r["subject_id"], r["predicate_id"], r["object_id"]) for r in rows}
    assert ("GEROKG:0000007", "skos:closeMatch", "GO:0007568") in triples          # obsolete GO stand-in
    assert ("GEROKG:0000007", "skos:broadMatch", "GO:0032501") in triples          # nearest live term
    assert ("RO:0012006", "skos:broadMatch", "biolink:affects") in triples         # Biolink predicate
    assert ("GEROKG:0000070", "skos:relatedMatch", "biolink:Procedure") in triples  # Biolink category
    labels = {r["subject_id"]: r["subject_label"] for r in rows}
    assert labels["GEROKG:0000004"] == "cell cycle arrest"


def test_a_broken_mapping_set_fails_validation(tmp_path: Path) -> None:
    bad = FIXTURES / "sssom" / "unknown-prefix.sssom.tsv"  # GO is not in its curie_map
    assert _sssom_problems(bad), "a CURIE whose prefix is not in the curie_map must be reported"


# ------------------------------------------------------------------------------------------
# nanopublications


def test_unsigned_nanopublications_carry_date_creator_types_and_an_index(release: Path, sources) -> None:
    ds = Dataset()
    ds.parse(release / "gerokg-nanopubs.trig", format="trig")
    quads = list(ds.quads((None, None, None, None)))
    nps = {s for s, p, o, _g in quads if p == RDF.type and o == URIRef(NP + "Nanopublication")}
    n_claims = len(sources.claims.claims)
    assert len(nps) == n_claims + 1  # the claims and the index
    np1 = URIRef("https://w3id.org/gerokg/claim/C0001/np/")
    pubinfo = ds.graph(URIRef("https://w3id.org/gerokg/claim/C0001/np/pubinfo"))
    assert pubinfo.value(np1, DCTERMS.created) == Literal(f"{release_date()}T00:00:00Z", datatype=XSD.dateTime)
    assert pubinfo.value(np1, DCTERMS.creator) == URIRef("https://w3id.org/gerokg")
    assert pubinfo.value(np1, URIRef(NPX + "hasNanopubType")) == URIRef("https://w3id.org/gerokg/schema/Claim")
    index = URIRef("https://w3id.org/gerokg/nanopubs/index/")
    elements = set(ds.graph(URIRef(str(index) + "assertion")).objects(index, URIRef(NPX + "includesElement")))
    assert len(elements) == n_claims and np1 in elements


def _split_nanopubs(trig: bytes) -> dict[str, str]:
    """Each nanopublication's four graphs, as TriG text, by nanopublication IRI."""
    import pyoxigraph as ox

    quads = list(ox.parse(trig, format=ox.RdfFormat.TRIG))
    heads = {q.subject.value: q.graph_name.value for q in quads
             if q.predicate.value == str(RDF.type) and q.object.value == NP + "Nanopublication"}
    out = {}
    for np_iri, head in heads.items():
        graphs = {head} | {q.object.value for q in quads if q.graph_name.value == head and q.subject.value == np_iri
                           and q.predicate.value.startswith(NP + "has")}
        blocks = []
        for g in sorted(graphs):
            body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads if q.graph_name.value == g)
            blocks.append(f"<{g}> {{\n{body}\n}}")
        out[np_iri] = "\n".join(blocks) + "\n"
    return out


@pytest.fixture(scope="module")
def signed_release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from nanopub_sign import KeyPair

    tmp = tmp_path_factory.mktemp("signed")
    keys = KeyPair()  # a throw-away key made for this test
    key_file = tmp / "test-only-signing-key.txt"
    key_file.write_text(keys.private + "\n", encoding="ascii")
    build_release(tmp / "out", date="2026-12-01", sign_key=key_file)
    return tmp / "out", keys.public


def test_signed_nanopublications_verify(signed_release: tuple[Path, str], sources) -> None:
    from nanopub_sign import Nanopub

    out, public = signed_release
    nps = _split_nanopubs((out / "gerokg-nanopubs.trig").read_bytes())
    assert len(nps) == len(sources.claims.claims) + 1
    for iri, text in sorted(nps.items())[:20] + [next((i, t) for i, t in nps.items() if "/index/" in i)]:
        # trusty URIs: the artefact code (RA...) is part of the IRI
        assert iri.rsplit("/", 1)[-1].startswith("RA"), iri
        assert public in text
        Nanopub(text).check()  # raises if the hash or the signature does not match
    index = next(t for i, t in nps.items() if "/index/" in i)
    assert index.count(NPX + "includesElement") == len(sources.claims.claims)


def test_a_tampered_nanopublication_fails_verification(signed_release: tuple[Path, str]) -> None:
    from nanopub_sign import Nanopub

    out, _public = signed_release
    iri, text = next((i, t) for i, t in _split_nanopubs((out / "gerokg-nanopubs.trig").read_bytes()).items()
                     if "/claim/C0001/" in i)
    tampered = text.replace("http://purl.org/dc/terms/created> \"2026-12-01", "http://purl.org/dc/terms/created> \"2026-12-02")
    assert tampered != text
    with pytest.raises(Exception, match=r"(?i)trusty|hash|artifact|signature|match"):  # nanopub-sign raises a bare Exception
        Nanopub(tampered).check()


def test_signing_is_deterministic(signed_release: tuple[Path, str], tmp_path: Path) -> None:
    out, _ = signed_release
    key = next(out.parent.glob("test-only-signing-key.txt"))
    again = build_release(tmp_path / "again", date="2026-12-01", sign_key=key)
    assert again.files["gerokg-nanopubs.trig"] == hashlib.sha256((out / "gerokg-nanopubs.trig").read_bytes()).hexdigest()


def test_a_bad_signing_key_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "key.pem"
    bad.write_text("not a key!\n")
    with pytest.raises(BuildError, match="key.pem"):
        build_release(tmp_path / "out", date="2026-12-01", sign_key=bad)


# ------------------------------------------------------------------------------------------
# the release diff


def _changed_claims(tmp: Path) -> Path:
    """The claims with one claim's quote changed: C0005 (not an axiom) gets a word more."""
    text = CLAIMS.read_text(encoding="utf-8")
    at = text.index("  - id: C0005\n")
    q = text.index("    quote: \"", at)
    eol = text.index("\n", q)
    assert text[eol - 1] == '"'
    variant = text[:eol - 1] + ' (variant)"' + text[eol:]
    path = tmp / "claims-variant.yaml"
    path.write_text(variant, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dated_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The curated release dated 2026-12-01, built once for the diff tests (read only: a test that
    builds over it works on a copy)."""
    out = tmp_path_factory.mktemp("dated") / "out"
    build_release(out, date="2026-12-01")
    return out


def test_diff_reports_exactly_the_changed_claim(dated_release: Path, tmp_path: Path) -> None:
    from gerokg.artefacts.diff import diff_releases
    from gerokg.cli import main

    old, new = dated_release, tmp_path / "new"
    build_release(new, date="2026-12-01", claims_path=_changed_claims(tmp_path))
    d = diff_releases(old, new)
    assert d.claims["added"] == [] and d.claims["removed"] == []
    assert [c["id"] for c in d.claims["changed"]] == ["gkc:C0005"]
    assert list(d.claims["changed"][0]["fields"]) == ["quote"]
    old_q, new_q = d.claims["changed"][0]["fields"]["quote"]
    assert new_q == old_q + " (variant)"
    assert d.axioms == {"added": [], "removed": []}
    assert d.mappings == {"added": [], "removed": [], "changed": []}
    assert d.superclasses == {"gained": [], "lost": []}
    res = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["claims"]["changed"][0]["id"] == "gkc:C0005"
    res = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert "claims: 0 added, 0 removed, 1 changed" in res.output and "~ gkc:C0005" in res.output
    assert "axioms: 0 added, 0 removed" in res.output
    res = CliRunner().invoke(main, ["diff", str(old), str(tmp_path)])
    assert res.exit_code == 2 and "MANIFEST.sha256" in res.output


def test_build_writes_the_diff_against_the_previous_release(dated_release: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(dated_release, out)
    assert not (out / "gerokg-diff.json").exists()  # the first build of a folder has nothing to diff against
    build_release(out, date="2026-12-02", claims_path=_changed_claims(tmp_path))
    d = json.loads((out / "gerokg-diff.json").read_text(encoding="utf-8"))
    assert d["old_version"].endswith("/2026-12-01/gerokg.owl") and d["new_version"].endswith("/2026-12-02/gerokg.owl")
    assert [c["id"] for c in d["claims"]["changed"]] == ["gkc:C0005"]
    assert "gerokg-diff.txt" in (out / "MANIFEST.sha256").read_text()
    # rebuilding the same sources keeps the diff (and every other file) as it was
    again = build_release(out, date="2026-12-02", claims_path=_changed_claims(tmp_path))
    assert again.changed == []


def test_diff_axioms_and_superclasses(release: Path, tmp_path: Path) -> None:
    from gerokg.artefacts.diff import diff_releases

    new = tmp_path / "new"
    shutil.copytree(release, new)
    g = Graph()
    g.parse(new / "gerokg-simple.owl")
    g.remove((URIRef(N + "0000007"), RDFS.subClassOf, None))
    (new / "gerokg-simple.owl").write_bytes(g.serialize(format="xml", encoding="utf-8"))
    onto = Graph()
    onto.parse(new / "gerokg.owl")
    onto.add((URIRef(N + "0000007"), RDFS.comment, Literal("changed")))
    (new / "gerokg.owl").write_bytes(onto.serialize(format="xml", encoding="utf-8"))
    d = diff_releases(release, new)
    assert d.axioms["removed"] == []
    assert d.axioms["added"] == [f'<{N}0000007> <http://www.w3.org/2000/01/rdf-schema#comment> "changed" .']
    lost = {(x["class"], x["superclass"]) for x in d.superclasses["lost"]}
    assert ("GEROKG:0000007", "GO:0032501") in lost and ("GEROKG:0000007", "GO:0008150") in lost
    assert d.superclasses["gained"] == []


# ------------------------------------------------------------------------------------------
# RO-Crate


def test_ro_crate_lists_every_manifest_file(release: Path) -> None:
    from rocrate.rocrate import ROCrate

    manifest = {}
    for line in (release / "MANIFEST.sha256").read_text().splitlines():
        digest, name = line.split("  ", 1)
        manifest[name] = digest
    assert "ro-crate-metadata.json" in manifest
    doc = json.loads((release / "ro-crate-metadata.json").read_text(encoding="utf-8"))
    entities = {e["@id"]: e for e in doc["@graph"]}
    root = entities["./"]
    assert {p["@id"] for p in root["hasPart"]} == set(manifest) - {"ro-crate-metadata.json"}
    for name in set(manifest) - {"ro-crate-metadata.json"}:
        e = entities[name]
        assert e["@type"] == "File" and e["sha256"] == manifest[name], name
        assert e["license"], name
    assert entities["imports/ncbitaxon_import.owl"]["license"] == {"@id": "https://creativecommons.org/publicdomain/zero/1.0/"}
    assert entities["gerokg-base.owl"]["license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    assert root["datePublished"] == release_date()
    review = entities["#review-text"]
    assert review["name"] == "the review text"
    # no bibliographic data is invented for the review
    assert not {"author", "creator", "sameAs", "identifier", "headline", "datePublished"} & set(review)
    crate = ROCrate(str(release))
    assert {e.id for e in crate.data_entities} >= {"gerokg.obo", "gerokg-full.nq", "imports/go_import.owl"}
    assert crate.root_dataset["license"].id == "https://creativecommons.org/licenses/by/4.0/"


@pytest.mark.java
def test_simple_and_obo_carry_the_reasoners_superclasses(reasoning, graphs, sources) -> None:
    """With the reasoner's conclusions, simple (and OBO) hold inferred named superclasses, reduced."""
    from gerokg.artefacts import odk

    onto, modules = graphs["ontology"], list(sources.modules.values())
    sirolimus = URIRef(OBO + "CHEBI_9168")
    asserted = odk.simple_graph(onto, modules, ONTOLOGY_IRI, "2026-12-01")
    inferred = odk.simple_graph(onto, modules, ONTOLOGY_IRI, "2026-12-01", reasoning.graph)
    def ancestors(g: Graph, node: URIRef) -> set:
        return {a for a in g.transitive_objects(node, RDFS.subClassOf) if isinstance(a, URIRef)} - {node}
    # HermiT concludes named superclasses of sirolimus that nothing asserts (through the
    # rapalog and bridge axioms); which ones is the reasoner's to say, that there are some is not
    only_inferred = ancestors(inferred, sirolimus) - ancestors(asserted, sirolimus)
    assert only_inferred
    assert ancestors(asserted, sirolimus) <= ancestors(inferred, sirolimus)
    assert not list(inferred.triples((None, OWL.equivalentClass, None)))
    doc = odk.obo_document(onto, modules, "2026-12-01", reasoning.graph)
    text = odk.obo_text(doc).decode("utf-8")
    frame = text.split("[Term]\nid: CHEBI:9168\n", 1)[1].split("\n\n", 1)[0]
    parents = {line.split(": ", 1)[1] for line in frame.splitlines() if line.startswith("is_a: ")}
    from gerokg.rdf.rdfio import compact_iri

    named = [p for p in inferred.objects(sirolimus, RDFS.subClassOf) if isinstance(p, URIRef)]
    assert parents == {compact_iri(str(p)) for p in named}
    assert all(any(c == p or c in ancestors(inferred, p) for p in named) for c in only_inferred)


@pytest.mark.server
def test_cli_publishes_nquads_graph_by_graph(release: Path, tmp_path: Path) -> None:
    from gerokg.artefacts.quads import split_nquads
    from gerokg.cli import main

    from servers import oxigraph_available, oxigraph_server, select_bindings

    reason = oxigraph_available()
    if reason:
        pytest.skip(reason)
    with oxigraph_server(tmp_path) as server:
        nq = str(release / "gerokg-full.nq")
        res = CliRunner().invoke(main, ["-q", "publish", "--endpoint", server.gsp_url, "--release", nq])
        assert res.exit_code == 0, res.output
        assert "published https://w3id.org/gerokg/claims: HTTP 20" in res.output
        rows = select_bindings(server, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        got = {r["g"]["value"]: int(r["n"]["value"]) for r in rows}
        assert got == {g: len(b.splitlines()) for g, b in split_nquads(release / "gerokg-full.nq").items()}
        res = CliRunner().invoke(main, ["publish", "--endpoint", server.gsp_url, "--release", nq, "--graph", "urn:x"])
        assert res.exit_code == 2 and "--graph cannot be used with N-Quads" in res.output


def test_diff_reports_a_changed_qualifier(release: Path) -> None:
    """A claim's context is a column of claims.tsv, so a release that drops one of a claim's
    conditions shows in the diff (it compared subject, predicate, object and quote only)."""
    from gerokg.artefacts.diff import diff_releases

    old = {"claims.tsv": (release / "claims.tsv").read_bytes()}
    text = old["claims.tsv"].decode("utf-8")
    assert "MONDO:0006975;" not in text and "MONDO:0005111;MONDO:0006975" in text
    new = {"claims.tsv": text.replace("MONDO:0005111;MONDO:0006975", "MONDO:0006975").encode("utf-8")}
    d = diff_releases(old, new)
    assert d.claims["changed"] == [
        {"id": "gkc:C0254", "fields": {"condition": ["MONDO:0005111;MONDO:0006975", "MONDO:0006975"]}}]
