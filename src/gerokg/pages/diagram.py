"""Pathway diagrams drawn from the graph: the review's Figure 1 and any term's neighbourhood.

Nothing here is drawn by hand. :func:`figure_dot` selects the claims of the Figure 1 legend
(``gks:section`` ``gkr:section-figure-1``) with the canned query ``claims-in-section``;
:func:`neighbourhood_dot` selects the claims where a term is subject or object with the canned
query ``term-participation``. (The selection is SPARQL from the catalogue, so no SPARQL text lives
in Python, STYLE.md section 1; both queries are tested on every engine gerokg supports.) Each
claim's subject, relation, object, polarity, kind, quote and references, and every label, are
then read from the same store by triple pattern. One claim is one edge, linked to
the claim (``URL``, ``id="claim-C0183"``, a tooltip with the claim id, the relation and the
verbatim quote); each node is linked to its term.

What is drawn, and why:

- **Open and rhetorical questions, refuted expectations and methodological statements are left
  out**: they do not assert their relation (ontology/MODELLING.md, section 7; :mod:`gerokg.explain`
  skips them for the same reason). Hypotheses, interpretations and every other kind are drawn; a
  hypothesis says so in its edge label ("... (hypothesis)").
- **Negated claims are drawn**, dashed and grey, their label starting with "NOT": that the review
  denies a relation (C0155: tacrolimus does not inhibit TOR signaling) is part of the picture.
- **Ontology context** (``context=True``, the default): between terms already in the picture,
  their direct *is a* links and the links their logical definitions make (*negative regulation
  of geroconversion* is defined as a process that negatively regulates *geroconversion*), dotted,
  linked to the subclass or defined term. They connect what the claims say about a class to its
  members (everolimus is a rapalog) without adding any new term. Axioms that restate a claim
  (the ``axiom: true`` claims) are not drawn twice.
- **Neighbourhood**: ``depth=1`` is the claims of the term itself; each further step adds the
  claims of every term reached. The term's direct superclasses and subclasses that some claim
  talks about are added as *is a* context (everolimus -> rapalog), but not their claims, which
  ``gerokg diagram GEROKG:0000054`` draws.

Styles (see :data:`EDGE_STYLES`, :data:`NODE_STYLES`): the sign of a relation comes from
:data:`gerokg.answers.explain.SIGNS`. Increasing relations are blue with a filled arrowhead, decreasing
ones vermillion with a ``tee`` bar, relations without a sign dark grey with an open ``vee`` head,
negated claims dashed grey, ontology context dotted. Blue and vermillion are the Okabe-Ito pair
that colour-blind readers tell apart, and every style also differs in line style or arrowhead, so
no distinction rests on colour alone. Every text colour has a contrast of at least 4.5:1 with its
background. Node shapes tell the kind of term: chemical (ChEBI), process (GO), disease (MONDO),
gene (HGNC), other entity; a native gerokg term has a double outline and the shape of the source
its nearest external ancestor comes from.

Output is deterministic: nodes and edges are sorted; the DOT text and, on one machine, the SVG and
PNG bytes are the same on every run. The SVG references nothing external (no fonts, images,
style sheets or DTD); its links are plain ``<a>`` anchors.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote as _urlquote

import pyoxigraph as ox

from gerokg.answers.explain import SIGNS, UnknownTermError
from gerokg.answers.why import Classifier, term_in_store
from gerokg.errors import GraphvizError, ParameterError
from gerokg.rdf.claimread import read_claim
from gerokg.rdf.rdfio import atomic_write, compact_iri, term_iri
from gerokg.resources import prefixes
from gerokg.vocab import CLAIM, FIGURE_SECTION, GKS, NATIVE

__all__ = [
    "DEFAULT_EXCLUDED_KINDS",
    "EDGE_STYLES",
    "FIGURE_SECTION",
    "FORMATS",
    "NODE_STYLES",
    "DiagramClaim",
    "GraphvizError",
    "UnknownTermError",
    "figure_dot",
    "neighbourhood_dot",
    "render",
    "write_diagram",
]

CLAIM_NS = CLAIM
OBO = "http://purl.obolibrary.org/obo/"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"

#: the section whose claims make Figure 1

#: claim kinds left out of every diagram (they assert no relation)
#: kinds not drawn by default: questions, refuted expectations and methodological statements do not
#: assert their relation (ontology/MODELLING.md, section 7); hypotheses are drawn, labelled as such
DEFAULT_EXCLUDED_KINDS: frozenset[str] = frozenset(
    {"open_question", "rhetorical_question", "refuted_expectation", "methodological_statement"})

#: output formats: file suffix -> format
FORMATS = {".svg": "svg", ".png": "png", ".dot": "dot", ".gv": "dot"}

_FONT = "Helvetica"
_TEXT = "#1a1a1a"       # body text: 17.4:1 on white
_SUBTEXT = "#404040"    # CURIE under a label: >= 7:1 on every node fill

#: edge styles: colour (and label colour, >= 4.5:1 on white), line style, arrowhead
EDGE_STYLES: dict[str, dict[str, str]] = {
    "positive": {"color": "#0072B2", "fontcolor": "#0072B2", "style": "solid", "arrowhead": "normal",
                 "legend": "increases (+): activates, positively regulates, capable of, causes"},
    "negative": {"color": "#D55E00", "fontcolor": "#A84A00", "style": "solid", "arrowhead": "tee",
                 "legend": "decreases (\u2212): inhibits, negatively regulates, decreases incidence of"},
    "neutral": {"color": "#4D4D4D", "fontcolor": "#4D4D4D", "style": "solid", "arrowhead": "vee",
                "legend": "relation without a sign: has role, is a, participates in"},
    "negated": {"color": "#6B6B6B", "fontcolor": "#5E5E5E", "style": "dashed", "arrowhead": "odot",
                "legend": "negated claim: the review says it does NOT hold"},
    "is_a": {"color": "#6B6B6B", "fontcolor": "#5E5E5E", "style": "dotted", "arrowhead": "onormal",
             "legend": "ontology: is a (not a claim)"},
    "definition": {"color": "#6B6B6B", "fontcolor": "#5E5E5E", "style": "dotted", "arrowhead": "normal",
                   "legend": "ontology: logical definition or class axiom (not a claim; tee if decreasing)"},
}

#: node styles by kind of term: shape, fill (text on it >= 4.5:1), legend text
NODE_STYLES: dict[str, dict[str, str]] = {
    "chemical": {"shape": "ellipse", "style": "filled", "fillcolor": "#FCE4C4", "legend": "chemical (ChEBI)"},
    "process": {"shape": "box", "style": "rounded,filled", "fillcolor": "#D4E8F7", "legend": "process (GO)"},
    "disease": {"shape": "octagon", "style": "filled", "fillcolor": "#F6D3E4", "legend": "disease (MONDO)"},
    "gene": {"shape": "hexagon", "style": "filled", "fillcolor": "#D3F0E2", "legend": "gene (HGNC)"},
    "entity": {"shape": "tab", "style": "filled", "fillcolor": "#EBEBEB",
               "legend": "other entity (BFO, NCBITaxon, ...)"},
}
_NATIVE_LEGEND = "native gerokg term: double outline"

_BUILTIN_LABELS = {RDFS_NS + "subClassOf": "is a"}  # W3C vocabulary the ontology does not label
_CATEGORY_BY_PREFIX = {"CHEBI": "chemical", "GO": "process", "MONDO": "disease", "HGNC": "gene"}
_LABEL = ox.NamedNode(RDFS_NS + "label")
_SUBCLASS = ox.NamedNode(RDFS_NS + "subClassOf")
_PART_WHOLE = ("http://purl.obolibrary.org/obo/BFO_0000050", "http://purl.obolibrary.org/obo/BFO_0000051")


@dataclass(frozen=True)
class DiagramClaim:
    """One claim drawn as one edge."""

    iri: str
    subject: str
    predicate: str
    object: str
    polarity: str          # local name: affirmed, negated
    kind: str              # local name: mechanism, hypothesis, ...
    quote: str
    references: tuple[int, ...] = ()

    @property
    def id(self) -> str:
        """The claim's id, e.g. ``C0183``."""
        return self.iri.removeprefix(CLAIM_NS) if self.iri.startswith(CLAIM_NS) else compact_iri(self.iri)

    @property
    def style(self) -> str:
        """The key of :data:`EDGE_STYLES` this claim is drawn with."""
        if self.polarity != "affirmed":
            return "negated"
        return {1: "positive", -1: "negative"}.get(SIGNS.get(self.predicate, 0), "neutral")


