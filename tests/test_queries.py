"""The canned queries: catalogue metadata, expected answers, safe parameters, a second engine."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib.plugins.sparql import prepareQuery

from gerokg.errors import ParameterError, QueryNotFoundError
from gerokg.querying.canned import bind_params, bind_query_text, list_queries, load_query, run_query

from querytools import norm_rows

QUERIES = list_queries(include_qc=False)
ALL = list_queries()


def labels(result, column: str) -> list[str]:
    return [str(v) for v in result.column(column)]


def curies(result, column: str) -> list[str]:
    return [v.curie if v is not None else None for v in result.column(column)]


def test_catalogue_has_at_least_twenty_competency_questions() -> None:
    assert len(QUERIES) >= 20


@pytest.mark.parametrize("query", ALL, ids=[q.name for q in ALL])
def test_query_metadata_and_portable_syntax(query) -> None:
    assert query.title and query.question.endswith("?") and query.description
    text = bind_query_text(query, bind_params(query, {}))
    prepareQuery(text)  # a second, independent SPARQL 1.1 parser (rdflib)
    for p in query.params:
        assert f"?{p.name}" in query.text, f"{query.name}: parameter {p.name} is not a variable of the query"


#: queries whose answer needs data the release may not hold yet, with the fixture that supplies it
NEEDS_FIXTURE = {
    "context-contrasts": "cell-state-contexts.ttl",  # claims with structured contexts (gks:cell_state)
}


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_query_answers(query, store) -> None:
    if query.name in NEEDS_FIXTURE:
        store = _store_with(NEEDS_FIXTURE[query.name])
    result = run_query(query, store)
    assert len(result) > 0


def _store_with(fixture: str):
    from conftest import FIXTURES
    from gerokg.release.store import open_store

    return open_store(extra=[FIXTURES / fixture])


def test_gerosuppressants(store) -> None:
    r = run_query("gerosuppressants", store)
    assert sorted(set(labels(r, "drugLabel"))) == ["Temsirolimus", "everolimus", "ridaforolimus", "sirolimus"]
    assert all(q for q in r.column("quote"))
    assert "gkc:C0198" in curies(r, "claim")


def test_drugs_by_role(store) -> None:
    r = run_query("drugs-by-role", store)
    assert sorted(labels(r, "drugLabel")) == ["azathioprine", "cyclosporin A", "everolimus", "sirolimus", "tacrolimus (anhydrous)"]
    r = run_query("drugs-by-role", store, {"role": "CHEBI:68481"})
    # the review says all four inhibit MTOR (C0029-C0032): ChEBI's role, asserted in the bridge module
    assert sorted(labels(r, "drugLabel")) == ["Temsirolimus", "everolimus", "ridaforolimus", "sirolimus"]
    r = run_query("drugs-by-role", store, {"role": "http://purl.obolibrary.org/obo/CHEBI_176497"})
    assert "metformin" in labels(r, "drugLabel")


def test_mtor_inhibitors_include_the_negated_tacrolimus(store) -> None:
    r = run_query("mtor-inhibitors", store)
    rows = {(row["drugLabel"], row["polarity"]) for row in r}
    assert ("tacrolimus (anhydrous)", "negated") in rows
    assert {("sirolimus", "affirmed"), ("metformin", "affirmed"), ("Temsirolimus", "affirmed")} <= rows


def test_quantitative_findings(store) -> None:
    r = run_query("quantitative-findings", store)
    fold = next(row for row in r if row["quantityText"] == "3.4-fold lower")
    assert fold["value"] == Decimal("3.4") and fold["unit"] == "fold" and fold["direction"] == "decrease"
    assert fold["comparatorLabel"] == "calcineurin inhibitor-based regimen"
    assert fold["references"] == "110"
    mice = run_query("quantitative-findings", store, {"organism": "NCBITaxon:10090"})
    # '1 week after' is the timing of the treatment, not a measured quantity (MODELLING.md, section 8)
    assert sorted(mice.column("quantityText")) == ["10-fold", "by 90%", "by more than 30%"]
    lifespan = next(row for row in mice if row["quantityText"] == "by more than 30%")
    assert lifespan["qualifier"] == "more than" and lifespan["populationLabel"] == "p53-deficient mouse"
    assert lifespan["value"] == 30 and lifespan["references"] == "118"


def test_claims_by_comparator(store) -> None:
    r = run_query("claims-by-comparator", store)
    kinds = {(row["comparatorType"], row["comparatorLabel"]) for row in r}
    assert ("placebo or no treatment", "placebo or no treatment") in kinds
    assert ("active comparator", "calcineurin inhibitor-based regimen") in kinds


def test_mechanism_chains(store) -> None:
    r = run_query("mechanism-chains", store, {"start": "GEROKG:0000071", "target": "GEROKG:0000007"})
    chains = [(row["length"], row["claim1"].curie, row["claim2"] and row["claim2"].curie) for row in r]
    # 'involved in aging' (C0025) has no direction, so the direct statement is the only chain
    assert chains == [(1, "gkc:C0067", None)]
    r = run_query("mechanism-chains", store, {"start": "GEROKG:0000071", "target": "GEROKG:0000001"})
    assert (2, "gkc:C0134", "gkc:C0111") in [(row["length"], row["claim1"].curie, row["claim2"] and row["claim2"].curie) for row in r]
    default = run_query("mechanism-chains", store)
    assert min(default.column("length")) == 1
    # rapalogs prevent oncogenesis, sirolimus being a rapalog: one step stated by C0015, C0048 and
    # others, cited once by its first claim (as gerokg.explain does), the rest counted
    rapalog = next(row for row in default if row["claim1"].curie == "gkc:C0015" and row["length"] == 1)
    assert rapalog["otherClaims"] >= 1
    assert len({(row["claim1"], row["claim2"], row["claim3"]) for row in default}) == len(default)


def test_term_dossier_under_its_old_name(store) -> None:
    r = run_query("term-participation", store, {"term": "CHEBI:68478"})
    assert load_query("term-participation").name == "term-dossier"
    assert len(r) == 12
    assert set(r.column("role")) == {"subject"}
    r = run_query("term-participation", store, {"term": "GEROKG:0000101"})
    assert ("population", "gkc:C0204") in {(row["role"], row["claim"].curie) for row in r}


def test_term_dossier_by_name_finds_the_drug(store) -> None:
    """rapamycin, Rapamune and sirolimus are one drug, CHEBI:9168, with all its claims."""
    by_curie = run_query("term-dossier", store, {"term": "CHEBI:9168"})
    assert len(by_curie) == 63 and set(curies(by_curie, "subject")) == {"CHEBI:9168"}
    for name in ("rapamycin", "Rapamune", "SIROLIMUS", "chebi:9168"):
        r = run_query("term-participation", store, {"term": name})
        assert curies(r, "claim") == curies(by_curie, "claim"), name
    deforolimus = run_query("term-dossier", store, {"term": "deforolimus"})
    assert set(curies(deforolimus, "subject")) == {"CHEBI:82677"} and len(deforolimus) >= 1


def test_term_dossier_includes_the_regulation_classes(store) -> None:
    """Geroconversion's accelerators and decelerators point at its regulation classes."""
    r = run_query("term-dossier", store, {"term": "geroconversion"})
    via = {(row["claim"].curie, row["viaLabel"]) for row in r}
    assert ("gkc:C0197", "negative regulation of geroconversion") in via      # everolimus decelerates it
    assert ("gkc:C0115", "positive regulation of geroconversion") in via      # oncoproteins accelerate it
    direct = [row for row in r if row["via"] is None]
    assert {row["role"] for row in direct} == {"subject", "object"}
    assert all(row["objectLabel"] == "geroconversion" for row in direct if row["role"] == "object")
    # a class's subclasses take part too: the rapalogs' dossier holds everolimus's claims
    rapalog = run_query("term-dossier", store, {"term": "rapalog"})
    assert ("gkc:C0197", "everolimus") in {(row["claim"].curie, row["viaLabel"]) for row in rapalog}


