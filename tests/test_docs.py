"""The HTML documentation (``gerokg docs``): the pyLODE ontology page and the query catalogue."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS

pytest.importorskip("pylode", reason="gerokg docs needs pyLODE (pip install pylode==3.3.4)")

from gerokg._version import __version__
from gerokg.pages.docs import (
    DOCS_FILES,
    MAX_ROWS,
    NATIVE_NS,
    DocsError,
    native_terms,
    render_catalogue,
    write_docs,
)
from gerokg.querying.canned import list_queries, load_query

IAO_DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
QUOTE = URIRef("https://w3id.org/gerokg/schema/quote")
# labels as in ontology/imports/*_terms.txt
EVEROLIMUS = ("http://purl.obolibrary.org/obo/CHEBI_68478", "everolimus")
CELLULAR_PROCESS = ("http://purl.obolibrary.org/obo/GO_0009987", "cellular process")
CANCER = ("http://purl.obolibrary.org/obo/MONDO_0004992", "cancer")


@pytest.fixture(scope="module")
def release_graph() -> Graph:
    import gerokg

    return gerokg.load_graph()


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory, release_graph: Graph) -> dict[str, object]:
    """One documentation build shared by the tests, with the progress messages it gave."""
    out = tmp_path_factory.mktemp("docs") / "docs"
    messages: list[str] = []
    paths = write_docs(out, release=release_graph, progress=messages.append)
    return {"out": out, "paths": paths, "messages": messages,
            "index": (out / "index.html").read_text(encoding="utf-8"),
            "queries": (out / "queries.html").read_text(encoding="utf-8")}


def _term(graph: Graph, label: str) -> URIRef:
    found = [s for s in graph.subjects(RDFS.label, Literal(label)) if str(s).startswith(NATIVE_NS)]
    assert len(found) == 1, f"one native term labelled {label!r} expected, found {found}"
    return found[0]  # type: ignore[return-value]


def _entity(page: str, term: str) -> str:
    """The HTML of one term's block on the ontology page (its anchor is the opaque id)."""
    anchor = f'id="{term.rsplit("/", 1)[1]}"'
    assert page.count(anchor) == 1, f"no single block {anchor}"
    start = page.index(anchor)
    end = page.find('<div class="property entity"', start)
    return page[start:end if end != -1 else len(page)]


def _section(page: str, name: str) -> str:
    start = page.index(f'<section id="{name}">')
    return page[start:page.index("</section>", start)]


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)))


def test_writes_the_two_pages_and_no_staging_left(docs) -> None:
    out: Path = docs["out"]  # type: ignore[assignment]
    assert [p.name for p in docs["paths"]] == list(DOCS_FILES)  # type: ignore[attr-defined]
    assert sorted(p.name for p in out.iterdir()) == sorted(DOCS_FILES)
    assert not [p for p in out.parent.iterdir() if ".staging-" in p.name]
    assert any("pyLODE" in m for m in docs["messages"])  # type: ignore[attr-defined]


def test_gerosuppressant_has_label_definition_and_source_quote(docs, release_graph: Graph) -> None:
    term = _term(release_graph, "gerosuppressant")
    definition = str(release_graph.value(term, IAO_DEFINITION))
    # the release keeps the definition's source as an axiom annotation on the definition
    axioms = [ax for ax in release_graph.subjects(OWL.annotatedSource, term)
              if (ax, OWL.annotatedProperty, IAO_DEFINITION) in release_graph]
    quote = str(release_graph.value(axioms[0], QUOTE))
    assert definition.startswith("A biological role played by a chemical entity that inhibits geroconversion")
    assert quote.startswith("rapamycin operates as a gerosuppressant")
    block = _entity(docs["index"], term)  # type: ignore[arg-type]
    assert re.search(r"<h3>gerosuppressant\s*<sup", block)
    assert f"<p>{html.escape(definition, quote=False)}</p>" in block
    assert f"<p>{html.escape(quote, quote=False)}</p>" in block
    assert ">Definition Source Quote</a>" in block and ">Definition</a>" in block
    assert '<a href="http://purl.obolibrary.org/obo/CHEBI_24432">biological role</a>' in block  # parent


