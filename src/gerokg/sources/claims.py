"""Compile the curated claims (``ontology/claims/review-claims.yaml``) into RDF.

A claim becomes a ``gks:Claim`` individual described with annotation properties (subject,
predicate, object, kind, polarity, quote, section, references, evidence, context, quantities);
claims marked ``axiom: true`` also become OWL class axioms annotated with the claims that support
them. Every problem is reported with ``file:line`` and all problems are reported at once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from gerokg.errors import CurationError
from gerokg.rdf.rdfio import annotated_axiom, compact_iri, expand_curie
from gerokg.sources.review import ReviewText, expand_references, normalise
from gerokg.vocab import CLAIM, GKS, NATIVE
from gerokg.vocab import REVIEW as REVIEW_NS

__all__ = [
    "GKC",
    "GKR",
    "GKS",
    "CONTEXT_FIELDS",
    "KINDS",
    "NON_ASSERTIVE_KINDS",
    "Claim",
    "ClaimSet",
    "Section",
    "Synonym",
    "TermIndex",
    "bridge_axioms",
    "claim_description",
    "compile_claims",
    "load_claims",
    "verify_against_review",
]

GKC = CLAIM
GKR = REVIEW_NS
REVIEW = URIRef(GKR + "review")
IAO = "http://purl.obolibrary.org/obo/IAO_"

KINDS = (
    "mechanism", "clinical_observation", "animal_study", "regulatory_event", "hypothesis",
    "interpretation", "definition", "negative_statement", "open_question", "refuted_expectation",
    "rhetorical_question", "methodological_statement",
)
#: kinds whose claims do not assert their relation (see ontology/MODELLING.md, "Epistemic status"):
#: a hypothesis or question is not established, a refuted expectation is what the review says did
#: not happen, a methodological statement says how a question should be studied. Their claims are
#: never steps of explain, mechanism-chains or the networkx export, and never OWL axioms.
NON_ASSERTIVE_KINDS = ("hypothesis", "open_question", "refuted_expectation", "rhetorical_question",
                       "methodological_statement")
#: structured context a sentence states (ontology/MODELLING.md, "Context")
CONTEXT_FIELDS = ("cell_state", "cell_type", "condition")
SYNONYM_TYPES = ("exact", "related", "narrow", "broad")
SIGNIFICANCE = ("significant", "not_significant")
POLARITIES = ("affirmed", "negated")
UNITS = {"fold": "fold", "percent": "percent", "year": "calendar_year", "week": "week", "day": "day", "count": "count"}
DIRECTIONS = {"increase": "increase", "decrease": "decrease", "none": "no_change"}
QUALIFIERS = ("more_than", "less_than", "about")
#: kinds that may become OWL axioms: general knowledge, not observations or conjectures
AXIOM_KINDS = ("mechanism", "definition", "negative_statement", "interpretation")
FIELDS = {
    "id", "kind", "polarity", "subject", "predicate", "object", "quote", "section", "references",
    "evidence", "organism", "population", "comparator", "timing", "quantities", "year", "hedged",
    "axiom", "tension_with", "raised_by", "comment", "significance", "agent_status", *CONTEXT_FIELDS,
}
REQUIRED = ("id", "kind", "polarity", "subject", "predicate", "object", "quote", "section", "references", "evidence")
_CLAIM_ID = re.compile(r"^C\d{4}$")
_TERM = re.compile(r"^\s*(?P<curie>[^\s!]+)\s*(?:!\s*(?P<label>.*?))?\s*$")
QUOTE_JOIN = " [...] "


# --------------------------------------------------------------------------------------------
# YAML with line numbers
# --------------------------------------------------------------------------------------------


class _Node(dict[str, Any]):
    """A mapping that remembers the line of itself and of each key."""

    line: int
    lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Node:
    out = _Node()
    out.line = node.start_mark.line + 1
    out.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[str(key)] = key_node.start_mark.line + 1
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# --------------------------------------------------------------------------------------------
# Terms known to the build
# --------------------------------------------------------------------------------------------


class TermIndex:
    """Labels of every term the build knows: native terms and the import modules' terms."""

    def __init__(self, graphs: list[Graph]) -> None:
        self.labels: dict[URIRef, str] = {}
        self.kinds: dict[URIRef, set[URIRef]] = defaultdict(set)
        for g in graphs:
            for s, o in g.subject_objects(RDFS.label):
                if isinstance(s, URIRef):
                    self.labels.setdefault(s, str(o))
            for s, o in g.subject_objects(RDF.type):
                if isinstance(s, URIRef) and isinstance(o, URIRef):
                    self.kinds[s].add(o)

    def is_property(self, iri: URIRef) -> bool:
        return bool(self.kinds.get(iri, set()) & {OWL.ObjectProperty, OWL.AnnotationProperty, OWL.DatatypeProperty})

    def is_class(self, iri: URIRef) -> bool:
        return OWL.Class in self.kinds.get(iri, set())


