"""``gerokg mcp``: the graph for AI assistants, as a Model Context Protocol server.

Built with the official MCP Python SDK (``mcp``, its :class:`~mcp.server.mcpserver.MCPServer`),
over stdio by default or streamable HTTP on 127.0.0.1 (``--http --port N``).

Tools (JSON schemas with typed, described parameters): ``search_terms``, ``term_card``,
``term_dossier``, ``get_claim``, ``run_query`` (a canned query by name; its schema gives every
catalogue parameter with its catalogue type and default, and which queries take it),
``why_classified``, ``explain_chain``,
``open_questions``, ``tensions``, and ``sparql`` only with ``--allow-sparql``. Every answer that
speaks of claims carries their claim cards (id, subject, relation, object, polarity, kind, hedge,
verbatim quote, references, section, context ...: the columns of
``queries/fragments/claim-card.rq``, read by :class:`gerokg.querying.dossier.ClaimCard`) and says whether
the reasoner's conclusions were in the store (``inferences_included``).

Resources: the query catalogue (JSON and Turtle), a VoID description of the graph, and the
modelling guide (``ontology/MODELLING.md``) when the package ships it. Prompt: ``cite_claims``,
which tells an assistant to cite claim ids and keep the review's hedges.

Read-only and bounded like ``gerokg serve``: the store is made by
:func:`gerokg.serving.server.prepare_store`, canned queries, claim cards and SPARQL run in the endpoint's
sandboxed worker pool (:class:`gerokg.querying.workers.QueryPool`: the parse check, no network, the
timeout, the memory budget, the row limit); term cards (:func:`gerokg.term`, which runs the
term-dossier query in this process), search and ``why`` read the read-only store in this process,
as the endpoint's term pages do, and ``explain`` follows the release's claims as ``gerokg
explain`` does. Bad arguments are tool errors (``isError``) whose text names the parameter;
nothing is a crash.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from gerokg.errors import GerokgError
from gerokg.rdf.rdfio import compact_iri
from gerokg.vocab import CLAIM

__all__ = ["McpBackend", "build_server", "run"]

CLAIM_NS = CLAIM
_CLAIM_ID = re.compile(r"^(?:gkc:|https://w3id\.org/gerokg/claim/)?(C\d{4,})$", re.I)
_XSD = "http://www.w3.org/2001/XMLSchema#"
#: JSON Schema of each catalogue parameter type
_JSON_TYPES: dict[str, dict[str, Any]] = {
    "iri": {"type": "string", "format": "iri", "description": "an absolute IRI"},
    "curie": {"type": "string", "description": "a CURIE with one of the release's prefixes (CHEBI:9168), or a label or synonym"},
    "term": {"type": "string", "description": "a term: CURIE (CHEBI:9168), IRI, label or synonym (sirolimus, rapamycin)"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
}

INSTRUCTIONS = (
    "gerokg is a knowledge graph of one review article on rapamycin, rapalogs, mTOR, ageing and cancer "
    "prevention. Every claim has an id (gkc:C0197), a verbatim quote of the review, the review's reference "
    "numbers and an epistemic status (kind: hypothesis, clinical observation, open question ...; polarity: "
    "affirmed or negated; hedge: the review's hedging words). Name terms by CURIE, label or synonym "
    "(search_terms finds them). When you answer from these tools, cite the claim ids you rely on, quote "
    "the review's words, keep its hedges and say when a claim is negated, a hypothesis or an open question; "
    "never invent an IRI or a claim id."
)

PROMPT = """Answer the question below from the gerokg knowledge graph, using its tools.

Question: {question}

Rules:
1. Look terms up first (search_terms, term_card); never write an IRI or CURIE you have not seen in a tool's answer.
2. Support every statement with the claims it rests on and cite their ids in brackets, e.g. [C0197].
3. Quote the review's words (the claim's "quote") for the key statements.
4. Keep the epistemic status: say when a claim is a hypothesis, an interpretation or an open question, keep
   its hedge ("may", "at least in theory") and never turn a negated claim into an affirmed one.
