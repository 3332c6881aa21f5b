"""One check, whatever runs it (the MonitorEndpoint Lambda, or the Processing job for large
windows): capture lines in -> the result document, the report files and the datapoints out.
Reading and writing are the caller's; this module touches no AWS API and no file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mlops_core.monitoring.drift import MODEL_MONITOR, check_drift
from mlops_core.monitoring.ground_truth import GroundTruth
from mlops_core.monitoring.layout import layout_from_baseline, without_target
from mlops_core.monitoring.metric_data import (
    DATA_METRICS_NAMESPACE,
    MODEL_METRICS_NAMESPACE,
    drift_metric_data,
    quality_metric_data,
)
from mlops_core.monitoring.model_quality import breaches, check_model_quality
from mlops_core.monitoring.quality_report import quality_report
from mlops_core.monitoring.request import Window
from mlops_core.monitoring.window_reader import (
    DEFAULT_CHUNK_ROWS,
    WindowTally,
    feature_chunks,
    window_requests,
)
from mlops_core.naming import (
    DATA_QUALITY_CHECK,
    MODEL_QUALITY_CHECK,
    monitoring_schedule_name,
)

NO_DATA, OK, DRIFT, DEGRADED = "no-data", "ok", "drift", "degraded"
STATISTICS_FILE, VIOLATIONS_FILE = "statistics.json", "constraint_violations.json"
QUALITY_FILE, RESULT_FILE = "model_quality.json", "result.json"

Lines = Iterable[tuple[str, str]]  # (source name, line): the name is what problem reports cite


@dataclass(frozen=True)
class Target:
    """What is checked and where its reports go."""

    model: str
    endpoint: str
    window: Window
    report: str  # the reports' folder (s3:// URI or local path), ending in '/'


@dataclass
class CheckReport:
    result: dict[str, Any]  # docs/contracts.md "Monitoring" Result
    files: dict[str, dict] = field(default_factory=dict)  # report file name -> JSON document
    namespace: str = DATA_METRICS_NAMESPACE
    metric_data: list[dict[str, Any]] = field(default_factory=list)


def data_quality_check(lines: Lines, target: Target, *, baseline: dict, constraints: dict, label: str | None,
                       chunk_rows: int = DEFAULT_CHUNK_ROWS, drift_method: str = MODEL_MONITOR) -> CheckReport:
    """``label``: the model's target column, left out of the baseline (requests never hold it);
    ``drift_method``: monitoring.drift.method (drift.DRIFT_METHODS)."""
    layout = layout_from_baseline(baseline, target=label)
    tally = WindowTally()
    chunks = feature_chunks(window_requests(lines, target.window, tally), layout, tally, chunk_rows=chunk_rows)
    outcome = check_drift(chunks, baseline=without_target(baseline, label),
                          constraints=without_target(constraints, label), method=drift_method)
    schedule = monitoring_schedule_name(target.endpoint, DATA_QUALITY_CHECK)
    result = _result(DATA_QUALITY_CHECK, target, tally.records, tally.unparseable, tally.examples)
    result["requests"] = tally.requests
    if not outcome.rows:
        return CheckReport(result)  # no data is not "no drift": no statistics, no datapoints
    share = round(outcome.drifted_share, 6)
    result.update(status=DRIFT if outcome.drifted else OK, drifted=outcome.drifted, distances=outcome.distances,
                  metrics={"drifted_feature_share": share},
                  violations=len(outcome.violations["violations"]))
    data = drift_metric_data(outcome.distances, share, endpoint=target.endpoint, schedule=schedule,
                             timestamp=target.window.end)
    files = {STATISTICS_FILE: outcome.statistics, VIOLATIONS_FILE: outcome.violations}
    return CheckReport(result, files, DATA_METRICS_NAMESPACE, data)


def model_quality_check(lines: Lines, truth: GroundTruth, target: Target, *, problem_type: str, metric: str,
                        threshold: float | None, min_labels: int) -> CheckReport:
    tally = WindowTally()
    outcome = check_model_quality(window_requests(lines, target.window, tally), truth, problem_type=problem_type,
                                  min_labels=min_labels)
    schedule = monitoring_schedule_name(target.endpoint, MODEL_QUALITY_CHECK)
    unparseable = tally.unparseable + truth.unparseable + outcome.mismatched
    examples = (tally.examples + truth.examples + outcome.examples)[:5]
    result = _result(MODEL_QUALITY_CHECK, target, outcome.labelled, unparseable, examples)
    result.update(requests=tally.requests, labelled_requests=outcome.requests, min_labels=min_labels)
    data = quality_metric_data(outcome.metrics, outcome.labelled, endpoint=target.endpoint, schedule=schedule,
                               timestamp=target.window.end)
    if not outcome.metrics:  # too few labels yet: only the count of what was joined is put
        return CheckReport(result, {}, MODEL_METRICS_NAMESPACE, data)
    result.update(status=DEGRADED if breaches(outcome.metrics, metric, threshold) else OK,
                  metrics={**outcome.metrics, "labelled_records": outcome.labelled},
                  metric=metric, threshold=threshold)
    files = {QUALITY_FILE: quality_report(outcome, target.window)}
    return CheckReport(result, files, MODEL_METRICS_NAMESPACE, data)


def _result(check: str, target: Target, records: int, unparseable: int, examples: list[str]) -> dict[str, Any]:
    return {"status": NO_DATA, "check": check, "model": target.model, "endpoint": target.endpoint,
            "schedule": monitoring_schedule_name(target.endpoint, check), "window": target.window.to_dict(),
            "records": records, "unparseable": unparseable, "unparseable_examples": examples, "drifted": [],
            "distances": {}, "metrics": {}, "report": target.report}