def test_term_names_that_fit_several_terms_or_none(store) -> None:
    from gerokg.errors import TermResolutionError

    with pytest.raises(TermResolutionError, match="no term has 'rapamicyn'.*CHEBI:9168 \\(rapamycin\\)"):
        run_query("term-dossier", store, {"term": "rapamicyn"})
    with pytest.raises(ParameterError):  # a TermResolutionError is a ParameterError (HTTP 400)
        run_query("term-dossier", store, {"term": "no such term at all"})


def test_evidence_for_and_against_side_by_side(store) -> None:
    r = run_query("evidence-for-and-against", store)
    pairs = {(row["relation"], row["claim"].curie, row["otherClaim"].curie) for row in r}
    assert ("in tension with", "gkc:C0232", "gkc:C0233") in pairs  # immunosuppressive versus immunostimulatory
    assert ("in tension with", "gkc:C0157", "gkc:C0158") in pairs  # expected to raise cancer, observed to limit it
    # the same statement with opposite polarity: tacrolimus does not inhibit mTOR, a claim says it does
    opposite = [row for row in r if row["relation"] == "opposite polarity to"]
    assert all(row["polarity"] == "affirmed" and row["otherPolarity"] == "negated" for row in opposite)
    assert load_query("tensions").name == "evidence-for-and-against"
    immune = run_query("evidence-for-and-against", store, {"term": "GO:0050778"})
    assert {row["claim"].curie for row in immune} <= {row["claim"].curie for row in r}
    assert ("gkc:C0232", "gkc:C0233") in {(row["claim"].curie, row["otherClaim"].curie) for row in immune}
    assert all(row["otherQuote"] for row in r)


