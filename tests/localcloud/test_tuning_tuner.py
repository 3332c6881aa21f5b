"""The tuner's loop against a backend whose training jobs finish on a timer: parallel limit,
strategy feedback, best trial, counters and the end states. Real trials: test_tuning_api.py."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

from mlops.localcloud.tuning.plan import plan_tuning_job
from mlops.localcloud.tuning.tuner import TuningScheduler

METRICS = [{"Name": "validation:rmse", "Regex": "validation:rmse=([-+0-9.eE]+)"}]


class TimedBackend:
    """create_training_job returns a job record that a thread completes after `seconds`, with
    validation:rmse = |x - 3|, or fails when x > `fail_above`."""

    def __init__(self, seconds: float = 0.05, fail_above: float = 8) -> None:
        self.seconds, self.fail_above, self.running, self.peak, self.created = seconds, fail_above, 0, 0, []
        self.lock = threading.Lock()

    def create_training_job(self, *, training_job_name, hyper_parameters, **kwargs):
        job = SimpleNamespace(training_job_name=training_job_name, arn=f"arn:job/{training_job_name}",
                              training_job_status="InProgress", final_metric_data_list=None, failure_reason=None,
                              creation_time=time.time(), training_start_time=None, training_end_time=None,
                              hyper_parameters=hyper_parameters, kwargs=kwargs)
        self.created.append(job)
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        threading.Thread(target=self._finish, args=(job,), daemon=True).start()
        return job

    def _finish(self, job) -> None:
        time.sleep(self.seconds)
        x = float(job.hyper_parameters["x"])
        with self.lock:
            self.running -= 1
        if x > self.fail_above:
            job.failure_reason = "AlgorithmError: x too large"
            job.training_job_status = "Failed"
        else:
            job.final_metric_data_list = [{"MetricName": "validation:rmse", "Value": abs(x - 3)}]
            job.training_job_status = "Completed"


def _plan(strategy="Random", max_jobs=6, parallel=2, high="10"):
    return plan_tuning_job(
        name="tune", tags=[{"Key": "k", "Value": "v"}], definitions=None, warm_start=None, autotune=None,
        config={"Strategy": strategy, "RandomSeed": 3,
                "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "validation:rmse"},
                "ResourceLimits": {"MaxNumberOfTrainingJobs": max_jobs, "MaxParallelTrainingJobs": parallel},
                "ParameterRanges": {"ContinuousParameterRanges": [{"Name": "x", "MinValue": "0", "MaxValue": high}]}},
        definition={"StaticHyperParameters": {"fixed": "1"}, "RoleArn": "arn:role",
                    "AlgorithmSpecification": {"TrainingImage": "img", "MetricDefinitions": METRICS}},
    )


def _run(plan, backend, cores=4):
    record = SimpleNamespace(arn="arn:tuning/tune")
    scheduler = TuningScheduler(cores=cores)
    scheduler.tuning_created(backend, record, plan)
    deadline = time.monotonic() + 30
    while record.hyper_parameter_tuning_job_status == "InProgress":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return record


def test_runs_every_trial_at_most_max_parallel_at_once_and_picks_the_lowest_objective():
    backend = TimedBackend()
    record = _run(_plan(max_jobs=6, parallel=2, high="8"), backend)
    assert record.hyper_parameter_tuning_job_status == "Completed"
    assert len(backend.created) == 6 and backend.peak == 2
    values = {j.training_job_name: j.final_metric_data_list[0]["Value"] for j in backend.created}
    assert record.best_training_job["TrainingJobName"] == min(values, key=values.get)
    assert record.best_training_job["FinalHyperParameterTuningJobObjectiveMetric"]["Value"] == min(values.values())
    assert record.training_job_status_counters["Completed"] == 6


def test_parallelism_is_capped_by_the_local_cores():
    backend = TimedBackend()
    _run(_plan(max_jobs=4, parallel=4, high="8"), backend, cores=2)
    assert backend.peak == 2


def test_trials_carry_the_static_and_tuned_hyperparameters_the_objective_and_the_tags():
    backend = TimedBackend()
    _run(_plan(max_jobs=2, high="8"), backend)
    job = backend.created[0]
    assert job.training_job_name.startswith("tune-001-") and len(job.training_job_name) == len("tune-001-") + 8
    assert job.hyper_parameters["fixed"] == "1" and isinstance(job.hyper_parameters["x"], str)
    assert job.hyper_parameters["_tuning_objective_metric"] == "validation:rmse"
    assert job.kwargs["tags"] == [{"Key": "k", "Value": "v"}]
    assert job.tuning_job_arn == "arn:tuning/tune"


def test_failed_trials_are_counted_and_never_best():
    backend = TimedBackend()
    record = _run(_plan(max_jobs=8, high="16"), backend)
    failed = [j for j in backend.created if j.training_job_status == "Failed"]
    assert failed and record.training_job_status_counters["NonRetryableError"] == len(failed)
    assert record.objective_status_counters["Failed"] == len(failed)
    assert record.best_training_job["TrainingJobName"] not in {j.training_job_name for j in failed}


def test_a_tuning_job_without_any_objective_value_fails_naming_the_first_failure():
    backend = TimedBackend(fail_above=-1)
    record = _run(_plan(max_jobs=2), backend)
    assert record.hyper_parameter_tuning_job_status == "Failed"
    assert "No training job of the 2 launched reported the objective metric validation:rmse" in record.failure_reason
    assert "x too large" in record.failure_reason


@pytest.mark.parametrize(("change", "message"), [
    ({"Strategy": "Hyperband"}, "Hyperband is not supported"),
    ({"HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "validation:mae"}},
     "not one of the MetricDefinitions"),
    ({"ResourceLimits": {"MaxParallelTrainingJobs": 1}}, "MaxNumberOfTrainingJobs must be a positive integer"),
    ({"ParameterRanges": {"ContinuousParameterRanges": [{"Name": "fixed", "MinValue": "0", "MaxValue": "1"}]}},
     "both static and tuned"),
])
def test_requests_sagemaker_would_refuse_are_refused(change, message):
    from moto.sagemaker.exceptions import ValidationError

    base = _plan()
    config = {"Strategy": "Random", "ResourceLimits": {"MaxNumberOfTrainingJobs": 2, "MaxParallelTrainingJobs": 1},
              "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "validation:rmse"},
              "ParameterRanges": {"ContinuousParameterRanges": [{"Name": "x", "MinValue": "0", "MaxValue": "1"}]},
              **change}
    with pytest.raises(ValidationError, match=message):
        plan_tuning_job(name="t", config=config, definition=base.definition, definitions=None, warm_start=None,
                        autotune=None, tags=None)
