"""The canned SPARQL queries: catalogue, typed parameters, local and remote execution.

Each ``queries/*.rq`` file opens with a ``#+`` header in YAML (grlc style)::

    #+ id: claims-citing-reference
    #+ title: Claims citing a reference
    #+ question: Which claims cite reference number N of the review?
    #+ description: ...
    #+ params:
    #+   - {name: ref, type: integer, default: 110, description: ...}

A query whose header says ``card: claim`` returns claims: it selects ``?claim`` and its own
columns, and the loader joins it with the claim card (``queries/fragments/claim-card.rq``), so
every such query ends with the same qualifier columns (:data:`CLAIM_CARD`). ``aliases`` lists
older names the query still answers to.

A parameter ``name`` stands for the variable ``?name`` of the query. Values are parsed and typed
(``iri``, ``curie``, ``term`` (either), ``string``, ``integer``, ``decimal``, ``boolean``) and bound
as validated, serialised RDF terms in an inline ``VALUES`` block at the top of the query's WHERE
clause, the same text on the embedded store and on any SPARQL 1.1 endpoint. Raw user input never
reaches the query text: only terms that passed :func:`parse_param` are serialised. A ``term``
or ``curie`` parameter also takes a label or synonym (``--param term=rapamycin``), read by
:func:`gerokg.querying.terms.resolve_term` against the store the query runs on.

:func:`sparql_query` makes a query of any SPARQL text or ``.rq`` file, with the release's
prefixes predeclared; syntax errors are one line with the line and column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from gerokg.errors import ParameterError, QueryNotFoundError, QuerySyntaxError
from gerokg.rdf.rdfio import compact_iri, expand_curie
from gerokg.release.release import default_store
from gerokg.resources import prefixes, queries_dir

__all__ = [
    "CLAIM_CARD",
    "IRI",
    "PARAM_TYPES",
    "CannedQuery",
    "Param",
    "QueryResult",
    "bind_params",
    "bind_query_text",
    "claim_card_query",
    "list_queries",
    "load_query",
    "parse_param",
    "run_query",
    "sparql_query",
]

PARAM_TYPES = ("iri", "curie", "term", "string", "integer", "decimal", "boolean")
MAX_PARAM_LENGTH = 2000
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_IRI_SCHEME = re.compile(r"^(https?|urn|ftp|file|mailto):", re.I)
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_.]*):([A-Za-z0-9_][A-Za-z0-9_.\-]*)$")
_HEADER = re.compile(r"^#\+ ?(.*)$")


class IRI(str):
    """An IRI in query results; ``.curie`` gives its compact form."""

    @property
    def curie(self) -> str:
        return compact_iri(self)


@dataclass(frozen=True)
class Param:
    """A declared query parameter."""

    name: str
    type: str
    default: Any = None
    description: str = ""
    required: bool = False


@dataclass
class CannedQuery:
    """A query of the catalogue."""

    name: str
    path: Path
    title: str
    question: str
    description: str
    text: str
    params: tuple[Param, ...] = ()
    level: str | None = None
    check: str | None = None
    tags: tuple[str, ...] = ()
    form: str = "SELECT"
    card: bool = False
    aliases: tuple[str, ...] = ()
    #: offset in ``text`` where parameters are bound (the WHERE brace of the claim query inside
    #: the card); None: the top-level WHERE
    bind_at: int | None = None
    #: the query's own text, before the claim card was joined to it
    source: str = ""

    @property
    def is_qc(self) -> bool:
        return self.level is not None

    @property
    def columns(self) -> tuple[str, ...]:
        """The variables a SELECT query projects, in order (empty for other forms or ``*``)."""
        if self.form != "SELECT":
            return ()
        try:
            return tuple(_select_parts(self.text)[1])
        except QuerySyntaxError:
            return ()


@dataclass
class QueryResult:
    """Typed results of a query: ``rows`` for SELECT, ``boolean`` for ASK, ``triples`` for CONSTRUCT."""

    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Any, Any, Any]] | None = None
    #: whether the store answered with the reasoner's conclusions (its named graph
    #: https://w3id.org/gerokg/inferred holds them); None when unknown (a remote endpoint)
    inferred: bool | None = None

    def __len__(self) -> int:
        if self.triples is not None:
            return len(self.triples)
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def column(self, name: str) -> list[Any]:
        return [r.get(name) for r in self.rows]


def _parse_header(path: Path, text: str) -> dict[str, Any]:
    lines = []
    for line in text.splitlines():
        m = _HEADER.match(line)
        if m:
            lines.append(m.group(1))
        elif line.strip() and not line.startswith("#"):
            break
    try:
        meta = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        raise QuerySyntaxError(f"{path}: the '#+' header is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise QuerySyntaxError(f"{path}: the '#+' header must be a YAML mapping")
    return meta


def _load(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    meta = _parse_header(path, text)
    name = meta.get("id") or path.stem
    if name != path.stem:
        raise QuerySyntaxError(f"{path}: header id {name!r} differs from the file name {path.stem!r}")
    for key in ("title", "question", "description"):
        if not meta.get(key):
            raise QuerySyntaxError(f"{path}: the '#+' header lacks {key!r}")
    params = []
    for p in meta.get("params") or []:
        if not isinstance(p, dict) or "name" not in p or p.get("type") not in PARAM_TYPES:
            raise QuerySyntaxError(f"{path}: each parameter needs a name and a type in {PARAM_TYPES}: {p!r}")
        params.append(Param(name=str(p["name"]), type=str(p["type"]), default=p.get("default"),
                            description=str(p.get("description", "")), required=bool(p.get("required", False))))
    m = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", blank_non_code(text), re.I)
    card = meta.get("card")
    if card not in (None, "claim"):
        raise QuerySyntaxError(f"{path}: 'card' must be 'claim' (the claim card), not {card!r}")
    composed, bind_at = (_with_claim_card(path, text) if card else (text, None))
    return CannedQuery(
        name=name, path=path, title=str(meta["title"]), question=str(meta["question"]),
        description=str(meta["description"]), text=composed, params=tuple(params),
        level=meta.get("level"), check=meta.get("check"), tags=tuple(meta.get("tags") or ()),
        form=m.group(1).upper() if m else "SELECT", card=bool(card),
        aliases=tuple(str(a) for a in meta.get("aliases") or ()), bind_at=bind_at, source=text,
    )


# --------------------------------------------------------------------------------------------
# The claim card
# --------------------------------------------------------------------------------------------

_MODIFIERS = re.compile(r"\b(ORDER\s+BY|LIMIT|OFFSET)\b", re.I)


def _select_parts(text: str) -> tuple[int, list[str], int, int, int]:
    """Offsets of a SELECT query: (start of SELECT, projected variables, WHERE brace, its closing
    brace, start of ORDER BY/LIMIT/OFFSET or end)."""
    code = blank_non_code(text)
    m = re.search(r"\bSELECT\b", code, re.I)
    if not m:
        raise QuerySyntaxError("not a SELECT query")
    w = re.search(r"\bWHERE\b", code[m.end():], re.I)
    if not w:
        raise QuerySyntaxError("the SELECT query has no WHERE keyword")
    where_kw = m.end() + w.start()
    projection = code[m.end():where_kw]
    variables: list[str] = []
    depth = 0
    for tok in re.finditer(r"\(|\)|\bAS\s+\?(\w+)|\?(\w+)|\*", projection, re.I):
        t = tok.group(0)
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
        elif tok.group(1) and depth == 1:
            variables.append(tok.group(1))
        elif tok.group(2) and depth == 0:
            variables.append(tok.group(2))
        elif t == "*" and depth == 0:
            raise QuerySyntaxError("a claim query must name its columns (SELECT *)")
    brace = code.find("{", where_kw)
    depth, close = 0, -1
    for k in range(brace, len(code)):
        if code[k] == "{":
            depth += 1
        elif code[k] == "}":
            depth -= 1
            if depth == 0:
                close = k
                break
    if close < 0:
        raise QuerySyntaxError("unbalanced braces in the WHERE clause")
    mod = _MODIFIERS.search(code, close)
    return m.start(), variables, brace, close, mod.start() if mod else len(text)


@lru_cache(maxsize=1)
def _card() -> tuple[str, list[str], str, dict[str, str]]:
    """The claim card fragment: (its text, its columns, its WHERE body, its prefixes)."""
    path = queries_dir() / "fragments" / "claim-card.rq"
    text = path.read_text(encoding="utf-8")
    start, columns, brace, close, _end = _select_parts(text)
    declared = dict(re.findall(r"^PREFIX\s+(\w*):\s*<([^>]*)>", text, re.M))
    return text, columns, text[brace + 1:close], declared


#: the columns of the claim card, in order
CLAIM_CARD: tuple[str, ...] = ()


def claim_card_query(claims: list[str]) -> str:
    """The claim card query for the given claims (IRIs): the card fragment with the claims bound
    in an inline VALUES block, one row per claim (more when a claim has several organisms,
    populations or comparators).

    :raises ParameterError: an IRI that is not a valid absolute IRI
    """
    text = _card()[0]
    values = " ".join(serialize_term(_iri("claim", c)) for c in claims)
    at = _where_brace(text)
    return text[:at] + f"\n  VALUES ?claim {{ {values} }}\n" + text[at:]


def _with_claim_card(path: Path, text: str) -> tuple[str, int]:
    """The text of a claim query joined with the claim card, and where to bind its parameters."""
    try:
        start, own, brace, close, mod = _select_parts(text)
    except QuerySyntaxError as exc:
        raise QuerySyntaxError(f"{path}: {exc}") from None
    _text, card_cols, card_body, card_prefixes = _card()
    if "claim" not in own:
        raise QuerySyntaxError(f"{path}: a query with 'card: claim' must select ?claim")
    clash = [v for v in own if v in card_cols and v != "claim"]
    if clash:
        raise QuerySyntaxError(f"{path}: columns {', '.join('?' + c for c in clash)} are claim card columns; "
                               "select only ?claim and columns of the query's own, the card adds the rest")
    prologue = text[:start]
    declared = set(re.findall(r"^PREFIX\s+(\w*):", prologue, re.M))
    extra = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in card_prefixes.items() if p not in declared)
    inner = text[start:mod].rstrip()
    outer_mod = text[mod:].strip() or "ORDER BY ?claim"
    at = own.index("claim")  # the card stands where the query put ?claim
    columns = own[:at] + card_cols + own[at + 1:]
    head = prologue + extra + "SELECT " + " ".join("?" + c for c in columns) + " WHERE {\n  {\n"
    inner_text = "    " + inner.replace("\n", "\n    ") + "\n"
    composed = head + inner_text + "  }" + card_body.rstrip() + "\n}\n" + outer_mod + "\n"
    bind_at = len(head) + _where_brace(inner_text)
    return composed, bind_at


@lru_cache(maxsize=1)
def _catalogue(directory: str) -> dict[str, CannedQuery]:
    global CLAIM_CARD
    CLAIM_CARD = tuple(_card()[1])
    out = {}
    for path in sorted(Path(directory).glob("*.rq")):
        q = _load(path)
        out[q.name] = q
    return out


@lru_cache(maxsize=1)
def _aliases(directory: str) -> dict[str, str]:
    out = {}
    for q in _catalogue(directory).values():
        for a in q.aliases:
            out[a] = q.name
    return out


@lru_cache(maxsize=1)
def _queries_dir() -> str:
    return str(queries_dir())


def list_queries(include_qc: bool = True) -> list[CannedQuery]:
    """All canned queries, sorted by name."""
    return [q for q in _catalogue(_queries_dir()).values() if include_qc or not q.is_qc]


def load_query(name: str) -> CannedQuery:
    """Return one canned query by name (file stem).

    :raises QueryNotFoundError: no query has that name (the message lists close names)
    """
    cat = _catalogue(_queries_dir())
    name = _aliases(_queries_dir()).get(name, name)
    if name not in cat:
        import difflib

        close = difflib.get_close_matches(name.lower(), list(cat), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see 'gerokg query --list'"
        raise QueryNotFoundError(f"no canned query named {name!r}{hint}")
    return cat[name]


# --------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------


def _check_text(name: str, value: str) -> str:
    if len(value) > MAX_PARAM_LENGTH:
        raise ParameterError(f"parameter {name!r}: value longer than {MAX_PARAM_LENGTH} characters")
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\t":
            raise ParameterError(f"parameter {name!r}: control or unassigned character U+{ord(ch):04X} not allowed")
    return value


def _iri(name: str, value: str) -> ox.NamedNode:
    if _IRI_FORBIDDEN.search(value) or not _IRI_SCHEME.match(value):
        raise ParameterError(
            f"parameter {name!r}: {value[:80]!r} is not an absolute IRI (http(s)/urn scheme, "
            "no spaces, quotes, angle brackets, braces or backslashes)")
    if unicodedata.normalize("NFKC", value) != value:
        raise ParameterError(f"parameter {name!r}: IRI contains look-alike (non NFKC-normal) characters")
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise ParameterError(f"parameter {name!r}: invalid IRI: {exc}") from None


def _curie(name: str, value: str) -> ox.NamedNode:
    m = _CURIE.match(value)
    if not m or m.group(1) not in prefixes():
        known = ", ".join(sorted(p for p in prefixes() if p[0].isupper()))
        raise ParameterError(f"parameter {name!r}: {value[:80]!r} is not a CURIE with a known prefix ({known})")
    return ox.NamedNode(str(expand_curie(value)))


def parse_param(param: Param, value: Any, store: Any = None) -> ox.NamedNode | ox.Literal:
    """Parse a raw value (a string from the CLI or HTTP, or a Python value) into an RDF term.

    A ``term`` or ``curie`` parameter takes a CURIE, an IRI, or a label or synonym of a term of
    ``store`` (default: the release), read by :func:`gerokg.querying.terms.resolve_term`.

    :raises ParameterError: the value does not fit the parameter's type
    :raises TermResolutionError: a name that fits no term, or several (a ParameterError too)
    """
    t = param.type
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if t in ("iri", "curie", "term", "string") and not isinstance(value, str):
        raise ParameterError(f"parameter {param.name!r} takes a {t}, got {type(value).__name__}")
    if isinstance(value, str):
        value = _check_text(param.name, value)
    if t == "iri":
        return _iri(param.name, value)
    if t in ("curie", "term"):
        from gerokg.querying.terms import curie_or_iri, resolve_term

        text = value.strip()
        if _IRI_SCHEME.match(text):
            return _iri(param.name, text)
        if _CURIE.match(text) and curie_or_iri(text) is None:
            return _curie(param.name, text)  # an unknown prefix: say which prefixes there are
        iri = resolve_term(text, store, what=f"parameter {param.name!r}")
        return _iri(param.name, iri)
    if t == "string":
        return ox.Literal(value)
    if t == "integer":
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and re.fullmatch(r"[+-]?\d{1,18}", value.strip()))):
            raise ParameterError(f"parameter {param.name!r} takes an integer, got {str(value)[:40]!r}")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    if t == "decimal":
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ParameterError(f"parameter {param.name!r} takes a number, got {str(value)[:40]!r}") from None
        if not number.is_finite():
            raise ParameterError(f"parameter {param.name!r} takes a finite number")
        return ox.Literal(str(number), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    if t == "boolean":
        text = str(value).strip().lower()
        if text not in ("true", "false", "1", "0"):
            raise ParameterError(f"parameter {param.name!r} takes true or false, got {str(value)[:40]!r}")
        return ox.Literal("true" if text in ("true", "1") else "false",
                          datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    raise ParameterError(f"parameter {param.name!r}: unknown type {t!r}")  # pragma: no cover


def bind_params(query: CannedQuery, values: dict[str, Any], store: Any = None) -> dict[str, ox.NamedNode | ox.Literal]:
    """Check and type the parameter values of a query (defaults fill the gaps).

    :param store: the store the query will run on, whose labels and synonyms a term parameter
        may name (default: the release); CURIEs and IRIs need no store
    :raises ParameterError: an unknown or missing parameter, or a badly typed value
    :raises TermResolutionError: a term named by a label or synonym that fits no term, or several
    """
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        allowed = ", ".join(declared) or "none"
        raise ParameterError(f"query {query.name!r} has no parameter {unknown[0]!r} (parameters: {allowed})")
    bound = {}
    for p in query.params:
        raw = values.get(p.name, p.default)
        if raw is None:
            if p.required:
                raise ParameterError(f"query {query.name!r} needs parameter {p.name!r}")
            continue
        bound[p.name] = parse_param(p, raw, store)
    return bound


def serialize_term(term: ox.NamedNode | ox.Literal) -> str:
    """The SPARQL text of a validated term: an IRI in angle brackets or an escaped literal."""
    if isinstance(term, ox.NamedNode):
        if _IRI_FORBIDDEN.search(term.value):  # parse_param guarantees this; re-checked here
            raise ParameterError(f"refusing to serialise IRI {term.value[:80]!r}")
        return f"<{term.value}>"
    text = (term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        return f'"{text}"^^<{term.datatype.value}>'
    return f'"{text}"'


def blank_non_code(text: str) -> str:
    """The query text with comments, string literals and IRIs blanked out, offsets unchanged.

    Keyword and brace searches on the result cannot be fooled by a ``{``, ``WHERE`` or
    ``SERVICE`` inside a string, an IRI or a comment.
    """
    out = list(text)
    i, n = 0, len(text)

    def blank(a: int, b: int) -> None:
        for k in range(a, min(b, n)):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            j = n if j == -1 else j
            blank(i, j)
            i = j
        elif c in "\"'":
            q3 = text[i:i + 3]
            if q3 in ('"""', "'''"):
                j = text.find(q3, i + 3)
                j = n if j == -1 else j + 3
            else:
                j = i + 1
                while j < n and text[j] != c and text[j] != "\n":
                    j += 2 if text[j] == "\\" else 1
                j += 1
            blank(i + 1, j - 1)
            i = j
        elif c == "<" and (m := re.match(r"<[^<>\"{}|^`\\\s]*>", text[i:])):
            blank(i + 1, i + m.end() - 1)
            i += m.end()
        else:
            i += 1
    return "".join(out)


def _where_brace(text: str) -> int:
    """Offset just after the opening brace of the query's top-level WHERE clause."""
    code = blank_non_code(text)
    depth = 0
    for m in re.finditer(r"[{}]|\bWHERE\b", code, re.I):
        token = m.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            j = code.find("{", m.end())
            if j != -1:
                return j + 1
    raise QuerySyntaxError("the query has no top-level WHERE { ... } clause to bind parameters in")


@lru_cache(maxsize=256)
def _where_brace_cached(text: str) -> int:
    return _where_brace(text)


def bind_query_text(query: CannedQuery, bound: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query text with its parameters bound by an inline VALUES block at the top of WHERE.

    Each value is a validated, serialised RDF term; omitted optional parameters are UNDEF, so a
    query can test them with BOUND(). The same text runs on the embedded store and on any SPARQL
    1.1 endpoint.
    """
    if not query.params:
        return query.text
    names = [p.name for p in query.params]
    row = " ".join(serialize_term(bound[n]) if n in bound else "UNDEF" for n in names)
    block = f"\n  VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}\n"
    at = query.bind_at if query.bind_at is not None else _where_brace_cached(query.text)
    return query.text[:at] + block + query.text[at:]


# --------------------------------------------------------------------------------------------
# Ad-hoc SPARQL
# --------------------------------------------------------------------------------------------


def prefix_prologue(text: str) -> str:
    """One line of PREFIX declarations: the release's prefixes that ``text`` does not declare."""
    declared = {m.casefold() for m in re.findall(r"\bPREFIX\s+(\w*):", blank_non_code(text), re.I)}
    return " ".join(f"PREFIX {p}: <{ns}>" for p, ns in prefixes().items() if p.casefold() not in declared)


def sparql_query(text: str, path: str | Path | None = None) -> CannedQuery:
    """A query of any SPARQL text, the release's prefixes predeclared (``CHEBI:``, ``gks:``, ...).

    A ``.rq`` file with a ``#+`` header is loaded as a canned query (parameters, claim card).

    :param text: the SPARQL text
    :param path: the file it came from, named in error messages
    :raises QuerySyntaxError: the text does not parse (one line: where, and what was expected)

    >>> sparql_query("SELECT ?l WHERE { CHEBI:9168 rdfs:label ?l }").form
    'SELECT'
    """
    where = Path(path) if path is not None else Path("<sparql>")
    if path is not None and where.is_file() and text.lstrip().startswith("#+"):
        meta = _parse_header(where, text)
        if meta.get("title") and meta.get("question") and meta.get("description"):
            return _load(where)
    prologue = prefix_prologue(text)
    full = prologue + "\n" + text
    m = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", blank_non_code(text), re.I)
    if not m:
        raise QuerySyntaxError(f"{where}: not a SPARQL query (no SELECT, CONSTRUCT, ASK or DESCRIBE)")
    try:
        ox.Store().query(full)
    except SyntaxError as exc:
        raise QuerySyntaxError(readable_syntax_error(text, str(exc), where, line_offset=1)) from None
    return CannedQuery(name=where.stem, path=where, title=where.name, question="", description="",
                       text=full, form=m.group(1).upper(), source=text)


_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


def readable_syntax_error(text: str, message: str, where: str | Path = "<sparql>", line_offset: int = 0) -> str:
    """One line naming where a SPARQL text fails to parse and what was expected there.

    :param text: the query text as the user wrote it
    :param message: the engine's message (``error at LINE:COLUMN: expected ...``)
    :param line_offset: lines added before ``text`` (a predeclared prologue)

    >>> readable_syntax_error("SELECT * WHERE { ?x foo:bar ?y }", "error at 1:21: expected one of Prefix not found")[:65]
    "<sparql>: line 1, column 21: unknown prefix 'foo:' (declare it wi"
    """
    m = _POSITION.search(message)
    if not m:
        return f"{where}: {' '.join(message.split())[:200]}"
    line, col, rest = int(m.group(1)) - line_offset, int(m.group(2)), " ".join(m.group(3).split())
    lines = text.splitlines() or [""]
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    if "Prefix not found" in rest:
        pm = re.compile(r"([A-Za-z_][\w.-]*)?:").match(src, max(col - 1, 0))
        if pm is None:  # the engine pointed elsewhere: the last prefixed name before it
            pm = next(reversed(list(re.finditer(r"([A-Za-z_][\w.-]*)?:", src[: max(col, 1)]))), None)
        name = pm.group(0) if pm else ":"
        col = pm.start() + 1 if pm else col
        known = " ".join(p + ":" for p in prefixes())
        return f"{where}: line {line}, column {col}: unknown prefix {name!r} (declare it with PREFIX; predeclared: {known})"
    near = src[max(col - 1, 0):max(col - 1, 0) + 30].strip()
    if len(rest) > 120:
        rest = rest[:117].rsplit(",", 1)[0] + ", …"
    found = f" at {near!r}" if near else " at the end"
    return f"{where}: line {line}, column {col}: {rest}{found}"


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------

_XSD = "http://www.w3.org/2001/XMLSchema#"


def typed_value(lexical: str, datatype: str) -> Any:
    """The Python value of a literal: int, Decimal, float or bool by XSD datatype, else the text.

    >>> typed_value("3.4", "http://www.w3.org/2001/XMLSchema#decimal")
    Decimal('3.4')
    """
    try:
        if datatype in _INTEGERS:
            return int(lexical)
        if datatype == _XSD + "decimal":
            return Decimal(lexical)
        if datatype in (_XSD + "double", _XSD + "float"):
            return float(lexical)
        if datatype == _XSD + "boolean":
            return lexical in ("true", "1")  # Virtuoso answers booleans as "1"
    except (ValueError, InvalidOperation):
        return lexical
    return lexical


_INTEGERS = frozenset(_XSD + t for t in ("integer", "int", "long", "nonNegativeInteger", "gYear"))


def _py(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return typed_value(term.value, term.datatype.value if term.datatype else "")
    return str(term)


def run_query(
    name_or_query: str | CannedQuery,
    store: Any = None,
    params: dict[str, Any] | None = None,
) -> QueryResult:
    """Run a canned query on the embedded store.

    :param name_or_query: a query name or a :class:`CannedQuery`
    :param store: a :class:`gerokg.release.store.GerokgStore` (default: the release, in memory)
    :param params: parameter values, raw or typed
    :returns: typed results
    :raises QueryNotFoundError, ParameterError, QuerySyntaxError:
    """
    from gerokg.release.store import GerokgStore

    q = load_query(name_or_query) if isinstance(name_or_query, str) else name_or_query
    st: GerokgStore = store if store is not None else default_store()
    text = bind_query_text(q, bind_params(q, params or {}, st))
    try:
        res = st.ox.query(text)
    except SyntaxError as exc:
        raise QuerySyntaxError(readable_syntax_error(text, str(exc), q.path)) from None
    result = _collect(res)
    result.inferred = holds_inferences(st)
    return result


def holds_inferences(store: Any) -> bool:
    """True when the store holds the reasoner's conclusions (in the named graph gerokg.why reads)."""
    from gerokg.vocab import INFERRED_GRAPH

    oxs = getattr(store, "ox", store)
    return next(iter(oxs.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED_GRAPH))), None) is not None


def _collect(res: Any) -> QueryResult:
    if isinstance(res, ox.QueryBoolean):
        return QueryResult(boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        variables = [v.value for v in res.variables]
        rows = [{v: _py(sol[v]) for v in variables} for sol in res]
        return QueryResult(variables=variables, rows=rows)
    triples = [(t.subject, t.predicate, t.object) for t in res]
    return QueryResult(triples=triples)
