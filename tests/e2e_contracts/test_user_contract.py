"""A contract the user puts at s3://<data bucket>/contracts/<model>/ wins over any other: the
data is checked against it as written, and no contract is established from the data."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from mlops_core.data_quality import compute_statistics, suggest_constraints
from tests.e2e_contracts.runs import read_s3, run_all

pytestmark = pytest.mark.e2e
MODEL = "penguins-user"


def _put_contract(stack, body: bytes) -> None:
    stack.s3.put_object(Bucket=stack.data_bucket, Key=f"contracts/{MODEL}/constraints.json", Body=body)


def test_an_unreadable_user_contract_rejects_the_data_naming_the_file(stack, penguins_csv):
    _put_contract(stack, b"{not json")
    ((_, summary),) = run_all(stack, {"x": (f"datasets/{MODEL}/broken-contract.csv", penguins_csv)}).values()
    assert summary.error == "DataValidationFailed"
    assert "[contract_invalid]" in summary.cause and f"contracts/{MODEL}/constraints.json" in summary.cause


def test_the_user_contract_is_applied_and_none_is_established(stack, penguins_csv):
    frame = pd.read_csv(io.BytesIO(penguins_csv))
    constraints = suggest_constraints(compute_statistics(frame, target="species"))
    for feature in constraints["features"]:
        if feature["name"] == "island":  # the user's rule: only two islands are surveyed
            feature["string_constraints"] = {"domains": ["Biscoe", "Dream"]}
    _put_contract(stack, json.dumps(constraints).encode())
    ((_, summary),) = run_all(stack, {"x": (f"datasets/{MODEL}/penguins.csv", penguins_csv)}).values()
    assert summary.error == "DataValidationFailed"
    assert "[categorical_values_check] column 'island'" in summary.cause and "Torgersen" in summary.cause
    established = summary.input["paths"]["data_contract"] + "constraints.json"
    with pytest.raises(stack.s3.exceptions.NoSuchKey):
        read_s3(stack, established)
