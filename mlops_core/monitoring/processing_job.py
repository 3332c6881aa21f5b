"""The CreateProcessingJob request of a check too large for the Lambda (window above
`processing_above_bytes`): sagemaker_jobs/monitor.py runs the same check on the capture files.

Inputs: the job code (`code`), the capture files as S3Prefix inputs (`capture-<n>`, the fewest
hour, day or month folders covering the window; the script keeps only requests inside it), and
the baseline files (data quality) or the model's ground truth (model quality). The job runs
network-isolated like every job of the stack, so it cannot call CloudWatch: it writes the
reports and `result.json` (with the datapoints) as its output, and MonitorEndpoint puts the
datapoints when the job has completed (a `SageMaker Processing Job State Change` event, or a
direct `{"processing_job": <name>}` invocation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

from mlops_core.data_capture import DATA_CAPTURE_PREFIX
from mlops_core.monitoring.request import Window, iso
from mlops_core.processing_request import (
    CODE_DIR,
    PROCESSING,
    app_specification,
    cluster_config,
    network_config,
    output_config,
    s3_input,
    stopping_condition,
)
from mlops_core.s3uri import to_s3_uri

CAPTURE_DIR = f"{PROCESSING}/capture"
BASELINE_DIR = f"{PROCESSING}/baseline"
GROUND_TRUTH_DIR = f"{PROCESSING}/ground-truth"
OUTPUT_DIR = f"{PROCESSING}/output"
MAX_CAPTURE_INPUTS = 7  # ProcessingInputs holds 10: code, two baseline files (or ground truth), these
_LEVELS = ("%Y/%m/%d/%H", "%Y/%m/%d", "%Y/%m", "%Y")
_TAG = "mlops:monitoring-check"


@dataclass(frozen=True)
class JobEnvironment:
    """What the Lambda's environment gives for jobs (the stack's role, image, code and key)."""

    role_arn: str
    image_uri: str
    code_uri: str
    kms_key_arn: str | None
    vpc_config: dict | None


def capture_prefixes(bucket: str, endpoint: str, variant: str, window: Window, keys: list[str]) -> list[str]:
    """The fewest folders (hour, else day, month, year) covering the window that hold one of the
    capture files `keys`, at most MAX_CAPTURE_INPUTS. SageMaker fails a job whose S3Prefix input
    matches no object, so a folder of the window without captures is left out."""
    for level in _LEVELS:
        prefixes = [f"{DATA_CAPTURE_PREFIX}/{endpoint}/{variant}/{folder}/" for folder in _folders(window, level)]
        prefixes = [prefix for prefix in prefixes if any(key.startswith(prefix) for key in keys)]
        if len(prefixes) <= MAX_CAPTURE_INPUTS:
            return [to_s3_uri(bucket, prefix) for prefix in prefixes]
    raise ValueError("a window this long cannot be read by one Processing job")  # years: the config forbids it


def _folders(window: Window, level: str) -> list[str]:
    folders, moment = [], window.start.astimezone(UTC)
    while moment <= window.end:
        folder = moment.strftime(level)
        if folder not in folders:
            folders.append(folder)
        moment += timedelta(hours=1)
    last = window.end.astimezone(UTC).strftime(level)
    return folders if last in folders else folders + [last]


def processing_request(*, job_name: str, arguments: list[str], captures: list[str], extra_inputs: dict[str, str],
                       output_uri: str, env: JobEnvironment, resources: dict[str, Any]) -> dict[str, Any]:
    """``extra_inputs``: input name -> S3 URI, each landing in ``/opt/ml/processing/<name>``."""
    inputs = [s3_input("code", env.code_uri, CODE_DIR)]
    inputs += [s3_input(f"capture-{index}", uri, f"{CAPTURE_DIR}/{index}") for index, uri in enumerate(captures)]
    inputs += [s3_input(name, uri, f"{PROCESSING}/{name}") for name, uri in extra_inputs.items()]
    return {
        "ProcessingJobName": job_name,
        "RoleArn": env.role_arn,
        "AppSpecification": app_specification(env.image_uri, "monitor.py",
                                              [*arguments, *_directory_arguments(extra_inputs)]),
        "ProcessingInputs": inputs,
        "ProcessingOutputConfig": output_config("report", output_uri, OUTPUT_DIR, kms_key_id=env.kms_key_arn),
        "ProcessingResources": cluster_config(instance_type=resources.get("instance_type", "ml.m5.large"),
                                              instance_count=1,  # one reader: the check is not sharded
                                              volume_size_gb=int(resources.get("volume_size_gb", 30)),
                                              volume_kms_key_id=env.kms_key_arn),
        "NetworkConfig": network_config(env.vpc_config),
        "StoppingCondition": stopping_condition(int(resources.get("max_runtime_seconds", 3600))),
        "Tags": [{"Key": _TAG, "Value": "true"}],
    }


def _directory_arguments(extra_inputs: dict[str, str]) -> list[str]:
    """Where each input and the output land, named on the command line (as the validation job
    does) rather than left to the script's defaults: the paths then say the job's whole layout,
    and a runner that relocates /opt/ml (the embedded cloud) rewrites them with the rest."""
    directories = [f"--capture-dir={CAPTURE_DIR}", f"--output-dir={OUTPUT_DIR}"]
    directories += [f"--{name}-dir={PROCESSING}/{name}" for name in extra_inputs]
    return directories


def window_arguments(window: Window) -> list[str]:
    return [f"--window-start={iso(window.start)}", f"--window-end={iso(window.end)}"]
