"""Runs a hyperparameter tuning job's trials: real training jobs, in parallel.

Each trial is created in moto's SageMaker backend as SageMaker itself would create it
(`<tuning job>-<NNN>-<8 hex>`, the definition's image, channels, output and resources, the
static hyperparameters plus the tuned values as strings, the tuning job's tags and ARN), so
DescribeTrainingJob and ListTrainingJobs show it, and the embedded cloud's JobScheduler runs
it like any training job. At most min(MaxParallelTrainingJobs, local cores) run at once. The
tuning job's record is kept current so DescribeHyperParameterTuningJob answers as SageMaker does.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import threading
import time

from mlops.localcloud.tuning.plan import TuningPlan
from mlops.localcloud.tuning.trials import (Trial, best_trial, not_improving, objective_counters,
                                            status_counters)

LOG = logging.getLogger(__name__)
POLL_SECONDS = 0.05  # a trial slot is refilled this soon after its trial ends
MAX_REASON_CHARS = 1024  # DescribeHyperParameterTuningJob's FailureReason


def _now():
    from moto.core.utils import utcnow

    return utcnow()


class TuningScheduler:
    """Starts one coordinating thread per tuning job; `close` stops launching new trials."""

    def __init__(self, *, cores: int | None = None) -> None:
        self.cores = max(1, cores or os.cpu_count() or 1)
        self._closed = threading.Event()
        self._threads: list[threading.Thread] = []

    def tuning_created(self, backend, record, plan: TuningPlan) -> None:
        run = TuningRun(backend, record, plan, parallel=min(plan.max_parallel, self.cores), closed=self._closed)
        run.publish()
        thread = threading.Thread(target=run.run, name=f"tuning-{plan.name}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def close(self) -> None:
        self._closed.set()


class TuningRun:
    def __init__(self, backend, record, plan: TuningPlan, *, parallel: int, closed: threading.Event) -> None:
        self.backend, self.record, self.plan = backend, record, plan
        self.parallel, self.closed = parallel, closed
        self.trials: list[Trial] = []
        self.exhausted = False
        self.started = time.monotonic()
        record.local_trials = self.trials  # read by ListTrainingJobsForHyperParameterTuningJob
        record.local_objective = plan.objective
        record.hyper_parameter_tuning_job_status = "InProgress"
        for attribute in ("hyper_parameter_tuning_end_time", "best_training_job", "OverallBestTrainingJob",
                          "tuning_job_completion_details", "consumed_resources", "failure_reason"):
            setattr(record, attribute, None)

    def run(self) -> None:
        try:
            while not self.closed.is_set():
                self._score_finished()  # the strategy learns from every result before it proposes
                self._launch()
                self.publish()
                if all(t.told for t in self.trials) and (self.exhausted or len(self.trials) >= self.plan.max_jobs):
                    break
                time.sleep(POLL_SECONDS)
            self._finish()
        except Exception as exc:  # the tuning job must always reach a terminal state
            LOG.exception("local tuning job %s crashed", self.plan.name)
            self._end("Failed", f"InternalServerError: the embedded cloud could not run the tuning job: {exc}")

    def _launch(self) -> None:
        while (not self.exhausted and len(self.trials) < self.plan.max_jobs
               and sum(not t.told for t in self.trials) < self.parallel):
            proposal = self.plan.strategy.ask()
            if proposal is None:
                self.exhausted = True
                return
            token, tuned = proposal
            self.trials.append(self._create_trial(len(self.trials) + 1, token, tuned))

    def _create_trial(self, number: int, token, tuned: dict[str, str]) -> Trial:
        digest = hashlib.sha256(f"{self.plan.name}|{number}|{json.dumps(tuned, sort_keys=True)}".encode())
        name = f"{self.plan.name}-{number:03d}-{digest.hexdigest()[:8]}"
        definition = copy.deepcopy(self.plan.definition)  # moto edits what it is given
        job = self.backend.create_training_job(
            training_job_name=name,
            hyper_parameters=self.plan.trial_hyperparameters(tuned),
            algorithm_specification={k: v for k, v in definition["AlgorithmSpecification"].items()
                                     if k != "AlgorithmName"},
            role_arn=definition.get("RoleArn"),
            input_data_config=definition.get("InputDataConfig"),
            output_data_config=definition.get("OutputDataConfig"),
            resource_config=definition.get("ResourceConfig"),
            vpc_config=definition.get("VpcConfig"),
            stopping_condition=definition.get("StoppingCondition"),
            tags=copy.deepcopy(self.plan.tags),
            enable_network_isolation=definition.get("EnableNetworkIsolation", False),
            enable_inter_container_traffic_encryption=definition.get("EnableInterContainerTrafficEncryption", False),
            enable_managed_spot_training=definition.get("EnableManagedSpotTraining", False),
            checkpoint_config=definition.get("CheckpointConfig"),
            debug_hook_config=None, debug_rule_configurations=None,
            tensor_board_output_config=None, experiment_config=None,
        )
        job.tuning_job_arn = self.record.arn  # DescribeTrainingJob's TuningJobArn
        LOG.info("tuning job %s: trial %s with %s", self.plan.name, name, tuned)
        return Trial(number=number, job=job, tuning_job_name=self.plan.name, tuned=dict(tuned), token=token)

    def _score_finished(self) -> None:
        for trial in self.trials:
            if trial.finished and not trial.told:
                if trial.status == "Completed":
                    trial.value = self.plan.objective.value_of(trial.job)
                self.plan.strategy.tell(trial.token, trial.value)
                trial.told = True

    def publish(self) -> None:
        """Bring the moto record up to date (new dicts each time: the server thread reads them)."""
        record, best = self.record, best_trial(self.trials, self.plan.objective)
        record.training_job_status_counters = status_counters(self.trials)
        record.objective_status_counters = objective_counters(self.trials)
        record.best_training_job = best.summary(self.plan.objective) if best else None
        record.last_modified_time = _now()

    def _finish(self) -> None:
        best = best_trial(self.trials, self.plan.objective)
        self.record.tuning_job_completion_details = {
            "NumberOfTrainingJobsObjectiveNotImproving": not_improving(self.trials, best)}
        if self.closed.is_set():
            self._end("Stopped", "The embedded cloud was stopped before the tuning job ended.")
        elif best is None:
            self._end("Failed", self._no_best_reason())
        else:
            self._end("Completed", None)

    def _no_best_reason(self) -> str:
        metric = self.plan.objective.metric
        reason = (f"No training job of the {len(self.trials)} launched reported the objective metric {metric}.")
        failed = next((t for t in self.trials if t.job.failure_reason), None)
        if failed is not None:
            reason += f" First failure ({failed.name}): {failed.job.failure_reason}"
        return reason[:MAX_REASON_CHARS]

    def _end(self, status: str, reason: str | None) -> None:
        self.publish()
        record = self.record
        record.failure_reason = reason
        record.consumed_resources = {"RuntimeInSeconds": int(round(time.monotonic() - self.started))}
        record.hyper_parameter_tuning_end_time = record.last_modified_time = _now()
        record.hyper_parameter_tuning_job_status = status
