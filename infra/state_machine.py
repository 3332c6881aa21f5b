"""The set-up every pipeline state machine shares: its own log group under /aws/vendedlogs/
(which keeps Step Functions' log delivery clear of the CloudWatch Logs resource-policy size
limit), full execution logging without the data (inputs may name customers' objects) and X-Ray
tracing. Children keep the ids "Logs" and "StateMachine" so templates do not change."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct


def logged_state_machine(scope: Construct, *, log_name: str, chain: sfn.IChainable,
                         comment: str) -> tuple[sfn.StateMachine, logs.LogGroup]:
    """`log_name`: the group's name after /aws/vendedlogs/states/, e.g. `<stack>-training-pipeline`."""
    log_group = logs.LogGroup(
        scope, "Logs",
        log_group_name=f"/aws/vendedlogs/states/{log_name}",
        retention=logs.RetentionDays.ONE_MONTH,
        removal_policy=cdk.RemovalPolicy.DESTROY,
    )
    state_machine = sfn.StateMachine(
        scope, "StateMachine",
        definition_body=sfn.DefinitionBody.from_chainable(chain),
        comment=comment,
        logs=sfn.LogOptions(destination=log_group, level=sfn.LogLevel.ALL, include_execution_data=False),
        tracing_enabled=True,
    )
    return state_machine, log_group
