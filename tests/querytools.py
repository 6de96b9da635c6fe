"""Helpers shared by the query tests: comparable forms of SPARQL results from any engine."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def norm_value(v: Any) -> str:
    """A comparable text for one result value, whatever engine produced it."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, Decimal)):
        d = Decimal(str(v)).normalize()
        return format(d, "f")
    text = str(v)
    for sep in (";", " | "):
        if sep in text:  # GROUP_CONCAT order is not defined by SPARQL
            return sep.join(sorted(part.strip() for part in text.split(sep)))
    try:
        return format(Decimal(text).normalize(), "f")
    except Exception:
        return text


def norm_rows(variables: list[str], rows: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    return sorted(tuple(norm_value(r.get(v)) for v in variables) for r in rows)
