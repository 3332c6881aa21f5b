"""The large-object path of preparation: a SageMaker Processing job runs prepare.py (the same
mlops_core.preparation code as the PrepareData Lambda) on the uploaded object and uploads
`train.csv` to `paths.train`, `test.csv` to `paths.test` and its result (rows of each part,
rows dropped) to `paths.preparation_result`. The state machine then reads that result and
writes `$.prepare` in the Lambda's shape, so nothing after it knows which path ran.

Like the validation job it reads the object's key (Processing inputs have no version id) and
refuses a file whose size is not the uploaded version's.
"""

from __future__ import annotations

from aws_cdk import aws_s3 as s3
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.common import JobSettings, catch_all, sagemaker_job_loop
from infra.training_pipeline.processing import DATA_DIR, uploaded_object_job
from mlops.config import StageConfig
from mlops_core.execution_input import PREPARATION_RESULT_FILE, preparation_result_key
from mlops_core.preparation import TEST_FILE, TRAIN_FILE
from mlops_core.processing_request import PROCESSING, output_config

TRAIN_DIR = f"{PROCESSING}/train"
TEST_DIR = f"{PROCESSING}/test"
RESULT_DIR = f"{PROCESSING}/result"
ARGUMENTS = ["--data-dir", DATA_DIR, "--train-dir", TRAIN_DIR, "--test-dir", TEST_DIR,
             "--result-file", f"{RESULT_DIR}/{PREPARATION_RESULT_FILE}", "--message-file", "/opt/ml/output/message"]
JOB_PATH = "$.preparation_job"
RESULT_PATH = "$.preparation_result"


def preparation_result_arns(bucket: s3.IBucket, config: StageConfig) -> list[str]:
    """The result objects the state machine may read: any run's, of the configured models."""
    return [bucket.arn_for_objects(preparation_result_key(model.name, "*")) for model in config.models]


def _arguments() -> str:
    """The fixed arguments plus the settings the split needs, as `--name=value` so a value
    starting with '-' stays a value (each argument may hold 256 characters)."""
    def setting(name: str, path: str) -> str:
        return sfn.JsonPath.format(f"--{name}={{}}", sfn.JsonPath.string_at(path))

    return sfn.JsonPath.array(*ARGUMENTS, setting("target", "$.settings.target"),
                              setting("problem-type", "$.settings.problem_type"),
                              setting("test-size", "$.settings.test_size"),
                              setting("random-seed", "$.settings.random_seed"),
                              setting("expected-bytes", "$.data.size"))


def _outputs(jobs: JobSettings) -> dict:
    """The three outputs, each built by the one helper of the request pieces."""
    named = [("train", "$.paths.train", TRAIN_DIR), ("test", "$.paths.test", TEST_DIR),
             ("result", "$.paths.preparation_output", RESULT_DIR)]
    configs = [output_config(name, sfn.JsonPath.string_at(path), local, kms_key_id=jobs.output_key_arn)
               for name, path, local in named]
    return {**configs[0], "Outputs": [output for config in configs for output in config["Outputs"]]}


def preparation_job_stage(
    scope: Construct, *, jobs: JobSettings, iam_resources: list[str], result_resources: list[str],
    failed: sfn.Fail, next_state: sfn.IChainable,
) -> sfn.IChainable:
    """CreatePreparationJob -> loop -> ReadPreparationResult -> PreparedSplits ($.prepare) -> next."""
    create, describe = uploaded_object_job(
        scope, kind="PreparationJob", script="prepare.py", arguments=_arguments(), outputs=_outputs(jobs),
        jobs=jobs, name_path="$.jobs.preparation", result_path=JOB_PATH, iam_resources=iam_resources)
    read = tasks.CallAwsService(
        scope, "ReadPreparationResult",
        service="s3", action="getObject", iam_resources=result_resources,
        iam_action="s3:GetObject",  # IAM's own spelling: policy checkers match it case-sensitively
        parameters={"Bucket": sfn.JsonPath.string_at("$.objects.preparation_result.Bucket"),
                    "Key": sfn.JsonPath.string_at("$.objects.preparation_result.Key")},
        # Step Functions returns a text object's Body as a string.
        result_selector={"counts": sfn.JsonPath.string_to_json(sfn.JsonPath.string_at("$.Body"))},
        result_path=RESULT_PATH,
    )
    catch_all(read, failed)
    # The Lambda's return value, to the letter: {"train": {"uri", "rows"}, "test": {"uri", "rows"}}.
    # paths.train/test end in '/' (execution_input), so '<path><file>' is the Lambda's join_s3_uri.
    shaped = sfn.Pass(scope, "PreparedSplits", result_path="$.prepare", parameters={
        part: {"uri": sfn.JsonPath.format(f"{{}}{file}", sfn.JsonPath.string_at(f"$.paths.{part}")),
               "rows": sfn.JsonPath.number_at(f"{RESULT_PATH}.counts.{part}.rows")}
        for part, file in (("train", TRAIN_FILE), ("test", TEST_FILE))
    })
    read.next(shaped).next(next_state)
    return sagemaker_job_loop(
        scope, kind="PreparationJob", create=create, describe=describe, result_path=JOB_PATH,
        status_field="ProcessingJobStatus", job_name_path="$.jobs.preparation", failed=failed, next_state=read,
        exit_message=True,
    )
