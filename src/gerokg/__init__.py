"""gerokg: a linked-data knowledge graph of geroconversion, mTOR, rapalogs, ageing and cancer.

The public API: build the release, load it as an rdflib graph, validate, query and reason.
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
)
from gerokg.api import build, load_graph, validate

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
    "__version__",
    "build",
    "load_graph",
    "validate",
]
