"""Checks on the header row as written (pandas renames duplicated and empty names, so these
run on the raw header before any parsing)."""

from __future__ import annotations

from collections import Counter

from mlops_core.listing import listed
from mlops_core.validation_report import Problem

# Separators people export by mistake (Excel in many locales writes ';').
_OTHER_SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "pipes"}


def header_problems(header: list[str], target: str) -> list[Problem]:
    """Problems of the header; empty when it can be parsed into uniquely named columns with the target."""
    wrong = _wrong_delimiter(header)
    if wrong is not None:
        return [wrong]
    problems = []
    duplicates = sorted(name for name, count in Counter(header).items() if count > 1)
    if duplicates:
        problems.append(Problem("duplicate_columns", duplicates[0],
                                f"column names must be unique; repeated in the header: {listed(duplicates)}"))
    unnamed = [position for position, name in enumerate(header, start=1) if not name.strip()]
    if unnamed:
        problems.append(Problem("unnamed_column", None, (
            f"every column needs a name; the header has no name at position(s) {listed(unnamed)} "
            "(a leftover index column?)")))
    if target not in header:
        problems.append(_missing_target(target, header))
    return problems


def _wrong_delimiter(header: list[str]) -> Problem | None:
    if len(header) != 1:
        return None
    found = [(name, sep) for sep, name in _OTHER_SEPARATORS.items() if sep in header[0]]
    if not found:
        return None
    name, sep = found[0]
    return Problem("wrong_delimiter", None, (
        f"the header is one single column {header[0][:80]!r}: the file seems to be separated by {name} "
        f"({sep!r}), this pipeline reads comma-separated values; save it as CSV with commas"))


def _missing_target(target: str, columns: list[str]) -> Problem:
    near = [name for name in columns if name.strip().lower() == target.strip().lower()]
    hint = f" (did you mean '{near[0]}'? names are case- and space-sensitive)" if near else ""
    return Problem("missing_target_column", target,
                   f"the target column '{target}' is not in the header{hint}; columns found: {listed(columns)}")
