"""Data for the Model Monitor tests: a baseline, capture lines in SageMaker's format, and the
CreateDataQualityJobDefinition request the stack makes (docs/contracts.md, shared contract)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from mlops_core.data_quality import compute_statistics, suggest_constraints

ROLE = "arn:aws:iam::123456789012:role/model-monitor-tests"
ANALYZER = "156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer"
FEATURES = ("length", "weight", "island")  # the baseline's order: CSV requests are positional


def table(rows: int, *, seed: int, shift: bool = False) -> pd.DataFrame:
    """Traffic like the baseline's; `shift` moves `length` by two standard deviations and
    turns `island`'s even split into 90/10, leaving `weight` alone."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "length": rng.normal(2.0 if shift else 0.0, 1.0, rows).round(3),
        "weight": rng.normal(50.0, 5.0, rows).round(2),
        "island": rng.choice(["Biscoe", "Dream"], rows, p=[0.9, 0.1] if shift else [0.5, 0.5]),
    })


def baseline_files() -> tuple[dict, dict]:
    statistics = compute_statistics(table(1000, seed=1))
    return statistics, suggest_constraints(statistics)


def capture_line(event_id: str, when: datetime, body: str, content_type: str = "text/csv") -> str:
    return json.dumps({
        "captureData": {"endpointInput": {"observedContentType": content_type, "mode": "INPUT", "data": body,
                                          "encoding": "JSON" if content_type.endswith("json") else "CSV"}},
        "eventMetadata": {"eventId": event_id, "inferenceId": event_id,
                          "inferenceTime": when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"},
        "eventVersion": "0"})


def capture_lines(frame: pd.DataFrame, start: datetime) -> list[str]:
    """One request per row, a second apart from `start`: CSV rows, every fourth one as JSON."""
    lines = []
    for index, row in enumerate(frame.itertuples(index=False)):
        when = start + timedelta(seconds=index)
        if index % 4 == 3:
            body = json.dumps({"instances": [dict(zip(FEATURES, row))]})
            lines.append(capture_line(f"e{index}", when, body, "application/json"))
        else:
            lines.append(capture_line(f"e{index}", when, ",".join(str(v) for v in row)))
    return lines


def job_definition(name: str, *, endpoint: str, bucket: str, baseline_prefix: str) -> dict:
    return {
        "JobDefinitionName": name, "RoleArn": ROLE,
        "DataQualityAppSpecification": {"ImageUri": ANALYZER},
        "DataQualityBaselineConfig": {
            "ConstraintsResource": {"S3Uri": f"s3://{bucket}/{baseline_prefix}/constraints.json"},
            "StatisticsResource": {"S3Uri": f"s3://{bucket}/{baseline_prefix}/statistics.json"}},
        "DataQualityJobInput": {"EndpointInput": {
            "EndpointName": endpoint, "LocalPath": "/opt/ml/processing/input/endpoint", "S3InputMode": "File",
            "S3DataDistributionType": "FullyReplicated"}},
        "DataQualityJobOutputConfig": {"MonitoringOutputs": [{"S3Output": {
            "S3Uri": f"s3://{bucket}/monitoring", "LocalPath": "/opt/ml/processing/output",
            "S3UploadMode": "EndOfJob"}}]},
        "JobResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}},
        "NetworkConfig": {"EnableNetworkIsolation": True, "EnableInterContainerTrafficEncryption": True},
        "StoppingCondition": {"MaxRuntimeInSeconds": 600},
    }


def schedule_config(definition: str, expression: str = "cron(0 * ? * * *)", **offsets: str) -> dict:
    return {"ScheduleConfig": {"ScheduleExpression": expression, **offsets},
            "MonitoringJobDefinitionName": definition, "MonitoringType": "DataQuality"}
