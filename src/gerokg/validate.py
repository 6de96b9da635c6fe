"""SHACL validation of the release, or of a user's files merged with it (pySHACL).

The shapes (``shapes/*.ttl``) are the contract of the graph: what a claim, a quantity, a native
term, an alignment and the ontology header must look like. ``validate`` returns a typed
:class:`ValidationReport`; non-conformance is a result, not an exception.
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
from gerokg.rdfio import compact_iri, new_graph, parse_rdf_file, serialize_graph
from gerokg.resources import shapes_dir

__all__ = ["ValidationReport", "ValidationResult", "load_shapes", "validate"]


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
            return f"conforms: yes ({self.triples} triples validated)"
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


#: the largest input file ``validate`` reads by default (validation holds the graph in memory)
MAX_INPUT_BYTES = 64 * 1000 * 1000


def validate(
    data: Graph | str | Path | Iterable[str | Path] | None = None,
    with_release: bool = True,
    max_bytes: int | None = MAX_INPUT_BYTES,
) -> ValidationReport:
    """Validate RDF against gerokg's shapes.

    :param data: an rdflib graph, one file or several (Turtle, RDF/XML, JSON-LD, N-Triples, ...);
        None validates the release itself
    :param with_release: merge the data with the release, so that a user's claims can refer to
        gerokg's terms and imported terms (the default)
    :param max_bytes: refuse an input file larger than this (None: no limit); SHACL validation
        holds the whole graph in memory, so big data is better validated in parts or in a store
    :returns: the report (``conforms`` is False when any violation is found)
    :raises RdfParseError: an input file cannot be read, naming the file and line
    """
    import pyshacl

    g = new_graph()
    if data is None or with_release:
        from gerokg.api import load_graph

        for t in load_graph():
            g.add(t)
    if isinstance(data, Graph):
        for t in data:
            g.add(t)
    elif isinstance(data, (str, Path)):
        parse_rdf_file(data, g, max_bytes=max_bytes)
    elif data is not None:
        for item in data:
            parse_rdf_file(item, g, max_bytes=max_bytes)
    conforms, report_graph, _text = pyshacl.validate(
        g, shacl_graph=load_shapes(), inference="none", advanced=True, allow_warnings=True,
        abort_on_first=False, meta_shacl=False, js=False, debug=False,
    )
    if not isinstance(report_graph, Graph):  # pyshacl returns a ValidationFailure for bad shapes
        raise ShapeLoadError(f"the shapes could not be applied: {report_graph}")
    results = []
    for r in report_graph.subjects(RDF.type, SH.ValidationResult):
        severity = report_graph.value(r, SH.resultSeverity)
        value = report_graph.value(r, SH.value)
        message = report_graph.value(r, SH.resultMessage)
        results.append(ValidationResult(
            focus_node=_term(report_graph.value(r, SH.focusNode)),
            source_shape=_term(report_graph.value(r, SH.sourceShape)),
            message=str(message) if message is not None else "",
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            path=_path(report_graph, report_graph.value(r, SH.resultPath)),
            value=None if value is None else (_term(value) if not isinstance(value, Literal) else str(value)),
            constraint=_term(report_graph.value(r, SH.sourceConstraintComponent)),
            source_constraint=(_term(report_graph.value(r, SH.sourceConstraint))
                               if report_graph.value(r, SH.sourceConstraint) is not None else None),
        ))
    results.sort(key=lambda r: (r.focus_node, r.source_shape, r.message, r.value or ""))
    return ValidationReport(conforms=bool(conforms), results=results, graph=report_graph, triples=len(g))
