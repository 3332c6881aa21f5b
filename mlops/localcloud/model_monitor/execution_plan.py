"""One monitoring execution as the Processing job Model Monitor starts for it.

The job reads the endpoint's capture files of the analysis window (one input per production
variant and hour folder that holds data, under `<EndpointInput.LocalPath>/<endpoint>/<variant>/
yyyy/mm/dd/hh`, the layout the container contract promises), the baseline statistics and
constraints, and writes its reports to `<MonitoringOutputs S3Uri>/<endpoint>/<schedule>/yyyy/mm/dd/hh`
(the scheduled hour). Its Environment is the analyzer's contract (docs: "Container Contract
Inputs"); the job definition's own Environment overrides it. A window without capture files
starts no job: the execution fails with SageMaker's reason, "Job inputs had no data".
"""

from __future__ import annotations

import json
import posixpath
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError

from mlops.localcloud.model_monitor.job_spec import JobSpec
from mlops.localcloud.model_monitor.schedule_expression import AnalysisOffsets, analysis_window

NO_DATA = "Job inputs had no data"
DATASET_FORMAT = json.dumps({"sagemakerCaptureJson": {"captureIndexNames": ["endpointInput", "endpointOutput"]}},
                            separators=(",", ":"))
STATISTICS_PATH, CONSTRAINTS_PATH = "/opt/ml/processing/baseline/stats", "/opt/ml/processing/baseline/constraints"
DEFAULT_STOPPING = {"MaxRuntimeInSeconds": 3600}


class NoJob(Exception):
    """The execution cannot start a job; the message is its FailureReason."""


@dataclass(frozen=True)
class Capture:
    bucket: str
    prefix: str  # DestinationS3Uri's key part, no trailing '/'
    variants: tuple[str, ...]


def capture_of(backend, endpoint: str) -> Capture:
    """Where the endpoint's active config captures its production variants' traffic."""
    record = backend.endpoints.get(endpoint)
    if record is None:
        raise NoJob(f"Endpoint {endpoint} does not exist: there is no captured data to monitor.")
    answer = backend.describe_endpoint(endpoint)
    config = backend.endpoint_configs.get(answer["EndpointConfigName"])
    capture = (config.data_capture_config if config is not None else None) or {}
    if not capture.get("EnableCapture", True) or not capture.get("DestinationS3Uri"):
        raise NoJob(f"Endpoint {endpoint} does not capture data (endpoint config {answer['EndpointConfigName']} "
                    f"has no enabled DataCaptureConfig): there is nothing to monitor.")
    bucket, _, prefix = capture["DestinationS3Uri"][len("s3://"):].partition("/")
    return Capture(bucket, prefix.strip("/"), tuple(v["VariantName"] for v in answer.get("ProductionVariants", [])))


def capture_inputs(s3, capture: Capture, spec: JobSpec, start: datetime, end: datetime) -> list[dict]:
    """A ProcessingInput per variant and hour folder of [start, end) that holds objects."""
    endpoint, inputs = spec.endpoint_name, []
    for variant in capture.variants:
        hour = start.replace(minute=0, second=0, microsecond=0)
        while hour < end:
            folder = f"{endpoint}/{variant}/{hour:%Y/%m/%d/%H}"
            key = "/".join(part for part in (capture.prefix, folder) if part)
            if _holds_objects(s3, capture.bucket, key + "/"):
                inputs.append(_s3_input(f"endpoint_input_{len(inputs) + 1}", f"s3://{capture.bucket}/{key}",
                                        posixpath.join(spec.endpoint_input["LocalPath"], folder), spec.endpoint_input))
            hour += timedelta(hours=1)
    return inputs


def processing_request(spec: JobSpec, *, schedule: str, scheduled: datetime, offsets: AnalysisOffsets | None,
                       inputs: list[dict]) -> dict:
    start, end = analysis_window(offsets, scheduled)
    environment = {"dataset_format": DATASET_FORMAT, "dataset_source": spec.endpoint_input["LocalPath"],
                   "output_path": spec.s3_output["LocalPath"], "publish_cloudwatch_metrics": "Enabled",
                   "sagemaker_endpoint_name": spec.endpoint_name, "sagemaker_monitoring_schedule_name": schedule,
                   "start_time": _iso(start), "end_time": _iso(end), "metric_time": _iso(start),
                   "monitoring_type": "DataQuality"}
    inputs = list(inputs)
    for name, uri, local, variable in (("baseline", spec.statistics_uri, STATISTICS_PATH, "baseline_statistics"),
                                       ("constraints", spec.constraints_uri, CONSTRAINTS_PATH, "baseline_constraints")):
        if uri:
            inputs.append(_s3_input(name, uri, local, {}))
            environment[variable] = posixpath.join(local, posixpath.basename(uri.rstrip("/")))
    report = f"{spec.s3_output['S3Uri'].rstrip('/')}/{spec.endpoint_name}/{schedule}/{scheduled:%Y/%m/%d/%H}"
    output_config = {"Outputs": [{"OutputName": "result", "S3Output": {
        "S3Uri": report, "LocalPath": spec.s3_output["LocalPath"],
        "S3UploadMode": spec.s3_output.get("S3UploadMode", "EndOfJob")}}]}
    if spec.output.get("KmsKeyId"):
        output_config["KmsKeyId"] = spec.output["KmsKeyId"]
    request = {"ProcessingJobName": f"model-monitoring-{scheduled:%Y%m%d%H%M}-{uuid.uuid4().hex[:8]}",
               "ProcessingInputs": inputs, "ProcessingOutputConfig": output_config,
               "ProcessingResources": {"ClusterConfig": spec.cluster},
               "StoppingCondition": spec.stopping_condition or DEFAULT_STOPPING, "AppSpecification": spec.app,
               "Environment": {**environment, **spec.environment}, "RoleArn": spec.role_arn}
    if spec.network:
        request["NetworkConfig"] = spec.network
    return request


def _s3_input(name: str, uri: str, local: str, source: dict) -> dict:
    return {"InputName": name, "AppManaged": False, "S3Input": {
        "S3Uri": uri, "LocalPath": local, "S3DataType": "S3Prefix",
        "S3InputMode": source.get("S3InputMode") or "File",
        "S3DataDistributionType": source.get("S3DataDistributionType") or "FullyReplicated"}}


def _holds_objects(s3, bucket: str, prefix: str) -> bool:
    try:
        return bool(s3.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1).get("KeyCount"))
    except (ClientError, BotoCoreError) as exc:
        raise NoJob(f"The captured data under s3://{bucket}/{prefix} could not be listed: {exc}") from exc


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
