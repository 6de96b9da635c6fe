"""``gerokg diff OLD NEW``: what changed between two releases.

A release is a folder written by ``gerokg build`` (or, inside the build, the files about to be
written). Four sections:

- **claims** (``claims.tsv``): claims added, removed, and changed (with each changed column's old
  and new value);
- **axioms** (``gerokg.owl``): statements added and removed, as N-Triples; the version IRI and
  version info are left out, and blank nodes compared by structure (``rdflib.compare``);
- **mappings** (``gerokg.sssom.tsv``): rows added and removed, keyed by subject, predicate and
  object, and rows whose other columns changed;
- **superclasses** (``gerokg-simple.owl``): named superclasses (transitively, asserted and, for
  builds with ``--inferred``, inferred) that a class gained or lost.

A section whose file is missing from either release is reported as not compared.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gerokg.errors import DiffError

__all__ = ["DIFF_FILES", "ReleaseDiff", "diff_releases", "read_release"]

#: the files ``gerokg build`` writes with the diff against the previous release in its folder
DIFF_FILES = ("gerokg-diff.json", "gerokg-diff.txt")
SECTIONS = {"claims": "claims.tsv", "axioms": "gerokg.owl", "mappings": "gerokg.sssom.tsv",
            "superclasses": "gerokg-simple.owl"}


class _Folder(Mapping[str, bytes]):
    def __init__(self, path: Path) -> None:
        self.path = path

    def __getitem__(self, name: str) -> bytes:
        try:
            return (self.path / name).read_bytes()
        except FileNotFoundError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return (str(p.relative_to(self.path)) for p in sorted(self.path.rglob("*")) if p.is_file())

    def __len__(self) -> int:
        return sum(1 for _ in self)


def read_release(path: str | Path) -> Mapping[str, bytes]:
    """A release folder as a read-only mapping of relative file names to bytes.

    :raises DiffError: the folder does not exist or holds no release (no ``MANIFEST.sha256``)
    """
    p = Path(path)
    if not p.is_dir():
        raise DiffError(f"{p}: not a folder")
    if not (p / "MANIFEST.sha256").is_file():
        raise DiffError(f"{p}: no MANIFEST.sha256, so not a release folder written by 'gerokg build'")
    return _Folder(p)


@dataclass
class ReleaseDiff:
    """The differences between two releases (see the module docstring)."""

    old_version: str | None = None
    new_version: str | None = None
    claims: dict[str, Any] = field(default_factory=lambda: {"added": [], "removed": [], "changed": []})
    axioms: dict[str, Any] = field(default_factory=lambda: {"added": [], "removed": []})
    mappings: dict[str, Any] = field(default_factory=lambda: {"added": [], "removed": [], "changed": []})
    superclasses: dict[str, Any] = field(default_factory=lambda: {"gained": [], "lost": []})
    not_compared: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(v for sec in (self.claims, self.axioms, self.mappings, self.superclasses) for v in sec.values())

    def to_json(self) -> bytes:
        doc = {"old_version": self.old_version, "new_version": self.new_version, "claims": self.claims,
               "axioms": self.axioms, "mappings": self.mappings, "superclasses": self.superclasses,
               "not_compared": self.not_compared}
        return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    def to_text(self) -> str:
        out = [f"gerokg release diff: {self.old_version or '?'} -> {self.new_version or '?'}"]
        c = self.claims
        out.append(f"claims: {len(c['added'])} added, {len(c['removed'])} removed, {len(c['changed'])} changed")
        out += [f"  + {x}" for x in c["added"]] + [f"  - {x}" for x in c["removed"]]
        for ch in c["changed"]:
            out.append(f"  ~ {ch['id']}")
            for col, (old, new) in ch["fields"].items():
                out.append(f"      {col}: {old!r} -> {new!r}")
        a = self.axioms
        out.append(f"axioms: {len(a['added'])} added, {len(a['removed'])} removed")
        out += [f"  + {x}" for x in a["added"]] + [f"  - {x}" for x in a["removed"]]
        m = self.mappings
        out.append(f"mappings: {len(m['added'])} added, {len(m['removed'])} removed, {len(m['changed'])} changed")
        out += [f"  + {' '.join(x)}" for x in m["added"]] + [f"  - {' '.join(x)}" for x in m["removed"]]
        out += [f"  ~ {' '.join(ch['mapping'])}: {ch['fields']}" for ch in m["changed"]]
        s = self.superclasses
        out.append(f"superclasses (asserted, and inferred in builds with --inferred): {len(s['gained'])} gained, "
                   f"{len(s['lost'])} lost")
        out += [f"  + {x['class']} is_a {x['superclass']}" for x in s["gained"]]
        out += [f"  - {x['class']} is_a {x['superclass']}" for x in s["lost"]]
        if self.not_compared:
            out.append("not compared (file missing from a release): " + ", ".join(self.not_compared))
        return "\n".join(out) + "\n"


def _tsv(blob: bytes) -> list[dict[str, str]]:
    text = blob.decode("utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body), delimiter="\t"))


def _diff_rows(old: dict[Any, dict[str, str]], new: dict[Any, dict[str, str]]) -> tuple[list[Any], list[Any], list[Any]]:
    added = sorted(k for k in new if k not in old)
    removed = sorted(k for k in old if k not in new)
    changed = []
    for k in sorted(set(old) & set(new)):
        cols = sorted(set(old[k]) | set(new[k]))
        fields = {c: [old[k].get(c, ""), new[k].get(c, "")] for c in cols if old[k].get(c, "") != new[k].get(c, "")}
        if fields:
            changed.append((k, fields))
    return added, removed, changed


def _graph(blob: bytes) -> Any:
    from rdflib import Graph

    g = Graph()
    g.parse(data=blob, format="xml")
    return g


def _version(files: Mapping[str, bytes]) -> str | None:
    from rdflib.namespace import OWL

    try:
        g = _graph(files["gerokg.owl"])
    except KeyError:
        return None
    v = next(iter(g.objects(None, OWL.versionIRI)), None)
    return str(v) if v is not None else None


def _axiom_lines(blob: bytes) -> set[str]:
    from rdflib.compare import to_canonical_graph
    from rdflib.namespace import OWL

    g = _graph(blob)
    for p in (OWL.versionIRI, OWL.versionInfo):
        g.remove((None, p, None))
    canon = to_canonical_graph(g)
    return {line for line in canon.serialize(format="nt").splitlines() if line.strip()}


def _ancestors(blob: bytes) -> set[tuple[str, str]]:
    import networkx as nx
    from rdflib import URIRef
    from rdflib.namespace import RDFS

    from gerokg.rdf.rdfio import compact_iri

    g = _graph(blob)
    dg = nx.DiGraph()
    dg.add_edges_from((compact_iri(str(s)), compact_iri(str(o))) for s, o in g.subject_objects(RDFS.subClassOf)
                      if isinstance(s, URIRef) and isinstance(o, URIRef))
    return {(n, a) for n in dg.nodes for a in nx.descendants(dg, n)}


def diff_releases(old: Mapping[str, bytes] | str | Path, new: Mapping[str, bytes] | str | Path) -> ReleaseDiff:
    """Compare two releases.

    :param old: the older release (a folder, or relative file names to bytes)
    :param new: the newer release
    :raises DiffError: a folder is not a release
    """
    o = read_release(old) if isinstance(old, (str, Path)) else old
    n = read_release(new) if isinstance(new, (str, Path)) else new
    d = ReleaseDiff(old_version=_version(o), new_version=_version(n))
    for section, name in SECTIONS.items():
        if name not in o or name not in n:
            d.not_compared.append(f"{section} ({name})")
            continue
        if o[name] == n[name]:
            continue
        if section == "claims":
            oc = {r["claim_id"]: r for r in _tsv(o[name])}
            nc = {r["claim_id"]: r for r in _tsv(n[name])}
            added, removed, changed = _diff_rows(oc, nc)
            d.claims = {"added": added, "removed": removed,
                        "changed": [{"id": k, "fields": f} for k, f in changed]}
        elif section == "axioms":
            ol, nl = _axiom_lines(o[name]), _axiom_lines(n[name])
            d.axioms = {"added": sorted(nl - ol), "removed": sorted(ol - nl)}
        elif section == "mappings":
            def key(r: dict[str, str]) -> tuple[str, str, str]:
                return (r["subject_id"], r["predicate_id"], r["object_id"])
            om = {key(r): r for r in _tsv(o[name])}
            nm = {key(r): r for r in _tsv(n[name])}
            added, removed, changed = _diff_rows(om, nm)
            d.mappings = {"added": [list(k) for k in added], "removed": [list(k) for k in removed],
                          "changed": [{"mapping": list(k), "fields": f} for k, f in changed]}
        else:
            oa, na = _ancestors(o[name]), _ancestors(n[name])
            d.superclasses = {"gained": [{"class": c, "superclass": s} for c, s in sorted(na - oa)],
                              "lost": [{"class": c, "superclass": s} for c, s in sorted(oa - na)]}
    return d
