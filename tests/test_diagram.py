"""Pathway diagrams drawn from the graph: Figure 1, term neighbourhoods, styles, links, rendering.

Expected claim sets are read from the curated claims file, independently of the SPARQL selection
the module makes; the term labels checked in the SVG are those of ontology/gerokg-edit.ttl and
ontology/imports/*_terms.txt.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from gerokg.answers.explain import UnknownTermError
from gerokg.errors import GerokgError, ParameterError
from gerokg.pages.diagram import (
    DEFAULT_EXCLUDED_KINDS,
    EDGE_STYLES,
    NODE_STYLES,
    GraphvizError,
    figure_dot,
    neighbourhood_dot,
    render,
    write_diagram,
)
from gerokg.resources import ontology_dir

needs_dot = pytest.mark.skipif(shutil.which("dot") is None,
                               reason="Graphviz 'dot' is not installed (apt-get install graphviz)")

CLAIM = "https://w3id.org/gerokg/claim/"
OBO = "http://purl.obolibrary.org/obo/"
SVG_NS = {"svg": "http://www.w3.org/2000/svg", "xlink": "http://www.w3.org/1999/xlink"}
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _claims_yaml() -> list[dict]:
    with open(ontology_dir() / "claims" / "review-claims.yaml", encoding="utf-8") as fh:
        claims = yaml.safe_load(fh)["claims"]
    for c in claims:
        for key in ("subject", "predicate", "object"):
            c[key] = c[key].split(" ! ")[0].strip()
    return claims


_ATTR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|<.*?>(?=\s\w+=|\]))')
_EDGE = re.compile(r'^\s*"([^"]+)" -> "([^"]+)" \[(.*)\]$')
_NODE = re.compile(r'^\s*"([^"]+)" \[(.*)\]$')


def _unescape(value: str) -> str:
    """A DOT string's value: ``\\n`` (a line break in a label or tooltip) becomes a space."""
    return re.sub(r"\\(.)", lambda m: " " if m.group(1) == "n" else m.group(1), value)


def _attrs(text: str) -> dict[str, str]:
    return {k: _unescape(v[1:-1]) if v.startswith('"') else v for k, v in _ATTR.findall(text)}


def _edges(dot: str) -> list[tuple[str, str, dict[str, str]]]:
    """The drawing's edges (the legend's sample edges left out)."""
    out = []
    for line in dot.splitlines():
        m = _EDGE.match(line)
        if m and not m.group(1).startswith("legend_"):
            out.append((m.group(1), m.group(2), _attrs(m.group(3))))
    return out


def _nodes(dot: str) -> dict[str, dict[str, str]]:
    out = {}
    for line in dot.splitlines():
        m = _NODE.match(line)
        if m and not m.group(1).startswith("legend_"):
            out[m.group(1)] = _attrs(m.group(2))
    return out


def _claim_ids(dot: str) -> set[str]:
    return {a["id"][len("claim-"):] for _, _, a in _edges(dot) if a.get("id", "").startswith("claim-")}


