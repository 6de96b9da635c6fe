"""The lists the code keeps of the schema's closed vocabularies agree with the ontology, where
they are declared (``owl:oneOf``, ``gks:asserts_relation``, the kind classes), and with the
shapes: adding a claim kind, a polarity or a direction in one place and not the others fails here."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from gerokg.resources import ontology_dir, shapes_dir
from gerokg.sources import agreement
from gerokg.sources.claims import AXIOM_KINDS, DIRECTIONS, KINDS, NON_ASSERTIVE_KINDS, POLARITIES
from gerokg.vocab import GKS

SH = "http://www.w3.org/ns/shacl#"


def _edit() -> Graph:
    return Graph().parse(ontology_dir() / "gerokg-edit.ttl")


def _one_of(g: Graph, cls: str) -> list[str]:
    for eq in g.objects(URIRef(GKS + cls), OWL.equivalentClass):
        members = g.value(eq, OWL.oneOf)
        if members is not None:
            return [str(m)[len(GKS):] for m in Collection(g, members)]
    raise AssertionError(f"gks:{cls} has no owl:oneOf")


def test_claim_kinds_are_the_ontologys() -> None:
    g = _edit()
    assert _one_of(g, "ClaimKind") == list(KINDS)
    for kind in KINDS:
        assert (URIRef(GKS + kind), RDF.type, URIRef(GKS + "ClaimKind")) in g
        assert g.value(URIRef(GKS + kind), RDFS.label) is not None, kind


def test_non_assertive_kinds_agree_everywhere() -> None:
    g = _edit()
    typed = {str(s)[len(GKS):] for s in g.subjects(RDF.type, URIRef(GKS + "NonAssertiveClaimKind"))}
    flagged = {str(s)[len(GKS):] for s, o in g.subject_objects(URIRef(GKS + "asserts_relation"))
               if o == Literal(False)}
    assertive = {str(s)[len(GKS):] for s in g.subjects(RDF.type, URIRef(GKS + "AssertiveClaimKind"))}
    assert typed == flagged == set(NON_ASSERTIVE_KINDS)
    assert assertive == set(KINDS) - set(NON_ASSERTIVE_KINDS)
    assert set(AXIOM_KINDS) <= assertive
    # the shape that keeps non-assertive claims out of the OWL axioms lists the same kinds
    shapes = Graph().parse(shapes_dir() / "claim.ttl")
    listed: set[str] = set()
    reachable = set(shapes.transitiveClosure(lambda n, _: shapes.objects(n), URIRef("https://w3id.org/gerokg/shapes/NonAssertiveClaimIsNoAxiom")))
    for node in reachable:
        if shapes.value(node, URIRef(SH + "path")) == URIRef(GKS + "kind") and shapes.value(node, URIRef(SH + "in")):
            listed |= {str(m)[len(GKS):] for m in Collection(shapes, shapes.value(node, URIRef(SH + "in")))}
    # and every kind a shape names is a kind
    for node in shapes.subjects(URIRef(SH + "in"), None):
        if shapes.value(node, URIRef(SH + "path")) == URIRef(GKS + "kind"):
            assert {str(m)[len(GKS):] for m in Collection(shapes, shapes.value(node, URIRef(SH + "in")))} <= set(KINDS)
    assert listed == set(NON_ASSERTIVE_KINDS)
    # the curation agreement's epistemic statuses
    assert {k for k in KINDS if agreement.epistemic_status(k) != "assertion"} == set(NON_ASSERTIVE_KINDS)


def test_polarities_and_directions_are_the_ontologys() -> None:
    g = _edit()
    assert set(_one_of(g, "Polarity")) == set(POLARITIES)
    assert set(_one_of(g, "Direction")) == set(DIRECTIONS.values())
