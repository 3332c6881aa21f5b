"""StartPipeline: a monitoring alarm's `CloudWatch Alarm State Change` to ALARM -> one retraining
run of the alarm's model, named from the episode, held back by the model's cooldown."""

from __future__ import annotations

import json

import pytest

from lambdas.start_pipeline.handler import lambda_handler
from mlops.config import parse_config
from mlops_core.alarm_retraining import cooldown_record_key
from mlops_core.naming import retraining_execution_name
from tests.lambdas.builders import (
    ACCOUNT,
    ARTIFACTS_BUCKET,
    DATA_BUCKET,
    REGION,
    SETTINGS_PREFIX,
)

DATA = {"bucket": DATA_BUCKET, "key": "datasets/penguins/p.csv", "version_id": "v7", "etag": "e", "size": 10}
DRIFT_ALARM = "MlopsStack-penguins-drift"
ALARM_ARN = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{DRIFT_ALARM}"
FIRST = "2026-11-27T10:00:00.000+0000"


def _settings(cooldown_minutes: int = 360, on_alarm: bool = True) -> dict:
    config = parse_config({"models": [{"name": "penguins", "target": "species", "problem_type": "classification",
                                       "monitoring": {"retraining": {"cooldown_minutes": cooldown_minutes,
                                                                     "on_alarm": on_alarm}}}]})
    return config.models[0].settings_document(region=REGION, submit_directory="s3://b/k.tar.gz")


def _alarm_event(*, timestamp: str = FIRST, value: str = "ALARM", name: str = DRIFT_ALARM,
                 arn: str = ALARM_ARN) -> dict:
    return {"version": "0", "id": "e1", "source": "aws.cloudwatch", "detail-type": "CloudWatch Alarm State Change",
            "account": ACCOUNT, "region": REGION, "time": timestamp[:19] + "Z", "resources": [arn],
            "detail": {"alarmName": name,
                       "state": {"value": value, "timestamp": timestamp,
                                 "reason": "Threshold Crossed: 1 datapoint [0.4 (27/11/26 09:00:00)] was greater "
                                           "than the threshold (0.0)."},
                       "previousState": {"value": "OK", "timestamp": "2026-11-27T09:00:00.000+0000", "reason": ""},
                       "configuration": {"metrics": []}}}


@pytest.fixture
def monitored(s3, ssm, state_machine_arn, request):
    cooldown = getattr(request, "param", 360)
    ssm.put_parameter(Name=f"{SETTINGS_PREFIX}penguins", Value=json.dumps(_settings(cooldown)), Type="String")
    record = {"model": "penguins", "data": DATA, "run_id": "up-penguins-0123456789abcdef"}
    s3.put_object(Bucket=ARTIFACTS_BUCKET, Key="models/penguins/data/latest.json", Body=json.dumps(record))
    return state_machine_arn


def _runs(sfn, arn) -> list[str]:
    return [execution["name"] for execution in sfn.list_executions(stateMachineArn=arn)["executions"]]


def test_an_alarm_starts_one_retraining_named_from_its_episode(monitored, sfn, s3, lambda_context):
    result = lambda_handler(_alarm_event(), lambda_context)
    expected = retraining_execution_name("penguins", f"{ALARM_ARN}|{FIRST}")
    assert (result["status"], result["model"], result["execution_name"]) == ("started", "penguins", expected)
    assert _runs(sfn, monitored) == [expected]
    [execution] = sfn.list_executions(stateMachineArn=monitored)["executions"]
    execution_input = json.loads(sfn.describe_execution(executionArn=execution["executionArn"])["input"])
    assert execution_input["retraining"]["episode"] == f"{ALARM_ARN}|{FIRST}"
    assert execution_input["retraining"]["reason"].startswith(f"drift alarm {DRIFT_ALARM} in ALARM since {FIRST}")
    record = json.loads(s3.get_object(Bucket=ARTIFACTS_BUCKET, Key=cooldown_record_key("penguins"))["Body"].read())
    assert (record["episode"], record["execution_name"]) == (f"{ALARM_ARN}|{FIRST}", expected)


