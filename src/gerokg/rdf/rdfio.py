"""Reading and writing RDF: safe parsing, deterministic serialisation, atomic files.

Every RDF file gerokg writes goes through :func:`serialize_graph`, so that the same graph gives
byte-identical output whatever the insertion order, Python hash seed or rdflib version detail:
blank nodes are relabelled canonically, subjects, predicates and objects are sorted, prefixes are
fixed (``ontology/prefixes.json``) and no timestamp is written.

Every RDF file gerokg reads from a user goes through :func:`parse_rdf_file`, which refuses what
would reach the network or blow up memory (XML DTDs and entities, remote JSON-LD contexts) and
reports errors with the file and, where the parser says it, the line.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL, RDF, XSD

from gerokg.errors import RdfParseError
from gerokg.resources import prefixes

__all__ = [
    "FORMATS",
    "atomic_write",
    "canonical_graph",
    "compact_iri",
    "expand_curie",
    "format_for_path",
    "new_graph",
    "parse_rdf_file",
    "serialize_graph",
    "sha256_file",
]

#: file suffix -> rdflib parser name
FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".owl": "xml",
    ".rdf": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".trig": "trig",
    ".nq": "nquads",
}
_OUT_FORMATS = ("turtle", "xml", "nt", "json-ld")


def new_graph() -> Graph:
    """An empty rdflib graph with the project's prefixes bound (and no others)."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in sorted(prefixes().items()):
        g.bind(prefix, ns, override=True, replace=True)
    return g


def annotated_axiom(graph: Graph, source: Any, prop: Any, target: Any) -> BNode:
    """Add the ``owl:Axiom`` node that annotates the triple (source, prop, target) and return it,
    for the annotations (quotes, sources, supporting claims) to be added to."""
    ax = BNode()
    graph.add((ax, RDF.type, OWL.Axiom))
    graph.add((ax, OWL.annotatedSource, source))
    graph.add((ax, OWL.annotatedProperty, prop))
    graph.add((ax, OWL.annotatedTarget, target))
    return ax


def expand_curie(curie: str) -> URIRef:
    """Expand a CURIE with the project's prefix map.

    :param curie: for example ``CHEBI:9168``
    :returns: the IRI
    :raises ValueError: for an unknown prefix or a string that is not a CURIE

    >>> str(expand_curie("CHEBI:9168"))
    'http://purl.obolibrary.org/obo/CHEBI_9168'
    """
    prefix, sep, local = curie.partition(":")
    if not sep or not local or prefix not in prefixes():
        raise ValueError(f"not a CURIE with a known prefix: {curie!r}")
    if any(c in local for c in " <>\"{}|\\^`\n\t"):
        raise ValueError(f"illegal character in CURIE {curie!r}")
    return URIRef(prefixes()[prefix] + local)


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def term_iri(text: str) -> str:
    """The IRI of a term given as a CURIE, an http(s) IRI or an IRI in angle brackets.

    :raises ValueError: an unknown prefix, or characters no IRI may hold

    >>> term_iri("CHEBI:68478")
    'http://purl.obolibrary.org/obo/CHEBI_68478'
    """
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    iri = text if text.startswith(("http://", "https://")) else str(expand_curie(text))
    if _IRI_FORBIDDEN.search(iri):
        raise ValueError(f"not a valid IRI: {text!r}")
    return iri


def compact_iri(iri: str) -> str:
    """Compact an IRI to a CURIE with the longest matching namespace, or return it unchanged.

    >>> compact_iri("http://purl.obolibrary.org/obo/GO_0031929")
    'GO:0031929'
    """
    best = ""
    best_prefix = ""
    for prefix, ns in prefixes().items():
        if iri.startswith(ns) and len(ns) > len(best) and len(iri) > len(ns):
            best, best_prefix = ns, prefix
    return f"{best_prefix}:{iri[len(best):]}" if best else iri


# --------------------------------------------------------------------------------------------
# Canonical form
# --------------------------------------------------------------------------------------------


def _node_key(node: Any) -> tuple[int, str, str, str]:
    if isinstance(node, URIRef):
        return (0, str(node), "", "")
    if isinstance(node, BNode):
        return (1, str(node), "", "")
    assert isinstance(node, Literal)
    return (2, str(node), str(node.datatype or ""), node.language or "")


