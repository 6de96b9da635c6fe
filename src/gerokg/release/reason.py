"""OWL reasoning with owlready2's bundled HermiT (Java).

``reason()`` loads the release (plus any user files), checks consistency, lists unsatisfiable
classes and returns the inferred class hierarchy: which named classes each class falls under
beyond what is asserted. The inferences are also available as an RDF graph
(``ReasoningResult.graph``) and are what ``gerokg-inferred.ttl`` holds.

The reasoner runs once per input: its conclusions are kept under a hash of the input triples
(and of the reasoner's and Java's versions, see :mod:`gerokg.cache`), so ``serve``, ``query
--inferred`` and the pages reuse them instead of running HermiT on every start.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDFS

from gerokg.errors import ReasonerError, TermResolutionError
from gerokg.progress import stepper
from gerokg.rdf.rdfio import compact_iri, new_graph, parse_rdf_file

__all__ = ["ReasoningResult", "inferred_graph", "java_version", "reason", "reasoning_key"]

NOTHING = "http://www.w3.org/2002/07/owl#Nothing"
THING = "http://www.w3.org/2002/07/owl#Thing"


def _iri_of(name: str) -> str:
    """An IRI as it is, a CURIE expanded with the project's prefixes."""
    from gerokg.rdf.rdfio import expand_curie

    name = name.strip().strip("<>")
    if name.startswith(("http://", "https://", "urn:")):
        return name
    try:
        return str(expand_curie(name))
    except ValueError:
        raise TermResolutionError(name, [], ambiguous=False, what="is_a") from None