def _contrast(fg: str, bg: str) -> float:
    def lum(h: str) -> float:
        c = [int(h.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture(scope="module")
def fig(store) -> str:
    return figure_dot(store)


@pytest.fixture(scope="module")
def fig_local(store) -> str:
    return figure_dot(store, link_base="/")


@pytest.fixture(scope="module")
def fig_svg(fig_local) -> bytes:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz 'dot' is not installed (apt-get install graphviz)")
    return render(fig_local, "svg")


# --------------------------------------------------------------------------------------------
# Figure 1: what is drawn
# --------------------------------------------------------------------------------------------


def test_figure_draws_exactly_the_claims_of_the_legend(fig) -> None:
    expected = {c["id"] for c in _claims_yaml() if c["section"] == "figure-1" and c["kind"] != "open_question"}
    assert expected >= {"C0183", "C0188", "C0191", "C0192", "C0195", "C0198"}
    assert _claim_ids(fig) == expected
    # one edge per claim, even where several claims join the same pair
    assert len([e for e in _edges(fig) if e[2]["id"].startswith("claim-")]) == len(expected)


def test_growth_factor_activates_pi3k_mtor_signaling(fig) -> None:
    edge = next(a for s, o, a in _edges(fig) if a["id"] == "claim-C0183")
    assert next((s, o) for s, o, a in _edges(fig) if a["id"] == "claim-C0183") == ("GEROKG:0000063", "GEROKG:0000009")
    assert edge["URL"] == CLAIM + "C0183"
    assert edge["arrowhead"] == "normal" and edge["style"] == "solid"
    assert edge["color"] == EDGE_STYLES["positive"]["color"]
    # a growth factor is a material entity: 'capable of positively regulating', not 'causally upstream of'
    assert "capable of positively regulating" in edge["label"]
    # the tooltip: claim id, relation and the verbatim quote
    assert edge["tooltip"].startswith("C0183 (mechanism, affirmed): growth factor")
    assert "Growth factors, cytokines, insulin, nutrients, and oncoproteins activate" in edge["tooltip"]


def test_rapalogs_inhibit_torc1_with_a_tee(fig) -> None:
    inhibitions = {(s, o): a for s, o, a in _edges(fig) if a["id"] in ("claim-C0193", "claim-C0194", "claim-C0195")}
    assert set(inhibitions) == {("CHEBI:9168", "GO:0038202"), ("CHEBI:68478", "GO:0038202"),
                                ("GEROKG:0000054", "GO:0038202")}
    for a in inhibitions.values():
        assert a["arrowhead"] == "tee" and a["color"] == EDGE_STYLES["negative"]["color"]
        assert "is small molecule inhibitor of" in a["label"]
    # rapalogs suppress geroconversion: capable of a process defined as negatively regulating it
    defined = [(s, o, a) for s, o, a in _edges(fig) if a["id"].startswith("def-")]
    assert [(s, o) for s, o, _ in defined] == [("GEROKG:0000001", "GO:0090398"),
                                               ("GEROKG:0000002", "GEROKG:0000001"),
                                               ("GEROKG:0000009", "GO:0031929")]
    # part-whole axioms: geroconversion is part of cellular senescence, and PI3K/mTOR signaling
    # has part TOR signaling, which joins the growth-signal half of the figure to the mTOR half
    assert "part of (ontology)" in defined[0][2]["label"]
    assert "has part (ontology)" in defined[2][2]["label"]
    assert defined[1][2]["arrowhead"] == "tee" and defined[1][2]["style"] == "dotted"


def test_every_edge_is_linked_to_its_claim_or_term(fig) -> None:
    edges = _edges(fig)
    for s, _o, a in edges:
        if a["id"].startswith("claim-"):
            assert a["URL"] == CLAIM + a["id"][len("claim-"):]
        else:  # ontology context: is a, definitions, linked to the subclass or defined term
            assert a["id"].startswith(("isa-", "def-")) and a["style"] == "dotted"
            assert a["URL"] == _nodes(fig)[s]["URL"]
    isa = {(s, o) for s, o, a in edges if a["id"].startswith("isa-")}
    assert isa == {("CHEBI:9168", "GEROKG:0000054"), ("CHEBI:68478", "GEROKG:0000054"),
                   ("GO:0038202", "GO:0031929"), ("GEROKG:0000300", "GO:0031929")}


def test_without_context_every_edge_is_a_claim(store) -> None:
    dot = figure_dot(store, context=False)
    assert all(a["id"].startswith("claim-") and a["URL"].startswith(CLAIM) for _, _, a in _edges(dot))


def test_nodes_link_to_their_terms_and_show_their_kind(fig, fig_local) -> None:
    nodes, local = _nodes(fig), _nodes(fig_local)
    assert nodes["CHEBI:68478"]["URL"] == OBO + "CHEBI_68478"
    assert nodes["GEROKG:0000063"]["URL"] == "https://w3id.org/gerokg/GEROKG_0000063"
    assert local["CHEBI:68478"]["URL"] == "/term/CHEBI:68478"
    assert nodes["CHEBI:68478"]["shape"] == NODE_STYLES["chemical"]["shape"]
    assert nodes["GO:0038202"]["shape"] == NODE_STYLES["process"]["shape"]
    assert nodes["MONDO:0004992"]["shape"] == NODE_STYLES["disease"]["shape"]
    # native terms: double outline, the shape of their nearest external ancestor's source
    assert nodes["GEROKG:0000009"]["peripheries"] == "2"
    assert nodes["GEROKG:0000009"]["shape"] == NODE_STYLES["process"]["shape"]   # under GO
    assert nodes["GEROKG:0000054"]["shape"] == NODE_STYLES["chemical"]["shape"]  # rapalog, under ChEBI
    assert "peripheries" not in nodes["CHEBI:68478"]


def test_link_base_routes_into_the_web_app(fig_local, store) -> None:
    edge = next(a for _, _, a in _edges(fig_local) if a["id"] == "claim-C0183")
    assert edge["URL"] == "/claim/C0183"
    remote = figure_dot(store, link_base="http://127.0.0.1:8000")
    assert 'URL="http://127.0.0.1:8000/claim/C0183"' in remote
    assert 'URL="http://127.0.0.1:8000/term/CHEBI:68478"' in remote
    for bad in ("javascript:alert(1)", 'x" onload="y', "relative/path"):
        with pytest.raises(ParameterError, match="link base"):
            figure_dot(store, link_base=bad)


# --------------------------------------------------------------------------------------------
# neighbourhoods
# --------------------------------------------------------------------------------------------


def test_everolimus_neighbourhood_has_its_claims(store) -> None:
    dot = neighbourhood_dot("CHEBI:68478", store)
    expected = {c["id"] for c in _claims_yaml()
                if "CHEBI:68478" in (c["subject"], c["object"]) and c["kind"] not in DEFAULT_EXCLUDED_KINDS}
    assert {"C0194", "C0197"} <= expected
    assert _claim_ids(dot) == expected
    assert _nodes(dot)["CHEBI:68478"]["penwidth"] == "2"  # the focus term stands out
    assert "Claims about everolimus (CHEBI:68478)" in dot
    # the same by IRI
    assert neighbourhood_dot(OBO + "CHEBI_68478", store) == dot


def test_negated_claims_are_dashed_and_say_not(store) -> None:
    negated = [c for c in _claims_yaml() if c["polarity"] == "negated" and c["subject"] == "CHEBI:68478"]
    assert negated
    edges = {a["id"]: a for _, _, a in _edges(neighbourhood_dot("CHEBI:68478", store))}
    for c in negated:
        a = edges[f"claim-{c['id']}"]
        assert a["style"] == "dashed" and a["color"] == EDGE_STYLES["negated"]["color"]
        assert a["label"].startswith(f"{c['id']}: NOT ")


def test_open_questions_are_left_out_unless_asked(store) -> None:
    q = next(c for c in _claims_yaml() if c["kind"] == "open_question" and c["subject"] == "GEROKG:0000054")
    assert q["id"] not in _claim_ids(neighbourhood_dot("GEROKG:0000054", store))
    assert q["id"] in _claim_ids(neighbourhood_dot("GEROKG:0000054", store, exclude_kinds=()))


def test_depth_widens_the_neighbourhood(store) -> None:
    one = _claim_ids(neighbourhood_dot("CHEBI:68478", store))
    two = _claim_ids(neighbourhood_dot("CHEBI:68478", store, depth=2))
    assert one < two
    assert "C0193" in two  # sirolimus inhibits TORC1 signaling, reached through TORC1 signaling


def test_neighbourhood_adds_superclasses_the_review_talks_about(store) -> None:
    # everolimus is a rapalog (claim C0002); ChEBI's structural parents (ether, ...) are not drawn
    nodes = _nodes(neighbourhood_dot("CHEBI:9168", store))
    assert "GEROKG:0000054" in nodes and "CHEBI:25698" not in nodes
    # rapalog's neighbourhood shows its member drugs as is-a context
    rapalog = neighbourhood_dot("GEROKG:0000054", store)
    assert ("CHEBI:68478", "GEROKG:0000054") in {(s, o) for s, o, a in _edges(rapalog)
                                                 if a["id"].startswith(("isa-", "claim-"))}


@pytest.mark.parametrize("term", ["CHEBI:99999999", "FOO:1", "not a curie", "http://example.org/unknown",
                                  "CHEBI:1>2"])
def test_unknown_term_raises(term: str, store) -> None:
    with pytest.raises(UnknownTermError) as exc:
        neighbourhood_dot(term, store)
    assert isinstance(exc.value, GerokgError) and isinstance(exc.value, LookupError)
    assert "CHEBI:68478" in str(exc.value) or "not a term of the gerokg graph" in str(exc.value)


def test_depth_out_of_range(store) -> None:
    for depth in (0, 4, True):
        with pytest.raises(ParameterError, match="depth"):
            neighbourhood_dot("CHEBI:68478", store, depth=depth)


# --------------------------------------------------------------------------------------------
# styles: colour-blind safe, contrast
# --------------------------------------------------------------------------------------------


def test_edge_styles_differ_by_more_than_colour() -> None:
    shapes = [(s["style"], s["arrowhead"]) for s in EDGE_STYLES.values()]
    assert len(set(shapes)) == len(shapes)
    assert EDGE_STYLES["positive"]["arrowhead"] == "normal" and EDGE_STYLES["negative"]["arrowhead"] == "tee"
    assert len({s["shape"] for s in NODE_STYLES.values()}) == len(NODE_STYLES)


def test_text_contrast_is_at_least_4_5() -> None:
    for name, s in EDGE_STYLES.items():
        assert _contrast(s["fontcolor"], "#FFFFFF") >= 4.5, name
        assert _contrast(s["color"], "#FFFFFF") >= 3.0, name  # graphics: WCAG 1.4.11
    for name, s in NODE_STYLES.items():
        for text in ("#1a1a1a", "#404040"):
            assert _contrast(text, s["fillcolor"]) >= 4.5, name


def test_every_colour_in_the_drawing_is_a_checked_one(fig) -> None:
    palette = {v.upper() for s in (*EDGE_STYLES.values(), *NODE_STYLES.values()) for v in s.values()
               if v.startswith("#")}
    used = {c.upper() for c in re.findall(r'(?:color|fontcolor|COLOR)="(#[0-9A-Fa-f]{6})"', fig)}
    assert used - palette <= {"#1A1A1A", "#404040", "#4D4D4D", "#6B6B6B", "#FFFFFF"}


# --------------------------------------------------------------------------------------------
# rendering
# --------------------------------------------------------------------------------------------


@needs_dot
def test_svg_links_edges_to_claims_and_shows_the_labels(fig_svg) -> None:
    root = ET.fromstring(fig_svg)
    edge = root.find(".//svg:g[@id='claim-C0183']", SVG_NS)
    assert edge is not None and edge.get("class") == "edge"
    anchors = edge.findall(".//svg:a", SVG_NS)
    assert anchors and all(a.get(XLINK_HREF) == "/claim/C0183" for a in anchors)
    assert all("oncoproteins activate the phosphoinositide-3-kinase" in a.get(XLINK_TITLE, "") for a in anchors)
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    # labels as in ontology/gerokg-edit.ttl and ontology/imports/{chebi,go}_terms.txt
    for label in ("growth factor", "PI3K/mTOR signaling", "TORC1 signaling", "TOR signaling", "sirolimus",
                  "everolimus", "rapalog", "insulin", "geroconversion", "cancer"):
        assert label in texts, label
    node = root.find(".//svg:g[@id='term-CHEBI_68478']", SVG_NS)
    assert node is not None and node.find(".//svg:a", SVG_NS).get(XLINK_HREF) == "/term/CHEBI:68478"
    claim_groups = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if (g.get("id") or "").startswith("claim-")]
    assert len(claim_groups) == 18


@needs_dot
def test_svg_references_nothing_external(fig_svg, store) -> None:
    for svg in (fig_svg, render(figure_dot(store), "svg")):
        text = svg.decode("utf-8")
        assert "<!DOCTYPE" not in text
        for bad in ("<image", "<style", "@import", "url(", "@font-face", "<script", "<foreignObject"):
            assert bad not in text
        root = ET.fromstring(svg)
        for el in root.iter():
            if el.get(XLINK_HREF) is not None or el.get("href") is not None:
                assert el.tag == "{http://www.w3.org/2000/svg}a"


@needs_dot
def test_png_and_determinism(store, fig_local) -> None:
    png = render(fig_local, "png")
    assert png.startswith(PNG_SIGNATURE)
    assert render(fig_local, "png") == png
    assert figure_dot(store, link_base="/") == fig_local
    assert render(fig_local, "svg") == render(figure_dot(store, link_base="/"), "svg")
    ev = neighbourhood_dot("CHEBI:68478", store, depth=2)
    assert neighbourhood_dot("CHEBI:68478", store, depth=2) == ev
    assert render(ev, "svg") == render(ev, "svg")


def test_dot_text_does_not_depend_on_the_hash_seed(fig) -> None:
    code = "import sys; from gerokg.pages.diagram import figure_dot; sys.stdout.write(figure_dot())"
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}).stdout.decode("utf-8")
        assert out == fig


