"""The training state machine (contracts.md "The training state machine"), composed from the
per-stage fragments back to front: each stage takes the state that follows it, so a new stage
is one more line here and no rewrite of its neighbours."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.nag import acknowledge_wildcards
from infra.state_machine import logged_state_machine
from infra.training_pipeline.accepted_data import accepted_data_stage
from infra.training_pipeline.common import JobSettings
from infra.training_pipeline.evaluate import evaluate_stage
from infra.training_pipeline.prepare import prepare_stage
from infra.training_pipeline.prepare_job import preparation_result_arns
from infra.training_pipeline.gate import gate_stage
from infra.training_pipeline.lineage import lineage_stage
from infra.training_pipeline.registry_access import LIST_PACKAGES, RegistryAccess
from infra.training_pipeline.request import check_request_stage
from infra.training_pipeline.train import train_stage
from infra.training_pipeline.validate import validate_stage
from mlops.config import StageConfig
from mlops_core.naming import tuning_job_prefix


class TrainingPipeline(Construct):
    """`state_machine` and `log_group`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        validate_function: lambda_.IFunction,
        prepare_function: lambda_.IFunction,
        jobs: JobSettings,
        artifacts_bucket: s3.IBucket,
    ) -> None:
        super().__init__(scope, construct_id)
        arns = _SageMakerArns(cdk.Stack.of(self), config)
        registry = RegistryAccess(cdk.Stack.of(self), config, artifacts_bucket)
        states = Construct(self, "States")
        chain: sfn.IChainable = sfn.Succeed(states, "Succeeded")
        chain = gate_stage(states, jobs=jobs, report_resources=registry.gate_reports, package_resources=arns.packages,
                           next_state=chain)
        chain = evaluate_stage(states, jobs=jobs, iam_resources=arns.processing_jobs, list_resources=LIST_PACKAGES,
                               package_resources=arns.packages, next_state=chain)
        chain = train_stage(states, jobs=jobs, iam_resources=arns.training_jobs, tuning_resources=arns.tuning_jobs,
                            trial_resources=arns.tuning_trials, next_state=chain)
        chain = lineage_stage(states, iam_resources=registry.lineage, next_state=chain)
        chain = accepted_data_stage(states, iam_resources=registry.accepted_data, next_state=chain)
        results = preparation_result_arns(artifacts_bucket, config)
        chain = prepare_stage(states, function=prepare_function, jobs=jobs, iam_resources=arns.processing_jobs,
                              result_resources=results, next_state=chain)
        chain = validate_stage(states, function=validate_function, jobs=jobs, iam_resources=arns.processing_jobs,
                               next_state=chain)
        chain = check_request_stage(states, next_state=chain)

        self.state_machine, self.log_group = logged_state_machine(
            self, log_name=f"{config.stack_name}-training-pipeline", chain=chain,
            comment="Validate, prepare, train, evaluate and register a model for one uploaded dataset")
        registry.grant(self.state_machine)
        # SageMaker checks sagemaker:AddTags when a Create* request carries Tags.
        tagged = arns.training_jobs + arns.processing_jobs + arns.packages + arns.tuning_jobs + arns.tuning_trials
        self.state_machine.add_to_role_policy(iam.PolicyStatement(
            sid="TagSageMakerResources", actions=["sagemaker:AddTags"], resources=tagged,
        ))
        acknowledge_wildcards(
            self.state_machine.role,
            ["*", *tagged, *results, f"{validate_function.function_arn}:*", f"{prepare_function.function_arn}:*"],
            "Job and model package names are made per run (<model>-<hash>-<suffix>, <group>/<version>), "
            "so they are scoped by prefix, as are the preparation jobs' results (runs/<run id>/); the "
            "Lambda grant covers the function's versions; X-Ray and CloudWatch Logs delivery actions "
            "support no resource-level permissions.",
        )


class _SageMakerArns:
    """ARNs the state machine may act on, scoped per model. SageMaker lower-cases names in its
    ARNs, so the package group ARNs are listed in both spellings."""

    def __init__(self, stack: cdk.Stack, config: StageConfig) -> None:
        def arn(resource: str, name: str) -> str:
            return stack.format_arn(service="sagemaker", resource=resource, resource_name=name)

        self.training_jobs = [arn("training-job", f"{m.name}-*") for m in config.models]
        self.processing_jobs = [arn("processing-job", f"{m.name}-*") for m in config.models]
        # Tuning job names (and so their trials' names) start with the model name cut to 14.
        prefixes = sorted({tuning_job_prefix(m.name) for m in config.models})
        self.tuning_jobs = [arn("hyper-parameter-tuning-job", f"{prefix}-*") for prefix in prefixes]
        self.tuning_trials = [arn("training-job", f"{prefix}-*") for prefix in prefixes]
        groups = sorted({spelling for m in config.models
                         for spelling in (m.model_package_group_name, m.model_package_group_name.lower())})
        self.packages = [arn("model-package", f"{group}/*") for group in groups] + [
            arn("model-package-group", group) for group in groups]
