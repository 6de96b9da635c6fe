"""The quality gate: gerokg's SPARQL versions of the ROBOT ``report`` checks.

The checks are the canned queries whose header has a ``level`` (``queries/qc-*.rq``); each returns
one row per problem with ``?entity ?property ?value``, as ROBOT's report queries do. The gate
passes when no ERROR-level check returns a row.
"""

from __future__ import annotations

from typing import Any

from gerokg.checks.findings import LEVELS, CheckFinding, QualityReport
from gerokg.querying.canned import IRI, list_queries, run_query

__all__ = ["CheckFinding", "QualityReport", "run_checks"]

def _text(value: Any) -> str:
    if isinstance(value, IRI):
        return value.curie
    return "" if value is None else str(value)


def run_checks(store: Any = None, modelling: bool = True, reasoning: Any = None,
               refdata: Any = None) -> QualityReport:
    """Run every QC check on a store (default: the release, in memory).

    :param store: the store the SPARQL checks (and the mechanism-chains step check) run on
    :param modelling: also run the modelling-guide checks of :mod:`gerokg.modelling` on the
        release built from the sources
    :param reasoning: a reasoner result, for the "inferences beyond the review" report
    :param refdata: the reference snapshots folder, for native duplicates of whole snapshots
    """
    report = QualityReport()
    if modelling:
        from gerokg.checks.modelling import run_modelling_checks
        from gerokg.release.store import open_store

        found, names = run_modelling_checks(store=store if store is not None else open_store(),
                                            reasoning=reasoning, refdata=refdata)
        for name in names:
            errors = sum(1 for f in found if f.check == name and f.level == "ERROR")
            report.counts[name] = ("ERROR", errors)
        report.findings.extend(found)
    for q in list_queries():
        if not q.is_qc:
            continue
        result = run_query(q, store)
        check = q.check or q.name
        report.counts[check] = (str(q.level), len(result.rows))
        for row in result.rows:
            report.findings.append(CheckFinding(
                check=check, level=str(q.level), entity=_text(row.get("entity")),
                property=_text(row.get("property")), value=_text(row.get("value"))))
    report.findings.sort(key=lambda f: (LEVELS.index(f.level) if f.level in LEVELS else 9, f.check, f.entity, f.value))
    return report
