"""The one claim reader: the same typed claims from an rdflib graph and a pyoxigraph store, with
every qualifier the graph stores (context, significance, agent status, quantities)."""

from __future__ import annotations

from gerokg.rdf.claimread import Claim, read_claim, read_claims
from gerokg.sources.claims import NON_ASSERTIVE_KINDS
from gerokg.vocab import CLAIM

OBO = "http://purl.obolibrary.org/obo/"


def test_both_libraries_read_the_same_claims(full_graph, store) -> None:
    from_rdflib = read_claims(full_graph)
    from_store = read_claims(store)
    assert len(from_rdflib) == 290
    # quantities are blank nodes, read by value, so the two are equal field by field
    assert from_rdflib == from_store
    assert all(isinstance(c, Claim) for c in from_store)


def test_qualifiers_are_read(store) -> None:
    arrested = read_claim(store, CLAIM + "C0089")
    assert arrested is not None and arrested.id == "C0089"
    assert arrested.context == {"cell_state": (OBO + "GO_0045786",)}
    insignificant = read_claim(store, CLAIM + "C0169")
    assert insignificant is not None
    assert insignificant.significance == "not_significant" and insignificant.asserts is False
    assert insignificant.kind == "clinical_observation" and insignificant.references == (110,)
    assert insignificant.organism == (OBO + "NCBITaxon_9606",)
    lymphoma = read_claim(store, CLAIM + "C0253")  # "inhibits the proliferation of EBV+ B-cell lymphomas"
    assert lymphoma is not None
    assert (lymphoma.predicate, lymphoma.object) == (OBO + "RO_0002215", OBO + "GO_0008285")
    assert lymphoma.context == {"condition": (OBO + "MONDO_0005111", OBO + "MONDO_0015759")}
    untreated = read_claim(store, CLAIM + "C0248")
    assert untreated is not None and untreated.agent_status == ((OBO + "CHEBI_9168", False),)
    quantified = [c for c in read_claims(store) if c.quantities]
    assert quantified and all(q.text for c in quantified for q in c.quantities)


def test_non_assertive_kinds_do_not_assert(store) -> None:
    claims = read_claims(store)
    for c in claims:
        if c.kind in NON_ASSERTIVE_KINDS:
            assert not c.asserts, c.id


def test_no_claim_is_none(store) -> None:
    assert read_claim(store, CLAIM + "C9999") is None
    assert read_claim(store, OBO + "CHEBI_9168") is None


def test_a_malformed_claim_is_read_without_error() -> None:
    """A user's file may put a literal where the schema wants a node: the reader reads what is
    there and never raises."""
    import pyoxigraph as ox

    st = ox.Store()
    st.load(b"""<https://w3id.org/gerokg/claim/C9990> a <https://w3id.org/gerokg/schema/Claim> ;
      <https://w3id.org/gerokg/schema/quote> "q" ; <https://w3id.org/gerokg/schema/reference> "x1", 7 ;
      <https://w3id.org/gerokg/schema/kind> "not a node" ;
      <https://w3id.org/gerokg/schema/quantity> "not a node either" ;
      <https://w3id.org/gerokg/schema/raised_by> <tag:x> .""", format=ox.RdfFormat.TURTLE)
    c = read_claim(st, CLAIM + "C9990")
    assert c is not None and c.references == (7,) and c.raised_by == ("tag:x",)
    assert c.asserts is False and c.kind == "not a node"
