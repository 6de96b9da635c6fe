"""HTML documentation of the release: the ontology page (pyLODE) and the query catalogue.

``write_docs(out_dir)`` writes two self-contained pages that work offline (no script, stylesheet,
font or image is loaded from elsewhere; the CSS is inline):

- ``index.html``: the ontology documentation made by pyLODE 3.3.4 (OntPub profile) from a
  *documentation graph* derived from the release (:func:`docs_graph`): the ontology header and
  gerokg's native terms (``GEROKG_NNNNNNN``) with their label, definition (IAO:0000115), the
  definition's source quote and review section, synonyms, comments, parents, logical definitions
  and subclasses. External terms (ChEBI, GO, MONDO, RO, ...) appear as links to their own IRIs,
  labelled, but get no section of their own.
- ``queries.html``: the catalogue of competency queries (not the ``qc-*`` quality checks), each
  with its question, description, parameters, SPARQL text and current answer on the embedded
  store, run with the default parameters.

pyLODE 3.3.4 leaves some things out or renders them in a way the documentation cannot use, so
the documentation graph and a small subclass of pyLODE's ``OntPub`` adapt it:

- It renders none of IAO:0000115, oboInOwl synonyms or axiom annotations. The definition's
  source (an ``owl:Axiom`` on the IAO:0000115 assertion, with ``gks:quote`` and IAO:0000119) is
  copied onto the term, and the class and property tables list these properties by name.
- It renders every literal it tabulates through Markdown, unescaped, so markup in a value would
  reach the page as HTML. Tabulated literals are escaped (HTML, then Markdown) in the
  documentation graph; labels, which pyLODE writes through dominate's escaping, are not.
- It orders the members of ``owl:intersectionOf``/``owl:unionOf`` through a ``set`` of HTML
  elements, whose order changes from run to run; the members are sorted while the page renders.
- It names anchors after labels, or after IRIs when a term is linked before its section; the
  page uses the opaque ids (``#GEROKG_0000051``) throughout.

Answers are made deterministic for display: values that a query builds with ``GROUP_CONCAT``
(whose order SPARQL leaves undefined) are shown with their items sorted, rows that the query's
``ORDER BY`` leaves tied are sorted by their text, and CONSTRUCT triples are sorted.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, VANN

from gerokg.errors import DocsError, GerokgError
from gerokg.progress import stepper
from gerokg.vocab import GKS, NATIVE

__all__ = ["DOCS_FILES", "MAX_ROWS", "NATIVE_NS", "PYLODE_VERSION", "DocsError", "docs_graph", "docs_pages", "native_terms",
           "render_catalogue", "render_ontology", "write_docs"]

PYLODE_VERSION = "3.3.4"
"""The pyLODE release this module is written against (it subclasses pyLODE's ``OntPub``)."""

DOCS_FILES = ("index.html", "queries.html")
MAX_ROWS = 50

NATIVE_NS = NATIVE
_OBO = "http://purl.obolibrary.org/obo/"
IAO_DEFINITION = URIRef(_OBO + "IAO_0000115")
IAO_DEFINITION_SOURCE = URIRef(_OBO + "IAO_0000119")
QUOTE = URIRef(GKS + "quote")
_OIO = "http://www.geneontology.org/formats/oboInOwl#"
SYNONYMS = tuple(URIRef(_OIO + p) for p in ("hasExactSynonym", "hasNarrowSynonym", "hasBroadSynonym",
                                            "hasRelatedSynonym"))
_NATIVE_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)

