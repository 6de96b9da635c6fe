"""gerokg.why: readable justifications of the reasoner's conclusions."""

from __future__ import annotations

import pytest

from gerokg.rdfio import compact_iri
from gerokg.why import Classifier, NotInStoreError, why

GEROKG = "https://w3id.org/gerokg/GEROKG_"
CLAIM = "https://w3id.org/gerokg/claim/"


def labels(store):
    import pyoxigraph as ox

    found = {q.subject.value: q.object.value for q in store.ox.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None)}
    return lambda iri: found.get(iri, compact_iri(iri))


def test_everolimus_is_a_gerosuppressant_because(store) -> None:
    j = why("CHEBI:68478", "GEROKG:0000051", store)
    assert j is not None
    name = labels(store)
    text = [s.text(name) for s in j.steps]
    assert text[-2:] == [
        "everolimus SubClassOf capable of some negative regulation of geroconversion",
        "gerosuppressant EquivalentTo chemical entity and (capable of some negative regulation of geroconversion)",
    ]
    assert text[0].startswith("everolimus is a ") and text[0].endswith(" is a chemical entity")
    assert j.claims == [CLAIM + "C0197"]


def test_metformin_through_a_defined_class(store) -> None:
    """metformin inhibits mTOR signaling (C0133), so it is an mTOR signaling inhibitor, which is
    capable of negatively regulating geroconversion (C0113), so it is a gerosuppressant."""
    j = why("CHEBI:6801", "GEROKG:0000051", store)
    assert j is not None
    name = labels(store)
    kinds = [(s.kind, name(s.subject)) for s in j.steps]
    assert kinds == [("is_a", "metformin"), ("restriction", "metformin"), ("definition", "mTOR signaling inhibitor"),
                     ("restriction", "mTOR signaling inhibitor"), ("definition", "gerosuppressant")]
    assert j.claims == [CLAIM + "C0133", CLAIM + "C0113"]


def test_rapalog_is_an_mtor_signaling_inhibitor_through_go(store) -> None:
    j = why("GEROKG:0000054", "GEROKG:0000053", store)
    name = labels(store)
    assert "TORC1 signaling is a TOR signaling" in [s.text(name) for s in j.steps]


def test_sirolimus_is_a_gerosuppressor_through_a_relation_domain(store) -> None:
    j = why("CHEBI:9168", "GEROKG:0000050", store)
    assert j is not None and "domain" in [s.kind for s in j.steps]


def test_every_inferred_superclass_has_a_justification(store, reasoning) -> None:
    c = Classifier(store.ox)
    missing = [(compact_iri(s), compact_iri(p)) for s, sups in reasoning.inferred.items() for p in sups
               if c.why(s, p) is None]
    assert sum(len(v) for v in reasoning.inferred.values()) > 100
    assert missing == []


def test_no_justification_for_what_does_not_follow(store) -> None:
    # tacrolimus is a calcineurin inhibitor, not an mTOR signaling inhibitor
    assert why("CHEBI:61049", "GEROKG:0000056", store) is not None
    assert why("CHEBI:61049", "GEROKG:0000053", store) is None


def test_unknown_term(store) -> None:
    with pytest.raises(NotInStoreError, match="CHEBI:999999999"):
        why("CHEBI:999999999", "GEROKG:0000051", store)


def test_why_by_name_with_a_short_text(store) -> None:
    """Names resolve like CURIEs, and the text folds the ChEBI structure chain to one line."""
    j = why("everolimus", "gerosuppressant", store)
    assert j is not None and j.claims == [CLAIM + "C0197"]
    assert j.text().splitlines() == [
        "everolimus is a gerosuppressant because",
        "  1. everolimus is a \u2026 is a chemical entity (through 7 ChEBI structure classes)",
        "  2. everolimus SubClassOf capable of some negative regulation of geroconversion [gkc:C0197]",
        "  3. gerosuppressant EquivalentTo chemical entity and (capable of some negative regulation of geroconversion)",
    ]
    from gerokg.errors import TermResolutionError

    with pytest.raises(TermResolutionError, match="'gerosupressant'"):
        why("everolimus", "gerosupressant", store)


def test_why_command() -> None:
    from click.testing import CliRunner

    from gerokg.cli import main

    res = CliRunner().invoke(main, ["why", "Rapamune", "rapalog"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0] == "sirolimus is a rapalog because"
    assert "[gkc:C0001]" in res.output
    res = CliRunner().invoke(main, ["why", "tacrolimus (anhydrous)", "gerosuppressant"])
    assert res.exit_code == 1 and res.output.startswith("no justification found")
