"""What a SPARQL request asks for, decided from a real parse, before the engine sees it.

The endpoint must never make an outbound request and must refuse updates, whatever the text
looks like. Scanning the text for keywords can be fooled (an escaped character in a prefixed
name, a ``\\u`` escape in an IRI, a comment marker inside a string), so this module parses the
text with rdflib's SPARQL 1.1 grammar and walks the syntax tree:

- a query that parses and holds no ``SERVICE`` pattern is run; its form (SELECT, ASK,
  CONSTRUCT, DESCRIBE) chooses the result format;
- a ``SERVICE`` pattern anywhere in the tree (sub-queries, OPTIONAL, EXISTS, MINUS, nested
  groups) is refused with 400;
- text that is not a query but parses as a SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP,
  ...) is refused with 403;
- anything else is a syntax error, reported as one line with its line and column (400);
- text longer than ``max_length`` characters, or nesting groups, sub-queries, expressions or
  property paths deeper than ``max_depth`` levels, is refused with 400 naming the limit, so
  that no input can exhaust the parser's (or the engine's) stack.

This is the first of two guards: the query workers also run in a network namespace with no
interface up (see :mod:`gerokg.sandbox`), so a query the engine reads differently from this
parser still cannot reach the network.
"""

from __future__ import annotations

import functools
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from gerokg.errors import QueryRefused

__all__ = ["QueryLimits", "QueryRefused", "analyse"]

#: syntax-tree nodes that open a nesting level: ``{ }`` groups (also the body of OPTIONAL,
#: MINUS, GRAPH, SERVICE, EXISTS and sub-queries), bracketed expressions and function
#: arguments, and bracketed property paths
_NESTING = frozenset({"GroupGraphPatternSub", "ConditionalOrExpression", "PathAlternative"})
#: Python frames rdflib's parser needs per nesting level, for the most frame-hungry construct
#: (nested function calls); measured on rdflib 7.6
_FRAMES_PER_LEVEL = 45
_QUERY_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
                "DescribeQuery": "DESCRIBE"}


@dataclass(frozen=True)
class QueryLimits:
    """How large and how deeply nested a query may be."""

    max_length: int = 100_000
    max_depth: int = 64


# rdflib's grammar is recursive descent: deep nesting needs a deep stack. The parse runs in one
# thread with a large stack and a recursion limit sized for ``max_depth`` levels, so a too-deep
# query ends in RecursionError (a 400) long before the process stack is at risk.
_parser_lock = threading.Lock()
_parser: ThreadPoolExecutor | None = None


def _parser_thread() -> ThreadPoolExecutor:
    global _parser
    with _parser_lock:
        if _parser is None:
            old = threading.stack_size()
            threading.stack_size(256 << 20)
            try:
                _parser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gerokg-sparql-parser")
                _parser.submit(lambda: None).result()  # start the thread with the large stack
            finally:
                threading.stack_size(old)
        return _parser


def _depth(tree: object) -> int:
    """The deepest nesting of groups, expressions and paths in a parsed query (iterative)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    deepest = 0
    stack: list[tuple[object, int]] = [(tree, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, CompValue):
            if node.name in _NESTING:
                level += 1
                deepest = max(deepest, level)
            stack.extend((v, level) for v in node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend((v, level) for v in node)
        elif isinstance(node, dict):
            stack.extend((v, level) for v in node.values())
    return deepest


def _names(tree: object) -> set[str]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    found: set[str] = set()
    stack: list[object] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            found.add(node.name)
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return found


def _syntax_message(exc: Exception, text: str) -> str:
    line = getattr(exc, "lineno", None)
    col = getattr(exc, "col", None)
    msg = getattr(exc, "msg", None) or str(exc).splitlines()[0]
    where = f" at line {line}, column {col}" if line and col else ""
    excerpt = ""
    if line:
        lines = text.splitlines() or [""]
        src = lines[min(line, len(lines)) - 1]
        start = max(0, (col or 1) - 21)
        excerpt = f" (near {src[start:start + 40]!r})"
    return f"SPARQL syntax error{where}: {msg}{excerpt}"


def _parse(text: str, limits: QueryLimits) -> tuple[str, set[str], int]:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 200 + _FRAMES_PER_LEVEL * limits.max_depth))
    try:
        try:
            tree = parseQuery(text)
        except ParseBaseException as exc:
            try:
                update = parseUpdate(text)
            except ParseBaseException:
                raise QueryRefused(400, _syntax_message(exc, text)) from None
            if not _names(update) - {"Update", "Prologue", "Base", "PrefixDecl"}:
                raise QueryRefused(400, _syntax_message(exc, text)) from None
            return "UPDATE", _names(update), _depth(update)
        form = next((_QUERY_FORMS[n.name] for n in tree if getattr(n, "name", None) in _QUERY_FORMS), "SELECT")
        return form, _names(tree), _depth(tree)
    except RecursionError:
        raise QueryRefused(400, f"the query nests groups, sub-queries, expressions or paths more than "
                                f"{limits.max_depth} levels deep (the endpoint's limit)") from None
    finally:
        sys.setrecursionlimit(old)


@functools.lru_cache(maxsize=1024)
def _analyse_cached(text: str, limits: QueryLimits) -> str:
    if len(text) > limits.max_length:
        raise QueryRefused(400, f"the query is {len(text)} characters long; the endpoint's limit is "
                                f"{limits.max_length}")
    form, names, depth = _parser_thread().submit(_parse, text, limits).result()
    if form == "UPDATE":
        raise QueryRefused(403, "read-only endpoint: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) is refused")
    if depth > limits.max_depth:
        raise QueryRefused(400, f"the query nests groups, sub-queries, expressions or paths {depth} levels deep; "
                                f"the endpoint's limit is {limits.max_depth}")
    if "ServiceGraphPattern" in names:
        raise QueryRefused(400, "SERVICE (federated query) is refused by this endpoint: it makes no outbound requests")
    return form


def analyse(text: str, limits: QueryLimits | None = None) -> str:
    """The form of a query the endpoint may run: SELECT, ASK, CONSTRUCT or DESCRIBE.

    :raises QueryRefused: 400 for a syntax error, SERVICE, or a query over the limits; 403 for
        an update. Verdicts are cached by text (the canned queries are parsed once).
    """
    return _analyse_cached(text, limits or QueryLimits())