# --------------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------------


@dataclass
class Section:
    """A part of the review."""

    key: str
    title: str
    heading: str | None = None
    start: str | None = None
    end: str | None = None
    order: int = 0

    @property
    def iri(self) -> URIRef:
        return URIRef(f"{GKR}section-{self.key}")


@dataclass
class Quantity:
    value: Decimal
    unit: str
    direction: str
    text: str
    qualifier: str | None = None


@dataclass
class Claim:
    """One curated claim, its values resolved to IRIs."""

    id: str
    line: int
    kind: str
    polarity: str
    subject: URIRef
    predicate: URIRef
    object: URIRef
    quote: list[str]
    section: str
    references: list[int]
    evidence: URIRef
    organism: URIRef | None = None
    population: URIRef | None = None
    comparator: URIRef | None = None
    timing: str | None = None
    quantities: list[Quantity] = field(default_factory=list)
    year: int | None = None
    hedged: str | None = None
    axiom: bool = False
    tension_with: list[str] = field(default_factory=list)
    raised_by: list[str] = field(default_factory=list)
    comment: str | None = None
    significance: str | None = None
    #: context terms by field; a field may hold several ("EBV+ B-cell lymphomas": the lymphoma and
    #: the infection, both as condition)
    context: dict[str, tuple[URIRef, ...]] = field(default_factory=dict)
    #: (agent, treated): the population did (True) or did not (False) receive the agent
    agent_status: tuple[URIRef, bool] | None = None

    @property
    def iri(self) -> URIRef:
        return URIRef(GKC + self.id)

    @property
    def asserts(self) -> bool:
        """True when the claim asserts its relation (its kind is not a hypothesis, question, ...)."""
        return self.kind not in NON_ASSERTIVE_KINDS and self.significance != "not_significant"

    @property
    def quote_text(self) -> str:
        return QUOTE_JOIN.join(normalise(q) for q in self.quote)


@dataclass
class Synonym:
    """A name the review uses for an imported term, with the quote that uses it."""

    term: URIRef
    name: str
    type: str
    quote: str
    line: int
    comment: str | None = None


@dataclass
class ClaimSet:
    """The compiled claims file."""

    path: Path
    review_comment: str
    sections: dict[str, Section]
    claims: list[Claim]
    skipped_sentences: list[str] = field(default_factory=list)
    #: ids of retired claims (never reused), with the reason
    retired: dict[str, str] = field(default_factory=dict)
    synonyms: list[Synonym] = field(default_factory=list)

    def by_id(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}


# --------------------------------------------------------------------------------------------
# Loading and checking
# --------------------------------------------------------------------------------------------


def load_claims(path: str | Path, terms: TermIndex) -> ClaimSet:
    """Load and check the claims file.

    :param path: the YAML file
    :param terms: the labels of known terms
    :returns: the claims, with CURIEs resolved
    :raises CurationError: listing every problem with ``file:line``
    """
    p = Path(path)
    name = p.name
    raw = _read_claims_yaml(p)
    problems: list[str] = []
    sections = _load_sections(raw["sections"], name, problems)
    review = raw.get("review") or {}
    skipped = _load_skipped(raw.get("skipped_sentences") or [], name, problems)
    retired = _load_retired(raw.get("retired_claims") or [], name, problems)
    synonyms = _load_synonyms(raw.get("synonyms") or [], name, terms, problems)
    claims = _load_claim_list(raw["claims"], name, terms, sections, retired, problems)
    _check_claim_links(claims, name, problems)
    if problems:
        raise CurationError(problems)
    return ClaimSet(path=p, review_comment=str(review.get("comment", "")), sections=sections, claims=claims,
                    skipped_sentences=skipped, retired=retired, synonyms=synonyms)


