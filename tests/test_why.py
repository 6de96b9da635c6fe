"""gerokg.why: readable justifications of the reasoner's conclusions."""

from __future__ import annotations

import pytest

from gerokg.answers.why import Classifier, NotInStoreError, why
from gerokg.rdf.rdfio import compact_iri

GEROKG = "https://w3id.org/gerokg/GEROKG_"
CLAIM = "https://w3id.org/gerokg/claim/"


def labels(store):
    import pyoxigraph as ox

    found = {q.subject.value: q.object.value for q in store.ox.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None)}
    return lambda iri: found.get(iri, compact_iri(iri))


def test_temsirolimus_is_a_rapalog_because_the_review_says_so(store) -> None:
    """A bridge axiom (gerokg-bridge.owl) justified by its claim."""
    j = why("CHEBI:79699", "GEROKG:0000054", store)
    assert j is not None
    assert [s.text(labels(store)) for s in j.steps] == ["Temsirolimus is a rapalog"]
    assert j.claims == [CLAIM + "C0003"]


def test_metformin_is_no_gerosuppressant(store) -> None:
    """The review never calls metformin a gerosuppressant. Before re-curation the appositive
    'interventions that inhibit mTOR signaling' (C0133) and a universal axiom on a defined class
    made it one; now no justification exists, neither for the role nor for the obsolete class."""
    assert why("CHEBI:6801", "GEROKG:0000310", store) is None
    assert why("CHEBI:6801", "GEROKG:0000051", store) is None


def test_rapalog_is_a_chemical_entity_through_chebi(store) -> None:
    j = why("GEROKG:0000054", "CHEBI:24431", store)
    text = [s.text(labels(store)) for s in j.steps]
    assert text[0].startswith("rapalog is a macrolide lactam is a ") and text[0].endswith(" is a chemical entity")


def test_sirolimus_is_a_material_entity_through_a_relation_domain(store) -> None:
    j = why("CHEBI:9168", "BFO:0000040", store)
    assert j is not None and [s.kind for s in j.steps] == ["restriction", "domain"]
    assert j.claims == [CLAIM + "C0023"]  # sirolimus is capable of an anti-proliferative process


def test_every_inferred_superclass_has_a_justification(store, reasoning) -> None:
    c = Classifier(store.ox)
    missing = [(compact_iri(s), compact_iri(p)) for s, sups in reasoning.inferred.items() for p in sups
               if c.why(s, p) is None]
    assert sum(len(v) for v in reasoning.inferred.values()) > 100
    assert missing == []


def test_no_justification_for_what_does_not_follow(store) -> None:
    # tacrolimus is not a rapalog; sirolimus is
    assert why("CHEBI:9168", "GEROKG:0000054", store) is not None
    assert why("CHEBI:61049", "GEROKG:0000054", store) is None


def test_unknown_term(store) -> None:
    with pytest.raises(NotInStoreError, match="CHEBI:999999999"):
        why("CHEBI:999999999", "GEROKG:0000051", store)


def test_why_by_name_with_a_short_text(store) -> None:
    """Names resolve like CURIEs (a label, the review's synonym), and the text folds the ChEBI
    structure chain to one line. (Everolimus is no longer classified a gerosuppressant: the
    role is asserted on the drugs a claim names, not inferred from a defined class.)"""
    j = why("Rapamune", "rapalog", store)
    assert j is not None and j.claims == [CLAIM + "C0001"]
    assert j.text().splitlines() == ["sirolimus is a rapalog because", "  1. sirolimus is a rapalog [gkc:C0001]"]
    j = why("everolimus", "chemical entity", store)
    assert j is not None and j.claims == []
    assert j.text().splitlines() == [
        "everolimus is a chemical entity because",
        "  1. everolimus is a \u2026 is a chemical entity (through 7 ChEBI structure classes)",
    ]
    assert why("everolimus", "gerosuppressant", store) is None
    from gerokg.errors import TermResolutionError

    with pytest.raises(TermResolutionError, match="'rapalogg'"):
        why("everolimus", "rapalogg", store)


def test_why_command() -> None:
    from click.testing import CliRunner

    from gerokg.cli import main

    res = CliRunner().invoke(main, ["why", "Rapamune", "rapalog"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0] == "sirolimus is a rapalog because"
    assert "[gkc:C0001]" in res.output
    res = CliRunner().invoke(main, ["why", "tacrolimus (anhydrous)", "gerosuppressant"])
    assert res.exit_code == 1 and res.output.startswith("no justification found")