def test_every_native_term_has_a_block(docs, release_graph: Graph) -> None:
    terms = native_terms(release_graph)
    assert len(terms) >= 70
    for t in terms:
        block = _entity(docs["index"], t)  # type: ignore[arg-type]
        assert html.escape(str(release_graph.value(t, RDFS.label)), quote=False) in block
        assert ">Definition</a>" in block, t
    # external terms are linked, not documented as terms of their own
    assert 'id="CHEBI_68478"' not in docs["index"]  # type: ignore[operator]


def test_links_to_chebi_go_and_mondo(docs, release_graph: Graph) -> None:
    page: str = docs["index"]  # type: ignore[assignment]
    rapalog = _entity(page, _term(release_graph, "rapalog"))
    assert f'<a href="{EVEROLIMUS[0]}">{EVEROLIMUS[1]}</a>' in rapalog  # a named subclass
    geroconversion = _entity(page, _term(release_graph, "geroconversion"))
    assert f'<a href="{CELLULAR_PROCESS[0]}">{CELLULAR_PROCESS[1]}</a>' in geroconversion
    assert "conversion to senescence" in geroconversion  # exact synonym
    assert f'<a href="{CANCER[0]}">{CANCER[1]}</a>' in page
    # native terms link within the page, by opaque id
    negative = _entity(page, _term(release_graph, "negative regulation of geroconversion"))
    assert re.search(r'<a href="#GEROKG_\d{7}">geroconversion</a>', negative)


def test_metadata_block(docs) -> None:
    page: str = docs["index"]  # type: ignore[assignment]
    meta = page[page.index('id="metadata"'):page.index('id="classes"')]
    assert "<h1>gerokg: the geroconversion ontology</h1>" in meta
    assert "<title>gerokg: the geroconversion ontology</title>" in page
    assert "https://w3id.org/gerokg/gerokg.owl" in meta
    assert '<a href="https://creativecommons.org/licenses/by/4.0/">' in meta
    assert ">Version Info</a>" in meta and f"<p>{__version__}</p>" in meta
    assert "An OWL ontology of geroconversion and its control by mTOR" in meta
    namespaces = page[page.index('<div id="namespaces">'):]
    assert '<dt id="GEROKG">GEROKG</dt>' in namespaces and "https://w3id.org/gerokg/GEROKG_" in namespaces
    assert '<dt id="CHEBI">CHEBI</dt>' in namespaces
    assert '<a href="queries.html">' in page


def test_pages_load_nothing_from_the_network(docs) -> None:
    for name in DOCS_FILES:
        page: str = docs[name.split(".")[0]]  # type: ignore[assignment]
        assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I), name
        for tag in re.findall(r"<link\b[^>]*>", page, re.I):
            assert re.search(r'href="data:', tag), (name, tag)
        assert not re.search(r"<(img|iframe|embed|object|audio|video|source)\b[^>]*\bsrc\s*=\s*\"?(https?:)?//",
                             page, re.I), name
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", page, re.I), name


def test_catalogue_lists_every_competency_query(docs) -> None:
    # the catalogue page is a Jinja template: text is escaped by markupsafe (&#39; where html.escape wrote &#x27;)
    from markupsafe import escape

    page: str = docs["queries"]  # type: ignore[assignment]
    queries = list_queries(include_qc=False)
    assert len(queries) >= 20
    for q in queries:
        section = _section(page, q.name)
        assert escape(q.title) in section
        assert escape(q.question) in section
        assert f"<pre tabindex='0'><code>{escape(q.text)}</code></pre>" in section
        for p in q.params:
            assert f"<code>{escape(p.name)}</code>" in section
    for q in list_queries(include_qc=True):
        if q.is_qc:
            assert f'id="{q.name}"' not in page
    assert '<a href="index.html">' in page


