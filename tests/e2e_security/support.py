"""What the security tests do that a user, an attacker or an operator would: upload, put
events, invoke StartPipeline directly; and what they look at afterwards."""

from __future__ import annotations

import json

from mlops.runs import RunSummary, execution_arn, wait_for_execution
from mlops_core.naming import upload_execution_name
from tests.e2e.harness import Stack

STACK_NAME = "MlopsSecurityE2E"
# What only a run that passed its request checks enters.
WORK_STATES = {"ValidateData", "CreateValidationJob", "PrepareData", "CreateTrainingJob", "CreateTuningJob"}


def start_upload(stack: Stack, key: str, body: bytes, **put) -> str:
    """Upload as a user would; the ARN of the execution the upload starts (named as StartPipeline names it)."""
    version_id = stack.s3.put_object(Bucket=stack.data_bucket, Key=key, Body=body, **put)["VersionId"]
    model = key.split("/")[1]  # what follows datasets/, as StartPipeline reads it
    return execution_arn(stack.outputs["TrainingPipelineArn"],
                         upload_execution_name(model, stack.data_bucket, key, version_id))


def finish(stack: Stack, arns: dict[str, str], timeout: float = 300) -> dict[str, RunSummary]:
    return {name: wait_for_execution(stack.sfn, arn, timeout=timeout) for name, arn in arns.items()}


def entered_states(stack: Stack, arn: str) -> set[str]:
    pages = stack.sfn.get_paginator("get_execution_history").paginate(executionArn=arn)
    return {e["stateEnteredEventDetails"]["name"] for page in pages for e in page["events"]
            if "stateEnteredEventDetails" in e}


def start_pipeline(stack: Stack) -> str:
    [function] = [f.name for f in stack.cloud.deployments[STACK_NAME].functions()
                  if f.logical_id.startswith("StartPipeline")]
    return function


def invoke_start_pipeline(stack: Stack, event: dict) -> dict:
    """A direct invocation, as someone allowed lambda:InvokeFunction could make one."""
    answer = stack.cloud.client("lambda").invoke(FunctionName=start_pipeline(stack), Payload=json.dumps(event))
    assert "FunctionError" not in answer, answer["Payload"].read()
    return json.loads(answer["Payload"].read())


def physical_id(stack: Stack, resource_type: str, logical_prefix: str) -> str:
    [resource] = [r for lid, r in stack.cloud.deployments[STACK_NAME].resources.items()
                  if r.type == resource_type and lid.startswith(logical_prefix)]
    return resource.physical_id


def executions(stack: Stack) -> list[dict]:
    return stack.executions()
