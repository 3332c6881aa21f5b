"""Everything the run report shows, gathered through AWS APIs from one execution name or ARN."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Callable

from botocore.exceptions import ClientError

from mlops.reporting import artifacts, traffic
from mlops.reporting.timeline import history_events, state_spans

ClientFactory = Callable[[str], Any]
PIPELINES = (("TrainingPipelineArn", "training"), ("DeploymentPipelineArn", "deployment"))


class ReportError(LookupError):
    """The execution cannot be found; the message says where it was looked for."""


def find_execution(sfn, outputs: dict[str, str], execution: str) -> tuple[dict, str]:
    """DescribeExecution of `execution` (an ARN, or a name in one of the stack's pipelines)
    and the pipeline kind (training or deployment)."""
    candidates = []
    for output, kind in PIPELINES:
        machine = outputs.get(output)
        if not machine:
            continue
        arn = execution if execution.startswith("arn:") else \
            f"{machine.replace(':stateMachine:', ':execution:')}:{execution}"
        if execution.startswith("arn:") and not arn.startswith(machine.replace(":stateMachine:", ":execution:") + ":"):
            continue
        candidates.append((arn, kind))
    for arn, kind in candidates:
        try:
            return sfn.describe_execution(executionArn=arn), kind
        except ClientError as error:
            if error.response["Error"]["Code"] not in ("ExecutionDoesNotExist", "InvalidArn"):
                raise
    where = " or ".join(kind for _, kind in candidates) or "any"
    raise ReportError(f"no execution '{execution}' in the stack's {where} pipeline: `mlops runs <model>` lists "
                      "the training runs (names like up-<model>-<hash>); deployment runs are named dp-<model>-<hash>")


def collect_report(client: ClientFactory, outputs: dict[str, str], execution: str, *,
                   metric_period: int = 60) -> dict[str, Any]:
    """The report's facts as one JSON-able document (also what `mlops report --json` prints)."""
    description, kind = find_execution(client("stepfunctions"), outputs, execution)
    run_input = json.loads(description.get("input") or "{}")
    run_output = json.loads(description["output"]) if description.get("output") else {}
    events = history_events(client("stepfunctions"), description["executionArn"])
    start = description["startDate"]
    end = description.get("stopDate") or datetime.now(timezone.utc)
    report: dict[str, Any] = {
        "kind": kind, "model": run_input.get("model"), "name": description["name"],
        "arn": description["executionArn"], "status": description["status"],
        "started": start.isoformat(), "stopped": description["stopDate"].isoformat() if description.get("stopDate") else None,
        "seconds": (end - start).total_seconds(), "error": description.get("error"), "cause": description.get("cause"),
        "states": [span.to_dict() for span in state_spans(events, end)],
    }
    s3, sagemaker = client("s3"), client("sagemaker")
    if kind == "training":
        paths = run_input.get("paths") or {}
        report["data"] = run_input.get("data")
        report["validation"] = {"summary": artifacts.text(s3, paths.get("data_summary")),
                                "statistics": artifacts.document(s3, paths.get("data_statistics"))}
        report["tuning"] = artifacts.tuning_trials(sagemaker, run_input, run_output)
        report["evaluation"] = artifacts.document(s3, paths.get("evaluation_report"))
        report["gate"] = artifacts.document(s3, paths.get("gate_report"))
        package = (run_output.get("registration") or {}).get("ModelPackageArn") or \
            artifacts.package_of_run(sagemaker, run_input, description["executionArn"])
    else:
        package = run_input.get("model_package_arn")
        names = run_input.get("names") or {}
        cloudwatch = client("cloudwatch")
        endpoint = names.get("endpoint", "")
        report["deployment"] = {
            "endpoint": endpoint, "new_config": names.get("endpoint_config"),
            "strategy": ((run_input.get("deployment_config") or {}).get("BlueGreenUpdatePolicy") or {})
            .get("TrafficRoutingConfiguration", {}).get("Type"),
            "weights": traffic.weight_steps(events),
            "invocations": traffic.invocations(cloudwatch, endpoint=endpoint, start=start, end=end,
                                               period=metric_period) if endpoint else {},
            "alarms": traffic.alarm_changes(cloudwatch, names.get("rollback_alarms") or [], start=start, end=end),
        }
        report["drift"] = artifacts.drift(s3, cloudwatch, outputs.get("ArtifactsBucketName"), endpoint)
    report["model_package"] = artifacts.package(sagemaker, package)
    return report