# Row titles and hover texts of the properties pyLODE's background ontologies do not know.
_EXTRA_PROPS = {
    IAO_DEFINITION: ("definition", "The official definition, explaining the meaning of a class or property", "IAO"),
    QUOTE: ("definition source quote", ("A verbatim quote of the source review supporting the definition "
                                        "(an axiom annotation on the definition in the release)"), "gerokg"),
    IAO_DEFINITION_SOURCE: ("definition source", "The section of the source review the definition is written from",
                            "IAO"),
    SYNONYMS[0]: ("exact synonym", "An exact synonym", "oboInOwl"),
    SYNONYMS[1]: ("narrow synonym", "A narrower synonym", "oboInOwl"),
    SYNONYMS[2]: ("broad synonym", "A broader synonym", "oboInOwl"),
    SYNONYMS[3]: ("related synonym", "A related synonym", "oboInOwl"),
    RDFS.comment: ("comment", "An editor's comment", "RDFS"),
}


_SCHEMA_ORG = {DCTERMS.title: URIRef("https://schema.org/name"),
               DCTERMS.description: URIRef("https://schema.org/description"),
               DCTERMS.license: URIRef("https://schema.org/license"),
               DCTERMS.created: URIRef("https://schema.org/dateCreated"),
               DCTERMS.modified: URIRef("https://schema.org/dateModified"),
               DCTERMS.issued: URIRef("https://schema.org/dateIssued"),
               DCTERMS.rights: URIRef("https://schema.org/copyrightNotice")}


# --------------------------------------------------------------------------------------------
# The documentation graph fed to pyLODE
# --------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def _md_escape(text: str) -> str:
    r"""Escape text for pyLODE, which renders literals with ``markdown.markdown`` and no escaping.

    Markdown punctuation is backslash-escaped, then ``&``, ``<`` and ``>`` become entities, so
    Markdown gives back exactly the text, as HTML-escaped characters in a paragraph.

    >>> _md_escape("a_b <i>1.</i>")
    'a\\_b &lt;i&gt;1\\.&lt;/i&gt;'
    """
    return html.escape(_MD_SPECIAL.sub(r"\\\1", text), quote=False)


def _escaped(o: Any) -> Any:
    if isinstance(o, Literal):
        return Literal(_md_escape(str(o)), lang=o.language, datatype=o.datatype)
    return o


def _label(graph: Graph, node: Any) -> Literal | None:
    labels = [o for o in graph.objects(node, RDFS.label) if isinstance(o, Literal)]
    labels.sort(key=lambda x: (x.language not in (None, "en"), str(x)))
    return labels[0] if labels else None


def _closure(graph: Graph, node: BNode, out: list[tuple[Any, Any, Any]], seen: set[BNode]) -> None:
    """Add the triples of a blank node (a restriction, class expression or list) and its descendants."""
    if node in seen:
        return
    seen.add(node)
    for p, o in graph.predicate_objects(node):
        out.append((node, p, o))
        if isinstance(o, BNode):
            _closure(graph, o, out, seen)


def _fid(iri: str) -> str:
    """The page anchor of a native term: its opaque id, e.g. ``GEROKG_0000051``."""
    return str(iri).rsplit("/", 1)[-1]


def native_terms(graph: Graph) -> list[URIRef]:
    """gerokg's own classes and properties (IRIs ``GEROKG_NNNNNNN``), sorted by label then IRI."""
    terms = {s for t in _NATIVE_TYPES for s in graph.subjects(RDF.type, t)
             if isinstance(s, URIRef) and str(s).startswith(NATIVE_NS)}
    return sorted(terms, key=lambda s: (str(_label(graph, s) or "").lower(), str(s)))


def docs_graph(graph: Graph) -> Graph:
    """The graph pyLODE documents: the ontology header and the native terms, ready for rendering.

    :param graph: the release (``gerokg.load_graph()``)
    :returns: a new graph, with canonical blank nodes and a fixed insertion order: the native
        terms' type triples first, sorted by label (pyLODE lists terms in that order), then the
        rest sorted
    :raises DocsError: the release has no ``owl:Ontology`` with a ``dcterms:title``, or no native term
    """
    from gerokg.rdf.rdfio import canonical_graph, new_graph

    ont, terms = _documented(graph)
    work = new_graph()
    for t in _docs_triples(graph, ont, terms):
        work.add(t)
    canon = canonical_graph(work)
    out = new_graph()
    out.bind("vann", str(VANN), override=True, replace=True)
    for term in terms:
        for typ in sorted(canon.objects(term, RDF.type), key=_term_key):
            out.add((term, RDF.type, typ))
    # a graph iterates its triples in set order (it varies with PYTHONHASHSEED); pyLODE lists
    # values in the order its pattern lookups give, which is insertion order: insert sorted
    for triple in sorted(canon, key=lambda t: tuple(_term_key(x) for x in t)):
        out.add(triple)
    return out