@dataclass(frozen=True)
class _Context:
    """An edge from the ontology (is a, logical definition) between two drawn terms."""

    source: str
    target: str
    relation: str          # rdfs:subClassOf or the restriction's property
    style: str             # is_a or definition


# --------------------------------------------------------------------------------------------
# Reading the graph
# --------------------------------------------------------------------------------------------


def _objects(st: ox.Store, s: str, p: ox.NamedNode) -> list[Any]:
    return [q.object for q in st.quads_for_pattern(ox.NamedNode(s), p, None)]


def _local(iri: str | None) -> str:
    """The local name of a schema IRI (``gks:negated`` -> ``negated``)."""
    return (iri or "").removeprefix(GKS)


class _Reader:
    """Labels, claims and class structure, read from the store by triple pattern (cached)."""

    def __init__(self, store: Any) -> None:
        self.st: ox.Store = store.ox
        self._labels: dict[str, str] = {}
        self.axioms = Classifier(self.st)  # parses definitions and restrictions (gerokg.why)

    def label(self, iri: str) -> str:
        if iri not in self._labels:
            labels = sorted(o.value for o in _objects(self.st, iri, _LABEL) if isinstance(o, ox.Literal))
            self._labels[iri] = labels[0] if labels else _BUILTIN_LABELS.get(iri, compact_iri(iri))
        return self._labels[iri]

    def known(self, iri: str) -> bool:
        return term_in_store(self.st, iri)

    def claim(self, iri: str) -> DiagramClaim | None:
        c = read_claim(self.st, iri)
        if c is None or None in (c.subject, c.predicate, c.object):
            return None
        return DiagramClaim(iri, str(c.subject), str(c.predicate), str(c.object), c.polarity or "affirmed", c.kind,
                            " ".join((c.quote or "").split()), c.references)

    def claims(self, iris: Iterable[str], exclude_kinds: Iterable[str]) -> list[DiagramClaim]:
        excluded = set(exclude_kinds)
        out = [c for c in (self.claim(i) for i in sorted(set(iris))) if c is not None and c.kind not in excluded]
        return sorted(out, key=lambda c: c.iri)

    def superclasses(self, iri: str) -> list[str]:
        return sorted(o.value for o in _objects(self.st, iri, _SUBCLASS) if isinstance(o, ox.NamedNode))

    def subclasses(self, iri: str) -> list[str]:
        return sorted(q.subject.value for q in self.st.quads_for_pattern(None, _SUBCLASS, ox.NamedNode(iri))
                      if isinstance(q.subject, ox.NamedNode))

    def in_some_claim(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        return any(next(iter(self.st.quads_for_pattern(None, ox.NamedNode(GKS + p), node)), None) is not None
                   for p in ("subject", "object"))

    def definitions(self, iri: str) -> list[tuple[str, str]]:
        """(property, filler) of the someValuesFrom restrictions in the term's logical definitions."""
        return sorted({part for parts in self.axioms.definitions(iri) for part in parts if isinstance(part, tuple)})

    def restrictions(self, iri: str) -> list[tuple[str, str]]:
        """(property, filler) of the term's part-whole SubClassOf someValuesFrom axioms (PI3K/mTOR
        signaling has part some TOR signaling): the structure that joins pathways. Causal and
        regulatory axioms are left out; the claims behind them are what the picture draws."""
        return sorted({(p, f) for p, f, node in self.axioms.restrictions(iri)
                       if node is not None and p in _PART_WHOLE})

    def category(self, iri: str) -> str:
        """chemical, process, disease, gene or entity; a native term takes its nearest external ancestor's."""
        frontier, seen = [iri], {iri}
        for _ in range(20):
            nxt = []
            for term in frontier:
                if not term.startswith(NATIVE):
                    return _CATEGORY_BY_PREFIX.get(compact_iri(term).partition(":")[0], "entity")
                for sup in self.superclasses(term):
                    if sup not in seen:
                        seen.add(sup)
                        nxt.append(sup)
            if not nxt:
                break
            frontier = sorted(nxt)
        return "entity"


def _open(store: Any) -> Any:
    if store is not None:
        return store
    from gerokg.release.store import open_store

    return open_store()


def _resolve(term: str, reader: _Reader) -> str:
    try:
        iri = term_iri(term)
    except ValueError:
        # told apart by what was given, not by the message: an IRI with characters no IRI may hold
        if term.strip().startswith(("http://", "https://", "<")):
            raise UnknownTermError(f"{term!r} is not a valid IRI") from None
        raise UnknownTermError(f"{term!r} is neither a CURIE with a known prefix ({', '.join(sorted(prefixes()))}) "
                               "nor an http(s) IRI; give a CURIE such as CHEBI:68478") from None
    if not reader.known(iri):
        raise UnknownTermError(f"{term} is not a term of the gerokg graph (no triple mentions {iri}); check the "
                               "CURIE ('gerokg query external-terms-used' lists the external terms the claims use)")
    return iri


def _select_section(store: Any, section: str) -> list[str]:
    from gerokg.querying.canned import run_query

    return [str(r["claim"]) for r in run_query("claims-in-section", store, {"section": section}).rows]


def _select_term(store: Any, iri: str) -> list[str]:
    from gerokg.querying.canned import run_query

    rows = run_query("term-dossier", store, {"term": iri}).rows
    # the term's own claims (the dossier also lists those of its subclasses and regulation classes)
    return [str(r["claim"]) for r in rows if r["role"] in ("subject", "object") and r["via"] is None]


# --------------------------------------------------------------------------------------------
# Writing DOT
# --------------------------------------------------------------------------------------------


def _q(text: str) -> str:
    """A DOT double-quoted string (backslashes doubled: escString would read ``\\n``, ``\\N`` ...)."""
    clean = " ".join(str(text).replace("\r", " ").split("\n"))
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _html(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


class _Html(str):
    """An HTML-like DOT label, written between angle brackets."""


def _lines(parts: list[str]) -> str:
    """A DOT string of several centred lines: each part escaped, joined by DOT's ``\\n``."""
    return "\\n".join(_q(p)[1:-1] for p in parts)


class _Escaped(str):
    """A DOT string already escaped (see :func:`_lines`)."""


def _attrs(**kw: Any) -> str:
    def value(v: Any) -> str:
        if isinstance(v, _Html):
            return f"<{v}>"
        if isinstance(v, _Escaped):
            return f'"{v}"'
        return _q(str(v))

    return "[" + " ".join(f"{k}={value(v)}" for k, v in kw.items() if v is not None) + "]"


def _xml_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)


def _check_base(link_base: str | None) -> str | None:
    if link_base is None:
        return None
    if not (link_base.startswith("/") or re.match(r"^https?://", link_base)) or re.search(r'[\s"<>\\]', link_base):
        raise ParameterError(f"link base {link_base!r}: give '/', a path starting with '/' or an http(s) URL")
    return link_base if link_base.endswith("/") else link_base + "/"


def _claim_link(claim: DiagramClaim, base: str | None) -> str:
    return claim.iri if base is None else f"{base}claim/{_urlquote(claim.id, safe='')}"


def _term_link(iri: str, base: str | None) -> str:
    if base is None:
        return iri
    curie = compact_iri(iri)
    return f"{base}term/{_urlquote(curie if curie != iri else iri, safe=':')}"


def _wrap(text: str, width: int = 22) -> list[str]:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    return lines + ([line] if line else [])


def _node_line(iri: str, reader: _Reader, base: str | None, focus: bool = False) -> str:
    cat = reader.category(iri)
    st = NODE_STYLES[cat]
    label, curie = reader.label(iri), compact_iri(iri)
    name = "<BR/>".join(_html(x) for x in _wrap(label))
    if focus:
        name = f"<B>{name}</B>"
    html = _Html(f'{name}<BR/><FONT POINT-SIZE="9" COLOR="{_SUBTEXT}">{_html(curie)}</FONT>')
    attrs = _attrs(label=html, shape=st["shape"], style=st["style"], fillcolor=st["fillcolor"],
                   peripheries="2" if iri.startswith(NATIVE) else None, penwidth="2" if focus else None,
                   URL=_term_link(iri, base), target="_top", tooltip=f"{label} ({curie}): {cat}",
                   id=f"term-{_xml_id(curie)}")
    return f"  {_q(curie)} {attrs}"


def _claim_edge(c: DiagramClaim, reader: _Reader, base: str | None) -> str:
    st = EDGE_STYLES[c.style]
    rel = reader.label(c.predicate)
    text = ("NOT " if c.polarity != "affirmed" else "") + rel
    if c.kind == "hypothesis":
        text += " (hypothesis)"
    elif c.kind in ("refuted_expectation", "rhetorical_question", "methodological_statement", "open_question"):
        text += f" ({c.kind.replace('_', ' ')})"
    refs = f" [refs {', '.join(map(str, c.references))}]" if c.references else ""
    tip = _Escaped(_lines([f"{c.id} ({c.kind.replace('_', ' ')}, {c.polarity}): {reader.label(c.subject)} \u2014 "
                           f"{text} \u2192 {reader.label(c.object)}", f"\u201c{c.quote}\u201d{refs}"]))
    attrs = _attrs(label=_Escaped(_lines(_wrap(f"{c.id}: {text}", 26))), color=st["color"], fontcolor=st["fontcolor"],
                   style=st["style"], arrowhead=st["arrowhead"], URL=_claim_link(c, base), target="_top",
                   tooltip=tip, labeltooltip=tip, id=f"claim-{_xml_id(c.id)}")
    return f"  {_q(compact_iri(c.subject))} -> {_q(compact_iri(c.object))} {attrs}"


def _context_edge(e: _Context, reader: _Reader, base: str | None) -> str:
    st = EDGE_STYLES[e.style]
    if e.style == "is_a":
        text = "is a"
        arrowhead = st["arrowhead"]
    else:
        text = f"{reader.label(e.relation)} (ontology)"
        arrowhead = "tee" if SIGNS.get(e.relation, 0) < 0 else st["arrowhead"]
    tip = f"ontology: {reader.label(e.source)} \u2014 {text} \u2192 {reader.label(e.target)}"
    ident = "-".join(["isa" if e.style == "is_a" else "def", _xml_id(compact_iri(e.source)),
                      _xml_id(compact_iri(e.target))] + ([] if e.style == "is_a" else [_xml_id(compact_iri(e.relation))]))
    attrs = _attrs(label=text, color=st["color"], fontcolor=st["fontcolor"], style=st["style"], arrowhead=arrowhead,
                   URL=_term_link(e.source, base), target="_top", tooltip=tip, labeltooltip=tip,
                   id=ident)
    return f"  {_q(compact_iri(e.source))} -> {_q(compact_iri(e.target))} {attrs}"


def _legend() -> list[str]:
    """The legend cluster: one sample edge per edge style, stacked, and a row of node samples.

    The explanations are the sample edges' labels, wrapped like the drawing's own edge labels,
    so that in a left-to-right layout the legend's columns are no wider than the drawing's.
    """
    lines = ["  subgraph cluster_legend {",
             f'    label="Legend"; fontsize="12"; fontcolor="{_TEXT}"; color="#6B6B6B"; style="rounded"; '
             'margin="8"; id="legend";',
             '    node [shape="none" width="0.1" height="0.35" label=""];',
             f'    edge [fontsize="9" fontcolor="{_TEXT}"];']
    keys = list(EDGE_STYLES)
    for k in keys:
        st = EDGE_STYLES[k]
        lines.append(f'    "legend_{k}_a" [id="legend-{k}-a"]; "legend_{k}_b" [id="legend-{k}-b"];')
        lines.append(f'    "legend_{k}_a" -> "legend_{k}_b" '
                     + _attrs(label=_Escaped(_lines(_wrap(st["legend"], 40))), color=st["color"],
                              style=st["style"], arrowhead=st["arrowhead"], id=f"legend-{k}") + ";")
    samples = [*NODE_STYLES, "native"]
    for k in samples:
        st = NODE_STYLES.get(k, {"shape": "box", "style": "rounded,filled", "fillcolor": "#FFFFFF",
                                 "legend": _NATIVE_LEGEND})
        lines.append(f'    "legend_node_{k}" '
                     + _attrs(label=_Escaped(_lines(_wrap(st["legend"], 18))), shape=st["shape"], style=st["style"],
                              fillcolor=st["fillcolor"], color="#4D4D4D", fontcolor=_TEXT, fontsize="10",
                              width="0.4", height="0.3", peripheries="2" if k == "native" else None,
                              id=f"legend-node-{k}") + ";")
    # two columns of samples: row i holds style i and style i + half, joined by an invisible edge
    half = (len(keys) + 1) // 2
    lines.append(f'    {{ rank=same; {" ".join(f"legend_{k}_a;" for k in keys[:half])} }}')
    for left, right in zip(keys[:half], keys[half:], strict=False):  # an odd count leaves one alone
        lines.append(f'    "legend_{left}_b" -> "legend_{right}_a" [style="invis" minlen="1"];')
    lines.append(f'    {" -> ".join(f"legend_node_{k}" for k in samples)} [style="invis"];')
    lines.append("  }")
    return lines


def _context(nodes: set[str], claims: list[DiagramClaim], reader: _Reader) -> list[_Context]:
    drawn = {(c.subject, c.predicate, c.object) for c in claims}
    out = []
    for n in sorted(nodes):
        for sup in reader.superclasses(n):
            if sup in nodes and sup != n and (n, RDFS_NS + "subClassOf", sup) not in drawn:
                out.append(_Context(n, sup, RDFS_NS + "subClassOf", "is_a"))
        for p, d in reader.definitions(n) + reader.restrictions(n):
            if d in nodes and d != n and (n, p, d) not in drawn:
                out.append(_Context(n, d, p, "definition"))
    return sorted(set(out), key=lambda e: (e.style, e.source, e.target, e.relation))


def _rank_hints(nodes: set[str], claims: list[DiagramClaim], ctx: list[_Context]) -> list[str]:
    """Terms nothing points to start the drawing; terms that point nowhere end it."""
    pairs = {(c.subject, c.object) for c in claims} | {(e.source, e.target) for e in ctx}
    has_in = {o for _, o in pairs}
    has_out = {s for s, _ in pairs}
    sources = sorted(compact_iri(n) for n in nodes if n not in has_in and n in has_out)
    sinks = sorted(compact_iri(n) for n in nodes if n not in has_out and n in has_in)
    out = []
    if sources:
        out.append(f"  {{ rank=min; {' '.join(_q(n) + ';' for n in sources)} }}")
    if sinks:
        out.append(f"  {{ rank=max; {' '.join(_q(n) + ';' for n in sinks)} }}")
    return out


def _dot(title: str, claims: list[DiagramClaim], reader: _Reader, link_base: str | None, context: bool,
         legend: bool, extra_nodes: Iterable[str] = (), focus: str | None = None, rankdir: str = "LR") -> str:
    base = _check_base(link_base)
    nodes = {c.subject for c in claims} | {c.object for c in claims} | set(extra_nodes)
    ctx = _context(nodes, claims, reader) if context else []
    subtitle = (f"{len(claims)} claim{'s' if len(claims) != 1 else ''} of the review, one arrow each, linked to its claim"
                + ("; dotted: the ontology's is-a links, definitions and part-whole axioms" if ctx else ""))
    lines = [
        "digraph gerokg {",
        f'  graph [rankdir="{rankdir}" label="{_lines([title, subtitle])}" labelloc="t" fontname="{_FONT}" fontsize="16" '
        f'fontcolor="{_TEXT}" bgcolor="white" nodesep="0.35" ranksep="0.5" newrank="true" outputorder="edgesfirst" '
        f'id="gerokg-diagram"];',
        f'  node [fontname="{_FONT}" fontsize="12" fontcolor="{_TEXT}" color="#4D4D4D" margin="0.08,0.04"];',
        f'  edge [fontname="{_FONT}" fontsize="9" penwidth="1.4" arrowsize="0.8"];',
    ]
    if legend:  # written first, dot draws it below the picture
        lines += _legend()
    lines += [_node_line(n, reader, base, focus=(n == focus)) for n in sorted(nodes, key=compact_iri)]
    lines += [_claim_edge(c, reader, base) for c in sorted(claims, key=lambda c: c.iri)]
    lines += [_context_edge(e, reader, base) for e in ctx]
    lines += _rank_hints(nodes, claims, ctx)
    lines.append("}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def figure_dot(store: Any = None, link_base: str | None = None, context: bool = True, legend: bool = True,
               exclude_kinds: Iterable[str] = DEFAULT_EXCLUDED_KINDS) -> str:
    """The DOT text of the review's Figure 1, drawn from the claims of its legend.

    :param store: a :class:`gerokg.release.store.GerokgStore` (default: the release, assembled in memory)
    :param link_base: ``None`` links edges and nodes to the claim and term IRIs; ``"/"`` (or any
        path or URL) links them into the web app: ``/claim/C0183``, ``/term/CHEBI:68478``
    :param context: also draw the *is a* links, logical definitions and part-whole axioms
        between drawn terms
    :param legend: draw the legend cluster
    :param exclude_kinds: claim kinds to leave out (by default the open questions)
    :returns: the DOT text
    :raises ParameterError: a malformed ``link_base``

    >>> dot = figure_dot(link_base="/")
    >>> 'id="claim-C0183"' in dot and 'URL="/claim/C0183"' in dot
    True
    """
    store = _open(store)
    reader = _Reader(store)
    claims = reader.claims(_select_section(store, FIGURE_SECTION), exclude_kinds)
    return _dot(reader.label(FIGURE_SECTION), claims, reader, link_base, context, legend)


def neighbourhood_dot(term: str, store: Any = None, depth: int = 1, link_base: str | None = None,
                      context: bool = True, legend: bool = True,
                      exclude_kinds: Iterable[str] = DEFAULT_EXCLUDED_KINDS) -> str:
    """The DOT text of the claims around a term: those where it is subject or object.

    :param term: a CURIE (``CHEBI:68478``) or an IRI
    :param store: a :class:`gerokg.release.store.GerokgStore` (default: the release, assembled in memory)
    :param depth: 1 draws the term's own claims; each further step adds the claims of every term
        reached (1 to 3)
    :param link_base: see :func:`figure_dot`
    :param context: also draw *is a* links, logical definitions and part-whole axioms between
        drawn terms, and the
        term's direct super- and subclasses that some claim mentions
    :param legend: draw the legend cluster
    :param exclude_kinds: claim kinds to leave out (by default the open questions)
    :returns: the DOT text
    :raises UnknownTermError: the term is not a CURIE with a known prefix or not in the graph
    :raises ParameterError: ``depth`` out of range or a malformed ``link_base``

    >>> 'id="claim-C0194"' in neighbourhood_dot("CHEBI:68478")
    True
    """
    if not isinstance(depth, int) or isinstance(depth, bool) or not 1 <= depth <= 3:
        raise ParameterError(f"depth must be 1, 2 or 3, got {depth!r}")
    store = _open(store)
    reader = _Reader(store)
    iri = _resolve(term, reader)
    selected: set[str] = set()
    reached, frontier = {iri}, [iri]
    for _ in range(depth):
        found = {c for t in frontier for c in _select_term(store, t)} - selected
        selected |= found
        new = set()
        for c in reader.claims(found, exclude_kinds):
            new |= {c.subject, c.object}
        frontier = sorted(new - reached)
        reached |= new
    claims = reader.claims(selected, exclude_kinds)
    extra = {iri}
    if context:
        extra |= {t for t in (*reader.superclasses(iri), *reader.subclasses(iri))
                  if t != iri and reader.in_some_claim(t)}
    title = f"Claims about {reader.label(iri)} ({compact_iri(iri)})" + (f", depth {depth}" if depth > 1 else "")
    if not claims:
        title += ": no claims"
    return _dot(title, claims, reader, link_base, context, legend, extra_nodes=extra, focus=iri)


def _dot_binary() -> str:
    found = shutil.which(os.environ.get("GEROKG_DOT", "dot"))
    if not found:
        raise GraphvizError("Graphviz's 'dot' program was not found on PATH: install Graphviz, "
                            "e.g. apt-get install graphviz (or write --format dot)")
    return found


def render(dot_text: str, fmt: str = "svg", timeout: float = 60.0) -> bytes:
    """Lay out and draw DOT text with Graphviz's ``dot``.

    :param dot_text: the DOT text (from :func:`figure_dot` or :func:`neighbourhood_dot`)
    :param fmt: ``svg`` or ``png`` (``dot`` returns the text itself, UTF-8)
    :param timeout: seconds ``dot`` may run
    :returns: the drawing; an SVG without DOCTYPE (it would name an external DTD)

    The program is ``dot`` on ``PATH``, or the one the environment variable ``GEROKG_DOT`` names.
    :raises ParameterError: an unknown format
    :raises GraphvizError: ``dot`` is missing, failed (with its error text) or timed out
    """
    if fmt == "dot":
        return dot_text.encode("utf-8")
    if fmt not in ("svg", "png"):
        raise ParameterError(f"unknown diagram format {fmt!r}; use svg, png or dot")
    binary = _dot_binary()
    try:
        proc = subprocess.run([binary, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise GraphvizError(f"dot took longer than {timeout:g} s to draw the diagram; "
                            "draw a smaller one (lower --depth) or raise the timeout") from None
    except OSError as exc:
        raise GraphvizError(f"cannot run {binary}: {exc}; install Graphviz, e.g. apt-get install graphviz") from None
    if proc.returncode != 0 or not proc.stdout:
        err = proc.stderr.decode("utf-8", "replace").strip()
        status = f"killed by signal {-proc.returncode}" if proc.returncode < 0 else f"exit status {proc.returncode}"
        raise GraphvizError(f"dot could not draw the diagram ({status})" + (f": {err}" if err else ""))
    if fmt == "svg":
        return re.sub(rb"<!DOCTYPE svg[^>]*>\s*", b"", proc.stdout, count=1)
    return proc.stdout


def write_diagram(out_path: str | Path, term: str | None = None, fmt: str | None = None, store: Any = None,
                  link_base: str | None = None, depth: int = 1, timeout: float = 60.0) -> Path:
    """Draw Figure 1 (or a term's neighbourhood) and write it atomically.

    :param out_path: the file to write
    :param term: a CURIE or IRI; None draws Figure 1
    :param fmt: ``svg``, ``png`` or ``dot``; by default from the file's suffix
    :param store: see :func:`figure_dot`
    :param link_base: see :func:`figure_dot`
    :param depth: see :func:`neighbourhood_dot`
    :param timeout: seconds ``dot`` may run
    :returns: the path written
    :raises ParameterError: no format given and an unknown suffix
    :raises UnknownTermError, GraphvizError:
    """
    path = Path(out_path)
    if fmt is None:
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise ParameterError(f"{path}: cannot tell the format from the suffix {path.suffix!r}; "
                                 "use .svg, .png, .dot or give the format")
    if fmt not in ("svg", "png", "dot"):
        raise ParameterError(f"unknown diagram format {fmt!r}; use svg, png or dot")
    text = (figure_dot(store, link_base=link_base) if term is None
            else neighbourhood_dot(term, store, depth=depth, link_base=link_base))
    atomic_write(path, render(text, fmt, timeout=timeout))
    return path
