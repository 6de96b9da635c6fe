"""Exceptions raised by gerokg.

Every error names the file, line, term, query or parameter at fault and what to do next. The CLI
maps them to exit code 2 (load or usage error); non-conformance is a result, not an exception.
"""

from __future__ import annotations

__all__ = [
    "BuildError",
    "CurationError",
    "DiffError",
    "DocsError",
    "GerokgError",
    "GraphvizError",
    "ImportRefreshError",
    "NotFound",
    "NotInStoreError",
    "OntologyLoadError",
    "ParameterError",
    "QueryNotFoundError",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "ReasonerError",
    "RdfParseError",
    "RemoteError",
    "RequestError",
    "ShapeLoadError",
    "StoreInUseError",
    "TermResolutionError",
    "UnknownTermError",
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


class StoreInUseError(GerokgError):
    """Another process serves the store folder (its lock is held)."""


class ReasonerError(GerokgError):
    """The OWL reasoner could not run, or found the ontology inconsistent."""


class TermResolutionError(ParameterError, LookupError):
    """A name does not resolve to exactly one term: none has it as CURIE, IRI, label or synonym,
    or several do (``candidates`` lists them as ``(CURIE, label)`` pairs, best first).

    :param name: the name as given
    :param candidates: the terms it could mean (ambiguous), or close names (not found)
    :param ambiguous: True when several terms share the name
    """

    def __init__(self, name: str, candidates: list[tuple[str, str]], ambiguous: bool, what: str = "",
                 rule: str = "name") -> None:
        self.name = name
        self.candidates = list(candidates)
        self.ambiguous = ambiguous
        where = f"{what}: " if what else ""
        listed = "; ".join(f"{c} ({label})" if label else c for c, label in self.candidates[:8])
        more = f" and {len(self.candidates) - 8} more" if len(self.candidates) > 8 else ""
        if ambiguous:
            message = (f"{where}{name!r} is the {rule} of {len(self.candidates)} terms: {listed}{more}; "
                       "give the CURIE of the one you mean")
        else:
            hint = f"; close names: {listed}{more}" if self.candidates else ""
            message = (f"{where}no term has {name!r} as CURIE, IRI, label or synonym{hint} "
                       "(give a CURIE such as CHEBI:9168, or look the name up with 'gerokg term NAME')")
        super().__init__(message)


class DiffError(GerokgError, ValueError):
    """A folder given to ``gerokg diff`` is not a release (missing, or without its manifest)."""


class UnknownTermError(GerokgError, LookupError):
    """A term named by IRI or CURIE is not in the graph or store asked (explain, why, diagrams);
    a name that fits no term, or several, is a :class:`TermResolutionError`."""


#: the name :mod:`gerokg.answers.why` has always raised: the same error
NotInStoreError = UnknownTermError


class RequestError(GerokgError):
    """A request that gets an HTTP error status, with a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class QueryRefused(RequestError):
    """A query the endpoint will not run (SERVICE, an update, over a size or depth limit), with the
    HTTP status to answer."""


class NotFound(GerokgError):
    """A page that does not exist (404)."""


class QueryTimeout(GerokgError):
    """A query stopped by a limit of the pool (time, memory, busy workers): a 503."""


class RemoteError(GerokgError):
    """A remote endpoint could not be reached or refused the request."""


class GraphvizError(GerokgError):
    """Graphviz's ``dot`` is missing, failed or took too long; the message says what to do."""


class DocsError(GerokgError):
    """The documentation could not be generated or written; files already there are left as they were."""
