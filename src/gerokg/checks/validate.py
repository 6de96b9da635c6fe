"""SHACL validation of the release, or of a user's files merged with it.

The shapes (``shapes/*.ttl``) are the contract of the graph: what a claim, a quantity, a native
term, an alignment and the ontology header must look like. ``validate`` returns a typed
:class:`ValidationReport`; non-conformance is a result, not an exception.

Two engines give the same reports (``tests/test_engines.py`` holds them to it on every shape
fixture and a corpus of broken claims):

- ``turbo`` (the default): pyshacl-turbo, a SHACL engine in Rust with pySHACL's interface, about
  twenty times faster on the release (see benchmarks/RESULTS.md);
- ``pyshacl``: pySHACL, the reference implementation in Python.

A user's file is validated against the release without validating the whole release again: the
release's own report is computed once per release and kept by content hash
(:mod:`gerokg.cache`); the merged graph is then validated only on the nodes the user's file
touches (its subjects and objects, and the release's nodes up to two steps from them), and the
two reports are joined. A file holding blank nodes, or literals where a shape targets the objects
of a predicate, is validated in full instead, because neither engine can be asked to check such a
focus node alone.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from gerokg.errors import RdfParseError, ShapeLoadError
from gerokg.rdf.rdfio import compact_iri, new_graph, parse_rdf_file, serialize_graph
from gerokg.release.assemble import release_ntriples
from gerokg.resources import shapes_dir

__all__ = ["DEFAULT_ENGINE", "ENGINES", "ValidationReport", "ValidationResult", "load_shapes", "validate"]

#: the SHACL engines ``validate`` can run, and the one it runs by default
ENGINES = ("turbo", "pyshacl")
DEFAULT_ENGINE = "turbo"


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL validation result."""

    focus_node: str
    source_shape: str
    message: str
    severity: str
    path: str | None = None
    value: str | None = None
    constraint: str | None = None
    source_constraint: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


@dataclass
class ValidationReport:
    """The outcome of validating a graph against gerokg's shapes."""

    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)
    graph: Graph = field(default_factory=new_graph)
    triples: int = 0
    #: the engine that produced the report (``turbo`` or ``pyshacl``)
    engine: str = DEFAULT_ENGINE
    #: how many focus nodes of the user's data were checked against the release, or None when
    #: the whole graph was validated
    focus_nodes: int | None = None

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    def by_focus_node(self) -> dict[str, list[ValidationResult]]:
        grouped: dict[str, list[ValidationResult]] = defaultdict(list)
        for r in self.results:
            grouped[r.focus_node].append(r)
        return dict(sorted(grouped.items()))

    def text(self) -> str:
        """A readable report, grouped by focus node."""
        if not self.results:
            scope = (f"{self.focus_nodes} node(s) of your data checked against the release's {self.triples} triples"
                     if self.focus_nodes is not None else f"{self.triples} triples validated")
            return f"conforms: yes ({scope}; engine {self.engine})"
        lines = [f"conforms: {'yes' if self.conforms else 'no'} — {len(self.violations)} violation(s), "
                 f"{len(self.results) - len(self.violations)} other result(s) in {self.triples} triples"]
        for focus, results in self.by_focus_node().items():
            lines.append(f"\n{focus}")
            for r in results:
                where = f" {r.path}" if r.path else ""
                value = f" (value: {r.value})" if r.value is not None else ""
                shape = r.source_constraint or r.source_shape
                lines.append(f"  [{r.severity}]{where}: {r.message}{value}  <{shape}>")
        return "\n".join(lines)

    def json(self) -> str:
        return json.dumps({"conforms": self.conforms, "triples": self.triples,
                           "results": [r.as_dict() for r in self.results]}, indent=1, ensure_ascii=False)

    def turtle(self) -> str:
        return serialize_graph(self.graph, "turtle").decode("utf-8")


@lru_cache(maxsize=1)
def _shapes_cached(directory: str) -> Graph:
    g = new_graph()
    g.bind("gksh", "https://w3id.org/gerokg/shapes/")
    g.bind("sh", str(SH))
    for path in sorted(Path(directory).glob("*.ttl")):
        try:
            parse_rdf_file(path, g)
        except RdfParseError as exc:
            raise ShapeLoadError(f"{exc} (see https://www.w3.org/TR/shacl/ for the shapes language)") from None
    return g


def load_shapes() -> Graph:
    """All of gerokg's shapes as one graph."""
    return _shapes_cached(str(shapes_dir()))


def _term(node: Any) -> str:
    if isinstance(node, URIRef):
        return compact_iri(str(node))
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _path(report: Graph, node: Any) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        return compact_iri(str(node))
    inverse = report.value(node, SH.inversePath)
    if inverse is not None:
        return f"^{_term(inverse)}"
    return _term(node)


