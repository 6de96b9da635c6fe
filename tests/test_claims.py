"""Curated claims: checked against the review text, complete, and with precise curation errors."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from gerokg.errors import CurationError
from gerokg.rdf.rdfio import expand_curie
from gerokg.sources.claims import load_claims, verify_against_review
from gerokg.sources.review import normalise

HEADER = Path(__file__).parent / "fixtures" / "claims-header.yaml"

GOOD_CLAIM = """\
  - id: C0001
    kind: mechanism
    polarity: affirmed
    subject: GEROKG:0000054 ! rapalog
    predicate: RO:0012006 ! is small molecule inhibitor of
    object: GO:0038202 ! TORC1 signaling
    quote: "Rapalogs have only one target, the so-called mTOR complex 1 (mTORC1),1–5 and exert therefore almost identical effects"
    section: introduction
    references: [1-5]
    evidence: ECO:0000304 ! author statement supported by traceable reference used in manual assertion
"""


def _claims_file(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "claims.yaml"
    p.write_text(HEADER.read_text() + body)
    return p


def _problems(tmp_path: Path, body: str, sources, review_text=None) -> list[str]:
    path = _claims_file(tmp_path, body)
    try:
        claims = load_claims(path, sources.terms)
    except CurationError as err:
        return err.problems
    return verify_against_review(claims, review_text) if review_text else []


def test_good_claim_loads_and_matches_the_review(tmp_path, sources, review_text) -> None:
    assert _problems(tmp_path, GOOD_CLAIM, sources, review_text) == []


def _line_of(body: str, text: str) -> int:
    header_lines = HEADER.read_text().count("\n")
    return header_lines + next(i for i, line in enumerate(body.splitlines(), 1) if text in line)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("GO:0038202 ! TORC1 signaling", "GO:9999999 ! TORC1 signaling", "object: unknown term GO:9999999"),
        ("GO:0038202 ! TORC1 signaling", "GO:0038202 ! TORC2 signaling", "object: GO:0038202 is labelled 'TORC1 signaling', not 'TORC2 signaling'"),
        ("CHEBI:0", "CHEBI:0", ""),  # placeholder replaced below
    ][:2],
)
def test_term_errors_name_file_and_line(tmp_path, sources, old: str, new: str, message: str) -> None:
    body = GOOD_CLAIM.replace(old, new)
    problems = _problems(tmp_path, body, sources)
    assert len(problems) == 1
    assert problems[0].startswith(f"claims.yaml:{_line_of(body, new)}: {message}")


def test_quote_not_in_review_is_reported(tmp_path, sources, review_text) -> None:
    body = GOOD_CLAIM.replace("only one target", "exactly one target")
    problems = _problems(tmp_path, body, sources, review_text)
    assert len(problems) == 1
    assert problems[0].startswith("claims.yaml:")
    assert "C0001: quote not found verbatim in the review" in problems[0]


def test_missing_reference_is_reported(tmp_path, sources, review_text) -> None:
    body = GOOD_CLAIM.replace("references: [1-5]", "references: [1-4]")
    problems = _problems(tmp_path, body, sources, review_text)
    assert problems == [f"claims.yaml:{_line_of(body, '- id: C0001')}: C0001: the quote cites [5] but references lacks them"]


def test_reference_not_cited_by_the_sentence_is_reported(tmp_path, sources, review_text) -> None:
    body = GOOD_CLAIM.replace("references: [1-5]", "references: [1-5, 99]")
    problems = _problems(tmp_path, body, sources, review_text)
    assert problems == [f"claims.yaml:{_line_of(body, '- id: C0001')}: C0001: references [99] are not cited in the quoted sentence"]


def test_wrong_section_is_reported(tmp_path, sources, review_text) -> None:
    body = GOOD_CLAIM.replace("section: introduction", "section: conclusions")
    problems = _problems(tmp_path, body, sources, review_text)
    assert problems == [f"claims.yaml:{_line_of(body, '- id: C0001')}: C0001: the quote stands in section 'introduction', not 'conclusions'"]


def test_duplicate_claim_id_is_reported(tmp_path, sources) -> None:
    body = GOOD_CLAIM + GOOD_CLAIM.replace("kind: mechanism", "kind: definition")
    problems = _problems(tmp_path, body, sources)
    second = HEADER.read_text().count("\n") + GOOD_CLAIM.count("\n") + 1
    assert problems == [f"claims.yaml:{second}: duplicate claim id C0001 (first on line {second - GOOD_CLAIM.count(chr(10))})"]


def test_missing_field_and_bad_values_are_all_reported(tmp_path, sources) -> None:
    body = GOOD_CLAIM.replace("    references: [1-5]\n", "").replace("kind: mechanism", "kind: rumour")
    problems = _problems(tmp_path, body, sources)
    assert any("lacks 'references'" in p for p in problems)


def test_bad_yaml_names_the_line(tmp_path, sources) -> None:
    problems = _problems(tmp_path, GOOD_CLAIM + "  - id: [unclosed\n", sources)
    assert len(problems) == 1 and re.match(r"claims\.yaml:\d+: not valid YAML", problems[0])


# ---------------------------------------------------------------------------------------------
# The curated file itself
# ---------------------------------------------------------------------------------------------


def test_curated_claims_match_the_review(sources, review_text) -> None:
    assert verify_against_review(sources.claims, review_text) == []


def test_definition_quotes_are_verbatim(sources, review_text) -> None:
    from gerokg.release.assemble import DEFINITION_QUOTE

    missing = [str(s) for s, q in sources.edit.subject_objects(DEFINITION_QUOTE) if not review_text.find(str(q))]
    assert missing == []


def test_every_section_has_claims(sources) -> None:
    used = {c.section for c in sources.claims.claims}
    assert used == set(sources.claims.sections)


def test_every_assertive_sentence_is_covered(sources, review_text) -> None:
    """Each sentence of the review overlaps the quote of at least one claim."""
    text = review_text.text
    spans = []
    for c in sources.claims.claims:
        for frag in c.quote:
            for start in review_text.find(frag):
                spans.append((start, start + len(normalise(frag))))
    for quote in sources.claims.skipped_sentences:
        for start in review_text.find(quote):
            spans.append((start, start + len(normalise(quote))))
    headings = [normalise(s.heading) for s in sources.claims.sections.values() if s.heading]
    uncovered = []
    start = 0
    for m in re.finditer(r"[.?!](?=\s|\d|$)", text):
        end = m.end()
        sentence = text[start:end].strip()
        for h in headings:
            sentence = sentence.replace(h, "").strip()
        if len(sentence) > 25 and not any(a < end and b > start for a, b in spans):
            uncovered.append(sentence[:100])
        start = end
    assert uncovered == []


def test_every_number_of_the_text_is_data(sources, review_text) -> None:
    """Percentages and folds are quantities; the timing of a treatment ('1 week after') is its
    timing, not a measurement; calendar years are the years of events (MODELLING.md, quantities)."""
    texts = {normalise(q.text) for c in sources.claims.claims for q in c.quantities}
    timings = {normalise(c.timing) for c in sources.claims.claims if c.timing}
    numbers = re.findall(r"(?:\b\d+(?:\.\d+)?%|\b\d+(?:\.\d+)?-fold|\b\d+ week)", review_text.text)
    assert numbers
    missing = sorted({n for n in numbers if not any(n in t for t in texts | timings)})
    assert missing == []
    assert not any("week" in t or "indications" in t or "interventions" in t for t in texts)
    years = {int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", review_text.text)}
    assert years == {1999, 2010}
    assert years <= {c.year for c in sources.claims.claims}


CONDITIONS = """\
    condition:
      - MONDO:0015759 ! B-cell non-Hodgkin lymphoma
      - MONDO:0005111 ! Epstein-Barr virus infection