def _read_claims_yaml(p: Path) -> Any:
    """The claims file's YAML, with line numbers; a CurationError if it is not the expected mapping."""
    name = p.name
    try:
        raw = yaml.load(p.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        raise CurationError([f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}"]) from None
    except OSError as exc:
        raise CurationError([f"{p}: cannot read: {exc.strerror or exc}"]) from None
    if not isinstance(raw, _Node) or not isinstance(raw.get("claims"), list) or not isinstance(raw.get("sections"), dict):
        raise CurationError([f"{name}:1: expected a mapping with 'review', 'sections' and a list 'claims'"])
    return raw


def _load_sections(raw: Any, name: str, problems: list[str]) -> dict[str, Section]:
    sections: dict[str, Section] = {}
    for order, (key, spec) in enumerate(raw.items()):
        line = raw.lines.get(key, 1)
        if not isinstance(spec, dict) or "title" not in spec:
            problems.append(f"{name}:{line}: section {key!r} needs a title")
            continue
        if not re.fullmatch(r"[a-z0-9-]+", str(key)):
            problems.append(f"{name}:{line}: section key {key!r} must be lower-case letters, digits and hyphens")
        sections[key] = Section(key=key, title=str(spec["title"]), heading=spec.get("heading"),
                                start=spec.get("start"), end=spec.get("end"), order=order)
    return sections


def _load_skipped(items: list[Any], name: str, problems: list[str]) -> list[str]:
    skipped: list[str] = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("quote"), str) or not item.get("reason"):
            problems.append(f"{name}:{getattr(item, 'line', 1)}: a skipped sentence needs a quote and a reason")
            continue
        skipped.append(item["quote"])
    return skipped


def _load_retired(items: list[Any], name: str, problems: list[str]) -> dict[str, str]:
    retired: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item.get("reason"):
            problems.append(f"{name}:{getattr(item, 'line', 1)}: a retired claim needs an id and a reason")
            continue
        retired[item["id"]] = str(item["reason"])
    return retired


def _load_synonyms(items: list[Any], name: str, terms: TermIndex, problems: list[str]) -> list[Synonym]:
    synonyms: list[Synonym] = []
    for item in items:
        where = f"{name}:{getattr(item, 'line', 1)}"
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("term", "name", "quote")):
            problems.append(f"{where}: a synonym needs a term, a name and the quote that uses it")
            continue
        iri = _term(item["term"], where, "term", terms, problems)
        kind = item.get("type", "exact")
        if kind not in SYNONYM_TYPES:
            problems.append(f"{where}: synonym type {kind!r} is not one of {', '.join(SYNONYM_TYPES)}")
        elif iri is not None and str(iri).startswith(NATIVE):
            problems.append(f"{where}: {item['term']} is a native term; write its synonyms in gerokg-edit.ttl")
        elif iri is not None:
            synonyms.append(Synonym(iri, item["name"], kind, item["quote"], getattr(item, "line", 1), item.get("comment")))
    return synonyms


def _load_claim_list(items: list[Any], name: str, terms: TermIndex, sections: dict[str, Section],
                     retired: dict[str, str], problems: list[str]) -> list[Claim]:
    """The claims that load, each checked against the others: unique, unretired ids and no repeats."""
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    statements: dict[tuple[Any, ...], str] = {}
    for item in items:
        claim = _load_claim(item, name, terms, sections, problems)
        if claim is None:
            continue
        if claim.id in seen:
            problems.append(f"{name}:{claim.line}: duplicate claim id {claim.id} (first on line {seen[claim.id]})")
            continue
        seen[claim.id] = claim.line
        if claim.id in retired:
            problems.append(f"{name}:{claim.line}: claim id {claim.id} is retired and must not be reused")
        key = (claim.subject, claim.predicate, claim.object, claim.polarity, claim.quote_text,
               claim.population, claim.comparator, claim.organism, tuple(sorted(claim.context.items())))
        if key in statements:
            problems.append(f"{name}:{claim.line}: claim {claim.id} repeats claim {statements[key]} "
                            "(same subject, predicate, object, context and quote)")
        statements[key] = claim.id
        claims.append(claim)
    return claims


def _check_claim_links(claims: list[Claim], name: str, problems: list[str]) -> None:
    """``tension_with`` and ``raised_by`` name other, known claims; only questions are raised by one."""
    ids = {c.id for c in claims}
    for c in claims:
        for ref_field in ("tension_with", "raised_by"):
            for other in getattr(c, ref_field):
                if other not in ids:
                    problems.append(f"{name}:{c.line}: {c.id} {ref_field} names unknown claim {other}")
                elif other == c.id:
                    problems.append(f"{name}:{c.line}: {c.id} {ref_field} names itself")
        if c.raised_by and c.kind not in ("open_question", "rhetorical_question"):
            problems.append(f"{name}:{c.line}: {c.id} has raised_by but is not a question (open_question, rhetorical_question)")


