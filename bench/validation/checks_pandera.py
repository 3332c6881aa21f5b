"""pandera: the contract as a DataFrameSchema, validated lazily so every failure is collected.

Built-in checks where pandera has one with the same meaning (column dtype, strict column set,
non-negativity via `Check.ge(0)`); threshold checks that pandera has no built-in for
(completeness share, share of values outside the domain, drift distance) are vectorised custom
checks returning one bool, with the same distance functions as the plain-pandas baseline.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from bench.validation import contract as contracts


def setup(workdir: Path) -> pa.DataFrameSchema:
    contract = contracts.load(workdir / "contract.json")
    limits = contract["thresholds"]
    columns = {column["name"]: _column(column, limits) for column in contract["columns"]}
    return pa.DataFrameSchema(columns, strict=True, ordered=False)


def _column(column: dict, limits: dict) -> pa.Column:
    floor = column["completeness"] - limits["completeness_slack"]
    checks = [pa.Check(lambda s, floor=floor: s.notna().mean() >= floor, ignore_na=False, name="completeness")]
    if column["kind"] == "numeric":
        if column["non_negative"]:
            checks.append(pa.Check.ge(0))
        checks.append(pa.Check(
            lambda s, c=column: contracts.numeric_distance(s.to_numpy(dtype=float), c) <= limits["comparison_threshold"],
            name="drift"))
    else:
        domain = column["domain"]
        checks.append(pa.Check(
            lambda s, d=domain: (~s.isin(d)).mean() <= limits["domain_content_threshold"], name="domain"))
        checks.append(pa.Check(
            lambda s, c=column: contracts.categorical_distance(s.value_counts(normalize=True), c)
            <= limits["comparison_threshold"], name="drift"))
    return pa.Column(column["dtype"], checks=checks, nullable=True)


def check(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """pandera's failure-case table (empty when the frame passes)."""
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        return errors.failure_cases
    return pd.DataFrame(columns=["schema_context", "column", "check", "check_number", "failure_case", "index"])


# pandera names built-in checks by their error text; map them to the contract's check kinds.
_BUILTIN_PREFIXES = {"dtype(": "dtype", "greater_than_or_equal_to(": "non_negative",
                     "column_in_schema": "columns", "column_in_dataframe": "columns"}


def findings(result: pd.DataFrame) -> set[tuple[str, str]]:
    found = set()
    for check_name, column in result[["check", "column"]].drop_duplicates().itertuples(index=False):
        kind = next((k for p, k in _BUILTIN_PREFIXES.items() if str(check_name).startswith(p)), str(check_name))
        found.add((kind, str(column)))
    return found


def report(result: pd.DataFrame) -> str:
    summary = result.groupby(["column", "check"], dropna=False).size().rename("failure_cases").reset_index()
    return json.dumps({"violations": summary.to_dict(orient="records")}, indent=1, default=str)
