"""Claim exports: claims.tsv, nanopublication TriG and KGX tables (written by the build)."""

from __future__ import annotations

from typing import Any

__all__ = ["export_all"]


def export_all(data: Any, graphs: Any) -> dict[str, bytes]:
    """Return the export files, name to bytes."""
    return {}
