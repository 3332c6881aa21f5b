"""StartDeployment: a `SageMaker Model Package State Change` event (via EventBridge) -> one
deployment of the approved package to its model's endpoint.

Parses the event, asks mlops_core.deployment_routing what to do, and starts the deployment
state machine with a deterministic name (`dp-<model>-<hash of package ARN | approval time>`),
so a redelivered event never starts a second deployment. Events from another account or
region, of a package group no configured model uses, or of a status other than Approved are
ignored: logged with the reason, which is also returned. The execution input
(mlops_core.deployment_input) carries the model's monitoring engine and, with Model Monitor,
the values of the schedule the run points at the new version once it serves.

Environment: STATE_MACHINE_ARN (the deployment pipeline), SETTINGS_PARAMETER_PREFIX
(`/<stack>/models/`), POLL_SECONDS (default 30).
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from mlops_core.approval_event import ApprovalEvent
from mlops_core.deployment_routing import DeploymentPlan, model_of_group, plan_deployment
from mlops_core.naming import execution_arn
from mlops_core.settings_documents import settings_documents
from mlops_core.upload_routing import IGNORE

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "start-deployment")
logger = Logger(service=SERVICE)
tracer = Tracer(service=SERVICE)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "ServerlessMlops"), service=SERVICE)


@cache
def _ssm() -> Any:
    # Created lazily (and once per warm container) so tests can mock AWS before first use.
    return boto3.client("ssm")


@cache
def _sfn() -> Any:
    return boto3.client("stepfunctions")


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    approval = ApprovalEvent.from_event(event)
    logger.append_keys(model_package_arn=approval.package_arn, status=approval.status)
    plan = plan_deployment(
        approval,
        # The function's own account and region: its ARN names the account, Lambda sets AWS_REGION.
        account=context.invoked_function_arn.split(":")[4],
        region=os.environ["AWS_REGION"],
        find_model=lambda group: model_of_group(group, _settings_documents(os.environ["SETTINGS_PARAMETER_PREFIX"])),
        poll_seconds=int(os.environ.get("POLL_SECONDS", "30")),
    )
    if plan.action == IGNORE:
        logger.info("Approval event ignored", extra={"reason": plan.reason})
        metrics.add_metric(name="DeploymentIgnored", unit=MetricUnit.Count, value=1)
        return _result("ignored", plan, None)
    return _start(plan)


def _settings_documents(prefix: str) -> dict[str, dict[str, Any]]:
    """Every configured model's settings document, by model name."""
    return settings_documents(_ssm(), prefix, on_invalid=lambda name: logger.warning(
        "Settings parameter is not JSON; skipped", extra={"parameter": name}))


def _start(plan: DeploymentPlan) -> dict[str, Any]:
    state_machine_arn = os.environ["STATE_MACHINE_ARN"]
    name = plan.execution_name
    try:
        response = _sfn().start_execution(stateMachineArn=state_machine_arn, name=name,
                                          input=json.dumps(plan.execution_input))
    except ClientError as error:
        if error.response["Error"]["Code"] != "ExecutionAlreadyExists":
            raise
        logger.info("Duplicate delivery: this approval's deployment already exists", extra={"execution_name": name})
        metrics.add_metric(name="DuplicateDelivery", unit=MetricUnit.Count, value=1)
        return _result("duplicate", plan, execution_arn(state_machine_arn, name))
    logger.info("Deployment started", extra={"execution_name": name, "reason": plan.reason})
    metrics.add_metric(name="DeploymentStarted", unit=MetricUnit.Count, value=1)
    return _result("started", plan, response["executionArn"])


def _result(status: str, plan: DeploymentPlan, arn: str | None) -> dict[str, Any]:
    """What this invocation did (status: started|duplicate|ignored), for the caller and the logs."""
    return {"status": status, "model": plan.model, "execution_name": plan.execution_name if arn else None,
            "execution_arn": arn, "reason": plan.reason}