def _fast_bnode_labels(graph: Graph) -> dict[BNode, BNode] | None:
    """Deterministic labels for the blank nodes of an acyclic graph, or None.

    A blank node's label hashes what it says (its outgoing triples, recursively) and who points at
    it (incoming triples, with the subject's own label, up to named nodes). That suffices for the
    tree- and DAG-shaped blank nodes of OWL's RDF mapping (restrictions, lists, axiom
    annotations). Returns None, so that the caller falls back to rdflib's general algorithm, when
    the blank nodes form a cycle or two of them cannot be told apart.
    """
    out_edges: dict[BNode, list[tuple[Any, Any]]] = defaultdict(list)
    in_edges: dict[BNode, list[tuple[Any, Any]]] = defaultdict(list)
    bnodes: set[BNode] = set()
    for s, p, o in graph:
        if isinstance(s, BNode):
            bnodes.add(s)
            out_edges[s].append((p, o))
        if isinstance(o, BNode):
            bnodes.add(o)
            in_edges[o].append((s, p))
    if not bnodes:
        return {}
    labels = _bnode_signatures(bnodes, out_edges, in_edges)
    if labels is None or len(set(labels.values())) != len(labels):
        return None
    return {b: BNode("b" + h[:24]) for b, h in labels.items()}


def _bnode_signatures(bnodes: set[BNode], out_edges: dict[BNode, list[tuple[Any, Any]]],
                      in_edges: dict[BNode, list[tuple[Any, Any]]]) -> dict[BNode, str] | None:
    """Each blank node's hash of what it says and who points at it; None when they form a cycle."""
    down: dict[BNode, str] = {}
    up: dict[BNode, str] = {}
    visiting: set[BNode] = set()
    climbing: set[BNode] = set()

    class _Cycle(Exception):
        pass

    def term(n: Any, memo: Any) -> str:
        if isinstance(n, BNode):
            return "_:" + memo(n)
        return n.n3()

    def down_sig(b: BNode) -> str:
        if b in down:
            return down[b]
        if b in visiting:
            raise _Cycle
        visiting.add(b)
        parts = sorted(f"{p.n3()} {term(o, down_sig)}" for p, o in out_edges[b])
        visiting.discard(b)
        down[b] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return down[b]

    def up_sig(b: BNode) -> str:
        if b in up:
            return up[b]
        if b in climbing:
            raise _Cycle
        climbing.add(b)
        parts = sorted(f"{term(s, up_sig)} {p.n3()}" for s, p in in_edges[b])
        climbing.discard(b)
        up[b] = hashlib.sha256((down_sig(b) + "|" + "\n".join(parts)).encode()).hexdigest()
        return up[b]

    try:
        return {b: up_sig(b) for b in bnodes}
    except (_Cycle, RecursionError):
        return None


def canonical_graph(graph: Graph) -> Graph:
    """Return a copy of ``graph`` with canonical blank-node labels and sorted insertion order."""
    mapping = _fast_bnode_labels(graph)
    source: Graph
    if mapping is None:
        source = to_canonical_graph(graph)
    elif mapping:
        relabel: dict[Any, Any] = dict(mapping)
        source = new_graph()
        for s, p, o in graph:
            source.add((relabel.get(s, s), p, relabel.get(o, o)))
    else:
        source = graph
    out = new_graph()
    for triple in sorted(source, key=lambda t: (_node_key(t[0]), _node_key(t[1]), _node_key(t[2]))):
        out.add(triple)
    return out


def serialize_graph(graph: Graph, fmt: str) -> bytes:
    """Serialise a graph deterministically.

    :param graph: the graph
    :param fmt: ``turtle`` (rdflib longturtle), ``xml`` (RDF/XML in the OWL API's layout),
        ``nt`` (sorted N-Triples) or ``json-ld`` (flattened, sorted, compacted with the project's
        prefixes)
    :returns: UTF-8 bytes ending in a newline
    """
    if fmt not in _OUT_FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; expected one of {_OUT_FORMATS}")
    g = canonical_graph(graph)
    if fmt == "turtle":
        text = g.serialize(format="longturtle", canon=False)
    elif fmt == "nt":
        lines = sorted({line for line in g.serialize(format="nt").splitlines() if line.strip()})
        text = "\n".join(lines)
    elif fmt == "json-ld":
        text = _jsonld(g)
    else:
        text = _RdfXmlWriter(g).write()
    if not text.endswith("\n"):
        text += "\n"
    return text.encode("utf-8")


