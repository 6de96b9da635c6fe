"""Exceptions raised by gerokg.

Every error names the file, line, term, query or parameter at fault and what to do next. The CLI
maps them to exit code 2 (load or usage error); non-conformance is a result, not an exception.
"""

from __future__ import annotations

__all__ = [
    "BuildError",
    "CurationError",
    "DiffError",
    "GerokgError",
    "ImportRefreshError",
    "OntologyLoadError",
    "ParameterError",
    "QueryNotFoundError",
    "QuerySyntaxError",
    "ReasonerError",
    "RdfParseError",
    "ShapeLoadError",
]


class GerokgError(Exception):
    """Base class of gerokg's errors."""


class RdfParseError(GerokgError, ValueError):
    """An RDF file could not be read: names the file and, where known, the line."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class OntologyLoadError(GerokgError):
    """The ontology source or a release artifact is missing or unreadable."""


class CurationError(GerokgError, ValueError):
    """Curated source data (terms, claims) is wrong; lists every problem with file and line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        head = f"{len(self.problems)} curation problem(s):"
        super().__init__("\n".join([head, *("  " + p for p in self.problems)]))


class BuildError(GerokgError):
    """The release could not be built; the previous artifacts are left as they were."""


class ImportRefreshError(GerokgError):
    """An import module could not be extracted from its source data."""


class ShapeLoadError(GerokgError):
    """A SHACL shapes file could not be read."""


class QueryNotFoundError(GerokgError, LookupError):
    """No canned query has that name."""


class QuerySyntaxError(GerokgError, ValueError):
    """A SPARQL query does not parse."""


class ParameterError(GerokgError, ValueError):
    """A query parameter is unknown, missing or has a value of the wrong type."""


class ReasonerError(GerokgError):
    """The OWL reasoner could not run, or found the ontology inconsistent."""


class DiffError(GerokgError, ValueError):
    """A folder given to ``gerokg diff`` is not a release (missing, or without its manifest)."""
