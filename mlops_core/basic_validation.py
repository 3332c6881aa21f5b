"""Basic validation of an uploaded training CSV (the walking skeleton's checks).

Each check has a stable name (the ``check`` of a Problem) so later checks from the model's
data contract can join this list without changing the result shape. Bad data never raises:
it is reported, because the pipeline turns the report into the run's failure cause.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pandas as pd

from mlops_core.csv_reading import CsvReadError, read_csv
from mlops_core.settings import DataSettings
from mlops_core.validation_report import Problem, ValidationReport

_MAX_LISTED = 10  # values listed in one message; enough to recognise, short enough to read


def check_size(size: int, limit: int) -> Problem | None:
    """Refuse objects too big to validate in memory, before downloading them."""
    if size <= limit:
        return None
    return Problem(
        "size_limit",
        None,
        f"the file is {size} bytes, more than the {limit} bytes this step can check in memory "
        "(setting max_validation_bytes)",
    )


def validate_upload(size: int, read: Callable[[], bytes], settings: DataSettings, *, source: str) -> ValidationReport:
    """Check the size first, then call ``read`` for the bytes and validate them.

    ``read`` is only called for objects small enough, so an oversized upload is never downloaded.
    """
    too_big = check_size(size, settings.max_validation_bytes)
    if too_big is not None:
        return ValidationReport(source=source, problems=[too_big])
    return validate_csv(read(), settings, source=source)


def validate_csv(data: bytes, settings: DataSettings, *, source: str) -> ValidationReport:
    """Validate CSV bytes for training on ``settings.target``; ``source`` names the file in messages."""
    try:
        header, frame = read_csv(data)
    except CsvReadError as error:
        return ValidationReport(source=source, problems=[Problem(error.check, None, error.message)])

    duplicates = sorted(name for name, count in Counter(header).items() if count > 1)
    if duplicates:
        return _report(source, header, [_duplicates(duplicates)])
    unnamed = [position for position, name in enumerate(header, start=1) if not name.strip()]
    if unnamed:
        return _report(source, header, [_unnamed(unnamed)])
    columns = [str(name) for name in frame.columns]
    if frame.empty:
        return _report(source, columns, [Problem("header_only", None, "the file has a header row but no data rows")])
    if settings.target not in frame.columns:
        return _report(source, columns, [_missing_target(settings.target, columns)], rows=len(frame))

    problems, facts = _check_target(frame, settings)
    return ValidationReport(source=source, rows=len(frame), columns=columns, problems=problems, facts=facts)


def _check_target(frame: pd.DataFrame, settings: DataSettings) -> tuple[list[Problem], list[str]]:
    target = settings.target
    values = frame[target].dropna()
    if values.empty:
        return [Problem("target_all_missing", target, f"all {len(frame)} rows have no value in the target column")], []

    fact = f"target '{target}' has {len(values)} values ({len(frame) - len(values)} missing)"
    if settings.is_classification:
        classes = sorted(values.unique().tolist())
        fact += f" in {len(classes)} classes"
        problems = _class_problems(target, classes)
    else:
        problems = _numeric_problems(target, values)
    if len(values) < settings.min_rows:
        message = f"only {len(values)} rows have a target value, at least {settings.min_rows} are needed"
        problems.append(Problem("too_few_rows", target, message + " (setting min_rows)"))
    return problems, [fact]


def _class_problems(target: str, classes: list[str]) -> list[Problem]:
    if len(classes) >= 2:
        return []
    message = f"classification needs at least 2 classes, found only {_listed(classes)}"
    return [Problem("too_few_classes", target, message)]


def _numeric_problems(target: str, values: pd.Series) -> list[Problem]:
    # Regression trains on numbers; text here would only fail later, inside the training job.
    not_numeric = values[pd.to_numeric(values, errors="coerce").isna()]
    if not_numeric.empty:
        return []
    examples = _listed(not_numeric.unique().tolist())
    message = f"regression needs numbers, found {len(not_numeric)} non-numeric value(s): {examples}"
    return [Problem("target_not_numeric", target, message)]


def _report(source: str, columns: list[str], problems: list[Problem], rows: int = 0) -> ValidationReport:
    return ValidationReport(source=source, rows=rows, columns=columns, problems=problems)


def _duplicates(names: list[str]) -> Problem:
    return Problem(
        "duplicate_columns",
        names[0],
        f"column names must be unique; repeated in the header: {_listed(names)}",
    )


def _unnamed(positions: list[int]) -> Problem:
    return Problem(
        "unnamed_column",
        None,
        f"every column needs a name; the header has no name at position(s) {_listed(positions)} "
        "(a leftover index column?)",
    )


def _missing_target(target: str, columns: list[str]) -> Problem:
    near = [name for name in columns if name.strip().lower() == target.strip().lower()]
    hint = f" (did you mean '{near[0]}'? names are case- and space-sensitive)" if near else ""
    return Problem(
        "missing_target_column",
        target,
        f"the target column '{target}' is not in the header{hint}; columns found: {_listed(columns)}",
    )


def _listed(values: list) -> str:
    shown = ", ".join(repr(value) if isinstance(value, str) else str(value) for value in values[:_MAX_LISTED])
    return shown + (f" and {len(values) - _MAX_LISTED} more" if len(values) > _MAX_LISTED else "")
