"""AWS::CloudWatch::Alarm and AWS::CloudWatch::Dashboard (stored in moto; evaluating alarms is
the embedded cloud's job elsewhere)."""

from __future__ import annotations

from mlops.localcloud.resources.base import Context, Created, handler, tag_list

_ALARM_PROPERTIES = ("AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions", "InsufficientDataActions",
                     "MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit",
                     "EvaluationPeriods", "DatapointsToAlarm", "Threshold", "ComparisonOperator",
                     "TreatMissingData", "EvaluateLowSampleCountPercentile", "Metrics", "ThresholdMetricId")
_INTEGERS = ("Period", "EvaluationPeriods", "DatapointsToAlarm")


def create_alarm(ctx: Context, logical_id: str, props: dict) -> Created:
    name = props.get("AlarmName") or ctx.name(logical_id, max_length=255)
    request = {key: props[key] for key in _ALARM_PROPERTIES if key in props}
    for key in _INTEGERS:
        if key in request:
            request[key] = int(request[key])
    if "Threshold" in request:
        request["Threshold"] = float(request["Threshold"])
    if props.get("Tags"):
        request["Tags"] = tag_list(props["Tags"])
    ctx.client("cloudwatch").put_metric_alarm(AlarmName=name, **request)
    return Created(name, {"Arn": ctx.arn("cloudwatch", f"alarm:{name}")})


def create_dashboard(ctx: Context, logical_id: str, props: dict) -> Created:
    name = props.get("DashboardName") or ctx.name(logical_id, max_length=255, stack_prefix=False)
    ctx.client("cloudwatch").put_dashboard(DashboardName=name, DashboardBody=props["DashboardBody"])
    return Created(name)


HANDLERS = {
    "AWS::CloudWatch::Alarm": handler(
        create_alarm, attributes=("Arn",), properties=("AlarmName", "Tags", *_ALARM_PROPERTIES)),
    "AWS::CloudWatch::Dashboard": handler(create_dashboard, properties=("DashboardName", "DashboardBody")),
}
