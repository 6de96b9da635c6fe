"""Agreement between two curations of the same review (inter-curator agreement).

A second curator's pass (a YAML list of claims with ``quote``, ``kind`` (and ``subtype``),
``polarity``, ``subject``, ``predicate``, ``object``) is aligned with gerokg's claims by quote
overlap, then compared field by field. The result is what a curation report quotes: how many
claims each pass has, how many align, and the agreement rate on epistemic status, kind, polarity,
subject, predicate, object and the whole triple, with the list of disagreements.

Alignment: two claims are candidates when the word overlap of their quotes, divided by the length
of the shorter quote, is at least ``min_overlap`` (a quote contained in the other scores 1). Among
candidates, pairs are chosen one to one, best first, by overlap plus agreement of subject, object
and predicate, so that a sentence split into several claims is matched claim by claim.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Agreement", "Pair", "compare_passes", "epistemic_status", "load_pass", "native_names"]

#: gerokg's kinds and a second pass's kinds, mapped to the six epistemic statuses of the guide
_STATUS = {
    "hypothesis": "hypothesis", "open_question": "open_question",
    "rhetorical_question": "rhetorical_question", "refuted_expectation": "refuted_expectation",
    "methodological_statement": "methodological_statement",
}


def epistemic_status(kind: str | None) -> str:
    """``assertion`` for every asserting kind, else the kind (hypothesis, open_question, ...)."""
    return _STATUS.get(str(kind), "assertion")


def _curie(term: Any, names: dict[str, str] | None = None) -> str:
    """The CURIE of ``CURIE ! label``; a second pass's ``NATIVE: name`` becomes the native term of
    that label or exact synonym when ``names`` knows it (else it stays as written)."""
    if term is None:
        return ""
    text = str(term).split(" ! ")[0].strip()
    if text.startswith("NATIVE:") and names:
        return names.get(text[len("NATIVE:"):].strip().lower(), text)
    return text


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", re.sub(r"-\s+", "-", text.lower()))


def _overlap(a: str, b: str) -> float:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    ja, jb = " ".join(wa), " ".join(wb)
    if ja in jb or jb in ja:
        return 1.0
    common = sum((Counter(wa) & Counter(wb)).values())
    return common / min(len(wa), len(wb))


@dataclass
class Claim:
    """The fields of one claim that the comparison uses."""

    id: str
    quote: str
    kind: str
    status: str
    polarity: str
    subject: str
    predicate: str
    object: str


@dataclass
class Pair:
    """Two aligned claims and the fields on which they differ."""

    ours: Claim
    theirs: Claim
    overlap: float
    differs: list[str] = field(default_factory=list)


@dataclass
class Agreement:
    """The comparison of two passes."""

    ours: int
    theirs: int
    pairs: list[Pair]
    unmatched_ours: list[Claim]
    unmatched_theirs: list[Claim]

    def rate(self, name: str) -> float:
        """Share of aligned pairs that agree on ``name`` (a field, or ``triple``)."""
        if not self.pairs:
            return 0.0
        if name == "triple":
            return sum(1 for p in self.pairs if not {"subject", "predicate", "object"} & set(p.differs)) / len(self.pairs)
        if name == "all":
            return sum(1 for p in self.pairs if not p.differs) / len(self.pairs)
        return sum(1 for p in self.pairs if name not in p.differs) / len(self.pairs)

    def kappa(self) -> float:
        """Cohen's kappa on epistemic status over the aligned pairs."""
        n = len(self.pairs)
        if not n:
            return 0.0
        po = self.rate("status")
        a = Counter(p.ours.status for p in self.pairs)
        b = Counter(p.theirs.status for p in self.pairs)
        pe = sum(a[k] * b[k] for k in set(a) | set(b)) / (n * n)
        return (po - pe) / (1 - pe) if pe < 1 else 1.0

    def summary(self) -> dict[str, Any]:
        return {
            "claims_ours": self.ours, "claims_theirs": self.theirs, "aligned": len(self.pairs),
            "unmatched_ours": len(self.unmatched_ours), "unmatched_theirs": len(self.unmatched_theirs),
            **{f"agree_{k}": round(self.rate(k), 3) for k in
               ("status", "kind", "polarity", "subject", "predicate", "object", "triple", "all")},
            "kappa_status": round(self.kappa(), 3),
        }


