"""Ground truth that disagrees with the predictions degrades model quality and fires its alarm."""

from __future__ import annotations

import json

import pytest

from tests.e2e_monitoring.conftest import MODEL, MODEL_METRICS, MODEL_QUALITY, QUALITY_ALARM

WRONG = {"Adelie": "Gentoo", "Gentoo": "Chinstrap", "Chinstrap": "Adelie"}


@pytest.fixture(scope="module")
def degraded(stack, monitoring, unshifted):
    """Labels for every unshifted request, each one naming another species than the true one."""
    ids, _ = unshifted
    lines = [json.dumps({"groundTruthData": {"data": ",".join(WRONG[s] for s in labels), "encoding": "CSV"},
                         "eventMetadata": {"eventId": inference_id}, "eventVersion": "0"})
             for inference_id, labels in ids]
    stack.upload(f"ground-truth/{MODEL}/labels.jsonl", "\n".join(lines).encode())
    return monitoring.run_schedule(MODEL_QUALITY), sum(len(labels) for _, labels in ids)


def test_wrong_labels_degrade_model_quality(degraded):
    result, labelled = degraded
    assert result["status"] == "degraded", result
    assert result["metrics"]["accuracy"] < 0.8
    assert result["metrics"]["labelled_records"] == labelled


def test_the_model_quality_alarm_fires_on_the_accuracy_put(monitoring, degraded):
    result, _ = degraded
    accuracy = monitoring.maximum(MODEL_METRICS, "accuracy", MODEL_QUALITY)
    assert accuracy == pytest.approx(result["metrics"]["accuracy"])
    alarm = monitoring.wait_alarm(QUALITY_ALARM, "ALARM")
    assert json.loads(alarm["StateReasonData"])["recentDatapoints"] == [accuracy]
    assert "was less than the threshold (0.8)" in alarm["StateReason"]
