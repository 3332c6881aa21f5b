"""The training pipeline end to end in the embedded cloud: upload -> EventBridge ->
StartPipeline -> Step Functions -> Lambda validation and split -> SageMaker training and
evaluation run locally -> model registry."""

from __future__ import annotations

import io
import json
import re
import tarfile

import joblib
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score

from tests.e2e.harness import settings_parameter

pytestmark = pytest.mark.e2e


def _read_s3(stack, uri: str) -> bytes:
    bucket, _, key = uri[len("s3://"):].partition("/")
    return stack.s3.get_object(Bucket=bucket, Key=key)["Body"].read()


@pytest.fixture(scope="module")
def penguins_run(stack, penguins_csv):
    version_id, summary = stack.run("datasets/penguins/penguins.csv", penguins_csv)
    assert summary.status == "SUCCEEDED", (summary.failed_state, summary.error, summary.cause)
    return version_id, summary


def test_upload_registers_a_model_package_traced_to_the_object_version(stack, penguins_run):
    version_id, summary = penguins_run
    arn = summary.output["registration"]["ModelPackageArn"]
    package = stack.sagemaker.describe_model_package(ModelPackageName=arn)
    assert package["ModelPackageGroupName"] == settings_parameter(stack, "penguins")["model_package_group"]
    metadata = package["CustomerMetadataProperties"]
    assert metadata["DataVersionId"] == version_id
    assert metadata["DataKey"] == "datasets/penguins/penguins.csv"
    assert package["ModelMetrics"]["ModelQuality"]["Statistics"]["S3Uri"] == summary.input["paths"]["evaluation_report"]


def test_model_artifact_reproduces_the_evaluation_report(stack, penguins_run):
    _, summary = penguins_run
    training = stack.sagemaker.describe_training_job(TrainingJobName=summary.input["jobs"]["training"])
    with tarfile.open(fileobj=io.BytesIO(_read_s3(stack, training["ModelArtifacts"]["S3ModelArtifacts"]))) as tar:
        model = joblib.load(tar.extractfile("model.joblib"))
    test = pd.read_csv(io.BytesIO(_read_s3(stack, summary.input["paths"]["test"] + "test.csv")))
    predictions = model.predict(test.drop(columns=["species"]))
    report = json.loads(_read_s3(stack, summary.input["paths"]["evaluation_report"]))
    metrics = report["multiclass_classification_metrics"]
    assert metrics["accuracy"]["value"] == pytest.approx(accuracy_score(test["species"], predictions))
    assert report["dataset"]["item_count"] == len(test)


def test_final_metrics_equal_what_the_training_log_printed(stack, penguins_run):
    _, summary = penguins_run
    job = stack.sagemaker.describe_training_job(TrainingJobName=summary.input["jobs"]["training"])
    logs = stack.cloud.client("logs")
    streams = logs.describe_log_streams(logGroupName="/aws/sagemaker/TrainingJobs",
                                        logStreamNamePrefix=job["TrainingJobName"])["logStreams"]
    text = "\n".join(e["message"] for s in streams for e in logs.get_log_events(
        logGroupName="/aws/sagemaker/TrainingJobs", logStreamName=s["logStreamName"])["events"])
    printed = {}
    for definition in job["AlgorithmSpecification"]["MetricDefinitions"]:
        values = re.findall(definition["Regex"], text)
        if values:
            printed[definition["Name"]] = float(values[-1])
    final = {m["MetricName"]: m["Value"] for m in job["FinalMetricDataList"]}
    assert printed and final == pytest.approx(printed)
    assert "validation:accuracy" in final


def test_redelivered_event_starts_no_second_execution(stack, penguins_run):
    version_id, summary = penguins_run
    event = next(e for e in stack.cloud.bus.events_seen
                 if e["detail"]["object"].get("version-id") == version_id)
    before = [e for e in stack.executions() if e["name"] == summary.execution_arn.rsplit(":", 1)[-1]]
    stack.cloud.redeliver(json.loads(json.dumps(event)))
    stack.cloud.bus.wait_idle()
    after = [e for e in stack.executions() if e["name"] == summary.execution_arn.rsplit(":", 1)[-1]]
    assert len(before) == len(after) == 1
    starts = [d for d in stack.cloud.bus.deliveries if d.event["id"] == event["id"]]
    assert len(starts) == 2 and all(d.outcome == "delivered" for d in starts)


