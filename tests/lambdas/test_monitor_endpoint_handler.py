"""MonitorEndpoint on moto: settings from SSM, endpoint -> config -> model -> package -> baseline,
capture files in S3, reports written, datapoints put in CloudWatch; bad input named."""

from __future__ import annotations

import json

import boto3
import pytest

from lambdas.monitor_endpoint import handler
from mlops_core.monitoring import EndpointNotFound, MissingBaseline
from tests.lambdas.builders import (
    ACCOUNT,
    ARTIFACTS_BUCKET,
    DATA_BUCKET,
    PENGUINS_SETTINGS,
    REGION,
    SETTINGS_PREFIX,
)
from tests.mlops_core.monitoring_captures import baseline, csv_requests, training_frame

ENDPOINT = "MlopsStack-penguins"
SETTINGS = {**PENGUINS_SETTINGS, "target": "label",
            "serving": {"enabled": True, "endpoint_name": ENDPOINT, "variant_name": "AllTraffic"},
            "monitoring": {"enabled": True, "window_minutes": 60, "processing_above_bytes": 268435456,
                           "model_quality": {"enabled": True, "metric": "accuracy", "threshold": 0.8,
                                             "min_labels": 10}}}
EVENT = {"model": "penguins", "check": "data-quality", "end_time": "2026-11-27T11:00:00Z"}


@pytest.fixture
def stack(s3, ssm, monkeypatch):
    handler._clients.cache_clear()
    handler._ssm.cache_clear()
    for name, value in {"SETTINGS_PARAMETER_PREFIX": SETTINGS_PREFIX, "ARTIFACTS_BUCKET": ARTIFACTS_BUCKET,
                        "DATA_BUCKET": DATA_BUCKET}.items():
        monkeypatch.setenv(name, value)
    ssm.put_parameter(Name=f"{SETTINGS_PREFIX}penguins", Value=json.dumps(SETTINGS), Type="String")
    yield boto3.client("sagemaker", region_name=REGION)
    handler._clients.cache_clear()
    handler._ssm.cache_clear()


def _deploy(sagemaker, s3, *, with_baseline: bool = True) -> str:
    statistics, constraints = baseline()
    for name, document in (("statistics.json", statistics), ("constraints.json", constraints)):
        s3.put_object(Bucket=ARTIFACTS_BUCKET, Key=f"baseline/{name}", Body=json.dumps(document).encode())
    sagemaker.create_model_package_group(ModelPackageGroupName="MlopsStack-penguins")
    request = {"ModelPackageGroupName": "MlopsStack-penguins", "ModelApprovalStatus": "Approved",
               "InferenceSpecification": {"Containers": [{"Image": "img"}], "SupportedContentTypes": ["text/csv"],
                                          "SupportedResponseMIMETypes": ["text/csv"]}}
    if with_baseline:
        request["DriftCheckBaselines"] = {"ModelDataQuality": {
            "Statistics": {"ContentType": "application/json", "S3Uri": f"s3://{ARTIFACTS_BUCKET}/baseline/statistics.json"},
            "Constraints": {"ContentType": "application/json",
                            "S3Uri": f"s3://{ARTIFACTS_BUCKET}/baseline/constraints.json"}}}
    package = sagemaker.create_model_package(**request)["ModelPackageArn"]
    sagemaker.create_model(ModelName="penguins-abc", PrimaryContainer={"ModelPackageName": package},
                           ExecutionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/SageMaker")
    sagemaker.create_endpoint_config(EndpointConfigName="penguins-abc", ProductionVariants=[
        {"VariantName": "AllTraffic", "ModelName": "penguins-abc", "InitialInstanceCount": 1,
         "InstanceType": "ml.m5.large"}])
    sagemaker.create_endpoint(EndpointName=ENDPOINT, EndpointConfigName="penguins-abc")
    return package


def _capture(s3, lines: list[str], hour: str = "10") -> None:
    key = f"data-capture/{ENDPOINT}/AllTraffic/2026/11/27/{hour}/00-00-000-x.jsonl"
    s3.put_object(Bucket=ARTIFACTS_BUCKET, Key=key, Body="\n".join(lines).encode())


def test_shifted_traffic_is_reported_and_published(stack, s3, lambda_context):
    package = _deploy(stack, s3)
    frame = training_frame(300, seed=7)
    frame["x"] += 1.0
    _capture(s3, csv_requests(frame, when="2026-11-27T10:30:00Z"))
    result = handler.lambda_handler(EVENT, lambda_context)
    assert result["status"] == "drift" and result["drifted"] == ["x"] and result["records"] == 300
    assert result["model_package"] == package
    prefix = f"monitoring/{ENDPOINT}/{ENDPOINT}-data-quality/2026/11/27/11/"
    assert result["report"] == f"s3://{ARTIFACTS_BUCKET}/{prefix}"
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=ARTIFACTS_BUCKET, Prefix=prefix)["Contents"]}
    assert keys == {prefix + n for n in ("statistics.json", "constraint_violations.json", "result.json")}
    cloudwatch = boto3.client("cloudwatch", region_name=REGION)
    names = {m["MetricName"] for m in cloudwatch.list_metrics(Namespace="aws/sagemaker/Endpoints/data-metrics")["Metrics"]}
    assert names == {"feature_baseline_drift_x", "feature_baseline_drift_y", "feature_baseline_drift_colour",
                     "drifted_feature_share"}


def test_an_empty_window_is_no_data(stack, s3, lambda_context):
    _deploy(stack, s3)
    result = handler.lambda_handler(EVENT, lambda_context)
    assert result["status"] == "no-data" and result["records"] == 0


def test_missing_baseline_names_the_package(stack, s3, lambda_context):
    package = _deploy(stack, s3, with_baseline=False)
    with pytest.raises(MissingBaseline, match=package):
        handler.lambda_handler(EVENT, lambda_context)


def test_missing_endpoint_is_named(stack, lambda_context):
    with pytest.raises(EndpointNotFound, match=f"endpoint '{ENDPOINT}' of model 'penguins' does not exist"):
        handler.lambda_handler(EVENT, lambda_context)


def test_a_window_above_the_limit_starts_the_processing_job(stack, s3, lambda_context, monkeypatch):
    _deploy(stack, s3)
    _capture(s3, csv_requests(training_frame(20), when="2026-11-27T10:30:00Z"))
    settings = {**SETTINGS, "monitoring": {**SETTINGS["monitoring"], "processing_above_bytes": 100}}
    boto3.client("ssm", region_name=REGION).put_parameter(Name=f"{SETTINGS_PREFIX}penguins", Overwrite=True,
                                                          Value=json.dumps(settings), Type="String")
    for name, value in {"MONITOR_JOB_ROLE_ARN": f"arn:aws:iam::{ACCOUNT}:role/SageMaker",
                        "MONITOR_JOB_IMAGE_URI": "img", "MONITOR_JOB_CODE_URI": "s3://assets/code.tar.gz"}.items():
        monkeypatch.setenv(name, value)
    result = handler.lambda_handler(EVENT, lambda_context)
    assert result["status"] == "processing"
    job = stack.describe_processing_job(ProcessingJobName=result["processing_job"])
    inputs = {i["InputName"]: i["S3Input"]["S3Uri"] for i in job["ProcessingInputs"]}
    assert inputs["capture-0"] == f"s3://{ARTIFACTS_BUCKET}/data-capture/{ENDPOINT}/AllTraffic/2026/11/27/10/"
    assert inputs["statistics"] == f"s3://{ARTIFACTS_BUCKET}/baseline/statistics.json"
    assert job["NetworkConfig"]["EnableNetworkIsolation"] is True