@needs_dot
def test_quotes_and_backslashes_in_a_claim_survive(full_graph) -> None:
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF

    from gerokg.release.store import GerokgStore

    gks = "https://w3id.org/gerokg/schema/"
    g = full_graph.__class__()
    claim = URIRef(CLAIM + "C9999")
    quote = 'a "quoted" word, a back\\slash \\n and <angle> & {braces}'
    for p, o in ((RDF.type, URIRef(gks + "Claim")), (URIRef(gks + "section"), URIRef("https://w3id.org/gerokg/review/section-figure-1")),
                 (URIRef(gks + "subject"), URIRef(OBO + "CHEBI_68478")), (URIRef(gks + "predicate"), URIRef(OBO + "RO_0012006")),
                 (URIRef(gks + "object"), URIRef(OBO + "GO_0031929")), (URIRef(gks + "polarity"), URIRef(gks + "affirmed")),
                 (URIRef(gks + "kind"), URIRef(gks + "hypothesis")), (URIRef(gks + "quote"), Literal(quote))):
        g.add((claim, p, o))
    st = GerokgStore()
    st.add_graph(full_graph)
    st.add_graph(g)
    svg = render(figure_dot(st), "svg")
    edge = ET.fromstring(svg).find(".//svg:g[@id='claim-C9999']", SVG_NS)
    assert edge is not None
    title = edge.find(".//svg:a", SVG_NS).get(XLINK_TITLE)
    assert quote in title and "(hypothesis)" in title