def _engine_version(engine: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pyshacl-turbo" if engine == "turbo" else "pyshacl")
    except PackageNotFoundError:
        return "?"


def _run_engine(engine: str, data: Any, focus_nodes: list[str] | None = None) -> tuple[bool, Graph]:
    """One SHACL run with gerokg's shapes and settings; ``data`` is an rdflib graph or, for
    ``turbo``, a pyoxigraph store."""
    options: dict[str, Any] = dict(shacl_graph=load_shapes(), inference="none", advanced=True, allow_warnings=True,
                                   abort_on_first=False, focus_nodes=focus_nodes)
    if engine == "pyshacl":
        import pyshacl

        if not isinstance(data, Graph):
            data = _to_rdflib(data)
        conforms, report_graph, _text = pyshacl.validate(data, meta_shacl=False, js=False, debug=False, **options)
    elif engine == "turbo":
        import pyshacl_turbo

        conforms, report_graph, _text = pyshacl_turbo.validate(data, **options)
    else:
        raise ValueError(f"unknown SHACL engine {engine!r}; use one of {', '.join(ENGINES)}")
    if not isinstance(report_graph, Graph):  # a ValidationFailure for shapes the engine cannot apply
        raise ShapeLoadError(f"the shapes could not be applied ({engine}): {report_graph}")
    return bool(conforms), report_graph


def _to_rdflib(store: Any) -> Graph:
    import pyoxigraph as ox

    g = new_graph()
    g.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode("utf-8"), format="nt")
    return g


def _results(report_graph: Graph) -> list[ValidationResult]:
    shapes = load_shapes()
    results = []
    for r in report_graph.subjects(RDF.type, SH.ValidationResult):
        severity = report_graph.value(r, SH.resultSeverity)
        value = report_graph.value(r, SH.value)
        # a result can carry several messages (a SPARQL constraint's own and its shape's): the
        # constraint's own is the precise one; otherwise all of them, in a fixed order
        messages = sorted({str(m) for m in report_graph.objects(r, SH.resultMessage)})
        constraint = report_graph.value(r, SH.sourceConstraint)
        own = {str(m) for m in shapes.objects(constraint, SH.message)} if constraint is not None else set()
        message = "; ".join(m for m in messages if m in own) or "; ".join(messages)
        results.append(ValidationResult(
            focus_node=_term(report_graph.value(r, SH.focusNode)),
            source_shape=_term(report_graph.value(r, SH.sourceShape)),
            message=message,
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            path=_path(report_graph, report_graph.value(r, SH.resultPath)),
            value=None if value is None else (_term(value) if not isinstance(value, Literal) else str(value)),
            constraint=_term(report_graph.value(r, SH.sourceConstraintComponent)),
            source_constraint=(_term(report_graph.value(r, SH.sourceConstraint))
                               if report_graph.value(r, SH.sourceConstraint) is not None else None),
        ))
    results.sort(key=lambda r: (r.focus_node, r.source_shape, r.message, r.value or ""))
    return results


