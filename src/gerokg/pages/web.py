"""The web pages of ``gerokg serve``: search, term and claim pages, query forms, a SPARQL box and
the pathway picture. Server-rendered HTML (Jinja2, autoescaped), no JavaScript, no CDN: the pages
work offline and in any browser, and every value is escaped.

Pages about terms and claims are read from the store directly (bounded pattern lookups, fast at
ChEBI scale); canned queries and the SPARQL box go through the endpoint's worker pool, so they
get the same timeout, row limit and read-only guarantees as ``/sparql``.
"""

from __future__ import annotations

import bisect
import json
import re
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jinja2
import pyoxigraph as ox

from gerokg._version import __version__
from gerokg.answers.why import Classifier, Reason, term_in_store
from gerokg.errors import GerokgError, NotFound, ParameterError, QueryNotFoundError, TermResolutionError
from gerokg.rdf.claimread import read_claim
from gerokg.rdf.rdfio import compact_iri, term_iri
from gerokg.release.release import Release
from gerokg.vocab import CLAIM, FIGURE_SECTION, GKS, INFERRED_GRAPH

__all__ = ["Page", "Site"]

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
OWL = "http://www.w3.org/2002/07/owl#"
OBO = "http://purl.obolibrary.org/obo/"
CLAIM_NS = CLAIM
OIO = "http://www.geneontology.org/formats/oboInOwl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
LABEL = ox.NamedNode(RDFS + "label")
DEFINITION = OBO + "IAO_0000115"
SYNONYMS = {
    OIO + "hasExactSynonym": "exact", OIO + "hasRelatedSynonym": "related",
    OIO + "hasBroadSynonym": "broad", OIO + "hasNarrowSynonym": "narrow", SKOS + "altLabel": "alternative",
}
#: rows shown in a results table (the CSV download has them all)
HTML_ROWS = 1000
_BUILTIN_LABELS = {RDFS + "subClassOf": "is a", OWL + "equivalentClass": "is equivalent to"}
_CLAIM_ID = re.compile(r"^C\d{4,}$")
_HTML_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self' data:; "
                                "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@dataclass
class Page:
    """An answer of the web layer."""

    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def _known_prefixes() -> dict[str, str]:
    from gerokg.resources import prefixes

    return prefixes()


# --------------------------------------------------------------------------------------------
# Links to the sources' own pages
# --------------------------------------------------------------------------------------------


def external_link(iri: str) -> tuple[str, str] | None:
    """(site name, URL) of the term's page at its source, for the linked ontologies."""
    curie = compact_iri(iri)
    prefix = curie.split(":", 1)[0] if curie != iri else ""
    if prefix == "CHEBI":
        return "ChEBI", f"https://www.ebi.ac.uk/chebi/searchId.do?chebiId={curie}"
    if prefix == "GO":
        return "AmiGO", f"https://amigo.geneontology.org/amigo/term/{curie}"
    if prefix == "HGNC":
        return "HGNC", f"https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/{curie}"
    if prefix in ("MONDO", "NCBITaxon", "RO", "BFO", "ECO", "IAO"):
        return "OLS", f"https://www.ebi.ac.uk/ols4/ontologies/{prefix.lower()}/terms?iri={urllib.parse.quote(iri, safe='')}"
    return None


def term_href(iri: str) -> str:
    """The local page of a term or claim."""
    if iri.startswith(CLAIM_NS):
        # a claim's parts (its quantities, C0200-q1) are shown on the claim's page
        return "/claim/" + urllib.parse.quote(iri[len(CLAIM_NS):].split("-", 1)[0], safe="")
    curie = compact_iri(iri)
    return "/term/" + urllib.parse.quote(curie if curie != iri else iri, safe=":")


def _shift_lines(message: str, by: int) -> str:
    """A parser message's line numbers moved by ``by`` (for text run after a prologue line)."""
    return re.sub(r"\bline (\d+)", lambda m: f"line {max(1, int(m.group(1)) + by)}", message)


def short_name(iri: str) -> str:
    """The name a page shows for an IRI it links to: a claim's id, a term's CURIE, or else the
    IRI itself (any IRI, even one with no ``/``: claims from a user's file can point anywhere)."""
    if iri.startswith(CLAIM_NS) and len(iri) > len(CLAIM_NS):
        return iri[len(CLAIM_NS):]
    return compact_iri(iri)