def _documented(graph: Graph) -> tuple[URIRef, list[URIRef]]:
    """The ontology header and the native terms to document; a DocsError when either is missing."""
    onts = sorted(s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef))
    if not onts:
        raise DocsError("the release has no owl:Ontology header to document")
    ont = onts[0]
    if graph.value(ont, DCTERMS.title) is None:
        raise DocsError(f"the ontology header {ont} has no dcterms:title, which pyLODE needs for the page title")
    terms = native_terms(graph)
    if not terms:
        raise DocsError(f"the release has no native terms (IRIs starting with {NATIVE_NS}) to document")
    return ont, terms


def _docs_triples(graph: Graph, ont: URIRef, terms: list[URIRef]) -> list[tuple[Any, Any, Any]]:
    """The header's and the terms' triples (values escaped for pyLODE's Markdown), the definitions'
    sources, named subclasses, and the labels of every other IRI they mention."""
    triples: list[tuple[Any, Any, Any]] = []
    seen: set[BNode] = set()
    for p, o in graph.predicate_objects(ont):
        if p == OWL.imports:
            continue
        triples.append((ont, p, o if p == DCTERMS.title else _escaped(o)))
    triples.append((ont, VANN.preferredNamespacePrefix, Literal("GEROKG")))
    triples.append((ont, VANN.preferredNamespaceUri, Literal(NATIVE_NS)))
    for s in terms:
        for p, o in graph.predicate_objects(s):
            if isinstance(o, BNode):
                _closure(graph, o, triples, seen)
            triples.append((s, p, o if p == RDFS.label else _escaped(o)))
        # the definition's source: an axiom annotation on the IAO:0000115 assertion in the release
        for ax in graph.subjects(OWL.annotatedSource, s):
            if (ax, OWL.annotatedProperty, IAO_DEFINITION) not in graph:
                continue
            for p in (QUOTE, IAO_DEFINITION_SOURCE):
                for o in graph.objects(ax, p):
                    triples.append((s, p, _escaped(o)))
        # named subclasses (ChEBI drugs under gerokg's drug classes, for example)
        for sub in graph.subjects(RDFS.subClassOf, s):
            if isinstance(sub, URIRef) and not str(sub).startswith(NATIVE_NS):
                triples.append((sub, RDFS.subClassOf, s))
    # labels of every other IRI mentioned, so that pyLODE links them by label
    mentioned = {n for t in triples for n in (t[0], t[2]) if isinstance(n, URIRef)} - set(terms) - {ont}
    for n in sorted(mentioned):
        label = _label(graph, n)
        if label is not None:
            triples.append((n, RDFS.label, label))
    return triples


def _term_key(node: Any) -> tuple[int, str, str, str]:
    if isinstance(node, Literal):
        return (2, str(node), str(node.datatype or ""), node.language or "")
    return (1 if isinstance(node, BNode) else 0, str(node), "", "")


# --------------------------------------------------------------------------------------------
# The ontology page (pyLODE)
# --------------------------------------------------------------------------------------------


