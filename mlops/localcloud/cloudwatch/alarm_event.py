"""The EventBridge event `CloudWatch Alarm State Change`, in the shape AWS documents.

Source `aws.cloudwatch`, `resources` [alarm ARN], detail {alarmName, state, previousState,
configuration}; each state is {value, reason, reasonData (a JSON *string*), timestamp} and the
configuration lists the alarm's metrics as {id, metricStat {metric {namespace, name,
dimensions {name: value}}, period, stat, unit?}, returnData} or {id, expression, label?,
returnData} (docs: "Alarm events and EventBridge"). A single-metric alarm's metric id is a
UUID in AWS; here it is derived from the alarm ARN so it is stable across events.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from mlops.localcloud.cloudwatch.datapoints import returned_query
from mlops.localcloud.cloudwatch.errors import Unsupported
from mlops.localcloud.cloudwatch.formatting import event_time, json_time
from mlops.localcloud.event_shapes import service_event

DETAIL_TYPE = "CloudWatch Alarm State Change"
SOURCE = "aws.cloudwatch"


@dataclass
class StateView:
    value: str
    reason: str
    reason_data: str | None
    timestamp: float  # epoch seconds

    def as_event(self) -> dict:
        state = {"value": self.value, "reason": self.reason}
        if self.reason_data and self.reason_data != "{}":
            state["reasonData"] = self.reason_data
        state["timestamp"] = json_time(self.timestamp)
        return state


def state_change_event(alarm, *, account: str, region: str, state: StateView, previous: StateView) -> dict:
    configuration: dict = {}
    if alarm.description:
        configuration["description"] = alarm.description
    configuration["metrics"] = configuration_metrics(alarm)
    return service_event(
        source=SOURCE, detail_type=DETAIL_TYPE, account=account, region=region, resources=[alarm.alarm_arn],
        time=event_time(state.timestamp),
        detail={"alarmName": alarm.name, "state": state.as_event(), "previousState": previous.as_event(),
                "configuration": configuration},
    )


def configuration_metrics(alarm) -> list[dict]:
    if not alarm.metric_data_queries:
        stat = _metric_stat(alarm.namespace, alarm.metric_name, alarm.dimensions, alarm.period,
                            alarm.extended_statistic or alarm.statistic, alarm.unit)
        return [{"id": str(uuid.uuid5(uuid.NAMESPACE_URL, alarm.alarm_arn)), "metricStat": stat, "returnData": True}]
    try:
        returned = returned_query(alarm.metric_data_queries).id
    except Unsupported:
        returned = None
    metrics = []
    for query in alarm.metric_data_queries:
        item: dict = {"id": query.id}
        if query.metric_stat is not None:
            ms = query.metric_stat
            item["metricStat"] = _metric_stat(ms.metric.namespace, ms.metric.metric_name, ms.metric.dimensions,
                                              ms.period, ms.stat, ms.unit)
        else:
            item["expression"] = query.expression
        if query.label:
            item["label"] = query.label
        item["returnData"] = query.id == returned
        metrics.append(item)
    return metrics


def _metric_stat(namespace, name, dimensions, period, stat, unit) -> dict:
    result: dict = {
        "metric": {"namespace": namespace, "name": name,
                   "dimensions": {d.name: d.value for d in dimensions or ()}},
        "period": int(period) if period is not None else None,
        "stat": stat,
    }
    if unit:
        result["unit"] = unit
    return result
