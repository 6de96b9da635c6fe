"""The release assembled from the package's sources: the edit file, the import modules and the
curated claims parsed, checked against the review, and turned into the release graphs (the
ontology, the bridge module, the claims and their merge), with the release's version IRI.

Nothing here writes a file: :mod:`gerokg.artefacts.build` writes the artefacts of these graphs.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from gerokg import vocab
from gerokg._version import __version__
from gerokg.errors import BuildError, CurationError
from gerokg.rdf.cache import cached_bytes, sources_digest
from gerokg.rdf.rdfio import annotated_axiom, new_graph, parse_rdf_file, serialize_graph
from gerokg.resources import ontology_dir
from gerokg.sources.claims import GKS, ClaimSet, TermIndex, bridge_axioms, compile_claims, load_claims, verify_against_review
from gerokg.sources.imports import load_sources, module_iri
from gerokg.sources.review import ReviewText, normalise

__all__ = [
    "BRIDGE_IRI",
    "ONTOLOGY_IRI",
    "SourceData",
    "build_graphs",
    "load_graph",
    "load_sources_data",
    "release_date",
    "release_ntriples",
    "version_iri",
]

ONTOLOGY_IRI = URIRef(vocab.ONTOLOGY_IRI)
#: the one module that holds axioms about imported classes, each annotated with its claims
BRIDGE_IRI = URIRef(vocab.BRIDGE_IRI)
IAO_DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
IAO_DEFINITION_SOURCE = URIRef("http://purl.obolibrary.org/obo/IAO_0000119")
DEFINITION_QUOTE = URIRef(GKS + "definition_quote")
QUOTE = URIRef(GKS + "quote")

@dataclass
class SourceData:
    """The parsed sources of a build."""

    edit: Graph
    modules: dict[str, Graph]
    module_bytes: dict[str, bytes]
    terms: TermIndex
    claims: ClaimSet


def load_sources_data(review: str | Path | None = None, claims_path: str | Path | None = None) -> SourceData:
    """Parse the edit file, the import modules and the claims; check claims against the review.

    :param review: path of the review's text; when given, every quote, section and reference of
        the claims and every definition quote is checked against it
    :param claims_path: a claims file to use instead of ``ontology/claims/review-claims.yaml``
    :raises CurationError: curated data is wrong (all problems listed with file and line)
    """
    odir = ontology_dir()
    edit = parse_rdf_file(odir / "gerokg-edit.ttl")
    modules: dict[str, Graph] = {}
    module_bytes: dict[str, bytes] = {}
    for name, source in sorted(load_sources().items()):
        if not source.module_path.exists():
            raise BuildError(f"{source.module_path}: import module missing; run 'gerokg imports refresh'")
        module_bytes[name] = source.module_path.read_bytes()
        modules[name] = parse_rdf_file(source.module_path)
    terms = TermIndex([edit, *modules.values()])
    claims = load_claims(claims_path or odir / "claims" / "review-claims.yaml", terms)
    if review is not None:
        text = ReviewText.from_path(review)
        problems = verify_against_review(claims, text)
        for s, q in edit.subject_objects(DEFINITION_QUOTE):
            if not text.find(str(q)):
                problems.append(f"gerokg-edit.ttl: {s}: definition quote not found in the review: {str(q)[:80]!r}")
        if problems:
            raise CurationError(problems)
    return SourceData(edit, modules, module_bytes, terms, claims)


def _fold_definition_sources(edit: Graph) -> Graph:
    """Copy the edit graph, turning the definition shorthand into axiom annotations."""
    g = new_graph()
    for t in edit:
        if t[1] in (DEFINITION_QUOTE, IAO_DEFINITION_SOURCE) and (t[0], IAO_DEFINITION, None) in edit:
            continue
        g.add(t)
    for s, definition in edit.subject_objects(IAO_DEFINITION):
        quotes = list(edit.objects(s, DEFINITION_QUOTE))
        sources = list(edit.objects(s, IAO_DEFINITION_SOURCE))
        if not quotes and not sources:
            continue
        ax = annotated_axiom(g, s, IAO_DEFINITION, definition)
        for q in quotes:
            g.add((ax, QUOTE, Literal(normalise(str(q)))))
        for src in sources:
            g.add((ax, IAO_DEFINITION_SOURCE, src))
    return g


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def release_date(date: str | None = None) -> str | None:
    """The release date (``YYYY-MM-DD``), from an input and never from the clock.

    In order: ``date`` itself; the environment variable ``SOURCE_DATE_EPOCH`` (seconds since the
    epoch, read as a UTC date, as reproducible-builds tools set it); the date of the last commit of
    the git checkout holding the ontology sources. None when there is none of these (an installed
    package outside a checkout).

    :param date: an explicit date, ``YYYY-MM-DD``
    :raises BuildError: ``date`` or ``SOURCE_DATE_EPOCH`` is malformed

    >>> release_date("2026-12-01")
    '2026-12-01'
    """
    if date is not None:
        if not _DATE.fullmatch(date):
            raise BuildError(f"--date {date!r}: expected a date as YYYY-MM-DD")
        try:
            datetime.date.fromisoformat(date)
        except ValueError:
            raise BuildError(f"--date {date!r}: not a calendar date") from None
        return date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            stamp = datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise BuildError(f"SOURCE_DATE_EPOCH={epoch!r}: expected whole seconds since 1970-01-01") from None
        return stamp.date().isoformat()
    import subprocess

    try:
        proc = subprocess.run(["git", "-C", str(ontology_dir()), "log", "-1", "--format=%cs"],
                              capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    out = proc.stdout.strip()
    return out if proc.returncode == 0 and _DATE.fullmatch(out) else None


def version_iri(date: str | None) -> URIRef:
    """The version IRI of a release: ``releases/YYYY-MM-DD/gerokg.owl`` (OBO convention).

    Without a date (no input gives one), the package version stands in its place.
    """
    return URIRef(f"{vocab.RELEASES}{date or __version__}/gerokg.owl")


def build_graphs(data: SourceData, date: str | None = None) -> dict[str, Graph]:
    """Assemble the release graphs.

    :param date: the release date (``YYYY-MM-DD``) for the version IRI; default from
        :func:`release_date`
    :returns: ``ontology`` (gerokg.owl, the base: nothing asserted on imported classes),
        ``bridge`` (gerokg-bridge.owl: the axioms about imported classes that claims state),
        ``claims`` (gerokg-claims.ttl) and ``full`` (merged)
    """
    onto = _fold_definition_sources(data.edit)
    date = date or release_date()
    onto.add((ONTOLOGY_IRI, OWL.versionIRI, version_iri(date)))
    onto.add((ONTOLOGY_IRI, OWL.versionInfo, Literal(__version__)))
    onto.add((ONTOLOGY_IRI, OWL.imports, BRIDGE_IRI))
    claims_graph, axioms = compile_claims(data.claims)
    for t in axioms:
        onto.add(t)
    bridge = new_graph()
    bridge.add((BRIDGE_IRI, RDF.type, OWL.Ontology))
    bridge.add((BRIDGE_IRI, URIRef("http://purl.org/dc/terms/title"), Literal("gerokg bridge module")))
    bridge.add((BRIDGE_IRI, URIRef("http://purl.org/dc/terms/description"), Literal(
        "The axioms gerokg asserts about imported (ChEBI, HGNC, GO, MONDO) classes. Each one is stated by a "
        "claim of the source review (gks:supported_by on the axiom); the base ontology gerokg.owl asserts "
        "nothing on imported classes. See ontology/MODELLING.md.")))
    bridge.add((BRIDGE_IRI, OWL.versionIRI, URIRef(str(version_iri(date)).replace("gerokg.owl", "gerokg-bridge.owl"))))
    for name in sorted(data.modules):
        bridge.add((BRIDGE_IRI, OWL.imports, module_iri(name)))
    for t in bridge_axioms(data.claims):
        bridge.add(t)
    # declare what the bridge uses from gerokg.owl (native classes, annotation properties), so that
    # the module is OWL 2 DL on its own import closure too
    used = {x for t in bridge for x in (t[1], t[2]) if isinstance(x, URIRef)}
    declared = (OWL.Class, OWL.AnnotationProperty, OWL.ObjectProperty, OWL.NamedIndividual)
    for iri in sorted(used):
        for kind in onto.objects(iri, RDF.type):
            if kind in declared:
                bridge.add((iri, RDF.type, kind))
    full = new_graph()
    for t in onto:
        if t[1] != OWL.imports:
            full.add(t)
    for t in bridge:
        if t[0] != BRIDGE_IRI:
            full.add(t)
    for module in data.modules.values():
        for t in module:
            if t[0] not in {module_iri(n) for n in data.modules}:
                full.add(t)
    for t in claims_graph:
        full.add(t)
    return {"ontology": onto, "bridge": bridge, "claims": claims_graph, "full": full}


def load_graph(path: str | Path | None = None) -> Graph:
    """The full release (ontology, imports and claims) as an rdflib graph.

    :param path: a release file to read; by default the release is assembled in memory from the
        package's sources (nothing is written)
    :returns: the graph, with the project's prefixes bound
    """
    if path is not None:
        return parse_rdf_file(path)
    return build_graphs(load_sources_data())["full"]


def release_ntriples() -> bytes:
    """The release assembled from the package's sources, as gerokg's canonical sorted N-Triples
    (the bytes of ``gerokg-full.nt``), kept by the sources' hash."""
    return cached_bytes("release-nt", sources_digest(), lambda: serialize_graph(load_graph(), "nt"))
