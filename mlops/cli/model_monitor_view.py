"""`mlops monitor run MODEL` for a model whose drift check is SageMaker Model Monitor's
(`monitoring.engine: "model-monitor"`). A Model Monitor schedule runs on its cron only (SageMaker
has no "run now" for it), so instead of running a check the command shows the schedule and its
last execution, as SageMaker reports them (DescribeMonitoringSchedule, ListMonitoringExecutions).

The view's `status`: `ok` (last execution Completed), `violations` (CompletedWithViolations),
`failed` (Failed or Stopped: the reason is shown), `running` (one in flight) or `no-data` (no
execution yet); monitor.py maps it to the command's exit code.
"""

from __future__ import annotations

from typing import Any

import click
from botocore.exceptions import ClientError

from mlops.cli.output import fail
from mlops_core.naming import data_quality_schedule_name

NOT_DEPLOYED_EXIT = 3
STATUS = {"Completed": "ok", "CompletedWithViolations": "violations", "Failed": "failed", "Stopped": "failed"}


def model_monitor_view(sagemaker: Any, model: str, settings: dict) -> dict[str, Any]:
    """The schedule of `model`'s endpoint and its last execution; no schedule -> exit 3 with advice."""
    endpoint = settings["serving"]["endpoint_name"]
    name = data_quality_schedule_name(endpoint)
    try:
        schedule = sagemaker.describe_monitoring_schedule(MonitoringScheduleName=name)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in ("ResourceNotFound", "ResourceNotFoundException"):
            raise
        fail(f"model '{model}' has monitoring.engine 'model-monitor', but there is no Model Monitor schedule {name}: "
             "the deployment pipeline makes it when it deploys a version (approve one), or its last deployment ended "
             "MonitoringNotScheduled (see `mlops runs`)", NOT_DEPLOYED_EXIT)
    found = sagemaker.list_monitoring_executions(MonitoringScheduleName=name, SortBy="ScheduledTime",
                                                 SortOrder="Descending", MaxResults=1)["MonitoringExecutionSummaries"]
    last = found[0] if found else schedule.get("LastMonitoringExecutionSummary")
    config = schedule.get("MonitoringScheduleConfig") or {}
    timing = config.get("ScheduleConfig") or {}
    status = "no-data" if not last else STATUS.get(last["MonitoringExecutionStatus"], "running")
    return {
        "status": status, "check": "data-quality", "engine": "model-monitor", "model": model, "endpoint": endpoint,
        "schedule": {"name": name, "status": schedule["MonitoringScheduleStatus"],
                     "expression": timing.get("ScheduleExpression"),
                     "window": [timing.get("DataAnalysisStartTime"), timing.get("DataAnalysisEndTime")],
                     "job_definition": config.get("MonitoringJobDefinitionName")},
        "last_execution": last,
    }


def print_view(view: dict[str, Any]) -> None:
    schedule, last = view["schedule"], view["last_execution"]
    click.echo(f"{view['model']} data-quality check of endpoint {view['endpoint']}: run by SageMaker Model Monitor "
               f"schedule {schedule['name']} ({schedule['status']}, {schedule['expression']}, window "
               f"{schedule['window'][0]} .. {schedule['window'][1]} of each run), job definition "
               f"{schedule['job_definition']}")
    if not last:
        click.echo("  no execution yet: the schedule runs at the top of its hours")
        return
    click.echo(f"  last execution, scheduled {last.get('ScheduledTime')}: {last['MonitoringExecutionStatus']}"
               + (f" ({last['ProcessingJobArn'].rsplit('/', 1)[-1]})" if last.get("ProcessingJobArn") else ""))
    if last.get("FailureReason"):
        click.echo(f"  reason: {last['FailureReason']}")
    click.echo("  drift metrics: feature_baseline_drift_<feature> and drifted_feature_share in "
               "aws/sagemaker/Endpoints/data-metrics (the <endpoint>-drift alarm watches the share)")