def _term(value: Any, where: str, field_name: str, terms: TermIndex, problems: list[str],
          allow_subclass: bool = False) -> URIRef | None:
    if not isinstance(value, str):
        problems.append(f"{where}: {field_name} must be 'CURIE ! label', got {value!r}")
        return None
    m = _TERM.match(value)
    if not m:
        problems.append(f"{where}: {field_name} must be 'CURIE ! label', got {value!r}")
        return None
    curie, label = m.group("curie"), m.group("label")
    if allow_subclass and curie == "rdfs:subClassOf":
        return RDFS.subClassOf
    try:
        iri = expand_curie(curie)
    except ValueError as exc:
        problems.append(f"{where}: {field_name}: {exc}")
        return None
    known = terms.labels.get(iri)
    if known is None:
        problems.append(f"{where}: {field_name}: unknown term {curie}; add it to the ontology "
                        "(native) or to ontology/imports/<source>_terms.txt and refresh the imports")
        return None
    if label is None:
        problems.append(f"{where}: {field_name}: write the label after the CURIE: '{curie} ! {known}'")
        return None
    if label != known:
        problems.append(f"{where}: {field_name}: {curie} is labelled {known!r}, not {label!r}")
        return None
    return iri


def _load_claim(item: Any, name: str, terms: TermIndex, sections: dict[str, Section],
                problems: list[str]) -> Claim | None:
    if not isinstance(item, _Node):
        problems.append(f"{name}: each claim must be a mapping, got {item!r}")
        return None
    line = item.line
    at = _Where(name, item)
    before = len(problems)
    _check_claim_keys(item, f"{name}:{line}", at, problems)
    if len(problems) > before:
        return None
    # each group's checks in the order the problems are listed
    values: dict[str, Any] = {"id": str(item["id"]), "line": line, "timing": item.get("timing"),
                              "comment": item.get("comment")}
    values.update(_claim_statement(item, values["id"], at, terms, problems))
    values.update(_claim_source(item, at, sections, problems))
    values.update(_claim_qualifiers(item, at, terms, problems))
    values.update(_claim_modifiers(item, values, f"{name}:{line}", at, problems))
    if len(problems) > before:
        return None
    return Claim(**values)


@dataclass
class _Where:
    """``at(key)`` is ``file:line`` of a claim's field (the claim's own line when it lacks it)."""

    name: str
    item: _Node

    def __call__(self, key: str) -> str:
        return f"{self.name}:{self.item.lines.get(key, self.item.line)}"


def _check_claim_keys(item: _Node, where: str, at: _Where, problems: list[str]) -> None:
    """No unknown field, and every required one given."""
    for key in sorted(set(map(str, item)) - FIELDS):
        problems.append(f"{at(key)}: unknown field {key!r}")
    for key in REQUIRED:
        if key not in item or item[key] is None or item[key] == "":
            if not (key == "references" and item.get(key) == []):
                problems.append(f"{where}: claim {item.get('id', '?')} lacks {key!r}")


def _claim_statement(item: _Node, cid: str, at: _Where, terms: TermIndex,
                     problems: list[str]) -> dict[str, Any]:
    """The id, kind and polarity, and the subject, predicate, object and evidence terms."""
    if not _CLAIM_ID.match(cid):
        problems.append(f"{at('id')}: claim id {cid!r} must be C followed by 4 digits")
    kind = str(item["kind"])
    if kind not in KINDS:
        problems.append(f"{at('kind')}: kind {kind!r} is not one of {', '.join(KINDS)}")
    polarity = str(item["polarity"])
    if polarity not in POLARITIES:
        problems.append(f"{at('polarity')}: polarity {polarity!r} is not one of {', '.join(POLARITIES)}")
    subject = _term(item["subject"], at("subject"), "subject", terms, problems)
    predicate = _term(item["predicate"], at("predicate"), "predicate", terms, problems, allow_subclass=True)
    if predicate is not None and predicate != RDFS.subClassOf and not terms.is_property(predicate):
        problems.append(f"{at('predicate')}: {compact_iri(predicate)} is not a property")
    obj = _term(item["object"], at("object"), "object", terms, problems)
    evidence = _term(item["evidence"], at("evidence"), "evidence", terms, problems)
    if evidence is not None and not str(evidence).startswith("http://purl.obolibrary.org/obo/ECO_"):
        problems.append(f"{at('evidence')}: evidence must be an ECO term")
    return {"kind": kind, "polarity": polarity, "subject": subject, "predicate": predicate, "object": obj,
            "evidence": evidence}


