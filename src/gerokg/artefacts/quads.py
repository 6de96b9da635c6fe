"""The release as an RDF dataset: ``gerokg-full.nq`` and ``gerokg-full.trig`` with one named graph per part.

Graphs (IRIs in :data:`GRAPHS` and the module IRIs of :func:`gerokg.sources.imports.module_iri`):

- ``https://w3id.org/gerokg/gerokg.owl``: the native ontology (without ``owl:imports``);
- ``https://w3id.org/gerokg/imports/<name>_import.owl``: each import module (without its header);
- ``https://w3id.org/gerokg/gerokg-bridge.owl``: the bridge module (the axioms about imported
  classes that claims state, and the review's names for imported terms);
- ``https://w3id.org/gerokg/claims``: the claims, the review and its sections;
- ``https://w3id.org/gerokg/inferred``: the reasoner's conclusions (builds with ``--inferred``);
- ``https://w3id.org/gerokg/queries``: the query catalogue.

The ontology, module and claims graphs together hold exactly the triples of ``gerokg-full.nt``.
Lines are sorted N-Quads; blank-node labels get a per-graph prefix, so no blank node is shared
between graphs. The TriG file holds the same statements, one block per graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL

from gerokg.rdf.rdfio import new_graph, serialize_graph
from gerokg.vocab import CATALOGUE_GRAPH, CLAIMS_GRAPH, INFERRED_GRAPH

__all__ = ["CATALOGUE_GRAPH", "CLAIMS_GRAPH", "INFERRED_GRAPH", "dataset_graphs", "nquads", "split_nquads", "trig"]



def dataset_graphs(ontology_iri: URIRef, onto: Graph, modules: dict[str, Graph], claims: Graph,
                   catalogue: Graph | None = None, inferred: Graph | None = None,
                   bridge: tuple[URIRef, Graph] | None = None) -> dict[str, Graph]:
    """The release's named graphs, graph IRI to graph.

    :param ontology_iri: the native ontology's IRI, also its graph's name
    :param onto: the ontology graph (its ``owl:imports`` are left out)
    :param modules: import modules by name (their ontology headers are left out)
    :param claims: the claims graph
    :param catalogue: the query catalogue
    :param inferred: the reasoner's conclusions
    :param bridge: the bridge module's IRI and graph (the axioms about imported classes; its
        header and imports are left out)
    """
    from gerokg.sources.imports import module_iri

    named: dict[str, Graph] = {}
    g = new_graph()
    for t in onto:
        if t[1] != OWL.imports:
            g.add(t)
    named[str(ontology_iri)] = g
    headers = {module_iri(n) for n in modules}
    for name, module in modules.items():
        m = new_graph()
        for t in module:
            if t[0] not in headers:
                m.add(t)
        named[str(module_iri(name))] = m
    if bridge is not None:
        b = new_graph()
        for t in bridge[1]:
            if t[0] != bridge[0]:
                b.add(t)
        named[str(bridge[0])] = b
    named[CLAIMS_GRAPH] = claims
    if catalogue is not None:
        named[CATALOGUE_GRAPH] = catalogue
    if inferred is not None:
        named[INFERRED_GRAPH] = inferred
    return named


def _quad_lines(named: dict[str, Graph]) -> Iterator[tuple[str, str]]:
    for i, iri in enumerate(sorted(named)):
        prefix = f"g{i}"
        for line in serialize_graph(named[iri], "nt").decode("utf-8").splitlines():
            if not line.strip():
                continue
            body = line[:-2].rstrip() if line.endswith(" .") else line
            if body.startswith("_:"):
                body = f"_:{prefix}" + body[2:]
            head, _, last = body.rpartition(" ")
            if last.startswith("_:"):
                body = f"{head} _:{prefix}{last[2:]}"
            yield iri, body


def nquads(named: dict[str, Graph]) -> bytes:
    """Sorted N-Quads of the named graphs (deterministic)."""
    lines = sorted(f"{body} <{iri}> ." for iri, body in _quad_lines(named))
    return ("\n".join(lines) + "\n").encode("utf-8")


def trig(named: dict[str, Graph]) -> bytes:
    """TriG of the named graphs: one block per graph, statements sorted (deterministic)."""
    by_graph: dict[str, list[str]] = {}
    for iri, body in _quad_lines(named):
        by_graph.setdefault(iri, []).append(body + " .")
    out = ["# gerokg release: one named graph per part (native ontology, each import module, claims,",
           "# inferences, query catalogue)."]
    for iri in sorted(by_graph):
        out.append(f"<{iri}> {{")
        out.extend(f"  {t}" for t in sorted(by_graph[iri]))
        out.append("}")
    return ("\n".join(out) + "\n").encode("utf-8")


def split_nquads(data: bytes | str | Path) -> dict[str, bytes]:
    """Split N-Quads into N-Triples per named graph (``""`` for the default graph), with pyoxigraph.

    :param data: N-Quads bytes or a file path
    :returns: graph IRI to sorted N-Triples bytes
    :raises ValueError: the N-Quads do not parse (pyoxigraph's message names the line)
    """
    import pyoxigraph as ox

    text = Path(data).read_bytes() if isinstance(data, (str, Path)) else data
    graphs: dict[str, list[str]] = {}
    try:
        for q in ox.parse(text, format=ox.RdfFormat.N_QUADS):
            name = "" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
            graphs.setdefault(name, []).append(f"{q.subject} {q.predicate} {q.object} .")
    except SyntaxError as exc:
        raise ValueError(f"not valid N-Quads: {exc}") from None
    return {g: ("\n".join(sorted(lines)) + "\n").encode("utf-8") for g, lines in sorted(graphs.items())}
