"""What the endpoint API answers: refusals as SageMaker words them, DescribeEndpoint at every
moment of an update, the events, and the other endpoint calls (fake fleets, virtual time)."""

from __future__ import annotations

import time

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from mlops.localcloud.serving.control import api
from tests.localcloud.serving_control.conftest import ACCOUNT, REGION, ROLE, canary, deployment

CAPTURE = {"EnableCapture": True, "InitialSamplingPercentage": 50, "DestinationS3Uri": "s3://bucket/data-capture",
           "KmsKeyId": "alias/capture", "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}]}


def refused(call, **kwargs) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    return caught.value.response["Error"]["Message"]


def green(plane, config="green", model="model-green", **kwargs) -> str:
    plane.model(model)
    return plane.config(config, model, **kwargs)


def test_describe_during_the_canary_shows_both_fleets_weights_and_the_pending_deployment(plane):
    plane.endpoint()
    green(plane)
    seen = []
    plane.clock.at(30.0, lambda: seen.append(plane.sm.describe_endpoint(EndpointName="ep")))
    config = canary(10, wait=60, termination=30)
    plane.sm.update_endpoint(EndpointName="ep", EndpointConfigName="green", DeploymentConfig=config)
    plane.settle("ep")
    [during] = seen
    assert (during["EndpointStatus"], during["EndpointConfigName"]) == ("Updating", "blue")
    assert (during["ProductionVariants"][0]["CurrentWeight"], during["ProductionVariants"][0]["DesiredWeight"]) \
        == (0.9, 1.0)
    pending = during["PendingDeploymentSummary"]
    [variant] = pending["ProductionVariants"]
    assert pending["EndpointConfigName"] == "green" and "StartTime" in pending
    assert (variant["CurrentWeight"], variant["CurrentInstanceCount"], variant["InstanceType"]) == \
        (0.1, 1, "ml.m5.large")
    [status] = variant["VariantStatus"]
    assert status["Status"] == "Baking"
    assert status["StatusMessage"] == ("Baking for 60 seconds (WaitIntervalInSeconds) with traffic enabled on "
                                       "canary capacity of 1 instance(s).")
    assert during["LastDeploymentConfig"] == config


def test_an_update_while_updating_is_refused_as_in_progress(plane):
    plane.endpoint()
    green(plane)
    green(plane, "third", "model-third")
    messages = []
    plane.clock.at(10.0, lambda: messages.append(refused(plane.sm.update_endpoint, EndpointName="ep",
                                                         EndpointConfigName="third")))
    plane.sm.update_endpoint(EndpointName="ep", EndpointConfigName="green", DeploymentConfig=canary())
    assert plane.settle("ep")["EndpointConfigName"] == "green"
    assert messages == [f'Cannot update in-progress endpoint "arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/ep".']


def test_rollback_alarms_must_exist(plane):
    plane.endpoint()
    green(plane)
    plane.alarm("known")
    message = refused(plane.sm.update_endpoint, EndpointName="ep", EndpointConfigName="green",
                      DeploymentConfig=canary(alarms=["known", "missing-alarm"]))
    assert message.startswith("The alarm(s) missing-alarm named in DeploymentConfig.AutoRollbackConfiguration do "
                              "not exist")
    assert plane.settle("ep")["EndpointStatus"] == "InService"


@pytest.mark.parametrize("request_kwargs, words", [
    ({"EndpointName": "nope", "EndpointConfigName": "green"},
     f'Could not find endpoint "arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/nope".'),
    ({"EndpointName": "ep", "EndpointConfigName": "nope"},
     f'Could not find endpoint configuration "arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint-config/nope".'),
    ({"EndpointName": "ep", "EndpointConfigName": "renamed", "DeploymentConfig": canary()},
     "same production variant names"),
    ({"EndpointName": "ep", "EndpointConfigName": "green", "DeploymentConfig": canary(70)},
     "CanarySize must be at most 50%"),
])
def test_bad_updates_are_refused_naming_the_problem(plane, request_kwargs, words):
    plane.endpoint()
    green(plane)
    green(plane, "renamed", "model-renamed", variant="Other")
    assert words in refused(plane.sm.update_endpoint, **request_kwargs)


def test_create_refuses_an_existing_endpoint_and_a_missing_config(plane):
    plane.endpoint()
    assert refused(plane.sm.create_endpoint, EndpointName="ep", EndpointConfigName="blue") == \
        f'Cannot create already existing endpoint "arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/ep".'
    assert "Could not find endpoint configuration" in refused(plane.sm.create_endpoint, EndpointName="other",
                                                              EndpointConfigName="missing")


def test_the_update_sends_endpoint_and_deployment_state_change_events(plane):
    plane.endpoint()
    green(plane)
    plane.sm.update_endpoint(EndpointName="ep", EndpointConfigName="green", DeploymentConfig=canary())
    plane.settle("ep")
    states = [e["detail"]["EndpointStatus"] for e in plane.events
              if e["detail-type"] == "SageMaker Endpoint State Change"]
    assert states == ["CREATING", "IN_SERVICE", "UPDATING", "IN_SERVICE"]
    deployments = [e for e in plane.events if e["detail-type"] == "SageMaker Endpoint Deployment State Change"]
    statuses = [e["detail"]["PendingDeploymentSummary"]["ProductionVariants"][0]["VariantStatus"][0]["Status"]
                for e in deployments if "PendingDeploymentSummary" in e["detail"]]
    assert statuses[:3] == ["Creating", "ActivatingTraffic", "Baking"]
    event = deployments[0]
    assert event["source"] == "aws.sagemaker"
    assert event["resources"] == [f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/ep"]
    assert isinstance(event["detail"]["CreationTime"], int)


def test_weights_and_capacities_reroute_and_resize_the_fleet(plane):
    plane.endpoint()
    plane.sm.update_endpoint_weights_and_capacities(EndpointName="ep", DesiredWeightsAndCapacities=[
        {"VariantName": "AllTraffic", "DesiredInstanceCount": 2, "DesiredWeight": 3.0}])
    [variant] = plane.settle("ep")["ProductionVariants"]
    assert (variant["DesiredInstanceCount"], variant["CurrentInstanceCount"], variant["DesiredWeight"]) == (2, 2, 3.0)
    assert [f.spec.instance_count for f in plane.fleets.running()] == [2]
    assert plane.controller.history("ep")[-1].reason == "weights and capacities"
    assert "not present" in refused(plane.sm.update_endpoint_weights_and_capacities, EndpointName="ep",
                                    DesiredWeightsAndCapacities=[{"VariantName": "Nope", "DesiredWeight": 1.0}])


def test_retained_variant_properties_carry_over_to_the_new_config(plane):
    plane.endpoint()
    plane.sm.update_endpoint_weights_and_capacities(EndpointName="ep", DesiredWeightsAndCapacities=[
        {"VariantName": "AllTraffic", "DesiredInstanceCount": 3}])
    plane.settle("ep")
    green(plane)
    plane.sm.update_endpoint(EndpointName="ep", EndpointConfigName="green", RetainAllVariantProperties=True)
    assert plane.settle("ep")["ProductionVariants"][0]["DesiredInstanceCount"] == 3


def test_shadow_variants_are_kept_started_and_mirrored_by_their_weight(plane):
    plane.model("model-shadow")
    described = plane.endpoint(shadow={"VariantName": "Shadow", "ModelName": "model-shadow",
                                       "InitialVariantWeight": 0.5}, capture=CAPTURE)
    assert plane.sm.describe_endpoint_config(EndpointConfigName="blue")["ShadowProductionVariants"][0][
        "VariantName"] == "Shadow"
    assert described["ShadowProductionVariants"][0]["VariantName"] == "Shadow"
    assert [(f.spec.variant_name, f.spec.shadow) for f in plane.fleets.running()] == [
        ("AllTraffic", False), ("Shadow", True)]
    [(_, routes)] = plane.router.tables["ep"]
    assert [(f.spec.variant_name, w) for f, w in routes.shadows] == [("Shadow", 0.5)]
    assert described["DataCaptureConfig"] == {"EnableCapture": True, "CaptureStatus": "Started",
                                              "CurrentSamplingPercentage": 50,
                                              "DestinationS3Uri": "s3://bucket/data-capture",
                                              "KmsKeyId": "alias/capture"}
    assert plane.fleets.running()[0].spec.data_capture == CAPTURE


def test_delete_stops_routing_and_closes_the_fleets(plane):
    plane.endpoint()
    plane.sm.delete_endpoint(EndpointName="ep")
    assert plane.router.removed == ["ep"]
    deadline = time.time() + 5
    while plane.fleets.running() and time.time() < deadline:
        time.sleep(0.01)
    assert plane.fleets.running() == []
    assert "Could not find endpoint" in refused(plane.sm.describe_endpoint, EndpointName="ep")


def test_linear_needs_a_step_size_in_range(plane):
    plane.endpoint()
    green(plane)
    config = deployment("LINEAR", 5, 0, LinearStepSize={"Type": "CAPACITY_PERCENT", "Value": 75})
    assert "LinearStepSize must be between 10% and 50%" in refused(
        plane.sm.update_endpoint, EndpointName="ep", EndpointConfigName="green", DeploymentConfig=config)


def test_a_closed_controller_hands_endpoints_back_to_moto(plane):
    plane.controller.close()
    assert api._active.controller is None


def test_without_a_controller_update_endpoint_makes_the_new_config_active_at_once():
    api.install(None)  # patched, as in any process that ever started an embedded cloud
    with mock_aws():
        sm = boto3.client("sagemaker", region_name=REGION)
        for name in ("blue", "green"):
            sm.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "image"})
            sm.create_endpoint_config(EndpointConfigName=name, ProductionVariants=[{
                "VariantName": "AllTraffic", "ModelName": name, "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1}])
        sm.create_endpoint(EndpointName="ep", EndpointConfigName="blue")
        sm.update_endpoint(EndpointName="ep", EndpointConfigName="green")
        described = sm.describe_endpoint(EndpointName="ep")
        assert (described["EndpointStatus"], described["EndpointConfigName"]) == ("InService", "green")
        assert "Could not find endpoint configuration" in refused(sm.update_endpoint, EndpointName="ep",
                                                                  EndpointConfigName="nope")


def test_a_serverless_variant_is_refused_naming_it(plane):
    plane.model("model-blue")
    plane.sm.create_endpoint_config(EndpointConfigName="serverless", ProductionVariants=[{
        "VariantName": "AllTraffic", "ModelName": "model-blue",
        "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 2}}])
    message = refused(plane.sm.create_endpoint, EndpointName="ep", EndpointConfigName="serverless")
    assert "Variant 'AllTraffic' of endpoint configuration 'serverless' has no InstanceType" in message
    assert "Could not find endpoint" in refused(plane.sm.describe_endpoint, EndpointName="ep")
