"""gerokg: a linked-data knowledge graph of geroconversion, mTOR, rapalogs, ageing and cancer.

The public API: build the release, load it as an rdflib graph, validate, query, reason and
explain (causal chains with ``explain``, classifications with ``why``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gerokg._version import __version__
from gerokg.errors import (
    BuildError,
    CurationError,
    GerokgError,
    ImportRefreshError,
    OntologyLoadError,
    ParameterError,
    QueryNotFoundError,
    QuerySyntaxError,
    RdfParseError,
    ReasonerError,
    ShapeLoadError,
    TermResolutionError,
)

_API = ("build", "explain", "load_graph", "query", "reason", "sparql", "term", "to_networkx", "validate", "why")

if TYPE_CHECKING:
    from gerokg.api import build, explain, load_graph, query, reason, sparql, term, to_networkx, validate, why


def __getattr__(name: str) -> Any:
    """The API functions, imported on first use: ``import gerokg`` (and ``gerokg --help``) loads
    neither rdflib nor pyoxigraph."""
    if name in _API:
        from gerokg import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'gerokg' has no attribute {name!r}")


__all__ = [
    "BuildError",
    "CurationError",
    "GerokgError",
    "ImportRefreshError",
    "OntologyLoadError",
    "ParameterError",
    "QueryNotFoundError",
    "QuerySyntaxError",
    "RdfParseError",
    "ReasonerError",
    "ShapeLoadError",
    "TermResolutionError",
    "__version__",
    "build",
    "explain",
    "load_graph",
    "query",
    "reason",
    "sparql",
    "term",
    "to_networkx",
    "validate",
    "why",
]
