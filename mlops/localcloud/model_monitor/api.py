"""moto 5.2.5's SageMaker API, with Model Monitor's schedules (pinned exactly: this touches its
internals).

moto has no MonitoringSchedule API. While a runner is installed, these actions are added to
moto's SageMaker responses (answers serialised by botocore's model, as moto does):
Create/Describe/Update/Delete/List/Start/StopMonitoringSchedule and ListMonitoringExecutions
(`schedule_operations`); AddTags/ListTags/DeleteTags find schedules by ARN; the
DataQualityJobDefinition calls answer as SageMaker does (`job_definitions`). With no runner
installed they answer as plain moto: the schedule actions are not implemented.
"""

from __future__ import annotations

from types import SimpleNamespace

from moto.core.responses import ActionResult, EmptyResult
from moto.sagemaker.exceptions import ResourceNotFound
from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse

from mlops.localcloud.model_monitor import job_definitions, schedule_operations, store

_active = SimpleNamespace(runner=None)
_original: dict = {}
_ARN_KIND = ":monitoring-schedule/"


def install(runner) -> None:
    """Point the patches at `runner` (None: moto's own behaviour); patch moto once."""
    _active.runner = runner
    if _original:
        return
    for name in ("create_data_quality_job_definition", "describe_data_quality_job_definition",
                 "delete_data_quality_job_definition", "_get_resource_from_arn"):
        _original[name] = getattr(SageMakerModelBackend, name)
    _original["list_data_quality_job_definitions"] = SageMakerResponse.list_data_quality_job_definitions
    SageMakerModelBackend.create_data_quality_job_definition = _create_definition
    SageMakerModelBackend.describe_data_quality_job_definition = _describe_definition
    SageMakerModelBackend.delete_data_quality_job_definition = _delete_definition
    SageMakerModelBackend._get_resource_from_arn = _resource_from_arn
    SageMakerResponse.list_data_quality_job_definitions = _list_definitions
    for action, handler in _ACTIONS.items():
        setattr(SageMakerResponse, action, _action(action, handler))


def active():
    """The installed runner: moto's state is one per process, so only it runs schedules."""
    return _active.runner


def _params(response) -> dict:
    return dict(response._get_params())


def _action(action: str, handler):
    def respond(self):
        if _active.runner is None:
            raise NotImplementedError(f"The {action} action has not been implemented")
        return handler(self.sagemaker_backend, _params(self))
    respond.__name__ = action
    return respond


def _create(backend, params) -> ActionResult:
    arn = schedule_operations.create(backend, params.get("MonitoringScheduleName"),
                                     params.get("MonitoringScheduleConfig"), params.get("Tags"))
    return ActionResult({"MonitoringScheduleArn": arn})


def _describe(backend, params) -> ActionResult:
    return ActionResult(schedule_operations.find(backend, params.get("MonitoringScheduleName")).describe())


def _update(backend, params) -> ActionResult:
    arn = schedule_operations.update(backend, params.get("MonitoringScheduleName"),
                                     params.get("MonitoringScheduleConfig"))
    return ActionResult({"MonitoringScheduleArn": arn})


def _delete(backend, params) -> EmptyResult:
    schedule_operations.delete(backend, params.get("MonitoringScheduleName"))
    return EmptyResult()


def _start(backend, params) -> EmptyResult:
    schedule_operations.start(backend, params.get("MonitoringScheduleName"))
    return EmptyResult()


def _stop(backend, params) -> EmptyResult:
    schedule_operations.stop(backend, params.get("MonitoringScheduleName"))
    return EmptyResult()


def _list(backend, params) -> ActionResult:
    items, token = schedule_operations.list_schedules(backend, params)
    return ActionResult({"MonitoringScheduleSummaries": items, **({"NextToken": token} if token else {})})


def _list_executions(backend, params) -> ActionResult:
    items, token = schedule_operations.list_executions(backend, params)
    return ActionResult({"MonitoringExecutionSummaries": items, **({"NextToken": token} if token else {})})


_ACTIONS = {
    "create_monitoring_schedule": _create, "describe_monitoring_schedule": _describe,
    "update_monitoring_schedule": _update, "delete_monitoring_schedule": _delete,
    "start_monitoring_schedule": _start, "stop_monitoring_schedule": _stop,
    "list_monitoring_schedules": _list, "list_monitoring_executions": _list_executions,
}


def _create_definition(self, account_id, job_definition_name, *args, **kwargs):
    if _active.runner is not None:
        job_definitions.check_create(self, job_definition_name)
    return _original["create_data_quality_job_definition"](self, account_id, job_definition_name, *args, **kwargs)


def _describe_definition(self, job_definition_name):
    answer = _original["describe_data_quality_job_definition"](self, job_definition_name)
    return answer if _active.runner is None else job_definitions.describe(answer)


def _delete_definition(self, job_definition_name):
    if _active.runner is not None:
        job_definitions.check_delete(self, job_definition_name)
    return _original["delete_data_quality_job_definition"](self, job_definition_name)


def _list_definitions(self) -> ActionResult:
    if _active.runner is None:
        return _original["list_data_quality_job_definitions"](self)
    items, token = job_definitions.list_definitions(self.sagemaker_backend, _params(self))
    return ActionResult({"JobDefinitionSummaries": items, **({"NextToken": token} if token else {})})


def _resource_from_arn(self, arn: str):
    if _active.runner is None or _ARN_KIND not in arn:
        return _original["_get_resource_from_arn"](self, arn)
    name = arn.rsplit("/", 1)[-1]
    with store.LOCK:
        schedule = store.schedules_of(self).get(name)
    if schedule is None:
        raise ResourceNotFound(f"Monitoring Schedule '{arn}' does not exist.")
    return schedule
