"""The deployment state machine (contracts.md "Deployment execution"), composed from the
per-stage fragments back to front like the training pipeline: each stage takes the state that
follows it.

CheckModelPackage -> CreateModel -> CreateEndpointConfig -> FindEndpoint
  not found: CreateEndpoint -> ... -> RecordDeployed
  InService: CheckCapacity -> [shadow test] -> rollback alarms -> UpdateEndpoint (blue/green)
             -> ... -> ReadRollbackAlarms -> DeleteNewFleetAlarms -> RolloutVerdict
             -> RecordDeployed | RecordRolledBack | RecordFailure
  RecordDeployed -> [monitoring.engine "model-monitor": point the Model Monitor schedule at the
                     new version (model_monitor.py)] -> Succeeded
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.deployment_pipeline.access import deployment_arns
from infra.deployment_pipeline.canary import canary_stage
from infra.deployment_pipeline.capacity import check_capacity_stage
from infra.deployment_pipeline.common import Arns, ServingResources, failure
from infra.deployment_pipeline.create import create_endpoint_stage
from infra.deployment_pipeline.endpoint import find_endpoint_stage
from infra.deployment_pipeline.model import create_model_stage
from infra.deployment_pipeline.model_monitor import ModelMonitorResources, model_monitor_stage
from infra.deployment_pipeline.outcome import DEPLOYED, DEPLOYMENT_FAILED, Endings, record_outcome
from infra.deployment_pipeline.package import check_package_stage
from infra.deployment_pipeline.shadow import shadow_stage
from infra.deployment_pipeline.verify import verify_stage
from infra.nag import acknowledge_wildcards
from infra.state_machine import logged_state_machine
from mlops.config import StageConfig


class DeploymentPipeline(Construct):
    """`state_machine`, `log_group` and `arns` (what its tasks may act on)."""

    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig, resources: ServingResources,
                 check_capacity: lambda_.IFunction, compare_shadow: lambda_.IFunction,
                 model_monitor: ModelMonitorResources | None = None) -> None:
        """`model_monitor`: needed when any model's monitoring.engine is "model-monitor"."""
        super().__init__(scope, construct_id)
        serving = [m for m in config.models if m.serving.enabled]
        self.arns = arns = deployment_arns(cdk.Stack.of(self), serving)
        states = Construct(self, "States")
        endings = Endings(states, arns=arns)
        chain: sfn.IChainable = sfn.Succeed(states, "Succeeded")
        if arns.monitoring_schedules:
            if model_monitor is None:
                raise ValueError("a model has monitoring.engine 'model-monitor': pass model_monitor resources")
            chain = model_monitor_stage(states, arns=arns, resources=resources, monitor=model_monitor,
                                        next_state=chain)
        deployed = _record_deployed(states, arns=arns, endings=endings, next_state=chain)
        chain = verify_stage(states, arns=arns, endings=endings, deployed=deployed)
        chain = canary_stage(states, arns=arns, endings=endings, next_state=chain)
        chain = shadow_stage(states, function=compare_shadow, arns=arns, resources=resources, endings=endings,
                             next_state=chain)
        update = check_capacity_stage(states, function=check_capacity, arns=arns, endings=endings, next_state=chain)
        create = create_endpoint_stage(states, arns=arns, endings=endings, deployed=deployed)
        chain = find_endpoint_stage(states, arns=arns, endings=endings, create=create, update=update)
        chain = create_model_stage(states, arns=arns, resources=resources, endings=endings, next_state=chain)
        chain = check_package_stage(states, arns=arns, endings=endings, next_state=chain)

        self.state_machine, self.log_group = logged_state_machine(
            self, log_name=f"{config.stack_name}-deployment-pipeline", chain=chain,
            comment="Deploy an approved model version: blue/green update with automatic rollback")
        self._grant(resources, check_capacity, compare_shadow)

    def _grant(self, resources: ServingResources, *functions: lambda_.IFunction) -> None:
        """What the tasks' own statements (CallAwsService) leave out."""
        arns = self.arns
        created = arns.models + arns.endpoint_configs + arns.endpoints + arns.job_definitions + arns.monitoring_schedules
        # SageMaker checks sagemaker:AddTags when a Create* request carries Tags.
        self.state_machine.add_to_role_policy(iam.PolicyStatement(actions=["sagemaker:AddTags"], resources=created))
        # Encrypted volumes and captures: SageMaker makes grants on the key for the endpoint's instances.
        self.state_machine.add_to_role_policy(iam.PolicyStatement(
            actions=["kms:CreateGrant", "kms:DescribeKey"], resources=[resources.key_arn],
            conditions={"Bool": {"kms:GrantIsForAWSResource": "true"}}))
        acknowledge_wildcards(
            self.state_machine.role,
            ["*", *arns.packages, *created, *arns.rollback_alarms, *(f"{f.function_arn}:*" for f in functions)],
            "Models, endpoint configs and new-fleet alarms are named per deployment (<model>-<hash>, "
            "<endpoint>-<config>-latency|5xx, Model Monitor job definitions <endpoint>-dq-<hash>) and package "
            "versions are numbered by SageMaker, so they are scoped by prefix; the Lambda grants cover the "
            "functions' versions; X-Ray and CloudWatch Logs delivery actions support no resource-level permissions.",
        )


def _record_deployed(scope: Construct, *, arns: Arns, endings: Endings, next_state: sfn.IChainable) -> sfn.IChainable:
    # The endpoint already serves the new model: a failure to record it must say so.
    not_recorded = failure(scope, "DeployedButNotRecorded", error=DEPLOYMENT_FAILED, cause=(
        "States.Format('Endpoint {} serves endpoint config {} (model package {}), but recording that on the "
        "model package failed: {}', $.names.endpoint, $.names.endpoint_config, $.model_package_arn, "
        "$.failure.Cause)")).next(endings.failed)
    return record_outcome(scope, "RecordDeployed", status=DEPLOYED, arns=arns, next_state=next_state,
                          on_error=not_recorded)