def _claim_source(item: _Node, at: _Where, sections: dict[str, Section],
                  problems: list[str]) -> dict[str, Any]:
    """Where the claim stands in the review: its quote, section and reference numbers."""
    quote_raw = item["quote"]
    quote = [quote_raw] if isinstance(quote_raw, str) else quote_raw
    if not isinstance(quote, list) or not quote or not all(isinstance(q, str) and q.strip() for q in quote):
        problems.append(f"{at('quote')}: quote must be a non-empty string or a list of them")
        quote = []
    section = str(item["section"])
    if section not in sections:
        problems.append(f"{at('section')}: unknown section {section!r}; known: {', '.join(sections)}")
    refs: list[int] = []
    if not isinstance(item["references"], list):
        problems.append(f"{at('references')}: references must be a list such as [1-5, 8] or []")
    else:
        for r in item["references"]:
            try:
                refs.extend(expand_references(r))
            except ValueError as exc:
                problems.append(f"{at('references')}: {exc}")
        if len(set(refs)) != len(refs):
            problems.append(f"{at('references')}: a reference number is listed twice")
    return {"quote": quote, "section": section, "references": sorted(refs)}


def _claim_qualifiers(item: _Node, at: _Where, terms: TermIndex,
                      problems: list[str]) -> dict[str, Any]:
    """Organism, population, comparator, context terms, agent status and significance."""
    optional: dict[str, URIRef | None] = {}
    for key in ("organism", "population", "comparator"):
        optional[key] = _term(item[key], at(key), key, terms, problems) if item.get(key) is not None else None
    context: dict[str, tuple[URIRef, ...]] = {}
    for key in CONTEXT_FIELDS:
        if item.get(key) is not None:
            values = _context_terms(item[key], at(key), key, terms, problems)
            if values:
                context[key] = values
    agent_status = None
    status = item.get("agent_status")
    if status is not None:
        if not isinstance(status, dict) or set(status) != {"agent", "treated"} or not isinstance(status["treated"], bool):
            problems.append(f"{at('agent_status')}: agent_status must be {{agent: 'CURIE ! label', treated: true|false}}")
        else:
            agent = _term(status["agent"], at("agent_status"), "agent_status.agent", terms, problems)
            if agent is not None:
                agent_status = (agent, status["treated"])
    significance = item.get("significance")
    if significance is not None and significance not in SIGNIFICANCE:
        problems.append(f"{at('significance')}: significance {significance!r} is not one of {', '.join(SIGNIFICANCE)}")
    if optional["organism"] is not None and not str(optional["organism"]).startswith(
            "http://purl.obolibrary.org/obo/NCBITaxon_"):
        problems.append(f"{at('organism')}: organism must be an NCBITaxon term")
    return {**optional, "context": context, "agent_status": agent_status, "significance": significance}


def _context_terms(value: Any, where: str, key: str, terms: TermIndex,
                   problems: list[str]) -> tuple[URIRef, ...]:
    """One context term, or a list of them when the sentence states several."""
    items = value if isinstance(value, list) else [value]
    if not items:
        problems.append(f"{where}: {key} is an empty list; leave the field out instead")
    found = [iri for n, one in enumerate(items)
             if (iri := _term(one, where if len(items) == 1 else f"{where}[{n}]", key, terms, problems)) is not None]
    if len(set(found)) != len(found):
        problems.append(f"{where}: {key} lists a term twice")
    return tuple(sorted(set(found))) if len(found) == len(items) else ()


