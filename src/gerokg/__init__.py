"""gerokg: a linked-data knowledge graph of geroconversion, mTOR, rapalogs, ageing and cancer.

The public API: build the release, load it as an rdflib graph, validate, query, reason and
explain (causal chains with ``explain``, classifications with ``why``).
"""

from __future__ import annotations

__version__ = "0.1.0"

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
# Import the submodules that share a name with an API function first, so that a later
# ``import gerokg.query`` cannot rebind ``gerokg.query`` to the module.
import gerokg.explain  # noqa: F401
import gerokg.query  # noqa: F401
import gerokg.reason  # noqa: F401
import gerokg.terms  # noqa: F401
import gerokg.validate  # noqa: F401
import gerokg.why  # noqa: F401
from gerokg.api import build, explain, load_graph, query, reason, sparql, term, to_networkx, validate, why

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
