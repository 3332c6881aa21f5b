"""A tuning job's trials in the words SageMaker reports them: HyperParameterTrainingJobSummary,
BestTrainingJob, TrainingJobStatusCounters and ObjectiveStatusCounters.

Each trial wraps the moto record of its real training job, so its status, times and metrics
are whatever the local runner wrote there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TERMINAL = ("Completed", "Failed", "Stopped")


@dataclass(frozen=True)
class Objective:
    type: str  # "Maximize" | "Minimize"
    metric: str

    def value_of(self, job) -> float | None:
        """The objective's final value in the job's FinalMetricDataList, if it printed one."""
        for metric in job.final_metric_data_list or []:
            if metric.get("MetricName") == self.metric:
                return float(metric["Value"])
        return None

    def better(self, a: float, b: float) -> bool:
        return a > b if self.type == "Maximize" else a < b


@dataclass
class Trial:
    number: int
    job: Any  # moto's FakeTrainingJob
    tuning_job_name: str
    tuned: dict[str, str]
    token: Any = None  # the strategy's handle on this proposal
    value: float | None = None
    told: bool = field(default=False)

    @property
    def name(self) -> str:
        return self.job.training_job_name

    @property
    def status(self) -> str:
        return self.job.training_job_status

    @property
    def finished(self) -> bool:
        return self.status in TERMINAL

    @property
    def objective_status(self) -> str:
        if not self.told:  # running, or finished but not yet scored by the tuner
            return "Pending"
        return "Succeeded" if self.value is not None else "Failed"

    def summary(self, objective: Objective) -> dict[str, Any]:
        job = self.job
        summary = {
            "TrainingJobName": job.training_job_name, "TrainingJobArn": job.arn,
            "TuningJobName": self.tuning_job_name, "CreationTime": job.creation_time,
            "TrainingJobStatus": self.status, "TunedHyperParameters": dict(self.tuned),
            "ObjectiveStatus": self.objective_status,
        }
        if self.finished:
            summary["TrainingStartTime"] = job.training_start_time
            summary["TrainingEndTime"] = job.training_end_time
        if job.failure_reason:
            summary["FailureReason"] = job.failure_reason
        if self.value is not None:
            summary["FinalHyperParameterTuningJobObjectiveMetric"] = {
                "Type": objective.type, "MetricName": objective.metric, "Value": self.value}
        return summary


def best_trial(trials: list[Trial], objective: Objective) -> Trial | None:
    """The trial with the best objective value; the earlier one on a tie, as it was found first."""
    best = None
    for trial in trials:
        if trial.objective_status == "Succeeded" and (best is None or objective.better(trial.value, best.value)):
            best = trial
    return best


def status_counters(trials: list[Trial]) -> dict[str, int]:
    counters = {"Completed": 0, "InProgress": 0, "RetryableError": 0, "NonRetryableError": 0, "Stopped": 0}
    for trial in trials:
        if trial.status == "Failed":
            # Only the embedded cloud's own crashes could succeed on a retry.
            retryable = (trial.job.failure_reason or "").startswith("InternalServerError")
            counters["RetryableError" if retryable else "NonRetryableError"] += 1
        elif trial.status in counters:
            counters[trial.status] += 1
        else:
            counters["InProgress"] += 1
    return counters


def objective_counters(trials: list[Trial]) -> dict[str, int]:
    counters = {"Succeeded": 0, "Pending": 0, "Failed": 0}
    for trial in trials:
        counters[trial.objective_status] += 1
    return counters


def not_improving(trials: list[Trial], best: Trial | None) -> int:
    """Finished trials since the best one (TuningJobCompletionDetails)."""
    after = [t for t in trials if t.finished and (best is None or t.number > best.number)]
    return len(after)