def _claim_modifiers(item: _Node, values: dict[str, Any], where: str, at: _Where,
                     problems: list[str]) -> dict[str, Any]:
    """Quantities, year, hedge, the axiom flag and the links to other claims, checked against the
    kind, polarity and significance already read into ``values``."""
    kind = values["kind"]
    quantities = []
    for q in item.get("quantities") or []:
        quantities.append(_quantity(q, at("quantities"), problems))
    year = item.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100):
        problems.append(f"{at('year')}: year must be a four-digit integer, got {year!r}")
    if kind == "regulatory_event" and year is None:
        problems.append(f"{where}: regulatory_event {values['id']} needs a year")
    hedged = item.get("hedged")
    if hedged is not None and not isinstance(hedged, str):
        problems.append(f"{at('hedged')}: hedged takes the hedging words, e.g. 'may'")
    axiom = item.get("axiom", False)
    if not isinstance(axiom, bool):
        problems.append(f"{at('axiom')}: axiom must be true or false")
    elif axiom and (kind not in AXIOM_KINDS or hedged or values["significance"] == "not_significant"):
        problems.append(f"{at('axiom')}: a {'hedged ' if hedged else ''}{kind} claim cannot become an OWL axiom")
    if kind == "negative_statement" and values["polarity"] != "negated":
        problems.append(f"{at('polarity')}: a negative_statement must have polarity negated")
    lists = {}
    for key in ("tension_with", "raised_by"):
        value = item.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{at(key)}: {key} must be a list of claim ids")
            value = []
        lists[key] = value
    return {"quantities": quantities, "year": year, "hedged": hedged, "axiom": bool(axiom), **lists}


def _quantity(q: Any, where: str, problems: list[str]) -> Quantity:
    bad = Quantity(Decimal(0), "count", "none", "")
    if not isinstance(q, dict):
        problems.append(f"{where}: a quantity must be a mapping {{value, unit, direction, text}}")
        return bad
    extra = set(q) - {"value", "unit", "direction", "qualifier", "text"}
    if extra:
        problems.append(f"{where}: unknown quantity field(s) {sorted(extra)}")
    value = q.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        problems.append(f"{where}: quantity value must be a number, got {value!r}")
        return bad
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems.append(f"{where}: quantity value must be a number, got {value!r}")
        return bad
    unit, direction, qualifier = q.get("unit"), q.get("direction"), q.get("qualifier")
    if unit not in UNITS:
        problems.append(f"{where}: unit {unit!r} is not one of {', '.join(UNITS)}")
    if direction not in DIRECTIONS:
        problems.append(f"{where}: direction {direction!r} is not one of {', '.join(DIRECTIONS)}")
    if qualifier is not None and qualifier not in QUALIFIERS:
        problems.append(f"{where}: qualifier {qualifier!r} is not one of {', '.join(QUALIFIERS)}")
    text = q.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append(f"{where}: a quantity needs the verbatim 'text' that states it")
        text = ""
    return Quantity(number, str(unit), str(direction), text, qualifier)


# --------------------------------------------------------------------------------------------
# Against the review text
# --------------------------------------------------------------------------------------------


def _section_at(review: ReviewText, sections: dict[str, Section], offset: int) -> str | None:
    """The key of the section the text offset stands in."""
    for s in sections.values():  # blocks inserted by the layout win
        if s.start and s.end:
            starts, ends = review.find(s.start), review.find(s.end)
            if starts and ends and starts[0] <= offset < ends[0] + len(normalise(s.end)):
                return s.key
    best: tuple[int, str] | None = None
    for s in sections.values():
        if s.heading:
            for pos in review.find(s.heading):
                if pos <= offset and (best is None or pos > best[0]):
                    best = (pos, s.key)
    return best[1] if best else None


def verify_against_review(claims: ClaimSet, review: ReviewText) -> list[str]:
    """Check quotes, sections and references of every claim against the review text.

    :returns: problems, each with ``file:line``; empty when everything matches
    """
    problems = []
    name = claims.path.name
    for s in claims.sections.values():
        for anchor in (s.heading, s.start, s.end):
            if anchor and not review.find(anchor):
                problems.append(f"{name}: section {s.key}: anchor {anchor!r} not found in the review")
    for syn in claims.synonyms:
        if not review.find(syn.quote):
            problems.append(f"{name}:{syn.line}: synonym quote not found verbatim in the review: {syn.quote[:80]!r}")
        elif normalise(syn.name).lower() not in normalise(syn.quote).lower():
            problems.append(f"{name}:{syn.line}: the quote does not use the name {syn.name!r}")
    for quote in claims.skipped_sentences:
        if not review.find(quote):
            problems.append(f"{name}: skipped sentence not found verbatim in the review: {quote[:80]!r}")
    for c in claims.claims:
        where = f"{name}:{c.line}: {c.id}"
        spans = []
        for frag in c.quote:
            hits = review.find(frag)
            if not hits:
                problems.append(f"{where}: quote not found verbatim in the review: {normalise(frag)[:90]!r}")
                continue
            spans.append((hits[0], hits[0] + len(normalise(frag))))
        if len(spans) != len(c.quote):
            continue
        start, end = spans[0][0], spans[-1][1]
        section = _section_at(review, claims.sections, start)
        if section != c.section:
            problems.append(f"{where}: the quote stands in section {section!r}, not {c.section!r}")
        # citations inside the quote must be listed; listed ones must be in the quote's sentence
        inside: set[int] = set()
        for a, b in spans:
            for cit in review.citations_between(a, b - 1):
                if cit.end <= b:
                    inside.update(cit.numbers)
        window: set[int] = set()
        for cit in review.citations_between(start, review.sentence_end(end - 1)):
            window.update(cit.numbers)
        missing = sorted(inside - set(c.references))
        if missing:
            problems.append(f"{where}: the quote cites {missing} but references lacks them")
        stray = sorted(set(c.references) - window)
        if stray:
            problems.append(f"{where}: references {stray} are not cited in the quoted sentence")
        for q in c.quantities:
            if normalise(q.text) not in review.text:
                problems.append(f"{where}: quantity text {q.text!r} not found in the review")
    return problems