def test_render_errors(monkeypatch: pytest.MonkeyPatch, fig) -> None:
    with pytest.raises(ParameterError, match="svg, png or dot"):
        render(fig, "gif")
    assert render(fig, "dot") == fig.encode("utf-8")
    monkeypatch.setenv("GEROKG_DOT", "no-such-graphviz-dot")
    with pytest.raises(GraphvizError, match="apt-get install graphviz"):
        render(fig, "svg")


@needs_dot
def test_render_reports_dot_errors_and_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(GraphvizError, match="syntax error"):
        render("digraph { a -> [ }", "svg")

    def slow(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], kwargs.get("timeout"))

    monkeypatch.setattr(subprocess, "run", slow)
    with pytest.raises(GraphvizError, match="longer than 0.5 s"):
        render("digraph { a }", "svg", timeout=0.5)


@needs_dot
def test_write_diagram(tmp_path: Path, store) -> None:
    svg = write_diagram(tmp_path / "pathway.svg", store=store, link_base="/")
    assert svg.read_bytes().startswith(b"<?xml") and b"/claim/C0183" in svg.read_bytes()
    png = write_diagram(tmp_path / "everolimus.png", term="CHEBI:68478", store=store)
    assert png.read_bytes().startswith(PNG_SIGNATURE)
    dot = write_diagram(tmp_path / "figure.gv", store=store)
    assert dot.read_text(encoding="utf-8") == figure_dot(store)
    assert write_diagram(tmp_path / "x.out", fmt="dot", store=store).is_file()
    with pytest.raises(ParameterError, match="suffix"):
        write_diagram(tmp_path / "figure.gif", store=store)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["everolimus.png", "figure.gv", "pathway.svg", "x.out"]
