"""The gate in the embedded cloud: the first version passes on the threshold, an equal
challenger is approved, a really worse one (trained on little data) is rejected with both
scores in the cause and registered as Rejected for the record."""

from __future__ import annotations

import re

import pytest

from tests.e2e_registry.conftest import package_of, read_json

pytestmark = pytest.mark.e2e
GROUP = "MlopsRegistryE2E-churn"


def test_the_first_version_is_approved_with_no_champion(stack, churn_runs):
    _, summary = churn_runs["plenty"]
    assert summary.status == "SUCCEEDED", (summary.failed_state, summary.error, summary.cause)
    gate = read_json(stack, summary.input["paths"]["gate_report"])
    assert gate["passed"] is True and gate["champion"] is None
    package = package_of(stack, summary)
    assert package["ModelApprovalStatus"] == "Approved"
    assert package["CustomerMetadataProperties"]["ChampionScore"] == "none"


def test_an_equal_challenger_is_compared_with_the_champion_and_approved(stack, churn_runs):
    _, first = churn_runs["plenty"]
    _, summary = churn_runs["same"]
    assert summary.status == "SUCCEEDED", (summary.failed_state, summary.error, summary.cause)
    gate = read_json(stack, summary.input["paths"]["gate_report"])
    assert gate["passed"] is True
    assert gate["champion"]["model_package_arn"] == first.output["registration"]["ModelPackageArn"]
    assert gate["candidate"]["score"] == gate["champion"]["score"]  # same data, same seed: the same model
    metadata = package_of(stack, summary)["CustomerMetadataProperties"]
    assert metadata["ChampionScore"] == metadata["CandidateScore"]
    assert package_of(stack, summary)["ModelApprovalStatus"] == "Approved"


def test_a_worse_challenger_is_rejected_with_both_scores_in_the_cause(stack, churn_runs):
    _, summary = churn_runs["little"]
    assert (summary.status, summary.error) == ("FAILED", "ModelRejected")
    gate = read_json(stack, summary.input["paths"]["gate_report"])
    candidate, champion = gate["candidate"]["score"], gate["champion"]["score"]
    assert candidate >= 0.5 and champion - candidate > 0.01  # the threshold passed; the champion decided
    numbers = [float(n) for n in re.findall(r"\d+\.\d+", summary.cause)]
    assert any(abs(n - candidate) < 1e-4 for n in numbers) and any(abs(n - champion) < 1e-4 for n in numbers)
    assert "approved version 2" in summary.cause


def test_the_champion_was_rescored_on_the_challengers_own_test_rows(stack, churn_runs):
    _, summary = churn_runs["little"]
    report_dir = summary.input["paths"]["evaluation_output"]
    candidate = read_json(stack, report_dir + "evaluation.json")
    champion = read_json(stack, report_dir + "champion_evaluation.json")
    assert candidate["dataset"]["item_count"] == champion["dataset"]["item_count"] == 30
    assert champion["binary_classification_metrics"]["accuracy"]["value"] == read_json(
        stack, summary.input["paths"]["gate_report"])["champion"]["score"]


def test_the_rejected_candidate_is_registered_as_rejected_for_the_record(stack, churn_runs):
    _, summary = churn_runs["little"]
    packages = stack.sagemaker.list_model_packages(ModelPackageGroupName=GROUP, SortBy="CreationTime",
                                                   SortOrder="Ascending")["ModelPackageSummaryList"]
    assert [p["ModelApprovalStatus"] for p in packages[:3]] == ["Approved", "Approved", "Rejected"]
    rejected = stack.sagemaker.describe_model_package(ModelPackageName=packages[2]["ModelPackageArn"])
    assert rejected["ModelPackageArn"] in summary.cause
    assert rejected["CustomerMetadataProperties"]["GateDecision"] == "Rejected"
    assert rejected["CustomerMetadataProperties"]["RunId"] == summary.input["run_id"]