def test_open_questions_one_row_each(store) -> None:
    q = run_query("open-questions", store)
    # 8: 'Do such drugs exist?', the section heading, 'Do rapalogs prevent cancer in humans?' and
    # 'should they be viewed as immunosuppressants or ...' are rhetorical questions the review
    # answers, 'And what are their targets?' a skipped sentence (MODELLING.md, section 7); one row each
    assert len(q) == len(set(curies(q, "claim"))) == 8
    placebo = [row for row in q if row["comparatorLabel"] == "placebo or no treatment"]
    assert {row["claim"].curie for row in placebo} == {"gkc:C0285"}
    assert all(row["kind"] == "open question claim" for row in q)


def test_claims_of_kind(store) -> None:
    hyp = run_query("claims-of-kind", store)
    assert len(hyp) == 20 and set(hyp.column("kind")) == {"hypothesis claim"}
    assert "gkc:C0052" in curies(hyp, "claim")  # one possible explanation for such a dual activity of rapalogs
    for name in ("animal_study", "Animal study", "animal study claim"):
        assert curies(run_query("claims-of-kind", store, {"kind": name}), "claim") == curies(
            run_query("animal-studies", store), "claim")


def test_populations_and_models(store) -> None:
    r = run_query("populations-and-models", store)
    systems = {(row["systemType"], row["systemLabel"]) for row in r}
    assert {("organism", "Mus musculus"), ("organism", "Homo sapiens"),
            ("population", "organ transplant recipient"), ("population", "p53-deficient mouse")} <= systems
    p53 = [row for row in r if row["systemLabel"] == "p53-deficient mouse"]
    assert "gkc:C0204" in {row["claim"].curie for row in p53}
    assert all(row["organismLabel"] == "Mus musculus" for row in p53)


def test_context_contrasts_mtor_in_proliferating_and_arrested_cells(store) -> None:
    """The claims file states both cell states itself (cell_state), so the release alone contrasts them."""
    r = run_query("context-contrasts", store)
    pairs = {(row["claim"].curie, row["contextOfClaim"], row["otherClaim"].curie, row["otherContext"]) for row in r}
    assert ("gkc:C0095", "cell population proliferation", "gkc:C0098", "negative regulation of cell cycle") in pairs
    row = next(row for row in r if row["claim"].curie == "gkc:C0095" and row["otherClaim"].curie == "gkc:C0098")
    assert (row["subjectLabel"], row["objectLabel"], row["otherObjectLabel"]) == (
        "TOR signaling", "cell growth", "cellular hypertrophy")
    assert row["context"] == "cell population proliferation"


def test_infections_and_viruses(store) -> None:
    r = run_query("infections-and-viruses", store)
    topics = set(r.column("topicLabel"))
    assert {"cytomegalovirus infection", "HIV infectious disease", "hepatitis C virus infection",
            "antiviral agent", "streptococcal pneumonia"} <= topics
    cmv = next(row for row in r if row["topicLabel"] == "cytomegalovirus infection" and row["subjectLabel"] == "sirolimus")
    assert cmv["predicateLabel"] == "decreases incidence of" and cmv["references"] == "183, 184, 185"