@dataclass
class ReasoningResult:
    """What the reasoner concluded."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    #: class IRI -> all named superclasses entailed (asserted and inferred), excluding owl:Thing
    superclasses: dict[str, set[str]] = field(default_factory=dict)
    #: class IRI -> named superclasses entailed but not asserted
    inferred: dict[str, set[str]] = field(default_factory=dict)
    graph: Graph = field(default_factory=new_graph)
    explanation: str = ""
    reasoner: str = "HermiT"

    #: how ``is_a`` reads a name; :func:`gerokg.reason` sets the term resolver (labels and
    #: synonyms too); by default IRIs and CURIEs
    resolve: Callable[[str], str] | None = field(default=None, repr=False, compare=False)

    def is_a(self, cls: str, parent: str) -> bool:
        """True when ``cls`` is entailed to be a subclass of ``parent`` (IRIs or CURIEs; labels and
        synonyms too when :attr:`resolve` is the term resolver, as :func:`gerokg.reason` sets it).

        :raises TermResolutionError: a name fits no term, or several
        """
        read = self.resolve or _iri_of
        return read(parent) in self.superclasses.get(read(cls), set())

    def to_json(self) -> bytes:
        return json.dumps({
            "consistent": self.consistent, "unsatisfiable": self.unsatisfiable,
            "superclasses": {k: sorted(v) for k, v in sorted(self.superclasses.items())},
            "inferred": {k: sorted(v) for k, v in sorted(self.inferred.items())},
            "explanation": self.explanation, "reasoner": self.reasoner,
        }, ensure_ascii=False, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> ReasoningResult:
        d = json.loads(data)
        result = cls(consistent=d["consistent"], unsatisfiable=list(d["unsatisfiable"]),
                     superclasses={k: set(v) for k, v in d["superclasses"].items()},
                     inferred={k: set(v) for k, v in d["inferred"].items()},
                     explanation=d["explanation"], reasoner=d["reasoner"])
        for c, parents in result.inferred.items():
            for parent in parents:
                result.graph.add((URIRef(c), RDFS.subClassOf, URIRef(parent)))
        return result


_JAVA_VERSIONS: dict[tuple[str, float], str | None] = {}


def java_version() -> str | None:
    """The version line of the Java runtime on PATH, or None when there is none (asked once per
    runtime and process)."""
    java = shutil.which("java")
    if not java:
        return None
    try:
        key = (os.path.realpath(java), os.stat(java).st_mtime)
    except OSError:
        return None
    if key not in _JAVA_VERSIONS:
        try:
            out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        text = (out.stderr or out.stdout).strip().splitlines()
        _JAVA_VERSIONS[key] = text[0] if text else None
    return _JAVA_VERSIONS[key]


def _asserted_parents(g: Graph) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for s, o in g.subject_objects(RDFS.subClassOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            out.setdefault(str(s), set()).add(str(o))
    for s, o in g.subject_objects(OWL.equivalentClass):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            out.setdefault(str(s), set()).add(str(o))
            out.setdefault(str(o), set()).add(str(s))
    return out


def _closure(parents: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(parents.get(start, ()))
    while todo:
        c = todo.pop()
        if c in seen:
            continue
        seen.add(c)
        todo.extend(parents.get(c, ()))
    return seen


def _owlready_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("owlready2")
    except PackageNotFoundError:
        return "?"


def reasoning_key(
    extra: Iterable[str | Path | Graph] = (),
    graph: Graph | None = None,
    release: str | Path | None = None,
) -> str:
    """The content hash the reasoner's conclusions are kept under: the input's triples
    (canonicalised, see :func:`gerokg.rdf.cache.rdf_digest`; the release, a release file or graph, and
    each extra file or graph, in order) and the versions of owlready2 (HermiT) and Java."""
    from gerokg.rdf.cache import digest, rdf_digest
    from gerokg.rdf.rdfio import format_for_path
    from gerokg.release.assemble import release_ntriples

    def of_graph(g: Graph) -> str:
        return rdf_digest(g.serialize(format="nt", encoding="utf-8"))

    def of_file(path: str | Path) -> str:
        fmt = format_for_path(path)
        if fmt in ("nt", "turtle", "nquads", "trig"):
            return rdf_digest(path=path, fmt=fmt)
        return of_graph(parse_rdf_file(path, fmt=fmt))

    # the key is the input's triples, canonicalised: the release assembled from the sources, the
    # same graph built in memory and the build's gerokg-full.nt or .ttl share one entry
    parts: list[bytes | str] = ["HermiT", _owlready_version(), java_version() or ""]
    if graph is not None:
        parts.append(of_graph(graph))
    elif release is not None:
        parts.append(of_file(release))
    else:
        parts.append(rdf_digest(release_ntriples()))
    for item in extra:
        parts.append(of_graph(item) if isinstance(item, Graph) else of_file(item))
    return digest(parts)


def reason(
    extra: Iterable[str | Path | Graph] = (),
    graph: Graph | None = None,
    progress: Callable[[str], None] | None = None,
    release: str | Path | None = None,
    cache: bool = True,
) -> ReasoningResult:
    """Classify the release (and optional extra files or graphs) with HermiT.

    :param extra: RDF files (any format gerokg reads) or rdflib graphs to add, e.g. a user's new
        drug
    :param graph: the graph to reason over instead of the release
    :param progress: called with a short message before each long step
    :param release: a release file to reason over instead of the release assembled from the
        package's sources (ignored when ``graph`` is given)
    :param cache: reuse the conclusions kept for the same input (see :mod:`gerokg.cache`); False
        always runs HermiT
    :returns: consistency, unsatisfiable classes and the entailed class hierarchy
    :raises ReasonerError: no Java runtime, or the reasoner failed to run
    :raises RdfParseError: an input file cannot be read
    """
    if java_version() is None:
        raise ReasonerError(
            "no Java runtime found on PATH: HermiT (bundled with owlready2) needs Java 8 or later; "
            "install one, e.g. 'apt-get install default-jre-headless'")
    extra = list(extra)
    if not cache:
        return _run_hermit(extra, graph, progress, release)
    from gerokg.rdf.cache import cached_bytes

    try:
        key = reasoning_key(extra, graph, release)
    except (OSError, SyntaxError):
        # an unreadable or malformed file: let the reasoner's own reading name the file and line
        return _run_hermit(extra, graph, progress, release)
    computed: list[ReasoningResult] = []

    def run() -> bytes:
        computed.append(_run_hermit(extra, graph, progress, release))
        return computed[0].to_json()

    if progress:
        progress("looking for the reasoner's kept conclusions")
    data = cached_bytes("hermit", key, run)
    return computed[0] if computed else ReasoningResult.from_json(data)


def _run_hermit(
    extra: list[str | Path | Graph],
    graph: Graph | None,
    progress: Callable[[str], None] | None,
    release: str | Path | None,
) -> ReasoningResult:
    step = stepper(progress)

    step("assembling the release" if graph is None else "preparing the graph")
    g = _reasoner_input(extra, graph, release)
    with tempfile.TemporaryDirectory(prefix="gerokg-reason-") as tmp:
        classified = _classify(g, Path(tmp), step)
    if classified is None:
        return ReasoningResult(consistent=False, explanation=_explain_inconsistency(g))
    unsat, entailed_parents = classified
    return _hierarchy_result(g, unsat, entailed_parents)


def _reasoner_input(extra: list[str | Path | Graph], graph: Graph | None, release: str | Path | None) -> Graph:
    """The graph to classify: the given graph, the release file or the package's release, with the
    extra files and graphs, and no ``owl:imports`` (which owlready2 would try to fetch)."""
    if graph is None:
        if release is not None:
            graph = parse_rdf_file(release)
        else:
            from gerokg.release.assemble import release_ntriples

            graph = new_graph()
            graph.parse(data=release_ntriples().decode("utf-8"), format="nt")
    g = new_graph()
    for t in graph:
        g.add(t)
    for item in extra:
        if isinstance(item, Graph):
            for t in item:
                g.add(t)
        else:
            parse_rdf_file(item, g)
    for t in list(g.triples((None, OWL.imports, None))):
        g.remove(t)
    return g


def _classify(g: Graph, tmp: Path, step: Callable[[str], None]) -> tuple[list[str], dict[str, set[str]]] | None:
    """Classify ``g`` with HermiT (through owlready2, working in ``tmp``): the unsatisfiable classes
    and each class's direct entailed parents, or None when ``g`` is inconsistent."""
    import owlready2

    # owlready2 reads N-Triples (not Turtle)
    nt = tmp / "input.nt"
    g.serialize(destination=str(nt), format="nt", encoding="utf-8")
    step("loading it into owlready2")
    world = owlready2.World()
    try:
        onto = world.get_ontology(nt.as_uri()).load(format="ntriples")
    except Exception as exc:  # owlready2 raises plain exceptions on parse problems
        raise ReasonerError(f"owlready2 could not load the graph: {exc}") from None
    old_cwd = os.getcwd()
    try:
        os.chdir(tmp)  # owlready2 writes temporary files to the working directory
        step("classifying with HermiT (Java)")
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return None
    except (subprocess.CalledProcessError, OSError) as exc:
        raise ReasonerError(f"HermiT failed to run: {str(exc)[:500]}") from None
    finally:
        os.chdir(old_cwd)
    step("collecting the class hierarchy")
    unsat = sorted(c.iri for c in world.inconsistent_classes() if c.iri != NOTHING)
    entailed_parents: dict[str, set[str]] = {}
    for cls in world.classes():
        if not isinstance(cls.iri, str):
            continue
        direct = {p.iri for p in cls.is_a if hasattr(p, "iri") and isinstance(p.iri, str)}
        direct |= {p.iri for p in cls.equivalent_to if hasattr(p, "iri") and isinstance(p.iri, str)}
        entailed_parents[cls.iri] = direct
    return unsat, entailed_parents