def _release_store() -> Any:
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(release_ntriples(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    return store


def _release_report(engine: str) -> tuple[bool, list[ValidationResult], bytes]:
    """The release's own report with ``engine``: conforms, results and the report graph as
    N-Triples, computed once per release and engine version."""
    from gerokg.rdf.cache import cached_bytes, digest, sources_digest

    def make() -> bytes:
        data = _release_store() if engine == "turbo" else parse_rdf_bytes(release_ntriples())
        conforms, report_graph = _run_engine(engine, data)
        return json.dumps({"conforms": conforms, "results": [r.as_dict() for r in _results(report_graph)],
                           "report": report_graph.serialize(format="nt")}, ensure_ascii=False).encode("utf-8")

    key = digest([sources_digest(), engine, _engine_version(engine)])
    kept = json.loads(cached_bytes(f"shacl-report-{engine}", key, make))
    return bool(kept["conforms"]), [ValidationResult(**r) for r in kept["results"]], kept["report"].encode("utf-8")


def parse_rdf_bytes(data: bytes) -> Graph:
    g = new_graph()
    g.parse(data=data.decode("utf-8"), format="nt")
    return g


def _unselectable(user: Graph) -> bool:
    """True when the user's data may hold focus nodes that neither engine can be asked to check
    alone: blank nodes, and literals that a shape targets (the object of a predicate named by
    ``sh:targetObjectsOf``, e.g. a label where a claim expects a term)."""
    if any(isinstance(n, BNode) for t in user for n in (t[0], t[2])):
        return True
    targeted = set(load_shapes().objects(None, SH.targetObjectsOf))
    return any(isinstance(o, Literal) and p in targeted for _s, p, o in user)


def _touched(user: Graph, store: Any, hops: int = 2) -> set[URIRef]:
    """The IRIs of the user's triples, and, for each release node the user's triples describe,
    the release's subjects up to ``hops`` steps before it (a claim whose quantity the user's file
    changes is checked again too)."""
    import pyoxigraph as ox

    nodes: set[URIRef] = {n for t in user for n in (t[0], t[2]) if isinstance(n, URIRef)}
    frontier = {s for s in user.subjects() if isinstance(s, URIRef)}
    for _ in range(hops):
        new: set[URIRef] = set()
        for n in frontier:
            for q in store.quads_for_pattern(None, None, ox.NamedNode(str(n)), ox.DefaultGraph()):
                if isinstance(q.subject, ox.NamedNode):
                    s = URIRef(q.subject.value)
                    if s not in nodes:
                        new.add(s)
        nodes |= new
        frontier = new
    return nodes


def _result_nodes(report: Graph, node: Any) -> Iterable[tuple[Any, Any, Any]]:
    """The triples describing one validation result (its blank-node closure)."""
    todo, seen = [node], set()
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        for t in report.triples((n, None, None)):
            yield t
            if isinstance(t[2], BNode):
                todo.append(t[2])


#: the largest input file ``validate`` reads by default (validation holds the graph in memory)
MAX_INPUT_BYTES = 64 * 1000 * 1000


def validate(
    data: Graph | str | Path | Iterable[str | Path] | None = None,
    with_release: bool = True,
    max_bytes: int | None = MAX_INPUT_BYTES,
    engine: str = DEFAULT_ENGINE,
    full: bool = False,
) -> ValidationReport:
    """Validate RDF against gerokg's shapes.

    :param data: an rdflib graph, one file or several (Turtle, RDF/XML, JSON-LD, N-Triples, ...);
        None validates the release itself
    :param with_release: merge the data with the release, so that a user's claims can refer to
        gerokg's terms and imported terms (the default)
    :param max_bytes: refuse an input file larger than this (None: no limit); SHACL validation
        holds the whole graph in memory, so big data is better validated in parts or in a store
    :param engine: ``turbo`` (pyshacl-turbo, the default) or ``pyshacl``; both give the same
        reports
    :param full: validate every node of the merged graph instead of the user's nodes against the
        release's kept report (same results; slower)
    :returns: the report (``conforms`` is False when any violation is found)
    :raises RdfParseError: an input file cannot be read, naming the file and line
    """
    import pyoxigraph as ox

    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r}; use one of {', '.join(ENGINES)}")
    user = _user_graph(data, max_bytes)
    if data is not None and not with_release:
        conforms, report_graph = _run_engine(engine, user)
        return ValidationReport(conforms=conforms, results=_results(report_graph), graph=report_graph,
                                triples=len(user), engine=engine)
    if data is None and not full:  # the release alone: its kept report
        conforms, results, report_nt = _release_report(engine)
        return ValidationReport(conforms=conforms, results=results, graph=parse_rdf_bytes(report_nt),
                                triples=len(release_ntriples().splitlines()), engine=engine)

    store = _release_store()
    if len(user):
        store.bulk_load(user.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
                        to_graph=ox.DefaultGraph())
    triples = len(store)
    data_graph: Any = store if engine == "turbo" else _to_rdflib(store)
    if full or data is None or not len(user) or _unselectable(user):
        conforms, report_graph = _run_engine(engine, data_graph)
        return ValidationReport(conforms=conforms, results=_results(report_graph), graph=report_graph,
                                triples=triples, engine=engine)

    touched = _touched(user, store)
    conforms, report_graph = _run_engine(engine, data_graph, sorted(str(n) for n in touched))
    conforms, results = _with_release_results(engine, conforms, report_graph, {_term(n) for n in touched})
    return ValidationReport(conforms=conforms, results=results, graph=report_graph, triples=triples,
                            engine=engine, focus_nodes=len(touched))


def _user_graph(data: Graph | str | Path | Iterable[str | Path] | None, max_bytes: int | None) -> Graph:
    """The user's data as one graph (a copy of a graph, or the files read into it)."""
    user = new_graph()
    if isinstance(data, Graph):
        for t in data:
            user.add(t)
    elif isinstance(data, (str, Path)):
        parse_rdf_file(data, user, max_bytes=max_bytes)
    elif data is not None:
        for item in data:
            parse_rdf_file(item, user, max_bytes=max_bytes)
    return user


def _with_release_results(engine: str, conforms: bool, report_graph: Graph,
                          touched_terms: set[str]) -> tuple[bool, list[ValidationResult]]:
    """Add to ``report_graph`` (a report on the touched nodes) the release's kept results on the
    nodes the user's file does not reach; the merged verdict and results, sorted."""
    results = _results(report_graph)
    release_conforms, release_results, release_report = _release_report(engine)
    kept = [r for r in release_results if r.focus_node not in touched_terms]
    if kept:  # the release's own results on nodes the user's file does not reach
        conforms = conforms and release_conforms
        kept_graph = parse_rdf_bytes(release_report)
        report_node = next(report_graph.subjects(RDF.type, SH.ValidationReport))
        keep = {(r.focus_node, r.source_shape, r.message, r.value) for r in kept}
        for node in kept_graph.subjects(RDF.type, SH.ValidationResult):
            (one,) = _results(_subgraph(kept_graph, node))
            if (one.focus_node, one.source_shape, one.message, one.value) in keep:
                for t in _result_nodes(kept_graph, node):
                    report_graph.add(t)
                report_graph.add((report_node, SH.result, node))
        report_graph.set((report_node, SH.conforms, Literal(conforms)))
        results = sorted(results + kept, key=lambda r: (r.focus_node, r.source_shape, r.message, r.value or ""))
    return conforms, results


def _subgraph(report: Graph, node: Any) -> Graph:
    g = new_graph()
    for t in _result_nodes(report, node):
        g.add(t)
    return g
