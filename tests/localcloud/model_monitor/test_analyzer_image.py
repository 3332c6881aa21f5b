"""The analyzer image's local stand-in is found by repository name, and the metrics its
container leaves are read as PutMetricData datapoints."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from mlops.localcloud.sagemaker import builtin_images, container_metrics
from mlops.localcloud.sagemaker.outcome import JobError


@pytest.mark.parametrize("uri", [
    "156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer",
    "709848358524.dkr.ecr.ap-northeast-2.amazonaws.com/sagemaker-model-monitor-analyzer:latest",
    "123456789012.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer@sha256:abc",
])
def test_the_analyzer_is_recognised_in_any_account_and_region(uri):
    command = builtin_images.default_entrypoint(uri)
    assert command[1].endswith("model_monitor/analyzer_main.py") and command[-2:] == ["--opt-ml", "/opt/ml"]


def test_other_images_have_no_stand_in():
    assert builtin_images.default_entrypoint("123.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2") is None


def test_metrics_files_become_datapoints(tmp_path):
    folder = tmp_path.joinpath(*container_metrics.METRICS_DIR)
    folder.mkdir(parents=True)
    folder.joinpath("drift.jsonl").write_text(json.dumps({
        "MetricName": "feature_baseline_drift_a", "Timestamp": "2026-03-02T09:00:00Z", "Value": 0.3,
        "Dimensions": [{"Name": "Endpoint", "Value": "e"}], "Extra": "dropped"}) + "\n")
    [datum] = container_metrics.read_metrics(tmp_path)
    assert datum == {"MetricName": "feature_baseline_drift_a", "Timestamp": datetime(2026, 3, 2, 9, tzinfo=UTC),
                     "Value": 0.3, "Dimensions": [{"Name": "Endpoint", "Value": "e"}]}
    assert container_metrics.namespace({"sagemaker_endpoint_name": "e"}) == "aws/sagemaker/Endpoints/data-metrics"


def test_a_broken_metrics_file_fails_the_job_naming_it(tmp_path):
    folder = tmp_path.joinpath(*container_metrics.METRICS_DIR)
    folder.mkdir(parents=True)
    folder.joinpath("bad.json").write_text("{not json")
    with pytest.raises(JobError, match="bad.json is not JSON datapoints"):
        container_metrics.read_metrics(tmp_path)