# --------------------------------------------------------------------------------------------
# RDF
# --------------------------------------------------------------------------------------------


def _gks(local: str) -> URIRef:
    return URIRef(GKS + local)


def _number(value: Decimal) -> Literal:
    if value == value.to_integral_value() and "." not in str(value):
        return Literal(int(value), datatype=XSD.integer)
    return Literal(str(value), datatype=XSD.decimal)


def compile_claims(claims: ClaimSet) -> tuple[Graph, Graph]:
    """Turn claims into RDF.

    :returns: (claims graph: review, sections, claims, quantities; axioms graph: the OWL class
        axioms on gerokg's own classes that claims marked ``axiom: true`` support, each annotated
        with its claims). Axioms on imported classes go to the bridge module instead
        (:func:`bridge_axioms`).
    """
    from gerokg.rdf.rdfio import new_graph

    g = new_graph()
    g.add((REVIEW, RDF.type, URIRef(IAO + "0000310")))
    g.add((REVIEW, RDFS.label, Literal("source review")))
    g.add((REVIEW, RDFS.comment, Literal(claims.review_comment)))
    for s in claims.sections.values():
        g.add((s.iri, RDF.type, URIRef(IAO + ("0000315" if s.key == "abstract" else "0000314"))))
        g.add((s.iri, RDFS.label, Literal(s.title)))
        g.add((s.iri, DCTERMS.isPartOf, REVIEW))
        g.add((s.iri, _gks("order"), Literal(s.order, datatype=XSD.integer)))
        g.add((REVIEW, DCTERMS.hasPart, s.iri))
    for c in claims.claims:
        _add_claim(g, c, claims.sections[c.section].iri)
    return g, _axioms(claims, bridge=False)


def _add_claim(g: Graph, c: Claim, section: URIRef) -> None:
    """The claim's triples, its quantities' included."""
    iri = c.iri
    g.add((iri, RDF.type, _gks("Claim")))
    g.add((iri, RDFS.label, Literal(f"claim {c.id}")))
    g.add((iri, _gks("curie"), Literal(f"gkc:{c.id}")))
    g.add((iri, _gks("subject"), c.subject))
    g.add((iri, _gks("predicate"), c.predicate))
    g.add((iri, _gks("object"), c.object))
    g.add((iri, _gks("kind"), _gks(c.kind)))
    g.add((iri, _gks("polarity"), _gks(c.polarity)))
    g.add((iri, _gks("quote"), Literal(c.quote_text)))
    if len(c.quote) > 1:
        for frag in c.quote:
            g.add((iri, _gks("quote_fragment"), Literal(normalise(frag))))
    g.add((iri, _gks("section"), section))
    g.add((iri, DCTERMS.source, REVIEW))
    for r in c.references:
        g.add((iri, _gks("reference"), Literal(r, datatype=XSD.integer)))
    g.add((iri, _gks("evidence"), c.evidence))
    for key in ("organism", "population", "comparator"):
        value = getattr(c, key)
        if value is not None:
            g.add((iri, _gks(key), value))
    if c.timing:
        g.add((iri, _gks("timing"), Literal(c.timing)))
    _add_quantities(g, c)
    if c.year is not None:
        g.add((iri, _gks("year"), Literal(f"{c.year:04d}", datatype=XSD.gYear)))
    if c.hedged:
        g.add((iri, _gks("hedge"), Literal(c.hedged)))
    for other in c.tension_with:
        g.add((iri, _gks("in_tension_with"), URIRef(GKC + other)))
        g.add((URIRef(GKC + other), _gks("in_tension_with"), iri))
    for other in c.raised_by:
        g.add((iri, _gks("raised_by"), URIRef(GKC + other)))
    for key, values in sorted(c.context.items()):
        for value in values:
            g.add((iri, _gks(key), value))
    if c.significance:
        g.add((iri, _gks("significance"), _gks(c.significance)))
    if c.agent_status is not None:
        g.add((iri, _gks("treated_with" if c.agent_status[1] else "not_treated_with"), c.agent_status[0]))
    if c.axiom:
        g.add((iri, _gks("supports_axiom"), Literal(True)))
    if c.comment:
        g.add((iri, RDFS.comment, Literal(str(c.comment))))


