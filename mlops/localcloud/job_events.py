"""SageMaker's `SageMaker Processing Job State Change` events, which moto does not send.

SageMaker sends one (source `aws.sagemaker`) each time a processing job changes status; the
stack's `MonitorJobs` rule waits for the finished ones (Completed, Failed, Stopped) of its
large-window monitoring checks, whose datapoints MonitorEndpoint then puts. The detail is the
job as DescribeProcessingJob shows it, with timestamps in epoch milliseconds and without Tags,
and `resources` holds the job ARN (AWS's documented example: docs "Events that Amazon SageMaker
sends to Amazon EventBridge", Processing job state change).

`sagemaker_jobs.JobScheduler` calls `announce` when a job starts running and when it ends.
"""

from __future__ import annotations

import datetime

from mlops.localcloud.event_shapes import service_event

DETAIL_TYPE = "SageMaker Processing Job State Change"
SOURCE = "aws.sagemaker"

_state = {"deliver": None}


def install(*, deliver) -> None:
    """Send the events through `deliver` (account, region, event); None: send nothing."""
    _state["deliver"] = deliver


def state_change_event(job) -> dict:
    """The event for moto's FakeProcessingJob `job` in its current status, as SageMaker sends it."""
    _arn, _partition, _service, region, account, _resource = job.arn.split(":", 5)
    detail = {key: _epoch_millis(value) for key, value in job.response_object.items() if key != "Tags"}
    return service_event(source=SOURCE, detail_type=DETAIL_TYPE, account=account, region=region,
                         resources=[job.arn], detail=detail)


def announce(job) -> None:
    """Deliver the job's state-change event to the default bus of its account and region."""
    deliver = _state["deliver"]
    if deliver is None:
        return
    event = state_change_event(job)
    deliver(event["account"], event["region"], event)


def _epoch_millis(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:  # moto keeps naive UTC times
            value = value.replace(tzinfo=datetime.timezone.utc)
        return int(value.timestamp() * 1000)
    if isinstance(value, dict):
        return {k: _epoch_millis(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_epoch_millis(v) for v in value]
    return value
