"""Remote SPARQL endpoints: run the canned queries through SPARQLWrapper (publishing the release
to a store is :mod:`gerokg.artefacts.publish`).
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from gerokg.errors import RemoteError
from gerokg.querying.canned import IRI, CannedQuery, QueryResult, bind_params, bind_query_text, load_query, typed_value

__all__ = ["RemoteError", "run_remote_query"]



def _py_json(binding: dict[str, Any]) -> Any:
    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return IRI(value)
    if kind == "bnode":
        return f"_:{value}"
    return typed_value(value, binding.get("datatype", ""))


def run_remote_query(
    name_or_query: str | CannedQuery,
    endpoint: str,
    params: dict[str, Any] | None = None,
    timeout: float = 60.0,
    default_graph: str | list[str] | None = None,
) -> QueryResult:
    """Run a canned query on a remote SPARQL 1.1 endpoint (SPARQLWrapper).

    ``default_graph`` sends the protocol's ``default-graph-uri``: the graph gerokg was published
    to, for stores whose default graph is the union of all their graphs (Virtuoso). Several
    graphs (those of ``gerokg-full.nq``) make the query's default graph their merge.

    Parameters are bound exactly as on the embedded store (validated terms in an inline VALUES
    block), so the same text runs everywhere.

    :raises RemoteError: the endpoint cannot be reached or answers with an error
    """
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    q = load_query(name_or_query) if isinstance(name_or_query, str) else name_or_query
    text = bind_query_text(q, bind_params(q, params or {}))
    # the '#+' metadata header stays home: SPARQLWrapper guesses the query type from the text
    # and would take a word such as "adds" in a description for an update keyword
    text = "\n".join(line for line in text.splitlines() if not line.startswith("#+"))
    sw = SPARQLWrapper(endpoint)
    for graph in [default_graph] if isinstance(default_graph, str) else default_graph or []:
        sw.addDefaultGraph(graph)
    sw.setQuery(text)
    sw.setMethod(POST)
    sw.setTimeout(int(timeout))
    try:
        if q.form in ("CONSTRUCT", "DESCRIBE"):
            sw.setReturnFormat(TURTLE)
            data = sw.query().convert()
            import pyoxigraph as ox

            # parsed by the engine the embedded store uses, so the triples are the same Python
            # types (pyoxigraph terms) whichever backend answered
            body = data if isinstance(data, bytes) else str(data).encode("utf-8")
            try:
                parsed = [(t.subject, t.predicate, t.object) for t in ox.parse(body, format=ox.RdfFormat.TURTLE)]
            except SyntaxError as exc:
                raise RemoteError(f"{endpoint}: the answer to {q.name!r} is not Turtle: {str(exc)[:200]}") from None
            return QueryResult(triples=parsed)
        sw.setReturnFormat(JSON)
        doc = sw.query().convert()
    except SPARQLWrapperException as exc:
        raise RemoteError(f"{endpoint}: the endpoint refused query {q.name!r}: {str(exc)[:500]}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise RemoteError(f"{endpoint}: cannot reach the endpoint: {exc}") from None
    if not isinstance(doc, dict):
        raise RemoteError(f"{endpoint}: unexpected answer to query {q.name!r}")
    if "boolean" in doc:
        return QueryResult(boolean=bool(doc["boolean"]))
    variables = list(doc.get("head", {}).get("vars", []))
    rows = [{v: (_py_json(b[v]) if v in b else None) for v in variables} for b in doc["results"]["bindings"]]
    return QueryResult(variables=variables, rows=rows)