def _pylode() -> Any:
    # importing pyLODE 3.3.4 calls logging.basicConfig(level=DEBUG) (pylode/profiles/supermodel/
    # loader.py), which would print every library's debug log; undo that
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import pylode
        from pylode import utils as pylode_utils
        from pylode.profiles import ontpub
    except ImportError as exc:
        raise DocsError(f"pyLODE is not installed ({exc}); install it with: pip install pylode=={PYLODE_VERSION}") from None
    finally:
        for h in list(root.handlers):
            if h not in handlers:
                root.removeHandler(h)
        root.setLevel(level)
    version = getattr(pylode, "__version__", "unknown")
    if version != PYLODE_VERSION:
        raise DocsError(f"gerokg docs is written against pyLODE {PYLODE_VERSION} but found pyLODE {version}; "
                        f"install it with: pip install pylode=={PYLODE_VERSION}")
    return pylode_utils, ontpub


@contextmanager
def _sorted_class_sets(pylode_utils: Any) -> Iterator[None]:
    """Make pyLODE list the members of owl:intersectionOf/unionOf in a fixed order.

    pyLODE 3.3.4 collects them in a ``set`` of HTML elements (iterated in memory-address order)
    and hands the set to ``pylode.utils.intersperse``; while patched, that sorts them by their HTML.
    """
    original = pylode_utils.intersperse

    def intersperse(items: Iterable[Any], sep: Any) -> list[Any]:
        return list(original(sorted(items, key=lambda e: e.render()), sep))

    pylode_utils.intersperse = intersperse
    try:
        yield
    finally:
        pylode_utils.intersperse = original


def _ontpub_rows() -> tuple[list[tuple[str, URIRef, list[URIRef], str]], list[URIRef]]:
    """The page's term sections (title, type, rows, table-of-contents id) and the metadata rows."""
    from pylode.rdf_elements import CLASS_PROPS, ONT_PROPS, ONTDOC, PROP_PROPS

    documented = [IAO_DEFINITION, QUOTE, IAO_DEFINITION_SOURCE, *SYNONYMS, RDFS.comment]
    class_rows = [DCTERMS.title, *documented,
                  *(p for p in CLASS_PROPS if p not in (DCTERMS.title, DCTERMS.description, RDFS.isDefinedBy))]
    prop_rows = [DCTERMS.title, *documented,
                 *(p for p in PROP_PROPS if p not in (DCTERMS.title, DCTERMS.description, RDFS.isDefinedBy)),
                 OWL.inverseOf]
    sections = [("Classes", OWL.Class, class_rows, "classes"),
                ("Object Properties", OWL.ObjectProperty, prop_rows, "objectproperties"),
                ("Datatype Properties", OWL.DatatypeProperty, prop_rows, "datatypeproperties"),
                ("Annotation Properties", OWL.AnnotationProperty, prop_rows, "annotationproperties")]
    meta_rows = [p for p in ONT_PROPS if p not in (DCTERMS.title, OWL.imports, ONTDOC.restriction)]
    return sections, meta_rows


def _metadata_section(pub: Any, meta_rows: list[URIRef], pylode_utils: Any) -> Any:
    """pyLODE's metadata section, less its Title row (``pub`` is the OntPub being rendered)."""
    from collections import defaultdict

    from dominate.tags import code, dd, div, dl, dt, h1, h2, strong

    iri = None
    values: dict[Any, list[Any]] = defaultdict(list)
    title = None
    for s in pub.ont.subjects(RDF.type, OWL.Ontology):
        iri = s
        title = pub.ont.value(s, DCTERMS.title)
        for p, o in pub.ont.predicate_objects(s):
            if p in meta_rows:
                values[p].append(o)
    sec = div(h1(str(title)), id="metadata", _class="section")
    sec.appendChild(h2("Metadata"))
    d = dl(div(dt(strong("IRI")), dd(code(str(iri)))))
    for prop in meta_rows:
        if prop in values:
            d.appendChild(pylode_utils.prop_obj_pair_html(
                pub.ont, pub.back_onts, pub.ns, "dl", prop, pub.props_labeled[prop]["title"],
                pub.props_labeled[prop]["description"], pub.props_labeled[prop]["ont_title"],
                pub.fids, values[prop]))
    sec.appendChild(d)
    return sec


