"""Plain vectorised pandas: the contract's checks written the way a careful engineer would.

One pass per aggregate: `value_counts` per string column serves both the domain share and the
drift distance; numeric columns use min, notna and nine CDF comparisons.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from bench.validation import contract as contracts


def setup(workdir: Path) -> dict:
    return contracts.load(workdir / "contract.json")


def check(frame: pd.DataFrame, contract: dict) -> list[dict]:
    limits = contract["thresholds"]
    expected = [column["name"] for column in contract["columns"]]
    findings = [_finding("columns", name, "missing") for name in expected if name not in frame.columns]
    findings += [_finding("columns", name, "extra") for name in frame.columns if name not in expected]
    for column in contract["columns"]:
        if column["name"] in frame.columns:
            findings += _check_column(frame[column["name"]], column, limits)
    return findings


def _check_column(series: pd.Series, column: dict, limits: dict) -> list[dict]:
    name, findings = column["name"], []
    present = series.dropna()
    completeness = len(present) / max(len(series), 1)
    if completeness < column["completeness"] - limits["completeness_slack"]:
        findings.append(_finding("completeness", name, f"{completeness:.4f} < {column['completeness']:.4f}"))
    if column["kind"] == "numeric":
        return findings + _check_numeric(present, column, limits)
    frequencies = present.value_counts(normalize=True)
    unseen = float(frequencies[~frequencies.index.isin(column["domain"])].sum())
    if unseen > limits["domain_content_threshold"]:
        findings.append(_finding("domain", name, f"{unseen:.4f} of values outside the domain"))
    return findings + _drift(name, contracts.categorical_distance(frequencies, column), limits)


def _check_numeric(present: pd.Series, column: dict, limits: dict) -> list[dict]:
    name = column["name"]
    if not pd.api.types.is_numeric_dtype(present):
        numbers = pd.to_numeric(present, errors="coerce")
        wrong = float(numbers.isna().mean()) if len(present) else 0.0
        if wrong > limits["datatype_check_threshold"]:
            return [_finding("dtype", name, f"{wrong:.4f} of values are not numbers")]
        present = numbers.dropna()
    findings = []
    if column["non_negative"] and len(present) and present.min() < 0:
        findings.append(_finding("non_negative", name, f"min {present.min()} < 0"))
    return findings + _drift(name, contracts.numeric_distance(present.to_numpy(dtype=float), column), limits)


def _drift(name: str, distance: float, limits: dict) -> list[dict]:
    threshold = limits["comparison_threshold"]
    if distance > threshold:
        return [_finding("drift", name, f"distance: {distance:.4f} exceeds threshold: {threshold}")]
    return []


def _finding(check: str, column: str, detail: str) -> dict:
    return {"check": check, "column": column, "detail": detail}


def findings(result: list[dict]) -> set[tuple[str, str]]:
    return {(item["check"], item["column"]) for item in result}


def report(result: list[dict]) -> str:
    return json.dumps({"violations": result}, indent=1)
