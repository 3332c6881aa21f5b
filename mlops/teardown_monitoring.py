"""What the deployment pipeline made for `monitoring.engine: "model-monitor"` (docs/contracts.md
"Monitoring"), found and deleted before the endpoints by `mlops teardown`: each endpoint's
Model Monitor schedule `<endpoint>-data-quality` (deleted, then waited for until gone: SageMaker
refuses to delete a job definition a schedule still uses) and its data-quality job definitions
`<endpoint>-dq-<hash>`.

Looked for whatever the engine is now: a model switched back to serverless may still have the
schedule a Model Monitor deployment made. Only names the pipeline makes are touched.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from mlops.teardown import ClientFactory, Doomed
from mlops_core.naming import data_quality_job_definition_prefix, data_quality_schedule_name

SCHEDULE, JOB_DEFINITION = "monitoring-schedule", "job-definition"
KINDS = (SCHEDULE, JOB_DEFINITION)  # deleted in this order, before everything mlops.teardown plans
GONE_TIMEOUT_SECONDS, GONE_POLL_SECONDS = 300.0, 2.0


def plan_monitoring(client: ClientFactory, models: dict[str, dict]) -> list[Doomed]:
    """The Model Monitor schedules and job definitions of `models` ({model: settings}), schedules first."""
    sagemaker = client("sagemaker")
    schedules, definitions = _schedules(sagemaker), _job_definitions(sagemaker)
    found: list[Doomed] = []
    for model, settings in sorted(models.items()):
        endpoint = (settings.get("serving") or {}).get("endpoint_name")
        if not endpoint:
            continue
        name = data_quality_schedule_name(endpoint)
        found += [Doomed(SCHEDULE, name, model)] if name in schedules else []
        own = re.compile(rf"^{re.escape(data_quality_job_definition_prefix(endpoint))}[0-9a-f]{{12}}$")
        found += [Doomed(JOB_DEFINITION, d, model) for d in sorted(definitions) if own.match(d)]
    return sorted(found, key=lambda d: KINDS.index(d.kind))


def delete_monitoring(client: ClientFactory, doomed: Doomed, *, sleep: Callable[[float], None] = time.sleep,
                      clock: Callable[[], float] = time.monotonic) -> None:
    """Delete one schedule (and wait until SageMaker has it gone) or job definition; one already
    gone counts as deleted."""
    sagemaker = client("sagemaker")
    try:
        if doomed.kind == SCHEDULE:
            sagemaker.delete_monitoring_schedule(MonitoringScheduleName=doomed.name)
        else:
            sagemaker.delete_data_quality_job_definition(JobDefinitionName=doomed.name)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in ("ResourceNotFound", "ResourceNotFoundException"):
            raise
    if doomed.kind != SCHEDULE:
        return
    deadline = clock() + GONE_TIMEOUT_SECONDS
    while doomed.name in _schedules(sagemaker):
        if clock() > deadline:
            raise TimeoutError(f"monitoring schedule {doomed.name} was still there {GONE_TIMEOUT_SECONDS:.0f} s "
                               "after it was deleted; its job definitions are left: run `mlops teardown` again")
        sleep(GONE_POLL_SECONDS)


def _schedules(sagemaker: Any) -> set[str]:
    pages = sagemaker.get_paginator("list_monitoring_schedules").paginate()
    return {s["MonitoringScheduleName"] for page in pages for s in page["MonitoringScheduleSummaries"]}


def _job_definitions(sagemaker: Any) -> set[str]:
    pages = sagemaker.get_paginator("list_data_quality_job_definitions").paginate()
    return {d["MonitoringJobDefinitionName"] for page in pages for d in page["JobDefinitionSummaries"]}