def _jsonld(g: Graph) -> str:
    used = set()

    def term(node: Any) -> Any:
        if isinstance(node, BNode):
            return {"@id": f"_:{node}"}
        if isinstance(node, URIRef):
            c = compact_iri(str(node))
            if c != str(node):
                used.add(c.split(":", 1)[0])
            return {"@id": c}
        value: dict[str, Any] = {"@value": str(node)}
        if node.language:
            value["@language"] = node.language
        elif node.datatype and node.datatype != XSD.string:
            dt = compact_iri(str(node.datatype))
            if dt != str(node.datatype):
                used.add(dt.split(":", 1)[0])
            value["@type"] = dt
        return value

    nodes = []
    for s in sorted(set(g.subjects()), key=_node_key):
        node: dict[str, Any] = {"@id": term(s)["@id"]}
        types = sorted((o for o in g.objects(s, RDF.type)), key=_node_key)
        if types:
            node["@type"] = [term(t)["@id"] for t in types]
        by_pred: dict[str, list[Any]] = defaultdict(list)
        for p, o in sorted(g.predicate_objects(s), key=lambda po: (_node_key(po[0]), _node_key(po[1]))):
            if p == RDF.type:
                continue
            by_pred[term(p)["@id"]].append(term(o))
        for key in sorted(by_pred):
            node[key] = by_pred[key]
        nodes.append(node)
    # "@prefix": true lets namespaces that end in "_" (OBO's CHEBI_, GO_) act as prefixes (JSON-LD 1.1)
    context: dict[str, Any] = {"@version": 1.1}
    context.update({p: {"@id": prefixes()[p], "@prefix": True} for p in sorted(used)})
    return json.dumps({"@context": context, "@graph": nodes}, ensure_ascii=False, indent=1, sort_keys=False)


_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


class _RdfXmlWriter:
    """RDF/XML in the layout the OWL API writes: typed node elements, one per named subject, with
    blank nodes referenced once nested in place and OWL lists as ``rdf:parseType="Collection"``."""

    def __init__(self, g: Graph) -> None:
        self.g = g
        self.ns: dict[str, str] = {"rdf": str(RDF)}
        for prefix in ("owl", "rdfs", "xsd", "obo", "oboInOwl", "dcterms", "skos", "gks", "prov"):
            self.ns[prefix] = prefixes()[prefix]
        self.refcount: Counter[BNode] = Counter(o for o in g.objects() if isinstance(o, BNode))
        self.lines: list[str] = []
        self.done: set[Any] = set()
        self._extra = 0

    def qname(self, iri: str) -> str:
        best = ""
        for prefix, ns in self.ns.items():
            if iri.startswith(ns) and len(ns) > len(self.ns.get(best, "")) and _NCNAME.match(iri[len(ns):]):
                best = prefix
        if best:
            return f"{best}:{iri[len(self.ns[best]):]}"
        m = re.search(r"[A-Za-z_][A-Za-z0-9_.\-]*$", iri)
        if not m or m.start() == 0:
            raise ValueError(f"cannot write {iri!r} as an RDF/XML element name")
        ns = iri[: m.start()]
        for prefix, known in self.ns.items():
            if known == ns:
                return f"{prefix}:{m.group(0)}"
        self._extra += 1
        prefix = f"ns{self._extra}"
        self.ns[prefix] = ns
        return f"{prefix}:{m.group(0)}"

    def inline(self, node: Any) -> bool:
        return isinstance(node, BNode) and self.refcount[node] == 1

    def is_list(self, node: Any) -> bool:
        seen = set()
        while node != RDF.nil:
            if not self.inline(node) or node in seen:
                return False
            seen.add(node)
            preds = set(self.g.predicates(node))
            if preds != {RDF.first, RDF.rest}:
                return False
            if len(list(self.g.objects(node, RDF.first))) != 1 or len(list(self.g.objects(node, RDF.rest))) != 1:
                return False
            node = self.g.value(node, RDF.rest)
        return True

    def write(self) -> str:
        # qnames of every predicate and type first, so that the namespace header is complete
        for p in sorted(set(self.g.predicates()), key=_node_key):
            self.qname(str(p))
        for t in sorted(set(self.g.objects(None, RDF.type)), key=_node_key):
            if isinstance(t, URIRef):
                self.qname(str(t))
        body: list[str] = []
        self.lines = body
        subjects = sorted(set(self.g.subjects()),
                          key=lambda n: ((n, RDF.type, OWL.Ontology) not in self.g, _node_key(n)))
        for s in subjects:
            if isinstance(s, URIRef):
                self.node(s, 1)
        for s in subjects:
            if isinstance(s, BNode) and s not in self.done and not self.inline(s):
                self.node(s, 1)
        for s in subjects:  # blank nodes in cycles of single references
            if s not in self.done:
                self.node(s, 1, force_id=True)
        head = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
        for prefix in sorted(self.ns):
            head.append(f"    xmlns:{prefix}={quoteattr(self.ns[prefix])}")
        head[-1] += ">"
        return "\n".join(head + body + ["</rdf:RDF>"])

    def node(self, s: Any, depth: int, force_id: bool = False) -> None:
        self.done.add(s)
        ind = "    " * depth
        types = sorted((t for t in self.g.objects(s, RDF.type) if isinstance(t, URIRef)), key=_node_key)
        element = self.qname(str(types[0])) if types else "rdf:Description"
        if isinstance(s, URIRef):
            attr = f" rdf:about={quoteattr(str(s))}"
        elif force_id or not self.inline(s):
            attr = f" rdf:nodeID={quoteattr(str(s))}"
        else:
            attr = ""
        props = sorted(self.g.predicate_objects(s), key=lambda po: (_node_key(po[0]), _node_key(po[1])))
        if types:
            props = [(p, o) for p, o in props if not (p == RDF.type and o == types[0])]
        if not props:
            self.lines.append(f"{ind}<{element}{attr}/>")
            return
        self.lines.append(f"{ind}<{element}{attr}>")
        for p, o in props:
            self.prop(p, o, depth + 1)
        self.lines.append(f"{ind}</{element}>")

    def prop(self, p: Any, o: Any, depth: int) -> None:
        ind = "    " * depth
        q = self.qname(str(p))
        if isinstance(o, URIRef):
            self.lines.append(f"{ind}<{q} rdf:resource={quoteattr(str(o))}/>")
        elif isinstance(o, Literal):
            attrs = ""
            if o.language:
                attrs = f" xml:lang={quoteattr(o.language)}"
            elif o.datatype and o.datatype != XSD.string:
                attrs = f" rdf:datatype={quoteattr(str(o.datatype))}"
            self.lines.append(f"{ind}<{q}{attrs}>{escape(str(o))}</{q}>")
        elif self.inline(o) and o not in self.done and self.is_list(o):
            self.lines.append(f'{ind}<{q} rdf:parseType="Collection">')
            node = o
            while node != RDF.nil:
                self.done.add(node)
                item = self.g.value(node, RDF.first)
                if isinstance(item, BNode) and self.inline(item) and item not in self.done:
                    self.node(item, depth + 1)
                elif isinstance(item, BNode):
                    self.lines.append(f"{ind}    <rdf:Description rdf:nodeID={quoteattr(str(item))}/>")
                else:
                    self.lines.append(f"{ind}    <rdf:Description rdf:about={quoteattr(str(item))}/>")
                node = self.g.value(node, RDF.rest)
            self.lines.append(f"{ind}</{q}>")
        elif self.inline(o) and o not in self.done:
            self.lines.append(f"{ind}<{q}>")
            self.node(o, depth + 1)
            self.lines.append(f"{ind}</{q}>")
        else:
            self.lines.append(f"{ind}<{q} rdf:nodeID={quoteattr(str(o))}/>")


