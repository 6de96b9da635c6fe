"""Where gerokg's data files live: the only module that knows.

The wheel ships ``ontology/``, ``shapes/`` and ``queries/`` inside the package (hatchling
force-include). In a checkout or an editable install the package is imported from ``src/`` and
those copies are absent, so the top-level directories of the checkout are used instead.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

__all__ = [
    "DATA_DIRS",
    "data_dir",
    "mappings_dir",
    "ontology_dir",
    "prefixes",
    "queries_dir",
    "shapes_dir",
]

DATA_DIRS = ("ontology", "shapes", "queries", "mappings")
_CHECKOUT = Path(__file__).resolve().parents[2]


def data_dir(name: str) -> Path:
    """Return the directory of one of the shipped data folders.

    :param name: one of ``ontology``, ``shapes``, ``queries``, ``mappings``
    :returns: the packaged copy if present, else the checkout's top-level folder
    :raises FileNotFoundError: when neither exists
    """
    if name not in DATA_DIRS:
        raise ValueError(f"unknown data directory {name!r}; expected one of {DATA_DIRS}")
    packaged = Path(str(files("gerokg"))) / name
    if packaged.is_dir():
        return packaged
    checkout = _CHECKOUT / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"gerokg data directory {name!r} not found in the package ({packaged}) "
        f"nor in the checkout ({checkout}); reinstall gerokg"
    )


def ontology_dir() -> Path:
    """The ``ontology/`` folder (edit file, import modules, claims)."""
    return data_dir("ontology")


def mappings_dir() -> Path:
    """The folder of the curated SSSOM mappings (``mappings/``)."""
    return data_dir("mappings")


def shapes_dir() -> Path:
    """The ``shapes/`` folder (SHACL)."""
    return data_dir("shapes")


def queries_dir() -> Path:
    """The ``queries/`` folder (SPARQL)."""
    return data_dir("queries")


@lru_cache(maxsize=1)
def prefixes() -> dict[str, str]:
    """The project's prefix map (``ontology/prefixes.json``), prefix to namespace."""
    with open(ontology_dir() / "prefixes.json", encoding="utf-8") as fh:
        data: dict[str, str] = json.load(fh)
    return data
