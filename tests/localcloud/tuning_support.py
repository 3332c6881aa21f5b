"""Inputs for tuning jobs in an embedded cloud without the CDK stack: the real job archive,
the penguins data as the train channel, and a CreateHyperParameterTuningJob request shaped as
the state machine sends it (config-rendered HyperParameterTuningJobConfig, same definition).
Used by the tuning tests and by bench/tuning_speedup.py."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from mlops.config_tuning import TuningConfig
from mlops.tuning_defaults import metric_names

REPO_ROOT = Path(__file__).resolve().parents[2]
BUCKET = "tuning-inputs"
ROLE_ARN = "arn:aws:iam::123456789012:role/SageMakerExecution"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.9-0-cpu-py3"


def upload_inputs(s3, bucket: str = BUCKET) -> dict[str, str]:
    """Create `bucket` with sourcedir.tar.gz (built as CDK builds it) and data/train/train.csv."""
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    from infra.job_code import write_archive

    s3.create_bucket(Bucket=bucket)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "sourcedir.tar.gz"
        write_archive(archive, {"": REPO_ROOT / "sagemaker_jobs", "mlops_core": REPO_ROOT / "mlops_core"})
        s3.put_object(Bucket=bucket, Key="code/sourcedir.tar.gz", Body=archive.read_bytes())
    s3.put_object(Bucket=bucket, Key="data/train/train.csv", Body=(REPO_ROOT / "data" / "penguins.csv").read_bytes())
    return {"submit": f"s3://{bucket}/code/sourcedir.tar.gz", "train": f"s3://{bucket}/data/train/",
            "output": f"s3://{bucket}/runs/"}


def tuning_request(name: str, inputs: dict[str, str], *, tuning: dict, estimator: str = "random_forest",
                   target: str = "species", problem_type: str = "classification", seed: int = 7,
                   static: dict[str, str] | None = None) -> dict:
    config = TuningConfig(enabled=True, **tuning).job_config(
        problem_type=problem_type, estimator=estimator, fixed=static or {}, random_seed=seed)
    hyperparameters = {
        "sagemaker_program": json.dumps("train.py"), "sagemaker_submit_directory": json.dumps(inputs["submit"]),
        "sagemaker_region": json.dumps("us-east-1"), "sagemaker_container_log_level": "20",
        "target": target, "problem-type": problem_type, "estimator": estimator, "random-seed": str(seed),
        **(static or {}),
    }
    return {
        "HyperParameterTuningJobName": name,
        "HyperParameterTuningJobConfig": config,
        "TrainingJobDefinition": {
            "StaticHyperParameters": hyperparameters,
            "AlgorithmSpecification": {
                "TrainingImage": IMAGE, "TrainingInputMode": "File",
                "MetricDefinitions": [{"Name": n, "Regex": f"{n}=([-+0-9.eE]+)"} for n in metric_names()],
            },
            "RoleArn": ROLE_ARN,
            "InputDataConfig": [{"ChannelName": "train", "ContentType": "text/csv", "DataSource": {
                "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": inputs["train"],
                                 "S3DataDistributionType": "FullyReplicated"}}}],
            "OutputDataConfig": {"S3OutputPath": inputs["output"]},
            "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 30},
            "StoppingCondition": {"MaxRuntimeInSeconds": 600},
        },
        "Tags": [{"Key": "mlops:model", "Value": "penguins"}],
    }


def wait_for_tuning(sagemaker, name: str, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = sagemaker.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)
        if job["HyperParameterTuningJobStatus"] in ("Completed", "Failed", "Stopped"):
            return job
        if time.monotonic() > deadline:
            raise TimeoutError(f"tuning job {name} still {job['HyperParameterTuningJobStatus']} after {timeout}s")
        time.sleep(0.5)