5. Give the review's reference numbers (the claim's "references") when you cite a finding.
6. Say whether the answer includes the reasoner's inferences (the tools' "inferences_included").
7. If the graph does not say something, say so rather than filling the gap from memory.
"""


class _StoreHolder:
    """A read-only pyoxigraph store with the ``.ox`` attribute gerokg's modules take."""

    def __init__(self, store: Any) -> None:
        self.ox = store


class McpBackend:
    """The store, the worker pool and the operations the tools call (plain dicts out).

    :param config: the endpoint's limits (timeout, row limit, workers, query length, depth, memory)
    :raises GerokgError: the store cannot be made or is in use
    """

    def __init__(self, config: Any, release: str | Path | None = None, extra: Iterable[str | Path] = (),
                 location: str | Path | None = None, inferred: bool = False,
                 progress: Callable[[str], None] | None = None) -> None:
        import pyoxigraph as ox

        from gerokg.querying.canned import holds_inferences
        from gerokg.querying.workers import QueryPool
        from gerokg.release.release import Release
        from gerokg.release.store import StoreLock
        from gerokg.serving.server import prepare_store

        self.config = config
        #: the release served: every answer, explanation and page reads this one
        self.release = Release(release, extra, inferred, location)
        self.lock = StoreLock(location) if location is not None else None
        try:
            self.store_path, self.temporary, self.triples = prepare_store(location, release, extra, inferred, progress)
            if progress:
                progress(f"starting {config.workers} query worker(s)")
            self.pool = QueryPool(self.store_path, config.workers, config.worker_limits())
        except BaseException:
            if self.lock is not None:
                self.lock.release()
            if getattr(self, "temporary", False):
                shutil.rmtree(self.store_path, ignore_errors=True)
            raise
        self.store = _StoreHolder(ox.Store.read_only(str(self.store_path)))
        self.inferred = holds_inferences(self.store)
        self._site: Any = None
        self._site_lock = threading.Lock()
        self.closed = False

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.pool.close()
        if self.lock is not None:
            self.lock.release()
        if self.temporary:
            shutil.rmtree(self.store_path, ignore_errors=True)

    # -- the worker pool
    def _run(self, text: str) -> tuple[Any, bool, str]:
        """Run SPARQL text in the pool: (parsed JSON results or Turtle text, truncated, form)."""
        from gerokg.querying.workers import QueryTimeout

        cfg = self.config
        try:
            res = self.pool.run(text, "json", "turtle", cfg.max_rows, cfg.timeout)
        except QueryTimeout as exc:
            raise GerokgError(str(exc)) from None
        if res.status != 200:
            raise GerokgError(res.body.decode("utf-8", "replace"))
        if res.form in ("CONSTRUCT", "DESCRIBE"):
            return res.body.decode("utf-8", "replace"), res.truncated, res.form
        return json.loads(res.body), res.truncated, res.form

    @staticmethod
    def _value(term: dict[str, str] | None) -> Any:
        from gerokg.querying.canned import IRI, typed_value

        if term is None:
            return None
        if term["type"] == "uri":
            return IRI(term["value"])
        if term["type"] == "bnode":
            return "_:" + term["value"]
        return typed_value(term["value"], term.get("datatype", ""))

    def _rows(self, doc: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
        variables = doc["head"].get("vars", [])
        return variables, [{v: self._value(b.get(v)) for v in variables} for b in doc["results"]["bindings"]]

    @staticmethod
    def _plain(value: Any) -> Any:
        """A JSON value: IRIs as CURIEs (claims as gkc:C0197), numbers as numbers."""
        from decimal import Decimal

        from gerokg.querying.canned import IRI

        if isinstance(value, IRI):
            return compact_iri(value)
        if isinstance(value, Decimal):
            return float(value) if value != value.to_integral_value() else int(value)
        return value

    @staticmethod
    def card(row: dict[str, Any]) -> dict[str, Any]:
        """A claim card as JSON, from a row of a claim query (the one claim reader)."""
        from gerokg.querying.dossier import ClaimCard

        return card_dict(ClaimCard.from_row(row))

    def claim_cards(self, claims: Iterable[str]) -> list[dict[str, Any]]:
        """The claim cards of claims named by IRI, in the given order, read by the claim card
        query (``queries/fragments/claim-card.rq``) in the worker pool."""
        from gerokg.querying.canned import claim_card_query

        iris = list(dict.fromkeys(claims))
        if not iris:
            return []
        doc, _truncated, _form = self._run(claim_card_query(iris))
        _vars, rows = self._rows(doc)
        order = {iri: n for n, iri in enumerate(iris)}
        rows.sort(key=lambda r: order.get(str(r["claim"]), len(order)))
        return [self.card(r) for r in rows]

    # -- operations
    def site(self) -> Any:
        """The endpoint's search (:class:`gerokg.pages.web.Site`) over this store."""
        with self._site_lock:
            if self._site is None:
                from gerokg.pages.web import Site

                self._site = Site(self.store.ox, self.pool.run, timeout=self.config.timeout,
                                  max_rows=self.config.max_rows, triples=self.triples, release=self.release)
            return self._site

    def search_terms(self, text: str, limit: int = 20) -> dict[str, Any]:
        from gerokg.errors import TermResolutionError
        from gerokg.querying.terms import resolver_for

        text = _check_text("text", text, 200)
        site = self.site()
        hits = site.search_terms(text, limit=limit)
        resolved: dict[str, Any] | None = None
        note = ""
        try:
            iri = resolver_for(self.store).resolve(text, what="text")
            resolved = {"curie": compact_iri(iri), "label": site.label(iri)}
        except TermResolutionError as exc:
            note = str(exc)
        quoted = [iri for iri, _quote in site.search_claims(text, limit=limit)]
        return {
            "text": text,
            "resolved": resolved,
            "note": note,
            "terms": [{"curie": compact_iri(h.iri), "iri": h.iri, "label": h.label, "matched": h.matched,
                       "match": h.kind, "claims": h.claims} for h in hits],
            "claims_quoting_text": self.claim_cards(quoted),
            "inferences_included": self.inferred,
        }

    def term_card(self, term: str) -> dict[str, Any]:
        from gerokg.querying.dossier import term as get_term
        from gerokg.querying.terms import resolver_for

        iri = resolver_for(self.store).resolve(_check_text("term", term), what="parameter 'term'")
        t = get_term(iri, self.store)
        out = dataclasses.asdict(t)
        out["claims"] = [card_dict(c) for c in t.claims]
        out["claim_count"] = len(t.claims)
        out["inferences_included"] = self.inferred
        return out

    def canned(self, name: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A canned query, its parameters checked and typed by the catalogue, run in the pool."""
        import pyoxigraph as ox

        from gerokg.querying.canned import bind_params, bind_query_text, load_query, typed_value

        q = load_query(name)
        values = dict(params or {})
        for key, value in values.items():
            if isinstance(value, (dict, list)):
                raise GerokgError(f"parameter {key!r} takes a single {_param_type(q, key)}, not a {type(value).__name__}")
        bound = bind_params(q, values, self.store)
        result, truncated, form = self._run(bind_query_text(q, bound))
        out: dict[str, Any] = {"query": q.name, "title": q.title, "question": q.question,
                               "parameters": {k: compact_iri(v.value) if isinstance(v, ox.NamedNode) else self._plain(
                                   typed_value(v.value, v.datatype.value if v.datatype else "")) for k, v in bound.items()}}
        if isinstance(result, str):
            out.update({"form": form, "turtle": result, "truncated": truncated})
        elif "boolean" in result:
            out.update({"form": "ASK", "boolean": result["boolean"]})
        else:
            variables, rows = self._rows(result)
            out.update({"form": form, "columns": variables, "count": len(rows), "truncated": truncated})
            if q.card:
                out["rows"] = [{**{k: self._plain(v) for k, v in r.items() if k not in _card_columns()},
                                "card": self.card(r)} for r in rows]
            else:
                out["rows"] = [{k: self._plain(v) for k, v in r.items()} for r in rows]
                out["claims"] = self.claim_cards(_claims_named(rows))
        out["claim_cards"] = bool(q.card)
        out["inferences_included"] = self.inferred
        return out

    def term_dossier(self, term: str) -> dict[str, Any]:
        from gerokg.querying.terms import resolver_for

        iri = resolver_for(self.store).resolve(_check_text("term", term), what="parameter 'term'")
        out = self.canned("term-dossier", {"term": iri})
        out["term"] = {"curie": compact_iri(iri), "label": resolver_for(self.store).label(iri)}
        if not out["rows"] and not self.inferred:
            out["note"] = ("no claim names this term, an asserted subclass of it or a class that regulates it; the "
                           "reasoner's conclusions are not loaded (gerokg mcp --inferred adds the classes it infers "
                           "under the term); for gerosuppressants see run_query 'gerosuppressants'")
        return out

    def get_claim(self, claim_id: str) -> dict[str, Any]:
        m = _CLAIM_ID.match(_check_text("claim_id", claim_id).strip())
        if not m:
            raise GerokgError(f"parameter 'claim_id': {claim_id[:40]!r} is not a claim id (C followed by digits, "
                              "e.g. C0197, or gkc:C0197)")
        cid = m.group(1).upper()
        cards = self.claim_cards([CLAIM_NS + cid])
        if not cards:
            raise GerokgError(f"parameter 'claim_id': no claim {cid} in this graph")
        detail = self.site().claim(CLAIM_NS + cid)
        return {"claim": cards[0], "rows": cards if len(cards) > 1 else None,
                "evidence": compact_iri(detail["evidence"]) if detail.get("evidence") else None,
                "in_tension_with": [compact_iri(c) for c in detail["tensions"]],
                "raised_by": [compact_iri(c) for c in detail["raised_by"]],
                "supports_axiom": detail["axiom"],
                "inferences_included": self.inferred}

    def why_classified(self, term: str, superclass: str) -> dict[str, Any]:
        from gerokg.answers.why import why
        from gerokg.querying.terms import resolver_for

        resolver = resolver_for(self.store)
        names, iris = {}, []
        for key, name in (("term", term), ("superclass", superclass)):
            iri = resolver.resolve(_check_text(key, name), what=f"parameter {key!r}")
            iris.append(iri)
            names[key] = {"curie": compact_iri(iri), "label": resolver.label(iri)}
        j = why(iris[0], iris[1], self.store)
        if j is None:
            return {**names, "justified": False,
                    "text": f"no justification found that {term} is a {superclass} from the asserted axioms and claims",
                    "steps": [], "claims": [], "inferences_included": self.inferred}
        return {**names, "justified": True, "text": j.text(),
                "steps": [{"kind": s.kind, "text": s.text(j.label), "claims": [compact_iri(c) for c in s.claims]}
                          for s in j.steps],
                "claims": self.claim_cards(j.claims), "inferences_included": self.inferred}

    def _release_graph(self) -> Any:
        return self.release.graph(with_extra=True)  # read once, kept by the Release

    def explain_chain(self, subject: str, obj: str, max_steps: int = 4, limit: int = 10) -> dict[str, Any]:
        from gerokg.answers.explain import explain
        from gerokg.querying.terms import resolver_for

        resolver = resolver_for(self.store)
        start = resolver.resolve(_check_text("subject", subject), what="parameter 'subject'")
        end = resolver.resolve(_check_text("object", obj), what="parameter 'object'")
        chains = explain(start, end, max_steps=max_steps, graph=self._release_graph(), limit=limit)
        cited = [c for chain in chains for c in chain.claims]
        return {
            "subject": {"curie": compact_iri(start), "label": resolver.label(start)},
            "object": {"curie": compact_iri(end), "label": resolver.label(end)},
            "chains": [{"effect": c.effect_text, "causal_steps": c.length, "text": c.text(), "steps": [
                {"source": compact_iri(s.source), "source_label": s.source_label, "relation": compact_iri(s.relation),
                 "relation_label": s.relation_label, "target": compact_iri(s.target), "target_label": s.target_label,
                 "sign": s.sign, "via": s.via, "claim": compact_iri(s.claim) if s.claim else None}
                for s in c.steps]} for c in chains],
            "claims": self.claim_cards(cited),
            "note": "" if chains else f"no chain of stated causal relations within {max_steps} steps",
            "inferences_included": False,
        }

    def sparql(self, text: str) -> dict[str, Any]:
        from gerokg.querying.canned import prefix_prologue

        text = _check_text("query", text, self.config.max_query_length)
        result, truncated, form = self._run(prefix_prologue(text) + "\n" + text)
        if isinstance(result, str):
            return {"form": form, "turtle": result, "truncated": truncated, "inferences_included": self.inferred}
        if "boolean" in result:
            return {"form": "ASK", "boolean": result["boolean"], "inferences_included": self.inferred}
        variables, rows = self._rows(result)
        return {"form": form, "columns": variables, "rows": [{k: self._plain(v) for k, v in r.items()} for r in rows],
                "count": len(rows), "truncated": truncated, "claims": self.claim_cards(_claims_named(rows)),
                "inferences_included": self.inferred}


def _claims_named(rows: list[dict[str, Any]], limit: int = 1000) -> list[str]:
    """The claims (IRIs) a result's cells name, in order of first mention: a claim's parts
    (its quantities, ``C0200-q1``) stand for the claim."""
    from gerokg.querying.canned import IRI

    found: dict[str, None] = {}
    for row in rows:
        for v in row.values():
            if isinstance(v, IRI) and v.startswith(CLAIM_NS):
                m = _CLAIM_ID.match(v[len(CLAIM_NS):].split("-", 1)[0])
                if m:
                    found.setdefault(CLAIM_NS + m.group(1), None)
                    if len(found) >= limit:
                        return list(found)
    return list(found)


def card_dict(card: Any) -> dict[str, Any]:
    """A :class:`gerokg.querying.dossier.ClaimCard` as JSON, with its short id (C0197) first."""
    out = {"id": card.curie.split(":", 1)[-1]}
    out.update(dataclasses.asdict(card))
    return out


def _card_columns() -> tuple[str, ...]:
    """The claim card's columns (:data:`gerokg.querying.canned.CLAIM_CARD`, read with the catalogue)."""
    import importlib

    module = importlib.import_module("gerokg.querying.canned")  # the module, not gerokg.query(), the function
    module.list_queries()
    return tuple(module.CLAIM_CARD)


def _param_type(q: Any, name: str) -> str:
    for p in q.params:
        if p.name == name:
            return p.type
    return "value"


def _check_text(name: str, value: Any, limit: int = 2000) -> str:
    if not isinstance(value, str):
        raise GerokgError(f"parameter {name!r} takes a string")
    if len(value) > limit:
        raise GerokgError(f"parameter {name!r}: longer than {limit} characters")
    if not value.strip():
        raise GerokgError(f"parameter {name!r} is empty")
    return value


def run_query_schema() -> dict[str, Any]:
    """The input schema of ``run_query``: a query name from the catalogue, and the parameters with
    the catalogue's types, defaults and descriptions, each saying which queries take it.

    Plain properties, no ``oneOf`` at the top: assistants' tool-calling APIs refuse top-level
    ``oneOf``/``anyOf``; the name's description says which parameters each query takes.
    """
    from gerokg.querying.canned import list_queries

    queries = list_queries()
    props: dict[str, dict[str, Any]] = {}
    takers: dict[str, list[str]] = {}
    for q in queries:
        for p in q.params:
            takers.setdefault(p.name, []).append(q.name)
            if p.name in props:
                continue
            prop = {k: v for k, v in _JSON_TYPES[p.type].items() if k != "description"}
            prop["description"] = "; ".join(x for x in (
                f"catalogue type: {p.type}", p.description, _JSON_TYPES[p.type].get("description", "")) if x)
            if p.default is not None:
                prop["default"] = p.default
            props[p.name] = prop
    for name, prop in props.items():
        prop["description"] += f" (taken by: {', '.join(takers[name])})"
    lines = []
    for q in queries:
        params = ", ".join(f"{p.name}: {p.type}" + (f" = {p.default}" if p.default is not None else "") for p in q.params)
        lines.append(f"{q.name}" + (f" ({params})" if params else "") + f": {q.question}")
    return {
        "type": "object",
        "properties": {
            "name": {"type": "string", "enum": [q.name for q in queries],
                     "description": "the canned query (the resource gerokg://queries has the catalogue):\n" + "\n".join(lines)},
            "params": {"type": "object", "properties": props, "additionalProperties": False,
                       "description": "the query's parameters by name (omitted ones take their defaults)"},
        },
        "required": ["name"],
        "additionalProperties": False,
    }


# --------------------------------------------------------------------------------------------
# The MCP server
# --------------------------------------------------------------------------------------------

Text = Annotated[str, Field(description="a term: CURIE (CHEBI:9168), IRI, label or synonym (sirolimus, rapamycin, Rapamune)")]


class Tools:
    """The MCP tools, as methods over one backend: each method is one tool, its name the tool's
    name, its docstring the tool's description, its annotated parameters the tool's schema."""

    def __init__(self, backend: McpBackend) -> None:
        self.backend = backend

    def search_terms(
        self,
        text: Annotated[str, Field(description="a name, synonym, CURIE or words, e.g. 'rapamycin', 'mTOR inhibitor', 'CHEBI:9168'")],
        limit: Annotated[int, Field(ge=1, le=100, description="most terms (and quoting claims) to return")] = 20,
    ) -> dict[str, Any]:
        """Find terms by label, synonym or CURIE (exact match first, then prefix, word start, anywhere; misspellings
        find the names spelled most alike), the term the one resolver reads the text as, and the claims whose quote
        holds the words (as claim cards)."""
        return self.backend.search_terms(text, limit)

    def term_card(self, term: Text) -> dict[str, Any]:
        """A term's card: CURIE, label, synonyms, definition, parents, children, ancestors, and every claim of its
        dossier as a claim card (id, quote, references, kind, polarity, hedge)."""
        return self.backend.term_card(term)

    def term_dossier(self, term: Text) -> dict[str, Any]:
        """The term-dossier query: every claim in which the term, a subclass of it or a class that regulates it takes
        part (as subject, object, population, organism or comparator), with its role and claim card."""
        return self.backend.term_dossier(term)

    def get_claim(self, claim_id: Annotated[str, Field(description="a claim id, e.g. C0197 (or gkc:C0197)")]) -> dict[str, Any]:
        """One claim's card: subject, relation, object, polarity, kind, hedge, verbatim quote, references, section,
        organism, population, comparator, context, quantities; its evidence type and the claims it is in tension with
        or raised by."""
        return self.backend.get_claim(claim_id)

    def run_query(self, name: str, params: dict[str, str | int | float | bool] | None = None) -> dict[str, Any]:
        """Run a canned query of the catalogue by name, with its typed parameters (validated by the catalogue: a
        value that does not fit its type is an error naming the parameter; a term may be a CURIE, IRI, label or
        synonym). Claim queries return a claim card per row."""
        return self.backend.canned(name, params)

    def why_classified(
        self,
        term: Text,
        superclass: Annotated[str, Field(description="the class, e.g. 'gerosuppressant' or GEROKG:0000051")],
    ) -> dict[str, Any]:
        """Why a term falls under a class (e.g. why everolimus is a gerosuppressant): the axioms, in reading order,
        and the claims that state them, as claim cards."""
        return self.backend.why_classified(term, superclass)

    def explain_chain(
        self,
        subject: Annotated[str, Field(description="the start term, e.g. 'caloric restriction' or CHEBI:9168")],
        object: Annotated[str, Field(description="the end term, e.g. 'organismal aging' or GEROKG:0000006")],  # noqa: A002
        max_steps: Annotated[int, Field(ge=1, le=8, description="most causal steps per chain")] = 4,
        limit: Annotated[int, Field(ge=1, le=50, description="most chains")] = 10,
    ) -> dict[str, Any]:
        """Chains of the review's causal and regulatory claims from one term to another, shortest first, each with its
        net effect (increases or decreases) and the claim cards of its steps. Negated claims and open questions are
        never steps."""
        return self.backend.explain_chain(subject, object, max_steps, limit)

    def open_questions(self) -> dict[str, Any]:
        """The questions the review leaves open, with the claims that raise each one (claim cards)."""
        return self.backend.canned("open-questions")

    def tensions(
        self,
        term: Annotated[str | None, Field(description="only pairs where this term (CURIE, label or synonym) is "
                                                      "subject or object of either claim; all pairs when omitted")] = None,
    ) -> dict[str, Any]:
        """Evidence for and against: pairs of claims the review sets against each other, or that state the same thing
        with opposite polarity, side by side (the evidence-for-and-against query)."""
        return self.backend.canned("evidence-for-and-against", {"term": term} if term is not None else {})

    def sparql(self, query: Annotated[str, Field(description="a SPARQL 1.1 SELECT, ASK, CONSTRUCT or DESCRIBE query; the "
                                                       "release's prefixes (CHEBI:, GO:, gks:, rdfs: ...) are predeclared")]) -> dict[str, Any]:
        """Run read-only SPARQL in the endpoint's sandboxed workers (the same parse check, timeout, memory and row
        limits; no SERVICE, no updates)."""
        return self.backend.sparql(query)

    def functions(self, allow_sparql: bool) -> list[Callable[..., dict[str, Any]]]:
        """The tools offered, in the order clients list them (``sparql`` only when allowed)."""
        found: list[Callable[..., dict[str, Any]]] = [
            self.search_terms, self.term_card, self.term_dossier, self.get_claim, self.run_query,
            self.why_classified, self.explain_chain, self.open_questions, self.tensions]
        return [*found, self.sparql] if allow_sparql else found


def _guarded(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """gerokg's errors become tool errors with their message (naming the parameter)."""
    import functools

    from mcp.server.mcpserver.exceptions import ToolError

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            return fn(*args, **kwargs)
        except GerokgError as exc:
            raise ToolError(str(exc)) from None

    return wrapper


def build_server(backend: McpBackend, allow_sparql: bool = False, debug: bool = False) -> Any:
    """The :class:`~mcp.server.mcpserver.MCPServer` with gerokg's tools, resources and prompt."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.tools import Tool
    from mcp_types import ToolAnnotations

    from gerokg._version import __version__

    read_only = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
    tools = []
    for fn in Tools(backend).functions(allow_sparql):
        tool = Tool.from_function(_guarded(fn), name=fn.__name__, annotations=read_only, structured_output=True)
        # an argument the tool does not take is an error naming it, not silently dropped
        model = tool.fn_metadata.arg_model
        model.model_config["extra"] = "forbid"
        model.model_rebuild(force=True)
        tool.parameters = run_query_schema() if fn.__name__ == "run_query" else {**tool.parameters, "additionalProperties": False}
        tools.append(tool)
    server: Any = MCPServer("gerokg", title="gerokg knowledge graph", version=__version__,
                            instructions=INSTRUCTIONS, tools=tools,
                            # tracebacks of unexpected errors only with --debug (the client gets the error)
                            log_level="DEBUG" if debug else "CRITICAL", debug=debug)
    _add_resources(server, backend)
    return server


def _add_resources(server: Any, backend: McpBackend) -> None:
    """The catalogue, VoID and modelling-guide resources, and the citing prompt."""
    @server.resource("gerokg://queries", name="query-catalogue", mime_type="application/json",
                     description="the canned queries: name, title, question, description, parameters with types and defaults")
    def catalogue() -> str:
        from gerokg.querying.catalogue import catalogue_items

        return json.dumps(catalogue_items(), indent=1, ensure_ascii=False)

    @server.resource("gerokg://catalogue.ttl", name="query-catalogue-turtle", mime_type="text/turtle",
                     description="the catalogue as SHACL sh:SPARQLExecutable nodes (SIB sparql-examples style)")
    def catalogue_ttl() -> str:
        from gerokg.querying.catalogue import catalogue_turtle

        return catalogue_turtle().decode("utf-8")

    @server.resource("gerokg://void.ttl", name="void", mime_type="text/turtle",
                     description="a VoID description of the graph served: size, URI space, vocabularies, canned queries")
    def void() -> str:
        from gerokg.artefacts.describe import void_description
        from gerokg.rdf.rdfio import serialize_graph

        graph = void_description(backend.store, None, "gerokg://void.ttl")
        return serialize_graph(graph, "turtle").decode("utf-8")

    guide = modelling_guide()
    if guide is not None:
        @server.resource("gerokg://modelling-guide", name="modelling-guide", mime_type="text/markdown",
                         description="how the review's statements are modelled as ontology axioms and claims")
        def modelling() -> str:
            return guide.read_text(encoding="utf-8")

    @server.prompt(name="cite_claims", title="Answer citing gerokg's claims",
                   description="tells an assistant to answer from the graph, cite claim ids, quote the review and keep hedges")
    def cite_claims(question: str) -> str:
        return PROMPT.format(question=question)


def modelling_guide() -> Path | None:
    """``ontology/MODELLING.md`` when the package has it."""
    from gerokg.resources import ontology_dir

    path = ontology_dir() / "MODELLING.md"
    return path if path.is_file() else None


def run(config: Any, release: str | Path | None = None, extra: Iterable[str | Path] = (),
        location: str | Path | None = None, inferred: bool = False, allow_sparql: bool = False,
        http: bool = False, debug: bool = False, progress: Callable[[str], None] | None = None,
        announce: Callable[[str], None] | None = None) -> None:
    """Serve the MCP server until the client closes stdio (or, with ``http``, until Ctrl-C or SIGTERM).

    With ``http`` the socket on 127.0.0.1 is bound first, so a busy port is reported before the
    store is made (``config.port`` 0 takes a free port, and the announcement names it).
    """
    import anyio

    sock = None
    if http:
        from gerokg.serving.server import EndpointConfig, bind_socket

        sock = bind_socket(EndpointConfig(host="127.0.0.1", port=config.port))
    try:
        # on stdio, stdout carries the protocol only: whatever the start prints goes to stderr
        with contextlib.redirect_stdout(sys.stderr):
            backend = McpBackend(config, release, extra, location, inferred, progress)
    except BaseException:
        if sock is not None:
            sock.close()
        raise
    if progress is not None and hasattr(progress, "close"):
        progress.close()

    def _terminate(_sig: int, _frame: Any) -> None:
        """SIGTERM stops cleanly, like Ctrl-C: workers ended, temporary store removed."""
        if sock is None:
            # stdio: the SDK's reader thread blocks on stdin, which would keep the loop from ending
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            backend.close()
            os._exit(0)
        raise KeyboardInterrupt

    old_term = signal.signal(signal.SIGTERM, _terminate)
    try:
        server = build_server(backend, allow_sparql, debug)
        if sock is not None:
            anyio.run(_serve_http, server, sock, backend, allow_sparql, announce)
        else:
            anyio.run(server.run_stdio_async)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if sock is not None:
            sock.close()
        backend.close()
        signal.signal(signal.SIGTERM, old_term)


async def _serve_http(server: Any, sock: Any, backend: McpBackend, allow_sparql: bool,
                      announce: Callable[[str], None] | None) -> None:
    """Streamable HTTP at /mcp on the bound socket, with the SDK's DNS-rebinding check."""
    import uvicorn
    from mcp.server.transport_security import TransportSecuritySettings

    host, port = sock.getsockname()[:2]
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[f"{host}:{port}", f"localhost:{port}"],
        allowed_origins=[f"http://{host}:{port}", f"http://localhost:{port}"])
    app = server.streamable_http_app(transport_security=security, host=host)
    uv = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                                       server_header=False))
    if announce:
        announce(f"gerokg MCP server on http://{host}:{port}/mcp (streamable HTTP; {backend.triples} triples, "
                 f"read-only; free SPARQL {'on' if allow_sparql else 'off'}); Ctrl-C to stop")
    await uv.serve(sockets=[sock])
