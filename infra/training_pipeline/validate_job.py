"""The large-object path of validation: a SageMaker Processing job runs validate.py (the same
mlops_core profiling as the ValidateData Lambda) on the uploaded object and leaves
`profile.json` under `paths.data_quality`; the loop then goes on to the state that judges it.

The job reads the object through an S3Prefix input equal to its key: Processing inputs have no
version id, so the judging step compares the size read with the uploaded version's and
rejects an object overwritten meanwhile (docs/contracts.md).
"""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.training_pipeline.common import JobSettings, sagemaker_job_loop
from infra.training_pipeline.processing import DATA_DIR, uploaded_object_job
from mlops_core.processing_request import PROCESSING, output_config

OUTPUT_DIR = f"{PROCESSING}/quality"
ARGUMENTS = ["--data-dir", DATA_DIR, "--output-dir", OUTPUT_DIR, "--message-file", "/opt/ml/output/message"]
RESULT_PATH = "$.validation_job"


def _arguments() -> str:
    """The fixed arguments plus the few settings profiling needs, as `--name=value` so a value
    starting with '-' stays a value (each argument may hold 256 characters)."""
    def setting(name: str, path: str) -> str:
        return sfn.JsonPath.format(f"--{name}={{}}", sfn.JsonPath.string_at(path))

    return sfn.JsonPath.array(*ARGUMENTS, setting("target", "$.settings.target"),
                              setting("problem-type", "$.settings.problem_type"),
                              setting("max-field-bytes", "$.settings.validation.max_field_bytes"))


def validation_job_stage(
    scope: Construct, *, jobs: JobSettings, iam_resources: list[str], failed: sfn.Fail, next_state: sfn.IChainable,
) -> sfn.IChainable:
    create, describe = uploaded_object_job(
        scope, kind="ValidationJob", script="validate.py", arguments=_arguments(),
        outputs=output_config("quality", sfn.JsonPath.string_at("$.paths.data_quality"), OUTPUT_DIR,
                              kms_key_id=jobs.output_key_arn),
        jobs=jobs, name_path="$.jobs.validation", result_path=RESULT_PATH, iam_resources=iam_resources)
    return sagemaker_job_loop(
        scope, kind="ValidationJob", create=create, describe=describe, result_path=RESULT_PATH,
        status_field="ProcessingJobStatus", job_name_path="$.jobs.validation", failed=failed, next_state=next_state,
        exit_message=True,  # validate.py leaves its plain-words reason there
    )
