"""Great Expectations (1.x): the contract as an expectation suite over a pandas data source.

Each check is GE's own expectation for it: column set, dtype, proportion of non-null values,
values between (min 0), values in set with `mostly` = 1 - domain_content_threshold, and GE's
distribution check, KL divergence against a partition built from the reference's deciles
(numbers) or frequencies (strings). KL is not our L-infinity distance, but it is what a GE user
would write for drift; the batch's drifted columns exceed it and the others stay near zero.
The context, suite and validation definition are built in `setup`, outside the timed checks.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

# GE posts usage analytics by default; the benchmark must not talk to the network.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from bench.validation import contract as contracts  # noqa: E402

_KINDS = {
    "expect_table_columns_to_match_set": "columns",
    "expect_column_values_to_be_of_type": "dtype",
    "expect_column_proportion_of_non_null_values_to_be_between": "completeness",
    "expect_column_values_to_be_between": "non_negative",
    "expect_column_values_to_be_in_set": "domain",
    "expect_column_kl_divergence_to_be_less_than": "drift",
}


def setup(workdir: Path):
    contract = contracts.load(workdir / "contract.json")
    context = gx.get_context(mode="ephemeral")
    batch = context.data_sources.add_pandas("bench").add_dataframe_asset("batch")
    suite = context.suites.add(gx.ExpectationSuite(name="contract"))
    suite.add_expectation(gxe.ExpectTableColumnsToMatchSet(
        column_set=[c["name"] for c in contract["columns"]], exact_match=True))
    for column in contract["columns"]:
        for expectation in _expectations(column, contract["thresholds"]):
            suite.add_expectation(expectation)
    definition = gx.ValidationDefinition(
        name="contract", data=batch.add_batch_definition_whole_dataframe("whole"), suite=suite)
    return context.validation_definitions.add(definition)


def _expectations(column: dict, limits: dict) -> list:
    name = column["name"]
    # ...OfType, not ...InTypeList: the latter never matches pandas 3's `str` dtype (GE 1.24).
    found = [gxe.ExpectColumnValuesToBeOfType(column=name, type_=column["dtype"]),
             gxe.ExpectColumnProportionOfNonNullValuesToBeBetween(
                 column=name, min_value=column["completeness"] - limits["completeness_slack"])]
    if column["kind"] == "numeric":
        if column["non_negative"]:
            found.append(gxe.ExpectColumnValuesToBeBetween(column=name, min_value=0))
        weights = np.diff(np.concatenate([[0.0], column["cdf_below"], [1.0]]))
        partition = {"bins": [-np.inf, *column["edges"], np.inf], "weights": weights.tolist()}
    else:
        found.append(gxe.ExpectColumnValuesToBeInSet(
            column=name, value_set=column["domain"], mostly=1 - limits["domain_content_threshold"]))
        partition = {"values": list(column["frequencies"]), "weights": list(column["frequencies"].values())}
    found.append(gxe.ExpectColumnKLDivergenceToBeLessThan(
        column=name, partition_object=partition, threshold=limits["comparison_threshold"]))
    return found


def check(frame: pd.DataFrame, definition):
    return definition.run(batch_parameters={"dataframe": frame})


def findings(result) -> set[tuple[str, str]]:
    found = set()
    for item in result.results:
        if not item.success:
            config = item.expectation_config
            found.add((_KINDS.get(config.type, config.type), str(config.kwargs.get("column", ""))))
    return found


def report(result) -> str:
    return json.dumps(result.describe_dict(), indent=1, default=str)
