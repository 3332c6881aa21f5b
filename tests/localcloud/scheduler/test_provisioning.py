"""AWS::Scheduler::ScheduleGroup and AWS::Scheduler::Schedule from a template: created as
CloudFormation creates them, and the schedule then runs."""

from __future__ import annotations

import json

import pytest

from mlops.localcloud.provisioner import ProvisioningError, provision


def _template(tmp_path, stack, resources):
    (tmp_path / f"{stack}.template.json").write_text(json.dumps({"Resources": resources}))


def test_a_provisioned_schedule_in_its_group_runs_its_target(cloud, role_arn, echo_function, tmp_path):
    _template(tmp_path, "Sched", {
        "Group": {"Type": "AWS::Scheduler::ScheduleGroup", "Properties": {"Name": "monitoring"}},
        "Check": {"Type": "AWS::Scheduler::Schedule", "Properties": {
            "Name": "model-data-quality", "GroupName": {"Ref": "Group"},
            "ScheduleExpression": "rate(60 minutes)", "FlexibleTimeWindow": {"Mode": "OFF"},
            "Target": {"Arn": echo_function, "RoleArn": role_arn, "Input": "{\"check\": \"data-quality\"}",
                       "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600}}}},
    })
    deployment = provision(tmp_path, "Sched", endpoint_url=cloud.endpoint_url, region=cloud.region)
    check = deployment.resources["Check"]
    assert check.physical_id == "model-data-quality"
    assert check.attributes["Arn"].endswith(":schedule/monitoring/model-data-quality")
    assert deployment.resources["Group"].attributes["Arn"].endswith(":schedule-group/monitoring")
    described = cloud.client("scheduler").get_schedule(Name="model-data-quality", GroupName="monitoring")
    assert described["Target"]["RetryPolicy"]["MaximumRetryAttempts"] == 2
    assert cloud.schedules.run_now("model-data-quality", group="monitoring") == {"received": {"check": "data-quality"}}


def test_a_bad_expression_fails_provisioning_naming_the_resource(cloud, role_arn, tmp_path):
    _template(tmp_path, "BadSched", {"Check": {"Type": "AWS::Scheduler::Schedule", "Properties": {
        "ScheduleExpression": "rate(1 fortnight)", "FlexibleTimeWindow": {"Mode": "OFF"},
        "Target": {"Arn": "arn:aws:sqs:us-east-1:123456789012:q", "RoleArn": role_arn}}}})
    with pytest.raises(ProvisioningError, match=r"Check.*Invalid Schedule Expression rate\(1 fortnight\)"):
        provision(tmp_path, "BadSched", endpoint_url=cloud.endpoint_url, region=cloud.region)
