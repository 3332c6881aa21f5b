"""DeploymentConfig -> traffic steps, and the checks SageMaker makes on it."""

from __future__ import annotations

import pytest
from moto.sagemaker.exceptions import ValidationError

from mlops.localcloud.serving.control.plan import plan_deployment
from tests.localcloud.serving_control.conftest import canary, deployment

ONE = {"AllTraffic": 1}


def steps(plan) -> list[tuple[float, int, str]]:
    return [(round(s.fraction, 4), s.bake_seconds, s.reason) for s in plan.shifts]


def test_canary_is_the_canary_share_for_the_wait_interval_then_all_traffic():
    plan = plan_deployment(canary(10, wait=60, termination=30, alarms=["a"]), instance_counts=ONE)
    assert steps(plan) == [(0.1, 60, "canary"), (1.0, 0, "all traffic")]
    assert (plan.termination_wait, plan.alarms, plan.total_wait) == (30, ("a",), 90)


def test_linear_shifts_one_step_size_per_wait_interval():
    plan = plan_deployment(deployment("LINEAR", 20, 5, LinearStepSize={"Type": "CAPACITY_PERCENT", "Value": 25}),
                           instance_counts=ONE)
    assert steps(plan) == [(0.25, 20, "linear step 1 of 4"), (0.5, 20, "linear step 2 of 4"),
                           (0.75, 20, "linear step 3 of 4"), (1.0, 0, "linear step 4 of 4: all traffic")]


def test_a_step_that_does_not_divide_100_ends_with_the_remainder():
    plan = plan_deployment(deployment("LINEAR", 1, 0, LinearStepSize={"Type": "CAPACITY_PERCENT", "Value": 40}),
                           instance_counts=ONE)
    assert [s[0] for s in steps(plan)] == [0.4, 0.8, 1.0]


def test_instance_count_sizes_are_shares_of_the_variants_instances():
    plan = plan_deployment(deployment("CANARY", 5, 0, CanarySize={"Type": "INSTANCE_COUNT", "Value": 1}),
                           instance_counts={"AllTraffic": 4})
    assert steps(plan)[0] == (0.25, 5, "canary")
    assert plan.shifts[0].instances == 1 and plan.shifts[-1].instances == 4


@pytest.mark.parametrize("config", [None, {}, deployment("ALL_AT_ONCE", 60, 0)])
def test_no_deployment_config_or_all_at_once_moves_all_traffic_in_one_step(config):
    plan = plan_deployment(config, instance_counts=ONE)
    assert steps(plan) == [(1.0, 0, "all traffic")]
    assert plan.timeout is None


@pytest.mark.parametrize("config, words", [
    (deployment("CANARY", 5, 0), "CanarySize is required"),
    (deployment("LINEAR", 5, 0), "LinearStepSize is required"),
    (deployment("ALL_AT_ONCE", 5, 0, CanarySize={"Type": "CAPACITY_PERCENT", "Value": 10}),
     "CanarySize is only valid when TrafficRoutingConfiguration Type is CANARY"),
    (canary(60), "CanarySize must be at most 50%"),
    (deployment("LINEAR", 5, 0, LinearStepSize={"Type": "CAPACITY_PERCENT", "Value": 5}),
     "LinearStepSize must be between 10% and 50%"),
    (deployment("CANARY", 5, 0, CanarySize={"Type": "INSTANCE_COUNT", "Value": 1}),
     "1 instance(s) of the 1 of variant 'AllTraffic'"),
    (deployment("CANARY", 5, 0, CanarySize={"Type": "SOME", "Value": 1}), "[INSTANCE_COUNT, CAPACITY_PERCENT]"),
    (deployment("SLOW", 5, 0), "Member must satisfy enum value set: [ALL_AT_ONCE, CANARY, LINEAR]"),
    (canary(wait=4000), "waitIntervalInSeconds' failed to satisfy constraint: Member must have value less than "
                        "or equal to 3600"),
    (canary(wait=400, termination=300, policy={"MaximumExecutionTimeoutInSeconds": 600}),
     "MaximumExecutionTimeoutInSeconds (600) must be larger than the total waiting time of the deployment (700"),
    ({"RollingUpdatePolicy": {"MaximumBatchSize": {"Type": "INSTANCE_COUNT", "Value": 1},
                              "WaitIntervalInSeconds": 0}}, "RollingUpdatePolicy is not supported"),
    (canary(alarms=[f"a{i}" for i in range(11)]), "has 11 alarms; at most 10"),
])
def test_a_config_sagemaker_refuses_is_refused_naming_the_problem(config, words):
    with pytest.raises(ValidationError) as caught:
        plan_deployment(config, instance_counts=ONE)
    assert words in caught.value.message
