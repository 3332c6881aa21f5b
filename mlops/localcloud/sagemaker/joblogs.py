"""What SageMaker derives from a job's log: CloudWatch Logs streams and training metrics."""

from __future__ import annotations

import logging
import math
import re
from datetime import datetime, timezone

from botocore.exceptions import BotoCoreError, ClientError

from mlops.localcloud.sagemaker.container import LogLine
from mlops.localcloud.sagemaker.outcome import JobError

LOG = logging.getLogger(__name__)
TRAINING_LOG_GROUP = "/aws/sagemaker/TrainingJobs"
PROCESSING_LOG_GROUP = "/aws/sagemaker/ProcessingJobs"
_BATCH = 1000  # well under PutLogEvents' 10,000 events / 1 MB per call


def log_stream_name(job_name: str, started: datetime) -> str:
    return f"{job_name}/algo-1-{int(started.timestamp())}"


def ship_logs(logs_client, group: str, stream: str, lines: list[LogLine]) -> None:
    """Write the job's log to CloudWatch Logs. A logging failure is not a job failure: it is
    reported on the embedded cloud's own log and the job keeps its status."""
    if logs_client is None:
        return
    events = sorted(({"timestamp": int(line.timestamp * 1000), "message": line.text}
                     for line in lines if line.text), key=lambda event: event["timestamp"])
    try:
        _create(logs_client.create_log_group, logGroupName=group)
        _create(logs_client.create_log_stream, logGroupName=group, logStreamName=stream)
        for start in range(0, len(events), _BATCH):
            logs_client.put_log_events(logGroupName=group, logStreamName=stream,
                                       logEvents=events[start:start + _BATCH])
    except (ClientError, BotoCoreError):
        LOG.exception("could not write the job log to %s %s", group, stream)


def _create(call, **kwargs) -> None:
    try:
        call(**kwargs)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ResourceAlreadyExistsException":
            raise


def compile_metric_definitions(definitions: list[dict]) -> list[tuple[str, re.Pattern]]:
    """Checked before the job runs: SageMaker rejects a bad regex at CreateTrainingJob."""
    compiled = []
    for definition in definitions or []:
        try:
            compiled.append((definition["Name"], re.compile(definition["Regex"])))
        except re.error as exc:
            raise JobError(f"ClientError: MetricDefinitions {definition['Name']!r}: invalid Regex "
                           f"{definition['Regex']!r}: {exc}") from exc
    return compiled


def final_metrics(definitions: list[tuple[str, re.Pattern]], lines: list[LogLine]) -> list[dict]:
    """The last numeric match of each definition in the job's own output, with its time."""
    latest: dict[str, tuple[float, float]] = {}
    for line in lines:
        if line.stream == "runner":
            continue
        for name, pattern in definitions:
            for match in pattern.finditer(line.text):
                value = _number(match.group(1) if pattern.groups else match.group(0))
                if value is not None:
                    latest[name] = (value, line.timestamp)
    return [{"MetricName": name, "Value": latest[name][0],
             "Timestamp": datetime.fromtimestamp(latest[name][1], timezone.utc)}
            for name in dict.fromkeys(name for name, _ in definitions) if name in latest]


def _number(text: str | None) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None  # CloudWatch refuses NaN and infinity
