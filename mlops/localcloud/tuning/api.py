"""moto 5.2.5's SageMaker tuning API, made real (pinned exactly: this touches its internals).

moto stores CreateHyperParameterTuningJob as Completed at once with an invented best job, and
has no ListTrainingJobsForHyperParameterTuningJob. Here:
- CreateHyperParameterTuningJob is checked first (ValidationException naming the problem,
  including what the embedded cloud cannot run), then stored by moto and run by the active
  `TuningScheduler`;
- ListTrainingJobsForHyperParameterTuningJob is added to moto's backend and responses, with
  the request's filter, sorting and paging (botocore's model serialises the answer).
"""

from __future__ import annotations

from types import SimpleNamespace

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ResourceNotFound, ValidationError
from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse

from mlops.localcloud.tuning.plan import plan_tuning_job

_active = SimpleNamespace(scheduler=None)
_original: dict = {}
STATUSES = ("InProgress", "Completed", "Failed", "Stopping", "Stopped", "Deleting")
SORT_KEYS = {
    "Name": lambda s: s["TrainingJobName"],
    "CreationTime": lambda s: s["CreationTime"],
    "Status": lambda s: s["TrainingJobStatus"],
    "FinalObjectiveMetricValue": lambda s: s["FinalHyperParameterTuningJobObjectiveMetric"]["Value"],
}


def install(scheduler) -> None:
    """Point the hooks at `scheduler` (None: moto's own behaviour); patch moto once."""
    _active.scheduler = scheduler
    if _original:
        return
    _original["create"] = SageMakerModelBackend.create_hyper_parameter_tuning_job
    SageMakerModelBackend.create_hyper_parameter_tuning_job = _create_tuning_job
    SageMakerModelBackend.list_training_jobs_for_hyper_parameter_tuning_job = list_tuning_trials
    SageMakerResponse.list_training_jobs_for_hyper_parameter_tuning_job = _list_trials_response


def _create_tuning_job(self, hyper_parameter_tuning_job_name, hyper_parameter_tuning_job_config,
                       training_job_definition, training_job_definitions, warm_start_config, tags, autotune):
    scheduler = _active.scheduler
    plan = None
    if scheduler is not None:
        plan = plan_tuning_job(name=hyper_parameter_tuning_job_name, config=hyper_parameter_tuning_job_config or {},
                               definition=training_job_definition, definitions=training_job_definitions,
                               warm_start=warm_start_config, autotune=autotune, tags=tags)
    arn = _original["create"](self, hyper_parameter_tuning_job_name, hyper_parameter_tuning_job_config,
                              training_job_definition, training_job_definitions, warm_start_config, tags, autotune)
    if plan is not None:
        scheduler.tuning_created(self, self.hyper_parameter_tuning_jobs[hyper_parameter_tuning_job_name], plan)
    return arn


def list_tuning_trials(self, name: str, *, status_equals: str | None = None, sort_by: str | None = None,
                       sort_order: str | None = None, max_results: int | None = None,
                       next_token: str | None = None) -> tuple[list[dict], str | None]:
    record = self.hyper_parameter_tuning_jobs.get(name)
    if record is None:
        raise ResourceNotFound(message=f"Could not find hyper parameter tuning job '{name}'.")
    sort_by, sort_order = sort_by or "Name", sort_order or "Ascending"
    _check_enum("statusEquals", status_equals, STATUSES, optional=True)
    _check_enum("sortBy", sort_by, tuple(SORT_KEYS))
    _check_enum("sortOrder", sort_order, ("Ascending", "Descending"))
    objective = getattr(record, "local_objective", None)
    summaries = [trial.summary(objective) for trial in list(getattr(record, "local_trials", []))]
    if status_equals:
        summaries = [s for s in summaries if s["TrainingJobStatus"] == status_equals]
    if sort_by == "FinalObjectiveMetricValue":  # AWS leaves out trials without a value
        summaries = [s for s in summaries if "FinalHyperParameterTuningJobObjectiveMetric" in s]
    summaries.sort(key=SORT_KEYS[sort_by], reverse=sort_order == "Descending")
    limit = max_results or 10
    if not 1 <= limit <= 100:
        raise ValidationError(f"Value '{limit}' at 'maxResults' failed to satisfy constraint: Member must have "
                              "value less than or equal to 100")
    start = _offset(next_token, len(summaries))
    page = summaries[start:start + limit]
    return page, (str(start + limit) if start + limit < len(summaries) else None)


def _list_trials_response(self) -> ActionResult:
    summaries, next_token = self.sagemaker_backend.list_training_jobs_for_hyper_parameter_tuning_job(
        self._get_param("HyperParameterTuningJobName"),
        status_equals=self._get_param("StatusEquals"), sort_by=self._get_param("SortBy"),
        sort_order=self._get_param("SortOrder"), max_results=self._get_param("MaxResults"),
        next_token=self._get_param("NextToken"))
    result = {"TrainingJobSummaries": summaries}
    if next_token:
        result["NextToken"] = next_token
    return ActionResult(result)


def _check_enum(field: str, value, allowed: tuple[str, ...], optional: bool = False) -> None:
    if (value is None and optional) or value in allowed:
        return
    raise ValidationError(f"Value '{value}' at '{field}' failed to satisfy constraint: Member must satisfy enum "
                          f"value set: [{', '.join(allowed)}]")


def _offset(next_token: str | None, total: int) -> int:
    if not next_token:
        return 0
    try:
        start = int(next_token)
    except ValueError:
        start = -1
    if not 0 <= start <= total:
        raise ValidationError(f"Invalid pagination token {next_token!r}")
    return start
