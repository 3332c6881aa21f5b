"""Our data-quality core: statistics.json of the batch, then check_constraints against the
contract (constraints.json + baseline statistics.json) suggested from the reference sample.

The contract goes through JSON, as it does between the pipeline's runs. Its thresholds are
set to the benchmark contract's (bench/validation/contract.py) so the same checks decide:
Model Monitor's domain/type thresholds are the share of values that must *match*, hence
1 - 0.1; completeness gets the same 0.05 slack the peers get (suggest_constraints demands the
reference's completeness exactly, and sampling noise alone would fail that half the time).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from bench.validation import contract as contracts
from mlops_core.data_quality import check_constraints, compute_statistics, suggest_constraints

_KINDS = {
    "data_type_check": "dtype", "completeness_check": "completeness", "non_negative_check": "non_negative",
    "categorical_values_check": "domain", "baseline_drift_check": "drift",
    "missing_column_check": "columns", "extra_column_check": "columns",
}


def setup(workdir: Path) -> tuple[dict, dict]:
    limits = contracts.THRESHOLDS
    baseline = compute_statistics(pd.read_csv(workdir / "reference.csv"))
    constraints = suggest_constraints(
        baseline,
        drift_threshold=limits["comparison_threshold"],
        datatype_check_threshold=1 - limits["datatype_check_threshold"],
        domain_content_threshold=1 - limits["domain_content_threshold"],
    )
    for feature in constraints["features"]:
        feature["completeness"] = max(0.0, feature["completeness"] - limits["completeness_slack"])
    folder = workdir / "core-contract"
    folder.mkdir(exist_ok=True)
    (folder / "statistics.json").write_text(json.dumps(baseline))
    (folder / "constraints.json").write_text(json.dumps(constraints, indent=1))
    return json.loads((folder / "statistics.json").read_text()), json.loads((folder / "constraints.json").read_text())


def check(frame: pd.DataFrame, contract: tuple[dict, dict]) -> tuple[dict, dict]:
    baseline, constraints = contract
    statistics = compute_statistics(frame)
    return statistics, check_constraints(statistics, constraints, baseline=baseline)


def findings(result: tuple[dict, dict]) -> set[tuple[str, str]]:
    return {(_KINDS.get(v["constraint_check_type"], v["constraint_check_type"]), v["feature_name"])
            for v in result[1]["violations"]}


def report(result: tuple[dict, dict]) -> str:
    """constraint_violations.json plus statistics.json, both of which a validation run keeps."""
    statistics, violations = result
    return json.dumps({"constraint_violations": violations, "statistics": statistics}, indent=1)
