"""The release's SSSOM mapping set, ``gerokg.sssom.tsv``.

Three kinds of rows, sorted by subject, predicate and object:

- the hand-curated rows of ``mappings/gerokg.sssom.tsv``: native terms and the obsolete GO terms
  they stand in for (``skos:closeMatch``);
- each native term's asserted named superclasses and superproperties from other ontologies, its
  nearest live external terms (``skos:broadMatch``, generated from ``gerokg-edit.ttl``);
- the Biolink mapping of ``ontology/biolink-mapping.yaml``: relations to Biolink predicates
  (``skos:closeMatch`` when Biolink has the same sense, ``skos:broadMatch`` when the direction
  goes into a qualifier) and anchor classes to Biolink categories (``skos:relatedMatch``: the
  category KGX gives the class and everything under it, not a claim that they mean the same).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from gerokg.errors import BuildError
from gerokg.rdf.rdfio import compact_iri, expand_curie
from gerokg.resources import mappings_dir

__all__ = ["COLUMNS", "read_sssom", "release_sssom"]

COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
           "mapping_justification", "comment")
BIOLINK_URL = "https://w3id.org/biolink/vocab/"
CURIE_MAP = {
    "BFO": "http://purl.obolibrary.org/obo/BFO_",
    "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
    "GEROKG": "https://w3id.org/gerokg/GEROKG_",
    "GO": "http://purl.obolibrary.org/obo/GO_",
    "HGNC": "http://identifiers.org/hgnc/",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "NCBITaxon": "http://purl.obolibrary.org/obo/NCBITaxon_",
    "RO": "http://purl.obolibrary.org/obo/RO_",
    "biolink": BIOLINK_URL,
    "semapv": "https://w3id.org/semapv/vocab/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}


def read_sssom(path: str | Path) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Read an SSSOM TSV file: its YAML metadata block and its rows.

    :raises BuildError: the file is missing or its metadata block is not YAML (names the file)
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BuildError(f"{path}: cannot read the mapping set: {exc.strerror or exc}") from None
    meta_lines = [line[1:] for line in text.splitlines() if line.startswith("#")]
    try:
        meta = yaml.safe_load("\n".join(meta_lines)) or {}
    except yaml.YAMLError as exc:
        raise BuildError(f"{path}: the metadata block is not YAML: {exc}") from None
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    rows = list(csv.DictReader(io.StringIO(body), delimiter="\t"))
    return meta, rows


def _label(graph: Graph, iri: Any) -> str:
    value = graph.value(iri, RDFS.label)
    return str(value) if value is not None else ""


def _biolink_slot(name: str) -> str:
    return "biolink:" + name.replace(" ", "_")


def _biolink_class(name: str) -> str:
    return "biolink:" + "".join(w[:1].upper() + w[1:] for w in name.split())


def release_sssom(merged: Graph, date: str, version_iri: str) -> bytes:
    """The release's ``gerokg.sssom.tsv``: curated, superclass and Biolink rows.

    :param merged: the ontology with its imports (for labels and superclasses)
    :param date: the release date (``mapping_date``)
    :param version_iri: the release's version IRI (``mapping_set_version``)
    """
    _meta, curated = read_sssom(mappings_dir() / "gerokg.sssom.tsv")
    rows: dict[tuple[str, str, str], dict[str, str]] = {}
    for r in curated:
        rows[(r["subject_id"], r["predicate_id"], r["object_id"])] = {k: r.get(k, "") or "" for k in COLUMNS}
    rows.update(_superclass_rows(merged))
    rows.update(_biolink_rows(merged))
    return _sssom_text(rows, date, version_iri)


def _superclass_rows(merged: Graph) -> dict[tuple[str, str, str], dict[str, str]]:
    """``skos:broadMatch`` from each native term to its asserted external superclass or superproperty."""
    from gerokg.artefacts.odk import is_native

    rows: dict[tuple[str, str, str], dict[str, str]] = {}
    for s, o in sorted(merged.subject_objects(RDFS.subClassOf)) + sorted(merged.subject_objects(RDFS.subPropertyOf)):
        if is_native(s) and isinstance(o, URIRef) and not is_native(o) and o != OWL.Thing:
            if not str(s).startswith("https://w3id.org/gerokg/GEROKG_"):
                continue
            sid, oid = compact_iri(str(s)), compact_iri(str(o))
            if oid == str(o):
                continue
            kind = "superclass" if (s, RDF.type, OWL.Class) in merged else "superproperty"
            rows[(sid, "skos:broadMatch", oid)] = {
                "subject_id": sid, "subject_label": _label(merged, s), "predicate_id": "skos:broadMatch",
                "object_id": oid, "object_label": _label(merged, o),
                "mapping_justification": "semapv:ManualMappingCuration",
                "comment": f"asserted {kind} in gerokg-edit.ttl",
            }
    return rows


def _biolink_rows(merged: Graph) -> dict[tuple[str, str, str], dict[str, str]]:
    """The KGX export's Biolink mapping: edge predicates to slots, anchor classes to categories."""
    from gerokg.artefacts.exports import biolink_mapping

    rows: dict[tuple[str, str, str], dict[str, str]] = {}
    m = biolink_mapping()
    for key, spec in sorted(m["predicates"].items()):
        if key == "rdfs:subClassOf":
            continue
        iri = expand_curie(key)
        direction = spec.get("direction")
        pred = "skos:broadMatch" if direction else "skos:closeMatch"
        comment = f"KGX edge predicate; object_direction_qualifier: {direction}" if direction else "KGX edge predicate"
        oid = _biolink_slot(spec["predicate"])
        rows[(key, pred, oid)] = {
            "subject_id": key, "subject_label": _label(merged, URIRef(str(iri))), "predicate_id": pred,
            "object_id": oid, "object_label": spec["predicate"], "mapping_justification": "semapv:ManualMappingCuration",
            "comment": comment,
        }
    for anchor in m["anchors"]:
        key = anchor["class"]
        oid = _biolink_class(anchor["category"])
        rows[(key, "skos:relatedMatch", oid)] = {
            "subject_id": key, "subject_label": _label(merged, URIRef(str(expand_curie(key)))),
            "predicate_id": "skos:relatedMatch", "object_id": oid, "object_label": anchor["category"],
            "mapping_justification": "semapv:ManualMappingCuration",
            "comment": "KGX node category of this class and its subclasses",
        }
    return rows


