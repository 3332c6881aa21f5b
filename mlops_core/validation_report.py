"""The ValidateData result (docs/contracts.md): problems and a plain-words summary.

The summary becomes the Cause of the DataValidationFailed state, i.e. the one paragraph the
user reads in the execution list, so it names every problem (up to ``MAX_IN_SUMMARY``), its
check and its column, and says where the full report is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_IN_SUMMARY = 10
# Step Functions allows a Cause of 32,768 characters; stay well inside it.
MAX_SUMMARY_CHARS = 8000


@dataclass(frozen=True)
class Problem:
    check: str
    column: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "column": self.column, "message": self.message}

    def describe(self) -> str:
        where = f" column '{self.column}'" if self.column is not None else ""
        return f"[{self.check}]{where}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    source: str
    rows: int = 0
    columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Findings that do not reject the data (drift, unless configured to reject).
    warnings: list[Problem] = field(default_factory=list)
    # Extra facts for the summary of a valid file (e.g. "target 'species' has 3 classes").
    facts: list[str] = field(default_factory=list)
    # {"origin": "user"|"established"|"new"|"none", "constraints": uri or None}
    contract: dict[str, Any] = field(default_factory=dict)
    report_uri: str | None = None  # summary.md of this data version

    @property
    def valid(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        where = f" Full report: {self.report_uri}" if self.report_uri else ""
        if self.valid:
            details = "; ".join([f"{self.rows} rows, {len(self.columns)} columns", *self.facts])
            text = f"{self.source} is valid: {details}."
            if self.warnings:
                text += f" {len(self.warnings)} warning(s): {_listed(self.warnings)}."
            return _clip(text + where)
        count = len(self.problems)
        plural = "s" if count > 1 else ""
        return _clip(f"{self.source} failed data validation with {count} problem{plural}: "
                     f"{_listed(self.problems)}.{where}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "rows": self.rows,
            "columns": list(self.columns),
            "problems": [problem.to_dict() for problem in self.problems],
            "warnings": [warning.to_dict() for warning in self.warnings],
            "contract": dict(self.contract),
            "summary": self.summary(),
        }


def _listed(problems: list[Problem]) -> str:
    shown = "; ".join(problem.describe().rstrip(".") for problem in problems[:MAX_IN_SUMMARY])
    more = len(problems) - MAX_IN_SUMMARY
    return shown + (f"; and {more} more" if more > 0 else "")


def _clip(text: str) -> str:
    return text if len(text) <= MAX_SUMMARY_CHARS else text[: MAX_SUMMARY_CHARS - 3] + "..."
