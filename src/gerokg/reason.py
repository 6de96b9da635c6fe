"""OWL reasoning with owlready2's bundled HermiT (Java).

``reason()`` loads the release (plus any user files), checks consistency, lists unsatisfiable
classes and returns the inferred class hierarchy: which named classes each class falls under
beyond what is asserted. The inferences are also available as an RDF graph
(``ReasoningResult.graph``) and are what ``gerokg-inferred.ttl`` holds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDFS

from gerokg.errors import ReasonerError
from gerokg.rdfio import compact_iri, new_graph, parse_rdf_file

__all__ = ["ReasoningResult", "inferred_graph", "java_version", "reason"]

NOTHING = "http://www.w3.org/2002/07/owl#Nothing"
THING = "http://www.w3.org/2002/07/owl#Thing"


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

    def is_a(self, cls: str, parent: str) -> bool:
        """True when ``cls`` is entailed to be a subclass of ``parent`` (IRIs, CURIEs, labels or
        synonyms, read by :func:`gerokg.terms.resolve_term`).

        :raises TermResolutionError: a name fits no term, or several
        """
        from gerokg.terms import resolve_term

        return resolve_term(parent, what="is_a") in self.superclasses.get(resolve_term(cls, what="is_a"), set())


def java_version() -> str | None:
    """The version line of the Java runtime on PATH, or None when there is none."""
    java = shutil.which("java")
    if not java:
        return None
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (out.stderr or out.stdout).strip().splitlines()
    return text[0] if text else None


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


def reason(
    extra: Iterable[str | Path | Graph] = (),
    graph: Graph | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReasoningResult:
    """Classify the release (and optional extra files or graphs) with HermiT.

    :param extra: RDF files (any format gerokg reads) or rdflib graphs to add, e.g. a user's new
        drug
    :param graph: the graph to reason over instead of the release
    :param progress: called with a short message before each long step
    :returns: consistency, unsatisfiable classes and the entailed class hierarchy
    :raises ReasonerError: no Java runtime, or the reasoner failed to run
    """
    if java_version() is None:
        raise ReasonerError(
            "no Java runtime found on PATH: HermiT (bundled with owlready2) needs Java 8 or later; "
            "install one, e.g. 'apt-get install default-jre-headless'")
    import owlready2

    def step(msg: str) -> None:
        if progress:
            progress(msg)

    step("assembling the release" if graph is None else "preparing the graph")
    if graph is None:
        from gerokg.api import load_graph

        graph = load_graph()
    g = new_graph()
    for t in graph:
        g.add(t)
    for item in extra:
        if isinstance(item, Graph):
            for t in item:
                g.add(t)
        else:
            parse_rdf_file(item, g)
    # owlready2 reads N-Triples (not Turtle); it must not see owl:imports it would try to fetch
    for t in list(g.triples((None, OWL.imports, None))):
        g.remove(t)
    with tempfile.TemporaryDirectory(prefix="gerokg-reason-") as tmp:
        nt = Path(tmp) / "input.nt"
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
            return ReasoningResult(consistent=False, explanation=_explain_inconsistency(g))
        except (subprocess.CalledProcessError, OSError) as exc:
            raise ReasonerError(f"HermiT failed to run: {str(exc)[:500]}") from None
        finally:
            os.chdir(old_cwd)
        step("collecting the class hierarchy")
        unsat = sorted(c.iri for c in world.inconsistent_classes() if c.iri != NOTHING)
        asserted = _asserted_parents(g)
        entailed_parents: dict[str, set[str]] = {}
        for cls in world.classes():
            if not isinstance(cls.iri, str):
                continue
            direct = {p.iri for p in cls.is_a if hasattr(p, "iri") and isinstance(p.iri, str)}
            direct |= {p.iri for p in cls.equivalent_to if hasattr(p, "iri") and isinstance(p.iri, str)}
            entailed_parents[cls.iri] = direct
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