def test_catalogue_shows_current_answers(docs) -> None:
    page: str = docs["queries"]  # type: ignore[assignment]
    events = _section(page, "regulatory-events")
    rows = [_text(r) for r in re.findall(r"<tr><td>.*?</tr>", events)]
    assert len(rows) == 2
    assert rows[0].split()[0] == "1999" and "sirolimus" in rows[0]
    assert rows[1].split()[0] == "2010" and "everolimus" in rows[1]
    assert "<p>2 rows.</p>" in events
    # a native term in an answer links to its block on the ontology page
    assert re.search(r'<a href="index.html#GEROKG_\d{7}"', page)
    # reference lists (the claim card's, comma-separated) are shown in numeric order
    lists = re.findall(r"<td>(\d+(?:, \d+)+)</td>", page)
    assert len(lists) > 10
    for cell in lists:
        numbers = [int(n) for n in cell.split(", ")]
        assert numbers == sorted(numbers), cell


def test_long_answers_are_cut(docs) -> None:
    edges = _section(docs["queries"], "construct-claim-edges")  # type: ignore[arg-type]
    total = int(re.search(r"<p>(\d+) triples\.</p>", edges).group(1))  # type: ignore[union-attr]
    assert total > MAX_ROWS
    assert len(re.findall(r"<tr><td>", edges)) == MAX_ROWS
    assert f"<p>{total - MAX_ROWS} more triples not shown.</p>" in edges


def test_values_are_escaped(release_graph: Graph) -> None:
    from gerokg.pages.docs import render_ontology
    from gerokg.release.store import GerokgStore

    g = Graph()
    for prefix, ns in release_graph.namespaces():
        g.bind(prefix, ns)
    g += release_graph
    term = _term(g, "gerosuppressant")
    g.remove((term, IAO_DEFINITION, None))
    g.add((term, IAO_DEFINITION, Literal("<script>alert(1)</script> *bold* _x_ & 1999. [a](b)")))
    g.set((term, RDFS.label, Literal("<b>gero</b>")))
    sirolimus = URIRef("http://purl.obolibrary.org/obo/CHEBI_9168")
    g.set((sirolimus, RDFS.label, Literal("<img src=x onerror=alert(1)>")))
    page = render_ontology(g)
    assert "<script>alert" not in page and "<b>gero" not in page
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt; *bold* _x_ &amp; 1999. [a](b)</p>" in page
    assert "&lt;b&gt;gero&lt;/b&gt;" in page
    store = GerokgStore()
    store.add_graph(g)
    catalogue = render_catalogue(store)
    assert "<img src=x" not in catalogue and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in _section(catalogue, "regulatory-events")


def test_output_is_byte_identical_across_runs(docs, tmp_path: Path) -> None:
    """A second run in a fresh process, with another hash seed, writes the same bytes."""
    out = tmp_path / "again"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    proc = subprocess.run([sys.executable, "-c", "import sys; from gerokg.pages.docs import write_docs; write_docs(sys.argv[1])",
                           str(out)], check=False, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # pyLODE's import-time logging.basicConfig(DEBUG) is undone
    first: Path = docs["out"]  # type: ignore[assignment]
    for name in DOCS_FILES:
        assert (out / name).read_bytes() == (first / name).read_bytes(), name


def test_unwritable_output_is_a_clear_error(tmp_path: Path, release_graph: Graph) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(DocsError, match=re.escape(str(blocker))):
        write_docs(blocker, release=release_graph)
    with pytest.raises(DocsError, match=re.escape(str(blocker / "docs"))):
        write_docs(blocker / "docs", release=release_graph)
    with pytest.raises(DocsError, match="no such release file"):
        write_docs(tmp_path / "out", release=tmp_path / "missing.nt")
    assert blocker.read_text() == "x"


def test_query_text_helpers() -> None:
    from gerokg.pages.docs import _concat_separators, _order_vars

    q = load_query("gerosuppressants")
    assert _concat_separators(q.text) == {"context": "; ", "quantities": "; ", "references": ", "}
    assert _order_vars(q.text) == ["drugLabel", "claim"]
    assert _order_vars(load_query("claims-by-kind").text) == ["claims", "kind"]
    assert _order_vars(load_query("construct-claim-edges").text) is None
