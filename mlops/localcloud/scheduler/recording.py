"""What EventBridge Scheduler itself needs IAM to allow, for the IAM check.

Scheduler assumes each target's execution role as scheduler.amazonaws.com, for the schedule's
group (AWS's documented trust condition is `aws:SourceArn` = the schedule group's ARN), so the
role's trust policy must allow that. The calls made with the role's credentials afterwards are
recorded by moto's request hook as that role's, like any other caller's.
"""

from __future__ import annotations

from mlops.localcloud.iam import recording as iam_recording
from mlops.localcloud.iam.authorization import Authorization, pairs

SCHEDULER = "scheduler.amazonaws.com"


def record_assume_role(role_arn: str, *, schedule_name: str, group_arn: str) -> None:
    # Set only while a cloud runs with iam_check=True (recording.activate).
    recorder = iam_recording._active
    if recorder is None:
        return
    account = group_arn.split(":")[4]
    needed = Authorization("sts:AssumeRole", role_arn, pairs({"aws:SourceArn": group_arn, "aws:SourceAccount": account}),
                           SCHEDULER, note="EventBridge Scheduler assumes the target's role to invoke it")
    recorder.record_service_call("sts.AssumeRole", f"EventBridge Scheduler schedule {schedule_name}", [needed],
                                 None, group_arn)
