"""What a finished local SageMaker job reports, in the words Describe*Job uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

# DescribeTrainingJob/DescribeProcessingJob return at most the first 1 KB of a failure text.
MAX_REASON_CHARS = 1024


class JobError(Exception):
    """A job-level failure. The runner turns it into a Failed/Stopped outcome, never raises it."""

    def __init__(self, reason: str, *, status: str = "Failed", secondary_status: str = "Failed") -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.secondary_status = secondary_status


@dataclass
class JobOutcome:
    status: str                 # "Completed" | "Failed" | "Stopped" (MaxRuntimeInSeconds reached)
    failure_reason: str | None
    final_metrics: list[dict]   # training: [{"MetricName", "Value", "Timestamp"}]
    model_artifacts: str | None  # training: s3 uri of model.tar.gz
    log_text: str
    started: datetime
    ended: datetime
    secondary_status: str = "Completed"  # training SecondaryStatus, e.g. "MaxRuntimeExceeded"
    exit_message: str | None = None      # processing: first 1 KB of /opt/ml/output/message
    root: str | None = None              # the temporary root R, only when keep_root=True
    output_artifacts: list[str] = field(default_factory=list)  # every s3 uri the job uploaded


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def clip_reason(head: str, middle: str = "", tail: str = "") -> str:
    """`head + middle + tail` cut to SageMaker's 1 KB by dropping the start of `middle` (the
    stderr tail): the last lines of a traceback name the error, so they are kept."""
    room = MAX_REASON_CHARS - len(head) - len(tail)
    if room <= 0:
        return (head + tail)[:MAX_REASON_CHARS]
    if len(middle) > room:
        middle = middle[-room:]
        middle = middle[middle.find("\n") + 1:] if "\n" in middle else middle  # no half line first
    return head + middle + tail
