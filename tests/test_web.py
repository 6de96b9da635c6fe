"""The web pages of gerokg serve, over HTTP (the browser tests walk the same pages in Chromium)."""

from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import markupsafe
import pytest

from gerokg.querying.canned import list_queries
from gerokg.release.reason import java_version

pytestmark = pytest.mark.server

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
HAVE_JAVA = java_version() is not None
HOSTILE = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix oio: <http://www.geneontology.org/formats/oboInOwl#> .
<https://w3id.org/gerokg/GEROKG_9999990> a owl:Class ;
    rdfs:label "<script>alert('label')</script> zebrafish" ;
    oio:hasExactSynonym "\\"><img src=x onerror=alert(1)>" ;
    <http://purl.obolibrary.org/obo/IAO_0000115> "<b>bold</b> & <i>definition</i>" ;
    rdfs:subClassOf <http://purl.obolibrary.org/obo/CHEBI_68478> .
<https://w3id.org/gerokg/GEROKG_9999991> a owl:Class ; rdfs:label "duplicate label" .
<https://w3id.org/gerokg/GEROKG_9999992> a owl:Class ; rdfs:label "duplicate label" .
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from gerokg.serving.server import EndpointConfig, start_server

    extra = tmp_path_factory.mktemp("web") / "hostile.ttl"
    extra.write_text(HOSTILE, encoding="utf-8")
    handle = start_server(EndpointConfig(port=0, timeout=20), extra=[extra], inferred=HAVE_JAVA)
    try:
        yield handle.url
    finally:
        handle.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def get(url: str, accept: str = BROWSER_ACCEPT, follow: bool = True) -> tuple[int, Any, bytes]:
    req = urllib.request.Request(url, headers={"Accept": accept})
    handlers: list = [urllib.request.ProxyHandler({})] + ([] if follow else [_NoRedirect()])
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(req, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()  # case-insensitive, as HTTP field names are
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def text_of(body: bytes) -> str:
    """The page's visible text, tags removed, entities decoded, spaces collapsed."""
    s = body.decode("utf-8")
    s = re.sub(r"<svg.*?</svg>", " ", s, flags=re.S)
    s = re.sub(r"<[^>]+>", " ", s)
    return " ".join(html.unescape(s).split())


def test_home_page_lists_every_competency_question(site: str) -> None:
    status, headers, body = get(site + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    page = body.decode()
    for q in list_queries(include_qc=False):
        assert f'href="/query/{q.name}"' in page
    assert "290 claims" in text_of(body)
    # nothing is loaded from another site: no CDN, no web fonts, no scripts
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', page)
    assert "<script" not in page


def test_search_by_label_and_by_synonym(site: str) -> None:
    _, _, body = get(site + "/search?q=everolimus")
    hits = re.findall(r'<li><a href="(/term/[^"]+)">([^<]+)</a>', body.decode())
    assert hits[0] == ("/term/CHEBI:68478", "everolimus")
    # a synonym finds the native term, and the page says which synonym matched
    _, _, body = get(site + "/search?q=suppression%20of%20geroconversion")
    text = text_of(body)
    assert 'synonym “suppression of geroconversion”' in text
    hits = re.findall(r'<li><a href="(/term/[^"]+)">([^<]+)</a>', body.decode())
    assert hits[0][1] == "negative regulation of geroconversion"
    # exact label before partial matches
    _, _, body = get(site + "/search?q=mTOR%20inhibitor")
    hits = re.findall(r'<li><a href="(/term/[^"]+)">([^<]+)</a>', body.decode())
    assert hits[0] == ("/term/CHEBI:68481", "mTOR inhibitor")  # ChEBI's role, which replaced two native classes


def test_search_edge_cases(site: str) -> None:
    status, _, body = get(site + "/search?q=")
    assert status == 200 and "match" not in text_of(body)
    status, _, body = get(site + "/search?q=" + "x" * 201)
    assert status == 400 and "at most 200 characters" in text_of(body)
    _, _, body = get(site + "/search?q=C0197")
    assert 'href="/claim/C0197"' in body.decode()
    _, _, body = get(site + "/search?q=qwertyuiop")
    assert "0 terms match" in text_of(body)


@pytest.mark.skipif(not HAVE_JAVA, reason="the classification needs Java (HermiT)")
def test_term_page_says_why_everolimus_is_classified(site: str) -> None:
    status, _, body = get(site + "/term/CHEBI:68478")
    assert status == 200
    page = body.decode()
    text = text_of(body)
    assert "everolimus CHEBI:68478" in text
    assert "https://www.ebi.ac.uk/chebi/searchId.do?chebiId=CHEBI:68478" in page
    block = page[page.index('id="classified-h"'):page.index('id="claims-h"')]
    items = re.split(r'<li class="inferred">', block)[1:]
    # the reasoner adds only BFO categories, from RO's domains: no drug class the review does not state
    material = next(i for i in items if '<summary>material entity <span class="curie">BFO:0000040</span>' in i)
    assert "(the relation's domain)" in text_of(material.encode())
    for label in ("gerosuppressant", "mTORC1 inhibitor", "mTOR signaling inhibitor", "cancer-preventive agent",
                  "gerosuppressor"):
        assert f"<summary>{label} <span" not in block
        assert f"<summary>obsolete {label} <span" not in block
    # the claims, with quote and references (C0045 cites reference 19)
    assert text.count("as subject") + text.count("as object") == 12
    assert ("C0045 negative statement negated as subject everolimus increases incidence of cancer "
            "“rapamycin and everolimus not only do not increase cancer incidence in transplant recipients” "
            "refs 19") in text


def test_term_page_of_a_native_term_shows_definition_source_and_children(site: str) -> None:
    status, _, body = get(site + "/term/GEROKG:0000054")  # rapalog
    assert status == 200
    text = text_of(body)
    assert "rapalog GEROKG:0000054" in text
    # genus-differentia, without the findings the old definition embedded (MODELLING.md, section 6)
    assert "A macrolide lactam that is rapamycin (sirolimus) or one of its analogs." in text
    assert "“Rapamycin (sirolimus or Rapamune®) and its analogs such as everolimus" in text
    children = text[text.index("Subclasses (asserted)"):]
    for child in ("everolimus", "sirolimus", "Temsirolimus", "ridaforolimus"):
        assert child in children
    assert "is small molecule inhibitor of some TORC1 signaling" in text


def test_claim_page(site: str) -> None:
    status, _, body = get(site + "/claim/C0204")
    assert status == 200
    text = text_of(body)
    assert "Claim C0204" in text
    assert "refs 118" in text and "Mus musculus" in text and "by more than 30%" in text


def test_hostile_labels_are_escaped_everywhere(site: str) -> None:
    for path in ("/search?q=zebrafish", "/term/GEROKG:9999990", "/search?q=onerror"):
        status, _, body = get(site + path)
        page = body.decode()
        assert status == 200, path
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold</b>" not in page
    _, _, body = get(site + "/term/GEROKG:9999990")
    assert "&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt; zebrafish" in body.decode()
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;definition&lt;/i&gt;" in body.decode()


@pytest.mark.parametrize("path, needle", [
    ("/term/NOPE:1", "not a CURIE gerokg knows"),
    ("/term/CHEBI:999999999", "CHEBI:999999999 is not in this graph"),
    ("/claim/C9999", "no claim gkc:C9999"),
    ("/claim/DROP", "not a claim id"),
    ("/query/no-such-query", "no canned query named"),
])
def test_missing_pages_are_404_with_a_reason(site: str, path: str, needle: str) -> None:
    status, headers, body = get(site + path)
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert needle in text_of(body)


@pytest.mark.parametrize("query", list_queries(include_qc=False), ids=lambda q: q.name)
def test_every_query_form_renders_its_answer(site: str, query) -> None:
    status, _, body = get(site + f"/query/{query.name}")
    assert status == 200
    page = body.decode()
    assert f'<form class="query-form" action="/query/{query.name}"' in page
    for p in query.params:
        assert f'<label for="p-{p.name}">' in page
    # the page shows every row of the endpoint's own answer, each value in a cell
    if query.form == "SELECT":
        _, _, raw = get(site + f"/queries/{query.name}?format=json", accept="*/*")
        bindings = json.loads(raw)["results"]["bindings"]
        rows = re.search(r"<caption>[^<]*\((\d+) rows?\)</caption>", page)
        if bindings:
            assert rows and int(rows.group(1)) == len(bindings)
            assert page.count("<tr><td>") == len(bindings)
            first = bindings[0]
            for _var, term in first.items():
                if term["type"] == "literal":
                    assert str(markupsafe.escape(term["value"])) in page
        else:
            assert "No results." in page


def test_query_form_with_parameter_and_csv_download(site: str) -> None:
    status, _, body = get(site + "/query/quantitative-findings?organism=NCBITaxon%3A10090")
    assert status == 200
    text = text_of(body)
    # 3 rows: '1 week after' is a timing, not a quantity (MODELLING.md, section 8)
    assert "(3 rows)" in text and text.count("Mus musculus") >= 3
    # the site's search box stays empty on other pages
    assert 'id="site-q" name="q" type="search" placeholder="Search a term, e.g. everolimus" value=""' in body.decode()
    link = re.search(r'href="([^"]+)" download="quantitative-findings.csv"', body.decode())
    assert link
    status, headers, csv_body = get(site + html.unescape(link.group(1)), accept="*/*")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert headers["Content-Disposition"] == 'attachment; filename="quantitative-findings.csv"'
    lines = csv_body.decode().splitlines()
    assert len(lines) == 4 and lines[0].startswith("claim,subject,subjectLabel,predicate,predicateLabel")


def test_query_form_rejects_a_bad_parameter_in_the_page(site: str) -> None:
    status, _, body = get(site + "/query/quantitative-findings?organism=%3Cbad%3E")
    assert status == 400
    assert "organism" in text_of(body)
    assert "<table" not in body.decode()


def test_sparql_box_and_content_negotiation(site: str) -> None:
    q = "SELECT ?year WHERE { ?c <https://w3id.org/gerokg/schema/year> ?year } ORDER BY ?year"
    url = site + "/sparql?" + urllib.parse.urlencode({"query": q})
    # a browser gets the page, a SPARQL client gets results
    status, headers, body = get(url)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert re.findall(r"<td>(\d{4})</td>", body.decode()) == ["1999", "2010"]
    status, headers, body = get(url, accept="application/sparql-results+json")
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert [b["year"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["1999", "2010"]
    status, headers, body = get(url + "&format=json")
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    # a client accepting both equally gets data
    status, headers, body = get(url, accept="text/html, application/sparql-results+json")
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    # long answers: the page shows the first 1000 rows and says so; the CSV link has them all
    big = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 1500"
    status, _, body = get(site + "/sparql?" + urllib.parse.urlencode({"query": big}))
    assert "(1500 rows; the first 1000 are shown, the download has all)" in body.decode()
    assert body.decode().count("<tr><td>") == 1000
    # the empty box
    status, _, body = get(site + "/sparql")
    assert status == 200 and '<textarea id="sparql-text" name="query"' in body.decode()
    # updates and SERVICE are refused in the page too
    status, _, body = get(site + "/sparql?format=html&query=" + urllib.parse.quote("DELETE WHERE { ?s ?p ?o }"))
    assert status == 403 and "read-only" in text_of(body)
    status, _, body = get(site + "/sparql?format=html&query=" + urllib.parse.quote(
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"))
    assert status == 400 and "SERVICE" in text_of(body)
    status, _, body = get(site + "/sparql?format=html&query=SELEKT")
    assert status == 400 and "syntax" in text_of(body).lower()
    # the release's prefixes are predeclared in the box, and errors count the user's own lines
    status, _, body = get(site + "/sparql?format=html&query=" + urllib.parse.quote("SELECT ?l WHERE { CHEBI:9168 rdfs:label ?l }"))
    assert status == 200 and "<td>sirolimus</td>" in body.decode()
    status, _, body = get(site + "/sparql?format=html&query=" + urllib.parse.quote("SELECT ?l WHERE {\n  CHEBI:9168 rdfs:label }"))
    assert status == 400 and "line 2" in text_of(body)


def test_pathway_picture(site: str) -> None:
    import shutil

    if not shutil.which("dot"):
        pytest.skip("needs Graphviz (dot)")
    status, _, body = get(site + "/pathway")
    assert status == 200
    page = body.decode()
    svg = page[page.index("<svg"):page.index("</svg>")]
    for claim in ("C0183", "C0188", "C0191", "C0197"):
        assert f'href="/claim/{claim}"' in svg
    assert "18 claims" in text_of(body).replace("(18)", "18 claims")
    status, headers, data = get(site + "/pathway.svg", accept="*/*")
    assert headers["Content-Type"] == "image/svg+xml" and data.lstrip().startswith(b"<?xml")
    status, headers, data = get(site + "/pathway.png", accept="*/*")
    assert headers["Content-Type"] == "image/png" and data.startswith(b"\x89PNG\r\n\x1a\n")
    status, headers, data = get(site + "/diagram/CHEBI:68478.svg", accept="*/*")
    assert status == 200 and b'/claim/C0197' in data
    status, _, _ = get(site + "/diagram/NOPE:1.svg", accept="*/*")
    assert status == 404
    status, _, body = get(site + "/diagram/CHEBI:999999999.svg", accept="*/*")
    assert status == 404 and "CHEBI_999999999" in text_of(body)


def test_static_css(site: str) -> None:
    status, headers, body = get(site + "/static/gerokg.css", accept="text/css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert b"url(" not in body and b"@import" not in body  # nothing fetched from elsewhere


def test_search_ranking_on_a_small_store() -> None:
    """The ranking rules, on a store made for the purpose (no server needed)."""
    import pyoxigraph as ox

    from gerokg.pages.web import Site

    st = ox.Store()
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    exact = ox.NamedNode("http://www.geneontology.org/formats/oboInOwl#hasExactSynonym")
    rows = [("A", label, "kinase"), ("B", label, "protein kinase"), ("C", label, "kinase inhibitor"),
            ("D", label, "Multi-line\nkinase\tlabel"), ("E", exact, "kinase"), ("E", label, "enzyme E"),
            ("F", label, "tyrosine-protein kinase activity"), ("G", label, "kinases")]
    for s, p, o in rows:
        st.add(ox.Quad(ox.NamedNode("http://example.org/" + s), p, ox.Literal(o)))
    site = Site(st, lambda *a: (200, b"", "", False))
    hits = [h.iri.rsplit("/", 1)[1] for h in site.search_terms("KINASE")]
    # exact label, exact synonym, prefixes (shortest first), word starts, anywhere
    assert hits == ["A", "E", "G", "C", "B", "D", "F"]
    assert [h.iri.rsplit("/", 1)[1] for h in site.search_terms("multi-line kinase label")] == ["D"]
    assert [h.iri.rsplit("/", 1)[1] for h in site.search_terms("protein kinase")] == ["B", "F"]
    assert [h.iri.rsplit("/", 1)[1] for h in site.search_terms("tyrosine activity")] == ["F"]
    assert site.search_terms("   ") == []
    assert [h.iri.rsplit("/", 1)[1] for h in site.search_terms("kinase", cap=2)][:2] == ["A", "E"]


def test_attack_strings_through_every_web_form(site: str) -> None:
    """The injection corpus through every parameter of every query form, the search box, the
    SPARQL box and the term and claim routes: answered 200, 400 or 404 with the value shown
    escaped, never a 500, never markup of the attacker's."""
    from test_injection import ATTACKS

    parameterised = [q for q in list_queries() if q.params]
    raw_markup = re.compile(r"<(script|img|svg|iframe)[\s>/]", re.I)
    for attack in ATTACKS:
        quoted = urllib.parse.quote(attack, safe="")
        paths = [f"/search?q={quoted}", f"/term/{quoted}", f"/claim/{quoted}",
                 f"/sparql?format=html&query={quoted}"]
        paths += [f"/query/{q.name}?{q.params[0].name}={quoted}" for q in parameterised]
        for path in paths:
            status, headers, body = get(site + path)
            assert status in (200, 400, 403, 404), (path, status)
            assert headers["Content-Type"].startswith("text/html"), path
            page = body.decode("utf-8")
            # the page's own markup has no script, img or iframe; the attack's must not appear
            assert not raw_markup.search(page.replace("<svg", "<graphviz-svg")), (path, attack)


def test_every_labelled_term_has_a_page(site: str, store) -> None:
    """Every IRI with a label in the release (classes, properties, claims, sections, quantities)
    opens a page."""
    import pyoxigraph as ox

    from gerokg.pages.web import term_href

    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    iris = sorted({q.subject.value for q in store.ox.quads_for_pattern(None, label, None)
                   if isinstance(q.subject, ox.NamedNode)})
    assert len(iris) > 1000
    failed = []
    for iri in iris:
        status, _, _ = get(site + term_href(iri))
        if status != 200:
            failed.append((status, iri))
    assert failed == []


def test_documentation_is_served(site: str) -> None:
    status, headers, _ = get(site + "/docs", follow=False)
    assert status == 301 and headers["Location"] == "/docs/"
    status, headers, body = get(site + "/docs/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode()
    assert 'id="GEROKG_0000310"' in page and "gerosuppressant" in page
    assert "rapamycin operates as a gerosuppressant" in page  # the definition's source quote
    assert "style-src 'unsafe-inline'" in headers["Content-Security-Policy"]
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', page)
    status, _, body = get(site + "/docs/queries.html")
    assert status == 200 and "Quantitative findings" in body.decode()
    status, _, _ = get(site + "/docs/../../etc/passwd")
    assert status == 404
    status, _, _ = get(site + "/docs/nope.html")
    assert status == 404


def test_query_form_takes_a_label_and_offers_the_claims_terms(site: str) -> None:
    status, _, body = get(site + "/query/quantitative-findings?organism=mus+MUSCULUS")
    page = body.decode()
    text = text_of(body)
    assert status == 200 and "(3 rows)" in text
    assert "organism: “mus MUSCULUS” read as NCBITaxon:10090 (Mus musculus)" in text
    # the download link carries the CURIE the label was read as
    assert "organism=NCBITaxon%3A10090&amp;format=csv" in page
    # the term fields offer the terms the claims use, with their labels
    assert 'list="suggest-curie"' in page and '<option value="NCBITaxon:10090">Mus musculus</option>' in page
    # a label of one term and a synonym of another: the label wins
    status, _, body = get(site + "/query/subclasses?class=mTOR+inhibitor")
    assert status == 200 and "read as CHEBI:68481 (mTOR inhibitor)" in text_of(body)
    # an iri parameter gets the IRI
    status, _, body = get(site + "/query/claims-in-section?section=Abstract+block")
    assert status == 200 and "read as gkr:section-abstract" in text_of(body)
    # two terms with the same label: the form asks for a CURIE
    status, _, body = get(site + "/query/subclasses?class=duplicate+label")
    text = text_of(body)
    assert status == 400 and "'duplicate label' is the label of 2 terms" in text
    assert "GEROKG:9999991 (duplicate label); GEROKG:9999992 (duplicate label)" in text
    # not a label of anything: the resolver says so
    status, _, body = get(site + "/query/subclasses?class=no+such+thing")
    assert status == 400 and "no term has 'no such thing' as CURIE, IRI, label or synonym" in text_of(body)
    # the review's own names for a drug
    status, _, body = get(site + "/query/term-dossier?term=Rapamune")
    assert status == 200 and "term: “Rapamune” read as CHEBI:9168 (sirolimus)" in text_of(body)


def test_root_path_behind_a_proxy() -> None:
    """With --root-path /kg every link of the pages starts with /kg (the proxy strips it)."""
    from gerokg.serving.server import EndpointConfig, start_server

    handle = start_server(EndpointConfig(port=0, root_path="/kg"))
    try:
        for path in ("/", "/term/CHEBI:68478", "/query/quantitative-findings", "/pathway", "/sparql?query=" +
                     urllib.parse.quote("SELECT ?c WHERE { ?c a <https://w3id.org/gerokg/schema/Claim> } LIMIT 3")):
            _, _, body = get(handle.url + path)
            page = body.decode()
            links = re.findall(r'(?:href|action|xlink:href)="(/[^"]*)"', page)
            assert links, path
            assert [x for x in links if not x.startswith("/kg/")] == [], path
        status, headers, _ = get(handle.url + "/search?q=everolimus&go=1", follow=False)
        assert status == 303 and headers["Location"] == "/kg/term/CHEBI:68478"
    finally:
        handle.stop()


def test_root_path_option_is_checked() -> None:
    from click.testing import CliRunner

    from gerokg.cli import main

    res = CliRunner().invoke(main, ["serve", "--root-path", "/a b"])
    assert res.exit_code == 2 and "--root-path" in res.output


@pytest.fixture(scope="module")
def release_site():
    """The search of the web pages on the release's own store, without a server."""
    from gerokg.pages.web import Site
    from gerokg.release.release import default_store

    return Site(default_store().ox, lambda *a: (200, b"", "", False))


def _hits(site, text: str) -> list[tuple[str, str, str]]:
    from gerokg.rdf.rdfio import compact_iri

    return [(compact_iri(h.iri), h.label, h.kind) for h in site.search_terms(text)]


def test_search_finds_the_drug_by_the_reviews_names(release_site) -> None:
    assert _hits(release_site, "rapamycin")[0] == ("CHEBI:9168", "sirolimus", "synonym")
    assert _hits(release_site, "Rapamune")[0] == ("CHEBI:9168", "sirolimus", "synonym")
    assert _hits(release_site, "deforolimus")[0] == ("CHEBI:82677", "ridaforolimus", "synonym")
    assert _hits(release_site, "temserolimus")[0] == ("CHEBI:79699", "Temsirolimus", "synonym")
    page = release_site.search({"q": ["rapamycin"]}).body.decode()
    hits = re.findall(r'<li><a href="(/term/[^"]+)">([^<]+)</a>', page)
    assert hits[0] == ("/term/CHEBI:9168", "sirolimus") and 'synonym “rapamycin”' in page


def test_search_tolerates_typos_and_jumps_to_a_curie(release_site) -> None:
    assert _hits(release_site, "rapamicyn")[0] == ("CHEBI:9168", "sirolimus", "spelled alike")
    assert _hits(release_site, "gerconversion")[0][:2] == ("GEROKG:0000001", "geroconversion")
    assert _hits(release_site, "everol")[0][:2] == ("CHEBI:68478", "everolimus")  # a prefix
    assert _hits(release_site, "chebi:68478")[0] == ("CHEBI:68478", "everolimus", "identifier")
    page = release_site.search({"q": ["CHEBI:9168"], "go": ["1"]})
    assert page.status == 303 and page.headers["Location"] == "/term/CHEBI:9168"
    assert _hits(release_site, "qwertyuiop") == []


def test_search_also_finds_claims_by_their_words(release_site) -> None:
    found = release_site.search_claims("proliferating cells")
    assert [iri.rsplit("/", 1)[1] for iri, _quote in found][:3] == ["C0095", "C0096", "C0097"]
    assert all("proliferating cells" in quote.casefold() for _iri, quote in found)
    page = release_site.search({"q": ["proliferating cells"]}).body.decode()
    assert "Claims quoting “proliferating cells”" in page and 'href="/claim/C0095"' in page
    assert release_site.search_claims("ab") == []  # too short to search quotes


def test_a_name_finds_its_term_page_and_data(site: str) -> None:
    """People type names: /term/rapamycin is sirolimus's page (303 to its CURIE) and
    /term/Rapamune.ttl its data; a name that fits nothing is a 404 naming the name."""
    status, headers, _ = get(site + "/term/rapamycin", follow=False)
    assert status == 303 and headers["Location"].endswith("/term/CHEBI:9168")
    status, headers, body = get(site + "/term/Rapamune.ttl", accept="*/*")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert b"CHEBI:9168" in body and b"sirolimus" in body
    status, _, body = get(site + "/term/no%20such%20drug%20name")
    assert status == 404 and "no such drug name" in text_of(body)