def claim_description(c: Claim) -> Graph:
    """One claim's triples as the release states them (its quantities' included): what the
    exports copy, so that every export carries the qualifiers the graph stores."""
    g = Graph()
    _add_claim(g, c, Section(key=c.section, title="").iri)
    return g


def _add_quantities(g: Graph, c: Claim) -> None:
    for n, q in enumerate(c.quantities, 1):
        qi = URIRef(f"{GKC}{c.id}-q{n}")
        g.add((c.iri, _gks("quantity"), qi))
        g.add((qi, RDF.type, _gks("Quantity")))
        g.add((qi, RDFS.label, Literal(f"quantity {n} of claim {c.id}")))
        g.add((qi, _gks("value"), _number(q.value)))
        g.add((qi, _gks("unit"), _gks(UNITS[q.unit])))
        g.add((qi, _gks("direction"), _gks(DIRECTIONS[q.direction])))
        g.add((qi, _gks("quantity_text"), Literal(normalise(q.text))))
        if q.qualifier:
            g.add((qi, _gks("qualifier"), _gks(q.qualifier)))



def bridge_axioms(claims: ClaimSet) -> Graph:
    """The bridge module: the OWL axioms claims support whose subject is an imported class.

    Nothing is asserted on an imported class in the base ontology (``gerokg.owl``); each bridging
    axiom lives here, annotated with the claims that state it (see ontology/MODELLING.md).
    """
    g = _axioms(claims, bridge=True)
    oio = "http://www.geneontology.org/formats/oboInOwl#"
    for syn in sorted(claims.synonyms, key=lambda x: (str(x.term), x.name)):
        prop = URIRef(f"{oio}has{syn.type.capitalize()}Synonym")
        g.add((syn.term, prop, Literal(syn.name)))
        ax = annotated_axiom(g, syn.term, prop, Literal(syn.name))
        g.add((ax, _gks("quote"), Literal(normalise(syn.quote))))
        g.add((ax, DCTERMS.source, REVIEW))
        if syn.comment:
            g.add((ax, RDFS.comment, Literal(syn.comment)))
    return g


def _axioms(claims: ClaimSet, bridge: bool) -> Graph:
    from gerokg.rdf.rdfio import new_graph

    g = new_graph()
    groups: dict[tuple[URIRef, URIRef, URIRef, str], list[Claim]] = defaultdict(list)
    for c in claims.claims:
        if c.axiom and str(c.subject).startswith(NATIVE) != bridge:
            groups[(c.subject, c.predicate, c.object, c.polarity)].append(c)
    for (s, p, o, polarity), support in sorted(groups.items()):
        target: URIRef | BNode
        prop = RDFS.subClassOf
        if p == RDFS.subClassOf:
            if polarity == "negated":
                prop = OWL.disjointWith
            target = o
        else:
            r = BNode()
            g.add((r, RDF.type, OWL.Restriction))
            g.add((r, OWL.onProperty, p))
            g.add((r, OWL.someValuesFrom, o))
            if polarity == "negated":
                target = BNode()
                g.add((target, RDF.type, OWL.Class))
                g.add((target, OWL.complementOf, r))
            else:
                target = r
        g.add((s, prop, target))
        ax = annotated_axiom(g, s, prop, target)
        for c in support:
            g.add((ax, _gks("supported_by"), c.iri))
            g.add((ax, _gks("quote"), Literal(c.quote_text)))
            g.add((ax, _gks("evidence"), c.evidence))
    return g
