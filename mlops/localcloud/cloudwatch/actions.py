"""Alarm actions: an SNS topic in AlarmActions / OKActions / InsufficientDataActions gets
CloudWatch's notification when the alarm enters that state (and its actions are enabled).

The message is CloudWatch's JSON notification (AlarmName, NewStateValue, NewStateReason,
StateChangeTime, Region as its long name, Trigger, ...) with the subject
`ALARM: "<name>" in US East (N. Virginia)`, published through moto's SNS so its subscriptions
(SQS, Lambda, ...) receive it. Each action leaves an Action history item. Other action types
(Auto Scaling, EC2, Systems Manager, Lambda) are not run here; their history item says so.
"""

from __future__ import annotations

import json
from functools import lru_cache

from mlops.localcloud.cloudwatch import history
from mlops.localcloud.cloudwatch.alarm_event import StateView, configuration_metrics
from mlops.localcloud.cloudwatch.formatting import epoch_of, json_time


def run_actions(backend, alarm, *, old_state: str, new_state: StateView) -> None:
    """Run the actions of the state the alarm entered (`new_state`)."""
    if not alarm.actions_enabled:
        return
    arns = {"ALARM": alarm.alarm_actions, "OK": alarm.ok_actions,
            "INSUFFICIENT_DATA": alarm.insufficient_data_actions}.get(new_state.value) or []
    for arn in arns:
        if arn.split(":")[2:3] == ["sns"]:
            _publish(backend, alarm, arn, old_state=old_state, new_state=new_state)
        else:
            _record(backend, alarm, arn, new_state.timestamp, succeeded=False,
                    error="the embedded cloud runs only SNS alarm actions")


def notification(alarm, *, account: str, region: str, old_state: str, new_state: StateView) -> tuple[str, str]:
    """(subject, message) of CloudWatch's SNS notification of the alarm entering `new_state`."""
    message = {
        "AlarmName": alarm.name, "AlarmDescription": alarm.description, "AWSAccountId": account,
        "AlarmConfigurationUpdatedTimestamp": json_time(epoch_of(alarm.configuration_updated_timestamp)),
        "NewStateValue": new_state.value, "NewStateReason": new_state.reason,
        "StateChangeTime": json_time(new_state.timestamp), "Region": region_name(region), "AlarmArn": alarm.alarm_arn,
        "OldStateValue": old_state, "OKActions": list(alarm.ok_actions), "AlarmActions": list(alarm.alarm_actions),
        "InsufficientDataActions": list(alarm.insufficient_data_actions), "Trigger": _trigger(alarm),
    }
    subject = f'{new_state.value}: "{alarm.name}" in {region_name(region)}'
    return subject[:100], json.dumps(message)


@lru_cache(maxsize=None)
def region_name(region: str) -> str:
    """The long name CloudWatch writes in notifications ("US East (N. Virginia)")."""
    import botocore.session

    for partition in botocore.session.get_session().get_data("endpoints")["partitions"]:
        if region in partition["regions"]:
            return partition["regions"][region].get("description", region)
    return region


def _trigger(alarm) -> dict:
    if alarm.metric_data_queries:
        trigger: dict = {"Metrics": configuration_metrics(alarm)}
    else:
        trigger = {
            "MetricName": alarm.metric_name, "Namespace": alarm.namespace,
            "StatisticType": "ExtendedStatistic" if alarm.extended_statistic else "Statistic",
            "Statistic": (alarm.statistic or "").upper() if not alarm.extended_statistic else None,
            "Unit": alarm.unit, "Dimensions": [{"value": d.value, "name": d.name} for d in alarm.dimensions],
            "Period": int(alarm.period),
        }
        if alarm.extended_statistic:
            trigger["ExtendedStatistic"] = alarm.extended_statistic
    trigger.update({
        "EvaluationPeriods": int(alarm.evaluation_periods), "ComparisonOperator": alarm.comparison_operator,
        "Threshold": alarm.threshold, "TreatMissingData": alarm.treat_missing_data or "missing",
        "EvaluateLowSampleCountPercentile": alarm.evaluate_low_sample_count_percentile or "",
    })
    if alarm.datapoints_to_alarm is not None:
        trigger["DatapointsToAlarm"] = int(alarm.datapoints_to_alarm)
    return trigger


def _publish(backend, alarm, arn: str, *, old_state: str, new_state: StateView) -> None:
    from moto.sns.models import sns_backends

    account, region = arn.split(":")[4], arn.split(":")[3]
    subject, message = notification(alarm, account=backend.account_id, region=backend.region_name,
                                     old_state=old_state, new_state=new_state)
    now = new_state.timestamp
    topic = sns_backends[account][region].topics.get(arn)
    if topic is None:
        _record(backend, alarm, arn, now, succeeded=False, error="Resource not found.")
        return
    topic.publish(message, subject=subject)
    _record(backend, alarm, arn, now, succeeded=True, published=message)


def _record(backend, alarm, arn: str, now: float, *, succeeded: bool, published: str | None = None,
            error: str | None = None) -> None:
    data: dict = {"actionState": "Succeeded" if succeeded else "Failed",
                  "stateUpdateTimestamp": int(now * 1000), "notificationResource": arn}
    if published is not None:
        data["publishedMessage"] = published
    if error is not None:
        data["error"] = error
    summary = f"{'Successfully executed' if succeeded else 'Failed to execute'} action {arn}"
    history.record(backend, alarm_name=alarm.name, item_type="Action", summary=summary, data=data, now=now)