# --------------------------------------------------------------------------------------------
# Safe parsing
# --------------------------------------------------------------------------------------------


def format_for_path(path: str | Path) -> str:
    """The rdflib parser name for a file, from its suffix (``.gz`` is not accepted)."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise RdfParseError(
            str(path),
            f"unknown RDF file type {suffix or '(none)'!r}; use one of {', '.join(sorted(FORMATS))}",
        )
    return FORMATS[suffix]


_LINE_PATTERNS = (
    re.compile(r"line (\d+)"),
    re.compile(r"at line:? ?(\d+)", re.I),
    re.compile(r":(\d+):\d+:"),
)


def _line_of(message: str) -> int | None:
    for pat in _LINE_PATTERNS:
        m = pat.search(message)
        if m:
            return int(m.group(1))
    return None


def _check_xml(path: str, data: bytes) -> None:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise RdfParseError(path, f"refused: the XML declares a DTD or entities ({type(exc).__name__}); "
                            "gerokg does not expand XML entities or fetch external ones") from None
    except Exception as exc:  # xml.etree.ElementTree.ParseError
        pos = getattr(exc, "position", None)
        raise RdfParseError(path, f"not well-formed XML: {exc}", pos[0] if pos else None) from None


def _parse_jsonld(path: str, data: bytes, base: str, target: Graph) -> None:
    """JSON-LD through Oxigraph's parser, which has no document loader: a remote ``@context``
    (at any depth, ``@import`` included) is an error, never a request."""
    import pyoxigraph as ox

    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RdfParseError(path, f"not UTF-8 (byte {exc.start})") from None
    # the JSON itself first (Python's parser bounds its recursion), then its depth: Oxigraph's
    # JSON-LD parser recurses on the process stack and must not see deeper documents
    try:
        doc = json.loads(data)
    except json.JSONDecodeError as exc:
        raise RdfParseError(path, f"not valid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise RdfParseError(path, f"refused: JSON nested more than {MAX_JSON_DEPTH} levels deep") from None
    if _json_depth(doc) > MAX_JSON_DEPTH:
        raise RdfParseError(path, f"refused: JSON nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        quads = list(ox.parse(data, format=ox.RdfFormat.JSON_LD, base_iri=base))
    except SyntaxError as exc:
        message = _one_line(exc)
        if "LoadDocumentCallback" in message or "remote context" in message.lower():
            raise RdfParseError(path, "refused: the file names a remote JSON-LD @context, which gerokg never fetches; "
                                      "inline the context in the file") from None
        raise RdfParseError(path, f"not valid JSON-LD: {message}", getattr(exc, "lineno", None)) from None
    except RecursionError:
        raise RdfParseError(path, "refused: JSON nested too deeply") from None
    nt = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)
    target.parse(data=nt or b"", format="nt")


#: the parts of parsers' messages that repeat the input itself (the "line" may be a secret file's)
_ECHO = re.compile(r"(?<=Invalid line)\s*:.*|\s*at \^ in:.*|\s*in:\s*\n.*", re.S)

#: how deeply a JSON-LD document may nest objects and arrays
MAX_JSON_DEPTH = 500


def _json_depth(doc: Any) -> int:
    deepest, stack = 0, [(doc, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in (node.values() if isinstance(node, dict) else node))
    return deepest


def _one_line(exc: BaseException, limit: int = 160) -> str:
    """A parser's message as one short, escaped line: never more than a short excerpt of the
    input it quotes (the input may not be the user's RDF at all)."""
    text = _ECHO.sub("", str(exc)).strip()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    first = lines[0] if lines else type(exc).__name__
    if first.endswith(":") and len(lines) > 1:  # rdflib: "at line 3 of <>:" then the reason
        first = f"{first} {lines[1]}"
    first = first.encode("unicode_escape").decode("ascii")
    return first if len(first) <= limit else first[:limit] + "…"


@contextlib.contextmanager
def open_regular(path: str | Path) -> Iterator[Any]:
    """Open ``path`` for reading only if it is a regular file (a link to one is followed):
    FIFOs, devices, sockets and folders are refused without blocking on them."""
    name = str(path)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise RdfParseError(name, f"cannot read: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = ("a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
                    else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
                    else "not a regular file")
            raise RdfParseError(name, f"refused: {kind}; gerokg reads only regular files")
        os.set_blocking(fd, True)
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        yield fh


def read_regular(path: str | Path, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file, refusing one larger than ``max_bytes`` (before reading it)."""
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if max_bytes is not None and size > max_bytes:
            raise RdfParseError(str(path), f"refused: {size / 1e6:.1f} MB is more than the {max_bytes / 1e6:.0f} MB "
                                           "this command reads")
        return fh.read()


def parse_rdf_file(
    path: str | Path,
    graph: Graph | None = None,
    fmt: str | None = None,
    max_bytes: int | None = None,
) -> Graph:
    """Parse an RDF file safely into ``graph`` (a new graph if None).

    Safe means: only regular files; no XML DTDs or entities; no remote JSON-LD contexts (the
    JSON-LD parser has no document loader); errors quote at most a short, escaped excerpt.

    :param path: the file; its suffix gives the format unless ``fmt`` is given
    :param graph: graph to add the triples to
    :param fmt: an rdflib parser name, overriding the suffix
    :param max_bytes: refuse a larger file (before reading it)
    :returns: the graph
    :raises RdfParseError: unreadable, malformed, too large or refused input, naming the file and line
    """
    p = Path(path)
    name = str(path)
    fmt = fmt or format_for_path(p)
    data = read_regular(p, max_bytes)
    target = graph if graph is not None else new_graph()
    scratch = new_graph()
    if fmt == "json-ld":
        _parse_jsonld(name, data, p.resolve().as_uri(), scratch)
    else:
        if fmt == "xml":
            _check_xml(name, data)
        else:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise RdfParseError(name, f"not UTF-8 text (byte {exc.start})") from None
        try:
            scratch.parse(data=data, format=fmt, publicID=p.resolve().as_uri())
        except Exception as exc:  # rdflib raises many types; report them all the same way
            message = _one_line(exc)
            raise RdfParseError(name, f"not valid {fmt}: {message}", _line_of(message)) from None
    for triple in scratch:
        for node in triple:
            if isinstance(node, URIRef) and _BAD_IRI.search(node):
                raise RdfParseError(name, f"invalid IRI {str(node)[:120]!r} (spaces, quotes, braces or angle brackets)")
        target.add(triple)
    return target


_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file in the same folder, then rename."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def sha256_file(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
