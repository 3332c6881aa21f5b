"""Training checks: can a model be trained on this data at all, whatever the contract says?

``TrainingFacts`` gathers, chunk by chunk, what the checks need (JSON-serialisable, so a
SageMaker Processing job can gather them and the ValidateData Lambda judge them); memory is
bounded except for duplicate detection, which keeps 8 bytes per distinct row (row_hashing).
``training_problems`` turns the facts into Problems using the thresholds of the settings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mlops_core.listing import listed
from mlops_core.row_hashing import row_hashes
from mlops_core.validation_report import Problem
from mlops_core.validation_settings import ValidationSettings

MAX_CLASSES = 1000  # more distinct labels than this is a regression target, not classes
_EXAMPLES = 5


@dataclass
class TrainingFacts:
    rows: int = 0
    target_missing: int = 0
    class_counts: dict[str, int] | None = None  # classification only
    too_many_classes: bool = False  # counting stopped past MAX_CLASSES
    non_numeric_targets: int = 0  # regression only
    non_numeric_examples: list[str] = field(default_factory=list)
    duplicate_rows: int = 0
    identical_to_target: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainingFacts:
        return cls(**data)

    @property
    def labelled_rows(self) -> int:
        return self.rows - self.target_missing


class TrainingFactsAccumulator:
    def __init__(self, *, target: str, classification: bool) -> None:
        self.target = target
        self.facts = TrainingFacts(class_counts={} if classification else None)
        self._classification = classification
        self._hashes: list[np.ndarray] = []
        self._candidates: list[str] | None = None  # columns identical to the target so far

    def update(self, chunk: pd.DataFrame) -> None:
        labels = chunk[self.target]
        self.facts.rows += len(chunk)
        self.facts.target_missing += int(labels.isna().sum())
        if self._classification:
            self._count_classes(labels)
        else:
            self._count_non_numeric(labels)
        self._hashes.append(np.unique(row_hashes(chunk)))
        self._follow_identical(chunk, labels)

    def result(self) -> TrainingFacts:
        distinct = len(np.unique(np.concatenate(self._hashes))) if self._hashes else 0
        self.facts.duplicate_rows = self.facts.rows - distinct
        self.facts.identical_to_target = list(self._candidates or [])
        return self.facts

    def _count_classes(self, labels: pd.Series) -> None:
        counts = self.facts.class_counts
        if counts is None:
            return
        for value, count in labels.value_counts(dropna=True).items():
            key = _label(value)
            counts[key] = counts.get(key, 0) + int(count)
        if len(counts) > MAX_CLASSES:
            self.facts.class_counts, self.facts.too_many_classes = None, True

    def _count_non_numeric(self, labels: pd.Series) -> None:
        if pd.api.types.is_numeric_dtype(labels) and not pd.api.types.is_bool_dtype(labels):
            return
        present = labels.dropna()
        bad = present[pd.to_numeric(present, errors="coerce").isna()]
        self.facts.non_numeric_targets += len(bad)
        room = _EXAMPLES - len(self.facts.non_numeric_examples)
        self.facts.non_numeric_examples += [str(v) for v in bad.unique()[:room]] if room > 0 else []

    def _follow_identical(self, chunk: pd.DataFrame, labels: pd.Series) -> None:
        if self._candidates is None:
            numeric = _is_number(labels)
            # Only a column parsed like the target can equal it value for value.
            self._candidates = [str(name) for name in chunk.columns
                                if name != self.target and _is_number(chunk[name]) == numeric]
        self._candidates = [name for name in self._candidates
                            if name in chunk.columns and _identical(chunk[name], labels)]


def _is_number(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def _identical(column: pd.Series, labels: pd.Series) -> bool:
    # Most columns differ within the first rows: compare those before the whole chunk.
    return _equal(column.iloc[:64], labels.iloc[:64]) and _equal(column, labels)


def _equal(left: pd.Series, right: pd.Series) -> bool:
    return bool(((left == right) | (left.isna() & right.isna())).all())


def training_problems(facts: TrainingFacts, *, target: str, limits: ValidationSettings) -> list[Problem]:
    if facts.labelled_rows == 0:
        return [Problem("target_all_missing", target, f"all {facts.rows} rows have no value in the target column")]
    problems = _target_problems(facts, target, limits)
    if facts.rows and facts.duplicate_rows / facts.rows > limits.max_duplicate_share:
        problems.append(Problem("duplicate_rows", None, (
            f"{facts.duplicate_rows} of {facts.rows} rows ({facts.duplicate_rows / facts.rows:.0%}) repeat an "
            f"earlier row exactly, more than the {limits.max_duplicate_share:.0%} allowed "
            "(setting max_duplicate_share); was data appended twice?")))
    problems += [
        Problem("target_leakage", name, f"the column has the same value as the target '{target}' in every row: "
                "a model would learn to copy it; drop it from the data")
        for name in facts.identical_to_target
    ]
    return problems


def _target_problems(facts: TrainingFacts, target: str, limits: ValidationSettings) -> list[Problem]:
    problems = []
    completeness = facts.labelled_rows / facts.rows
    if completeness < limits.min_target_completeness:
        problems.append(Problem("target_incomplete", target, (
            f"only {facts.labelled_rows} of {facts.rows} rows ({completeness:.0%}) have a target value, at least "
            f"{limits.min_target_completeness:.0%} are needed (setting min_target_completeness)")))
    if facts.labelled_rows < limits.min_rows:
        problems.append(Problem("too_few_rows", target, (
            f"only {facts.labelled_rows} rows have a target value, at least {limits.min_rows} are needed "
            "(setting min_rows)")))
    if facts.non_numeric_targets:
        problems.append(Problem("target_not_numeric", target, (
            f"regression needs numbers, found {facts.non_numeric_targets} non-numeric value(s): "
            f"{listed(facts.non_numeric_examples)}")))
    return problems + _class_problems(facts, target, limits)


def _class_problems(facts: TrainingFacts, target: str, limits: ValidationSettings) -> list[Problem]:
    if facts.too_many_classes:
        return [Problem("too_many_classes", target, (
            f"the target has more than {MAX_CLASSES} distinct values; is this a regression target "
            "(setting problem_type)?"))]
    counts = facts.class_counts
    if not counts:  # regression
        return []
    if len(counts) < 2:
        return [Problem("too_few_classes", target,
                        f"classification needs at least 2 classes, found only {listed(list(counts))}")]
    rare = sorted((name for name, count in counts.items() if count < limits.min_rows_per_class),
                  key=lambda name: (counts[name], name))
    if not rare:
        return []
    shown = listed([f"{name!r} ({counts[name]})" for name in rare], quote=False)
    return [Problem("too_few_rows_per_class", target, (
        f"every class needs at least {limits.min_rows_per_class} rows (setting min_rows_per_class); "
        f"too few for {shown}"))]


def _label(value: Any) -> str:
    # pandas reads integer labels as floats in chunks with a gap: 1.0 and 1 are one class.
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)