def test_second_put_of_the_same_file_is_a_new_run(stack, penguins_csv, penguins_run):
    first_version, _ = penguins_run
    second_version = stack.upload("datasets/penguins/penguins.csv", penguins_csv)
    assert second_version != first_version


def test_regression_model_in_the_same_stack_trains(stack, penguins_csv):
    _, summary = stack.run("datasets/penguins-mass/penguins.csv", penguins_csv)
    assert summary.status == "SUCCEEDED", (summary.failed_state, summary.error, summary.cause)
    report = json.loads(_read_s3(stack, summary.input["paths"]["evaluation_report"]))
    assert report["regression_metrics"]["mae"]["value"] > 0
    names = {m["MetricName"] for m in summary.output["training"]["FinalMetricDataList"]}
    assert {"validation:rmse", "validation:mae"} <= names
    group = settings_parameter(stack, "penguins-mass")["model_package_group"]
    assert len(stack.model_packages(group)) == 1


def test_missing_target_fails_validation_and_registers_nothing(stack, penguins_csv):
    frame = pd.read_csv(io.BytesIO(penguins_csv)).drop(columns=["sex"])
    group = settings_parameter(stack, "penguins-sex")["model_package_group"]
    _, summary = stack.run("datasets/penguins-sex/no-target.csv", frame.to_csv(index=False).encode())
    assert summary.status == "FAILED"
    assert summary.error == "DataValidationFailed"
    assert "sex" in summary.cause
    assert stack.model_packages(group) == []


def test_unparsable_upload_fails_validation(stack):
    _, summary = stack.run("datasets/penguins/garbage.csv", bytes(range(256)) * 64)
    assert (summary.status, summary.error) == ("FAILED", "DataValidationFailed")


def test_unknown_model_prefix_fails_with_unknown_model(stack, penguins_csv):
    _, summary = stack.run("datasets/no-such-model/penguins.csv", penguins_csv)
    assert (summary.status, summary.error) == ("FAILED", "UnknownModel")
    assert "no-such-model" in summary.cause


def test_non_csv_upload_fails_with_unsupported_file(stack):
    _, summary = stack.run("datasets/penguins/notes.txt", b"not a dataset")
    assert (summary.status, summary.error) == ("FAILED", "UnsupportedFile")


def test_wrong_submit_directory_fails_training_with_its_reason(stack, penguins_csv):
    # The jobs run network-isolated: the code must come in as the `code` channel, and a container
    # that is told to fetch it from S3 itself is refused, before it reaches any bucket.
    ssm = stack.cloud.client("ssm")
    name = "/MlopsE2E/models/penguins-sex"
    settings = settings_parameter(stack, "penguins-sex")
    original = json.dumps(settings)
    settings["hyperparameters"]["sagemaker_submit_directory"] = json.dumps("s3://no-such-bucket/sourcedir.tar.gz")
    ssm.put_parameter(Name=name, Value=json.dumps(settings), Overwrite=True, Type="String")
    mark = stack.cloud.iam.mark()
    try:
        _, summary = stack.run("datasets/penguins-sex/penguins.csv", penguins_csv)
    finally:
        ssm.put_parameter(Name=name, Value=original, Overwrite=True, Type="String")
    assert (summary.status, summary.error) == ("FAILED", "TrainingFailed")
    assert "s3://no-such-bucket/sourcedir.tar.gz" in summary.cause and "EnableNetworkIsolation" in summary.cause
    assert stack.model_packages(settings["model_package_group"]) == []
    stack.cloud.bus.wait_idle()
    calls = stack.cloud.iam.calls[mark.calls:]
    assert not [c for c in calls if "no-such-bucket" in str(c.authorizations)]  # nothing reached for it
    assert stack.cloud.iam.findings(since=mark).ok