def test_the_same_episode_delivered_twice_starts_one_run(monitored, sfn, lambda_context):
    first = lambda_handler(_alarm_event(), lambda_context)
    second = lambda_handler(_alarm_event(), lambda_context)
    # Step Functions answers the same name with the same input as the same run (started) and
    # with another input as ExecutionAlreadyExists (duplicate): one run either way.
    assert second["status"] in ("started", "duplicate") and second["execution_arn"] == first["execution_arn"]
    assert len(_runs(sfn, monitored)) == 1


def test_another_episode_within_the_cooldown_is_ignored_with_the_reason(monitored, sfn, lambda_context):
    lambda_handler(_alarm_event(), lambda_context)
    result = lambda_handler(_alarm_event(timestamp="2026-11-27T15:59:00.000+0000"), lambda_context)
    assert result["status"] == "ignored" and result["model"] == "penguins"
    assert "less than the cooldown of 360 minutes" in result["reason"]
    assert len(_runs(sfn, monitored)) == 1


def test_an_episode_after_the_cooldown_starts_another_run(monitored, sfn, lambda_context):
    lambda_handler(_alarm_event(), lambda_context)
    result = lambda_handler(_alarm_event(timestamp="2026-11-27T16:00:00.000+0000"), lambda_context)
    assert result["status"] == "started" and len(_runs(sfn, monitored)) == 2


@pytest.mark.parametrize("monitored", [0], indirect=True)
def test_no_cooldown_writes_no_record_and_holds_nothing_back(monitored, sfn, s3, lambda_context):
    lambda_handler(_alarm_event(), lambda_context)
    lambda_handler(_alarm_event(timestamp="2026-11-27T10:05:00.000+0000"), lambda_context)
    assert len(_runs(sfn, monitored)) == 2
    assert "Contents" not in s3.list_objects_v2(Bucket=ARTIFACTS_BUCKET, Prefix="models/penguins/retraining/")


def test_a_concurrent_delivery_that_wrote_first_wins(monitored, sfn, s3, lambda_context):
    # Another episode claimed the record between this delivery's read and its write: the
    # conditional write loses, the record is read again, and the cooldown holds this one back.
    other = {"model": "penguins", "episode": "other", "alarm_name": DRIFT_ALARM, "alarm_time": FIRST,
             "execution_name": "rt-penguins-other", "recorded_at": FIRST}
    s3.put_object(Bucket=ARTIFACTS_BUCKET, Key=cooldown_record_key("penguins"), Body=json.dumps(other))
    result = lambda_handler(_alarm_event(timestamp="2026-11-27T10:01:00.000+0000"), lambda_context)
    assert result["status"] == "ignored" and "rt-penguins-other" in result["reason"]
    assert _runs(sfn, monitored) == []


def test_an_alarm_back_to_ok_is_ignored(monitored, sfn, lambda_context):
    result = lambda_handler(_alarm_event(value="OK"), lambda_context)
    assert result["status"] == "ignored" and "changed to OK, not ALARM" in result["reason"]
    assert _runs(sfn, monitored) == []


def test_an_unknown_alarm_is_ignored(monitored, sfn, lambda_context):
    name = "MlopsStack-penguins-5xx"
    result = lambda_handler(_alarm_event(name=name, arn=f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{name}"),
                            lambda_context)
    assert result["status"] == "ignored" and "is not a drift or model-quality alarm" in result["reason"]
    assert _runs(sfn, monitored) == []


def test_an_alarm_of_another_account_is_ignored(monitored, sfn, lambda_context):
    result = lambda_handler(_alarm_event(arn=f"arn:aws:cloudwatch:{REGION}:999999999999:alarm:{DRIFT_ALARM}"),
                            lambda_context)
    assert result["status"] == "ignored" and "another account or region" in result["reason"]


def test_retraining_on_alarm_switched_off_is_ignored(s3, ssm, state_machine_arn, sfn, lambda_context):
    ssm.put_parameter(Name=f"{SETTINGS_PREFIX}penguins", Value=json.dumps(_settings(on_alarm=False)), Type="String")
    result = lambda_handler(_alarm_event(), lambda_context)
    assert result["status"] == "ignored" and "on_alarm is off" in result["reason"]


def test_an_alarm_event_without_a_state_timestamp_is_an_error(monitored, lambda_context):
    event = _alarm_event()
    del event["detail"]["state"]["timestamp"]
    with pytest.raises(ValueError, match="detail.state.timestamp"):
        lambda_handler(event, lambda_context)
