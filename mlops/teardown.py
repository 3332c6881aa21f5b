"""What the pipelines created outside CloudFormation, found and deleted, so `cdk destroy` leaves
nothing billing: endpoints (billed per instance hour), their endpoint configs and models, the
deployment pipeline's new-fleet alarms, every model package version (the groups belong to CDK),
and the SageMaker Experiments experiment, trials and trial components of each model's runs.

Only names the pipelines make are touched (mlops_core.naming), and a second run finds nothing:
the teardown is idempotent. One failed delete does not stop the others (the caller collects them). Only AWS APIs are used, so it works on AWS and the embedded cloud.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from botocore.exceptions import ClientError

from mlops_core.naming import deployment_resource_prefix

ClientFactory = Callable[[str], Any]
ORDER = ("endpoint", "endpoint-config", "model", "alarm", "model-package", "trial", "experiment")


@dataclass(frozen=True)
class Doomed:
    kind: str       # one of ORDER
    name: str
    model: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "name": self.name, "model": self.model}


def plan(client: ClientFactory, models: dict[str, dict]) -> list[Doomed]:
    """Everything to delete for `models` ({model: its settings document}), in deletion order."""
    found: list[Doomed] = []
    sagemaker, cloudwatch = client("sagemaker"), client("cloudwatch")
    for model, settings in sorted(models.items()):
        base = rf"{re.escape(deployment_resource_prefix(model))}-[0-9a-f]{{12}}"
        own = re.compile(rf"^{base}(-shadow)?$")
        endpoint = (settings.get("serving") or {}).get("endpoint_name")
        if endpoint and _exists(sagemaker.describe_endpoint, EndpointName=endpoint):
            found.append(Doomed("endpoint", endpoint, model))
        found += [Doomed("endpoint-config", n, model) for n in _names(
            sagemaker, "list_endpoint_configs", "EndpointConfigs", "EndpointConfigName", model) if own.match(n)]
        found += [Doomed("model", n, model) for n in _names(sagemaker, "list_models", "Models", "ModelName", model)
                  if own.match(n)]
        if endpoint:
            fleet = re.compile(rf"^{re.escape(endpoint)}-{base}-(latency|5xx)$")
            pages = cloudwatch.get_paginator("describe_alarms").paginate(AlarmNamePrefix=f"{endpoint}-")
            found += [Doomed("alarm", a["AlarmName"], model) for page in pages for a in page["MetricAlarms"]
                      if fleet.match(a["AlarmName"])]
        group = settings.get("model_package_group")
        if group:
            found += [Doomed("model-package", arn, model) for arn in _packages(sagemaker, group)]
            found += [Doomed("trial", t, model) for t in _trials(sagemaker, group)]
            if group in _experiments(sagemaker):
                found.append(Doomed("experiment", group, model))
    return sorted(found, key=lambda d: ORDER.index(d.kind))


def delete(client: ClientFactory, doomed: Doomed) -> None:
    """Delete one thing; one already gone counts as deleted."""
    sagemaker = client("sagemaker")
    actions = {
        "endpoint": lambda: sagemaker.delete_endpoint(EndpointName=doomed.name),
        "endpoint-config": lambda: sagemaker.delete_endpoint_config(EndpointConfigName=doomed.name),
        "model": lambda: sagemaker.delete_model(ModelName=doomed.name),
        "alarm": lambda: client("cloudwatch").delete_alarms(AlarmNames=[doomed.name]),
        "model-package": lambda: sagemaker.delete_model_package(ModelPackageName=doomed.name),
        "trial": lambda: _delete_trial(sagemaker, doomed.name),
        "experiment": lambda: sagemaker.delete_experiment(ExperimentName=doomed.name),
    }
    try:
        actions[doomed.kind]()
    except ClientError as error:
        if not _missing(error):
            raise


def failure_reason(error: ClientError) -> str:
    """Why a delete failed, in one line: AWS's code and message; a service that answered with a
    bare HTTP error page (no AWS error document) is named by its status."""
    details = error.response.get("Error", {})
    message = str(details.get("Message") or "")
    if not message or message.lstrip().startswith("<"):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "?")
        return f"{error.operation_name} failed with HTTP {status} and no AWS error message"
    return f"{error.operation_name}: {details.get('Code', 'Error')}: {message}"


def _names(sagemaker, operation: str, key: str, field: str, model: str) -> list[str]:
    pages = sagemaker.get_paginator(operation).paginate(NameContains=deployment_resource_prefix(model))
    return [item[field] for page in pages for item in page[key]]


def _packages(sagemaker, group: str) -> list[str]:
    try:
        pages = sagemaker.get_paginator("list_model_packages").paginate(ModelPackageGroupName=group)
        return [s["ModelPackageArn"] for page in pages for s in page["ModelPackageSummaryList"]]
    except ClientError as error:
        if _missing(error):
            return []
        raise


def _trials(sagemaker, experiment: str) -> list[str]:
    try:
        pages = sagemaker.get_paginator("list_trials").paginate(ExperimentName=experiment)
        return [t["TrialName"] for page in pages for t in page["TrialSummaries"]]
    except ClientError as error:
        if _missing(error):
            return []
        raise


def _experiments(sagemaker) -> set[str]:
    # Listed rather than described: ListExperiments answers the same everywhere, while a
    # DescribeExperiment of a missing one is a server error in moto (a KeyError), not ResourceNotFound.
    pages = sagemaker.get_paginator("list_experiments").paginate()
    return {e["ExperimentName"] for page in pages for e in page["ExperimentSummaries"]}


def _delete_trial(sagemaker, trial: str) -> None:
    """A trial with components cannot be deleted: disassociate and delete them first (a job's
    component is deleted only when no other trial holds it)."""
    pages = sagemaker.get_paginator("list_trial_components").paginate(TrialName=trial)
    for component in [c["TrialComponentName"] for page in pages for c in page["TrialComponentSummaries"]]:
        sagemaker.disassociate_trial_component(TrialComponentName=component, TrialName=trial)
        try:
            sagemaker.delete_trial_component(TrialComponentName=component)
        except ClientError as error:
            if not _missing(error) and error.response["Error"]["Code"] != "ValidationException":
                raise
    sagemaker.delete_trial(TrialName=trial)


def _exists(describe: Callable[..., Any], **request: str) -> bool:
    try:
        describe(**request)
        return True
    except ClientError as error:
        if _missing(error):
            return False
        raise


def _missing(error: ClientError) -> bool:
    code = error.response.get("Error", {}).get("Code", "")
    message = str(error.response.get("Error", {}).get("Message", "")).lower()
    return code in ("ResourceNotFound", "ResourceNotFoundException", "NoSuchEntity") or (
        code == "ValidationException" and ("not find" in message or "not found" in message or "does not exist" in message))