def test_cancer_in_transplant_recipients_has_its_numbers(store) -> None:
    r = run_query("cancer-in-transplant-recipients", store)
    scc = next(row for row in r if row["claim"].curie == "gkc:C0167")
    assert scc["quantities"] == "3.4-fold lower" and scc["references"] == "110"
    assert scc["comparatorLabel"] == "calcineurin inhibitor-based regimen"
    assert scc["recipientsLabel"] == scc["populationLabel"] == "organ transplant recipient"


def test_animal_studies_have_organism(store) -> None:
    r = run_query("animal-studies", store)
    assert {row["organismLabel"] for row in r} >= {"Mus musculus"}
    lifespan = next(row for row in r if row["claim"].curie == "gkc:C0204")
    assert lifespan["populationLabel"] == "p53-deficient mouse" and lifespan["quantities"] == "by more than 30%"


def test_claims_citing_reference(store) -> None:
    r = run_query("claims-citing-reference", store)
    assert curies(r, "claim") == ["gkc:C0164", "gkc:C0167", "gkc:C0169"]
    # the negated claim says so: reference 19 is cited for "rapamycin does NOT increase cancer"
    ref19 = {row["claim"].curie: row for row in run_query("claims-citing-reference", store, {"ref": 19})}
    assert (ref19["gkc:C0044"]["subjectLabel"], ref19["gkc:C0044"]["polarity"], ref19["gkc:C0044"]["objectLabel"]) == (
        "sirolimus", "negated", "cancer")
    r = run_query("claims-citing-reference", store, {"ref": "118"})
    assert curies(r, "claim") == ["gkc:C0199", "gkc:C0203", "gkc:C0204"]  # 80,113–127 includes 118
    assert len(run_query("claims-citing-reference", store, {"ref": 9999})) == 0


def test_alignment_and_external_terms(store) -> None:
    r = run_query("alignment-table", store)
    rows = {(row["term"].curie, row["parent"].curie, row["source"]) for row in r}
    assert ("GEROKG:0000001", "GO:0009987", "GO") in rows          # geroconversion under cellular process
    assert ("GEROKG:0000054", "CHEBI:145565", "CHEBI") in rows     # rapalog under macrolide lactam
    assert ("GEROKG:0000101", "NCBITaxon:10090", "NCBITaxon") in rows
    ext = run_query("external-terms-used", store)
    top = next(row for row in ext if row["source"] == "CHEBI")
    assert (top["label"], top["claims"]) == ("sirolimus", 63)  # + its roles gerosuppressant and cancer-preventive agent


def test_regulatory_events_negations_and_hedges(store) -> None:
    r = run_query("regulatory-events", store)
    assert [(row["year"], row["drugLabel"]) for row in r] == [(1999, "sirolimus"), (2010, "everolimus")]
    neg = run_query("negative-statements", store)
    assert ("tacrolimus (anhydrous)", "TOR signaling") in {(row["subjectLabel"], row["objectLabel"]) for row in neg}
    hedges = run_query("hedged-claims", store)
    assert "may" in hedges.column("hedge")


def test_overview_queries(store) -> None:
    kinds = run_query("claims-by-kind", store)
    assert sum(kinds.column("claims")) == 290  # 289 - 2 retired (C0071, C0171) + 3 role claims (C0290-C0292)
    assert {"refuted expectation claim", "rhetorical question claim", "methodological statement claim"} <= set(kinds.column("kind"))
    sections = run_query("review-sections", store)
    assert sections.column("order") == list(range(13))
    assert sum(sections.column("claims")) == 290
    fig = run_query("claims-in-section", store)
    assert len(fig) == 18


def test_ontology_queries(store) -> None:
    defs = run_query("native-definitions", store)
    gc = next(row for row in defs if row["label"] == "geroconversion")
    assert "conversion to senescence" in gc["quote"]
    subs = run_query("subclasses", store)
    assert sorted(labels(subs, "label")) == ["Temsirolimus", "everolimus", "ridaforolimus", "sirolimus"]
    ax = run_query("axiom-evidence", store)
    assert ("CHEBI:61049", "RO:0012006", "GO:0031929") in {
        (row["class"].curie, row["property"] and row["property"].curie, row["filler"] and row["filler"].curie) for row in ax}


