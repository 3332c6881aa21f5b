"""`mlops report` pages as a person sees them in Chromium: the states with their durations, the
confusion matrix equal to evaluation.json, the tuning trials, the lineage, and the canary's
weights over time for the deployment run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mlops.reporting.timeline import format_seconds, history_events, state_spans
from mlops_core.s3uri import parse_s3_uri
from tests.e2e_report.chromium import Dom, dump_dom, screenshot

pytestmark = pytest.mark.e2e
DOCS = Path(__file__).resolve().parents[2] / "docs"


def _page(mlops, execution: str, tmp_path) -> Dom:
    out = tmp_path / f"{execution}.html"
    result = mlops("report", execution, "--out", str(out), "--metric-period", "5")
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html  # self-contained
    return Dom(dump_dom(out))


def _rows(dom: Dom, table: str) -> dict[str, dict]:
    return {row["attrs"]["data-state"]: row for row in Dom.within(dom.by_id(table), "tr") if "data-state" in row["attrs"]}


def test_training_report_shows_each_state_with_its_duration(stack, mlops, runs, tmp_path):
    training, _ = runs
    name = training.execution_arn.rsplit(":", 1)[-1]
    dom = _page(mlops, name, tmp_path)
    description = stack.sfn.describe_execution(executionArn=training.execution_arn)
    expected = state_spans(history_events(stack.sfn, training.execution_arn), description["stopDate"])
    rows = _rows(dom, "states")
    assert list(rows) == [span.name for span in expected]
    for span in expected:
        cells = {c["attrs"].get("class", "").split()[0]: c["text"] for c in rows[span.name]["children"]}
        assert cells["name"] == span.name
        assert cells["duration"] == format_seconds(span.seconds)
        assert cells["outcome"] == "succeeded"
    assert dom.by_id("run-status")["text"] == "SUCCEEDED"
    assert dom.find("rect", data_state="CreateTuningJob"), "the timeline draws a bar per state"


def test_confusion_matrix_cells_equal_the_evaluation_report(stack, mlops, runs, tmp_path):
    training, _ = runs
    dom = _page(mlops, training.execution_arn, tmp_path)
    bucket, key = parse_s3_uri(training.input["paths"]["evaluation_report"])
    evaluation = json.loads(stack.s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    matrix = evaluation["multiclass_classification_metrics"]["confusion_matrix"]
    cells = dom.find("td")
    shown = {(c["attrs"]["data-actual"], c["attrs"]["data-predicted"]): int(c["text"]) for c in cells
             if "data-actual" in c["attrs"]}
    labels = sorted({*matrix, *(p for row in matrix.values() for p in row)})
    assert shown == {(a, p): matrix.get(a, {}).get(p, 0) for a in labels for p in labels}
    accuracy = [r for r in dom.find("tr", data_metric="accuracy")][0]["children"][1]["text"]
    assert accuracy == f'{evaluation["multiclass_classification_metrics"]["accuracy"]["value"]:.4f}'


def test_tuning_trials_gate_and_lineage_are_shown(stack, mlops, runs, tmp_path):
    training, _ = runs
    dom = _page(mlops, training.execution_arn, tmp_path)
    trials = dom.find("tr")
    assert len([t for t in trials if "data-trial" in t["attrs"]]) == 2
    assert len(dom.find("circle")) == 2
    assert dom.by_id("gate-verdict")["text"] == "passed"
    package = stack.sagemaker.describe_model_package(ModelPackageName=training.output["registration"]["ModelPackageArn"])
    lineage = dom.by_id("lineage")["text"]
    assert package["CustomerMetadataProperties"]["DataVersionId"] in lineage
    assert training.input["data"]["version_id"] == package["CustomerMetadataProperties"]["DataVersionId"]
    assert "Data validation" in dom.find("h2")[1]["text"] and dom.by_id("validation-summary")["text"]


def test_deployment_report_shows_the_canary_weights_over_time(stack, mlops, runs, tmp_path):
    _, deployment = runs
    name = deployment.execution_arn.rsplit(":", 1)[-1]
    out = tmp_path / "deployment.html"
    dom = _page(mlops, name, tmp_path)
    new, old = deployment.input["names"]["endpoint_config"], None
    steps = []
    for row in Dom.within(dom.by_id("canary-weights"), "tr"):
        shares = {c["attrs"]["data-config"]: float(c["attrs"]["data-share"]) for c in row["children"]
                  if "data-config" in c["attrs"]}
        if shares:
            steps.append(shares)
            old = old or next((c for c in shares if c != new), None)
    shown = [s.get(new, 0.0) for s in steps]
    # all on the old fleet, then the 25 % canary, then everything on the new one
    assert shown[0] == 0.0 and steps[0][old] == 1.0
    assert any(0.2 < share < 0.3 for share in shown), shown
    assert shown[-1] == 1.0
    first_canary = next(i for i, share in enumerate(shown) if share > 0)
    assert all(share >= shown[first_canary] for share in shown[first_canary:])
    assert dom.find("polyline"), "the weights are drawn over time"
    assert out  # the page is written where asked


def test_the_docs_screenshot_is_of_a_real_report(mlops, runs, tmp_path):
    training, _ = runs
    page = tmp_path / "training.html"
    assert mlops("report", training.execution_arn, "--out", str(page)).exit_code == 0
    target = DOCS / "report-screenshot.png" if os.environ.get("UPDATE_REPORT_SCREENSHOT") else tmp_path / "shot.png"
    screenshot(page, target)
