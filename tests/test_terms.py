"""The term resolver and the term object (gerokg.terms), on the release."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import gerokg
from gerokg.errors import ParameterError, TermResolutionError
from gerokg.querying.terms import TermResolver, curie_or_iri, fold, resolve_term
from gerokg.rdf.rdfio import compact_iri


@pytest.mark.parametrize(("name", "curie"), [
    ("CHEBI:9168", "CHEBI:9168"),
    ("chebi:9168", "CHEBI:9168"),                              # the prefix case-insensitively
    ("http://purl.obolibrary.org/obo/CHEBI_9168", "CHEBI:9168"),
    ("<http://purl.obolibrary.org/obo/CHEBI_9168>", "CHEBI:9168"),
    ("sirolimus", "CHEBI:9168"),                               # label
    ("  SiRoLiMuS ", "CHEBI:9168"),
    ("rapamycin", "CHEBI:9168"),                               # the review's exact synonym
    ("Rapamune", "CHEBI:9168"),                                # brand name (related synonym)
    ("Rapamune®", "CHEBI:9168"),
    ("deforolimus", "CHEBI:82677"),                            # ridaforolimus's former name
    ("temserolimus", "CHEBI:79699"),                           # the review's spelling
    ("suppression of geroconversion", "GEROKG:0000002"),        # a native exact synonym
    ("mTOR inhibitor", "CHEBI:68481"),                         # a label wins over another term's synonym
    ("Mus musculus", "NCBITaxon:10090"),
])
def test_names_resolve(name: str, curie: str) -> None:
    assert compact_iri(resolve_term(name)) == curie


def test_the_review_synonyms_carry_their_quote(full_graph) -> None:
    from rdflib import Literal, URIRef
    from rdflib.namespace import OWL

    oio = "http://www.geneontology.org/formats/oboInOwl#"
    quotes = {str(q) for ax in full_graph.subjects(OWL.annotatedTarget, Literal("Rapamune®"))
              if full_graph.value(ax, OWL.annotatedSource) == URIRef("http://purl.obolibrary.org/obo/CHEBI_9168")
              and full_graph.value(ax, OWL.annotatedProperty) == URIRef(oio + "hasRelatedSynonym")
              for q in full_graph.objects(ax, URIRef("https://w3id.org/gerokg/schema/quote"))}
    assert quotes == {"Rapamycin (sirolimus or Rapamune®) and its analogs"}


def test_quotes_of_the_synonyms_are_the_reviews_words(full_graph, review_text) -> None:
    from rdflib import URIRef
    from rdflib.namespace import OWL

    oio = "http://www.geneontology.org/formats/oboInOwl#"
    checked = 0
    for ax in full_graph.subjects(OWL.annotatedProperty, None):
        if str(full_graph.value(ax, OWL.annotatedProperty)).startswith(oio):
            for q in full_graph.objects(ax, URIRef("https://w3id.org/gerokg/schema/quote")):
                assert review_text.find(str(q)), str(q)
                checked += 1
    assert checked >= 4


def test_ambiguous_and_unknown_names_say_what_to_do() -> None:
    st = ox.Store()
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    exact = ox.NamedNode("http://www.geneontology.org/formats/oboInOwl#hasExactSynonym")
    for s, p, o in [("A", label, "kinase"), ("B", label, "Kinase"), ("C", exact, "enzyme"), ("D", exact, "enzyme"),
                    ("E", label, "enzyme E")]:
        st.add(ox.Quad(ox.NamedNode("http://example.org/" + s), p, ox.Literal(o)))
    r = TermResolver(st)
    with pytest.raises(TermResolutionError) as info:
        r.resolve("KINASE", what="parameter 'term'")
    err = info.value
    assert err.ambiguous and [c for c, _ in err.candidates] == ["http://example.org/A", "http://example.org/B"]
    assert ("parameter 'term': 'KINASE' is the label of 2 terms: http://example.org/A (kinase); "
            "http://example.org/B (Kinase)") in str(err) and "give the CURIE" in str(err)
    with pytest.raises(TermResolutionError, match=r"^'enzyme' is the exact synonym of 2 terms"):
        r.resolve("enzyme")
    with pytest.raises(TermResolutionError,
                       match=r"no term has 'kinaze'.*close names: http://example.org/A \(kinase\); http://example.org/B \(kinase\)"):
        r.resolve("kinaze")
    assert isinstance(err, ParameterError) and isinstance(err, LookupError)
    assert r.resolve("enzyme e") == "http://example.org/E"


def test_curie_or_iri_and_fold() -> None:
    assert curie_or_iri("NOPE:1") is None and curie_or_iri("everolimus") is None
    assert curie_or_iri("gkc:C0197") == "https://w3id.org/gerokg/claim/C0197"
    assert fold("  Rapamune®\tTablets ") == "rapamune tablets"


def test_term_object_for_rapamune() -> None:
    t = gerokg.term("Rapamune")
    assert (t.curie, t.label, t.iri) == ("CHEBI:9168", "sirolimus", "http://purl.obolibrary.org/obo/CHEBI_9168")
    # the review's spelling, with the ®; the resolver folds it away, so "Rapamune" finds the drug
    assert {(s.text, s.scope) for s in t.synonyms} == {("rapamycin", "exact"), ("Rapamune®", "related")}
    assert "GEROKG:0000054" in {p.curie for p in t.parents}               # a rapalog, as a claim states
    assert {"CHEBI:24431", "GEROKG:0000054"} <= {a.curie for a in t.ancestors}
    assert len(t.claims) == 63 and {c.subject.curie for c in t.claims} == {"CHEBI:9168"}
    negated = next(c for c in t.claims if c.curie == "gkc:C0044")
    assert (negated.polarity, negated.predicate.label, negated.object.label, negated.references) == (
        "negated", "increases incidence of", "cancer", "19")
    assert "NOT increases incidence of cancer" in negated.text()
    text = t.text()
    assert text.startswith("CHEBI:9168  sirolimus\nsynonyms: rapamycin (exact); Rapamune® (related)")


def test_term_object_for_a_native_term() -> None:
    t = gerokg.term("geroconversion")
    assert t.curie == "GEROKG:0000001" and t.definition.startswith("A cellular process in which a cell")
    assert [p.curie for p in t.parents] == ["GO:0009987"]
    decelerators = {c.subject.label for c in t.claims if c.via and c.via.label == "negative regulation of geroconversion"}
    assert {"sirolimus", "everolimus", "rapalog", "TP53"} <= decelerators
    assert "(via negative regulation of geroconversion)" in t.text()
    children = gerokg.term("rapalog").children
    assert {"everolimus", "sirolimus", "ridaforolimus", "Temsirolimus"} <= {c.label for c in children}


def test_reasoner_result_is_a_reads_names() -> None:
    """``gerokg.reason()`` gives a result whose ``is_a`` reads names through the one resolver;
    the reasoner's own layer reads IRIs and CURIEs (it sits below the resolver)."""
    from gerokg.release.reason import ReasoningResult

    supers = {"http://purl.obolibrary.org/obo/CHEBI_68478": {"https://w3id.org/gerokg/GEROKG_0000054"}}
    bare = ReasoningResult(consistent=True, superclasses=supers)
    assert bare.is_a("CHEBI:68478", "GEROKG:0000054")
    with pytest.raises(TermResolutionError):
        bare.is_a("everolimus", "rapalog")
    r = ReasoningResult(consistent=True, superclasses=supers, resolve=lambda n: resolve_term(n, what="is_a"))
    assert r.is_a("everolimus", "rapalog")
    assert r.is_a("CHEBI:68478", "GEROKG:0000054")
    assert not r.is_a("sirolimus", "rapalog")
    with pytest.raises(TermResolutionError):
        r.is_a("everolimus", "rapalogg")  # a typo is an error, not a silent False


@pytest.mark.java
def test_the_api_reasoner_result_reads_names() -> None:
    from gerokg.release.reason import java_version

    if java_version() is None:
        pytest.skip("no Java runtime: HermiT cannot run")
    assert gerokg.reason().is_a("everolimus", "rapalog")