def _hierarchy_result(g: Graph, unsat: list[str], entailed_parents: dict[str, set[str]]) -> ReasoningResult:
    """Each class's superclasses (entailed and asserted), and the new ones as subclass axioms."""
    asserted = _asserted_parents(g)
    result = ReasoningResult(consistent=True, unsatisfiable=unsat)
    for cls in entailed_parents:
        sup = {c for c in _closure(entailed_parents, cls) | _closure(asserted, cls) if c not in (THING, cls)}
        result.superclasses[cls] = sup
        new = sup - _closure(asserted, cls)
        if new:
            result.inferred[cls] = new
            for parent in new:
                result.graph.add((URIRef(cls), RDFS.subClassOf, URIRef(parent)))
    return result


def _explain_inconsistency(g: Graph) -> str:
    """A readable hint of what clashes: negated axioms and disjointness, with their claims."""
    lines = ["the ontology is inconsistent: some individual or class is forced into classes that "
             "cannot overlap. Axioms that state negations or disjointness, which are where clashes arise:"]
    for s, o in g.subject_objects(OWL.disjointWith):
        lines.append(f"  {compact_iri(str(s))} disjointWith {compact_iri(str(o))}")
    for s, o in g.subject_objects(RDFS.subClassOf):
        comp = g.value(o, OWL.complementOf)
        if comp is not None:
            prop = g.value(comp, OWL.onProperty)
            filler = g.value(comp, OWL.someValuesFrom)
            lines.append(f"  {compact_iri(str(s))} SubClassOf not ({compact_iri(str(prop))} some {compact_iri(str(filler))})")
    return "\n".join(lines)


def inferred_graph() -> Graph:
    """The inferred subclass axioms of the release as an RDF graph."""
    return reason().graph