"""


def test_a_context_field_takes_a_list_of_terms(tmp_path, sources) -> None:
    claims = load_claims(_claims_file(tmp_path, GOOD_CLAIM + CONDITIONS), sources.terms)
    (claim,) = claims.claims
    assert claim.context == {"condition": (expand_curie("MONDO:0005111"), expand_curie("MONDO:0015759"))}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("MONDO:0005111 ! Epstein-Barr virus infection", "MONDO:0005111 ! EBV infection",
         "condition: MONDO:0005111 is labelled 'Epstein-Barr virus infection', not 'EBV infection'"),
        ("MONDO:0005111 ! Epstein-Barr virus infection", "MONDO:0015759 ! B-cell non-Hodgkin lymphoma",
         "condition lists a term twice"),
    ],
)
def test_a_bad_term_in_a_context_list_is_named(tmp_path, sources, old: str, new: str, message: str) -> None:
    problems = _problems(tmp_path, GOOD_CLAIM + CONDITIONS.replace(old, new), sources)
    assert len(problems) == 1, problems
    assert message in problems[0] and problems[0].startswith("claims.yaml:")


def test_an_empty_context_list_is_refused(tmp_path, sources) -> None:
    problems = _problems(tmp_path, GOOD_CLAIM + "    condition: []\n", sources)
    assert any("condition is an empty list" in p for p in problems), problems


def _claims(sources, **match) -> list:
    out = []
    for c in sources.claims.claims:
        if all(getattr(c, k) == (expand_curie(v) if isinstance(v, str) and ":" in v else v) for k, v in match.items()):
            out.append(c)
    return out


def test_tacrolimus_does_not_inhibit_mtor(sources) -> None:
    found = _claims(sources, subject="CHEBI:61049", polarity="negated", kind="negative_statement")
    assert any("does not inhibit mTOR" in c.quote_text for c in found)


def test_regulatory_events_have_their_years(sources) -> None:
    years = {(str(c.subject), c.year) for c in sources.claims.claims if c.kind == "regulatory_event"}
    assert (str(expand_curie("CHEBI:9168")), 1999) in years
    assert (str(expand_curie("CHEBI:68478")), 2010) in years


def test_quantities_are_typed_with_unit_direction_and_context(sources) -> None:
    q = {(c.id, qq.value, qq.unit, qq.direction, qq.qualifier) for c in sources.claims.claims for qq in c.quantities}
    values = {(v, u, d, ql) for _, v, u, d, ql in q}
    assert (Decimal("3.4"), "fold", "decrease", None) in values
    assert (Decimal("90"), "percent", "decrease", None) in values
    assert (Decimal("10"), "fold", "decrease", None) in values
    assert (Decimal("30"), "percent", "increase", "more_than") in values
    fold = [c for c in sources.claims.claims if any(qq.value == Decimal("3.4") for qq in c.quantities)]
    assert fold and all(c.comparator == expand_curie("GEROKG:0000074") for c in fold)
    lifespan = [c for c in sources.claims.claims if any(qq.value == Decimal("30") for qq in c.quantities)]
    assert lifespan and all(c.population == expand_curie("GEROKG:0000101") for c in lifespan)
    assert all(c.organism == expand_curie("NCBITaxon:10090") for c in lifespan)


def test_open_questions_are_linked_to_the_claims_that_raise_them(sources) -> None:
    questions = [c for c in sources.claims.claims if c.kind == "open_question"]
    assert len(questions) >= 6
    assert all(c.raised_by for c in questions)
    placebo = [c for c in questions if c.comparator == expand_curie("GEROKG:0000075")]
    assert placebo


def test_tensions_are_recorded(sources) -> None:
    assert any(c.tension_with for c in sources.claims.claims)


def test_population_and_organism_agree(sources, full_graph) -> None:
    """A claim in a population (a subclass of a taxon) names that taxon as its organism."""
    from rdflib.namespace import RDFS

    def taxon(cls):
        seen, todo = set(), [cls]
        while todo:
            c = todo.pop()
            if str(c).startswith("http://purl.obolibrary.org/obo/NCBITaxon_"):
                return c
            for parent in full_graph.objects(c, RDFS.subClassOf):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return None

    wrong = [c.id for c in sources.claims.claims
             if c.population is not None and taxon(c.population) is not None and c.organism != taxon(c.population)]
    assert wrong == []


def test_claim_kinds_agree_with_the_ontology(sources) -> None:
    """The loader's kinds are the ontology's closed list (gks:ClaimKind owl:oneOf), and the kinds
    that do not assert their relation are those marked gks:asserts_relation false."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import OWL

    from gerokg.sources.claims import GKS, KINDS, NON_ASSERTIVE_KINDS

    g = sources.edit
    one_of = g.value(g.value(URIRef(GKS + "ClaimKind"), OWL.equivalentClass), OWL.oneOf)
    listed = [str(k)[len(GKS):] for k in g.items(one_of)]
    assert sorted(listed) == sorted(KINDS)
    false = {str(k)[len(GKS):] for k in g.subjects(URIRef(GKS + "asserts_relation"), Literal(False))}
    assert false == set(NON_ASSERTIVE_KINDS)
    assert {str(k)[len(GKS):] for k in g.subjects(URIRef(GKS + "asserts_relation"), Literal(True))} == set(KINDS) - false
    from rdflib.namespace import RDF

    typed = {str(k)[len(GKS):] for k in g.subjects(RDF.type, URIRef(GKS + "NonAssertiveClaimKind"))}
    assert typed == set(NON_ASSERTIVE_KINDS)  # the same, as a class, for SPARQL
