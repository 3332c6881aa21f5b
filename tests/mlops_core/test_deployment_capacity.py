"""Endpoint instance quota before a blue/green update: each update step must fit."""

from __future__ import annotations

from collections import Counter

from mlops_core.endpoint_capacity import Fleet, judge, quota_name, update_steps

OURS = "MlopsStack-penguins"
FLEETS = [Fleet(OURS, "AllTraffic", "ml.m5.large", 2), Fleet("other", "AllTraffic", "ml.m5.large", 1),
          Fleet("other", "AllTraffic-shadow", "ml.c5.large", 1)]


def test_an_update_without_shadow_adds_the_new_fleet():
    assert update_steps(endpoint=OURS, instance_type="ml.m5.large", instance_count=2, shadow=False,
                        fleets=FLEETS) == [Counter({"ml.m5.large": 2})]


def test_a_shadow_test_copies_production_then_runs_the_candidate_twice():
    steps = update_steps(endpoint=OURS, instance_type="ml.c5.xlarge", instance_count=1, shadow=True, fleets=FLEETS)
    assert steps == [Counter({"ml.m5.large": 2, "ml.c5.xlarge": 1}), Counter({"ml.c5.xlarge": 2})]


def test_enough_quota_passes_with_the_figures_recorded():
    verdict = judge(endpoint=OURS, steps=[Counter({"ml.m5.large": 2})], fleets=FLEETS,
                    quotas={"ml.m5.large": (5.0, "applied")})
    assert verdict.sufficient and verdict.cause is None and verdict.warnings == []
    assert verdict.checks == [{"quota_name": "ml.m5.large for endpoint usage", "quota": 5.0, "origin": "applied",
                               "in_use": 3, "needed": 2}]


def test_too_little_quota_fails_naming_quota_value_in_use_and_needed():
    verdict = judge(endpoint=OURS, steps=[Counter({"ml.m5.large": 2})], fleets=FLEETS,
                    quotas={"ml.m5.large": (4.0, "default")})
    assert not verdict.sufficient
    assert ("Not enough SageMaker endpoint instance quota to update endpoint MlopsStack-penguins: quota "
            "'ml.m5.large for endpoint usage' is 4 (default), 3 in use, 2 more needed.") in verdict.cause
    assert "Service Quotas" in verdict.cause and "serving.instance_count" in verdict.cause


def test_the_largest_step_of_each_instance_type_counts():
    steps = [Counter({"ml.m5.large": 2, "ml.c5.xlarge": 1}), Counter({"ml.c5.xlarge": 2})]
    verdict = judge(endpoint=OURS, steps=steps, fleets=FLEETS,
                    quotas={"ml.m5.large": (5.0, "applied"), "ml.c5.xlarge": (1.0, "default")})
    assert not verdict.sufficient
    assert "'ml.c5.xlarge for endpoint usage' is 1 (default), 0 in use, 2 more needed" in verdict.cause
    assert "ml.m5.large for endpoint usage" not in verdict.cause


def test_a_quota_that_cannot_be_found_is_a_warning_not_a_failure():
    verdict = judge(endpoint=OURS, steps=[Counter({"ml.p5.48xlarge": 1})], fleets=FLEETS,
                    quotas={"ml.p5.48xlarge": None})
    assert verdict.sufficient and verdict.checks == []
    assert verdict.warnings == [f"no Service Quotas entry '{quota_name('ml.p5.48xlarge')}' was found; "
                                "the update goes ahead unchecked"]