def load_pass(path: str | Path, names: dict[str, str] | None = None) -> list[Claim]:
    """Read a curation: gerokg's claims file (a mapping with ``claims``) or a plain list of claims.

    :param names: lower-cased label or synonym -> CURIE, to read ``NATIVE: name`` terms
    """
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    items = raw["claims"] if isinstance(raw, dict) else raw
    out = []
    for n, c in enumerate(items, 1):
        quote = c.get("quote", "")
        quote = " [...] ".join(quote) if isinstance(quote, list) else str(quote)
        kind = str(c.get("kind"))
        fine = str(c.get("subtype") or kind) if kind == "assertion" else kind
        out.append(Claim(id=str(c.get("id") or c.get("n") or n), quote=quote, kind=fine,
                         status=epistemic_status(kind), polarity=str(c.get("polarity")),
                         subject=_curie(c.get("subject"), names), predicate=_curie(c.get("predicate"), names),
                         object=_curie(c.get("object"), names)))
    return out


def native_names() -> dict[str, str]:
    """Lower-cased labels and exact synonyms of gerokg's live native terms and relations -> CURIE."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import OWL, RDFS

    from gerokg.rdf.rdfio import compact_iri, parse_rdf_file
    from gerokg.resources import ontology_dir

    g = parse_rdf_file(ontology_dir() / "gerokg-edit.ttl")
    exact = URIRef("http://www.geneontology.org/formats/oboInOwl#hasExactSynonym")
    out: dict[str, str] = {}
    for prop in (RDFS.label, exact):
        for s, o in g.subject_objects(prop):
            if str(s).startswith("https://w3id.org/gerokg/GEROKG_") and (s, OWL.deprecated, Literal(True)) not in g:
                out.setdefault(str(o).lower(), compact_iri(str(s)))
                if str(o).lower().startswith("is "):  # relations: 'hallmark of' names 'is hallmark of'
                    out.setdefault(str(o).lower()[3:], compact_iri(str(s)))
    return out


def compare_passes(ours: str | Path | list[Claim], theirs: str | Path | list[Claim],
                   min_overlap: float = 0.6, names: dict[str, str] | None = None) -> Agreement:
    """Align two curations by quote overlap and compare them (before any adjudication).

    >>> a = [Claim("C1", "rapamycin extends lifespan", "mechanism", "assertion", "affirmed", "X", "P", "Y")]
    >>> b = [Claim("1", "rapamycin extends lifespan", "hypothesis", "hypothesis", "affirmed", "X", "P", "Z")]
    >>> r = compare_passes(a, b)
    >>> r.pairs[0].differs, r.rate("subject")
    (['status', 'kind', 'object'], 1.0)
    """
    a = load_pass(ours) if not isinstance(ours, list) else ours
    b = load_pass(theirs, names) if not isinstance(theirs, list) else theirs
    candidates = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            ov = _overlap(x.quote, y.quote)
            if ov >= min_overlap:
                score = ov + (x.subject == y.subject) + (x.object == y.object) + 0.5 * (x.predicate == y.predicate)
                candidates.append((score, ov, i, j))
    candidates.sort(key=lambda t: (-t[0], t[2], t[3]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _score, ov, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        x, y = a[i], b[j]
        differs = [f for f in ("status", "kind", "polarity", "subject", "predicate", "object")
                   if getattr(x, f) != getattr(y, f)]
        pairs.append(Pair(x, y, ov, differs))
    pairs.sort(key=lambda p: p.ours.id)
    return Agreement(len(a), len(b), pairs, [x for i, x in enumerate(a) if i not in used_a],
                     [y for j, y in enumerate(b) if j not in used_b])
