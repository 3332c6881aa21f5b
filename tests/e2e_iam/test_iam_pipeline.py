"""The unmodified stack: upload -> EventBridge -> StartPipeline -> state machine -> Lambda
validation and split -> SageMaker training and evaluation -> registry, with every AWS call
checked against the role that made it. The `no_refused_calls` fixture fails this test on any
refused call; the assertions below show the check saw every kind of component at work."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def penguins_run(stack, penguins_csv):
    mark = stack.cloud.iam.mark()
    _, summary = stack.run("datasets/penguins/penguins.csv", penguins_csv)
    stack.cloud.bus.wait_idle()
    return summary, stack.cloud.iam.calls[mark.calls:], stack.cloud.iam.findings(since=mark)


def test_upload_to_registration_needs_no_permission_the_roles_lack(penguins_run):
    summary, _, found = penguins_run
    assert summary.status == "SUCCEEDED", (summary.failed_state, summary.error, summary.cause)
    assert found.ok, found.text()
    assert found.calls > 20 and found.permissions > 20


def test_every_kind_of_component_was_checked(stack, penguins_run):
    _, calls, _ = penguins_run
    callers = {stack.cloud.iam.caller_of(call) for call in calls}
    for kind in ("Lambda function", "state machine", "SageMaker job", "EventBridge rule"):
        assert any(caller.startswith(kind) for caller in callers), (kind, callers)


def test_the_permissions_checked_are_the_ones_aws_would_check(penguins_run):
    _, calls, _ = penguins_run
    needed = {(call.operation, a.action) for call in calls for a in call.authorizations}
    # A versioned read is s3:GetObjectVersion; writes into the KMS-encrypted buckets need the
    # key; passing the job role needs iam:PassRole; EventBridge invokes through the function policy.
    assert ("s3.GetObject", "s3:GetObjectVersion") in needed
    assert ("s3.PutObject", "kms:GenerateDataKey") in needed
    assert ("sagemaker.CreateTrainingJob", "iam:PassRole") in needed
    assert ("s3.ListObjectsV2", "s3:ListBucket") in needed
    assert any(op.startswith("events.Deliver") and action == "lambda:InvokeFunction" for op, action in needed)