def _make_ontpub_class(pylode_utils: Any, ontpub: Any) -> Any:
    sections, meta_rows = _ontpub_rows()

    class GerokgOntPub(ontpub.OntPub):
        """pyLODE's OntPub with gerokg's rows, opaque-id anchors and no markdown for titles."""

        def __init__(self, graph: Graph, terms: list[URIRef], header: list[tuple[Any, Any]]) -> None:
            super().__init__(graph)
            # vann:preferredNamespace* only serve pyLODE's get_ns (in-page links for GEROKG
            # terms), done above; as metadata rows pyLODE would link the namespace to "#GEROKG_"
            self.ont.remove((None, VANN.preferredNamespacePrefix, None))
            self.ont.remove((None, VANN.preferredNamespaceUri, None))
            self._header = header
            for t in terms:  # anchors are the opaque ids, wherever a term is first linked
                self.fids[str(t)] = _fid(t)
            for prop, (title, description, source) in _EXTRA_PROPS.items():
                self.props_labeled[prop] = {"title": Literal(title), "description": Literal(description),
                                            "ont_title": source}

        def _make_metadata(self) -> None:
            # pyLODE's own, less its Title row: the title is the page's heading, and pyLODE would
            # render it a second time through Markdown
            self.content.appendChild(_metadata_section(self, meta_rows, pylode_utils))

        def _make_schema_org(self) -> Graph:
            # pyLODE's, from the header's own values: the documentation graph's are escaped for Markdown
            from rdflib.namespace import SDO

            sdo = Graph(bind_namespaces="none")
            for s in self.ont.subjects(RDF.type, OWL.Ontology):
                sdo.add((s, RDF.type, SDO.DefinedTermSet))
                for p, o in self._header:
                    if p in _SCHEMA_ORG:
                        sdo.add((s, _SCHEMA_ORG[p], o))
            self.schema_org_jsonld = sdo.serialize(format="json-ld")
            return sdo

        def _make_main_sections(self) -> None:
            with self.content:
                for title, cls, rows, toc_id in sections:
                    if (None, RDF.type, cls) in self.ont:
                        pylode_utils.section_html(title, self.ont, self.back_onts, self.ns, cls, rows, self.toc,
                                                  toc_id, self.fids, self.props_labeled).render()

    return GerokgOntPub


def _page_nav(current: str) -> str:
    links = [("index.html", "Ontology"), ("queries.html", "Query catalogue")]
    items = " | ".join(f"<strong>{html.escape(text)}</strong>" if href == current
                       else f'<a href="{href}">{html.escape(text)}</a>' for href, text in links)
    return f'<nav id="gerokg-nav" style="margin:0 0 1em 0">{items}</nav>'


