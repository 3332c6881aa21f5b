"""RecordAcceptedData: once validation and preparation accepted an object version, the run
writes it to `models/<model>/data/latest.json` in the artifacts bucket, so a retraining run
can start on the model's latest accepted data without a new upload (lambdas/start_pipeline).

The record is written before training: the data was accepted even if the model trained on it
is later rejected by the gate.
"""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.common import catch_all, fail_state

RECORD_PATH = "$.accepted_data"


def accepted_data_stage(scope: Construct, *, iam_resources: list[str], next_state: sfn.IChainable) -> sfn.IChainable:
    """`iam_resources`: the `latest.json` object ARNs of the configured models."""
    record = sfn.Pass(
        scope, "AcceptedDataRecord",
        parameters={
            "model": sfn.JsonPath.string_at("$.model"),
            "data": sfn.JsonPath.object_at("$.data"),
            "run_id": sfn.JsonPath.string_at("$.run_id"),
            "execution_arn": sfn.JsonPath.execution_id,
            "accepted_at": sfn.JsonPath.string_at("$$.State.EnteredTime"),
        },
        result_path=RECORD_PATH,
    )
    write = tasks.CallAwsService(
        scope, "RecordAcceptedData",
        service="s3", action="putObject", iam_resources=iam_resources,
        iam_action="s3:PutObject",  # IAM's own spelling: policy checkers match it case-sensitively
        parameters={
            "Bucket": sfn.JsonPath.string_at("$.objects.accepted_data.Bucket"),
            "Key": sfn.JsonPath.string_at("$.objects.accepted_data.Key"),
            "Body": sfn.JsonPath.json_to_string(sfn.JsonPath.object_at(RECORD_PATH)),
            "ContentType": "application/json",
        },
        result_path=sfn.JsonPath.DISCARD,
    )
    catch_all(write, fail_state(scope, "PreparationFailed"))
    return record.next(write).next(next_state)
