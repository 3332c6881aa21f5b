"""Start many runs at once and wait for all of them: rejected runs end within seconds, so
uploading the whole corpus first keeps the package's runtime short."""

from __future__ import annotations

from mlops.runs import RunSummary, execution_arn, wait_for_execution
from mlops_core.naming import upload_execution_name
from tests.e2e.harness import Stack


def run_all(stack: Stack, uploads: dict[str, tuple[str, bytes]], timeout: float = 300) -> dict[str, tuple[str, RunSummary]]:
    """{name: (key, body)} -> {name: (version id, summary)}."""
    started = {}
    for name, (key, body) in uploads.items():
        version_id = stack.upload(key, body)
        model = key.split("/")[1]
        run = upload_execution_name(model, stack.data_bucket, key, version_id)
        started[name] = (version_id, execution_arn(stack.outputs["TrainingPipelineArn"], run))
    return {name: (version_id, wait_for_execution(stack.sfn, arn, timeout=timeout))
            for name, (version_id, arn) in started.items()}


def read_s3(stack: Stack, uri: str) -> bytes:
    bucket, _, key = uri[len("s3://"):].partition("/")
    return stack.s3.get_object(Bucket=bucket, Key=key)["Body"].read()


def training_jobs_of(stack: Stack, summary: RunSummary) -> list[dict]:
    name = summary.input["jobs"]["training"]
    return stack.sagemaker.list_training_jobs(NameContains=name)["TrainingJobSummaries"]