def test_construct_claim_edges(store) -> None:
    r = run_query("construct-claim-edges", store)
    triples = {(s.value, p.value, o.value) for s, p, o in r.triples}
    assert ("http://purl.obolibrary.org/obo/CHEBI_9168", "http://purl.obolibrary.org/obo/RO_0012006",
            "http://purl.obolibrary.org/obo/GO_0038202") in triples
    # negated claims are not drawn as edges
    assert ("http://purl.obolibrary.org/obo/CHEBI_61049", "http://purl.obolibrary.org/obo/RO_0012006",
            "http://purl.obolibrary.org/obo/GO_0031929") not in triples
    # nor are the claims that do not assert: 'rapalogs were expected to increase the incidence of
    # cancer' (C0041, refuted), 'p53 may exert anti-aging effects' (C0125, a hypothesis), and the
    # other claims that do not assert (methodological remarks, an insignificant effect)
    rapalogs, cancer = "https://w3id.org/gerokg/GEROKG_0000054", "http://purl.obolibrary.org/obo/MONDO_0004992"
    assert (rapalogs, "https://w3id.org/gerokg/GEROKG_0000203", cancer) not in triples
    assert ("http://identifiers.org/hgnc/11998", "http://purl.obolibrary.org/obo/RO_0004035",
            "https://w3id.org/gerokg/GEROKG_0000007") not in triples
    # one edge per distinct triple of the claims that assert
    from gerokg.release.assemble import load_sources_data

    asserted = {(str(c.subject), str(c.predicate), str(c.object)) for c in load_sources_data().claims.claims
                if c.asserts and c.polarity == "affirmed"}
    assert {t for t in triples if t[1] != "http://www.w3.org/2000/01/rdf-schema#label"} == asserted


#: queries rdflib cannot answer in reasonable time (measured: minutes), with the reason
RDFLIB_TOO_SLOW = {
    "mechanism-chains": "rdflib evaluates each UNION branch's chain of joins and property paths without "
                        "reordering or pushing the relation filter down (174 s here, 0.05 s on Oxigraph)",
}
SELECTS = [q for q in QUERIES if q.form == "SELECT" and q.name not in RDFLIB_TOO_SLOW]


@pytest.mark.parametrize("query", SELECTS, ids=[q.name for q in SELECTS])
def test_rdflib_engine_agrees(query, store, full_graph) -> None:
    """rdflib's SPARQL engine gives the same rows as Oxigraph for the same bound text (parameters
    in the inline VALUES block every engine and endpoint receives)."""
    ox_result = run_query(query, store)
    text = bind_query_text(query, bind_params(query, {}, store))
    rows = []
    for row in full_graph.query(text):
        rows.append({v: (None if row[v] is None else _rdflib_py(row[v])) for v in ox_result.variables})
    assert norm_rows(ox_result.variables, rows) == norm_rows(ox_result.variables, ox_result.rows)


def _to_rdflib(term):
    import pyoxigraph as ox
    from rdflib import Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value) if term.datatype else None)


def _rdflib_py(term):
    from rdflib import Literal, URIRef

    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal):
        return term.toPython() if term.datatype else str(term)
    return str(term)


def test_unknown_query_and_parameter_errors(store) -> None:
    with pytest.raises(QueryNotFoundError, match="no canned query named 'gerosupressants'.*gerosuppressants"):
        load_query("gerosupressants")
    with pytest.raises(ParameterError, match="has no parameter 'drug'"):
        run_query("term-dossier", store, {"drug": "CHEBI:9168"})
    with pytest.raises(ParameterError, match="not a CURIE with a known prefix"):
        run_query("term-dossier", store, {"term": "FOO:1"})
    with pytest.raises(ParameterError, match="takes an integer"):
        run_query("claims-citing-reference", store, {"ref": "110 } ; DROP ALL"})


