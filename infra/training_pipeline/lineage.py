"""Lineage in SageMaker Experiments: one experiment per model, one trial per run.

SageMaker's ExperimentConfig names an *existing* experiment and trial; each job that carries
it becomes a trial component of that trial, so a run's training (or tuning trials) and
evaluation show together in SageMaker Studio's Experiments view, with the jobs' metrics.
No CloudFormation type exists for experiments, so the run creates what is missing:
CreateExperiment (the model's first run; later runs find it) -> CreateTrial (this run).
Names come from the execution input (`$.lineage`, mlops_core.execution_input).
"""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.common import FAILURE_PATH, catch_all, fail_state, job_tags

EXPERIMENT = "$.lineage.experiment"
TRIAL = "$.lineage.trial"
FAILED = "ExperimentTrackingFailed"


def experiment_config(display_name: str) -> dict:
    """A job's ExperimentConfig: its trial component joins this run's trial."""
    return {
        "ExperimentName": sfn.JsonPath.string_at(EXPERIMENT),
        "TrialName": sfn.JsonPath.string_at(TRIAL),
        "TrialComponentDisplayName": display_name,
    }


def lineage_stage(scope: Construct, *, iam_resources: list[str], next_state: sfn.IChainable) -> sfn.IChainable:
    """`iam_resources`: the experiment and trial ARNs the run may create and describe."""
    failed = fail_state(scope, FAILED)
    create_experiment = tasks.CallAwsService(
        scope, "CreateExperiment",
        service="sagemaker", action="createExperiment", iam_resources=iam_resources,
        parameters={
            "ExperimentName": sfn.JsonPath.string_at(EXPERIMENT),
            "DisplayName": sfn.JsonPath.string_at("$.model"),
            "Description": sfn.JsonPath.format("Training runs of model {}", sfn.JsonPath.string_at("$.model")),
            "Tags": [{"Key": "mlops:model", "Value": sfn.JsonPath.string_at("$.model")}],
        },
        result_path=sfn.JsonPath.DISCARD,
    )
    # CreateExperiment answers ValidationException ("already exists") for every run but the
    # first; rather than match that message, any error leads to DescribeExperiment, which
    # succeeds exactly when the experiment is there.
    describe_experiment = tasks.CallAwsService(
        scope, "DescribeExperiment",
        service="sagemaker", action="describeExperiment", iam_resources=iam_resources,
        parameters={"ExperimentName": sfn.JsonPath.string_at(EXPERIMENT)},
        result_path=sfn.JsonPath.DISCARD,
    )
    create_trial = tasks.CallAwsService(
        scope, "CreateRunTrial",
        service="sagemaker", action="createTrial", iam_resources=iam_resources,
        parameters={
            "TrialName": sfn.JsonPath.string_at(TRIAL),
            "ExperimentName": sfn.JsonPath.string_at(EXPERIMENT),
            "DisplayName": sfn.JsonPath.string_at("$.run_id"),
            "Tags": job_tags(),
        },
        result_path=sfn.JsonPath.DISCARD,
    )
    create_experiment.add_catch(describe_experiment, errors=[sfn.Errors.ALL], result_path=FAILURE_PATH)
    catch_all(describe_experiment, failed)
    catch_all(create_trial, failed)
    describe_experiment.next(create_trial)
    create_experiment.next(create_trial).next(next_state)
    return create_experiment
