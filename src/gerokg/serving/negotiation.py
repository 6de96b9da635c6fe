"""Content negotiation of the endpoint: the result or graph format from ``?format=`` or the
``Accept`` header, whether a browser wants the HTML page, and the CORS header every answer carries."""

from __future__ import annotations

import contextlib

from gerokg.errors import RequestError
from gerokg.querying.workers import GRAPH_FORMATS, SELECT_FORMATS

__all__ = ["ACCEPT_ALIASES", "accept_choices", "cors", "negotiate", "wants_html"]

ACCEPT_ALIASES = {
    "application/json": "json", "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
    "text/plain": "ntriples", "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml",
}



def accept_choices(accept: str | None) -> list[tuple[float, str]]:
    """(q, media type) of each entry of an Accept header, in the header's order."""
    choices = []
    for part in (accept or "").split(","):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(b[2:])
        choices.append((q, bits[0].lower()))
    return choices


def negotiate(accept: str | None, explicit: str | None, graph: bool) -> str | None:
    """The output format key from ``?format=`` or the Accept header (None: the default)."""
    allowed = GRAPH_FORMATS if graph else SELECT_FORMATS
    if explicit:
        key = explicit.lower()
        if key not in allowed and key not in SELECT_FORMATS and key not in GRAPH_FORMATS:
            raise RequestError(400, f"unknown format {explicit!r}; use one of {', '.join(list(SELECT_FORMATS) + list(GRAPH_FORMATS))}")
        return key
    if not accept:
        return None
    for _q, mime in sorted(accept_choices(accept), key=lambda c: -c[0]):
        alias = ACCEPT_ALIASES.get(mime)
        if alias and (alias in allowed):
            return alias
    return None


def wants_html(accept: str | None, explicit: str | None) -> bool:
    """``format=html``, or no format asked and the Accept header prefers text/html to every
    result format it lists (browsers list text/html first)."""
    if explicit:
        return explicit.lower() == "html"
    best_html, best_other = -1.0, -1.0
    for q, mime in accept_choices(accept):
        if mime in ("text/html", "application/xhtml+xml"):
            best_html = max(best_html, q)
        elif mime in ACCEPT_ALIASES:
            best_other = max(best_other, q)
    # a tie goes to the data: a SPARQL client that also accepts HTML wants results
    return best_html > 0 and best_html > best_other


def cors(headers: dict[str, str] | None = None) -> dict[str, str]:
    """The CORS header of every answer (read-only data: any origin), with ``headers``."""
    out = {"Access-Control-Allow-Origin": "*"}
    out.update(headers or {})
    return out