def render_ontology(graph: Graph) -> str:
    """The ontology page: pyLODE's documentation of :func:`docs_graph` ``(graph)``, as HTML text.

    :raises DocsError: pyLODE is missing or another version, or fails on the graph
    """
    pylode_utils, ontpub = _pylode()
    doc_graph = docs_graph(graph)
    terms = native_terms(doc_graph)
    ont = next(s for s in doc_graph.subjects(RDF.type, OWL.Ontology))
    header = sorted(graph.predicate_objects(ont))
    cls = _make_ontpub_class(pylode_utils, ontpub)
    try:
        with _sorted_class_sets(pylode_utils):
            pub = cls(doc_graph, terms, header)
            page: str = pub.make_html()
    except Exception as exc:  # pyLODE raises bare Exceptions and its own PylodeError
        raise DocsError(f"pyLODE could not document the ontology: {type(exc).__name__}: {exc}") from exc
    # the JSON-LD sits in a <script>: a "</script>" inside a string would end it early
    jsonld = pub.schema_org_jsonld
    if page.count(jsonld) != 1:
        raise DocsError("pyLODE's page has an unexpected layout (the schema.org JSON-LD is not found once)")
    page = page.replace(jsonld, jsonld.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
    anchor = '<div id="content">'
    if page.count(anchor) != 1:
        raise DocsError("pyLODE's page has an unexpected layout (no single <div id=\"content\">)")
    page = page.replace(anchor, anchor + "\n" + _page_nav("index.html"), 1)
    page = page.replace('<ul class="first">', '<ul class="first">\n<li><h4><a href="queries.html">'
                        'Query catalogue</a></h4></li>', 1)
    page = page.replace("<html>", '<html lang="en">', 1)
    # pyLODE's rotated "made by pyLODE" note is grey on white and its letters yellow and green:
    # below WCAG AA contrast (axe-core's color-contrast rule); darker shades of the same colours
    if page.count("</head>") != 1:
        raise DocsError("pyLODE's page has an unexpected layout (no single </head>)")
    page = page.replace("</head>", "<style>#pylode { color: #595959; } #pylode #p { color: #1d6b2e; } "
                        "#pylode #y { color: #7a5d00; }</style>\n</head>", 1)
    return page if page.endswith("\n") else page + "\n"


# --------------------------------------------------------------------------------------------
# The query catalogue page
# --------------------------------------------------------------------------------------------

_GROUP_CONCAT = re.compile(
    r"GROUP_CONCAT\s*\((?P<body>(?:[^()]|\((?:[^()]|\([^()]*\))*\))*)\)\s*AS\s*\?(?P<var>\w+)", re.I)
_SEPARATOR = re.compile(r";\s*separator\s*=\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')\s*$", re.I)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b(?P<keys>.*?)(?:\bLIMIT\b|\bOFFSET\b|$)", re.I | re.S)
_ORDER_KEY = re.compile(r"^(?:\?(\w+)|(?:ASC|DESC)\s*\(\s*\?(\w+)\s*\))$", re.I)


def _concat_separators(text: str) -> dict[str, str]:
    """The variables a query builds with GROUP_CONCAT, with their separators (default a space)."""
    from gerokg.querying.canned import blank_non_code

    code = blank_non_code(text)
    out = {}
    for m in _GROUP_CONCAT.finditer(code):
        sep = " "
        sm = _SEPARATOR.search(text[m.start("body"):m.end("body")])
        if sm:
            raw = sm.group(1)[1:-1]
            sep = re.sub(r"\\(.)", lambda e: {"t": "\t", "n": "\n"}.get(e.group(1), e.group(1)), raw)
        out[m.group("var")] = sep
    return out


def _order_vars(text: str) -> list[str] | None:
    """The variables of a query's ORDER BY, or None when there is none or it orders by expressions."""
    from gerokg.querying.canned import blank_non_code

    code = blank_non_code(text)
    starts = [m.start() for m in re.finditer(r"\bORDER\s+BY\b", code, re.I)]
    if not starts:
        return None
    # the outer query's, the last (a subquery's ORDER BY leaves '}' among the keys: None)
    m = _ORDER_BY.match(code, starts[-1])
    if m is None:
        return None
    keys = re.findall(r"(?:ASC|DESC)\s*\([^)]*\)|\?\w+|\S+", m.group("keys"), re.I)
    names = []
    for key in keys:
        km = _ORDER_KEY.match(key.strip())
        if not km:
            return None
        names.append(km.group(1) or km.group(2))
    return names or None


def _item_key(item: str) -> tuple[int, Decimal, str]:
    try:
        return (0, Decimal(item), item)
    except ArithmeticError:
        return (1, Decimal(0), item)


def _value_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _normalise_rows(q: Any, variables: list[str], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in a deterministic order with GROUP_CONCAT lists sorted (see the module docstring)."""
    seps = _concat_separators(q.text)
    fixed = []
    for row in rows:
        new = dict(row)
        for var, sep in seps.items():
            v = new.get(var)
            if type(v) is str and sep and sep in v:
                new[var] = sep.join(sorted(v.split(sep), key=_item_key))
        fixed.append(new)

    def text_key(r: dict[str, Any]) -> tuple[str, ...]:
        return tuple(_value_text(r.get(c)) for c in variables)

    order = _order_vars(q.text)
    if order is None:
        return sorted(fixed, key=text_key)
    out: list[dict[str, Any]] = []
    group: list[dict[str, Any]] = []
    for row in fixed:  # the engine's order between ORDER BY keys, text order within ties
        if group and tuple(_value_text(group[0].get(c)) for c in order) != tuple(_value_text(row.get(c)) for c in order):
            out.extend(sorted(group, key=text_key))
            group = []
        group.append(row)
    out.extend(sorted(group, key=text_key))
    return out


def _href(iri: str, documented: set[str]) -> str:
    if iri in documented:
        return "index.html#" + _fid(iri)
    return iri


def _cell(v: Any, documented: set[str]) -> str:
    from gerokg.querying.canned import IRI

    if isinstance(v, IRI):
        return (f'<a href="{html.escape(_href(v, documented))}" title="{html.escape(v)}">'
                f"{html.escape(v.curie)}</a>")
    return html.escape(_value_text(v))


def _ox_cell(term: Any, documented: set[str]) -> str:
    import pyoxigraph as ox

    from gerokg.querying.canned import IRI

    if isinstance(term, ox.NamedNode):
        return _cell(IRI(term.value), documented)
    if isinstance(term, ox.BlankNode):
        return "<em>blank node</em>"
    if isinstance(term, ox.Literal):
        return html.escape(term.value)
    return html.escape(str(term))


_CSS = """
body { font-family: sans-serif; max-width: 80em; margin: 1em auto; padding: 0 1em; line-height: 1.4; }
h2 { border-top: 1px solid #ccc; padding-top: 0.8em; margin-top: 1.6em; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.4em 0; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.4em; text-align: left; vertical-align: top; }
th { background: #eee; }
.question { font-style: italic; }
.meta { color: #555; font-size: 0.9em; }
"""


def render_catalogue(store: Any, documented: Iterable[str] = (), max_rows: int = MAX_ROWS) -> str:
    """The query catalogue page: each competency query, its SPARQL and its current answer.

    :param store: the :class:`gerokg.release.store.GerokgStore` to run every query on
    :param documented: IRIs documented on the ontology page (their cells link there)
    :param max_rows: rows (or triples) shown per answer; the rest are counted
    :returns: the HTML text; every value is escaped with :func:`html.escape`
    """
    import jinja2
    from markupsafe import Markup

    from gerokg._version import __version__
    from gerokg.errors import ParameterError
    from gerokg.querying.canned import list_queries, run_query

    documented = set(documented)
    model = []
    for q in list_queries(include_qc=False):
        try:
            answer = _answer_model(q, run_query(q, store, {}), documented, max_rows)
        except ParameterError as exc:
            answer = {"not_run": str(exc)}
        except GerokgError as exc:
            raise DocsError(f"query {q.name!r} failed on the release: {exc}") from exc
        model.append({"name": q.name, "title": q.title, "question": q.question, "description": q.description,
                      "form": q.form, "file": q.path.name, "text": q.text, "answer": answer,
                      "params": [{"name": p.name, "type": p.type, "default": _value_text(p.default),
                                  "required": p.required, "description": p.description} for p in q.params]})
    env = jinja2.Environment(loader=jinja2.PackageLoader("gerokg", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    return env.get_template("docs-queries.html").render(
        css=Markup(_CSS), nav=Markup(_page_nav("queries.html")), queries=model, version=__version__,
        triples=len(store), max_rows=max_rows)


def _answer_model(q: Any, result: Any, documented: set[str], max_rows: int) -> dict[str, Any]:
    """One query's answer for the catalogue template: cells are escaped HTML (links for IRIs)."""
    from markupsafe import Markup

    if result.boolean is not None:
        return {"not_run": None, "boolean": result.boolean}
    if result.triples is not None:
        triples = sorted(result.triples, key=lambda t: tuple(str(x) for x in t))
        header, noun = ["subject", "predicate", "object"], "triple"
        rows = [[Markup(_ox_cell(x, documented)) for x in t] for t in triples]
    else:
        header, noun = list(result.variables), "row"
        rows = [[Markup(_cell(r.get(v), documented)) for v in result.variables]
                for r in _normalise_rows(q, result.variables, result.rows)]
    total = len(rows)
    return {"not_run": None, "boolean": None, "header": header, "noun": noun, "total": total,
            "rows": rows[:max_rows], "more": max(0, total - max_rows)}


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _load_release(release: str | Path | Graph | None) -> Graph:
    if isinstance(release, Graph):
        return release
    if release is not None and not Path(release).is_file():
        raise DocsError(f"{release}: no such release file (build one with 'gerokg build', e.g. build/gerokg-full.nt)")
    from gerokg.release.assemble import load_graph

    return load_graph(release)


def _writable_dir(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise DocsError(f"{out}: exists and is not a folder; choose another --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DocsError(f"{out}: cannot create the documentation folder: {exc.strerror or exc}") from None
    if not os.access(out, os.W_OK | os.X_OK) or not os.access(out.resolve().parent, os.W_OK | os.X_OK):
        raise DocsError(f"{out}: the folder (or its parent, where the files are staged) is not writable")


def docs_pages(
    release: str | Path | Graph | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, str]:
    """The documentation pages as HTML text, by file name (what :func:`write_docs` writes and
    ``gerokg serve`` serves at ``/docs/``).

    :param release: a release file or an rdflib graph; by default the package's sources
    :param progress: called with a short message before each step
    """
    from gerokg.release.store import GerokgStore

    step = stepper(progress)

    step("assembling the release" if release is None else f"reading {release}")
    graph = _load_release(release)
    step("documenting the ontology with pyLODE")
    pages = {"index.html": render_ontology(graph)}
    step("loading the embedded store and running the competency queries")
    store = GerokgStore()
    store.add_graph(graph)
    documented = {str(t) for t in native_terms(graph)}
    pages["queries.html"] = render_catalogue(store, documented)
    return pages


def write_docs(
    out_dir: str | Path,
    release: str | Path | Graph | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write the HTML documentation of the release into ``out_dir``.

    Writes ``index.html`` (the ontology, by pyLODE) and ``queries.html`` (the competency queries
    with their current answers). Both are self-contained and load nothing from the network. The
    same release gives byte-identical files. Files are staged in a folder beside ``out_dir`` and
    each moved into place atomically; on an error nothing in ``out_dir`` changes.

    :param out_dir: the folder to write to (created if needed)
    :param release: a release file (e.g. ``build/gerokg-full.nt``) or an rdflib graph; by default
        the release is assembled in memory from the package's sources
    :param progress: called with a short message before each step
    :returns: the paths written, in the order of :data:`DOCS_FILES`
    :raises DocsError: the folder is not writable, pyLODE is missing, or a page cannot be made
    :raises RdfParseError: the release file cannot be read

    >>> paths = write_docs("build/docs")  # doctest: +SKIP
    >>> [p.name for p in paths]  # doctest: +SKIP
    ['index.html', 'queries.html']
    """
    step = stepper(progress)

    out = Path(out_dir)
    _writable_dir(out)
    started = time.perf_counter()
    pages = docs_pages(release, progress)
    step(f"writing {len(pages)} pages to {out}")
    target = out.resolve()
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    except OSError as exc:
        raise DocsError(f"{out.parent}: cannot create a staging folder beside {out}: {exc.strerror or exc}") from None
    written = []
    try:
        for name in DOCS_FILES:
            (staging / name).write_bytes(pages[name].encode("utf-8"))
        for name in DOCS_FILES:
            os.replace(staging / name, target / name)
            written.append(out / name)
    except OSError as exc:
        raise DocsError(f"{out}: could not write the documentation: {exc.strerror or exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    step(f"documentation written in {time.perf_counter() - started:.1f} s")
    return written
