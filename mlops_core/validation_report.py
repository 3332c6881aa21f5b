"""The ValidateData result (docs/contracts.md): problems and a plain-words summary.

The summary becomes the Cause of the DataValidationFailed state, i.e. the one sentence the
user reads in the execution list, so it names every problem, its check and its column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    # Extra facts for the summary of a valid file (e.g. "target 'species' has 3 classes").
    facts: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.valid:
            details = "; ".join([f"{self.rows} rows, {len(self.columns)} columns", *self.facts])
            return f"{self.source} is valid: {details}."
        count = len(self.problems)
        listed = "; ".join(problem.describe() for problem in self.problems)
        return f"{self.source} failed data validation with {count} problem{'s' if count > 1 else ''}: {listed}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "rows": self.rows,
            "columns": list(self.columns),
            "problems": [problem.to_dict() for problem in self.problems],
            "summary": self.summary(),
        }