def _sssom_text(rows: dict[tuple[str, str, str], dict[str, str]], date: str, version_iri: str) -> bytes:
    """The SSSOM/TSV file: the metadata block (with the prefixes the rows use), then the rows, sorted."""
    used = {r[k].split(":", 1)[0] for r in rows.values() for k in ("subject_id", "predicate_id", "object_id",
                                                                  "mapping_justification")}
    meta = {
        "curie_map": {p: u for p, u in CURIE_MAP.items() if p in used},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "mapping_set_id": "https://w3id.org/gerokg/gerokg.sssom.tsv",
        "mapping_set_version": version_iri,
        "mapping_date": date,
        "mapping_set_description": (
            "gerokg's mappings: native terms to the obsolete GO terms they stand in for (curated in "
            "mappings/gerokg.sssom.tsv), native terms to their asserted external superclasses, and the "
            "Biolink mapping used by the KGX export (ontology/biolink-mapping.yaml)."),
    }
    header = yaml.safe_dump(meta, sort_keys=True, allow_unicode=True, width=10_000)
    buf = io.StringIO()
    for line in header.splitlines():
        buf.write(f"# {line}\n")
    w = csv.DictWriter(buf, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writeheader()
    for k in sorted(rows):
        w.writerow(rows[k])
    return buf.getvalue().encode("utf-8")
