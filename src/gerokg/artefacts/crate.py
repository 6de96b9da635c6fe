"""``ro-crate-metadata.json``: the release folder described as an RO-Crate 1.1 (schema.org Dataset, JSON-LD).

Every file of ``MANIFEST.sha256`` (but the crate file itself, which the manifest lists) is a
``File`` with its size, SHA-256, media type, licence and source. The source review is described
only as "the review text": its text carries no title, authors or DOI, so none is recorded. Import
modules carry their source ontology's licence and snapshot; files merging them carry every licence
that applies.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

__all__ = ["CRATE_FILE", "ro_crate"]

CRATE_FILE = "ro-crate-metadata.json"
CONTEXT = "https://w3id.org/ro/crate/1.1/context"
PROFILE = "https://w3id.org/ro/crate/1.1"
REVIEW_ID = "#review-text"
MEDIA_TYPES = {
    ".owl": "application/rdf+xml", ".ttl": "text/turtle", ".jsonld": "application/ld+json", ".nt": "application/n-triples",
    ".nq": "application/n-quads", ".trig": "application/trig", ".tsv": "text/tab-separated-values",
    ".obo": "text/obo", ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain",
    ".sha256": "text/plain",
}
#: files that merge the import modules into the release (so carry the modules' licences too)
MERGED = ("gerokg-full.", "gerokg-simple.owl", "gerokg.obo", "gerokg.json")


def _media_type(name: str) -> str:
    for suffix, mt in MEDIA_TYPES.items():
        if name.endswith(suffix):
            return mt
    return "application/octet-stream"


def ro_crate(files: Mapping[str, bytes], *, title: str, description: str, license_iri: str, date: str,
             version_iri: str, modules: Mapping[str, tuple[str, str]]) -> bytes:
    """The RO-Crate metadata file of a release.

    :param files: every release file (relative name to bytes), the manifest included
    :param title, description, license_iri: from the ontology header
    :param date: the release date (``datePublished``)
    :param version_iri: the release's version IRI (the Dataset's ``identifier``)
    :param modules: import module name to (licence IRI, snapshot description)
    :returns: UTF-8 JSON, keys in a fixed order
    """
    licences = {license_iri: "gerokg's data licence"}
    for name, (lic, _snap) in sorted(modules.items()):
        licences.setdefault(lic, f"licence of the {name} source")
    entities: list[dict[str, Any]] = [
        {"@id": CRATE_FILE, "@type": "CreativeWork", "conformsTo": {"@id": PROFILE}, "about": {"@id": "./"}},
    ]
    parts = sorted(n for n in files if n != CRATE_FILE)
    entities.append({
        "@id": "./", "@type": "Dataset", "name": title, "description": description,
        "license": {"@id": license_iri}, "datePublished": date, "version": date,
        "identifier": version_iri, "isBasedOn": [{"@id": REVIEW_ID}] + [{"@id": f"#source-{m}"} for m in sorted(modules)],
        "hasPart": [{"@id": n} for n in parts],
    })
    entities.append({
        "@id": REVIEW_ID, "@type": "CreativeWork", "name": "the review text",
        "description": "The review article on rapamycin, rapalogs, mTOR, aging and cancer prevention that every native "
                       "definition and every claim is drawn from. Its text carries no title, authors or DOI, so none is "
                       "recorded.",
    })
    for m, (lic, snap) in sorted(modules.items()):
        entities.append({"@id": f"#source-{m}", "@type": "Dataset", "name": f"{m} source snapshot",
                         "description": snap, "license": {"@id": lic}})
    for lic, label in licences.items():
        entities.append({"@id": lic, "@type": "CreativeWork", "name": label})
    module_files = {f"imports/{m}_import.owl": m for m in modules}
    for n in parts:
        blob = files[n]
        entity: dict[str, Any] = {
            "@id": n, "@type": "File", "name": n, "encodingFormat": _media_type(n), "contentSize": str(len(blob)),
            "sha256": hashlib.sha256(blob).hexdigest(),
        }
        if n in module_files:
            m = module_files[n]
            entity["license"] = {"@id": modules[m][0]}
            entity["isBasedOn"] = {"@id": f"#source-{m}"}
        elif n.startswith(MERGED):
            entity["license"] = [{"@id": lic} for lic in licences]
            entity["isBasedOn"] = [{"@id": REVIEW_ID}] + [{"@id": f"#source-{m}"} for m in sorted(modules)]
        else:
            entity["license"] = {"@id": license_iri}
            entity["isBasedOn"] = {"@id": REVIEW_ID}
        entities.append(entity)
    doc = {"@context": CONTEXT, "@graph": entities}
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