#: queries whose rows are not single claims, with the reason
NOT_A_CLAIM_PER_ROW = {
    "mechanism-chains": "a row is a chain of up to three claims (claim1, claim2, claim3); gerokg explain "
                        "prints each step with its claim",
}


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_query_that_returns_claims_has_the_claim_card(query, store) -> None:
    """A query whose answer holds claim IRIs returns the claim card's columns, under the same names."""
    import sys

    card = sys.modules["gerokg.querying.canned"].CLAIM_CARD
    assert card[:2] == ("claim", "subject") and {"polarity", "kind", "hedge", "references", "section", "organism",
                                                  "population", "comparator", "context", "quantities", "quote"} <= set(card)
    if query.name in NEEDS_FIXTURE:
        store = _store_with(NEEDS_FIXTURE[query.name])
    result = run_query(query, store)
    holds_claims = result.triples is None and any(
        isinstance(v, str) and v.startswith("https://w3id.org/gerokg/claim/C") and "-q" not in v
        for row in result.rows for v in row.values())
    if query.name in NOT_A_CLAIM_PER_ROW:
        assert holds_claims and not query.card
        return
    assert query.card == holds_claims, f"{query.name}: returns claims but has no claim card" if holds_claims else query.name
    if query.card:
        at = result.variables.index("claim")
        assert list(result.variables[at:at + len(card)]) == list(card)
        assert query.columns == tuple(result.variables)
        for row in result.rows:
            assert row["claim"] and row["subjectLabel"] and row["objectLabel"] and row["quote"]
            assert row["polarity"] in ("affirmed", "negated") and row["kind"] and row["section"]
            refs = [int(x) for x in row["references"].split(", ")] if row["references"] else []
            assert refs == sorted(refs)


def test_claim_card_references_in_numeric_order(store) -> None:
    r = run_query("claims-citing-reference", store, {"ref": 118})
    c0199 = next(row for row in r if row["claim"].curie == "gkc:C0199")
    assert c0199["references"] == "80, " + ", ".join(str(n) for n in range(113, 128))


def test_a_claim_query_must_not_redefine_card_columns(tmp_path) -> None:
    import sys

    from gerokg.errors import QuerySyntaxError

    bad = tmp_path / "bad.rq"
    bad.write_text("#+ title: t\n#+ question: q?\n#+ description: d\n#+ card: claim\n"
                   "PREFIX gks: <https://w3id.org/gerokg/schema/>\n"
                   "SELECT ?claim ?quote WHERE { ?claim gks:quote ?quote }\n")
    with pytest.raises(QuerySyntaxError, match=r"bad.rq: columns \?quote are claim card columns"):
        sys.modules["gerokg.querying.canned"]._load(bad)
    bad.write_text(bad.read_text().replace("SELECT ?claim ?quote", "SELECT ?quote"))
    with pytest.raises(QuerySyntaxError, match="must select \\?claim"):
        sys.modules["gerokg.querying.canned"]._load(bad)


def test_each_answer_says_whether_inferences_are_included() -> None:
    import pyoxigraph as ox

    from gerokg.release.store import open_store
    from gerokg.vocab import INFERRED_GRAPH

    st = open_store()
    assert run_query("gerosuppressants", st).inferred is False
    everolimus = ox.NamedNode("http://purl.obolibrary.org/obo/CHEBI_68478")
    st.ox.add(ox.Quad(everolimus, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
                      ox.NamedNode("https://w3id.org/gerokg/GEROKG_0000051"), ox.NamedNode(INFERRED_GRAPH)))
    assert run_query("gerosuppressants", st).inferred is True


def test_a_users_query_file_through_the_python_api(tmp_path) -> None:
    import gerokg

    mine = tmp_path / "mine.rq"
    mine.write_text("SELECT ?label WHERE { ?drug oboInOwl:hasExactSynonym \"deforolimus\" ; rdfs:label ?label }")
    assert gerokg.query(str(mine)).column("label") == ["ridaforolimus"]
    assert gerokg.sparql("ASK { CHEBI:9168 rdfs:label \"sirolimus\" }").boolean is True
    from gerokg.errors import QuerySyntaxError

    with pytest.raises(QuerySyntaxError, match=r"mine.rq: line 1, column \d+: unknown prefix 'nope:'"):
        mine.write_text("SELECT * WHERE { ?s nope:x ?o }")
        gerokg.query(str(mine))


def test_the_claim_card_carries_agent_status(store) -> None:
    """A claim about recipients not treated with rapamycin says so in its card's context (the card
    once read a property no claim has, and dropped the qualifier)."""
    rows = {str(r["claim"]): r for r in run_query("infections-and-viruses", store).rows}
    c = rows["https://w3id.org/gerokg/claim/C0248"]
    assert c["context"] == "not treated with sirolimus"
