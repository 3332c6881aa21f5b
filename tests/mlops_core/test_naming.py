"""Deterministic, service-valid names for runs and jobs, whatever the model folder is called."""

from __future__ import annotations

import hashlib
import re

import pytest

from mlops_core.naming import execution_arn, job_name, model_from_key, run_hash, upload_execution_name

EXECUTION_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
# SageMaker's documented pattern for training and processing job names.
JOB_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")

AWKWARD_MODELS = [
    "penguins",
    "a" * 200,
    "Pingüino Ñandú",
    "日本語モデル",
    "--edge--",
    "x" * 39 + "-" + "y" * 20,  # the cut at 40 lands right after a '-'
    "with space/and:colon",
    "",
]


def test_run_hash_is_sha256_of_bucket_key_and_version():
    assert run_hash("b", "k", "v") == hashlib.sha256(b"b|k|v").hexdigest()


def test_upload_execution_name_matches_the_contract_example_shape():
    key = "datasets/penguins/penguins.csv"
    digest = run_hash("bucket", key, "v1")[:16]
    assert upload_execution_name("penguins", "bucket", key, "v1") == f"up-penguins-{digest}"


def test_upload_execution_name_is_deterministic():
    first = upload_execution_name("penguins", "bucket", "datasets/penguins/a.csv", "v1")
    assert upload_execution_name("penguins", "bucket", "datasets/penguins/a.csv", "v1") == first


@pytest.mark.parametrize("changed", [("other", "k", "v"), ("b", "other", "v"), ("b", "k", "other")])
def test_upload_execution_name_changes_with_bucket_key_or_version(changed):
    assert upload_execution_name("m", *changed) != upload_execution_name("m", "b", "k", "v")


@pytest.mark.parametrize("model", AWKWARD_MODELS)
def test_upload_execution_name_is_a_valid_step_functions_name(model):
    name = upload_execution_name(model, "bucket", f"datasets/{model}/x.csv", "v1")
    assert EXECUTION_NAME.match(name), name
    model_part = name[len("up-") : -len("-0123456789abcdef")]
    assert model_part and not model_part.startswith("-") and not model_part.endswith("-")


@pytest.mark.parametrize("model", AWKWARD_MODELS)
@pytest.mark.parametrize("suffix", ["train", "eval", "a-much-too-long-suffix-for-the-budget"])
def test_job_name_is_a_valid_sagemaker_job_name(model, suffix):
    name = job_name(model, "bucket", f"datasets/{model}/x.csv", "v1", suffix)
    assert JOB_NAME.match(name), name
    assert len(name) <= 63


def test_job_name_matches_the_contract_shape():
    digest = run_hash("b", "k", "v")[:12]
    assert job_name("penguins", "b", "k", "v", "train") == f"penguins-{digest}-train"


def test_job_name_cuts_the_model_to_36_characters():
    assert job_name("m" * 100, "b", "k", "v", "train").split("-")[0] == "m" * 36


def test_execution_name_cuts_the_model_to_40_characters():
    assert upload_execution_name("m" * 100, "b", "k", "v").split("-")[1] == "m" * 40


def test_accents_are_folded_to_readable_ascii():
    assert upload_execution_name("pingüino", "b", "k", "v").startswith("up-pinguino-")


def test_long_unicode_model_names_still_give_distinct_names_per_upload():
    model = "модель" * 30
    assert upload_execution_name(model, "b", "k", "v1") != upload_execution_name(model, "b", "k", "v2")


def test_job_name_rejects_a_suffix_with_no_usable_character():
    with pytest.raises(ValueError, match="suffix"):
        job_name("m", "b", "k", "v", "___")


@pytest.mark.parametrize(
    "key, model",
    [
        ("datasets/penguins/penguins.csv", "penguins"),
        ("datasets/penguins/2026/11/file.csv", "penguins"),
        ("datasets/penguins.csv", None),
        ("datasets//x.csv", None),
        ("datasets/penguins/", None),
        ("other/penguins/x.csv", None),
    ],
)
def test_model_from_key_is_the_first_folder_under_datasets(key, model):
    assert model_from_key(key) == model


def test_execution_arn_is_built_from_the_state_machine_arn():
    machine = "arn:aws:states:us-east-1:123456789012:stateMachine:Training"
    assert execution_arn(machine, "up-x-1") == "arn:aws:states:us-east-1:123456789012:execution:Training:up-x-1"