def resolve_term(text: str) -> str:
    """A CURIE or IRI from a URL to an IRI; NotFound when it is neither."""
    text = text.strip()
    try:
        iri = term_iri(text)
        ox.NamedNode(iri)
    except ValueError as exc:
        raise NotFound(f"{text!r} is not a CURIE gerokg knows or a valid IRI ({exc})") from None
    return iri


# --------------------------------------------------------------------------------------------
# The site
# --------------------------------------------------------------------------------------------


@dataclass
class SearchHit:
    iri: str
    label: str
    matched: str
    kind: str
    claims: int
    rank: tuple[Any, ...]


class Site:
    """Renders the pages from a read-only store and the endpoint's query runner.

    :param store: a pyoxigraph Store (opened read-only by the endpoint)
    :param run_query: ``run(text, select_fmt, graph_fmt, limit, timeout) -> QueryResult``,
        the endpoint's worker pool
    :param release: the :class:`gerokg.release.release.Release` being served (what ``/docs/``
        documents); default: the package's sources
    """

    def __init__(self, store: ox.Store, run_query: Callable[..., Any],
                 timeout: float = 30.0, max_rows: int = 10000, triples: int = 0, root_path: str = "",
                 release: Release | None = None) -> None:
        self.store = store
        self.release = release if release is not None else Release()
        self.root = root_path
        self.run_query = run_query
        self.timeout = timeout
        self.max_rows = max_rows
        self.triples = triples
        self.classifier = Classifier(store)
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("gerokg", "templates"),
            autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(href=self.href, curie=compact_iri, label=self.label, version=__version__, short=short_name,
                                external_link=external_link, root=root_path)
        self.env.filters["urlencode_params"] = lambda d: urllib.parse.urlencode(d)
        self._labels: dict[str, str] = {}
        self._index: list[tuple[str, str, str, bool]] | None = None
        self._folded: list[str] = []
        self._blob = ""
        self._starts: list[int] = []
        self._claim_counts: dict[str, int] = {}
        self._quotes: list[tuple[str, str, str]] = []
        self._lock = threading.Lock()
        self._diagrams: dict[tuple[str, str], bytes] = {}
        self._stats: dict[str, int] | None = None
        self._docs: dict[str, bytes] | None = None
        self._suggest: list[tuple[str, str, str]] | None = None
        self._docs_lock = threading.Lock()
        # build the search index while the first pages are served (seconds at ChEBI scale)
        threading.Thread(target=self._ensure_index, name="gerokg-search-index", daemon=True).start()

    # -- small lookups
    def href(self, iri: str) -> str:
        """The local page of a term or claim, under the site's root path."""
        return self.root + term_href(iri)

    def label(self, iri: str | None) -> str:
        """The term's rdfs:label, or its CURIE."""
        if not iri:
            return "(not given)"
        if iri not in self._labels:
            if iri in _BUILTIN_LABELS:
                return _BUILTIN_LABELS[iri]
            found = sorted(q.object.value for q in self.store.quads_for_pattern(ox.NamedNode(iri), LABEL, None)
                           if isinstance(q.object, ox.Literal))
            self._labels[iri] = found[0] if found else compact_iri(iri)
        return self._labels[iri]

    def _values(self, s: Any, p: str) -> list[Any]:
        return [q.object for q in self.store.quads_for_pattern(s, ox.NamedNode(p), None, ox.DefaultGraph())]

    def _exists(self, iri: str) -> bool:
        return term_in_store(self.store, iri)

    def render(self, template: str, status: int = 200, **context: Any) -> Page:
        body = self.env.get_template(template).render(triples=self.triples, **context)
        return Page(status, body.encode("utf-8"), headers=dict(_HTML_HEADERS))

    def error_page(self, status: int, message: str) -> Page:
        titles = {400: "Bad request", 404: "Not found", 503: "Busy or too slow"}
        return self.render("error.html", status, title=titles.get(status, "Error"), message=message)

    # -- search
    def _build_index(self) -> None:
        """Labels and synonyms of every term, section included (not claims or queries), and how many
        claims speak of each term; pattern lookups on the store, read once.

        The index is sorted by folded text (exact and prefix matches by bisection) and also kept
        as one newline-joined string, searched with ``str.find`` for matches inside a text: a
        search costs microseconds per match instead of a Python loop over every label (ChEBI,
        GO and MONDO hold about a million labels and synonyms).
        """
        from gerokg.querying.terms import fold

        skip = (CLAIM_NS, "https://w3id.org/gerokg/query")
        entries: list[tuple[str, str, str, bool]] = []
        for pred in (RDFS + "label", *SYNONYMS):
            for q in self.store.quads_for_pattern(None, ox.NamedNode(pred), None, ox.DefaultGraph()):
                if (isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal)
                        and not q.subject.value.startswith(skip)):
                    entries.append((fold(q.object.value), q.object.value, q.subject.value, pred == RDFS + "label"))
        entries.sort()
        claims_of: dict[str, set[str]] = {}
        for role in ("subject", "object"):
            for q in self.store.quads_for_pattern(None, ox.NamedNode(GKS + role), None, ox.DefaultGraph()):
                if isinstance(q.object, ox.NamedNode) and isinstance(q.subject, ox.NamedNode):
                    claims_of.setdefault(q.object.value, set()).add(q.subject.value)
        self._claim_counts = {t: len(c) for t, c in claims_of.items()}
        quotes = []
        for q in self.store.quads_for_pattern(None, ox.NamedNode(GKS + "quote"), None, ox.DefaultGraph()):
            if (isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(CLAIM_NS)
                    and isinstance(q.object, ox.Literal)):
                quotes.append((fold(q.object.value), q.subject.value, q.object.value))
        self._quotes = sorted(quotes, key=lambda t: t[1])
        self._folded = [e[0] for e in entries]
        self._blob = "\n".join(self._folded)
        starts, pos = [], 0
        for f in self._folded:
            starts.append(pos)
            pos += len(f) + 1
        self._starts = starts
        self._index = entries

    def _ensure_index(self) -> None:
        with self._lock:
            if self._index is None:
                self._build_index()

    def _containing(self, needle: str, cap: int) -> list[int]:
        """Indexes of the entries whose text contains ``needle`` (at most ``cap``)."""
        out: list[int] = []
        pos = self._blob.find(needle)
        while pos >= 0 and len(out) < cap:
            i = bisect.bisect_right(self._starts, pos) - 1
            out.append(i)
            # next entry: matches never span entries (texts hold no newline)
            pos = self._blob.find(needle, self._starts[i] + len(self._folded[i]) + 1)
        return out

    def search_terms(self, text: str, limit: int = 50, cap: int = 20000) -> list[SearchHit]:
        """Terms whose label or synonym matches ``text`` (case-insensitive), best first: exact
        match, then prefix, then a word start, then anywhere, then all words at word starts;
        labels before synonyms, terms the review speaks of first.

        :param cap: at most this many matches inside texts are ranked (exact and prefix matches
            are always found)
        """
        needle = " ".join(text.split()).casefold()
        if not needle:
            return []
        self._ensure_index()
        assert self._index is not None
        from gerokg.querying.terms import curie_or_iri, fold

        needle = fold(text)
        jump = curie_or_iri(text)
        if jump is not None and not jump.startswith(CLAIM_NS) and self._exists(jump):
            # a CURIE or IRI of a term of the graph: that term, first
            hit = SearchHit(jump, self.label(jump), compact_iri(jump), "identifier",
                            self._claim_counts.get(jump, 0), (-1,))
            return [hit, *[h for h in self._search(needle, limit, cap) if h.iri != jump]][:limit]
        hits = self._search(needle, limit, cap)
        if not hits:
            # a typo ("rapamicyn", "everolimsu"): the names spelled most alike among those that
            # share the first letters
            import difflib

            for stem in (needle[:3], needle[:2]):
                i = bisect.bisect_left(self._folded, stem)
                pool: list[str] = []
                while i < len(self._folded) and self._folded[i].startswith(stem) and len(pool) < 20000:
                    pool.append(self._folded[i])
                    i += 1
                close = difflib.get_close_matches(needle, sorted(set(pool)), n=5, cutoff=0.75)
                if close:
                    for h in (h for c in close for h in self._search(c, limit, cap) if h.rank[0] == 0):
                        if all(h.iri != o.iri for o in hits):
                            h.kind = "spelled alike"
                            hits.append(h)
                    break
        return hits[:limit]

    def search_claims(self, text: str, limit: int = 50) -> list[tuple[str, str]]:
        """Claims whose quote contains ``text`` (case-insensitive): (claim IRI, quote), in id order."""
        from gerokg.querying.terms import fold

        needle = fold(text)
        if len(needle) < 3:
            return []
        self._ensure_index()
        return [(iri, quote) for folded, iri, quote in self._quotes if needle in folded][:limit]

    def _search(self, needle: str, limit: int, cap: int) -> list[SearchHit]:
        assert self._index is not None
        folded_list = self._folded
        candidates: set[int] = set()
        i = bisect.bisect_left(folded_list, needle)
        while i < len(folded_list) and folded_list[i].startswith(needle) and len(candidates) < cap:
            candidates.add(i)
            i += 1
        candidates.update(self._containing(needle, cap))
        tokens = needle.split()
        if len(tokens) > 1:
            # every word of the search starts a word of the text ("mTOR inhibitor" finds
            # "mTORC1 inhibitor"): candidates contain the longest word
            longest = max(tokens, key=len)
            patterns = [re.compile(r"(?<![^\W_])" + re.escape(t)) for t in tokens]
            for j in self._containing(longest, cap):
                if j not in candidates and all(p.search(folded_list[j]) for p in patterns):
                    candidates.add(j)
        best: dict[str, SearchHit] = {}
        for j in candidates:
            folded, original, iri, is_label = self._index[j]
            pos = folded.find(needle)
            if pos < 0:
                score = 4
            elif folded == needle:
                score = 0
            elif pos == 0:
                score = 1
            elif not folded[pos - 1].isalnum():
                score = 2
            else:
                score = 3
            claims = self._claim_counts.get(iri, 0)
            rank = (score, 0 if is_label else 1, 0 if claims else 1, len(original), original, iri)
            if iri not in best or rank < best[iri].rank:
                best[iri] = SearchHit(iri, "", original, "label" if is_label else "synonym", claims, rank)
        hits = sorted(best.values(), key=lambda h: h.rank)[:limit]
        for h in hits:
            h.label = self.label(h.iri)
        return hits

    # -- claims
    def claim(self, iri: str) -> dict[str, Any]:
        """Everything the store says of a claim (:func:`gerokg.rdf.claimread.read_claim`), ready
        for a template."""
        c = read_claim(self.store, iri)
        if c is None or c.quote is None:
            raise NotFound(f"no claim {compact_iri(iri)}")
        quantities = [{"text": q.text, "value": q.value,
                       "unit": self.label(q.unit) if q.unit else "",
                       "direction": self.label(q.direction) if q.direction else "",
                       "qualifier": self.label(q.qualifier) if q.qualifier else ""} for q in c.quantities]
        return {
            "iri": iri,
            "id": iri[len(CLAIM_NS):] if iri.startswith(CLAIM_NS) else compact_iri(iri),
            "subject": c.subject, "predicate": c.predicate, "object": c.object,
            "kind": c.kind.replace("_", " "), "polarity": c.polarity, "quote": c.quote,
            "fragments": list(c.fragments), "comment": c.comment, "section": c.section,
            "references": list(c.references), "evidence": c.evidence,
            "organism": list(c.organism), "population": list(c.population), "comparator": list(c.comparator),
            "context": {k.replace("_", " "): list(v) for k, v in sorted(c.context.items())},
            "significance": (c.significance or "").replace("_", " ") or None,
            "agents": [(a, treated) for a, treated in c.agent_status],
            "timing": c.timing, "year": c.year, "hedges": list(c.hedges), "quantities": quantities,
            "tensions": list(c.tensions), "raised_by": list(c.raised_by), "axiom": c.supports_axiom,
            "asserts": c.asserts,
        }

    def claims_about(self, iri: str, limit: int = 500) -> list[tuple[str, dict[str, Any]]]:
        """(role, claim) for every claim with the term as subject or object."""
        node = ox.NamedNode(iri)
        found: dict[str, str] = {}
        for role in ("subject", "object"):
            for q in self.store.quads_for_pattern(None, ox.NamedNode(GKS + role), node, ox.DefaultGraph()):
                if isinstance(q.subject, ox.NamedNode):
                    found.setdefault(q.subject.value, role)
        out = [(found[c], self.claim(c)) for c in sorted(found)[:limit]]
        return out

    # -- pages
    def home(self) -> Page:
        from gerokg.querying.canned import list_queries

        if self._stats is None:  # the store is read-only: count once
            claim_type = ox.NamedNode(GKS + "Claim")
            claims = sum(1 for _ in self.store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), claim_type,
                                                                  ox.DefaultGraph()))
            self._ensure_index()
            assert self._index is not None
            native = {e[2] for e in self._index if e[3] and e[2].startswith("https://w3id.org/gerokg/GEROKG_")}
            self._stats = {"claims": claims, "native": len(native)}
        stats = self._stats
        return self.render("home.html", title="gerokg", queries=list_queries(include_qc=False), stats=stats,
                           examples=[("everolimus", "CHEBI:68478"), ("geroconversion", None),
                                     ("mTOR", None), ("cancer", None)])

    def search(self, params: dict[str, list[str]]) -> Page:
        text = (params.get("q") or [""])[0]
        if len(text) > 200:
            return self.error_page(400, "parameter 'q': a search text of at most 200 characters")
        hits = self.search_terms(text)
        claims = self.search_claims(text)
        claim_id = text.strip().upper()
        if claim_id.startswith("GKC:"):
            claim_id = claim_id[4:]
        claim_hit = None
        if _CLAIM_ID.match(claim_id) and self._exists(CLAIM_NS + claim_id):
            claim_hit = CLAIM_NS + claim_id
        if hits and (len(hits) == 1 or hits[0].kind == "identifier") and claim_hit is None and (params.get("go") or [""])[0]:
            return Page(303, b"", headers={"Location": self.href(hits[0].iri)})
        return self.render("search.html", title=f"Search: {text}" if text else "Search", q=text, hits=hits,
                           claim_hit=claim_hit, claims=claims)

    def resolve(self, text: str) -> str:
        """The IRI a page path names: a CURIE or IRI as it is (:func:`resolve_term`), else a
        label or synonym read by the one resolver over the served store; NotFound otherwise."""
        return self._resolve(text)[0]

    def _resolve(self, text: str) -> tuple[str, bool]:
        """(IRI, whether it was found by a name rather than given as a CURIE or IRI)."""
        from gerokg.querying.terms import curie_or_iri, looks_like_curie, resolver_for

        text = text.strip()
        if curie_or_iri(text) or looks_like_curie(text) or text.startswith("<"):
            return resolve_term(text), False
        try:
            return resolver_for(self.store).resolve(text, what="page"), True
        except TermResolutionError as exc:
            raise NotFound(str(exc)) from None

    def term(self, ref: str) -> Page:
        iri, by_name = self._resolve(urllib.parse.unquote(ref))
        if by_name:
            # a label or synonym: the term's page lives at its CURIE
            return Page(303, b"", headers={"Location": self.href(iri)})
        if iri.startswith(CLAIM_NS):
            return Page(303, b"", headers={"Location": self.href(iri)})
        if not self._exists(iri):
            raise NotFound(f"{compact_iri(iri)} is not in this graph")
        node = ox.NamedNode(iri)
        by: dict[str, list[Any]] = {}
        for q in self.store.quads_for_pattern(node, None, None, ox.DefaultGraph()):
            by.setdefault(q.predicate.value, []).append(q.object)
        inferred = set(self.classifier.inferred_superclasses(iri))
        labels = sorted(x.value for x in by.get(RDFS + "label", []) if isinstance(x, ox.Literal))
        definitions = []
        for d in sorted(x.value for x in by.get(DEFINITION, []) if isinstance(x, ox.Literal)):
            sources = self._definition_sources(iri, d)
            definitions.append({"text": d, "sources": sources})
        synonyms = sorted((x.value, kind) for p, kind in SYNONYMS.items() for x in by.get(p, [])
                          if isinstance(x, ox.Literal))
        comments = sorted(x.value for x in by.get(RDFS + "comment", []) if isinstance(x, ox.Literal))
        types = sorted(x.value for x in by.get(RDF + "type", []) if isinstance(x, ox.NamedNode))
        parents = []
        for p in self.classifier.parents(iri):
            parents.append({"iri": p, "claims": self._claim_views(
                self.classifier.claims_for(iri, ox.NamedNode(RDFS + "subClassOf"), ox.NamedNode(p)))})
        restrictions = []
        for prop, filler, nd in self.classifier.restrictions(iri):
            if nd is None:
                continue
            restrictions.append({"property": prop, "filler": filler, "claims": self._claim_views(
                self.classifier.claims_for(iri, ox.NamedNode(RDFS + "subClassOf"), nd))})
        definitions_logical = self.classifier.definitions(iri)
        children, inferred_children = [], []
        inferred_graph = ox.NamedNode(INFERRED_GRAPH)
        inf_kids = {q.subject.value for q in self.store.quads_for_pattern(None, ox.NamedNode(RDFS + "subClassOf"), node, inferred_graph)
                    if isinstance(q.subject, ox.NamedNode)}
        for q in self.store.quads_for_pattern(None, ox.NamedNode(RDFS + "subClassOf"), node, ox.DefaultGraph()):
            if isinstance(q.subject, ox.NamedNode) and q.subject.value not in inf_kids:
                children.append(q.subject.value)
        children = sorted(set(children), key=lambda c: self.label(c).casefold())
        inferred_children = sorted(inf_kids, key=lambda c: self.label(c).casefold())
        classified = []
        for sup in sorted(inferred, key=lambda c: (not c.startswith("https://w3id.org/gerokg/"), self.label(c).casefold())):
            j = self.classifier.why(iri, sup)
            classified.append({"iri": sup, "steps": [self._step_view(s) for s in j.steps] if j else None})
        claims = self.claims_about(iri)
        title = labels[0] if labels else compact_iri(iri)
        return self.render(
            "term.html", title=title, iri=iri, labels=labels, definitions=definitions, synonyms=synonyms,
            comments=comments, types=types, parents=parents, restrictions=restrictions,
            logical=definitions_logical, children=children[:200], children_total=len(children),
            inferred_children=inferred_children[:200], classified=classified, claims=claims,
            deprecated=any(x.value == "true" for x in by.get(OWL + "deprecated", [])),
            has_inferences=self._has_inferences(),
            diagram=markup_svg(self.diagram_svg(iri)) if claims else None)

    def _has_inferences(self) -> bool:
        return next(iter(self.store.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED_GRAPH))), None) is not None

    def _definition_sources(self, iri: str, text: str) -> list[dict[str, Any]]:
        out = []
        for q in self.store.quads_for_pattern(None, ox.NamedNode(OWL + "annotatedSource"), ox.NamedNode(iri), ox.DefaultGraph()):
            ax = q.subject
            if self._values(ax, OWL + "annotatedProperty") != [ox.NamedNode(DEFINITION)]:
                continue
            if ox.Literal(text) not in self._values(ax, OWL + "annotatedTarget"):
                continue
            quotes = sorted(x.value for x in self._values(ax, GKS + "quote"))
            sections = sorted(x.value for x in self._values(ax, OBO + "IAO_0000119") if isinstance(x, ox.NamedNode))
            xrefs = sorted(x.value for x in self._values(ax, OIO + "hasDbXref"))
            out.append({"quotes": quotes, "sections": sections, "xrefs": xrefs})
        return out

    def _claim_views(self, iris: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
        out = []
        for c in iris:
            try:
                out.append(self.claim(c))
            except NotFound:
                continue
        return out

    def _step_view(self, step: Reason) -> dict[str, Any]:
        return {"kind": step.kind, "subject": step.subject, "path": list(step.path), "property": step.property,
                "filler": step.filler,
                "parts": [p if isinstance(p, str) else {"property": p[0], "filler": p[1]} for p in step.parts],
                "claims": self._claim_views(step.claims)}

    def claim_page(self, ref: str) -> Page:
        cid = urllib.parse.unquote(ref)
        if not _CLAIM_ID.match(cid):
            raise NotFound(f"{cid!r} is not a claim id (C followed by digits, e.g. C0188)")
        c = self.claim(CLAIM_NS + cid)
        return self.render("claim.html", title=f"Claim {c['id']}", c=c)

    # -- queries
    def _run(self, text: str, select_fmt: str, graph_fmt: str) -> Any:
        """Run a query through the endpoint's pool (parsed, sandboxed, bounded there)."""
        from gerokg.errors import RequestError
        from gerokg.querying.workers import QueryTimeout

        try:
            res = self.run_query(text, select_fmt, graph_fmt, self.max_rows, self.timeout)
        except QueryTimeout as exc:
            raise RequestError(503, str(exc)) from None
        if res.status != 200:
            raise RequestError(res.status, res.body.decode("utf-8", "replace"))
        return res

    def _run_json(self, text: str) -> tuple[dict[str, Any], bool]:
        res = self._run(text, "json", "jsonld")
        return json.loads(res.body), res.truncated

    def queries_page(self) -> Page:
        from gerokg.querying.canned import list_queries

        return self.render("queries.html", title="Canned queries", queries=list_queries(include_qc=False),
                           checks=[q for q in list_queries() if q.is_qc])

    def _run_any(self, text: str) -> tuple[dict[str, Any] | None, str | None, bool]:
        """Run a query through the pool: (table, None, truncated) for SELECT and ASK,
        (None, Turtle text, truncated) for CONSTRUCT and DESCRIBE."""
        res = self._run(text, "json", "turtle")
        if res.form in ("CONSTRUCT", "DESCRIBE"):
            return None, res.body.decode("utf-8", "replace"), res.truncated
        return self._table(json.loads(res.body)), None, res.truncated

    def suggestions(self) -> list[tuple[str, str, str]]:
        """(CURIE, IRI, label) of the terms the claims use (subjects, objects, predicates,
        organisms, populations, comparators, sections), sorted by label: the choices offered in
        the query forms' term fields."""
        with self._lock:
            if self._suggest is None:
                found: set[str] = set()
                for p in ("subject", "object", "predicate", "organism", "population", "comparator", "section"):
                    for q in self.store.quads_for_pattern(None, ox.NamedNode(GKS + p), None, ox.DefaultGraph()):
                        if isinstance(q.object, ox.NamedNode):
                            found.add(q.object.value)
                self._suggest = sorted(((compact_iri(i), i, self.label(i)) for i in found),
                                       key=lambda t: (t[2].casefold(), t[0]))
        return self._suggest

    def _resolve_labels(self, q: Any, values: dict[str, str]) -> tuple[dict[str, str], list[str]]:
        """Term parameters given as a label or synonym ("Mus musculus", "rapamycin") become the
        term's CURIE or IRI, read by the one resolver (:func:`gerokg.querying.terms.resolve_term`) against
        this store; returns the values and notes saying so.

        :raises TermResolutionError: a name fits no term, or several (the message lists them)
        """
        from gerokg.querying.terms import curie_or_iri, resolver_for

        notes: list[str] = []
        out = dict(values)
        for p in q.params:
            v = values.get(p.name)
            if v is None or p.type not in ("term", "curie", "iri") or curie_or_iri(v) is not None:
                continue
            resolver = resolver_for(self.store)
            iri = resolver.resolve(v, what=f"parameter {p.name!r}")
            out[p.name] = iri if p.type == "iri" or compact_iri(iri) == iri else compact_iri(iri)
            notes.append(f"{p.name}: “{v}” read as {compact_iri(iri)} ({resolver.label(iri)})")
        return out, notes

    def query_page(self, name: str, params: dict[str, list[str]]) -> Page:
        from gerokg.errors import RequestError
        from gerokg.querying.canned import bind_params, bind_query_text, load_query

        try:
            q = load_query(name)
        except QueryNotFoundError as exc:
            raise NotFound(str(exc)) from None
        values = {p.name: params[p.name][0].strip() for p in q.params if params.get(p.name) and params[p.name][0].strip()}
        error, result, graph_text, truncated, status = None, None, None, False, 200
        notes: list[str] = []
        try:
            bound, notes = self._resolve_labels(q, values)
            text = bind_query_text(q, bind_params(q, bound, self.store))
        except ParameterError as exc:
            error, status, text = str(exc), 400, q.text
        if error is None:
            try:
                result, graph_text, truncated = self._run_any(text)
            except RequestError as exc:
                error, status = exc.message, exc.status
        graph = q.form in ("CONSTRUCT", "DESCRIBE")
        download = {**(bound if error is None else values), "format": "turtle" if graph else "csv", "download": "1"}
        return self.render("query.html", status, title=q.title, query=q, values=values, error=error,
                           result=result, graph_text=graph_text, truncated=truncated,
                           download_href=f"{self.root}/queries/{urllib.parse.quote(q.name)}?{urllib.parse.urlencode(download)}",
                           download_name=f"{q.name}.{'ttl' if graph else 'csv'}",
                           download_label="Download Turtle" if graph else "Download CSV", text=text,
                           notes=notes, suggestions=self.suggestions() if any(
                               p.type in ("term", "curie", "iri") for p in q.params) else [])

    def _table(self, result: dict[str, Any]) -> dict[str, Any]:
        if "boolean" in result:
            return {"boolean": result["boolean"], "vars": [], "rows": [], "total": 0}
        variables = result["head"]["vars"]
        bindings = result["results"]["bindings"]
        rows = [[self._cell(b.get(v)) for v in variables] for b in bindings[:HTML_ROWS]]
        return {"boolean": None, "vars": variables, "rows": rows, "total": len(bindings)}

    def _cell(self, term: dict[str, str] | None) -> dict[str, Any]:
        if term is None:
            return {"text": "", "href": None}
        if term["type"] == "uri":
            iri = term["value"]
            local = iri.startswith(CLAIM_NS) or compact_iri(iri) != iri
            return {"text": self.label(iri) if not iri.startswith(CLAIM_NS) else iri[len(CLAIM_NS):],
                    "curie": compact_iri(iri), "href": self.href(iri) if local else None, "iri": iri}
        if term["type"] == "bnode":
            return {"text": "_:" + term["value"], "href": None}
        return {"text": term["value"], "href": None}

    def sparql_page(self, text: str | None) -> Page:
        from gerokg.errors import RequestError
        from gerokg.querying.canned import load_query

        # an example from the catalogue, with its header comments
        default = load_query("regulatory-events").text
        error, result, truncated, status, graph_text = None, None, False, 200, None
        if text:
            # the release's prefixes are predeclared (on one line before the text); the pool
            # parses the text: updates are refused with 403, SERVICE with 400
            from gerokg.querying.canned import prefix_prologue

            try:
                result, graph_text, truncated = self._run_any(prefix_prologue(text) + "\n" + text)
            except RequestError as exc:
                error, status = _shift_lines(exc.message, -1), exc.status
        return self.render("sparql.html", status, title="SPARQL", text=text or default, error=error,
                           result=result, graph_text=graph_text, truncated=truncated, ran=bool(text),
                           json_href=self.root + "/sparql?" + urllib.parse.urlencode({"query": text or default, "format": "json"}),
                           csv_href=self.root + "/sparql?" + urllib.parse.urlencode({"query": text or default, "format": "csv"}))

    # -- documentation
    def docs(self, name: str) -> Page:
        """The ontology documentation (pyLODE) and the query catalogue of ``gerokg docs`` of the
        release being served, made on first request and kept. They carry their own inline CSS, so their CSP allows it."""
        from gerokg.pages.docs import DOCS_FILES, docs_pages

        name = name or "index.html"
        if name not in DOCS_FILES:
            raise NotFound(f"no documentation page {name!r}; see /docs/")
        with self._docs_lock:
            if self._docs is None:
                self._docs = {k: v.encode("utf-8") for k, v in docs_pages(self.release.graph()).items()}
        return Page(200, self._docs[name], headers={
            "Content-Security-Policy": ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                        "base-uri 'none'; frame-ancestors 'none'"),
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"})

    # -- pictures
    def diagram_bytes(self, term: str | None, fmt: str) -> bytes:
        """Figure 1 (term None) or a term's neighbourhood, as SVG or PNG, linked to local pages."""
        from gerokg.pages import diagram

        key = (term or "", fmt)
        if key not in self._diagrams:
            holder = _StoreHolder(self.store)
            dot = (diagram.figure_dot(holder, link_base=self.root + "/") if term is None
                   else diagram.neighbourhood_dot(term, holder, link_base=self.root + "/"))
            data = diagram.render(dot, fmt)
            with self._lock:
                self._diagrams[key] = data
        return self._diagrams[key]

    def diagram_svg(self, term: str | None) -> str | None:
        """Inline SVG (without the XML prolog) for embedding in a page; None when unavailable."""
        try:
            svg = self.diagram_bytes(term, "svg").decode("utf-8")
        except GerokgError:
            return None
        start = svg.find("<svg")
        return svg[start:] if start >= 0 else None

    def pathway_page(self) -> Page:
        svg = self.diagram_svg(None)
        from gerokg.querying.canned import bind_params, bind_query_text, load_query

        q = load_query("claims-in-section")
        text = bind_query_text(q, bind_params(q, {"section": FIGURE_SECTION}))
        solutions = self.store.query(text)
        assert isinstance(solutions, ox.QuerySolutions)
        found = sorted({sol["claim"].value for sol in solutions})
        claims = [self.claim(c) for c in found]
        return self.render("pathway.html", title="The mTOR pathway in cancer and senescence (Figure 1)",
                           svg=markup_svg(svg), claims=claims)


class _StoreHolder:
    """The read-only pyoxigraph store with the ``.ox`` attribute gerokg's modules expect."""

    def __init__(self, store: ox.Store) -> None:
        self.ox = store


def markup_svg(svg: str | None) -> Any:
    """Mark Graphviz's SVG (generated by gerokg, with escaped labels) safe for templates."""
    return jinja2.utils.markupsafe.Markup(svg) if svg else None
