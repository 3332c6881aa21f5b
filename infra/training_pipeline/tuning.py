"""Tuning: a SageMaker hyperparameter tuning job (aws-sdk createHyperParameterTuningJob, polled
with describeHyperParameterTuningJob, no `.sync`), then the best trial described into
`$.training` exactly as the single training job is, so the rest of the pipeline is unchanged.

The search itself (strategy, objective, limits, parameter ranges, early stopping, seed) is the
model's `settings.tuning.config`, rendered in AWS's shape from the config; the trials get the
model's hyperparameters as static ones plus the tuned values.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.common import catch_all, failure, job_tags, sagemaker_job_loop

RESULT_PATH = "$.tuning"
TRIALS_PATH = "$.tuning_trials"
JOB_NAME = "$.jobs.tuning"
BEST_JOB = f"{RESULT_PATH}.BestTrainingJob.TrainingJobName"
# ListTrainingJobsForHyperParameterTuningJob returns at most 100 per page; the record keeps one.
MAX_LISTED_TRIALS = 100


def tuning_branch(
    scope: Construct, *, definition: dict[str, Any], iam_resources: list[str], trial_resources: list[str],
    failed: sfn.Fail, next_state: sfn.IChainable,
) -> sfn.IChainable:
    """`definition`: the training job parts the trials share (train.training_job_parts).
    `iam_resources`: tuning job ARNs; `trial_resources`: the training job ARNs of its trials."""
    def sagemaker(construct_id: str, action: str, parameters: dict, resources: list[str], **kwargs):
        return tasks.CallAwsService(scope, construct_id, service="sagemaker", action=action,
                                    iam_resources=resources, parameters=parameters, **kwargs)

    name = {"HyperParameterTuningJobName": sfn.JsonPath.string_at(JOB_NAME)}
    create = sagemaker("CreateTuningJob", "createHyperParameterTuningJob", {
        **name,
        "HyperParameterTuningJobConfig": sfn.JsonPath.object_at("$.settings.tuning.config"),
        "TrainingJobDefinition": {
            **definition,
            "StaticHyperParameters": sfn.JsonPath.object_at("$.settings.hyperparameters"),
        },
        "Tags": job_tags(),
    }, iam_resources, result_path=RESULT_PATH)
    describe = sagemaker("DescribeTuningJob", "describeHyperParameterTuningJob", name, iam_resources,
                         result_path=RESULT_PATH)
    trials = sagemaker("ListTuningTrials", "listTrainingJobsForHyperParameterTuningJob",
                       {**name, "SortBy": "Name", "SortOrder": "Ascending", "MaxResults": MAX_LISTED_TRIALS},
                       iam_resources, result_selector={"TrainingJobSummaries.$": "$.TrainingJobSummaries"},
                       result_path=TRIALS_PATH)
    best = sagemaker("DescribeBestTrainingJob", "describeTrainingJob",
                     {"TrainingJobName": sfn.JsonPath.string_at(BEST_JOB)}, trial_resources,
                     result_path="$.training")
    for task in (trials, best):
        catch_all(task, failed)
    no_best = failure(
        scope, "TuningFoundNoBestJob", error=failed.state_id,
        cause=f"States.Format('Tuning job {{}} ended without a best training job: no trial reported the "
              f"objective metric {{}}', {JOB_NAME}, $.settings.tuning.config.HyperParameterTuningJobObjective"
              f".MetricName)",
    ).next(failed)
    has_best = (sfn.Choice(scope, "TuningHasBestJob")
                .when(sfn.Condition.is_present(BEST_JOB), trials.next(best).next(next_state))
                .otherwise(no_best))
    return sagemaker_job_loop(
        scope, kind="Tuning", create=create, describe=describe, result_path=RESULT_PATH,
        status_field="HyperParameterTuningJobStatus", job_name_path=JOB_NAME,
        failed=failed, next_state=has_best,
    )
