"""What the gate, registry, lineage and accepted-data states may touch, scoped per model.

SageMaker lower-cases names in its ARNs, so experiment and trial ARNs are listed in both
spellings (as the package groups are in pipeline.py).
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_stepfunctions as sfn

from infra.nag import acknowledge_wildcards
from mlops.config import StageConfig
from mlops_core.execution_input import accepted_data_key

# ListModelPackages supports no resource-level permissions (IAM service authorization reference).
LIST_PACKAGES = ["*"]


class RegistryAccess:
    def __init__(self, stack: cdk.Stack, config: StageConfig, artifacts_bucket: s3.IBucket) -> None:
        def arn(resource: str, name: str) -> str:
            return stack.format_arn(service="sagemaker", resource=resource, resource_name=name)

        # Experiments are named like the package groups; trials like "<group>-<run id>".
        groups = sorted({spelling for m in config.models
                         for spelling in (m.model_package_group_name, m.model_package_group_name.lower())})
        self.experiments = [arn("experiment", group) for group in groups]
        self.trials = [arn("experiment-trial", f"{group}-*") for group in groups]
        # The trial components SageMaker makes for the run's jobs (named after the jobs).
        self.trial_components = [arn("experiment-trial-component", f"{m.name}-*") for m in config.models]
        self.gate_reports = [artifacts_bucket.arn_for_objects(f"models/{m.name}/runs/*/evaluation/gate.json")
                             for m in config.models]
        self.accepted_data = [artifacts_bucket.arn_for_objects(accepted_data_key(m.name)) for m in config.models]

    @property
    def lineage(self) -> list[str]:
        """Experiments and trials: what the lineage states create and describe."""
        return self.experiments + self.trials

    def grant(self, state_machine: sfn.StateMachine) -> None:
        """What the tasks' own statements (CallAwsService) leave out: tagging what they create,
        and SageMaker putting the jobs' trial components into the run's trial."""
        # No Sids: the statements merge with the tasks' own on the same resources, which keeps
        # the role's inline policy under IAM's size limit.
        state_machine.add_to_role_policy(iam.PolicyStatement(
            actions=["sagemaker:AddTags"], resources=self.experiments + self.trials))
        state_machine.add_to_role_policy(iam.PolicyStatement(
            actions=["sagemaker:AssociateTrialComponent"], resources=self.trials + self.trial_components))
        acknowledge_wildcards(
            state_machine.role, self.trials + self.trial_components + self.gate_reports,
            "Trials, trial components and gate reports are made per run (<group>-<run id>, <model>-<hash>-*, "
            "runs/<run id>/), so they are scoped by model prefix; ListModelPackages has no resource-level "
            "permissions.",
        )
