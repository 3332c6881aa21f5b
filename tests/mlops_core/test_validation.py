"""Judging a profiled upload: the issue's corpus of bad inputs at the core level, the first
accepted dataset establishing the contract, and the result shape the state machine reads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mlops_core.contracts import Contract, establish_constraints
from mlops_core.data_profile import DataProfile, profile_csv_stream
from mlops_core.settings import DataSettings
from mlops_core.validation import judge
from tests.e2e_contracts.corpus import bad_inputs, good_second_batch

GOOD = (Path(__file__).resolve().parents[2] / "data" / "penguins.csv").read_bytes()
SETTINGS = DataSettings.from_settings({"target": "species", "problem_type": "classification",
                                       "validation": {"max_field_bytes": 4096}})
CORPUS = bad_inputs(GOOD, max_field_bytes=4096)


def _profile(body: bytes) -> DataProfile:
    return profile_csv_stream(io.BytesIO(body), target="species", classification=True, max_field_bytes=4096)


@pytest.fixture(scope="module")
def contract() -> Contract:
    statistics = _profile(GOOD).statistics
    return Contract("established", "s3://art/models/m/contract/",
                    establish_constraints(statistics, SETTINGS.validation), statistics)


def _judge(body: bytes, contract: Contract | None, **options):
    return judge(_profile(body), settings=SETTINGS, contract=contract, source="s3://d/k (version v)", **options)


@pytest.mark.parametrize("name", CORPUS)
def test_each_bad_input_is_rejected_first_for_its_own_reason(contract, name):
    verdict = _judge(CORPUS[name].body, contract)
    first = verdict.report.problems[0]
    assert (first.check, first.column) == (CORPUS[name].check, CORPUS[name].column)
    assert not verdict.establish
    assert f"[{first.check}]" in verdict.report.summary()


def test_a_good_second_batch_matches_the_contract(contract):
    verdict = _judge(good_second_batch(GOOD), contract)
    assert verdict.report.valid and not verdict.establish
    assert verdict.report.contract == {"origin": "established",
                                       "constraints": "s3://art/models/m/contract/constraints.json"}


def test_the_first_accepted_dataset_establishes_the_contract():
    verdict = _judge(GOOD, None)
    assert verdict.report.valid and verdict.establish
    assert verdict.report.contract["origin"] == "new"
    assert {f["name"] for f in verdict.constraints["features"]} == {
        "island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year"}


def test_a_rejected_first_dataset_establishes_nothing():
    assert not _judge(CORPUS["a single class"].body, None).establish


def test_an_unreadable_user_contract_rejects_and_establishes_nothing():
    verdict = _judge(GOOD, None, contract_error="s3://d/contracts/m/constraints.json is not valid JSON")
    assert [p.check for p in verdict.report.problems] == ["contract_invalid"] and not verdict.establish


def test_a_profile_of_another_size_than_the_upload_is_a_changed_object(contract):
    verdict = _judge(GOOD, contract, expected_bytes=len(GOOD) + 1)
    assert [p.check for p in verdict.report.problems] == ["object_changed"]


def test_every_finding_is_in_the_violations_file_in_model_monitor_shape(contract):
    verdict = _judge(CORPUS["column identical to target"].body, contract)
    assert verdict.violations["violations"] == [
        {"feature_name": p.column, "constraint_check_type": p.check, "description": p.message}
        for p in verdict.report.problems]


def test_the_result_has_the_contract_shape(contract):
    result = _judge(GOOD, contract, report_uri="s3://art/q/summary.md").report.to_dict()
    assert set(result) == {"valid", "rows", "columns", "problems", "warnings", "contract", "summary"}
    assert result["summary"].endswith("Full report: s3://art/q/summary.md")


def test_a_profile_round_trips_through_json():
    profile = _profile(GOOD)
    assert DataProfile.from_dict(profile.to_dict()) == profile
    broken = _profile(CORPUS["ragged rows"].body)
    assert DataProfile.from_dict(broken.to_dict()) == broken


def test_the_summary_lists_ten_problems_and_counts_the_rest(contract):
    many = GOOD.replace(b"species,", b"species," + b",".join(b"x%d" % i for i in range(12)) + b",", 1)
    lines = many.split(b"\n")
    body = b"\n".join([lines[0]] + [line.replace(b",", b"," + b"1," * 12, 1) for line in lines[1:] if line])
    summary = _judge(body, contract).report.summary()
    assert "12 problems" in summary and "and 2 more" in summary
