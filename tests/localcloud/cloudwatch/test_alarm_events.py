"""What a state change sends and records: the EventBridge event, alarm history, SNS actions;
and SetAlarmState, which holds until the next evaluation says otherwise."""

from __future__ import annotations

import json
import time

from tests.localcloud.cloudwatch.alarm_support import NAMESPACE, alarm, put, queue_arn, received, state

DIMENSIONS = [{"Name": "EndpointName", "Value": "penguins"}, {"Name": "VariantName", "Value": "AllTraffic"}]


def test_state_change_event_reaches_a_rule(cloud, cw, clock, name, state_changes):
    alarm(cw, name, Dimensions=DIMENSIONS, AlarmDescription="5XX errors of the endpoint")
    put(cw, name, when=clock.start - 4, value=2.0, dimensions=DIMENSIONS)
    cloud.alarms.evaluate_now()
    [event] = received(cloud, state_changes, 1)
    arn = state(cw, name)["AlarmArn"]
    assert (event["source"], event["detail-type"], event["resources"], event["account"], event["region"]) == (
        "aws.cloudwatch", "CloudWatch Alarm State Change", [arn], cloud.account, cloud.region)
    detail = event["detail"]
    assert detail["alarmName"] == name
    assert detail["state"]["value"] == "ALARM"
    assert detail["state"]["reason"] == state(cw, name)["StateReason"]
    assert json.loads(detail["state"]["reasonData"])["evaluatedDatapoints"][0]["value"] == 2.0
    assert detail["state"]["timestamp"].endswith(".500+0000")
    assert detail["previousState"] == {"value": "INSUFFICIENT_DATA", "reason": "Unchecked: Initial alarm creation",
                                       "timestamp": detail["previousState"]["timestamp"]}
    [metric] = detail["configuration"]["metrics"]
    assert metric["metricStat"] == {
        "metric": {"namespace": NAMESPACE, "name": name, "dimensions": {"EndpointName": "penguins",
                                                                        "VariantName": "AllTraffic"}},
        "period": 10, "stat": "Sum"}
    assert metric["returnData"] is True and detail["configuration"]["description"] == "5XX errors of the endpoint"


def test_no_event_while_the_state_holds(cloud, cw, clock, name, state_changes):
    alarm(cw, name)
    put(cw, name, when=clock.start - 4, value=2.0)
    put(cw, name, when=clock.start + 4, value=5.0)
    cloud.alarms.evaluate_now()
    clock.advance(10)
    cloud.alarms.evaluate_now()
    assert len(received(cloud, state_changes, 2, timeout=1.5)) == 1


def test_history_records_each_state_update(cloud, cw, clock, name):
    alarm(cw, name)
    put(cw, name, when=clock.start - 4, value=2.0)
    cloud.alarms.evaluate_now()
    put(cw, name, when=clock.start + 4, value=0.0)
    clock.advance(10)
    cloud.alarms.evaluate_now()
    items = cw.describe_alarm_history(AlarmName=name)["AlarmHistoryItems"]
    assert [(i["HistoryItemType"], i["HistorySummary"]) for i in items] == [
        ("StateUpdate", "Alarm updated from ALARM to OK"),
        ("StateUpdate", "Alarm updated from INSUFFICIENT_DATA to ALARM"),
        ("ConfigurationUpdate", f'Alarm "{name}" created')]
    data = json.loads(items[0]["HistoryData"])
    assert data["version"] == "1.0"
    assert (data["oldState"]["stateValue"], data["newState"]["stateValue"]) == ("ALARM", "OK")
    assert data["oldState"]["stateReason"].startswith("Threshold Crossed: 1 datapoint [2.0 (")
    assert data["newState"]["stateReasonData"]["evaluatedDatapoints"][0]["value"] == 0.0
    first = cw.describe_alarm_history(AlarmName=name, MaxRecords=1, ScanBy="TimestampAscending")
    second = cw.describe_alarm_history(AlarmName=name, MaxRecords=1, ScanBy="TimestampAscending",
                                       NextToken=first["NextToken"])
    assert [i["HistoryItemType"] for i in first["AlarmHistoryItems"] + second["AlarmHistoryItems"]] == [
        "ConfigurationUpdate", "StateUpdate"]


def test_sns_alarm_action_publishes_cloudwatchs_notification(cloud, cw, clock, name):
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    topic = sns.create_topic(Name=name[:256])["TopicArn"]
    url = sqs.create_queue(QueueName=f"{name[:60]}-sns")["QueueUrl"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn(sqs, url))
    alarm(cw, name, AlarmActions=[topic])
    put(cw, name, when=clock.start - 4, value=2.0)
    cloud.alarms.evaluate_now()
    [envelope] = received(cloud, url, 1)
    assert envelope["Subject"] == f'ALARM: "{name}" in US East (N. Virginia)'
    message = json.loads(envelope["Message"])
    assert (message["AlarmName"], message["NewStateValue"], message["OldStateValue"]) == (
        name, "ALARM", "INSUFFICIENT_DATA")
    assert message["NewStateReason"] == state(cw, name)["StateReason"]
    assert message["Trigger"]["MetricName"] == name and message["Trigger"]["Statistic"] == "SUM"
    actions = cw.describe_alarm_history(AlarmName=name, HistoryItemType="Action")["AlarmHistoryItems"]
    assert [a["HistorySummary"] for a in actions] == [f"Successfully executed action {topic}"]


def test_set_alarm_state_holds_until_the_next_evaluation(cloud, cw, clock, name, state_changes):
    alarm(cw, name)
    put(cw, name, when=clock.start - 4, value=0.0)
    cloud.alarms.evaluate_now()
    cw.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="testing the pager")
    time.sleep(1.2)  # the background evaluator ticks, but the alarm is not due before the next period
    assert (state(cw, name)["StateValue"], state(cw, name)["StateReason"]) == ("ALARM", "testing the pager")
    put(cw, name, when=clock.start + 4, value=0.0)
    clock.advance(10)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "OK"
    events = received(cloud, state_changes, 3)  # EventBridge does not promise their order
    changes = {(e["detail"]["previousState"]["value"], e["detail"]["state"]["value"]): e for e in events}
    assert sorted(changes) == [("ALARM", "OK"), ("INSUFFICIENT_DATA", "OK"), ("OK", "ALARM")]
    assert changes[("OK", "ALARM")]["detail"]["state"]["reason"] == "testing the pager"
