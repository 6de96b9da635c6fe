"""What a check finds: one finding per problem, and the report of every check's findings.

Shared by the QC queries (:mod:`gerokg.checks.check`) and the modelling checks
(:mod:`gerokg.checks.modelling`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["LEVELS", "CheckFinding", "QualityReport"]

LEVELS = ("ERROR", "WARN", "INFO")


@dataclass(frozen=True)
class CheckFinding:
    """One problem found by one check."""

    check: str
    level: str
    entity: str
    property: str
    value: str


@dataclass
class QualityReport:
    """Findings of every check, and how many each found."""

    findings: list[CheckFinding] = field(default_factory=list)
    counts: dict[str, tuple[str, int]] = field(default_factory=dict)  # check -> (level, rows)

    @property
    def errors(self) -> list[CheckFinding]:
        return [f for f in self.findings if f.level == "ERROR"]

    @property
    def passed(self) -> bool:
        return not self.errors
