"""A deployment's traffic and alarms over time. DescribeEndpoint only tells the present, so:
- weights: every DescribeEndpoint the deployment run made (its history keeps each answer), as
  each endpoint config's share of the total CurrentWeight at that moment;
- requests served: CloudWatch `Invocations` per EndpointConfigName (SageMaker emits that
  dimension set, which tells the old and the new fleet of one variant apart);
- alarms: DescribeAlarmHistory of the rollback alarms, state changes only."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from botocore.exceptions import ClientError

from mlops.reporting.timeline import task_outputs



def weight_steps(events: list[dict]) -> list[dict]:
    """[{"at": iso time, "shares": {endpoint config: share 0..1}}], one per change of shares."""
    steps: list[dict] = []
    for at, raw in task_outputs(events, "aws-sdk:sagemaker", "describeEndpoint"):
        answer = json.loads(raw)
        weights: dict[str, float] = {}
        active = answer.get("EndpointConfigName")
        for variant in answer.get("ProductionVariants") or []:
            _add(weights, active, variant)
        pending = answer.get("PendingDeploymentSummary") or {}
        for variant in pending.get("ProductionVariants") or []:
            _add(weights, pending.get("EndpointConfigName"), variant)
        total = sum(weights.values())
        if not total:
            continue
        shares = {config: round(weight / total, 4) for config, weight in weights.items()}
        if not steps or steps[-1]["shares"] != shares:
            steps.append({"at": at.isoformat(), "shares": shares, "status": answer.get("EndpointStatus")})
    return steps


def _add(weights: dict[str, float], config: str | None, variant: dict) -> None:
    weight = variant.get("CurrentWeight")
    if config and weight is not None:
        weights[config] = weights.get(config, 0.0) + float(weight)


def invocations(cloudwatch, *, endpoint: str, start: datetime, end: datetime, period: int) -> dict[str, list]:
    """{endpoint config: [[iso time, requests], ...]} from CloudWatch, summed per period over
    the config's variants."""
    pages = cloudwatch.get_paginator("list_metrics").paginate(
        Namespace="AWS/SageMaker", MetricName="Invocations", Dimensions=[{"Name": "EndpointName", "Value": endpoint}])
    queries = []
    for page in pages:
        for metric in page["Metrics"]:
            dims = {d["Name"]: d["Value"] for d in metric["Dimensions"]}
            if "EndpointConfigName" in dims:
                queries.append({"Id": f"m{len(queries)}", "Label": dims["EndpointConfigName"],
                                "MetricStat": {"Metric": metric, "Period": period, "Stat": "Sum"}})
    if not queries:
        return {}
    answer = cloudwatch.get_metric_data(MetricDataQueries=queries[:500], StartTime=start - timedelta(seconds=period),
                                        EndTime=end + timedelta(seconds=period))
    series: dict[str, dict[str, float]] = {}
    for result in answer["MetricDataResults"]:
        points = series.setdefault(result["Label"], {})
        for at, value in zip(result["Timestamps"], result["Values"]):
            points[at.isoformat()] = points.get(at.isoformat(), 0.0) + value
    return {config: [[at, points[at]] for at in sorted(points)] for config, points in series.items()}


def alarm_changes(cloudwatch, names: list[str], *, start: datetime, end: datetime) -> list[dict]:
    """State changes of the named alarms within the run, oldest first (deleted alarms keep
    their history on AWS, so the new-fleet alarms the run removed still show)."""
    changes = []
    for name in names:
        try:
            pages = cloudwatch.get_paginator("describe_alarm_history").paginate(
                AlarmName=name, HistoryItemType="StateUpdate", StartDate=start - timedelta(minutes=1),
                EndDate=end + timedelta(minutes=1))
            items = [item for page in pages for item in page["AlarmHistoryItems"]]
        except ClientError:
            continue
        for item in items:
            data = json.loads(item.get("HistoryData") or "{}")
            changes.append({"at": item["Timestamp"].isoformat(), "alarm": name,
                            "state": (data.get("newState") or {}).get("stateValue") or "", "summary": item.get("HistorySummary", "")})
    return sorted(changes, key=lambda c: c["at"])
